/**
 * Reproducibility (issue 3): the same seed gives identical numbers; different BLAS thread counts and
 * worker layouts agree to 1e-12 relative; float32 is within 1e-4 of float64 on the risk; the keys of the
 * components are independent (changing nTest never changes the step or the readout).
 * The worker comparison needs the compiled package: beforeAll compiles src/simulate/worker.ts (and what it
 * imports) with tsc into a scratch directory inside the package, and the compiled run.js is compared with
 * itself in workers and in this thread.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getBackend } from '../../src/linalg/index.js';
import { packageRoot } from '../../src/native/load.js';
import { resolveExperimentConfig } from '../../src/models/experiment-config.js';
import { runSeed, simulate, type RunResult } from '../../src/simulate/run.js';

const backend = getBackend();
const base = resolveExperimentConfig({
  d: 120,
  width: 150,
  n0: 60,
  n: 300,
  nTest: 3000,
  student: { activation: 'tanh' },
  teacher: { kind: 'single-index', link: 'relu', noise: 0.1 },
  step: { eta: 1.5, scaling: 'sqrtN' },
  risk: { method: 'monte-carlo' },
  report: { baselines: true, anatomy: false },
  seed: 3,
});

function numbers(r: RunResult): number[] {
  const b = r.baselines!;
  return [r.risk, r.trainError, r.riskStdErr!, b.randomFeatures.risk, b.randomFeatures.trainError, b.linear.sameLambda.risk, b.linear.bestOnGrid.risk];
}

function maxRelDiff(a: number[], b: number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]) / Math.abs(v)));
}

describe('reproducibility', () => {
  it('the same seed gives identical numbers; another seed different ones', () => {
    const a = runSeed(base, 3);
    const b = runSeed(base, 3);
    expect(numbers(b)).toEqual(numbers(a));
    expect(numbers(runSeed(base, 4))[0]).not.toBe(a.risk);
  });

  it('BLAS/kernel threads 1 vs 2: equal to 1e-12 relative', () => {
    const before = backend.info().threads;
    try {
      backend.setThreads(1);
      const one = numbers(runSeed(base, 5));
      backend.setThreads(2);
      const two = numbers(runSeed(base, 5));
      expect(maxRelDiff(one, two)).toBeLessThan(1e-12);
    } finally {
      backend.setThreads(before);
    }
  });

  it('float32 is within 1e-4 of float64 on the risk', () => {
    const r64 = runSeed(base, 6);
    const r32 = runSeed({ ...base, precision: 'float32' }, 6);
    expect(Math.abs(r32.risk - r64.risk)).toBeLessThan(1e-4);
    expect(Math.abs(r32.trainError - r64.trainError)).toBeLessThan(1e-4);
    expect(r32.risk).not.toBe(r64.risk);
  });

  it('changing nTest leaves the step and the readout untouched (independent keys)', () => {
    const a = runSeed(base, 7);
    const b = runSeed({ ...base, nTest: 1000 }, 7);
    expect(b.trainError).toBe(a.trainError);
    expect(b.baselines!.linear.sameLambda.risk).toBe(a.baselines!.linear.sameLambda.risk);
    expect(b.risk).not.toBe(a.risk);
  });
});

describe('worker threads', () => {
  let compiled: typeof import('../../src/simulate/run.js');
  beforeAll(() => {
    const out = join(packageRoot(), 'node_modules', '.cache', 'featlearn-test-dist');
    const tsc = join(packageRoot(), 'node_modules', 'typescript', 'bin', 'tsc');
    const args = ['--outDir', out, '--rootDir', packageRoot(), '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022'];
    args.push('--skipLibCheck', '--types', 'node', '--strict', join(packageRoot(), 'src', 'simulate', 'worker.ts'));
    try {
      execFileSync(process.execPath, [tsc, ...args], { stdio: 'pipe' });
    } catch (e) {
      // tsc exits non-zero on type errors elsewhere in the tree but still emits; the import below fails if not.
      void e;
    }
    return import(pathToFileURL(join(out, 'src', 'simulate', 'run.js')).href).then((m: typeof compiled) => {
      compiled = m;
    });
  }, 120_000);

  it('seeds in 2 workers (one BLAS thread each) = seeds in this thread, to 1e-12 relative', async () => {
    const inThread = await compiled.simulate(base, { seeds: 3, workers: 0 });
    const inWorkers = await compiled.simulate(base, { seeds: 3, workers: 2 });
    expect(inWorkers.workers).toBe(2);
    expect(inThread.workers).toBe(0);
    expect(inWorkers.runs.map((r) => r.seed)).toEqual([3, 4, 5]);
    inThread.runs.forEach((r, k) => expect(maxRelDiff(numbers(r), numbers(inWorkers.runs[k]))).toBeLessThan(1e-12));
    // And the TypeScript sources in this thread give the same numbers as the compiled code.
    const source = await simulate(base, { seeds: 1, workers: 0 });
    expect(maxRelDiff(numbers(source.runs[0]), numbers(inThread.runs[0]))).toBeLessThan(1e-12);
  });
});
