/**
 * How commands talk: results to stdout (JSON with --json, readable text otherwise), progress and
 * warnings to stderr (never in --json mode's stdout), nothing but errors with --quiet.
 */
import cliProgress from 'cli-progress';

export interface GlobalOptions {
  json: boolean;
  quiet: boolean;
  threads?: number;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printText(opts: GlobalOptions, text: string): void {
  if (!opts.quiet) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export interface Progress {
  tick(delta?: number, payload?: Record<string, unknown>): void;
  stop(): void;
}

/** A progress bar on stderr, only on a TTY and never with --json or --quiet; otherwise a no-op. */
export function progressBar(opts: GlobalOptions, total: number, label: string): Progress {
  if (opts.json || opts.quiet || !process.stderr.isTTY) return { tick: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${label} [{bar}] {value}/{total} {percentage}% | ETA {eta_formatted}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: (delta = 1, payload) => bar.increment(delta, payload), stop: () => bar.stop() };
}
