/**
 * Errors and argument checks shared by the numerics modules. Messages name the routine, the parameter,
 * the rule and the bad value, e.g. `gaussHermite: n must be an integer in [1, 10000], got 0`.
 */

export class NumericsError extends Error {
  constructor(
    readonly routine: string,
    message: string,
  ) {
    super(`${routine}: ${message}`);
    this.name = 'NumericsError';
  }
}

function show(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  return String(value);
}

/** Throws unless `value` is a finite number. */
export function checkFinite(routine: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new NumericsError(routine, `${name} must be a finite number, got ${show(value)}`);
  }
}

/** Throws unless `value` is a finite number > 0 (or >= 0 with `allowZero`). */
export function checkPositive(routine: string, name: string, value: unknown, allowZero = false): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new NumericsError(routine, `${name} must be a finite number ${allowZero ? '>= 0' : '> 0'}, got ${show(value)}`);
  }
}

/** Throws unless `value` is an integer in [min, max]. */
export function checkInteger(routine: string, name: string, value: unknown, min: number, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new NumericsError(routine, `${name} must be an integer in [${min}, ${max}], got ${show(value)}`);
  }
}

/** Throws unless `value` is a function. */
export function checkFunction(routine: string, name: string, value: unknown): void {
  if (typeof value !== 'function') throw new NumericsError(routine, `${name} must be a function, got ${typeof value}`);
}
