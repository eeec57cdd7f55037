/**
 * `featlearn dynamics [--config FILE] [--set key=value]... [--seeds K] [--out FILE] [--force]`: gradient
 * descent of a width-m network on a multi-index target (src/simulate/dynamics), per seed and summarised.
 * Text: a trajectory table of the first seed and the summary; --json: the whole result (names in
 * docs/dynamics.md). Progress bar with ETA on a TTY (steps of all seeds).
 */
import { writeFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { loadRawConfig } from '../../config/load.js';
import { ConfigError } from '../../config/validate.js';
import { resolveDynamicsConfig, type DynamicsConfig } from '../../models/dynamics-config.js';
import { runDynamicsSeeds, type DynamicsSeedsResult } from '../../simulate/dynamics/seeds.js';
import type { Stats, SummaryTree } from '../../simulate/summary.js';
import { provenance } from '../../provenance/record.js';
import { printJson, printText, progressBar, type GlobalOptions } from '../output.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

/** Bytes of the largest arrays: X (n x d), the test set when used, the Lanczos basis. */
export function dynamicsMemoryBytes(c: DynamicsConfig): number {
  const b = c.precision === 'float64' ? 8 : 4;
  const P = c.width * c.d + c.width + 1;
  const hess = c.hessian.at === 'none' ? 0 : 8 * P * (c.hessian.maxIterations + 1) + (c.hessian.dense ? 8 * P * P : 0);
  return b * c.n * c.d + (c.test.method === 'test-set' ? b * c.nTest * c.d : 0) + hess;
}

function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(3) : x.toPrecision(5);
}

function isStats(v: Stats | SummaryTree): v is Stats {
  return typeof (v as Stats).mean === 'number';
}

export function formatDynamics(r: DynamicsSeedsResult): string {
  const c = r.config;
  const first = r.runs[0];
  const lines = [
    `featlearn dynamics (${r.runs.length} seed${r.runs.length > 1 ? 's' : ''} from ${c.seed})`,
    `  d = ${c.d}, m = ${c.width}, n = ${c.n} (delta = ${fmt(c.delta)}); ${c.student.activation} student; target ${c.teacher.link} (k = ${c.teacher.k}, noise ${c.teacher.noise})`,
    `  ${c.training.mode} eta = ${c.training.eta}, ${c.training.steps} steps, loss ${c.training.loss}, second layer ${c.training.secondLayer}${c.training.bias ? ', bias' : ''}, weight decay ${c.training.weightDecay}; test error by ${first.testMethod}`,
    '',
    `seed ${first.seed}:`,
    `${'step'.padStart(7)} ${'time'.padStart(9)} ${'train'.padStart(11)} ${'test'.padStart(11)} ${'|grad|'.padStart(11)}  cosines`,
  ];
  for (const p of first.trajectory) {
    lines.push(`${String(p.step).padStart(7)} ${fmt(p.time).padStart(9)} ${fmt(p.trainLoss).padStart(11)} ${fmt(p.testError).padStart(11)} ${fmt(p.gradNorm).padStart(11)}  ${p.cosines.map((x) => x.toFixed(3)).join(' ')}`);
  }
  const p1 = first.phase1End;
  lines.push(p1 ? `end of phase 1: step ${p1.step} (|grad| ${fmt(p1.gradNorm)}, ${p1.learned} of ${c.teacher.k} directions learned)` : 'end of phase 1: not detected');
  lines.push(`escape (level ${c.escape.level}): ${first.escape.status}${first.escape.time !== null ? ` at time ${fmt(first.escape.time)}` : ''}`);
  for (const h of first.hessian) {
    const lo = h.smallest?.eigen.map((e) => fmt(e.value)).join(', ');
    const hi = h.largest?.eigen.map((e) => fmt(e.value)).join(', ');
    lines.push(`Hessian at step ${h.step} (${h.trigger}, ${h.parameters} parameters):${lo ? ` smallest ${lo}` : ''}${hi ? `; largest ${hi}` : ''}`);
    if (h.smallest) lines.push(`  bottom eigenvector overlap with Theta*: ${fmt(h.smallest.eigen[0]?.thetaStar)}, with the unlearned part: ${fmt(h.smallest.eigen[0]?.unlearned)}`);
    if (h.dense) lines.push(`  dense check: max |Lanczos - eigh| = ${fmt(h.dense.maxLanczosError)}`);
  }
  if (r.runs.length > 1) {
    lines.push('', `summary over ${r.runs.length} seeds (escaped: ${r.escaped.count}/${r.escaped.of}):`);
    for (const [k, v] of Object.entries(r.summary)) if (isStats(v)) lines.push(`  ${k.padEnd(28)} ${fmt(v.mean).padStart(11)} ± ${fmt(v.sem)} (n = ${v.n})`);
  }
  if (r.warnings.length > 0) lines.push('', 'warnings:', ...r.warnings.map((w) => `  - ${w}`));
  return lines.join('\n');
}

interface DynamicsFlags {
  config?: string;
  set: string[];
  seeds: number;
  force: boolean;
  out?: string;
}

export function dynamicsCommand(globals: () => GlobalOptions): Command {
  return new Command('dynamics')
    .description('gradient descent of a width-m network on a multi-index target: trajectory, overlaps, Hessian spectra, escape time')
    .option('-c, --config <file>', 'dynamics config (JSON or YAML)')
    .option('-s, --set <key=value>', 'override a config key (dotted, repeatable), e.g. --set teacher.link=phase-retrieval', collect, [])
    .option('--seeds <K>', 'number of seeds (seed, seed+1, ..., seed+K-1)', parsePositiveInt, 1)
    .option('--force', "run even when the memory estimate exceeds 80% of this machine's memory", false)
    .option('-o, --out <file>', 'also write the JSON result to this file')
    .action((flags: DynamicsFlags) => {
      const opts = globals();
      const config = resolveDynamicsConfig(loadRawConfig(flags.config, flags.set), flags.config ? `dynamics config ${flags.config}` : 'dynamics config');
      const bytes = dynamicsMemoryBytes(config);
      if (!flags.force && bytes > 0.8 * totalmem()) {
        throw new ConfigError([`memory: this run needs about ${(bytes / 2 ** 30).toFixed(1)} GiB (X is n x d = ${config.n} x ${config.d}), more than 80% of this machine's ${(totalmem() / 2 ** 30).toFixed(1)} GiB; lower d or delta, use precision float32, or pass --force`]);
      }
      const steps = config.training.steps + 1;
      const bar = progressBar(opts, flags.seeds * steps, 'dynamics');
      let result: DynamicsSeedsResult;
      try {
        result = runDynamicsSeeds(config, flags.seeds, { onProgress: () => bar.tick() });
      } finally {
        bar.stop();
      }
      const out = { ...result, provenance: provenance() };
      if (flags.out) {
        try {
          writeFileSync(flags.out, `${JSON.stringify(out, null, 2)}\n`);
        } catch (e) {
          throw new ConfigError([`--out: cannot write "${flags.out}": ${(e as Error).message}`]);
        }
      }
      if (opts.json) printJson(out);
      else printText(opts, formatDynamics(result));
    });
}
