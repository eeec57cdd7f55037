import { describe, expect, it } from 'vitest';
import * as featlearn from '../src/index.js';

describe('library surface', () => {
  it('runs a small simulation and its theory through the top-level exports', async () => {
    const config = featlearn.resolveExperimentConfig({ d: 200, psi: 1, alpha0: 0.5, alpha: 1.5, step: { eta: 1 }, report: { baselines: false, anatomy: false } });
    const sim = await featlearn.simulate(config, { seeds: 2 });
    const th = featlearn.theory(config);
    expect(th.ok).toBe(true);
    expect(sim.runs).toHaveLength(2);
    // d = 200: theory and simulation agree only to finite-size accuracy (~1/sqrt(d) ~ 7%); this checks the
    // wiring (same config, same units), not the theory, which test/validation checks properly.
    const simRisk = (sim.summary.risk as { mean: number }).mean;
    expect(Math.abs(simRisk - (th.risk as number)) / (th.risk as number)).toBeLessThan(0.25);
  });

  it('exposes each layer as a namespace', () => {
    expect(typeof featlearn.linalg.getBackend).toBe('function');
    expect(typeof featlearn.random.fillNormal).toBe('function');
    expect(typeof featlearn.numerics.gaussHermite).toBe('function');
    expect(typeof featlearn.simulation.negativeGradient).toBe('function');
    expect(typeof featlearn.theoryEngine.srfTheory).toBe('function');
    expect(typeof featlearn.store.openStore).toBe('function');
  });
});
