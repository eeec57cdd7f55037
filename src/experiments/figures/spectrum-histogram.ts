/**
 * Singular-value histograms of curve figures (types.ts SpectrumHistogram): every singular value of W₁ after
 * the first step (`simulate` with fullSpectrum, src/simulate/run.ts), seeds pooled, beside the predicted
 * bulk and spike (src/theory/anatomy.ts, Ba et al. 2022 Proposition 2 / Benaych-Georges & Nadakuditi 2012):
 * the bulk of W₁ is that of W₀ (i.i.d. N(0, 1/d) entries, d x N, c = N/d), whose nonzero singular values s
 * follow the Marchenko–Pastur law (Marchenko & Pastur 1967): with γ = min(c, 1/c), λ = s²/max(c, 1) has
 * density √((b − λ)(λ − a)) / (2π γ λ) on [a, b] = [(1 − √γ)², (1 + √γ)²], so s has density
 * 2s/max(c, 1) · p(s²/max(c, 1)) on [|1 − √c|, 1 + √c] (times the bulk scale of a large step).
 * Node-only (simulate may start worker threads); the density and the histogram are browser-safe
 * (src/theory/gaussian-equivalent/marchenko-pastur.ts, src/plot/histogram.ts) and shared with the explorer.
 */
import type { LinalgBackend } from '../../linalg/backend.js';
import { resolveExperimentConfig } from '../../models/experiment-config.js';
import { simulate } from '../../simulate/run.js';
import { theory } from '../../theory/index.js';
import { densityHistogram } from '../../plot/histogram.js';
import { marchenkoPasturSingularDensity } from '../../theory/gaussian-equivalent/marchenko-pastur.js';
import { mergeConfig, type FigureLine } from './run.js';
import type { FigureMode, SpectrumHistogram } from './types.js';

/** Lines of one histogram panel (bars, the predicted density, the bulk edge and the spike) and findings. */
export async function spectrumHistogram(
  h: SpectrumHistogram,
  mode: FigureMode,
  d: number,
  opts: { workers?: number | 'auto'; backend?: LinalgBackend },
): Promise<{ lines: FigureLine[]; notes: string[] }> {
  const config = resolveExperimentConfig(mergeConfig(h.base, { d, report: { baselines: false, anatomy: true } }), `histogram ${h.id}`);
  const sim = await simulate(config, { seeds: h.seeds[mode], fullSpectrum: true, workers: opts.workers, backend: opts.backend });
  const values = sim.runs.flatMap((r) => r.spectrum?.W1.all ?? []);
  const tops = sim.runs.map((r) => r.spectrum?.W1.all?.[0] ?? NaN);
  const th = theory(config, { backend: opts.backend, anatomy: true, floors: false });
  const lines: FigureLine[] = [];
  const notes: string[] = [];
  const bbp = th.anatomy?.bbp;
  const scale = bbp?.scale ?? 1;
  const c = config.width / config.d;
  const lo = scale * Math.abs(1 - Math.sqrt(c));
  const hi = Math.max(...values, scale * (1 + Math.sqrt(c)), bbp?.topSingularValue ?? 0);
  const bins = Math.min(80, Math.max(25, Math.round(2 * Math.sqrt(values.length))));
  lines.push({ panel: h.id, series: 'singular values of W₁', method: 'histogram', horizontal: false, points: densityHistogram(values, bins, [Math.min(lo, ...values) * 0.98, hi * 1.01]), failures: [] });
  const grid: { x: number; y: number }[] = [];
  for (let i = 0; i <= 200; i++) {
    const s = lo + ((scale * (1 + Math.sqrt(c)) - lo) * i) / 200;
    grid.push({ x: s, y: marchenkoPasturSingularDensity(s / scale, c) / scale });
  }
  lines.push({ panel: h.id, series: 'Marchenko–Pastur (theory)', method: 'theory', horizontal: false, points: grid, failures: [] });
  if (bbp) {
    lines.push({ panel: h.id, series: 'bulk edge', method: 'reference', horizontal: false, points: [{ x: bbp.bulkEdge, y: null }], failures: [] });
    if (bbp.separated) lines.push({ panel: h.id, series: 'BBP spike (theory)', method: 'threshold', horizontal: false, points: [{ x: bbp.topSingularValue, y: null }], failures: [] });
    notes.push(
      `${h.title} (d = ${d}, N = ${config.width}, ${sim.runs.length} seed(s), ${values.length} singular values): predicted bulk [${lo.toPrecision(4)}, ${bbp.bulkEdge.toPrecision(4)}]${bbp.separated ? `, spike ${bbp.topSingularValue.toPrecision(4)}` : ', no spike (below the BBP threshold)'}; simulated largest singular value ${tops.map((t) => t.toPrecision(4)).join(', ')}, second largest ${sim.runs.map((r) => r.spectrum?.W1.all?.[1]?.toPrecision(4) ?? '—').join(', ')}`,
    );
  } else notes.push(`${h.title}: no anatomy prediction (${th.ok ? 'no step' : `${th.reason}: ${th.message}`})`);
  return { lines, notes };
}
