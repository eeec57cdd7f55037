/**
 * The experiment configuration of the one-step protocol (../shared/spec/README.md notation,
 * one-step.md section 1, srf.md section 1), shared by `featlearn simulate`, `theory` and `compare`.
 *
 * A config may give counts (`width`, `n0`, `n`) or ratios to d (`psi`, `alpha0`, `alpha`); counts are
 * round(ratio * d). The RESOLVED config has both, every default filled in, and is part of every output.
 *
 * Defaults follow Cui et al. 2024's learning-curve setting (srf.md section 6): tanh student and teacher,
 * sphere W0, constant a0, large step eta_tilde = 1 ("sqrtN"), alpha0 = 0.5, lambda = 0.01 ("sum").
 * Browser-safe: no Node-only imports.
 */
import { z } from 'zod';
import { ConfigError, parseWith } from '../config/validate.js';
import { getActivation } from '../activations/index.js';

/** An activation or link name accepted by the registry (names, `poly:...`, `hermite:...`, registered). */
export const activationSpec = z.string().superRefine((spec, ctx) => {
  try {
    getActivation(spec);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message, input: spec });
  }
});

const positiveInt = z.number().int().positive();
const positiveRatio = z.number().positive().finite();

export const singleIndexTeacher = z
  .object({
    kind: z.literal('single-index'),
    link: activationSpec.default('tanh'),
    noise: z.number().min(0).finite().default(0),
  })
  .strict();

/**
 * Teachers: `single-index` now; `multi-index` and `mixture` (related.md) join this union later. A teacher
 * given without `kind` is a single-index one, so `--set teacher.link=relu` works on its own.
 */
export const teacherSchema = z.preprocess(
  (t) => (t && typeof t === 'object' && !Array.isArray(t) && !('kind' in t) ? { kind: 'single-index', ...t } : t),
  z.discriminatedUnion('kind', [singleIndexTeacher]),
);

export const experimentConfigSchema = z
  .object({
    d: positiveInt.default(1000),
    width: positiveInt.optional(),
    psi: positiveRatio.optional(),
    n0: z.number().int().min(0).optional(),
    alpha0: z.number().min(0).finite().optional(),
    n: positiveInt.optional(),
    alpha: positiveRatio.optional(),
    nTest: positiveInt.default(10000),
    student: z.object({ activation: activationSpec.default('tanh') }).strict().default({ activation: 'tanh' }),
    teacher: teacherSchema.default({ kind: 'single-index', link: 'tanh', noise: 0 }),
    init: z
      .object({
        W: z.enum(['sphere', 'gaussian']).default('sphere'),
        a: z.enum(['constant', 'gaussian', 'rademacher']).default('constant'),
      })
      .strict()
      .default({ W: 'sphere', a: 'constant' }),
    step: z
      .object({
        eta: z.number().finite().default(1),
        scaling: z.enum(['one', 'sqrtN', 'power']).default('sqrtN'),
        exponent: z.number().finite().optional(),
        steps: z.number().int().min(0).default(1),
        batches: z.enum(['fresh', 'reuse']).default('fresh'),
        trainReadout: z.boolean().default(false),
      })
      .strict()
      .default({ eta: 1, scaling: 'sqrtN', steps: 1, batches: 'fresh', trainReadout: false }),
    ridge: z
      .object({
        lambda: z.number().min(0).finite().default(0.01),
        normalization: z.enum(['sum', 'mean']).default('sum'),
        intercept: z.boolean().default(false),
      })
      .strict()
      .default({ lambda: 0.01, normalization: 'sum', intercept: false }),
    risk: z
      .object({ method: z.enum(['exact', 'monte-carlo']).default('exact') })
      .strict()
      .default({ method: 'exact' }),
    model: z.enum(['network', 'srf']).default('network'),
    precision: z.enum(['float64', 'float32']).default('float64'),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    report: z
      .object({ baselines: z.boolean().default(true), anatomy: z.boolean().default(true) })
      .strict()
      .default({ baselines: true, anatomy: true }),
    theory: z
      .object({
        method: z.enum(['auto', 'gaussian-equivalent', 'srf', 'random-features']).default('auto'),
        spectrum: z.enum(['mp', 'sampled']).default('mp'),
      })
      .strict()
      .default({ method: 'auto', spectrum: 'mp' }),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.step.scaling === 'power' && c.step.exponent === undefined) {
      ctx.addIssue({ code: 'custom', path: ['step', 'exponent'], message: 'required when step.scaling is "power" (eta_eff = eta * N^exponent)', input: undefined });
    }
    if (c.step.scaling !== 'power' && c.step.exponent !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['step', 'exponent'], message: `only allowed with step.scaling "power", got scaling "${c.step.scaling}"`, input: c.step.exponent });
    }
  });

export type ExperimentConfigInput = z.input<typeof experimentConfigSchema>;
type Parsed = z.output<typeof experimentConfigSchema>;

/** The resolved configuration: counts and ratios both present, every default filled in. */
export type ExperimentConfig = Omit<Parsed, 'width' | 'psi' | 'n0' | 'alpha0' | 'n' | 'alpha'> & {
  width: number;
  psi: number;
  n0: number;
  alpha0: number;
  n: number;
  alpha: number;
};

/** Ratio defaults when neither the count nor the ratio is given. */
export const DEFAULT_RATIOS = { psi: 1, alpha0: 0.5, alpha: 2 } as const;

/** Validates a raw config (from JSON/YAML/CLI) and resolves counts and ratios. */
export function resolveExperimentConfig(raw: unknown, source = 'experiment config'): ExperimentConfig {
  const c = parseWith(experimentConfigSchema, raw ?? {}, source);
  const issues: string[] = [];
  const pick = (countKey: 'width' | 'n0' | 'n', ratioKey: 'psi' | 'alpha0' | 'alpha'): number => {
    const count = c[countKey];
    const ratio = c[ratioKey];
    if (count !== undefined && ratio !== undefined && count !== Math.round(ratio * c.d)) {
      issues.push(`${countKey}/${ratioKey}: give one of them, or consistent values (${ratioKey} * d = ${Math.round(ratio * c.d)}), got ${countKey} = ${count}, ${ratioKey} = ${ratio}`);
    }
    return count ?? Math.round((ratio ?? DEFAULT_RATIOS[ratioKey]) * c.d);
  };
  const width = pick('width', 'psi');
  const n0 = pick('n0', 'alpha0');
  const n = pick('n', 'alpha');
  if (width < 1) issues.push(`psi: gives width = round(psi * d) = ${width}; need at least 1 neuron`);
  if (n < 1) issues.push(`alpha: gives n = round(alpha * d) = ${n}; need at least 1 sample`);
  if (c.step.steps > 0 && c.step.eta !== 0 && n0 < 1) issues.push(`alpha0: gives n0 = ${n0}; a gradient step needs at least 1 sample (or set step.steps = 0)`);
  if (issues.length > 0) throw new ConfigError(issues, source);
  return { ...c, width, psi: width / c.d, n0, alpha0: n0 / c.d, n, alpha: n / c.d };
}
