/**
 * The featlearn command line. Global flags: --json (machine-readable stdout, no progress bars),
 * --quiet (errors only), --threads N (BLAS and kernel threads; default FEATLEARN_THREADS or the core count).
 */
import { Command, InvalidArgumentError } from 'commander';
import { getBackend, LinalgError } from '../linalg/index.js';
import { ConfigError } from '../config/validate.js';
import { featlearnVersion } from '../provenance/version.js';
import { doctorCommand } from './commands/doctor.js';
import { simulateCommand } from './commands/simulate.js';
import { theoryCommand } from './commands/theory.js';
import { compareCommand } from './commands/compare.js';
import { dynamicsCommand } from './commands/dynamics.js';
import { reproduceCommand } from './commands/reproduce.js';
import { plotCommand } from './commands/plot.js';
import { sweepCommand } from './commands/sweep.js';
import { mergeCommand } from './commands/merge.js';
import { exportCommand } from './commands/export.js';
import { thresholdCommand } from './commands/threshold.js';
import { SimulationError } from '../simulate/errors.js';
import type { GlobalOptions } from './output.js';

function parseThreads(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1024) throw new InvalidArgumentError(`expected an integer from 1 to 1024, got "${value}"`);
  return n;
}

export function buildProgram(): Command {
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
  program.addCommand(doctorCommand(globals));
  program.addCommand(simulateCommand(globals));
  program.addCommand(theoryCommand(globals));
  program.addCommand(compareCommand(globals));
  program.addCommand(dynamicsCommand(globals));
  program.addCommand(reproduceCommand(globals));
  program.addCommand(plotCommand(globals));
  program.addCommand(sweepCommand(globals));
  program.addCommand(mergeCommand(globals));
  program.addCommand(exportCommand(globals));
  program.addCommand(thresholdCommand(globals));
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
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
