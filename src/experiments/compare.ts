/**
 * Theory against simulation for the same config (or sweep): the two independent witnesses of STYLE.md
 * principle 13 side by side. For each point it runs `simulate(config, { seeds })` (src/simulate/run.ts)
 * and `theory(config)` (src/theory/index.ts, with its random-features baseline at eta = 0), and reports
 * for each quantity the theory value, the simulation's mean ± standard error over seeds, and the
 * deviation (theory - mean) / sem in units of that standard error (null with one seed). The quantities:
 * risk, test MSE, train error, the random-features baseline, ridge on the raw inputs, null risk, linear
 * floor, and the step's anatomy (cos^2(u, beta*), overlaps of W1's top singular vectors, top singular
 * values of W1 and sqrt(N) G) when the simulation reports them.
 * Cost: that of the simulation (the theory is negligible, except a 'sampled' spectrum).
 */
import type { LinalgBackend } from '../linalg/backend.js';
import type { ExperimentConfig, ExperimentConfigInput } from '../models/experiment-config.js';
import { resolveExperimentConfig } from '../models/experiment-config.js';
import { featlearnVersion } from '../provenance/version.js';
import { simulate, type ProgressEvent, type SimulationResult } from '../simulate/run.js';
import { stats, type Stats, type SummaryTree } from '../simulate/summary.js';
import { theory, withSweepValue, type SrfSweepKey, type TheoryPoint } from '../theory/index.js';

export interface CompareRow {
  quantity: string;
  theory: number | null;
  simulation: { mean: number; sem: number | null; n: number } | null;
  /** (theory - mean) / sem; null when either side is missing or sem is null/0. */
  deviation: number | null;
  /** theory / mean - 1. */
  relative: number | null;
}

export interface ComparePoint {
  /** The swept key's value (sweeps only). */
  value?: number;
  config: ExperimentConfig;
  method: TheoryPoint['method'];
  methodReason: string;
  theoryOk: boolean;
  theoryFailure?: string;
  rows: CompareRow[];
  warnings: string[];
  /** Every singular value of W1 after the first step, seeds pooled (with `fullSpectrum` and a step). */
  singularValues?: number[];
}

export interface CompareResult {
  featlearn: string;
  config: ExperimentConfig;
  seeds: number;
  sweep?: { key: SrfSweepKey; values: number[] };
  points: ComparePoint[];
  seconds: number;
}

export interface CompareOptions {
  /** Seeds of the simulation (default 4). */
  seeds?: number;
  sweep?: { key: SrfSweepKey; values: number[] };
  /** Passed to simulate. */
  workers?: number | 'auto';
  force?: boolean;
  backend?: LinalgBackend;
  /** Called after each point. */
  onPoint?: (done: number, total: number) => void;
  /** Passed to simulate: called as each seed of the point starts and finishes. */
  onProgress?: (e: ProgressEvent) => void;
  /** Passed to simulate: every singular value of W1 (ComparePoint.singularValues). */
  fullSpectrum?: boolean;
}

function getStats(tree: SummaryTree | undefined, path: string): Stats | null {
  let node: SummaryTree | Stats | undefined = tree;
  for (const k of path.split('.')) {
    if (!node || typeof node !== 'object' || 'mean' in node) return null;
    node = (node as SummaryTree)[k];
  }
  return node && typeof (node as Stats).mean === 'number' ? (node as Stats) : null;
}

function row(quantity: string, th: number | null | undefined, sim: Stats | null): CompareRow {
  const t = th ?? null;
  const s = sim ? { mean: sim.mean, sem: sim.sem, n: sim.n } : null;
  const deviation = t !== null && s && s.sem ? (t - s.mean) / s.sem : null;
  const relative = t !== null && s && s.mean !== 0 ? t / s.mean - 1 : null;
  return { quantity, theory: t, simulation: s, deviation, relative };
}

/** Stats of the first entry of an array at `path` in each run (e.g. the top singular value). */
function topStats(sim: SimulationResult, path: string[]): Stats | null {
  const vals: number[] = [];
  for (const r of sim.runs) {
    let node: unknown = r;
    for (const k of path) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined;
    if (Array.isArray(node) && typeof node[0] === 'number') vals.push(node[0]);
  }
  return vals.length > 0 ? stats(vals) : null;
}

/** Compares one config (module comment). */
export async function comparePoint(config: ExperimentConfig, opts: CompareOptions = {}): Promise<ComparePoint> {
  const th = theory(config, { backend: opts.backend, anatomy: true, floors: true });
  const rfConfig: ExperimentConfig = { ...config, step: { ...config.step, eta: 0 }, theory: { ...config.theory, method: 'auto' } };
  const rf = theory(rfConfig, { backend: opts.backend, anatomy: false, floors: false });
  const sim = await simulate(config, { seeds: opts.seeds ?? 4, workers: opts.workers, force: opts.force, backend: opts.backend, onProgress: opts.onProgress, fullSpectrum: opts.fullSpectrum });
  const S = sim.summary;
  const rows: CompareRow[] = [
    row('risk', th.risk, getStats(S, 'risk')),
    row('testMSE', th.testMSE, getStats(S, 'testMSE')),
    row('trainError', th.trainError, getStats(S, 'trainError')),
    row('randomFeatures.risk', rf.risk, getStats(S, 'baselines.randomFeatures.risk')),
    row('randomFeatures.trainError', rf.trainError, getStats(S, 'baselines.randomFeatures.trainError')),
    row('linearRidge.risk', th.floors?.linearRidge?.risk, getStats(S, 'baselines.linear.sameLambda.risk')),
    row('nullRisk', th.floors?.nullRisk, getStats(S, 'baselines.nullRisk')),
    row('linearFloor', th.floors?.linearFloor, getStats(S, 'baselines.linearFloor')),
  ];
  const a = th.anatomy;
  if (a && !a.noStep) {
    const largest = (k: 'W1' | 'gradient' | 'update'): Stats | null => getStats(S, `spectrum.largest.${k}`) ?? topStats(sim, ['spectrum', k, 'top']);
    rows.push(
      row('alignment.uNorm (|u|)', a.uNorm, getStats(S, 'alignment.uNorm')),
      row('alignment.uBeta (gamma^2)', a.gamma2, getStats(S, 'alignment.uBeta')),
      row('alignment.W1Beta', a.overlapBeta2, getStats(S, 'alignment.W1Beta')),
      row('alignment.W1U', a.bbp.leftOverlap2, getStats(S, 'alignment.W1U')),
      row('alignment.W1RightA0', a.bbp.rightOverlap2, getStats(S, 'alignment.W1RightA0')),
      row('spectrum.largest.W1', a.bbp.topSingularValue, largest('W1')),
      row('spectrum.largest.gradient', a.gradientSpike, largest('gradient')),
    );
    // the update W1 - W0 is the rank-one theta p q^T only for the small step
    if (!a.srf && a.bbp.scale === 1) rows.push(row('spectrum.largest.update', Math.abs(a.theta), largest('update')));
  }
  return {
    config,
    method: th.method,
    methodReason: th.methodReason,
    theoryOk: th.ok,
    theoryFailure: th.ok ? undefined : `${th.reason}: ${th.message}`,
    rows,
    warnings: [...new Set([...th.warnings, ...(a?.notes ?? []), ...sim.warnings])],
    ...(opts.fullSpectrum ? { singularValues: sim.runs.flatMap((r) => r.spectrum?.W1.all ?? []) } : {}),
  };
}

/** Theory and simulation for a config or along a sweep (module comment). */
export async function compare(config: ExperimentConfigInput | ExperimentConfig, opts: CompareOptions = {}): Promise<CompareResult> {
  const cfg = resolveExperimentConfig(config);
  const t0 = performance.now();
  const points: ComparePoint[] = [];
  const values = opts.sweep?.values ?? [undefined];
  let done = 0;
  for (const v of values) {
    const c = v === undefined || !opts.sweep ? cfg : withSweepValue(cfg, opts.sweep.key, v);
    const p = await comparePoint(c, opts);
    if (v !== undefined) p.value = v;
    points.push(p);
    opts.onPoint?.(++done, values.length);
  }
  return { featlearn: featlearnVersion(), config: cfg, seeds: opts.seeds ?? 4, sweep: opts.sweep, points, seconds: (performance.now() - t0) / 1000 };
}
