/**
 * featlearn's entry points compiled from the current sources (for tests that spawn the CLI as a child
 * process, and for worker threads, which need JavaScript): dist/ when `npm run build` ran after the last
 * change under src/ (as in CI), otherwise compiled once into node_modules/.cache and reused while no file
 * under src/ is newer than the build; a lock directory keeps test files that run in parallel from
 * compiling at the same time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/native/load.js';

const root = packageRoot();
const out = join(root, 'node_modules', '.cache', 'featlearn-cli-test');
const lock = `${out}.lock`;
const marker = join(out, '.built-at');
/** Every entry point a test runs as JavaScript (the CLI, and the scripts of the worker threads). */
const ENTRIES = ['src/cli/main.ts', 'src/sweep/worker.ts', 'src/simulate/worker.ts', 'src/serve/job-worker.ts'];

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

const sleep = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Paths of the compiled `entries` (each one of ENTRIES, e.g. "src/serve/job-worker.ts"): all from dist/
 * when every one there is newer than the sources, else all from the test cache, compiled here.
 */
export function compiledModules(entries: string[]): string[] {
  for (const e of entries) if (!ENTRIES.includes(e)) throw new Error(`${e} is not among the compiled entry points (${ENTRIES.join(', ')})`);
  const js = (dir: string, e: string): string => join(dir, e.replace(/\.ts$/, '.js'));
  const sourcesAt = newestMtime(join(root, 'src'));
  const dist = entries.map((e) => js(root, e).replace(join(root, 'src'), join(root, 'dist', 'src')));
  if (dist.every((p) => existsSync(p) && statSync(p).mtimeMs >= sourcesAt)) return dist;
  const cached = entries.map((e) => js(out, e));
  for (;;) {
    if (existsSync(marker) && Number(readFileSync(marker, 'utf8')) >= newestMtime(join(root, 'src'))) return cached;
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
        execFileSync(process.execPath, [tsc, ...args, ...ENTRIES.map((e) => join(root, e))], { stdio: 'pipe' });
      } catch (e) {
        // tsc exits non-zero on type errors anywhere in the tree but still emits; a missing file is the failure.
        void e;
      }
      const missing = ENTRIES.map((e) => js(out, e)).filter((p) => !existsSync(p));
      if (missing.length > 0) throw new Error(`compiling the entry points into ${out} failed: missing ${missing.join(', ')}`);
      writeFileSync(marker, String(started));
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** Path of the compiled src/cli/main.js (with the sweep worker beside it, which the CLI starts). */
export function compiledCli(): string {
  return compiledModules(['src/cli/main.ts', 'src/sweep/worker.ts'])[0];
}
