import { describe, expect, it } from 'vitest';
import { applyOverrides, parseOverride } from '../../src/config/overrides.js';
import { ConfigError } from '../../src/config/validate.js';

describe('--set overrides', () => {
  it('reads values as YAML scalars', () => {
    expect(parseOverride('step.eta=2').value).toBe(2);
    expect(parseOverride('ridge.intercept=true').value).toBe(true);
    expect(parseOverride('teacher.link=relu').value).toBe('relu');
    expect(parseOverride('student.activation=poly:1,0,0.5').value).toBe('poly:1,0,0.5');
    expect(parseOverride('seed="7"').value).toBe('7');
    expect(parseOverride('ridge.lambda=1e-3').value).toBe(0.001);
  });

  it('sets dotted keys without touching the input and keeps siblings', () => {
    const base = { step: { eta: 1, scaling: 'one' } };
    const out = applyOverrides(base, ['step.eta=3', 'teacher.noise=0.1']);
    expect(out).toEqual({ step: { eta: 3, scaling: 'one' }, teacher: { noise: 0.1 } });
    expect(base.step.eta).toBe(1);
  });

  it('later overrides win', () => {
    expect(applyOverrides({}, ['d=10', 'd=20'])).toEqual({ d: 20 });
  });

  it('rejects malformed assignments and scalar parents clearly', () => {
    expect(() => parseOverride('eta')).toThrow(ConfigError);
    expect(() => parseOverride('=3')).toThrow(/expected key=value/);
    expect(() => parseOverride('a..b=1')).toThrow(/invalid key "a..b"/);
    expect(() => applyOverrides({ step: 2 }, ['step.eta=1'])).toThrow(/step is 2, not an object/);
    expect(() => parseOverride('__proto__.x=1')).toThrow(/invalid key/);
  });
});
