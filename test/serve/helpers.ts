/**
 * Helpers of the server tests: a server on port 0 with a small static directory in a temp dir, JSON
 * requests, raw HTTP requests (paths fetch() would normalise, bodies without content-length), and a
 * Server-Sent Events reader over fetch.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer, type StartServerOptions } from '../../src/serve/server.js';

export const FAKE_WORKER = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'fake-worker.mjs');

/** A temp dir holding www/ (index.html, app.js, style.css, sub/page.html, a symlink out) and secret.txt beside it. */
export function staticFixture(): { root: string; www: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'featlearn-serve-'));
  const www = join(root, 'www');
  mkdirSync(join(www, 'sub'), { recursive: true });
  writeFileSync(join(www, 'index.html'), '<!doctype html><title>explorer fixture</title>');
  writeFileSync(join(www, 'app.js'), 'console.log("app");');
  writeFileSync(join(www, 'style.css'), 'body { color: black }');
  writeFileSync(join(www, 'sub', 'page.html'), '<p>sub page</p>');
  writeFileSync(join(root, 'secret.txt'), 'TOP SECRET');
  symlinkSync(join(root, 'secret.txt'), join(www, 'link.txt'));
  return { root, www, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export interface TestServer extends RunningServer {
  www: string;
  stop(): Promise<void>;
}

export async function testServer(opts: StartServerOptions = {}): Promise<TestServer> {
  const fx = staticFixture();
  const s = await startServer({ port: 0, quiet: true, staticDir: fx.www, workerScript: FAKE_WORKER, ...opts });
  return {
    ...s,
    www: fx.www,
    stop: async () => {
      await s.close();
      fx.cleanup();
    },
  };
}

// JSON answers are checked field by field in the tests
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function postJson(base: string, body: unknown, path = 'api/simulate'): Promise<{ status: number; body: any }> {
  const res = await fetch(new URL(path, base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: res.status, body: parsed };
}

/** A raw HTTP request (the path is sent as given). */
export function rawRequest(
  base: string,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: (string | Buffer)[] },
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (opts.chunks) {
      for (const c of opts.chunks) req.write(c);
      req.end();
    } else req.end(opts.body);
  });
}

export interface SseEvent {
  id?: number;
  event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data: any;
}

/**
 * Reads a job's event stream until it ends (or `stopWhen` returns true for an event, then aborts the
 * connection, as a client that goes away).
 */
export async function readEvents(base: string, jobId: string, stopWhen?: (e: SseEvent) => boolean, headers: Record<string, string> = {}): Promise<SseEvent[]> {
  const ac = new AbortController();
  const res = await fetch(new URL(`api/jobs/${jobId}/events`, base), { signal: ac.signal, headers });
  if (res.status !== 200) throw new Error(`events: status ${res.status}: ${await res.text()}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return events;
      buf += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const e: SseEvent = { event: 'message', data: undefined };
        let data = '';
        let isEvent = false;
        for (const line of frame.split('\n')) {
          if (line.startsWith(':') || line.startsWith('retry:')) continue;
          const [k, ...rest] = line.split(': ');
          const v = rest.join(': ');
          if (k === 'id') e.id = Number(v);
          else if (k === 'event') e.event = v;
          else if (k === 'data') {
            data += v;
            isEvent = true;
          }
        }
        if (!isEvent) continue;
        e.data = JSON.parse(data);
        events.push(e);
        if (stopWhen?.(e)) {
          ac.abort();
          return events;
        }
      }
    }
  } catch (e) {
    if (ac.signal.aborted) return events;
    throw e;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `f` is true (or fails after `ms`). */
export async function until(f: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const t0 = Date.now();
  while (!(await f())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
