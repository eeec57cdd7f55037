/**
 * Level-2/3 BLAS in TypeScript for the portable backend: gemm, syrk, gemv on row-major matrices of either
 * precision. Arguments are assumed checked (src/linalg/checks.ts).
 *
 * gemm is cache-blocked in the spirit of Goto & van de Geijn, "Anatomy of high-performance matrix
 * multiplication" (ACM TOMS 34(3), 2008): a KC x NC panel of op(B) is packed once into a contiguous
 * row-major buffer (which also absorbs transB) and reused for every row of C; each row of C is updated with
 * four rank-1 terms at a time (four rows of the panel), so C is read and written once per four k.
 * JavaScript arithmetic is double; for float32 the packed panel holds the exact float32 values and every
 * update of C rounds to float32 when stored, so accumulation is as precise as the Float32Array allows (like
 * sgemm), not more. Cost 2 m n k flops, extra memory KC * NC doubles (256 KB).
 */
import type { FloatArray, Matrix } from './matrix.js';

const KC = 128;
const NC = 256;

/** C <- beta C on the whole matrix, or only on its lower triangle; beta = 0 overwrites (NaN does not survive). */
function scale(c: FloatArray, rows: number, cols: number, beta: number, lowerOnly: boolean): void {
  if (beta === 1) return;
  for (let i = 0; i < rows; i++) {
    const end = lowerOnly ? Math.min(cols, i + 1) : cols;
    const row = i * cols;
    if (beta === 0) c.fill(0, row, row + end);
    else for (let j = 0; j < end; j++) c[row + j] *= beta;
  }
}

/** C <- alpha op(A) op(B) + beta C; C is m x n, the inner dimension k. */
export function gemmPortable<T extends FloatArray>(transA: boolean, transB: boolean, alpha: number, A: Matrix<T>, B: Matrix<T>, beta: number, C: Matrix<T>): void {
  const m = C.rows, n = C.cols, k = transA ? A.rows : A.cols;
  const a = A.data, b = B.data, c = C.data;
  const lda = A.cols, ldb = B.cols;
  scale(c, m, n, beta, false);
  if (alpha === 0 || m === 0 || n === 0 || k === 0) return;
  const panel = new Float64Array(KC * NC);
  // op(A)(i, p): element stride along p and along i.
  const aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nb = Math.min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kb = Math.min(KC, k - p0);
      // panel[p, j] = op(B)(p0 + p, j0 + j)
      for (let p = 0; p < kb; p++) {
        const dst = p * nb;
        if (transB) {
          for (let j = 0; j < nb; j++) panel[dst + j] = b[(j0 + j) * ldb + p0 + p];
        } else {
          const src = (p0 + p) * ldb + j0;
          for (let j = 0; j < nb; j++) panel[dst + j] = b[src + j];
        }
      }
      for (let i = 0; i < m; i++) {
        const ci = i * n + j0;
        const ai = i * aRow + p0 * aCol;
        let p = 0;
        for (; p + 4 <= kb; p += 4) {
          const a0 = alpha * a[ai + p * aCol], a1 = alpha * a[ai + (p + 1) * aCol];
          const a2 = alpha * a[ai + (p + 2) * aCol], a3 = alpha * a[ai + (p + 3) * aCol];
          const r0 = p * nb, r1 = r0 + nb, r2 = r1 + nb, r3 = r2 + nb;
          for (let j = 0; j < nb; j++) {
            c[ci + j] += a0 * panel[r0 + j] + a1 * panel[r1 + j] + a2 * panel[r2 + j] + a3 * panel[r3 + j];
          }
        }
        for (; p < kb; p++) {
          const a0 = alpha * a[ai + p * aCol], r0 = p * nb;
          for (let j = 0; j < nb; j++) c[ci + j] += a0 * panel[r0 + j];
        }
      }
    }
  }
}

/**
 * C (n x n) <- alpha op(A) op(A)^T + beta C, op(A) = A (n x k) or A^T (A k x n). Like BLAS ?syrk with
 * uplo = lower: only the lower triangle of C is read (when beta != 0) and computed, then mirrored into the
 * upper one. Entry (i, j) of the lower triangle is the dot product of rows i and j of op(A) (A itself, or a
 * transposed copy of A), accumulated in double in blocks of KC along k. Cost n^2 k flops.
 */
export function syrkPortable<T extends FloatArray>(trans: boolean, alpha: number, A: Matrix<T>, beta: number, C: Matrix<T>): void {
  const n = C.rows;
  const k = trans ? A.rows : A.cols;
  const c = C.data;
  scale(c, n, n, beta, true);
  if (alpha !== 0 && k > 0) {
    // rows of op(A), contiguous: A itself or its transpose
    let a: FloatArray = A.data;
    if (trans) {
      const t = new Float64Array(n * k);
      for (let p = 0; p < k; p++) for (let i = 0; i < n; i++) t[i * k + p] = A.data[p * n + i];
      a = t;
    }
    for (let p0 = 0; p0 < k; p0 += KC) {
      const p1 = Math.min(k, p0 + KC);
      for (let i = 0; i < n; i++) {
        const ai = i * k;
        for (let j = 0; j <= i; j++) {
          const aj = j * k;
          let s = 0;
          for (let p = p0; p < p1; p++) s += a[ai + p] * a[aj + p];
          c[i * n + j] += alpha * s;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) c[i * n + j] = c[j * n + i];
}

/** y <- alpha op(A) x + beta y, A row-major m x n. */
export function gemvPortable<T extends FloatArray>(trans: boolean, alpha: number, A: Matrix<T>, x: T, beta: number, y: T): void {
  const { rows: m, cols: n, data: a } = A;
  scale(y, 1, y.length, beta, false);
  if (alpha === 0) return;
  if (!trans) {
    for (let i = 0; i < m; i++) {
      let s = 0;
      const ai = i * n;
      for (let j = 0; j < n; j++) s += a[ai + j] * x[j];
      y[i] += alpha * s;
    }
  } else {
    for (let i = 0; i < m; i++) {
      const s = alpha * x[i];
      const ai = i * n;
      for (let j = 0; j < n; j++) y[j] += s * a[ai + j];
    }
  }
}
