/**
 * Worker-thread entry of one `featlearn serve` job (src/serve/jobs.ts): for each sweep value (or the one
 * config) it runs comparePoint (src/experiments/compare.ts) in this thread, so theory and simulation rows
 * come back together, and posts a message per point. It runs with FEATLEARN_THREADS=1 in its environment
 * (one BLAS thread); the server cancels a job by terminating this worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { comparePoint } from '../experiments/compare.js';
import { getBackend } from '../linalg/index.js';
import type { ExperimentConfig } from '../models/experiment-config.js';
import { withSweepValue } from '../theory/index.js';
import type { JobWorkerData, JobWorkerMessage } from './jobs.js';

const port = parentPort;
if (!port) throw new Error('src/serve/job-worker.ts must run in a worker thread');
const { config, seeds, sweep, spectrum } = workerData as JobWorkerData;

async function run(): Promise<void> {
  const t0 = performance.now();
  const backend = getBackend();
  const values: (number | null)[] = sweep ? sweep.values : [null];
  const total = values.length * seeds;
  port!.postMessage({ type: 'progress', done: 0, total } satisfies JobWorkerMessage);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const cfg: ExperimentConfig = v === null || !sweep ? config : withSweepValue(config, sweep.key, v);
    const p = await comparePoint(cfg, {
      seeds,
      workers: 0,
      backend,
      fullSpectrum: spectrum === true,
      onProgress: (e) => {
        if (e.stage === 'finished' && e.done < seeds) port!.postMessage({ type: 'progress', done: i * seeds + e.done, total } satisfies JobWorkerMessage);
      },
    });
    port!.postMessage({
      type: 'point',
      index: i,
      value: v,
      rows: p.rows,
      method: p.method,
      methodReason: p.methodReason,
      theoryOk: p.theoryOk,
      theoryFailure: p.theoryFailure,
      warnings: p.warnings,
      ...(p.singularValues ? { singularValues: p.singularValues } : {}),
    } satisfies JobWorkerMessage);
    port!.postMessage({ type: 'progress', done: (i + 1) * seeds, total } satisfies JobWorkerMessage);
  }
  port!.postMessage({ type: 'done', seconds: (performance.now() - t0) / 1000, backend: backend.name } satisfies JobWorkerMessage);
}

run().catch((e: unknown) => {
  const err = e as Error;
  port.postMessage({ type: 'error', message: err?.message ?? String(e) } satisfies JobWorkerMessage);
});
