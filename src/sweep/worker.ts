/**
 * Worker-thread entry of the sweep runner (./runner.ts). It is started with FEATLEARN_THREADS in its
 * environment (1 when several workers run), posts { type: 'ready' }, then runs each point it is sent and
 * posts the finished store row back; the main thread commits it. It never touches the store.
 */
import { parentPort } from 'node:worker_threads';
import { getBackend } from '../linalg/index.js';
import { runPoint } from './point.js';
import type { FromWorker, ToWorker } from './runner.js';

const port = parentPort;
if (!port) throw new Error('src/sweep/worker.ts must run in a worker thread');
const backend = getBackend();
port.on('message', (m: ToWorker) => {
  if (m.type === 'stop') {
    port.close();
    return;
  }
  port.postMessage({ type: 'done', row: runPoint(m.point, m.sweep, backend) } satisfies FromWorker);
});
port.postMessage({ type: 'ready' } satisfies FromWorker);
