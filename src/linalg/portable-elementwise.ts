/**
 * The fused elementwise kernels in TypeScript (portable backend). Same formulas, operation for operation, as
 * native/src/elementwise.cc, so both backends agree up to the few-ulp differences of the math libraries (the
 * native tanh value may come from glibc's vector tanh, <= 4 ulp):
 *   tanh      value Math.tanh; derivative 1 - t^2 for |z| <= 0.55 (t^2 < 0.25, no cancellation), else
 *             sech^2 z = 4e/(1+e)^2 with e = exp(-2|z|) (full relative accuracy in the tails).
 *   sigmoid   e = exp(-|z|): value 1/(1+e) (z >= 0) or e/(1+e) (z < 0), never overflows; derivative e/(1+e)^2.
 *   softplus  max(z, 0) + log1p(exp(-|z|)); derivative sigmoid(z).
 *   erf       value erf (src/numerics/special.ts); derivative (2/sqrt(pi)) exp(-z^2).
 *   relu      relu'(0) = 0.  abs: abs'(z) = sign(z), sign(0) = 0.  sign: sign(0) = 0, sign' = 0 (a.e.).
 *   poly      Horner's rule for p and p' (coefficients with trailing zeros trimmed by checks.ts).
 * The offset is added to values only. NaN inputs give NaN values and derivatives. Outputs may alias X.
 */
import type { CheckedKernel } from './checks.js';
import type { ElementwiseMode } from './elementwise.js';
import type { FloatArray } from './matrix.js';
import { erf } from '../numerics/special.js';

const TWO_OVER_SQRT_PI = 1.1283791670955126;

function signOf(z: number): number {
  return z > 0 ? 1 : z < 0 ? -1 : z === 0 ? 0 : z;
}

/** Value and derivative of one kernel at a point. */
interface Scalar {
  value(z: number): number;
  derivative(z: number): number;
}

function tanhDerivative(z: number): number {
  const a = Math.abs(z);
  if (a > 0.55) {
    const e = Math.exp(-2 * a), q = 1 + e;
    return (4 * e) / (q * q);
  }
  const t = Math.tanh(z);
  return 1 - t * t;
}

function sigmoid(z: number): number {
  const e = Math.exp(-Math.abs(z)), q = 1 + e;
  return z >= 0 ? 1 / q : e / q;
}

function polyScalar(c: Float64Array): Scalar {
  const n = c.length;
  return {
    value(z) {
      if (n <= 1) return Number.isNaN(z) ? z : n === 1 ? c[0] : 0;
      let acc = c[n - 1];
      for (let k = n - 2; k >= 0; k--) acc = acc * z + c[k];
      return acc;
    },
    derivative(z) {
      if (n <= 1) return Number.isNaN(z) ? z : 0;
      let acc = (n - 1) * c[n - 1];
      for (let k = n - 2; k >= 1; k--) acc = acc * z + k * c[k];
      return acc;
    },
  };
}

function scalarKernel(kernel: CheckedKernel): Scalar {
  switch (kernel.kind) {
    case 'linear':
      return { value: (z) => z, derivative: (z) => (Number.isNaN(z) ? z : 1) };
    case 'tanh':
      return { value: Math.tanh, derivative: tanhDerivative };
    case 'relu':
      return { value: (z) => (z > 0 ? z : z <= 0 ? 0 : z), derivative: (z) => (z > 0 ? 1 : z <= 0 ? 0 : z) };
    case 'erf':
      return { value: erf, derivative: (z) => TWO_OVER_SQRT_PI * Math.exp(-z * z) };
    case 'sigmoid':
      return {
        value: sigmoid,
        derivative: (z) => {
          const e = Math.exp(-Math.abs(z)), q = 1 + e;
          return e / (q * q);
        },
      };
    case 'softplus':
      return { value: (z) => (z > 0 ? z : 0) + Math.log1p(Math.exp(-Math.abs(z))), derivative: sigmoid };
    case 'sin':
      return { value: Math.sin, derivative: Math.cos };
    case 'cos':
      return { value: Math.cos, derivative: (z) => -Math.sin(z) };
    case 'abs':
      return { value: Math.abs, derivative: signOf };
    case 'sign':
      return { value: signOf, derivative: (z) => (Number.isNaN(z) ? z : 0) };
    case 'poly':
      return polyScalar(kernel.coeffs);
  }
}

/** Writes value and/or derivative of the checked kernel for every entry of X (outputs may be X itself). */
export function elementwisePortable<T extends FloatArray>(kernel: CheckedKernel, mode: ElementwiseMode, X: T, value: T | null, derivative: T | null): void {
  const f = scalarKernel(kernel);
  const offset = kernel.offset;
  const n = X.length;
  if (mode === 'value') {
    const v = value as T;
    for (let i = 0; i < n; i++) v[i] = f.value(X[i]) + offset;
  } else if (mode === 'derivative') {
    const d = derivative as T;
    for (let i = 0; i < n; i++) d[i] = f.derivative(X[i]);
  } else {
    const v = value as T, d = derivative as T;
    for (let i = 0; i < n; i++) {
      const z = X[i];
      v[i] = f.value(z) + offset;
      d[i] = f.derivative(z);
    }
  }
}
