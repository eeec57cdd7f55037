/**
 * The exact population risk against independent references:
 * - closed forms: linear activation (the risk is a quadratic form in W), the degree-1 arc-cosine kernel for
 *   relu (Cho & Saul 2009), Williams' kernel for erf (1997), summed directly over all pairs in O(N^2 d);
 * - Monte Carlo on fresh Gaussian inputs drawn with the project's random module (tolerance 4 standard errors
 *   of the Monte Carlo mean, computed in the test), for tanh, relu and softplus after no step, a small step
 *   (W0 + theta u a^T) and a large step (sqrt(c) W0 + r v 1^T, every neuron sharing v);
 * - the reported truncation bound against a much more accurate evaluation.
 */
import { describe, expect, test } from 'vitest';
import { getBackend } from '../../src/linalg/index.js';
import { zeros, type Matrix } from '../../src/linalg/matrix.js';
import { foldIn, normalMatrix, rootKey, fillNormal } from '../../src/random/index.js';
import { defineActivation, getActivation } from '../../src/activations/index.js';
import { expectation } from '../../src/numerics/gaussianQuadrature.js';
import { exactRisk, type ExactRiskResult } from '../../src/simulate/exact-risk.js';
import { arcCosine1, erfKernel, monteCarloRisk, reluMean, riskByKernel, unitVector } from './exact-risk.helpers.js';

const backend = getBackend();

type Step = 'none' | 'small' | 'large';

/** W for a step kind: W0 gaussian N(0, 1/d); small: W0 + theta u a^T/|a|; large: sqrt(c) W0 + r v 1^T. */
function buildW(seed: number, d: number, N: number, step: Step, betaStar: Float64Array, a: Float64Array): Matrix<Float64Array> {
  const key = rootKey(seed);
  const W = normalMatrix(foldIn(key, 'W0'), d, N, { std: 1 / Math.sqrt(d) });
  if (step === 'none') return W;
  const v = unitVector(foldIn(key, 'v'), d).map((x, r) => 0.8 * x + 0.6 * betaStar[r]); // |v| ~ 1, overlap 0.6 with beta*
  let an = 0;
  for (const x of a) an += x * x;
  an = Math.sqrt(an);
  for (let r = 0; r < d; r++) {
    for (let i = 0; i < N; i++) {
      const q = r * N + i;
      if (step === 'small') W.data[q] += 1.5 * v[r] * (a[i] / an);
      else W.data[q] = Math.sqrt(0.7) * W.data[q] + 1.2 * v[r];
    }
  }
  return W;
}

function readout(seed: number, N: number): Float64Array {
  const a = fillNormal(foldIn(rootKey(seed), 'a'), new Float64Array(N));
  return a.map((x) => 0.5 + x); // non-zero mean: the all-ones direction matters
}

function ok(res: ExactRiskResult): Extract<ExactRiskResult, { ok: true }> {
  if (!res.ok) throw new Error(`exactRisk failed: ${res.reason}`);
  return res;
}

describe('closed forms', () => {
  test('linear activation and link: risk = |W a / sqrt N - beta*|^2 + b^2', () => {
    const d = 60;
    const N = 40;
    const beta = unitVector(foldIn(rootKey(1), 'beta'), d);
    const a = readout(1, N);
    const lin = getActivation('linear');
    for (const step of ['none', 'small', 'large'] as const) {
      const W = buildW(1, d, N, step, beta, a);
      // E (<beta, x> - <W a / sqrt N, x> - b)^2 = |beta - W a / sqrt N|^2 + b^2
      let ref = 0.3 * 0.3;
      for (let r = 0; r < d; r++) {
        let s = 0;
        for (let i = 0; i < N; i++) s += W.data[r * N + i] * a[i];
        ref += (beta[r] - s / Math.sqrt(N)) ** 2;
      }
      for (const method of ['auto', 'mehler', 'conditional'] as const) {
        const res = ok(exactRisk({ W, a, b: 0.3, activation: lin }, { betaStar: beta, link: lin }, backend, { method }));
        expect(Math.abs(res.risk - ref), `${step} ${method}`).toBeLessThan(1e-10 * ref);
      }
    }
  });

  test('relu/relu equals the direct arc-cosine sum, with the intercept, for every route', () => {
    const d = 80;
    const N = 60;
    const beta = unitVector(foldIn(rootKey(2), 'beta'), d);
    const a = readout(2, N);
    const relu = getActivation('relu');
    for (const step of ['none', 'small', 'large'] as const) {
      const W = buildW(2, d, N, step, beta, a);
      const ref = riskByKernel(
        W, a, -0.2, beta,
        (si, sj, c) => arcCosine1(si, sj, c / (si * sj)), reluMean,
        (si, c) => arcCosine1(si, 1, c / si), 0.5, reluMean(1),
      );
      for (const method of ['auto', 'mehler', 'conditional'] as const) {
        const res = ok(exactRisk({ W, a, b: -0.2, activation: relu }, { betaStar: beta, link: relu }, backend, { method, maxOrder: method === 'mehler' ? 400 : undefined }));
        // the series tolerance is 1e-9 of the risk's scale; 1e-8 relative leaves room for rounding in the reference
        expect(Math.abs(res.risk - ref), `${step} ${method}: ${res.method}`).toBeLessThan(1e-8 * ref + (res.truncation ?? 0));
      }
    }
  });

  test('a very large step (every neuron 3 v + O(1) noise): auto conditions on the spike and matches arc-cosine', () => {
    const d = 90;
    const N = 70;
    const beta = unitVector(foldIn(rootKey(9), 'beta'), d);
    const a = readout(9, N);
    const W = buildW(9, d, N, 'none', beta, a);
    const v = unitVector(foldIn(rootKey(9), 'v'), d).map((x, r) => 0.8 * x + 0.6 * beta[r]);
    for (let r = 0; r < d; r++) for (let i = 0; i < N; i++) W.data[r * N + i] = 0.8 * W.data[r * N + i] + 3 * v[r];
    const relu = getActivation('relu');
    const ref = riskByKernel(W, a, 0, beta, (si, sj, c) => arcCosine1(si, sj, c / (si * sj)), reluMean, (si, c) => arcCosine1(si, 1, c / si), 0.5, reluMean(1));
    const res = ok(exactRisk({ W, a, b: 0, activation: relu }, { betaStar: beta, link: relu }, backend));
    expect(res.method).toMatch(/^conditional/);
    expect(Math.abs(res.risk - ref), res.method).toBeLessThan(1e-8 * ref + (res.truncation ?? 0));
    expect(res.truncation ?? Infinity).toBeLessThan(1e-6 * ref);
  });

  test('erf/erf equals Williams\' kernel (closed-form coefficients, quadrature second moments when shifted)', () => {
    const d = 70;
    const N = 50;
    const beta = unitVector(foldIn(rootKey(3), 'beta'), d);
    const a = readout(3, N);
    const e = getActivation('erf');
    const erfSecond = (2 / Math.PI) * Math.asin(2 / 3);
    for (const step of ['none', 'large'] as const) {
      const W = buildW(3, d, N, step, beta, a);
      const ref = riskByKernel(W, a, 0.1, beta, (si, sj, c) => erfKernel(si, sj, c), () => 0, (si, c) => erfKernel(si, 1, c), erfSecond, 0);
      for (const method of ['mehler', 'conditional'] as const) {
        const res = ok(exactRisk({ W, a, b: 0.1, activation: e }, { betaStar: beta, link: e }, backend, { method, maxOrder: 400 }));
        expect(Math.abs(res.risk - ref), `${step} ${method}`).toBeLessThan(1e-8 * ref + (res.truncation ?? 0));
      }
    }
  });

  test('a registered non-smooth activation without closed forms (leaky relu, adaptive quadrature) matches its kernel', () => {
    const d = 50;
    const N = 40;
    const beta = unitVector(foldIn(rootKey(10), 'beta'), d);
    const a = readout(10, N);
    const W = buildW(10, d, N, 'small', beta, a);
    const leaky = defineActivation({ name: 'leaky-test', value: (z) => (z > 0 ? z : 0.1 * z), derivative: (z) => (z > 0 ? 1 : 0.1), kinks: [0] });
    const relu = getActivation('relu');
    // leaky(x) = 0.55 x + 0.45 |x|; E|u||v| = s1 s2 (2/pi)(sqrt(1 - rho^2) + rho asin rho) (a standard Gaussian
    // identity: 2 x the arc-cosine kernel minus the odd part); E relu(g) u = cov/2, E relu(g)|u| = E|g||u| / 2
    const absAbs = (s1: number, s2: number, c: number) => {
      const r = Math.max(-1, Math.min(1, c / (s1 * s2)));
      return ((s1 * s2 * 2) / Math.PI) * (Math.sqrt(1 - r * r) + r * Math.asin(r));
    };
    const ref = riskByKernel(
      W, a, 0, beta,
      (si, sj, c) => 0.55 ** 2 * c + 0.45 ** 2 * absAbs(si, sj, c),
      (si) => 0.45 * si * Math.sqrt(2 / Math.PI),
      (si, c) => 0.55 * (c / 2) + 0.45 * (absAbs(si, 1, c) / 2),
      0.5, reluMean(1),
    );
    const res = ok(exactRisk({ W, a, b: 0, activation: leaky }, { betaStar: beta, link: relu }, backend));
    expect(Math.abs(res.risk - ref), res.method).toBeLessThan(1e-8 * ref + (res.truncation ?? 0));
  });

  test('a neuron exactly along beta* (|rho_i*| = 1) with a linear link: relu student against Stein + arc-cosine', () => {
    const d = 40;
    const N = 30;
    const beta = unitVector(foldIn(rootKey(12), 'beta'), d);
    const a = readout(12, N);
    const W = buildW(12, d, N, 'none', beta, a);
    for (let r = 0; r < d; r++) W.data[r * N] = 1.3 * beta[r];
    const relu = getActivation('relu');
    // E g relu(u_i) = cov(g, u_i) / 2 (Stein's lemma, E relu' = 1/2); E g^2 = 1, E g = 0
    const ref = riskByKernel(W, a, 0.2, beta, (si, sj, c) => arcCosine1(si, sj, c / (si * sj)), reluMean, (_si, c) => c / 2, 1, 0);
    const res = ok(exactRisk({ W, a, b: 0.2, activation: relu }, { betaStar: beta, link: getActivation('linear') }, backend));
    expect(res.orders?.target).toBe(1);
    expect(Math.abs(res.risk - ref), res.method).toBeLessThan(1e-9 * ref + (res.truncation ?? 0));
  });

  test('a zero predictor has the null risk E f*^2 (+ b^2 - 2 b E f*)', () => {
    const d = 20;
    const N = 10;
    const beta = unitVector(foldIn(rootKey(4), 'beta'), d);
    const W = normalMatrix(foldIn(rootKey(4), 'W'), d, N);
    const tanh = getActivation('tanh');
    const relu = getActivation('relu');
    const res = ok(exactRisk({ W, a: new Float64Array(N), b: 0.5, activation: tanh }, { betaStar: beta, link: relu }, backend));
    // E relu^2 = 1/2, E relu = 1/sqrt(2 pi)
    expect(res.risk).toBeCloseTo(0.5 - 2 * 0.5 / Math.sqrt(2 * Math.PI) + 0.25, 12);
  });
});

describe('against Monte Carlo', () => {
  const d = 100;
  const N = 80;
  const nMC = 120_000;
  const cases: [string, string, Step][] = [
    ['tanh', 'tanh', 'none'],
    ['tanh', 'tanh', 'small'],
    ['tanh', 'tanh', 'large'],
    ['relu', 'relu', 'small'],
    ['relu', 'tanh', 'large'],
    ['softplus', 'relu', 'large'],
  ];
  test.each(cases)('%s student, %s target, step %s: within 4 Monte Carlo standard errors', (student, link, step) => {
    const beta = unitVector(foldIn(rootKey(5), 'beta'), d);
    const a = readout(5, N);
    const W = buildW(5, d, N, step, beta, a);
    const act = getActivation(student);
    const lnk = getActivation(link);
    const mc = monteCarloRisk(W, a, 0.05, act, beta, lnk, foldIn(rootKey(5), `mc-${student}-${link}-${step}`), nMC, backend);
    // after the large step both routes must agree with Monte Carlo (and with each other far more closely)
    const methods = step === 'large' ? (['auto', 'conditional'] as const) : (['auto'] as const);
    const risks = methods.map((method) => {
      const res = ok(exactRisk({ W, a, b: 0.05, activation: act }, { betaStar: beta, link: lnk }, backend, { method }));
      expect(Math.abs(res.risk - mc.mean), `${res.method}: exact ${res.risk}, MC ${mc.mean} ± ${mc.sem}`).toBeLessThan(4 * mc.sem);
      return res.risk;
    });
    if (risks.length === 2) expect(Math.abs(risks[0] - risks[1])).toBeLessThan(1e-7 * risks[0]);
  });
});

describe('truncation and failure', () => {
  test('the reported truncation bounds the error of a coarse evaluation', () => {
    const d = 60;
    const N = 50;
    const beta = unitVector(foldIn(rootKey(6), 'beta'), d);
    const a = readout(6, N);
    const relu = getActivation('relu');
    const W = buildW(6, d, N, 'small', beta, a);
    const pred = { W, a, b: 0, activation: relu };
    const fine = ok(exactRisk(pred, { betaStar: beta, link: relu }, backend, { method: 'mehler', tolerance: 1e-13, maxOrder: 400 }));
    for (const tolerance of [1e-2, 1e-4, 1e-6]) {
      const coarse = ok(exactRisk(pred, { betaStar: beta, link: relu }, backend, { method: 'mehler', tolerance, maxOrder: 400 }));
      const err = Math.abs(coarse.risk - fine.risk);
      expect(err, `tolerance ${tolerance}`).toBeLessThanOrEqual((coarse.truncation ?? 0) + 1e-12 * fine.risk);
      expect(coarse.orders?.pairs ?? 0).toBeLessThan(fine.orders?.pairs ?? 0);
    }
  });

  test('ok: false with the reason when the series would need more than maxOrder terms', () => {
    const d = 40;
    const N = 30;
    const beta = unitVector(foldIn(rootKey(7), 'beta'), d);
    const a = readout(7, N);
    const W = buildW(7, d, N, 'large', beta, a);
    const tanh = getActivation('tanh');
    const res = exactRisk({ W, a, b: 0, activation: tanh }, { betaStar: beta, link: tanh }, backend, { method: 'mehler', maxOrder: 3 });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.reason).toMatch(/maxOrder = 3/);
  });

  test('bad input names the parameter and the value', () => {
    const d = 5;
    const N = 4;
    const W = zeros(d, N);
    W.data.fill(0.1);
    const beta = new Float64Array(d);
    beta[0] = 1;
    const t = getActivation('tanh');
    const pred = { W, a: new Float64Array(N), b: 0, activation: t };
    const tgt = { betaStar: beta, link: t };
    expect(() => exactRisk({ ...pred, a: new Float64Array(3) }, tgt, backend)).toThrow(/pred\.a has length 3, expected N = W\.cols = 4/);
    expect(() => exactRisk(pred, { ...tgt, betaStar: new Float64Array(d).fill(1) }, backend)).toThrow(/betaStar must be a unit vector, got norm 2\.23/);
    expect(() => exactRisk(pred, { ...tgt, betaStar: new Float64Array(3) }, backend)).toThrow(/betaStar has length 3, expected d = W\.rows = 5/);
    const bad = zeros(d, N);
    bad.data[6] = NaN;
    expect(() => exactRisk({ ...pred, W: bad }, tgt, backend)).toThrow(/non-finite entry NaN at \(1, 2\)/);
    expect(() => exactRisk({ ...pred, b: Infinity }, tgt, backend)).toThrow(/pred\.b must be finite, got Infinity/);
    expect(() => exactRisk(pred, tgt, backend, { method: 'exact' as never })).toThrow(/method: expected one of "auto" \| "mehler" \| "conditional", got "exact"/);
    expect(() => exactRisk(pred, tgt, backend, { tolerance: -1 })).toThrow(/tolerance must be > 0, got -1/);
  });

  test('E f*^2 of the target comes from the activation (tanh by quadrature)', () => {
    const d = 10;
    const beta = unitVector(foldIn(rootKey(8), 'beta'), d);
    const t = getActivation('tanh');
    const res = ok(exactRisk({ W: zeros(d, 3), a: new Float64Array(3), b: 0, activation: t }, { betaStar: beta, link: t }, backend));
    expect(res.risk).toBeCloseTo(expectation((z) => Math.tanh(z) ** 2), 11);
  });
});
