/**
 * The built-in activations and links of ../shared/spec/README.md. Each has its a.e. derivative and second
 * derivative, its kinks, parity, native kernel and closed-form Gaussian moments where they exist
 * (./closedForms.ts; tanh, sigmoid and softplus have none and use quadrature).
 * Conventions at kinks: relu'(0) = 0, abs'(0) = sign(0) = 0, sign' = 0 (a.e.), as in the native kernels.
 */
import { erf } from '../numerics/special.js';
import {
  absClosedForm,
  cosClosedForm,
  erfClosedForm,
  linearClosedForm,
  RELU_CENTER,
  reluCenteredClosedForm,
  reluClosedForm,
  signClosedForm,
  sinClosedForm,
} from './closedForms.js';
import { polyFromHermite, polyFromMonomial } from './polynomial.js';
import type { Activation } from './types.js';

/** Names of the built-in activations (configs also accept `poly:...`, `hermite:...` and registered names). */
export const BUILTIN_ACTIVATION_NAMES = [
  'linear',
  'relu',
  'tanh',
  'erf',
  'sigmoid',
  'softplus',
  'sin',
  'cos',
  'abs',
  'sign',
  'quadratic',
  'he2',
  'he3',
  'he4',
  'relu-centered',
] as const;
export type BuiltinActivationName = (typeof BUILTIN_ACTIVATION_NAMES)[number];

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const NO_KINKS: readonly number[] = Object.freeze([]);
const KINK_AT_0: readonly number[] = Object.freeze([0]);

/** 1 / (1 + e^{-z}) without overflow. */
function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** sigmoid'(z) = e^{-|z|} / (1 + e^{-|z|})^2, accurate in both tails. */
function sigmoidPrime(z: number): number {
  const e = Math.exp(-Math.abs(z));
  return e / ((1 + e) * (1 + e));
}

/** a.e. step: 1 for z > 0, 0 for z <= 0, NaN for NaN. */
function step(z: number): number {
  return z > 0 ? 1 : z <= 0 ? 0 : NaN;
}

function signum(z: number): number {
  return z > 0 ? 1 : z < 0 ? -1 : z === 0 ? 0 : NaN;
}

/** 0 a.e., NaN for NaN. */
function zeroAe(z: number): number {
  return Number.isNaN(z) ? NaN : 0;
}

function make(a: Omit<Activation, 'builtin'>): Activation {
  return Object.freeze({ ...a, builtin: true });
}

function buildBuiltins(): Record<BuiltinActivationName, Activation> {
  return {
    linear: make({
      name: 'linear',
      description: 'identity z',
      value: (z) => z,
      derivative: (z) => (Number.isNaN(z) ? NaN : 1),
      secondDerivative: zeroAe,
      kinks: NO_KINKS,
      continuous: true,
      parity: 'odd',
      kernel: { kind: 'linear' },
      polynomial: Object.freeze([0, 1]),
      closedForm: linearClosedForm,
    }),
    relu: make({
      name: 'relu',
      description: 'max(z, 0); relu\'(0) = 0',
      value: (z) => Math.max(z, 0),
      derivative: step,
      secondDerivative: zeroAe,
      kinks: KINK_AT_0,
      continuous: true,
      parity: 'none',
      kernel: { kind: 'relu' },
      closedForm: reluClosedForm,
    }),
    tanh: make({
      name: 'tanh',
      description: 'hyperbolic tangent',
      value: Math.tanh,
      derivative: (z) => {
        const t = Math.tanh(z);
        return 1 - t * t;
      },
      secondDerivative: (z) => {
        const t = Math.tanh(z);
        return -2 * t * (1 - t * t);
      },
      kinks: NO_KINKS,
      continuous: true,
      parity: 'odd',
      kernel: { kind: 'tanh' },
    }),
    erf: make({
      name: 'erf',
      description: 'error function erf(z) (not rescaled)',
      value: erf,
      derivative: (z) => TWO_OVER_SQRT_PI * Math.exp(-z * z),
      secondDerivative: (z) => -2 * z * TWO_OVER_SQRT_PI * Math.exp(-z * z),
      kinks: NO_KINKS,
      continuous: true,
      parity: 'odd',
      kernel: { kind: 'erf' },
      closedForm: erfClosedForm,
    }),
    sigmoid: make({
      name: 'sigmoid',
      description: 'logistic 1 / (1 + e^-z)',
      value: sigmoid,
      derivative: sigmoidPrime,
      secondDerivative: (z) => sigmoidPrime(z) * -Math.tanh(z / 2), // s'(1 - 2s), 1 - 2s = -tanh(z/2)
      kinks: NO_KINKS,
      continuous: true,
      parity: 'none',
      kernel: { kind: 'sigmoid' },
    }),
    softplus: make({
      name: 'softplus',
      description: 'log(1 + e^z)',
      value: (z) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))),
      derivative: sigmoid,
      secondDerivative: sigmoidPrime,
      kinks: NO_KINKS,
      continuous: true,
      parity: 'none',
      kernel: { kind: 'softplus' },
    }),
    sin: make({
      name: 'sin',
      description: 'sine',
      value: Math.sin,
      derivative: Math.cos,
      secondDerivative: (z) => -Math.sin(z),
      kinks: NO_KINKS,
      continuous: true,
      parity: 'odd',
      kernel: { kind: 'sin' },
      closedForm: sinClosedForm,
    }),
    cos: make({
      name: 'cos',
      description: 'cosine',
      value: Math.cos,
      derivative: (z) => -Math.sin(z),
      secondDerivative: (z) => -Math.cos(z),
      kinks: NO_KINKS,
      continuous: true,
      parity: 'even',
      kernel: { kind: 'cos' },
      closedForm: cosClosedForm,
    }),
    abs: make({
      name: 'abs',
      description: '|z|; abs\'(z) = sign(z), 0 at 0',
      value: Math.abs,
      derivative: signum,
      secondDerivative: zeroAe,
      kinks: KINK_AT_0,
      continuous: true,
      parity: 'even',
      kernel: { kind: 'abs' },
      closedForm: absClosedForm,
    }),
    sign: make({
      name: 'sign',
      description: 'sign(z) in {-1, 0, 1}; derivative 0 a.e. (the jump is not in the derivative)',
      value: signum,
      derivative: zeroAe,
      secondDerivative: zeroAe,
      kinks: KINK_AT_0,
      continuous: false,
      parity: 'odd',
      kernel: { kind: 'sign' },
      closedForm: signClosedForm,
    }),
    quadratic: Object.freeze({ ...polyFromMonomial([0, 0, 1]), name: 'quadratic', description: 'z^2' }),
    he2: polyFromHermite([0, 0, 1], 'he2', 'He_2(z) = z^2 - 1 (probabilists\' Hermite, unnormalised)'),
    he3: polyFromHermite([0, 0, 0, 1], 'he3', 'He_3(z) = z^3 - 3z'),
    he4: polyFromHermite([0, 0, 0, 0, 1], 'he4', 'He_4(z) = z^4 - 6z^2 + 3'),
    'relu-centered': make({
      name: 'relu-centered',
      description: 'relu(z) - 1/sqrt(2 pi) (zero mean under N(0, 1))',
      value: (z) => Math.max(z, 0) - RELU_CENTER,
      derivative: step,
      secondDerivative: zeroAe,
      kinks: KINK_AT_0,
      continuous: true,
      parity: 'none',
      kernel: { kind: 'relu', offset: -RELU_CENTER },
      closedForm: reluCenteredClosedForm,
    }),
  };
}

/** The built-in activations by name (frozen records). */
export const BUILTIN_ACTIVATIONS: Readonly<Record<BuiltinActivationName, Activation>> = Object.freeze(buildBuiltins());
