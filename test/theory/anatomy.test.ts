import { describe, expect, it } from 'vitest';
import { getBackend } from '../../src/linalg/index.js';
import { foldIn, normalMatrix, rootKey } from '../../src/random/index.js';
import { resolveExperimentConfig } from '../../src/models/experiment-config.js';
import { rectangularBbp, stepAnatomy } from '../../src/theory/anatomy.js';

const backend = getBackend();

/** Top singular triple of X + theta e1 q^T with X (d x N) i.i.d. N(0, 1/d), q = 1/sqrt N. */
function sampledSpike(d: number, N: number, theta: number, seed: number): { s1: number; left2: number; right2: number } {
  const X = normalMatrix(foldIn(rootKey(seed), 'bbp'), d, N, { std: 1 / Math.sqrt(d) });
  for (let i = 0; i < N; i++) X.data[i] += theta / Math.sqrt(N); // row 0 = e1
  const { U, s, Vt } = backend.svd(X);
  let right = 0;
  for (let i = 0; i < N; i++) right += Vt.data[i] / Math.sqrt(N);
  return { s1: s[0], left2: U.data[0] ** 2, right2: right * right };
}

describe('rectangular BBP (Benaych-Georges & Nadakuditi 2012) against sampled matrices', () => {
  // d = 600; overlaps fluctuate by O(d^{-1/2}) and the outlier by O(1/d): average 3 draws, allow 0.05
  // absolute on squared overlaps and 2% on the singular value.
  const cases: [number, number][] = [
    [300, 1.5],
    [1200, 2.0],
    [600, 1.3],
  ];
  it.each(cases)('N = %i, theta = %f', (N, theta) => {
    const d = 600;
    const p = rectangularBbp(N / d, theta);
    expect(p.separated).toBe(true);
    let s1 = 0;
    let l2 = 0;
    let r2 = 0;
    for (let seed = 0; seed < 3; seed++) {
      const r = sampledSpike(d, N, theta, seed);
      s1 += r.s1 / 3;
      l2 += r.left2 / 3;
      r2 += r.right2 / 3;
    }
    expect(Math.abs(s1 / p.topSingularValue - 1)).toBeLessThan(0.02);
    expect(Math.abs(l2 - p.leftOverlap2)).toBeLessThan(0.05);
    expect(Math.abs(r2 - p.rightOverlap2)).toBeLessThan(0.05);
  });

  it('below c^(1/4) the top singular value sticks to the bulk edge 1 + sqrt c', () => {
    const p = rectangularBbp(2, 1.1); // threshold 2^(1/4) = 1.189
    expect(p.separated).toBe(false);
    expect(p.topSingularValue).toBeCloseTo(1 + Math.SQRT2, 14);
    const r = sampledSpike(600, 1200, 1.1, 7);
    expect(Math.abs(r.s1 / (1 + Math.SQRT2) - 1)).toBeLessThan(0.03);
  });

  it('is continuous at the threshold (outlier = bulk edge, overlaps = 0)', () => {
    const c = 0.7;
    const p = rectangularBbp(c, c ** 0.25 * (1 + 1e-9));
    expect(p.topSingularValue).toBeCloseTo(1 + Math.sqrt(c), 6);
    expect(p.leftOverlap2).toBeCloseTo(0, 6);
    expect(p.rightOverlap2).toBeCloseTo(0, 6);
  });
});

describe('stepAnatomy', () => {
  // relu: mu0 = 1/sqrt(2 pi), mu1 = 1/2, E relu^2 = 1/2 (closed forms).
  const base = { d: 1000, alpha0: 1, student: { activation: 'relu' }, teacher: { kind: 'single-index', link: 'relu' }, step: { eta: 1, scaling: 'one' } };
  it('gaussian a0: f0 = 0, M = m2* = 1/2, gamma^2 = (1/4)/(1/4 + 1/2) = 1/3', () => {
    const a = stepAnatomy(resolveExperimentConfig({ ...base, init: { W: 'gaussian', a: 'gaussian' } }));
    expect(a.M).toBeCloseTo(0.5, 12);
    expect(a.gamma2).toBeCloseTo(1 / 3, 12);
    expect(a.uNorm).toBeCloseTo(Math.sqrt(0.75), 12);
    expect(a.theta).toBeCloseTo(0.5 * Math.sqrt(0.75), 12);
    expect(a.gradientSpike).toBeCloseTo(0.5 * Math.sqrt(0.75), 12);
  });
  it('constant a0: f0 = mu0, M = 1/2 - 2 mu0^2 + mu0^2 = 1/2 - 1/(2 pi)', () => {
    const a = stepAnatomy(resolveExperimentConfig({ ...base, init: { a: 'constant' }, teacher: { kind: 'single-index', link: 'relu', noise: 0.2 } }));
    const M = 0.5 + 0.2 - 1 / (2 * Math.PI);
    expect(a.M).toBeCloseTo(M, 12);
    expect(a.gamma2).toBeCloseTo(0.25 / (0.25 + M), 12);
  });
  it('the step of scaling "one" uses the BBP of W0 (c = N/d); overlap with beta* = left overlap * gamma^2', () => {
    const a = stepAnatomy(resolveExperimentConfig({ ...base, psi: 0.5, step: { eta: 5, scaling: 'one' } }));
    const p = rectangularBbp(0.5, a.theta);
    expect(a.bbp.topSingularValue).toBeCloseTo(p.topSingularValue, 14);
    expect(a.overlapBeta2).toBeCloseTo(p.leftOverlap2 * a.gamma2, 14);
  });
  it('no step: theta = 0, no outlier', () => {
    const a = stepAnatomy(resolveExperimentConfig({ ...base, step: { eta: 0 } }));
    expect(a.noStep).toBe(true);
    expect(a.bbp.separated).toBe(false);
  });
  it('large step: sRF map and an explicit approximation note', () => {
    const a = stepAnatomy(resolveExperimentConfig({ d: 1000, step: { eta: 1, scaling: 'sqrtN' } }));
    expect(a.srf?.c).toBeGreaterThan(0);
    expect(Number.isFinite(a.srf?.r) && Number.isFinite(a.srf?.gamma)).toBe(true);
    expect(a.bbp.separated).toBe(true);
    expect(a.notes.join(' ')).toMatch(/approximate/);
  });
});

describe('stepAnatomy never throws for valid configs', () => {
  it.each([
    [{ eta: 1, scaling: 'power', exponent: 0.3 }, /unchanged bulk/],
    [{ eta: 1, scaling: 'power', exponent: 0.5 }, /approximate/],
    [{ eta: 2, scaling: 'sqrtN', steps: 2 }, /first step only/],
  ])('%j', (step, note) => {
    const a = stepAnatomy(resolveExperimentConfig({ d: 500, step }));
    expect(Number.isFinite(a.bbp.topSingularValue)).toBe(true);
    expect(a.notes.join(' ')).toMatch(note);
  });
});
