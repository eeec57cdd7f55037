/**
 * `featlearn compare [--config FILE] [--set key=value]... [--sweep key=start:stop:count] [--seeds K] [--workers N|auto] [--json]`:
 * theory and simulation for the same config (src/experiments/compare.ts), side by side, with the
 * deviation in units of the simulation's standard error.
 */
import { Command, InvalidArgumentError } from 'commander';
import { loadRawConfig } from '../../config/load.js';
import { resolveExperimentConfig } from '../../models/experiment-config.js';
import { compare, type CompareResult } from '../../experiments/compare.js';
import { printJson, printText, progressBar, type GlobalOptions } from '../output.js';
import { parseSweep, type Sweep } from './theory.js';

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

function fmt(x: number | null | undefined, digits = 5): string {
  if (x === null || x === undefined) return '—';
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(digits - 2) : x.toPrecision(digits);
}

export function formatCompare(r: CompareResult): string {
  const out: string[] = [`featlearn compare: theory vs simulation (${r.seeds} seeds)`];
  for (const p of r.points) {
    const c = p.config;
    out.push(
      '',
      `${p.value !== undefined && r.sweep ? `${r.sweep.key} = ${fmt(p.value)}: ` : ''}${p.method} — ${p.methodReason}`,
      `  d = ${c.d}, width = ${c.width}, n0 = ${c.n0}, n = ${c.n}; ${c.student.activation}/${c.teacher.link}; eta = ${c.step.eta} (${c.step.scaling}); lambda = ${c.ridge.lambda}`,
    );
    if (!p.theoryOk) out.push(`  theory FAILED: ${p.theoryFailure}`);
    const w = Math.max(...p.rows.map((x) => x.quantity.length), 8);
    out.push(`  ${'quantity'.padEnd(w)}  ${'theory'.padStart(10)}  ${'simulation'.padStart(10)}  ${'± sem'.padStart(9)}  ${'dev/sem'.padStart(8)}  ${'rel'.padStart(8)}`);
    for (const x of p.rows) {
      out.push(
        `  ${x.quantity.padEnd(w)}  ${fmt(x.theory).padStart(10)}  ${fmt(x.simulation?.mean).padStart(10)}  ${fmt(x.simulation?.sem, 2).padStart(9)}  ${(x.deviation === null ? '—' : x.deviation.toFixed(2)).padStart(8)}  ${(x.relative === null ? '—' : `${(100 * x.relative).toFixed(1)}%`).padStart(8)}`,
      );
    }
    if (p.warnings.length > 0) out.push(...p.warnings.map((m) => `  warning: ${m}`));
  }
  return out.join('\n');
}

interface CompareFlags {
  config?: string;
  set: string[];
  sweep?: Sweep;
  seeds: number;
  workers: number | 'auto';
  force: boolean;
}

export function compareCommand(globals: () => GlobalOptions): Command {
  return new Command('compare')
    .description('run theory and simulation for the same config (or sweep) and print both with the deviation in standard errors')
    .option('-c, --config <file>', 'experiment config (JSON or YAML)')
    .option('-s, --set <key=value>', 'override a config key (dotted, repeatable)', collect, [])
    .option('--sweep <key=start:stop:count>', 'sweep one key linearly (alpha, alpha0, eta, lambda, psi)', parseSweep)
    .option('--seeds <K>', 'simulation seeds per point', parsePositiveInt, 4)
    .option('--workers <N|auto>', 'worker threads for the seeds', parseWorkers, 'auto')
    .option('--force', 'run even when the memory estimate is too large', false)
    .action(async (flags: CompareFlags) => {
      const opts = globals();
      const config = resolveExperimentConfig(loadRawConfig(flags.config, flags.set), flags.config ? `experiment config ${flags.config}` : 'experiment config');
      const total = flags.sweep?.values.length ?? 1;
      const bar = progressBar(opts, total, 'compare');
      let r: CompareResult;
      try {
        r = await compare(config, { seeds: flags.seeds, sweep: flags.sweep, workers: flags.workers, force: flags.force, onPoint: () => bar.tick() });
      } finally {
        bar.stop();
      }
      if (opts.json) printJson(r);
      else printText(opts, formatCompare(r));
    });
}
