/**
 * Argument checks shared by both linear-algebra backends, run before any work: every message names the
 * routine, the argument and the shapes involved, e.g.
 * `gemm: inner dimensions differ: op(A) is 3x4 (A 3x4, transA=false) but op(B) is 5x2 (B 2x5, transB=true)`.
 * Shape problems throw `LinalgError(routine, 'shape', ...)`; wrong types or values throw
 * `LinalgError(routine, 'invalid', ...)`.
 */
import { LinalgError } from './backend.js';
import { ELEMENTWISE_KINDS, type ElementwiseKernel, type ElementwiseMode } from './elementwise.js';
import type { FloatArray, Matrix } from './matrix.js';

/** Largest dimension the native backend accepts (LAPACK integers are 32-bit). */
export const MAX_DIM = 2 ** 31 - 1;

export function shapeOf(m: Matrix<FloatArray>): string {
  return `${m.rows}x${m.cols}`;
}

function typeName(a: unknown): string {
  if (a instanceof Float64Array) return 'Float64Array';
  if (a instanceof Float32Array) return 'Float32Array';
  if (a === null) return 'null';
  if (typeof a === 'object') return (a as object).constructor?.name ?? 'object';
  return typeof a;
}

/** A well-formed matrix of either precision: integer dims, a float typed array of length rows*cols. */
export function checkMatrix(routine: string, name: string, m: Matrix<FloatArray>): void {
  if (m === null || typeof m !== 'object') throw new LinalgError(routine, 'invalid', `${name}: expected a matrix {rows, cols, data}, got ${typeName(m)}`);
  const { rows, cols, data } = m;
  if (!Number.isInteger(rows) || rows < 0 || rows > MAX_DIM || !Number.isInteger(cols) || cols < 0 || cols > MAX_DIM) {
    throw new LinalgError(routine, 'invalid', `${name}: rows and cols must be integers from 0 to 2^31-1, got ${rows}x${cols}`);
  }
  if (!(data instanceof Float64Array) && !(data instanceof Float32Array)) {
    throw new LinalgError(routine, 'invalid', `${name}.data: expected a Float64Array or Float32Array, got ${typeName(data)}`);
  }
  if (data.length !== rows * cols) {
    throw new LinalgError(routine, 'shape', `${name}: a ${rows}x${cols} matrix needs data of length ${rows * cols}, got ${data.length}`);
  }
}

/** checkMatrix plus float64 (the decompositions are double precision only). */
export function checkFloat64(routine: string, name: string, m: Matrix<FloatArray>): asserts m is Matrix<Float64Array> {
  checkMatrix(routine, name, m);
  if (!(m.data instanceof Float64Array)) {
    throw new LinalgError(routine, 'invalid', `${name}: expected a float64 matrix (Float64Array data), got ${typeName(m.data)}`);
  }
}

export function checkSquare(routine: string, name: string, m: Matrix<FloatArray>): asserts m is Matrix<Float64Array> {
  checkFloat64(routine, name, m);
  if (m.rows !== m.cols) throw new LinalgError(routine, 'shape', `${name}: expected a square matrix, got ${shapeOf(m)}`);
}

export function checkScalar(routine: string, name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new LinalgError(routine, 'invalid', `${name}: expected a finite number, got ${String(v)}`);
}

function checkBool(routine: string, name: string, v: boolean): void {
  if (typeof v !== 'boolean') throw new LinalgError(routine, 'invalid', `${name}: expected a boolean, got ${typeName(v)}`);
}

/** True when the two views share at least one byte of the same buffer. */
export function overlaps(a: FloatArray, b: FloatArray): boolean {
  if (a.buffer !== b.buffer) return false;
  const a0 = a.byteOffset, a1 = a0 + a.byteLength, b0 = b.byteOffset, b1 = b0 + b.byteLength;
  return a0 < b1 && b0 < a1 && a.byteLength > 0 && b.byteLength > 0;
}

function samePrecision(routine: string, named: [string, FloatArray][]): void {
  const first = named[0];
  for (const [name, arr] of named.slice(1)) {
    if (arr.constructor !== first[1].constructor) {
      throw new LinalgError(routine, 'invalid', `all arguments must have one precision: ${first[0]} is ${typeName(first[1])} but ${name} is ${typeName(arr)}`);
    }
  }
}

function noOverlap(routine: string, out: [string, FloatArray], inputs: [string, FloatArray][]): void {
  for (const [name, arr] of inputs) {
    if (overlaps(out[1], arr)) throw new LinalgError(routine, 'invalid', `the output ${out[0]} must not share memory with the input ${name}`);
  }
}

/** Dimensions (m, n, k) of C = op(A) op(B) after checking that they conform. */
export function checkGemm(
  transA: boolean,
  transB: boolean,
  alpha: number,
  A: Matrix<FloatArray>,
  B: Matrix<FloatArray>,
  beta: number,
  C: Matrix<FloatArray>,
  routine = 'gemm',
): { m: number; n: number; k: number } {
  checkBool(routine, 'transA', transA);
  checkBool(routine, 'transB', transB);
  checkScalar(routine, 'alpha', alpha);
  checkScalar(routine, 'beta', beta);
  checkMatrix(routine, 'A', A);
  checkMatrix(routine, 'B', B);
  checkMatrix(routine, 'C', C);
  samePrecision(routine, [['A', A.data], ['B', B.data], ['C', C.data]]);
  const [m, kA] = transA ? [A.cols, A.rows] : [A.rows, A.cols];
  const [kB, n] = transB ? [B.cols, B.rows] : [B.rows, B.cols];
  const opA = `op(A) is ${m}x${kA} (A ${shapeOf(A)}, transA=${transA})`;
  const opB = `op(B) is ${kB}x${n} (B ${shapeOf(B)}, transB=${transB})`;
  if (kA !== kB) throw new LinalgError(routine, 'shape', `inner dimensions differ: ${opA} but ${opB}`);
  if (C.rows !== m || C.cols !== n) throw new LinalgError(routine, 'shape', `C is ${shapeOf(C)} but op(A) op(B) is ${m}x${n} (${opA}, ${opB})`);
  noOverlap(routine, ['C', C.data], [['A', A.data], ['B', B.data]]);
  return { m, n, k: kA };
}

/** Dimensions (n, k) of C (n x n) = op(A) op(A)^T with op(A) n x k. */
export function checkSyrk(trans: boolean, alpha: number, A: Matrix<FloatArray>, beta: number, C: Matrix<FloatArray>): { n: number; k: number } {
  const routine = 'syrk';
  checkBool(routine, 'trans', trans);
  checkScalar(routine, 'alpha', alpha);
  checkScalar(routine, 'beta', beta);
  checkMatrix(routine, 'A', A);
  checkMatrix(routine, 'C', C);
  samePrecision(routine, [['A', A.data], ['C', C.data]]);
  const [n, k] = trans ? [A.cols, A.rows] : [A.rows, A.cols];
  if (C.rows !== n || C.cols !== n) {
    throw new LinalgError(routine, 'shape', `C is ${shapeOf(C)} but ${trans ? 'A^T A' : 'A A^T'} is ${n}x${n} (A ${shapeOf(A)}, trans=${trans})`);
  }
  noOverlap(routine, ['C', C.data], [['A', A.data]]);
  return { n, k };
}

export function checkGemv(trans: boolean, alpha: number, A: Matrix<FloatArray>, x: FloatArray, beta: number, y: FloatArray): void {
  const routine = 'gemv';
  checkBool(routine, 'trans', trans);
  checkScalar(routine, 'alpha', alpha);
  checkScalar(routine, 'beta', beta);
  checkMatrix(routine, 'A', A);
  for (const [name, v] of [['x', x], ['y', y]] as const) {
    if (!(v instanceof Float64Array) && !(v instanceof Float32Array)) {
      throw new LinalgError(routine, 'invalid', `${name}: expected a Float64Array or Float32Array, got ${typeName(v)}`);
    }
  }
  samePrecision(routine, [['A', A.data], ['x', x], ['y', y]]);
  const [xlen, ylen] = trans ? [A.rows, A.cols] : [A.cols, A.rows];
  const op = `op(A) is ${ylen}x${xlen} (A ${shapeOf(A)}, trans=${trans})`;
  if (x.length !== xlen) throw new LinalgError(routine, 'shape', `x has length ${x.length} but ${op} needs ${xlen}`);
  if (y.length !== ylen) throw new LinalgError(routine, 'shape', `y has length ${y.length} but ${op} gives ${ylen}`);
  noOverlap(routine, ['y', y], [['A', A.data], ['x', x]]);
}

export function checkRange(routine: string, n: number, il: number, iu: number): void {
  if (!Number.isInteger(il) || !Number.isInteger(iu) || il < 0 || iu < il || iu >= n) {
    throw new LinalgError(routine, 'invalid', `expected integer indices 0 <= il <= iu < n = ${n}, got il=${il}, iu=${iu}`);
  }
}

/** A n x n and B n x nrhs (float64). */
export function checkSolve(routine: string, aName: string, A: Matrix<FloatArray>, B: Matrix<FloatArray>): asserts A is Matrix<Float64Array> {
  checkSquare(routine, aName, A);
  checkFloat64(routine, 'B', B);
  if (B.rows !== A.rows) {
    throw new LinalgError(routine, 'shape', `B has ${B.rows} rows but ${aName} is ${shapeOf(A)}: expected B with ${A.rows} rows (B is ${shapeOf(B)})`);
  }
}

/** Index (row, col) of the first NaN/Infinity in the matrix (only the lower triangle if asked), or null. */
export function firstNonFinite(A: Matrix<Float64Array>, lowerOnly: boolean): [number, number] | null {
  const { rows, cols, data } = A;
  for (let i = 0; i < rows; i++) {
    const end = lowerOnly ? Math.min(cols, i + 1) : cols;
    for (let j = 0; j < end; j++) if (!Number.isFinite(data[i * cols + j])) return [i, j];
  }
  return null;
}

/** Throws the same 'invalid' error as the native backend when the input holds NaN or Infinity. */
export function checkFinite(routine: string, name: string, A: Matrix<Float64Array>, lowerOnly: boolean): void {
  const bad = firstNonFinite(A, lowerOnly);
  if (bad) throw new LinalgError(routine, 'invalid', `${name} contains a non-finite entry (NaN or Infinity) at (${bad[0]}, ${bad[1]})`);
}

/** A validated kernel: its kind, its offset (0 by default) and, for poly, the coefficients without trailing zeros. */
export interface CheckedKernel {
  kind: ElementwiseKernel['kind'];
  offset: number;
  coeffs: Float64Array;
}

/** Validates a kernel description for `routine` (its kind, offset and poly coefficients). */
export function checkKernel(routine: string, kernel: ElementwiseKernel): CheckedKernel {
  if (kernel === null || typeof kernel !== 'object' || !(ELEMENTWISE_KINDS as readonly string[]).includes(kernel.kind)) {
    const got = kernel !== null && typeof kernel === 'object' ? JSON.stringify(kernel.kind) : typeName(kernel);
    throw new LinalgError(routine, 'invalid', `kernel.kind: expected one of ${ELEMENTWISE_KINDS.map((k) => `"${k}"`).join(' | ')}, got ${got}`);
  }
  const offset = kernel.offset ?? 0;
  checkScalar(routine, 'kernel.offset', offset);
  let coeffs = new Float64Array(0);
  if (kernel.kind === 'poly') {
    if (!Array.isArray(kernel.coeffs) || kernel.coeffs.length === 0) {
      throw new LinalgError(routine, 'invalid', `kernel.coeffs: expected a non-empty array of finite numbers for "poly", got ${JSON.stringify(kernel.coeffs)}`);
    }
    kernel.coeffs.forEach((c, i) => checkScalar(routine, `kernel.coeffs[${i}]`, c));
    let len = kernel.coeffs.length;
    while (len > 1 && kernel.coeffs[len - 1] === 0) len--;
    coeffs = Float64Array.from(kernel.coeffs.slice(0, len));
  }
  return { kind: kernel.kind, offset, coeffs };
}

export function checkElementwise<T extends FloatArray>(
  kernel: ElementwiseKernel,
  mode: ElementwiseMode,
  X: T,
  value: T | null,
  derivative: T | null,
): CheckedKernel {
  const routine = 'elementwise';
  const checked = checkKernel(routine, kernel);
  if (mode !== 'value' && mode !== 'derivative' && mode !== 'both') {
    throw new LinalgError(routine, 'invalid', `mode: expected "value" | "derivative" | "both", got ${JSON.stringify(mode)}`);
  }
  if (!(X instanceof Float64Array) && !(X instanceof Float32Array)) {
    throw new LinalgError(routine, 'invalid', `X: expected a Float64Array or Float32Array, got ${typeName(X)}`);
  }
  const outs: [string, T | null, boolean][] = [
    ['value', value, mode !== 'derivative'],
    ['derivative', derivative, mode !== 'value'],
  ];
  for (const [name, out, needed] of outs) {
    if (out === null || out === undefined) {
      if (needed) throw new LinalgError(routine, 'invalid', `${name}: mode "${mode}" needs an output array, got ${String(out)}`);
      continue;
    }
    if (out.constructor !== X.constructor) {
      throw new LinalgError(routine, 'invalid', `${name}: expected a ${typeName(X)} like X, got ${typeName(out)}`);
    }
    if (out.length !== X.length) throw new LinalgError(routine, 'shape', `${name} has length ${out.length} but X has length ${X.length}`);
    const sameView = out.buffer === X.buffer && out.byteOffset === X.byteOffset;
    if (overlaps(out, X) && !sameView) {
      throw new LinalgError(routine, 'invalid', `${name} overlaps X only partly: an output may be X itself or separate memory`);
    }
  }
  if (mode === 'both' && value && derivative && overlaps(value, derivative)) {
    throw new LinalgError(routine, 'invalid', 'value and derivative must not share memory');
  }
  return checked;
}

/**
 * Shapes of a network pass: X (n x d), W (m x d as a flat Float64Array), and the named Float64Arrays with
 * their required lengths. Returns m.
 */
export function checkNetworkPass(routine: string, X: Matrix<FloatArray>, W: Float64Array, lengths: (m: number, n: number) => [string, Float64Array | null, number][]): number {
  checkMatrix(routine, 'X', X);
  const { rows: n, cols: d } = X;
  if (!(W instanceof Float64Array) || W.length === 0 || W.length % d !== 0) {
    throw new LinalgError(routine, 'shape', `W: expected a non-empty Float64Array of length m * d (d = ${d}), got ${typeName(W)} of length ${(W as { length?: number })?.length}`);
  }
  const m = W.length / d;
  for (const [name, a, len] of lengths(m, n)) {
    if (a === null) continue;
    if (!(a instanceof Float64Array)) throw new LinalgError(routine, 'invalid', `${name}: expected a Float64Array, got ${typeName(a)}`);
    if (a.length !== len) throw new LinalgError(routine, 'shape', `${name} has length ${a.length}, expected ${len}`);
  }
  return m;
}
