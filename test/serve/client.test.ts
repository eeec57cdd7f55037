/**
 * The browser client web/src/simulate-client.ts against a real server (fake job worker), with a small
 * EventSource (./event-source.ts) standing in for the browser's: the handlers in order, 4xx bodies
 * through onError (and jobId rejecting with the same message), cancel (exactly one onCancelled), a
 * worker crash through onError, and no duplicate events after a reconnection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulation, type SimulationHandlers } from '../../web/src/simulate-client.js';
import { TestEventSource } from './event-source.js';
import { sleep, testServer, until, type TestServer } from './helpers.js';

const small = { d: 60 };

function recorder(): { calls: [string, unknown][]; handlers: Required<SimulationHandlers> } {
  const calls: [string, unknown][] = [];
  const rec =
    (name: string) =>
    (...args: unknown[]): void => {
      calls.push([name, args.length <= 1 ? args[0] : args]);
    };
  return {
    calls,
    handlers: {
      onAccepted: rec('accepted'),
      onQueued: rec('queued'),
      onStarted: rec('started'),
      onProgress: rec('progress'),
      onPoint: rec('point'),
      onDone: rec('done'),
      onError: rec('error'),
      onCancelled: rec('cancelled'),
    },
  };
}

const ENDS = ['done', 'error', 'cancelled'];
const ended = (calls: [string, unknown][]): boolean => calls.some(([n]) => ENDS.includes(n));

describe('simulate-client', () => {
  let s: TestServer;
  const saved = (globalThis as { EventSource?: unknown }).EventSource;
  beforeAll(async () => {
    (globalThis as { EventSource?: unknown }).EventSource = TestEventSource;
    s = await testServer({ limits: { maxSeeds: 8 } });
  });
  afterAll(async () => {
    (globalThis as { EventSource?: unknown }).EventSource = saved;
    await s.stop();
  });
  const base = (): string => s.url.replace(/\/$/, '');

  it('calls the handlers in order and resolves the job id', async () => {
    const r = recorder();
    const sim = startSimulation({ config: small, seeds: 1 }, r.handlers, base());
    const id = await sim.jobId;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await until(() => ended(r.calls), 10_000, 'the end of the job');
    await sleep(300); // nothing may follow the end (no reconnection replays)
    expect(r.calls.map(([n]) => n)).toEqual(['accepted', 'queued', 'started', 'progress', 'point', 'progress', 'done']);
    expect(r.calls[4][1]).toMatchObject({ index: 0, value: null, rows: [{ quantity: 'risk', theory: 0.5 }] });
    expect(r.calls[6][1]).toMatchObject({ provenance: { backend: 'fake', seed: 0 } });
    expect(TestEventSource.instances.at(-1)!.readyState).toBe(TestEventSource.CLOSED);
  });

  it('a 400 reaches onError with the server message and detail; jobId rejects with it', async () => {
    const r = recorder();
    const sim = startSimulation({ config: { ...small, step: { scaling: 'sqrt' } }, seeds: 1 }, r.handlers, base());
    await expect(sim.jobId).rejects.toThrow(/step\.scaling/);
    expect(r.calls).toHaveLength(1);
    const [name, args] = r.calls[0] as [string, [string, { key: string; value: unknown }, number]];
    expect(name).toBe('error');
    expect(args[0]).toMatch(/step\.scaling: expected one of/);
    expect(args[1]).toMatchObject({ key: 'step.scaling', value: 'sqrt' });
    expect(args[2]).toBe(400);
  });

  it('a 422 (limit) reaches onError naming the limit', async () => {
    const r = recorder();
    const sim = startSimulation({ config: small, seeds: 9 }, r.handlers, base());
    await expect(sim.jobId).rejects.toThrow(/maxSeeds = 8/);
    expect(r.calls[0][0]).toBe('error');
    expect((r.calls[0][1] as [string])[0]).toMatch(/--max-seeds/);
  });

  it('cancel(): one onCancelled, nothing after it, and the server job is cancelled', async () => {
    const r = recorder();
    const sim = startSimulation({ config: small, seeds: 2 }, r.handlers, base()); // runs until cancelled
    await until(() => r.calls.some(([n]) => n === 'progress'), 10_000, 'progress');
    await sim.cancel();
    await sleep(300);
    const names = r.calls.map(([n]) => n);
    expect(names.filter((n) => n === 'cancelled')).toHaveLength(1);
    expect(names.at(-1)).toBe('cancelled');
    expect(names).not.toContain('error');
    const events = await (await fetch(`${base()}/api/jobs/${await sim.jobId}/events`)).text();
    expect(events).toMatch(/event: cancelled/);
  });

  it('cancel() right away (before the job id is known) cancels the job on the server', async () => {
    const r = recorder();
    const sim = startSimulation({ config: small, seeds: 2 }, r.handlers, base());
    await sim.cancel();
    expect(r.calls.map(([n]) => n)).toEqual(['accepted', 'cancelled']);
    const events = await (await fetch(`${base()}/api/jobs/${await sim.jobId}/events`)).text();
    expect(events).toMatch(/event: cancelled/);
  });

  it('a reconnection (Last-Event-ID) repeats no event', async () => {
    const r = recorder();
    const sim = startSimulation({ config: small, seeds: 2 }, r.handlers, base()); // runs until cancelled
    await until(() => r.calls.some(([n]) => n === 'progress'), 10_000, 'progress');
    const es = TestEventSource.instances.at(-1)!;
    es.drop();
    await until(() => es.connections === 2 && es.readyState === TestEventSource.OPEN, 10_000, 'the reconnection');
    await sim.cancel();
    await sleep(200);
    expect(r.calls.map(([n]) => n)).toEqual(['accepted', 'queued', 'started', 'progress', 'cancelled']);
  });

  it('a worker crash reaches onError', async () => {
    const r = recorder();
    startSimulation({ config: small, seeds: 3 }, r.handlers, base());
    await until(() => ended(r.calls), 10_000, 'the end of the job');
    const last = r.calls.at(-1)!;
    expect(last[0]).toBe('error');
    expect(String((last[1] as unknown[])[0] ?? last[1])).toMatch(/fake worker crash/);
  });

  it('an unreachable server reaches onError', async () => {
    const r = recorder();
    const sim = startSimulation({ config: small, seeds: 1 }, r.handlers, 'http://127.0.0.1:9');
    await expect(sim.jobId).rejects.toThrow(/cannot reach/);
    expect(r.calls[0][0]).toBe('error');
  });
});
