/**
 * The sweep runner: runs the points of a plan (or of one shard) that the store does not hold yet, and
 * commits each finished point at once, in its own transaction (src/store/store.ts), from this thread
 * only. A killed run (Ctrl-C, kill -9, power loss) therefore leaves whole rows for the finished points
 * and nothing for the others; re-running the same sweep skips the stored keys and runs the rest, so the
 * store ends equal to an uninterrupted run's. Failed points are stored as failures and skipped on
 * re-runs too, unless `retryFailed`.
 *
 * Parallelism: `workers` = 0 runs the points here; W >= 1 runs them in W worker threads, handing out one
 * point at a time to whichever is idle. OpenBLAS's thread count is process-global (openblas_set_num_threads
 * sets it for every thread of the process), so with W > 1 the count is set to 1 while the workers run
 * (each worker starts with FEATLEARN_THREADS=1) and restored afterwards; W BLAS-bound points then use W
 * cores without oversubscription. A single worker keeps this process's thread count.
 *
 * Stopping: when `signal` aborts, no new point is started and the running ones finish and are committed;
 * when `abandon` aborts, the workers are terminated and their running points dropped (nothing written).
 * A point computed in this thread (W = 0) cannot be interrupted, only finished.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { hostname } from 'node:os';
import type { LinalgBackend } from '../linalg/backend.js';
import { getBackend } from '../linalg/index.js';
import { packageRoot } from '../native/load.js';
import { featlearnVersion } from '../provenance/version.js';
import { gitCommit } from '../provenance/record.js';
import type { Store, StoredPoint } from '../store/store.js';
import type { SweepPlan, SweepPoint } from './expand.js';
import { runPoint } from './point.js';
import { selectShard, type Shard } from './shard.js';

export type ToWorker = { type: 'run'; point: SweepPoint; sweep: string } | { type: 'stop' };
export type FromWorker = { type: 'ready' } | { type: 'done'; row: StoredPoint };

export interface PointEvent {
  row: StoredPoint;
  /** Points committed by this run so far, of `total` to run. */
  done: number;
  total: number;
}

export interface SweepRunOptions {
  /** Worker threads (0: run in this thread; default 0). */
  workers?: number;
  /** Run only this shard (null: all points). */
  shard?: Shard | null;
  /** Run again the points stored as failures (default false: they count as done). */
  retryFailed?: boolean;
  /** Called after each committed point. */
  onPoint?: (e: PointEvent) => void;
  /** Called once the points to run are known (after skipping the stored ones). */
  onStart?: (info: { total: number; skipped: number; workers: number }) => void;
  /** Stop starting points; the running ones finish and are committed. */
  signal?: AbortSignal;
  /** Terminate the workers now; their running points are dropped. */
  abandon?: AbortSignal;
  backend?: LinalgBackend;
}

export interface SweepRunReport {
  sweep: string;
  /** Points of the whole sweep, and of this shard. */
  points: number;
  shard: Shard | null;
  inShard: number;
  /** Already in the store (skipped). */
  skipped: number;
  /** Committed by this run, split by status. */
  ran: number;
  ok: number;
  failed: number;
  /** Not run because the sweep was stopped (and, of those, running points dropped). */
  remaining: number;
  abandoned: number;
  interrupted: boolean;
  workers: number;
  seconds: number;
}

/** The compiled worker script; from TypeScript sources, dist/ must be built. */
export function sweepWorkerScript(): string {
  const here = new URL(import.meta.url);
  if (here.pathname.endsWith('.js')) return fileURLToPath(new URL('./worker.js', here));
  const built = join(packageRoot(), 'dist', 'src', 'sweep', 'worker.js');
  if (!existsSync(built)) throw new Error(`workers: the compiled sweep worker ${built} is missing; run npm run build (or use --workers 0)`);
  return built;
}

export async function runSweep(plan: SweepPlan, store: Store, opts: SweepRunOptions = {}): Promise<SweepRunReport> {
  const t0 = performance.now();
  const backend = opts.backend ?? getBackend();
  const shard = opts.shard ?? null;
  const mine = selectShard(plan.points, shard);
  const stored = opts.retryFailed ? store.keys('ok') : store.keys();
  const todo = mine.filter((p) => !stored.has(p.key));
  const requested = opts.workers ?? 0;
  if (!Number.isInteger(requested) || requested < 0) throw new RangeError(`workers: expected a non-negative integer, got ${String(requested)}`);
  const W = Math.min(requested, todo.length);
  const report: SweepRunReport = {
    sweep: plan.name,
    points: plan.points.length,
    shard,
    inShard: mine.length,
    skipped: mine.length - todo.length,
    ran: 0,
    ok: 0,
    failed: 0,
    remaining: 0,
    abandoned: 0,
    interrupted: false,
    workers: W,
    seconds: 0,
  };
  opts.onStart?.({ total: todo.length, skipped: report.skipped, workers: W });
  const commit = (row: StoredPoint): void => {
    store.insert({ ...row, createdAt: new Date().toISOString() }, { replace: opts.retryFailed });
    report.ran++;
    if (row.status === 'ok') report.ok++;
    else report.failed++;
    opts.onPoint?.({ row, done: report.ran, total: todo.length });
  };
  const stopped = (): boolean => Boolean(opts.signal?.aborted || opts.abandon?.aborted);

  if (W === 0) {
    for (const p of todo) {
      if (stopped()) break;
      commit(runPoint(p, plan.name, backend));
      await new Promise((r) => setImmediate(r)); // let signal handlers run between points
    }
  } else {
    const before = backend.info().threads;
    if (W > 1) backend.setThreads(1);
    try {
      await runInWorkers(plan.name, todo, W, W > 1 ? 1 : before, commit, opts, report);
    } finally {
      if (W > 1) backend.setThreads(before);
    }
  }
  report.remaining = todo.length - report.ran;
  report.interrupted = report.remaining > 0;
  report.seconds = (performance.now() - t0) / 1000;
  return report;
}

function runInWorkers(sweep: string, todo: SweepPoint[], W: number, threads: number, commit: (row: StoredPoint) => void, opts: SweepRunOptions, report: SweepRunReport): Promise<void> {
  const script = sweepWorkerScript();
  let next = 0;
  let live = 0;
  const workers = new Set<Worker>();
  const onAbandon = (): void => {
    for (const w of workers) void w.terminate();
  };
  opts.abandon?.addEventListener('abort', onAbandon, { once: true });
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (e?: Error): void => {
      if (settled) return;
      if (e) {
        settled = true;
        for (const w of workers) void w.terminate();
        reject(e);
      } else if (live === 0) {
        settled = true;
        resolve();
      }
    };
    const start = (): void => {
      const w = new Worker(script, { env: { ...process.env, FEATLEARN_THREADS: String(threads) } });
      workers.add(w);
      live++;
      let running: SweepPoint | null = null;
      const feed = (): void => {
        if (next < todo.length && !opts.signal?.aborted && !opts.abandon?.aborted) {
          running = todo[next++];
          w.postMessage({ type: 'run', point: running, sweep } satisfies ToWorker);
        } else {
          running = null;
          void w.terminate();
        }
      };
      let ready = false;
      w.on('message', (m: FromWorker) => {
        if (m.type === 'ready') ready = true;
        if (m.type === 'done') {
          running = null;
          try {
            commit(m.row);
          } catch (e) {
            finish(e as Error);
            return;
          }
        }
        feed();
      });
      w.on('error', (e) => {
        // A worker that cannot even start (e.g. a broken build) fails the sweep instead of being replaced forever.
        if (!ready) {
          finish(new Error(`sweep worker failed to start: ${e.message}`));
          return;
        }
        // An uncaught error in the worker itself (not in a point, those are caught): the point is a failure.
        if (running && !opts.abandon?.aborted) {
          const p: SweepPoint = running;
          running = null;
          try {
            commit(crashRow(p, sweep, e));
          } catch (err) {
            finish(err as Error);
          }
        }
      });
      w.on('exit', () => {
        workers.delete(w);
        live--;
        if (running) report.abandoned++;
        // replace a worker that died while there is work left (and we are not stopping)
        if (!settled && next < todo.length && !opts.signal?.aborted && !opts.abandon?.aborted && running === null && workers.size < W) start();
        finish();
      });
    };
    for (let i = 0; i < W; i++) start();
  }).finally(() => opts.abandon?.removeEventListener('abort', onAbandon));
}

function crashRow(p: SweepPoint, sweep: string, e: Error): StoredPoint {
  const now = new Date().toISOString();
  return {
    key: p.key,
    command: p.command,
    sweep,
    index: p.index,
    params: p.params,
    config: p.config,
    seed: p.seed,
    status: 'failed',
    reason: `worker crashed: ${e.name}: ${e.message}`,
    result: null,
    featlearn: featlearnVersion(),
    gitCommit: gitCommit(),
    backend: 'unknown',
    threads: 0,
    hostname: hostname(),
    seconds: 0,
    startedAt: now,
    createdAt: now,
  };
}
