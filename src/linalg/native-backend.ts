/**
 * The native linear-algebra backend: OpenBLAS + LAPACK (Apple Accelerate on macOS) through the addon of
 * native/src/linalg.cc and native/src/elementwise.cc. Shapes are validated here (src/linalg/checks.ts);
 * outputs are allocated here and filled in place by the addon, which passes the typed arrays to BLAS/LAPACK
 * without copies wherever the routine allows (see the comment at the top of linalg.cc).
 *
 * Drivers, chosen to match numpy/scipy: gemm/syrk/gemv = BLAS ?gemm/?syrk/?gemv; eigh = dsyevd (divide and
 * conquer, numpy.linalg.eigh); eighRange = dsyevr (MRRR, scipy.linalg.eigh(subset_by_index=...));
 * eigvalsh = dsyevd jobz='N'; svd = dgesdd jobz='S' (numpy.linalg.svd(full_matrices=False)); svdvals =
 * dgesdd jobz='N'; cholesky = dpotrf (on a copy; choleskyInPlace: on A itself, scipy's overwrite_a=True); choleskySolve = dpotrs; solve = dgesv.
 * Cost: gemm 2mnk flops; eigh ~(4/3 + 9) n^3 with vectors; svd O(m n min(m,n)); cholesky n^3/3.
 * Memory beyond the outputs: one copy of A for the decompositions (LAPACK overwrites its input) plus LAPACK's
 * workspace (dsyevd: 2 n^2 doubles).
 *
 * The *Async methods run on the libuv thread pool and keep their arrays alive until they settle; do not
 * modify the inputs or read the outputs before the promise resolves.
 */
import { LinalgError, type BackendInfo, type EighResult, type LinalgBackend, type NetworkPasses, type SvdResult } from './backend.js';
import {
  checkElementwise,
  checkGemm,
  checkGemv,
  checkRange,
  checkSolve,
  checkSquare,
  checkFloat64,
  checkSyrk,
  checkKernel,
  checkNetworkPass,
} from './checks.js';
import type { ElementwiseKernel, ElementwiseMode } from './elementwise.js';
import type { FloatArray, Matrix } from './matrix.js';
import type { NativeAddon } from '../native/load.js';

/** The addon's linear-algebra functions as native/src/linalg.cc and elementwise.cc register them. */
export interface NativeLinalgAddon {
  setThreads(n: number): void;
  info(): { threads: number; library: string; config: string; corename: string; blasThreads: number | null };
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, A: FloatArray, B: FloatArray, beta: number, C: FloatArray): void;
  gemmAsync(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, A: FloatArray, B: FloatArray, beta: number, C: FloatArray): Promise<void>;
  syrk(trans: boolean, n: number, k: number, alpha: number, A: FloatArray, beta: number, C: FloatArray): void;
  gemv(trans: boolean, m: number, n: number, alpha: number, A: FloatArray, x: FloatArray, beta: number, y: FloatArray): void;
  eigh(n: number, A: Float64Array, values: Float64Array, vectors: Float64Array): void;
  eighAsync(n: number, A: Float64Array, values: Float64Array, vectors: Float64Array): Promise<void>;
  eighRange(n: number, A: Float64Array, il: number, iu: number, values: Float64Array, vectors: Float64Array): void;
  eigvalsh(n: number, A: Float64Array, values: Float64Array): void;
  svd(m: number, n: number, A: Float64Array, U: Float64Array, s: Float64Array, Vt: Float64Array): void;
  svdAsync(m: number, n: number, A: Float64Array, U: Float64Array, s: Float64Array, Vt: Float64Array): Promise<void>;
  svdvals(m: number, n: number, A: Float64Array, s: Float64Array): void;
  cholesky(n: number, A: Float64Array, L: Float64Array): void;
  choleskyInPlace(n: number, A: Float64Array): void;
  choleskySolve(n: number, nrhs: number, L: Float64Array, B: Float64Array, X: Float64Array): void;
  choleskySolveAsync(n: number, nrhs: number, L: Float64Array, B: Float64Array, X: Float64Array): Promise<void>;
  solve(n: number, nrhs: number, A: Float64Array, B: Float64Array, X: Float64Array): void;
  elementwise(kind: string, offset: number, coeffs: Float64Array, mode: ElementwiseMode, X: FloatArray, value: FloatArray | null, derivative: FloatArray | null): void;
  /** Which implementation the elementwise kernels use (e.g. glibc libmvec's AVX2 tanh or scalar std::tanh). */
  elementwiseInfo(): { tanh: string; threads: number };
  /** madvise(MADV_DONTNEED) on the whole pages inside the array (native/src/addon.cc); bytes released. */
  releaseMemory(a: FloatArray): number;
  /** native/src/network.cc: returns [sum of losses, sum of l']. */
  networkGradient(X: FloatArray, d: number, W: Float64Array, a: Float64Array, b: number, y: Float64Array, kind: string, offset: number, coeffs: Float64Array, loss: string, huberDelta: number, outW: Float64Array, outA: Float64Array): Float64Array;
  networkHvp(X: FloatArray, d: number, V: Float64Array, a: Float64Array, alpha: Float64Array | null, beta: number, S: Float64Array, S1: Float64Array, S2: Float64Array, r: Float64Array, r2: Float64Array, outW: Float64Array, outA: Float64Array): number;
}

const LINALG_FUNCTIONS = [
  'setThreads', 'info', 'gemm', 'gemmAsync', 'syrk', 'gemv', 'eigh', 'eighAsync', 'eighRange', 'eigvalsh', 'svd', 'svdAsync', 'svdvals',
  'cholesky', 'choleskyInPlace', 'choleskySolve', 'choleskySolveAsync', 'solve', 'elementwise', 'elementwiseInfo', 'releaseMemory',
  'networkGradient', 'networkHvp',
] as const;

type LinalgErrorKind = LinalgError['kind'];
const KINDS: readonly LinalgErrorKind[] = ['not-positive-definite', 'singular', 'no-convergence', 'shape', 'invalid'];

/** Turns the addon's error ({routine, kind, info, detail}) into a LinalgError; other errors pass through. */
export function toLinalgError(e: unknown): unknown {
  if (e instanceof Error) {
    const { routine, kind, info, detail } = e as Error & { routine?: unknown; kind?: unknown; info?: unknown; detail?: unknown };
    if (typeof routine === 'string' && typeof kind === 'string' && (KINDS as readonly string[]).includes(kind)) {
      return new LinalgError(routine, kind as LinalgErrorKind, typeof detail === 'string' ? detail : e.message, typeof info === 'number' ? info : undefined);
    }
  }
  return e;
}

function call<R>(f: () => R): R {
  try {
    return f();
  } catch (e) {
    throw toLinalgError(e);
  }
}

async function callAsync(f: () => Promise<void>): Promise<void> {
  try {
    await f();
  } catch (e) {
    throw toLinalgError(e);
  }
}

function matrix(rows: number, cols: number): Matrix<Float64Array> {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

export class NativeBackend implements LinalgBackend {
  readonly name = 'native' as const;
  private readonly addon: NativeLinalgAddon;

  constructor(addon: NativeAddon) {
    const missing = LINALG_FUNCTIONS.filter((f) => typeof (addon as Record<string, unknown>)[f] !== 'function');
    if (missing.length > 0) {
      throw new Error(`native addon: missing functions ${missing.join(', ')} (rebuild it with npm run build:native)`);
    }
    this.addon = addon as unknown as NativeLinalgAddon;
  }

  info(): BackendInfo {
    const i = this.addon.info();
    const core = i.corename ? `, core ${i.corename}` : '';
    return { name: 'native', blas: `${i.config.trim()}${core}`, threads: i.threads };
  }

  setThreads(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > 1024) throw new RangeError(`setThreads: expected an integer from 1 to 1024, got ${n}`);
    this.addon.setThreads(n);
  }

  gemm<T extends FloatArray>(transA: boolean, transB: boolean, alpha: number, A: Matrix<T>, B: Matrix<T>, beta: number, C: Matrix<T>): void {
    const { m, n, k } = checkGemm(transA, transB, alpha, A, B, beta, C);
    call(() => this.addon.gemm(transA, transB, m, n, k, alpha, A.data, B.data, beta, C.data));
  }

  async gemmAsync<T extends FloatArray>(transA: boolean, transB: boolean, alpha: number, A: Matrix<T>, B: Matrix<T>, beta: number, C: Matrix<T>): Promise<void> {
    const { m, n, k } = checkGemm(transA, transB, alpha, A, B, beta, C, 'gemmAsync');
    await callAsync(() => this.addon.gemmAsync(transA, transB, m, n, k, alpha, A.data, B.data, beta, C.data));
  }

  syrk<T extends FloatArray>(trans: boolean, alpha: number, A: Matrix<T>, beta: number, C: Matrix<T>): void {
    const { n, k } = checkSyrk(trans, alpha, A, beta, C);
    call(() => this.addon.syrk(trans, n, k, alpha, A.data, beta, C.data));
  }

  gemv<T extends FloatArray>(trans: boolean, alpha: number, A: Matrix<T>, x: T, beta: number, y: T): void {
    checkGemv(trans, alpha, A, x, beta, y);
    call(() => this.addon.gemv(trans, A.rows, A.cols, alpha, A.data, x, beta, y));
  }

  eigh(A: Matrix<Float64Array>): EighResult {
    checkSquare('eigh', 'A', A);
    const n = A.rows;
    const values = new Float64Array(n);
    const vectors = matrix(n, n);
    call(() => this.addon.eigh(n, A.data, values, vectors.data));
    return { values, vectors };
  }

  async eighAsync(A: Matrix<Float64Array>): Promise<EighResult> {
    checkSquare('eighAsync', 'A', A);
    const n = A.rows;
    const values = new Float64Array(n);
    const vectors = matrix(n, n);
    await callAsync(() => this.addon.eighAsync(n, A.data, values, vectors.data));
    return { values, vectors };
  }

  eighRange(A: Matrix<Float64Array>, il: number, iu: number): EighResult {
    checkSquare('eighRange', 'A', A);
    const n = A.rows;
    checkRange('eighRange', n, il, iu);
    const count = iu - il + 1;
    const values = new Float64Array(count);
    const vectors = matrix(n, count);
    call(() => this.addon.eighRange(n, A.data, il, iu, values, vectors.data));
    return { values, vectors };
  }

  eigvalsh(A: Matrix<Float64Array>): Float64Array {
    checkSquare('eigvalsh', 'A', A);
    const values = new Float64Array(A.rows);
    call(() => this.addon.eigvalsh(A.rows, A.data, values));
    return values;
  }

  svd(A: Matrix<Float64Array>): SvdResult {
    checkFloat64('svd', 'A', A);
    const { rows: m, cols: n } = A;
    const k = Math.min(m, n);
    const U = matrix(m, k), s = new Float64Array(k), Vt = matrix(k, n);
    call(() => this.addon.svd(m, n, A.data, U.data, s, Vt.data));
    return { U, s, Vt };
  }

  async svdAsync(A: Matrix<Float64Array>): Promise<SvdResult> {
    checkFloat64('svdAsync', 'A', A);
    const { rows: m, cols: n } = A;
    const k = Math.min(m, n);
    const U = matrix(m, k), s = new Float64Array(k), Vt = matrix(k, n);
    await callAsync(() => this.addon.svdAsync(m, n, A.data, U.data, s, Vt.data));
    return { U, s, Vt };
  }

  svdvals(A: Matrix<Float64Array>): Float64Array {
    checkFloat64('svdvals', 'A', A);
    const s = new Float64Array(Math.min(A.rows, A.cols));
    call(() => this.addon.svdvals(A.rows, A.cols, A.data, s));
    return s;
  }

  cholesky(A: Matrix<Float64Array>): Matrix<Float64Array> {
    checkSquare('cholesky', 'A', A);
    const L = matrix(A.rows, A.rows);
    call(() => this.addon.cholesky(A.rows, A.data, L.data));
    return L;
  }

  choleskyInPlace(A: Matrix<Float64Array>): void {
    checkSquare('choleskyInPlace', 'A', A);
    call(() => this.addon.choleskyInPlace(A.rows, A.data));
  }

  choleskySolve(L: Matrix<Float64Array>, B: Matrix<Float64Array>): Matrix<Float64Array> {
    checkSolve('choleskySolve', 'L', L, B);
    const X = matrix(B.rows, B.cols);
    call(() => this.addon.choleskySolve(L.rows, B.cols, L.data, B.data, X.data));
    return X;
  }

  async choleskySolveAsync(L: Matrix<Float64Array>, B: Matrix<Float64Array>): Promise<Matrix<Float64Array>> {
    checkSolve('choleskySolveAsync', 'L', L, B);
    const X = matrix(B.rows, B.cols);
    await callAsync(() => this.addon.choleskySolveAsync(L.rows, B.cols, L.data, B.data, X.data));
    return X;
  }

  solve(A: Matrix<Float64Array>, B: Matrix<Float64Array>): Matrix<Float64Array> {
    checkSolve('solve', 'A', A, B);
    const X = matrix(B.rows, B.cols);
    call(() => this.addon.solve(A.rows, B.cols, A.data, B.data, X.data));
    return X;
  }

  releaseMemory(a: FloatArray): void {
    this.addon.releaseMemory(a);
  }

  elementwise<T extends FloatArray>(kernel: ElementwiseKernel, mode: ElementwiseMode, X: T, value: T | null, derivative: T | null): void {
    const k = checkElementwise(kernel, mode, X, value, derivative);
    const v = mode === 'derivative' ? null : value;
    const d = mode === 'value' ? null : derivative;
    call(() => this.addon.elementwise(k.kind, k.offset, k.coeffs, mode, X, v, d));
  }

  readonly network: NetworkPasses = {
    gradient: (X, W, a, b, y, kernel, loss, outW, outA) => {
      const routine = 'networkGradient';
      const k = checkKernel(routine, kernel);
      checkNetworkPass(routine, X, W, (m, n) => [['a', a, m], ['y', y, n], ['outW', outW, m * X.cols], ['outA', outA, m]]);
      const sums = call(() => this.addon.networkGradient(X.data, X.cols, W, a, b, y, k.kind, k.offset, k.coeffs, loss.name, loss.huberDelta, outW, outA));
      return { lossSum: sums[0], residualSum: sums[1] };
    },
    hvp: (X, V, a, alpha, beta, pt, outW, outA) => {
      const routine = 'networkHvp';
      checkNetworkPass(routine, X, V, (m, n) => [
        ['a', a, m], ['alpha', alpha, m], ['S', pt.S, n * m], ['S1', pt.S1, n * m], ['S2', pt.S2, n * m], ['r', pt.r, n], ['r2', pt.r2, n], ['outW', outW, m * X.cols], ['outA', outA, m],
      ]);
      return call(() => this.addon.networkHvp(X.data, X.cols, V, a, alpha, beta, pt.S, pt.S1, pt.S2, pt.r, pt.r2, outW, outA));
    },
  };
}
