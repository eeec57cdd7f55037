/**
 * Bulk random fills from a key: normal, uniform, Rademacher, and normal matrices.
 *
 * Element t of `out` receives stream position `offset + t` (./layout.ts), a pure function of the key and
 * that position: filling [0, n) at once or in chunks with offsets gives the same numbers, whatever the
 * backend (TypeScript or native, bit-identical) and thread count. float32 outputs are the float64
 * values rounded to nearest. Cost: O(n); the native path runs on featlearn's threads.
 */
import { zeros, type FloatArray, type Matrix, type Precision } from '../linalg/matrix.js';
import { checkFinite, checkFloatArray, checkOffset, describe } from './check.js';
import { checkKey, type Key } from './key.js';
import { randomAddonFor, type RandomImpl } from './native.js';
import { fillNormalPortable, fillRademacherPortable, fillUniformPortable } from './portable.js';

export interface FillOptions {
  /** First stream position to use (default 0): out[t] gets position offset + t. */
  offset?: number;
  /** Force an implementation (tests and benchmarks); default: native when the addon is in use. */
  impl?: RandomImpl;
}

export interface NormalOptions extends FillOptions {
  /** Default 0. */
  mean?: number;
  /** Standard deviation, >= 0 (default 1). */
  std?: number;
}

export interface UniformOptions extends FillOptions {
  /** Default 0. */
  low?: number;
  /** Default 1; must exceed low. */
  high?: number;
}

function fillOffset(opts: FillOptions, length: number): number {
  const offset = opts.offset ?? 0;
  checkOffset('offset', offset, length);
  return offset;
}

/**
 * Fills `out` with mean + std * z, z standard normal (256-layer ziggurat, ./ziggurat.ts), and returns it.
 */
export function fillNormal<T extends FloatArray>(key: Key, out: T, opts: NormalOptions = {}): T {
  checkKey('key', key);
  checkFloatArray('out', out);
  const mean = opts.mean ?? 0;
  const std = opts.std ?? 1;
  checkFinite('mean', mean);
  checkFinite('std', std);
  if (std < 0) throw new RangeError(`std: expected a finite number >= 0, got ${std}`);
  const offset = fillOffset(opts, out.length);
  const addon = randomAddonFor(opts.impl, out.length);
  if (addon) addon.randomFillNormal(key[0], key[1], out, offset, mean, std);
  else fillNormalPortable(key[0], key[1], out, offset, mean, std);
  return out;
}

/**
 * Fills `out` with low + (high - low) u, u uniform on [0, 1) with 53 random bits (u = m 2^-53, m the top
 * 53 bits of a 64-bit draw), and returns it. In float64 the values lie in [low, high); rounding to
 * float32 can give exactly `high`.
 */
export function fillUniform<T extends FloatArray>(key: Key, out: T, opts: UniformOptions = {}): T {
  checkKey('key', key);
  checkFloatArray('out', out);
  const low = opts.low ?? 0;
  const high = opts.high ?? 1;
  checkFinite('low', low);
  checkFinite('high', high);
  if (!(high > low) || !Number.isFinite(high - low)) {
    throw new RangeError(`high: expected a finite number above low = ${low} (with high - low finite), got ${high}`);
  }
  const offset = fillOffset(opts, out.length);
  const addon = randomAddonFor(opts.impl, out.length);
  if (addon) addon.randomFillUniform(key[0], key[1], out, offset, low, high);
  else fillUniformPortable(key[0], key[1], out, offset, low, high);
  return out;
}

/** Fills `out` with independent +scale / -scale, each with probability 1/2, and returns it. */
export function fillRademacher<T extends FloatArray>(key: Key, out: T, scale = 1, opts: FillOptions = {}): T {
  checkKey('key', key);
  checkFloatArray('out', out);
  checkFinite('scale', scale);
  const offset = fillOffset(opts, out.length);
  const addon = randomAddonFor(opts.impl, out.length);
  if (addon) addon.randomFillRademacher(key[0], key[1], out, offset, scale);
  else fillRademacherPortable(key[0], key[1], out, offset, scale);
  return out;
}

export interface NormalMatrixOptions {
  mean?: number;
  std?: number;
  /** 'float64' (default) or 'float32' (the float64 draws rounded). */
  precision?: Precision;
  impl?: RandomImpl;
}

/**
 * A rows x cols matrix of independent N(mean, std^2) entries: the row-major fill of positions
 * 0 .. rows*cols - 1, so entry (i, j) is position i*cols + j (adding rows keeps the earlier rows).
 * Memory: 8 rows cols bytes (4 in float32).
 */
export function normalMatrix(key: Key, rows: number, cols: number, opts: NormalMatrixOptions & { precision: 'float32' }): Matrix<Float32Array>;
export function normalMatrix(key: Key, rows: number, cols: number, opts?: NormalMatrixOptions & { precision?: 'float64' }): Matrix<Float64Array>;
export function normalMatrix(key: Key, rows: number, cols: number, opts?: NormalMatrixOptions): Matrix<FloatArray>;
export function normalMatrix(key: Key, rows: number, cols: number, opts: NormalMatrixOptions = {}): Matrix<FloatArray> {
  checkKey('key', key);
  const precision = opts.precision ?? 'float64';
  if (precision !== 'float64' && precision !== 'float32') {
    throw new RangeError(`precision: expected "float64" or "float32", got ${describe(precision)}`);
  }
  const m = zeros(rows, cols, precision);
  fillNormal(key, m.data, { mean: opts.mean, std: opts.std, impl: opts.impl });
  return m;
}
