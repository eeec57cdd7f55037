/**
 * `featlearn theory [--config FILE] [--set key=value]... [--sweep key=start:stop:count] [--optimal-lambda] [--json]`:
 * the theory engine's prediction (src/theory/index.ts) for a config, or along a linear sweep of one key
 * (alpha, alpha0, eta, lambda, psi). With --json it prints { featlearn, config, method, methodReason, risk,
 * trainError, testMSE, floors, anatomy, orderParameters, converged, iterations, residual, seconds } (with
 * --sweep: { featlearn, config, sweep, points: [...], seconds }); otherwise a short table.
 */
import { Command, InvalidArgumentError } from 'commander';
import { loadRawConfig } from '../../config/load.js';
import { getBackend } from '../../linalg/index.js';
import { resolveExperimentConfig, type ExperimentConfig } from '../../models/experiment-config.js';
import { featlearnVersion } from '../../provenance/version.js';
import { SRF_SWEEP_KEYS, theory, theoryCurve, type SrfSweepKey, type TheoryPoint } from '../../theory/index.js';
import { printJson, printText, type GlobalOptions } from '../output.js';

export interface Sweep {
  key: SrfSweepKey;
  values: number[];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Parses `key=start:stop:count` into count evenly spaced values (count = 1: start). */
export function parseSweep(spec: string): Sweep {
  const m = /^([A-Za-z0-9_.]+)=([^:]+):([^:]+):([^:]+)$/.exec(spec);
  if (!m) throw new InvalidArgumentError(`expected key=start:stop:count, e.g. alpha=0.2:3:15, got "${spec}"`);
  const key = m[1] as SrfSweepKey;
  if (!SRF_SWEEP_KEYS.includes(key)) throw new InvalidArgumentError(`sweep key: expected one of ${SRF_SWEEP_KEYS.join(', ')}, got "${m[1]}"`);
  const start = Number(m[2]);
  const stop = Number(m[3]);
  const count = Number(m[4]);
  if (!Number.isFinite(start) || !Number.isFinite(stop)) throw new InvalidArgumentError(`sweep start and stop must be numbers, got "${m[2]}" and "${m[3]}"`);
  if (!Number.isInteger(count) || count < 1 || count > 10000) throw new InvalidArgumentError(`sweep count must be an integer from 1 to 10000, got "${m[4]}"`);
  const values = count === 1 ? [start] : Array.from({ length: count }, (_, i) => start + ((stop - start) * i) / (count - 1));
  return { key, values };
}

interface TheoryFlags {
  config?: string;
  set: string[];
  sweep?: Sweep;
  optimalLambda: boolean;
}

export interface TheoryReport extends Omit<TheoryPoint, 'value'> {
  featlearn: string;
  config: ExperimentConfig;
  seconds: number;
}

export interface TheoryCurveReport {
  featlearn: string;
  config: ExperimentConfig;
  sweep: Sweep;
  points: TheoryPoint[];
  seconds: number;
}

function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(3) : x.toPrecision(5);
}

export function formatTheory(r: TheoryReport): string {
  const c = r.config;
  const lines = [
    `featlearn theory: ${r.method} — ${r.methodReason}`,
    `  d = ${c.d}, width = ${c.width}, n0 = ${c.n0}, n = ${c.n}; ${c.student.activation} student, ${c.teacher.link} teacher (noise ${c.teacher.noise}); eta = ${c.step.eta} (${c.step.scaling}); lambda = ${c.ridge.lambda} (${c.ridge.normalization})`,
    '',
    r.ok ? `risk         ${fmt(r.risk)}` : `FAILED       ${r.reason}: ${r.message}`,
    `testMSE      ${fmt(r.testMSE)}`,
    `trainError   ${fmt(r.trainError)}`,
    `converged    ${r.converged} (${r.iterations} iterations, residual ${fmt(r.residual)})`,
  ];
  if (r.optimalLambda) lines.push(`best lambda  ${fmt(r.optimalLambda.lambda)} -> risk ${fmt(r.optimalLambda.risk)}${r.optimalLambda.boundary ? ` (at the ${r.optimalLambda.boundary} end of the range)` : ''}`);
  if (r.floors) {
    lines.push(`null risk    ${fmt(r.floors.nullRisk)}`, `linear floor ${fmt(r.floors.linearFloor)}`, `linear ridge ${fmt(r.floors.linearRidge?.risk)} (best lambda: ${fmt(r.floors.linearRidgeOptimal?.risk)})`);
  }
  if (r.anatomy && !r.anatomy.noStep) {
    const a = r.anatomy;
    lines.push(`gamma^2      ${fmt(a.gamma2)} (cos^2(u, beta*)); theta ${fmt(a.theta)}; top sv of W1 ${fmt(a.bbp.topSingularValue)}${a.bbp.separated ? '' : ' (bulk edge)'}; overlap^2 with beta* ${fmt(a.overlapBeta2)}`);
  }
  if (r.warnings.length > 0) lines.push('', 'warnings:', ...r.warnings.map((w) => `  - ${w}`));
  return lines.join('\n');
}

export function formatCurve(r: TheoryCurveReport): string {
  const head = `featlearn theory: sweep of ${r.sweep.key} (${r.points[0]?.method ?? '—'})`;
  const rows = r.points.map((p) => `${fmt(p.value).padStart(10)}  ${p.ok ? fmt(p.risk).padStart(11) : `failed: ${p.reason}`.padStart(11)}  ${fmt(p.trainError).padStart(11)}`);
  return [head, `${r.sweep.key.padStart(10)}  ${'risk'.padStart(11)}  ${'trainError'.padStart(11)}`, ...rows].join('\n');
}

export function theoryCommand(globals: () => GlobalOptions): Command {
  return new Command('theory')
    .description('predict the one-step risk: Gaussian equivalent (no/small step), sRF equations (large step), random features, floors, anatomy')
    .option('-c, --config <file>', 'experiment config (JSON or YAML)')
    .option('-s, --set <key=value>', 'override a config key (dotted, repeatable), e.g. --set step.eta=2', collect, [])
    .option('--sweep <key=start:stop:count>', `sweep one key linearly (${SRF_SWEEP_KEYS.join(', ')})`, parseSweep)
    .option('--optimal-lambda', 'also minimise the predicted risk over lambda (per point)', false)
    .action((flags: TheoryFlags) => {
      const opts = globals();
      const config = resolveExperimentConfig(loadRawConfig(flags.config, flags.set), flags.config ? `experiment config ${flags.config}` : 'experiment config');
      const t0 = performance.now();
      const topts = { backend: config.theory.spectrum === 'sampled' ? getBackend() : undefined, optimalLambda: flags.optimalLambda };
      if (flags.sweep) {
        const points = theoryCurve(config, flags.sweep.key, flags.sweep.values, topts);
        const report: TheoryCurveReport = { featlearn: featlearnVersion(), config, sweep: flags.sweep, points, seconds: (performance.now() - t0) / 1000 };
        if (opts.json) printJson(report);
        else printText(opts, formatCurve(report));
        return;
      }
      const p = theory(config, topts);
      const report: TheoryReport = { featlearn: featlearnVersion(), config, ...p, seconds: (performance.now() - t0) / 1000 };
      if (opts.json) printJson(report);
      else printText(opts, formatTheory(report));
    });
}
