/**
 * featlearn numerics: Gaussian special functions, Gauss–Hermite / piecewise Gaussian quadrature,
 * Hermite polynomials and coefficients, Mehler's formula, Brent root finding and damped fixed points.
 * Pure TypeScript without Node-only imports: this module is also bundled for the browser.
 * Conventions: docs/numerics.md.
 */
export { NumericsError } from './errors.js';
export { erf, erfc, erfcx, erfinv, normalCdf, normalHazardLower, normalLogCdf, normalLogPdf, normalPdf, normalQuantile, normalSf } from './special.js';
export { tridiagonalEigen, type TridiagonalEigen } from './tridiagonal.js';
export { gaussHermite, gaussHermiteGolubWelsch, GAUSS_HERMITE_MAX_ORDER, type QuadratureRule } from './gaussHermite.js';
export { gaussLegendre, GAUSS_LEGENDRE_MAX_ORDER } from './gaussLegendre.js';
export {
  expectation,
  expectation2,
  expectation2Cov,
  gaussianRule,
  integrateGaussian,
  integrateGaussian2,
  piecewiseGaussianRule,
  quadratureStages,
  PIECEWISE_HALF_WIDTH,
  QuadratureError,
  type Gaussian2,
  type Gaussian2Options,
  type GaussianQuadratureOptions,
  type GaussianRuleKind,
  type QuadratureResult,
  type Stage,
} from './gaussianQuadrature.js';
export {
  evaluatePolynomial,
  factorial,
  gaussianMoment,
  hermiteHe,
  hermiteNormalizedValues,
  hermiteToMonomial,
  MAX_POLYNOMIAL_DEGREE,
  monomialToHermite,
  polynomialDerivative,
  polynomialHermiteCoefficients,
  polynomialShiftScale,
} from './hermite.js';
export { hermiteCoefficientsByQuadrature, type CoefficientsResult } from './hermiteCoefficients.js';
export { mehlerSum, steinDerivativeCoefficients, type MehlerOptions, type MehlerResult } from './mehler.js';
export { brent, expandBracket, type BracketOptions, type BracketResult, type BrentOptions, type RootResult } from './roots.js';
export { dampedFixedPoint, type FixedPointOptions, type FixedPointResult } from './fixedPoint.js';
