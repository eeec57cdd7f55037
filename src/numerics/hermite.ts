/**
 * Probabilists' Hermite polynomials He_k (He_0 = 1, He_1 = z, He_{k+1} = z He_k - k He_{k-1}; orthogonal
 * for the standard normal density with E He_j He_k = k! delta_jk) and the normalised ones
 * h_k = He_k / sqrt(k!) (orthonormal), plus conversions between the monomial and Hermite bases and the
 * shift/scale of polynomials. Abramowitz & Stegun 22.2.15, 22.7.14; Olver et al., DLMF 18.3, 18.9.
 *
 * Conventions used by featlearn (../shared/spec/README.md): the Hermite coefficient of a function is
 * mu_k = E[f(Z) He_k(Z)] / sqrt(k!) = E[f(Z) h_k(Z)], so f = sum_k mu_k h_k and E f^2 = sum_k mu_k^2.
 * A polynomial given on the UNNORMALISED basis, p = sum_k c_k He_k, has mu_k = c_k sqrt(k!).
 *
 * Conditioning: the monomial <-> Hermite changes of basis have entries up to ~(d-1)!!, so a round trip
 * loses ~1e-13 at degree 10 and ~1e-6 at degree 20 (measured); keep explicit polynomials low-degree.
 */
import { checkFinite, checkInteger, NumericsError } from './errors.js';

/** Largest degree accepted by the basis conversions (k! overflows a double beyond 170). */
export const MAX_POLYNOMIAL_DEGREE = 170;

/** h_0(z) .. h_K(z), the normalised Hermite polynomials, by h_{k+1} = (z h_k - sqrt(k) h_{k-1}) / sqrt(k+1). */
export function hermiteNormalizedValues(z: number, K: number, out: Float64Array = new Float64Array(K + 1)): Float64Array {
  out[0] = 1;
  if (K >= 1) out[1] = z;
  for (let k = 1; k < K; k++) out[k + 1] = (z * out[k] - Math.sqrt(k) * out[k - 1]) / Math.sqrt(k + 1);
  return out;
}

/** The unnormalised probabilists' Hermite polynomial He_k(z). */
export function hermiteHe(k: number, z: number): number {
  checkInteger('hermiteHe', 'k', k, 0, 100000);
  let prev = 0;
  let cur = 1;
  for (let j = 0; j < k; j++) {
    const next = z * cur - j * prev;
    prev = cur;
    cur = next;
  }
  return cur;
}

/** k! as a double (exact up to 22!, finite up to 170!). */
export function factorial(k: number): number {
  checkInteger('factorial', 'k', k, 0, MAX_POLYNOMIAL_DEGREE);
  let v = 1;
  for (let j = 2; j <= k; j++) v *= j;
  return v;
}

/** E Z^k for Z ~ N(0, 1): 0 for odd k, (k-1)!! for even k. */
export function gaussianMoment(k: number): number {
  checkInteger('gaussianMoment', 'k', k, 0, 340);
  if (k % 2 === 1) return 0;
  let v = 1;
  for (let j = k - 1; j > 1; j -= 2) v *= j;
  return v;
}

function checkCoefficients(routine: string, name: string, c: readonly number[]): void {
  if (!Array.isArray(c) || c.length === 0) throw new NumericsError(routine, `${name} must be a non-empty array of numbers`);
  if (c.length - 1 > MAX_POLYNOMIAL_DEGREE) {
    throw new NumericsError(routine, `${name} has degree ${c.length - 1}, more than the maximum ${MAX_POLYNOMIAL_DEGREE}`);
  }
  c.forEach((v, i) => checkFinite(routine, `${name}[${i}]`, v));
}

/** Horner evaluation of sum_k a[k] z^k. */
export function evaluatePolynomial(a: readonly number[], z: number): number {
  let acc = 0;
  for (let k = a.length - 1; k >= 0; k--) acc = acc * z + a[k];
  return acc;
}

/** Monomial coefficients of the derivative of sum_k a[k] z^k. */
export function polynomialDerivative(a: readonly number[]): number[] {
  if (a.length <= 1) return [0];
  return a.slice(1).map((v, k) => (k + 1) * v);
}

/** Monomial coefficients of sum_k c[k] He_k(z) (c on the unnormalised Hermite basis). */
export function hermiteToMonomial(c: readonly number[]): number[] {
  checkCoefficients('hermiteToMonomial', 'c', c);
  const n = c.length;
  const out = new Array<number>(n).fill(0);
  // Monomial coefficients of He_k, built by He_{k+1} = z He_k - k He_{k-1}.
  let prev: number[] = [];
  let cur: number[] = [1];
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < cur.length; j++) out[j] += c[k] * cur[j];
    const next = new Array<number>(k + 2).fill(0);
    for (let j = 0; j < cur.length; j++) next[j + 1] += cur[j];
    for (let j = 0; j < prev.length; j++) next[j] -= k * prev[j];
    prev = cur;
    cur = next;
  }
  return out;
}

/** Coefficients c on the unnormalised Hermite basis with sum_k c[k] He_k(z) = sum_k a[k] z^k. */
export function monomialToHermite(a: readonly number[]): number[] {
  checkCoefficients('monomialToHermite', 'a', a);
  const n = a.length;
  const out = new Array<number>(n).fill(0);
  // Hermite coefficients of z^k, built by z He_j = He_{j+1} + j He_{j-1}.
  let cur: number[] = [1];
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < cur.length; j++) out[j] += a[k] * cur[j];
    const next = new Array<number>(k + 2).fill(0);
    for (let j = 0; j < cur.length; j++) {
      next[j + 1] += cur[j];
      if (j >= 1) next[j - 1] += j * cur[j];
    }
    cur = next;
  }
  return out;
}

/** Monomial coefficients (in z) of p(shift + scale z), p = sum_k a[k] x^k (binomial expansion). */
export function polynomialShiftScale(a: readonly number[], shift: number, scale: number): number[] {
  checkCoefficients('polynomialShiftScale', 'a', a);
  checkFinite('polynomialShiftScale', 'shift', shift);
  checkFinite('polynomialShiftScale', 'scale', scale);
  const n = a.length;
  const out = new Array<number>(n).fill(0);
  // (shift + scale z)^k expanded by repeated multiplication.
  let pow: number[] = [1];
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < pow.length; j++) out[j] += a[k] * pow[j];
    const next = new Array<number>(k + 2).fill(0);
    for (let j = 0; j < pow.length; j++) {
      next[j] += shift * pow[j];
      next[j + 1] += scale * pow[j];
    }
    pow = next;
  }
  return out;
}

/**
 * Normalised Hermite coefficients mu_0..mu_K of z -> p(shift + scale z) for a polynomial with monomial
 * coefficients a (exact: shift/scale, change of basis, mu_k = c_k sqrt(k!)); mu_k = 0 beyond the degree.
 * Also returns E p(shift + scale Z)^2 = sum_k mu_k^2 over all k.
 */
export function polynomialHermiteCoefficients(a: readonly number[], K: number, shift = 0, scale = 1): { mu: number[]; secondMoment: number } {
  checkInteger('polynomialHermiteCoefficients', 'K', K, 0, MAX_POLYNOMIAL_DEGREE);
  const c = monomialToHermite(polynomialShiftScale(a, shift, scale));
  const mu = new Array<number>(K + 1).fill(0);
  let secondMoment = 0;
  let sqrtFact = 1;
  for (let k = 0; k < c.length; k++) {
    if (k > 0) sqrtFact *= Math.sqrt(k);
    const m = c[k] * sqrtFact;
    if (k <= K) mu[k] = m;
    secondMoment += m * m;
  }
  return { mu, secondMoment };
}
