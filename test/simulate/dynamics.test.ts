/**
 * GD on multi-index targets: analytic gradient and Pearlmutter HVP against central finite differences
 * (an independent witness: only loss values / gradients enter), the dense Hessian against HVPs, Lanczos
 * against LAPACK's dense eigh, and the low-dimensional population risk against a direct Monte Carlo test set.
 */
import { describe, expect, test } from 'vitest';
import { getBackend } from '../../src/linalg/index.js';
import { lanczos } from '../../src/linalg/lanczos.js';
import { getActivation } from '../../src/activations/index.js';
import { fillNormal, foldIn, rootKey } from '../../src/random/index.js';
import { drawGaussianInputs } from '../../src/models/teacher.js';
import { getMultiIndexTarget } from '../../src/models/multi-index-teacher.js';
import { resolveDynamicsConfig } from '../../src/models/dynamics-config.js';
import {
  denseHessian,
  hessianPoint,
  hessianVectorProduct,
  lossAndGradient,
  makeLoss,
  parameterCount,
  type NetworkProblem,
} from '../../src/simulate/dynamics/network.js';
import { drawThetaStar, multiIndexLabels } from '../../src/simulate/dynamics/teacher.js';
import { overlapAndGram } from '../../src/simulate/dynamics/observables.js';
import { monteCarloRule, populationRisk, quadratureRule } from '../../src/simulate/dynamics/population-risk.js';
import { hessianSpectrum, runDynamics, setupDynamics } from '../../src/simulate/dynamics/run.js';
import type { LossName } from '../../src/models/dynamics-config.js';

const backend = getBackend();

function smallProblem(opts: { loss: LossName; act: string; trainA: boolean; bias: boolean; wd: number; seed: number }): { p: NetworkProblem; theta: Float64Array } {
  const d = 12;
  const n = 40;
  const m = 3;
  const root = rootKey(opts.seed);
  const X = drawGaussianInputs(foldIn(root, 'x'), n, d, 'float64');
  const ThetaT = drawThetaStar(foldIn(root, 't'), d, 2);
  const { y } = multiIndexLabels(backend, X, ThetaT, getMultiIndexTarget('staircase', 2), 0.1, foldIn(root, 'noise'));
  const aFrozen = Float64Array.from([0.7, -0.4, 0.5]);
  const p: NetworkProblem = {
    backend,
    X,
    y,
    activation: getActivation(opts.act),
    loss: makeLoss(opts.loss, 0.8),
    m,
    trainA: opts.trainA,
    bias: opts.bias,
    aFrozen,
    weightDecay: opts.wd,
  };
  const theta = fillNormal(foldIn(root, 'theta'), new Float64Array(parameterCount(p)), { std: 0.6 });
  return { p, theta };
}

const cases = [
  { loss: 'square' as const, act: 'tanh', trainA: true, bias: true, wd: 0.05, seed: 1 },
  { loss: 'logcosh' as const, act: 'sigmoid', trainA: false, bias: true, wd: 0, seed: 2 },
  { loss: 'huber' as const, act: 'poly:0.3,0.5,0.2,-0.1', trainA: true, bias: false, wd: 0.1, seed: 3 },
  { loss: 'square' as const, act: 'quadratic', trainA: false, bias: false, wd: 0, seed: 4 },
];

describe('gradient and Hessian-vector products', () => {
  test.each(cases)('gradient = central differences of the loss ($loss, $act, trainA $trainA, bias $bias)', (c) => {
    const { p, theta } = smallProblem(c);
    const P = theta.length;
    const grad = new Float64Array(P);
    lossAndGradient(p, theta, grad);
    const h = 1e-6;
    let maxErr = 0;
    let scale = 0;
    for (let i = 0; i < P; i++) {
      const tp = theta.slice();
      tp[i] += h;
      const tm = theta.slice();
      tm[i] -= h;
      const fd = (lossAndGradient(p, tp, null).loss - lossAndGradient(p, tm, null).loss) / (2 * h);
      maxErr = Math.max(maxErr, Math.abs(fd - grad[i]));
      scale = Math.max(scale, Math.abs(grad[i]));
    }
    // Central differences: truncation O(h^2) ~ 1e-12, rounding ~ eps |L| / h ~ 1e-10.
    expect(maxErr).toBeLessThan(1e-7 * Math.max(1, scale));
  });

  test.each(cases)('HVP = central differences of the gradient ($loss, $act)', (c) => {
    const { p, theta } = smallProblem(c);
    const P = theta.length;
    const pt = hessianPoint(p, theta);
    const v = fillNormal(rootKey(99 + c.seed), new Float64Array(P));
    const hv = hessianVectorProduct(p, pt, v, new Float64Array(P));
    const h = 1e-5;
    const gp = new Float64Array(P);
    const gm = new Float64Array(P);
    lossAndGradient(p, theta.map((t, i) => t + h * v[i]), gp);
    lossAndGradient(p, theta.map((t, i) => t - h * v[i]), gm);
    let maxErr = 0;
    let scale = 0;
    for (let i = 0; i < P; i++) {
      maxErr = Math.max(maxErr, Math.abs((gp[i] - gm[i]) / (2 * h) - hv[i]));
      scale = Math.max(scale, Math.abs(hv[i]));
    }
    // Huber's l'' jumps at |r| = delta: a sample crossing within h would break the difference; with
    // 40 samples and h = 1e-5 none does for these seeds (the error would be O(1), not O(h^2)).
    expect(maxErr).toBeLessThan(1e-6 * Math.max(1, scale));
  });

  test('the dense Hessian is symmetric and its columns are HVPs; float32 inputs give the same gradient to 1e-5', () => {
    const { p, theta } = smallProblem(cases[0]);
    const pt = hessianPoint(p, theta);
    const H = denseHessian(p, pt);
    const P = theta.length;
    // Symmetry before symmetrisation is implied by Hv = H v for a random v using the symmetrised H.
    const v = fillNormal(rootKey(5), new Float64Array(P));
    const hv = hessianVectorProduct(p, pt, v, new Float64Array(P));
    for (let r = 0; r < P; r++) {
      let s = 0;
      for (let c = 0; c < P; c++) s += H.data[r * P + c] * v[c];
      expect(s).toBeCloseTo(hv[r], 10);
    }
    const p32: NetworkProblem = { ...p, X: { rows: p.X.rows, cols: p.X.cols, data: Float32Array.from(p.X.data) } };
    const g64 = new Float64Array(P);
    const g32 = new Float64Array(P);
    lossAndGradient(p, theta, g64);
    lossAndGradient(p32, theta, g32);
    for (let i = 0; i < P; i++) expect(Math.abs(g32[i] - g64[i])).toBeLessThan(1e-5);
  });
});

describe('Lanczos', () => {
  test('k smallest and largest of a symmetric matrix with outliers agree with dense eigh (values 1e-9, vectors)', () => {
    const N = 300;
    const A = fillNormal(rootKey(7), new Float64Array(N * N));
    const S = new Float64Array(N * N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) S[i * N + j] = (A[i * N + j] + A[j * N + i]) / Math.sqrt(2 * N);
    // Outliers: +-4 e_0 e_0^T style spikes along two random directions.
    const u = fillNormal(rootKey(8), new Float64Array(N));
    const w = fillNormal(rootKey(9), new Float64Array(N));
    const nu = Math.hypot(...u);
    const nw = Math.hypot(...w);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) S[i * N + j] += (5 * u[i] * u[j]) / (nu * nu) - (4 * w[i] * w[j]) / (nw * nw);
    const M = { rows: N, cols: N, data: S };
    const dense = backend.eigh(M);
    const op = (v: Float64Array, out: Float64Array) => backend.gemv(false, 1, M, v, 0, out);
    const res = lanczos(backend, N, op, { k: 4, which: 'both', tol: 1e-10, maxIterations: 300 });
    expect(res.ok).toBe(true);
    for (let i = 0; i < 4; i++) {
      expect(Math.abs(res.values[i] - dense.values[i])).toBeLessThan(1e-9);
      expect(Math.abs(res.values[4 + i] - dense.values[N - 4 + i])).toBeLessThan(1e-9);
    }
    // The outlier eigenvectors (well separated) match up to sign.
    for (const [ri, di] of [
      [0, 0],
      [7, N - 1],
    ]) {
      let dotp = 0;
      for (let r = 0; r < N; r++) dotp += res.vectors[ri][r] * dense.vectors.data[r * N + di];
      expect(Math.abs(dotp)).toBeGreaterThan(1 - 1e-8);
    }
  });

  test('reports non-convergence instead of returning a silent number', () => {
    const N = 400;
    const diag = Float64Array.from({ length: N }, (_, i) => i / N);
    const res = lanczos(backend, N, (v, out) => out.set(v.map((x, i) => diag[i] * x)), { k: 3, which: 'smallest', tol: 1e-14, maxIterations: 10 });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.reason).toBe('max-iterations');
  });

  test('bad arguments are named', () => {
    expect(() => lanczos(backend, 10, () => undefined, { k: 0 })).toThrow(/k must be a positive integer, got 0/);
    expect(() => lanczos(backend, 10, () => undefined, { k: 6, which: 'both' })).toThrow(/asked for 12 eigenpairs/);
  });

  test('Hessian spectrum by Lanczos equals the dense Hessian at small d (tanh network, phase retrieval)', () => {
    const cfg = resolveDynamicsConfig({ d: 40, n: 160, width: 3, training: { steps: 0, secondLayer: 'trained', bias: true }, hessian: { at: 'none', k: 4, which: 'both', dense: true }, seed: 3 });
    const setup = setupDynamics(cfg, backend);
    const rec = hessianSpectrum(setup, setup.theta0, { k: 4, which: 'both', dense: true, tol: 1e-10, maxIterations: 124, seed: 0, unlearned: null });
    expect(rec.smallest?.ok).toBe(true);
    expect(rec.dense!.maxLanczosError).toBeLessThan(1e-8);
    const P = rec.parameters;
    expect(P).toBe(3 * 40 + 3 + 1);
    expect(rec.largest!.eigen[3].value).toBeCloseTo(rec.dense!.values[P - 1], 8);
  });
});

describe('population risk', () => {
  test('quadrature in the (k + m)-dim space = Monte Carlo there = a direct test set (within 4 s.e.)', () => {
    const d = 50;
    const m = 2;
    const target = getMultiIndexTarget('product', 2);
    const ThetaT = drawThetaStar(rootKey(1), d, 2);
    const W = fillNormal(rootKey(2), new Float64Array(m * d), { std: 1 / Math.sqrt(d) });
    // Put some weight along Theta*.
    for (let i = 0; i < d; i++) W[i] += 0.8 * ThetaT.data[i] + 0.3 * ThetaT.data[d + i];
    const a = Float64Array.from([0.9, -0.5]);
    const act = getActivation('tanh');
    const { M, G } = overlapAndGram(W, m, ThetaT);
    const quad = populationRisk(backend, quadratureRule(4, 24), target, act, M, G, a, 0.1);
    const mc = populationRisk(backend, monteCarloRule(rootKey(3), 4, 200000), target, act, M, G, a, 0.1);
    expect(Math.abs(quad.value - mc.value)).toBeLessThan(4 * mc.standardError);
    // Direct: fresh inputs in R^d through the network.
    const nT = 100000;
    const X = drawGaussianInputs(rootKey(4), nT, d, 'float64');
    const { fStar } = multiIndexLabels(backend, X, ThetaT, target, 0, rootKey(5));
    const H = new Float64Array(nT * m);
    backend.gemm(false, true, 1, X, { rows: m, cols: d, data: W }, 0, { rows: nT, cols: m, data: H });
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < nT; i++) {
      const f = a[0] * Math.tanh(H[i * m]) + a[1] * Math.tanh(H[i * m + 1]) + 0.1;
      const e = (fStar[i] - f) ** 2;
      s += e;
      s2 += e * e;
    }
    const mean = s / nT;
    const se = Math.sqrt((s2 / nT - mean * mean) / nT);
    expect(Math.abs(quad.value - mean)).toBeLessThan(4 * se);
  });
});

describe('runDynamics', () => {
  const base = { d: 60, n: 240, width: 2, training: { steps: 60, eta: 0.5, record: 8 }, hessian: { at: 'none' as const }, seed: 11 };

  test('reproducible from the seed; nTest/test method does not change the training trajectory', () => {
    const r1 = runDynamics(resolveDynamicsConfig(base));
    const r2 = runDynamics(resolveDynamicsConfig(base));
    expect(r2.trajectory).toEqual(r1.trajectory);
    const r3 = runDynamics(resolveDynamicsConfig({ ...base, test: { method: 'test-set' }, nTest: 500 }));
    expect(r3.trajectory.map((p) => p.trainLoss)).toEqual(r1.trajectory.map((p) => p.trainLoss));
    expect(r3.testMethod).toBe('test-set');
  });

  test('GD decreases the loss for a small step; flow mode follows GD with a small step', () => {
    const r = runDynamics(resolveDynamicsConfig({ ...base, training: { ...base.training, eta: 0.05, steps: 40 } }));
    const losses = r.trajectory.map((p) => p.trainLoss);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThanOrEqual(losses[i - 1] + 1e-12);
    // Flow with the same horizon (40 x 0.05 = 2) vs GD with 400 steps of 0.005: both approximate the
    // same ODE; Euler's global error is O(step): agree to ~1e-3 relative.
    const flow = runDynamics(resolveDynamicsConfig({ ...base, training: { ...base.training, mode: 'flow', eta: 0.05, steps: 40, flowSubsteps: 10 } }));
    const fine = runDynamics(resolveDynamicsConfig({ ...base, training: { ...base.training, eta: 0.005, steps: 400, record: 2 } }));
    expect(flow.final.time).toBeCloseTo(2, 10);
    expect(Math.abs(flow.final.trainLoss - fine.final.trainLoss)).toBeLessThan(1e-3 * fine.final.trainLoss);
  });

  test('float32 inputs follow the float64 trajectory (inputs rounded to float32: relative error ~1e-6)', () => {
    const c = { ...base, training: { ...base.training, steps: 20, eta: 0.2 } };
    const r64 = runDynamics(resolveDynamicsConfig(c));
    const r32 = runDynamics(resolveDynamicsConfig({ ...c, precision: 'float32' }));
    r64.trajectory.forEach((p, i) => {
      expect(Math.abs(r32.trajectory[i].trainLoss - p.trainLoss)).toBeLessThan(1e-4 * p.trainLoss);
      expect(Math.abs(r32.trajectory[i].cosines[0] - p.cosines[0])).toBeLessThan(1e-4);
    });
  });

  test('bad input names the key', () => {
    expect(() => resolveDynamicsConfig({ training: { mode: 'sgd' } })).toThrow(/training\.mode: expected one of "gd" \| "flow", got "sgd"/);
    expect(() => resolveDynamicsConfig({ teacher: { kind: 'multi-index', link: 'product', k: 1 } })).toThrow(/teacher\.k: target "product" needs k >= 2, got 1/);
    expect(() => resolveDynamicsConfig({ d: 100, n: 300, delta: 2 })).toThrow(/n\/delta: give one of them/);
    expect(() => resolveDynamicsConfig({ teacher: { kind: 'multi-index', link: 'nope' } })).toThrow(/teacher\.link: unknown target "nope"/);
    expect(() => resolveDynamicsConfig({ hessian: { which: 'middle' } })).toThrow(/hessian\.which: expected one of "smallest" \| "largest" \| "both", got "middle"/);
    expect(() => resolveDynamicsConfig({ training: { steps: 10 }, hessian: { at: [20] } })).toThrow(/hessian\.at: steps must be <= training\.steps = 10, got 20/);
    const c = resolveDynamicsConfig({ d: 100, delta: 2.5 });
    expect(c.n).toBe(250);
    expect(c.delta).toBe(2.5);
  });
});
