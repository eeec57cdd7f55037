/**
 * `featlearn simulate [--config FILE] [--set key=value]... [--seeds K] [--workers N|auto] [--force] [--out FILE]`:
 * runs the one-step experiment (src/simulate/run.ts) and prints a short table (mean ± standard error over
 * seeds), or with the global --json the whole result object (names documented in docs/simulate.md).
 * --out FILE writes the JSON result to FILE as well.
 */
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { loadRawConfig } from '../../config/load.js';
import { ConfigError } from '../../config/validate.js';
import { resolveExperimentConfig } from '../../models/experiment-config.js';
import { simulate, type SimulationResult } from '../../simulate/run.js';
import type { Stats, SummaryTree } from '../../simulate/summary.js';
import { printJson, printText, progressBar, type GlobalOptions } from '../output.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

function parseWorkers(value: string): number | 'auto' {
  if (value === 'auto') return 'auto';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 1024) throw new InvalidArgumentError(`expected "auto" or an integer from 0 to 1024, got "${value}"`);
  return n;
}

interface SimulateFlags {
  config?: string;
  set: string[];
  seeds: number;
  workers: number | 'auto';
  force: boolean;
  fullSpectrum: boolean;
  out?: string;
}

function isStats(v: Stats | SummaryTree): v is Stats {
  return typeof (v as Stats).mean === 'number' && typeof (v as Stats).n === 'number';
}

/** Flattens the summary to rows (dotted keys), in the order of the tree. */
function rows(tree: SummaryTree, prefix = ''): [string, Stats][] {
  return Object.entries(tree).flatMap(([k, v]) => (isStats(v) ? [[`${prefix}${k}`, v] as [string, Stats]] : rows(v, `${prefix}${k}.`)));
}

function fmt(x: number | null): string {
  if (x === null) return '—';
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(3) : x.toPrecision(5);
}

/** Rows of the human table (the rest is in --json). */
const TABLE_ROWS = [
  'risk',
  'testMSE',
  'trainError',
  'baselines.randomFeatures.risk',
  'baselines.linear.sameLambda.risk',
  'baselines.linear.bestOnGrid.risk',
  'baselines.linear.bestOnGrid.lambda',
  'baselines.nullRisk',
  'baselines.linearFloor',
  'spectrum.largest.gradient',
  'spectrum.largest.W1',
  'alignment.uBeta',
  'alignment.updateBeta',
  'alignment.W1Beta',
  'neurons.mean',
  'seconds',
];

/** The human-readable table. */
export function formatSimulation(r: SimulationResult): string {
  const c = r.config;
  const method = r.runs[0]?.riskMethod ?? c.risk.method;
  const head = [
    `featlearn simulate (${r.backend}; ${r.runs.length} seed${r.runs.length > 1 ? 's' : ''} from ${c.seed}${r.workers > 1 ? `, ${r.workers} workers` : ''})`,
    `  model ${c.model}: d = ${c.d}, width = ${c.width}, n0 = ${c.n0}, n = ${c.n}; ${c.student.activation} student, ${c.teacher.link} teacher (noise ${c.teacher.noise})`,
    `  step: eta = ${c.step.eta} (${c.step.scaling}${c.step.scaling === 'power' ? ` ${c.step.exponent}` : ''}), ${c.step.steps} step(s); ridge lambda = ${c.ridge.lambda} (${c.ridge.normalization}${c.ridge.intercept ? ', intercept' : ''}); risk ${method}; ${c.precision}`,
    '',
  ];
  const all = new Map(rows(r.summary));
  const table = TABLE_ROWS.filter((k) => all.has(k)).map((k) => [k, all.get(k)!] as [string, Stats]);
  const width = Math.max(...table.map(([k]) => k.length), 8);
  const lines = [`${'quantity'.padEnd(width)}  ${'mean'.padStart(11)}  ${'± sem'.padStart(10)}`];
  for (const [k, s] of table) lines.push(`${k.padEnd(width)}  ${fmt(s.mean).padStart(11)}  ${fmt(s.sem).padStart(10)}`);
  const warn = r.warnings.length > 0 ? ['', 'warnings:', ...r.warnings.map((w) => `  - ${w}`)] : [];
  return [...head, ...lines, '(every quantity, per seed: --json; names in docs/simulate.md)', ...warn].join('\n');
}

export function simulateCommand(globals: () => GlobalOptions): Command {
  return new Command('simulate')
    .description('simulate the one-step protocol (gradient step(s), ridge readout, risk, baselines, anatomy) over seeds')
    .option('-c, --config <file>', 'experiment config (JSON or YAML)')
    .option('-s, --set <key=value>', 'override a config key (dotted, repeatable), e.g. --set step.eta=2', collect, [])
    .option('--seeds <K>', 'number of seeds (seed, seed+1, ..., seed+K-1)', parsePositiveInt, 1)
    .option('--workers <N|auto>', 'worker threads for the seeds (0: none; auto: when faster than threaded BLAS)', parseWorkers, 'auto')
    .option('--force', 'run even when the memory estimate exceeds 80% of this machine\'s memory', false)
    .option('--full-spectrum', 'report every singular value of the step (for histograms), not only the top ones', false)
    .option('-o, --out <file>', 'also write the JSON result to this file')
    .action(async (flags: SimulateFlags) => {
      const opts = globals();
      const config = resolveExperimentConfig(loadRawConfig(flags.config, flags.set), flags.config ? `experiment config ${flags.config}` : 'experiment config');
      const bar = progressBar(opts, flags.seeds, 'simulate');
      let result: SimulationResult;
      try {
        result = await simulate(config, {
          seeds: flags.seeds,
          workers: flags.workers,
          force: flags.force,
          fullSpectrum: flags.fullSpectrum,
          onProgress: (e) => {
            if (e.stage === 'finished') bar.tick();
          },
        });
      } finally {
        bar.stop();
      }
      if (flags.out) {
        try {
          writeFileSync(flags.out, `${JSON.stringify(result, null, 2)}\n`);
        } catch (e) {
          throw new ConfigError([`--out: cannot write "${flags.out}": ${(e as Error).message}`]);
        }
      }
      if (opts.json) printJson(result);
      else printText(opts, formatSimulation(result));
    });
}
