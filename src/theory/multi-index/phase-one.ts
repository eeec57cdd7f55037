/**
 * The phase-1 point of delta_NN (multi-index.md section 5) from the REDUCED POPULATION DYNAMICS at large d.
 *
 * Established part: for inputs x ~ N(0, I_d) and a network f(x) = sum_j a_j sigma(<w_j, x>) + b, the
 * population loss L(W, a, b) = E l(y, f(x)) depends on W only through the overlaps M = W Theta* (m x k) and
 * the Gram matrix of the orthogonal parts Q = W W^T - M M^T (m x m). Writing W = M Theta*^T + N U^T with U
 * (d x m) orthonormal and orthogonal to Theta*, and xi = W x = M z + N u with (z, u) ~ N(0, I_{k+m}), the
 * population gradient is
 *   grad_W L = E[c z^T] Theta*^T + E[c u^T] U^T,   c_j = l'(y, f) a_j sigma'(xi_j),
 * so that one GD step W <- W - eta (grad_W L + lambda W) stays in span(Theta*, U) and reads, EXACTLY,
 *   M <- (1 - eta lambda) M - eta E[c z^T],   N <- (1 - eta lambda) N - eta E[c u^T],   Q = N N^T,
 *   a <- a - eta (E[l' sigma(xi)] + lambda a) (trained second layer),   b <- b - eta E[l'] (trained bias).
 * This is the standard closed (k m + m^2 + m + 1)-dimensional description of one-pass / population
 * gradient descent of two-layer networks at large d (Saad & Solla 1995; Ben Arous, Gheissari & Jagannath
 * 2021/2022, "effective dynamics" / summary statistics; Arnaboldi et al. 2023 for multi-index targets).
 * With M = 0 at initialisation (the d -> infinity limit of the 1/sqrt(d) random overlaps) M stays 0 when
 * E[c z^T] vanishes at M = 0 — e.g. phase retrieval (E[z | y] = 0): only the norms Q (and a, b) move.
 *
 * Our choices (reconstruction, *verify*):
 * - "End of phase 1" = the SAME criterion as the simulation (src/simulate/dynamics/run.ts, docs/dynamics.md)
 *   applied to the population gradient norm g_t = |grad L(theta_t)| (W block: |E[c z^T] + lambda M|_F^2 +
 *   |E[c u^T] + lambda N|_F^2; plus the a and b blocks when trained): the first step t >= 8 with
 *   |ln g_t - ln g_{floor(t/2)}| <= plateauTolerance ln 2 or g_t <= gradientDrop g_0.
 * - The finite-sample part of the simulated gradient (the n = delta d samples are reused, so GD also fits
 *   their noise: an extra component of W outside span(Theta*, U) of squared norm O(1/delta)) is NOT in this
 *   description: at finite delta the simulated Q differs from the population one by O(1/delta) (and its
 *   gradient norm does not vanish at the population fixed point). docs/thresholds.md quantifies this.
 * - Gradient flow (`mode: "flow"`) is approximated by GD with step eta / flowSubsteps.
 *
 * Expectations over (z, u, noise): tensor Gauss–Hermite (`nodes` per axis, default 48 in <= 2 dimensions,
 * 24 in 3, 12 in 4) when k + m (+ 1 with label noise) <= 4, else Monte Carlo with `samples` fixed draws
 * (default 20000, key foldIn(key, 'phase-one')): the same draws at every step (a deterministic map).
 */
import type { Activation } from '../../activations/types.js';
import type { MultiIndexTarget } from '../../models/multi-index-teacher.js';
import { NumericsError } from '../../numerics/errors.js';
import { gaussHermite } from '../../numerics/gaussHermite.js';
import { fillNormalPortable } from '../../random/portable.js';
import { foldIn, rootKey, type Key } from '../../random/key.js';
import { lossDerivatives, type NNLoss, type PhaseOnePoint } from './delta-nn.js';
import { symmetricEigen } from './small-linalg.js';

/** Steps before the end of phase 1 may be declared (src/simulate/dynamics/run.ts PHASE1_MIN_STEPS). */
export const POPULATION_PHASE1_MIN_STEPS = 8;

export interface PopulationPhaseOneOptions {
  /** GD step size (config training.eta). */
  eta: number;
  /** "gd" (default) or "flow" (GD with step eta / flowSubsteps). */
  mode?: 'gd' | 'flow';
  flowSubsteps?: number;
  /** Maximum number of steps of size eta (default 100000). */
  maxSteps?: number;
  trainA?: boolean;
  bias?: boolean;
  weightDecay?: number;
  /** Phase-1 criterion (config phase1.*; defaults 0.1 and 0.01 as in the simulation). */
  plateauTolerance?: number;
  gradientDrop?: number;
  method?: 'auto' | 'quadrature' | 'monte-carlo';
  /** Gauss–Hermite nodes per axis (default 48 / 24 / 12 in <= 2 / 3 / 4 dimensions). */
  nodes?: number;
  /** Monte Carlo draws (default 20000). */
  samples?: number;
  key?: Key;
  /** Number of log-spaced recorded steps (default 40). */
  record?: number;
}

export interface PopulationState {
  step: number;
  time: number;
  loss: number;
  gradNorm: number;
  M: number[][];
  Q: number[][];
  a: number[];
  b: number;
}

export interface PopulationPhaseOne {
  /** The phase-1 point (at the detected end of phase 1, or at maxSteps when not detected). */
  point: PhaseOnePoint;
  /** Whether the criterion fired within maxSteps. */
  detected: boolean;
  step: number;
  time: number;
  gradNorm: number;
  /** Which part of the criterion fired. */
  criterion: 'plateau' | 'gradient-drop' | null;
  /** Singular values of M at the end (learned directions: those above learnedTol in hessianLaw). */
  singularValuesM: number[];
  trajectory: PopulationState[];
  method: 'quadrature' | 'monte-carlo';
  points: number;
}

function logSpaced(steps: number, count: number): Set<number> {
  const out = new Set<number>([0, steps]);
  const c = Math.max(1, count - 1);
  for (let i = 0; i < c; i++) out.add(Math.round(Math.exp((Math.log(Math.max(1, steps)) * i) / Math.max(1, c - 1))));
  return out;
}

function lossValue(loss: NNLoss, y: number, f: number): number {
  const r = f - y;
  if (loss.name === 'square') return 0.5 * r * r;
  if (loss.name === 'huber') return Math.abs(r) <= loss.delta ? 0.5 * r * r : loss.delta * (Math.abs(r) - 0.5 * loss.delta);
  const a = Math.abs(r);
  return a + Math.log1p(Math.exp(-2 * a)) - Math.LN2;
}

/** Symmetric square root of a PSD matrix (m x m, row-major). */
function sqrtPsd(Q: number[][]): number[][] {
  const m = Q.length;
  const e = symmetricEigen(Q.flat(), m);
  return Array.from({ length: m }, (_, i) =>
    Array.from({ length: m }, (_, j) => {
      let s = 0;
      for (let l = 0; l < m; l++) s += e.vectors[i * m + l] * Math.sqrt(Math.max(0, e.values[l])) * e.vectors[j * m + l];
      return s;
    }),
  );
}

/**
 * Reduced population GD from `init` (module comment) until the end of phase 1. `init.Q` is the Gram
 * matrix of the orthogonal parts at initialisation (init.scale^2 I at large d), `init.M` the overlaps
 * (0 at large d).
 */
export function populationPhaseOne(target: MultiIndexTarget, noise: number, activation: Activation, loss: NNLoss, init: PhaseOnePoint, opts: PopulationPhaseOneOptions): PopulationPhaseOne {
  const routine = 'populationPhaseOne';
  const k = target.k;
  const m = init.a.length;
  if (m < 1 || init.M.length !== m || init.M.some((r) => r.length !== k) || init.Q.length !== m || init.Q.some((r) => r.length !== m)) {
    throw new NumericsError(routine, `init must have M (m x k = ${m} x ${k}), Q (m x m), a (m), got M ${JSON.stringify(init.M)}, Q ${JSON.stringify(init.Q)}`);
  }
  if (!(opts.eta > 0) || !Number.isFinite(opts.eta)) throw new NumericsError(routine, `eta must be a finite number > 0, got ${opts.eta}`);
  if (!Number.isFinite(noise) || noise < 0) throw new NumericsError(routine, `noise must be a finite number >= 0, got ${noise}`);
  const mode = opts.mode ?? 'gd';
  const sub = mode === 'flow' ? (opts.flowSubsteps ?? 10) : 1;
  if (!Number.isInteger(sub) || sub < 1) throw new NumericsError(routine, `flowSubsteps must be a positive integer, got ${opts.flowSubsteps}`);
  const h = opts.eta / sub;
  const maxSteps = opts.maxSteps ?? 100000;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new NumericsError(routine, `maxSteps must be a positive integer, got ${maxSteps}`);
  const lambda = opts.weightDecay ?? 0;
  const trainA = opts.trainA ?? false;
  const bias = opts.bias ?? false;
  const tolPlateau = opts.plateauTolerance ?? 0.1;
  const drop = opts.gradientDrop ?? 0.01;

  // the rule over (z (k), u (m), e (noise))
  const used = k + m + (noise > 0 ? 1 : 0);
  const dim = k + m + 1;
  const method = opts.method ?? 'auto';
  if (!['auto', 'quadrature', 'monte-carlo'].includes(method)) throw new NumericsError(routine, `method must be "auto", "quadrature" or "monte-carlo", got ${JSON.stringify(method)}`);
  if (method === 'quadrature' && used > 4) throw new NumericsError(routine, `quadrature needs k + m (+ 1 with noise) <= 4, got ${used}; use method "monte-carlo"`);
  const quad = method !== 'monte-carlo' && used <= 4;
  let U: Float64Array;
  let Wt: Float64Array;
  if (quad) {
    const n1 = opts.nodes ?? (used <= 2 ? 48 : used === 3 ? 24 : 12);
    const rule = gaussHermite(n1);
    const us: number[] = [];
    const ws: number[] = [];
    const total = n1 ** used;
    for (let c = 0; c < total; c++) {
      let w = 1;
      const pt = new Array<number>(dim).fill(0);
      for (let j = 0, r = c; j < used; j++, r = Math.floor(r / n1)) {
        pt[j] = rule.nodes[r % n1];
        w *= rule.weights[r % n1];
      }
      if (w < 1e-300) continue;
      us.push(...pt);
      ws.push(w);
    }
    U = Float64Array.from(us);
    Wt = Float64Array.from(ws);
  } else {
    const S = opts.samples ?? 20000;
    if (!Number.isInteger(S) || S < 100) throw new NumericsError(routine, `samples must be an integer >= 100, got ${S}`);
    U = new Float64Array(S * dim);
    const kk = foldIn(opts.key ?? rootKey(0), 'phase-one');
    fillNormalPortable(kk[0], kk[1], U, 0, 0, 1);
    Wt = new Float64Array(S).fill(1 / S);
  }
  const S = Wt.length;
  // fixed per-point data: the labels
  const Y = new Float64Array(S);
  const sd = Math.sqrt(noise);
  const zb = new Float64Array(k);
  for (let s = 0; s < S; s++) {
    for (let i = 0; i < k; i++) zb[i] = U[s * dim + i];
    Y[s] = target.g(zb) + (noise > 0 ? sd * U[s * dim + k + m] : 0);
    if (!Number.isFinite(Y[s])) throw new NumericsError(routine, `label not finite at point ${s}`);
  }

  const M = init.M.map((r) => r.slice());
  const N = sqrtPsd(init.Q);
  const a = init.a.slice();
  let b = init.b;
  const xi = new Float64Array(m);
  /** Population loss and gradient blocks at (M, N, a, b). */
  const evaluate = () => {
    const gM = Array.from({ length: m }, () => new Array<number>(k).fill(0));
    const gN = Array.from({ length: m }, () => new Array<number>(m).fill(0));
    const ga = new Array<number>(m).fill(0);
    let gb = 0;
    let L = 0;
    for (let s = 0; s < S; s++) {
      const o = s * dim;
      let f = b;
      for (let j = 0; j < m; j++) {
        let t = 0;
        for (let i = 0; i < k; i++) t += M[j][i] * U[o + i];
        for (let l = 0; l < m; l++) t += N[j][l] * U[o + k + l];
        xi[j] = t;
        f += a[j] * activation.value(t);
      }
      const w = Wt[s];
      const [l1] = lossDerivatives(loss, Y[s], f);
      L += w * lossValue(loss, Y[s], f);
      gb += w * l1;
      for (let j = 0; j < m; j++) {
        const c = w * l1 * a[j] * activation.derivative(xi[j]);
        for (let i = 0; i < k; i++) gM[j][i] += c * U[o + i];
        for (let l = 0; l < m; l++) gN[j][l] += c * U[o + k + l];
        ga[j] += w * l1 * activation.value(xi[j]);
      }
    }
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < k; i++) gM[j][i] += lambda * M[j][i];
      for (let l = 0; l < m; l++) gN[j][l] += lambda * N[j][l];
      ga[j] += lambda * a[j];
    }
    let g2 = 0;
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < k; i++) g2 += gM[j][i] ** 2;
      for (let l = 0; l < m; l++) g2 += gN[j][l] ** 2;
      if (trainA) g2 += ga[j] ** 2;
    }
    if (bias) g2 += gb * gb;
    return { L, gM, gN, ga, gb, gradNorm: Math.sqrt(g2) };
  };
  const gram = (): number[][] => Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => N[i].reduce((s, v, l) => s + v * N[j][l], 0)));
  const state = (step: number, L: number, g: number): PopulationState => ({ step, time: step * opts.eta, loss: L, gradNorm: g, M: M.map((r) => r.slice()), Q: gram(), a: a.slice(), b });

  const recordAt = logSpaced(maxSteps, opts.record ?? 40);
  const trajectory: PopulationState[] = [];
  const norms: number[] = [];
  let cur = evaluate();
  let endStep = -1;
  let criterion: PopulationPhaseOne['criterion'] = null;
  for (let t = 0; ; t++) {
    const g = cur.gradNorm;
    if (!Number.isFinite(g) || !Number.isFinite(cur.L)) throw new NumericsError(routine, `population gradient is not finite at step ${t} (diverged: lower eta)`);
    norms.push(g);
    if (t >= POPULATION_PHASE1_MIN_STEPS) {
      const slope = Math.abs(Math.log(g) - Math.log(norms[Math.floor(t / 2)])) / Math.LN2;
      if (g <= drop * norms[0]) criterion = 'gradient-drop';
      else if (slope <= tolPlateau) criterion = 'plateau';
      // g = 0 exactly (a stationary start): ln 0 - ln 0 is NaN; the drop test above catches g_0 > 0
      else if (g === 0) criterion = 'gradient-drop';
    }
    if (recordAt.has(t) || criterion || t >= maxSteps) trajectory.push(state(t, cur.L, g));
    if (criterion) {
      endStep = t;
      break;
    }
    if (t >= maxSteps) break;
    for (let r = 0; r < sub; r++) {
      if (r > 0) cur = evaluate();
      for (let j = 0; j < m; j++) {
        for (let i = 0; i < k; i++) M[j][i] -= h * cur.gM[j][i];
        for (let l = 0; l < m; l++) N[j][l] -= h * cur.gN[j][l];
        if (trainA) a[j] -= h * cur.ga[j];
      }
      if (bias) b -= h * cur.gb;
    }
    cur = evaluate();
  }
  const last = trajectory[trajectory.length - 1];
  const MtM = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let r = 0; r < m; r++) MtM[i * k + j] += M[r][i] * M[r][j];
  const sv = Array.from(symmetricEigen(MtM, k).values, (v) => Math.sqrt(Math.max(0, v))).reverse();
  return {
    point: { M: last.M, Q: last.Q, a: last.a, b: last.b },
    detected: endStep >= 0,
    step: last.step,
    time: last.time,
    gradNorm: last.gradNorm,
    criterion,
    singularValuesM: sv,
    trajectory,
    method: quad ? 'quadrature' : 'monte-carlo',
    points: S,
  };
}
