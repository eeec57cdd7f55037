/**
 * The runner's gradient-descent branch (types.ts DynamicsFigure): for every panel, series and swept
 * value, `runDynamicsSeeds` (src/simulate/dynamics) over the mode's seeds, the outcome's mean and
 * standard error; the thresholds of `thresholds()` (src/theory/multi-index; delta_alg established,
 * delta_NN our reconstruction of Montanari & Wang 2026, *verify*) as vertical lines. Cost: seeds x points
 * GD runs of `training.steps` steps on n = delta d samples (O(steps n d m) each), plus delta_NN when
 * requested (once per setting, nn-threshold.ts: 10-40 s for m = 1).
 */
import { resolveDynamicsConfig, type DynamicsConfig } from '../../models/dynamics-config.js';
import { runDynamicsSeeds } from '../../simulate/dynamics/index.js';
import { thresholds } from '../../theory/multi-index/index.js';
import { nnThreshold } from './nn-threshold.js';
import { figureResult, mergeConfig, seedStats as stats, unmeasuredAgreement, type FigureLine, type FigurePoint, type FigureResult, type RunFigureOptions } from './run.js';
import type { DynamicsFigure } from './types.js';

/** Simulated points of a dynamics figure in a mode. */
export function dynamicsPointCount(def: DynamicsFigure, mode: 'quick' | 'full'): number {
  const s = def[mode];
  return def.panels.reduce((n, p) => n + p.series.filter((se) => !s.series || s.series.includes(se.label)).length * s.x.length, 0);
}

/** Runs a dynamics figure (module comment). */
export async function runDynamicsFigure(def: DynamicsFigure, opts: RunFigureOptions = {}): Promise<FigureResult> {
  const mode = opts.mode ?? 'full';
  const s = def[mode];
  const seeds = opts.seeds ?? s.seeds;
  const t0 = performance.now();
  const total = dynamicsPointCount(def, mode);
  const points: FigurePoint[] = [];
  const lines: FigureLine[] = [];
  const notes: string[] = [];
  let done = 0;
  for (const panel of def.panels) {
    for (const se of panel.series.filter((x) => !s.series || s.series.includes(x.label))) {
      const base = mergeConfig(panel.base, se.config, { d: s.d }) as Record<string, unknown>;
      const ref = resolveDynamicsConfig({ ...base, [panel.sweep]: s.x[0] }, `figure ${def.id}, panel ${panel.id}, series "${se.label}"`);
      for (const which of panel.thresholds) {
        if (which === 'deltaNN' && panel.nnSeries && !panel.nnSeries.includes(se.label)) continue;
        if (which === 'deltaAlg' && lines.some((l) => l.panel === panel.id && l.series === 'δ_alg')) continue;
        try {
          // delta_NN once per setting (nn-threshold.ts: cached; bisection to 1e-3)
          const nn = which === 'deltaNN' ? nnThreshold(ref) : null;
          const value = which === 'deltaAlg' ? thresholds(ref, { skipNN: true }).deltaAlg : nn!.value;
          const label = which === 'deltaAlg' ? 'δ_alg' : `δ_NN, ${se.label}`;
          if (!lines.some((l) => l.panel === panel.id && l.series === label)) {
            lines.push({ panel: panel.id, series: label, method: 'threshold', horizontal: false, points: [{ x: value, y: null }], failures: value === null ? [{ x: null, reason: `${which}: ${nn?.reason ?? 'no transition found'}` }] : [] });
            if (nn) notes.push(`δ_NN, ${se.label}: ${nn.value === null ? `none (${nn.reason})` : `${nn.value.toPrecision(4)} (our reconstruction at the initial point; ${nn.method} law; ${nn.seconds.toFixed(1)} s)`}`);
          }
        } catch (e) {
          lines.push({ panel: panel.id, series: which, method: 'threshold', horizontal: false, points: [], failures: [{ x: null, reason: (e as Error).message }] });
        }
      }
      for (const x of s.x) {
        const config: DynamicsConfig = resolveDynamicsConfig({ ...base, [panel.sweep]: x });
        await new Promise((r) => setImmediate(r)); // let a progress bar draw
        const r = runDynamicsSeeds(config, seeds);
        const values = r.outcomes.map((o) => o.finalTopCosine ** 2);
        points.push({ panel: panel.id, series: se.label, model: 'gd', x, quantity: panel.quantity, theory: null, simulation: stats(values), deviation: null, withinTolerance: null, config, warnings: r.warnings });
        opts.onProgress?.(++done, total, `${panel.id} ${se.label} ${panel.sweep}=${x}`);
      }
    }
  }
  const agreement = unmeasuredAgreement('no theory curve for the final overlap: the thresholds are drawn as vertical lines and the comparison is visual');
  return figureResult(def, { mode, d: s.d, seeds, points, lines, agreement, notes }, t0);
}
