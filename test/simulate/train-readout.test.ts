/**
 * step.trainReadout in the whole run (one-step.md section 1 step 4: "a stays at a0 during the steps unless
 * step.trainReadout is true"): with two or more steps the moved readout changes the second step, hence W
 * and the risk; with one step it cannot (both gradients are taken at (W0, a0) and the ridge refits a), and
 * the run says so. The update rule itself is checked in protocol.test.ts (finite differences, explicit steps).
 */
import { describe, expect, it } from 'vitest';
import { getBackend } from '../../src/linalg/index.js';
import { resolveExperimentConfig } from '../../src/models/experiment-config.js';
import { runSeed } from '../../src/simulate/run.js';

const backend = getBackend();
const config = (steps: number, trainReadout: boolean) =>
  resolveExperimentConfig({
    d: 40,
    width: 30,
    n0: 50,
    n: 80,
    nTest: 200,
    student: { activation: 'tanh' },
    teacher: { kind: 'single-index', link: 'tanh', noise: 0 },
    init: { W: 'gaussian', a: 'gaussian' },
    step: { eta: 1, scaling: 'one', steps, trainReadout },
    risk: { method: 'monte-carlo' },
    report: { baselines: false, anatomy: false },
    seed: 2,
  });

describe('step.trainReadout in simulate', () => {
  it('two steps: the run differs from the fixed-readout run (the second step sees the moved a)', () => {
    const on = runSeed(config(2, true), 2, backend);
    const off = runSeed(config(2, false), 2, backend);
    expect(Number.isFinite(on.risk)).toBe(true);
    // Same draws, so any difference comes from the readout's move (relative 1e-6 is far above rounding).
    expect(Math.abs(on.risk - off.risk) / off.risk).toBeGreaterThan(1e-6);
    expect(on.warnings.join('\n')).not.toMatch(/trainReadout/);
  });

  it('one step: identical numbers to the fixed-readout run, and a warning that it had no effect', () => {
    const on = runSeed(config(1, true), 2, backend);
    const off = runSeed(config(1, false), 2, backend);
    expect(on.risk).toBe(off.risk);
    expect(on.trainError).toBe(off.trainError);
    expect(on.warnings.join('\n')).toMatch(/step.trainReadout: no effect with step.steps = 1/);
  });
});
