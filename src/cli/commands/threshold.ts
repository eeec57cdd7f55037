/**
 * `featlearn threshold [--config FILE] [--set key=value]... [--preprocessing SPEC]... [--phase1 initial|population|FILE] [--no-nn] [--json]`:
 * the thresholds of feature learning for a multi-index target (src/theory/multi-index): delta_alg
 * (established), spectral thresholds for preprocessings T (established) and delta_NN (our
 * reconstruction of Montanari & Wang 2026, at the phase-1 point: the initial point by default,
 * "population" = the end of phase 1 of the reduced population GD at large d, or the JSON file
 * { M, Q, a, b } from a simulation). Config: the dynamics schema (src/models/dynamics-config.ts).
 * --json prints { featlearn, config, deltaAlg, deltaAlgError, trivialDirections, spectral, deltaNN,
 * method, converged, ... }.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { loadRawConfig } from '../../config/load.js';
import { ConfigError } from '../../config/validate.js';
import { resolveDynamicsConfig, type DynamicsConfig } from '../../models/dynamics-config.js';
import { NumericsError } from '../../numerics/errors.js';
import { featlearnVersion } from '../../provenance/version.js';
import { parsePreprocessing, thresholds, type PhaseOnePoint, type ThresholdsReport } from '../../theory/multi-index/index.js';
import { printJson, printText, type GlobalOptions } from '../output.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

interface ThresholdFlags {
  config?: string;
  set: string[];
  preprocessing: string[];
  phase1?: string;
  nn: boolean;
  samples?: string;
}

export interface ThresholdCliReport extends ThresholdsReport {
  featlearn: string;
  config: DynamicsConfig;
  seconds: number;
}

function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(4) : x.toPrecision(6);
}

export function formatThreshold(r: ThresholdCliReport): string {
  const c = r.config;
  const lines = [
    `featlearn threshold: ${c.teacher.link} (k = ${c.teacher.k}, noise ${c.teacher.noise}); ${c.student.activation} student, width ${c.width}, ${c.training.loss} loss; delta = ${fmt(c.delta)}`,
    '',
    `delta_alg    ${fmt(r.deltaAlg)} ± ${fmt(r.deltaAlgError)} (${r.method.deltaAlg}; trivial directions: ${r.trivialDirections.length})`,
  ];
  for (const s of r.spectral) {
    const t = s.threshold;
    lines.push(
      t.transition
        ? `spectral     T = ${s.preprocessing}: delta_T = ${fmt(t.deltaT)}${s.atDelta ? `; at delta: top eigenvalue ${fmt(s.atDelta.topEigenvalue)}, overlap^2 ${fmt(s.atDelta.overlap2)}` : ''}`
        : `spectral     T = ${s.preprocessing}: no transition (${t.reason}: ${t.message})`,
    );
  }
  if (r.deltaNNDetail) {
    const d = r.deltaNNDetail;
    lines.push(d.ok ? `delta_NN     ${fmt(d.deltaNN)} (reconstruction; ${d.lawMethod}, ${d.points} points; phase-1 point: ${d.phase1Source})` : `delta_NN     none: ${d.reason} (${d.message})`);
  }
  if (r.hessianAtDelta) {
    const h = r.hessianAtDelta;
    lines.push(`Hessian      at delta: bulk edge ${fmt(h.bulkEdge)}, bottom ${fmt(h.bottomEigenvalue)}${h.outlier ? `, outlier overlap^2 ${fmt(h.overlap2)}` : ' (no outlier)'}`);
  }
  if (r.phase1Population) {
    const p = r.phase1Population;
    const pt = r.deltaNNDetail?.phase1;
    lines.push(`phase 1      population GD: ${p.detected ? `ends at step ${p.step} (${p.criterion})` : `not ended by step ${p.step}`}; |grad| ${fmt(p.gradNorm)}; Q diag ${pt ? pt.Q.map((r, i) => fmt(r[i])).join(', ') : '—'}; singular values of M ${p.singularValuesM.map(fmt).join(', ')}`);
  }
  lines.push(`converged    ${r.converged}`);
  if (r.warnings.length > 0) lines.push('', 'warnings:', ...r.warnings.map((w) => `  - ${w}`));
  return lines.join('\n');
}

/** Reads and checks a phase-1 point file { M, Q, a, b }. */
export function readPhaseOnePoint(file: string): PhaseOnePoint {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError([`--phase1: cannot read JSON from ${file}: ${(e as Error).message}`], 'phase-1 point');
  }
  const o = raw as Partial<PhaseOnePoint>;
  const issues: string[] = [];
  if (!o || typeof o !== 'object') issues.push(`expected an object { M, Q, a, b }, got ${JSON.stringify(raw)}`);
  else {
    if (!Array.isArray(o.M)) issues.push('M: expected an m x k array of numbers (overlaps W Theta*)');
    if (!Array.isArray(o.Q)) issues.push('Q: expected an m x m array of numbers (W W^T - M M^T)');
    if (!Array.isArray(o.a)) issues.push('a: expected an array of m numbers');
    if (typeof o.b !== 'number') issues.push(`b: expected a number, got ${JSON.stringify(o.b)}`);
  }
  if (issues.length > 0) throw new ConfigError(issues, `phase-1 point ${file}`);
  return o as PhaseOnePoint;
}

export function thresholdCommand(globals: () => GlobalOptions): Command {
  return new Command('threshold')
    .description('thresholds for multi-index targets: delta_alg, spectral thresholds delta_T, and delta_NN (reconstruction)')
    .option('-c, --config <file>', 'dynamics config (JSON or YAML)')
    .option('-s, --set <key=value>', 'override a config key (dotted, repeatable), e.g. --set teacher.link=phase-retrieval', collect, [])
    .option('--preprocessing <spec>', 'spectral preprocessing T (repeatable): identity, optimal, trimmed:C, clip:C, tanh', collect, [])
    .option('--phase1 <source>', 'phase-1 point: "initial" (default: the initial point at large d), "population" (end of phase 1 of the reduced population GD at large d) or a JSON file { M, Q, a, b }')
    .option('--no-nn', 'skip delta_NN (the slowest part)')
    .option('--samples <n>', 'Monte Carlo draws of the Hessian law when quadrature is not possible (default 20000)')
    .action((flags: ThresholdFlags) => {
      const opts = globals();
      const config = resolveDynamicsConfig(loadRawConfig(flags.config, flags.set), flags.config ? `dynamics config ${flags.config}` : 'dynamics config');
      let samples: number | undefined;
      if (flags.samples !== undefined) {
        samples = Number(flags.samples);
        if (!Number.isInteger(samples) || samples < 100) throw new ConfigError([`--samples: expected an integer >= 100, got "${flags.samples}"`], 'threshold options');
      }
      try {
        for (const p of flags.preprocessing) parsePreprocessing(p);
      } catch (e) {
        throw new ConfigError([`--preprocessing: ${(e as Error).message.replace(/^preprocessing: /, '')}`], 'threshold options');
      }
      const t0 = performance.now();
      let r: ThresholdsReport;
      try {
        r = thresholds(config, {
          preprocessings: flags.preprocessing.length > 0 ? flags.preprocessing : undefined,
          phase1: flags.phase1 === undefined || flags.phase1 === 'initial' || flags.phase1 === 'population' ? flags.phase1 : readPhaseOnePoint(flags.phase1),
          skipNN: !flags.nn,
          samples,
        });
      } catch (e) {
        if (e instanceof NumericsError) throw new ConfigError([e.message], 'threshold');
        throw e;
      }
      const report: ThresholdCliReport = { featlearn: featlearnVersion(), config, ...r, seconds: (performance.now() - t0) / 1000 };
      if (opts.json) printJson(report);
      else printText(opts, formatThreshold(report));
    });
}
