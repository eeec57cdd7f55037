/**
 * The wire protocol of `featlearn serve` (docs/explorer.md, "Server API"): request and response shapes
 * shared by the server (src/serve/server.ts) and the browser client (web/src/simulate-client.ts).
 * Browser-safe: zod and types only, no Node-only imports. The experiment config itself is validated on
 * the server by resolveExperimentConfig (src/models/experiment-config.ts), the same schema as the CLI.
 */
import { z } from 'zod';

/** Sweep keys of the one-step theory (SRF_SWEEP_KEYS in src/theory/srf/index.ts; a test checks they agree). */
export const SWEEP_KEYS = ['alpha', 'alpha0', 'eta', 'lambda', 'psi'] as const;
export type SweepKey = (typeof SWEEP_KEYS)[number];

/** Limits of one server (configurable with `featlearn serve --max-...`). */
export interface ServeLimits {
  /** Largest input dimension d. */
  maxD: number;
  /** Largest number of neurons (width N). */
  maxN: number;
  /** Largest sample count: n, n0 and nTest each. */
  maxSamples: number;
  /** Largest number of seeds per point. */
  maxSeeds: number;
  /** Largest number of sweep values. */
  maxSweepPoints: number;
  /** Largest number of gradient steps on the first layer (step.steps). */
  maxSteps: number;
  /** Jobs waiting or running at once; one more is refused with 429. */
  maxQueue: number;
  /** Largest request body in bytes (413 above it). */
  maxBodyBytes: number;
}

export const DEFAULT_LIMITS: ServeLimits = {
  maxD: 2000,
  maxN: 4000,
  maxSamples: 20000,
  maxSeeds: 16,
  maxSweepPoints: 32,
  maxSteps: 20,
  maxQueue: 4,
  maxBodyBytes: 65536,
};

/** The CLI flag that sets each limit (named in 422 messages). */
export const LIMIT_FLAGS: Record<keyof ServeLimits, string> = {
  maxD: '--max-d',
  maxN: '--max-n',
  maxSamples: '--max-samples',
  maxSeeds: '--max-seeds',
  maxSweepPoints: '--max-sweep-points',
  maxSteps: '--max-steps',
  maxQueue: '--max-queue',
  maxBodyBytes: '--max-body-bytes',
};

/**
 * POST /api/simulate body. `config` is a one-step ExperimentConfigInput (the CLI's keys, counts or
 * ratios), checked by the server with the CLI's schema; `seeds` seeds per point (config.seed, +1, ...).
 */
export const simulateRequestSchema = z
  .object({
    config: z.record(z.string(), z.unknown()).default({}),
    seeds: z.number().int().min(1),
    sweep: z
      .object({
        key: z.enum(SWEEP_KEYS),
        values: z.array(z.number().finite()).min(1),
      })
      .strict()
      .optional(),
    /** Also send every singular value of W1 per point (seeds pooled): the explorer's anatomy histogram. */
    spectrum: z.boolean().default(false),
  })
  .strict();

export type SimulateRequest = z.input<typeof simulateRequestSchema>;

/** 202 answer to POST /api/simulate. */
export interface SimulateAccepted {
  jobId: string;
  /** Number of points (sweep values, or 1). */
  points: number;
  /** Place in the queue: 0 = running now (nothing ahead), k = k jobs ahead. */
  position: number;
}

/** Every 4xx/5xx answer of /api/*. */
export interface ErrorBody {
  error: {
    message: string;
    /** The config or request key at fault (dotted), when there is one. */
    key?: string;
    value?: unknown;
    /** What is allowed (text, or the limit as a number). */
    allowed?: unknown;
  };
}

/** GET /api/health. */
export interface HealthResponse {
  featlearn: string;
  backend: string;
  limits: ServeLimits;
}

/** One row of a point (the CompareRow of src/experiments/compare.ts). */
export interface PointRow {
  quantity: string;
  theory: number | null;
  simulation: { mean: number; sem: number | null; n: number } | null;
  deviation: number | null;
  relative?: number | null;
}

/** Data of each Server-Sent Event, by event name. */
export interface JobEvents {
  queued: { position: number };
  started: Record<string, never>;
  /** Seed runs finished / total seed runs (points x seeds). */
  progress: { done: number; total: number };
  point: {
    index: number;
    /** The sweep value, or null without a sweep. */
    value: number | null;
    rows: PointRow[];
    /** Theory method used and why (as `featlearn compare` prints). */
    method?: string;
    methodReason?: string;
    theoryOk?: boolean;
    theoryFailure?: string;
    warnings?: string[];
    /** Every singular value of W1 after the first step, seeds pooled (only when the request asked for `spectrum`). */
    singularValues?: number[];
  };
  done: { seconds: number; provenance: { featlearn: string; backend: string; seed: number; config: unknown } };
  error: { message: string };
  cancelled: Record<string, never>;
}

export type JobEventName = keyof JobEvents;
export const JOB_EVENT_NAMES: readonly JobEventName[] = ['queued', 'started', 'progress', 'point', 'done', 'error', 'cancelled'];
/** Events after which a job's stream ends. */
export const TERMINAL_EVENTS: readonly JobEventName[] = ['done', 'error', 'cancelled'];
