/**
 * Spectral thresholds of weighted covariance matrices D = (1/n) sum_i T(y_i) x_i x_i^T, n = delta d
 * (Lu & Li 2017, "Phase transitions of spectral initialization for high-dimensional nonconvex
 * estimation", arXiv 1702.06435; Mondelli & Montanari 2018, arXiv 1708.05932, Lemma 2 and Theorem 1).
 * With Z = T(y), tau = sup Z, and the signal coordinates g = Theta*^T x (here k_s of them):
 *
 *   psi(l) = l (1/delta + E[Z/(l - Z)]),   a(l) = E[Z^2/(l - Z)^2],   psi'(l) = 1/delta - a(l),
 *   B(l)   = E[Z (g g^T - I)/(l - Z)]  (k_s x k_s; for one signal direction b(l) = E[Z (G^2 - 1)/(l - Z)]),
 *   phi(l) = l E[Z G^2/(l - Z)] along the top eigenvector v of B(l), phi'(l) = -E[Z^2 G^2/(l - Z)^2].
 *
 * For l > tau: an outlier above the bulk exists iff the largest root l* > tau of b(l) = 1/delta, with b
 * the top eigenvalue of B, has a(l*) < b(l*) (i.e. psi'(l*) > 0); then the top eigenvalue tends to psi(l*)
 * and the squared overlap of the top eigenvector with Theta* v to psi'(l*) / (psi'(l*) - phi'(l*)).
 * Otherwise the top eigenvalue sticks to the bulk edge psi(l_bar), l_bar = argmin_{l > tau} psi, and the
 * overlap tends to 0. The threshold: delta_T = 1 / sup{ b(l) : l > tau, a(l) < b(l) } (= 1 / b(l_c) with
 * l_c the largest root of a = b when b decreases; l_c = tau in the limit when a < b all the way down,
 * as for the optimal T*). The smallest eigenvalue is the largest of -D: use side "bottom" (T -> -T).
 * With several signal directions B's eigenvectors give the spike directions (the rank-k_s version of
 * the same determinant condition, valid when Theta*^T x is isotropic Gaussian as here).
 *
 * Unbounded T (tau = +infinity) has no transition as d -> infinity (Mondelli & Montanari 2018, remark
 * after Lemma 2: the top eigenvalue is carried by the largest T(y_i) and diverges): this is reported as
 * `{ transition: false, reason: "unbounded" }`, never as a number. Unboundedness is detected on the
 * quadrature nodes (module `weightLaw`): sup of Z over |z| <= 15 vs <= 30 (heuristic, documented; a known
 * sup can be passed as `tau`).
 *
 * The optimal preprocessing T*(y) = 1 - 1/E[z1^2 | y] (Mondelli & Montanari 2018; Luo, Alghamdi & Lu 2019,
 * arXiv 1807.01418) reaches delta_T = delta_alg; `optimalPreprocessing` builds it from the level sets.
 */
import { brent } from '../../numerics/roots.js';
import { gaussLegendre } from '../../numerics/gaussLegendre.js';
import { NumericsError } from '../../numerics/errors.js';
import { fillNormalPortable } from '../../random/portable.js';
import { foldIn, rootKey, type Key } from '../../random/key.js';
import type { MultiIndexTarget } from '../../models/multi-index-teacher.js';
import { gaussianDensity, LevelSet } from './level-set.js';
import { symmetricEigen } from './small-linalg.js';

/** A weighted point set for the law of (Z = T(y), g): the expectations of this module are sums over it. */
export interface WeightLaw {
  /** Number of signal coordinates k_s. */
  k: number;
  Z: Float64Array;
  /** Signal coordinates, n x k row-major. */
  g: Float64Array;
  w: Float64Array;
  /** sup Z (or +Infinity when unbounded). */
  tau: number;
  tauKind: 'detected' | 'given' | 'unbounded';
  method: 'quadrature-z1' | 'quadrature-2d' | 'monte-carlo';
}

export interface WeightLawOptions {
  /** Label values where T jumps or has a kink: the quadrature cuts there (single-index links). */
  yKinks?: readonly number[];
  /** Known sup of T(y) (skips the detection). */
  tau?: number;
  /** Monte Carlo draws (multi-index targets with k + noise > 2; default 400000) and key. */
  samples?: number;
  key?: Key;
}

function panelsRule(lo: number, hi: number, cuts: number[], width: number, order: number): { t: number[]; w: number[] } {
  const c = [lo, hi, ...cuts.filter((x) => x > lo && x < hi)].sort((a, b) => a - b);
  const gl = gaussLegendre(order);
  const t: number[] = [];
  const w: number[] = [];
  for (let i = 0; i + 1 < c.length; i++) {
    const a = c[i];
    const b = c[i + 1];
    if (b - a < 1e-14) continue;
    const np = Math.max(1, Math.ceil((b - a) / width));
    for (let j = 0; j < np; j++) {
      const pa = a + ((b - a) * j) / np;
      const pb = a + ((b - a) * (j + 1)) / np;
      for (let q = 0; q < order; q++) {
        const x = 0.5 * (pa + pb) + 0.5 * (pb - pa) * gl.nodes[q];
        const wx = 0.5 * (pb - pa) * gl.weights[q] * gaussianDensity(x);
        if (wx > 1e-300) {
          t.push(x);
          w.push(wx);
        }
      }
    }
  }
  return { t, w };
}

function detectTau(Z: Float64Array, radius: Float64Array, given: number | undefined): { tau: number; tauKind: WeightLaw['tauKind'] } {
  if (given !== undefined) {
    if (!Number.isFinite(given)) throw new NumericsError('weightLaw', `tau must be a finite number, got ${given}`);
    return { tau: given, tauKind: 'given' };
  }
  let inner = -Infinity;
  let all = -Infinity;
  for (let i = 0; i < Z.length; i++) {
    if (!Number.isFinite(Z[i])) throw new NumericsError('weightLaw', `T(y) is ${Z[i]} at a quadrature node`);
    all = Math.max(all, Z[i]);
    if (radius[i] <= 15) inner = Math.max(inner, Z[i]);
  }
  if (all - inner > 0.05 * (Math.abs(inner) + 1)) return { tau: Infinity, tauKind: 'unbounded' };
  return { tau: all, tauKind: 'detected' };
}

/**
 * The law of (T(y), g) for a target with label noise: Gauss–Legendre panels in z1 for noiseless links on
 * z1 (width 0.05, 8 points, cut at the link's kinks and at the preimages of `yKinks`); a tensor rule on
 * (z1, xi) (noisy links on z1) or (z1, z2) (noiseless k = 2) with panels of width 0.4 on [-12, 12];
 * Monte Carlo otherwise. T must be finite wherever the law has mass.
 */
export function weightLaw(target: MultiIndexTarget, noise: number, T: (y: number) => number, opts: WeightLawOptions = {}): WeightLaw {
  if (typeof T !== 'function') throw new NumericsError('weightLaw', `T must be a function of y, got ${typeof T}`);
  if (!Number.isFinite(noise) || noise < 0) throw new NumericsError('weightLaw', `noise must be a finite number >= 0, got ${noise}`);
  const k = target.k;
  const zbuf = new Float64Array(k);
  const sd = Math.sqrt(noise);
  if (target.symmetry.firstCoordinateOnly && noise === 0) {
    const g1 = (t: number): number => ((zbuf[0] = t), target.g(zbuf));
    const cuts: number[] = [...(target.link?.kinks ?? [])];
    if (opts.yKinks && opts.yKinks.length > 0) {
      const ls = new LevelSet({ h: g1, dh: target.link ? (t) => target.link!.derivative(t) : undefined, density: gaussianDensity, support: [-30, 30], kinks: target.link?.kinks, q: () => [0] });
      for (const yk of opts.yKinks) cuts.push(...ls.preimages(yk));
    }
    const r = panelsRule(-30, 30, cuts, 0.05, 8);
    const n = r.t.length;
    const Z = new Float64Array(n);
    const radius = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      Z[i] = T(g1(r.t[i]));
      radius[i] = Math.abs(r.t[i]);
    }
    return { k: 1, Z, g: Float64Array.from(r.t), w: Float64Array.from(r.w), ...detectTau(Z, radius, opts.tau), method: 'quadrature-z1' };
  }
  const twoD = (target.symmetry.firstCoordinateOnly && noise > 0) || (k === 2 && noise === 0);
  if (twoD) {
    const r = panelsRule(-12, 12, [0], 0.4, 8);
    const n = r.t.length;
    const ks = target.symmetry.firstCoordinateOnly ? 1 : 2;
    const N = n * n;
    const Z = new Float64Array(N);
    const g = new Float64Array(N * ks);
    const w = new Float64Array(N);
    const radius = new Float64Array(N);
    let c = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++, c++) {
        let y: number;
        zbuf.fill(0);
        zbuf[0] = r.t[i];
        if (ks === 1) {
          y = target.g(zbuf) + sd * r.t[j];
          g[c] = r.t[i];
        } else {
          zbuf[1] = r.t[j];
          y = target.g(zbuf);
          g[2 * c] = r.t[i];
          g[2 * c + 1] = r.t[j];
        }
        Z[c] = T(y);
        w[c] = r.w[i] * r.w[j];
        radius[c] = 2.5 * Math.max(Math.abs(r.t[i]), Math.abs(r.t[j])); // |z| <= 6 vs <= 12 for the detection
      }
    }
    return { k: ks, Z, g, w, ...detectTau(Z, radius, opts.tau), method: 'quadrature-2d' };
  }
  const S = opts.samples ?? 400000;
  if (!Number.isInteger(S) || S < 1000) throw new NumericsError('weightLaw', `samples must be an integer >= 1000, got ${S}`);
  const key = opts.key ?? rootKey(0);
  const zs = new Float64Array(S * k);
  const kz = foldIn(key, 'spectral-z');
  fillNormalPortable(kz[0], kz[1], zs, 0, 0, 1);
  const xi = new Float64Array(S);
  if (noise > 0) {
    const kn = foldIn(key, 'spectral-noise');
    fillNormalPortable(kn[0], kn[1], xi, 0, 0, 1);
  }
  const Z = new Float64Array(S);
  const radius = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    const zz = zs.subarray(s * k, (s + 1) * k);
    Z[s] = T(target.g(zz) + sd * xi[s]);
    let r2 = 0;
    for (let j = 0; j < k; j++) r2 += zz[j] * zz[j];
    radius[s] = 3 * Math.sqrt(r2); // sample radii reach ~5-6: compare |z| <= 5 with all
  }
  const w = new Float64Array(S).fill(1 / S);
  return { k, Z, g: zs, w, ...detectTau(Z, radius, opts.tau), method: 'monte-carlo' };
}

/** The functions of the module comment at l > tau. */
export interface SpectralFunctions {
  l: number;
  psi: number;
  dpsi: number;
  a: number;
  /** Top eigenvalue of B(l) and its eigenvector. */
  b: number;
  v: number[];
  phi: number;
  dphi: number;
}

/** psi, a, b (= top eigenvalue of B), phi and derivatives at l > tau, for 1/delta = invDelta. */
export function spectralFunctions(law: WeightLaw, l: number, invDelta: number): SpectralFunctions {
  if (!(l > law.tau)) throw new NumericsError('spectralFunctions', `l must exceed tau = ${law.tau}, got ${l}`);
  const k = law.k;
  let e1 = 0; // E[Z/(l-Z)]
  let a = 0;
  const B = new Float64Array(k * k);
  const n = law.Z.length;
  for (let i = 0; i < n; i++) {
    const Z = law.Z[i];
    const w = law.w[i];
    const r = 1 / (l - Z);
    e1 += w * Z * r;
    a += w * Z * Z * r * r;
    const c = w * Z * r;
    for (let p = 0; p < k; p++) {
      const gp = law.g[i * k + p];
      for (let q = 0; q <= p; q++) B[p * k + q] += c * (gp * law.g[i * k + q] - (p === q ? 1 : 0));
    }
  }
  for (let p = 0; p < k; p++) for (let q = 0; q < p; q++) B[q * k + p] = B[p * k + q];
  const eb = symmetricEigen(B, k);
  const b = eb.values[k - 1];
  const v = Array.from({ length: k }, (_, p) => eb.vectors[p * k + (k - 1)]);
  let phiSum = 0;
  let dphi = 0;
  for (let i = 0; i < n; i++) {
    const Z = law.Z[i];
    let G = 0;
    for (let p = 0; p < k; p++) G += v[p] * law.g[i * k + p];
    const r = 1 / (l - Z);
    phiSum += law.w[i] * Z * G * G * r;
    dphi -= law.w[i] * Z * Z * G * G * r * r;
  }
  return { l, psi: l * (invDelta + e1), dpsi: invDelta - a, a, b, v, phi: l * phiSum, dphi };
}

/** Negates T: the law of -T(y), for the smallest eigenvalue of D. */
export function negateLaw(law: WeightLaw, tau?: number): WeightLaw {
  const Z = law.Z.map((z) => -z);
  let t = tau ?? -Infinity;
  if (tau === undefined) for (let i = 0; i < Z.length; i++) t = Math.max(t, Z[i]);
  return { ...law, Z, tau: tau ?? t, tauKind: tau === undefined ? law.tauKind : 'given' };
}

/** Log-spaced grid of l in (tau, tau + 1e4 s), s a scale of Z. */
function lGrid(law: WeightLaw): number[] {
  let s = 0;
  for (let i = 0; i < law.Z.length; i++) s += law.w[i] * Math.min(Math.abs(law.Z[i]), 1e3);
  const scale = law.tau !== 0 ? Math.abs(law.tau) : Math.max(s, 1e-6);
  const out: number[] = [];
  for (let e = -12; e <= 4.0001; e += 0.08) out.push(law.tau + scale * 10 ** e);
  return out;
}

export type SpectralThreshold =
  | { transition: true; deltaT: number; lc: number; lcAtTau: boolean; tau: number }
  | { transition: false; reason: 'unbounded' | 'never' | 'tau-not-positive'; tau: number; message: string };

/** delta_T of the module comment. */
export function spectralThreshold(law: WeightLaw): SpectralThreshold {
  if (law.tauKind === 'unbounded') {
    return { transition: false, reason: 'unbounded', tau: Infinity, message: 'T(y) is unbounded above: no spectral transition as d -> infinity (the top eigenvalue follows the largest T(y_i))' };
  }
  if (!(law.tau > 0)) return { transition: false, reason: 'tau-not-positive', tau: law.tau, message: `sup T = ${law.tau} <= 0: D has no positive outlier` };
  const grid = lGrid(law);
  const vals = grid.map((l) => spectralFunctions(law, l, 0));
  let best = -Infinity;
  let lBest = NaN;
  let atTau = false;
  for (let i = 0; i < grid.length; i++) {
    const f = vals[i];
    if (f.a < f.b && f.b > best) {
      best = f.b;
      lBest = grid[i];
      atTau = i === 0;
    }
    // refine a crossing of a - b between grid points
    if (i > 0) {
      const d0 = vals[i - 1].a - vals[i - 1].b;
      const d1 = f.a - f.b;
      if (d0 > 0 !== d1 > 0) {
        const r = brent((l) => {
          const s = spectralFunctions(law, l, 0);
          return s.a - s.b;
        }, grid[i - 1], grid[i], { absTol: 1e-14 });
        if (r.ok) {
          const s = spectralFunctions(law, r.value, 0);
          if (s.b > best) {
            best = s.b;
            lBest = r.value;
            atTau = false;
          }
        }
      }
    }
  }
  if (!(best > 0)) return { transition: false, reason: 'never', tau: law.tau, message: 'a(l) >= b(l) for every l > tau (or b <= 0): no outlier for any delta' };
  return { transition: true, deltaT: 1 / best, lc: lBest, lcAtTau: atTau, tau: law.tau };
}

export interface SpectralPrediction {
  delta: number;
  /** Limit of the top eigenvalue of D. */
  topEigenvalue: number;
  /** Limit of the squared overlap of the top eigenvector with the spike direction Theta* v (0 below the threshold). */
  overlap2: number;
  outlier: boolean;
  /** l* (with an outlier) or l_bar (the bulk edge's argument). */
  l: number;
  bulkEdge: number;
  direction: number[];
}

/** Top eigenvalue and overlap of D at a given delta (module comment). Throws for unbounded T. */
export function spectralPrediction(law: WeightLaw, delta: number): SpectralPrediction {
  if (!(delta > 0) || !Number.isFinite(delta)) throw new NumericsError('spectralPrediction', `delta must be a finite number > 0, got ${delta}`);
  if (law.tauKind === 'unbounded') throw new NumericsError('spectralPrediction', 'T(y) is unbounded above: no finite limit of the top eigenvalue (no transition)');
  const inv = 1 / delta;
  const grid = lGrid(law);
  // bulk edge: l_bar = argmin psi, psi' = inv - a(l) increasing in l
  const f0 = spectralFunctions(law, grid[0], inv);
  let lBar = grid[0];
  if (f0.dpsi < 0) {
    let hi = grid.findIndex((l) => spectralFunctions(law, l, inv).dpsi >= 0);
    if (hi < 0) hi = grid.length - 1;
    const r = brent((l) => spectralFunctions(law, l, inv).dpsi, grid[Math.max(0, hi - 1)], grid[hi], { absTol: 1e-14 });
    if (r.ok) lBar = r.value;
  }
  const edge = spectralFunctions(law, lBar, inv);
  // largest root of b(l) = 1/delta
  let lStar = NaN;
  for (let i = grid.length - 1; i > 0; i--) {
    const b1 = spectralFunctions(law, grid[i], inv).b - inv;
    const b0 = spectralFunctions(law, grid[i - 1], inv).b - inv;
    if (b0 > 0 !== b1 > 0) {
      const r = brent((l) => spectralFunctions(law, l, inv).b - inv, grid[i - 1], grid[i], { absTol: 1e-14 });
      if (r.ok) lStar = r.value;
      break;
    }
  }
  if (Number.isFinite(lStar) && lStar > lBar) {
    const s = spectralFunctions(law, lStar, inv);
    if (s.dpsi > 0) {
      return { delta, topEigenvalue: s.psi, overlap2: s.dpsi / (s.dpsi - s.dphi), outlier: true, l: lStar, bulkEdge: edge.psi, direction: s.v };
    }
  }
  return { delta, topEigenvalue: edge.psi, overlap2: 0, outlier: false, l: lBar, bulkEdge: edge.psi, direction: edge.v };
}

/**
 * T*(y) = 1 - 1/E[z1^2 | y] for a noiseless link on z1 (level sets, level-set.ts). Its sup is 1; the law
 * built with `weightLaw(target, 0, T, { tau: 1 })` reaches delta_alg (Mondelli & Montanari 2018).
 */
export function optimalPreprocessing(target: MultiIndexTarget): (y: number) => number {
  if (!target.symmetry.firstCoordinateOnly) throw new NumericsError('optimalPreprocessing', `T* is implemented for single-index links on z1; target "${target.name}" is not one`);
  const zbuf = new Float64Array(target.k);
  const ls = new LevelSet({
    h: (t) => ((zbuf[0] = t), target.g(zbuf)),
    dh: target.link ? (t) => target.link!.derivative(t) : undefined,
    density: gaussianDensity,
    support: [-30, 30],
    kinks: target.link?.kinks,
    q: (t) => [t * t],
  });
  return (y) => {
    const m2 = ls.conditional(y)[0];
    return m2 > 0 ? 1 - 1 / m2 : -Infinity;
  };
}
