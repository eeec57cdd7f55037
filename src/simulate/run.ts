/**
 * `simulate(config, { seeds, onProgress, workers })`: the one-step experiment of one-step.md section 1,
 * repeated over seeds, with baselines, step anatomy and summaries (issue 3).
 *
 * Per seed s (`runSeed`), every random draw comes from its own key foldIn(rootKey(s), label) (STYLE.md 1):
 *   "teacher" beta*, "W0", "a0", "step" (batch t: foldIn(., t) -> "X", "noise"), "ridge" ("X", "noise"),
 *   "test" (Monte Carlo test inputs), "srf" (the sRF spike direction)
 * so changing nTest never changes W0, and changing n never changes the step batch.
 * Stages: draw -> T gradient steps (or the sRF weights) -> features of the readout batch -> ridge ->
 * risk (exact, falling back to Monte Carlo with a warning; or Monte Carlo) -> baselines -> anatomy.
 * Seeds run one after another in this thread (BLAS multi-threaded), or in worker threads (one BLAS thread
 * each) when `workers` > 1; the numbers agree either way (to rounding of the BLAS reductions, 1e-12).
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism, totalmem } from 'node:os';
import type { LinalgBackend } from '../linalg/backend.js';
import { getBackend } from '../linalg/index.js';
import { zeros, type FloatArray, type Matrix } from '../linalg/matrix.js';
import { foldIn, rootKey, splitKeys } from '../random/index.js';
import { getActivation } from '../activations/index.js';
import { resolveExperimentConfig, type ExperimentConfig, type ExperimentConfigInput } from '../models/experiment-config.js';
import { drawA0, drawW0 } from '../models/init.js';
import { drawGaussianInputs, drawSingleIndexTeacher, fillGaussianInputs, teacherLabels, type SingleIndexTeacher } from '../models/teacher.js';
import { srfMap, srfNeuronMap } from '../models/srf-map.js';
import { packageRoot } from '../native/load.js';
import { provenance, type Provenance } from '../provenance/record.js';
import { featlearnVersion } from '../provenance/version.js';
import { applyActivation, featureMatrix, readout, topRows } from './features.js';
import { runSteps } from './protocol.js';
import { fitRidge, type RidgeFit } from './ridge.js';
import { defaultChunkRows, monteCarloRisk, type Predictor } from './risk-mc.js';
import { linearBaseline, linkMoments, type LinearRidgePoint } from './baselines.js';
import { checkMemory, type MemoryEstimate, type MemoryShape } from './memory.js';
import { drawSpikeDirection, srfWeights } from './srf-features.js';
import { exactRisk } from './exact-risk.js';
import { stepAnatomy, type SpectrumSummary, type StepAnatomy } from './anatomy.js';
import { summarize, type SummaryTree } from './summary.js';
import { assertFiniteScalar, SimulationError } from './errors.js';

/** Risk, test MSE and train error of one readout (the network's or a baseline's). */
export interface ReadoutResult {
  /** Population risk E (f*(x) - f_hat(x))^2 against the noiseless target. */
  risk: number;
  riskMethod: 'exact' | 'monte-carlo';
  /** Standard error of the Monte Carlo estimate (null for the exact risk). */
  riskStdErr: number | null;
  /** risk + Delta: the expected squared error on a fresh noisy label. */
  testMSE: number;
  /** Mean squared error on the ridge batch (noisy labels). */
  trainError: number;
}

export interface Baselines {
  /** The same ridge on sigma(X W0): random features, no step. */
  randomFeatures: ReadoutResult;
  /** Ridge on the raw inputs (exact population risks). */
  linear: { sameLambda: LinearRidgePoint; bestOnGrid: LinearRidgePoint };
  /** E f*^2: the risk of the zero predictor. */
  nullRisk: number;
  /** mu_perp*^2 (+ mu0*^2 without intercept): the linear-regime floor. */
  linearFloor: number;
}

/** Singular values of the first step (src/simulate/anatomy.ts). */
export interface Spectrum {
  /** The largest singular value of sqrt(N) G, of W1 and of W1 - W0 (scalars, summarised over seeds). */
  largest: { gradient: number; W1: number; update: number };
  /** The k largest (and, with fullSpectrum, all) singular values of each. */
  gradient: SpectrumSummary;
  W1: SpectrumSummary;
  update: SpectrumSummary;
  method: string;
}

/** Squared overlaps of the first step (src/simulate/anatomy.ts) and the spike vector u. */
export type Alignment = StepAnatomy['alignment'] & { uNorm: number; uBetaOverlap: number };

export interface RunResult extends ReadoutResult {
  seed: number;
  /** Ridge solve of the trained readout. */
  ridge: { form: RidgeFit['form']; solver: RidgeFit['solver']; lambdaSum: number };
  baselines: Baselines | null;
  /** Singular values of sqrt(N) G, W1 and W1 - W0 (step anatomy); null when report.anatomy is false or there is no step. */
  spectrum: Spectrum | null;
  /** Squared overlaps with beta*, u and a0 (step anatomy); null likewise. */
  alignment: Alignment | null;
  /** Statistics of the neuron norms |w1_i| (step anatomy); null likewise. */
  neurons: StepAnatomy['neuronNorms'] | null;
  seconds: number;
  warnings: string[];
}

export interface SimulationResult {
  featlearn: string;
  backend: string;
  config: ExperimentConfig;
  runs: RunResult[];
  summary: SummaryTree;
  /** Worker threads used (0: seeds ran in this thread). */
  workers: number;
  memory: MemoryEstimate;
  provenance: Provenance;
  warnings: string[];
}

export interface ProgressEvent {
  seed: number;
  /** Completed runs so far. */
  done: number;
  total: number;
  stage: 'started' | 'finished';
}

export interface SimulateOptions {
  /** Number of seeds K: config.seed, config.seed + 1, ..., config.seed + K - 1 (default 1). */
  seeds?: number;
  onProgress?: (e: ProgressEvent) => void;
  /** Worker threads: 0/1 = this thread; a number; "auto" (default) = workers when that beats threaded BLAS. */
  workers?: number | 'auto';
  /** Skip the memory check (never the per-array limit). */
  force?: boolean;
  /** The backend (default getBackend()); workers always use their own default backend. */
  backend?: LinalgBackend;
  /** Report every singular value of the step (for histograms), not only the top ones (default false). */
  fullSpectrum?: boolean;
}

/** Per-run options (the part of SimulateOptions a worker needs). */
export interface RunOptions {
  fullSpectrum?: boolean;
}

/** The shape the memory estimate needs. */
export function memoryShape(config: ExperimentConfig): MemoryShape {
  return {
    d: config.d,
    width: config.width,
    n0: config.n0,
    n: config.n,
    nTest: config.nTest,
    precision: config.precision,
    steps: config.model === 'network' ? config.step.steps : 0,
    baselines: config.report.baselines,
    anatomy: config.report.anatomy,
    riskMethod: config.risk.method,
    chunkRows: defaultChunkRows(config.d, config.width, config.precision === 'float32' ? 4 : 8),
  };
}

function toFloat64(W: Matrix<FloatArray>): Matrix<Float64Array> {
  return W.data instanceof Float64Array ? (W as Matrix<Float64Array>) : { rows: W.rows, cols: W.cols, data: Float64Array.from(W.data) };
}

function meanSquaredError(y: Float64Array, f: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i] - f[i]) ** 2;
  return s / y.length;
}

/** Features sigma(X W) of the readout batch drawn in row chunks (X is never held whole). */
function chunkedFeatures<T extends FloatArray>(
  backend: LinalgBackend,
  config: ExperimentConfig,
  teacher: SingleIndexTeacher,
  W: Matrix<T>,
  keys: { X: ReturnType<typeof rootKey>; noise: ReturnType<typeof rootKey> },
): { Phi: Matrix<T>; y: Float64Array } {
  const { n, d, width: N, precision } = config;
  const Phi = zeros(n, N, precision) as unknown as Matrix<T>;
  const y = new Float64Array(n);
  const rowsPerChunk = Math.min(n, defaultChunkRows(d, N, precision === 'float32' ? 4 : 8));
  const Xbuf = zeros(rowsPerChunk, d, precision) as unknown as Matrix<T>;
  for (let start = 0; start < n; start += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, n - start);
    const X = fillGaussianInputs(keys.X, topRows(Xbuf, rows), start);
    y.set(teacherLabels(backend, teacher, X, keys.noise, start).y, start);
    const Z: Matrix<T> = { rows, cols: N, data: Phi.data.subarray(start * N, (start + rows) * N) as T };
    backend.gemm(false, false, 1, X, W, 0, Z);
  }
  backend.releaseMemory(Xbuf.data);
  return { Phi, y };
}

/** One seed of the experiment (the config must be resolved). */
export function runSeed(config: ExperimentConfig, seed: number, backend: LinalgBackend = getBackend(), opts: RunOptions = {}): RunResult {
  const t0 = performance.now();
  const warnings: string[] = [];
  const { d, width: N, precision } = config;
  if (config.step.trainReadout && (config.model !== 'network' || config.step.steps < 2)) {
    warnings.push(
      config.model !== 'network'
        ? 'step.trainReadout: no effect with model = "srf" (no gradient steps are simulated)'
        : `step.trainReadout: no effect with step.steps = ${config.step.steps} (both gradients of a step are taken at (W0, a0) and the ridge refits a); it matters from two steps on`,
    );
  }
  const keys = splitKeys(rootKey(seed), ['teacher', 'W0', 'a0', 'step', 'ridge', 'test', 'srf']);
  const student = getActivation(config.student.activation);
  const link = getActivation(config.teacher.link);
  const teacher = drawSingleIndexTeacher(keys.teacher, d, link, config.teacher.noise);
  const W0 = drawW0(keys.W0, d, N, config.init.W, precision);
  const a0 = drawA0(keys.a0, N, config.init.a);

  // 1. The step(s), or the sRF weights drawn directly.
  let W1: Matrix<FloatArray>;
  let first: ReturnType<typeof runSteps>['first'] = null;
  let firstSpike: ReturnType<typeof runSteps>['firstSpike'] = null;
  if (config.model === 'network') {
    const steps = runSteps({
      backend,
      activation: student,
      teacher,
      W0,
      a0,
      n0: config.n0,
      step: config.step,
      key: keys.step,
      keepFirstGradient: config.report.anatomy,
    });
    W1 = steps.W1;
    first = steps.first;
    firstSpike = steps.firstSpike;
  } else {
    const map = srfMap(config);
    const v = drawSpikeDirection(keys.srf, teacher.betaStar, map.gamma);
    W1 = srfWeights(W0, a0, v, (s) => srfNeuronMap(map, s));
    warnings.push(...map.notes.map((n) => `sRF map: ${n}`));
    if (config.report.anatomy) warnings.push('report.anatomy: the step anatomy needs a simulated gradient step; not available with model = "srf"');
  }

  // 2. Features of the readout batch and the ridge readout. With baselines the inputs X are kept whole
  // (the linear baseline needs them); otherwise they are drawn in row chunks. Each feature matrix lives
  // only while its ridge is fitted.
  const ridgeKeys = { X: foldIn(keys.ridge, 'X'), noise: foldIn(keys.ridge, 'noise') };
  const X = config.report.baselines ? drawGaussianInputs(ridgeKeys.X, config.n, d, precision) : null;
  const yKept = X ? teacherLabels(backend, teacher, X, ridgeKeys.noise).y : null;
  const fitReadout = (W: Matrix<FloatArray>, what: string, weights: string): { fit: RidgeFit; trainError: number; y: Float64Array } => {
    let Phi: Matrix<FloatArray>;
    let y: Float64Array;
    if (X && yKept) {
      Phi = featureMatrix(backend, student, X, W);
      y = yKept;
    } else {
      ({ Phi, y } = chunkedFeatures(backend, config, teacher, W, ridgeKeys));
      applyActivation(backend, student, 'value', Phi.data, Phi.data, null);
    }
    // Non-finite features are caught by fitRidge from the Gram's diagonal (no separate pass over Phi).
    const fit = fitRidge(backend, Phi, y, config.ridge, what, `features sigma(X ${weights})`);
    warnings.push(...fit.warnings);
    const trainErr = meanSquaredError(y, readout(backend, Phi, fit.a, fit.b));
    backend.releaseMemory(Phi.data); // the largest temporary: gone before the next stage allocates
    return { fit, trainError: trainErr, y };
  };
  const { fit, trainError, y } = fitReadout(W1, 'ridge readout', 'W1');
  const baseline = X ? fitReadout(W0, 'random-features baseline', 'W0') : null;
  const fit0 = baseline ? baseline.fit : null;
  const trainError0 = baseline ? baseline.trainError : NaN;

  // 3. Risks of the trained network and of the random-features baseline.
  const predictors: Predictor[] = [{ W: W1, a: fit.a, b: fit.b, activation: student }];
  if (fit0) predictors.push({ W: W0, a: fit0.a, b: fit0.b, activation: student });
  const risks = populationRisks(backend, config, predictors, teacher, foldIn(keys.test, 'X'), warnings);
  risks.forEach((r, k) => assertFiniteScalar(`${r.method} risk of ${k === 0 ? 'the trained network' : 'the random-features baseline'}`, r.risk));
  assertFiniteScalar('train error of the ridge readout', trainError);
  const noise = config.teacher.noise;
  const result = (k: number, trainErr: number): ReadoutResult => ({
    risk: risks[k].risk,
    riskMethod: risks[k].method,
    riskStdErr: risks[k].stdErr,
    testMSE: risks[k].risk + noise,
    trainError: trainErr,
  });

  // 4. Baselines.
  let baselines: Baselines | null = null;
  if (fit0 && X) {
    const moments = linkMoments(link);
    const lin = linearBaseline(backend, X, y, teacher, moments, config.ridge);
    baselines = {
      randomFeatures: result(1, trainError0),
      linear: { sameLambda: lin.sameLambda, bestOnGrid: lin.bestOnGrid },
      nullRisk: moments.m2,
      linearFloor: moments.muPerp2 + (config.ridge.intercept ? 0 : moments.mu0 * moments.mu0),
    };
  }

  // 5. Anatomy of the first step.
  let anatomy: StepAnatomy | null = null;
  if (config.report.anatomy && first && firstSpike) {
    anatomy = stepAnatomy(
      { W0: toFloat64(W0), W1: toFloat64(W1), G: toFloat64(first.G), u: firstSpike.u, a0, betaStar: teacher.betaStar, fullSpectrum: opts.fullSpectrum },
      backend,
    );
  } else if (config.report.anatomy && config.model === 'network') {
    warnings.push('report.anatomy: no gradient step was taken (step.steps = 0 or step.eta = 0); nothing to report');
  }

  return {
    seed,
    ...result(0, trainError),
    ridge: { form: fit.form, solver: fit.solver, lambdaSum: fit.lambdaSum },
    baselines,
    spectrum: anatomy
      ? {
          largest: { gradient: anatomy.gradient.top[0], W1: anatomy.W1.top[0], update: anatomy.update.top[0] },
          gradient: anatomy.gradient,
          W1: anatomy.W1,
          update: anatomy.update,
          method: anatomy.method,
        }
      : null,
    alignment: anatomy ? { ...anatomy.alignment, uNorm: anatomy.u.norm, uBetaOverlap: anatomy.u.betaOverlap } : null,
    neurons: anatomy ? anatomy.neuronNorms : null,
    seconds: (performance.now() - t0) / 1000,
    warnings,
  };
}

interface RiskValue {
  risk: number;
  method: 'exact' | 'monte-carlo';
  stdErr: number | null;
}

/** Exact risks where possible; Monte Carlo (one shared test set) for the others, saying why. */
function populationRisks(
  backend: LinalgBackend,
  config: ExperimentConfig,
  predictors: Predictor[],
  teacher: SingleIndexTeacher,
  testKey: ReturnType<typeof rootKey>,
  warnings: string[],
): RiskValue[] {
  const out: (RiskValue | null)[] = predictors.map(() => null);
  if (config.risk.method === 'exact') {
    predictors.forEach((p, k) => {
      const r = exactRisk({ W: toFloat64(p.W), a: p.a, b: p.b, activation: p.activation }, { betaStar: teacher.betaStar, link: teacher.link }, backend);
      if (r.ok) {
        out[k] = { risk: r.risk, method: 'exact', stdErr: null };
        warnings.push(...r.warnings);
      } else {
        warnings.push(`risk.method = "exact" is not available for ${k === 0 ? 'the trained network' : 'the random-features baseline'} (${r.reason}); used Monte Carlo with nTest = ${config.nTest}`);
      }
    });
  }
  const missing = out.map((v, k) => (v ? -1 : k)).filter((k) => k >= 0);
  if (missing.length > 0) {
    const mc = monteCarloRisk(backend, missing.map((k) => predictors[k]), teacher, testKey, config.nTest);
    missing.forEach((k, j) => (out[k] = { risk: mc[j].risk, method: 'monte-carlo', stdErr: mc[j].stdErr }));
  }
  return out as RiskValue[];
}

/**
 * "auto": workers only where they can beat threaded BLAS: at least 4 cores, at least as many seeds as
 * cores, small matrices (max(d, N, n) <= 1000), and compiled JavaScript. Measured on the 2-core
 * development machine (loaded): 4 or 16 seeds at d = 200–800 were never faster in 2 workers than in one
 * thread with 2 BLAS threads (worker start-up ~0.5 s each), so there "auto" stays in this thread; the
 * 4-core rule is a guess still to be timed.
 */
export function chooseWorkers(config: ExperimentConfig, seeds: number, requested: number | 'auto' | undefined): number {
  if (requested === undefined || requested === 'auto') {
    const cores = availableParallelism();
    // From TypeScript sources (tests) the worker would run the compiled dist/, possibly stale: no workers.
    if (cores < 4 || seeds < cores || !import.meta.url.endsWith('.js')) return 0;
    return Math.max(config.d, config.width, config.n) <= 1000 ? cores : 0;
  }
  if (!Number.isInteger(requested) || requested < 0) throw new SimulationError('invalid', `workers: expected a non-negative integer or "auto", got ${String(requested)}`);
  return requested <= 1 ? 0 : Math.min(requested, seeds);
}

/** The compiled worker script (src/simulate/worker.ts in dist/); from TypeScript sources, dist/ must be built. */
export function workerScript(): URL {
  const here = new URL(import.meta.url);
  if (here.pathname.endsWith('.js')) return new URL('./worker.js', here);
  const built = join(packageRoot(), 'dist', 'src', 'simulate', 'worker.js');
  if (!existsSync(built)) throw new SimulationError('unsupported', `workers: the compiled worker ${built} is missing; run npm run build (or use workers: 0)`);
  return new URL(`file://${built}`);
}

export interface WorkerRequest {
  config: ExperimentConfig;
  seeds: number[];
  run: RunOptions;
}
export type WorkerMessage = { type: 'run'; result: RunResult } | { type: 'error'; message: string; name: string; kind?: string };

async function runInWorkers(config: ExperimentConfig, seeds: number[], workers: number, run: RunOptions, onRun: (r: RunResult) => void): Promise<void> {
  const groups: number[][] = Array.from({ length: workers }, () => []);
  seeds.forEach((s, i) => groups[i % workers].push(s));
  const script = workerScript();
  await Promise.all(
    groups.map(
      (group) =>
        new Promise<void>((resolve, reject) => {
          const w = new Worker(fileURLToPath(script), {
            workerData: { config, seeds: group, run } satisfies WorkerRequest,
            env: { ...process.env, FEATLEARN_THREADS: '1' },
          });
          let failed = false;
          w.on('message', (m: WorkerMessage) => {
            if (m.type === 'run') onRun(m.result);
            else {
              failed = true;
              const e = m.kind ? new SimulationError(m.kind as SimulationError['kind'], m.message) : new Error(m.message);
              e.name = m.name;
              reject(e);
            }
          });
          w.on('error', (e) => {
            failed = true;
            reject(e);
          });
          w.on('exit', (code) => {
            if (failed) return;
            if (code === 0) resolve();
            else reject(new Error(`simulate worker exited with code ${code}`));
          });
        }),
    ),
  );
}

/**
 * Runs the experiment for K seeds and summarises. `config` may be raw (validated here) or resolved.
 * Refuses (SimulationError 'memory') a run that would not fit, unless `force`.
 */
export async function simulate(config: ExperimentConfigInput | ExperimentConfig, opts: SimulateOptions = {}): Promise<SimulationResult> {
  const cfg = resolveExperimentConfig(config);
  const K = opts.seeds ?? 1;
  if (!Number.isInteger(K) || K < 1) throw new SimulationError('invalid', `seeds: expected a positive integer, got ${String(K)}`);
  if (cfg.seed + K - 1 > Number.MAX_SAFE_INTEGER) throw new SimulationError('invalid', `seeds: seed + K - 1 exceeds 2^53 - 1 (seed = ${cfg.seed}, K = ${K})`);
  const backend = opts.backend ?? getBackend();
  const workers = chooseWorkers(cfg, K, opts.workers);
  const shape = memoryShape(cfg);
  // Each worker holds one run's matrices: the limit is shared among them.
  const memory = checkMemory(shape, { force: opts.force, limitBytes: (0.8 * totalmem()) / Math.max(1, workers) });
  const seeds = Array.from({ length: K }, (_, k) => cfg.seed + k);
  const bySeed = new Map<number, RunResult>();
  let done = 0;
  const onRun = (r: RunResult): void => {
    bySeed.set(r.seed, r);
    done++;
    opts.onProgress?.({ seed: r.seed, done, total: K, stage: 'finished' });
  };
  if (workers > 1) {
    const before = backend.info().threads;
    backend.setThreads(1);
    try {
      await runInWorkers(cfg, seeds, workers, { fullSpectrum: opts.fullSpectrum }, onRun);
    } finally {
      backend.setThreads(before);
    }
  } else {
    for (const s of seeds) {
      opts.onProgress?.({ seed: s, done, total: K, stage: 'started' });
      onRun(runSeed(cfg, s, backend, { fullSpectrum: opts.fullSpectrum }));
      await new Promise((r) => setImmediate(r));
    }
  }
  const runs = seeds.map((s) => bySeed.get(s)!);
  const warnings = [...new Set(runs.flatMap((r) => r.warnings))];
  return {
    featlearn: featlearnVersion(),
    backend: backend.name,
    config: cfg,
    runs,
    summary: summarize(runs.map(({ warnings: _w, ...rest }) => rest)),
    workers,
    memory,
    provenance: provenance(),
    warnings,
  };
}
