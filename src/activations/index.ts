/**
 * featlearn activations: the registry of named activations/links (built-ins, poly:/hermite: families,
 * user registrations) and their Gaussian moments (Hermite coefficients, mu_perp, Mehler kernels).
 * Pure TypeScript without Node-only imports (bundled for the browser too). Conventions: docs/numerics.md.
 */
export type { Activation, ClosedFormMoments, Parity } from './types.js';
export { BUILTIN_ACTIVATION_NAMES, BUILTIN_ACTIVATIONS, type BuiltinActivationName } from './builtin.js';
export { MAX_SPEC_DEGREE } from './polynomial.js';
export {
  ACTIVATION_SPEC_PREFIXES,
  ActivationError,
  activationSpecError,
  defineActivation,
  describeActivationSpecs,
  getActivation,
  listActivationNames,
  registerActivation,
  unregisterActivation,
  type ActivationDefinition,
} from './registry.js';
export {
  activationSecondMoment,
  derivativeCoefficients,
  gaussianCoefficients,
  gaussianKernel,
  hermiteCoefficients,
  hermiteExpansion,
  type CoefficientOptions,
  type GaussianCoefficients,
  type HermiteExpansion,
  type KernelOptions,
  type KernelValue,
} from './coefficients.js';
