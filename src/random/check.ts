/** Argument checks for src/random: each error names the parameter, the rule and the bad value. */
import type { FloatArray } from '../linalg/matrix.js';
import { MAX_POSITION } from './layout.js';

/** A short, readable rendering of a bad value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return `a value of type ${typeof value}`;
}

export function checkFloatArray(name: string, value: unknown): asserts value is FloatArray {
  if (!(value instanceof Float64Array) && !(value instanceof Float32Array)) {
    throw new TypeError(`${name}: expected a Float64Array or Float32Array, got ${describe(value)}`);
  }
}

export function checkFinite(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${name}: expected a finite number, got ${describe(value)}`);
  }
}

/** A stream offset: a non-negative safe integer with offset + length <= 2^53. */
export function checkOffset(name: string, value: unknown, length: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name}: expected a non-negative safe integer, got ${describe(value)}`);
  }
  if (length > MAX_POSITION - value) {
    throw new RangeError(`${name}: offset + length must be at most 2^53 (stream positions are safe integers), got ${value} + ${length}`);
  }
}
