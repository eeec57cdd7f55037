/**
 * The sRF theory: exact asymptotic test error of ridge regression on the features of a two-layer network
 * after one large gradient step (Cui, Pesce, Dandi, Krzakala, Lu, Zdeborová, Loureiro, ICML 2024,
 * "Asymptotics of feature learning in two-layer networks after one gradient-step", arXiv 2402.04980,
 * sections 3 (the spiked random-features model) and 4 (conditional Gaussian equivalence, the self-consistent
 * equations; equation numbers not checked against the paper); featlearn's notation
 * and extensions in ../shared/spec/srf.md sections 1–5 and docs/srf.md).
 *
 * Pipeline for one config: the sRF map (c, r, gamma) of src/models/srf-map.ts -> conditional Hermite tables
 * in kappa (../hermite-tables.ts) -> spectral sums ('mp': Marchenko–Pastur, exact; 'sampled': one draw of
 * W, v, zeta eigendecomposed by a LinalgBackend) -> the reduced solver (./reduced.ts; the authors' damped
 * seven-parameter iteration ./damped.ts on request) -> risk, test MSE, train error, order parameters.
 *
 * Normalisations (srf.md sections 3–4): alpha = n/N (config alpha / psi), ridge penalty in the "sum" form
 * (a "mean" config is converted: lambda_sum = (n/N) lambda), spectrum ratio N/d = psi. The theory uses the
 * config's RATIOS (alpha, alpha0, psi), not the rounded counts. Every failure is a status record:
 * `converged: false` with the reason and the residual; nothing unconverged is returned as a number.
 *
 * Supported configs: one step (step.steps <= 1) with step.scaling "sqrtN" (or "power" with exponent 0.5)
 * or no step; single-index teacher; ridge without intercept; init.a "constant" (any student), or
 * "rademacher" with an odd student, or with an even student when the step does not rescale the two sign
 * groups differently (eta_tilde E[sigma''] mu0* = 0), or any readout without a step. Others throw a
 * ConfigError naming the key (srf.md section 5: a random readout otherwise needs a two-group equivalent).
 */
import { ConfigError } from '../../config/validate.js';
import type { LinalgBackend } from '../../linalg/backend.js';
import type { ExperimentConfig } from '../../models/experiment-config.js';
import { srfMap, type SrfMap } from '../../models/srf-map.js';
import { foldIn, rootKey, type Key } from '../../random/key.js';
import { conditionalTables, type ConditionalTableOptions, type ConditionalTables } from '../hermite-tables.js';
import { dampedSolve } from './damped.js';
import { srfErrors, type SrfConjugates, type SrfOrderParameters, type SrfProblem } from './equations.js';
import { reducedSolve, type SrfSolveResult } from './reduced.js';
import { sampleUnitSrfSpectrum, scaleUnitSpectrum, type UnitSrfSpectrum } from './sampled.js';
import { mpSpectrum, type SrfSpectrum } from './spectrum.js';
import { goldenSection } from '../../numerics/goldenSection.js';

export type { SrfOrderParameters, SrfConjugates, SrfProblem } from './equations.js';
export { sevenParameterMap, srfCheck, srfErrors, srfResidual } from './equations.js';
export { reducedSolve, noFiniteSolutionReason, type SrfSolveResult, type ReducedOptions } from './reduced.js';
export { dampedSolve, type DampedOptions } from './damped.js';
export { mpSpectrum, mpQuadratureSpectrum, mpIntegrals, discreteSpectrum, type SrfSpectrum, type SpectralSums, type DiscreteSpectrumInput } from './spectrum.js';
export { sampleSrfSpectrum, sampleUnitSrfSpectrum, scaleUnitSpectrum, spectrumFromWeights, unitSpectrumFromWeights, type UnitSrfSpectrum } from './sampled.js';

export interface SrfTheoryOptions {
  /** Start the solver here (e.g. the previous point of a sweep). */
  warmStart?: SrfOrderParameters;
  /** Spectrum (default: config.theory.spectrum). 'sampled' needs `backend`. */
  spectrum?: 'mp' | 'sampled';
  /** Key of the 'sampled' draw (default: foldIn(rootKey(config.seed), 'theory-spectrum')). */
  key?: Key;
  /** Linear algebra for the 'sampled' spectrum (theory imports nothing Node-only; pass getBackend()). */
  backend?: LinalgBackend;
  /** A spectrum built by the caller (overrides `spectrum`; its c and N/d must match the config's map). */
  spectrumOverride?: SrfSpectrum;
  /** 'reduced' (default) or the authors' 'damped' seven-parameter iteration (cross-check). */
  solver?: 'reduced' | 'damped';
  /** Options of the kappa tables (order, tolerance). */
  tables?: ConditionalTableOptions;
  /** Largest number of iterations of the damped solver (default 100000). */
  maxIterations?: number;
  /** Damping of the damped solver (default 0.5, the authors' value). */
  damping?: number;
}

interface SrfTheoryCommon {
  /** The sRF map used (c, r, gamma, ... and the moments). */
  map: SrfMap;
  /** alpha = n/N, the readout samples per neuron the equations use. */
  alpha: number;
  /** Ridge penalty in the "sum" normalisation the equations use. */
  lambda: number;
  /** Description of the spectrum. */
  spectrum: string;
  method: 'srf-reduced' | 'srf-damped';
  /** Order of the kappa rule. */
  kappaNodes: number;
  warnings: string[];
}

export interface SrfTheorySuccess extends SrfTheoryCommon {
  ok: true;
  /** eps_g: test error against the noiseless target, E (f*(x) - f_hat(x))^2. */
  risk: number;
  /** risk + Delta: test MSE on noisy labels. */
  testMSE: number;
  /** Training MSE on the readout batch. */
  trainError: number;
  orderParameters: SrfOrderParameters;
  conjugates: SrfConjugates;
  converged: true;
  iterations: number;
  residual: number;
}

export interface SrfTheoryFailure extends SrfTheoryCommon {
  ok: false;
  reason: Extract<SrfSolveResult, { ok: false }>['reason'];
  message: string;
  converged: false;
  iterations: number;
  residual: number;
  last?: SrfOrderParameters;
}

export type SrfTheoryResult = SrfTheorySuccess | SrfTheoryFailure;

const SOURCE = 'sRF theory (srf.md)';

/** Refuses configs outside the supported model (module comment). */
function checkSupported(config: ExperimentConfig, map: SrfMap): void {
  const issues: string[] = [];
  if (config.ridge.intercept) issues.push('ridge.intercept: the sRF equations are for a readout without intercept, got true');
  if (map.variant !== 'no-step' && config.init.a !== 'constant') {
    const parity = map.student.parity;
    if (config.init.a === 'gaussian') {
      issues.push(
        `init.a: "gaussian" gives every neuron its own spike s_i r and bulk c(s_i) (srf.md section 5); the sRF theory needs a two-group/mixture deterministic equivalent for it, not implemented; use "constant", or "rademacher" with an odd or even student`,
      );
    } else if (parity === 'none') {
      issues.push(
        `init.a: "rademacher" is exact only for an odd or even student (the two sign groups are then equivalent, srf.md section 5); student.activation "${map.student.activation}" is neither; use init.a "constant"`,
      );
    } else if (parity === 'even' && Math.abs(map.etaTilde * map.student.meanSecondDerivative * map.teacher.mu0Star) > 1e-12) {
      issues.push(
        `init.a: "rademacher" with the even student "${map.student.activation}" and a teacher with mu0* = ${map.teacher.mu0Star} rescales the two sign groups differently (s0 = 1 ± eta_tilde E[sigma''] mu0*); not implemented; use init.a "constant"`,
      );
    }
  }
  if (issues.length > 0) throw new ConfigError(issues, SOURCE);
}

/** lambda in the "sum" normalisation (one-step.md section 1, step 5). */
function sumLambda(config: ExperimentConfig): number {
  return config.ridge.normalization === 'sum' ? config.ridge.lambda : (config.alpha / config.psi) * config.ridge.lambda;
}

interface Prepared {
  map: SrfMap;
  tables: ConditionalTables;
}

function prepare(config: ExperimentConfig, opts: SrfTheoryOptions): Prepared {
  const map = srfMap(config);
  checkSupported(config, map);
  const tables = conditionalTables(config.student.activation, config.teacher.link, map, opts.tables);
  return { map, tables };
}

/** Sampled draws at c = 1 by (N, d, key): a sweep draws and eigendecomposes once per width. */
type UnitCache = Map<string, UnitSrfSpectrum>;

function buildSpectrum(config: ExperimentConfig, map: SrfMap, opts: SrfTheoryOptions, cache?: UnitCache): SrfSpectrum {
  if (opts.spectrumOverride) {
    const s = opts.spectrumOverride;
    if (Math.abs(s.c - map.c) > 1e-12 * map.c || Math.abs(s.ratio - config.psi) > 1e-12 * config.psi) {
      throw new ConfigError([`spectrumOverride: built for c = ${s.c}, N/d = ${s.ratio}; the config needs c = ${map.c}, N/d = psi = ${config.psi}`], SOURCE);
    }
    return s;
  }
  const kind = opts.spectrum ?? config.theory.spectrum;
  if (kind === 'mp') return mpSpectrum(map.c, config.psi);
  if (!opts.backend) {
    throw new ConfigError(['theory.spectrum: "sampled" needs a linear-algebra backend (pass { backend: getBackend() } to srfTheory; the CLI does)'], SOURCE);
  }
  const key = opts.key ?? foldIn(rootKey(config.seed), 'theory-spectrum');
  const id = `${config.width}/${config.d}/${key[0]}/${key[1]}`;
  let unit = cache?.get(id);
  if (!unit) {
    unit = sampleUnitSrfSpectrum(opts.backend, { N: config.width, d: config.d, key });
    cache?.set(id, unit);
  }
  return scaleUnitSpectrum(unit, map.c);
}

function solveWith(config: ExperimentConfig, prep: Prepared, spectrum: SrfSpectrum, opts: SrfTheoryOptions): SrfTheoryResult {
  const { map, tables } = prep;
  const problem: SrfProblem = { tables, spectrum, alpha: config.alpha / config.psi, lambda: sumLambda(config), noise: config.teacher.noise };
  const method = opts.solver === 'damped' ? 'srf-damped' : 'srf-reduced';
  const common: SrfTheoryCommon = {
    map,
    alpha: problem.alpha,
    lambda: problem.lambda,
    spectrum: spectrum.description,
    method,
    kappaNodes: tables.order,
    warnings: [...map.notes],
  };
  const ws = opts.warmStart;
  const r =
    method === 'srf-damped'
      ? dampedSolve(problem, { start: ws, maxIterations: opts.maxIterations, damping: opts.damping })
      : reducedSolve(problem, { warmStart: ws ? { V1: ws.V1, V2: ws.V2 } : undefined });
  if (!r.ok) {
    return { ...common, ok: false, reason: r.reason, message: r.message, converged: false, iterations: r.iterations, residual: r.residual, last: r.last };
  }
  const { risk, trainError } = r.errors ?? srfErrors(problem, r.x);
  if (!Number.isFinite(risk) || !Number.isFinite(trainError)) {
    return { ...common, ok: false, reason: 'nan', message: `non-finite errors: risk ${risk}, train error ${trainError}`, converged: false, iterations: r.iterations, residual: r.residual, last: r.x };
  }
  // spelled out, not `...common`: a spread followed by ten more properties was half the time of a warm curve
  return {
    map: common.map,
    alpha: common.alpha,
    lambda: common.lambda,
    spectrum: common.spectrum,
    method: common.method,
    kappaNodes: common.kappaNodes,
    warnings: common.warnings,
    ok: true,
    risk,
    testMSE: risk + config.teacher.noise,
    trainError,
    orderParameters: r.x,
    conjugates: r.conjugates,
    converged: true,
    iterations: r.iterations,
    residual: r.residual,
  };
}

/**
 * The sRF prediction for one config (module comment). Throws a ConfigError for unsupported configs;
 * returns `{ ok: false, converged: false, reason, residual }` when the equations have no finite solution
 * (lambda = 0, alpha = n/N <= 1) or the solver fails.
 */
export function srfTheory(config: ExperimentConfig, opts: SrfTheoryOptions = {}): SrfTheoryResult {
  const prep = prepare(config, opts);
  return solveWith(config, prep, buildSpectrum(config, prep.map, opts), opts);
}

export type SrfSweepKey = 'alpha' | 'alpha0' | 'eta' | 'lambda' | 'psi';
export const SRF_SWEEP_KEYS: readonly SrfSweepKey[] = ['alpha', 'alpha0', 'eta', 'lambda', 'psi'];

/** The config with one parameter replaced (ratios exact; counts rounded as the config schema does). */
export function withSweepValue(config: ExperimentConfig, key: SrfSweepKey, value: number): ExperimentConfig {
  const bad = (rule: string): never => {
    throw new ConfigError([`${key}: sweep values must be ${rule}, got ${value}`], SOURCE);
  };
  if (typeof value !== 'number' || !Number.isFinite(value)) bad('finite numbers');
  const d = config.d;
  switch (key) {
    case 'alpha':
      if (!(value > 0)) bad('> 0');
      return { ...config, alpha: value, n: Math.max(1, Math.round(value * d)) };
    case 'alpha0':
      if (!(value >= 0)) bad('>= 0');
      return { ...config, alpha0: value, n0: Math.round(value * d) };
    case 'psi':
      if (!(value > 0)) bad('> 0');
      return { ...config, psi: value, width: Math.max(1, Math.round(value * d)) };
    case 'eta':
      return { ...config, step: { ...config.step, eta: value } };
    case 'lambda':
      if (!(value >= 0)) bad('>= 0');
      return { ...config, ridge: { ...config.ridge, lambda: value } };
    default:
      throw new ConfigError([`sweep key: expected one of ${SRF_SWEEP_KEYS.map((k) => `"${k}"`).join(' | ')}, got ${JSON.stringify(key)}`], SOURCE);
  }
}

/**
 * The sRF prediction along a sweep of one parameter, each point warm-started from the previous converged
 * one (the reduced solver from the linear extrapolation of log V1, log V2 through the previous two, in the
 * swept value, or in log lambda for a lambda sweep). The map and the kappa tables are computed once when the swept key does not change them (alpha,
 * lambda; psi keeps the tables but changes the spectrum). Failed points stay in the list as failures.
 */
export function srfCurve(config: ExperimentConfig, key: SrfSweepKey, values: readonly number[], opts: SrfTheoryOptions = {}): SrfTheoryResult[] {
  if (!SRF_SWEEP_KEYS.includes(key)) withSweepValue(config, key, 0); // throws the message
  const out: SrfTheoryResult[] = [];
  const sharesMap = key === 'alpha' || key === 'lambda' || key === 'psi';
  let prep: Prepared | undefined;
  let spectrum: SrfSpectrum | undefined;
  let warm = opts.warmStart;
  // the last two converged points, (sweep coordinate, log V1, log V2): the reduced solver starts from their
  // linear extrapolation (Newton then needs one step fewer on a smooth curve; only the start changes)
  let prev: [number, number, number] | undefined;
  let last: [number, number, number] | undefined;
  const coord = (v: number): number => (key === 'lambda' ? Math.log(v) : v);
  const unitCache: UnitCache = new Map();
  for (const value of values) {
    const cfg = withSweepValue(config, key, value);
    if (!sharesMap || !prep) prep = prepare(cfg, opts);
    // the spectrum depends on c (the map) and N/d only; sampled draws are cached at c = 1 per width
    if (!spectrum || key === 'psi' || !sharesMap) spectrum = buildSpectrum(cfg, prep.map, opts, unitCache);
    let start = warm;
    const x = coord(value);
    if (start && prev && last && opts.solver !== 'damped' && Number.isFinite(x) && last[0] !== prev[0]) {
      const f = (x - last[0]) / (last[0] - prev[0]);
      const V1 = Math.exp(last[1] + f * (last[1] - prev[1]));
      const V2 = Math.exp(last[2] + f * (last[2] - prev[2]));
      if (Math.abs(f) <= 2 && V1 > 0 && V2 > 0 && Number.isFinite(V1) && Number.isFinite(V2)) start = { ...start, V1, V2 };
    }
    const r = solveWith(cfg, prep, spectrum, { ...opts, warmStart: start });
    if (r.ok) {
      warm = r.orderParameters;
      const point: [number, number, number] = [x, Math.log(warm.V1), Math.log(warm.V2)];
      prev = last && Number.isFinite(x) ? last : undefined;
      last = Number.isFinite(x) && Number.isFinite(point[1]) && Number.isFinite(point[2]) ? point : undefined;
    } else {
      prev = undefined;
      last = undefined;
    }
    out.push(r);
  }
  return out;
}

export interface OptimalLambdaOptions extends SrfTheoryOptions {
  /** Search interval of lambda (default [1e-6, 1e3]), searched in log scale. */
  range?: [number, number];
  /** Tolerance on log10(lambda) (default 1e-4). */
  tolerance?: number;
}

export interface OptimalLambdaResult {
  /** The minimising lambda (in the config's ridge.normalization). */
  lambda: number;
  result: SrfTheoryResult;
  /** 'lower' or 'upper' when the minimum sits at an end of the range (the optimum may lie beyond). */
  boundary?: 'lower' | 'upper';
  /** Number of sRF solves used. */
  evaluations: number;
}

/**
 * Minimises the predicted risk over lambda (issue 4 item 7; srf.md section 5): a coarse log-spaced scan of
 * the range (4 points per decade, warm-started), then golden-section search on log10(lambda) around the
 * best scan point (Kiefer 1953). Assumes the risk is unimodal near its minimum (true in every case we
 * scanned; the scan guards against a distant second minimum only at its resolution). Points that fail
 * to converge count as +infinity.
 */
export function optimalLambda(config: ExperimentConfig, opts: OptimalLambdaOptions = {}): OptimalLambdaResult {
  const [lo, hi] = opts.range ?? [1e-6, 1e3];
  if (!(lo > 0 && hi > lo && Number.isFinite(hi))) throw new ConfigError([`range: expected 0 < lower < upper < infinity, got [${lo}, ${hi}]`], SOURCE);
  const tol = opts.tolerance ?? 1e-4;
  const prep = prepare(config, opts);
  const spectrum = buildSpectrum(config, prep.map, opts);
  let evaluations = 0;
  let warm: SrfOrderParameters | undefined = opts.warmStart;
  const cache = new Map<number, SrfTheoryResult>();
  const at = (logLambda: number): SrfTheoryResult => {
    const hit = cache.get(logLambda);
    if (hit) return hit;
    evaluations++;
    const r = solveWith(withSweepValue(config, 'lambda', 10 ** logLambda), prep, spectrum, { ...opts, warmStart: warm });
    if (r.ok) warm = r.orderParameters;
    cache.set(logLambda, r);
    return r;
  };
  const f = (logLambda: number): number => {
    const r = at(logLambda);
    return r.ok ? r.risk : Infinity;
  };
  const a0 = Math.log10(lo);
  const b0 = Math.log10(hi);
  const steps = Math.max(2, Math.ceil((b0 - a0) * 4));
  const grid = Array.from({ length: steps + 1 }, (_, i) => b0 - ((b0 - a0) * i) / steps); // large lambda first: easy warm starts
  let best = 0;
  const vals = grid.map(f);
  for (let i = 1; i < vals.length; i++) if (vals[i] < vals[best]) best = i;
  const a = grid[Math.min(best + 1, grid.length - 1)];
  const b = grid[Math.max(best - 1, 0)];
  const golden = goldenSection(f, a, b, tol);
  let bestLog = golden.x;
  if (vals[best] < golden.value) bestLog = grid[best];
  const result = at(bestLog);
  const boundary = bestLog <= a0 + 2 * tol ? 'lower' : bestLog >= b0 - 2 * tol ? 'upper' : undefined;
  return { lambda: 10 ** bestLog, result, boundary, evaluations };
}
