/**
 * The explorer's figures, computed in the browser by featlearn's theory engine (src/theory: browser-safe)
 * and drawn with the Vega-Lite specs of `featlearn plot` (src/plot/spec.ts: FigurePlot rows).
 *
 * - Learning curve: theoryCurve along the x axis (exactly `featlearn theory --sweep key=from:to:points`),
 *   random features (the same config at eta = 0, as `featlearn compare` defines the baseline), the linear
 *   floor and the null risk (src/theory/floors.ts), simulated points with ± one standard error.
 * - Step anatomy: the singular-value density of the bulk of W1 (Marchenko–Pastur law of a d x N matrix
 *   with N(0, 1/d) entries, scaled like the anatomy's bulk) with the BBP outlier, and the top singular
 *   value and the squared overlaps against eta (src/theory/anatomy.ts); after a simulation, the histogram
 *   of every simulated singular value of W1 (seeds pooled) at the simulated eta nearest the current one.
 */
import { ConfigError } from '../../src/config/validate.js';
import { resolveExperimentConfig, type ExperimentConfig } from '../../src/models/experiment-config.js';
import { floors, stepAnatomy, theory, theoryCurve, withSweepValue, type TheoryPoint } from '../../src/theory/index.js';
import type { FigurePlot, PlotRow } from '../../src/plot/spec.js';
import { densityHistogram } from '../../src/plot/histogram.js';
import { marchenkoPasturSingularDensity } from '../../src/theory/gaussian-equivalent/marchenko-pastur.js';
import type { PlotMethod } from '../../src/plot/style.js';
import { rawConfig, SWEEP_TITLE, sweepOf, sweepValues, type ExplorerState } from './state.js';

/** One simulated point as it arrives from the server (JobEvents['point'] of src/serve/protocol.ts). */
export interface SimPoint {
  index: number;
  value: number | null;
  rows: { quantity: string; theory: number | null; simulation: { mean: number; sem: number | null; n: number } | null }[];
  /** Every singular value of W1, seeds pooled (anatomy simulations only). */
  singularValues?: number[];
}

export interface CurveData {
  config: ExperimentConfig;
  key: string;
  values: number[];
  points: TheoryPoint[];
  /** The plotted theory line: y = null where the theory failed. */
  curve: { x: number; y: number | null }[];
  randomFeatures: { x: number; y: number | null }[];
  nullRisk: number;
  linearFloor: number;
  method: string;
  methodReason: string;
  failures: string[];
  warnings: string[];
}

export const Y_TITLE: Record<string, string> = { risk: 'test error (population risk)', trainError: 'train error', testMSE: 'test MSE' };

/** Resolves the state's config; throws ConfigError (shown next to the controls). */
export function stateConfig(s: ExplorerState): ExperimentConfig {
  return resolveExperimentConfig(rawConfig(s), 'explorer config');
}

type YKey = 'risk' | 'trainError' | 'testMSE';

let rfCache: { key: string; rf: { x: number; y: number | null }[] } | null = null;

/** The learning curve of the state (module comment). */
export function learningCurve(s: ExplorerState): CurveData {
  const config = stateConfig(s);
  const sw = sweepOf(s);
  const y = s.values.y as YKey;
  // floors do not depend on the swept keys except through n (linear ridge, not plotted): computed once
  const points = theoryCurve(config, sw.key, sw.values, { anatomy: false, floors: false });
  const rfConfig: ExperimentConfig = { ...config, step: { ...config.step, eta: 0 }, theory: { ...config.theory, method: 'auto' } };
  // the baseline does not move with eta: kept while its own config and the sweep are unchanged
  const rfKey = JSON.stringify([rfConfig, sw.key, sw.values, y]);
  if (rfCache?.key !== rfKey) {
    let rf: { x: number; y: number | null }[];
    if (sw.key === 'eta') {
      const p = theory(rfConfig, { anatomy: false, floors: false });
      rf = sw.values.map((x) => ({ x, y: p[y] }));
    } else {
      rf = theoryCurve(rfConfig, sw.key, sw.values, { anatomy: false, floors: false }).map((p, i) => ({ x: sw.values[i], y: p[y] }));
    }
    rfCache = { key: rfKey, rf };
  }
  const rf = rfCache.rf;
  const fl = floors(config);
  const failures = points.filter((p) => !p.ok).map((p) => `${sw.key} = ${fmt(p.value ?? NaN)}: ${p.reason}${p.message ? ` (${p.message})` : ''}`);
  return {
    config,
    key: sw.key,
    values: sw.values,
    points,
    curve: points.map((p, i) => ({ x: sw.values[i], y: p.ok ? p[y] : null })),
    randomFeatures: rf,
    nullRisk: fl.nullRisk,
    linearFloor: fl.linearFloor,
    method: points[0]?.method ?? '',
    methodReason: points[0]?.methodReason ?? '',
    failures,
    warnings: [...new Set(points.flatMap((p) => p.warnings))],
  };
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(3) : String(Number(x.toPrecision(4)));
}

function simRow(p: SimPoint, quantity: string): { mean: number; sem: number | null } | null {
  return p.rows.find((r) => r.quantity === quantity)?.simulation ?? null;
}

function pointRow(panel: string, series: string, method: PlotMethod, x: number, sim: { mean: number; sem: number | null }): PlotRow {
  const sem = sim.sem ?? 0;
  return { panel, series, method, mark: 'point', x, y: sim.mean, lo: sim.mean - sem, hi: sim.mean + sem };
}

/** The learning-curve figure (FigurePlot of src/plot/spec.ts). */
export function curveFigure(s: ExplorerState, data: CurveData, sim: SimPoint[]): FigurePlot {
  const y = s.values.y as YKey;
  const rows: PlotRow[] = [];
  const panel = 'curve';
  for (const p of data.randomFeatures) rows.push({ panel, series: 'random features (eta = 0)', method: 'randomFeatures', mark: 'line', x: p.x, y: p.y });
  for (const p of data.curve) rows.push({ panel, series: 'theory', method: 'theory', mark: 'line', x: p.x, y: p.y });
  if (y === 'risk' || y === 'testMSE') {
    rows.push({ panel, series: 'linear floor', method: 'linearFloor', mark: 'hrule', x: null, y: data.linearFloor });
    rows.push({ panel, series: 'null risk', method: 'nullRisk', mark: 'hrule', x: null, y: data.nullRisk });
  }
  const netMethod: PlotMethod = data.config.model === 'srf' ? 'srf' : 'network';
  for (const p of sim) {
    const x = p.value ?? (data.config as unknown as Record<string, number>)[data.key];
    const net = simRow(p, y);
    if (net) rows.push(pointRow(panel, netMethod === 'srf' ? 'sRF model (simulation)' : 'network (simulation)', netMethod, x, net));
    const rf = y === 'testMSE' ? null : simRow(p, `randomFeatures.${y}`);
    if (rf) rows.push(pointRow(panel, 'random features (simulation)', 'randomFeatures', x, rf));
  }
  const key = data.key as keyof typeof SWEEP_TITLE;
  return {
    title: `${Y_TITLE[y]} against ${key}`,
    panels: [{ id: panel, title: '', x: { title: SWEEP_TITLE[key] }, y: { title: Y_TITLE[y], log: Boolean(s.values.logY) } }],
    rows,
    colorTitle: 'series',
    width: 560,
    height: 360,
  };
}

/**
 * The bulk of W1's singular values: the Marchenko–Pastur singular-value density of a d x N matrix with
 * N(0, 1/d) entries (c = N/d; src/theory/gaussian-equivalent/marchenko-pastur.ts, the same function as the
 * CLI's histogram figures), in the units of W1 (values times the bulk scale, density divided by it).
 */
export function mpSingularDensity(c: number, scale: number, count = 160): { x: number; y: number }[] {
  const lo = Math.abs(1 - Math.sqrt(c));
  const hi = 1 + Math.sqrt(c);
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i <= count; i++) {
    const s = lo + ((hi - lo) * i) / count;
    out.push({ x: s * scale, y: marchenkoPasturSingularDensity(s, c) / scale });
  }
  return out;
}

export interface AnatomyData {
  config: ExperimentConfig;
  etas: number[];
  /** Per eta: top singular value, bulk edge, overlaps. */
  lines: { eta: number; top: number; edge: number; beta: number; u: number; a0: number; gamma2: number }[];
  density: { x: number; y: number }[];
  top: number;
  edge: number;
  separated: boolean;
  notes: string[];
}

/** The eta range of the anatomy view: the x range when x = eta, else 0 to max(4, 2 eta). */
export function anatomyEtaRange(s: ExplorerState): [number, number] {
  const sw = sweepOf(s);
  return sw.key === 'eta' ? [sw.from, sw.to] : [0, Math.max(4, 2 * Number(s.values['step.eta']))];
}

/** The eta values of the anatomy's simulation: `simPoints` values over the eta range, from the first step when it starts at 0 (eta = 0 takes no step). */
export function anatomySimRange(s: ExplorerState): { from: number; to: number; points: number } {
  const [from, to] = anatomyEtaRange(s);
  const points = Math.max(1, Math.round(Number(s.values.simPoints)));
  return { from: from === 0 && points > 1 ? to / points : from, to, points };
}

/** The anatomy of the state's step (module comment); eta grid from the x range when x = eta, else 0..4. */
export function anatomyData(s: ExplorerState): AnatomyData {
  const config = stateConfig(s);
  const sw = sweepOf(s);
  const [from, to] = anatomyEtaRange(s);
  const etas = sw.key === 'eta' ? sw.values : sweepValues(from, to, 81);
  const lines = etas.map((eta) => {
    const a = stepAnatomy(withSweepValue(config, 'eta', eta));
    return { eta, top: a.bbp.topSingularValue, edge: a.bbp.bulkEdge, beta: a.overlapBeta2, u: a.bbp.leftOverlap2, a0: a.bbp.rightOverlap2, gamma2: a.gamma2 };
  });
  const here = stepAnatomy(config);
  return {
    config,
    etas,
    lines,
    density: mpSingularDensity(config.width / config.d, here.bbp.scale),
    top: here.bbp.topSingularValue,
    edge: here.bbp.bulkEdge,
    separated: here.bbp.separated,
    notes: here.notes,
  };
}

export function anatomyFigure(data: AnatomyData, sim: SimPoint[]): FigurePlot {
  const rows: PlotRow[] = [];
  // the simulated spectrum nearest the current eta (the eta sweep of the anatomy's simulation), as a density
  const eta = data.config.step.eta;
  const withSpectrum = sim.filter((p) => p.value !== null && (p.singularValues?.length ?? 0) > 0);
  const nearest = withSpectrum.reduce<SimPoint | null>((best, p) => (best === null || Math.abs(p.value! - eta) < Math.abs(best.value! - eta) ? p : best), null);
  if (nearest) {
    const values = nearest.singularValues!;
    const bins = Math.max(10, Math.min(60, Math.round(Math.sqrt(values.length))));
    for (const b of densityHistogram(values, bins)) {
      rows.push({ panel: 'spectrum', series: `simulation at η = ${fmt(nearest.value!)}`, method: 'histogram', mark: 'bar', x: b.x, x2: b.x2, y: b.y });
    }
  }
  for (const p of data.density) rows.push({ panel: 'spectrum', series: 'bulk (Marchenko–Pastur)', method: 'reference', mark: 'line', x: p.x, y: p.y });
  rows.push({ panel: 'spectrum', series: 'bulk edge', method: 'threshold', mark: 'vrule', x: data.edge, y: null });
  if (data.separated) rows.push({ panel: 'spectrum', series: 'BBP outlier s₁(W₁)', method: 'theory', mark: 'vrule', x: data.top, y: null });
  for (const l of data.lines) {
    rows.push({ panel: 'top', series: 'BBP outlier s₁(W₁)', method: 'theory', mark: 'line', x: l.eta, y: l.top });
    rows.push({ panel: 'top', series: 'bulk edge', method: 'threshold', mark: 'line', x: l.eta, y: l.edge });
    rows.push({ panel: 'overlap', series: '⟨v₁, β⋆⟩²', method: 'theory', mark: 'line', x: l.eta, y: l.beta });
    rows.push({ panel: 'overlap', series: '⟨v₁, u/|u|⟩²', method: 'theory', mark: 'line', x: l.eta, y: l.u });
    rows.push({ panel: 'overlap', series: '⟨r₁, a₀⟩²', method: 'theory', mark: 'line', x: l.eta, y: l.a0 });
    rows.push({ panel: 'overlap', series: 'γ² = cos²(u, β⋆)', method: 'reference', mark: 'line', x: l.eta, y: l.gamma2 });
  }
  for (const p of sim) {
    if (p.value === null) continue;
    const top = simRow(p, 'spectrum.largest.W1');
    if (top) rows.push(pointRow('top', 's₁(W₁) (simulation)', 'network', p.value, top));
    const beta = simRow(p, 'alignment.W1Beta');
    if (beta) rows.push(pointRow('overlap', '⟨v₁, β⋆⟩² (simulation)', 'network', p.value, beta));
    const u = simRow(p, 'alignment.W1U');
    if (u) rows.push(pointRow('overlap', '⟨v₁, u/|u|⟩² (simulation)', 'simulation', p.value, u));
  }
  const c = data.config;
  return {
    title: 'Anatomy of the step',
    panels: [
      { id: 'spectrum', title: `singular values of W₁ at η = ${fmt(c.step.eta)}`, x: { title: 'singular value s' }, y: { title: 'density' } },
      { id: 'top', title: 'top singular value against η', x: { title: 'η' }, y: { title: 's₁(W₁)' } },
      { id: 'overlap', title: 'alignment against η', x: { title: 'η' }, y: { title: 'squared overlap', domain: [0, 1] } },
    ],
    rows,
    width: 200,
    height: 230,
  };
}

/** Turns a ConfigError into per-key messages (the key is the text before the first colon). */
export function issuesByKey(e: unknown): { byKey: Map<string, string[]>; general: string[] } {
  const byKey = new Map<string, string[]>();
  const general: string[] = [];
  const issues = e instanceof ConfigError ? [...e.issues] : [e instanceof Error ? e.message : String(e)];
  for (const issue of issues) {
    const m = /^([A-Za-z0-9_.]+)(?:\/([A-Za-z0-9_.]+))?:/.exec(issue);
    if (m) {
      for (const k of [m[1], m[2]].filter(Boolean) as string[]) byKey.set(k, [...(byKey.get(k) ?? []), issue]);
    } else general.push(issue);
  }
  return { byKey, general };
}
