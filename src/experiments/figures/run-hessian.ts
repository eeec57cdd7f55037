/**
 * The runner of the Hessian-spectrum figure (types.ts HessianFigure; multi-index.md section 6,
 * `mw2026-hessian`). The setting is that of the delta_NN validation (docs/thresholds.md section 3): the
 * Hessian of the empirical loss at the initial point (w ~ N(0, init.scale² I/d), a = 1/m frozen), where the
 * phase-1 point of our reconstruction is known exactly.
 *
 * - Histograms: every eigenvalue of the dense Hessian (`denseHessian`, src/simulate/dynamics) at a small d,
 *   at one delta below and one above delta_NN, with the predicted lower bulk edge and outlier
 *   (`bottomPrediction`, src/theory/multi-index: OUR RECONSTRUCTION of Montanari & Wang 2026, *verify*).
 * - Lanczos (src/linalg/lanczos.ts) at a larger d: the `lanczosK` smallest eigenpairs. The full Hessian has
 *   one eigenvector along w itself (|<v, w/|w|>|² > 1/2), which the reconstruction excludes by construction
 *   (it restricts to span(w)^⊥; docs/thresholds.md): it is left out. Simulated quantities: the smallest
 *   remaining eigenvalue (theory: the outlier, or the bulk edge without one) and the largest squared
 *   overlap with Θ* among the remaining eigenvectors (theory: the outlier's overlap², 0 below delta_NN).
 * Agreement: |theory − mean| ≤ sems·sem + relative·|theory| + absolute at every simulated delta.
 * Cost: Lanczos ~100-200 Hessian-vector products of O(n d m) each per (delta, seed); the dense Hessian
 * O(n d² m²); delta_NN once per run (nn-threshold.ts).
 */
import { lanczos } from '../../linalg/lanczos.js';
import { resolveDynamicsConfig, type DynamicsConfig } from '../../models/dynamics-config.js';
import { foldIn, rootKey } from '../../random/index.js';
import { denseHessian, hessianPoint, hessianVectorProduct, setupDynamics, vectorOverlap } from '../../simulate/dynamics/index.js';
import { initialBottom, nnThreshold } from './nn-threshold.js';
import { figureResult, seedStats as stats, type FigureAgreement, type FigureLine, type FigurePoint, type FigureResult, type RunFigureOptions } from './run.js';
import type { HessianFigure, Tolerance } from './types.js';

/** Whether a point is within a tolerance (null when a side is missing). */
export function within(theory: number | null, sim: { mean: number; sem: number | null } | null, tol: Tolerance): boolean | null {
  if (theory === null || sim === null) return null;
  return Math.abs(theory - sim.mean) <= tol.sems * (sim.sem ?? 0) + tol.relative * Math.abs(theory) + (tol.absolute ?? 0);
}

/** The agreement record of points already checked against their tolerance (run.ts rule). */
export function agreementOf(points: FigurePoint[], tolerance: Tolerance): FigureAgreement {
  let maxAbs: number | null = null;
  let at: string | null = null;
  const describe = (p: FigurePoint) => `panel ${p.panel}, ${p.series}, x = ${p.x}`;
  for (const p of points) {
    if (p.deviation !== null && (maxAbs === null || Math.abs(p.deviation) > maxAbs)) {
      maxAbs = Math.abs(p.deviation);
      at = describe(p);
    }
  }
  const outside = points.filter((p) => p.withinTolerance === false).map((p) => `${describe(p)}: theory ${p.theory}, simulation ${p.simulation?.mean} ± ${p.simulation?.sem}`);
  const missing = points.filter((p) => p.withinTolerance === null).map((p) => `${describe(p)}${p.warnings[0] ? `: ${p.warnings[0]}` : ''}`);
  return { tolerance, maxAbsDeviation: maxAbs, at, outside, missing, pass: outside.length === 0 && missing.length === 0 };
}

interface BottomSample {
  bottom: number;
  overlap2: number;
  wValue: number | null;
  iterations: number;
}

/** Lanczos bottom of the Hessian at the initial point of one seed (module comment). */
function lanczosBottom(cfg: DynamicsConfig, k: number): BottomSample {
  const setup = setupDynamics(cfg);
  const { problem, theta0, ThetaT } = setup;
  const P = theta0.length;
  const pt = hessianPoint(problem, theta0);
  const res = lanczos(setup.backend, P, (v, out) => hessianVectorProduct(problem, pt, v, out), {
    k,
    which: 'smallest',
    tol: cfg.hessian.tol,
    maxIterations: Math.max(cfg.hessian.maxIterations, 800),
    key: foldIn(rootKey(cfg.seed), 'lanczos'),
  });
  if (!res.ok) throw new Error(`Lanczos did not converge (seed ${cfg.seed}, delta ${cfg.delta}): ${res.message}`);
  // the direction of the first layer itself (W's block of theta0, normalised)
  const mW = cfg.width * cfg.d;
  let wn = 0;
  for (let i = 0; i < mW; i++) wn += theta0[i] * theta0[i];
  wn = Math.sqrt(wn);
  let bottom = Infinity;
  let overlap2 = 0;
  let wValue: number | null = null;
  for (let i = 0; i < res.values.length; i++) {
    const v = res.vectors[i];
    let s = 0;
    for (let j = 0; j < mW; j++) s += (v[j] * theta0[j]) / wn;
    if (s * s > 0.5) {
      wValue = res.values[i];
      continue;
    }
    bottom = Math.min(bottom, res.values[i]);
    overlap2 = Math.max(overlap2, vectorOverlap(v, cfg.width, ThetaT, null, 0).thetaStar);
  }
  return { bottom, overlap2, wValue, iterations: res.iterations };
}

/** All eigenvalues of the dense Hessian at the initial point of one seed. */
function denseSpectrum(cfg: DynamicsConfig): Float64Array {
  const setup = setupDynamics(cfg);
  const H = denseHessian(setup.problem, hessianPoint(setup.problem, setup.theta0));
  return Float64Array.from(setup.backend.eigvalsh(H));
}

function histogram(values: number[], bins: number): { x: number; x2: number; y: number }[] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const w = (hi - lo) / bins || 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - lo) / w))]++;
  return counts.map((c, i) => ({ x: lo + i * w, x2: lo + (i + 1) * w, y: c / (values.length * w) }));
}

const fmt = (x: number) => x.toPrecision(4);

/** Runs the Hessian figure (module comment). */
export async function runHessianFigure(def: HessianFigure, opts: RunFigureOptions = {}): Promise<FigureResult> {
  const mode = opts.mode ?? 'full';
  const s = def[mode];
  const seeds = opts.seeds ?? s.seeds;
  const tol = def.tolerance[mode];
  const t0 = performance.now();
  const cfgAt = (delta: number, d: number, seed: number): DynamicsConfig => resolveDynamicsConfig({ ...def.base, d, delta, seed }, `figure ${def.id}`);
  const ref = cfgAt(def.histogramDeltas[0], s.d, 0);
  const total = s.x.length * seeds + def.histogramDeltas.length * s.histogramSeeds;
  let done = 0;
  const tick = async (label: string) => {
    opts.onProgress?.(++done, total, label);
    await new Promise((r) => setImmediate(r));
  };
  const notes: string[] = [];
  const lines: FigureLine[] = [];
  const points: FigurePoint[] = [];

  const nn = nnThreshold(ref);
  notes.push(
    nn.value === null
      ? `δ_NN: none (${nn.reason})`
      : `δ_NN = ${nn.value.toPrecision(5)} (our reconstruction at the initial point; ${nn.method} law with ${nn.points} points, bisection to relative ${nn.relTol}; ${nn.seconds.toFixed(1)} s)`,
  );

  // histograms below and above delta_NN, with the predicted edge and outlier
  def.histogramDeltas.forEach((delta, i) => {
    const panel = i === 0 ? 'below' : 'above';
    const values: number[] = [];
    for (let seed = 1; seed <= s.histogramSeeds; seed++) values.push(...denseSpectrum(cfgAt(delta, s.histogramD, seed)));
    const bins = histogram(values, Math.min(80, Math.max(20, Math.round(2 * Math.sqrt(values.length)))));
    lines.push({ panel, series: `eigenvalues, δ = ${delta}`, method: 'histogram', horizontal: false, points: bins, failures: [] });
    const p = initialBottom(ref, delta);
    if (p.ok) {
      lines.push({ panel, series: 'predicted bulk edge', method: 'threshold', horizontal: false, points: [{ x: p.value.bulkEdge, y: null }], failures: [] });
      if (p.value.outlier) lines.push({ panel, series: 'predicted outlier', method: 'threshold', horizontal: false, points: [{ x: p.value.bottomEigenvalue, y: null }], failures: [] });
      const sorted = [...values].sort((a, b) => a - b);
      notes.push(
        `histogram δ = ${delta} (d = ${s.histogramD}, ${s.histogramSeeds} seed(s), ${values.length} eigenvalues): predicted bulk edge ${fmt(p.value.bulkEdge)}${p.value.outlier ? `, outlier ${fmt(p.value.bottomEigenvalue)} (overlap² ${fmt(p.value.overlap2)})` : ', no outlier'}; smallest dense eigenvalues ${sorted.slice(0, 4).map(fmt).join(', ')} (the eigenvalue along w itself, ≈ −0.11 in this setting and outside the reconstruction, is among them when it lies below the edge)`,
      );
    } else {
      lines.push({ panel, series: 'predicted bulk edge', method: 'threshold', horizontal: false, points: [], failures: [{ x: delta, reason: p.reason }] });
    }
  });
  for (let i = 0; i < def.histogramDeltas.length * s.histogramSeeds; i++) await tick(`histogram ${i + 1}`);

  // theory along delta
  const [a, b] = def.xRange;
  const grid = new Set<number>();
  for (let i = 0; i < s.theoryPoints; i++) grid.add(Number((a * (b / a) ** (i / (s.theoryPoints - 1))).toPrecision(6)));
  for (const x of s.x) grid.add(x);
  if (nn.value !== null) for (const f of [1.0005, 1.01, 1.03, 1.1]) grid.add(Number((nn.value * f).toPrecision(6)));
  const xs = [...grid].sort((p, q) => p - q);
  const theoryAt = new Map<number, ReturnType<typeof initialBottom>>();
  for (const x of xs) theoryAt.set(x, initialBottom(ref, x));
  const failures = xs.flatMap((x) => {
    const t = theoryAt.get(x)!;
    return t.ok ? [] : [{ x, reason: t.reason }];
  });
  const val = (x: number, f: (v: { bulkEdge: number; bottomEigenvalue: number; overlap2: number }) => number) => {
    const t = theoryAt.get(x)!;
    return t.ok ? f(t.value) : null;
  };
  lines.push({ panel: 'bottom', series: 'theory', method: 'theory', horizontal: false, points: xs.map((x) => ({ x, y: val(x, (v) => v.bottomEigenvalue) })), failures });
  lines.push({ panel: 'bottom', series: 'bulk edge (theory)', method: 'reference', horizontal: false, points: xs.map((x) => ({ x, y: val(x, (v) => v.bulkEdge) })), failures: [] });
  lines.push({ panel: 'overlap', series: 'theory', method: 'theory', horizontal: false, points: xs.map((x) => ({ x, y: val(x, (v) => v.overlap2) })), failures });
  if (nn.value !== null) for (const panel of ['bottom', 'overlap']) lines.push({ panel, series: 'δ_NN', method: 'threshold', horizontal: false, points: [{ x: nn.value, y: null }], failures: [] });

  // Lanczos at the larger d
  const checked: FigurePoint[] = [];
  const wValues: number[] = [];
  for (const x of s.x) {
    const samples: BottomSample[] = [];
    const warnings: string[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      try {
        samples.push(lanczosBottom(cfgAt(x, s.d, seed), def.lanczosK));
      } catch (e) {
        warnings.push((e as Error).message);
      }
      await tick(`lanczos δ = ${x} seed ${seed}`);
    }
    for (const smp of samples) if (smp.wValue !== null) wValues.push(smp.wValue);
    const config = cfgAt(x, s.d, 1);
    const t = theoryAt.get(x)!;
    for (const [panel, quantity, tolq, get, th] of [
      ['bottom', 'smallest eigenvalue (w direction excluded)', tol.eigenvalue, (q: BottomSample) => q.bottom, t.ok ? t.value.bottomEigenvalue : null],
      ['overlap', 'largest overlap² with Θ* (w direction excluded)', tol.overlap, (q: BottomSample) => q.overlap2, t.ok ? t.value.overlap2 : null],
    ] as const) {
      const sim = samples.length > 0 ? stats(samples.map(get)) : null;
      const deviation = th !== null && sim && sim.sem ? (th - sim.mean) / sim.sem : null;
      const pt: FigurePoint = { panel, series: 'Lanczos (simulation)', model: 'lanczos', x, quantity, theory: th, simulation: sim, deviation, withinTolerance: within(th, sim, tolq), config, warnings: t.ok ? warnings : [`theory failed: ${t.reason}`, ...warnings] };
      points.push(pt);
      checked.push(pt);
    }
  }
  if (wValues.length > 0) notes.push(`the excluded eigenvalue along w itself (Lanczos, d = ${s.d}): ${Math.min(...wValues).toPrecision(3)} to ${Math.max(...wValues).toPrecision(3)}; it carries no Θ* overlap`);
  const eig = agreementOf(checked.filter((p) => p.panel === 'bottom'), tol.eigenvalue);
  const ov = agreementOf(checked.filter((p) => p.panel === 'overlap'), tol.overlap);
  const agreement: FigureAgreement = {
    tolerance: {
      sems: tol.eigenvalue.sems,
      relative: tol.eigenvalue.relative,
      reason: `eigenvalues: ${tol.eigenvalue.reason}; overlaps: |theory − mean| ≤ ${tol.overlap.sems} sem + ${(100 * tol.overlap.relative).toFixed(0)}% + ${tol.overlap.absolute ?? 0}, ${tol.overlap.reason}`,
    },
    maxAbsDeviation: [eig.maxAbsDeviation, ov.maxAbsDeviation].reduce<number | null>((m, v) => (v === null ? m : m === null ? v : Math.max(m, v)), null),
    at: (eig.maxAbsDeviation ?? -1) >= (ov.maxAbsDeviation ?? -1) ? eig.at : ov.at,
    outside: [...eig.outside, ...ov.outside],
    missing: [...eig.missing, ...ov.missing],
    pass: eig.pass && ov.pass,
  };
  return figureResult(def, { mode, d: s.d, seeds, points, lines, agreement, notes }, t0);
}
