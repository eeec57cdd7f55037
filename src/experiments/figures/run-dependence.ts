/**
 * The runner of the dependence figure (types.ts DependenceFigure; multi-index.md section 6,
 * `mw2026-dependence`): delta_NN (nn-threshold.ts: OUR RECONSTRUCTION of Montanari & Wang 2026 at the
 * initial point, *verify*) for each activation and width m of the mode, beside delta_alg (deltaAlg of
 * src/theory/multi-index: established; 1/2 for phase retrieval). Theory only: there is no simulation, so
 * there is no agreement in standard errors; --strict fails when a delta_NN that the mode asks for ends in
 * a numerical failure (a bracket that failed or an exception), while "no transition" outcomes (no outlier
 * in the range, unbounded or positive semi-definite weights) are results, reported with their reason. Every point of results.csv is
 * a computed delta_NN (theory column; no simulation).
 * Cost: one delta_NN per (activation, m): ~0.2 s for m = 1, ~0.2-2 s for m = 2 (3-D quadrature), ~95 s for
 * m = 3 and ~8 min for m = 4 (Monte Carlo, 20000 draws, rough: docs/thresholds.md).
 */
import { resolveDynamicsConfig } from '../../models/dynamics-config.js';
import { getMultiIndexTarget } from '../../models/multi-index-teacher.js';
import { deltaAlg } from '../../theory/multi-index/index.js';
import { nnThreshold } from './nn-threshold.js';
import type { FigureLine, FigurePoint, FigureResult, RunFigureOptions } from './run.js';
import { figureResult, mergeConfig, unmeasuredAgreement } from './run.js';
import type { DependenceFigure } from './types.js';

/** A delta_NN outcome that is a result (no transition), not a numerical failure. */
const LEGITIMATE = /^(no-outlier|unbounded|psd-weights|no-unlearned-directions):/;

/** Runs the dependence figure (module comment). */
export async function runDependenceFigure(def: DependenceFigure, opts: RunFigureOptions = {}): Promise<FigureResult> {
  const mode = opts.mode ?? 'full';
  const s = def[mode];
  const t0 = performance.now();
  const points: FigurePoint[] = [];
  const lines: FigureLine[] = [];
  const notes: string[] = [];
  const outside: string[] = [];
  const total = Object.values(s.widths).reduce((n, ms) => n + ms.length, 0);
  let done = 0;
  let alg: number | null = null;
  for (const act of def.activations) {
    const widths = s.widths[act] ?? [];
    const line: FigureLine = { panel: 'dependence', series: act, method: 'theory', horizontal: false, points: [], failures: [], markers: true };
    for (const m of widths) {
      const config = resolveDynamicsConfig({ ...(mergeConfig(def.base, { width: m, student: { activation: act } }) as Record<string, unknown>), delta: 1 }, `figure ${def.id}, ${act}, m = ${m}`);
      if (alg === null) {
        const t = getMultiIndexTarget(config.teacher.link, config.teacher.k);
        alg = deltaAlg(t, config.teacher.noise).deltaAlg;
      }
      await new Promise((r) => setImmediate(r));
      const nn = nnThreshold(config, { relTol: s.relTol, samples: s.samples });
      opts.onProgress?.(++done, total, `${act} m = ${m}`);
      if (nn.value !== null) line.points.push({ x: m, y: nn.value });
      else {
        line.failures.push({ x: m, reason: nn.reason ?? 'no value' });
        if (!LEGITIMATE.test(nn.reason ?? '')) outside.push(`${act}, m = ${m}: ${nn.reason}`);
      }
      const warnings = nn.method === 'monte-carlo' ? [`${act}, m = ${m}: Monte Carlo law (${nn.points} draws): rough, the threshold depends on the tail of the law (docs/thresholds.md)`] : [];
      points.push({ panel: 'dependence', series: act, model: 'theory', x: m, quantity: 'deltaNN', theory: nn.value, simulation: null, deviation: null, withinTolerance: null, config, warnings: nn.value === null ? [`no δ_NN: ${nn.reason}`, ...warnings] : warnings });
      notes.push(`${act}, m = ${m}: ${nn.value === null ? `no δ_NN (${nn.reason})` : `δ_NN = ${nn.value.toPrecision(4)}`} (${nn.method ?? '—'} law${nn.points ? `, ${nn.points} points` : ''}; ${nn.seconds.toFixed(1)} s)`);
    }
    lines.push(line);
  }
  if (alg !== null) lines.push({ panel: 'dependence', series: 'δ_alg', method: 'threshold', horizontal: true, points: [{ x: null, y: alg }], failures: [] });
  notes.unshift(`δ_alg = ${alg === null ? "—" : alg.toPrecision(6)} (established: Mondelli & Montanari 2018; the same for every network)`);
  const agreement = unmeasuredAgreement(
    `theory only (no simulation): --strict fails on a numerical failure of a δ_NN (bisection relative tolerance ${s.relTol}); "no transition" outcomes are results`,
    outside,
  );
  return figureResult(def, { mode, d: 0, seeds: 0, points, lines, agreement, notes }, t0);
}
