/**
 * The step anatomy and the top-k singular value routine:
 * - topSingular against LAPACK's full SVD (svdvals) to 1e-8 relative on random matrices, both algorithms;
 * - identities for a planted rank-one update (W1 - W0 = theta u a^T exactly: its top singular vector IS u);
 * - planted spikes W1 = W0 + theta u a^T (W0 with N(0, 1/d) entries) against the rectangular BBP formulas
 *   of one-step.md section 2 at d = 1000, averaged over 3 seeds. Tolerances: per-seed standard deviations
 *   measured with numpy at this size are ~0.03 for s1 and ~0.035 for the overlaps (c = 0.5, theta = 1.5),
 *   so 3 seeds give standard errors ~0.02; we allow 0.07 (about 3.5 s.e., finite-size bias included).
 */
import { describe, expect, test } from 'vitest';
import { getBackend } from '../../src/linalg/index.js';
import type { Matrix } from '../../src/linalg/matrix.js';
import { fillNormal, foldIn, normalMatrix, rootKey } from '../../src/random/index.js';
import { topSingular } from '../../src/linalg/top-singular.js';
import { stepAnatomy } from '../../src/simulate/anatomy.js';

const backend = getBackend();

function unit(key: ReturnType<typeof rootKey>, n: number): Float64Array {
  const v = fillNormal(key, new Float64Array(n));
  const s = Math.sqrt(v.reduce((acc, x) => acc + x * x, 0));
  return v.map((x) => x / s);
}

function planted(seed: number, d: number, N: number, theta: number): { W0: Matrix<Float64Array>; W1: Matrix<Float64Array>; u: Float64Array; a: Float64Array } {
  const key = rootKey(seed);
  const W0 = normalMatrix(foldIn(key, 'W0'), d, N, { std: 1 / Math.sqrt(d) });
  const u = unit(foldIn(key, 'u'), d);
  const a = unit(foldIn(key, 'a'), N);
  const W1 = { rows: d, cols: N, data: W0.data.slice() };
  for (let r = 0; r < d; r++) for (let i = 0; i < N; i++) W1.data[r * N + i] += theta * u[r] * a[i];
  return { W0, W1, u, a };
}

describe('topSingular', () => {
  const shapes: [number, number, number, 'auto' | 'block-lanczos' | 'gram-eigh'][] = [
    [300, 200, 5, 'auto'],
    [200, 300, 5, 'auto'],
    [400, 300, 10, 'block-lanczos'],
    [250, 500, 1, 'block-lanczos'],
    [350, 350, 8, 'block-lanczos'],
    [120, 90, 90, 'gram-eigh'],
  ];
  test.each(shapes)('%i x %i, k = %i (%s): equals svdvals to 1e-8 relative; A v = s u', (m, n, k, method) => {
    const A = normalMatrix(rootKey(m * 1000 + n), m, n);
    const ref = backend.svdvals(A);
    const res = topSingular(A, k, backend, { vectors: 'both', method });
    if (method !== 'auto') expect(res.method).toBe(method);
    for (let j = 0; j < k; j++) expect(Math.abs(res.values[j] - ref[j]) / ref[j], `sigma_${j + 1}`).toBeLessThan(1e-8);
    // singular triplets: |A v_j - s_j u_j| small and |u_j| = 1 (vectors of a gapless bulk are only checked this way)
    const U = res.U as Matrix<Float64Array>;
    const V = res.V as Matrix<Float64Array>;
    for (let j = 0; j < Math.min(k, 3); j++) {
      let err = 0;
      let un = 0;
      for (let r = 0; r < m; r++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += A.data[r * n + i] * V.data[i * k + j];
        err += (s - res.values[j] * U.data[r * k + j]) ** 2;
        un += U.data[r * k + j] ** 2;
      }
      expect(Math.sqrt(err) / res.values[j]).toBeLessThan(1e-6);
      expect(Math.abs(un - 1)).toBeLessThan(1e-6);
    }
  });

  test('an outlier and its vectors converge quickly: spiked 600 x 500, top vector = the plant to O(1/theta^2)', () => {
    const { W1, u } = planted(11, 600, 500, 6);
    const res = topSingular(W1, 1, backend, { vectors: 'left', method: 'block-lanczos' });
    const ref = backend.svd(W1);
    expect(Math.abs(res.values[0] - ref.s[0]) / ref.s[0]).toBeLessThan(1e-10);
    let ov = 0;
    let ovRef = 0;
    for (let r = 0; r < 600; r++) {
      ov += (res.U as Matrix<Float64Array>).data[r] * u[r];
      ovRef += ref.U.data[r * ref.U.cols] * u[r];
    }
    expect(Math.abs(ov ** 2 - ovRef ** 2)).toBeLessThan(1e-8);
    expect(res.dimension).toBeLessThan(100);
  });

  test('an exactly low-rank matrix (invariant Krylov space): top values exact, the rest zero to sqrt(eps)', () => {
    const m = 400;
    const n = 300;
    const L = normalMatrix(rootKey(31), m, 2);
    const R = normalMatrix(rootKey(32), 2, n);
    const A = { rows: m, cols: n, data: new Float64Array(m * n) };
    backend.gemm(false, false, 1, L, R, 0, A);
    const ref = backend.svdvals(A);
    const res = topSingular(A, 4, backend, { method: 'block-lanczos' });
    for (let j = 0; j < 2; j++) expect(Math.abs(res.values[j] - ref[j]) / ref[j]).toBeLessThan(1e-10);
    for (let j = 2; j < 4; j++) expect(res.values[j]).toBeLessThan(1e-6 * ref[0]);
  });

  test('bad k and non-finite entries are refused with the value', () => {
    const A = normalMatrix(rootKey(3), 10, 6);
    expect(() => topSingular(A, 7, backend)).toThrow(/k: expected an integer in \[1, min\(rows, cols\) = 6\], got 7/);
    expect(() => topSingular(A, 0, backend)).toThrow(/got 0/);
    const B = { rows: 2, cols: 2, data: new Float64Array([1, NaN, 0, 1]) };
    expect(() => topSingular(B, 1, backend)).toThrow(/non-finite entry NaN at \(0, 1\)/);
    expect(() => topSingular(A, 1, backend, { method: 'qr' as never })).toThrow(/method: expected one of/);
  });
});

describe('stepAnatomy', () => {
  test('identities for an exact rank-one update, the gradient scaling, cos^2(u, beta*) and neuron norms', () => {
    const d = 120;
    const N = 80;
    const theta = 2.5;
    const { W0, W1, u, a } = planted(5, d, N, theta);
    const G = { rows: d, cols: N, data: new Float64Array(d * N) };
    for (let q = 0; q < G.data.length; q++) G.data[q] = (W1.data[q] - W0.data[q]) / (0.5 * Math.sqrt(N)); // W1 = W0 + 0.5 sqrt(N) G
    // beta* with cos^2(u, beta*) = 0.36 exactly: beta* = 0.6 u + 0.8 e, e unit and orthogonal to u
    const e0 = unit(foldIn(rootKey(5), 'e'), d);
    const proj = e0.reduce((s, x, r) => s + x * u[r], 0);
    const e = e0.map((x, r) => x - proj * u[r]);
    const en = Math.sqrt(e.reduce((s, x) => s + x * x, 0));
    const beta = u.map((x, r) => 0.6 * x + (0.8 * e[r]) / en);
    const uScaled = u.map((x) => 3 * x);
    const an = stepAnatomy({ W0, W1, G, u: uScaled, a0: a.map((x) => -2 * x), betaStar: beta, top: 3, fullSpectrum: true }, backend);
    expect(an.update.top[0]).toBeCloseTo(theta, 10);
    // zero singular values come out at ~sqrt(eps) sigma_1 (Gram/Krylov on A^T A squares them)
    expect(an.update.top[1]).toBeLessThan(1e-6 * theta);
    expect(an.gradient.top[0]).toBeCloseTo(2 * theta, 9); // sqrt(N) G = 2 (W1 - W0)
    expect(an.alignment.updateU).toBeCloseTo(1, 10);
    expect(an.alignment.updateRightA0).toBeCloseTo(1, 10);
    expect(an.alignment.updateBeta).toBeCloseTo(0.36, 10);
    expect(an.alignment.uBeta).toBeCloseTo(0.36, 12);
    expect(an.u.norm).toBeCloseTo(3, 12);
    expect(an.u.betaOverlap).toBeCloseTo(1.8, 12);
    // full spectra: descending, their heads equal the top values
    const ref = backend.svdvals(W1);
    expect(an.W1.all?.length).toBe(N);
    for (let j = 0; j < 3; j++) {
      expect(Math.abs(an.W1.top[j] - ref[j]) / ref[j]).toBeLessThan(1e-10);
      expect(Math.abs((an.W1.all as number[])[j] - ref[j])).toBeLessThan(1e-12);
    }
    // neuron norms against a direct computation
    const norms = Array.from({ length: N }, (_, i) => Math.sqrt(Array.from({ length: d }, (_, r) => W1.data[r * N + i] ** 2).reduce((s, x) => s + x, 0)));
    const mean = norms.reduce((s, x) => s + x, 0) / N;
    expect(an.neuronNorms.mean).toBeCloseTo(mean, 12);
    expect(an.neuronNorms.min).toBeCloseTo(Math.min(...norms), 12);
    expect(an.neuronNorms.max).toBeCloseTo(Math.max(...norms), 12);
    expect(an.neuronNorms.std).toBeCloseTo(Math.sqrt(norms.reduce((s, x) => s + (x - mean) ** 2, 0) / N), 12);
  });

  // one-step.md section 2: s1 = sqrt((1 + theta^2)(c + theta^2)) / theta above theta = c^(1/4), else the bulk
  // edge 1 + sqrt(c); squared overlaps 1 - (c + theta^2) / (theta^2 (theta^2 + 1)) (left, with u) and
  // 1 - c (1 + theta^2) / (theta^2 (theta^2 + c)) (right, with a), 0 below the threshold.
  const bbp: [number, number, number][] = [
    [1000, 1000, 2],
    [1000, 500, 1.5],
    [500, 1000, 1.0], // c = 2: theta < c^(1/4) = 1.19, no outlier
  ];
  test.each(bbp)('planted spike d = %i, N = %i, theta = %f: BBP outlier and overlaps within 0.07 (3 seeds)', (d, N, theta) => {
    const c = N / d;
    const above = theta > c ** 0.25;
    const s1 = above ? Math.sqrt((1 + theta ** 2) * (c + theta ** 2)) / theta : 1 + Math.sqrt(c);
    const left = above ? 1 - (c + theta ** 2) / (theta ** 2 * (theta ** 2 + 1)) : 0;
    const right = above ? 1 - (c * (1 + theta ** 2)) / (theta ** 2 * (theta ** 2 + c)) : 0;
    let sumS = 0;
    let sumL = 0;
    let sumR = 0;
    const seeds = [21, 22, 23];
    for (const seed of seeds) {
      const { W0, W1, u, a } = planted(seed, d, N, theta);
      const G = { rows: d, cols: N, data: new Float64Array(d * N) };
      for (let q = 0; q < G.data.length; q++) G.data[q] = W1.data[q] - W0.data[q];
      const an = stepAnatomy({ W0, W1, G, u, a0: a, betaStar: u, top: 1 }, backend);
      sumS += an.W1.top[0];
      sumL += an.alignment.W1U;
      sumR += an.alignment.W1RightA0;
      expect(an.alignment.W1Beta).toBeCloseTo(an.alignment.W1U, 12); // betaStar = u here
    }
    const n = seeds.length;
    expect(Math.abs(sumS / n - s1), `s1 ${sumS / n} vs ${s1}`).toBeLessThan(0.07);
    expect(Math.abs(sumL / n - left), `left overlap ${sumL / n} vs ${left}`).toBeLessThan(0.07);
    expect(Math.abs(sumR / n - right), `right overlap ${sumR / n} vs ${right}`).toBeLessThan(0.07);
  });

  test('bad input names the parameter', () => {
    const { W0, W1, u, a } = planted(1, 20, 10, 1);
    const G = W0;
    expect(() => stepAnatomy({ W0, W1, G: normalMatrix(rootKey(1), 20, 9), u, a0: a, betaStar: u }, backend)).toThrow(/G is 20 x 9, expected d x N = 20 x 10/);
    expect(() => stepAnatomy({ W0, W1, G, u: new Float64Array(3), a0: a, betaStar: u }, backend)).toThrow(/u has length 3, expected 20/);
    expect(() => stepAnatomy({ W0, W1, G, u, a0: a, betaStar: u, top: 11 }, backend)).toThrow(/top must be an integer in \[1, min\(d, N\) = 10\], got 11/);
    const bad = a.slice();
    bad[2] = NaN;
    expect(() => stepAnatomy({ W0, W1, G, u, a0: bad, betaStar: u }, backend)).toThrow(/a0\[2\] is NaN/);
  });
});
