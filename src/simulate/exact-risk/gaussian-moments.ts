/**
 * Normalised Hermite coefficients and second moments of z -> sigma(shift_r + scale_r z), Z ~ N(0, 1), for
 * many rows r at once — the per-neuron (and per-quadrature-node) building blocks of the exact risk:
 *   coef[r, k] = E[sigma(shift_r + scale_r Z) He_k(Z)] / sqrt(k!),  k = 0..K,   m2[r] = E sigma(shift_r + scale_r Z)^2.
 *
 * Routes, in order of preference (the first that applies):
 * 1. scale_r = 0: coef = (sigma(shift_r), 0, ...), m2 = sigma(shift_r)^2.
 * 2. polynomial activations: exact change of basis (src/numerics/hermite.ts `polynomialHermiteCoefficients`).
 * 3. closed forms of the activation registry (relu, abs, sign, erf, sin, cos, ...: src/activations/closedForms.ts);
 *    a second moment without closed form (erf with a shift) comes from the quadrature table of route 4.
 * 4. smooth activations (no kinks): one shared quadrature table. With a rule (z_q, w_q) for N(0, 1) —
 *    Gauss–Hermite of order 24/48/96, else the piecewise Gauss–Legendre rule of src/numerics with m points
 *    per panel (nodes |z| <= 12 kept: phi(12) ~ 2e-32) — H[q, k] = w_q h_k(z_q) and
 *    X[r, q] = sigma(shift_r + scale_r z_q) (the backend's fused elementwise kernel when there is one),
 *    coef = X H is ONE gemm and m2 = X^2 w. The rule is the first whose results on the most demanding rows
 *    (largest scale, largest |shift|) agree with the next finer rule of its family to `tol`.
 * 5. non-smooth activations without a closed form: adaptive quadrature per row with the kinks mapped to
 *    (kink - shift) / scale (src/numerics/hermiteCoefficients.ts), up to `maxAdaptiveRows` rows.
 * Cost (route 4): rows * nq activation evaluations and 2 rows nq (K + 1) flops, nq ~ 36 m.
 */
import type { Activation } from '../../activations/types.js';
import type { LinalgBackend } from '../../linalg/backend.js';
import type { Matrix } from '../../linalg/matrix.js';
import { hermiteNormalizedValues, polynomialHermiteCoefficients, MAX_POLYNOMIAL_DEGREE } from '../../numerics/hermite.js';
import { hermiteCoefficientsByQuadrature } from '../../numerics/hermiteCoefficients.js';
import { piecewiseGaussianRule } from '../../numerics/gaussianQuadrature.js';
import { gaussHermite } from '../../numerics/gaussHermite.js';

export interface GaussianMomentsOptions {
  /** Target absolute accuracy of the quadrature table (route 4), relative to sqrt(max m2) (default 1e-11). */
  tol?: number;
  /** Rows allowed on the slow adaptive route 5 (default 4000). */
  maxAdaptiveRows?: number;
}

export type GaussianMomentsResult =
  | {
      ok: true;
      K: number;
      /** rows x (K + 1), row-major. */
      coef: Float64Array;
      m2: Float64Array;
      method: 'closed-form' | 'polynomial' | 'quadrature-table' | 'adaptive-quadrature' | 'constant';
      /** Estimated absolute error of the quadrature (0 for exact routes). */
      quadratureError: number;
    }
  | { ok: false; reason: string };

const TABLE_HALF_WIDTH = 12;
const CHUNK_ENTRIES = 1 << 22;

/** Coefficients and second moments for every row (see the module comment). */
export function gaussianMoments(
  act: Activation,
  shifts: Float64Array,
  scales: Float64Array,
  K: number,
  backend: LinalgBackend,
  opts: GaussianMomentsOptions = {},
): GaussianMomentsResult {
  const rows = shifts.length;
  if (scales.length !== rows) throw new RangeError(`gaussianMoments: shifts and scales must have equal lengths, got ${rows} and ${scales.length}`);
  if (!Number.isInteger(K) || K < 0) throw new RangeError(`gaussianMoments: K must be a non-negative integer, got ${K}`);
  const tol = opts.tol ?? 1e-11;
  const width = K + 1;
  const coef = new Float64Array(rows * width);
  const m2 = new Float64Array(rows);
  const live: number[] = []; // rows with scale > 0
  for (let r = 0; r < rows; r++) {
    const s = scales[r];
    if (!(s >= 0) || !Number.isFinite(shifts[r])) throw new RangeError(`gaussianMoments: row ${r} has scale ${s} and shift ${shifts[r]}; expected a finite shift and scale >= 0`);
    if (s === 0) {
      const v = act.value(shifts[r]);
      coef[r * width] = v;
      m2[r] = v * v;
    } else live.push(r);
  }
  if (live.length === 0) return { ok: true, K, coef, m2, method: 'constant', quadratureError: 0 };

  if (act.polynomial) {
    const Kp = Math.min(K, MAX_POLYNOMIAL_DEGREE);
    for (const r of live) {
      const p = polynomialHermiteCoefficients(act.polynomial, Kp, shifts[r], scales[r]);
      for (let k = 0; k <= Kp; k++) coef[r * width + k] = p.mu[k];
      m2[r] = p.secondMoment;
    }
    return { ok: true, K, coef, m2, method: 'polynomial', quadratureError: 0 };
  }

  if (act.closedForm) {
    const missing: number[] = [];
    for (const r of live) {
      const mu = act.closedForm.coefficients(K, scales[r], shifts[r]);
      coef.set(mu, r * width);
      const sm = act.closedForm.secondMoment(scales[r], shifts[r]);
      if (sm === undefined) missing.push(r);
      else m2[r] = sm;
    }
    let quadratureError = 0;
    if (missing.length > 0) {
      if (act.kinks.length > 0) return { ok: false, reason: `activation "${act.name}": no closed-form second moment and kinks prevent the shared quadrature table` };
      const t = quadratureTable(act, subset(shifts, missing), subset(scales, missing), 0, backend, tol);
      missing.forEach((r, i) => (m2[r] = t.m2[i]));
      quadratureError = t.error;
    }
    return { ok: true, K, coef, m2, method: 'closed-form', quadratureError };
  }

  if (act.kinks.length === 0) {
    const t = quadratureTable(act, subset(shifts, live), subset(scales, live), K, backend, tol);
    live.forEach((r, i) => {
      coef.set(t.coef.subarray(i * width, (i + 1) * width), r * width);
      m2[r] = t.m2[i];
    });
    if (!(t.error <= tol * Math.sqrt(maxOf(t.m2, 1)) * 1e3)) {
      return { ok: false, reason: `activation "${act.name}": the quadrature table did not reach accuracy ${tol} (estimated error ${t.error.toExponential(2)})` };
    }
    return { ok: true, K, coef, m2, method: 'quadrature-table', quadratureError: t.error };
  }

  const maxRows = opts.maxAdaptiveRows ?? 4000;
  if (live.length > maxRows) {
    return { ok: false, reason: `activation "${act.name}" has kinks and no closed-form Hermite coefficients: ${live.length} rows would need adaptive quadrature (limit ${maxRows})` };
  }
  if (K > MAX_POLYNOMIAL_DEGREE) return { ok: false, reason: `activation "${act.name}": adaptive quadrature supports K <= ${MAX_POLYNOMIAL_DEGREE}, got ${K}` };
  let quadratureError = 0;
  for (const r of live) {
    const m = shifts[r];
    const s = scales[r];
    const res = hermiteCoefficientsByQuadrature((z) => act.value(m + s * z), K, { kinks: act.kinks.map((k) => (k - m) / s) });
    if (!res.ok) return { ok: false, reason: `activation "${act.name}": adaptive quadrature of row ${r} (shift ${m}, scale ${s}) failed (${res.reason})` };
    coef.set(res.mu, r * width);
    m2[r] = res.secondMoment;
    if (Number.isFinite(res.errorEstimate)) quadratureError = Math.max(quadratureError, res.errorEstimate);
  }
  return { ok: true, K, coef, m2, method: 'adaptive-quadrature', quadratureError };
}

function maxOf(x: Float64Array, floor: number): number {
  let m = floor;
  for (const v of x) if (v > m) m = v;
  return m;
}

function subset(x: Float64Array, idx: readonly number[]): Float64Array {
  const out = new Float64Array(idx.length);
  idx.forEach((r, i) => (out[i] = x[r]));
  return out;
}

/** The rules tried by route 4, in order; each is accepted when it agrees with the next one of its family. */
const TABLE_STAGES: readonly (readonly ['hermite' | 'piecewise', number])[] = [
  ['hermite', 24],
  ['hermite', 48],
  ['hermite', 96],
  ['piecewise', 4],
  ['piecewise', 8],
  ['piecewise', 16],
  ['piecewise', 32],
  ['piecewise', 64],
];

function tableRule(kind: 'hermite' | 'piecewise', order: number): { z: Float64Array; w: Float64Array } {
  const rule = kind === 'hermite' ? gaussHermite(order) : piecewiseGaussianRule(order);
  const keep: number[] = [];
  rule.nodes.forEach((x, q) => {
    if (kind === 'hermite' || Math.abs(x) <= TABLE_HALF_WIDTH) keep.push(q);
  });
  const z = new Float64Array(keep.length);
  const w = new Float64Array(keep.length);
  keep.forEach((q, i) => {
    z[i] = rule.nodes[q];
    w[i] = rule.weights[q];
  });
  return { z, w };
}

/**
 * Route 4: Gauss–Hermite of order 24, 48, 96 (fast for activations analytic in a wide strip, e.g. tanh at
 * moderate scale), then the piecewise rule with 4, 8, ... 64 points per panel; a rule is accepted when the
 * most demanding rows (largest scale, largest |shift|) agree with the next rule of its family to `tol`.
 */
function quadratureTable(act: Activation, shifts: Float64Array, scales: Float64Array, K: number, backend: LinalgBackend, tol: number): { coef: Float64Array; m2: Float64Array; error: number } {
  const probe = new Set<number>();
  let iS = 0;
  let iM = 0;
  let iB = 0;
  for (let r = 0; r < shifts.length; r++) {
    if (scales[r] > scales[iS]) iS = r;
    if (Math.abs(shifts[r]) > Math.abs(shifts[iM])) iM = r;
    if (Math.abs(shifts[r]) + 3 * scales[r] > Math.abs(shifts[iB]) + 3 * scales[iB]) iB = r;
  }
  probe.add(iS).add(iM).add(iB);
  const pIdx = [...probe];
  const pShift = subset(shifts, pIdx);
  const pScale = subset(scales, pIdx);
  let chosen = TABLE_STAGES[TABLE_STAGES.length - 1];
  let error = Infinity;
  for (let i = 0; i + 1 < TABLE_STAGES.length; i++) {
    const [kind, order] = TABLE_STAGES[i];
    const [nextKind, nextOrder] = TABLE_STAGES[i + 1];
    if (nextKind !== kind) continue;
    const a = evaluateTable(act, pShift, pScale, K, tableRule(kind, order), backend);
    const b = evaluateTable(act, pShift, pScale, K, tableRule(nextKind, nextOrder), backend);
    let e = 0;
    for (let q = 0; q < a.coef.length; q++) e = Math.max(e, Math.abs(a.coef[q] - b.coef[q]));
    for (let q = 0; q < a.m2.length; q++) e = Math.max(e, Math.abs(a.m2[q] - b.m2[q]) / Math.max(1, Math.sqrt(Math.abs(b.m2[q]))));
    if (e <= tol * Math.sqrt(maxOf(b.m2, 1))) {
      // the finer rule of the pair, whose error the difference bounds pessimistically
      chosen = TABLE_STAGES[i + 1];
      error = e;
      break;
    }
    error = e;
  }
  const full = evaluateTable(act, shifts, scales, K, tableRule(chosen[0], chosen[1]), backend);
  return { ...full, error };
}

/** One pass of route 4 with the given nodes and weights (probabilists' weight included). */
function evaluateTable(act: Activation, shifts: Float64Array, scales: Float64Array, K: number, rule: { z: Float64Array; w: Float64Array }, backend: LinalgBackend): { coef: Float64Array; m2: Float64Array } {
  const { z, w } = rule;
  const nq = z.length;
  const width = K + 1;
  const H: Matrix<Float64Array> = { rows: nq, cols: width, data: new Float64Array(nq * width) };
  const h = new Float64Array(width);
  for (let q = 0; q < nq; q++) {
    hermiteNormalizedValues(z[q], K, h);
    for (let k = 0; k < width; k++) H.data[q * width + k] = w[q] * h[k];
  }
  const rows = shifts.length;
  const coef = new Float64Array(rows * width);
  const m2 = new Float64Array(rows);
  const chunk = Math.max(1, Math.floor(CHUNK_ENTRIES / nq));
  const X = new Float64Array(Math.min(chunk, rows) * nq);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const R = Math.min(chunk, rows - r0);
    const Xc = X.subarray(0, R * nq);
    for (let r = 0; r < R; r++) {
      const sh = shifts[r0 + r];
      const sc = scales[r0 + r];
      const off = r * nq;
      for (let q = 0; q < nq; q++) Xc[off + q] = sh + sc * z[q];
    }
    if (act.kernel) backend.elementwise(act.kernel, 'value', Xc, Xc, null);
    else for (let i = 0; i < Xc.length; i++) Xc[i] = act.value(Xc[i]);
    backend.gemm(false, false, 1, { rows: R, cols: nq, data: Xc }, H, 0, { rows: R, cols: width, data: coef.subarray(r0 * width, (r0 + R) * width) });
    for (let r = 0; r < R; r++) {
      const off = r * nq;
      let s = 0;
      for (let q = 0; q < nq; q++) s += w[q] * Xc[off + q] * Xc[off + q];
      m2[r0 + r] = s;
    }
  }
  return { coef, m2 };
}

