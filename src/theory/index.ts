/**
 * featlearn's theory engine: predictions for the one-step protocol of one-step.md from the same
 * experiment config as `featlearn simulate`. Browser-safe: imports nothing Node-only; the 'sampled'
 * spectra take a `LinalgBackend` argument.
 *
 * `theory(config, opts)` dispatches on `theory.method` (issue 4 item 8):
 * - "auto": no step, or the small step (scaling "one", or "power" with exponent 0) -> the Gaussian
 *   equivalent (one-step.md section 3; Ba et al. 2022, arXiv 2205.01445); the large step (scaling
 *   "sqrtN", or model "srf") -> the sRF equations (srf.md; Cui et al. 2024, arXiv 2402.04980). Other
 *   scalings are refused with the reason.
 * - "gaussian-equivalent", "srf", "random-features" (Mei & Montanari 2019, arXiv 1908.05355: the eta = 0
 *   baseline, whatever the step): forced.
 * The result says which method was used and why, and carries the floors (floors.ts), the step's anatomy
 * (anatomy.ts) and, on request, the optimal lambda (srf: optimalLambda of src/theory/srf; otherwise a
 * log-scale golden-section search of the same predicted risk).
 */
import type { LinalgBackend } from '../linalg/backend.js';
import { ConfigError } from '../config/validate.js';
import type { ExperimentConfig } from '../models/experiment-config.js';
import type { Key } from '../random/key.js';
import { stepAnatomy, type StepAnatomy } from './anatomy.js';
import { floors, type Floors } from './floors.js';
import { gaussianEquivalentTheory, sampleFiniteGe, type FiniteGe } from './gaussian-equivalent/index.js';
import { minimizeOverLogLambda } from './optimize.js';
import { randomFeaturesTheory } from './random-features.js';
import { optimalLambda as srfOptimalLambda, srfCurve, srfTheory, SRF_SWEEP_KEYS, withSweepValue, type SrfSweepKey, type SrfTheoryResult } from './srf/index.js';

export { stepAnatomy, rectangularBbp, type StepAnatomy, type BbpPrediction } from './anatomy.js';
export { floors, linearRidgeRisk, type Floors, type LinearRidgeTheory } from './floors.js';
export * from './gaussian-equivalent/index.js';
export { meiMontanariRisk, randomFeaturesTheory, type MeiMontanariInput, type MeiMontanariResult, type RandomFeaturesTheory } from './random-features.js';
export { studentMoments, teacherMoments, type StudentMoments, type TeacherMoments } from './moments.js';
export { minimizeOverLogLambda, type LogMinimum } from './optimize.js';
export { srfTheory, srfCurve, optimalLambda, SRF_SWEEP_KEYS, withSweepValue, type SrfSweepKey, type SrfTheoryResult, type SrfTheoryOptions } from './srf/index.js';

export type TheoryMethod = 'gaussian-equivalent' | 'srf' | 'random-features';

export interface TheoryOptions {
  /** Linear algebra for the 'sampled' spectra (pass getBackend(); theory imports nothing Node-only). */
  backend?: LinalgBackend;
  /** Key of the 'sampled' draws (defaults derive from config.seed). */
  key?: Key;
  /** Also minimise the predicted risk over lambda (default false). */
  optimalLambda?: boolean;
  /** Range of the lambda search (config normalisation; default [1e-6, 1e3]). */
  lambdaRange?: [number, number];
  /** Include the floors (default true) and the anatomy (default config.report.anatomy). */
  floors?: boolean;
  anatomy?: boolean;
}

export interface TheoryPoint {
  ok: boolean;
  method: TheoryMethod;
  /** Why this method (the auto rule, or "set by theory.method"). */
  methodReason: string;
  /** The config value of the swept key (curves only). */
  value?: number;
  risk: number | null;
  testMSE: number | null;
  trainError: number | null;
  orderParameters: Record<string, number> | null;
  converged: boolean;
  iterations: number;
  residual: number;
  /** Failure reason and message when ok is false. */
  reason?: string;
  message?: string;
  spectrum?: string;
  optimalLambda?: { lambda: number; risk: number | null; boundary?: 'lower' | 'upper' };
  floors?: Floors;
  anatomy?: StepAnatomy;
  warnings: string[];
}

/** The method `theory.method` selects for a config, and why (module comment). */
export function selectMethod(config: ExperimentConfig): { method: TheoryMethod; reason: string } {
  const m = config.theory.method;
  if (m !== 'auto') return { method: m, reason: `set by theory.method = "${m}"` };
  const s = config.step;
  const noStep = s.steps === 0 || s.eta === 0 || config.n0 === 0;
  if (config.model === 'srf' && !noStep) return { method: 'srf', reason: 'auto: model "srf" (the spiked random-features model of the large step) -> sRF equations (srf.md)' };
  if (noStep) return { method: 'gaussian-equivalent', reason: 'auto: no step (random features) -> Gaussian equivalent (one-step.md section 3; equals Mei & Montanari 2019)' };
  if (s.scaling === 'one' || (s.scaling === 'power' && s.exponent === 0)) {
    return { method: 'gaussian-equivalent', reason: `auto: small step (step.scaling "${s.scaling}", eta_eff = O(1)) -> Gaussian equivalent (one-step.md section 3)` };
  }
  if (s.scaling === 'sqrtN' || (s.scaling === 'power' && s.exponent === 0.5)) {
    return { method: 'srf', reason: `auto: large step (step.scaling "${s.scaling}", eta_eff = eta sqrt(N)) -> sRF equations (srf.md, Cui et al. 2024)` };
  }
  throw new ConfigError(
    [`step.scaling: theory.method "auto" covers no step, "one" (Gaussian equivalent) and "sqrtN" (sRF); got "power" with exponent ${s.exponent}, for which no theory is implemented`],
    'theory dispatcher',
  );
}

interface PointState {
  prepared?: FiniteGe;
  srfWarm?: Extract<SrfTheoryResult, { ok: true }>['orderParameters'];
}

function fromSrf(r: SrfTheoryResult): Omit<TheoryPoint, 'method' | 'methodReason' | 'warnings'> & { warnings: string[] } {
  if (r.ok) {
    return { ok: true, risk: r.risk, testMSE: r.testMSE, trainError: r.trainError, orderParameters: { ...r.orderParameters }, converged: true, iterations: r.iterations, residual: r.residual, spectrum: r.spectrum, warnings: r.warnings };
  }
  return { ok: false, risk: null, testMSE: null, trainError: null, orderParameters: null, converged: false, iterations: r.iterations, residual: r.residual, reason: r.reason, message: r.message, spectrum: r.spectrum, warnings: r.warnings };
}

/** Risk-only evaluation of one config with a fixed method (used by the point and the lambda search). */
function evaluate(config: ExperimentConfig, method: TheoryMethod, opts: TheoryOptions, state: PointState): Omit<TheoryPoint, 'method' | 'methodReason'> {
  if (method === 'srf') {
    const r = srfTheory(config, { backend: opts.backend, key: opts.key, warmStart: state.srfWarm });
    if (r.ok) state.srfWarm = r.orderParameters;
    return fromSrf(r);
  }
  if (method === 'random-features') {
    const r = randomFeaturesTheory(config);
    const chi = r.detail.ok ? { chi: r.detail.chi, B: r.detail.B, V: r.detail.V } : null;
    const warnings = [...r.warnings];
    if (!(config.step.steps === 0 || config.step.eta === 0)) warnings.push('theory.method "random-features" ignores the step: this is the eta = 0 baseline');
    return {
      ok: r.ok,
      risk: r.risk,
      testMSE: r.testMSE,
      trainError: null,
      orderParameters: chi,
      converged: r.ok,
      iterations: r.detail.iterations,
      residual: r.detail.residual,
      reason: r.detail.ok ? undefined : r.detail.reason,
      message: r.detail.ok ? undefined : r.detail.message,
      spectrum: 'closed form (Mei & Montanari 2019, Theorem 1)',
      warnings,
    };
  }
  const spectrum = config.theory.spectrum;
  if (spectrum === 'sampled' && !state.prepared) {
    if (!opts.backend) throw new ConfigError(['theory.spectrum: "sampled" needs a linear-algebra backend (the CLI passes one; in code pass { backend: getBackend() })'], 'theory dispatcher');
    state.prepared = sampleFiniteGe(config, opts.backend, opts.key);
  }
  const r = gaussianEquivalentTheory(config, { prepared: state.prepared });
  const base = {
    orderParameters: { ...r.orderParameters, ...(r.spike ? { theta: r.spike.theta, gamma: r.spike.gamma } : {}) },
    iterations: r.iterations,
    residual: r.residual,
    spectrum: r.spectrum === 'mp' ? 'asymptotic (Marchenko–Pastur + rank-one spike)' : `sampled W1 (d = ${config.d}, N = ${config.width}, seed ${config.seed})`,
    warnings: r.warnings,
  };
  if (r.ok) return { ...base, ok: true, risk: r.risk, testMSE: r.testMSE, trainError: r.trainError, converged: true };
  return { ...base, ok: false, risk: null, testMSE: null, trainError: null, converged: false, reason: r.reason, message: r.message };
}

function point(config: ExperimentConfig, opts: TheoryOptions, state: PointState): TheoryPoint {
  const { method, reason } = selectMethod(config);
  const p: TheoryPoint = { method, methodReason: reason, ...evaluate(config, method, opts, state) };
  if (opts.optimalLambda) {
    const range = opts.lambdaRange ?? [1e-6, 1e3];
    if (method === 'srf') {
      const o = srfOptimalLambda(config, { backend: opts.backend, key: opts.key, range });
      p.optimalLambda = { lambda: o.lambda, risk: o.result.ok ? o.result.risk : null, boundary: o.boundary };
    } else {
      const st: PointState = { prepared: state.prepared };
      const o = minimizeOverLogLambda((lambda) => evaluate({ ...config, ridge: { ...config.ridge, lambda } }, method, opts, st).risk ?? Infinity, range, 1e-4);
      p.optimalLambda = { lambda: o.lambda, risk: Number.isFinite(o.value) ? o.value : null, boundary: o.boundary };
    }
  }
  if (opts.floors ?? true) p.floors = floors(config);
  if (opts.anatomy ?? config.report.anatomy) p.anatomy = stepAnatomy(config);
  return p;
}

/** The theory's prediction for one config (module comment). Throws ConfigError for unsupported configs. */
export function theory(config: ExperimentConfig, opts: TheoryOptions = {}): TheoryPoint {
  return point(config, opts, {});
}

/**
 * The prediction along a sweep of one key (alpha, alpha0, eta, lambda, psi); sRF points are warm-started
 * from the previous converged point, a sampled Gaussian-equivalent model is reused while the swept key
 * does not change W1 (alpha, lambda). Failed points stay in the list as failures.
 */
export function theoryCurve(config: ExperimentConfig, key: SrfSweepKey, values: readonly number[], opts: TheoryOptions = {}): TheoryPoint[] {
  if (!SRF_SWEEP_KEYS.includes(key)) {
    throw new ConfigError([`sweep key: expected one of ${SRF_SWEEP_KEYS.map((k) => `"${k}"`).join(' | ')}, got ${JSON.stringify(key)}`], 'theory dispatcher');
  }
  const { method } = selectMethod(config);
  if (method === 'srf' && !opts.optimalLambda) {
    // srfCurve shares the map and tables along the sweep
    const rs = srfCurve(config, key, values, { backend: opts.backend, key: opts.key });
    return rs.map((r, i) => {
      const cfg = withSweepValue(config, key, values[i]);
      const sel = selectMethod(cfg);
      const p: TheoryPoint = { method: sel.method, methodReason: sel.reason, value: values[i], ...fromSrf(r) };
      if (opts.floors ?? true) p.floors = floors(cfg);
      if (opts.anatomy ?? cfg.report.anatomy) p.anatomy = stepAnatomy(cfg);
      return p;
    });
  }
  const state: PointState = {};
  return values.map((v) => {
    const cfg = withSweepValue(config, key, v);
    if (!(key === 'alpha' || key === 'lambda')) state.prepared = undefined;
    return { value: v, ...point(cfg, opts, state) };
  });
}
