/**
 * `featlearn reproduce <figure-id> [--quick] [--out DIR] [--seeds K] [--workers N|auto] [--strict]` and
 * `featlearn reproduce --list`: runs a registered figure (src/experiments/figures) and writes
 * results.json, results.csv, figure.svg, figure.png and report.md to DIR (default
 * featlearn-figures/<figure-id>), with a progress bar on a TTY.
 */
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../../config/validate.js';
import { FIGURES, figurePointCount, getFigure, runFigure, writeFigureFiles } from '../../experiments/figures/index.js';
import { printJson, printText, progressBar, type GlobalOptions } from '../output.js';

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 2) throw new InvalidArgumentError(`expected an integer >= 2 (standard errors need two seeds), got "${value}"`);
  return n;
}

function parseWorkers(value: string): number | 'auto' {
  if (value === 'auto') return 'auto';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 1024) throw new InvalidArgumentError(`expected "auto" or an integer from 0 to 1024, got "${value}"`);
  return n;
}

/** One line per registered figure. */
export function formatFigureList(): string {
  const w = Math.max(...FIGURES.map((f) => f.id.length));
  return FIGURES.map((f) => `${f.id.padEnd(w)}  ${f.title}${f.kind === 'pending' ? '  [needs issue 5: not yet reproducible]' : ''}`).join('\n');
}

interface ReproduceFlags {
  list: boolean;
  quick: boolean;
  out?: string;
  seeds?: number;
  workers: number | 'auto';
  strict: boolean;
}

export function reproduceCommand(globals: () => GlobalOptions): Command {
  return new Command('reproduce')
    .description("reproduce a paper's figure: theory lines, simulation markers, agreement report (--list shows the figures)")
    .argument('[figure-id]', 'figure to reproduce (see --list)')
    .option('--list', 'list the figures, one line each', false)
    .option('--quick', 'small d and few seeds (about a minute or less); default: the full documented settings', false)
    .option('-o, --out <dir>', 'output directory (default featlearn-figures/<figure-id>)')
    .option('--seeds <K>', 'seeds per simulated point (default: the figure mode\'s)', parsePositiveInt)
    .option('--workers <N|auto>', 'worker threads for the seeds', parseWorkers, 'auto')
    .option('--strict', 'exit with an error when theory and simulation disagree beyond the tolerance', false)
    .action(async (id: string | undefined, flags: ReproduceFlags) => {
      const opts = globals();
      if (flags.list) {
        if (opts.json) printJson(FIGURES.map((f) => ({ id: f.id, title: f.title, paper: f.paper, reproducible: f.kind !== 'pending', ...(f.kind === 'pending' ? { needs: f.needs } : {}) })));
        else printText(opts, formatFigureList());
        return;
      }
      if (!id) throw new ConfigError([`figure-id: missing; expected one of ${FIGURES.map((f) => `"${f.id}"`).join(', ')} (or --list)`], 'featlearn reproduce');
      const def = getFigure(id);
      if (def.kind === 'pending') throw new ConfigError([`${def.id}: ${def.needs}`], 'featlearn reproduce');
      const mode = flags.quick ? 'quick' : 'full';
      const dir = flags.out ?? `featlearn-figures/${def.id}`;
      const bar = progressBar(opts, figurePointCount(def, mode), def.id);
      let result;
      try {
        result = await runFigure(def, { mode, seeds: flags.seeds, workers: flags.workers, onProgress: () => bar.tick() });
      } finally {
        bar.stop();
      }
      const written = await writeFigureFiles(def, result, dir);
      const a = result.agreement;
      if (opts.json) {
        printJson({ id: def.id, mode, dir, files: written.files, seconds: result.seconds, agreement: a });
      } else {
        printText(
          opts,
          [
            `${def.id} (${mode}, d = ${result.d}, ${result.seeds} seeds): ${result.points.length} simulated points in ${result.seconds.toFixed(1)} s`,
            a.applicable === false ? `agreement: not measured (${a.tolerance.reason})` : `agreement: ${a.pass ? 'PASS' : 'FAIL'}; largest deviation ${a.maxAbsDeviation === null ? '—' : `${a.maxAbsDeviation.toFixed(2)} standard errors`}${a.at ? ` (${a.at})` : ''}`,
            ...a.outside.map((o) => `  outside the tolerance: ${o}`),
            `wrote ${written.files.join(', ')}`,
          ].join('\n'),
        );
      }
      if (flags.strict && !a.pass) throw new ConfigError([`${def.id}: theory and simulation disagree beyond the tolerance (${a.outside.length} outside, ${a.missing.length} missing); see ${dir}/report.md`], 'featlearn reproduce --strict');
    });
}
