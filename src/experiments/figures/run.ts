/**
 * The one runner of curve figures (types.ts): for every panel and series it draws the theory on a fine
 * grid (`theoryCurve`, src/theory/index.ts), simulates the mode's x values for every model with
 * `comparePoint` (src/experiments/compare.ts: simulation over seeds beside the theory of the same
 * config) and adds the reference lines (random features = the same config at eta = 0, the linear floor,
 * the null risk: src/theory/floors.ts). Agreement: at every simulated point the deviation
 * (theory - mean) / sem and the rule |theory - mean| <= sems * sem + relative * |theory| of the figure.
 * Cost: that of the simulations (seeds x simulated points); the theory is negligible.
 */
import type { LinalgBackend } from '../../linalg/backend.js';
import type { DynamicsConfig } from '../../models/dynamics-config.js';
import { resolveExperimentConfig, type ExperimentConfig, type ExperimentConfigInput } from '../../models/experiment-config.js';
import { provenance, type Provenance } from '../../provenance/record.js';
import { stats } from '../../simulate/summary.js';
import { floors, theory, theoryCurve, withSweepValue, type TheoryOptions, type TheoryPoint } from '../../theory/index.js';
import { comparePoint, type ComparePoint } from '../compare.js';
import { QUANTITIES } from './quantities.js';
import { spectrumHistogram } from './spectrum-histogram.js';
import type { CurveFigure, CurvePanel, FigureMode, SimulatedModel, Tolerance } from './types.js';

/** One simulated point beside its theory. */
export interface FigurePoint {
  panel: string;
  series: string;
  /** The simulated model ("gd": gradient descent of a dynamics figure). */
  /** ('theory': a computed value with no simulation, e.g. a threshold of a theory-only figure.) */
  model: SimulatedModel | 'gd' | 'lanczos' | 'theory';
  /** The swept key's value. */
  x: number;
  quantity: string;
  theory: number | null;
  simulation: { mean: number; sem: number | null; n: number } | null;
  /** (theory - mean) / sem (null when a side is missing or sem is 0/null). */
  deviation: number | null;
  /** Whether the figure's tolerance holds (null when a side is missing). */
  withinTolerance: boolean | null;
  config: ExperimentConfig | DynamicsConfig;
  warnings: string[];
}

/** A theory, threshold or reference line; `x` null marks a horizontal line at points[0].y. */
export interface FigureLine {
  panel: string;
  series: string;
  /** 'histogram': bars from points[i].x to points[i].x2 of height y; 'simulation': a simulated mean along x. */
  method: 'theory' | 'randomFeatures' | 'linearFloor' | 'nullRisk' | 'threshold' | 'histogram' | 'simulation' | 'reference';
  /** true: a horizontal line at points[0].y; a threshold is a vertical line at points[0].x. */
  horizontal: boolean;
  points: { x: number | null; y: number | null; x2?: number | null }[];
  /** Theory failures along the line (x and reason). */
  failures: { x: number | null; reason: string }[];
  /** Also draw a marker at every point (a line of a few theory values). */
  markers?: boolean;
}

export interface FigureAgreement {
  tolerance: Tolerance;
  /** Largest |deviation| in standard errors over the simulated points, and where. */
  maxAbsDeviation: number | null;
  at: string | null;
  /** Points outside the tolerance (descriptions). */
  outside: string[];
  /** Points with a missing side (theory failed, no simulation value). */
  missing: string[];
  pass: boolean;
  /** false when the figure has no theory for its simulated quantity (a dynamics figure). */
  applicable?: boolean;
}

export interface FigureResult {
  id: string;
  title: string;
  paper: string;
  caption: string;
  mode: FigureMode;
  d: number;
  seeds: number;
  points: FigurePoint[];
  lines: FigureLine[];
  agreement: FigureAgreement;
  /** Figure-specific findings for report.md (thresholds computed, escape times, what was excluded). */
  notes?: string[];
  seconds: number;
  provenance: Provenance;
}

/** Mean and standard error over the seeds of a simulated point (the `simulation` of a FigurePoint). */
export function seedStats(values: readonly number[]): { mean: number; sem: number | null; n: number } {
  const { mean, sem, n } = stats(values);
  return { mean, sem, n };
}

/**
 * The agreement of a figure with no theory curve for what it simulates: `outside` lists the figure's own
 * qualitative checks that failed (what --strict judges), `reason` says so in report.md.
 */
export function unmeasuredAgreement(reason: string, outside: string[] = []): FigureAgreement {
  return { tolerance: { sems: 0, relative: 0, reason }, maxAbsDeviation: null, at: null, outside, missing: [], pass: outside.length === 0, applicable: false };
}

/** A figure's result record: the definition's text, what was run and found, the seconds since t0, provenance. */
export function figureResult(
  def: { id: string; title: string; paper: string; caption: string },
  run: { mode: FigureMode; d: number; seeds: number; points: FigurePoint[]; lines: FigureLine[]; agreement: FigureAgreement; notes?: string[] },
  t0: number,
): FigureResult {
  const { notes, ...rest } = run;
  return {
    id: def.id,
    title: def.title,
    paper: def.paper,
    caption: def.caption,
    ...rest,
    ...(notes !== undefined ? { notes } : {}),
    seconds: (performance.now() - t0) / 1000,
    provenance: provenance(),
  };
}

export interface RunFigureOptions {
  mode?: FigureMode;
  /** Seeds per simulated point (default: the mode's). */
  seeds?: number;
  /** Worker threads for the seeds (default "auto"). */
  workers?: number | 'auto';
  backend?: LinalgBackend;
  /** Called after each simulated point. */
  onProgress?: (done: number, total: number, label: string) => void;
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge of config objects (later wins; arrays and scalars replace). */
export function mergeConfig(...parts: ExperimentConfigInput[]): ExperimentConfigInput {
  const out: Plain = {};
  for (const p of parts as Plain[]) {
    for (const [k, v] of Object.entries(p)) out[k] = isPlain(v) && isPlain(out[k]) ? mergeConfig(out[k] as ExperimentConfigInput, v as ExperimentConfigInput) : v;
  }
  return out as ExperimentConfigInput;
}

/** `count` points evenly spaced on [a, b] (log-spaced when `log`), plus `extra`, sorted and unique. */
export function theoryGrid(a: number, b: number, count: number, log: boolean, extra: readonly number[]): number[] {
  const xs: number[] = [...extra];
  for (let i = 0; i < count; i++) {
    const t = count === 1 ? 0 : i / (count - 1);
    xs.push(log ? a * (b / a) ** t : a + (b - a) * t);
  }
  return [...new Set(xs.map((x) => Number(x.toPrecision(12))))].sort((p, q) => p - q);
}

interface PanelPlan {
  panel: CurvePanel;
  series: { label: string; config: ExperimentConfig }[];
  x: number[];
  models: SimulatedModel[];
}

function plan(def: CurveFigure, mode: FigureMode): PanelPlan[] {
  const s = def[mode];
  return def.panels.map((panel) => {
    const series = panel.series
      .filter((se) => !s.series || s.series.includes(se.label))
      .map((se) => ({
        label: se.label,
        config: resolveExperimentConfig(
          mergeConfig(panel.base, se.config, { d: s.d, report: { baselines: false, anatomy: QUANTITIES[panel.quantity].anatomy } }),
          `figure ${def.id}, panel ${panel.id}, series "${se.label}"`,
        ),
      }));
    const models = (s.models ?? panel.models).filter((m) => panel.models.includes(m));
    return { panel, series, x: def.panelX?.[panel.id]?.[mode] ?? s.x, models };
  });
}

/** The number of simulated points of a figure in a mode (for progress bars). */
export function simulatedPointCount(def: CurveFigure, mode: FigureMode): number {
  return plan(def, mode).reduce((n, p) => n + p.series.length * p.models.length * p.x.length, 0);
}

/**
 * theoryCurve, or, when it throws (a solver that gives up with an exception, e.g. a quadrature order
 * limit), point by point so that one bad point fails alone and is reported as a failure.
 */
function safeCurve(config: ExperimentConfig, key: CurvePanel['sweep'], grid: readonly number[], opts: TheoryOptions): { point: TheoryPoint | null; reason: string | null }[] {
  try {
    return theoryCurve(config, key, grid, opts).map((p) => ({ point: p, reason: p.ok ? null : `${p.reason}: ${p.message}` }));
  } catch {
    return grid.map((x) => {
      try {
        const p = theory(withSweepValue(config, key, x), opts);
        return { point: p, reason: p.ok ? null : `${p.reason}: ${p.message}` };
      } catch (e) {
        return { point: null, reason: (e as Error).message };
      }
    });
  }
}

function theoryLines(p: PanelPlan, mode: FigureMode, def: CurveFigure, backend: LinalgBackend | undefined): FigureLine[] {
  const { panel } = p;
  const q = QUANTITIES[panel.quantity];
  const grid = theoryGrid(panel.xRange[0], panel.xRange[1], def[mode].theoryPoints ?? 41, panel.xLog ?? false, p.x);
  const lines: FigureLine[] = [];
  const single = p.series.length === 1;
  for (const s of p.series) {
    const curve = safeCurve(s.config, panel.sweep, grid, { backend, anatomy: q.anatomy, floors: false });
    lines.push({
      panel: panel.id,
      series: single ? 'theory' : s.label,
      method: 'theory',
      horizontal: false,
      points: curve.map((c, i) => ({ x: grid[i], y: c.point?.ok ? q.theory(c.point) : null })),
      failures: curve.flatMap((c, i) => (c.reason === null ? [] : [{ x: grid[i], reason: c.reason }])),
    });
    if (panel.references.includes('randomFeatures') && panel.quantity === 'risk') {
      const rfConfig: ExperimentConfig = { ...s.config, model: 'network', step: { ...s.config.step, eta: 0 }, theory: { ...s.config.theory, method: 'auto' } };
      const label = single ? 'random features (eta = 0)' : s.label;
      if (panel.sweep === 'eta' || panel.sweep === 'alpha0') {
        const r = theory(rfConfig, { backend, anatomy: false, floors: false });
        lines.push({ panel: panel.id, series: label, method: 'randomFeatures', horizontal: true, points: [{ x: null, y: r.risk }], failures: r.ok ? [] : [{ x: null, reason: `${r.reason}: ${r.message}` }] });
      } else {
        const curve = safeCurve(rfConfig, panel.sweep, grid, { backend, anatomy: false, floors: false });
        lines.push({
          panel: panel.id,
          series: label,
          method: 'randomFeatures',
          horizontal: false,
          points: curve.map((c, i) => ({ x: grid[i], y: c.point?.risk ?? null })),
          failures: curve.flatMap((c, i) => (c.reason === null ? [] : [{ x: grid[i], reason: c.reason }])),
        });
      }
    }
  }
  // floors depend on the teacher only: one line per distinct value
  const seen = new Set<string>();
  for (const s of p.series) {
    const f = floors(s.config);
    for (const ref of ['linearFloor', 'nullRisk'] as const) {
      if (!panel.references.includes(ref) || panel.quantity !== 'risk') continue;
      const y = ref === 'linearFloor' ? f.linearFloor : f.nullRisk;
      const key = `${ref}:${y.toPrecision(10)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      lines.push({ panel: panel.id, series: ref === 'linearFloor' ? 'linear floor' : 'null risk', method: ref, horizontal: true, points: [{ x: null, y }], failures: [] });
    }
  }
  return lines;
}

function describe(p: FigurePoint): string {
  return `panel ${p.panel}, ${p.series}, ${p.model}, x = ${p.x}`;
}

/** Runs a curve figure (module comment). */
export async function runCurveFigure(def: CurveFigure, opts: RunFigureOptions = {}): Promise<FigureResult> {
  const mode = opts.mode ?? 'full';
  const t0 = performance.now();
  const plans = plan(def, mode);
  const seeds = opts.seeds ?? def[mode].seeds;
  const tol = def.tolerance[mode];
  const total = simulatedPointCount(def, mode);
  const lines = plans.flatMap((p) => theoryLines(p, mode, def, opts.backend));
  const points: FigurePoint[] = [];
  // panels plotting different quantities of the same configs share the simulations
  const cache = new Map<string, ComparePoint>();
  let done = 0;
  for (const p of plans) {
    const q = QUANTITIES[p.panel.quantity];
    for (const s of p.series) {
      for (const model of p.models) {
        for (const x of p.x) {
          const config = withSweepValue({ ...s.config, model }, p.panel.sweep, x);
          let cp: ComparePoint;
          try {
            const key = JSON.stringify(config);
            cp = cache.get(key) ?? (await comparePoint(config, { seeds, workers: opts.workers, backend: opts.backend }));
            cache.set(key, cp);
          } catch (e) {
            // a theory solver that throws (the simulation is not run then): a missing point, reported
            points.push({ panel: p.panel.id, series: s.label, model, x, quantity: p.panel.quantity, theory: null, simulation: null, deviation: null, withinTolerance: null, config, warnings: [`point failed: ${(e as Error).message}`] });
            opts.onProgress?.(++done, total, `${p.panel.id} ${s.label} ${model} x=${x}`);
            continue;
          }
          const row = cp.rows.find((r) => r.quantity === q.compareRow);
          const th = row?.theory ?? null;
          const sim = row?.simulation ?? null;
          const within = th === null || sim === null ? null : Math.abs(th - sim.mean) <= tol.sems * (sim.sem ?? 0) + tol.relative * Math.abs(th);
          points.push({
            panel: p.panel.id,
            series: s.label,
            model,
            x,
            quantity: p.panel.quantity,
            theory: th,
            simulation: sim,
            deviation: row?.deviation ?? null,
            withinTolerance: within,
            config,
            warnings: cp.theoryOk ? cp.warnings : [`theory failed: ${cp.theoryFailure}`, ...cp.warnings],
          });
          opts.onProgress?.(++done, total, `${p.panel.id} ${s.label} ${model} x=${x}`);
        }
      }
    }
  }
  const notes: string[] = [];
  for (const h of def.histograms ?? []) {
    const r = await spectrumHistogram(h, mode, def[mode].d, { workers: opts.workers, backend: opts.backend });
    lines.push(...r.lines);
    notes.push(...r.notes);
  }
  let maxAbs: number | null = null;
  let at: string | null = null;
  for (const pt of points) {
    if (pt.deviation !== null && (maxAbs === null || Math.abs(pt.deviation) > maxAbs)) {
      maxAbs = Math.abs(pt.deviation);
      at = describe(pt);
    }
  }
  const outside = points.filter((pt) => pt.withinTolerance === false).map((pt) => `${describe(pt)}: theory ${pt.theory}, simulation ${pt.simulation?.mean} ± ${pt.simulation?.sem}`);
  const missing = points.filter((pt) => pt.withinTolerance === null).map((pt) => `${describe(pt)}${pt.warnings[0]?.startsWith('point failed') ? `: ${pt.warnings[0]}` : ''}`);
  return figureResult(
    def,
    {
      mode,
      d: def[mode].d,
      seeds,
      points,
      lines,
      agreement: { tolerance: tol, maxAbsDeviation: maxAbs, at, outside, missing, pass: outside.length === 0 && missing.length === 0 },
      notes: notes.length > 0 ? notes : undefined,
    },
    t0,
  );
}
