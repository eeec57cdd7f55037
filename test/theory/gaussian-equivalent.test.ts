import { describe, expect, it } from 'vitest';
import { getBackend } from '../../src/linalg/index.js';
import { normalMatrix, rootKey, foldIn } from '../../src/random/index.js';
import { resolveExperimentConfig } from '../../src/models/experiment-config.js';
import { mpStieltjes } from '../../src/theory/gaussian-equivalent/marchenko-pastur.js';
import { ridgeEquivalent } from '../../src/theory/gaussian-equivalent/ridge-equivalent.js';
import { finiteGeRisk, gaussianEquivalentTheory, neuronCoefficients, sampleFiniteGe } from '../../src/theory/gaussian-equivalent/index.js';

const backend = getBackend();

function meanSe(xs: number[]): { mean: number; se: number } {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
  return { mean: m, se: Math.sqrt(v / xs.length) };
}

describe('Marchenko–Pastur Stieltjes transform', () => {
  // scipy.integrate.quad of the MP density sqrt((b-x)(x-a))/(2 pi c x) / (x+s) on [a, b], plus the atom
  // (1 - 1/c)/s at 0 for c > 1 (/tmp/p4/mpref.py); derivative likewise with -1/(x+s)^2.
  const ref: [number, number, number, number][] = [
    [0.5, 0.3, 1.0451762418866815, -1.4290950789179224],
    [0.5, 1.7, 0.39443530522439096, -0.16450734256341323],
    [2.0, 0.3, 2.0, -5.882352941190073],
    [2.0, 1.7, 0.44906836409186635, -0.22708291324512103],
    [1.0, 0.05, 4.0000000000000355, -44.44444444444461],
  ];
  it.each(ref)('c = %f, s = %f', (c, s, v, dv) => {
    const m = mpStieltjes(c, s);
    expect(Math.abs(m.value / v - 1)).toBeLessThan(1e-9);
    expect(Math.abs(m.derivative / dv - 1)).toBeLessThan(1e-8);
  });
  it('s -> 0 with c < 1 gives E[1/x] = 1/(1 - c)', () => {
    expect(mpStieltjes(0.25, 1e-12).value).toBeCloseTo(1 / 0.75, 9);
  });
  it('rejects c <= 0 and s <= 0', () => {
    expect(() => mpStieltjes(0, 1)).toThrow(/c must be a finite number > 0, got 0/);
    expect(() => mpStieltjes(1, -1)).toThrow(/s must be/);
  });
});

describe('ridge deterministic equivalent against ridge on sampled Gaussian features', () => {
  // Features phi ~ N(0, Sigma) with diagonal Sigma (no loss of generality for a Gaussian design), target
  // y = phi^T theta* + sqrt(Delta) xi. Exact excess risk of each fit: (a - theta*)^T Sigma (a - theta*).
  const N = 120;
  const Delta = 0.25;
  const sig = Float64Array.from({ length: N }, (_, j) => 0.1 + (1.9 * j) / (N - 1));
  const thetaStar = Float64Array.from({ length: N }, (_, j) => Math.cos(0.7 * j) / Math.sqrt(N));
  const cases: [number, number][] = [
    [240, 0.05], // underparametrised
    [80, 0.05], // overparametrised
    [80, 0], // minimum-norm interpolator
  ];
  it.each(cases)('n = %i, lambda = %f: the mean over 24 draws within 3 s.e. + 3%', (n, lam) => {
    const risks: number[] = [];
    for (let seed = 0; seed < 24; seed++) {
      const key = foldIn(rootKey(seed), 'ge-core');
      const G = normalMatrix(foldIn(key, 'X'), n, N);
      const xi = normalMatrix(foldIn(key, 'xi'), n, 1).data;
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < N; j++) {
          G.data[i * N + j] *= Math.sqrt(sig[j]);
          s += G.data[i * N + j] * thetaStar[j];
        }
        y[i] = s + Math.sqrt(Delta) * xi[i];
      }
      // dual form a = Phi^T (Phi Phi^T / n + lam I)^{-1} y / n  (valid for lam = 0 when n < N)
      const K = { rows: n, cols: n, data: new Float64Array(n * n) };
      backend.syrk(false, 1 / n, G, 0, K);
      let a: Float64Array;
      if (n < N) {
        for (let i = 0; i < n; i++) K.data[i * n + i] += lam;
        const c = backend.solve(K, { rows: n, cols: 1, data: y.slice() }).data;
        a = new Float64Array(N);
        backend.gemv(true, 1 / n, G, c, 0, a);
      } else {
        const A = { rows: N, cols: N, data: new Float64Array(N * N) };
        backend.syrk(true, 1 / n, G, 0, A);
        for (let j = 0; j < N; j++) A.data[j * N + j] += lam;
        const rhs = new Float64Array(N);
        backend.gemv(true, 1 / n, G, y, 0, rhs);
        a = backend.solve(A, { rows: N, cols: 1, data: rhs }).data;
      }
      let r = 0;
      for (let j = 0; j < N; j++) r += sig[j] * (a[j] - thetaStar[j]) ** 2;
      risks.push(r);
    }
    const { mean, se } = meanSe(risks);
    let m2 = 0;
    for (let j = 0; j < N; j++) m2 += sig[j] * thetaStar[j] ** 2;
    const de = ridgeEquivalent({
      n,
      lambda: lam,
      rank: N,
      trace: sig.reduce((p, v) => p + v, 0),
      targetSecondMoment: m2,
      noise: Delta,
      traces: (k) => ({ df1: sig.reduce((p, s) => p + s / (s + k), 0), df2: sig.reduce((p, s) => p + (s / (s + k)) ** 2, 0) }),
      signal: (k) => ({
        Q: sig.reduce((p, s, j) => p + (s * thetaStar[j]) ** 2 / (s + k), 0),
        dQ: -sig.reduce((p, s, j) => p + (s * thetaStar[j]) ** 2 / (s + k) ** 2, 0),
      }),
    });
    expect(de.ok).toBe(true);
    if (!de.ok) return;
    expect(de.approximationError).toBeCloseTo(0, 12);
    expect(Math.abs(de.risk - mean)).toBeLessThan(3 * se + 0.03 * mean);
  });

  it('rank = n with lambda = 0 is reported as the interpolation threshold', () => {
    const r = ridgeEquivalent({ n: 10, lambda: 0, rank: 10, trace: 10, targetSecondMoment: 1, noise: 0, traces: (k) => ({ df1: 10 / (1 + k), df2: 10 / (1 + k) ** 2 }), signal: (k) => ({ Q: 1 / (1 + k), dQ: -1 / (1 + k) ** 2 }) });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe('interpolation-threshold');
  });

  it('lambda -> infinity gives the null risk E f*^2 and train error -> E y^2', () => {
    const r = ridgeEquivalent({ n: 50, lambda: 1e10, rank: 20, trace: 20, targetSecondMoment: 0.7, noise: 0.1, traces: (k) => ({ df1: 20 / (1 + k), df2: 20 / (1 + k) ** 2 }), signal: (k) => ({ Q: 0.5 / (1 + k), dQ: -0.5 / (1 + k) ** 2 }) });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.risk).toBeCloseTo(0.7, 8);
      expect(r.trainError).toBeCloseTo(0.8, 8);
    }
  });
});

describe('per-neuron coefficients', () => {
  it('relu of scale s: m = s/sqrt(2 pi), l = 1/2, muPerp^2 = s^2 (1/2 - 1/(2 pi) - 1/4) (closed forms)', () => {
    const norms = [0.5, 1, 1, 1.7];
    const c = neuronCoefficients('relu', norms);
    norms.forEach((s, i) => {
      expect(c.mean[i]).toBeCloseTo(s / Math.sqrt(2 * Math.PI), 12);
      expect(c.linear[i]).toBeCloseTo(0.5, 12);
      expect(c.muPerp2[i]).toBeCloseTo(s * s * (0.5 - 1 / (2 * Math.PI) - 0.25), 12);
    });
  });
});

describe('finite-size (sampled W1) against the asymptotic Gaussian equivalent', () => {
  // The sampled version fluctuates from draw to draw (~3% at d = 500, from <beta*, W ...W^T beta*>);
  // average 6 independent draws and allow 3 standard errors + 2% (finite-size bias O(1/sqrt d)).
  const settings: [string, Record<string, unknown>][] = [
    ['tanh/tanh no step', { student: { activation: 'tanh' }, teacher: { kind: 'single-index', link: 'tanh' }, step: { eta: 0 }, psi: 1, alpha: 2, ridge: { lambda: 0.05 } }],
    ['tanh/tanh small step eta = 2', { student: { activation: 'tanh' }, teacher: { kind: 'single-index', link: 'tanh' }, step: { eta: 2, scaling: 'one' }, alpha0: 1, psi: 2, alpha: 1.5, ridge: { lambda: 0.02 } }],
    ['relu/relu small step, gaussian W0 and a0, noise', { student: { activation: 'relu' }, teacher: { kind: 'single-index', link: 'relu', noise: 0.1 }, init: { W: 'gaussian', a: 'gaussian' }, step: { eta: 2, scaling: 'one' }, alpha0: 2, psi: 1, alpha: 2, ridge: { lambda: 0.1 } }],
    ['relu/relu small step, constant a0 (spike along the mean)', { student: { activation: 'relu' }, teacher: { kind: 'single-index', link: 'relu' }, step: { eta: 3, scaling: 'one' }, alpha0: 2, psi: 1, alpha: 2, ridge: { lambda: 0.05 } }],
    ['relu-centered student, gaussian W0 (norm fluctuations fit the constant)', { student: { activation: 'relu-centered' }, teacher: { kind: 'single-index', link: 'relu' }, init: { W: 'gaussian', a: 'constant' }, step: { eta: 0 }, psi: 1.5, alpha: 2, ridge: { lambda: 0.01 } }],
  ];
  it.each(settings)('%s', (_name, raw) => {
    const config = resolveExperimentConfig({ d: 500, ...raw });
    const asym = gaussianEquivalentTheory(config);
    expect(asym.ok).toBe(true);
    const risks: number[] = [];
    for (let seed = 0; seed < 6; seed++) {
      const ge = sampleFiniteGe({ ...config, seed }, backend);
      const r = finiteGeRisk(ge, config.n, config.ridge.lambda, config.ridge.normalization);
      expect(r.ok).toBe(true);
      if (r.ok) risks.push(r.risk);
    }
    const { mean, se } = meanSe(risks);
    if (asym.ok) expect(Math.abs(asym.risk - mean)).toBeLessThan(3 * se + 0.02 * mean);
  });

  it('the global-coefficient model misses the constant for relu-centered with gaussian W0 (per-neuron matters)', () => {
    const raw = { d: 500, student: { activation: 'relu-centered' }, teacher: { kind: 'single-index', link: 'relu' }, step: { eta: 0 }, psi: 1.5, alpha: 2, ridge: { lambda: 0.01 } };
    const gauss = gaussianEquivalentTheory(resolveExperimentConfig({ ...raw, init: { W: 'gaussian' } }));
    const sphere = gaussianEquivalentTheory(resolveExperimentConfig({ ...raw, init: { W: 'sphere' } }));
    expect(gauss.ok && sphere.ok).toBe(true);
    if (gauss.ok && sphere.ok) expect(sphere.risk - gauss.risk).toBeGreaterThan(0.02);
  });

  it('the small step beats random features but not the linear floor (Ba et al. 2022)', () => {
    const raw = { d: 1000, student: { activation: 'tanh' }, teacher: { kind: 'single-index', link: 'tanh' }, alpha0: 2, psi: 1, alpha: 2, ridge: { lambda: 0.01 } };
    const rf = gaussianEquivalentTheory(resolveExperimentConfig({ ...raw, step: { eta: 0 } }));
    const step = gaussianEquivalentTheory(resolveExperimentConfig({ ...raw, step: { eta: 3, scaling: 'one' } }));
    expect(rf.ok && step.ok).toBe(true);
    if (rf.ok && step.ok) {
      expect(step.risk).toBeLessThan(rf.risk);
      expect(step.risk).toBeGreaterThan(0.0274);
    }
  });

  it('refuses the large step and several steps', () => {
    expect(() => gaussianEquivalentTheory(resolveExperimentConfig({ step: { eta: 1, scaling: 'sqrtN' } }))).toThrow(/step.scaling: Gaussian equivalence holds .* got "sqrtN"/);
    expect(() => gaussianEquivalentTheory(resolveExperimentConfig({ step: { eta: 1, scaling: 'one', steps: 2 } }))).toThrow(/step.steps/);
  });

  it('"sampled" without a backend is a clear error', () => {
    expect(() => gaussianEquivalentTheory(resolveExperimentConfig({ step: { eta: 0 }, theory: { spectrum: 'sampled' } }))).toThrow(/needs a linear-algebra backend/);
  });
});

describe('bad input', () => {
  it('a linear student is refused by the asymptotic version with the key and the way out', () => {
    expect(() => gaussianEquivalentTheory(resolveExperimentConfig({ d: 100, step: { eta: 0 }, student: { activation: 'linear' } }))).toThrow(/student.activation: "linear" is linear .* use theory.spectrum "sampled"/);
  });
});
