/**
 * The one linear-algebra interface of featlearn. Two implementations:
 * - `native`  (src/linalg/native-backend.ts): OpenBLAS + LAPACKE (Accelerate on macOS) through the addon;
 * - `portable` (src/linalg/portable-backend.ts): TypeScript (own blocked gemm; ml-matrix decompositions).
 * Both pass the same test suite (test/linalg) and agree to 1e-10 relative on random inputs.
 *
 * Conventions: matrices are row-major (src/linalg/matrix.ts). Operations named like BLAS work in place on
 * their output argument; decompositions return new matrices. Failures (not positive definite, singular,
 * no convergence) throw a `LinalgError` naming the routine and the LAPACK info code — never a silent number.
 */
import type { FloatArray, Matrix } from './matrix.js';
import type { ElementwiseKernel, ElementwiseMode } from './elementwise.js';

export type BackendName = 'native' | 'portable';

export interface BackendInfo {
  name: BackendName;
  /** e.g. "OpenBLAS 0.3.21 (pthread, Haswell)" or "featlearn portable (TypeScript) + ml-matrix" */
  blas: string;
  threads: number;
}

export class LinalgError extends Error {
  constructor(
    readonly routine: string,
    readonly kind: 'not-positive-definite' | 'singular' | 'no-convergence' | 'shape' | 'invalid',
    message: string,
    readonly info?: number,
  ) {
    super(`${routine}: ${message}`);
    this.name = 'LinalgError';
  }
}

/** Symmetric eigendecomposition: ascending eigenvalues; eigenvector k is COLUMN k of `vectors` (n x k). */
export interface EighResult {
  values: Float64Array;
  vectors: Matrix<Float64Array>;
}

/** Thin SVD of an m x n matrix, k = min(m, n): A = U diag(s) Vt, s descending. */
export interface SvdResult {
  U: Matrix<Float64Array>;
  s: Float64Array;
  Vt: Matrix<Float64Array>;
}

export interface LinalgBackend {
  readonly name: BackendName;
  info(): BackendInfo;
  /** Threads used by BLAS/LAPACK and the elementwise kernels (>= 1). */
  setThreads(n: number): void;

  /** C <- alpha op(A) op(B) + beta C, op(X) = X or X^T. All three of one precision. */
  gemm<T extends FloatArray>(transA: boolean, transB: boolean, alpha: number, A: Matrix<T>, B: Matrix<T>, beta: number, C: Matrix<T>): void;
  gemmAsync<T extends FloatArray>(transA: boolean, transB: boolean, alpha: number, A: Matrix<T>, B: Matrix<T>, beta: number, C: Matrix<T>): Promise<void>;
  /** C <- alpha A A^T + beta C (trans = false) or alpha A^T A + beta C (trans = true); BOTH triangles of C are filled. */
  syrk<T extends FloatArray>(trans: boolean, alpha: number, A: Matrix<T>, beta: number, C: Matrix<T>): void;
  /** y <- alpha op(A) x + beta y. */
  gemv<T extends FloatArray>(trans: boolean, alpha: number, A: Matrix<T>, x: T, beta: number, y: T): void;

  /** All eigenpairs of the symmetric matrix A (only its lower triangle is read; A is not modified). */
  eigh(A: Matrix<Float64Array>): EighResult;
  eighAsync(A: Matrix<Float64Array>): Promise<EighResult>;
  /** Eigenpairs with (0-based, inclusive) indices il..iu in ascending order. */
  eighRange(A: Matrix<Float64Array>, il: number, iu: number): EighResult;
  /** Eigenvalues only, ascending. */
  eigvalsh(A: Matrix<Float64Array>): Float64Array;

  svd(A: Matrix<Float64Array>): SvdResult;
  svdAsync(A: Matrix<Float64Array>): Promise<SvdResult>;
  /** Singular values only, descending. */
  svdvals(A: Matrix<Float64Array>): Float64Array;

  /** Lower Cholesky factor L with A = L L^T; throws LinalgError('not-positive-definite'). */
  cholesky(A: Matrix<Float64Array>): Matrix<Float64Array>;
  /**
   * In place: overwrites the lower triangle (diagonal included) of A by its lower Cholesky factor L, with no
   * copy. Only the lower triangle is read; the strict upper triangle is neither read nor written, so a
   * matrix stored with both triangles keeps its off-diagonal entries there (with a saved diagonal, A can be
   * rebuilt). Throws LinalgError('not-positive-definite'), after which the lower triangle is partly
   * overwritten (the upper one still intact).
   */
  choleskyInPlace(A: Matrix<Float64Array>): void;
  /** Solves A X = B given the lower Cholesky factor L of A (only the lower triangle of L is read). */
  choleskySolve(L: Matrix<Float64Array>, B: Matrix<Float64Array>): Matrix<Float64Array>;
  choleskySolveAsync(L: Matrix<Float64Array>, B: Matrix<Float64Array>): Promise<Matrix<Float64Array>>;
  /** Solves A X = B by LU with partial pivoting; throws LinalgError('singular'). */
  solve(A: Matrix<Float64Array>, B: Matrix<Float64Array>): Matrix<Float64Array>;

  /**
   * The caller is done with `a`: return its memory to the operating system now rather than when the garbage
   * collector frees the array (native: madvise on the whole pages inside it; portable: nothing). `a` stays
   * usable but its contents are undefined afterwards. Keeps the peak memory of a pipeline of large
   * temporaries independent of the collector's timing.
   */
  releaseMemory(a: FloatArray): void;

  /**
   * Fused elementwise kernel: for each entry z of X, writes sigma(z) to `value` and/or sigma'(z) to
   * `derivative` (mode decides which; outputs may alias X). One pass, multi-threaded in the native backend.
   */
  elementwise<T extends FloatArray>(kernel: ElementwiseKernel, mode: ElementwiseMode, X: T, value: T | null, derivative: T | null): void;

  /**
   * Fused passes of a two-layer network with few neurons over its inputs (native/src/network.cc), or
   * undefined where the backend has none (portable: src/simulate/dynamics/network.ts then uses row-blocked
   * gemms).
   */
  readonly network?: NetworkPasses;
}

/** The loss of a network pass: l(y, f) = (f - y)^2 / 2, Huber with threshold huberDelta, or log cosh(f - y). */
export interface NetworkPassLoss {
  readonly name: 'square' | 'huber' | 'logcosh';
  readonly huberDelta: number;
}

/** What the Hessian-vector pass reads at the point: sigma, sigma', sigma'' (n x m row-major), l', l'' (n). */
export interface NetworkPassPoint {
  readonly S: Float64Array;
  readonly S1: Float64Array;
  readonly S2: Float64Array;
  readonly r: Float64Array;
  readonly r2: Float64Array;
}

/**
 * One pass over the rows x_i of X (n x d) for f(x) = sum_j a_j sigma(<w_j, x>) + b, W = m x d row-major
 * (m << d). Sums only: the caller divides by n and adds weight decay. Deterministic and independent of
 * the thread count.
 */
export interface NetworkPasses {
  /**
   * outW <- sum_i l'(f_i) a_j sigma'(h_ij) x_i (m x d), outA <- sum_i l'(f_i) sigma(h_ij) (m), with
   * h_ij = <w_j, x_i>; returns sum_i l(y_i, f_i) and sum_i l'(f_i).
   */
  gradient(X: Matrix<FloatArray>, W: Float64Array, a: Float64Array, b: number, y: Float64Array, kernel: ElementwiseKernel, loss: NetworkPassLoss, outW: Float64Array, outA: Float64Array): { lossSum: number; residualSum: number };
  /**
   * The directional derivative of the gradient sums along (V, alpha, beta) (Pearlmutter): with
   * hdot_ij = <V_j, x_i>, fdot_i = beta + sum_j (alpha_j S_ij + a_j S1_ij hdot_ij), rdot_i = r2_i fdot_i,
   * outW <- sum_i (rdot_i a_j S1_ij + r_i alpha_j S1_ij + r_i a_j S2_ij hdot_ij) x_i,
   * outA <- sum_i (rdot_i S_ij + r_i S1_ij hdot_ij); returns sum_i rdot_i. alpha null means 0.
   */
  hvp(X: Matrix<FloatArray>, V: Float64Array, a: Float64Array, alpha: Float64Array | null, beta: number, point: NetworkPassPoint, outW: Float64Array, outA: Float64Array): number;
}
