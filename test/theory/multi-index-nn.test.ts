/**
 * delta_NN (multi-index.md section 5, our reconstruction): the matrix machinery (bulk branch, outlier
 * determinant, bisection) against the independent scalar spectral-threshold code (section 4) on the same
 * law at m = 1, and at m = 2 when one neuron is inert (a_2 = 0: H = H_1 ⊕ 0, so the spectrum below 0 is that
 * of the one-neuron weights A_11); loss derivatives against finite differences; refusals.
 */
import { describe, expect, it } from 'vitest';
import { getActivation } from '../../src/activations/index.js';
import { getMultiIndexTarget } from '../../src/models/multi-index-teacher.js';
import { rootKey } from '../../src/random/key.js';
import { bottomPrediction, deltaNN, deltaNNSignCheck, hessianLaw, initialPhaseOnePoint, lossDerivatives, type HessianLaw, type NNLoss } from '../../src/theory/multi-index/delta-nn.js';
import { spectralPrediction, spectralThreshold, type WeightLaw } from '../../src/theory/multi-index/spectral.js';

const pr = getMultiIndexTarget('phase-retrieval');
const tanh = getActivation('tanh');

/** The scalar law of Z = -A_jj (the top of -H is minus the bottom of H) on the same points. */
function scalarLaw(law: HessianLaw, j: number): WeightLaw {
  const m = law.m;
  const Z = new Float64Array(law.S);
  let tau = -Infinity;
  for (let s = 0; s < law.S; s++) {
    Z[s] = -law.A[s * m * m + j * m + j];
    tau = Math.max(tau, Z[s]);
  }
  return { k: 1, Z, g: law.g, w: law.w, tau, tauKind: 'given', method: 'monte-carlo' };
}

describe('delta_NN: m = 1 equals the spectral threshold of T = -A', () => {
  const law = hessianLaw(pr, 0, tanh, { name: 'logcosh' }, initialPhaseOnePoint(1, 1, 1), { method: 'monte-carlo', samples: 4000, key: rootKey(7) });
  const wl = scalarLaw(law, 0);

  it('the weights are bounded for the log-cosh loss with tanh', () => {
    expect(law.unbounded).toBe(false);
    expect(law.ku).toBe(1);
  });

  it('delta_NN = delta_T to the bisection tolerance', () => {
    const t = spectralThreshold(wl);
    const r = deltaNN(law, { relTol: 1e-5 });
    expect(t.transition).toBe(true);
    expect(r.ok).toBe(true);
    if (!t.transition || !r.ok) return;
    expect(Math.abs(r.deltaNN / t.deltaT - 1)).toBeLessThan(1e-4);
  });

  it('bulk edge, outlier and overlap equal -psi(l_bar), -psi(l*), psi\'/(psi\' - phi\') below and above the threshold', () => {
    for (const delta of [3, 60]) {
      const b = bottomPrediction(law, delta);
      const s = spectralPrediction(wl, delta);
      expect(b.outlier).toBe(s.outlier);
      expect(Math.abs(b.bulkEdge + s.bulkEdge)).toBeLessThan(1e-9 * (1 + Math.abs(s.bulkEdge)));
      expect(Math.abs(b.bottomEigenvalue + s.topEigenvalue)).toBeLessThan(1e-9 * (1 + Math.abs(s.topEigenvalue)));
      expect(Math.abs(b.overlap2 - s.overlap2)).toBeLessThan(1e-5);
    }
  });
});

describe('delta_NN: m = 2 with an inert neuron reduces to the one-neuron weights', () => {
  it('bottom of H (edge, outlier, overlap) equals the scalar prediction for A_11 on the same points', () => {
    const point = { M: [[0], [0]], Q: [[1, 0], [0, 1]], a: [1, 0], b: 0 };
    const law = hessianLaw(pr, 0, tanh, { name: 'logcosh' }, point, { method: 'monte-carlo', samples: 2500, key: rootKey(8) });
    const wl = scalarLaw(law, 0);
    const delta = 60;
    const b = bottomPrediction(law, delta);
    const s = spectralPrediction(wl, delta);
    expect(s.outlier).toBe(true);
    expect(b.outlier).toBe(true);
    expect(Math.abs(b.bulkEdge + s.bulkEdge)).toBeLessThan(1e-7);
    expect(Math.abs(b.bottomEigenvalue + s.topEigenvalue)).toBeLessThan(1e-7);
    expect(Math.abs(b.overlap2 - s.overlap2)).toBeLessThan(1e-4);
  });
});

describe('Hessian weights and refusals', () => {
  it('loss derivatives in f match central finite differences of the losses', () => {
    const losses: [NNLoss, (r: number) => number][] = [
      [{ name: 'square' }, (r) => r * r / 2],
      [{ name: 'huber', delta: 0.7 }, (r) => (Math.abs(r) <= 0.7 ? r * r / 2 : 0.7 * (Math.abs(r) - 0.35))],
      [{ name: 'logcosh' }, (r) => Math.log(Math.cosh(r))],
    ];
    for (const [loss, ell] of losses) {
      for (const [y, f] of [[0.3, 1.2], [2, -0.4], [1, 0.9]]) {
        const h = 1e-4;
        const L = (ff: number): number => ell(ff - y);
        const [d1, d2] = lossDerivatives(loss, y, f);
        expect(Math.abs(d1 - (L(f + h) - L(f - h)) / (2 * h))).toBeLessThan(1e-7);
        expect(Math.abs(d2 - (L(f + h) - 2 * L(f) + L(f - h)) / (h * h))).toBeLessThan(1e-4);
      }
    }
  });

  it('square loss with unbounded labels: no transition (reported), and predictions refuse', () => {
    const law = hessianLaw(pr, 0, tanh, { name: 'square' }, initialPhaseOnePoint(1, 1, 1), { method: 'monte-carlo', samples: 500 });
    expect(law.unbounded).toBe(true);
    const r = deltaNN(law);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe('unbounded');
    expect(() => bottomPrediction(law, 2)).toThrow(/unbounded/);
  });

  it('everything learned: nothing to predict', () => {
    const law = hessianLaw(pr, 0, tanh, { name: 'logcosh' }, { M: [[1]], Q: [[0.5]], a: [1], b: 0 }, { method: 'monte-carlo', samples: 500 });
    expect(law.ku).toBe(0);
    const r = deltaNN(law);
    expect(!r.ok && r.reason).toBe('no-unlearned-directions');
  });

  it('bad phase-1 points are refused with the parameter named', () => {
    const loss: NNLoss = { name: 'logcosh' };
    expect(() => hessianLaw(pr, 0, tanh, loss, { M: [[0, 0]], Q: [[1]], a: [1], b: 0 })).toThrow(/phase1.M must be an m x k = 1 x 1 array/);
    expect(() => hessianLaw(pr, 0, tanh, loss, { M: [[0], [0]], Q: [[1, 2], [2, 1]], a: [1, 1], b: 0 })).toThrow(/phase1.Q must be positive semidefinite/);
    expect(() => hessianLaw(pr, 0, tanh, loss, { M: [[0]], Q: [[1]], a: [NaN], b: 0 })).toThrow(/finite numbers/);
    expect(() => hessianLaw(pr, -2, tanh, loss, initialPhaseOnePoint(1, 1, 1))).toThrow(/noise must be a finite number >= 0, got -2/);
    expect(() => initialPhaseOnePoint(0, 1, 1)).toThrow(/width must be a positive integer, got 0/);
    const law = hessianLaw(pr, 0, tanh, loss, initialPhaseOnePoint(1, 1, 1), { method: 'monte-carlo', samples: 500 });
    expect(() => bottomPrediction(law, 0)).toThrow(/delta must be a finite number > 0, got 0/);
  });
});

describe('deltaNNSignCheck: the outlier must be absent just below delta_NN and present just above', () => {
  // m = 1, tanh, log-cosh, 2-D quadrature law: a smooth edge margin with one sign change (delta_NN ≈ 24.86)
  const law = hessianLaw(pr, 0, tanh, { name: 'logcosh' }, initialPhaseOnePoint(1, 1, 1));
  const r = deltaNN(law, { relTol: 1e-6 });

  it('a clean sign change passes', () => {
    expect(r.ok).toBe(true);
    if (r.ok) expect(deltaNNSignCheck(law, r.deltaNN)).toEqual({ monotone: true, flips: [] });
  });

  it('a wrong value is caught: at 1.6 delta_NN the outlier is already there on its left', () => {
    if (!r.ok) throw new Error(r.message);
    const c = deltaNNSignCheck(law, 1.6 * r.deltaNN);
    expect(c.monotone).toBe(false);
    expect(c.flips.map((f) => f.outlier)).toEqual([true, true]);
    for (const f of c.flips) expect(f.delta).toBeLessThan(1.6 * r.deltaNN);
  });
});
