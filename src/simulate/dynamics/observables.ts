/**
 * What GD on a multi-index target is measured by (multi-index.md section 2): the overlap matrix
 * M = W Theta* (m x k), the principal cosines between span(W) (rows w_j) and span(Theta*), and the
 * overlap with a subspace of span(Theta*) (the part not yet learned at the end of phase 1).
 *
 * With G = W W^T (m x m) and G^+ its pseudo-inverse (eigenvalues below 1e-12 max dropped), the k x k
 * matrix C = M^T G^+ M is the projection onto span(W) compressed to span(Theta*): its eigenvalues are
 * the squared principal cosines (Bjorck & Golub 1973, "Numerical methods for computing angles between
 * linear subspaces"), its eigenvectors the principal directions in latent coordinates. For a latent
 * subspace with orthonormal basis E (k x u), the largest cosine between span(W) and span(Theta* E) is
 * sqrt(lambda_max(E^T C E)). Cost O(m (m + k) d) per evaluation, negligible beside a GD step.
 */
import type { LinalgBackend } from '../../linalg/backend.js';
import type { Matrix } from '../../linalg/matrix.js';

/** M = W Theta* (m x k) and G = W W^T (m x m), from W (m x d, flat) and ThetaT (k x d). */
export function overlapAndGram(W: Float64Array, m: number, ThetaT: Matrix<Float64Array>): { M: Float64Array; G: Float64Array } {
  const d = ThetaT.cols;
  const k = ThetaT.rows;
  const M = new Float64Array(m * k);
  const G = new Float64Array(m * m);
  for (let j = 0; j < m; j++) {
    const wj = W.subarray(j * d, (j + 1) * d);
    for (let l = 0; l < k; l++) {
      const t = ThetaT.data.subarray(l * d, (l + 1) * d);
      let s = 0;
      for (let i = 0; i < d; i++) s += wj[i] * t[i];
      M[j * k + l] = s;
    }
    for (let q = 0; q <= j; q++) {
      const wq = W.subarray(q * d, (q + 1) * d);
      let s = 0;
      for (let i = 0; i < d; i++) s += wj[i] * wq[i];
      G[j * m + q] = s;
      G[q * m + j] = s;
    }
  }
  return { M, G };
}

/** C = M^T G^+ M (k x k, symmetric PSD with eigenvalues in [0, 1]). */
export function projectionInLatent(backend: LinalgBackend, M: Float64Array, G: Float64Array, m: number, k: number): Float64Array {
  const { values, vectors } = backend.eigh({ rows: m, cols: m, data: G.slice() });
  const cut = 1e-12 * Math.max(values[m - 1], 0);
  // B = Lambda^{-1/2} U^T M (r x k), C = B^T B.
  const C = new Float64Array(k * k);
  for (let e = 0; e < m; e++) {
    const lam = values[e];
    if (!(lam > cut) || lam <= 0) continue;
    const row = new Float64Array(k);
    for (let l = 0; l < k; l++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += vectors.data[j * m + e] * M[j * k + l];
      row[l] = s / Math.sqrt(lam);
    }
    for (let l = 0; l < k; l++) for (let q = 0; q < k; q++) C[l * k + q] += row[l] * row[q];
  }
  return C;
}

/** Principal cosines between span(W) and span(Theta*), descending (min(rank W, k) meaningful ones, k returned). */
export function principalCosines(backend: LinalgBackend, C: Float64Array, k: number): Float64Array {
  const ev = backend.eigvalsh({ rows: k, cols: k, data: C.slice() });
  return Float64Array.from({ length: k }, (_, i) => Math.sqrt(Math.min(1, Math.max(0, ev[k - 1 - i]))));
}

/** Largest cosine between span(W) and span(Theta* E), E (k x u) with orthonormal columns (row-major). */
export function subspaceCosine(C: Float64Array, k: number, E: Float64Array, u: number, backend: LinalgBackend): number {
  if (u === 0) return NaN;
  const R = new Float64Array(u * u);
  for (let p = 0; p < u; p++) {
    for (let q = 0; q < u; q++) {
      let s = 0;
      for (let l = 0; l < k; l++) for (let r = 0; r < k; r++) s += E[l * u + p] * C[l * k + r] * E[r * u + q];
      R[p * u + q] = s;
    }
  }
  const ev = backend.eigvalsh({ rows: u, cols: u, data: R });
  return Math.sqrt(Math.min(1, Math.max(0, ev[u - 1])));
}

/**
 * The split of span(Theta*) at a point: latent directions whose cosine with span(W) is >= level are
 * learned, the others (basis `unlearned`, k x u, orthonormal columns) are not.
 */
export function splitLearned(backend: LinalgBackend, C: Float64Array, k: number, level: number): { learned: number; unlearned: Float64Array; u: number; cosines: Float64Array } {
  const { values, vectors } = backend.eigh({ rows: k, cols: k, data: C.slice() });
  const idx: number[] = [];
  for (let i = 0; i < k; i++) if (Math.sqrt(Math.max(0, values[i])) < level) idx.push(i);
  const u = idx.length;
  const E = new Float64Array(k * u);
  idx.forEach((col, p) => {
    for (let l = 0; l < k; l++) E[l * u + p] = vectors.data[l * k + col];
  });
  const cosines = Float64Array.from(values, (v) => Math.sqrt(Math.min(1, Math.max(0, v)))).reverse();
  return { learned: k - u, unlearned: E, u, cosines };
}

/** Overlap of a parameter-space vector (first m d entries = a direction for W) with span(Theta*) and a latent subspace. */
export function vectorOverlap(v: Float64Array, m: number, ThetaT: Matrix<Float64Array>, E: Float64Array | null, u: number): { thetaStar: number; unlearned: number | null } {
  const d = ThetaT.cols;
  const k = ThetaT.rows;
  // |P_Theta V|_F^2 / |v|^2 with V = the m x d block, and similarly for Theta* E.
  let total = 0;
  for (let t = 0; t < v.length; t++) total += v[t] * v[t];
  const proj = new Float64Array(m * k);
  for (let j = 0; j < m; j++) {
    for (let l = 0; l < k; l++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += v[j * d + i] * ThetaT.data[l * d + i];
      proj[j * k + l] = s;
    }
  }
  let inTheta = 0;
  for (const x of proj) inTheta += x * x;
  let inU: number | null = null;
  if (E && u > 0) {
    inU = 0;
    for (let j = 0; j < m; j++) {
      for (let p = 0; p < u; p++) {
        let s = 0;
        for (let l = 0; l < k; l++) s += proj[j * k + l] * E[l * u + p];
        inU += s * s;
      }
    }
    inU /= total;
  }
  return { thetaStar: inTheta / total, unlearned: inU };
}
