/**
 * Browser client of the `featlearn serve` simulation API (docs/explorer.md, "Server API"):
 * POST /api/simulate, then the job's Server-Sent Events through EventSource, and DELETE to cancel.
 *
 *   const sim = startSimulation({ config, seeds: 4, sweep: { key: 'alpha', values } }, {
 *     onProgress: ({ done, total }) => ..., onPoint: (p) => ..., onDone: (d) => ..., onError: (msg) => ...,
 *   });
 *   await sim.cancel();
 *
 * 4xx/5xx answers (bad config, limits, full queue) reach onError with the server's message (and the
 * structured error: key, value, allowed); `jobId` then rejects with the same message. Each handler is
 * called at most once per event (an EventSource that reconnects sends Last-Event-ID; events already seen
 * are skipped here too), and exactly one of onDone, onError, onCancelled ends a simulation.
 */
import type { ErrorBody, JobEvents, SimulateAccepted, SimulateRequest } from '../../src/serve/protocol.js';

export type { ErrorBody, JobEvents, SimulateAccepted, SimulateRequest } from '../../src/serve/protocol.js';

/** The part of the browser's EventSource used here (typed locally so the module also type-checks without the DOM lib). */
interface EventSourceLike {
  readonly readyState: number;
  onerror: ((ev: unknown) => void) | null;
  addEventListener(type: string, listener: (ev: { data: string; lastEventId: string }) => void): void;
  close(): void;
}
interface EventSourceConstructor {
  new (url: string): EventSourceLike;
  readonly CLOSED: number;
}

function eventSourceClass(): EventSourceConstructor {
  const ES = (globalThis as unknown as { EventSource?: EventSourceConstructor }).EventSource;
  if (!ES) throw new Error('this environment has no EventSource (a browser is needed)');
  return ES;
}

export interface SimulationHandlers {
  /** Accepted: the job id and the number of points. */
  onAccepted?: (accepted: SimulateAccepted) => void;
  onQueued?: (data: JobEvents['queued']) => void;
  onStarted?: () => void;
  onProgress?: (data: JobEvents['progress']) => void;
  onPoint?: (data: JobEvents['point']) => void;
  onDone?: (data: JobEvents['done']) => void;
  /** The message; `detail` is the server's structured error (key, value, allowed) and `status` the HTTP status, when there is one. */
  onError?: (message: string, detail?: ErrorBody['error'], status?: number) => void;
  onCancelled?: () => void;
}

export interface SimulationHandle {
  jobId: Promise<string>;
  /** Cancels the job (DELETE /api/jobs/:id) and closes the stream; resolves when the server answered. */
  cancel(): Promise<void>;
}

function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}

async function errorOf(res: Response): Promise<{ message: string; detail?: ErrorBody['error'] }> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Partial<ErrorBody>;
    if (body.error && typeof body.error.message === 'string') return { message: body.error.message, detail: body.error };
  } catch {
    // not JSON: fall through
  }
  return { message: `server answered ${res.status} ${res.statusText}${text ? `: ${text.slice(0, 300)}` : ''}` };
}

/** Starts a simulation on the featlearn server at `baseUrl` ('' = the page's own origin). */
export function startSimulation(request: SimulateRequest, handlers: SimulationHandlers = {}, baseUrl = ''): SimulationHandle {
  let source: EventSourceLike | null = null;
  let finished = false;
  let cancelRequested = false;
  let lastId = -1;

  const end = (): void => {
    finished = true;
    source?.close();
    source = null;
  };
  const fail = (message: string, detail?: ErrorBody['error'], status?: number): void => {
    if (finished) return;
    end();
    handlers.onError?.(message, detail, status);
  };
  const cancelled = (): void => {
    if (finished) return;
    end();
    handlers.onCancelled?.();
  };

  const jobId = (async (): Promise<string> => {
    let res: Response;
    try {
      res = await fetch(joinUrl(baseUrl, '/api/simulate'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(request),
      });
    } catch (e) {
      const message = `cannot reach the featlearn server: ${(e as Error).message}`;
      fail(message);
      throw new Error(message);
    }
    if (res.status !== 202) {
      const { message, detail } = await errorOf(res);
      fail(message, detail, res.status);
      throw Object.assign(new Error(message), { status: res.status, detail });
    }
    const accepted = (await res.json()) as SimulateAccepted;
    handlers.onAccepted?.(accepted);
    if (cancelRequested || finished) return accepted.jobId;
    let ES: EventSourceConstructor;
    try {
      ES = eventSourceClass();
    } catch (e) {
      fail((e as Error).message);
      throw e;
    }
    const es = new ES(joinUrl(baseUrl, `/api/jobs/${encodeURIComponent(accepted.jobId)}/events`));
    source = es;
    const on = <K extends keyof JobEvents>(name: K, handle: (data: JobEvents[K]) => void): void => {
      es.addEventListener(name, (me) => {
        const id = Number(me.lastEventId);
        if (Number.isInteger(id)) {
          if (id <= lastId) return;
          lastId = id;
        }
        if (finished) return;
        let data: JobEvents[K];
        try {
          data = JSON.parse(me.data) as JobEvents[K];
        } catch {
          fail(`malformed ${name} event from the server`);
          return;
        }
        handle(data);
      });
    };
    on('queued', (d) => handlers.onQueued?.(d));
    on('started', () => handlers.onStarted?.());
    on('progress', (d) => handlers.onProgress?.(d));
    on('point', (d) => handlers.onPoint?.(d));
    on('done', (d) => {
      end();
      handlers.onDone?.(d);
    });
    on('error', (d) => fail(d.message));
    on('cancelled', () => cancelled());
    // A transport error: EventSource retries by itself (readyState CONNECTING) unless the server refused
    // the stream (e.g. 404 after a restart: CLOSED).
    es.onerror = () => {
      if (es.readyState === ES.CLOSED) fail('lost the connection to the featlearn server (the job may have been cancelled)');
    };
    return accepted.jobId;
  })();
  // The failure reaches onError; a caller that never awaits jobId gets no unhandled rejection.
  jobId.catch(() => undefined);

  const cancel = async (): Promise<void> => {
    cancelRequested = true;
    let id: string;
    try {
      id = await jobId;
    } catch {
      return; // never started
    }
    if (finished) return;
    try {
      const res = await fetch(joinUrl(baseUrl, `/api/jobs/${encodeURIComponent(id)}`), { method: 'DELETE' });
      if (res.ok) {
        const body = (await res.json().catch(() => ({}))) as { state?: string };
        // A job that ended before the DELETE arrived keeps its result: its stream delivers done or error.
        if (body.state === undefined || body.state === 'cancelled' || !source) cancelled();
      } else if (res.status === 404) cancelled();
      else {
        const { message, detail } = await errorOf(res);
        fail(message, detail, res.status);
      }
    } catch (e) {
      fail(`cannot reach the featlearn server to cancel: ${(e as Error).message}`);
    }
  };

  return { jobId, cancel };
}
