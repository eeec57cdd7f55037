/**
 * `featlearn dynamics`: JSON names (docs/dynamics.md), the text table, bad input (exit 2, message names
 * the key), and the phase-retrieval story at small d: well above the thresholds (delta = 12) GD from a
 * random start passes a saddle whose bottom Hessian eigenvector points along Theta* and then recovers
 * Theta*; the escape time is where the recorded overlap with the unlearned direction crosses the level.
 */
import { describe, expect, it } from 'vitest';
import { resolveDynamicsConfig } from '../../src/models/dynamics-config.js';
import { runDynamics } from '../../src/simulate/dynamics/run.js';
import { capture } from '../cli/capture.js';

const small = ['--set', 'd=80', '--set', 'delta=6', '--set', 'width=2', '--set', 'student.activation=relu', '--set', 'training.steps=50', '--set', 'training.eta=0.2', '--set', 'training.record=6', '--set', 'hessian.k=2', '--set', 'hessian.which=both', '--set', 'hessian.at=final'];

describe('featlearn dynamics', () => {
  it('--json prints the documented object', async () => {
    const { code, out } = await capture(['--json', 'dynamics', ...small, '--seeds', '2']);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['config', 'seeds', 'runs', 'outcomes', 'summary', 'escaped', 'warnings', 'provenance']));
    expect(r.config).toMatchObject({ d: 80, n: 480, delta: 6, width: 2, teacher: { kind: 'multi-index', link: 'phase-retrieval', k: 1 } });
    expect(r.seeds).toEqual([0, 1]);
    const run = r.runs[0];
    expect(Object.keys(run)).toEqual(expect.arrayContaining(['seed', 'parameters', 'testMethod', 'trajectory', 'final', 'phase1End', 'escape', 'hessian', 'warnings']));
    expect(Object.keys(run.trajectory[0])).toEqual(expect.arrayContaining(['step', 'time', 'trainLoss', 'testError', 'testErrorSE', 'gradNorm', 'overlap', 'cosines', 'unlearnedCosine']));
    expect(run.trajectory[0].overlap).toHaveLength(2);
    expect(run.trajectory[0].overlap[0]).toHaveLength(1);
    expect(run.parameters).toBe(160);
    const h = run.hessian[0];
    expect(h.smallest.eigen).toHaveLength(2);
    expect(h.largest.eigen).toHaveLength(2);
    expect(Object.keys(h.smallest.eigen[0])).toEqual(expect.arrayContaining(['value', 'residual', 'thetaStar', 'unlearned']));
    expect(r.summary.finalTestError.n).toBe(2);
  });

  it('prints a readable table', async () => {
    const { code, out } = await capture(['dynamics', ...small]);
    expect(code).toBe(0);
    expect(out).toMatch(/featlearn dynamics \(1 seed from 0\)/);
    expect(out).toMatch(/end of phase 1/);
    expect(out).toMatch(/Hessian at step \d+/);
  });

  it('bad input exits with code 2 and names the key', async () => {
    const r1 = await capture(['dynamics', '--set', 'training.loss=l1']);
    expect(r1.code).toBe(2);
    expect(r1.err).toMatch(/training\.loss: expected one of "square" \| "huber" \| "logcosh", got "l1"/);
    const r2 = await capture(['dynamics', '--set', 'teacher.link=product', '--set', 'teacher.k=1']);
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/teacher\.k: target "product" needs k >= 2, got 1/);
    const r3 = await capture(['dynamics', '--set', 'student.activation=nope']);
    expect(r3.code).toBe(2);
    expect(r3.err).toMatch(/student\.activation: unknown activation "nope"/);
    const r4 = await capture(['dynamics', '--set', 'd=100', '--set', 'width=50', '--set', 'hessian.dense=true', '--set', 'training.steps=0', '--set', 'hessian.at=init', '--set', 'delta=1', '--set', 'test.samples=100']);
    expect(r4.code).toBe(2);
    expect(r4.err).toMatch(/hessian\.dense: 5000 parameters \(> 4000\)/);
  });
});

describe('phase retrieval, quadratic student, m = 1 (d = 200)', () => {
  it('delta = 12: escape along the negative Hessian direction, then recovery of Theta*', () => {
    for (const seed of [0, 1]) {
      const cfg = resolveDynamicsConfig({ d: 200, delta: 12, width: 1, student: { activation: 'quadratic' }, training: { eta: 0.05, steps: 400, record: 20 }, hessian: { k: 2 }, seed });
      const r = runDynamics(cfg);
      expect(r.phase1End).not.toBeNull();
      expect(r.phase1End!.learned).toBe(0);
      expect(r.escape.status).toBe('escaped');
      // The bottom Hessian eigenvalue at the end of phase 1 is negative (a saddle) and its eigenvector has
      // a macroscopic overlap with Theta* (a random direction would have 1/d = 0.005).
      const h = r.hessian[0];
      expect(h.trigger).toBe('phase1-end');
      expect(h.smallest!.eigen[0].value).toBeLessThan(0);
      expect(h.smallest!.eigen[0].unlearned!).toBeGreaterThan(0.2);
      expect(r.final.cosines[0]).toBeGreaterThan(0.999);
      expect(r.final.testError).toBeLessThan(1e-6);
      // Escape-time consistency: recorded points before it are below the level, the first recorded point
      // at or after it is above (the crossing is checked at every step, so it can only come earlier).
      for (const p of r.trajectory) {
        if (p.step < r.escape.step!) expect(p.unlearnedCosine ?? 0).toBeLessThan(cfg.escape.level);
      }
      const after = r.trajectory.find((p) => p.step === r.escape.step);
      if (after) expect(after.unlearnedCosine!).toBeGreaterThanOrEqual(cfg.escape.level);
    }
  });
});
