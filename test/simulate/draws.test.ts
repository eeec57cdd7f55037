/**
 * Draws of the data model and the initialisation (src/models/teacher.ts, init.ts): norms and variances
 * as the spec defines them (one-step.md section 1), chunk invariance of input batches, label noise.
 */
import { describe, expect, it } from 'vitest';
import { getBackend } from '../../src/linalg/index.js';
import { getActivation } from '../../src/activations/index.js';
import { foldIn, rootKey } from '../../src/random/index.js';
import { drawA0, drawW0 } from '../../src/models/init.js';
import { drawGaussianInputs, drawSingleIndexTeacher, teacherLabels } from '../../src/models/teacher.js';

const backend = getBackend();

describe('drawW0', () => {
  it('"sphere": every column has unit norm; float32 is the float64 draw rounded', () => {
    const W = drawW0(rootKey(1), 40, 25, 'sphere');
    for (let i = 0; i < 25; i++) {
      let s = 0;
      for (let j = 0; j < 40; j++) s += W.data[j * 25 + i] ** 2;
      expect(s).toBeCloseTo(1, 13);
    }
    const W32 = drawW0(rootKey(1), 40, 25, 'sphere', 'float32');
    expect(W32.data).toBeInstanceOf(Float32Array);
    expect(Array.from(W32.data)).toEqual(Array.from(W.data, (v) => Math.fround(v)));
  });

  it('"gaussian": entries with variance 1/d (mean squared entry within 5 standard errors)', () => {
    const d = 200;
    const N = 300;
    const W = drawW0(rootKey(2), d, N, 'gaussian');
    let s = 0;
    for (const v of W.data) s += v * v;
    const meanSq = (s / W.data.length) * d; // ~ 1, standard error sqrt(2 / (d N))
    expect(Math.abs(meanSq - 1)).toBeLessThan(5 * Math.sqrt(2 / (d * N)));
  });
});

describe('drawA0', () => {
  it('constant 1/sqrt(N), rademacher ±1/sqrt(N) (both signs), gaussian with variance 1/N', () => {
    const N = 4000;
    expect(Array.from(drawA0(rootKey(1), N, 'constant')).every((v) => v === 1 / Math.sqrt(N))).toBe(true);
    const r = drawA0(rootKey(1), N, 'rademacher');
    expect(Array.from(r).every((v) => Math.abs(Math.abs(v) - 1 / Math.sqrt(N)) < 1e-18)).toBe(true);
    const plus = Array.from(r).filter((v) => v > 0).length;
    expect(Math.abs(plus - N / 2)).toBeLessThan(5 * Math.sqrt(N / 4));
    const g = drawA0(rootKey(1), N, 'gaussian');
    const ms = Array.from(g).reduce((s, v) => s + v * v, 0);
    expect(Math.abs(ms - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
  });
});

describe('teacher and inputs', () => {
  it('beta* has unit norm', () => {
    const t = drawSingleIndexTeacher(rootKey(5), 77, getActivation('relu'), 0);
    expect(t.betaStar.reduce((s, v) => s + v * v, 0)).toBeCloseTo(1, 14);
  });

  it('a batch drawn in row chunks equals the batch drawn at once (inputs and label noise)', () => {
    const d = 13;
    const key = rootKey(8);
    const teacher = drawSingleIndexTeacher(foldIn(key, 't'), d, getActivation('tanh'), 0.3);
    const whole = drawGaussianInputs(foldIn(key, 'X'), 10, d, 'float64');
    const yWhole = teacherLabels(backend, teacher, whole, foldIn(key, 'noise')).y;
    const a = drawGaussianInputs(foldIn(key, 'X'), 4, d, 'float64', 0);
    const b = drawGaussianInputs(foldIn(key, 'X'), 6, d, 'float64', 4);
    expect([...a.data, ...b.data]).toEqual([...whole.data]);
    const ya = teacherLabels(backend, teacher, a, foldIn(key, 'noise'), 0).y;
    const yb = teacherLabels(backend, teacher, b, foldIn(key, 'noise'), 4).y;
    expect([...ya, ...yb]).toEqual([...yWhole]);
  });

  it('labels: fStar = link(<beta*, x>) by explicit loops; y - fStar has variance Delta', () => {
    const d = 9;
    const n = 20000;
    const key = rootKey(9);
    const teacher = drawSingleIndexTeacher(foldIn(key, 't'), d, getActivation('relu'), 0.25);
    const X = drawGaussianInputs(foldIn(key, 'X'), n, d, 'float64');
    const { fStar, y } = teacherLabels(backend, teacher, X, foldIn(key, 'noise'));
    for (let i = 0; i < 50; i++) {
      let z = 0;
      for (let j = 0; j < d; j++) z += X.data[i * d + j] * teacher.betaStar[j];
      expect(fStar[i]).toBeCloseTo(Math.max(0, z), 14);
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += (y[i] - fStar[i]) ** 2;
    // Sample variance of Delta xi^2: standard error Delta sqrt(2/n).
    expect(Math.abs(s / n - 0.25)).toBeLessThan(5 * 0.25 * Math.sqrt(2 / n));
    const noiseless = teacherLabels(backend, teacher, X, null);
    expect(noiseless.y).toEqual(noiseless.fStar);
  });
});
