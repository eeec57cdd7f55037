/**
 * featlearn's linear algebra: the backend in use, backends by name, and the matrix helpers.
 *
 * `getBackend()` follows `chooseBackend()` (src/native/select.ts): native (OpenBLAS/LAPACK) when the addon
 * loads, portable TypeScript otherwise, FEATLEARN_BACKEND=native|portable forcing one. Its thread count is set
 * once from `defaultThreads()` (FEATLEARN_THREADS, else the number of cores); change it with `setThreads`.
 */
import type { BackendName, LinalgBackend } from './backend.js';
import { NativeBackend } from './native-backend.js';
import { PortableBackend } from './portable-backend.js';
import { loadNative } from '../native/load.js';
import { chooseBackend, defaultThreads } from '../native/select.js';

export { LinalgError } from './backend.js';
export type { BackendInfo, BackendName, EighResult, LinalgBackend, SvdResult } from './backend.js';
export { ELEMENTWISE_KINDS } from './elementwise.js';
export type { ElementwiseKernel, ElementwiseMode } from './elementwise.js';
export { clone, fromArray, fromRows, get, identity, precisionOf, transpose, zeros } from './matrix.js';
export type { FloatArray, Matrix, Precision } from './matrix.js';

const instances: Partial<Record<BackendName, LinalgBackend>> = {};
let current: LinalgBackend | undefined;

/** The backend featlearn uses (created on first call, threads from defaultThreads()). */
export function getBackend(): LinalgBackend {
  if (!current) current = getBackendByName(chooseBackend().name);
  return current;
}

/**
 * A backend by name, for tests and benchmarks; ignores FEATLEARN_BACKEND. Throws when 'native' is asked for
 * and the addon cannot be loaded (with the loader's reason). One instance per name, shared with getBackend().
 */
export function getBackendByName(name: BackendName): LinalgBackend {
  const existing = instances[name];
  if (existing) return existing;
  let backend: LinalgBackend;
  if (name === 'native') {
    const load = loadNative();
    if (!load.ok) throw new Error(`linalg backend "native" is unavailable: ${load.reason}`);
    backend = new NativeBackend(load.addon);
  } else if (name === 'portable') {
    backend = new PortableBackend();
  } else {
    throw new Error(`linalg backend: expected "native" or "portable", got ${JSON.stringify(name)}`);
  }
  backend.setThreads(defaultThreads());
  instances[name] = backend;
  return backend;
}
