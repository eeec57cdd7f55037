import { describe, expect, it } from 'vitest';
import {
  evaluatePolynomial,
  factorial,
  gaussianMoment,
  hermiteHe,
  hermiteNormalizedValues,
  hermiteToMonomial,
  monomialToHermite,
  polynomialDerivative,
  polynomialHermiteCoefficients,
  polynomialShiftScale,
} from '../../src/numerics/hermite.js';
import { hermiteCoefficientsByQuadrature } from '../../src/numerics/hermiteCoefficients.js';
import { mehlerSum, steinDerivativeCoefficients } from '../../src/numerics/mehler.js';
import { expectation2 } from '../../src/numerics/gaussianQuadrature.js';

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol;

describe('Hermite polynomials and bases', () => {
  it('He_k against explicit formulas (A&S 22.3.11 probabilists form)', () => {
    for (const z of [-2.3, 0, 0.7, 3]) {
      expect(close(hermiteHe(2, z), z * z - 1, 1e-14)).toBe(true);
      expect(close(hermiteHe(3, z), z ** 3 - 3 * z, 1e-13)).toBe(true);
      expect(close(hermiteHe(4, z), z ** 4 - 6 * z * z + 3, 1e-12)).toBe(true);
      const h = hermiteNormalizedValues(z, 4);
      expect(close(h[4], (z ** 4 - 6 * z * z + 3) / Math.sqrt(24), 1e-13)).toBe(true);
    }
  });
  it('basis conversions match numpy hermite_e (herme2poly / poly2herme, python3 numpy 2.4)', () => {
    // numpy.polynomial.hermite_e.herme2poly([0, 1, 0.5, 0, 2]) = [5.5, 1.0, -11.5, 0.0, 2.0]
    expect(hermiteToMonomial([0, 1, 0.5, 0, 2])).toEqual([5.5, 1, -11.5, 0, 2]);
    // numpy.polynomial.hermite_e.poly2herme([1, 0, 0.5, -2, 0, 0.25]) = [1.5, -2.25, 0.5, 0.5, 0.0, 0.25]
    expect(monomialToHermite([1, 0, 0.5, -2, 0, 0.25])).toEqual([1.5, -2.25, 0.5, 0.5, 0, 0.25]);
    // round trip at degree 10 (the change of basis is ill-conditioned: ~1e-13 lost at degree 10, ~1e-6 at 20)
    const a = Array.from({ length: 11 }, (_, k) => Math.sin(k + 1) / (k + 1));
    const back = hermiteToMonomial(monomialToHermite(a));
    for (let k = 0; k <= 10; k++) expect(close(back[k], a[k], 1e-11)).toBe(true);
  });
  it('shift/scale, derivative, moments, factorial', () => {
    // p(x) = 1 + 2x + 3x^2 at x = 0.5 + 2z: 1 + 1 + 4z + 3(0.25 + 2z + 4z^2) = 2.75 + 10z + 12z^2
    expect(polynomialShiftScale([1, 2, 3], 0.5, 2)).toEqual([2.75, 10, 12]);
    expect(polynomialDerivative([1, 2, 3])).toEqual([2, 6]);
    expect(evaluatePolynomial([1, 2, 3], 2)).toBe(17);
    expect([0, 1, 2, 3, 4, 6, 8].map(gaussianMoment)).toEqual([1, 0, 1, 0, 3, 15, 105]);
    expect(factorial(10)).toBe(3628800);
    expect(() => factorial(171)).toThrow(/k must be an integer in \[0, 170\], got 171/);
    expect(() => monomialToHermite([1, NaN])).toThrow(/a\[1\] must be a finite number/);
  });
  it('polynomial coefficients equal quadrature ones (independent routes)', () => {
    const a = [0.3, -1, 0.5, 0.2, -0.1];
    for (const [shift, scale] of [[0, 1], [0.4, 1.7], [-1, 0.3]]) {
      const exact = polynomialHermiteCoefficients(a, 6, shift, scale);
      const q = hermiteCoefficientsByQuadrature((z) => evaluatePolynomial(a, shift + scale * z), 6);
      expect(q.ok).toBe(true);
      if (!q.ok) continue;
      for (let k = 0; k <= 6; k++) expect(close(exact.mu[k], q.mu[k], 1e-13 * Math.sqrt(exact.secondMoment))).toBe(true);
      expect(close(exact.secondMoment, q.secondMoment, 1e-13 * exact.secondMoment)).toBe(true);
    }
  });
});

describe('hermiteCoefficientsByQuadrature', () => {
  it('tanh coefficients match scipy quad', () => {
    // mu_k = quad(tanh(z) He_k(z) phi(z), -40, 40) / sqrt(k!), scipy.integrate.quad epsabs 1e-15, numpy hermeval
    const want = [0, 0.6057055096021589, 0, -0.1484371907872727, 0, 0.0625475237527036, 0, -0.031445419287678626];
    const r = hermiteCoefficientsByQuadrature(Math.tanh, 7);
    expect(r.ok).toBe(true);
    if (r.ok) {
      for (let k = 0; k <= 7; k++) expect(close(r.mu[k], want[k], 1e-12), `k=${k}`).toBe(true);
      expect(close(r.secondMoment, 0.39429449039784126, 1e-12)).toBe(true);
    }
  });
  it('relu with its kink: closed forms mu_0 = 1/sqrt(2 pi), mu_1 = 1/2, mu_2 = 1/(2 sqrt(pi)), E relu^2 = 1/2', () => {
    const r = hermiteCoefficientsByQuadrature((z) => Math.max(z, 0), 3, { kinks: [0] });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(close(r.mu[0], 1 / Math.sqrt(2 * Math.PI), 1e-14)).toBe(true);
      expect(close(r.mu[1], 0.5, 1e-14)).toBe(true);
      expect(close(r.mu[2], 1 / (2 * Math.sqrt(Math.PI)), 1e-14)).toBe(true);
      expect(close(r.mu[3], 0, 1e-14)).toBe(true);
      expect(close(r.secondMoment, 0.5, 1e-14)).toBe(true);
    }
  });
  it('fails honestly on a jump without its kink', () => {
    const r = hermiteCoefficientsByQuadrature((z) => Math.sign(z - 0.2), 3);
    expect(r.ok === false && r.reason).toBe('not-converged');
  });
});

describe('Mehler formula', () => {
  const relu = (x: number) => Math.max(x, 0);
  it('tanh x tanh against 2-D quadrature and scipy dblquad, with a valid truncation bound', () => {
    const q = hermiteCoefficientsByQuadrature(Math.tanh, 40);
    if (!q.ok) throw new Error('quadrature failed');
    for (const rho of [-0.8, 0.3, 0.5, 0.9]) {
      const m = mehlerSum(q.mu, q.mu, rho, { secondMomentA: q.secondMoment, secondMomentB: q.secondMoment });
      const direct = expectation2((u, v) => Math.tanh(u) * Math.tanh(v), rho);
      expect(Math.abs(m.value - direct), `rho=${rho}`).toBeLessThanOrEqual(m.truncationBound! + 1e-12);
      expect(m.truncationBound!).toBeLessThan(rho === 0.9 ? 1e-3 : 1e-6);
    }
    // scipy.integrate.dblquad(tanh(x) tanh(0.5 x + sqrt(0.75) y) phi(x) phi(y), [-12, 12]^2): 0.1863244132034481
    const m = mehlerSum(q.mu, q.mu, 0.5);
    expect(Math.abs(m.value - 0.1863244132034481)).toBeLessThan(1e-12);
  });
  it('relu x relu: converges to the arc-cosine kernel, bound holds and shrinks with K', () => {
    const q = hermiteCoefficientsByQuadrature(relu, 80, { kinks: [0] });
    if (!q.ok) throw new Error('quadrature failed');
    for (const rho of [0.2, 0.7]) {
      const exact = (Math.sqrt(1 - rho * rho) + (Math.PI - Math.acos(rho)) * rho) / (2 * Math.PI);
      let prevBound = Infinity;
      for (const K of [5, 20, 80]) {
        const m = mehlerSum(q.mu.slice(0, K + 1), q.mu.slice(0, K + 1), rho, { secondMomentA: 0.5, secondMomentB: 0.5 });
        expect(Math.abs(m.value - exact)).toBeLessThanOrEqual(m.truncationBound! + 1e-13);
        expect(m.truncationBound!).toBeLessThan(prevBound);
        prevBound = m.truncationBound!;
      }
    }
  });
  it('Stein: E tanh(U) tanh\'(V) from derivative coefficients equals direct quadrature', () => {
    const q = hermiteCoefficientsByQuadrature(Math.tanh, 41);
    const dq = hermiteCoefficientsByQuadrature((z) => 1 - Math.tanh(z) ** 2, 40);
    if (!q.ok || !dq.ok) throw new Error('quadrature failed');
    const stein = steinDerivativeCoefficients(q.mu);
    expect(stein.length).toBe(41);
    for (let k = 0; k <= 30; k++) expect(close(stein[k], dq.mu[k], 1e-11)).toBe(true);
    const rho = 0.6;
    const m = mehlerSum(q.mu.slice(0, 41), stein, rho);
    const direct = expectation2((u, v) => Math.tanh(u) * (1 - Math.tanh(v) ** 2), rho);
    expect(Math.abs(m.value - direct)).toBeLessThan(1e-10);
  });
  it('validates rho', () => {
    expect(() => mehlerSum([1], [1], 1.2)).toThrow(/rho must be in \[-1, 1\], got 1.2/);
  });
});
