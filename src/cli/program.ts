/**
 * The featlearn command line. Global flags: --json (machine-readable stdout, no progress bars),
 * --quiet (errors only), --threads N (BLAS and kernel threads; default FEATLEARN_THREADS or the core count).
 */
import { Command, InvalidArgumentError } from 'commander';
import { getBackend, LinalgError } from '../linalg/index.js';
import { ConfigError } from '../config/validate.js';
import { featlearnVersion } from '../provenance/version.js';
import { SimulationError } from '../simulate/errors.js';
import type { GlobalOptions } from './output.js';

type CommandFactory = (globals: () => GlobalOptions) => Command;

/**
 * Commands are loaded lazily: a run imports only the engine of the command it runs (importing every
 * engine and the plotting stack costs seconds on each start). `--help` and unknown words load them all.
 */
const COMMANDS: Record<string, () => Promise<CommandFactory>> = {
  doctor: async () => (await import('./commands/doctor.js')).doctorCommand,
  simulate: async () => (await import('./commands/simulate.js')).simulateCommand,
  theory: async () => (await import('./commands/theory.js')).theoryCommand,
  compare: async () => (await import('./commands/compare.js')).compareCommand,
  dynamics: async () => (await import('./commands/dynamics.js')).dynamicsCommand,
  threshold: async () => (await import('./commands/threshold.js')).thresholdCommand,
  reproduce: async () => (await import('./commands/reproduce.js')).reproduceCommand,
  plot: async () => (await import('./commands/plot.js')).plotCommand,
  sweep: async () => (await import('./commands/sweep.js')).sweepCommand,
  merge: async () => (await import('./commands/merge.js')).mergeCommand,
  export: async () => (await import('./commands/export.js')).exportCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
};

/** The subcommand named in argv (node, script, ...args), skipping global options and their values. */
export function commandNameIn(argv: readonly string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--threads') {
      i++;
      continue;
    }
    if (!a.startsWith('-')) return a;
  }
  return undefined;
}

function parseThreads(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1024) throw new InvalidArgumentError(`expected an integer from 1 to 1024, got "${value}"`);
  return n;
}

/** The program; with argv, only the command it names is loaded (all of them otherwise). */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command('featlearn')
    .description('simulate and predict feature learning in two-layer neural networks in high dimension')
    .version(featlearnVersion(), '-V, --version')
    .option('--json', 'print machine-readable JSON on stdout (no progress bars)', false)
    .option('-q, --quiet', 'print nothing but errors', false)
    .option('--threads <n>', 'BLAS and kernel threads (default: FEATLEARN_THREADS or the number of cores)', parseThreads)
    .showHelpAfterError()
    .hook('preAction', () => {
      const { threads } = globals();
      if (threads !== undefined) getBackend().setThreads(threads);
    });
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  const wanted = argv ? commandNameIn(argv) : undefined;
  const versionOnly = wanted === undefined && argv !== undefined && argv.some((a) => a === '-V' || a === '--version');
  const names = versionOnly ? [] : wanted !== undefined && wanted in COMMANDS ? [wanted] : Object.keys(COMMANDS);
  for (const name of names) program.addCommand((await COMMANDS[name]())(globals));
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await (await buildProgram(argv)).parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof LinalgError || e instanceof SimulationError) {
      process.stderr.write(`featlearn: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`featlearn: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
