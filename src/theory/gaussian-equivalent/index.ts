/**
 * Gaussian-equivalent ridge risk of the network after no step or a small step (step.scaling "one"):
 * one-step.md section 3 (Ba et al. 2022, arXiv 2205.01445, section 3). Two versions:
 * - 'mp' (default): the asymptotic equivalent, Marchenko–Pastur bulk plus the rank-one spike
 *   (asymptotic.ts), no sampling;
 * - 'sampled': the finite-size equivalent (finite.ts) of one drawn W1 = diag-rescaled W0 + theta p q^T
 *   (asymptotic.ts: w1_i = (1 + scaleShift q_i) w0_i + theta p q_i) — W0 drawn as the
 *   config's init.W, q = a0/|a0| as its init.a, beta* = e_1, p = gamma e_1 + rho e_2 (rotation invariance) —
 *   with theta and gamma of the step's anatomy (src/theory/anatomy.ts). This is the theory's own rank-one
 *   model of the step, not the simulated network. Needs a LinalgBackend (theory imports nothing Node-only).
 * Refused (ConfigError): the large step ("sqrtN", or "power" with exponent != 0), several steps.
 */
import type { LinalgBackend } from '../../linalg/backend.js';
import type { Matrix } from '../../linalg/matrix.js';
import { ConfigError } from '../../config/validate.js';
import type { ExperimentConfig } from '../../models/experiment-config.js';
import { foldIn, rootKey, checkKey, type Key } from '../../random/key.js';
import { fillNormalPortable } from '../../random/portable.js';
import { stepAnatomy } from '../anatomy.js';
import { studentMoments, teacherMoments } from '../moments.js';
import { geAsymptotic } from './asymptotic.js';
import { finiteGeRisk, lambdaPrime, prepareFiniteGe, type FiniteGe } from './finite.js';
import type { RidgeEquivalentResult } from './ridge-equivalent.js';

export { geAsymptotic, type GeAsymptoticParams } from './asymptotic.js';
export { finiteGeRisk, lambdaPrime, neuronCoefficients, prepareFiniteGe, type FiniteGe, type FiniteGeSetup, type NeuronCoefficients } from './finite.js';
export { mpStieltjes, scaledMpStieltjes, type MpStieltjes } from './marchenko-pastur.js';
export { ridgeEquivalent, type RidgeEquivalentProblem, type RidgeEquivalentResult } from './ridge-equivalent.js';

const SOURCE = 'Gaussian-equivalent theory (one-step.md section 3)';

export interface GeTheoryOptions {
  /** Default config.theory.spectrum. */
  spectrum?: 'mp' | 'sampled';
  /** Linear algebra for 'sampled' (pass getBackend()). */
  backend?: LinalgBackend;
  /** Key of the 'sampled' draw (default foldIn(rootKey(config.seed), 'theory-ge')). */
  key?: Key;
  /** A prepared finite-size model to reuse (sweeps over alpha or lambda). */
  prepared?: FiniteGe;
}

export interface GeSpike {
  theta: number;
  gamma: number;
  direction: 'mean' | 'random';
  /** w1_i = (1 + scaleShift q_i) w0_i + theta p q_i: scaleShift = eta (mu0* - f0) E[sigma''] (asymptotic.ts). */
  scaleShift: number;
}

export interface GeOrderParameters {
  kappa: number;
  df1: number;
  df2: number;
  /** b^T Sigma^{-1} b */
  explained: number;
  /** E f*^2 - b^T Sigma^{-1} b */
  approximationError: number;
}

interface GeCommon {
  method: 'gaussian-equivalent';
  spectrum: 'mp' | 'sampled';
  spike: GeSpike | null;
  orderParameters: GeOrderParameters;
  iterations: number;
  residual: number;
  warnings: string[];
  /** The prepared finite-size model ('sampled'), for reuse. */
  prepared?: FiniteGe;
}

export type GeTheoryResult =
  | (GeCommon & { ok: true; converged: true; risk: number; testMSE: number; trainError: number; bias: number; variance: number })
  | (GeCommon & { ok: false; converged: false; reason: string; message: string });

/** Throws a ConfigError unless Gaussian equivalence applies to the config's step. */
export function checkGaussianEquivalent(config: ExperimentConfig): void {
  const s = config.step;
  const noStep = s.steps === 0 || s.eta === 0 || config.n0 === 0;
  if (noStep) return;
  const issues: string[] = [];
  if (s.scaling === 'sqrtN' || (s.scaling === 'power' && s.exponent !== 0)) {
    issues.push(`step.scaling: Gaussian equivalence holds for no step or the small step "one" (eta_eff = O(1)), got "${s.scaling}"${s.scaling === 'power' ? ` with exponent ${s.exponent}` : ''}; use theory.method "srf" for the large step`);
  }
  if (s.steps > 1) issues.push(`step.steps: the Gaussian-equivalent theory covers one step, got ${s.steps}`);
  if (issues.length > 0) throw new ConfigError(issues, SOURCE);
}

/** The spike theta p q^T of the small step (null without a step). */
export function geSpike(config: ExperimentConfig): GeSpike | null {
  const a = stepAnatomy(config);
  if (a.noStep) return null;
  const s = studentMoments(config.student.activation);
  const t = teacherMoments(config.teacher.link);
  const scaleShift = config.step.eta * (t.mu0Star - a.f0) * s.dMu0;
  return { theta: a.theta, gamma: a.gamma, direction: config.init.a === 'constant' ? 'mean' : 'random', scaleShift };
}

/** Draws the theory's rank-one model of W1 (module comment) and prepares the finite-size equivalent. */
export function sampleFiniteGe(config: ExperimentConfig, backend: LinalgBackend, key: Key = foldIn(rootKey(config.seed), 'theory-ge')): FiniteGe {
  checkKey('key', key);
  const { d, width: N } = config;
  if (d < 2) throw new ConfigError([`d: the sampled Gaussian equivalent needs d >= 2, got ${d}`], SOURCE);
  const W: Matrix<Float64Array> = { rows: d, cols: N, data: new Float64Array(d * N) };
  const kW = foldIn(key, 'W0');
  fillNormalPortable(kW[0], kW[1], W.data, 0, 0, 1 / Math.sqrt(d));
  if (config.init.W === 'sphere') {
    for (let i = 0; i < N; i++) {
      let s = 0;
      for (let r = 0; r < d; r++) s += W.data[r * N + i] ** 2;
      const inv = 1 / Math.sqrt(s);
      for (let r = 0; r < d; r++) W.data[r * N + i] *= inv;
    }
  }
  const spike = geSpike(config);
  if (spike && (spike.theta !== 0 || spike.scaleShift !== 0)) {
    const q = new Float64Array(N);
    if (config.init.a === 'constant') q.fill(1);
    else {
      const kq = foldIn(key, 'a0');
      fillNormalPortable(kq[0], kq[1], q, 0, 0, 1);
      if (config.init.a === 'rademacher') for (let i = 0; i < N; i++) q[i] = q[i] >= 0 ? 1 : -1;
    }
    let qn = 0;
    for (let i = 0; i < N; i++) qn += q[i] * q[i];
    qn = Math.sqrt(qn);
    const rho = Math.sqrt(Math.max(0, 1 - spike.gamma ** 2));
    for (let i = 0; i < N; i++) {
      const scale = 1 + (spike.scaleShift * q[i]) / qn;
      for (let r = 0; r < d; r++) W.data[r * N + i] *= scale;
      const qi = (spike.theta * q[i]) / qn;
      W.data[0 * N + i] += spike.gamma * qi;
      W.data[1 * N + i] += rho * qi;
    }
  }
  const betaStar = new Float64Array(d);
  betaStar[0] = 1;
  return prepareFiniteGe(W, betaStar, { activation: config.student.activation, teacher: teacherMoments(config.teacher.link), noise: config.teacher.noise, intercept: config.ridge.intercept }, backend);
}

function wrap(r: RidgeEquivalentResult, spectrum: 'mp' | 'sampled', spike: GeSpike | null, warnings: string[], prepared?: FiniteGe): GeTheoryResult {
  const orderParameters = { kappa: r.kappa, df1: r.df1, df2: r.df2, explained: r.explained, approximationError: r.approximationError };
  const common = { method: 'gaussian-equivalent' as const, spectrum, spike, orderParameters, iterations: r.iterations, residual: r.residual, warnings, prepared };
  if (!r.ok) return { ...common, ok: false, converged: false, reason: r.reason, message: r.message };
  return { ...common, ok: true, converged: true, risk: r.risk, testMSE: r.testMSE, trainError: r.trainError, bias: r.bias, variance: r.variance };
}

/** The Gaussian-equivalent prediction for one config (module comment). */
export function gaussianEquivalentTheory(config: ExperimentConfig, opts: GeTheoryOptions = {}): GeTheoryResult {
  checkGaussianEquivalent(config);
  const spectrum = opts.spectrum ?? config.theory.spectrum;
  const spike = geSpike(config);
  const warnings: string[] = [];
  if (spectrum === 'sampled') {
    if (!opts.prepared && !opts.backend) throw new ConfigError(['theory.spectrum: "sampled" needs a linear-algebra backend (pass { backend: getBackend() })'], SOURCE);
    const prepared = opts.prepared ?? sampleFiniteGe(config, opts.backend as LinalgBackend, opts.key);
    return wrap(finiteGeRisk(prepared, config.n, config.ridge.lambda, config.ridge.normalization), 'sampled', spike, warnings, prepared);
  }
  const s = studentMoments(config.student.activation);
  const t = teacherMoments(config.teacher.link);
  if (!(s.muPerp2 > 1e-14 * Math.max(1, s.mu1 ** 2))) {
    throw new ConfigError(
      [`student.activation: "${config.student.activation}" is linear (mu_perp = 0); the asymptotic Gaussian equivalent needs a non-linear student; use theory.spectrum "sampled"`],
      SOURCE,
    );
  }
  if (spike && spike.direction === 'mean' && Math.abs(s.mu0) > 1e-12 && !config.ridge.intercept) {
    warnings.push('constant a0 with a student of non-zero mean and no intercept: the spike lies along the mean direction and its benefit vanishes like N^{-1/2}; the asymptotic value keeps N finite for that term');
  }
  const r = geAsymptotic({
    student: s,
    teacher: t,
    noise: config.teacher.noise,
    psi: config.width / config.d,
    alpha: config.n / config.d,
    width: config.width,
    lambdaPrime: lambdaPrime(config.ridge.lambda, config.ridge.normalization, config.width, config.n),
    spike,
    normFluctuation: config.init.W === 'gaussian',
    intercept: config.ridge.intercept,
  });
  return wrap(r, 'mp', spike, warnings);
}
