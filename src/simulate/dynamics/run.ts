/**
 * Full-batch gradient descent (or small-step gradient flow) of a width-m two-layer network on a
 * multi-index target (multi-index.md section 2), with the trajectory recorded at log-spaced times, the
 * automatic end of phase 1, the escape time from the phase-1 plateau and Hessian spectra by Lanczos.
 *
 * Keys (STYLE.md 1): rootKey(seed) -> foldIn labels 'theta', 'train-x', 'noise', 'W0', 'a0', 'risk',
 * 'test-x', 'lanczos'; changing nTest or the risk samples never changes the training data or the init.
 *
 * End of phase 1 (documented criterion, docs/dynamics.md): with g_t = |grad L(theta_t)| evaluated at every
 * step, phase 1 ends at the first step t >= PHASE1_MIN_STEPS such that EITHER the gradient norm has been
 * flat over the last doubling of time, |ln g_t - ln g_{floor(t/2)}| <= phase1.plateauTolerance * ln 2
 * (the log-log slope of g against t is at most the tolerance: a plateau), OR it has become small,
 * g_t <= phase1.gradientDrop * g_0 (the dynamics is no longer driven by large gradients; this catches
 * plateaus approached with a still-decaying gradient, e.g. convergence towards a saddle or a minimum).
 * If g is flat from the start, phase 1 ends at PHASE1_MIN_STEPS (nothing to learn from large gradients).
 * At that step the latent directions whose principal cosine with span(W) is >= escape.level are
 * "learned"; the others span the unlearned subspace.
 *
 * Escape time: the first step after the end of phase 1 at which the largest principal cosine between
 * span(W) and the unlearned subspace is >= escape.level (checked at every step: O(m (m + k) d)).
 */
import { getBackend } from '../../linalg/index.js';
import type { LinalgBackend } from '../../linalg/backend.js';
import { lanczos, type LanczosResult } from '../../linalg/lanczos.js';
import type { FloatArray, Matrix } from '../../linalg/matrix.js';
import { getActivation } from '../../activations/index.js';
import { foldIn, fillNormal, fillRademacher, rootKey } from '../../random/index.js';
import { drawGaussianInputs } from '../../models/teacher.js';
import { getMultiIndexTarget, type MultiIndexTarget } from '../../models/multi-index-teacher.js';
import type { DynamicsConfig } from '../../models/dynamics-config.js';
import {
  DENSE_HESSIAN_MAX_PARAMETERS,
  DynamicsError,
  denseHessian,
  hessianPoint,
  hessianVectorProduct,
  lossAndGradient,
  makeLoss,
  parameterCount,
  unpack,
  type NetworkProblem,
} from './network.js';
import { drawThetaStar, multiIndexLabels } from './teacher.js';
import { overlapAndGram, principalCosines, projectionInLatent, splitLearned, subspaceCosine, vectorOverlap } from './observables.js';
import { monteCarloRule, populationRisk, quadratureRule, type LatentRule, type RiskEstimate } from './population-risk.js';

export const PHASE1_MIN_STEPS = 8;

export interface TrajectoryPoint {
  step: number;
  /** step * eta (gd) or the integrated flow time. */
  time: number;
  /** Empirical data loss (1/n) sum l(y_i, f_i) (without weight decay). */
  trainLoss: number;
  /** Population error E (g(z) - f(x))^2 (no label noise) or the test-set error. */
  testError: number;
  testErrorSE: number;
  gradNorm: number;
  /** M = W Theta* as m rows of k. */
  overlap: number[][];
  /** Principal cosines between span(W) and span(Theta*), descending. */
  cosines: number[];
  /** Largest cosine with the unlearned subspace (null before the end of phase 1 / when empty). */
  unlearnedCosine: number | null;
}

export interface EigenOverlap {
  value: number;
  residual: number;
  /** |P_Theta* v_W|^2 / |v|^2: fraction of the eigenvector in span(Theta*) (first-layer block). */
  thetaStar: number;
  /** Same for the unlearned part of span(Theta*) (null when there is none). */
  unlearned: number | null;
}

export interface SpectrumEnd {
  ok: boolean;
  message: string | null;
  iterations: number;
  eigen: EigenOverlap[];
}

export interface HessianRecord {
  step: number;
  time: number;
  trigger: 'phase1-end' | 'init' | 'final' | 'requested';
  parameters: number;
  smallest?: SpectrumEnd;
  largest?: SpectrumEnd;
  /** Dense check (small d): all eigenvalues and the max deviation of the Lanczos values from them. */
  dense?: { values: number[]; maxLanczosError: number };
}

export interface Phase1End {
  step: number;
  time: number;
  gradNorm: number;
  /** Number of learned latent directions (cosine >= escape.level). */
  learned: number;
  cosines: number[];
  /** M = W Theta* (m rows of k) and Q = W W^T - M M^T (m x m) at that step (the phase-1 point of delta_NN). */
  overlap: number[][];
  orthogonalGram: number[][];
  /** Second layer and bias at that step. */
  a: number[];
  b: number;
}

export interface EscapeRecord {
  level: number;
  step: number | null;
  time: number | null;
  /** 'escaped' | 'not-reached' (within the steps) | 'nothing-unlearned' | 'no-phase1-end'. */
  status: 'escaped' | 'not-reached' | 'nothing-unlearned' | 'no-phase1-end';
}

export interface DynamicsResult {
  seed: number;
  parameters: number;
  testMethod: RiskEstimate['method'];
  trajectory: TrajectoryPoint[];
  final: TrajectoryPoint;
  phase1End: Phase1End | null;
  escape: EscapeRecord;
  hessian: HessianRecord[];
  warnings: string[];
}

export interface DynamicsRunOptions {
  backend?: LinalgBackend;
  /** Called after every step with (step, steps). */
  onProgress?: (step: number, steps: number) => void;
}

/** Log-spaced integer steps in [0, steps], 0 and steps included, at most `count` distinct values. */
export function logSpacedSteps(steps: number, count: number): number[] {
  const out = new Set<number>([0, steps]);
  if (steps >= 1) {
    const c = Math.max(1, count - 1);
    for (let i = 0; i < c; i++) out.add(Math.round(Math.exp((Math.log(steps) * i) / Math.max(1, c - 1))));
  }
  return [...out].filter((t) => t >= 0 && t <= steps).sort((x, y) => x - y);
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/** Everything a run of one seed needs, drawn from the seed's keys. */
export interface DynamicsSetup {
  backend: LinalgBackend;
  problem: NetworkProblem;
  target: MultiIndexTarget;
  ThetaT: Matrix<Float64Array>;
  theta0: Float64Array;
}

export function setupDynamics(cfg: DynamicsConfig, backend: LinalgBackend = getBackend()): DynamicsSetup {
  const { d, n, width: m } = cfg;
  const root = rootKey(cfg.seed);
  const target = getMultiIndexTarget(cfg.teacher.link, cfg.teacher.k);
  const activation = getActivation(cfg.student.activation);
  const ThetaT = drawThetaStar(foldIn(root, 'theta'), d, target.k);
  const X = drawGaussianInputs(foldIn(root, 'train-x'), n, d, cfg.precision);
  const { y } = multiIndexLabels(backend, X, ThetaT, target, cfg.teacher.noise, foldIn(root, 'noise'));
  const trainA = cfg.training.secondLayer === 'trained';
  const a0 = new Float64Array(m);
  if (cfg.init.a === 'constant') a0.fill(1 / m);
  else if (cfg.init.a === 'rademacher') fillRademacher(foldIn(root, 'a0'), a0, 1 / m);
  else fillNormal(foldIn(root, 'a0'), a0, { std: 1 / m });
  const problem: NetworkProblem = {
    backend,
    X,
    y,
    activation,
    loss: makeLoss(cfg.training.loss, cfg.training.huberDelta),
    m,
    trainA,
    bias: cfg.training.bias,
    aFrozen: a0,
    weightDecay: cfg.training.weightDecay,
  };
  const P = parameterCount(problem);
  const theta0 = new Float64Array(P);
  fillNormal(foldIn(root, 'W0'), theta0.subarray(0, m * d), { std: cfg.init.scale / Math.sqrt(d) });
  if (trainA) theta0.set(a0, m * d);
  return { backend, problem, target, ThetaT, theta0 };
}

/** The Lanczos spectrum ends at theta with eigenvector overlaps; optional dense check. */
export function hessianSpectrum(
  setup: DynamicsSetup,
  theta: Float64Array,
  opts: { k: number; which: 'smallest' | 'largest' | 'both'; dense: boolean; tol: number; maxIterations: number; seed: number; unlearned: { E: Float64Array; u: number } | null },
): Omit<HessianRecord, 'step' | 'time' | 'trigger'> {
  const { problem, backend, ThetaT } = setup;
  const P = parameterCount(problem);
  if (opts.dense && P > DENSE_HESSIAN_MAX_PARAMETERS) {
    throw new DynamicsError('too-large', `hessian.dense: ${P} parameters (> ${DENSE_HESSIAN_MAX_PARAMETERS}) would need ${((8 * P * P) / 1e6).toFixed(0)} MB and ${P} HVPs; use a smaller d or dense: false`);
  }
  const pt = hessianPoint(problem, theta);
  const k = Math.min(opts.k, Math.floor(P / (opts.which === 'both' ? 2 : 1)));
  const res: LanczosResult = lanczos(backend, P, (v, out) => hessianVectorProduct(problem, pt, v, out), {
    k,
    which: opts.which,
    tol: opts.tol,
    maxIterations: opts.maxIterations,
    key: foldIn(rootKey(opts.seed), 'lanczos'),
  });
  const pairs = Array.from(res.values, (value, i) => {
    const ov = vectorOverlap(res.vectors[i], problem.m, ThetaT, opts.unlearned?.E ?? null, opts.unlearned?.u ?? 0);
    return { value, residual: res.residuals[i], thetaStar: ov.thetaStar, unlearned: ov.unlearned };
  });
  const end = (eigen: EigenOverlap[]): SpectrumEnd => ({ ok: res.ok, message: res.ok ? null : res.message, iterations: res.iterations, eigen });
  const out: Omit<HessianRecord, 'step' | 'time' | 'trigger'> = { parameters: P };
  if (opts.which === 'smallest') out.smallest = end(pairs);
  else if (opts.which === 'largest') out.largest = end(pairs);
  else {
    out.smallest = end(pairs.slice(0, k));
    out.largest = end(pairs.slice(pairs.length - k));
  }
  if (opts.dense) {
    const Hd = denseHessian(problem, pt);
    const all = backend.eigvalsh(Hd);
    let err = 0;
    const kk = pairs.length;
    if (opts.which !== 'largest') for (let i = 0; i < Math.min(k, kk); i++) err = Math.max(err, Math.abs(pairs[i].value - all[i]));
    if (opts.which !== 'smallest') for (let i = 0; i < k; i++) err = Math.max(err, Math.abs(pairs[kk - 1 - i].value - all[P - 1 - i]));
    out.dense = { values: Array.from(all), maxLanczosError: err };
  }
  return out;
}

/** One seed of `featlearn dynamics` (cfg.seed). Cost: (steps + 1) fused passes over X plus the Hessians. */
export function runDynamics(cfg: DynamicsConfig, opts: DynamicsRunOptions = {}): DynamicsResult {
  return runDynamicsFrom(setupDynamics(cfg, opts.backend ?? getBackend()), cfg, opts);
}

/** runDynamics from drawn data and init (setupDynamics(cfg)); for benchmarks that time the training only. */
export function runDynamicsFrom(setup: DynamicsSetup, cfg: DynamicsConfig, opts: DynamicsRunOptions = {}): DynamicsResult {
  const { backend, problem, target, ThetaT } = setup;
  const { m, d } = { m: cfg.width, d: cfg.d };
  const k = target.k;
  const P = parameterCount(problem);
  const warnings: string[] = [];
  const root = rootKey(cfg.seed);
  const steps = cfg.training.steps;
  const eta = cfg.training.eta;

  // Test error: low-dimensional Gaussian integral, or a fresh test set.
  let rule: LatentRule | null = null;
  let testSet: { X: Matrix<FloatArray>; fStar: Float64Array } | null = null;
  const method = cfg.test.method === 'auto' ? (k + m <= 3 ? 'quadrature' : 'monte-carlo') : cfg.test.method;
  if (method === 'quadrature') rule = quadratureRule(k + m, cfg.test.nodes);
  else if (method === 'monte-carlo') rule = monteCarloRule(foldIn(root, 'risk'), k + m, cfg.test.samples);
  else {
    const Xt = drawGaussianInputs(foldIn(root, 'test-x'), cfg.nTest, d, cfg.precision);
    testSet = { X: Xt, fStar: multiIndexLabels(backend, Xt, ThetaT, target, 0, foldIn(root, 'noise-test')).fStar };
  }
  const testError = (theta: Float64Array): RiskEstimate => {
    const { W, a, b } = unpack(problem, theta);
    if (rule) {
      const { M, G } = overlapAndGram(W, m, ThetaT);
      return populationRisk(backend, rule, target, problem.activation, M, G, a, b);
    }
    const ts = testSet as { X: Matrix<FloatArray>; fStar: Float64Array };
    const p2: NetworkProblem = { ...problem, X: ts.X, y: ts.fStar, loss: makeLoss('square'), weightDecay: 0 };
    const r = lossAndGradient(p2, theta, null);
    return { value: 2 * r.dataLoss, standardError: 0, method: 'test-set' };
  };

  const recordAt = new Set(logSpacedSteps(steps, cfg.training.record));
  const hessianAt = new Map<number, HessianRecord['trigger']>();
  const at = cfg.hessian.at;
  if (Array.isArray(at)) for (const t of at) hessianAt.set(t, 'requested');
  else if (at === 'init') hessianAt.set(0, 'init');
  else if (at === 'final') hessianAt.set(steps, 'final');

  const theta = setup.theta0.slice();
  const grad = new Float64Array(P);
  const trajectory: TrajectoryPoint[] = [];
  const hessian: HessianRecord[] = [];
  const gradNorms: number[] = [];
  let phase1End: Phase1End | null = null;
  let split: { E: Float64Array; u: number } | null = null;
  const escape: EscapeRecord = { level: cfg.escape.level, step: null, time: null, status: 'no-phase1-end' };
  let time = 0;
  let cur = lossAndGradient(problem, theta, grad);
  let h = eta / cfg.training.flowSubsteps;

  const doHessian = (step: number, trigger: HessianRecord['trigger']) => {
    const rec = hessianSpectrum(setup, theta, { ...cfg.hessian, seed: cfg.seed, unlearned: split });
    hessian.push({ step, time, trigger, ...rec });
    for (const end of [rec.smallest, rec.largest]) if (end && !end.ok) warnings.push(`hessian at step ${step}: ${end.message}`);
  };

  for (let t = 0; ; t++) {
    const g = norm(grad);
    if (!Number.isFinite(g)) throw new DynamicsError('nan', `gradient norm is ${g} at step ${t}: training diverged (lower training.eta)`);
    gradNorms.push(g);
    const { W } = unpack(problem, theta);
    const { M, G } = overlapAndGram(W, m, ThetaT);
    const C = projectionInLatent(backend, M, G, m, k);

    if (!phase1End && t >= PHASE1_MIN_STEPS) {
      const slope = Math.abs(Math.log(g) - Math.log(gradNorms[Math.floor(t / 2)])) / Math.LN2;
      if (slope <= cfg.phase1.plateauTolerance || g <= cfg.phase1.gradientDrop * gradNorms[0]) {
        const s = splitLearned(backend, C, k, cfg.escape.level);
        split = { E: s.unlearned, u: s.u };
        const cur = unpack(problem, theta);
        const overlap = Array.from({ length: m }, (_, j) => Array.from(M.subarray(j * k, (j + 1) * k)));
        const orthogonalGram = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => G[i * m + j] - overlap[i].reduce((acc, v, l) => acc + v * overlap[j][l], 0)));
        phase1End = { step: t, time, gradNorm: g, learned: s.learned, cosines: Array.from(s.cosines), overlap, orthogonalGram, a: Array.from(cur.a), b: cur.b };
        escape.status = s.u === 0 ? 'nothing-unlearned' : 'not-reached';
        if (cfg.hessian.at === 'phase1-end') hessianAt.set(t, 'phase1-end');
      }
    }
    let unlearnedCosine: number | null = null;
    if (split && split.u > 0) {
      unlearnedCosine = subspaceCosine(C, k, split.E, split.u, backend);
      if (escape.step === null && unlearnedCosine >= cfg.escape.level) {
        escape.step = t;
        escape.time = time;
        escape.status = 'escaped';
      }
    }
    if (recordAt.has(t)) {
      const risk = testError(theta);
      trajectory.push({
        step: t,
        time,
        trainLoss: cur.dataLoss,
        testError: risk.value,
        testErrorSE: risk.standardError,
        gradNorm: g,
        overlap: Array.from({ length: m }, (_, j) => Array.from(M.subarray(j * k, (j + 1) * k))),
        cosines: Array.from(principalCosines(backend, C, k)),
        unlearnedCosine,
      });
    }
    const trig = hessianAt.get(t);
    if (trig) doHessian(t, trig);
    opts.onProgress?.(t, steps);
    if (t >= steps) break;

    if (cfg.training.mode === 'gd') {
      for (let i = 0; i < P; i++) theta[i] -= eta * grad[i];
      cur = lossAndGradient(problem, theta, grad);
      time += eta;
    } else {
      // Gradient flow over [time, time + eta]: Euler steps of size <= eta / flowSubsteps, halved whenever
      // the loss would increase, grown back by 1.25 after an accepted step.
      const hMax = eta / cfg.training.flowSubsteps;
      let left = eta;
      const trial = new Float64Array(P);
      const gTrial = new Float64Array(P);
      while (left > 1e-15 * eta) {
        const step = Math.min(h, left);
        for (let i = 0; i < P; i++) trial[i] = theta[i] - step * grad[i];
        const next = lossAndGradient(problem, trial, gTrial);
        if (next.loss > cur.loss + 1e-12 * Math.abs(cur.loss)) {
          h = step / 2;
          if (h < 1e-12 * eta) throw new DynamicsError('nan', `gradient flow: step size underflow at time ${time} (the loss increases for every step)`);
          continue;
        }
        theta.set(trial);
        grad.set(gTrial);
        cur = next;
        left -= step;
        time += step;
        h = Math.min(hMax, h * 1.25);
      }
    }
  }
  if (cfg.hessian.at === 'phase1-end' && !phase1End) warnings.push('hessian.at "phase1-end": the end of phase 1 was not detected within training.steps; no Hessian computed');
  const final = trajectory[trajectory.length - 1];
  return { seed: cfg.seed, parameters: P, testMethod: rule ? rule.method : 'test-set', trajectory, final, phase1End, escape, hessian, warnings };
}
