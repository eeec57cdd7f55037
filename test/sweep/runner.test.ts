/**
 * The sweep runner in this thread: every point committed once, re-runs skip stored points, a stopped run
 * resumes to the uninterrupted result, shards partition the sweep and merge to one run's store, failures
 * are stored as failures (with the engine's reason, no numbers), and the Slurm array environment.
 * (Worker threads and kill -9 of the real CLI: cli.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/validate.js';
import { mergeStores, openStore, type StoredPoint } from '../../src/store/index.js';
import { expandSweep, parseShard, runSweep, selectShard, shardFromSlurm } from '../../src/sweep/index.js';
import { resolveExperimentConfig } from '../../src/models/experiment-config.js';
import { theory } from '../../src/theory/index.js';

const dir = (): string => mkdtempSync(join(tmpdir(), 'featlearn-sweep-'));
const plan = expandSweep({ name: 'lc', command: 'theory', base: { d: 200, report: { anatomy: false } }, grid: { alpha: '0.5:3:6', 'step.eta': [0.5, 1] }, seeds: 2 });

/** What must agree between two stores: key -> status, reason, result. */
function content(path: string): Map<string, string> {
  const s = openStore(path, { readonly: true });
  const m = new Map(s.points().map((p: StoredPoint) => [p.key, JSON.stringify([p.command, p.seed, p.config, p.status, p.reason, p.result])]));
  s.close();
  return m;
}

describe('runSweep (in this thread)', () => {
  const d = dir();
  const full = join(d, 'full.sqlite');

  it('commits every point once; a re-run skips them all', async () => {
    const s = openStore(full);
    const r = await runSweep(plan, s, { workers: 0 });
    expect(r).toMatchObject({ points: 24, inShard: 24, skipped: 0, ran: 24, ok: 24, failed: 0, interrupted: false });
    const again = await runSweep(plan, s, { workers: 0 });
    expect(again).toMatchObject({ ran: 0, skipped: 24 });
    expect(s.count()).toBe(24);
    expect(new Set(s.points().map((p) => p.key))).toEqual(new Set(plan.points.map((p) => p.key)));
    const p = s.get(plan.points[3].key)!;
    expect(p).toMatchObject({ command: 'theory', sweep: 'lc', index: 3, params: plan.points[3].params, seed: plan.points[3].seed, status: 'ok', reason: null });
    expect(typeof (p.result as { risk: number }).risk).toBe('number');
    s.close();
  });

  it('a stored point is what the engine gives for the config written out by hand', () => {
    const s = openStore(full, { readonly: true });
    // alpha = 0.5 + 2.5 * 3/5 = 2 (the 4th of 6 values from 0.5 to 3), step.eta = 1, seed 1
    const cfg = resolveExperimentConfig({ d: 200, alpha: 2, step: { eta: 1 }, report: { anatomy: false }, seed: 1 });
    const stored = s.points().filter((p) => p.params.alpha === 2 && p.params['step.eta'] === 1 && p.seed === 1);
    s.close();
    expect(stored).toHaveLength(1);
    expect(stored[0].config).toEqual(JSON.parse(JSON.stringify(cfg)));
    expect(stored[0].result).toEqual(JSON.parse(JSON.stringify(theory(cfg))));
  });

  it('a stopped run resumes to the uninterrupted store', async () => {
    const path = join(d, 'stopped.sqlite');
    const s = openStore(path);
    const stop = new AbortController();
    const r = await runSweep(plan, s, { workers: 0, onPoint: ({ done }) => done === 5 && stop.abort(), signal: stop.signal });
    expect(r).toMatchObject({ ran: 5, remaining: 19, interrupted: true });
    const r2 = await runSweep(plan, s, { workers: 0 });
    expect(r2).toMatchObject({ ran: 19, skipped: 5, interrupted: false });
    s.close();
    expect(content(path)).toEqual(content(full));
  });

  it('shards partition the points; their stores merge to one run\'s', async () => {
    const K = 3;
    const parts = Array.from({ length: K }, (_, i) => selectShard(plan.points, { index: i, count: K }).map((p) => p.key));
    expect(parts.flat().sort()).toEqual(plan.points.map((p) => p.key).sort());
    expect(new Set(parts.flat()).size).toBe(plan.points.length);
    const files: string[] = [];
    for (let i = 0; i < K; i++) {
      const f = join(d, `shard-${i}.sqlite`);
      const s = openStore(f);
      const r = await runSweep(plan, s, { workers: 0, shard: { index: i, count: K } });
      expect(r.ran).toBe(parts[i].length);
      s.close();
      files.push(f);
    }
    const m = mergeStores(files, join(d, 'merged.sqlite'));
    expect(m).toMatchObject({ points: 24, duplicates: 0, conflicts: [] });
    expect(content(join(d, 'merged.sqlite'))).toEqual(content(full));
    // merging a shard again, or the full run, adds nothing and conflicts with nothing
    const m2 = mergeStores([files[0], full], join(d, 'merged.sqlite'));
    expect(m2).toMatchObject({ points: 24, duplicates: 24 + parts[0].length, conflicts: [] });
  });

  it('failures are stored as failures with the reason, never numbers; --retry-failed runs them again', async () => {
    const bad = expandSweep({
      command: 'theory',
      base: { d: 100, report: { anatomy: false } },
      points: [{ 'step.scaling': 'power', 'step.exponent': 0.3 }, { alpha: 1 }],
    });
    const s = openStore(join(dir(), 'f.sqlite'));
    const r = await runSweep(bad, s, { workers: 0 });
    expect(r).toMatchObject({ ran: 2, ok: 1, failed: 1 });
    const failed = s.points({ status: 'failed' });
    expect(failed).toHaveLength(1);
    expect(failed[0].reason).toMatch(/ConfigError: .*step\.scaling: .*"power" with exponent 0\.3/s);
    expect(failed[0].result).toBeNull();
    expect((await runSweep(bad, s, { workers: 0 })).ran).toBe(0);
    expect(await runSweep(bad, s, { workers: 0, retryFailed: true })).toMatchObject({ ran: 1, failed: 1 });
    expect(s.count()).toBe(2);
    s.close();
  });

  it('a simulate point that would not fit in memory is a failure naming the memory check', async () => {
    const big = expandSweep({ command: 'simulate', base: { d: 2_000_000, width: 2_000_000 } });
    const s = openStore(join(dir(), 'm.sqlite'));
    await runSweep(big, s, { workers: 0 });
    const [p] = s.points();
    expect(p.status).toBe('failed');
    expect(p.reason).toMatch(/SimulationError \(memory\)/);
    s.close();
  });
});

describe('shards', () => {
  it('parses i/K and refuses bad ones naming --shard', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    for (const bad of ['5/5', '1', 'a/b', '-1/3', '0/0']) expect(() => parseShard(bad)).toThrow(/--shard: expected i\/K with 0 <= i < K/);
  });

  it('reads Slurm array variables (0-based, 1-based, stepped arrays)', () => {
    expect(shardFromSlurm({})).toBeNull();
    expect(shardFromSlurm({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0' })).toEqual({ index: 3, count: 4 });
    expect(shardFromSlurm({ SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' })).toEqual({ index: 0, count: 4 });
    expect(shardFromSlurm({ SLURM_ARRAY_TASK_ID: '10', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_MIN: '2', SLURM_ARRAY_TASK_STEP: '4' })).toEqual({ index: 2, count: 3 });
    expect(() => shardFromSlurm({ SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_COUNT: '4' })).toThrow(ConfigError);
    expect(() => shardFromSlurm({ SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_COUNT: '4' })).toThrow(/SLURM_ARRAY_TASK_ID: task 7 is not one of the 4 tasks/);
    expect(() => shardFromSlurm({ SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '4' })).toThrow(/SLURM_ARRAY_TASK_ID: expected a non-negative integer, got "x"/);
  });
});
