/**
 * Disjoint slices of a sweep: shard i of K (0 <= i < K) holds the points whose expansion index is
 * congruent to i mod K, so the K shards partition the sweep and each gets every K-th point (balanced
 * along any grid axis). Under a Slurm job array the shard comes from the environment:
 *   i = (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP,  K = SLURM_ARRAY_TASK_COUNT
 * (MIN defaults to 0 and STEP to 1), so `--array=0-7` and `--array=1-8` both give shards 0..7 of 8.
 */
import { ConfigError } from '../config/validate.js';

export interface Shard {
  index: number;
  count: number;
}

/** Parses "i/K" (0 <= i < K). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index < count)) {
    throw new ConfigError([`--shard: expected i/K with 0 <= i < K (e.g. 0/4), got "${text}"`]);
  }
  return { index, count };
}

/** The shard of a Slurm array task, or null when SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT are not set. */
export function shardFromSlurm(env: NodeJS.ProcessEnv = process.env): Shard | null {
  const id = env.SLURM_ARRAY_TASK_ID;
  const count = env.SLURM_ARRAY_TASK_COUNT;
  if (id === undefined || id === '' || count === undefined || count === '') return null;
  const int = (name: string, v: string | undefined, dflt: number): number => {
    if (v === undefined || v === '') return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new ConfigError([`${name}: expected a non-negative integer, got "${v}"`]);
    return n;
  };
  const K = int('SLURM_ARRAY_TASK_COUNT', count, 1);
  const min = int('SLURM_ARRAY_TASK_MIN', env.SLURM_ARRAY_TASK_MIN, 0);
  const step = Math.max(1, int('SLURM_ARRAY_TASK_STEP', env.SLURM_ARRAY_TASK_STEP, 1));
  const index = (int('SLURM_ARRAY_TASK_ID', id, 0) - min) / step;
  if (!Number.isInteger(index) || index < 0 || index >= K) {
    throw new ConfigError([`SLURM_ARRAY_TASK_ID: task ${id} is not one of the ${K} tasks from ${min} in steps of ${step}; use a contiguous --array such as 0-${K - 1}, or pass --shard i/K`]);
  }
  return { index, count: K };
}

/** The points of shard `s` (all of them when s is null). */
export function selectShard<T extends { index: number }>(points: readonly T[], s: Shard | null): T[] {
  return s ? points.filter((p) => p.index % s.count === s.index) : [...points];
}
