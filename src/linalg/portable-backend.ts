/**
 * The portable linear-algebra backend, pure TypeScript, used when the native addon is not built (or when
 * FEATLEARN_BACKEND=portable). Single-threaded; the thread count is recorded but not used.
 *   gemm/syrk/gemv: our cache-blocked loops (src/linalg/portable-gemm.ts), float64 and float32.
 *   eigh/eigvalsh: ml-matrix EigenvalueDecomposition (assumeSymmetric: Householder tridiagonalisation +
 *     implicit QL, tred2/tql2 of EISPACK via JAMA), eigenvalues ascending; eighRange slices the full result.
 *   svd/svdvals: ml-matrix SingularValueDecomposition (Golub-Kahan-Reinsch via JAMA, autoTranspose for wide A).
 *   cholesky: ml-matrix CholeskyDecomposition; choleskyInPlace: our row-oriented Cholesky (see there);
 *     choleskySolve: forward then back substitution on our row-major L (Golub & Van Loan, Matrix
 *     Computations, 4th ed., Alg. 3.1.1-3.1.2); solve: ml-matrix LuDecomposition (partial pivoting).
 * Layouts are converted to and from ml-matrix's row arrays (O(n^2), negligible against the O(n^3) work).
 * As in the native backend, symmetric inputs are read from their lower triangle only, inputs of the
 * decompositions are checked for NaN/Infinity (ml-matrix's iterations have no cap and would not stop), and
 * failures throw LinalgError with LAPACK-like info codes.
 */
import { CholeskyDecomposition, EigenvalueDecomposition, LuDecomposition, Matrix as MlMatrix, SingularValueDecomposition } from 'ml-matrix';
import { LinalgError, type BackendInfo, type EighResult, type LinalgBackend, type SvdResult } from './backend.js';
import {
  checkElementwise,
  checkFinite,
  checkFloat64,
  checkGemm,
  checkGemv,
  checkRange,
  checkSolve,
  checkSquare,
  checkSyrk,
} from './checks.js';
import type { ElementwiseKernel, ElementwiseMode } from './elementwise.js';
import type { FloatArray, Matrix } from './matrix.js';
import { elementwisePortable } from './portable-elementwise.js';
import { gemmPortable, gemvPortable, syrkPortable } from './portable-gemm.js';

function matrix(rows: number, cols: number): Matrix<Float64Array> {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

function toMl(A: Matrix<Float64Array>): MlMatrix {
  const m = new MlMatrix(A.rows, A.cols);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) m.set(i, j, A.data[i * A.cols + j]);
  return m;
}

/** The symmetric matrix whose lower triangle is that of A (exactly symmetric, as ml-matrix requires). */
function symmetricFromLower(A: Matrix<Float64Array>): MlMatrix {
  const n = A.rows;
  const m = new MlMatrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = A.data[i * n + j];
      m.set(i, j, v);
      m.set(j, i, v);
    }
  }
  return m;
}

/** Rows x cols of ml-matrix m starting at column c0, as a row-major float64 matrix. */
function fromMl(m: MlMatrix, rows = m.rows, cols = m.columns, c0 = 0): Matrix<Float64Array> {
  const out = matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out.data[i * cols + j] = m.get(i, c0 + j);
  return out;
}

function fromMlTransposed(m: MlMatrix, rows: number, cols: number): Matrix<Float64Array> {
  const out = matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out.data[i * cols + j] = m.get(j, i);
  return out;
}

function checkDiagonal(routine: string, L: Matrix<Float64Array>): void {
  const n = L.rows;
  for (let i = 0; i < n; i++) {
    const d = L.data[i * n + i];
    if (d === 0) throw new LinalgError(routine, 'singular', `the Cholesky factor has diagonal entry L(${i}, ${i}) = 0: the matrix is singular`, i + 1);
    if (!Number.isFinite(d)) throw new LinalgError(routine, 'invalid', `the Cholesky factor has diagonal entry L(${i}, ${i}) = ${d}: expected a finite non-zero number`, i + 1);
  }
}

export class PortableBackend implements LinalgBackend {
  readonly name = 'portable' as const;

  info(): BackendInfo {
    return { name: 'portable', blas: 'featlearn portable (TypeScript, single-threaded) + ml-matrix', threads: 1 };
  }

  /** Validated like the native backend's, otherwise without effect: the portable code is single-threaded. */
  setThreads(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > 1024) throw new RangeError(`setThreads: expected an integer from 1 to 1024, got ${n}`);
  }

  gemm<T extends FloatArray>(transA: boolean, transB: boolean, alpha: number, A: Matrix<T>, B: Matrix<T>, beta: number, C: Matrix<T>): void {
    checkGemm(transA, transB, alpha, A, B, beta, C);
    gemmPortable(transA, transB, alpha, A, B, beta, C);
  }

  async gemmAsync<T extends FloatArray>(transA: boolean, transB: boolean, alpha: number, A: Matrix<T>, B: Matrix<T>, beta: number, C: Matrix<T>): Promise<void> {
    checkGemm(transA, transB, alpha, A, B, beta, C, 'gemmAsync');
    gemmPortable(transA, transB, alpha, A, B, beta, C);
  }

  syrk<T extends FloatArray>(trans: boolean, alpha: number, A: Matrix<T>, beta: number, C: Matrix<T>): void {
    checkSyrk(trans, alpha, A, beta, C);
    syrkPortable(trans, alpha, A, beta, C);
  }

  gemv<T extends FloatArray>(trans: boolean, alpha: number, A: Matrix<T>, x: T, beta: number, y: T): void {
    checkGemv(trans, alpha, A, x, beta, y);
    gemvPortable(trans, alpha, A, x, beta, y);
  }

  eigh(A: Matrix<Float64Array>): EighResult {
    return this.eighChecked('eigh', A);
  }

  async eighAsync(A: Matrix<Float64Array>): Promise<EighResult> {
    return this.eighChecked('eighAsync', A);
  }

  eighRange(A: Matrix<Float64Array>, il: number, iu: number): EighResult {
    checkSquare('eighRange', 'A', A);
    checkRange('eighRange', A.rows, il, iu);
    const full = this.eighChecked('eighRange', A);
    const n = A.rows, count = iu - il + 1;
    const vectors = matrix(n, count);
    for (let i = 0; i < n; i++) vectors.data.set(full.vectors.data.subarray(i * n + il, i * n + iu + 1), i * count);
    return { values: full.values.slice(il, iu + 1), vectors };
  }

  eigvalsh(A: Matrix<Float64Array>): Float64Array {
    return this.eighChecked('eigvalsh', A).values;
  }

  svd(A: Matrix<Float64Array>): SvdResult {
    return this.svdChecked('svd', A, true);
  }

  async svdAsync(A: Matrix<Float64Array>): Promise<SvdResult> {
    return this.svdChecked('svdAsync', A, true);
  }

  svdvals(A: Matrix<Float64Array>): Float64Array {
    return this.svdChecked('svdvals', A, false).s;
  }

  cholesky(A: Matrix<Float64Array>): Matrix<Float64Array> {
    const routine = 'cholesky';
    checkSquare(routine, 'A', A);
    checkFinite(routine, 'A', A, true);
    const n = A.rows;
    if (n === 0) return matrix(0, 0);
    const chol = new CholeskyDecomposition(symmetricFromLower(A));
    const L = fromMl(chol.lowerTriangularMatrix);
    if (!chol.isPositiveDefinite()) {
      // ml-matrix stores sqrt(max(d, 0)) on the diagonal: the first 0 (or NaN after it) marks the failing minor.
      let j = 0;
      while (j < n && L.data[j * n + j] > 0) j++;
      throw new LinalgError(routine, 'not-positive-definite', `the matrix is not positive definite: the leading minor of order ${j + 1} is not positive (info=${j + 1})`, j + 1);
    }
    return L;
  }

  /**
   * Row-oriented Cholesky-Banachiewicz on the lower triangle of A, in place (Golub & Van Loan, Matrix
   * Computations, 4th ed., section 4.2.5, with the inner products along rows of the row-major storage):
   * L(i, j) = (A(i, j) - sum_{k<j} L(i, k) L(j, k)) / L(j, j), L(i, i) = sqrt(A(i, i) - sum_{k<i} L(i, k)^2).
   * A pivot that is not positive (or NaN) fails like dpotrf: info = its 1-based order.
   */
  choleskyInPlace(A: Matrix<Float64Array>): void {
    const routine = 'choleskyInPlace';
    checkSquare(routine, 'A', A);
    checkFinite(routine, 'A', A, true);
    const n = A.rows, a = A.data;
    for (let i = 0; i < n; i++) {
      const ri = i * n;
      for (let j = 0; j <= i; j++) {
        const rj = j * n;
        let s = a[ri + j];
        for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
        if (j < i) {
          a[ri + j] = s / a[rj + j];
        } else {
          if (!(s > 0)) throw new LinalgError(routine, 'not-positive-definite', `the matrix is not positive definite: the leading minor of order ${i + 1} is not positive (info=${i + 1})`, i + 1);
          a[ri + i] = Math.sqrt(s);
        }
      }
    }
  }

  choleskySolve(L: Matrix<Float64Array>, B: Matrix<Float64Array>): Matrix<Float64Array> {
    return this.choleskySolveChecked('choleskySolve', L, B);
  }

  async choleskySolveAsync(L: Matrix<Float64Array>, B: Matrix<Float64Array>): Promise<Matrix<Float64Array>> {
    return this.choleskySolveChecked('choleskySolveAsync', L, B);
  }

  solve(A: Matrix<Float64Array>, B: Matrix<Float64Array>): Matrix<Float64Array> {
    const routine = 'solve';
    checkSolve(routine, 'A', A, B);
    checkFinite(routine, 'A', A, false);
    const n = A.rows;
    if (n === 0 || B.cols === 0) return matrix(B.rows, B.cols);
    const lu = new LuDecomposition(toMl(A));
    if (lu.isSingular()) {
      const U = lu.upperTriangularMatrix;
      let i = 0;
      while (i < n && U.get(i, i) !== 0) i++;
      throw new LinalgError(routine, 'singular', `the matrix is singular: U(${i}, ${i}) of its LU factorization is exactly zero (info=${i + 1})`, i + 1);
    }
    return fromMl(lu.solve(toMl(B)));
  }

  /** Nothing to do: the garbage collector frees the array. */
  releaseMemory(_a: FloatArray): void {}

  elementwise<T extends FloatArray>(kernel: ElementwiseKernel, mode: ElementwiseMode, X: T, value: T | null, derivative: T | null): void {
    const k = checkElementwise(kernel, mode, X, value, derivative);
    elementwisePortable(k, mode, X, value, derivative);
  }

  private eighChecked(routine: string, A: Matrix<Float64Array>): EighResult {
    checkSquare(routine, 'A', A);
    checkFinite(routine, 'A', A, true);
    const n = A.rows;
    if (n === 0) return { values: new Float64Array(0), vectors: matrix(0, 0) };
    const evd = new EigenvalueDecomposition(symmetricFromLower(A), { assumeSymmetric: true });
    const values = Float64Array.from(evd.realEigenvalues);
    for (let i = 1; i < n; i++) {
      if (!(values[i - 1] <= values[i])) throw new LinalgError(routine, 'no-convergence', `ml-matrix returned unsorted or NaN eigenvalues at index ${i}`);
    }
    return { values, vectors: fromMl(evd.eigenvectorMatrix) };
  }

  private svdChecked(routine: string, A: Matrix<Float64Array>, vectors: boolean): SvdResult {
    checkFloat64(routine, 'A', A);
    checkFinite(routine, 'A', A, false);
    const { rows: m, cols: n } = A;
    const k = Math.min(m, n);
    if (k === 0) return { U: matrix(m, 0), s: new Float64Array(0), Vt: matrix(0, n) };
    const dec = new SingularValueDecomposition(toMl(A), {
      computeLeftSingularVectors: vectors,
      computeRightSingularVectors: vectors,
      autoTranspose: true,
    });
    const s = Float64Array.from(dec.diagonal.slice(0, k));
    for (let i = 0; i < k; i++) {
      if (!(s[i] >= 0) || (i > 0 && s[i] > s[i - 1])) throw new LinalgError(routine, 'no-convergence', `ml-matrix returned unsorted, negative or NaN singular values at index ${i}`);
    }
    if (!vectors) return { U: matrix(m, 0), s, Vt: matrix(0, n) };
    // Thin factors: the first k columns of U (m x k) and of V (n x k), Vt = V^T.
    return { U: fromMl(dec.leftSingularVectors, m, k), s, Vt: fromMlTransposed(dec.rightSingularVectors, k, n) };
  }

  /** L L^T X = B: forward substitution L Y = B by rows, then L^T X = Y by columns of L^T (rows of L). */
  private choleskySolveChecked(routine: string, L: Matrix<Float64Array>, B: Matrix<Float64Array>): Matrix<Float64Array> {
    checkSolve(routine, 'L', L, B);
    checkDiagonal(routine, L);
    const n = L.rows, r = B.cols, l = L.data;
    const X = { rows: n, cols: r, data: B.data.slice() };
    const x = X.data;
    for (let i = 0; i < n; i++) {
      const xi = i * r;
      for (let j = 0; j < i; j++) {
        const lij = l[i * n + j];
        if (lij === 0) continue;
        const xj = j * r;
        for (let c = 0; c < r; c++) x[xi + c] -= lij * x[xj + c];
      }
      const d = l[i * n + i];
      for (let c = 0; c < r; c++) x[xi + c] /= d;
    }
    for (let i = n - 1; i >= 0; i--) {
      const xi = i * r, d = l[i * n + i];
      for (let c = 0; c < r; c++) x[xi + c] /= d;
      for (let j = 0; j < i; j++) {
        const lij = l[i * n + j];
        if (lij === 0) continue;
        const xj = j * r;
        for (let c = 0; c < r; c++) x[xj + c] -= lij * x[xi + c];
      }
    }
    return X;
  }
}
