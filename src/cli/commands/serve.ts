/**
 * `featlearn serve [--port 8080] [--host 127.0.0.1] [--static DIR] [--max-queue N] [--max-d N] [--max-n N]
 * [--max-samples N] [--max-seeds N] [--max-sweep-points N] [--max-steps N] [--max-body-bytes N]`: the browser explorer and
 * its simulation API (src/serve/server.ts, docs/explorer.md). Prints the URL; warns when bound to a
 * non-loopback address; Ctrl-C (SIGINT) or SIGTERM cancels the jobs and closes the server.
 */
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_LIMITS, type ServeLimits } from '../../serve/protocol.js';
import type { GlobalOptions } from '../output.js';

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`expected a port from 0 to 65535 (0 = any free port), got "${value}"`);
  return n;
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

interface ServeFlags {
  port: number;
  host: string;
  static?: string;
  maxQueue?: number;
  maxD?: number;
  maxN?: number;
  maxSamples?: number;
  maxSeeds?: number;
  maxSweepPoints?: number;
  maxSteps?: number;
  maxBodyBytes?: number;
}

export function serveCommand(globals: () => GlobalOptions): Command {
  const L = DEFAULT_LIMITS;
  return new Command('serve')
    .description('serve the interactive explorer in the browser, with simulations run on this machine')
    .option('-p, --port <port>', 'port (0 = any free port)', parsePort, 8080)
    .option('--host <host>', 'address to bind (anything but a loopback address exposes the server to the network)', '127.0.0.1')
    .option('--static <dir>', 'directory of the built web app (default: dist/web in the featlearn folder)')
    .option('--max-queue <N>', `jobs waiting or running at once (default ${L.maxQueue})`, parsePositiveInt)
    .option('--max-d <N>', `largest input dimension d (default ${L.maxD})`, parsePositiveInt)
    .option('--max-n <N>', `largest number of neurons, width (default ${L.maxN})`, parsePositiveInt)
    .option('--max-samples <N>', `largest n, n0 and nTest (default ${L.maxSamples})`, parsePositiveInt)
    .option('--max-seeds <N>', `largest number of seeds per point (default ${L.maxSeeds})`, parsePositiveInt)
    .option('--max-sweep-points <N>', `largest number of sweep values (default ${L.maxSweepPoints})`, parsePositiveInt)
    .option('--max-steps <N>', `largest number of gradient steps, step.steps (default ${L.maxSteps})`, parsePositiveInt)
    .option('--max-body-bytes <N>', `largest request body in bytes (default ${L.maxBodyBytes})`, parsePositiveInt)
    .action(async (flags: ServeFlags) => {
      const opts = globals();
      const { startServer, isLoopbackHost } = await import('../../serve/server.js');
      const limits: Partial<ServeLimits> = {};
      for (const k of ['maxQueue', 'maxD', 'maxN', 'maxSamples', 'maxSeeds', 'maxSweepPoints', 'maxSteps', 'maxBodyBytes'] as const) {
        if (flags[k] !== undefined) limits[k] = flags[k];
      }
      const server = await startServer({ port: flags.port, host: flags.host, staticDir: flags.static, limits, quiet: opts.quiet || opts.json });
      // the signal handlers go in before the URL is printed: whoever waits for the URL may stop us at once
      const stopped = new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          if (!opts.quiet && !opts.json) process.stderr.write(`featlearn serve: ${signal}, cancelling jobs and closing\n`);
          void server.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      if (!isLoopbackHost(flags.host)) {
        process.stderr.write(
          `featlearn serve: WARNING: bound to ${flags.host}, not a loopback address: anyone who can reach this machine on port ${server.port} can use the explorer and queue simulations on it (there is no authentication). Use --host 127.0.0.1 to keep it local.\n`,
        );
      }
      if (opts.json) process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port })}\n`);
      else process.stdout.write(`featlearn explorer at ${server.url} (Ctrl-C to stop)\n`);
      await stopped;
    });
}
