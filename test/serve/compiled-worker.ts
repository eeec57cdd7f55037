/**
 * The job worker (src/serve/job-worker.ts) compiled to JavaScript, which worker threads need: dist/ when
 * it is newer than the sources (as in CI), otherwise the test cache of test/sweep/compiled-cli.ts.
 */
import { compiledModules } from '../sweep/compiled-cli.js';

/** Path of a compiled src/serve/job-worker.js no older than the sources. */
export function compiledJobWorker(): string {
  return compiledModules(['src/serve/job-worker.ts'])[0];
}
