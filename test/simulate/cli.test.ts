/**
 * `featlearn simulate`: the JSON shape (public names), --out, the human table, and bad input with
 * messages naming the parameter, the bad value and what is allowed (exit code 2 through main()).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram } from '../../src/cli/program.js';
import { capture } from '../cli/capture.js';

const small = ['--set', 'd=60', '--set', 'width=40', '--set', 'n0=30', '--set', 'n=120', '--set', 'nTest=500', '--set', 'risk.method=monte-carlo'];

describe('featlearn simulate', () => {
  it('--json prints the documented object; --out writes the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'featlearn-sim-'));
    const file = join(dir, 'r.json');
    const { code, out } = await capture(['--json', 'simulate', ...small, '--seeds', '2', '--workers', '0', '--out', file]);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['featlearn', 'backend', 'config', 'runs', 'summary']));
    expect(r.config).toMatchObject({ d: 60, width: 40, psi: 40 / 60, n0: 30, alpha0: 0.5, n: 120, alpha: 2, nTest: 500 });
    expect(r.runs).toHaveLength(2);
    expect(r.runs.map((x: { seed: number }) => x.seed)).toEqual([0, 1]);
    for (const run of r.runs) {
      expect(Object.keys(run)).toEqual(expect.arrayContaining(['seed', 'risk', 'testMSE', 'trainError', 'baselines', 'spectrum', 'alignment', 'seconds']));
      expect(run.testMSE).toBe(run.risk + r.config.teacher.noise);
      expect(run.riskMethod).toBe('monte-carlo');
    }
    const risks = r.runs.map((x: { risk: number }) => x.risk);
    expect(r.summary.risk.n).toBe(2);
    expect(r.summary.risk.mean).toBeCloseTo((risks[0] + risks[1]) / 2, 14);
    expect(r.summary.risk.std).toBeCloseTo(Math.abs(risks[0] - risks[1]) / Math.SQRT2, 12);
    expect(r.summary.risk.sem).toBeCloseTo(Math.abs(risks[0] - risks[1]) / 2, 12);
    expect(r.summary.trainError.n).toBe(2);
    expect(r.summary.baselines.randomFeatures.risk.n).toBe(2);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.runs.map((x: { risk: number }) => x.risk)).toEqual(risks);
  });

  it('prints a table with risk ± sem and the baselines', async () => {
    const { code, out } = await capture(['simulate', ...small, '--set', 'teacher.link=relu', '--seeds', '2', '--workers', '0']);
    expect(code).toBe(0);
    expect(out).toMatch(/featlearn simulate/);
    expect(out).toMatch(/tanh student, relu teacher/);
    expect(out).toMatch(/^risk\s+\S+\s+\S+$/m);
    expect(out).toMatch(/^baselines\.randomFeatures\.risk\s/m);
    expect(out).toMatch(/^baselines\.linearFloor\s/m);
  });

  it('reads a YAML config file and applies --set on top', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'featlearn-sim-'));
    const file = join(dir, 'c.yaml');
    (await import('node:fs')).writeFileSync(file, 'd: 50\nwidth: 30\nalpha0: 1\nn: 80\nnTest: 300\nrisk:\n  method: monte-carlo\nstep:\n  eta: 0.5\n');
    const { code, out } = await capture(['--json', 'simulate', '--config', file, '--set', 'step.eta=2', '--workers', '0']);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.config).toMatchObject({ d: 50, width: 30, n0: 50, n: 80 });
    expect(r.config.step.eta).toBe(2);
  });

  describe('bad input', () => {
    const cases: [string[], RegExp][] = [
      [['--set', 'student.activation=swish'], /student\.activation: unknown activation "swish"; allowed: one of linear, relu, tanh/],
      [['--set', 'd=0'], /d: expected a value > 0, got 0/],
      [['--set', 'width=-3'], /width: expected a value > 0, got -3/],
      [['--set', 'ridge.lambda=-0.1'], /ridge\.lambda: expected a value >= 0, got -0\.1/],
      [['--set', 'step.scaling=sqrt'], /step\.scaling: expected one of "one" \| "sqrtN" \| "power", got "sqrt"/],
      [['--set', 'd=200000', '--set', 'width=100000'], /memory: (this run needs about|one matrix would need) [\d.]+ GiB/],
      [['--set', 'student.activation=poly:0,0,0,0,0,0,0,0,0,1', '--set', 'step.eta=1e150', ...small], /(gradient step 1 of 1: first-layer weights W1|ridge readout: features sigma\(X W1\)): (NaN|-?Infinity) at entry \(\d+, \d+\)/],
    ];
    for (const [args, message] of cases) {
      it(`${args.filter((a) => a !== '--set').join(' ').slice(0, 60)} -> exit 2 with a message`, async () => {
        const { code, err } = await capture(['simulate', ...args, '--workers', '0']);
        expect(err).toMatch(message);
        expect(code).toBe(2);
      });
    }

    it('rejects a bad --seeds / --workers value naming it', async () => {
      const program = async () => {
        const p = await buildProgram();
        p.commands.find((c) => c.name() === 'simulate')!.exitOverride().configureOutput({ writeErr: () => undefined });
        return p;
      };
      await expect((await program()).parseAsync(['node', 'featlearn', 'simulate', '--seeds', '0'])).rejects.toThrow(/--seeds.*expected a positive integer, got "0"/);
      await expect((await program()).parseAsync(['node', 'featlearn', 'simulate', '--workers', 'many'])).rejects.toThrow(/--workers.*expected "auto" or an integer/);
    });
  });
});
