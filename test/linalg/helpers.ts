/**
 * Shared helpers for the linear-algebra tests: which backends to test, a tiny deterministic generator, naive
 * reference implementations and error measures. Nothing here calls the code under test.
 */
import { existsSync } from 'node:fs';
import { getBackendByName, type BackendName, type FloatArray, type LinalgBackend, type Matrix } from '../../src/linalg/index.js';
import { loadNative, packageRoot } from '../../src/native/load.js';
import { join } from 'node:path';

/**
 * The backends to run the suite on: only 'portable' when FEATLEARN_BACKEND=portable; otherwise 'native'
 * whenever the addon is built (a built addon that fails to load is an error, never a silent skip) plus
 * 'portable'.
 */
export function backendNamesUnderTest(): BackendName[] {
  if (process.env.FEATLEARN_BACKEND === 'portable') return ['portable'];
  const load = loadNative();
  const built = existsSync(join(packageRoot(), 'native', 'build', 'Release', 'featlearn_native.node'));
  if (!load.ok && (built || process.env.FEATLEARN_BACKEND === 'native')) {
    throw new Error(`the native addon should be tested but does not load: ${load.reason}`);
  }
  return load.ok ? ['native', 'portable'] : ['portable'];
}

export function backendsUnderTest(): [BackendName, LinalgBackend][] {
  return backendNamesUnderTest().map((name) => [name, getBackendByName(name)]);
}

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator, public domain): a fixed-seed stream of uniforms in [0, 1),
 * used only to make test inputs reproducible (the project's random module is tested on its own).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A rows x cols matrix with uniform(-1, 1) entries from the seed. */
export function randomMatrix(rows: number, cols: number, seed: number): Matrix<Float64Array> {
  const u = mulberry32(seed);
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = 2 * u() - 1;
  return { rows, cols, data };
}

export function toFloat32(m: Matrix<Float64Array>): Matrix<Float32Array> {
  return { rows: m.rows, cols: m.cols, data: Float32Array.from(m.data) };
}

export function at(m: Matrix<FloatArray>, i: number, j: number): number {
  return m.data[i * m.cols + j];
}

/** Naive triple-loop alpha op(A) op(B) + beta C in double, as plain nested arrays (the reference for gemm). */
export function naiveGemm(transA: boolean, transB: boolean, alpha: number, A: Matrix<FloatArray>, B: Matrix<FloatArray>, beta: number, C: Matrix<FloatArray>): number[][] {
  const m = transA ? A.cols : A.rows, k = transA ? A.rows : A.cols, n = transB ? B.rows : B.cols;
  const out: number[][] = [];
  for (let i = 0; i < m; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? at(A, p, i) : at(A, i, p)) * (transB ? at(B, j, p) : at(B, p, j));
      row.push(alpha * s + (beta === 0 ? 0 : beta * at(C, i, j)));
    }
    out.push(row);
  }
  return out;
}

/** Naive A B for float64 matrices. */
export function matmul(A: Matrix<Float64Array>, B: Matrix<Float64Array>): Matrix<Float64Array> {
  const C = { rows: A.rows, cols: B.cols, data: new Float64Array(A.rows * B.cols) };
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < B.cols; j++) {
      let s = 0;
      for (let p = 0; p < A.cols; p++) s += at(A, i, p) * at(B, p, j);
      C.data[i * B.cols + j] = s;
    }
  return C;
}

export function transposed(A: Matrix<Float64Array>): Matrix<Float64Array> {
  const T = { rows: A.cols, cols: A.rows, data: new Float64Array(A.data.length) };
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) T.data[j * A.rows + i] = at(A, i, j);
  return T;
}

/** Symmetric positive definite G G^T / cols + shift I (eigenvalues >= shift). */
export function spdMatrix(n: number, seed: number, shift = 1): Matrix<Float64Array> {
  const G = randomMatrix(n, n + 3, seed);
  const A = matmul(G, transposed(G));
  for (let i = 0; i < n * n; i++) A.data[i] /= n + 3;
  for (let i = 0; i < n; i++) A.data[i * n + i] += shift;
  return A;
}

/** A random symmetric matrix plus diag(gap * i): eigenvalues near gap * i, separated by about gap. */
export function separatedSymmetric(n: number, seed: number, gap = 10): Matrix<Float64Array> {
  const R = randomMatrix(n, n, seed);
  const A = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) A.data[i * n + j] = (at(R, i, j) + at(R, j, i)) / 2 + (i === j ? gap * i : 0);
  return A;
}

/** max |a - b| / max |b| (norm-wise relative difference; b is the reference). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`relErr: lengths differ (${a.length} vs ${b.length})`);
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return den === 0 ? num : num / den;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Column j of a row-major matrix. */
export function column(M: Matrix<Float64Array>, j: number): Float64Array {
  const c = new Float64Array(M.rows);
  for (let i = 0; i < M.rows; i++) c[i] = at(M, i, j);
  return c;
}

/** Max over columns of the distance between column j of X and ± column j of Y (the sign that fits best). */
export function columnsUpToSign(X: Matrix<Float64Array>, Y: Matrix<Float64Array>): number {
  if (X.rows !== Y.rows || X.cols !== Y.cols) throw new Error('columnsUpToSign: shapes differ');
  let worst = 0;
  for (let j = 0; j < X.cols; j++) {
    const x = column(X, j), y = column(Y, j);
    let dot = 0;
    for (let i = 0; i < x.length; i++) dot += x[i] * y[i];
    const s = dot < 0 ? -1 : 1;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - s * y[i]));
  }
  return worst;
}

/** max |Q^T Q - I| for a matrix with orthonormal columns. */
export function orthonormalityError(Q: Matrix<Float64Array>): number {
  const G = matmul(transposed(Q), Q);
  let e = 0;
  for (let i = 0; i < G.rows; i++) for (let j = 0; j < G.cols; j++) e = Math.max(e, Math.abs(at(G, i, j) - (i === j ? 1 : 0)));
  return e;
}
