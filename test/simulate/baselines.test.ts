/**
 * Baselines: the exact risk of a linear predictor against a direct 1-D Gaussian integral, the raw-input
 * ridge (eigendecomposition route, all lambdas at once) against a plain ridge fit of the same data, and
 * the link moments against scipy / closed forms.
 */
import { describe, expect, it } from 'vitest';
import { getBackend } from '../../src/linalg/index.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { getActivation } from '../../src/activations/index.js';
import { expectation } from '../../src/numerics/index.js';
import { foldIn, rootKey, fillNormal } from '../../src/random/index.js';
import { drawGaussianInputs, drawSingleIndexTeacher, teacherLabels } from '../../src/models/teacher.js';
import { linearBaseline, linearLambdaGrid, linearPredictorRisk, linkMoments } from '../../src/simulate/baselines.js';
import { fitRidge } from '../../src/simulate/ridge.js';

const backend = getBackend();

describe('link moments', () => {
  it('tanh: E tanh^2 and E z tanh against scipy.integrate.quad', () => {
    // python3: quad(lambda z: tanh(z)**2 * phi(z), -inf, inf, epsabs=1e-14, epsrel=1e-14) -> 0.39429449039784126
    //          quad(lambda z: z * tanh(z) * phi(z), ...)                                   -> 0.605705509602159
    const m = linkMoments(getActivation('tanh'));
    expect(m.m2).toBeCloseTo(0.39429449039784126, 11);
    expect(m.mu1).toBeCloseTo(0.605705509602159, 11);
    expect(m.mu0).toBeCloseTo(0, 14);
  });
  it('relu: closed forms mu0 = 1/sqrt(2 pi), mu1 = 1/2, E relu^2 = 1/2', () => {
    const m = linkMoments(getActivation('relu'));
    expect(m.mu0).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 13);
    expect(m.mu1).toBeCloseTo(0.5, 13);
    expect(m.m2).toBeCloseTo(0.5, 13);
    expect(m.muPerp2).toBeCloseTo(0.25 - 1 / (2 * Math.PI), 13);
  });
});

describe('linearPredictorRisk', () => {
  it('equals E (f*(t) - c t - b)^2 + |beta_perp|^2 computed by quadrature (beta = c beta* + beta_perp)', () => {
    const d = 30;
    const link = getActivation('relu');
    const teacher = drawSingleIndexTeacher(rootKey(3), d, link, 0);
    const beta = fillNormal(rootKey(4), new Float64Array(d), { std: 0.2 });
    const b = 0.3;
    let c = 0;
    for (let j = 0; j < d; j++) c += beta[j] * teacher.betaStar[j];
    let perp2 = 0;
    for (let j = 0; j < d; j++) perp2 += (beta[j] - c * teacher.betaStar[j]) ** 2;
    const direct = expectation((t) => (link.value(t) - c * t - b) ** 2, { kinks: [0] }) + perp2;
    expect(linearPredictorRisk(beta, b, teacher.betaStar, linkMoments(link))).toBeCloseTo(direct, 12);
  });
});

describe('linearBaseline (ridge on the raw inputs)', () => {
  for (const [n, d] of [
    [80, 30],
    [30, 80],
  ]) {
    for (const intercept of [false, true]) {
      for (const normalization of ['sum', 'mean'] as const) {
        it(`n = ${n}, d = ${d}, intercept ${intercept}, ${normalization}: every grid risk = risk of a direct ridge fit`, () => {
          const key = rootKey(n + d);
          const link = getActivation('relu');
          const teacher = drawSingleIndexTeacher(foldIn(key, 't'), d, link, 0.1);
          const X = drawGaussianInputs(foldIn(key, 'X'), n, d, 'float64') as Matrix<Float64Array>;
          const { y } = teacherLabels(backend, teacher, X, foldIn(key, 'noise'));
          const moments = linkMoments(link);
          const ridge = { lambda: 0.05, normalization, intercept };
          const grid = [0.01, 0.3, 4];
          const res = linearBaseline(backend, X, y, teacher, moments, ridge, grid);
          for (const pt of [res.sameLambda, ...res.grid]) {
            const fit = fitRidge(backend, X, y, { ...ridge, lambda: pt.lambda });
            const beta = fit.a.map((v) => v / Math.sqrt(d));
            expect(pt.risk).toBeCloseTo(linearPredictorRisk(beta, fit.b, teacher.betaStar, moments), 10);
          }
          expect(res.sameLambda.lambda).toBe(0.05);
          expect(res.bestOnGrid.risk).toBe(Math.min(...res.grid.map((p) => p.risk)));
        });
      }
    }
  }

  it('the default grid starts at lambda = 0 and covers 1e-5 .. 1e4', () => {
    const g = linearLambdaGrid();
    expect(g[0]).toBe(0);
    expect(g[1]).toBeCloseTo(1e-5, 18);
    expect(g[g.length - 1]).toBeCloseTo(1e4, 8);
  });
});
