/**
 * featlearn serve without real simulations (the job worker is test/serve/fixtures/fake-worker.mjs):
 * binding, static files and path traversal, health, request validation (400 naming the key), limits
 * (422 naming the limit and its flag), body size (413), malformed JSON, the queue bound (429), cancelling
 * queued and running jobs, clients that disconnect, and worker crashes. Real simulations: simulate.test.ts.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerActivation, unregisterActivation } from '../../src/activations/index.js';
import { DEFAULT_LIMITS, SWEEP_KEYS } from '../../src/serve/protocol.js';
import { startServer } from '../../src/serve/server.js';
import { SRF_SWEEP_KEYS } from '../../src/theory/index.js';
import { postJson, rawRequest, readEvents, sleep, testServer, until, type TestServer } from './helpers.js';

const small = { d: 60, nTest: 500 };

describe('serve: binding, static files, health', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer();
  });
  afterAll(async () => s.stop());

  it('binds to 127.0.0.1 by default', () => {
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/`);
  });

  it('serves index.html, assets with their content types, and index.html for unknown app paths', async () => {
    const index = await fetch(s.url);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toContain('explorer fixture');
    const js = await fetch(new URL('app.js', s.url));
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await js.text()).toContain('console.log');
    expect((await fetch(new URL('style.css', s.url))).headers.get('content-type')).toMatch(/^text\/css/);
    expect(await (await fetch(new URL('sub/page.html', s.url))).text()).toContain('sub page');
    const route = await fetch(new URL('some/app/route?x=1', s.url));
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('explorer fixture');
    expect((await fetch(new URL('missing.png', s.url))).status).toBe(404);
  });

  it('never serves a file outside the static directory', async () => {
    for (const path of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/sub/../../secret.txt', '/%2e%2e%5csecret.txt', '/link.txt', '/..%2f..%2f..%2fetc%2fpasswd']) {
      const r = await rawRequest(s.url, { path });
      expect(r.body, path).not.toContain('TOP SECRET');
      expect(r.body, path).not.toMatch(/root:/);
      expect([400, 404, 200], path).toContain(r.status);
      if (r.status === 200) expect(r.body, path).toContain('explorer fixture'); // the app's fallback page, nothing else
    }
    expect((await rawRequest(s.url, { path: '/%00' })).status).toBe(400);
  });

  it('health reports version, backend and limits', async () => {
    const h = (await (await fetch(new URL('api/health', s.url))).json()) as { featlearn: string; backend: string; limits: unknown };
    expect(h.featlearn).toMatch(/^\d+\.\d+\.\d+/);
    expect(['native', 'portable']).toContain(h.backend);
    expect(h.limits).toEqual(DEFAULT_LIMITS);
  });

  it('answers 404/405 for unknown endpoints and wrong methods, and 415 without application/json', async () => {
    expect((await fetch(new URL('api/nope', s.url))).status).toBe(404);
    const get = await fetch(new URL('api/simulate', s.url));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(new URL('api/health', s.url), { method: 'POST' })).status).toBe(405);
    expect((await fetch(s.url, { method: 'PUT' })).status).toBe(405);
    expect((await fetch(new URL('api/jobs/nope', s.url), { method: 'DELETE' })).status).toBe(404);
    expect((await fetch(new URL('api/jobs/nope/events', s.url))).status).toBe(404);
    const form = await fetch(new URL('api/simulate', s.url), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"seeds":1}' });
    expect(form.status).toBe(415);
  });

  it('refuses a non-loopback Host header (DNS rebinding)', async () => {
    const r = await rawRequest(s.url, { path: '/api/health', headers: { host: 'evil.example:80' } });
    expect(r.status).toBe(403);
    expect((await rawRequest(s.url, { path: '/api/health', headers: { host: `localhost:${s.port}` } })).status).toBe(200);
  });

  it('the protocol sweep keys are the theory sweep keys', () => {
    expect([...SWEEP_KEYS]).toEqual([...SRF_SWEEP_KEYS]);
  });
});

describe('serve: a missing static directory', () => {
  it('answers 503 with a page saying to run npm run build:web; the API still works', async () => {
    const s = await startServer({ port: 0, quiet: true, staticDir: '/nonexistent/featlearn-web' });
    try {
      const r = await fetch(s.url);
      expect(r.status).toBe(503);
      expect(await r.text()).toContain('npm run build:web');
      expect((await fetch(new URL('api/health', s.url))).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe('serve: validation and limits', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer({ limits: { maxBodyBytes: 2000, maxD: 500, maxN: 600, maxSeeds: 8, maxSweepPoints: 5, maxSamples: 5000 } });
  });
  afterAll(async () => s.stop());

  it('malformed JSON: 400, and the server carries on', async () => {
    const r = await postJson(s.url, '{"config": {"d": 60,');
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/malformed JSON/);
    expect(r.body.error.key).toBe('body');
    expect((await fetch(new URL('api/health', s.url))).status).toBe(200);
  });

  it('names the bad config key, its value and what is allowed', async () => {
    const bad = await postJson(s.url, { config: { ...small, step: { scaling: 'sqrt' } }, seeds: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ key: 'step.scaling', value: 'sqrt' });
    expect(bad.body.error.allowed).toContain('sqrtN');
    expect(bad.body.error.message).toContain('step.scaling');

    const unknown = await postJson(s.url, { config: { ...small, alpah: 2 }, seeds: 1 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.key).toBe('alpah');

    const act = await postJson(s.url, { config: { ...small, teacher: { link: 'nope' } }, seeds: 1 });
    expect(act.status).toBe(400);
    expect(act.body.error.key).toBe('teacher.link');
    expect(act.body.error.allowed).toContain('poly:');

    const neg = await postJson(s.url, { config: { ...small, ridge: { lambda: -1 } }, seeds: 1 });
    expect(neg.status).toBe(400);
    expect(neg.body.error).toMatchObject({ key: 'ridge.lambda', value: -1 });
  });

  it('names bad request keys (seeds, sweep)', async () => {
    const seeds = await postJson(s.url, { config: small, seeds: 0 });
    expect(seeds.status).toBe(400);
    expect(seeds.body.error).toMatchObject({ key: 'seeds', value: 0 });
    const missing = await postJson(s.url, { config: small });
    expect(missing.status).toBe(400);
    expect(missing.body.error.key).toBe('seeds');
    const key = await postJson(s.url, { config: small, seeds: 1, sweep: { key: 'width', values: [1] } });
    expect(key.status).toBe(400);
    expect(key.body.error).toMatchObject({ key: 'sweep.key', value: 'width' });
    expect(key.body.error.allowed).toContain('alpha0');
    const value = await postJson(s.url, { config: small, seeds: 1, sweep: { key: 'alpha', values: [1, -2] } });
    expect(value.status).toBe(400);
    expect(value.body.error).toMatchObject({ key: 'sweep.values.1', value: -2 });
    const arr = await postJson(s.url, [1, 2]);
    expect(arr.status).toBe(400);
  });

  it('refuses a user-registered activation (no user-supplied code runs on the server)', async () => {
    registerActivation({ name: 'servetestact', value: (z: number) => z * z * z, derivative: (z: number) => 3 * z * z });
    try {
      const r = await postJson(s.url, { config: { ...small, student: { activation: 'servetestact' } }, seeds: 1 });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ key: 'student.activation', value: 'servetestact' });
      expect(r.body.error.message).toMatch(/no user-defined functions/);
    } finally {
      unregisterActivation('servetestact');
    }
    // a poly: spec is data, not code: accepted
    const poly = await postJson(s.url, { config: { ...small, student: { activation: 'poly:0,1,0.5' } }, seeds: 1 });
    expect(poly.status).toBe(202);
  });

  it('limits: 422 naming the key, the value, the limit and the flag that raises it', async () => {
    const cases: [unknown, string, number, string, string][] = [
      [{ config: { d: 501 }, seeds: 1 }, 'd', 501, 'maxD', '--max-d'],
      [{ config: { d: 400, psi: 2 }, seeds: 1 }, 'width', 800, 'maxN', '--max-n'],
      [{ config: { d: 100, n: 6000 }, seeds: 1 }, 'n', 6000, 'maxSamples', '--max-samples'],
      [{ config: { d: 100, nTest: 6000 }, seeds: 1 }, 'nTest', 6000, 'maxSamples', '--max-samples'],
      [{ config: small, seeds: 9 }, 'seeds', 9, 'maxSeeds', '--max-seeds'],
      [{ config: { ...small, step: { steps: 21 } }, seeds: 1 }, 'step.steps', 21, 'maxSteps', '--max-steps'],
      [{ config: small, seeds: 1, sweep: { key: 'eta', values: [1, 2, 3, 4, 5, 6] } }, 'sweep.values', 6, 'maxSweepPoints', '--max-sweep-points'],
      // the width is checked at every sweep value: psi = 20 gives 1200 neurons at d = 60
      [{ config: small, seeds: 1, sweep: { key: 'psi', values: [1, 20] } }, 'width', 1200, 'maxN', '--max-n'],
    ];
    for (const [body, key, value, limit, flag] of cases) {
      const r = await postJson(s.url, body);
      expect(r.status, key).toBe(422);
      expect(r.body.error, key).toMatchObject({ key, value });
      expect(r.body.error.message, key).toContain(limit);
      expect(r.body.error.message, key).toContain(flag);
    }
  });

  it('oversized body: 413 (declared or streamed), and the server still answers', async () => {
    const big = JSON.stringify({ config: { ...small, pad: 'x'.repeat(5000) }, seeds: 1 });
    const declared = await rawRequest(s.url, { method: 'POST', path: '/api/simulate', headers: { 'content-type': 'application/json', 'content-length': String(big.length) }, body: big });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error.message).toMatch(/maxBodyBytes = 2000/);
    const chunked = await rawRequest(s.url, { method: 'POST', path: '/api/simulate', headers: { 'content-type': 'application/json' }, chunks: [big.slice(0, 1500), big.slice(1500)] });
    expect(chunked.status).toBe(413);
    expect((await fetch(new URL('api/health', s.url))).status).toBe(200);
  });

  it('a request aborted half-way and a stalled connection do not disturb the server', async () => {
    await new Promise<void>((resolve) => {
      const sock = connect(s.port, '127.0.0.1', () => {
        sock.write('POST /api/simulate HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"config":');
        setTimeout(() => {
          sock.destroy();
          resolve();
        }, 100);
      });
    });
    const stalled = connect(s.port, '127.0.0.1', () => stalled.write('GET /api/heal'));
    try {
      await sleep(50);
      const h = await fetch(new URL('api/health', s.url));
      expect(h.status).toBe(200);
    } finally {
      stalled.destroy();
    }
  });
});

describe('serve: queue, cancellation, disconnects, crashes (fake worker)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer({ limits: { maxQueue: 2 }, disconnectGraceMs: 200 });
  });
  afterAll(async () => s.stop());

  it('queue full: 429; cancelling the queued and the running job frees it; the stream ends with cancelled', async () => {
    const a = await postJson(s.url, { config: small, seeds: 2 }); // runs forever
    const b = await postJson(s.url, { config: small, seeds: 2 });
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(a.body).toMatchObject({ points: 1, position: 0 });
    expect(b.body.position).toBe(1);
    const c = await postJson(s.url, { config: small, seeds: 2 });
    expect(c.status).toBe(429);
    expect(c.body.error.message).toMatch(/--max-queue/);
    expect(c.body.error.allowed).toBe(2);

    const cancelB = await fetch(new URL(`api/jobs/${b.body.jobId}`, s.url), { method: 'DELETE' });
    expect(await cancelB.json()).toMatchObject({ cancelled: true, state: 'cancelled' });
    const eventsB = await readEvents(s.url, b.body.jobId);
    expect(eventsB.map((e) => e.event)).toEqual(['queued', 'cancelled']);

    // the running job: its stream is live; cancelling it ends the stream
    const streamA = readEvents(s.url, a.body.jobId);
    await sleep(100);
    expect((await fetch(new URL(`api/jobs/${a.body.jobId}`, s.url), { method: 'DELETE' })).status).toBe(200);
    const eventsA = await streamA;
    expect(eventsA[0]).toMatchObject({ event: 'queued', data: { position: 0 } });
    expect(eventsA.map((e) => e.event)).toContain('started');
    expect(eventsA.at(-1)!.event).toBe('cancelled');
    expect(eventsA.map((e) => e.id)).toEqual(eventsA.map((_, i) => i));

    // the worker was terminated: the next job starts and finishes
    const d = await postJson(s.url, { config: small, seeds: 1 });
    expect(d.status).toBe(202);
    const eventsD = await readEvents(s.url, d.body.jobId);
    expect(eventsD.map((e) => e.event)).toEqual(['queued', 'started', 'progress', 'point', 'progress', 'done']);
    expect(eventsD.at(-1)!.data.provenance).toMatchObject({ backend: 'fake', seed: 0, config: { d: 60 } });
    // a finished job keeps its result
    const late = await fetch(new URL(`api/jobs/${d.body.jobId}`, s.url), { method: 'DELETE' });
    expect(await late.json()).toEqual({ cancelled: false, state: 'done' });
  });

  it('a client that disconnects cancels its job after the grace period; a late subscriber gets the replay', async () => {
    const a = await postJson(s.url, { config: small, seeds: 2 });
    const first = await readEvents(s.url, a.body.jobId, (e) => e.event === 'progress');
    expect(first.map((e) => e.event)).toEqual(['queued', 'started', 'progress']);
    await sleep(600); // grace period 200 ms
    const replay = await readEvents(s.url, a.body.jobId);
    expect(replay.map((e) => e.event)).toEqual(['queued', 'started', 'progress', 'cancelled']);
    // Last-Event-ID: only what comes after
    const after = await readEvents(s.url, a.body.jobId, undefined, { 'last-event-id': '2' });
    expect(after.map((e) => e.event)).toEqual(['cancelled']);
    // reconnecting after the last event of a finished job: 204, which stops an EventSource from retrying
    expect((await fetch(new URL(`api/jobs/${a.body.jobId}/events`, s.url), { headers: { 'last-event-id': '3' } })).status).toBe(204);
  });

  it('a client that reconnects within the grace period keeps its job', async () => {
    const a = await postJson(s.url, { config: small, seeds: 2 });
    await readEvents(s.url, a.body.jobId, (e) => e.event === 'progress');
    const again = readEvents(s.url, a.body.jobId, undefined, { 'last-event-id': '2' });
    await sleep(600);
    expect((await fetch(new URL(`api/jobs/${a.body.jobId}`, s.url), { method: 'DELETE' }).then((r) => r.json() as Promise<{ state: string }>)).state).toBe('cancelled');
    // the job was still running when the DELETE came: nothing but the cancellation after event 2
    expect((await again).map((e) => e.event)).toEqual(['cancelled']);
  });

  it('open streams get a heartbeat comment', async () => {
    const t = await testServer({ heartbeatMs: 100 });
    try {
      const a = await postJson(t.url, { config: small, seeds: 2 }); // runs until cancelled
      const ac = new AbortController();
      const res = await fetch(new URL(`api/jobs/${a.body.jobId}/events`, t.url), { signal: ac.signal });
      const reader = res.body!.getReader();
      let text = '';
      while (!text.includes(': heartbeat')) text += new TextDecoder().decode((await reader.read()).value);
      ac.abort();
      expect(text).toContain(': heartbeat\n\n');
    } finally {
      await t.stop();
    }
  });

  it('a crashing worker ends its job with error and the next job runs', async () => {
    const crash = await postJson(s.url, { config: small, seeds: 3 });
    const exit = await postJson(s.url, { config: small, seeds: 4 });
    const e1 = await readEvents(s.url, crash.body.jobId);
    expect(e1.at(-1)).toMatchObject({ event: 'error' });
    expect(e1.at(-1)!.data.message).toMatch(/fake worker crash/);
    const e2 = await readEvents(s.url, exit.body.jobId);
    expect(e2.at(-1)).toMatchObject({ event: 'error' });
    expect(e2.at(-1)!.data.message).toMatch(/code 7/);
    const ok = await postJson(s.url, { config: small, seeds: 1 });
    expect((await readEvents(s.url, ok.body.jobId)).at(-1)!.event).toBe('done');
  });

  it('a job nobody subscribes to is cancelled after the subscribe timeout', async () => {
    const t = await testServer({ subscribeTimeoutMs: 150 });
    try {
      const a = await postJson(t.url, { config: small, seeds: 2 });
      await sleep(400);
      const events = await readEvents(t.url, a.body.jobId);
      expect(events.at(-1)!.event).toBe('cancelled');
    } finally {
      await t.stop();
    }
  });

  it('close() cancels queued and running jobs and ends their streams', async () => {
    const t = await testServer();
    const a = await postJson(t.url, { config: small, seeds: 2 });
    const b = await postJson(t.url, { config: small, seeds: 2 });
    const sa = readEvents(t.url, a.body.jobId);
    const sb = readEvents(t.url, b.body.jobId);
    await until(async () => true);
    await sleep(100);
    await t.stop();
    expect((await sa).at(-1)!.event).toBe('cancelled');
    expect((await sb).at(-1)!.event).toBe('cancelled');
  });
});
