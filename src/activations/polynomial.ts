/**
 * Polynomial activations: `poly:c0,c1,...` (monomial coefficients: sigma(z) = sum_k c_k z^k, so
 * `poly:1,0,0.5` = 1 + 0.5 z^2) and `hermite:c0,c1,...` (coefficients on the UNNORMALISED probabilists'
 * Hermite polynomials: sigma = sum_k c_k He_k, so `hermite:0,1,0.5` = z + 0.5 (z^2 - 1)).
 *
 * Why unnormalised He_k for `hermite:`: it matches the names `he2`, `he3`, `he4` (= He_2, He_3, He_4),
 * keeps small integer coefficients exact in the monomial form the native kernel evaluates, and is the
 * convention of numpy.polynomial.hermite_e. The normalised Hermite coefficients follow as
 * mu_k = c_k sqrt(k!) (exactly, at scale 1 and shift 0; by change of basis otherwise).
 * Degree at most MAX_SPEC_DEGREE = 20: the basis changes are ill-conditioned beyond (docs/numerics.md).
 */
import { evaluatePolynomial, hermiteToMonomial, polynomialDerivative, polynomialHermiteCoefficients } from '../numerics/hermite.js';
import type { Activation, ClosedFormMoments, Parity } from './types.js';

export const MAX_SPEC_DEGREE = 20;

/** Parity of sum_k a_k z^k. */
function polynomialParity(a: readonly number[]): Parity {
  const evenZero = a.every((v, k) => k % 2 === 1 || v === 0);
  const oddZero = a.every((v, k) => k % 2 === 0 || v === 0);
  if (evenZero && !oddZero) return 'odd';
  if (oddZero) return 'even';
  return 'none';
}

/** Drops trailing zero coefficients (keeps at least one). */
function trim(a: readonly number[]): number[] {
  let n = a.length;
  while (n > 1 && a[n - 1] === 0) n--;
  return a.slice(0, n);
}

export interface PolynomialActivationInput {
  name: string;
  description: string;
  /** Monomial coefficients. */
  monomial: readonly number[];
  /** Unnormalised Hermite coefficients, when the polynomial was given that way (used exactly at s = 1, m = 0). */
  hermite?: readonly number[];
}

/** An Activation for a polynomial (exact closed-form moments; native `poly` kernel). */
export function polynomialActivation(input: PolynomialActivationInput): Activation {
  const a = Object.freeze(trim(input.monomial));
  const d1 = polynomialDerivative(a);
  const d2 = polynomialDerivative(d1);
  const hermite = input.hermite ? trim(input.hermite) : undefined;
  const closedForm: ClosedFormMoments = {
    coefficients(K, s, m) {
      if (hermite && s === 1 && m === 0) {
        const mu = new Array<number>(K + 1).fill(0);
        let sqrtFact = 1;
        for (let k = 0; k < hermite.length && k <= K; k++) {
          if (k > 0) sqrtFact *= Math.sqrt(k);
          mu[k] = hermite[k] * sqrtFact;
        }
        return mu;
      }
      return polynomialHermiteCoefficients(a, K, m, s).mu;
    },
    secondMoment(s, m) {
      if (hermite && s === 1 && m === 0) {
        let e = 0;
        let fact = 1;
        for (let k = 0; k < hermite.length; k++) {
          if (k > 0) fact *= k;
          e += hermite[k] * hermite[k] * fact;
        }
        return e;
      }
      return polynomialHermiteCoefficients(a, 0, m, s).secondMoment;
    },
  };
  const act: Activation = {
    name: input.name,
    description: input.description,
    value: (z: number) => evaluatePolynomial(a, z),
    derivative: (z: number) => evaluatePolynomial(d1, z),
    secondDerivative: (z: number) => evaluatePolynomial(d2, z),
    kinks: Object.freeze([]) as readonly number[],
    continuous: true,
    parity: polynomialParity(a),
    kernel: { kind: 'poly', coeffs: a },
    polynomial: a,
    closedForm,
    builtin: true,
  };
  return Object.freeze(act);
}

/** Canonical text of a coefficient list (shortest round-trip numbers). */
function formatCoefficients(c: readonly number[]): string {
  return c.map((v) => String(v)).join(',');
}

/** `poly:` activation from monomial coefficients (trailing zeros dropped from the canonical name). */
export function polyFromMonomial(coeffs: readonly number[]): Activation {
  const a = trim(coeffs);
  return polynomialActivation({
    name: `poly:${formatCoefficients(a)}`,
    description: 'polynomial, monomial coefficients c0 + c1 z + c2 z^2 + ...',
    monomial: a,
  });
}

/** `hermite:` activation from unnormalised probabilists' Hermite coefficients. */
export function polyFromHermite(coeffs: readonly number[], name?: string, description?: string): Activation {
  const c = trim(coeffs);
  return polynomialActivation({
    name: name ?? `hermite:${formatCoefficients(c)}`,
    description: description ?? 'polynomial on the probabilists\' Hermite basis c0 He_0 + c1 He_1 + c2 He_2 + ... (unnormalised He_k)',
    monomial: hermiteToMonomial(c),
    hermite: c,
  });
}
