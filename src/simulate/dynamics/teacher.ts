/**
 * Drawing a multi-index teacher (multi-index.md section 1): Theta* with orthonormal columns, uniform on
 * the Stiefel manifold (a Gaussian d x k matrix orthonormalised by Gram-Schmidt, twice), and the labels
 * y_i = g(Theta*^T x_i) + sqrt(Delta) xi_i. Theta* is stored TRANSPOSED: ThetaT is k x d, row l = theta_l.
 */
import type { LinalgBackend } from '../../linalg/backend.js';
import type { FloatArray, Matrix } from '../../linalg/matrix.js';
import { fillNormal, type Key } from '../../random/index.js';
import type { MultiIndexTarget } from '../../models/multi-index-teacher.js';

/** Orthonormalises the rows of A (r x d) in place by modified Gram-Schmidt, twice. Returns the rank-check norms. */
export function orthonormalizeRows(A: Float64Array, r: number, d: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let l = 0; l < r; l++) {
      const row = A.subarray(l * d, (l + 1) * d);
      for (let p = 0; p < l; p++) {
        const prev = A.subarray(p * d, (p + 1) * d);
        let s = 0;
        for (let i = 0; i < d; i++) s += row[i] * prev[i];
        for (let i = 0; i < d; i++) row[i] -= s * prev[i];
      }
      let nn = 0;
      for (let i = 0; i < d; i++) nn += row[i] * row[i];
      const norm = Math.sqrt(nn);
      if (!(norm > 1e-12)) throw new RangeError(`orthonormalizeRows: row ${l} is (numerically) in the span of the previous rows`);
      for (let i = 0; i < d; i++) row[i] /= norm;
    }
  }
}

/** Theta*^T (k x d) with orthonormal rows, from `key`. */
export function drawThetaStar(key: Key, d: number, k: number): Matrix<Float64Array> {
  if (k > d) throw new RangeError(`teacher.k: must be <= d = ${d}, got ${k}`);
  const data = fillNormal(key, new Float64Array(k * d));
  orthonormalizeRows(data, k, d);
  return { rows: k, cols: d, data };
}

export interface MultiIndexLabels {
  /** Latent coordinates z_i = Theta*^T x_i (n x k). */
  Z: Matrix<Float64Array>;
  /** Noiseless g(z_i). */
  fStar: Float64Array;
  /** y_i = g(z_i) + sqrt(Delta) xi_i (xi from noiseKey at stream position i). */
  y: Float64Array;
}

export function multiIndexLabels<T extends FloatArray>(backend: LinalgBackend, X: Matrix<T>, ThetaT: Matrix<Float64Array>, target: MultiIndexTarget, noise: number, noiseKey: Key): MultiIndexLabels {
  const n = X.rows;
  const k = ThetaT.rows;
  const Tc = X.data instanceof Float64Array ? ThetaT : { rows: k, cols: ThetaT.cols, data: Float32Array.from(ThetaT.data) };
  const Zc = { rows: n, cols: k, data: new (X.data.constructor as new (q: number) => FloatArray)(n * k) };
  backend.gemm(false, true, 1, X, Tc as Matrix<T>, 0, Zc as Matrix<T>);
  const Z = { rows: n, cols: k, data: Float64Array.from(Zc.data) };
  const fStar = new Float64Array(n);
  for (let i = 0; i < n; i++) fStar[i] = target.g(Z.data.subarray(i * k, (i + 1) * k));
  const y = fStar.slice();
  if (noise > 0) {
    const xi = fillNormal(noiseKey, new Float64Array(n), { std: Math.sqrt(noise) });
    for (let i = 0; i < n; i++) y[i] += xi[i];
  }
  for (let i = 0; i < n; i++) if (!Number.isFinite(fStar[i])) throw new RangeError(`teacher.link "${target.name}": g(z) = ${fStar[i]} at sample ${i}`);
  return { Z, fStar, y };
}
