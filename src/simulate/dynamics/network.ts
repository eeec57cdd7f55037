/**
 * The two-layer network f(x) = sum_j a_j sigma(<w_j, x>) + b of multi-index.md section 2 on a fixed
 * training set: the empirical loss, its gradient and exact Hessian-vector products (Pearlmutter 1994,
 * "Fast exact multiplication by the Hessian", Neural Computation 6: the directional derivative of the
 * analytic gradient, no finite differences).
 *
 * Parameters are one flat vector theta = [W (m x d, row j = w_j), a (m, only if trained), b (only if
 * bias)], so that Lanczos and GD treat them uniformly.
 *
 * Loss L(theta) = (1/n) sum_i l(y_i, f_i) + (lambda/2) (|W|^2 + |a|^2 if a is trained), with r_i = l'(f_i):
 *   dL/dw_j = (1/n) sum_i r_i a_j sigma'(h_ij) x_i + lambda w_j,       h_ij = <w_j, x_i>
 *   dL/da_j = (1/n) sum_i r_i sigma(h_ij) + lambda a_j,   dL/db = (1/n) sum_i r_i.
 * HVP along v = (V, alpha, beta): hdot = X V^T, fdot_i = sum_j (alpha_j s_ij + a_j s'_ij hdot_ij) + beta,
 *   rdot_i = l''(f_i) fdot_i,
 *   (Hv)_w_j = (1/n) sum_i (rdot_i a_j s'_ij + r_i alpha_j s'_ij + r_i a_j s''_ij hdot_ij) x_i + lambda V_j
 *   (Hv)_a_j = (1/n) sum_i (rdot_i s_ij + r_i s'_ij hdot_ij) + lambda alpha_j,  (Hv)_b = (1/n) sum_i rdot_i.
 *
 * Cost: one gradient or one HVP = O(n d m) flops with X (n x d) streamed from memory ONCE per evaluation
 * (8 n d bytes; float32 halves it). With the native backend the whole pass is one call
 * (backend.network, native/src/network.cc: per row block, the dot products with W, the activation and
 * loss, and the rank-one updates while the rows are in cache; both cores on separate slabs of rows; the
 * same numbers for every thread count) for every activation with a native kernel. Otherwise (portable
 * backend, user activations, and the point cache of hessianPoint) the same fusion runs as two small gemms
 * per row block with the elementwise work in JavaScript. Memory: O(n m) besides X.
 */
import type { LinalgBackend } from '../../linalg/backend.js';
import type { FloatArray, Matrix } from '../../linalg/matrix.js';
import type { Activation } from '../../activations/types.js';
import type { LossName } from '../../models/dynamics-config.js';
import { SimulationError } from '../errors.js';

/** A pointwise loss l(y, f) with its first two derivatives in f. */
export interface Loss {
  readonly name: LossName;
  /** The Huber threshold (used by "huber" only). */
  readonly huberDelta: number;
  /** Writes [l, l', l''] at (y, f) into out. */
  eval(y: number, f: number, out: Float64Array): void;
}

const LOG2 = Math.LN2;

/** square: (f - y)^2 / 2; huber(delta); logcosh: log cosh(f - y). */
export function makeLoss(name: LossName, huberDelta = 1): Loss {
  switch (name) {
    case 'square':
      return {
        name,
        huberDelta,
        eval: (y, f, o) => {
          o[0] = 0.5 * (f - y) * (f - y);
          o[1] = f - y;
          o[2] = 1;
        },
      };
    case 'huber':
      return {
        name,
        huberDelta,
        eval: (y, f, o) => {
          const r = f - y;
          const ar = Math.abs(r);
          if (ar <= huberDelta) {
            o[0] = 0.5 * r * r;
            o[1] = r;
            o[2] = 1;
          } else {
            o[0] = huberDelta * (ar - 0.5 * huberDelta);
            o[1] = huberDelta * Math.sign(r);
            o[2] = 0;
          }
        },
      };
    case 'logcosh':
      return {
        name,
        huberDelta,
        eval: (y, f, o) => {
          const r = f - y;
          const ar = Math.abs(r);
          const t = Math.tanh(r);
          o[0] = ar + Math.log1p(Math.exp(-2 * ar)) - LOG2;
          o[1] = t;
          o[2] = 1 - t * t;
        },
      };
    default:
      throw new RangeError(`training.loss: expected one of "square" | "huber" | "logcosh", got ${JSON.stringify(name)}`);
  }
}

export interface NetworkProblem<T extends FloatArray = FloatArray> {
  readonly backend: LinalgBackend;
  /** Training inputs, n x d (row-major). */
  readonly X: Matrix<T>;
  readonly y: Float64Array;
  readonly activation: Activation;
  readonly loss: Loss;
  readonly m: number;
  readonly trainA: boolean;
  readonly bias: boolean;
  /** The second layer when it is frozen (length m); ignored when trained. */
  readonly aFrozen: Float64Array;
  readonly weightDecay: number;
}

/** Number of trained parameters m d + (m if a trained) + (1 if bias). */
export function parameterCount(p: Pick<NetworkProblem, 'X' | 'm' | 'trainA' | 'bias'>): number {
  return p.m * p.X.cols + (p.trainA ? p.m : 0) + (p.bias ? 1 : 0);
}

/** Views of W (m*d), a (m) and b into theta (a is aFrozen when not trained). */
export function unpack(p: NetworkProblem, theta: Float64Array): { W: Float64Array; a: Float64Array; b: number } {
  const md = p.m * p.X.cols;
  const W = theta.subarray(0, md);
  const a = p.trainA ? theta.subarray(md, md + p.m) : p.aFrozen;
  const b = p.bias ? theta[md + (p.trainA ? p.m : 0)] : 0;
  return { W, a, b };
}

/** Rows per fused block: about 2 MB of X (fits L2/L3), at least 8 rows. */
function blockRows(d: number, bytes: number): number {
  return Math.max(8, Math.floor((1 << 21) / (d * bytes)));
}

function rowsView<T extends FloatArray>(X: Matrix<T>, r0: number, r1: number): Matrix<T> {
  return { rows: r1 - r0, cols: X.cols, data: X.data.subarray(r0 * X.cols, r1 * X.cols) as T };
}

/** Copies a float64 m x d block into the precision of X. */
function asPrecision<T extends FloatArray>(X: Matrix<T>, src: Float64Array, rows: number, cols: number): Matrix<T> {
  if (X.data instanceof Float64Array) return { rows, cols, data: src as T };
  return { rows, cols, data: Float32Array.from(src) as T };
}

/** The quantities at a point that the gradient and HVP share (all n x m row-major or length n). */
export interface PointCache {
  /** Pre-activations h_ij. */
  readonly H: Float64Array;
  /** sigma(h), sigma'(h), sigma''(h) (sigma'' only when asked for). */
  readonly S: Float64Array;
  readonly S1: Float64Array;
  readonly S2: Float64Array | null;
  /** Outputs f_i, l'(f_i), l''(f_i). */
  readonly f: Float64Array;
  readonly r: Float64Array;
  readonly r2: Float64Array;
  /** Empirical loss including weight decay, and without it. */
  readonly loss: number;
  readonly dataLoss: number;
}

/**
 * Loss and gradient at theta in one fused pass over X. Writes the gradient into `grad` (length P). With
 * `cache = true` keeps H, sigma, sigma', sigma'' and the loss derivatives for hessianVectorProduct.
 */
export function lossAndGradient(p: NetworkProblem, theta: Float64Array, grad: Float64Array | null, cache = false): PointCache | { loss: number; dataLoss: number } {
  const { X, y, m, backend, activation, loss } = p;
  const n = X.rows;
  const d = X.cols;
  const { W, a, b } = unpack(p, theta);
  if (!cache && backend.network && activation.kernel) {
    const gW = grad ? grad.subarray(0, m * d) : new Float64Array(m * d);
    const ga = new Float64Array(m);
    const sums = backend.network.gradient(X, W, a, b, y, activation.kernel, loss, gW, ga);
    if (grad) for (let t = 0, invN = 1 / n; t < m * d; t++) gW[t] *= invN;
    return finishGradient(p, W, a, sums.lossSum, grad, ga, sums.residualSum);
  }
  const Wc = asPrecision(X, W, m, d);
  const bytes = X.data instanceof Float64Array ? 8 : 4;
  const R = blockRows(d, bytes);
  const Ctor = X.data.constructor as new (k: number) => FloatArray;
  const Hb = { rows: 0, cols: m, data: new Ctor(R * m) };
  const Gb = { rows: 0, cols: m, data: new Ctor(R * m) };
  const gW = grad ? (bytes === 8 ? { rows: m, cols: d, data: grad.subarray(0, m * d) } : { rows: m, cols: d, data: new Float32Array(m * d) }) : null;
  if (gW) gW.data.fill(0);
  const keep = cache;
  const H = keep ? new Float64Array(n * m) : null;
  const S = keep ? new Float64Array(n * m) : null;
  const S1 = keep ? new Float64Array(n * m) : null;
  const S2 = keep && activation.secondDerivative ? new Float64Array(n * m) : null;
  const f = keep ? new Float64Array(n) : null;
  const rr = keep ? new Float64Array(n) : null;
  const r2 = keep ? new Float64Array(n) : null;
  const ga = new Float64Array(m);
  let gb = 0;
  let total = 0;
  const l3 = new Float64Array(3);
  const s = new Float64Array(m);
  const s1 = new Float64Array(m);
  const invN = 1 / n;
  for (let r0 = 0; r0 < n; r0 += R) {
    const r1 = Math.min(n, r0 + R);
    const rows = r1 - r0;
    const Xb = rowsView(X, r0, r1);
    const Hv = { rows, cols: m, data: Hb.data.subarray(0, rows * m) };
    backend.gemm(false, true, 1, Xb, Wc, 0, Hv);
    const G = Gb.data;
    for (let i = 0; i < rows; i++) {
      let fi = b;
      for (let j = 0; j < m; j++) {
        const h = Hv.data[i * m + j];
        s[j] = activation.value(h);
        s1[j] = activation.derivative(h);
        fi += a[j] * s[j];
      }
      loss.eval(y[r0 + i], fi, l3);
      total += l3[0];
      const ri = l3[1];
      if (keep) {
        const gi = r0 + i;
        f![gi] = fi;
        rr![gi] = ri;
        r2![gi] = l3[2];
        for (let j = 0; j < m; j++) {
          const h = Hv.data[i * m + j];
          H![gi * m + j] = h;
          S![gi * m + j] = s[j];
          S1![gi * m + j] = s1[j];
          if (S2) S2[gi * m + j] = activation.secondDerivative!(h);
        }
      }
      for (let j = 0; j < m; j++) {
        G[i * m + j] = ri * a[j] * s1[j] * invN;
        ga[j] += ri * s[j];
      }
      gb += ri;
    }
    if (gW) backend.gemm(true, false, 1, { rows, cols: m, data: G.subarray(0, rows * m) }, Xb, 1, gW as Matrix<typeof X.data>);
  }
  if (grad && bytes === 4) grad.set(gW!.data);
  const value = finishGradient(p, W, a, total, grad, ga, gb);
  if (!keep) return value;
  return { H: H!, S: S!, S1: S1!, S2, f: f!, r: rr!, r2: r2!, ...value };
}

/**
 * The loss from the sum of the per-sample losses, and the gradient from its sums: grad's W block already
 * holds (1/n) sum_i r_i a_j sigma'(h_ij) x_i, ga_j = sum_i r_i sigma(h_ij) and rSum = sum_i r_i; adds the
 * weight decay.
 */
function finishGradient(p: NetworkProblem, W: Float64Array, a: Float64Array, lossSum: number, grad: Float64Array | null, ga: Float64Array, rSum: number): { loss: number; dataLoss: number } {
  const { m } = p;
  const invN = 1 / p.X.rows;
  const dataLoss = lossSum * invN;
  const lambda = p.weightDecay;
  let reg = 0;
  if (lambda > 0) {
    for (let t = 0; t < W.length; t++) reg += W[t] * W[t];
    if (p.trainA) for (let j = 0; j < m; j++) reg += a[j] * a[j];
  }
  const lossValue = dataLoss + 0.5 * lambda * reg;
  if (!Number.isFinite(lossValue)) throw new DynamicsError('nan', `loss is ${lossValue} (diverged: lower training.eta or check the data)`);
  if (grad) {
    const md = W.length;
    if (lambda > 0) for (let t = 0; t < md; t++) grad[t] += lambda * W[t];
    let o = md;
    if (p.trainA) {
      for (let j = 0; j < m; j++) grad[o + j] = ga[j] * invN + lambda * a[j];
      o += m;
    }
    if (p.bias) grad[o] = rSum * invN;
  }
  return { loss: lossValue, dataLoss };
}

/** A SimulationError of the dynamics engine, with a specific reason. */
export class DynamicsError extends SimulationError {
  constructor(
    readonly reason: 'nan' | 'no-second-derivative' | 'too-large' | 'invalid',
    message: string,
  ) {
    super(reason === 'nan' ? 'non-finite' : reason === 'too-large' ? 'memory' : reason === 'no-second-derivative' ? 'unsupported' : 'invalid', message);
    this.name = 'DynamicsError';
  }
}

/** The point where Hessian-vector products are taken: theta and its cache (with sigma''). */
export interface HessianPoint {
  readonly theta: Float64Array;
  readonly cache: PointCache;
}

export function hessianPoint(p: NetworkProblem, theta: Float64Array): HessianPoint {
  if (!p.activation.secondDerivative) {
    throw new DynamicsError('no-second-derivative', `student.activation "${p.activation.name}" has no secondDerivative; Hessian-vector products need it (register it with one)`);
  }
  const cache = lossAndGradient(p, theta, null, true) as PointCache;
  return { theta: theta.slice(), cache };
}

/**
 * out <- H v at the point (exact, Pearlmutter). One fused pass over X: hdot = X_b V^T and the
 * accumulation of G_b^T X_b per row block. `out` and `v` have length P and must not alias.
 */
export function hessianVectorProduct(p: NetworkProblem, pt: HessianPoint, v: Float64Array, out: Float64Array): Float64Array {
  const { X, m, backend } = p;
  const n = X.rows;
  const d = X.cols;
  const md = m * d;
  const { a } = unpack(p, pt.theta);
  const V = v.subarray(0, md);
  const alpha = p.trainA ? v.subarray(md, md + m) : null;
  const beta = p.bias ? v[md + (p.trainA ? m : 0)] : 0;
  const { S, S1, r, r2 } = pt.cache;
  const S2 = pt.cache.S2 as Float64Array;
  if (backend.network) {
    const oW = out.subarray(0, md);
    const ha = new Float64Array(m);
    const hb = backend.network.hvp(X, V, a, alpha, beta, { S, S1, S2, r, r2 }, oW, ha);
    for (let t = 0; t < md; t++) oW[t] /= n;
    return finishHvp(p, V, alpha, ha, hb, out);
  }
  const Vc = asPrecision(X, V, m, d);
  const bytes = X.data instanceof Float64Array ? 8 : 4;
  const R = blockRows(d, bytes);
  const Ctor = X.data.constructor as new (k: number) => FloatArray;
  const Hd = new Ctor(R * m);
  const Gb = new Ctor(R * m);
  const oW = bytes === 8 ? { rows: m, cols: d, data: out.subarray(0, md) } : { rows: m, cols: d, data: new Float32Array(md) };
  oW.data.fill(0);
  const ha = new Float64Array(m);
  let hb = 0;
  const invN = 1 / n;
  for (let r0 = 0; r0 < n; r0 += R) {
    const r1 = Math.min(n, r0 + R);
    const rows = r1 - r0;
    const Xb = rowsView(X, r0, r1);
    const hv = { rows, cols: m, data: Hd.subarray(0, rows * m) };
    backend.gemm(false, true, 1, Xb, Vc, 0, hv);
    for (let i = 0; i < rows; i++) {
      const gi = r0 + i;
      const base = gi * m;
      let fdot = beta;
      for (let j = 0; j < m; j++) fdot += (alpha ? alpha[j] * S[base + j] : 0) + a[j] * S1[base + j] * hv.data[i * m + j];
      const rdot = r2[gi] * fdot;
      const ri = r[gi];
      for (let j = 0; j < m; j++) {
        const hd = hv.data[i * m + j];
        const al = alpha ? alpha[j] : 0;
        Gb[i * m + j] = (rdot * a[j] * S1[base + j] + ri * al * S1[base + j] + ri * a[j] * S2[base + j] * hd) * invN;
        if (alpha) ha[j] += rdot * S[base + j] + ri * S1[base + j] * hd;
      }
      hb += rdot;
    }
    backend.gemm(true, false, 1, { rows, cols: m, data: Gb.subarray(0, rows * m) }, Xb, 1, oW as Matrix<typeof X.data>);
  }
  if (bytes === 4) out.set(oW.data);
  return finishHvp(p, V, alpha, ha, hb, out);
}

/** Completes H v from its W block (already divided by n) and the sums ha_j, hb: adds weight decay and the a, b blocks. */
function finishHvp(p: NetworkProblem, V: Float64Array, alpha: Float64Array | null, ha: Float64Array, hb: number, out: Float64Array): Float64Array {
  const md = V.length;
  const invN = 1 / p.X.rows;
  const lambda = p.weightDecay;
  if (lambda > 0) for (let t = 0; t < md; t++) out[t] += lambda * V[t];
  let o = md;
  if (alpha) {
    for (let j = 0; j < p.m; j++) out[o + j] = ha[j] * invN + lambda * alpha[j];
    o += p.m;
  }
  if (p.bias) out[o] = hb * invN;
  return out;
}

/** Largest parameter count for which the dense Hessian may be formed (P^2 doubles, P HVPs). */
export const DENSE_HESSIAN_MAX_PARAMETERS = 4000;

/** The dense P x P Hessian by P HVPs with unit vectors (symmetrised); refuses above the limit. */
export function denseHessian(p: NetworkProblem, pt: HessianPoint): Matrix<Float64Array> {
  const P = parameterCount(p);
  if (P > DENSE_HESSIAN_MAX_PARAMETERS) {
    throw new DynamicsError('too-large', `hessian.dense: ${P} parameters (> ${DENSE_HESSIAN_MAX_PARAMETERS}) would need ${((8 * P * P) / 1e6).toFixed(0)} MB and ${P} HVPs; use a smaller d or dense: false`);
  }
  const Hm = new Float64Array(P * P);
  const e = new Float64Array(P);
  const col = new Float64Array(P);
  for (let c = 0; c < P; c++) {
    e[c] = 1;
    hessianVectorProduct(p, pt, e, col);
    e[c] = 0;
    for (let r = 0; r < P; r++) Hm[r * P + c] = col[r];
  }
  for (let r = 0; r < P; r++) {
    for (let c = r + 1; c < P; c++) {
      const s = 0.5 * (Hm[r * P + c] + Hm[c * P + r]);
      Hm[r * P + c] = s;
      Hm[c * P + r] = s;
    }
  }
  return { rows: P, cols: P, data: Hm };
}
