/**
 * The damped seven-parameter iteration of the sRF equations — the authors' solver (Cui et al. 2024, arXiv
 * 2402.04980, public code: all seven order parameters updated together with damping 0.5), kept as an
 * independent cross-check of ./reduced.ts (../shared/spec/srf.md section 4, "Solving").
 *
 * x_{t+1} = (1 - damping) x_t + damping F(x_t), F = `sevenParameterMap` (./equations.ts), by
 * `dampedFixedPoint` (src/numerics) with the residual ||F(x) - x||_inf <= tolerance * max(1, ||x||_inf).
 * Slow near alpha = n/N ≈ 1 with small lambda (hundreds to thousands of iterations) and may diverge for
 * tiny lambda with N > d: failures come back as status records ('max-iterations', 'diverged', 'nan').
 */
import { dampedFixedPoint } from '../../numerics/fixedPoint.js';
import { fromVector, sevenParameterMap, srfResidual, toVector, type SrfOrderParameters, type SrfProblem } from './equations.js';
import { noFiniteSolutionReason, type SrfSolveResult } from './reduced.js';

export interface DampedOptions {
  /** Starting point (default: q = theta = psi = m = 0 and V from two monotone steps from V = 0). */
  start?: SrfOrderParameters;
  /** Weight of F(x) in the update (default 0.5, the authors' value). */
  damping?: number;
  /** Relative residual tolerance (default 1e-11, so the reported residual is <= 1e-10). */
  tolerance?: number;
  /** Largest number of iterations (default 100000). */
  maxIterations?: number;
}

function defaultStart(p: SrfProblem): SrfOrderParameters {
  let x: SrfOrderParameters = { q1: 0, q2: 0, V1: 0, V2: 0, theta: 0, psi: 0, m: 0 };
  for (let i = 0; i < 2; i++) {
    const { next } = sevenParameterMap(p, x);
    x = { ...x, V1: next.V1, V2: next.V2 };
  }
  return x;
}

/** Solves the seven-parameter fixed point by damped iteration (module comment). */
export function dampedSolve(p: SrfProblem, opts: DampedOptions = {}): SrfSolveResult {
  const why = noFiniteSolutionReason(p);
  if (why) return { ok: false, reason: 'no-finite-solution', message: why, iterations: 0, residual: Infinity };
  const tol = opts.tolerance ?? 1e-11;
  const start = opts.start ?? defaultStart(p);
  const r = dampedFixedPoint((v) => toVector(sevenParameterMap(p, fromVector(v)).next), toVector(start), {
    damping: opts.damping ?? 0.5,
    absTol: tol,
    relTol: tol,
    maxIterations: opts.maxIterations ?? 100000,
  });
  if (!r.ok) {
    const last = fromVector(r.last);
    const reason = r.reason === 'nan' ? 'nan' : r.reason === 'diverged' ? 'diverged' : 'max-iterations';
    return { ok: false, reason, message: `damped iteration: ${r.reason} after ${r.iterations} iterations (residual ${r.residual})`, iterations: r.iterations, residual: srfResidual(p, last), last };
  }
  const x = fromVector(r.value);
  return { ok: true, x, conjugates: sevenParameterMap(p, x).conjugates, iterations: r.iterations, residual: srfResidual(p, x) };
}
