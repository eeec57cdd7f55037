/**
 * The gradient step: the full negative gradient G against central finite differences of the loss
 * L(W) = (1/(2 n0)) sum (y - f(x))^2 (an independent derivative), the update rule, and the step scalings.
 */
import { describe, expect, it } from 'vitest';
import { getBackend } from '../../src/linalg/index.js';
import { getActivation } from '../../src/activations/index.js';
import { rootKey, foldIn } from '../../src/random/index.js';
import { drawA0, drawW0 } from '../../src/models/init.js';
import { drawGaussianInputs, drawSingleIndexTeacher, teacherLabels } from '../../src/models/teacher.js';
import { effectiveEta, negativeGradient, runSteps, stepLoss } from '../../src/simulate/protocol.js';
import { SimulationError } from '../../src/simulate/errors.js';
import type { Matrix } from '../../src/linalg/matrix.js';

const backend = getBackend();

function smallProblem(student: string, seed: number, d = 7, N = 5, n0 = 11) {
  const key = rootKey(seed);
  const teacher = drawSingleIndexTeacher(foldIn(key, 't'), d, getActivation('tanh'), 0.1);
  const W = drawW0(foldIn(key, 'W'), d, N, 'gaussian') as Matrix<Float64Array>;
  const a0 = drawA0(foldIn(key, 'a'), N, 'gaussian');
  const X0 = drawGaussianInputs(foldIn(key, 'X'), n0, d, 'float64') as Matrix<Float64Array>;
  const { y } = teacherLabels(backend, teacher, X0, foldIn(key, 'noise'));
  return { act: getActivation(student), W, a0, X0, y, teacher };
}

describe('negative gradient G', () => {
  // Smooth activations: central differences with h = 1e-5 have error O(h^2 L''') ~ 1e-10 plus rounding
  // eps L / h ~ 1e-11; 1e-7 (absolute, entries of G are O(0.1)) leaves a wide margin yet catches a wrong
  // factor (1/n0, 1/sqrt N, a sign) by orders of magnitude.
  for (const student of ['tanh', 'erf', 'softplus', 'sin', 'poly:0.3,1,0.5,-0.2', 'relu']) {
    it(`matches finite differences of the loss (${student})`, () => {
      const { act, W, a0, X0, y } = smallProblem(student, 3);
      const { G } = negativeGradient(backend, act, X0, y, W, a0);
      const h = 1e-5;
      let maxErr = 0;
      let maxG = 0;
      for (let k = 0; k < W.data.length; k++) {
        const w = W.data[k];
        W.data[k] = w + h;
        const lp = stepLoss(backend, act, X0, y, W, a0);
        W.data[k] = w - h;
        const lm = stepLoss(backend, act, X0, y, W, a0);
        W.data[k] = w;
        const fd = -(lp - lm) / (2 * h);
        maxErr = Math.max(maxErr, Math.abs(fd - G.data[k]));
        maxG = Math.max(maxG, Math.abs(G.data[k]));
      }
      expect(maxG).toBeGreaterThan(1e-3);
      // relu: the inputs are Gaussian, so no pre-activation lies within h of the kink (checked by the tolerance).
      expect(maxErr).toBeLessThan(1e-7);
    });
  }

  // The loss is quadratic in a, so central differences in a are exact up to rounding (eps L / h ~ 1e-11
  // with h = 1e-5); 1e-9 absolute (entries of g_a are O(0.01-0.1)) still catches a wrong 1/n0, 1/sqrt N or sign.
  for (const student of ['tanh', 'relu', 'poly:0.3,1,0.5,-0.2']) {
    it(`the readout gradient g_a matches finite differences of the loss in a (${student})`, () => {
      const { act, W, a0, X0, y } = smallProblem(student, 4);
      const { ga } = negativeGradient(backend, act, X0, y, W, a0);
      const a = a0.slice();
      const h = 1e-5;
      let maxErr = 0;
      let maxG = 0;
      for (let i = 0; i < a.length; i++) {
        a[i] = a0[i] + h;
        const lp = stepLoss(backend, act, X0, y, W, a);
        a[i] = a0[i] - h;
        const lm = stepLoss(backend, act, X0, y, W, a);
        a[i] = a0[i];
        maxErr = Math.max(maxErr, Math.abs(-(lp - lm) / (2 * h) - ga[i]));
        maxG = Math.max(maxG, Math.abs(ga[i]));
      }
      expect(ga.length).toBe(W.cols);
      expect(maxG).toBeGreaterThan(1e-3);
      expect(maxErr).toBeLessThan(1e-9);
    });
  }

  it('u = X0^T (y0 - f0) / n0 and f0 = sigma(X0 W) a0 / sqrt N, by explicit loops', () => {
    const { act, W, a0, X0, y } = smallProblem('tanh', 5);
    const { u, f0 } = negativeGradient(backend, act, X0, y, W, a0);
    const [n0, d, N] = [X0.rows, X0.cols, W.cols];
    for (let mu = 0; mu < n0; mu++) {
      let f = 0;
      for (let i = 0; i < N; i++) {
        let z = 0;
        for (let j = 0; j < d; j++) z += X0.data[mu * d + j] * W.data[j * N + i];
        f += a0[i] * Math.tanh(z);
      }
      expect(f0[mu]).toBeCloseTo(f / Math.sqrt(N), 13);
    }
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let mu = 0; mu < n0; mu++) s += X0.data[mu * d + j] * (y[mu] - f0[mu]);
      expect(u[j]).toBeCloseTo(s / n0, 13);
    }
  });
});

describe('runSteps', () => {
  it('W1 = W0 + eta_eff sqrt(N) G, whether G is kept or accumulated by the gemm', () => {
    const d = 20;
    const N = 12;
    const key = rootKey(9);
    const teacher = drawSingleIndexTeacher(foldIn(key, 't'), d, getActivation('relu'), 0);
    const W0 = drawW0(foldIn(key, 'W'), d, N, 'sphere') as Matrix<Float64Array>;
    const a0 = drawA0(foldIn(key, 'a'), N, 'constant');
    const step = { eta: 0.7, scaling: 'sqrtN' as const, steps: 1, batches: 'fresh' as const };
    const input = { backend, activation: getActivation('tanh'), teacher, W0, a0, n0: 15, step, key: foldIn(key, 'step') };
    const kept = runSteps({ ...input, keepFirstGradient: true });
    const fused = runSteps({ ...input, keepFirstGradient: false });
    expect(kept.etaEff).toBeCloseTo(0.7 * Math.sqrt(N), 14);
    const G = kept.first!.G.data;
    for (let k = 0; k < W0.data.length; k++) {
      const expected = W0.data[k] + 0.7 * N * G[k];
      expect(kept.W1.data[k]).toBeCloseTo(expected, 13);
      expect(fused.W1.data[k]).toBeCloseTo(expected, 13);
    }
    // W0 is untouched.
    expect(drawW0(foldIn(key, 'W'), d, N, 'sphere').data).toEqual(W0.data);
  });

  it('two steps with a reused batch = two explicit updates on the same batch; fresh batches differ', () => {
    const d = 10;
    const N = 6;
    const n0 = 9;
    const key = rootKey(4);
    const act = getActivation('tanh');
    const teacher = drawSingleIndexTeacher(foldIn(key, 't'), d, getActivation('tanh'), 0.2);
    const W0 = drawW0(foldIn(key, 'W'), d, N, 'gaussian') as Matrix<Float64Array>;
    const a0 = drawA0(foldIn(key, 'a'), N, 'rademacher');
    const stepKey = foldIn(key, 'step');
    const base = { backend, activation: act, teacher, W0, a0, n0, key: stepKey, keepFirstGradient: false };
    const reuse = runSteps({ ...base, step: { eta: 0.5, scaling: 'one', steps: 2, batches: 'reuse' } });
    const fresh = runSteps({ ...base, step: { eta: 0.5, scaling: 'one', steps: 2, batches: 'fresh' } });
    // Explicit: the batch of step 0 is drawn from foldIn(stepKey, 0).
    const k0 = foldIn(stepKey, 0);
    const X0 = drawGaussianInputs(foldIn(k0, 'X'), n0, d, 'float64') as Matrix<Float64Array>;
    const { y } = teacherLabels(backend, teacher, X0, foldIn(k0, 'noise'));
    let W = { rows: d, cols: N, data: W0.data.slice() };
    for (let t = 0; t < 2; t++) {
      const { G } = negativeGradient(backend, act, X0, y, W, a0);
      W = { rows: d, cols: N, data: W.data.map((w, k) => w + 0.5 * Math.sqrt(N) * G.data[k]) };
    }
    for (let k = 0; k < W.data.length; k++) expect(reuse.W1.data[k]).toBeCloseTo(W.data[k], 13);
    let diff = 0;
    for (let k = 0; k < W.data.length; k++) diff = Math.max(diff, Math.abs(fresh.W1.data[k] - W.data[k]));
    expect(diff).toBeGreaterThan(1e-3);
  });

  it('step.trainReadout: (W, a) move together by eta_eff sqrt(N) times their gradients at the same point', () => {
    const d = 10;
    const N = 6;
    const n0 = 9;
    const key = rootKey(14);
    const act = getActivation('tanh');
    const teacher = drawSingleIndexTeacher(foldIn(key, 't'), d, getActivation('relu'), 0.1);
    const W0 = drawW0(foldIn(key, 'W'), d, N, 'gaussian') as Matrix<Float64Array>;
    const a0 = drawA0(foldIn(key, 'a'), N, 'gaussian');
    const stepKey = foldIn(key, 'step');
    const base = { backend, activation: act, teacher, W0, a0, n0, key: stepKey, keepFirstGradient: false };
    const step = { eta: 0.4, scaling: 'one' as const, steps: 3, batches: 'fresh' as const };
    const trained = runSteps({ ...base, step: { ...step, trainReadout: true } });
    const fixed = runSteps({ ...base, step });
    // Explicit: batch t from foldIn(stepKey, t); simultaneous updates with the multiplier eta sqrt(N).
    const c = 0.4 * Math.sqrt(N);
    let W = { rows: d, cols: N, data: W0.data.slice() };
    let a = a0.slice();
    for (let t = 0; t < 3; t++) {
      const kt = foldIn(stepKey, t);
      const X0 = drawGaussianInputs(foldIn(kt, 'X'), n0, d, 'float64') as Matrix<Float64Array>;
      const { y } = teacherLabels(backend, teacher, X0, foldIn(kt, 'noise'));
      const { G, ga } = negativeGradient(backend, act, X0, y, W, a);
      W = { rows: d, cols: N, data: W.data.map((w, k) => w + c * G.data[k]) };
      a = a.map((ai, i) => ai + c * ga[i]);
    }
    for (let k = 0; k < W.data.length; k++) expect(trained.W1.data[k]).toBeCloseTo(W.data[k], 12);
    for (let i = 0; i < N; i++) expect(trained.a[i]).toBeCloseTo(a[i], 12);
    // Without it a stays a0 and, from the second step on, W differs.
    expect(Array.from(fixed.a)).toEqual(Array.from(a0));
    let diff = 0;
    for (let k = 0; k < W.data.length; k++) diff = Math.max(diff, Math.abs(fixed.W1.data[k] - W.data[k]));
    expect(diff).toBeGreaterThan(1e-4);
    // One step: W1 is the same either way (both gradients at (W0, a0)).
    const one = { ...step, steps: 1 };
    const w1t = runSteps({ ...base, step: { ...one, trainReadout: true } }).W1.data;
    const w1f = runSteps({ ...base, step: one }).W1.data;
    expect(Array.from(w1t)).toEqual(Array.from(w1f));
  });

  it('effective step sizes of the three scalings', () => {
    expect(effectiveEta({ eta: 2, scaling: 'one' }, 400)).toBe(2);
    expect(effectiveEta({ eta: 2, scaling: 'sqrtN' }, 400)).toBe(40);
    expect(effectiveEta({ eta: 2, scaling: 'power', exponent: 0.25 }, 16)).toBeCloseTo(4, 14);
  });

  it('stops with a SimulationError naming the weights when a step overflows', () => {
    const d = 5;
    const N = 4;
    const key = rootKey(1);
    const teacher = drawSingleIndexTeacher(foldIn(key, 't'), d, getActivation('he3'), 0);
    const W0 = drawW0(foldIn(key, 'W'), d, N, 'gaussian') as Matrix<Float64Array>;
    const a0 = drawA0(foldIn(key, 'a'), N, 'constant');
    const run = () =>
      runSteps({
        backend,
        activation: getActivation('poly:0,0,0,0,0,0,0,0,0,1'),
        teacher,
        W0,
        a0,
        n0: 6,
        step: { eta: 1e300, scaling: 'one', steps: 3, batches: 'fresh' },
        key,
        keepFirstGradient: false,
      });
    expect(run).toThrow(SimulationError);
    expect(run).toThrow(/gradient step \d of 3: (first-layer weights W\d|network output f0 on the step batch): (NaN|-?Infinity) at entry/);
  });
});
