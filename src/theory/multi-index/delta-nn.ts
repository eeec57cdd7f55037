/**
 * delta_NN: the Hessian transition at the end of phase 1 (multi-index.md section 5). OUR RECONSTRUCTION
 * (the paper, Montanari & Wang 2026, arXiv 2602.01434, was not available): *verify* against simulation.
 *
 * Setting. The network f(x) = sum_j a_j sigma(<w_j, x>) + b sits at a phase-1 point: its first layer has
 * overlaps M = W Theta* (m x k) with the latent directions, and orthogonal parts with Gram matrix
 * Q = W W^T - M M^T (m x m) in random directions independent of the data (true at initialisation and at
 * population stationary points; NOT for a first layer that has over-fitted the n = delta d samples). The
 * learned latent subspace is the row space of M (singular values above `learnedTol`); g = U^T z are the
 * coordinates of z along the unlearned directions U (k x k_u).
 *
 * Hessian for perturbations V (m x d) orthogonal to span(W) and the learned directions:
 *   H = (1/n) sum_i A_i ⊗ x_i x_i^T,   A_i = l''(y_i, f_i) u_i u_i^T + l'(y_i, f_i) diag(a ∘ sigma''(xi_i)) + lambda_wd I,
 * u_i = a ∘ sigma'(xi_i), xi_i = W x_i = M z_i + h_i, h_i ~ N(0, Q) independent of (z_i, y_i); l', l'' are the
 * derivatives of the loss in f. A depends on (y, xi), not on g.
 * Bulk (deterministic equivalent of (H - l)^{-1} = R(l) ⊗ I_d, leave-one-out / Silverstein-type argument
 * with matrix weights): R = ( E[ Q_l ] - l I )^{-1},  Q_l = (A^{-1} + R/delta)^{-1} = (I + A R/delta)^{-1} A.
 * For l below the spectrum R is positive definite, R ~ -I/l as l -> -inf, and the branch ends (a fold,
 * R ~ R_e - c sqrt(l_e - l)) at the lower bulk edge l_e.
 * Outlier below the bulk: det( E[ (g g^T) ⊗ Q_l ] - l I ) = 0 (the Schur complement along the unlearned
 * directions with the same deterministic equivalent); squared overlap of its eigenvector with U ⊗ R^m:
 * 1 / (-u^T M'(l) u) for the unit null vector u of M(l) = E[(g g^T) ⊗ Q_l] - l I.
 * For m = 1 with r = -delta/lambda and Z = -A these are exactly section 4's psi(lambda) (bulk) and
 * phi(lambda) = psi(lambda) (outlier) for the largest eigenvalue of -H: spectral.ts is the m = 1 check.
 * delta_NN = the delta where the lowest outlier merges with the bulk edge: an outlier exists iff
 * lambda_min(M(l_e)) < 0 (M(l) ~ -l I > 0 as l -> -inf); bisection on delta over a log-spaced bracket.
 *
 * Unbounded weights: when the top eigenvalue of -A is unbounded (square loss with unbounded labels and
 * sigma'' != 0: l' = f - y grows with y), the bottom of H follows the largest labels and there is no
 * transition as d -> infinity (as for unbounded T in section 4): reported, never a number. Detected by
 * evaluating A along the sample directions at radius 8 and 16 in the standardised (z, h, noise) space.
 *
 * Positive semi-definite weights: when A(y, xi) >= 0 at every sample point (sigma'' = 0 almost everywhere,
 * e.g. relu, with a convex loss, so A = l'' u u^T + weight decay), H >= 0: no eigenvalue can leave the
 * bulk downward, and deltaNN reports "psd-weights" (no transition). The empirical Hessian of a relu network
 * has exactly this form (its loss is piecewise quadratic in W; the Dirac mass of relu'' at 0 is met by no
 * sample), so this is the finite-n statement, not an approximation. Its bulk can then reach 0 (rank
 * deficiency, delta P(A != 0) small): the branch l(s) rises to 0 without a maximum, and bottomPrediction
 * reports the edge 0.
 *
 * Expectations are averages over S draws of (z, h, noise) from an explicit key (sample-average
 * approximation; error bars from independent replicates: laws from different keys). Cost per pass over the
 * sample: S (~2 m^3 + m^4/8) flops (E[Q] and the distinct entries of E[Q ⊗ Q] for the analytic Jacobian of the
 * fixed point); m = 2 has a closed-form, allocation-free pass (passTwo), m >= 3 a flat one by the Cholesky
 * factor of R^{-1} + A/delta (passGeneral; ~3x faster per pass at m = 3 and 4 than the R^{1/2}-based pass it
 * replaces, same Q to rounding). The bulk edge is the root of dl/ds along the branch (Brent),
 * with dl/ds from the branch tangent (implicit-function theorem with the Newton Jacobian of branchPoint, which
 * also gives the Euler predictor for the next branch point): measured for m = 2, ~3.5 passes per branch
 * point and ~20 branch points per bulk edge (the golden-section search on l that this replaces took ~55
 * branch points of ~6 passes each, and located s only to ~1e-6: l is flat at the maximum).
 *
 * Caveat (m >= 3, Monte Carlo law; not fixed): the bulk edge returned by bulkLowerEdge is not always the
 * maximum of l along the branch. At the initial point of quadratic phase retrieval (20 000 draws), m = 4,
 * delta = 0.72, the x 1.5 step from s = 0.947 lands on another solution family (l = -3.27, dl/ds = -99) that
 * onBranch accepts, Brent and the golden section between the two points fail, and s = 0.947 is returned
 * (l = -1.148, dl/ds = +0.65), while a continuation in steps x 1.01 rises to l ~ -1.095 at s ~ 1.09. The edge
 * thus jumps between s ~ 0.95-0.99 and ~1.13-1.23 (l differing by ~5%) when delta moves by 1e-3, the edge
 * margin changes sign many times over [0.807, 0.837] (m = 3) and [0.70, 0.80] (m = 4), and delta_NN depends
 * on the root-finding path: the rounding-level change of the pass (edges and margins at a fixed delta agree to
 * ~1e-13 with the old R^{1/2}-based pass, which itself moves the m = 3 edge by 3e-4 under a 6e-14 relative
 * change of delta) moved it from 0.8077 to 0.8361 (m = 3) and from 0.7861 to 0.7184 (m = 4).
 */
import { dampedFixedPoint } from '../../numerics/fixedPoint.js';
import { brent } from '../../numerics/roots.js';
import { NumericsError } from '../../numerics/errors.js';
import { fillNormalPortable } from '../../random/portable.js';
import { foldIn, rootKey, type Key } from '../../random/key.js';
import type { Activation } from '../../activations/types.js';
import type { MultiIndexTarget } from '../../models/multi-index-teacher.js';
import { gaussHermite } from '../../numerics/gaussHermite.js';
import { gaussLegendre } from '../../numerics/gaussLegendre.js';
import { inverse, solveInto, symmetricEigen } from './small-linalg.js';

/** Gauss–Legendre panels on [lo, hi] with the standard normal density in the weights. */
function panelRule(lo: number, hi: number, width: number, order: number): { nodes: number[]; weights: number[] } {
  const gl = gaussLegendre(order);
  const nodes: number[] = [];
  const weights: number[] = [];
  const np = Math.round((hi - lo) / width);
  for (let p = 0; p < np; p++) {
    const a = lo + p * width;
    for (let i = 0; i < order; i++) {
      const t = a + 0.5 * width * (1 + gl.nodes[i]);
      nodes.push(t);
      weights.push(0.5 * width * gl.weights[i] * Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI));
    }
  }
  return { nodes, weights };
}

export type NNLoss = { name: 'square' } | { name: 'huber'; delta: number } | { name: 'logcosh' };

/** The phase-1 point (module comment): overlaps M (m x k), orthogonal Gram Q (m x m), second layer a, bias b. */
export interface PhaseOnePoint {
  M: number[][];
  Q: number[][];
  a: number[];
  b: number;
}

export interface HessianLawOptions {
  /**
   * 'auto' (default): tensor quadrature when k + m (+ 1 with noise) <= 3 (Gauss–Legendre panels of width
   * 1/4 with 4 points on [-9, 9] in 2-D, Gauss–Hermite 32 per axis in 3-D), else Monte Carlo.
   */
  method?: 'auto' | 'quadrature' | 'monte-carlo';
  /** Monte Carlo draws (default 20000). */
  samples?: number;
  key?: Key;
  /** Singular values of M above this count as learned (default 0.1). */
  learnedTol?: number;
  weightDecay?: number;
}

export interface HessianLaw {
  m: number;
  /** Number of unlearned latent directions. */
  ku: number;
  S: number;
  /** Weights of the S points (sum 1). */
  w: Float64Array;
  method: 'quadrature' | 'monte-carlo';
  /** S x m x m. */
  A: Float64Array;
  /** S x ku. */
  g: Float64Array;
  /** Unlearned directions (rows, length k) and learned ones. */
  unlearned: number[][];
  learned: number[][];
  /** Top eigenvalue of -A: sup along the sample directions at radius 16, and whether it grows without bound. */
  supMinusA: number;
  unbounded: boolean;
  /** Largest spectral norm of A over the sample (scale of the spectrum). */
  normA: number;
  /**
   * A(y, xi) is positive semi-definite at every sample point and along the probe rays (to 1e-12 normA):
   * then H >= 0, nothing leaves the bulk downward and there is no transition (e.g. relu, sigma'' = 0
   * almost everywhere, with a convex loss: A = l'' u u^T + weight decay).
   */
  psd: boolean;
}

/** l'(y, f) and l''(y, f) for the losses of dynamics-config.ts (r = f - y). */
export function lossDerivatives(loss: NNLoss, y: number, f: number): [number, number] {
  const r = f - y;
  if (loss.name === 'square') return [r, 1];
  if (loss.name === 'huber') return Math.abs(r) <= loss.delta ? [r, 1] : [loss.delta * Math.sign(r), 0];
  const t = Math.tanh(r);
  return [t, 1 - t * t];
}

function secondDerivativeOf(act: Activation): (t: number) => number {
  if (act.secondDerivative) return act.secondDerivative;
  return (t) => {
    const e = 1e-5 * Math.max(1, Math.abs(t));
    return (act.derivative(t + e) - act.derivative(t - e)) / (2 * e);
  };
}

function checkPoint(point: PhaseOnePoint, k: number): number {
  const m = point.a.length;
  const bad = (what: string): never => {
    throw new NumericsError('hessianLaw', what);
  };
  if (!Array.isArray(point.a) || m < 1) bad(`phase1.a must be a non-empty array, got ${JSON.stringify(point.a)}`);
  if (!Array.isArray(point.M) || point.M.length !== m || point.M.some((r) => !Array.isArray(r) || r.length !== k)) bad(`phase1.M must be an m x k = ${m} x ${k} array (rows per neuron), got ${JSON.stringify(point.M)}`);
  if (!Array.isArray(point.Q) || point.Q.length !== m || point.Q.some((r) => !Array.isArray(r) || r.length !== m)) bad(`phase1.Q must be an m x m = ${m} x ${m} array, got ${JSON.stringify(point.Q)}`);
  for (const v of [...point.a, ...point.M.flat(), ...point.Q.flat(), point.b]) if (typeof v !== 'number' || !Number.isFinite(v)) bad(`phase1 entries must be finite numbers, got ${v}`);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (Math.abs(point.Q[i][j] - point.Q[j][i]) > 1e-10 * (1 + Math.abs(point.Q[i][j]))) bad(`phase1.Q must be symmetric, got Q[${i}][${j}] = ${point.Q[i][j]} != Q[${j}][${i}] = ${point.Q[j][i]}`);
  const eq = symmetricEigen(point.Q.flat(), m);
  if (eq.values[0] < -1e-10 * (1 + Math.abs(eq.values[m - 1]))) bad(`phase1.Q must be positive semidefinite, got smallest eigenvalue ${eq.values[0]}`);
  return m;
}

/** The law of (A, g) of the module comment, by S draws. */
export function hessianLaw(target: MultiIndexTarget, noise: number, activation: Activation, loss: NNLoss, point: PhaseOnePoint, opts: HessianLawOptions = {}): HessianLaw {
  const routine = 'hessianLaw';
  const k = target.k;
  const m = checkPoint(point, k);
  if (!Number.isFinite(noise) || noise < 0) throw new NumericsError(routine, `noise must be a finite number >= 0, got ${noise}`);
  const samples = opts.samples ?? 20000;
  if (!Number.isInteger(samples) || samples < 100) throw new NumericsError(routine, `samples must be an integer >= 100, got ${samples}`);
  const tol = opts.learnedTol ?? 0.1;
  const wd = opts.weightDecay ?? 0;
  if (!(wd >= 0)) throw new NumericsError(routine, `weightDecay must be >= 0, got ${wd}`);
  // learned / unlearned directions: eigenvectors of M^T M (k x k)
  const MtM = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let r = 0; r < m; r++) MtM[i * k + j] += point.M[r][i] * point.M[r][j];
  const em = symmetricEigen(MtM, k);
  const learned: number[][] = [];
  const unlearned: number[][] = [];
  for (let j = k - 1; j >= 0; j--) {
    const v = Array.from({ length: k }, (_, i) => em.vectors[i * k + j]);
    (em.values[j] > tol * tol ? learned : unlearned).push(v);
  }
  const ku = unlearned.length;
  // Q^{1/2}
  const eq = symmetricEigen(point.Q.flat(), m);
  const Qh = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) for (let l = 0; l < m; l++) Qh[i * m + j] += eq.vectors[i * m + l] * Math.sqrt(Math.max(0, eq.values[l])) * eq.vectors[j * m + l];
  const key = opts.key ?? rootKey(0);
  const dim = k + m + 1;
  const used = k + m + (noise > 0 ? 1 : 0);
  const method = opts.method ?? 'auto';
  if (!['auto', 'quadrature', 'monte-carlo'].includes(method)) throw new NumericsError(routine, `method must be "auto", "quadrature" or "monte-carlo", got ${JSON.stringify(method)}`);
  if (method === 'quadrature' && used > 3) throw new NumericsError(routine, `quadrature needs k + m (+ 1 with noise) <= 3, got ${used}; use method "monte-carlo"`);
  const quadrature = method !== 'monte-carlo' && used <= 3;
  let U: Float64Array;
  let W: Float64Array;
  let S: number;
  if (quadrature) {
    const rule = used <= 2 ? panelRule(-9, 9, 0.25, 4) : gaussHermite(32);
    const n1 = rule.nodes.length;
    const total = n1 ** used;
    const us: number[] = [];
    const ws: number[] = [];
    const idx = new Array<number>(used).fill(0);
    for (let c = 0; c < total; c++) {
      let w = 1;
      for (let j = 0, r = c; j < used; j++, r = Math.floor(r / n1)) {
        idx[j] = r % n1;
        w *= rule.weights[idx[j]];
      }
      if (w < 1e-18) continue;
      for (let j = 0; j < dim; j++) us.push(j < used ? rule.nodes[idx[j]] : 0);
      ws.push(w);
    }
    U = Float64Array.from(us);
    W = Float64Array.from(ws);
    const tot = W.reduce((a, b) => a + b, 0);
    for (let i = 0; i < W.length; i++) W[i] /= tot;
    S = W.length;
  } else {
    S = samples;
    U = new Float64Array(S * dim);
    const ku0 = foldIn(key, 'hessian-law');
    fillNormalPortable(ku0[0], ku0[1], U, 0, 0, 1);
    W = new Float64Array(S).fill(1 / S);
  }
  // random directions for the unboundedness probe
  const probe = 2000;
  const P = new Float64Array(probe * dim);
  const kp = foldIn(key, 'hessian-law-probe');
  fillNormalPortable(kp[0], kp[1], P, 0, 0, 1);
  if (noise === 0) for (let i = 0; i < probe; i++) P[i * dim + dim - 1] = 0;
  const sd = Math.sqrt(noise);
  const s2 = secondDerivativeOf(activation);
  const zb = new Float64Array(k);
  const xi = new Float64Array(m);
  const Abuf = new Float64Array(m * m);
  /** A at the standardised point u = (z, w, e) (h = Q^{1/2} w, noise sd * e). */
  const evalA = (u: Float64Array, out: Float64Array): void => {
    for (let i = 0; i < k; i++) zb[i] = u[i];
    const y = target.g(zb) + sd * u[k + m];
    let f = point.b;
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += point.M[j][i] * zb[i];
      for (let l = 0; l < m; l++) s += Qh[j * m + l] * u[k + l];
      xi[j] = s;
      f += point.a[j] * activation.value(s);
    }
    const [l1, l2] = lossDerivatives(loss, y, f);
    for (let i = 0; i < m; i++) {
      const ui = point.a[i] * activation.derivative(xi[i]);
      for (let j = 0; j < m; j++) out[i * m + j] = l2 * ui * point.a[j] * activation.derivative(xi[j]);
      out[i * m + i] += l1 * point.a[i] * s2(xi[i]) + wd;
    }
  };
  const A = new Float64Array(S * m * m);
  const g = new Float64Array(S * ku);
  let normA = 0;
  let supMinusASample = -Infinity;
  const negA = new Float64Array(m * m);
  for (let s = 0; s < S; s++) {
    const u = U.subarray(s * dim, (s + 1) * dim);
    const As = A.subarray(s * m * m, (s + 1) * m * m);
    evalA(u, As);
    for (let i = 0; i < m * m; i++) if (!Number.isFinite(As[i])) throw new NumericsError(routine, `A is not finite at draw ${s} (activation or loss overflow)`);
    for (let i = 0; i < m * m; i++) negA[i] = -As[i];
    supMinusASample = Math.max(supMinusASample, maxEigen(negA, m));
    for (let r = 0; r < ku; r++) {
      let t = 0;
      for (let i = 0; i < k; i++) t += unlearned[r][i] * u[i];
      g[s * ku + r] = t;
    }
    normA = Math.max(normA, spectralNorm(As, m));
  }
  // unboundedness of lambda_max(-A) along rays (module comment)
  const ray = new Float64Array(dim);
  let sup8 = -Infinity;
  let sup16 = -Infinity;
  for (let s = 0; s < probe; s++) {
    const u = P.subarray(s * dim, (s + 1) * dim);
    let nrm = 0;
    for (let i = 0; i < dim; i++) nrm += u[i] * u[i];
    nrm = Math.sqrt(nrm);
    for (const R of [8, 16]) {
      for (let i = 0; i < dim; i++) ray[i] = (u[i] * R) / nrm;
      evalA(ray, Abuf);
      for (let i = 0; i < m * m; i++) Abuf[i] = -Abuf[i];
      const top = maxEigen(Abuf, m);
      if (R === 8) sup8 = Math.max(sup8, top);
      else sup16 = Math.max(sup16, top);
    }
  }
  const unbounded = !(sup16 - sup8 <= 0.05 * (Math.abs(sup8) + 1)) || !Number.isFinite(sup16);
  const psd = Math.max(supMinusASample, sup8, sup16) <= 1e-12 * normA;
  return { m, ku, S, A, g, w: W, method: quadrature ? 'quadrature' : 'monte-carlo', unlearned, learned, supMinusA: sup16, unbounded, normA, psd };
}

function maxEigen(A: Float64Array, m: number): number {
  if (m === 1) return A[0];
  if (m === 2) {
    // closed form for the symmetric part (as symmetricEigen)
    const h = 0.5 * (A[0] - A[3]);
    const o = 0.5 * (A[1] + A[2]);
    return 0.5 * (A[0] + A[3]) + Math.hypot(h, o);
  }
  return symmetricEigen(A, m).values[m - 1];
}

function spectralNorm(A: Float64Array, m: number): number {
  if (m === 1) return Math.abs(A[0]);
  let s = 0; // Frobenius bound (cheap; a scale only)
  for (let i = 0; i < m * m; i++) s += A[i] * A[i];
  return Math.sqrt(s);
}

interface Pass {
  /** E[Q] (m x m). */
  EQ: Float64Array;
  /** E[Q_ij Q_kl] (m^4), only when asked. */
  EQQ: Float64Array | null;
  /** E[(g g^T) ⊗ Q] ((ku m) x (ku m), index (r, i) -> r m + i), only when asked (outlierMatrix without the -l I; m >= 2). */
  EggQ: Float64Array | null;
}

/**
 * m = 2: the same Q in closed form, without R^{1/2}: with S = I + R^{1/2} A R^{1/2}/delta (passGeneral),
 * I + A R/delta = R^{-1/2} S R^{1/2} has the (real)
 * eigenvalues of S, so S > 0 iff det(I + A R/delta) > 0 and tr(I + A R/delta) > 0, and
 * Q = (I + A R/delta)^{-1} A = adj(I + A R/delta) A / det (symmetrised). Flat loop over the sample with the
 * distinct products of (Q_11, Q_12, Q_22) for E[Q ⊗ Q]; R must be positive definite (else null).
 */
function passTwo(law: HessianLaw, R: Float64Array, delta: number, withQQ: boolean, withG: boolean): Pass | null {
  const r11 = R[0];
  const r12 = 0.5 * (R[1] + R[2]);
  const r22 = R[3];
  if (!(r11 > 0 && r11 * r22 - r12 * r12 > 0)) return null;
  const c = 1 / delta;
  const A = law.A;
  const w = law.w;
  const ku = law.ku;
  const g = law.g;
  const K = 2 * ku;
  const EggQ = withG ? new Float64Array(K * K) : null;
  let e11 = 0;
  let e12 = 0;
  let e22 = 0;
  let p1111 = 0;
  let p1112 = 0;
  let p1122 = 0;
  let p1212 = 0;
  let p1222 = 0;
  let p2222 = 0;
  for (let s = 0, o = 0; s < law.S; s++, o += 4) {
    const a11 = A[o];
    const a12 = A[o + 1];
    const a21 = A[o + 2];
    const a22 = A[o + 3];
    const b11 = 1 + (a11 * r11 + a12 * r12) * c;
    const b12 = (a11 * r12 + a12 * r22) * c;
    const b21 = (a21 * r11 + a22 * r12) * c;
    const b22 = 1 + (a21 * r12 + a22 * r22) * c;
    const det = b11 * b22 - b12 * b21;
    if (!(det > 0 && b11 + b22 > 0)) return null;
    const id = 1 / det;
    const q11 = (b22 * a11 - b12 * a21) * id;
    const q12 = 0.5 * (b22 * a12 - b12 * a22 + (b11 * a21 - b21 * a11)) * id;
    const q22 = (b11 * a22 - b21 * a12) * id;
    const ws = w[s];
    e11 += ws * q11;
    e12 += ws * q12;
    e22 += ws * q22;
    if (withQQ) {
      const w11 = ws * q11;
      const w12 = ws * q12;
      p1111 += w11 * q11;
      p1112 += w11 * q12;
      p1122 += w11 * q22;
      p1212 += w12 * q12;
      p1222 += w12 * q22;
      p2222 += ws * q22 * q22;
    }
    if (EggQ) {
      for (let r1 = 0; r1 < ku; r1++) for (let r2 = 0; r2 < ku; r2++) {
        const gg = ws * g[s * ku + r1] * g[s * ku + r2];
        const base = 2 * r1 * K + 2 * r2;
        EggQ[base] += gg * q11;
        EggQ[base + 1] += gg * q12;
        EggQ[base + K] += gg * q12;
        EggQ[base + K + 1] += gg * q22;
      }
    }
  }
  const EQ = Float64Array.of(e11, e12, e12, e22);
  let EQQ: Float64Array | null = null;
  if (withQQ) {
    // EQQ[a * 4 + b] = E[Q_a Q_b], a, b flat indices of (11, 12, 21, 22)
    const v = [
      [p1111, p1112, p1112, p1122],
      [p1112, p1212, p1212, p1222],
      [p1112, p1212, p1212, p1222],
      [p1122, p1222, p1222, p2222],
    ];
    EQQ = new Float64Array(16);
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) EQQ[a * 4 + b] = v[a][b];
  }
  return { EQ, EQQ, EggQ };
}

/** X <- (L L^T)^{-1} X in place, column by column (L lower triangular m x m, X m x m, row-major). */
function choleskySolveColumns(L: Float64Array, m: number, X: Float64Array): void {
  for (let col = 0; col < m; col++) {
    for (let i = 0; i < m; i++) {
      let t = X[i * m + col];
      for (let l = 0; l < i; l++) t -= L[i * m + l] * X[l * m + col];
      X[i * m + col] = t / L[i * m + i];
    }
    for (let i = m - 1; i >= 0; i--) {
      let t = X[i * m + col];
      for (let l = i + 1; l < m; l++) t -= L[l * m + i] * X[l * m + col];
      X[i * m + col] = t / L[i * m + i];
    }
  }
}

/**
 * R^{-1} of a symmetric R by Cholesky into `Ri` (full m x m), or false when R is not positive definite.
 * `L`: m x m scratch.
 */
function choleskyInverse(R: Float64Array, m: number, L: Float64Array, Ri: Float64Array): boolean {
  for (let j = 0; j < m; j++) {
    let d = R[j * m + j];
    for (let l = 0; l < j; l++) d -= L[j * m + l] * L[j * m + l];
    if (!(d > 0)) return false;
    const dj = Math.sqrt(d);
    L[j * m + j] = dj;
    for (let i = j + 1; i < m; i++) {
      let s = 0.5 * (R[i * m + j] + R[j * m + i]);
      for (let l = 0; l < j; l++) s -= L[i * m + l] * L[j * m + l];
      L[i * m + j] = s / dj;
    }
  }
  // columns of R^{-1} = L^{-T} L^{-1} e_c
  Ri.fill(0);
  for (let c = 0; c < m; c++) Ri[c * m + c] = 1;
  choleskySolveColumns(L, m, Ri);
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) Ri[i * m + j] = Ri[j * m + i] = 0.5 * (Ri[i * m + j] + Ri[j * m + i]);
  return Number.isFinite(Ri[0]);
}

/**
 * m >= 3: one flat, allocation-free loop over the sample. Q = (I + A R/delta)^{-1} A on the physical branch
 * only: S = I + R^{1/2} A R^{1/2}/delta must be positive definite (below the spectrum every leave-one-out
 * update keeps H - l positive definite, so 1 + A_i r/delta > 0 for m = 1); null when it is not at some
 * sample (a spurious branch across a pole of the sample average), or when R is not positive definite. Without
 * R^{1/2}: S = R^{1/2} B R^{1/2} with the symmetric
 * B = R^{-1} + A/delta, so S > 0 iff B > 0 (its Cholesky factor exists; checked per sample), and
 * I + A R/delta = B R, so Q = R^{-1} B^{-1} A (no cancellation as in I - S^{-1}). Per sample: B (m(m+1)/2),
 * Cholesky (m^3/6), B^{-1} A by m triangular solve pairs (m^3), the upper triangle of R^{-1} (B^{-1} A)
 * (m^2 (m+1)/2); E[Q] and E[Q ⊗ Q] accumulate only the distinct entries of the packed upper triangle
 * (p (p+1)/2 products, p = m(m+1)/2, instead of m^4), expanded to the full m^4 array once per pass.
 */
function passGeneral(law: HessianLaw, R: Float64Array, delta: number, withQQ: boolean, withG: boolean): Pass | null {
  const m = law.m;
  const m2 = m * m;
  const p = (m * (m + 1)) / 2;
  const Lr = new Float64Array(m2);
  const Ri = new Float64Array(m2);
  if (!choleskyInverse(R, m, Lr, Ri)) return null;
  const c = 1 / delta;
  const A = law.A;
  const w = law.w;
  const g = law.g;
  const ku = law.ku;
  const K = ku * m;
  const L = new Float64Array(m2);
  const X = new Float64Array(m2);
  const q = new Float64Array(p);
  const eq = new Float64Array(p);
  const pp = withQQ ? new Float64Array(p * p) : null;
  const kp = (ku * (ku + 1)) / 2;
  const egq = withG ? new Float64Array(kp * p) : null;
  for (let s = 0, o = 0; s < law.S; s++, o += m2) {
    // Cholesky of B = R^{-1} + A/delta (lower triangle of L)
    for (let j = 0; j < m; j++) {
      let d = Ri[j * m + j] + A[o + j * m + j] * c;
      for (let l = 0; l < j; l++) d -= L[j * m + l] * L[j * m + l];
      if (!(d > 0)) return null;
      const dj = Math.sqrt(d);
      L[j * m + j] = dj;
      for (let i = j + 1; i < m; i++) {
        let t = Ri[i * m + j] + 0.5 * (A[o + i * m + j] + A[o + j * m + i]) * c;
        for (let l = 0; l < j; l++) t -= L[i * m + l] * L[j * m + l];
        L[i * m + j] = t / dj;
      }
    }
    // X = B^{-1} A, column by column
    for (let t = 0; t < m * m; t++) X[t] = A[o + t];
    choleskySolveColumns(L, m, X);
    // packed upper triangle of Q = R^{-1} X
    const ws = w[s];
    for (let i = 0, r = 0; i < m; i++) {
      for (let j = i; j < m; j++, r++) {
        let t = 0;
        for (let l = 0; l < m; l++) t += Ri[i * m + l] * X[l * m + j];
        q[r] = t;
        eq[r] += ws * t;
      }
    }
    if (pp) {
      for (let a = 0; a < p; a++) {
        const wa = ws * q[a];
        for (let b = a; b < p; b++) pp[a * p + b] += wa * q[b];
      }
    }
    if (egq) {
      for (let r1 = 0, rr = 0; r1 < ku; r1++) {
        for (let r2 = r1; r2 < ku; r2++, rr++) {
          const gg = ws * g[s * ku + r1] * g[s * ku + r2];
          for (let a = 0; a < p; a++) egq[rr * p + a] += gg * q[a];
        }
      }
    }
  }
  // packed index of (i, j)
  const idx = new Int32Array(m2);
  for (let i = 0, r = 0; i < m; i++) for (let j = i; j < m; j++, r++) idx[i * m + j] = idx[j * m + i] = r;
  const EQ = new Float64Array(m2);
  for (let i = 0; i < m2; i++) EQ[i] = eq[idx[i]];
  let EQQ: Float64Array | null = null;
  if (pp) {
    EQQ = new Float64Array(m2 * m2);
    for (let a = 0; a < m2; a++) {
      for (let b = 0; b < m2; b++) {
        const x = idx[a];
        const y = idx[b];
        EQQ[a * m2 + b] = x <= y ? pp[x * p + y] : pp[y * p + x];
      }
    }
  }
  let EggQ: Float64Array | null = null;
  if (egq) {
    EggQ = new Float64Array(K * K);
    for (let r1 = 0, rr = 0; r1 < ku; r1++) {
      for (let r2 = r1; r2 < ku; r2++, rr++) {
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < m; j++) {
            const v = egq[rr * p + idx[i * m + j]];
            EggQ[(r1 * m + i) * K + r2 * m + j] = v;
            EggQ[(r2 * m + j) * K + r1 * m + i] = v;
          }
        }
      }
    }
  }
  return { EQ, EQQ, EggQ };
}

function pass(law: HessianLaw, R: Float64Array, delta: number, withQQ: boolean, withG = false): Pass | null {
  const m = law.m;
  if (m === 2) return passTwo(law, R, delta, withQQ, withG);
  if (m >= 3) return passGeneral(law, R, delta, withQQ, withG);
  const EQ = new Float64Array(1);
  const EQQ = withQQ ? new Float64Array(1) : null;
  {
    // scalar fast path (no per-point views): q = A / (1 + A r / delta) on the physical branch 1 + A r / delta > 0
    const r = R[0];
    if (!(r > 0)) return null;
    const A = law.A;
    const w = law.w;
    const c = r / delta;
    let e1 = 0;
    let e2 = 0;
    for (let s = 0; s < law.S; s++) {
      const den = 1 + A[s] * c;
      if (!(den > 0)) return null;
      const q = A[s] / den;
      e1 += w[s] * q;
      e2 += w[s] * q * q;
    }
    EQ[0] = e1;
    if (EQQ) EQQ[0] = e2;
    return { EQ, EQQ, EggQ: null };
  }
}

/** Symmetric m x m <-> vector of the upper triangle. */
function packSym(R: Float64Array, m: number): Float64Array {
  const v = new Float64Array((m * (m + 1)) / 2);
  let c = 0;
  for (let i = 0; i < m; i++) for (let j = i; j < m; j++) v[c++] = R[i * m + j];
  return v;
}
function unpackSym(v: ArrayLike<number>, m: number): Float64Array {
  const R = new Float64Array(m * m);
  let c = 0;
  for (let i = 0; i < m; i++) for (let j = i; j < m; j++) R[i * m + j] = R[j * m + i] = v[c++];
  return R;
}

export type ResolventResult =
  | { ok: true; R: Float64Array; iterations: number; residual: number }
  | { ok: false; reason: 'nan' | 'diverged' | 'max-iterations' | 'stopped' | 'singular' | 'not-positive-definite'; iterations: number; residual: number };

/**
 * R(l) below the bulk by Newton's method on G(R) = R - (E[Q(R)] - l I)^{-1}, with the analytic Jacobian
 * dG[E] = E - Phi E[Q E Q]/delta Phi (Phi = (E[Q] - l)^{-1}); the Newton map is iterated by
 * dampedFixedPoint (its status record: converged when the Newton step is below 1e-12 (1 + |R|)).
 */
export function bulkResolvent(law: HessianLaw, l: number, delta: number, warm?: Float64Array): ResolventResult {
  const m = law.m;
  const p = (m * (m + 1)) / 2;
  const R0 = warm ?? (() => {
    const R = new Float64Array(m * m);
    for (let i = 0; i < m; i++) R[i * m + i] = 1 / Math.max(1e-12, law.normA * 4 - l);
    return R;
  })();
  let failed: 'singular' | null = null;
  const newton = (x: Float64Array): Float64Array => {
    const R = unpackSym(x, m);
    const ps = pass(law, R, delta, true);
    if (!ps) {
      failed = 'singular';
      return new Float64Array(p).fill(NaN);
    }
    const B = ps.EQ.slice();
    for (let i = 0; i < m; i++) B[i * m + i] -= l;
    let Phi: Float64Array;
    try {
      Phi = inverse(B, m);
    } catch {
      failed = 'singular';
      return new Float64Array(p).fill(NaN);
    }
    const Gv = packSym(R.map((r, i) => r - Phi[i]), m);
    // Jacobian columns: basis E_(ij) symmetric
    const J = new Float64Array(p * p);
    let col = 0;
    const E = new Float64Array(m * m);
    const QEQ = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      for (let j = i; j < m; j++, col++) {
        E.fill(0);
        E[i * m + j] = 1;
        E[j * m + i] = 1;
        // E[Q E Q]_{ab} = sum_{cd} E[Q_ac Q_db] E_cd
        const EQQ = ps.EQQ!;
        for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) {
          let s = 0;
          for (let c = 0; c < m; c++) for (let d = 0; d < m; d++) if (E[c * m + d] !== 0) s += EQQ[(a * m + c) * m * m + d * m + b];
          QEQ[a * m + b] = s / delta;
        }
        // dPhi = Phi QEQ Phi (since d(E[Q]) = -E[Q E Q]/delta and dPhi = -Phi d(E[Q]) Phi)
        const T1 = new Float64Array(m * m);
        for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) {
          let s = 0;
          for (let c = 0; c < m; c++) for (let d = 0; d < m; d++) s += Phi[a * m + c] * QEQ[c * m + d] * Phi[d * m + b];
          T1[a * m + b] = E[a * m + b] - s;
        }
        const tv = packSym(T1, m);
        for (let r = 0; r < p; r++) J[r * p + col] = tv[r];
      }
    }
    let Ji: Float64Array;
    try {
      Ji = inverse(J, p);
    } catch {
      failed = 'singular';
      return new Float64Array(p).fill(NaN);
    }
    const step = new Float64Array(p);
    for (let r = 0; r < p; r++) {
      let s = 0;
      for (let c = 0; c < p; c++) s += Ji[r * p + c] * Gv[c];
      step[r] = s;
    }
    // backtrack until the new R stays on the physical branch (passGeneral, passTwo)
    for (let t = 1, h = 0; h < 12; h++, t /= 2) {
      const out = x.map((v, r) => v - t * step[r]);
      if (pass(law, unpackSym(out, m), delta, false)) return out;
    }
    failed = 'singular';
    return new Float64Array(p).fill(NaN);
  };
  const x0 = packSym(R0, m);
  let scale = 0;
  for (const v of x0) scale = Math.max(scale, Math.abs(v));
  const res = dampedFixedPoint(newton, x0, { absTol: 1e-13 * (1 + scale), relTol: 1e-12, maxIterations: 30, divergenceFactor: 1e6 });
  if (!res.ok) return { ok: false, reason: failed ?? res.reason, iterations: res.iterations, residual: res.residual };
  const R = unpackSym(res.value, m);
  const er = symmetricEigen(R, m);
  if (!(er.values[0] > 0)) return { ok: false, reason: 'not-positive-definite', iterations: res.iterations, residual: res.residual };
  // the Newton step can be tiny next to a pole of the sample average (huge Jacobian): check G(R) itself
  const ps = pass(law, R, delta, false);
  if (!ps) return { ok: false, reason: 'singular', iterations: res.iterations, residual: NaN };
  const B = ps.EQ.slice();
  for (let i = 0; i < m; i++) B[i * m + i] -= l;
  let Phi: Float64Array;
  try {
    Phi = inverse(B, m);
  } catch {
    return { ok: false, reason: 'singular', iterations: res.iterations, residual: NaN };
  }
  let g = 0;
  let nr = 0;
  for (let i = 0; i < m * m; i++) {
    g = Math.max(g, Math.abs(R[i] - Phi[i]));
    nr = Math.max(nr, Math.abs(R[i]));
  }
  if (!(g <= 1e-9 * (1 + nr))) return { ok: false, reason: 'max-iterations', iterations: res.iterations, residual: g };
  return { ok: true, R, iterations: res.iterations, residual: g };
}

/** A point of the bulk branch: R (positive definite) with tr R = m s, and its l. */
export interface BranchPoint {
  s: number;
  l: number;
  R: Float64Array;
  /**
   * The tangent of the branch at this point (m >= 2): dl/ds and dR/ds from the implicit-function theorem,
   * J (dR/ds, dl/ds) = (0, m) with the Newton Jacobian J at the solution. Absent for m = 1; dl/ds is NaN
   * when J is singular.
   */
  dlds?: number;
  dRds?: Float64Array;
}

/** Inverse of the symmetric positive-definite m x m matrix R into `out` (closed form for m = 2); false if singular. */
function inverseInto(R: Float64Array, m: number, out: Float64Array): boolean {
  if (m === 2) {
    const det = R[0] * R[3] - R[1] * R[2];
    if (!(det !== 0) || !Number.isFinite(det)) return false;
    out[0] = R[3] / det;
    out[1] = -R[1] / det;
    out[2] = -R[2] / det;
    out[3] = R[0] / det;
    return true;
  }
  try {
    out.set(inverse(R, m));
    return true;
  } catch {
    return false;
  }
}

/**
 * The bulk branch parameterised by s = tr(R)/m instead of l (regular through the fold at the edge, where
 * R(l) has a square-root singularity): Newton on (R, l) for R^{-1} = E[Q(R)] - l I, tr R = m s, with the
 * analytic Jacobian d(E[Q])[E] = -E[Q E Q]/delta, d(R^{-1})[E] = -R^{-1} E R^{-1}. Returns null when the
 * iteration leaves the physical branch or does not converge (30 iterations, |F| <= 1e-12 scale).
 * Started from `warm` by its tangent (Euler predictor R_w + (s - s_w) dR/ds, l_w + (s - s_w) dl/ds), or from
 * R_w scaled to tr R = m s when the predictor leaves the physical branch; from R = s I without `warm`. At the
 * solution it also returns the tangent (BranchPoint.dlds, dRds: one linear solve with the same Jacobian).
 */
export function branchPoint(law: HessianLaw, s: number, delta: number, warm?: BranchPoint): BranchPoint | null {
  const m = law.m;
  if (m === 1) {
    const R = Float64Array.of(s);
    const ps = pass(law, R, delta, false);
    return ps ? { s, l: ps.EQ[0] - 1 / s, R } : null;
  }
  const p = (m * (m + 1)) / 2;
  const n = p + 1;
  const m2 = m * m;
  let R: Float64Array = new Float64Array(m2);
  let l = 0;
  let ps: Pass | null = null;
  if (warm) {
    if (warm.dRds && warm.dlds !== undefined && Number.isFinite(warm.dlds)) {
      const h = s - warm.s;
      for (let i = 0; i < m2; i++) R[i] = warm.R[i] + h * warm.dRds[i];
      l = warm.l + h * warm.dlds;
      ps = pass(law, R, delta, true);
    }
    if (!ps) {
      const f = s / warm.s;
      for (let i = 0; i < m2; i++) R[i] = warm.R[i] * f;
      l = warm.l;
      ps = pass(law, R, delta, true);
    }
  } else {
    for (let i = 0; i < m; i++) R[i * m + i] = s;
    ps = pass(law, R, delta, true);
    if (ps) {
      for (let i = 0; i < m; i++) l += ps.EQ[i * m + i] / m;
      l -= 1 / s;
    }
  }
  if (!ps) return null;
  const Ri = new Float64Array(m2);
  const F = new Float64Array(n);
  const J = new Float64Array(n * n);
  const step = new Float64Array(n);
  for (let it = 0; it < 30; it++) {
    if (!inverseInto(R, m, Ri)) return null;
    const EQ = ps.EQ;
    const EQQ = ps.EQQ!;
    // F = E[Q] - l I - R^{-1} (p entries) and tr R - m s
    let fn = 0;
    let sc = 0;
    let tr = 0;
    for (let i = 0, r = 0; i < m; i++) {
      tr += R[i * m + i];
      for (let j = i; j < m; j++, r++) F[r] = EQ[i * m + j] - Ri[i * m + j] - (i === j ? l : 0);
    }
    F[p] = tr - m * s;
    for (let i = 0; i <= p; i++) fn = Math.max(fn, Math.abs(F[i]));
    for (let i = 0; i < m2; i++) sc = Math.max(sc, Math.abs(Ri[i]), Math.abs(EQ[i]));
    // Jacobian: column (ij) is the derivative along the symmetric basis matrix E_(ij),
    // -E[Q E_(ij) Q]/delta + R^{-1} E_(ij) R^{-1} (packed rows (ab)), 1 on the trace row for i = j; column l: -I
    for (let i = 0, col = 0; i < m; i++) for (let j = i; j < m; j++, col++) {
      for (let a = 0, row = 0; a < m; a++) for (let b = a; b < m; b++, row++) {
        let t: number;
        let u: number;
        if (i === j) {
          t = EQQ[(a * m + i) * m2 + i * m + b];
          u = Ri[a * m + i] * Ri[i * m + b];
        } else {
          t = EQQ[(a * m + i) * m2 + j * m + b] + EQQ[(a * m + j) * m2 + i * m + b];
          u = Ri[a * m + i] * Ri[j * m + b] + Ri[a * m + j] * Ri[i * m + b];
        }
        J[row * n + col] = -t / delta + u;
      }
      J[p * n + col] = i === j ? 1 : 0;
    }
    for (let i = 0, r = 0; i < m; i++) for (let j = i; j < m; j++, r++) J[r * n + p] = i === j ? -1 : 0;
    J[p * n + p] = 0;
    if (fn <= 1e-12 * (1 + sc)) {
      const rhs = new Float64Array(n);
      rhs[p] = m;
      const t = new Float64Array(n);
      if (!solveInto(J, rhs, n, t)) return { s, l, R, dlds: NaN };
      return { s, l, R, dlds: t[p], dRds: unpackSym(t.subarray(0, p), m) };
    }
    if (!solveInto(J, F, n, step)) return null;
    const x = packSym(R, m);
    let accepted = false;
    for (let t = 1, h = 0; h < 12; h++, t /= 2) {
      const Rn = unpackSym(x.map((v, q) => v - t * step[q]), m);
      const pn = pass(law, Rn, delta, true);
      if (pn) {
        R = Rn;
        ps = pn;
        l -= t * step[p];
        accepted = true;
        break;
      }
    }
    if (!accepted) return null;
  }
  return null;
}

export interface BulkEdge {
  /** Lower edge of the bulk spectrum of H. */
  l: number;
  /** tr R / m at the edge. */
  s: number;
  R: Float64Array;
}

/**
 * Whether the branch point b continues w along the branch (m >= 2): the Newton correction to the Euler
 * prediction R_w + (s_b - s_w) dR/ds is at most a tenth of the predicted change (on the branch the ratio
 * shrinks like the step; a jump to another solution family of the sample-averaged equations does not).
 */
function onBranch(w: BranchPoint, b: BranchPoint): boolean {
  if (!w.dRds) return true;
  const h = b.s - w.s;
  let dev = 0;
  let pred = 0;
  for (let i = 0; i < b.R.length; i++) {
    const p = h * w.dRds[i];
    dev += (b.R[i] - w.R[i] - p) ** 2;
    pred += p * p;
  }
  return dev <= 0.01 * pred;
}

/**
 * The lower bulk edge: the maximum of l along the branch s -> (R(s), l(s)) (branchPoint), from
 * s0 = 0.2 / (max |A| (1 + delta^{-1/2})^2) (far below the spectrum).
 * m = 1: bracketed by geometric steps (x 1.5) in s, then the root of dl/ds = 1/s^2 - E[q^2]/delta by Brent.
 * m >= 2: continuation of the branch from s0 (steps x 1.5, halved while the branch point is missing or off the
 * branch (onBranch)) to the first point with dl/ds <= 0, then the root of dl/ds between it and the previous
 * point by Brent, with dl/ds from the branch tangent of branchPoint; when the branch ends (at a pole of the
 * sample average) while l still rises, the edge is its end (to ~1e-12 in s).
 * Fallback for both: golden-section search on l (relTol in s; l is quadratic in s at the maximum, so l is
 * accurate to ~relTol^2).
 */
export function bulkLowerEdge(law: HessianLaw, delta: number, relTol = 1e-7): BulkEdge {
  const lAt = new Map<number, BranchPoint | null>();
  const done: BranchPoint[] = [];
  const at = (s: number): BranchPoint | null => {
    if (lAt.has(s)) return lAt.get(s)!;
    // warm start from the computed point nearest in log s (m >= 2; branchPoint ignores it for m = 1)
    let warm: BranchPoint | undefined;
    for (const q of done) if (!warm || Math.abs(Math.log(q.s / s)) < Math.abs(Math.log(warm.s / s))) warm = q;
    let b = branchPoint(law, s, delta, warm);
    if (b && warm && law.m >= 2 && !onBranch(warm, b)) b = null;
    if (b) done.push(b);
    lAt.set(s, b);
    return b;
  };
  const val = (s: number): number => at(s)?.l ?? -Infinity;
  // far below the spectrum l ~ -1/s; the edge lies above -|A|max (1 + delta^{-1/2})^2, so start a few times lower
  let s0 = 0.2 / (law.normA * (1 + 1 / Math.sqrt(delta)) ** 2 + 1e-12);
  const p0 = at(s0);
  if (!p0) throw new NumericsError('bulkLowerEdge', `no bulk solution at s = ${s0} (R ~ s I far below the spectrum)`);
  let s1 = s0 * 1.5;
  let s2 = s1 * 1.5;
  let bracketed = false;
  if (law.m >= 2 && p0.dlds! > 0) {
    let prev = p0;
    let next: BranchPoint | null = null;
    for (let it = 0; it < 200; it++) {
      next = null;
      for (let k = 0, f = 1.5; k < 40 && !next; k++, f = 1 + (f - 1) / 2) next = at(prev.s * f);
      if (!next || !(next.dlds! > 0)) break;
      prev = next;
    }
    if (!next) return { l: prev.l, s: prev.s, R: prev.R };
    if (next.dlds! > 0) throw new NumericsError('bulkLowerEdge', 'no maximum of l along the bulk branch (bulk edge not found)');
    if (next.dlds === 0) return { l: next.l, s: next.s, R: next.R };
    const lo = prev;
    const hi = next;
    if (!Number.isNaN(hi.dlds)) {
      const r = brent((s) => at(s)?.dlds ?? NaN, lo.s, hi.s, { relTol: 1e-12, absTol: 1e-15 * hi.s });
      if (r.ok) {
        const pt = at(r.value);
        const top = Math.max(lo.l, hi.l);
        if (pt && pt.l >= top - 1e-14 * Math.abs(top)) return { l: pt.l, s: r.value, R: pt.R };
      }
    }
    // golden section between the two points
    s0 = lo.s;
    s2 = hi.s;
    s1 = lo.l >= hi.l ? lo.s : hi.s;
    bracketed = true;
  }
  for (let it = 0; !bracketed && it < 200 && !(val(s1) >= val(s0) && val(s1) >= val(s2)); it++) {
    s0 = s1;
    s1 = s2;
    s2 = s1 * 1.5;
  }
  if (!(val(s1) >= val(s2))) throw new NumericsError('bulkLowerEdge', 'no maximum of l along the bulk branch (bulk edge not found)');
  if (law.m === 1) {
    // m = 1: l(s) = E[q] - 1/s with q = A / (1 + A s / delta), so dl/ds = 1/s^2 - E[q^2]/delta: the edge is the
    // root of s^2 E[q^2] = delta in (s0, s2) (Brent, ~10 passes instead of ~35 golden-section steps; exact
    // derivative, so the edge location is as accurate as the root)
    const h = (s: number): number => {
      const ps = pass(law, Float64Array.of(s), delta, true);
      return ps ? 1 - (s * s * ps.EQQ![0]) / delta : NaN;
    };
    const r = brent(h, s0, s2, { relTol: 1e-13, absTol: 1e-15 * s2 });
    if (r.ok) {
      const pt = at(r.value);
      if (pt && pt.l >= val(s1) - 1e-14 * Math.abs(val(s1))) return { l: pt.l, s: r.value, R: pt.R };
    }
  }
  // golden section on [s0, s2]
  const gr = (Math.sqrt(5) - 1) / 2;
  let a = s0;
  let b = s2;
  let c = b - gr * (b - a);
  let d = a + gr * (b - a);
  while (b - a > relTol * b) {
    if (val(c) >= val(d)) b = d;
    else a = c;
    c = b - gr * (b - a);
    d = a + gr * (b - a);
  }
  const sm = 0.5 * (a + b);
  const best = [a, b, sm, s1].reduce((x, y) => (val(y) > val(x) ? y : x));
  const pt = at(best)!;
  return { l: pt.l, s: best, R: pt.R };
}

/** M(l) = E[(g g^T) ⊗ Q_l] - l I ((ku m) x (ku m), index (r, i) -> r m + i). */
function outlierMatrix(law: HessianLaw, R: Float64Array, l: number, delta: number): Float64Array | null {
  const m = law.m;
  const ku = law.ku;
  const K = ku * m;
  if (m === 1) {
    // scalar fast path, as in pass()
    const Mx = new Float64Array(K * K);
    const r = R[0];
    if (!(r > 0)) return null;
    const c = r / delta;
    for (let s = 0; s < law.S; s++) {
      const den = 1 + law.A[s] * c;
      if (!(den > 0)) return null;
      const q = (law.w[s] * law.A[s]) / den;
      for (let r1 = 0; r1 < ku; r1++) for (let r2 = 0; r2 < ku; r2++) Mx[r1 * K + r2] += q * law.g[s * ku + r1] * law.g[s * ku + r2];
    }
    for (let i = 0; i < K; i++) Mx[i * K + i] -= l;
    return Mx;
  }
  const ps = pass(law, R, delta, false, true);
  if (!ps) return null;
  const Mx = ps.EggQ!;
  for (let i = 0; i < K; i++) Mx[i * K + i] -= l;
  return Mx;
}

function minEigen(M: Float64Array, K: number): { value: number; vector: number[] } {
  const e = symmetricEigen(M, K);
  return { value: e.values[0], vector: Array.from({ length: K }, (_, i) => e.vectors[i * K]) };
}

export interface BottomPrediction {
  delta: number;
  /** Lower bulk edge of H. */
  bulkEdge: number;
  /** Whether an outlier sits below the bulk. */
  outlier: boolean;
  /** Bottom eigenvalue of H (the outlier, or the edge). */
  bottomEigenvalue: number;
  /** Squared overlap of its eigenvector with the unlearned directions (0 without outlier). */
  overlap2: number;
  /**
   * lambda_min(M(l_e)): negative iff there is an outlier; null when the bulk reaches 0 with positive
   * semi-definite weights (law.psd and delta P(A != 0) too small for a gap: the branch l(s) rises to 0
   * without a maximum, R diverges there, and no outlier can lie below 0).
   */
  edgeMargin: number | null;
}

function margin(law: HessianLaw, pt: BranchPoint, delta: number): { value: number; vector: number[]; M: Float64Array } {
  const M = outlierMatrix(law, pt.R, pt.l, delta);
  if (!M) throw new NumericsError('bottomPrediction', `singular I + A R/delta on the bulk branch (delta = ${delta})`);
  return { ...minEigen(M, law.ku * law.m), M };
}

function checkLaw(law: HessianLaw, routine: string): void {
  if (law.unbounded) throw new NumericsError(routine, 'the Hessian weights are unbounded below (top eigenvalue of -A unbounded): no finite limit of the bottom eigenvalue (no transition)');
  if (law.ku === 0) throw new NumericsError(routine, 'every latent direction is already learned (no unlearned directions): nothing to predict');
}

const PSD_MESSAGE =
  "the Hessian weights A(y, xi) are positive semi-definite (sigma'' = 0 almost everywhere, e.g. relu, with a convex loss: A = l'' u u^T): H >= 0, no eigenvalue can leave the bulk downward, no transition";

/** The bottom of the Hessian spectrum at sample ratio delta (module comment). */
export function bottomPrediction(law: HessianLaw, delta: number): BottomPrediction {
  if (!(delta > 0) || !Number.isFinite(delta)) throw new NumericsError('bottomPrediction', `delta must be a finite number > 0, got ${delta}`);
  checkLaw(law, 'bottomPrediction');
  let edge: BulkEdge;
  try {
    edge = bulkLowerEdge(law, delta);
  } catch (e) {
    if (law.psd && e instanceof NumericsError && /no maximum of l/.test(e.message)) {
      return { delta, bulkEdge: 0, outlier: false, bottomEigenvalue: 0, overlap2: 0, edgeMargin: null };
    }
    throw e;
  }
  const me = margin(law, { s: edge.s, l: edge.l, R: edge.R }, delta);
  if (!(me.value < 0)) return { delta, bulkEdge: edge.l, outlier: false, bottomEigenvalue: edge.l, overlap2: 0, edgeMargin: me.value };
  // the outlier: root in s in (s_small, s_edge) of lambda_min(M(s)), M > 0 as s -> 0 (l -> -inf)
  let warm: BranchPoint | undefined;
  const pt = (s: number): BranchPoint => {
    const b = branchPoint(law, s, delta, warm);
    if (!b) throw new NumericsError('bottomPrediction', `no bulk solution at s = ${s}`);
    warm = b;
    return b;
  };
  const f = (s: number): number => margin(law, pt(s), delta).value;
  let lo = edge.s;
  for (let it = 0; it < 200 && f(lo) < 0; it++) lo /= 1.5;
  const r = brent(f, lo, edge.s, { absTol: 1e-14 * edge.s, relTol: 1e-13 });
  if (!r.ok) throw new NumericsError('bottomPrediction', `outlier root not found (${r.reason})`);
  const p0 = pt(r.value);
  const m0 = margin(law, p0, delta);
  // squared overlap 1 / (-u^T dM/dl u), dM/dl = (dM/ds) / (dl/ds) by a central difference in s
  const h = 1e-5 * r.value;
  const pa = pt(r.value - h);
  const pb = pt(r.value + h);
  const Ma = margin(law, pa, delta).M;
  const Mb = margin(law, pb, delta).M;
  const K = law.ku * law.m;
  let dMds = 0;
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) dMds += (m0.vector[i] * (Mb[i * K + j] - Ma[i * K + j]) * m0.vector[j]) / (2 * h);
  const dlds = (pb.l - pa.l) / (2 * h);
  const dMdl = dMds / dlds;
  return { delta, bulkEdge: edge.l, outlier: true, bottomEigenvalue: p0.l, overlap2: dMdl < 0 ? -1 / dMdl : NaN, edgeMargin: me.value };
}

/** lambda_min(M(l_e)) at the lower bulk edge: negative iff an outlier sits below the bulk (module comment). */
export function edgeMargin(law: HessianLaw, delta: number): number {
  const edge = bulkLowerEdge(law, delta);
  return margin(law, { s: edge.s, l: edge.l, R: edge.R }, delta).value;
}

/**
 * The signs of the edge margin on both sides of a delta_NN: an outlier must be absent at delta_NN (1 - f) and
 * present at delta_NN (1 + f) for each f in `fractions` (default 2% and 5%). A Monte Carlo law (m >= 3) can
 * break this (its edge jumps between branch families and the margin changes sign several times near the
 * root): then the value depends on the root finder's path and is only known to that range.
 */
export function deltaNNSignCheck(law: HessianLaw, deltaNN: number, fractions: readonly number[] = [0.02, 0.05]): { monotone: boolean; flips: { delta: number; outlier: boolean }[] } {
  const flips: { delta: number; outlier: boolean }[] = [];
  for (const f of fractions) {
    for (const [delta, want] of [[deltaNN * (1 - f), false], [deltaNN * (1 + f), true]] as const) {
      const outlier = edgeMargin(law, delta) < 0;
      if (outlier !== want) flips.push({ delta, outlier });
    }
  }
  return { monotone: flips.length === 0, flips };
}

export type DeltaNNResult =
  | { ok: true; deltaNN: number; bracket: [number, number]; evaluations: number }
  | { ok: false; reason: 'unbounded' | 'psd-weights' | 'no-unlearned-directions' | 'no-outlier' | 'outlier-everywhere'; message: string; evaluations: number };

/**
 * delta_NN: the root in log delta of the edge margin lambda_min(M(l_e)) (an outlier iff negative), after
 * bracketing on the grid 2^j over `range` (default [2^-6, 2^12]): Brent's method until the bracket
 * [lo, hi] containing the sign change has hi/lo - 1 <= relTol (default 1e-6), bisection on the sign if Brent
 * fails.
 */
export function deltaNN(law: HessianLaw, opts: { relTol?: number; range?: [number, number] } = {}): DeltaNNResult {
  if (law.unbounded) return { ok: false, reason: 'unbounded', message: 'the top eigenvalue of -A is unbounded (e.g. square loss with unbounded labels): no transition as d -> infinity', evaluations: 0 };
  if (law.ku === 0) return { ok: false, reason: 'no-unlearned-directions', message: 'every latent direction is already learned', evaluations: 0 };
  if (law.psd) return { ok: false, reason: 'psd-weights', message: PSD_MESSAGE, evaluations: 0 };
  const [dLo, dHi] = opts.range ?? [2 ** -6, 2 ** 12];
  const relTol = opts.relTol ?? 1e-6;
  let evaluations = 0;
  const marginAt = (delta: number): number => {
    evaluations++;
    return edgeMargin(law, delta);
  };
  const has = (delta: number): boolean => marginAt(delta) < 0;
  let lo = NaN;
  let hi = NaN;
  let prev = dLo;
  let prevHas = has(dLo);
  if (prevHas) return { ok: false, reason: 'outlier-everywhere', message: `an outlier exists already at delta = ${dLo}`, evaluations };
  for (let d = dLo * 2; d <= dHi * 1.0001; d *= 2) {
    const h = has(d);
    if (h && !prevHas) {
      lo = prev;
      hi = d;
      break;
    }
    prev = d;
    prevHas = h;
  }
  if (!Number.isFinite(lo)) return { ok: false, reason: 'no-outlier', message: `no outlier below the bulk for delta up to ${dHi}`, evaluations };
  // Brent on log delta for the (continuous) edge margin lambda_min(M(l_e)), which changes sign at delta_NN
  // (fewer evaluations than bisection); bisection on its sign when Brent fails.
  const r = brent((x) => marginAt(Math.exp(x)), Math.log(lo), Math.log(hi), { absTol: 0.25 * relTol, relTol: 1e-15, maxIterations: 60 });
  if (r.ok) {
    const [a, b] = r.bracket;
    const bl = Math.exp(Math.min(a, b));
    const bh = Math.exp(Math.max(a, b));
    if (bh / bl - 1 <= relTol) return { ok: true, deltaNN: Math.exp(r.value), bracket: [bl, bh], evaluations };
    lo = Math.max(lo, bl);
    hi = Math.min(hi, bh);
  }
  while (hi / lo - 1 > relTol) {
    const mid = Math.sqrt(lo * hi);
    if (has(mid)) hi = mid;
    else lo = mid;
  }
  return { ok: true, deltaNN: Math.sqrt(lo * hi), bracket: [lo, hi], evaluations };
}

/** The phase-1 point at initialisation for large d: M = 0, Q = scale^2 I_m, a_j = 1/m ("constant"), b = 0. */
export function initialPhaseOnePoint(m: number, k: number, scale: number): PhaseOnePoint {
  if (!Number.isInteger(m) || m < 1) throw new NumericsError('initialPhaseOnePoint', `width must be a positive integer, got ${m}`);
  if (!(scale >= 0)) throw new NumericsError('initialPhaseOnePoint', `init.scale must be >= 0, got ${scale}`);
  return {
    M: Array.from({ length: m }, () => new Array<number>(k).fill(0)),
    Q: Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? scale * scale : 0))),
    a: new Array<number>(m).fill(1 / m),
    b: 0,
  };
}
