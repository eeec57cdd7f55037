/**
 * `featlearn dynamics` over seeds: runs seeds cfg.seed, cfg.seed + 1, ... sequentially (each run is
 * BLAS-bound; threads go to BLAS) and summarises the scalar outcomes (mean, std, sem over seeds; see
 * src/simulate/summary.ts): final losses and cosines, the end of phase 1, the escape time, and the
 * extreme Hessian eigenvalues of the first Hessian record.
 */
import type { DynamicsConfig } from '../../models/dynamics-config.js';
import { summarize, type SummaryTree } from '../summary.js';
import { runDynamics, type DynamicsResult, type DynamicsRunOptions } from './run.js';

/** The per-seed scalars that are summarised (null where a seed has no value, e.g. no escape). */
export interface DynamicsOutcome {
  finalTrainLoss: number;
  finalTestError: number;
  /** Largest principal cosine between span(W) and span(Theta*) at the end. */
  finalTopCosine: number;
  /** Smallest principal cosine (all of span(Theta*) learned when close to 1). */
  finalBottomCosine: number;
  phase1EndStep: number | null;
  phase1EndTime: number | null;
  escapeTime: number | null;
  /** Smallest / largest Hessian eigenvalue at the first Hessian record, and the overlaps of its eigenvector. */
  hessianMin: number | null;
  hessianMinOverlapThetaStar: number | null;
  hessianMinOverlapUnlearned: number | null;
  hessianMax: number | null;
}

export function outcome(r: DynamicsResult): DynamicsOutcome {
  const h = r.hessian[0];
  const lo = h?.smallest?.eigen[0] ?? null;
  const hi = h?.largest ? h.largest.eigen[h.largest.eigen.length - 1] : null;
  const cos = r.final.cosines;
  return {
    finalTrainLoss: r.final.trainLoss,
    finalTestError: r.final.testError,
    finalTopCosine: cos[0],
    finalBottomCosine: cos[cos.length - 1],
    phase1EndStep: r.phase1End?.step ?? null,
    phase1EndTime: r.phase1End?.time ?? null,
    escapeTime: r.escape.time,
    hessianMin: lo?.value ?? null,
    hessianMinOverlapThetaStar: lo?.thetaStar ?? null,
    hessianMinOverlapUnlearned: lo?.unlearned ?? null,
    hessianMax: hi?.value ?? null,
  };
}

export interface DynamicsSeedsResult {
  config: DynamicsConfig;
  seeds: number[];
  runs: DynamicsResult[];
  outcomes: DynamicsOutcome[];
  summary: SummaryTree;
  /** Seeds whose phase-1 plateau was escaped, of all seeds. */
  escaped: { count: number; of: number };
  warnings: string[];
}

export function runDynamicsSeeds(cfg: DynamicsConfig, seeds: number, opts: DynamicsRunOptions & { onSeed?: (i: number) => void } = {}): DynamicsSeedsResult {
  if (!Number.isInteger(seeds) || seeds < 1) throw new RangeError(`--seeds: expected a positive integer, got ${seeds}`);
  const runs: DynamicsResult[] = [];
  for (let i = 0; i < seeds; i++) {
    opts.onSeed?.(i);
    runs.push(runDynamics({ ...cfg, seed: cfg.seed + i }, opts));
  }
  const outcomes = runs.map(outcome);
  return {
    config: cfg,
    seeds: runs.map((r) => r.seed),
    runs,
    outcomes,
    summary: summarize(outcomes),
    escaped: { count: runs.filter((r) => r.escape.status === 'escaped').length, of: runs.length },
    warnings: runs.flatMap((r) => r.warnings.map((w) => `seed ${r.seed}: ${w}`)),
  };
}
