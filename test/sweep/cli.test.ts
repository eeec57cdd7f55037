/**
 * `featlearn sweep | merge | export` as a user runs them: the compiled CLI spawned as a child process.
 * - kill -9 in the middle of a sweep, run it again: the store equals an uninterrupted run's (same keys,
 *   same numbers: results compared exactly, both runs use 2 workers with one BLAS thread each), no
 *   duplicates, SQLite's integrity check passes.
 * - Ctrl-C (SIGINT): exit code 130, finished points kept, the re-run completes the same store.
 * - workers (2, one BLAS thread each) vs this thread (2 BLAS threads): equal to 1e-10 relative (BLAS
 *   reductions split differently; src/simulate/run.ts documents 1e-12).
 * - shards selected from Slurm's array variables, merged: the one-machine store; a corrupted duplicate is
 *   a conflict (exit 2); export CSV/JSON; an invalid sweep file names the key (exit 2).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore, resultDifference, type StoredPoint } from '../../src/store/index.js';
import { compiledCli } from './compiled-cli.js';

let cli: string;
const d = mkdtempSync(join(tmpdir(), 'featlearn-sweep-cli-'));
const sweepFile = join(d, 'tiny.yaml');
// 24 tiny simulate points (d = 60), ~0.1 s each
writeFileSync(
  sweepFile,
  ['name: tiny', 'command: simulate', 'base: { d: 60, width: 40, n0: 30, nTest: 400, risk: { method: monte-carlo }, report: { anatomy: false } }', 'grid:', '  alpha: 1:3:4', '  step.eta: [0.5, 2]', 'seeds: 3', ''].join('\n'),
);
const TOTAL = 24;

function run(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function rows(path: string): StoredPoint[] {
  const s = openStore(path, { readonly: true });
  const p = s.points();
  s.close();
  return p;
}

function count(path: string): number {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM points').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

function integrity(path: string): string {
  const db = new Database(path, { readonly: true });
  const r = db.pragma('integrity_check', { simple: true }) as string;
  db.close();
  return r;
}

/** key -> everything that must agree (not timings, host or provenance). */
function content(path: string): Map<string, string> {
  return new Map(rows(path).map((p) => [p.key, JSON.stringify([p.command, p.seed, p.config, p.params, p.status, p.reason, p.result])]));
}

/** Spawns a sweep and sends `signal` once the store holds at least `after` points. */
async function interrupt(out: string, signal: NodeJS.Signals, after: number, workers: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stored: number; out: string; err: string }> {
  const child = spawn(process.execPath, [cli, 'sweep', sweepFile, '--out', out, '--workers', workers], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let text = '';
  child.stdout.on('data', (b: Buffer) => (text += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig })));
  for (let i = 0; i < 2400 && count(out) < after; i++) await new Promise((r) => setTimeout(r, 25));
  child.kill(signal);
  const e = await exited;
  return { ...e, stored: count(out), out: text, err };
}

beforeAll(() => {
  cli = compiledCli();
  const full = run(['sweep', sweepFile, '--out', join(d, 'full.sqlite'), '--workers', '2']);
  expect(full.code, full.err).toBe(0);
}, 300_000);

describe('featlearn sweep (child process)', () => {
  it('the uninterrupted run stored every point once', () => {
    const p = rows(join(d, 'full.sqlite'));
    expect(p).toHaveLength(TOTAL);
    expect(new Set(p.map((x) => x.key)).size).toBe(TOTAL);
    expect(p.every((x) => x.status === 'ok' && x.threads === 1 && typeof (x.result as { risk: number }).risk === 'number')).toBe(true);
  });

  it('kill -9 mid-sweep, then the same command: the store equals the uninterrupted run, no duplicates', async () => {
    const out = join(d, 'killed.sqlite');
    const k = await interrupt(out, 'SIGKILL', 3, '2');
    expect(k.signal).toBe('SIGKILL');
    expect(k.stored).toBeGreaterThanOrEqual(3);
    expect(k.stored).toBeLessThan(TOTAL); // it was really interrupted
    expect(integrity(out)).toBe('ok');
    const again = run(['--json', 'sweep', sweepFile, '--out', out, '--workers', '2']);
    expect(again.code, again.err).toBe(0);
    const report = JSON.parse(again.out) as { skipped: number; ran: number; storePoints: number };
    expect(report.skipped).toBe(k.stored);
    expect(report.ran).toBe(TOTAL - k.stored);
    expect(report.storePoints).toBe(TOTAL);
    expect(content(out)).toEqual(content(join(d, 'full.sqlite')));
  });

  it('Ctrl-C: exit 130, whole rows, the re-run completes the same store', async () => {
    const out = join(d, 'sigint.sqlite');
    const k = await interrupt(out, 'SIGINT', 2, '1');
    expect(k.code).toBe(130);
    expect(k.err).toMatch(/interrupted; finishing the running points/);
    expect(k.out).toMatch(/INTERRUPTED: \d+ points not run/);
    expect(k.stored).toBeLessThan(TOTAL);
    expect(integrity(out)).toBe('ok');
    expect(run(['sweep', sweepFile, '--out', out, '--workers', '2', '-q']).code).toBe(0);
    const a = content(out);
    expect(a.size).toBe(TOTAL);
    const full = content(join(d, 'full.sqlite'));
    // workers 1 keeps 2 BLAS threads for the points it ran: compare numbers to 1e-10
    for (const [key, v] of a) expect(resultDifference(JSON.parse(v), JSON.parse(full.get(key)!), 1e-10), key).toBeNull();
  });

  it('no workers (2 BLAS threads in this thread) = 2 workers (1 BLAS thread each), to 1e-10 relative', () => {
    const out = join(d, 'inthread.sqlite');
    expect(run(['sweep', sweepFile, '--out', out, '--workers', '0', '-q']).code).toBe(0);
    const a = content(out);
    const b = content(join(d, 'full.sqlite'));
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [key, v] of a) expect(resultDifference(JSON.parse(v), JSON.parse(b.get(key)!), 1e-10), key).toBeNull();
  });

  it('Slurm array shards (from the environment) merge to the one-machine store; a corrupted duplicate conflicts', () => {
    const files = [0, 1, 2].map((i) => {
      const f = join(d, `shard-${i}.sqlite`);
      const r = run(['sweep', sweepFile, '--out', f, '--workers', '2', '-q'], { SLURM_ARRAY_TASK_ID: String(i + 1), SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '3' });
      expect(r.code, r.err).toBe(0);
      expect(count(f)).toBe(TOTAL / 3);
      return f;
    });
    const m = run(['--json', 'merge', ...files, '--out', join(d, 'merged.sqlite')]);
    expect(m.code, m.err).toBe(0);
    expect(JSON.parse(m.out)).toMatchObject({ points: TOTAL, duplicates: 0, conflicts: [] });
    expect(content(join(d, 'merged.sqlite'))).toEqual(content(join(d, 'full.sqlite')));

    const db = new Database(files[1]);
    db.prepare("UPDATE points SET result = json_set(result, '$.risk', 123.5) WHERE rowid = (SELECT MIN(rowid) FROM points)").run();
    db.close();
    const c = run(['merge', join(d, 'full.sqlite'), files[1], '--out', join(d, 'conflict.sqlite')]);
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/1 conflicting duplicate point[\s\S]*result differs at risk: [0-9.e-]+ vs 123\.5/);
    expect(count(join(d, 'conflict.sqlite'))).toBe(0);
  });

  it('export --csv and --json', () => {
    const csv = run(['export', join(d, 'full.sqlite'), '--csv']);
    expect(csv.code).toBe(0);
    const lines = csv.out.trimEnd().split('\n');
    expect(lines).toHaveLength(TOTAL + 1);
    const head = lines[0].split(',');
    expect(head).toEqual(expect.arrayContaining(['key', 'status', 'alpha', 'step.eta', 'risk', 'baselines.randomFeatures.risk']));
    const json = run(['export', join(d, 'full.sqlite'), '--json', '--status', 'ok']);
    const pts = JSON.parse(json.out) as StoredPoint[];
    expect(pts).toHaveLength(TOTAL);
    const byKey = new Map(pts.map((p) => [p.key, p]));
    const riskCol = head.indexOf('risk');
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      expect(Number(cells[riskCol])).toBe((byKey.get(cells[0])!.result as { risk: number }).risk);
    }
    const none = run(['export', join(d, 'full.sqlite')]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/give exactly one of --csv and --json/);
  });

  it('an invalid sweep file is refused naming the key (exit 2); --dry-run counts what is stored; a bad --shard', () => {
    const bad = join(d, 'bad.yaml');
    writeFileSync(bad, 'command: simulate\nbase: { d: 60 }\ngrid:\n  alpha: { start: 1, stop: 2, count: 2.5 }\n');
    const r = run(['sweep', bad, '--out', join(d, 'bad.sqlite')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/grid\.alpha\.count: expected an integer from 1 to 100000, got 2\.5/);
    writeFileSync(bad, 'command: simulate\nbase: { d: 60 }\ngrid:\n  step.eat: [1, 2]\n');
    const r2 = run(['sweep', bad, '--out', join(d, 'bad.sqlite')]);
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/step: unknown key "eat"/);
    const dry = run(['--json', 'sweep', sweepFile, '--out', join(d, 'full.sqlite'), '--dry-run', '--shard', '1/4']);
    expect(dry.code, dry.err).toBe(0);
    expect(JSON.parse(dry.out)).toMatchObject({ points: TOTAL, inShard: TOTAL / 4, stored: TOTAL / 4, toRun: 0 });
    const r3 = run(['sweep', sweepFile, '--out', join(d, 'x.sqlite'), '--shard', '3/3']);
    expect(r3.code).not.toBe(0);
    expect(r3.err).toMatch(/--shard.*expected i\/K with 0 <= i < K/);
  });
});
