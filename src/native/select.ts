/**
 * Which backend featlearn uses: `FEATLEARN_BACKEND=native|portable` forces one; otherwise native when the
 * addon loads, portable (with one warning line on stderr, once) when it does not. Shared by linalg and
 * random so that both always agree.
 */
import { availableParallelism } from 'node:os';
import { loadNative, type NativeAddon } from './load.js';

export type BackendChoice = { name: 'native'; addon: NativeAddon; reason: string } | { name: 'portable'; reason: string };

let warned = false;
let cachedChoice: BackendChoice | undefined;

export function chooseBackend(): BackendChoice {
  if (cachedChoice) return cachedChoice;
  const forced = process.env.FEATLEARN_BACKEND;
  if (forced !== undefined && forced !== '' && forced !== 'native' && forced !== 'portable') {
    throw new Error(`FEATLEARN_BACKEND: expected "native" or "portable", got "${forced}"`);
  }
  const load = loadNative();
  if (forced === 'portable') {
    cachedChoice = { name: 'portable', reason: 'forced by FEATLEARN_BACKEND=portable' };
  } else if (load.ok) {
    cachedChoice = { name: 'native', addon: load.addon, reason: forced === 'native' ? 'forced by FEATLEARN_BACKEND=native' : 'native addon loaded' };
    // The addon's kernels (random fills, elementwise) and BLAS share one thread count: apply
    // FEATLEARN_THREADS as soon as the addon is chosen, whichever module uses it first.
    (load.addon.setThreads as (n: number) => void)(defaultThreads());
  } else if (forced === 'native') {
    throw new Error(`FEATLEARN_BACKEND=native but the native addon is unavailable: ${load.reason}`);
  } else {
    cachedChoice = { name: 'portable', reason: load.reason };
    if (!warned && process.env.FEATLEARN_QUIET_BACKEND !== '1') {
      warned = true;
      process.stderr.write(`featlearn: warning: using the portable TypeScript backend (~20x slower linear algebra): ${load.reason}\n`);
    }
  }
  return cachedChoice;
}

/** Thread count from FEATLEARN_THREADS (validated), default = number of cores. */
export function defaultThreads(): number {
  const raw = process.env.FEATLEARN_THREADS;
  if (raw === undefined || raw === '') return availableParallelism();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1024) {
    throw new Error(`FEATLEARN_THREADS: expected an integer from 1 to 1024, got "${raw}"`);
  }
  return n;
}
