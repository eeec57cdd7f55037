/**
 * Monte Carlo risk: against the exact risk of a linear-activation network (a linear predictor, integral
 * computed here by 1-D quadrature), within its own standard error; independent of the chunk size; one
 * shared test set for several predictors.
 */
import { describe, expect, it } from 'vitest';
import { getBackend } from '../../src/linalg/index.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { getActivation } from '../../src/activations/index.js';
import { expectation } from '../../src/numerics/index.js';
import { foldIn, rootKey, fillNormal } from '../../src/random/index.js';
import { drawW0 } from '../../src/models/init.js';
import { drawSingleIndexTeacher } from '../../src/models/teacher.js';
import { monteCarloRisk } from '../../src/simulate/risk-mc.js';

const backend = getBackend();
const d = 20;
const N = 15;
const key = rootKey(12);
const link = getActivation('relu');
const teacher = drawSingleIndexTeacher(foldIn(key, 't'), d, link, 0.5);
const W = drawW0(foldIn(key, 'W'), d, N, 'gaussian') as Matrix<Float64Array>;
const a = fillNormal(foldIn(key, 'a'), new Float64Array(N));

describe('monteCarloRisk', () => {
  it('a linear network: MC risk within 4 standard errors of the exact risk E (f*(t) - c t - b)^2 + |beta_perp|^2', () => {
    const b = 0.2;
    // beta = W a / sqrt(N): the network is x -> <beta, x> + b.
    const beta = new Float64Array(d);
    for (let j = 0; j < d; j++) for (let i = 0; i < N; i++) beta[j] += (W.data[j * N + i] * a[i]) / Math.sqrt(N);
    let c = 0;
    for (let j = 0; j < d; j++) c += beta[j] * teacher.betaStar[j];
    let perp2 = 0;
    for (let j = 0; j < d; j++) perp2 += (beta[j] - c * teacher.betaStar[j]) ** 2;
    const exact = expectation((t) => (link.value(t) - c * t - b) ** 2, { kinks: [0] }) + perp2;
    const [mc] = monteCarloRisk(backend, [{ W, a, b, activation: getActivation('linear') }], teacher, foldIn(key, 'test'), 40000);
    expect(mc.nTest).toBe(40000);
    expect(mc.stdErr).toBeGreaterThan(0);
    expect(mc.stdErr).toBeLessThan(0.05 * exact);
    expect(Math.abs(mc.risk - exact)).toBeLessThan(4 * mc.stdErr);
  });

  it('does not depend on the chunk size (same inputs, summation order only)', () => {
    const p = { W, a, b: 0, activation: getActivation('tanh') };
    const [big] = monteCarloRisk(backend, [p], teacher, foldIn(key, 'test'), 1000);
    const [small] = monteCarloRisk(backend, [p], teacher, foldIn(key, 'test'), 1000, 7);
    expect(Math.abs(small.risk - big.risk) / big.risk).toBeLessThan(1e-12);
    expect(Math.abs(small.stdErr - big.stdErr) / big.stdErr).toBeLessThan(1e-9);
  });

  it('several predictors share one test set: each equals its own evaluation', () => {
    const p1 = { W, a, b: 0, activation: getActivation('tanh') };
    const p2 = { W, a: a.map((v) => -v), b: 0.1, activation: getActivation('relu') };
    const both = monteCarloRisk(backend, [p1, p2], teacher, foldIn(key, 'test'), 500);
    const [r1] = monteCarloRisk(backend, [p1], teacher, foldIn(key, 'test'), 500);
    const [r2] = monteCarloRisk(backend, [p2], teacher, foldIn(key, 'test'), 500);
    expect(both[0].risk).toBe(r1.risk);
    expect(both[1].risk).toBe(r2.risk);
    expect(r1.risk).not.toBe(r2.risk);
  });
});
