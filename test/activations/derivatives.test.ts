import { describe, expect, it } from 'vitest';
import { BUILTIN_ACTIVATION_NAMES, getActivation, type Activation } from '../../src/activations/index.js';
import type { ElementwiseKernel } from '../../src/linalg/elementwise.js';
import { erf } from '../../src/numerics/special.js';

const ALL = [...BUILTIN_ACTIVATION_NAMES, 'poly:1,-0.5,0.25,0.1', 'hermite:0.2,1,0.5,-0.3,0.05'];
const POINTS = Array.from({ length: 41 }, (_, i) => -5 + i * 0.25 + 0.013);

/** Central difference with Richardson extrapolation (error O(h^4)). */
function fd(f: (z: number) => number, z: number): number {
  const h = 1e-3 * (1 + Math.abs(z));
  const d1 = (f(z + h) - f(z - h)) / (2 * h);
  const d2 = (f(z + h / 2) - f(z - h / 2)) / h;
  return (4 * d2 - d1) / 3;
}

/** An independent JS reading of the native kernel spec (src/linalg/elementwise.ts). */
function kernelValue(k: ElementwiseKernel, z: number): number {
  const off = k.offset ?? 0;
  if (k.kind === 'poly') return k.coeffs.reduce((acc, c, i) => acc + c * z ** i, 0) + off;
  const table: Record<string, (x: number) => number> = {
    linear: (x) => x,
    tanh: Math.tanh,
    relu: (x) => (x > 0 ? x : 0),
    erf,
    sigmoid: (x) => 1 / (1 + Math.exp(-x)),
    softplus: (x) => Math.log(1 + Math.exp(x)),
    sin: Math.sin,
    cos: Math.cos,
    abs: Math.abs,
    sign: Math.sign,
  };
  return table[k.kind](z) + off;
}

const nearKink = (a: Activation, z: number) => a.kinks.some((k) => Math.abs(z - k) < 0.01);

describe('activation derivatives', () => {
  it.each(ALL)('%s: derivative and second derivative match finite differences away from kinks', (name) => {
    const a = getActivation(name);
    for (const z of POINTS) {
      if (nearKink(a, z)) continue;
      const scale = 1 + Math.abs(a.value(z));
      expect(Math.abs(a.derivative(z) - fd(a.value, z)), `${name}'(${z})`).toBeLessThan(1e-8 * scale * (1 + Math.abs(z)) ** 3);
      if (a.secondDerivative) {
        expect(Math.abs(a.secondDerivative(z) - fd(a.derivative, z)), `${name}''(${z})`).toBeLessThan(1e-8 * scale * (1 + Math.abs(z)) ** 3);
      }
    }
  });
  it('conventions at the kinks: relu\'(0) = 0, abs\'(0) = 0, sign\'(z) = 0, sign(0) = 0', () => {
    expect(getActivation('relu').derivative(0)).toBe(0);
    expect(getActivation('relu-centered').derivative(0)).toBe(0);
    expect(getActivation('abs').derivative(0)).toBe(0);
    expect(getActivation('abs').derivative(-2)).toBe(-1);
    expect(getActivation('sign').value(0)).toBe(0);
    expect(getActivation('sign').derivative(1.5)).toBe(0);
    expect(getActivation('sign').continuous).toBe(false);
    expect(Number.isNaN(getActivation('relu').value(NaN))).toBe(true);
    expect(Number.isNaN(getActivation('relu').derivative(NaN))).toBe(true);
  });
  it('stable in the tails (sigmoid, softplus, their derivatives)', () => {
    const sg = getActivation('sigmoid');
    const sp = getActivation('softplus');
    expect(sg.value(-800)).toBe(0);
    expect(sg.value(800)).toBe(1);
    expect(sg.derivative(-40) / Math.exp(-40)).toBeCloseTo(1, 12);
    expect(sg.derivative(40) / Math.exp(-40)).toBeCloseTo(1, 12);
    expect(sp.value(800)).toBe(800);
    expect(sp.value(-40) / Math.exp(-40)).toBeCloseTo(1, 12);
  });
});

describe('activation metadata', () => {
  it.each(ALL)('%s: declared parity holds and the kernel computes the same function', (name) => {
    const a = getActivation(name);
    for (const z of POINTS) {
      if (a.parity === 'odd') expect(a.value(-z)).toBeCloseTo(-a.value(z), 13);
      if (a.parity === 'even') expect(a.value(-z)).toBeCloseTo(a.value(z), 13);
      if (a.kernel) expect(Math.abs(kernelValue(a.kernel, z) - a.value(z))).toBeLessThan(1e-12 * (1 + Math.abs(a.value(z))));
    }
  });
  it('parity is not declared where it fails', () => {
    for (const name of ['relu', 'sigmoid', 'softplus', 'relu-centered']) expect(getActivation(name).parity).toBe('none');
    expect(getActivation('cos').parity).toBe('even');
    expect(getActivation('he3').parity).toBe('odd');
    expect(getActivation('he4').parity).toBe('even');
  });
});
