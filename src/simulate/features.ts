/**
 * Pre-activations and features of a two-layer network: Z = X W (one gemm), then sigma and/or sigma' in
 * ONE fused pass over Z (the backend's native elementwise kernel when the activation has one, a
 * JavaScript loop for user-registered activations).
 */
import type { LinalgBackend } from '../linalg/backend.js';
import type { ElementwiseMode } from '../linalg/elementwise.js';
import type { FloatArray, Matrix } from '../linalg/matrix.js';
import type { Activation } from '../activations/types.js';

export function newArrayLike<T extends FloatArray>(like: T, length: number): T {
  return new (like.constructor as new (n: number) => T)(length);
}

/** The first `rows` rows of M, as a view (no copy): for the last, shorter chunk of a chunk buffer. */
export function topRows<T extends FloatArray>(M: Matrix<T>, rows: number): Matrix<T> {
  return rows === M.rows ? M : { rows, cols: M.cols, data: M.data.subarray(0, rows * M.cols) as T };
}

/**
 * Applies the activation to every entry of X: `value` receives sigma, `derivative` sigma' (either may be
 * null per `mode`, and either may be X itself: in place).
 */
export function applyActivation<T extends FloatArray>(
  backend: LinalgBackend,
  activation: Activation,
  mode: ElementwiseMode,
  X: T,
  value: T | null,
  derivative: T | null,
): void {
  if (activation.kernel) {
    backend.elementwise(activation.kernel, mode, X, value, derivative);
    return;
  }
  const n = X.length;
  const wantValue = mode !== 'derivative';
  const wantDeriv = mode !== 'value';
  for (let i = 0; i < n; i++) {
    const z = X[i];
    if (wantDeriv) derivative![i] = activation.derivative(z);
    if (wantValue) value![i] = activation.value(z);
  }
}

/**
 * Features sigma(X W) (rows x N) of the rows of X (rows x d) for first-layer weights W (d x N), into `out`
 * (rows x N) when given. Memory: the rows x N result (no other temporary).
 */
export function featureMatrix<T extends FloatArray>(backend: LinalgBackend, activation: Activation, X: Matrix<T>, W: Matrix<T>, out?: Matrix<T>): Matrix<T> {
  const Z = out ?? { rows: X.rows, cols: W.cols, data: newArrayLike(X.data, X.rows * W.cols) };
  backend.gemm(false, false, 1, X, W, 0, Z);
  applyActivation(backend, activation, 'value', Z.data, Z.data, null);
  return Z;
}

/** y <- Phi a / sqrt(N) + b in float64 (Phi is rows x N; `a` is converted to Phi's precision for the gemv). */
export function readout<T extends FloatArray>(backend: LinalgBackend, Phi: Matrix<T>, a: Float64Array, b: number): Float64Array {
  const aT = newArrayLike(Phi.data, a.length);
  aT.set(a);
  const out = newArrayLike(Phi.data, Phi.rows);
  backend.gemv(false, 1 / Math.sqrt(Phi.cols), Phi, aT, 0, out);
  const y = new Float64Array(Phi.rows);
  for (let i = 0; i < Phi.rows; i++) y[i] = out[i] + b;
  return y;
}
