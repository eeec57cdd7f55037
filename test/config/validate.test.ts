import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, parseWith } from '../../src/config/validate.js';

const schema = z
  .object({
    d: z.number().int().positive(),
    step: z.object({ scaling: z.enum(['one', 'sqrtN', 'power']), eta: z.number() }).strict(),
  })
  .strict();

function messages(data: unknown): readonly string[] {
  try {
    parseWith(schema, data, 'experiment config');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('parseWith', () => {
  it('returns the parsed value for valid input', () => {
    expect(parseWith(schema, { d: 10, step: { scaling: 'one', eta: 1 } })).toEqual({ d: 10, step: { scaling: 'one', eta: 1 } });
  });

  it('names the key, the allowed values and the bad value of an enum', () => {
    expect(messages({ d: 10, step: { scaling: 'sqrt', eta: 1 } })).toEqual(['step.scaling: expected one of "one" | "sqrtN" | "power", got "sqrt"']);
  });

  it('reports bounds, types, missing and unknown keys together', () => {
    const m = messages({ d: -3, step: { scaling: 'one' }, foo: 1 });
    expect(m).toContain('d: expected a value > 0, got -3');
    expect(m).toContain('step.eta: expected number, got nothing (missing)');
    expect(m).toContain('(top level): unknown key "foo"');
    expect(m).toHaveLength(3);
  });

  it('puts the source in the error message', () => {
    expect(() => parseWith(schema, { d: 1.5, step: { scaling: 'one', eta: 0 } }, 'config.yaml')).toThrow(/invalid config.yaml:\n {2}d: /);
  });
});
