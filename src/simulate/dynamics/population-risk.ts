/**
 * The population risk E_x (g(z) - f(x))^2 of the network on a multi-index target, x ~ N(0, I_d), without
 * label noise (the noisy risk adds Delta). It depends on x only through (z, h) = (Theta*^T x, W x): with
 * M = W Theta* (m x k) and G = W W^T, h = M z + L v where z ~ N(0, I_k) and v ~ N(0, I_m) are
 * independent and L L^T = G - M M^T (the covariance of the part of W x orthogonal to span(Theta*); L is
 * its symmetric PSD square root by eigh). So the risk is a (k + m)-dimensional Gaussian integral:
 * - "quadrature": tensor Gauss-Hermite with `nodes` points per dimension (nodes^(k+m) evaluations;
 *   exact up to quadrature error, slow to converge for kinked g or sigma);
 * - "monte-carlo": `samples` fixed draws of (z, v) from a key (the same draws at every time: common
 *   random numbers, so a trajectory is smooth), with the standard error reported.
 */
import type { LinalgBackend } from '../../linalg/backend.js';
import type { Activation } from '../../activations/types.js';
import type { MultiIndexTarget } from '../../models/multi-index-teacher.js';
import { gaussHermite } from '../../numerics/index.js';
import { fillNormal, type Key } from '../../random/index.js';

export interface RiskEstimate {
  value: number;
  /** Monte Carlo standard error (0 for quadrature). */
  standardError: number;
  method: 'quadrature' | 'monte-carlo' | 'test-set';
}

/** Points (z, v) in R^{k+m} with weights: a tensor Gauss-Hermite grid or equal-weight Monte Carlo draws. */
export interface LatentRule {
  readonly dim: number;
  readonly points: Float64Array;
  readonly weights: Float64Array | null;
  readonly count: number;
  readonly method: 'quadrature' | 'monte-carlo';
}

export function quadratureRule(dim: number, nodes: number): LatentRule {
  const count = nodes ** dim;
  if (count > 5_000_000) throw new RangeError(`test.nodes: ${nodes}^${dim} = ${count} quadrature points is too many; use test.method "monte-carlo"`);
  const gh = gaussHermite(nodes);
  const points = new Float64Array(count * dim);
  const weights = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    let rest = p;
    let w = 1;
    for (let t = 0; t < dim; t++) {
      const q = rest % nodes;
      rest = Math.floor(rest / nodes);
      points[p * dim + t] = gh.nodes[q];
      w *= gh.weights[q];
    }
    weights[p] = w;
  }
  return { dim, points, weights, count, method: 'quadrature' };
}

export function monteCarloRule(key: Key, dim: number, samples: number): LatentRule {
  return { dim, points: fillNormal(key, new Float64Array(samples * dim)), weights: null, count: samples, method: 'monte-carlo' };
}

/** The symmetric PSD square root of the m x m matrix S (negative eigenvalues from rounding clipped). */
function psdSqrt(backend: LinalgBackend, S: Float64Array, m: number): Float64Array {
  const { values, vectors } = backend.eigh({ rows: m, cols: m, data: S });
  const L = new Float64Array(m * m);
  for (let e = 0; e < m; e++) {
    const s = Math.sqrt(Math.max(0, values[e]));
    if (s === 0) continue;
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) L[i * m + j] += vectors.data[i * m + e] * s * vectors.data[j * m + e];
  }
  return L;
}

/** E (g(z) - sum_j a_j sigma(h_j) - b)^2 over the rule, given M (m x k) and G (m x m). */
export function populationRisk(
  backend: LinalgBackend,
  rule: LatentRule,
  target: MultiIndexTarget,
  activation: Activation,
  M: Float64Array,
  G: Float64Array,
  a: Float64Array,
  b: number,
): RiskEstimate {
  const m = a.length;
  const k = target.k;
  if (rule.dim !== k + m) throw new RangeError(`populationRisk: rule has dimension ${rule.dim}, expected k + m = ${k + m}`);
  const S = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      let s = G[i * m + j];
      for (let l = 0; l < k; l++) s -= M[i * k + l] * M[j * k + l];
      S[i * m + j] = s;
    }
  }
  const L = psdSqrt(backend, S, m);
  const dim = rule.dim;
  let sum = 0;
  let sum2 = 0;
  for (let p = 0; p < rule.count; p++) {
    const base = p * dim;
    const zv = rule.points.subarray(base, base + dim);
    const z = zv.subarray(0, k);
    let f = b;
    for (let j = 0; j < m; j++) {
      let h = 0;
      for (let l = 0; l < k; l++) h += M[j * k + l] * z[l];
      for (let q = 0; q < m; q++) h += L[j * m + q] * zv[k + q];
      f += a[j] * activation.value(h);
    }
    const e = target.g(z) - f;
    const e2 = e * e;
    if (rule.weights) sum += rule.weights[p] * e2;
    else {
      sum += e2;
      sum2 += e2 * e2;
    }
  }
  if (rule.weights) return { value: sum, standardError: 0, method: 'quadrature' };
  const mean = sum / rule.count;
  const variance = Math.max(0, sum2 / rule.count - mean * mean);
  return { value: mean, standardError: Math.sqrt(variance / rule.count), method: 'monte-carlo' };
}
