/**
 * Tables of the conditional law of the latent z in R^k given the label y: a weighted list of label
 * values y_s with E[z | y_s] and E[z z^T | y_s] — everything delta_alg needs (delta-alg.ts). Built:
 *
 * - 'level-set-z1' (noiseless single-index links, g(z) = g1(z1)): t = z1 ~ N(0, 1), level sets
 *   {z1 : g1(z1) = y} (level-set.ts); E[z | y] = (E[z1 | y], 0, ...), E[z z^T | y] = diag(E[z1^2 | y], 1, ...).
 * - 'level-set-radial' (noiseless radial targets, g(z) = h(|z|)): t = |z| ~ chi_k, E[z | y] = 0 and
 *   E[z z^T | y] = E[|z|^2 | y] / k I_k (rotation invariance; the chi-square structure).
 * - 'hyperbola' (noiseless y = z1 z2, k = 2): on the hyperbola z1 z2 = y, with t = |z1| = e^u,
 *   p(y) = I_0(y) / pi and E[z1^2 | y] = E[z2^2 | y] = I_2(y) / I_0(y), E[z1 z2 | y] = y, E[z | y] = 0, where
 *   I_a(y) = int e^{a u} exp(-(e^{2u} + y^2 e^{-2u}) / 2) du (= 2 |y|^{a/2} K_{a/2}(|y|) / 2^{...}: so
 *   E[z1^2 | y] = |y| K_1(|y|) / K_0(|y|), the closed form the tests compare against). Both integrals and the
 *   outer one over y = +-e^s are trapezoid rules (spectrally accurate for these analytic, doubly
 *   exponentially decaying integrands); the step is halved once for the error estimate.
 * - 'monte-carlo' (everything else: noisy labels, other multi-index targets, user targets): S draws of
 *   (z, y) from an explicit key, sorted by y and cut into B bins of equal count (ties stay together in
 *   draw order, so bins inside an atom of y are unbiased); inside each bin the draws are split
 *   alternately into halves A and B, giving two independent estimates of E[z | bin], E[z z^T | bin].
 *   Quadratic functionals are formed as products of A and B estimates (cross-fitting), which removes
 *   the within-bin sampling bias E[hat G M hat G] - G M G; the remaining bias is the binning (it
 *   replaces E[. | y] by E[. | bin], which can only shrink the quadratic functionals). The error bar is
 *   the standard error over independent replicates (delta-alg.ts).
 */
import { NumericsError } from '../../numerics/errors.js';
import { fillNormalPortable } from '../../random/portable.js';
import { checkKey, foldIn, type Key } from '../../random/key.js';
import type { MultiIndexTarget } from '../../models/multi-index-teacher.js';
import { chiDensity, gaussianDensity, LevelSet } from './level-set.js';

export type TableMethod = 'level-set-z1' | 'level-set-radial' | 'hyperbola' | 'monte-carlo';

export interface TableNode {
  weight: number;
  y: number;
  /** E[z | y] (length k), two independent estimates (equal for quadrature tables). */
  meanA: Float64Array;
  meanB: Float64Array;
  /** E[z z^T | y] (k x k row-major), two independent estimates. */
  secondA: Float64Array;
  secondB: Float64Array;
}

export interface ConditionalTable {
  k: number;
  method: TableMethod;
  nodes: TableNode[];
}

function node(k: number, weight: number, y: number, mean: Float64Array, second: Float64Array): TableNode {
  return { weight, y, meanA: mean, meanB: mean, secondA: second, secondB: second };
}

/** Whether a noiseless target admits a quadrature table, and which. */
export function quadratureMethod(target: MultiIndexTarget, noise: number): TableMethod | null {
  if (noise > 0) return null;
  if (target.symmetry.firstCoordinateOnly) return 'level-set-z1';
  if (target.symmetry.radial) return 'level-set-radial';
  if (target.origin === 'builtin' && target.name === 'product' && target.k === 2) return 'hyperbola';
  return null;
}

/** Panel order of the level-set rules: `fine` doubles it (for the error estimate). */
function levelOrder(fine: boolean): number {
  return fine ? 16 : 8;
}

/** 'level-set-z1' table (module comment). */
export function firstCoordinateTable(target: MultiIndexTarget, fine = false): ConditionalTable {
  const k = target.k;
  const z = new Float64Array(k);
  const dz = new Float64Array(k);
  const g1 = (t: number): number => {
    z[0] = t;
    return target.g(z);
  };
  const dh = target.link ? (t: number) => target.link!.derivative(t) : target.gradient ? (t: number) => ((z[0] = t), target.gradient!(z, dz)[0]) : undefined;
  const ls = new LevelSet({ h: g1, dh, density: gaussianDensity, support: [-30, 30], kinks: target.link?.kinks ?? [], q: (t) => [t, t * t] });
  const nodes = ls.nodes(levelOrder(fine)).map((nd) => {
    const mean = new Float64Array(k);
    mean[0] = nd.moments[0];
    const second = new Float64Array(k * k);
    for (let j = 0; j < k; j++) second[j * k + j] = 1;
    second[0] = nd.moments[1];
    return node(k, nd.weight, nd.y, mean, second);
  });
  return { k, method: 'level-set-z1', nodes };
}

/** 'level-set-radial' table (module comment). */
export function radialTable(target: MultiIndexTarget, fine = false): ConditionalTable {
  const k = target.k;
  const z = new Float64Array(k);
  const h = (r: number): number => {
    z[0] = r;
    return target.g(z);
  };
  const ls = new LevelSet({ h, density: chiDensity(k), support: [0, 30], q: (r) => [r * r] });
  const nodes = ls.nodes(levelOrder(fine)).map((nd) => {
    const second = new Float64Array(k * k);
    for (let j = 0; j < k; j++) second[j * k + j] = nd.moments[0] / k;
    return node(k, nd.weight, nd.y, new Float64Array(k), second);
  });
  return { k, method: 'level-set-radial', nodes };
}

/** I_a(y) of the module comment by the trapezoid rule with step hu, for y > 0. */
function hyperbolaIntegral(a: number, y: number, hu: number): number {
  const lo = Math.log(y) - 0.5 * Math.log(200);
  const hi = 0.5 * Math.log(200);
  const n = Math.ceil((hi - lo) / hu);
  const y2 = y * y;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const u = lo + i * hu;
    const e2 = Math.exp(2 * u);
    s += Math.exp(a * u - 0.5 * (e2 + y2 / e2));
  }
  return s * hu;
}

/** 'hyperbola' table for y = z1 z2 (module comment); `fine` halves both steps. */
export function productTable(fine = false): ConditionalTable {
  const hu = fine ? 0.025 : 0.05;
  const hs = fine ? 0.025 : 0.05;
  const sLo = -40;
  const sHi = Math.log(80);
  const nodes: TableNode[] = [];
  const n = Math.ceil((sHi - sLo) / hs);
  for (let i = 0; i <= n; i++) {
    const s = sLo + i * hs;
    const y = Math.exp(s);
    const I0 = hyperbolaIntegral(0, y, hu);
    const I2 = hyperbolaIntegral(2, y, hu);
    const p = I0 / Math.PI;
    const w = y * p * hs;
    if (!(w > 1e-300)) continue;
    const m = I2 / I0;
    for (const sign of [1, -1]) {
      const second = Float64Array.of(m, sign * y, sign * y, m);
      nodes.push(node(2, w, sign * y, new Float64Array(2), second));
    }
  }
  return { k: 2, method: 'hyperbola', nodes };
}

export interface MonteCarloTableOptions {
  /** Draws per replicate (default 200000). */
  samples?: number;
  /** Bins of equal count (default 400). */
  bins?: number;
}

/** One 'monte-carlo' replicate (module comment) from `key`. Cost: samples * (k + 1) normals, one sort. */
export function monteCarloTable(target: MultiIndexTarget, noise: number, key: Key, opts: MonteCarloTableOptions = {}): ConditionalTable {
  checkKey('key', key);
  const k = target.k;
  const S = opts.samples ?? 200000;
  const B = opts.bins ?? 400;
  if (!Number.isInteger(S) || S < 100) throw new NumericsError('monteCarloTable', `samples must be an integer >= 100, got ${S}`);
  if (!Number.isInteger(B) || B < 1 || S / B < 4) throw new NumericsError('monteCarloTable', `bins must be an integer in [1, samples / 4 = ${Math.floor(S / 4)}], got ${B}`);
  const Z = new Float64Array(S * k);
  const kz = foldIn(key, 'z');
  fillNormalPortable(kz[0], kz[1], Z, 0, 0, 1);
  const xi = new Float64Array(S);
  if (noise > 0) {
    const kn = foldIn(key, 'noise');
    fillNormalPortable(kn[0], kn[1], xi, 0, 0, 1);
  }
  const y = new Float64Array(S);
  const sd = Math.sqrt(noise);
  for (let s = 0; s < S; s++) {
    y[s] = target.g(Z.subarray(s * k, (s + 1) * k)) + sd * xi[s];
    if (!Number.isFinite(y[s])) throw new NumericsError('monteCarloTable', `the target returned ${y[s]} at draw ${s}`);
  }
  const order = Array.from({ length: S }, (_, i) => i).sort((a, b) => y[a] - y[b] || a - b);
  const nodes: TableNode[] = [];
  for (let b = 0; b < B; b++) {
    const from = Math.floor((b * S) / B);
    const to = Math.floor(((b + 1) * S) / B);
    const mA = new Float64Array(k);
    const mB = new Float64Array(k);
    const sA = new Float64Array(k * k);
    const sB = new Float64Array(k * k);
    let nA = 0;
    let nB = 0;
    let ySum = 0;
    for (let r = from; r < to; r++) {
      const s = order[r];
      ySum += y[s];
      const zz = Z.subarray(s * k, (s + 1) * k);
      const isA = (r - from) % 2 === 0;
      const m = isA ? mA : mB;
      const q = isA ? sA : sB;
      if (isA) nA++;
      else nB++;
      for (let i = 0; i < k; i++) {
        m[i] += zz[i];
        for (let j = 0; j < k; j++) q[i * k + j] += zz[i] * zz[j];
      }
    }
    for (let i = 0; i < k; i++) {
      mA[i] /= nA;
      mB[i] /= nB;
    }
    for (let i = 0; i < k * k; i++) {
      sA[i] /= nA;
      sB[i] /= nB;
    }
    nodes.push({ weight: (to - from) / S, y: ySum / (to - from), meanA: mA, meanB: mB, secondA: sA, secondB: sB });
  }
  return { k, method: 'monte-carlo', nodes };
}
