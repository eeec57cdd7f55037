import { describe, expect, it } from 'vitest';
import { getActivation, hermiteExpansion } from '../../src/activations/index.js';
import { integrateGaussian, expectation2Cov } from '../../src/numerics/gaussianQuadrature.js';
import { clearConditionalTableCache, conditionalTables, hermiteSummary, type ConditionalTables } from '../../src/theory/hermite-tables.js';

/** E_k f(table row) over the kappa rule. */
function mean(t: ConditionalTables, f: (a: number) => number): number {
  let s = 0;
  for (let a = 0; a < t.kappa.length; a++) s += t.weights[a] * f(a);
  return s;
}

/** E g(Z) by the PIECEWISE Gauss–Legendre rule (a different algorithm from the tables' Gauss–Hermite / closed forms). */
function piecewise(g: (z: number) => number, kinks: number[] = []): number {
  const r = integrateGaussian(g, { rule: 'piecewise', kinks });
  if (!r.ok) throw new Error('reference quadrature failed');
  return r.value;
}

describe('hermiteSummary', () => {
  it('tanh and sigmoid against scipy.integrate.quad', () => {
    // python3: quad of f(z) He_k(z) phi(z) / sqrt(k!) on [-40, 0] and [0, 40]
    const t = hermiteSummary('tanh');
    expect(t.mu[1]).toBeCloseTo(0.6057055096021589, 12);
    expect(t.mu[3]).toBeCloseTo(-0.14843719078727277, 12);
    expect(t.secondMoment).toBeCloseTo(0.39429449039784126, 12);
    expect(t.muPerpSquared).toBeCloseTo(0.027415326035430287, 12); // the linear floor mu_perp*^2 ≈ 0.0274
    const s = hermiteSummary('sigmoid', 3);
    expect(s.mu[0]).toBeCloseTo(0.5, 12);
    expect(s.mu[1]).toBeCloseTo(0.20662096414190706, 12);
    expect(s.muPerpSquared).toBeCloseTo(0.0006868130351615279, 12);
  });
});

describe('conditionalTables (srf.md section 2)', () => {
  const cases = [
    { student: 'tanh', teacher: 'tanh', g: { c: 1.25, r: 1.2, gamma: 0.6, rho: 0.8 } },
    { student: 'relu', teacher: 'sin', g: { c: 0.85, r: 0.48, gamma: 0.63, rho: Math.sqrt(1 - 0.63 ** 2) } },
    { student: 'softplus', teacher: 'relu', g: { c: 1.5, r: -0.7, gamma: 0.3, rho: Math.sqrt(1 - 0.09) } },
  ];

  for (const { student, teacher, g } of cases) {
    it(`${student}/${teacher}: entries match independent quadrature at the nodes`, () => {
      const t = conditionalTables(student, teacher, g);
      const s = getActivation(student);
      const q = getActivation(teacher);
      const sc = Math.sqrt(g.c);
      for (const a of [0, 3, Math.floor(t.order / 2) - 1, t.order - 5, t.order - 1]) {
        const k = t.kappa[a];
        const ks = s.kinks.map((x) => (x - g.r * k) / sc);
        const m0 = piecewise((z) => s.value(g.r * k + sc * z), ks);
        const m1 = piecewise((z) => s.value(g.r * k + sc * z) * sc * z, ks) / g.c;
        const m2 = piecewise((z) => s.value(g.r * k + sc * z) ** 2, ks) - m0 * m0 - g.c * m1 * m1;
        const kt = q.kinks.map((x) => (x - g.gamma * k) / g.rho);
        const h = piecewise((z) => q.value(g.gamma * k + g.rho * z), kt);
        const h1 = piecewise((z) => z * q.value(g.gamma * k + g.rho * z), kt);
        const hh = piecewise((z) => q.value(g.gamma * k + g.rho * z) ** 2, kt);
        const scale = 1 + Math.abs(m0) + Math.abs(hh);
        expect(Math.abs(t.mu0[a] - m0)).toBeLessThan(1e-11 * scale);
        expect(Math.abs(t.mu1[a] - m1)).toBeLessThan(1e-11 * scale);
        expect(Math.abs(t.mu2Squared[a] - Math.max(0, m2))).toBeLessThan(1e-10 * scale);
        expect(Math.abs(t.h[a] - h)).toBeLessThan(1e-11 * scale);
        expect(Math.abs(t.h1[a] - h1)).toBeLessThan(1e-11 * scale);
        expect(Math.abs(t.hh[a] - hh)).toBeLessThan(1e-11 * scale);
      }
    });

    it(`${student}/${teacher}: kappa averages obey the laws of total expectation`, () => {
      const t = conditionalTables(student, teacher, g);
      // U = r k + sqrt(c) z ~ N(0, r^2 + c): E_k mu0 = E sigma(U), E_k [mu0^2 + c mu1^2 + mu2^2] = E sigma(U)^2
      const u = hermiteExpansion(student, 1, { scale: Math.sqrt(g.r * g.r + g.c) });
      expect(mean(t, (a) => t.mu0[a])).toBeCloseTo(u.mu[0], 11);
      expect(mean(t, (a) => t.mu0[a] ** 2 + g.c * t.mu1[a] ** 2 + t.mu2Squared[a])).toBeCloseTo(u.secondMoment, 10);
      // V = gamma k + rho z ~ N(0, 1): E_k h = mu0*, E_k hh = E sigma*^2, E_k[k h] = gamma mu1*, E_k h1 = rho mu1*
      const v = hermiteExpansion(teacher, 1);
      expect(mean(t, (a) => t.h[a])).toBeCloseTo(v.mu[0], 11);
      expect(mean(t, (a) => t.hh[a])).toBeCloseTo(v.secondMoment, 11);
      expect(mean(t, (a) => t.kappa[a] * t.h[a])).toBeCloseTo(g.gamma * v.mu[1], 11);
      expect(mean(t, (a) => t.h1[a])).toBeCloseTo(g.rho * v.mu[1], 11);
      // E_k [mu0(k) h(k)] = E sigma(U) sigma*(V), Cov(U, V) = r gamma (a 2-D quadrature, independent of the tables)
      const cross = expectation2Cov((x, y) => getActivation(student).value(x) * getActivation(teacher).value(y), {
        varU: g.r * g.r + g.c,
        varV: 1,
        cov: g.r * g.gamma,
      }, { kinksU: getActivation(student).kinks, kinksV: getActivation(teacher).kinks });
      expect(mean(t, (a) => t.mu0[a] * t.h[a])).toBeCloseTo(cross, 9);
    });
  }

  it('tanh/tanh (no closed form: the shared inner rule) against scipy at Gauss–Hermite(64) nodes', () => {
    // [node index, kappa, mu0, mu1, mu2^2, h, h1, hh] for c = 1.25, r = 1.2, gamma = 0.6, rho = 0.8; python3:
    // numpy hermegauss(64) nodes, scipy.integrate.quad of tanh(...) phi(z) on [-12, 0] and [0, 12]
    const REF = [
      [0, -14.886186143339453, -0.9999999999999927, 1.474376176702208e-14, -2.22044604925303e-16, -0.999999874414245, 2.0093704494739129e-7, 0.9999997488286938],
      [10, -8.88693390583818, -0.999999986699912, 2.6600149949373987e-8, 2.5205781107029703e-14, -0.99983211769726, 0.0002683264485651149, 0.9996645919392935],
      [40, 3.3493591797524944, 0.9932561630036192, 0.012257119109278758, 0.0009972793349754885, 0.905187768441425, 0.12291449648118813, 0.846356879398515],
      [63, 14.886186143339453, 0.9999999999999927, 1.474376176702208e-14, -2.22044604925303e-16, 0.999999874414245, 2.0093704494739129e-7, 0.9999997488286938],
    ];
    const t = conditionalTables('tanh', 'tanh', { c: 1.25, r: 1.2, gamma: 0.6, rho: 0.8 }, { order: 64 });
    for (const [a, k, m0, m1, m2, h, h1, hh] of REF) {
      expect(t.kappa[a]).toBeCloseTo(k, 12);
      expect(t.mu0[a]).toBeCloseTo(m0, 12);
      expect(t.mu1[a]).toBeCloseTo(m1, 12);
      expect(t.mu2Squared[a]).toBeCloseTo(Math.max(0, m2), 12);
      expect(t.h[a]).toBeCloseTo(h, 12);
      expect(t.h1[a]).toBeCloseTo(h1, 12);
      expect(t.hh[a]).toBeCloseTo(hh, 12);
    }
  });

  it('a doubled order changes nothing beyond the tolerance', () => {
    const g = cases[0].g;
    const t = conditionalTables('tanh', 'tanh', g);
    const f = conditionalTables('tanh', 'tanh', g, { order: 2 * t.order });
    const m = (x: ConditionalTables) => mean(x, (a) => (x.mu1[a] ** 2 * x.hh[a]) / (1 + x.mu1[a] ** 2 * 3 + x.mu2Squared[a] * 5));
    expect(Math.abs(m(t) - m(f))).toBeLessThan(1e-12);
    expect(t.errorEstimate).toBeLessThan(1e-12);
  });

  it('snaps vanishing columns to exact zeros (odd student without spike)', () => {
    const t = conditionalTables('tanh', 'tanh', { c: 1, r: 0, gamma: 0.5, rho: Math.sqrt(0.75) });
    expect(t.zeroColumns).toContain('mu0');
    expect(t.mu0.every((v) => v === 0)).toBe(true);
    const lin = conditionalTables('linear', 'tanh', { c: 1.2, r: 0.5, gamma: 0.5, rho: Math.sqrt(0.75) });
    expect(lin.zeroColumns).toContain('mu2Squared');
    const r = conditionalTables('relu', 'tanh', { c: 1, r: 0, gamma: 0.5, rho: Math.sqrt(0.75) });
    expect(r.zeroColumns).toEqual([]);
  });

  it('memoises tables: a hit equals a fresh computation and returns copies', () => {
    const g = { c: 1.1, r: 0.7, gamma: 0.55, rho: Math.sqrt(1 - 0.55 ** 2) };
    clearConditionalTableCache();
    const first = conditionalTables('tanh', 'sigmoid', g);
    first.mu1[0] = 123; // a caller's mutation must not reach the memo
    const hit = conditionalTables('tanh', 'sigmoid', g);
    const fresh = conditionalTables('tanh', 'sigmoid', g, { cache: false });
    expect(hit.mu1[0]).not.toBe(123);
    for (const col of ['kappa', 'weights', 'mu0', 'mu1', 'mu2Squared', 'h', 'h1', 'hh'] as const) expect(Array.from(hit[col])).toEqual(Array.from(fresh[col]));
    expect(hit.order).toBe(fresh.order);
    expect(hit.zeroColumns).toEqual(fresh.zeroColumns);
    // another geometry or option is another entry
    const other = conditionalTables('tanh', 'sigmoid', { ...g, r: 0.71 });
    expect(other.mu0[0]).not.toBe(hit.mu0[0]);
    expect(conditionalTables('tanh', 'sigmoid', g, { order: 40 }).order).toBe(40);
  });

  it('the inner trapezoidal rule copes with a narrow Gaussian window and a wide one (c = 0.05 and c = 9)', () => {
    for (const c of [0.05, 9]) {
      const g = { c, r: 0.9, gamma: 0.5, rho: Math.sqrt(0.75) };
      const t = conditionalTables('tanh', 'softplus', g, { cache: false });
      const sc = Math.sqrt(c);
      const tanh = getActivation('tanh');
      for (const a of [1, Math.floor(t.order / 2) + 2]) {
        const k = t.kappa[a];
        const m0 = piecewise((z) => tanh.value(g.r * k + sc * z));
        const m1 = piecewise((z) => tanh.value(g.r * k + sc * z) * sc * z) / c;
        expect(Math.abs(t.mu0[a] - m0)).toBeLessThan(1e-11);
        expect(Math.abs(t.mu1[a] - m1)).toBeLessThan(1e-11 / Math.min(1, sc));
      }
      expect(t.errorEstimate).toBeLessThan(1e-12);
    }
  });

  it('reports non-convergence and bad geometry', () => {
    // a relu link with rho -> 0 has a kink in kappa: Gauss–Hermite in kappa converges slowly
    expect(() => conditionalTables('tanh', 'relu', { c: 1, r: 1, gamma: 1, rho: 0 }, { maxOrder: 64 })).toThrow(/did not converge by order/);
    expect(() => conditionalTables('tanh', 'tanh', { c: 0, r: 1, gamma: 0.5, rho: 0.5 })).toThrow(/c must be a finite number > 0, got 0/);
    expect(() => conditionalTables('tanh', 'tanh', { c: 1, r: NaN, gamma: 0.5, rho: 0.5 })).toThrow(/r must be/);
  });
});
