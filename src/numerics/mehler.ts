/**
 * Mehler's formula (Mehler 1866; O'Donnell, Analysis of Boolean Functions, 2014, section 11.2): for
 * standard Gaussians U, V with correlation rho and functions with normalised Hermite coefficients
 * a_k = E[f h_k], b_k = E[g h_k] (h_k = He_k / sqrt(k!)),
 *   E f(U) g(V) = sum_k a_k b_k rho^k.
 * Truncating at k <= K leaves a tail bounded by Cauchy–Schwarz:
 *   |sum_{k>K} a_k b_k rho^k| <= |rho|^{K+1} sqrt(E f^2 - sum_{k<=K} a_k^2) sqrt(E g^2 - sum_{k<=K} b_k^2),
 * which `mehlerSum` reports when the second moments are given.
 *
 * Stein's lemma (E[f(Z) He_{k+1}(Z)] = E[f'(Z) He_k(Z)] for absolutely continuous f) gives the
 * coefficients of the derivative: mu_k(f') = sqrt(k+1) mu_{k+1}(f) (`steinDerivativeCoefficients`). For a
 * function with jumps (sign) this is the DISTRIBUTIONAL derivative, delta masses included — not the a.e.
 * derivative an activation's `derivative` returns (which is 0 for sign).
 */
import { checkFinite, NumericsError } from './errors.js';

export interface MehlerResult {
  /** sum_{k<=K} a_k b_k rho^k, K = min(a.length, b.length) - 1 */
  value: number;
  /** Number of terms used (K + 1). */
  terms: number;
  /** Rigorous bound on the truncation error (needs both second moments), else undefined. */
  truncationBound?: number;
  /** |a_K b_K rho^K|, the last term, a rough indication when no bound is available. */
  lastTerm: number;
}

export interface MehlerOptions {
  /** E f(U)^2, for the truncation bound. */
  secondMomentA?: number;
  /** E g(V)^2, for the truncation bound. */
  secondMomentB?: number;
}

/** E f(U) g(V) from coefficient arrays by Mehler's formula (see the module comment). */
export function mehlerSum(a: readonly number[], b: readonly number[], rho: number, opts: MehlerOptions = {}): MehlerResult {
  const routine = 'mehlerSum';
  checkFinite(routine, 'rho', rho);
  if (rho < -1 || rho > 1) throw new NumericsError(routine, `rho must be in [-1, 1], got ${rho}`);
  if (a.length === 0 || b.length === 0) throw new NumericsError(routine, `coefficient arrays must be non-empty, got lengths ${a.length} and ${b.length}`);
  const terms = Math.min(a.length, b.length);
  let value = 0;
  let energyA = 0;
  let energyB = 0;
  let p = 1;
  let lastTerm = 0;
  for (let k = 0; k < terms; k++) {
    checkFinite(routine, `a[${k}]`, a[k]);
    checkFinite(routine, `b[${k}]`, b[k]);
    lastTerm = a[k] * b[k] * p;
    value += lastTerm;
    energyA += a[k] * a[k];
    energyB += b[k] * b[k];
    p *= rho;
  }
  const result: MehlerResult = { value, terms, lastTerm: Math.abs(lastTerm) };
  if (opts.secondMomentA !== undefined && opts.secondMomentB !== undefined) {
    checkFinite(routine, 'secondMomentA', opts.secondMomentA);
    checkFinite(routine, 'secondMomentB', opts.secondMomentB);
    // Rounding in the subtraction leaves ~eps * E f^2; never report a bound below that.
    const tailA = Math.max(opts.secondMomentA - energyA, 4e-16 * opts.secondMomentA, 0);
    const tailB = Math.max(opts.secondMomentB - energyB, 4e-16 * opts.secondMomentB, 0);
    result.truncationBound = Math.abs(p) * Math.sqrt(tailA * tailB);
  }
  return result;
}

/** Coefficients of f' from those of f by Stein's lemma: mu_k(f') = sqrt(k+1) mu_{k+1}(f), k = 0..K-1. */
export function steinDerivativeCoefficients(mu: readonly number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k + 1 < mu.length; k++) out.push(Math.sqrt(k + 1) * mu[k + 1]);
  return out;
}
