/**
 * Scalar root finding by Brent's method (R. P. Brent 1973, "Algorithms for Minimization without
 * Derivatives", chapter 4, procedure `zero`; the Forsythe–Malcolm–Moler `zeroin`): inverse quadratic
 * interpolation or secant steps, falling back to bisection whenever they would not shrink the bracket
 * fast enough, so it never does worse than bisection and converges superlinearly for smooth f.
 * Terminates when the bracket [b, c] around the root has half-width <= relTol |b| + absTol / 2 (zeroin's
 * test with relTol = 2 eps), or f(b) = 0. Status records as in STYLE.md principle 4; no exceptions for non-convergence.
 */
import { checkFinite, checkFunction, checkInteger, checkPositive, NumericsError } from './errors.js';

const EPS = 2.220446049250313e-16;

export interface BrentOptions {
  /** Absolute tolerance on the root (default 1e-14). */
  absTol?: number;
  /** Relative tolerance on the root (default 2 eps; values below 2 eps are raised to it). */
  relTol?: number;
  /** Largest number of evaluations of f after the two end points (default 200). */
  maxIterations?: number;
}

export type RootResult =
  | { ok: true; value: number; iterations: number; residual: number; bracket: [number, number] }
  | { ok: false; reason: 'no-bracket' | 'max-iterations' | 'nan'; last: number; iterations: number; residual: number; bracket: [number, number] };

/**
 * A root of f in [a, b]; f(a) and f(b) must have opposite signs (or one be 0). `residual` is f(value);
 * `bracket` the final interval known to contain a sign change. 'no-bracket' when f(a), f(b) have the
 * same sign, 'nan' when f returns NaN, 'max-iterations' when the budget runs out (the best point so far
 * is `last`).
 */
export function brent(f: (x: number) => number, a: number, b: number, opts: BrentOptions = {}): RootResult {
  const routine = 'brent';
  checkFunction(routine, 'f', f);
  checkFinite(routine, 'a', a);
  checkFinite(routine, 'b', b);
  const absTol = opts.absTol ?? 1e-14;
  const relTol = Math.max(opts.relTol ?? 2 * EPS, 2 * EPS);
  const maxIterations = opts.maxIterations ?? 200;
  checkPositive(routine, 'absTol', absTol, true);
  checkPositive(routine, 'relTol', relTol);
  checkInteger(routine, 'maxIterations', maxIterations, 1, 1e7);

  let fa = f(a);
  let fb = f(b);
  if (Number.isNaN(fa) || Number.isNaN(fb)) {
    const bad = Number.isNaN(fa) ? a : b;
    return { ok: false, reason: 'nan', last: bad, iterations: 0, residual: NaN, bracket: [a, b] };
  }
  if (fa === 0) return { ok: true, value: a, iterations: 0, residual: 0, bracket: [a, a] };
  if (fb === 0) return { ok: true, value: b, iterations: 0, residual: 0, bracket: [b, b] };
  if ((fa > 0) === (fb > 0)) {
    const better = Math.abs(fa) < Math.abs(fb) ? a : b;
    return { ok: false, reason: 'no-bracket', last: better, iterations: 0, residual: Math.min(Math.abs(fa), Math.abs(fb)), bracket: [a, b] };
  }

  // b: best estimate; a: previous b; c: point with f(c) of opposite sign to f(b).
  let c = a;
  let fc = fa;
  let d = b - a; // last step
  let e = d; // step before last
  for (let iter = 1; ; iter++) {
    if ((fb > 0) === (fc > 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      // keep b the point with the smaller |f|
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = relTol * Math.abs(b) + 0.5 * absTol;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol || fb === 0) return { ok: true, value: b, iterations: iter - 1, residual: fb, bracket: [Math.min(b, c), Math.max(b, c)] };
    if (iter > maxIterations) {
      return { ok: false, reason: 'max-iterations', last: b, iterations: iter - 1, residual: fb, bracket: [Math.min(b, c), Math.max(b, c)] };
    }

    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      // Try interpolation: secant if only two distinct points, inverse quadratic otherwise.
      const s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      // Accept the interpolation only if it falls well inside the bracket and shrinks fast enough.
      if (2 * p < 3 * m * q - Math.abs(tol * q) && p < Math.abs(0.5 * e * q)) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = f(b);
    if (Number.isNaN(fb)) return { ok: false, reason: 'nan', last: b, iterations: iter, residual: NaN, bracket: [Math.min(a, c), Math.max(a, c)] };
  }
}

export interface BracketOptions {
  /** Growth factor of the interval per step (default 1.6). */
  factor?: number;
  /** Largest number of expansions (default 60). */
  maxIterations?: number;
  /** Hard limits the bracket may not cross (default -Infinity, Infinity), e.g. 0 for a positive parameter. */
  lower?: number;
  upper?: number;
}

export type BracketResult =
  | { ok: true; a: number; b: number; fa: number; fb: number; iterations: number }
  | { ok: false; reason: 'no-bracket' | 'nan'; last: [number, number]; iterations: number; residual: number };

/**
 * Expands [a, b] geometrically (the side with the smaller |f| moves, Press et al., Numerical Recipes,
 * `zbrac`) until f changes sign, within [lower, upper]. 'no-bracket' after maxIterations or when both
 * limits are reached; 'nan' when f returns NaN.
 */
export function expandBracket(f: (x: number) => number, a: number, b: number, opts: BracketOptions = {}): BracketResult {
  const routine = 'expandBracket';
  checkFunction(routine, 'f', f);
  checkFinite(routine, 'a', a);
  checkFinite(routine, 'b', b);
  if (!(a < b)) throw new NumericsError(routine, `need a < b, got a = ${a}, b = ${b}`);
  const factor = opts.factor ?? 1.6;
  const maxIterations = opts.maxIterations ?? 60;
  const lower = opts.lower ?? -Infinity;
  const upper = opts.upper ?? Infinity;
  checkPositive(routine, 'factor', factor);
  checkInteger(routine, 'maxIterations', maxIterations, 1, 10000);
  if (!(lower <= a && b <= upper)) throw new NumericsError(routine, `[a, b] = [${a}, ${b}] must lie within [lower, upper] = [${lower}, ${upper}]`);
  let fa = f(a);
  let fb = f(b);
  for (let it = 0; ; it++) {
    if (Number.isNaN(fa) || Number.isNaN(fb)) return { ok: false, reason: 'nan', last: [a, b], iterations: it, residual: NaN };
    if (fa === 0 || fb === 0 || (fa > 0) !== (fb > 0)) return { ok: true, a, b, fa, fb, iterations: it };
    const atLower = a <= lower;
    const atUpper = b >= upper;
    if (it >= maxIterations || (atLower && atUpper)) {
      return { ok: false, reason: 'no-bracket', last: [a, b], iterations: it, residual: Math.min(Math.abs(fa), Math.abs(fb)) };
    }
    const width = b - a;
    if ((Math.abs(fa) < Math.abs(fb) && !atLower) || atUpper) {
      a = Math.max(lower, a - factor * width);
      fa = f(a);
    } else {
      b = Math.min(upper, b + factor * width);
      fb = f(b);
    }
  }
}
