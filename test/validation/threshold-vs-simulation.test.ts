/**
 * delta_NN reconstruction (multi-index.md section 5) against simulated Hessians: phase retrieval, one tanh
 * neuron, log-cosh loss, at the initial point (w ~ N(0, I/d), a = 1): the predicted bottom of the Hessian
 * (outlier along Theta* above delta_NN ≈ 24.9, bulk edge below) vs Lanczos on the exact Hessian-vector
 * products of src/simulate/dynamics (the other witness) at d = 500.
 *
 * What the reconstruction leaves out: the Hessian restricted to span(w)^perp. The full Hessian also has the
 * direction of w itself, which gives one more eigenvalue (with ~0 overlap with Theta*) — below the bulk at
 * delta = 60 here. We therefore compare the eigenvalue whose eigenvector has the largest Theta* overlap
 * with the predicted outlier. Finding (docs/thresholds.md): the predicted squared overlap matches at
 * d = 500, while the eigenvalues fluctuate strongly between seeds (the bottom of the spectrum is set by
 * the few samples near the extreme of -A); scripts/validate-thresholds.mjs measures the trend in d.
 */
import { describe, expect, it } from 'vitest';
import { getActivation } from '../../src/activations/index.js';
import { resolveDynamicsConfig } from '../../src/models/dynamics-config.js';
import { getMultiIndexTarget } from '../../src/models/multi-index-teacher.js';
import { hessianSpectrum, setupDynamics } from '../../src/simulate/dynamics/index.js';
import { bottomPrediction, deltaNN, hessianLaw, initialPhaseOnePoint } from '../../src/theory/multi-index/index.js';

const law = hessianLaw(getMultiIndexTarget('phase-retrieval'), 0, getActivation('tanh'), { name: 'logcosh' }, initialPhaseOnePoint(1, 1, 1));

function simulate(delta: number, seed: number, activation = 'tanh') {
  const cfg = resolveDynamicsConfig({ d: 500, delta, width: 1, student: { activation }, teacher: { kind: 'multi-index', link: 'phase-retrieval' }, training: { loss: 'logcosh' }, init: { scale: 1 }, seed });
  const setup = setupDynamics(cfg);
  const h = hessianSpectrum(setup, setup.theta0, { k: 6, which: 'smallest', dense: false, tol: 1e-8, maxIterations: 600, seed, unlearned: null });
  expect(h.smallest?.ok).toBe(true);
  return h.smallest!.eigen;
}

describe('bottom of the Hessian at d = 500: theory vs Lanczos', () => {
  it('delta = 60 (above delta_NN): an outlier along Theta* with the predicted overlap, below the rest', () => {
    const p = bottomPrediction(law, 60);
    expect(p.outlier).toBe(true);
    for (const seed of [1, 2]) {
      const eig = simulate(60, seed);
      const spike = eig.reduce((a, b) => (b.thetaStar > a.thetaStar ? b : a));
      // the squared overlap converges fast: 0.33 predicted, 0.31-0.39 over seeds 1-4 at d = 500
      expect(Math.abs(spike.thetaStar - p.overlap2)).toBeLessThan(0.1);
      // it is an outlier: below every other eigenvalue except the w-direction one (overlap ~ 0, far below)
      const others = eig.filter((e) => e !== spike && e.value > 2 * p.bulkEdge);
      for (const e of others) expect(spike.value).toBeLessThan(e.value);
      // the eigenvalue itself fluctuates strongly between seeds at d = 500 (-0.024, -0.016, -0.025, -0.011 for
      // seeds 1-4, prediction -0.0236; docs/thresholds.md): a loose band only
      expect(Math.abs(spike.value - p.bottomEigenvalue)).toBeLessThan(0.6 * Math.abs(p.bottomEigenvalue));
    }
  }, 60000);

  it('delta = 8 (below delta_NN): no outlier, the smallest eigenvalue near the predicted edge with ~0 overlap', () => {
    const p = bottomPrediction(law, 8);
    expect(p.outlier).toBe(false);
    const eig = simulate(8, 1);
    expect(Math.abs(eig[0].value - p.bulkEdge)).toBeLessThan(0.15 * Math.abs(p.bulkEdge));
    for (const e of eig) expect(e.thetaStar).toBeLessThan(0.1);
  }, 60000);
});

describe('relu (sigma\'\' = 0 almost everywhere): positive semi-definite weights, no transition, and the bulk at d = 500', () => {
  const reluLaw = hessianLaw(getMultiIndexTarget('phase-retrieval'), 0, getActivation('relu'), { name: 'logcosh' }, initialPhaseOnePoint(1, 1, 1));

  it('delta_NN reports "psd-weights" instead of a number or an exception', () => {
    expect(reluLaw.psd).toBe(true);
    expect(law.psd).toBe(false);
    const r = deltaNN(reluLaw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe('psd-weights');
  });

  it('delta = 1.5: the predicted bulk reaches 0 (delta P(relu\' != 0) = 0.75 < 1), and the simulated Hessian is singular', () => {
    const p = bottomPrediction(reluLaw, 1.5);
    expect(p.bulkEdge).toBe(0);
    expect(p.edgeMargin).toBeNull();
    // rank of the data part <= #{i: <w, x_i> > 0} ~ 0.75 d < d: exact zeros, up to Lanczos' 1e-8 tolerance
    const eig = simulate(1.5, 1, 'relu');
    expect(Math.abs(eig[0].value)).toBeLessThan(1e-8);
  }, 60000);

  it('delta = 8: the smallest simulated eigenvalue sits at the predicted edge (5%)', () => {
    const p = bottomPrediction(reluLaw, 8);
    expect(p.outlier).toBe(false);
    expect(p.bulkEdge).toBeGreaterThan(0);
    // measured: 0.0572 at d = 500 and 0.0565 at d = 1000 (seed 1) against 0.0564 predicted; the soft edge
    // fluctuates on the scale d^(-2/3) of the spectrum's width (~2% here), hence 5%
    const eig = simulate(8, 1, 'relu');
    expect(Math.abs(eig[0].value - p.bulkEdge)).toBeLessThan(0.05 * p.bulkEdge);
    for (const e of eig) expect(e.value).toBeGreaterThan(-1e-10);
  }, 60000);
});
