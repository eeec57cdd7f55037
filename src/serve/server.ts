/**
 * `featlearn serve`: the HTTP server of the browser explorer (docs/explorer.md, "Server API").
 *
 *   GET  /                       the single-page app from staticDir (default <package root>/dist/web)
 *   GET  /api/health             { featlearn, backend, limits }
 *   POST /api/simulate           { config, seeds, sweep? } -> 202 { jobId, points, position }
 *   GET  /api/jobs/:id/events    Server-Sent Events: queued, started, progress, point, done | error | cancelled
 *   DELETE /api/jobs/:id         cancel -> { cancelled: true }
 *
 * Safety: binds to 127.0.0.1 unless told otherwise; bodies are size-limited and validated with the CLI's
 * schemas; sizes, seeds, sweep points and the queue are limited (422/429 naming the limit); no
 * user-supplied code runs (activations by registry name only); when bound to a loopback address, requests
 * whose Host is not a loopback name are refused (DNS rebinding); POST needs application/json (so a
 * cross-site form cannot post); no CORS headers are sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { getBackend } from '../linalg/index.js';
import { packageRoot } from '../native/load.js';
import { featlearnVersion } from '../provenance/version.js';
import { JobManager, QueueFullError } from './jobs.js';
import { DEFAULT_LIMITS, type ErrorBody, type HealthResponse, type ServeLimits, type SimulateAccepted } from './protocol.js';
import { HttpError, jobFromRequest } from './request.js';
import { serveStatic } from './static.js';

export interface StartServerOptions {
  /** Port (default 8080; 0 = any free port). */
  port?: number;
  /** Host to bind (default 127.0.0.1). */
  host?: string;
  /** Directory of the built web app (default <package root>/dist/web). */
  staticDir?: string;
  limits?: Partial<ServeLimits>;
  /** No log lines on stderr. */
  quiet?: boolean;
  /** Cancel a job this long after its last event-stream client left (default 5000 ms). */
  disconnectGraceMs?: number;
  /** Cancel a job nobody subscribed to this long after it was queued (default 60000 ms). */
  subscribeTimeoutMs?: number;
  /** The job worker script (default the compiled src/serve/job-worker.js; tests pass their own). */
  workerScript?: string;
  /** Interval of the SSE heartbeat comments (default 15000 ms). */
  heartbeatMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Host names that reach a loopback-bound server legitimately. */
function isLoopbackName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

export function isLoopbackHost(host: string): boolean {
  return isLoopbackName(host);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, message: string, extra: Omit<ErrorBody['error'], 'message'> = {}, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { message, ...extra } } satisfies ErrorBody, headers);
}

/** Reads a body of at most maxBytes (HttpError 413 above it, 408 when it stalls). */
function readBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    const tooLarge = (): HttpError =>
      new HttpError(413, { error: { message: `request body larger than this server's limit maxBodyBytes = ${maxBytes} bytes (configurable with featlearn serve --max-body-bytes N)`, key: 'body', allowed: maxBytes } }, { connection: 'close' });
    if (Number.isFinite(declared) && declared > maxBytes) {
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const timer = setTimeout(() => fail(new HttpError(408, { error: { message: `request body not received within ${timeoutMs / 1000} s` } }, { connection: 'close' })), timeoutMs);
    const fail = (e: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.removeAllListeners('data');
      req.resume();
      reject(e);
    };
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) fail(tooLarge());
      else chunks.push(c);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => fail(e));
    req.on('aborted', () => fail(new Error('request aborted')));
  });
}

/** Starts the explorer's server; resolves once it listens. */
export async function startServer(opts: StartServerOptions = {}): Promise<RunningServer> {
  const limits: ServeLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  for (const [k, v] of Object.entries(limits)) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`serve limits: ${k} must be a positive integer, got ${String(v)}`);
  }
  const host = opts.host ?? '127.0.0.1';
  const staticDir = opts.staticDir ?? join(packageRoot(), 'dist', 'web');
  const loopbackOnly = isLoopbackHost(host);
  const log = (msg: string): void => {
    if (!opts.quiet) process.stderr.write(`featlearn serve: ${msg}\n`);
  };
  const jobs = new JobManager({ maxQueue: limits.maxQueue, workerScript: opts.workerScript, graceMs: opts.disconnectGraceMs, subscribeTimeoutMs: opts.subscribeTimeoutMs, heartbeatMs: opts.heartbeatMs });
  const backendName = getBackend().name;

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    if (path === '/api/health') {
      if (method !== 'GET' && method !== 'HEAD') return sendError(res, 405, `${method} not allowed on /api/health; use GET`, {}, { allow: 'GET, HEAD' });
      return sendJson(res, 200, { featlearn: featlearnVersion(), backend: backendName, limits } satisfies HealthResponse);
    }
    if (path === '/api/simulate') {
      if (method !== 'POST') return sendError(res, 405, `${method} not allowed on /api/simulate; use POST with a JSON body`, {}, { allow: 'POST' });
      const type = String(req.headers['content-type'] ?? '');
      if (!/^application\/json\b/i.test(type)) {
        req.resume();
        return sendError(res, 415, `content-type must be application/json, got ${type ? JSON.stringify(type) : 'none'}`, { key: 'content-type', value: type, allowed: 'application/json' });
      }
      const raw = await readBody(req, limits.maxBodyBytes, 30_000);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (e) {
        return sendError(res, 400, `malformed JSON body: ${(e as Error).message}`, { key: 'body' });
      }
      const data = jobFromRequest(body, limits);
      let job;
      try {
        job = jobs.submit(data);
      } catch (e) {
        if (e instanceof QueueFullError) return sendError(res, 429, e.message, { key: 'queue', value: jobs.active, allowed: limits.maxQueue }, { 'retry-after': '5' });
        throw e;
      }
      log(`job ${job.id}: ${job.points} point(s) x ${data.seeds} seed(s), d = ${data.config.d}`);
      return sendJson(res, 202, { jobId: job.id, points: job.points, position: jobs.position(job) } satisfies SimulateAccepted, { location: `/api/jobs/${job.id}` });
    }
    const m = /^\/api\/jobs\/([^/]+)(\/events)?$/.exec(path);
    if (m) {
      let id = m[1];
      try {
        id = decodeURIComponent(id);
      } catch {
        // a malformed escape: no such job
      }
      const job = jobs.get(id);
      if (m[2]) {
        if (method !== 'GET') return sendError(res, 405, `${method} not allowed on ${path}; use GET (Server-Sent Events)`, {}, { allow: 'GET' });
        if (!job) return sendError(res, 404, `no job ${JSON.stringify(m[1])} (unknown, or finished long ago)`, { key: 'jobId', value: m[1] });
        const h = req.headers['last-event-id'];
        const last = typeof h === 'string' && /^\d+$/.test(h.trim()) ? Number(h) : NaN;
        return jobs.subscribe(job, res, Number.isInteger(last) ? last : -1);
      }
      if (method !== 'DELETE') return sendError(res, 405, `${method} not allowed on ${path}; use DELETE to cancel`, {}, { allow: 'DELETE' });
      if (!job) return sendError(res, 404, `no job ${JSON.stringify(m[1])} (unknown, or finished long ago)`, { key: 'jobId', value: m[1] });
      jobs.cancel(job.id);
      return sendJson(res, 200, { cancelled: job.state === 'cancelled', state: job.state });
    }
    return sendError(res, 404, `no API endpoint ${path}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return sendError(res, 400, 'bad request URL');
    }
    if (loopbackOnly) {
      const hostHeader = String(req.headers.host ?? '');
      let hostname = '';
      try {
        hostname = new URL(`http://${hostHeader}`).hostname;
      } catch {
        hostname = '';
      }
      if (!isLoopbackName(hostname)) {
        req.resume();
        return sendError(res, 403, `Host ${JSON.stringify(hostHeader)} refused: this server is bound to ${host} and answers loopback names only`, { key: 'host', value: hostHeader });
      }
    }
    const path = url.pathname;
    if (path === '/api' || path.startsWith('/api/')) return handleApi(req, res, path);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      req.resume();
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end(`${req.method} not allowed\n`);
      return;
    }
    return serveStatic(req, res, staticDir, path);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (e instanceof HttpError) {
        sendJson(res, e.status, e.body, e.headers);
        if (e.headers.connection === 'close') res.on('finish', () => req.socket.destroySoon?.());
        return;
      }
      if ((e as Error)?.message === 'request aborted') return;
      log(`internal error: ${(e as Error)?.stack ?? String(e)}`);
      sendError(res, 500, `internal error: ${(e as Error)?.message ?? String(e)}`);
    });
  });
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8080, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}/`;
  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    close: () => {
      closing ??= (async () => {
        await jobs.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}
