/**
 * The job queue of `featlearn serve`: a bounded FIFO of simulation jobs run one at a time, each in a
 * fresh worker thread (./job-worker.ts, one BLAS thread), and the Server-Sent Event streams that report
 * them (docs/explorer.md, "Server API").
 *
 * Every event of a job is kept, so a subscriber that comes late gets the events so far replayed, then
 * the live ones; a stream ends after the terminal event (done, error or cancelled). Cancelling a running
 * job terminates its worker; a worker that crashes or exits early ends its job with `error` and the queue
 * goes on. A queued or running job whose last subscriber disconnects is cancelled after `graceMs`, and
 * one that nobody subscribes to within `subscribeTimeoutMs` of its creation likewise.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ExperimentConfig } from '../models/experiment-config.js';
import { packageRoot } from '../native/load.js';
import { featlearnVersion } from '../provenance/version.js';
import { TERMINAL_EVENTS, type JobEventName, type JobEvents, type PointRow, type SweepKey } from './protocol.js';

/** What a job worker receives. */
export interface JobWorkerData {
  config: ExperimentConfig;
  seeds: number;
  sweep?: { key: SweepKey; values: number[] };
  /** Send the singular values of W1 with each point. */
  spectrum?: boolean;
}

/** What a job worker posts. */
export type JobWorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | ({ type: 'point'; index: number; value: number | null; rows: PointRow[] } & Omit<JobEvents['point'], 'index' | 'value' | 'rows'>)
  | { type: 'done'; seconds: number; backend: string }
  | { type: 'error'; message: string };

export type JobState = 'queued' | 'running' | 'done' | 'error' | 'cancelled';

interface StoredEvent {
  id: number;
  name: JobEventName;
  data: unknown;
}

export interface Job {
  id: string;
  data: JobWorkerData;
  points: number;
  state: JobState;
  events: StoredEvent[];
  clients: Set<ServerResponse>;
  everSubscribed: boolean;
  worker?: Worker;
  timer?: NodeJS.Timeout;
  finishedAt?: number;
}

export interface JobManagerOptions {
  maxQueue: number;
  /** Worker script (default: the compiled ./job-worker.js; see jobWorkerScript). */
  workerScript?: string;
  /** Cancel a job this long after its last subscriber left (default 5000 ms). */
  graceMs?: number;
  /** Cancel a job nobody subscribed to this long after it was created (default 60000 ms). */
  subscribeTimeoutMs?: number;
  /** Finished jobs kept for late subscribers (default 100). */
  keepFinished?: number;
  /** Interval of the heartbeat comments on open streams (default 15000 ms). */
  heartbeatMs?: number;
}

export class QueueFullError extends Error {
  constructor(readonly maxQueue: number) {
    super(`the job queue is full (${maxQueue} jobs waiting or running; the limit is configurable with featlearn serve --max-queue N); try again when one has finished`);
    this.name = 'QueueFullError';
  }
}

/** The compiled worker script: ./job-worker.js beside this module, or dist/ when running from TypeScript. */
export function jobWorkerScript(): string {
  const here = new URL(import.meta.url);
  if (here.pathname.endsWith('.js')) return fileURLToPath(new URL('./job-worker.js', here));
  const built = join(packageRoot(), 'dist', 'src', 'serve', 'job-worker.js');
  if (!existsSync(built)) throw new Error(`the compiled job worker ${built} is missing; run npm run build`);
  return built;
}

function sseFrame(e: StoredEvent): string {
  return `id: ${e.id}\nevent: ${e.name}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

export class JobManager {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private running: Job | null = null;
  /** A worker being terminated: the next job waits for it. */
  private stopping: Promise<unknown> | null = null;
  private closed = false;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly graceMs: number;
  private readonly subscribeTimeoutMs: number;
  private readonly keepFinished: number;

  constructor(private readonly opts: JobManagerOptions) {
    this.graceMs = opts.graceMs ?? 5000;
    this.subscribeTimeoutMs = opts.subscribeTimeoutMs ?? 60_000;
    this.keepFinished = opts.keepFinished ?? 100;
    this.heartbeat = setInterval(() => {
      for (const job of this.jobs.values()) for (const res of job.clients) res.write(': heartbeat\n\n');
    }, opts.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
  }

  /** Jobs waiting or running. */
  get active(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /** Queues a job; throws QueueFullError when maxQueue jobs are waiting or running. */
  submit(data: JobWorkerData): Job {
    if (this.closed) throw new Error('the server is closing');
    if (this.active >= this.opts.maxQueue) throw new QueueFullError(this.opts.maxQueue);
    const job: Job = {
      id: randomUUID(),
      data,
      points: data.sweep?.values.length ?? 1,
      state: 'queued',
      events: [],
      clients: new Set(),
      everSubscribed: false,
    };
    this.jobs.set(job.id, job);
    this.queue.push(job);
    this.emit(job, 'queued', { position: this.position(job) });
    this.armTimer(job, this.subscribeTimeoutMs);
    this.pump();
    return job;
  }

  /** Jobs ahead of this one (0 when it runs or would run next with nothing running). */
  position(job: Job): number {
    if (job.state === 'running') return 0;
    const i = this.queue.indexOf(job);
    return i < 0 ? 0 : i + (this.running || this.stopping ? 1 : 0);
  }

  /** Cancels a queued or running job; false when unknown. A finished job stays as it was. */
  cancel(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job) return false;
    if (job.state === 'queued') {
      this.queue.splice(this.queue.indexOf(job), 1);
      this.finish(job, 'cancelled', {});
      this.announcePositions();
    } else if (job.state === 'running') {
      this.stopWorker(job);
      this.finish(job, 'cancelled', {});
      this.pump();
    }
    return true;
  }

  /**
   * Streams a job's events (replayed, then live) to an SSE response; with `afterId` (the Last-Event-ID
   * an EventSource sends when it reconnects) only the events after that one are replayed.
   */
  subscribe(job: Job, res: ServerResponse, afterId = -1): void {
    if (this.isFinished(job) && afterId >= job.events.length - 1) {
      // an EventSource reconnecting after the end: 204 tells it to stop retrying
      res.writeHead(204, { 'cache-control': 'no-store' });
      res.end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(': featlearn job stream\nretry: 2000\n\n');
    for (const e of job.events) if (e.id > afterId) res.write(sseFrame(e));
    if (this.isFinished(job)) {
      res.end();
      return;
    }
    job.clients.add(res);
    job.everSubscribed = true;
    this.clearTimer(job);
    res.on('close', () => {
      job.clients.delete(res);
      if (job.clients.size === 0 && !this.isFinished(job)) this.armTimer(job, this.graceMs);
    });
  }

  /** Cancels everything and stops the heartbeat (server shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const job of [...this.queue]) this.cancel(job.id);
    if (this.running) this.cancel(this.running.id);
    await this.stopping;
    for (const job of this.jobs.values()) {
      this.clearTimer(job);
      for (const res of job.clients) res.end();
      job.clients.clear();
    }
  }

  private isFinished(job: Job): boolean {
    return job.state === 'done' || job.state === 'error' || job.state === 'cancelled';
  }

  private armTimer(job: Job, ms: number): void {
    this.clearTimer(job);
    job.timer = setTimeout(() => {
      job.timer = undefined;
      if (job.clients.size === 0 && !this.isFinished(job)) this.cancel(job.id);
    }, ms);
    job.timer.unref();
  }

  private clearTimer(job: Job): void {
    if (job.timer) clearTimeout(job.timer);
    job.timer = undefined;
  }

  private emit<K extends JobEventName>(job: Job, name: K, data: JobEvents[K]): void {
    const e: StoredEvent = { id: job.events.length, name, data };
    job.events.push(e);
    const frame = sseFrame(e);
    for (const res of job.clients) res.write(frame);
    if (TERMINAL_EVENTS.includes(name)) {
      for (const res of job.clients) res.end();
      job.clients.clear();
    }
  }

  private finish(job: Job, state: 'done' | 'error' | 'cancelled', data: JobEvents['done'] | JobEvents['error'] | JobEvents['cancelled']): void {
    if (this.isFinished(job)) return;
    job.state = state;
    job.finishedAt = Date.now();
    this.clearTimer(job);
    if (this.running === job) this.running = null;
    this.emit(job, state, data as never);
    this.prune();
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => this.isFinished(j));
    for (const j of finished.slice(0, Math.max(0, finished.length - this.keepFinished))) this.jobs.delete(j.id);
  }

  private announcePositions(): void {
    for (const job of this.queue) {
      const position = this.position(job);
      const last = [...job.events].reverse().find((e) => e.name === 'queued');
      if (!last || (last.data as JobEvents['queued']).position !== position) this.emit(job, 'queued', { position });
    }
  }

  private stopWorker(job: Job): void {
    const w = job.worker;
    job.worker = undefined;
    if (!w) return;
    w.removeAllListeners('message');
    const stopped: Promise<void> = w
      .terminate()
      .catch(() => undefined)
      .then(() => {
        if (this.stopping === stopped) this.stopping = null;
        this.pump();
      });
    this.stopping = stopped;
  }

  /** Starts the next job when nothing runs and no worker is still stopping. */
  private pump(): void {
    if (this.closed || this.running || this.stopping) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    job.state = 'running';
    this.announcePositions();
    this.emit(job, 'started', {});
    let script: string;
    try {
      script = this.opts.workerScript ?? jobWorkerScript();
    } catch (e) {
      this.finish(job, 'error', { message: (e as Error).message });
      this.pump();
      return;
    }
    let worker: Worker;
    try {
      worker = new Worker(script, { workerData: job.data satisfies JobWorkerData, env: { ...process.env, FEATLEARN_THREADS: '1' }, stdout: true, stderr: false });
    } catch (e) {
      this.finish(job, 'error', { message: `cannot start the simulation worker: ${(e as Error).message}` });
      this.pump();
      return;
    }
    worker.stdout.resume();
    job.worker = worker;
    worker.on('message', (m: JobWorkerMessage) => {
      if (job.worker !== worker) return;
      switch (m.type) {
        case 'progress':
          this.emit(job, 'progress', { done: m.done, total: m.total });
          break;
        case 'point': {
          const { type: _t, ...point } = m;
          this.emit(job, 'point', point);
          break;
        }
        case 'done':
          this.stopWorker(job);
          this.finish(job, 'done', {
            seconds: m.seconds,
            provenance: { featlearn: featlearnVersion(), backend: m.backend, seed: job.data.config.seed, config: job.data.config },
          });
          break;
        case 'error':
          this.stopWorker(job);
          this.finish(job, 'error', { message: m.message });
          break;
      }
    });
    worker.on('error', (e) => {
      if (job.worker !== worker) return;
      this.stopWorker(job);
      this.finish(job, 'error', { message: `the simulation worker crashed: ${e.message}` });
    });
    worker.on('exit', (code) => {
      if (job.worker !== worker) return;
      job.worker = undefined;
      this.finish(job, 'error', { message: `the simulation worker exited (code ${code}) before finishing` });
      this.pump();
    });
  }
}
