/**
 * A small EventSource for the client tests (Node 20 has none): fetch with a streamed body, the
 * text/event-stream framing (id, event, data, comments), Last-Event-ID on reconnection, CLOSED on a
 * non-200 answer (204 included, as the spec says), and a reconnection after 100 ms when the stream ends.
 */
type Listener = (ev: { type: string; data: string; lastEventId: string }) => void;

export class TestEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  /** Every instance created (tests check they were closed). */
  static readonly instances: TestEventSource[] = [];
  readyState = TestEventSource.CONNECTING;
  onerror: ((ev: unknown) => void) | null = null;
  connections = 0;
  private lastEventId = '';
  private readonly listeners = new Map<string, Listener[]>();
  private ac = new AbortController();

  constructor(readonly url: string) {
    TestEventSource.instances.push(this);
    void this.connect();
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.readyState = TestEventSource.CLOSED;
    this.ac.abort();
  }

  /** Breaks the current connection (as a network hiccup); the source reconnects. */
  drop(): void {
    this.ac.abort();
  }

  private async connect(): Promise<void> {
    if (this.readyState === TestEventSource.CLOSED) return;
    this.connections++;
    this.ac = new AbortController();
    let res: Response;
    try {
      res = await fetch(this.url, { headers: this.lastEventId ? { 'last-event-id': this.lastEventId } : {}, signal: this.ac.signal });
    } catch {
      return this.retry();
    }
    if (res.status !== 200) {
      this.readyState = TestEventSource.CLOSED;
      this.onerror?.({ type: 'error' });
      return;
    }
    this.readyState = TestEventSource.OPEN;
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          this.frame(buf.slice(0, cut));
          buf = buf.slice(cut + 2);
        }
      }
    } catch {
      // aborted or broken: retry below unless closed
    }
    this.retry();
  }

  private retry(): void {
    if (this.readyState === TestEventSource.CLOSED) return;
    this.readyState = TestEventSource.CONNECTING;
    this.onerror?.({ type: 'error' });
    setTimeout(() => void this.connect(), 100);
  }

  private frame(text: string): void {
    let type = 'message';
    const data: string[] = [];
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'id') this.lastEventId = value;
      else if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0 || this.readyState === TestEventSource.CLOSED) return;
    for (const l of this.listeners.get(type) ?? []) l({ type, data: data.join('\n'), lastEventId: this.lastEventId });
  }
}
