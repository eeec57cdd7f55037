/**
 * Damped fixed-point iteration x_{t+1} = (1 - damping) x_t + damping F(x_t) on vectors (the usual solver
 * of the self-consistent equations of replica / deterministic-equivalent theories; damping < 1 trades
 * speed for a larger basin when the plain map oscillates).
 *
 * Residual: r_t = || F(x_t) - x_t || in the chosen norm ('inf', default, or '2'). Converged when
 * r_t <= absTol + relTol ||x_t||; the returned `value` is that x_t, so `residual` is exactly
 * ||F(value) - value||. Failures are status records, never numbers: 'nan' (F returned NaN), 'diverged'
 * (an infinite entry, or r_t > divergenceFactor * max(r_0, absTol)), 'max-iterations', 'stopped' (the
 * callback returned false); `last` is the iterate whose residual is reported. Cost: one call of F per iteration, O(length) extra work and memory.
 */
import { checkFunction, checkInteger, checkPositive, NumericsError } from './errors.js';

export interface FixedPointOptions {
  /** Weight of F(x) in the update, in (0, 1] (default 1: plain iteration). */
  damping?: number;
  /** Absolute tolerance on the residual (default 1e-10). */
  absTol?: number;
  /** Relative tolerance on the residual, times ||x|| (default 0). */
  relTol?: number;
  /** Largest number of evaluations of F (default 1000). */
  maxIterations?: number;
  /** Residual norm: max-abs ('inf', default) or Euclidean ('2'). */
  norm?: 'inf' | '2';
  /** 'diverged' when the residual exceeds this multiple of the initial one (default 1e8). */
  divergenceFactor?: number;
  /** Called after each evaluation of F with the iteration (1-based), x_t and r_t; return false to stop. */
  onIteration?: (iteration: number, x: Float64Array, residual: number) => boolean | void;
}

export type FixedPointResult =
  | { ok: true; value: Float64Array; iterations: number; residual: number }
  | { ok: false; reason: 'nan' | 'diverged' | 'max-iterations' | 'stopped'; last: Float64Array; iterations: number; residual: number };

function vectorNorm(v: ArrayLike<number>, kind: 'inf' | '2'): number {
  let s = 0;
  if (kind === 'inf') {
    for (let i = 0; i < v.length; i++) s = Math.max(s, Math.abs(v[i]));
    return s;
  }
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/** Solves x = F(x) by damped iteration from x0 (see the module comment). F must not modify its argument. */
export function dampedFixedPoint(F: (x: Float64Array) => ArrayLike<number>, x0: ArrayLike<number>, opts: FixedPointOptions = {}): FixedPointResult {
  const routine = 'dampedFixedPoint';
  checkFunction(routine, 'F', F);
  const damping = opts.damping ?? 1;
  const absTol = opts.absTol ?? 1e-10;
  const relTol = opts.relTol ?? 0;
  const maxIterations = opts.maxIterations ?? 1000;
  const norm = opts.norm ?? 'inf';
  const divergenceFactor = opts.divergenceFactor ?? 1e8;
  if (typeof damping !== 'number' || !(damping > 0 && damping <= 1)) {
    throw new NumericsError(routine, `damping must be in (0, 1], got ${String(damping)}`);
  }
  checkPositive(routine, 'absTol', absTol, true);
  checkPositive(routine, 'relTol', relTol, true);
  if (absTol === 0 && relTol === 0) throw new NumericsError(routine, 'absTol and relTol cannot both be 0');
  checkInteger(routine, 'maxIterations', maxIterations, 1, 1e9);
  if (norm !== 'inf' && norm !== '2') throw new NumericsError(routine, `norm must be "inf" or "2", got ${JSON.stringify(norm)}`);
  checkPositive(routine, 'divergenceFactor', divergenceFactor);
  const n = x0.length;
  if (typeof n !== 'number' || n === 0) throw new NumericsError(routine, 'x0 must be a non-empty array of numbers');
  const x = Float64Array.from(x0);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i])) throw new NumericsError(routine, `x0[${i}] must be a finite number, got ${x[i]}`);
  }

  const diff = new Float64Array(n);
  let r0 = NaN;
  let residual = NaN;
  for (let t = 1; t <= maxIterations; t++) {
    const y = F(x.slice());
    if (!y || y.length !== n) throw new NumericsError(routine, `F must return an array of length ${n}, got length ${y ? y.length : String(y)}`);
    let nan = false;
    let infinite = false;
    for (let i = 0; i < n; i++) {
      const yi = y[i];
      if (Number.isNaN(yi)) nan = true;
      else if (!Number.isFinite(yi)) infinite = true;
      diff[i] = yi - x[i];
    }
    if (nan) return { ok: false, reason: 'nan', last: x.slice(), iterations: t, residual: NaN };
    if (infinite) return { ok: false, reason: 'diverged', last: x.slice(), iterations: t, residual: Infinity };
    residual = vectorNorm(diff, norm);
    if (t === 1) r0 = residual;
    if (opts.onIteration && opts.onIteration(t, x.slice(), residual) === false) {
      return { ok: false, reason: 'stopped', last: x.slice(), iterations: t, residual };
    }
    if (residual <= absTol + relTol * vectorNorm(x, norm)) return { ok: true, value: x.slice(), iterations: t, residual };
    if (residual > divergenceFactor * Math.max(r0, absTol)) return { ok: false, reason: 'diverged', last: x.slice(), iterations: t, residual };
    if (t === maxIterations) break;
    for (let i = 0; i < n; i++) x[i] += damping * diff[i];
  }
  return { ok: false, reason: 'max-iterations', last: x.slice(), iterations: maxIterations, residual };
}
