/**
 * Level-2/3 BLAS in TypeScript for the portable backend: gemm, syrk, gemv on row-major matrices of either
 * precision. Arguments are assumed checked (src/linalg/checks.ts).
 *
 * gemm follows Goto & van de Geijn, "Anatomy of high-performance matrix multiplication" (ACM TOMS 34(3),
 * 2008): a KC x NC panel of op(B) and an MC x KC block of alpha op(A) are packed into contiguous buffers
 * (which absorbs both transposes and alpha) in 4-wide strips, and a 4 x 4 register micro-kernel (16
 * local accumulators) computes each 4 x 4 tile of C over the KC-long strip. JavaScript arithmetic is double:
 * the packed values are exact copies of float32 inputs, each tile is accumulated in double over one
 * KC block and added to C, so for float32 C is rounded once per KC block (as precise as the Float32Array
 * allows). Cost 2 m n k flops; extra memory (MC + NC) KC doubles (~600 KB).
 */
import type { FloatArray, Matrix } from './matrix.js';

const KC = 128;
const NC = 512;
const MC = 64;

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

/**
 * C[i0.., j0..] (an rows x cols <= 4 x 4 tile, row stride ldc) += sum_p a[ao + 4p + r] b[bo + 4p + s]:
 * the 4 x 4 micro-kernel over kb packed k-steps.
 */
function microKernel(a: Float64Array, ao: number, b: Float64Array, bo: number, kb: number, c: FloatArray, co: number, ldc: number, rows: number, cols: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kb; p++) {
    const x = ao + 4 * p, y = bo + 4 * p;
    const a0 = a[x], a1 = a[x + 1], a2 = a[x + 2], a3 = a[x + 3];
    const b0 = b[y], b1 = b[y + 1], b2 = b[y + 2], b3 = b[y + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (rows === 4 && cols === 4) {
    c[co] += c00; c[co + 1] += c01; c[co + 2] += c02; c[co + 3] += c03;
    co += ldc;
    c[co] += c10; c[co + 1] += c11; c[co + 2] += c12; c[co + 3] += c13;
    co += ldc;
    c[co] += c20; c[co + 1] += c21; c[co + 2] += c22; c[co + 3] += c23;
    co += ldc;
    c[co] += c30; c[co + 1] += c31; c[co + 2] += c32; c[co + 3] += c33;
    return;
  }
  const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let r = 0; r < rows; r++) for (let s = 0; s < cols; s++) c[co + r * ldc + s] += tile[4 * r + s];
}

/** C <- alpha op(A) op(B) + beta C; C is m x n, the inner dimension k. */
export function gemmPortable<T extends FloatArray>(transA: boolean, transB: boolean, alpha: number, A: Matrix<T>, B: Matrix<T>, beta: number, C: Matrix<T>): void {
  const m = C.rows, n = C.cols, k = transA ? A.rows : A.cols;
  const a = A.data, b = B.data, c = C.data;
  const lda = A.cols, ldb = B.cols;
  scale(c, m, n, beta, false);
  if (alpha === 0 || m === 0 || n === 0 || k === 0) return;
  const bp = new Float64Array(KC * NC);
  const ap = new Float64Array(MC * KC);
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nb = Math.min(NC, n - j0), nq = Math.ceil(nb / 4);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kb = Math.min(KC, k - p0);
      // bp[(q kb + p) 4 + s] = op(B)(p0 + p, j0 + 4q + s), zero beyond column n
      for (let q = 0; q < nq; q++) {
        for (let s = 0; s < 4; s++) {
          const j = j0 + 4 * q + s;
          const inside = j < j0 + nb;
          for (let p = 0; p < kb; p++) bp[(q * kb + p) * 4 + s] = inside ? (transB ? b[j * ldb + p0 + p] : b[(p0 + p) * ldb + j]) : 0;
        }
      }
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mb = Math.min(MC, m - i0), mq = Math.ceil(mb / 4);
        // ap[(q kb + p) 4 + r] = alpha op(A)(i0 + 4q + r, p0 + p), zero beyond row m
        for (let q = 0; q < mq; q++) {
          for (let r = 0; r < 4; r++) {
            const i = i0 + 4 * q + r;
            const inside = i < i0 + mb;
            for (let p = 0; p < kb; p++) ap[(q * kb + p) * 4 + r] = inside ? alpha * (transA ? a[(p0 + p) * lda + i] : a[i * lda + p0 + p]) : 0;
          }
        }
        for (let qi = 0; qi < mq; qi++) {
          const i = i0 + 4 * qi, rows = Math.min(4, i0 + mb - i);
          for (let qj = 0; qj < nq; qj++) {
            const j = j0 + 4 * qj, cols = Math.min(4, j0 + nb - j);
            microKernel(ap, qi * kb * 4, bp, qj * kb * 4, kb, c, i * n + j, n, rows, cols);
          }
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
