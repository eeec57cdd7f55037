import { describe, expect, it } from 'vitest';
import {
  expectation,
  expectation2,
  expectation2Cov,
  gaussianRule,
  integrateGaussian,
  integrateGaussian2,
  piecewiseGaussianRule,
  QuadratureError,
} from '../../src/numerics/gaussianQuadrature.js';
import { gaussLegendre } from '../../src/numerics/gaussLegendre.js';
import { erf, normalCdf, normalPdf } from '../../src/numerics/special.js';

const relu = (x: number) => (x > 0 ? x : 0);
const arcCosine = (rho: number) => (Math.sqrt(1 - rho * rho) + (Math.PI - Math.acos(rho)) * rho) / (2 * Math.PI);

describe('gaussLegendre', () => {
  it('integrates x^k exactly on [-1, 1] for k <= 2n - 1 and is symmetric', () => {
    for (const n of [1, 2, 5, 16, 64, 200]) {
      const { nodes, weights } = gaussLegendre(n);
      for (let k = 0; k <= 2 * n - 1 && k <= 60; k++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += weights[i] * nodes[i] ** k;
        const want = k % 2 === 1 ? 0 : 2 / (k + 1);
        expect(Math.abs(s - want), `n=${n} k=${k}`).toBeLessThan(4e-15);
      }
      for (let i = 0; i < n; i++) expect(nodes[i] + nodes[n - 1 - i]).toBe(0);
    }
  });
  it('matches numpy leggauss(5) (values from numpy.polynomial.legendre.leggauss(5), python3 numpy 2.4)', () => {
    const x = [-0.906179845938664, -0.5384693101056831, 0, 0.5384693101056831, 0.906179845938664];
    const w = [0.23692688505618942, 0.4786286704993662, 0.5688888888888889, 0.4786286704993662, 0.23692688505618942];
    const r = gaussLegendre(5);
    for (let i = 0; i < 5; i++) {
      expect(Math.abs(r.nodes[i] - x[i])).toBeLessThan(2e-16);
      expect(Math.abs(r.weights[i] - w[i])).toBeLessThan(1e-15);
    }
  });
});

describe('piecewise Gaussian rule', () => {
  it('integrates the Gaussian and its moments to 1e-15 with 8 points per panel, with or without kinks', () => {
    for (const kinks of [[], [0.3], [-2.71, 0, 5.5, 0.5]]) {
      const { nodes, weights } = piecewiseGaussianRule(8, kinks);
      let m0 = 0;
      let m2 = 0;
      let m8 = 0;
      for (let i = 0; i < nodes.length; i++) {
        m0 += weights[i];
        m2 += weights[i] * nodes[i] ** 2;
        m8 += weights[i] * nodes[i] ** 8;
      }
      expect(Math.abs(m0 - 1)).toBeLessThan(1e-15);
      expect(Math.abs(m2 - 1)).toBeLessThan(1e-15);
      expect(Math.abs(m8 / 105 - 1)).toBeLessThan(1e-14);
    }
  });
  it('has a break at every kink (the sign function integrates exactly)', () => {
    const { nodes, weights } = gaussianRule('piecewise', 6, [0.3]);
    let s = 0;
    for (let i = 0; i < nodes.length; i++) s += weights[i] * Math.sign(nodes[i] - 0.3);
    expect(Math.abs(s - (1 - 2 * normalCdf(0.3)))).toBeLessThan(1e-15);
    expect(() => gaussianRule('hermite', 10, [0])).toThrow(/kinks need the piecewise rule/);
  });
});

describe('expectation (1-D)', () => {
  it('smooth integrands: closed forms to 1e-14', () => {
    // E cos(a z) = exp(-a^2/2), E exp(t z) = exp(t^2/2), E erf(a z) ^ ... , E z^6 = 15
    for (const a of [0.5, 1, 3]) expect(Math.abs(expectation((z) => Math.cos(a * z)) - Math.exp((-a * a) / 2))).toBeLessThan(1e-14);
    for (const t of [0.5, 2]) expect(Math.abs(expectation((z) => Math.exp(t * z)) / Math.exp((t * t) / 2) - 1)).toBeLessThan(1e-14);
    expect(Math.abs(expectation((z) => z ** 6) - 15)).toBeLessThan(1e-13);
    // E erf(z)^2 = (2/pi) asin(2/3)
    expect(Math.abs(expectation((z) => erf(z) ** 2) - (2 / Math.PI) * Math.asin(2 / 3))).toBeLessThan(1e-14);
  });
  it('strip-analytic integrands against scipy quad', () => {
    // scipy.integrate.quad(f(z) * phi(z), -40, 40, epsabs=1e-15, epsrel=1e-14), python3 scipy 1.x:
    expect(Math.abs(expectation((z) => Math.tanh(z) ** 2) - 0.39429449039784126)).toBeLessThan(1e-12);
    expect(Math.abs(expectation((z) => z * Math.tanh(z)) - 0.6057055096021589)).toBeLessThan(1e-12);
    expect(Math.abs(expectation((z) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)))) - 0.80605918334744)).toBeLessThan(1e-12);
    // tanh(5z)^2 (poles 0.31 from the real axis): GH does not converge by 256, the piecewise fallback does.
    const r = integrateGaussian((z) => Math.tanh(5 * z) ** 2);
    expect(r.ok && r.rule).toBe('piecewise');
    expect(Math.abs((r.ok ? r.value : NaN) - 0.8429617595625438)).toBeLessThan(1e-12);
  });
  it('kinked integrands with kinks given: closed forms to 1e-14', () => {
    expect(Math.abs(expectation(relu, { kinks: [0] }) - 1 / Math.sqrt(2 * Math.PI))).toBeLessThan(1e-14);
    // E |z - c| = 2 phi(c) + c (2 Phi(c) - 1)
    const c = 0.7;
    expect(Math.abs(expectation((z) => Math.abs(z - c), { kinks: [c] }) - (2 * normalPdf(c) + c * (2 * normalCdf(c) - 1)))).toBeLessThan(1e-14);
    // E sign(z - c) = 1 - 2 Phi(c)
    expect(Math.abs(expectation((z) => Math.sign(z - c), { kinks: [c] }) - (1 - 2 * normalCdf(c)))).toBeLessThan(1e-14);
    // E 1{z > 9} = Phi(-9) ~ 1.1e-19: far kink
    expect(Math.abs(expectation((z) => (z > 9 ? 1 : 0), { kinks: [9] }) / normalCdf(-9) - 1)).toBeLessThan(1e-10);
  });
  it('reports a jump without declared kinks as not converged, and NaN as nan', () => {
    const r = integrateGaussian((z) => Math.sign(z - 0.3));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe('not-converged');
      expect(r.errorEstimate).toBeGreaterThan(1e-12);
    }
    expect(() => expectation((z) => Math.sign(z - 0.3))).toThrow(QuadratureError);
    expect(() => expectation((z) => Math.sign(z - 0.3))).toThrow(/pass them as kinks/);
    const n = integrateGaussian((z) => (z > 1 ? NaN : 1));
    expect(n.ok === false && n.reason).toBe('nan');
    expect(() => expectation(() => NaN)).toThrow(/returned NaN/);
    const inf = integrateGaussian((z) => Math.exp(z * z)); // E exp(z^2) = infinity
    expect(inf.ok === false && inf.reason).toBe('nan');
  });
  it('fixed order skips the check; options are validated', () => {
    const r = integrateGaussian((z) => z * z, { nodes: 2 });
    expect(r.ok && Math.abs(r.value - 1) < 1e-15).toBe(true);
    expect(() => expectation((z) => z, { nodes: 0 })).toThrow(/nodes must be an integer in \[1, 10000\], got 0/);
    expect(() => expectation((z) => z, { kinks: [NaN] })).toThrow(/kinks\[0\] must be a finite number/);
    expect(() => expectation((z) => z, { kinks: [0], rule: 'hermite' })).toThrow(/kinks need the piecewise rule/);
    expect(() => expectation((z) => z, { rule: 'gauss' as 'auto' })).toThrow(/rule must be one of/);
  });
});

describe('expectation2 (two correlated Gaussians)', () => {
  it('relu x relu: the arc-cosine kernel (Cho & Saul 2009), with kinks', () => {
    for (const rho of [-0.9, -0.3, 0, 0.6, 0.99]) {
      expect(Math.abs(expectation2((u, v) => relu(u) * relu(v), rho, { kinksU: [0], kinksV: [0] }) - arcCosine(rho)), `rho=${rho}`).toBeLessThan(1e-13);
    }
  });
  it('sign x sign = (2/pi) asin(rho), including the degenerate rho = +-1', () => {
    for (const rho of [-1, -0.5, 0.2, 0.95, 1]) {
      const v = expectation2((u, w) => Math.sign(u) * Math.sign(w), rho, { kinksU: [0], kinksV: [0] });
      expect(Math.abs(v - (2 / Math.PI) * Math.asin(rho)), `rho=${rho}`).toBeLessThan(1e-13);
    }
  });
  it('smooth pairs: erf x erf = (2/pi) asin(2 rho/3); cos x cos, polynomial moments', () => {
    for (const rho of [-0.7, 0, 0.4, 0.999]) {
      expect(Math.abs(expectation2((u, v) => erf(u) * erf(v), rho) - (2 / Math.PI) * Math.asin((2 * rho) / 3))).toBeLessThan(1e-13);
      expect(Math.abs(expectation2((u, v) => Math.cos(u) * Math.cos(v), rho) - (Math.exp(-(1 - rho)) + Math.exp(-(1 + rho))) / 2)).toBeLessThan(1e-14);
      expect(Math.abs(expectation2((u, v) => u * u * v * v, rho) - (1 + 2 * rho * rho))).toBeLessThan(1e-13);
    }
  });
  it('general covariance with means (Cholesky map), also singular', () => {
    const g = { meanU: 0.3, meanV: -0.5, varU: 2, varV: 0.7, cov: -0.6 };
    // E cos(U + V) = cos(mU + mV) exp(-Var(U + V)/2)
    const want = Math.cos(-0.2) * Math.exp(-(2 + 0.7 - 1.2) / 2);
    expect(Math.abs(expectation2Cov((u, v) => Math.cos(u + v), g) - want)).toBeLessThan(1e-14);
    // E relu(U) relu(V) with unit-free scaling: sqrt(varU varV) * arcCosine(rho) for zero means
    const h = { varU: 4, varV: 0.25, cov: 2 * 0.5 * 0.3 }; // correlation 0.3
    expect(Math.abs(expectation2Cov((u, v) => relu(u) * relu(v), h, { kinksU: [0], kinksV: [0] }) - 1 * arcCosine(0.3))).toBeLessThan(1e-13);
    // singular: V = 2 U exactly -> E relu(U) relu(V) = 2 E relu(U)^2 = 1
    expect(Math.abs(expectation2Cov((u, v) => relu(u) * relu(v), { varU: 1, varV: 4, cov: 2 }, { kinksU: [0], kinksV: [0] }) - 1)).toBeLessThan(1e-13);
    // zero variance in U: E f(mU, V)
    expect(Math.abs(expectation2Cov((u, v) => u * v * v, { meanU: 2, varU: 0, varV: 3, cov: 0 }) - 6)).toBeLessThan(1e-13);
  });
  it('validates the covariance and rho', () => {
    expect(() => expectation2((u, v) => u * v, 1.5)).toThrow(/rho must be in \[-1, 1\], got 1.5/);
    expect(() => expectation2Cov((u, v) => u * v, { varU: 1, varV: 1, cov: 2 })).toThrow(/positive semidefinite.*cov = 2/);
    expect(() => expectation2Cov((u, v) => u * v, { varU: -1, varV: 1, cov: 0 })).toThrow(/varU must be a finite number >= 0, got -1/);
    const r = integrateGaussian2((u, v) => Math.sign(u - 0.1) * Math.sign(v), { varU: 1, varV: 1, cov: 0.3 }, { maxNodes: 64, maxPanelNodes: 6 });
    expect(r.ok).toBe(false);
  });
});
