import { afterEach, describe, expect, it } from 'vitest';
import {
  activationSpecError,
  BUILTIN_ACTIVATION_NAMES,
  defineActivation,
  getActivation,
  hermiteCoefficients,
  listActivationNames,
  registerActivation,
  unregisterActivation,
} from '../../src/activations/index.js';
import { ELEMENTWISE_KINDS } from '../../src/linalg/elementwise.js';

afterEach(() => {
  for (const n of ['swish', 'cube']) unregisterActivation(n);
});

describe('getActivation', () => {
  it('resolves every built-in name of the spec', () => {
    expect([...BUILTIN_ACTIVATION_NAMES].sort()).toEqual(
      ['linear', 'relu', 'tanh', 'erf', 'sigmoid', 'softplus', 'sin', 'cos', 'abs', 'sign', 'quadratic', 'he2', 'he3', 'he4', 'relu-centered'].sort(),
    );
    for (const name of BUILTIN_ACTIVATION_NAMES) {
      const a = getActivation(name);
      expect(a.name).toBe(name);
      expect(a.builtin).toBe(true);
      expect(ELEMENTWISE_KINDS).toContain(a.kernel?.kind);
    }
    expect(getActivation(' tanh ')).toBe(getActivation('tanh'));
  });
  it('parses poly: and hermite: specs (values from their definitions)', () => {
    const p = getActivation('poly:1,0,0.5');
    for (const z of [-2, 0, 0.3, 1.7]) expect(p.value(z)).toBeCloseTo(1 + 0.5 * z * z, 14);
    expect(p.parity).toBe('even');
    expect(p.kernel).toEqual({ kind: 'poly', coeffs: [1, 0, 0.5] });
    const h = getActivation('hermite:0,1,0.5'); // z + 0.5 (z^2 - 1)
    for (const z of [-2, 0, 0.3, 1.7]) expect(h.value(z)).toBeCloseTo(z + 0.5 * (z * z - 1), 14);
    expect(h.kernel).toEqual({ kind: 'poly', coeffs: [-0.5, 1, 0.5] });
    // mu_k = c_k sqrt(k!) for the unnormalised Hermite convention
    const mu = hermiteCoefficients(h, 3);
    expect(mu[0]).toBe(0);
    expect(mu[1]).toBe(1);
    expect(mu[2]).toBeCloseTo(0.5 * Math.SQRT2, 15);
    expect(mu[3]).toBe(0);
    expect(getActivation('poly: 1, 0, 0.5, 0').name).toBe('poly:1,0,0.5');
    expect(getActivation('poly:0,1,0,-0.2').parity).toBe('odd');
  });
  it('he2/he3/he4 are the unnormalised Hermite polynomials with exact native kernels', () => {
    expect(getActivation('he2').kernel).toEqual({ kind: 'poly', coeffs: [-1, 0, 1] });
    expect(getActivation('he3').kernel).toEqual({ kind: 'poly', coeffs: [0, -3, 0, 1] });
    expect(getActivation('he4').kernel).toEqual({ kind: 'poly', coeffs: [3, 0, -6, 0, 1] });
    expect(getActivation('relu-centered').kernel).toEqual({ kind: 'relu', offset: -1 / Math.sqrt(2 * Math.PI) });
    expect(getActivation('quadratic').kernel).toEqual({ kind: 'poly', coeffs: [0, 0, 1] });
  });
  it('gives clear errors for unknown names and malformed coefficient lists', () => {
    expect(() => getActivation('gelu')).toThrow(/unknown activation "gelu"; allowed: one of linear, relu, tanh/);
    expect(() => getActivation('gelu')).toThrow(/poly:c0,c1,\.\.\./);
    expect(() => getActivation('poly:1,x,2')).toThrow(/activation "poly:1,x,2": coefficient 1 is "x", expected a finite number/);
    expect(() => getActivation('poly:')).toThrow(/needs a comma-separated list of coefficients/);
    expect(() => getActivation('hermite:1,,2')).toThrow(/coefficient 1 is ""/);
    expect(() => getActivation(`poly:${new Array(22).fill(1).join(',')}`)).toThrow(/degree 21 is above the maximum 20/);
    expect(activationSpecError('tanh')).toBeUndefined();
    expect(activationSpecError('tan')).toMatch(/unknown activation "tan"/);
  });
});

describe('registerActivation', () => {
  const swish = {
    name: 'swish',
    value: (z: number) => z / (1 + Math.exp(-z)),
    derivative: (z: number) => {
      const s = 1 / (1 + Math.exp(-z));
      return s + z * s * (1 - s);
    },
  };
  it('registers, resolves, lists, and computes coefficients by quadrature', () => {
    const a = registerActivation(swish);
    expect(getActivation('swish')).toBe(a);
    expect(a.builtin).toBe(false);
    expect(a.kernel).toBeUndefined();
    expect(listActivationNames()).toContain('swish');
    expect(() => getActivation('nope')).toThrow(/registered activation: swish/);
    // swish = z sigmoid(z): mu_1 = E[z^2 sigmoid(z)] = E sigmoid(z) + E[z sigmoid'(z)] ... compare with direct identity
    // E swish(z) = E[z sigmoid(z)] = E sigmoid'(z) (Stein) = mu_1(sigmoid) = 0.20662096414190706 (scipy, see coefficients.test.ts)
    const mu = hermiteCoefficients('swish', 1);
    expect(Math.abs(mu[0] - 0.20662096414190706)).toBeLessThan(1e-12);
  });
  it('rejects name clashes, bad names and invalid definitions clearly', () => {
    registerActivation(swish);
    expect(() => registerActivation(swish)).toThrow(/"swish" is already registered; call unregisterActivation/);
    expect(() => registerActivation({ ...swish, name: 'relu' })).toThrow(/"relu" is a built-in and cannot be redefined/);
    expect(() => registerActivation({ ...swish, name: 'poly:1' })).toThrow(/activation name must match/);
    expect(() => defineActivation({ ...swish, name: 'x', value: 3 as unknown as (z: number) => number })).toThrow(/value must be a function, got number/);
    expect(() => defineActivation({ name: 'bad', value: (z) => Math.log(z), derivative: (z) => 1 / z })).toThrow(/value\(-3.1\) = NaN, expected a finite number/);
    expect(() => defineActivation({ name: 'bad', value: (z) => z * z * z, derivative: (z) => 2 * z * z })).toThrow(/central difference/);
    expect(() => defineActivation({ name: 'bad', value: (z) => z * z, derivative: (z) => 2 * z, parity: 'odd' })).toThrow(/declared odd/);
    expect(() => defineActivation({ ...swish, name: 'bad', kinks: [NaN] })).toThrow(/kinks must be an array of finite numbers/);
    expect(() => unregisterActivation('tanh')).toThrow(/built-in/);
  });
  it('accepts kinks, which quadrature then splits at', () => {
    const kinked = registerActivation({
      name: 'cube',
      value: (z) => Math.max(z - 0.5, 0) ** 3,
      derivative: (z) => 3 * Math.max(z - 0.5, 0) ** 2,
      kinks: [0.5],
    });
    // E relu(z - 0.5)^3 = E (z - c)^3 1{z > c}, c = 0.5: ((c^2 + 2) phi(c) - c (c^2 + 3) (1 - Phi(c)))
    const c = 0.5;
    const phi = Math.exp(-c * c / 2) / Math.sqrt(2 * Math.PI);
    const sf = 0.3085375387259869; // 1 - Phi(0.5), scipy.stats.norm.sf(0.5)
    const want = (c * c + 2) * phi - c * (c * c + 3) * sf;
    expect(Math.abs(hermiteCoefficients(kinked, 0)[0] - want)).toBeLessThan(1e-13);
  });
});
