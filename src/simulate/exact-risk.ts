/**
 * The exact population risk of a two-layer readout predictor against a single-index target, for Gaussian
 * inputs x ~ N(0, I_d), without a test set:
 *   R = E_x (f*(x) - f_hat(x))^2 = E f*^2 - 2 E[f* f_hat] + E f_hat^2,
 *   f_hat(x) = (1/sqrt N) sum_i a_i sigma(<w_i, x>) + b,   f*(x) = sigma_star(<beta*, x>),  |beta*| = 1.
 *
 * Route "mehler" (issue 3, "What a run computes" item 3): u_i = <w_i, x> ~ N(0, s_i^2), s_i = |w_i|, with
 * correlations rho_ij = <w_i, w_j> / (s_i s_j) (one syrk). Mehler's formula (Mehler 1866; O'Donnell 2014,
 * section 11.2) with the coefficients of the scaled activations sigma_{s}(z) = sigma(s z):
 *   E sigma(u_i) sigma(u_j) = sum_k mu_k(sigma_{s_i}) mu_k(sigma_{s_j}) rho_ij^k   (i != j),
 * the diagonal exactly (E sigma(s_i z)^2), and E sigma_star(<beta*, x>) sigma(u_i) likewise with
 * rho_i* = <w_i, beta*> / s_i. The k-sums are quadratic forms sum_{i != j} v_i^(k) v_j^(k) (rho^{o k})_ij,
 * v^(k) = a o mu_k, accumulated over k with one running Hadamard power: O(N^2 d) for the syrk plus
 * O(K N^2) for the sums, 3 N^2 doubles of memory.
 *
 * Route "conditional" (for strongly correlated neurons, e.g. after a large step where every neuron shares
 * the spike direction): with v the top left singular vector of W and zeta = <v, x> ~ N(0, 1),
 * <w_i, x> = alpha_i zeta + t_i z_i with alpha_i = <v, w_i>, t_i = |w_i - alpha_i v| and z_i standard
 * Gaussians independent of zeta with correlations rho_perp_ij = <w_i^perp, w_j^perp> / (t_i t_j), which are
 * O(1/sqrt d) once the shared direction is removed. Conditionally on zeta Mehler's formula applies with
 * the coefficients of the SHIFTED and scaled activations z -> sigma(alpha_i zeta + t_i z) (likewise the
 * target, beta* = b_v v + t* e, z* = <e, x>), and the zeta-integral is a 1-D Gaussian quadrature
 * (piecewise Gauss–Legendre). The pair sums become sum_{i != j} (U_k U_k^T)_ij (rho_perp^{o k})_ij with
 * U_k[i, p] = sqrt(omega_p) a_i mu_k(i, zeta_p): one syrk per order k.
 *
 * Truncation (reported in `truncation`, absolute, bounding the error of R): Cauchy–Schwarz on the Mehler
 * tail, |sum_{k>K} a_k b_k rho^k| <= |rho|^{K+1} sqrt(T_a T_b), T = E f^2 - sum_{k<=K} mu_k^2 (see
 * src/numerics/mehler.ts), summed over the pairs with the weights |a_i a_j| / N (and over the zeta nodes by
 * Cauchy–Schwarz), plus the estimated quadrature errors of the coefficient tables. K is chosen as the
 * smallest order whose crude bound (max |rho|) meets the tolerance. Not covered by the bound: the error of
 * the zeta quadrature (route "conditional"), which is estimated by repeating the cheap terms (diagonal,
 * order 0, target) on a rule with half the points and added to `truncation`.
 * When neither route reaches the tolerance within `maxOrder` terms, the result is ok: false with the
 * reason, and the caller falls back to Monte Carlo.
 */
import type { Activation } from '../activations/types.js';
import type { LinalgBackend } from '../linalg/backend.js';
import type { Matrix } from '../linalg/matrix.js';
import { zeros } from '../linalg/matrix.js';
import { topSingular } from '../linalg/top-singular.js';
import { piecewiseGaussianRule } from '../numerics/gaussianQuadrature.js';
import { gaussHermite } from '../numerics/gaussHermite.js';
import { gaussianMoments, type GaussianMomentsResult } from './exact-risk/gaussian-moments.js';

export interface ReadoutPredictor {
  /** d x N, columns w_i. */
  W: Matrix<Float64Array>;
  /** f(x) = (1/sqrt N) sum_i a_i sigma(<w_i, x>) + b */
  a: Float64Array;
  b: number;
  activation: Activation;
}

export interface SingleIndexTarget {
  /** unit, length d */
  betaStar: Float64Array;
  link: Activation;
}

export type ExactRiskResult =
  | {
      ok: true;
      risk: number;
      method: string;
      /** Bound on the absolute error from truncating the Mehler series plus the estimated quadrature errors. */
      truncation?: number;
      warnings: string[];
      /** E f*^2, E f* f_hat, E f_hat^2 (their combination is `risk`). */
      terms?: { targetSecondMoment: number; cross: number; predictorSecondMoment: number };
      /** Mehler orders used (pairs of neurons, neuron-target). */
      orders?: { pairs: number; target: number };
    }
  | { ok: false; reason: string };

export interface ExactRiskOptions {
  /** 'auto' (default): "mehler" when its series converges within maxOrder terms, else "conditional". */
  method?: 'auto' | 'mehler' | 'conditional';
  /** Target truncation error relative to E f*^2 + (sum_i |a_i| |sigma(u_i)|_2)^2 / N + b^2 (default 1e-9). */
  tolerance?: number;
  /** Largest Mehler order for the neuron pairs (default 150 for "mehler", 40 for "conditional"). */
  maxOrder?: number;
  /** Largest Mehler order for the neuron-target terms (default 400). */
  maxTargetOrder?: number;
  /**
   * Gauss–Legendre points per panel of the zeta rule of route "conditional". Default: automatic — the cheap
   * terms (diagonal, order 0, target) on 6, 8, 12, 16, 24, 32 points per panel until two successive rules
   * agree to max(tolerance, 1e-8) relative; their difference is added to `truncation` as the zeta error.
   */
  zetaPoints?: number;
}

const ZETA_HALF_WIDTH = 10;
/** Largest working memory the exact risk allocates before refusing (bytes). */
const MAX_BYTES = 4e9;

/** E_x (f*(x) - f_hat(x))^2 for x ~ N(0, I_d) (see the module comment). */
export function exactRisk(pred: ReadoutPredictor, target: SingleIndexTarget, backend: LinalgBackend, opts: ExactRiskOptions = {}): ExactRiskResult {
  const { W, a, b } = pred;
  const d = W.rows;
  const N = W.cols;
  validate(pred, target, opts);
  const tolerance = opts.tolerance ?? 1e-9;
  const method = opts.method ?? 'auto';
  const warnings: string[] = [];

  // memory: the Gram/correlation matrix, and in route "conditional" two more N x N matrices
  const bytes = 8 * 3 * N * N;
  if (bytes > MAX_BYTES) {
    return { ok: false, reason: `the exact risk needs about ${(bytes / 1e9).toFixed(1)} GB (three ${N} x ${N} float64 matrices), more than ${MAX_BYTES / 1e9} GB; use Monte Carlo` };
  }

  // Gram matrix of the neurons and their overlaps with beta*
  const G = zeros(N, N);
  backend.syrk(true, 1, W, 0, G);
  const cw = new Float64Array(N);
  backend.gemv(true, 1, W, target.betaStar, 0, cw);
  const s = new Float64Array(N);
  for (let i = 0; i < N; i++) s[i] = Math.sqrt(Math.max(G.data[i * N + i], 0));

  // scale of the risk terms, for the relative tolerance
  const m0 = gaussianMoments(pred.activation, new Float64Array(N), s, method === 'conditional' ? 0 : opts.maxOrder ?? 150, backend);
  if (!m0.ok) return { ok: false, reason: m0.reason };
  const tStar = gaussianMoments(target.link, new Float64Array(1), new Float64Array([1]), 0, backend);
  if (!tStar.ok) return { ok: false, reason: tStar.reason };
  const targetSecondMoment = tStar.m2[0];
  let A1 = 0; // sum_i |a_i| sqrt(E sigma(u_i)^2)
  for (let i = 0; i < N; i++) A1 += Math.abs(a[i]) * Math.sqrt(m0.m2[i]);
  const scale = targetSecondMoment + (A1 * A1) / N + b * b;
  const tolAbs = tolerance * Math.max(scale, Number.MIN_VALUE);
  const maxOrderMehler = opts.maxOrder ?? 150;
  const maxOrderCond = opts.maxOrder ?? 40;

  if (method !== 'conditional') {
    const R = correlationsInPlace(G, s, null);
    // order from the actual Mehler tails T_i(K) = E sigma(u_i)^2 - sum_{k<=K} mu_k^2 (exactly 0 beyond the
    // degree of a polynomial activation): smallest K with max|rho|^{K+1} (sum_i |a_i| sqrt(T_i(K)))^2 / N <= tol/2
    const K = orderFromTails(R.max, a, m0, maxOrderMehler, tolAbs / 2);
    if (K <= maxOrderMehler || method === 'mehler') {
      if (K > maxOrderMehler) return { ok: false, reason: `method "mehler": max |rho_ij| = ${R.max.toPrecision(4)} needs Mehler order ${K} > maxOrder = ${maxOrderMehler}` };
      const rhoStar = new Float64Array(N);
      for (let i = 0; i < N; i++) rhoStar[i] = s[i] > 0 ? clampUnit(cw[i] / s[i]) : 0;
      const targetOrder = targetOrderFromTails(rhoStar, a, m0, target.link, backend, tolAbs / 8);
      return evaluate({ pred, target, backend, Rm: G, rho: R, rhoStar, alpha: null, t: s, bv: 0, tStarPerp: 1, K, tolAbs, zetaPoints: 0, zetaTol: tolAbs, targetSecondMoment, A1, warnings, maxTargetOrder: opts.maxTargetOrder ?? 400, targetOrder, label: 'mehler' });
    }
    // G was overwritten by the correlations: rebuild it for the conditional route
    backend.syrk(true, 1, W, 0, G);
  }

  // route "conditional": condition on the top left singular vector of W
  const top = topSingular(W, 1, backend, { vectors: 'left' });
  const v = new Float64Array(d);
  const U = top.U as Matrix<Float64Array>;
  for (let r = 0; r < d; r++) v[r] = U.data[r];
  const alpha = new Float64Array(N);
  backend.gemv(true, 1, W, v, 0, alpha);
  let bv = 0;
  for (let r = 0; r < d; r++) bv += v[r] * target.betaStar[r];
  bv = clampUnit(bv);
  const tStarPerp = Math.sqrt(Math.max(0, 1 - bv * bv));
  const t = new Float64Array(N);
  for (let i = 0; i < N; i++) t[i] = Math.sqrt(Math.max(0, G.data[i * N + i] - alpha[i] * alpha[i]));
  const R = correlationsInPlace(G, t, alpha);
  const rhoStar = new Float64Array(N);
  for (let i = 0; i < N; i++) rhoStar[i] = t[i] > 0 && tStarPerp > 1e-12 ? clampUnit((cw[i] - alpha[i] * bv) / (t[i] * tStarPerp)) : 0;
  const K = orderFor(R.max, (A1 * A1) / N, tolAbs / 2);
  if (K > maxOrderCond) {
    return {
      ok: false,
      reason: `neurons too strongly correlated for the exact risk: after conditioning on the top singular direction, max |rho_perp_ij| = ${R.max.toPrecision(4)} needs Mehler order ${K} > maxOrder = ${maxOrderCond}; use Monte Carlo`,
    };
  }
  return evaluate({ pred, target, backend, Rm: G, rho: R, rhoStar, alpha, t, bv, tStarPerp, K, tolAbs, zetaPoints: opts.zetaPoints ?? -1, zetaTol: Math.max(tolAbs, 1e-8 * scale), targetSecondMoment, A1, warnings, maxTargetOrder: opts.maxTargetOrder ?? 400, label: 'conditional' });
}

function validate(pred: ReadoutPredictor, target: SingleIndexTarget, opts: ExactRiskOptions): void {
  const { W, a, b } = pred;
  if (!(W.data instanceof Float64Array)) throw new RangeError('exactRisk: pred.W must be a float64 matrix');
  if (W.rows < 1 || W.cols < 1) throw new RangeError(`exactRisk: pred.W must be non-empty, got ${W.rows} x ${W.cols}`);
  if (a.length !== W.cols) throw new RangeError(`exactRisk: pred.a has length ${a.length}, expected N = W.cols = ${W.cols}`);
  if (!Number.isFinite(b)) throw new RangeError(`exactRisk: pred.b must be finite, got ${b}`);
  if (target.betaStar.length !== W.rows) throw new RangeError(`exactRisk: target.betaStar has length ${target.betaStar.length}, expected d = W.rows = ${W.rows}`);
  let nb = 0;
  for (const x of target.betaStar) nb += x * x;
  if (!(Math.abs(Math.sqrt(nb) - 1) <= 1e-8)) throw new RangeError(`exactRisk: target.betaStar must be a unit vector, got norm ${Math.sqrt(nb)}`);
  for (let i = 0; i < W.data.length; i++) if (!Number.isFinite(W.data[i])) throw new RangeError(`exactRisk: pred.W has a non-finite entry ${W.data[i]} at (${Math.floor(i / W.cols)}, ${i % W.cols})`);
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw new RangeError(`exactRisk: pred.a[${i}] is ${a[i]}`);
  if (opts.method !== undefined && !['auto', 'mehler', 'conditional'].includes(opts.method)) {
    throw new RangeError(`exactRisk: method: expected one of "auto" | "mehler" | "conditional", got ${JSON.stringify(opts.method)}`);
  }
  if (opts.tolerance !== undefined && !(opts.tolerance > 0)) throw new RangeError(`exactRisk: tolerance must be > 0, got ${opts.tolerance}`);
  for (const key of ['maxOrder', 'maxTargetOrder', 'zetaPoints'] as const) {
    const v = opts[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= (key === 'zetaPoints' ? 1 : 0))) throw new RangeError(`exactRisk: ${key} must be a non-negative integer, got ${v}`);
  }
}

function clampUnit(x: number): number {
  return Math.min(1, Math.max(-1, x));
}

/**
 * Overwrites the strict lower triangle of the Gram matrix G (N x N) with the correlations
 * (G_ij - alpha_i alpha_j) / (t_i t_j), i > j (0 where t_i t_j = 0); the rest of G is left as it was.
 */
function correlationsInPlace(G: Matrix<Float64Array>, t: Float64Array, alpha: Float64Array | null): { max: number } {
  const N = G.rows;
  const g = G.data;
  let max = 0;
  for (let i = 0; i < N; i++) {
    const ti = t[i];
    const ai = alpha ? alpha[i] : 0;
    const row = i * N;
    for (let j = 0; j < i; j++) {
      if (ti === 0 || t[j] === 0) {
        g[row + j] = 0;
        continue;
      }
      const r = clampUnit((g[row + j] - ai * (alpha ? alpha[j] : 0)) / (ti * t[j]));
      g[row + j] = r;
      const ar = Math.abs(r);
      if (ar > max) max = ar;
    }
  }
  return { max };
}

/** Smallest K <= Kmax with rhoMax^{K+1} (sum_i |a_i| sqrt(T_i(K)))^2 / N <= tol, else Kmax + 1. */
function orderFromTails(rhoMax: number, a: Float64Array, m: Extract<GaussianMomentsResult, { ok: true }>, Kmax: number, tol: number): number {
  const N = a.length;
  const width = m.K + 1;
  const tails = Float64Array.from(m.m2);
  let p = rhoMax;
  for (let K = 0; K <= Math.min(Kmax, m.K); K++) {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const c = m.coef[i * width + K];
      tails[i] -= c * c;
      s += Math.abs(a[i]) * Math.sqrt(Math.max(tails[i], 4e-16 * m.m2[i], 0));
    }
    if ((p * s * s) / N <= tol) return K;
    p *= rhoMax;
  }
  return Kmax + 1;
}

/**
 * Route "mehler": the smallest order K <= m.K of the target terms whose tail bound
 * sum_i |a_i| |rho_i*|^{K+1} sqrt(T*(K) T_i(K)) / sqrt(N) meets tol (exact for polynomial links or
 * activations, and valid for |rho_i*| = 1), or undefined when none does (then the crude rule applies).
 */
function targetOrderFromTails(rhoStar: Float64Array, a: Float64Array, m: Extract<GaussianMomentsResult, { ok: true }>, link: Activation, backend: LinalgBackend, tol: number): number | undefined {
  const tgt = gaussianMoments(link, new Float64Array(1), new Float64Array([1]), m.K, backend);
  if (!tgt.ok) return undefined;
  const N = a.length;
  const width = m.K + 1;
  const tails = Float64Array.from(m.m2);
  const pw = Float64Array.from(rhoStar, (r) => Math.abs(r));
  let tailT = tgt.m2[0];
  for (let K = 0; K <= m.K; K++) {
    tailT -= tgt.coef[K] * tgt.coef[K];
    const tT = Math.max(tailT, 4e-16 * tgt.m2[0], 0);
    let s = 0;
    for (let i = 0; i < N; i++) {
      const c = m.coef[i * width + K];
      tails[i] -= c * c;
      s += Math.abs(a[i]) * pw[i] * Math.sqrt(Math.max(tails[i], 4e-16 * m.m2[i], 0) * tT);
      pw[i] *= Math.abs(rhoStar[i]);
    }
    if (s / Math.sqrt(N) <= tol) return K;
  }
  return undefined;
}

/** Smallest K with rhoMax^{K+1} * weight <= tol (0 when rhoMax = 0; Infinity-safe). */
function orderFor(rhoMax: number, weight: number, tol: number): number {
  if (rhoMax === 0 || weight <= tol) return 0;
  if (rhoMax >= 1) return Number.MAX_SAFE_INTEGER;
  return Math.max(0, Math.ceil(Math.log(tol / weight) / Math.log(rhoMax)) - 1);
}

interface EvaluateInput {
  pred: ReadoutPredictor;
  target: SingleIndexTarget;
  backend: LinalgBackend;
  /** correlations (route mehler) or conditional correlations, N x N, zero diagonal */
  Rm: Matrix<Float64Array>;
  rho: { max: number };
  rhoStar: Float64Array;
  alpha: Float64Array | null;
  t: Float64Array;
  bv: number;
  tStarPerp: number;
  K: number;
  tolAbs: number;
  /** 0: no conditioning (one node); > 0: fixed points per panel; -1: automatic (4, 8, 16, 32). */
  zetaPoints: number;
  /** Accepted change of the cheap terms between successive zeta rules (automatic choice). */
  zetaTol: number;
  targetSecondMoment: number;
  /** sum_i |a_i| sqrt(E sigma(<w_i, x>)^2) */
  A1: number;
  warnings: string[];
  maxTargetOrder: number;
  /** Order of the target terms when already known (route "mehler", from the coefficient tails). */
  targetOrder?: number;
  label: string;
}

interface ZetaRule {
  nodes: number[];
  weights: number[];
}

/**
 * The rule for zeta ~ N(0, 1): one node at 0 (no conditioning), Gauss–Hermite of order n ('hermite', nodes
 * with weight < 1e-25 dropped) or the piecewise Gauss–Legendre rule with m points per panel ('piecewise',
 * nodes |zeta| <= 10 kept: phi(10) ~ 8e-23).
 */
function zetaRule(points: number, kind: 'hermite' | 'piecewise' = 'piecewise'): ZetaRule {
  if (points === 0) return { nodes: [0], weights: [1] };
  const rule = kind === 'hermite' ? gaussHermite(points) : piecewiseGaussianRule(points);
  const nodes: number[] = [];
  const weights: number[] = [];
  rule.nodes.forEach((z, q) => {
    if (kind === 'hermite' ? rule.weights[q] >= 1e-25 : Math.abs(z) <= ZETA_HALF_WIDTH) {
      nodes.push(z);
      weights.push(rule.weights[q]);
    }
  });
  return { nodes, weights };
}

/** Per-node coefficient tables and the cheap terms (diagonal, order-0 pair term, target cross term). */
interface NodeTerms {
  /** rows (p, i) -> coefficients 0..K (pairs only), row-major np*N x (K+1). */
  coef: Float64Array;
  /** Mehler tails of the pairs' coefficients at order K: T_ip. */
  tail: Float64Array;
  diag: number;
  /** sum_p omega_p (sum_i a_i mu_0(i, p))^2 (includes i = j). */
  order0: number;
  /** sum_p omega_p sum_i a_i mu_0(i, p) (for the intercept term). */
  mean: number;
  /** sum_p omega_p sum_i a_i sum_k mu*_k(p) mu_k(i, p) rho*_i^k */
  cross: number;
  crossBound: number;
  quadratureError: number;
  targetOrder: number;
}

function nodeTerms(inp: EvaluateInput, rule: ZetaRule, K: number, keepCoefficients: boolean): NodeTerms | { ok: false; reason: string } {
  const { pred, target, backend, alpha, t, bv, tStarPerp, rhoStar, tolAbs } = inp;
  const N = t.length;
  const a = pred.a;
  const np = rule.nodes.length;
  // target coefficients at each node: z* -> sigma_star(bv zeta + tStarPerp z*)
  const shiftsT = new Float64Array(np);
  const scalesT = new Float64Array(np).fill(tStarPerp);
  rule.nodes.forEach((z, p) => (shiftsT[p] = bv * z));
  let rsMax = 0;
  for (let i = 0; i < N; i++) rsMax = Math.max(rsMax, Math.abs(rhoStar[i]));
  // order of the target terms: by Cauchy–Schwarz over the nodes, the tail is at most
  // rsMax^{Kt+1} sqrt(E sigma*^2) sum_i |a_i| sqrt(E sigma(u_i)^2) / sqrt(N); it gets an eighth of the budget
  const Kt = inp.targetOrder ?? orderFor(rsMax, (Math.sqrt(inp.targetSecondMoment) * inp.A1) / Math.sqrt(N), tolAbs / 8);
  if (Kt > inp.maxTargetOrder) {
    return { ok: false, reason: `max |rho_i*| = ${rsMax.toPrecision(4)} needs Mehler order ${Kt} > maxTargetOrder = ${inp.maxTargetOrder} for the target term` };
  }
  const width = K + 1;
  const coef = keepCoefficients ? new Float64Array(np * N * width) : new Float64Array(0);
  const tail = new Float64Array(np * N);
  let diag = 0;
  let order0 = 0;
  let mean = 0;
  let cross = 0;
  let crossBound = 0;
  let quadratureError = 0;
  const tgt = gaussianMoments(target.link, shiftsT, scalesT, Kt, backend);
  if (!tgt.ok) return tgt;
  quadratureError = Math.max(quadratureError, tgt.quadratureError);
  const Kc = Math.max(K, Kt);
  const wc = Kc + 1;
  const rowsPerChunk = Math.max(1, Math.floor(4_000_000 / (N * wc)));
  for (let p0 = 0; p0 < np; p0 += rowsPerChunk) {
    const P = Math.min(rowsPerChunk, np - p0);
    const mom: GaussianMomentsResult = gaussianMoments(pred.activation, shiftsFor(alpha, rule.nodes, p0, P, N), scalesFor(t, p0, P, N), Kc, backend);
    if (!mom.ok) return mom;
    quadratureError = Math.max(quadratureError, mom.quadratureError);
    for (let pp = 0; pp < P; pp++) {
      const p = p0 + pp;
      const w = rule.weights[p];
      const tc = tgt.coef.subarray(p * (Kt + 1), (p + 1) * (Kt + 1));
      let tTail = tgt.m2[p];
      for (let k = 0; k <= Kt; k++) tTail -= tc[k] * tc[k];
      tTail = Math.max(tTail, 4e-16 * tgt.m2[p], 0);
      let s0 = 0;
      let crossP = 0;
      let boundP = 0;
      for (let i = 0; i < N; i++) {
        const row = pp * N + i;
        const c = mom.coef.subarray(row * wc, (row + 1) * wc);
        const m2 = mom.m2[row];
        diag += w * a[i] * a[i] * m2;
        s0 += a[i] * c[0];
        // target term
        const r = rhoStar[i];
        let acc = 0;
        let pw = 1;
        let energyT = 0;
        for (let k = 0; k <= Kt; k++) {
          acc += tc[k] * c[k] * pw;
          energyT += c[k] * c[k];
          pw *= r;
        }
        crossP += a[i] * acc;
        boundP += Math.abs(a[i]) * Math.abs(pw) * Math.sqrt(tTail * Math.max(m2 - energyT, 4e-16 * m2, 0));
        // pair coefficients and tails at order K
        let energy = 0;
        for (let k = 0; k <= K; k++) energy += c[k] * c[k];
        tail[p * N + i] = Math.max(m2 - energy, 4e-16 * m2, 0);
        if (keepCoefficients) coef.set(c.subarray(0, width), (p * N + i) * width);
      }
      order0 += w * s0 * s0;
      mean += w * s0;
      cross += w * crossP;
      crossBound += w * boundP;
    }
  }
  return { coef, tail, diag, order0, mean, cross, crossBound, quadratureError, targetOrder: Kt };
}

function shiftsFor(alpha: Float64Array | null, nodes: readonly number[], p0: number, P: number, N: number): Float64Array {
  const out = new Float64Array(P * N);
  if (!alpha) return out;
  for (let pp = 0; pp < P; pp++) {
    const z = nodes[p0 + pp];
    for (let i = 0; i < N; i++) out[pp * N + i] = alpha[i] * z;
  }
  return out;
}

function scalesFor(t: Float64Array, p0: number, P: number, N: number): Float64Array {
  const out = new Float64Array(P * N);
  for (let pp = 0; pp < P; pp++) out.set(t, pp * N);
  return out;
}

function evaluate(inp: EvaluateInput): ExactRiskResult {
  const { pred, backend, Rm, K, warnings, targetSecondMoment, label } = inp;
  const N = Rm.rows;
  const a = pred.a;
  const b = pred.b;
  const sqrtN = Math.sqrt(N);
  let zetaPoints = inp.zetaPoints;
  let zetaError = 0;
  let zetaNote = '';
  const cheap = (t: NodeTerms) => t.diag / N + t.order0 / N + (2 * b * t.mean) / sqrtN - (2 * t.cross) / sqrtN;
  let terms: NodeTerms | undefined;
  let zetaKind: 'hermite' | 'piecewise' = 'piecewise';
  if (zetaPoints < 0) {
    // automatic: the piecewise rule with 6 points per panel (cheap terms only), then full passes with 8, 12,
    // 16, 24, 32 until two successive rules agree. (Gauss–Hermite in zeta was tried and converges far more
    // slowly here: measured 96 -> 192 nodes still 40x the tolerance where 6 -> 8 points per panel met it.)
    const stages: ['hermite' | 'piecewise', number, boolean][] = [
      ['piecewise', 6, false],
      ['piecewise', 8, true],
      ['piecewise', 12, true],
      ['piecewise', 16, true],
      ['piecewise', 24, true],
      ['piecewise', 32, true],
    ];
    let prev: NodeTerms | undefined;
    zetaError = Infinity;
    for (const [kind, order, full] of stages) {
      const cur = nodeTerms(inp, zetaRule(order, kind), full ? K : 0, full);
      if ('ok' in cur) return cur;
      if (prev && full) {
        zetaError = Math.abs(cheap(cur) - cheap(prev));
        terms = cur;
        zetaPoints = order;
        zetaKind = kind;
        if (zetaError <= inp.zetaTol) break;
      }
      prev = cur;
    }
    zetaNote = `, ${zetaKind === 'hermite' ? 'Gauss-Hermite' : 'piecewise'} zeta rule chosen by doubling`;
    if (zetaError > inp.zetaTol) warnings.push(`zeta quadrature: the cheap terms still changed by ${zetaError.toExponential(2)} between 24 and 32 points per panel`);
  } else if (zetaPoints > 0) {
    const half = Math.max(1, Math.floor(zetaPoints / 2));
    const coarse = nodeTerms(inp, zetaRule(half), 0, false);
    if ('ok' in coarse) return coarse;
    const full = nodeTerms(inp, zetaRule(zetaPoints), K, true);
    if ('ok' in full) return full;
    terms = full;
    zetaError = Math.abs(cheap(full) - cheap(coarse));
    if (zetaError > inp.zetaTol) warnings.push(`zeta quadrature: the cheap terms changed by ${zetaError.toExponential(2)} between ${zetaPoints} and ${half} points per panel`);
  } else {
    const full = nodeTerms(inp, zetaRule(0), K, true);
    if ('ok' in full) return full;
    terms = full;
  }
  if (terms === undefined) return { ok: false, reason: 'internal: no zeta rule was evaluated' };
  const rule = zetaRule(zetaPoints, zetaKind);
  const np = rule.nodes.length;
  const width = K + 1;

  // pair sums, orders 1..K (order 0 is in terms.order0), on the lower triangle
  const R = Rm.data;
  let pairs = terms.order0 - 0; // i = j part of order 0 removed below
  {
    // remove the diagonal of the order-0 term: sum_p omega_p sum_i a_i^2 mu_0(i,p)^2
    let d0 = 0;
    for (let p = 0; p < np; p++) {
      for (let i = 0; i < N; i++) {
        const c0 = terms.coef[(p * N + i) * width];
        d0 += rule.weights[p] * a[i] * a[i] * c0 * c0;
      }
    }
    pairs -= d0;
  }
  let pairBound = 0;
  // tau_i = sqrt(sum_p omega_p a_i^2 T_ip): Cauchy–Schwarz over the nodes for the truncation bound
  const tau = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let p = 0; p < np; p++) s += rule.weights[p] * terms.tail[p * N + i];
    tau[i] = Math.abs(a[i]) * Math.sqrt(s);
  }
  if (np === 1) {
    // one pass over the pairs i > j, Horner in rho_ij over the orders K..1, and the bound |rho|^{K+1} tau_i tau_j
    const V = new Float64Array(N * width);
    for (let i = 0; i < N; i++) for (let k = 0; k <= K; k++) V[i * width + k] = a[i] * terms.coef[i * width + k];
    let S = 0;
    for (let i = 1; i < N; i++) {
      const row = i * N;
      const vi = i * width;
      for (let j = 0; j < i; j++) {
        const r = R[row + j];
        const vj = j * width;
        let h = 0;
        for (let k = K; k >= 1; k--) h = (h + V[vi + k] * V[vj + k]) * r;
        S += h;
        const ar = Math.abs(r);
        let pw = ar;
        for (let k = 0; k < K; k++) pw *= ar;
        pairBound += pw * tau[i] * tau[j];
      }
    }
    pairs += 2 * S;
    pairBound *= 2;
  } else {
    // sum_{i != j} (U_k U_k^T)_ij rho_ij^k with U_k[i, p] = sqrt(omega_p) a_i mu_k(i, p): one syrk per order,
    // the Hadamard power kept in the lower triangle of Pw
    const Pw = new Float64Array(N * N);
    Pw.set(R);
    const M = zeros(N, N);
    const Uk = zeros(N, np);
    for (let k = 1; k <= K; k++) {
      for (let i = 0; i < N; i++) {
        for (let p = 0; p < np; p++) Uk.data[i * np + p] = Math.sqrt(rule.weights[p]) * a[i] * terms.coef[(p * N + i) * width + k];
      }
      backend.syrk(false, 1, Uk, 0, M);
      const m = M.data;
      let S = 0;
      for (let i = 1; i < N; i++) {
        const row = i * N;
        for (let j = 0; j < i; j++) S += m[row + j] * Pw[row + j];
      }
      pairs += 2 * S;
      if (k < K) {
        for (let i = 1; i < N; i++) {
          const row = i * N;
          for (let j = 0; j < i; j++) Pw[row + j] *= R[row + j];
        }
      }
    }
    for (let i = 1; i < N; i++) {
      const row = i * N;
      let acc = 0;
      for (let j = 0; j < i; j++) {
        const r = Math.abs(R[row + j]);
        acc += (K === 0 ? r : Math.abs(Pw[row + j]) * r) * tau[j];
      }
      pairBound += 2 * acc * tau[i];
    }
  }

  const predictorSecondMoment = (terms.diag + pairs) / N + (2 * b * terms.mean) / sqrtN + b * b;
  const tgt0 = gaussianMoments(inp.target.link, new Float64Array(1), new Float64Array([1]), 0, backend);
  if (!tgt0.ok) return tgt0;
  const cross = terms.cross / sqrtN + b * tgt0.coef[0];
  const risk = targetSecondMoment - 2 * cross + predictorSecondMoment;
  // coefficient errors e (absolute) move E f^2 by about 2 e A1 / sqrt(N) per order and E f* f by e sqrt(E f*^2):
  // an estimate, not a bound
  const qe = terms.quadratureError * (K + 1);
  const quadrature = 2 * qe * (inp.A1 / sqrtN) * (inp.A1 / sqrtN + Math.sqrt(targetSecondMoment));
  let truncation = pairBound / N + (2 * terms.crossBound) / sqrtN + quadrature;

  truncation += zetaError;
  if (!Number.isFinite(risk)) return { ok: false, reason: `the exact risk came out non-finite (${risk}); terms: E f*^2 = ${targetSecondMoment}, E f* f = ${cross}, E f^2 = ${predictorSecondMoment}` };
  if (truncation > 1e3 * inp.tolAbs) warnings.push(`truncation bound ${truncation.toExponential(2)} exceeds the tolerance ${inp.tolAbs.toExponential(2)}`);
  return {
    ok: true,
    risk,
    method: label === 'mehler' ? `mehler (order ${K}, target order ${terms.targetOrder})` : `conditional on the top singular direction (order ${K}, target order ${terms.targetOrder}, ${np} zeta nodes${zetaNote})`,
    truncation,
    warnings,
    terms: { targetSecondMoment, cross, predictorSecondMoment },
    orders: { pairs: K, target: terms.targetOrder },
  };
}
