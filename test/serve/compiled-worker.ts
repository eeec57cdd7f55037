/**
 * The job worker (src/serve/job-worker.ts) compiled to JavaScript, which worker threads need: dist/ when
 * `npm run build` ran after the last change under src/ (as in CI), otherwise compiled once into
 * node_modules/.cache/featlearn-serve-test and reused while no file under src/ is newer; a lock directory
 * keeps test files running in parallel from compiling at the same time (as test/sweep/compiled-cli.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/native/load.js';

const root = packageRoot();
const out = join(root, 'node_modules', '.cache', 'featlearn-serve-test');
const lock = `${out}.lock`;
const marker = join(out, '.built-at');

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

const sleep = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Path of a compiled src/serve/job-worker.js no older than the sources. */
export function compiledJobWorker(): string {
  const dist = join(root, 'dist', 'src', 'serve', 'job-worker.js');
  if (existsSync(dist) && statSync(dist).mtimeMs >= newestMtime(join(root, 'src'))) return dist;
  const worker = join(out, 'src', 'serve', 'job-worker.js');
  for (;;) {
    if (existsSync(marker) && Number(readFileSync(marker, 'utf8')) >= newestMtime(join(root, 'src'))) return worker;
    try {
      mkdirSync(lock, { recursive: false });
    } catch {
      if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      sleep(500);
      continue;
    }
    try {
      const started = Date.now();
      const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
      const args = ['--outDir', out, '--rootDir', root, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--types', 'node', '--strict'];
      try {
        execFileSync(process.execPath, [tsc, ...args, join(root, 'src', 'serve', 'job-worker.ts')], { stdio: 'pipe' });
      } catch (e) {
        // tsc exits non-zero on type errors anywhere in the tree but still emits; a missing file is the failure.
        void e;
      }
      if (!existsSync(worker)) throw new Error(`compiling the job worker into ${out} failed`);
      writeFileSync(marker, String(started));
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
