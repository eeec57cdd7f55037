import { describe, expect, it } from 'vitest';
import { resolveExperimentConfig } from '../../src/models/experiment-config.js';
import { ConfigError } from '../../src/config/validate.js';

function issuesOf(raw: unknown): readonly string[] {
  try {
    resolveExperimentConfig(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('experiment config', () => {
  it('fills every default and resolves counts from the default ratios', () => {
    const c = resolveExperimentConfig({});
    expect(c.d).toBe(1000);
    expect([c.width, c.n0, c.n]).toEqual([1000, 500, 2000]);
    expect([c.psi, c.alpha0, c.alpha]).toEqual([1, 0.5, 2]);
    expect(c.student.activation).toBe('tanh');
    expect(c.teacher).toEqual({ kind: 'single-index', link: 'tanh', noise: 0 });
    expect(c.init).toEqual({ W: 'sphere', a: 'constant' });
    expect(c.step).toMatchObject({ eta: 1, scaling: 'sqrtN', steps: 1, batches: 'fresh' });
    expect(c.ridge).toEqual({ lambda: 0.01, normalization: 'sum', intercept: false });
    expect(c.risk.method).toBe('exact');
    expect(c.model).toBe('network');
    expect(c.precision).toBe('float64');
  });

  it('resolves counts from ratios (rounding) and ratios from counts', () => {
    const c = resolveExperimentConfig({ d: 300, psi: 0.5, alpha0: 1 / 3, n: 451 });
    expect([c.width, c.n0, c.n]).toEqual([150, 100, 451]);
    expect(c.alpha).toBeCloseTo(451 / 300, 15);
  });

  it('accepts a consistent count and ratio and rejects an inconsistent pair', () => {
    expect(resolveExperimentConfig({ d: 100, width: 200, psi: 2 }).width).toBe(200);
    expect(issuesOf({ d: 100, width: 150, psi: 2 })[0]).toMatch(/^width\/psi: give one of them/);
  });

  it('names key, allowed values and value for bad input', () => {
    expect(issuesOf({ step: { scaling: 'sqrt' } })).toContain('step.scaling: expected one of "one" | "sqrtN" | "power", got "sqrt"');
    expect(issuesOf({ ridge: { lambda: -1 } })).toContain('ridge.lambda: expected a value >= 0, got -1');
    expect(issuesOf({ d: 0 })).toContain('d: expected a value > 0, got 0');
    expect(issuesOf({ dd: 3 })).toContain('(top level): unknown key "dd"');
    const act = issuesOf({ student: { activation: 'tanhh' } });
    expect(act[0]).toMatch(/^student\.activation: /);
    expect(act[0]).toMatch(/relu/);
    expect(issuesOf({ step: { scaling: 'power' } })[0]).toMatch(/^step\.exponent: required/);
    expect(issuesOf({ teacher: { kind: 'mixture' } })[0]).toMatch(/^teacher\.kind/);
  });

  it('rejects sizes that leave no neuron or sample', () => {
    expect(issuesOf({ d: 10, psi: 0.01 })[0]).toMatch(/^psi: gives width/);
  });
});
