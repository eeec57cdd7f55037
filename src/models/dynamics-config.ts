/**
 * The configuration of gradient descent on multi-index targets (../shared/spec/multi-index.md sections
 * 1-2), shared by `featlearn dynamics` (simulation) and `featlearn threshold` (theory).
 *
 * Sizes: `d`, `width` (m), and `n` or `delta` (n = round(delta d)); the RESOLVED config has both n and
 * delta, the teacher's k filled in, and every default. Browser-safe: no Node-only imports.
 *
 * Conventions (docs/dynamics.md):
 * - network f(x) = sum_j a_j sigma(<w_j, x>) + b; w_j ~ N(0, init.scale^2 I / d); a_j = 1/m ("constant"),
 *   +-1/m ("rademacher") or N(0, 1/m^2) ("gaussian"); b = 0 (trained only when training.bias).
 * - empirical loss L = (1/n) sum_i loss(y_i, f(x_i)) + (weightDecay / 2) (|W|_F^2 + |a|^2 if a is trained);
 *   square loss is (y - f)^2 / 2; huber(delta) is r^2/2 for |r| <= delta else delta (|r| - delta/2);
 *   logcosh is log cosh(y - f).
 * - training.mode "gd": theta <- theta - eta grad L, `steps` times (time t = step * eta).
 *   "flow": gradient flow up to time T = steps * eta, by Euler steps of size at most eta / flowSubsteps,
 *   halved whenever the loss would increase (a descent check; gradient flow never increases L).
 */
import { z } from 'zod';
import { ConfigError, parseWith } from '../config/validate.js';
import { activationSpec } from './experiment-config.js';
import { defaultTargetK, getMultiIndexTarget } from './multi-index-teacher.js';

const positiveInt = z.number().int().positive();

/** A target spec: a built-in multi-index target, a registered one, or an activation applied to z1. */
export const targetSpec = z.string().superRefine((spec, ctx) => {
  try {
    defaultTargetK(spec);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message.replace(/^teacher\.link: /, ''), input: spec });
  }
});

export const multiIndexTeacherSchema = z
  .object({
    kind: z.literal('multi-index').default('multi-index'),
    /** Latent dimension (default: the target's default, e.g. 1 for phase retrieval, 2 for product). */
    k: positiveInt.optional(),
    link: targetSpec.default('phase-retrieval'),
    /** Label-noise variance Delta. */
    noise: z.number().min(0).finite().default(0),
  })
  .strict();

export const LOSS_NAMES = ['square', 'huber', 'logcosh'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

const hessianAt = z.union([z.enum(['phase1-end', 'none', 'init', 'final']), z.array(z.number().int().min(0)).min(1)]);

export const dynamicsConfigSchema = z
  .object({
    d: positiveInt.default(1000),
    width: positiveInt.default(1),
    n: positiveInt.optional(),
    delta: z.number().positive().finite().optional(),
    /** Test inputs when the population risk cannot be computed in the low-dimensional space (test.method). */
    nTest: positiveInt.default(10000),
    student: z.object({ activation: activationSpec.default('tanh') }).strict().default({ activation: 'tanh' }),
    teacher: multiIndexTeacherSchema.default({ kind: 'multi-index', link: 'phase-retrieval', noise: 0 }),
    init: z
      .object({
        scale: z.number().min(0).finite().default(1),
        a: z.enum(['constant', 'rademacher', 'gaussian']).default('constant'),
      })
      .strict()
      .default({ scale: 1, a: 'constant' }),
    training: z
      .object({
        kind: z.literal('gd').default('gd'),
        steps: z.number().int().min(0).default(1000),
        eta: z.number().positive().finite().default(1),
        weightDecay: z.number().min(0).finite().default(0),
        mode: z.enum(['gd', 'flow']).default('gd'),
        /** flow mode: Euler substeps per unit eta (step size eta / flowSubsteps, halved on loss increase). */
        flowSubsteps: positiveInt.default(10),
        secondLayer: z.enum(['trained', 'frozen']).default('frozen'),
        bias: z.boolean().default(false),
        loss: z.enum(LOSS_NAMES).default('square'),
        /** Huber's delta (loss "huber" only). */
        huberDelta: z.number().positive().finite().default(1),
        /** Number of log-spaced recording times in [0, steps] (step 0 and the last step always included). */
        record: z.number().int().min(2).default(40),
      })
      .strict()
      .default({ kind: 'gd', steps: 1000, eta: 1, weightDecay: 0, mode: 'gd', flowSubsteps: 10, secondLayer: 'frozen', bias: false, loss: 'square', huberDelta: 1, record: 40 }),
    test: z
      .object({
        /**
         * "auto": quadrature in the (k + m)-dim space when k + m <= 3, else Monte Carlo there;
         * "quadrature" / "monte-carlo": forced; "test-set": nTest fresh inputs through the network.
         */
        method: z.enum(['auto', 'quadrature', 'monte-carlo', 'test-set']).default('auto'),
        /** Monte Carlo draws in the (k + m)-dim space. */
        samples: positiveInt.default(100000),
        /** Gauss-Hermite nodes per dimension. */
        nodes: positiveInt.default(40),
      })
      .strict()
      .default({ method: 'auto', samples: 100000, nodes: 40 }),
    hessian: z
      .object({
        /** When: "phase1-end" (automatic), "init", "final", "none", or a list of steps. */
        at: hessianAt.default('phase1-end'),
        /** Number of extreme eigenvalues. */
        k: positiveInt.default(5),
        which: z.enum(['smallest', 'largest', 'both']).default('smallest'),
        /** Also form the dense Hessian and compare (small d only: refused above 4000 parameters). */
        dense: z.boolean().default(false),
        /** Lanczos tolerance on the Ritz residual relative to the spectral-norm estimate. */
        tol: z.number().positive().finite().default(1e-8),
        maxIterations: positiveInt.default(600),
      })
      .strict()
      .default({ at: 'phase1-end', k: 5, which: 'smallest', dense: false, tol: 1e-8, maxIterations: 600 }),
    phase1: z
      .object({
        /** Plateau criterion (docs/dynamics.md): |d ln|grad| / d ln t| over the last doubling of time <= this. */
        plateauTolerance: z.number().positive().finite().default(0.1),
        /** ... or |grad| has dropped to this fraction of its value at step 0 (a small gradient: phase 2). */
        gradientDrop: z.number().gt(0).lt(1).default(0.01),
      })
      .strict()
      .default({ plateauTolerance: 0.1, gradientDrop: 0.01 }),
    escape: z
      .object({ level: z.number().gt(0).lt(1).default(0.5) })
      .strict()
      .default({ level: 0.5 }),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    precision: z.enum(['float64', 'float32']).default('float64'),
  })
  .strict();

export type DynamicsConfigInput = z.input<typeof dynamicsConfigSchema>;
type Parsed = z.output<typeof dynamicsConfigSchema>;

/** The resolved configuration: n and delta both present, teacher.k filled in, every default. */
export type DynamicsConfig = Omit<Parsed, 'n' | 'delta' | 'teacher'> & {
  n: number;
  delta: number;
  teacher: Omit<Parsed['teacher'], 'k'> & { k: number };
};

/** delta used when neither n nor delta is given. */
export const DEFAULT_DELTA = 4;

/** Validates a raw config (JSON/YAML/--set) and resolves n/delta and teacher.k. Throws ConfigError. */
export function resolveDynamicsConfig(raw: unknown, source = 'dynamics config'): DynamicsConfig {
  const c = parseWith(dynamicsConfigSchema, raw ?? {}, source);
  const issues: string[] = [];
  if (c.n !== undefined && c.delta !== undefined && c.n !== Math.round(c.delta * c.d)) {
    issues.push(`n/delta: give one of them, or consistent values (delta * d = ${Math.round(c.delta * c.d)}), got n = ${c.n}, delta = ${c.delta}`);
  }
  const n = c.n ?? Math.round((c.delta ?? DEFAULT_DELTA) * c.d);
  if (n < 1) issues.push(`delta: gives n = round(delta * d) = ${n}; need at least 1 sample`);
  let k = c.teacher.k ?? 1;
  try {
    k = getMultiIndexTarget(c.teacher.link, c.teacher.k).k;
  } catch (e) {
    issues.push((e as Error).message);
  }
  if (k > c.d) issues.push(`teacher.k: must be <= d = ${c.d}, got ${k}`);
  if (Array.isArray(c.hessian.at)) {
    const bad = c.hessian.at.filter((t) => t > c.training.steps);
    if (bad.length > 0) issues.push(`hessian.at: steps must be <= training.steps = ${c.training.steps}, got ${bad.join(', ')}`);
  }
  if (c.training.loss !== 'huber' && raw && typeof raw === 'object' && (raw as { training?: { huberDelta?: unknown } }).training?.huberDelta !== undefined) {
    issues.push(`training.huberDelta: only used with training.loss "huber", got loss "${c.training.loss}"`);
  }
  if (issues.length > 0) throw new ConfigError(issues, source);
  return { ...c, n, delta: n / c.d, teacher: { ...c.teacher, k } };
}
