/**
 * featlearn serve with the real job worker (src/serve/job-worker.ts, compiled): a small sweep streams
 * progress, point and done events whose rows equal a direct comparePoint call with the same config and
 * seeds; cancelling mid-run ends the job and the next one runs.
 *
 * Tolerance of the equality: 1e-12 relative. Both sides run the same code with the same seeds and one
 * BLAS thread (the worker is started with FEATLEARN_THREADS=1; this test sets its backend to one thread
 * too), so the numbers should agree to the last bits; the margin only allows for the compiled worker and
 * this process choosing different but equivalent code paths (none is expected).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePoint, type CompareRow } from '../../src/experiments/compare.js';
import { getBackend } from '../../src/linalg/index.js';
import { resolveExperimentConfig } from '../../src/models/experiment-config.js';
import type { PointRow } from '../../src/serve/protocol.js';
import { withSweepValue } from '../../src/theory/index.js';
import { compiledJobWorker } from './compiled-worker.js';
import { postJson, readEvents, testServer, type TestServer } from './helpers.js';

function close(a: number | null | undefined, b: number | null | undefined, what: string): void {
  if (a === null || a === undefined || b === null || b === undefined) {
    expect(a ?? null, what).toBe(b ?? null);
    return;
  }
  expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
}

function sameRows(got: PointRow[], want: CompareRow[], where: string): void {
  expect(got.map((r) => r.quantity)).toEqual(want.map((r) => r.quantity));
  got.forEach((g, i) => {
    const w = want[i];
    const q = `${where} ${w.quantity}`;
    close(g.theory, w.theory, `${q} theory`);
    expect(g.simulation === null, q).toBe(w.simulation === null);
    if (g.simulation && w.simulation) {
      close(g.simulation.mean, w.simulation.mean, `${q} mean`);
      close(g.simulation.sem, w.simulation.sem, `${q} sem`);
      expect(g.simulation.n, q).toBe(w.simulation.n);
    }
  });
}

describe('serve: simulations in the worker', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer({ workerScript: compiledJobWorker() });
  }, 300_000);
  afterAll(async () => s?.stop());

  it('a 2-point sweep with 2 seeds streams progress, points and done equal to direct comparePoint calls', async () => {
    const config = { d: 80, alpha0: 1, step: { eta: 1 }, seed: 11 };
    const sweep = { key: 'alpha' as const, values: [0.75, 1.5] };
    const accepted = await postJson(s.url, { config, seeds: 2, sweep });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ points: 2, position: 0 });
    const events = await readEvents(s.url, accepted.body.jobId);
    const names = events.map((e) => e.event);
    // progress after every seed: the first seed of each point, then the point with its last seed
    expect(names).toEqual(['queued', 'started', 'progress', 'progress', 'point', 'progress', 'progress', 'point', 'progress', 'done']);
    expect(events.filter((e) => e.event === 'progress').map((e) => e.data)).toEqual([
      { done: 0, total: 4 },
      { done: 1, total: 4 },
      { done: 2, total: 4 },
      { done: 3, total: 4 },
      { done: 4, total: 4 },
    ]);
    const points = events.filter((e) => e.event === 'point').map((e) => e.data);
    expect(points.map((p) => [p.index, p.value])).toEqual([
      [0, 0.75],
      [1, 1.5],
    ]);
    const done = events.at(-1)!.data;
    expect(done.seconds).toBeGreaterThan(0);
    expect(done.provenance).toMatchObject({ seed: 11, backend: getBackend().name, config: { d: 80, seed: 11, alpha0: 1 } });

    const backend = getBackend();
    const threads = backend.info().threads;
    backend.setThreads(1);
    try {
      const base = resolveExperimentConfig(config);
      for (const [i, v] of sweep.values.entries()) {
        const direct = await comparePoint(withSweepValue(base, 'alpha', v), { seeds: 2, workers: 0 });
        expect(points[i].method).toBe(direct.method);
        // the simulation side must actually be there (risk, baselines, anatomy)
        expect(direct.rows.filter((r) => r.simulation !== null).length).toBeGreaterThan(5);
        sameRows(points[i].rows, direct.rows, `alpha = ${v}`);
      }
    } finally {
      backend.setThreads(threads);
    }
  });

  it('spectrum: true sends every singular value of W1 with the point (seeds pooled); the per-seed maxima average to the spectrum.largest.W1 row', async () => {
    const config = { d: 60, psi: 1.5, alpha0: 1, step: { eta: 2 }, seed: 5 };
    const accepted = await postJson(s.url, { config, seeds: 2, spectrum: true });
    expect(accepted.status).toBe(202);
    const events = await readEvents(s.url, accepted.body.jobId);
    const point = events.find((e) => e.event === 'point')!.data as { rows: PointRow[]; singularValues?: number[] };
    // W1 is d x N = 60 x 90: min(d, N) = 60 singular values per seed, descending within each seed
    const sv = point.singularValues!;
    expect(sv.length).toBe(120);
    for (const v of sv) expect(Number.isFinite(v) && v > 0).toBe(true);
    const maxima = [sv[0], sv[60]];
    expect(maxima[0]).toBe(Math.max(...sv.slice(0, 60)));
    expect(maxima[1]).toBe(Math.max(...sv.slice(60)));
    // two routes to the top singular value: the full svdvals here, the anatomy's top-k solver in the row (1e-8)
    const top = point.rows.find((r) => r.quantity === 'spectrum.largest.W1')!.simulation!;
    expect(Math.abs((maxima[0] + maxima[1]) / 2 - top.mean)).toBeLessThan(1e-8 * top.mean);
    // without the flag the points carry no spectrum; a non-boolean flag is refused naming the key
    const plain = await postJson(s.url, { config, seeds: 1 });
    const plainPoint = (await readEvents(s.url, plain.body.jobId)).find((e) => e.event === 'point')!.data;
    expect(plainPoint.singularValues).toBeUndefined();
    const bad = await postJson(s.url, { config, seeds: 1, spectrum: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.key).toBe('spectrum');
  });

  it('cancelling mid-run ends the job with cancelled and the next job runs', async () => {
    const big = await postJson(s.url, { config: { d: 300, alpha: 3 }, seeds: 2, sweep: { key: 'eta', values: [0.5, 1, 1.5, 2, 2.5, 3] } });
    const next = await postJson(s.url, { config: { d: 60 }, seeds: 1 });
    expect(next.body.position).toBe(1);
    let cancelled = false;
    const events = await readEvents(s.url, big.body.jobId, (e) => {
      if (e.event === 'point' && !cancelled) {
        cancelled = true;
        void fetch(new URL(`api/jobs/${big.body.jobId}`, s.url), { method: 'DELETE' });
      }
      return false;
    });
    expect(events.at(-1)!.event).toBe('cancelled');
    expect(events.filter((e) => e.event === 'point').length).toBeLessThan(6);
    expect(events.map((e) => e.event)).not.toContain('done');
    const nextEvents = await readEvents(s.url, next.body.jobId);
    expect(nextEvents.map((e) => e.event)).toContain('started');
    expect(nextEvents.at(-1)!.event).toBe('done');
  });
});
