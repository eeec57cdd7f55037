import { describe, expect, it } from 'vitest';
import { meiMontanariRisk, randomFeaturesTheory } from '../../src/theory/random-features.js';
import { geAsymptotic } from '../../src/theory/gaussian-equivalent/asymptotic.js';
import { studentMoments, teacherMoments } from '../../src/theory/moments.js';
import { resolveExperimentConfig } from '../../src/models/experiment-config.js';

const tanh = studentMoments('tanh');
const tanhT = teacherMoments('tanh');
const relu = studentMoments('relu');
const reluT = teacherMoments('relu');

/** MM inputs in featlearn's normalisation: psi1 = N/d, psi2 = n/d, lambda_MM = lambda_sum d / n. */
function mm(s: typeof tanh, t: typeof tanhT, psi1: number, psi2: number, lambdaSum: number, noise: number) {
  return meiMontanariRisk({ psi1, psi2, lambda: lambdaSum / psi2, mu1: s.mu1, muPerp2: s.muPerp2, F1Squared: t.mu1Star ** 2, FStarSquared: t.muPerpStar2, tau2: noise });
}

/** The asymptotic Gaussian equivalent at eta = 0 (an independent derivation: MP Stieltjes transform + Woodbury). */
function ge(s: typeof tanh, t: typeof tanhT, psi1: number, psi2: number, lambdaSum: number, noise: number, width = 1e9) {
  return geAsymptotic({ student: s, teacher: t, noise, psi: psi1, alpha: psi2, width, lambdaPrime: (lambdaSum * psi1) / psi2, spike: null, normFluctuation: false, intercept: false });
}

describe('Mei & Montanari 2019 (arXiv 1908.05355) Theorem 1 against the asymptotic Gaussian equivalent', () => {
  const grid: [number, number, number, number][] = [
    [0.5, 2, 0.01, 0],
    [2, 1.5, 0.1, 0.1],
    [1, 3, 1e-3, 0],
    [2, 0.5, 0.5, 0.2],
    [0.7, 3, 0, 0],
    [3, 1, 0, 0.1],
    [1.2, 1.0, 1e-6, 0],
    [0.3, 0.3, 10, 0.5],
  ];
  it.each(grid)('tanh/tanh psi1 = %f, psi2 = %f, lambda_sum = %f, Delta = %f: equal to 1e-8 relative', (p1, p2, lam, noise) => {
    const a = mm(tanh, tanhT, p1, p2, lam, noise);
    const b = ge(tanh, tanhT, p1, p2, lam, noise);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(Math.abs(a.risk / b.risk - 1)).toBeLessThan(1e-8);
  });

  it.each(grid)('relu/relu (mu0 != 0, constant learned) psi1 = %f, psi2 = %f, lambda_sum = %f, Delta = %f: equal to 1e-6 at N = 1e9', (p1, p2, lam, noise) => {
    const a = mm(relu, reluT, p1, p2, lam, noise);
    const b = ge(relu, reluT, p1, p2, lam, noise);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    // the GE keeps the mean direction at finite N (eigenvalue mu0^2 N): O(1/N) from the limit
    expect(Math.abs(a.risk / b.risk - 1)).toBeLessThan(1e-6);
  });

  it('matches values computed independently in numpy (same formulas, scipy brentq), tanh/tanh', () => {
    // /tmp/p4/proto.py: mm(m1, mp2, m1, mp2, Delta, psi1, psi2, lambda_sum) with tanh moments from
    // 200-point numpy hermegauss; printed 0.30721418356762353 (0.5, 2, 0.01, 0) and 0.18889115508822993
    // (2, 1.5, 0.1, 0.1), 0.2311432424188592 (0.7, 3, 1e-8, 0).
    const cases: [number, number, number, number, number][] = [
      [0.5, 2, 0.01, 0, 0.30721418356762353],
      [2, 1.5, 0.1, 0.1, 0.18889115508822993],
      [0.7, 3, 1e-8, 0, 0.2311432424188592],
    ];
    for (const [p1, p2, lam, noise, want] of cases) {
      const r = mm(tanh, tanhT, p1, p2, lam, noise);
      expect(r.ok).toBe(true);
      if (r.ok) expect(Math.abs(r.risk / want - 1)).toBeLessThan(1e-9);
    }
  });
});

describe('Mei & Montanari limits', () => {
  it('lambda -> 0 is continuous (ridgeless closed form for P)', () => {
    for (const [p1, p2] of [
      [0.5, 2],
      [3, 1],
    ]) {
      const a = mm(tanh, tanhT, p1, p2, 0, 0.1);
      const b = mm(tanh, tanhT, p1, p2, 1e-10, 0.1);
      expect(a.ok && b.ok).toBe(true);
      if (a.ok && b.ok) expect(Math.abs(a.risk / b.risk - 1)).toBeLessThan(1e-6);
    }
  });

  it('lambda -> infinity gives the null risk F1^2 + F*^2', () => {
    const r = mm(tanh, tanhT, 1, 2, 1e9, 0.3);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.risk).toBeCloseTo(tanhT.mu1Star ** 2 + tanhT.muPerpStar2, 6);
  });

  it('N = n with lambda = 0 is the interpolation peak: a failure, not a number', () => {
    const r = mm(tanh, tanhT, 1.5, 1.5, 0, 0);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe('interpolation-threshold');
  });

  it('the risk grows towards the interpolation peak (double descent) at small lambda', () => {
    const near = mm(tanh, tanhT, 1.0, 1.02, 1e-6, 0.1);
    const far = mm(tanh, tanhT, 1.0, 3, 1e-6, 0.1);
    expect(near.ok && far.ok).toBe(true);
    if (near.ok && far.ok) expect(near.risk).toBeGreaterThan(5 * far.risk);
  });

  it('rejects bad input naming the parameter', () => {
    expect(() => meiMontanariRisk({ psi1: -1, psi2: 1, lambda: 0, mu1: 1, muPerp2: 0.1, F1Squared: 1, FStarSquared: 0, tau2: 0 })).toThrow(/psi1: expected a finite number > 0, got -1/);
    expect(() => meiMontanariRisk({ psi1: 1, psi2: 1, lambda: 0, mu1: 1, muPerp2: 0, F1Squared: 1, FStarSquared: 0, tau2: 0 })).toThrow(/muPerp2/);
  });
});

describe('randomFeaturesTheory(config)', () => {
  it('maps the config normalisation (sum and mean give the same risk for the same penalty)', () => {
    const base = { d: 1000, psi: 2, alpha: 1.5, student: { activation: 'tanh' }, teacher: { kind: 'single-index', link: 'tanh', noise: 0.1 }, step: { eta: 0 } };
    const a = randomFeaturesTheory(resolveExperimentConfig({ ...base, ridge: { lambda: 0.3, normalization: 'sum' } }));
    // "mean" lambda = lambda_sum N / n
    const b = randomFeaturesTheory(resolveExperimentConfig({ ...base, ridge: { lambda: (0.3 * 2000) / 1500, normalization: 'mean' } }));
    expect(a.ok && b.ok).toBe(true);
    expect(Math.abs((a.risk as number) / (b.risk as number) - 1)).toBeLessThan(1e-12);
    expect(a.testMSE).toBeCloseTo((a.risk as number) + 0.1, 14);
  });

  it('an odd student cannot fit the constant of a relu teacher without intercept: + mu0*^2', () => {
    const r = randomFeaturesTheory(resolveExperimentConfig({ d: 500, student: { activation: 'tanh' }, teacher: { kind: 'single-index', link: 'relu' }, step: { eta: 0 } }));
    expect(r.constantPart).toBeCloseTo(1 / (2 * Math.PI), 12);
  });
});
