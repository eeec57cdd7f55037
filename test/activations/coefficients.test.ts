import { describe, expect, it } from 'vitest';
import {
  activationSecondMoment,
  BUILTIN_ACTIVATION_NAMES,
  derivativeCoefficients,
  gaussianCoefficients,
  gaussianKernel,
  getActivation,
  hermiteExpansion,
} from '../../src/activations/index.js';
import { expectation2 } from '../../src/numerics/gaussianQuadrature.js';

const K = 8;
const SCALE_SHIFTS: [number, number][] = [
  [1, 0],
  [2, 0.5],
  [0.7, -1.3],
  [0.3, 2],
];

describe('closed-form Hermite coefficients agree with quadrature', () => {
  const withClosedForm = [...BUILTIN_ACTIVATION_NAMES, 'poly:1,-0.5,0.25,0.1', 'hermite:0.2,1,0.5,-0.3,0.05'].filter((n) => getActivation(n).closedForm);
  it('covers the expected activations', () => {
    expect(withClosedForm.sort()).toEqual(
      ['abs', 'cos', 'erf', 'he2', 'he3', 'he4', 'hermite:0.2,1,0.5,-0.3,0.05', 'linear', 'poly:1,-0.5,0.25,0.1', 'quadratic', 'relu', 'relu-centered', 'sign', 'sin'].sort(),
    );
  });
  it.each(withClosedForm)('%s at several scales and shifts (K = 8)', (name) => {
    for (const [scale, shift] of SCALE_SHIFTS) {
      const closed = hermiteExpansion(name, K, { scale, shift, method: 'closed-form' });
      const quad = hermiteExpansion(name, K, { scale, shift, method: 'quadrature' });
      expect(closed.method).toBe('closed-form');
      expect(quad.method).toBe('quadrature');
      const norm = Math.sqrt(quad.secondMoment);
      for (let k = 0; k <= K; k++) expect(Math.abs(closed.mu[k] - quad.mu[k]), `${name} s=${scale} m=${shift} k=${k}`).toBeLessThan(2e-13 * Math.max(norm, 1));
      expect(Math.abs(closed.secondMoment - quad.secondMoment), `${name} E sigma^2`).toBeLessThan(1e-12 * Math.max(quad.secondMoment, 1));
    }
  });
  it('Parseval: sum of mu_k^2 up to K = 60 approaches E sigma^2 from below (relu, erf, sign)', () => {
    for (const name of ['relu', 'erf', 'sign']) {
      const e = hermiteExpansion(name, 60, { scale: 1.3, shift: 0.2 });
      const energy = e.mu.reduce((s, v) => s + v * v, 0);
      expect(energy).toBeLessThanOrEqual(e.secondMoment * (1 + 1e-14));
      expect(e.secondMoment - energy).toBeLessThan(name === 'sign' ? 0.1 : 0.005); // sign's tail decays slowly (jump)
    }
  });
});

describe('known values', () => {
  it('relu: mu0 = 1/sqrt(2 pi), mu1 = 1/2, mu_perp^2 = 1/4 - 1/(2 pi)', () => {
    const c = gaussianCoefficients('relu');
    expect(c.mu0).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 15);
    expect(c.mu1).toBe(0.5);
    expect(c.mu2).toBeCloseTo(1 / (2 * Math.sqrt(Math.PI)), 15);
    expect(c.muPerpSquared).toBeCloseTo(0.25 - 1 / (2 * Math.PI), 15);
    expect(gaussianCoefficients('relu-centered').mu0).toBeCloseTo(0, 15);
  });
  it('sign: mu1 = sqrt(2/pi); erf: mu1 = 2/sqrt(3 pi); linear: mu_perp = 0; he2: mu2 = sqrt 2', () => {
    expect(gaussianCoefficients('sign').mu1).toBeCloseTo(Math.sqrt(2 / Math.PI), 15);
    expect(gaussianCoefficients('erf').mu1).toBeCloseTo(2 / Math.sqrt(3 * Math.PI), 15);
    expect(gaussianCoefficients('linear', { scale: 3, shift: 1 }).muPerpSquared).toBe(0);
    expect(gaussianCoefficients('he2').mu2).toBeCloseTo(Math.SQRT2, 15);
    expect(gaussianCoefficients('he2').secondMoment).toBe(2);
  });
  // [name, scale, shift, mu_0..mu_4, E sigma^2] from scipy.integrate.quad of sigma(m + s z) He_k(z) phi(z) over [-40, 40]
  // (epsabs 1e-15, epsrel 1e-14; numpy hermeval; divided by sqrt(k!)), python3 scipy.
  const SCIPY: [string, number, number, number[], number][] = [
    ['tanh', 1, 0, [0.0, 0.6057055096021589, 0.0, -0.1484371907872727, 0.0], 0.39429449039784126],
    ['tanh', 2, 0.5, [0.18078311545341497, 0.7105428085600952, -0.10569708999086704, -0.2311521646449683, 0.07628577500764235], 0.6447285957199524],
    ['tanh', 0.7, -1.3, [-0.7565993481533124, 0.24424846640412995, 0.13250286715290832, 0.023272374362800836, -0.022788715982509908], 0.6510736194226715],
    ['sigmoid', 1, 0, [0.5000000000000001, 0.20662096414190706, 4.905882111658603e-17, -0.025473257907323424, 2.40787283788321e-17], 0.293379035858093],
    ['sigmoid', 2, 0.5, [0.5752425317376335, 0.2972269601235155, -0.03151312525665515, -0.06992140084890379, 0.01689785742128673], 0.42662905167587584],
    ['sigmoid', 0.7, -1.3, [0.2350819656822543, 0.11596517740864518, 0.026238744544886988, -0.0023334785522655674, -0.0034063607340853513], 0.06941742652704683],
    ['softplus', 1, 0, [0.80605918334744, 0.5000000000000001, 0.14610308488004498, 1.699674944388148e-17, -0.012736628953661748], 0.9212459088593002],
    ['softplus', 2, 0.5, [1.3365837377810321, 1.1504850634752672, 0.4203423981096027, -0.03638822269987236, -0.06992140084890369], 3.2939305338865275],
    ['softplus', 0.7, -1.3, [0.2819920469256301, 0.164557375977578, 0.05739983432900785, 0.01060426235833184, -0.0008167174932929633], 0.11000767371601822],
  ];
  it.each(SCIPY)('%s(%s z + %s) by quadrature matches scipy', (name, scale, shift, mu, m2) => {
    const e = hermiteExpansion(name, 4, { scale, shift });
    expect(e.method).toBe('quadrature');
    for (let k = 0; k <= 4; k++) expect(Math.abs(e.mu[k] - mu[k]), `k=${k}`).toBeLessThan(1e-12);
    expect(Math.abs(e.secondMoment - m2)).toBeLessThan(1e-12);
  });
});

describe('scale conventions', () => {
  it('negative scale flips odd coefficients; zero scale is the constant sigma(m)', () => {
    const pos = hermiteExpansion('softplus', 5, { scale: 1.5, shift: 0.3 });
    const neg = hermiteExpansion('softplus', 5, { scale: -1.5, shift: 0.3 });
    for (let k = 0; k <= 5; k++) expect(neg.mu[k]).toBeCloseTo((k % 2 ? -1 : 1) * pos.mu[k], 14);
    const zero = hermiteExpansion('tanh', 3, { scale: 0, shift: 0.4 });
    expect(zero.mu).toEqual([Math.tanh(0.4), 0, 0, 0]);
    expect(activationSecondMoment('tanh', { scale: 0, shift: 0.4 })).toBe(Math.tanh(0.4) ** 2);
  });
  it('relu is positively homogeneous: mu_k(s) = s mu_k(1)', () => {
    const one = hermiteExpansion('relu', 6);
    const s = hermiteExpansion('relu', 6, { scale: 2.5 });
    for (let k = 0; k <= 6; k++) expect(s.mu[k]).toBeCloseTo(2.5 * one.mu[k], 14);
  });
  it('validates options', () => {
    expect(() => hermiteExpansion('tanh', 3, { method: 'closed-form' })).toThrow(/"tanh" has no closed-form coefficients/);
    expect(() => hermiteExpansion('tanh', -1)).toThrow(/K must be an integer in \[0, 170\], got -1/);
    expect(() => hermiteExpansion('tanh', 2, { scale: NaN })).toThrow(/scale must be a finite number, got NaN/);
  });
});

describe('derivative coefficients', () => {
  it('Stein route equals quadrature of the a.e. derivative for continuous activations', () => {
    for (const name of ['relu', 'tanh', 'abs', 'erf', 'softplus']) {
      const a = getActivation(name);
      const stein = derivativeCoefficients(a, 6, { scale: 1.4, shift: -0.3 });
      const direct = hermiteExpansion(
        { ...a, value: a.derivative, closedForm: undefined },
        6,
        { scale: 1.4, shift: -0.3, method: 'quadrature' },
      ).mu;
      for (let k = 0; k <= 6; k++) expect(Math.abs(stein[k] - direct[k]), `${name} k=${k}`).toBeLessThan(1e-12);
    }
  });
  it('sign: the a.e. derivative is 0, so its coefficients are 0 (not the Stein/delta values)', () => {
    expect(derivativeCoefficients('sign', 3)).toEqual([0, 0, 0, 0]);
  });
});

describe('gaussianKernel', () => {
  const arcCos = (rho: number) => (Math.sqrt(1 - rho * rho) + (Math.PI - Math.acos(rho)) * rho) / (2 * Math.PI);
  it('relu x relu equals the arc-cosine kernel (Mehler where the bound allows, quadrature otherwise)', () => {
    for (const rho of [-0.5, 0.1, 0.5, 0.95]) {
      const r = gaussianKernel('relu', 'relu', rho);
      expect(Math.abs(r.value - arcCos(rho)), `rho=${rho} via ${r.method}`).toBeLessThan(1e-12);
    }
    expect(gaussianKernel('relu', 'relu', 0.1).method).toBe('mehler');
    expect(gaussianKernel('relu', 'relu', 0.95).method).toBe('quadrature');
  });
  it('erf x erf = (2/pi) asin(2 rho su sv / sqrt((1 + 2 su^2)(1 + 2 sv^2))) (Williams 1997)', () => {
    for (const [rho, su, sv] of [[0.3, 1, 1], [-0.6, 2, 0.5], [0.9, 1.5, 1.5]]) {
      const want = (2 / Math.PI) * Math.asin((2 * rho * su * sv) / Math.sqrt((1 + 2 * su * su) * (1 + 2 * sv * sv)));
      const r = gaussianKernel('erf', 'erf', rho, { scaleU: su, scaleV: sv });
      expect(Math.abs(r.value - want), `rho=${rho}`).toBeLessThanOrEqual(r.errorBound + 1e-13);
      expect(r.errorBound).toBeLessThanOrEqual(1e-10);
    }
  });
  it('tanh x softplus and tanh x tanh\' agree with direct 2-D quadrature', () => {
    const rho = 0.4;
    const r = gaussianKernel('tanh', 'softplus', rho);
    const direct = expectation2((u, v) => Math.tanh(u) * getActivation('softplus').value(v), rho);
    expect(Math.abs(r.value - direct)).toBeLessThan(1e-11);
    // E tanh(U) tanh'(V): tanh' as an activation of its own
    const t = getActivation('tanh');
    const dt = { ...t, name: "tanh'", value: t.derivative, closedForm: undefined };
    const k = gaussianKernel('tanh', dt, rho);
    const d2 = expectation2((u, v) => Math.tanh(u) * t.derivative(v), rho);
    expect(Math.abs(k.value - d2)).toBeLessThan(1e-11);
  });
});
