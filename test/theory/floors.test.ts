import { describe, expect, it } from 'vitest';
import { resolveExperimentConfig } from '../../src/models/experiment-config.js';
import { floors, linearRidgeRisk } from '../../src/theory/floors.js';
import { teacherMoments } from '../../src/theory/moments.js';
import { minimizeOverLogLambda } from '../../src/theory/optimize.js';

const relu = teacherMoments('relu');
// relu closed forms: mu0* = 1/sqrt(2 pi), mu1* = 1/2, m2* = 1/2, muPerp*^2 = 1/4 - 1/(2 pi).
const mu0s2 = 1 / (2 * Math.PI);

describe('floors', () => {
  it('null risk and the linear floor (relu teacher, with and without intercept)', () => {
    const f = floors(resolveExperimentConfig({ d: 200, teacher: { kind: 'single-index', link: 'relu' } }));
    expect(f.nullRisk).toBeCloseTo(0.5, 12);
    expect(f.linearFloor).toBeCloseTo(0.25 - mu0s2 + mu0s2, 12);
    const g = floors(resolveExperimentConfig({ d: 200, teacher: { kind: 'single-index', link: 'relu' }, ridge: { intercept: true } }));
    expect(g.linearFloor).toBeCloseTo(0.25 - mu0s2, 12);
  });

  it('the tanh floor is the 0.0274 of issue 4', () => {
    const f = floors(resolveExperimentConfig({ d: 200 }));
    expect(f.linearFloor).toBeCloseTo(0.0274, 4);
  });
});

describe('ridge on raw inputs against the isotropic closed forms (Hastie et al. 2022, arXiv 1903.08560, Theorem 1 / 2)', () => {
  // Without intercept the noise seen by the linear model is sigma^2 = Delta + muPerp*^2 + mu0*^2 and the
  // signal r^2 = mu1*^2; gamma = d/n. Ridgeless: risk - (sigma^2 - Delta) = sigma^2 gamma/(1 - gamma) for
  // gamma < 1, and r^2 (1 - 1/gamma) + sigma^2/(gamma - 1) for gamma > 1.
  const Delta = 0.1;
  const sigma2 = Delta + relu.muPerpStar2 + relu.mu0Star ** 2;
  const r2 = relu.mu1Star ** 2;
  it.each([
    [100, 300],
    [300, 100],
    [50, 1000],
  ])('lambda = 0, d = %i, n = %i', (d, n) => {
    const g = d / n;
    const want = (g < 1 ? (sigma2 * g) / (1 - g) : r2 * (1 - 1 / g) + sigma2 / (g - 1)) + sigma2 - Delta;
    const r = linearRidgeRisk(relu, Delta, d, n, 0, false);
    expect(r.ok).toBe(true);
    if (r.ok) expect(Math.abs(r.risk / want - 1)).toBeLessThan(1e-10);
  });

  it('the optimal penalty is Dobriban & Wager\'s lam\'* = (d/n) sigma^2 / r^2 (arXiv 1507.03003, Theorem 2.1)', () => {
    const d = 200;
    const n = 300;
    const best = minimizeOverLogLambda((lam) => {
      const r = linearRidgeRisk(relu, Delta, d, n, lam, false);
      return r.ok ? r.risk : Infinity;
    });
    // lambda_sum = lam' n / d
    const want = ((d / n) * sigma2) / r2 * (n / d);
    expect(Math.abs(best.lambda / want - 1)).toBeLessThan(1e-3);
    const f = floors(resolveExperimentConfig({ d, n, teacher: { kind: 'single-index', link: 'relu', noise: Delta } }));
    expect(f.linearRidgeOptimal).not.toBeNull();
    expect(Math.abs((f.linearRidgeOptimal?.lambda as number) / want - 1)).toBeLessThan(1e-3);
    expect(f.linearRidgeOptimal?.risk as number).toBeLessThanOrEqual((f.linearRidge?.risk as number) + 1e-15);
  });

  it('d = n at lambda = 0 is reported, not a number', () => {
    expect(linearRidgeRisk(relu, 0, 100, 100, 0, false).ok).toBe(false);
  });
});
