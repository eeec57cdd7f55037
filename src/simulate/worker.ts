/**
 * Worker-thread entry of `simulate` (./run.ts): runs the seeds it is given, one after another, with one
 * BLAS/kernel thread (FEATLEARN_THREADS=1 in its environment), and posts each RunResult back as it
 * finishes; an error is posted as a message and ends the worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runSeed, type WorkerMessage, type WorkerRequest } from './run.js';
import { SimulationError } from './errors.js';

const port = parentPort;
if (!port) throw new Error('src/simulate/worker.ts must run in a worker thread');
const { config, seeds, run } = workerData as WorkerRequest;
try {
  for (const seed of seeds) port.postMessage({ type: 'run', result: runSeed(config, seed, undefined, run) } satisfies WorkerMessage);
} catch (e) {
  const err = e as Error;
  port.postMessage({ type: 'error', message: err.message, name: err.name, kind: e instanceof SimulationError ? e.kind : undefined } satisfies WorkerMessage);
}
