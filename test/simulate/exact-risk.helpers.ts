/** Independent references for the exact-risk tests: Monte Carlo on fresh Gaussian inputs and closed forms. */
import type { LinalgBackend } from '../../src/linalg/backend.js';
import { zeros, type Matrix } from '../../src/linalg/matrix.js';
import { foldIn, normalMatrix, fillNormal, type Key } from '../../src/random/index.js';
import type { Activation } from '../../src/activations/types.js';

/** Monte Carlo estimate of E (f*(x) - f(x))^2 with its standard error, x ~ N(0, I_d), in chunks. */
export function monteCarloRisk(
  W: Matrix<Float64Array>, a: Float64Array, b: number, act: Activation, betaStar: Float64Array, link: Activation,
  key: Key, n: number, backend: LinalgBackend, chunk = 20000,
): { mean: number; sem: number } {
  const d = W.rows;
  const N = W.cols;
  let sum = 0;
  let sum2 = 0;
  const beta: Matrix<Float64Array> = { rows: d, cols: 1, data: betaStar };
  for (let start = 0, c = 0; start < n; start += chunk, c++) {
    const m = Math.min(chunk, n - start);
    const X = normalMatrix(foldIn(key, c), m, d);
    const Z = zeros(m, N);
    backend.gemm(false, false, 1, X, W, 0, Z);
    for (let q = 0; q < Z.data.length; q++) Z.data[q] = act.value(Z.data[q]);
    const g = zeros(m, 1);
    backend.gemm(false, false, 1, X, beta, 0, g);
    const f = new Float64Array(m);
    backend.gemv(false, 1 / Math.sqrt(N), Z, a, 0, f);
    for (let r = 0; r < m; r++) {
      const e = link.value(g.data[r]) - f[r] - b;
      sum += e * e;
      sum2 += e * e * e * e;
    }
  }
  const mean = sum / n;
  const varE = sum2 / n - mean * mean;
  return { mean, sem: Math.sqrt(varE / n) };
}

/** A unit vector drawn from key. */
export function unitVector(key: Key, d: number): Float64Array {
  const v = fillNormal(key, new Float64Array(d));
  let s = 0;
  for (const x of v) s += x * x;
  s = Math.sqrt(s);
  return v.map((x) => x / s);
}

/**
 * Arc-cosine kernel of degree 1 (Cho & Saul 2009, "Kernel methods for deep learning", eq. 6):
 * E relu(u) relu(v) for centred Gaussians with variances s1^2, s2^2 and correlation rho:
 *   s1 s2 (sin th + (pi - th) cos th) / (2 pi),  th = arccos(rho).
 */
export function arcCosine1(s1: number, s2: number, rho: number): number {
  const r = Math.min(1, Math.max(-1, rho));
  const th = Math.acos(r);
  return (s1 * s2 * (Math.sqrt(1 - r * r) + (Math.PI - th) * r)) / (2 * Math.PI);
}

/** E relu(u): s / sqrt(2 pi). */
export function reluMean(s: number): number {
  return s / Math.sqrt(2 * Math.PI);
}

/** Williams (1997, "Computing with infinite networks"): E erf(u) erf(v) = (2/pi) asin(2 c / sqrt((1 + 2 s1^2)(1 + 2 s2^2))). */
export function erfKernel(s1: number, s2: number, c: number): number {
  return (2 / Math.PI) * Math.asin((2 * c) / Math.sqrt((1 + 2 * s1 * s1) * (1 + 2 * s2 * s2)));
}

/** Risk by an O(N^2) direct sum of a pairwise kernel k(s_i, s_j, <w_i,w_j>) (covariance form) and means. */
export function riskByKernel(
  W: Matrix<Float64Array>, a: Float64Array, b: number, betaStar: Float64Array,
  kernel: (si: number, sj: number, cov: number) => number, mean: (s: number) => number,
  targetKernel: (si: number, cov: number) => number, targetSecond: number, targetMean: number,
): number {
  const d = W.rows;
  const N = W.cols;
  const col = (i: number) => { const w = new Float64Array(d); for (let r = 0; r < d; r++) w[r] = W.data[r * N + i]; return w; };
  const cols = Array.from({ length: N }, (_, i) => col(i));
  const dot = (x: Float64Array, y: Float64Array) => { let s = 0; for (let r = 0; r < d; r++) s += x[r] * y[r]; return s; };
  const s = cols.map((w) => Math.sqrt(dot(w, w)));
  let ff = 0;
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) ff += a[i] * a[j] * kernel(s[i], s[j], dot(cols[i], cols[j]));
  let m = 0;
  let cross = 0;
  for (let i = 0; i < N; i++) {
    m += a[i] * mean(s[i]);
    cross += a[i] * targetKernel(s[i], dot(cols[i], betaStar));
  }
  const Ef2 = ff / N + (2 * b * m) / Math.sqrt(N) + b * b;
  const Eff = cross / Math.sqrt(N) + b * targetMean;
  return targetSecond - 2 * Eff + Ef2;
}
