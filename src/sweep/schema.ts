/**
 * The sweep file (YAML or JSON; docs/sweeps.md):
 *
 *   name: learning-curve            # optional; stored with each point (default: the file name)
 *   command: theory                 # simulate | theory | dynamics
 *   base: { d: 400, step: { eta: 1 } }   # the base config (that command's config format)
 *   grid:                           # optional: the cartesian product over dotted config keys
 *     alpha: 0.2:3:8                # range "start:stop:count[:log]"
 *     ridge.lambda: { start: 1e-4, stop: 1, count: 5, scale: log }
 *     teacher.link: [tanh, relu]    # list
 *   points:                         # optional: a list of points (dotted keys); with a grid: points x grid
 *     - { alpha0: 0.5, step.eta: 1 }
 *   seeds: 3                        # K seeds base.seed .. base.seed + K - 1, or a list [0, 7, 9]
 *
 * Validation errors name the key (`grid.alpha.count: ...`, `points.1: ...`).
 */
import { z } from 'zod';
import { MAX_AXIS_COUNT, parseRangeString, rangeProblems, rangeValues, type Scalar } from './values.js';

export const SWEEP_COMMANDS = ['simulate', 'theory', 'dynamics'] as const;
export type SweepCommand = (typeof SWEEP_COMMANDS)[number];

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Problems with a dotted config key (empty when valid). */
export function dottedKeyProblems(key: string): string[] {
  if (key === '' || key.split('.').some((p) => p === '' || FORBIDDEN.has(p))) return ['expected a dotted config key such as "alpha" or "step.eta"'];
  if (key === 'seed') return ['"seed" cannot be swept as a config key; use the top-level "seeds" (a count or a list)'];
  return [];
}

const isScalar = (v: unknown): v is Scalar => v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';

/** The values of a grid axis or the problems with it (each with a sub-key such as "count"). */
export function axisValues(spec: unknown): { values: Scalar[] } | { problems: { path: (string | number)[]; message: string; input: unknown }[] } {
  if (Array.isArray(spec)) {
    if (spec.length === 0) return { problems: [{ path: [], message: 'expected a non-empty list of values', input: spec }] };
    const bad = spec.map((v, i) => [v, i] as const).filter(([v]) => !isScalar(v) || (typeof v === 'number' && !Number.isFinite(v)));
    if (bad.length > 0) return { problems: bad.map(([v, i]) => ({ path: [i], message: 'expected a number, string, boolean or null', input: v })) };
    return { values: spec as Scalar[] };
  }
  let r: { start: unknown; stop: unknown; count: unknown; scale?: unknown } | null = null;
  if (typeof spec === 'string') {
    r = parseRangeString(spec);
    if (!r) return { problems: [{ path: [], message: 'expected a list, a range "start:stop:count" or "start:stop:count:log", or { start, stop, count, scale }', input: spec }] };
  } else if (spec && typeof spec === 'object') {
    const o = spec as Record<string, unknown>;
    const extra = Object.keys(o).filter((k) => !['start', 'stop', 'count', 'scale'].includes(k));
    if (extra.length > 0) return { problems: [{ path: [], message: `unknown key${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')} (a range has start, stop, count, scale)`, input: spec }] };
    r = { start: o.start, stop: o.stop, count: o.count, scale: o.scale };
  } else {
    return { problems: [{ path: [], message: 'expected a list of values, a range "start:stop:count[:log]" or { start, stop, count, scale }', input: spec }] };
  }
  const problems = rangeProblems(r);
  if (problems.length > 0) {
    return { problems: problems.map((p) => ({ path: typeof spec === 'string' ? [] : [p.slice(0, p.indexOf(':'))], message: typeof spec === 'string' ? p : p.slice(p.indexOf(':') + 2), input: spec })) };
  }
  return { values: rangeValues({ start: r.start as number, stop: r.stop as number, count: r.count as number, scale: (r.scale ?? 'linear') as 'linear' | 'log' }) };
}

const dottedRecord = z.record(z.string(), z.unknown()).superRefine((rec, ctx) => {
  for (const k of Object.keys(rec)) for (const message of dottedKeyProblems(k)) ctx.addIssue({ code: 'custom', path: [k], message, input: k });
});

export const sweepFileSchema = z
  .object({
    name: z.string().min(1).optional(),
    command: z.enum(SWEEP_COMMANDS),
    base: z.record(z.string(), z.unknown()).default({}),
    grid: z
      .record(z.string(), z.unknown())
      .superRefine((grid, ctx) => {
        for (const [k, spec] of Object.entries(grid)) {
          for (const message of dottedKeyProblems(k)) ctx.addIssue({ code: 'custom', path: [k], message, input: k });
          const r = axisValues(spec);
          if ('problems' in r) for (const p of r.problems) ctx.addIssue({ code: 'custom', path: [k, ...p.path], message: p.message, input: p.input });
        }
      })
      .optional(),
    points: z.array(dottedRecord).min(1).optional(),
    seeds: z.union([z.number().int().min(1).max(MAX_AXIS_COUNT), z.array(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)).min(1)]).default(1),
  })
  .strict()
  .superRefine((s, ctx) => {
    if ('seed' in s.base && (typeof s.base.seed !== 'number' || !Number.isInteger(s.base.seed) || s.base.seed < 0)) {
      ctx.addIssue({ code: 'custom', path: ['base', 'seed'], message: 'expected a non-negative integer (the first seed)', input: s.base.seed });
    }
    if (Array.isArray(s.seeds) && new Set(s.seeds).size !== s.seeds.length) ctx.addIssue({ code: 'custom', path: ['seeds'], message: 'the seed list has duplicates', input: s.seeds });
  });

export type SweepFile = z.output<typeof sweepFileSchema>;
