/**
 * The sRF weight draw (srf.md section 1, section 5): v is a unit vector with <v, beta*> = gamma exactly;
 * each neuron is w1_i = sqrt(c(s_i)) w0_i + r(s_i) v, checked entry by entry; for unit w0_i the squared
 * norms are c + r^2 up to the O(1/sqrt d) cross term.
 */
import { describe, expect, it } from 'vitest';
import { foldIn, rootKey } from '../../src/random/index.js';
import { getActivation } from '../../src/activations/index.js';
import { drawA0, drawW0 } from '../../src/models/init.js';
import { drawSingleIndexTeacher } from '../../src/models/teacher.js';
import { drawSpikeDirection, srfWeights } from '../../src/simulate/srf-features.js';

describe('sRF weights', () => {
  const d = 400;
  const N = 300;
  const key = rootKey(21);
  const teacher = drawSingleIndexTeacher(foldIn(key, 't'), d, getActivation('tanh'), 0);

  it('spike direction: unit norm, <v, beta*> = gamma', () => {
    for (const gamma of [0, 0.37, -0.8, 1]) {
      const v = drawSpikeDirection(foldIn(key, 'v'), teacher.betaStar, gamma);
      let vv = 0;
      let vb = 0;
      for (let j = 0; j < d; j++) {
        vv += v[j] * v[j];
        vb += v[j] * teacher.betaStar[j];
      }
      expect(vv).toBeCloseTo(1, 13);
      expect(vb).toBeCloseTo(gamma, 13);
    }
    expect(() => drawSpikeDirection(key, teacher.betaStar, 1.2)).toThrow(/gamma must lie in \[-1, 1\], got 1.2/);
  });

  it('w1_i = sqrt(c(s_i)) w0_i + r(s_i) v with s_i = sqrt(N) a0_i; squared norms c + r^2 for unit w0_i', () => {
    const W0 = drawW0(foldIn(key, 'W'), d, N, 'sphere');
    const a0 = drawA0(foldIn(key, 'a'), N, 'rademacher');
    const v = drawSpikeDirection(foldIn(key, 'v'), teacher.betaStar, 0.6);
    const neuron = (s: number) => ({ c: 1.5 + 0.2 * s, r: 0.8 * s });
    const W1 = srfWeights(W0, a0, v, neuron);
    let maxErr = 0;
    let maxNormErr = 0;
    for (let i = 0; i < N; i++) {
      const s = Math.sqrt(N) * a0[i];
      const { c, r } = neuron(s);
      let n2 = 0;
      for (let j = 0; j < d; j++) {
        const w = W1.data[j * N + i];
        maxErr = Math.max(maxErr, Math.abs(w - (Math.sqrt(c) * W0.data[j * N + i] + r * v[j])));
        n2 += w * w;
      }
      maxNormErr = Math.max(maxNormErr, Math.abs(n2 - (c + r * r)));
    }
    expect(maxErr).toBeLessThan(1e-14);
    // 2 sqrt(c) r <w0_i, v>, with <w0_i, v> ~ N(0, 1/d): below 2 * 1.3 * 0.8 * 5 / sqrt(d) = 0.52 for every neuron.
    expect(maxNormErr).toBeLessThan(0.52);
  });

  it('refuses a negative bulk variance, naming the neuron', () => {
    const W0 = drawW0(foldIn(key, 'W'), d, N, 'sphere');
    const a0 = drawA0(foldIn(key, 'a'), N, 'constant');
    expect(() => srfWeights(W0, a0, teacher.betaStar, () => ({ c: -1, r: 0 }))).toThrow(/sRF: neuron 0: expected c >= 0 and a finite r, got c = -1/);
  });
});
