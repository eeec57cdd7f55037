/**
 * The Activation record shared by simulation and theory (a neutral building block, STYLE.md 13).
 *
 * Conventions (a.e. derivatives, the convention at non-smooth points is fixed and the native kernels of
 * src/linalg/elementwise.ts follow it): relu'(0) = 0; abs' = sign with sign(0) = 0; sign' = 0 everywhere
 * (its distributional derivative 2 delta is NOT in `derivative`; see `continuous`).
 */
import type { ElementwiseKernel } from '../linalg/elementwise.js';

export type Parity = 'odd' | 'even' | 'none';

/**
 * Closed-form Gaussian moments of z -> sigma(shift + scale z), Z ~ N(0, 1), for scale > 0 (the caller
 * handles scale <= 0). Coefficients are normalised: mu_k = E[sigma(shift + scale Z) He_k(Z)] / sqrt(k!).
 */
export interface ClosedFormMoments {
  /** mu_0 .. mu_K. */
  coefficients(K: number, scale: number, shift: number): number[];
  /** E sigma(shift + scale Z)^2, or undefined where no closed form is known (quadrature is used then). */
  secondMoment(scale: number, shift: number): number | undefined;
}

export interface Activation {
  /** Canonical spec string: a built-in name, `poly:...`, `hermite:...` or a registered name. */
  readonly name: string;
  /** One line for listings. */
  readonly description: string;
  value(z: number): number;
  /** Derivative (almost everywhere; see the module comment for the conventions at kinks). */
  derivative(z: number): number;
  secondDerivative?(z: number): number;
  /** Points where the value or a derivative is not smooth (kinks and jumps); quadrature splits there. */
  readonly kinks: readonly number[];
  /** false when the value jumps (sign): Stein's identity then involves delta masses. */
  readonly continuous: boolean;
  readonly parity: Parity;
  /** Native fused elementwise kernel, when the backends implement this activation natively. */
  readonly kernel?: ElementwiseKernel;
  /** Monomial coefficients when the activation is a polynomial. */
  readonly polynomial?: readonly number[];
  /** Closed-form Gaussian moments, when known. */
  readonly closedForm?: ClosedFormMoments;
  /** true for the built-ins and the poly:/hermite: families, false for registered ones. */
  readonly builtin: boolean;
}
