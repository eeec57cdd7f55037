/**
 * The featlearn CLI compiled from the current sources (for tests that spawn it as a child process, and
 * for the sweep worker threads, which need JavaScript): dist/ when `npm run build` ran after the last
 * change under src/ (as in CI), otherwise compiled once into node_modules/.cache and
 * reused while no file under src/ is newer than the build; a lock directory keeps test files that run
 * in parallel from compiling at the same time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/native/load.js';

const root = packageRoot();
const out = join(root, 'node_modules', '.cache', 'featlearn-cli-test');
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

/** Path of the compiled src/cli/main.js: dist/ when built after the last source change, else compiled here. */
export function compiledCli(): string {
  const dist = join(root, 'dist', 'src', 'cli', 'main.js');
  const distWorker = join(root, 'dist', 'src', 'sweep', 'worker.js');
  if (existsSync(dist) && existsSync(distWorker) && Math.min(statSync(dist).mtimeMs, statSync(distWorker).mtimeMs) >= newestMtime(join(root, 'src'))) return dist;
  const main = join(out, 'src', 'cli', 'main.js');
  for (;;) {
    if (existsSync(marker) && Number(readFileSync(marker, 'utf8')) >= newestMtime(join(root, 'src'))) return main;
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
        execFileSync(process.execPath, [tsc, ...args, join(root, 'src', 'cli', 'main.ts'), join(root, 'src', 'sweep', 'worker.ts'), join(root, 'src', 'simulate', 'worker.ts')], { stdio: 'pipe' });
      } catch (e) {
        // tsc exits non-zero on type errors anywhere in the tree but still emits; a missing main.js is the failure.
        void e;
      }
      if (!existsSync(main)) throw new Error(`compiling the CLI into ${out} failed`);
      writeFileSync(marker, String(started));
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
