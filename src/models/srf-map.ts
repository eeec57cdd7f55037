/**
 * The spiked random-features (sRF) model of the network after one large gradient step: the map from an
 * experiment config to (c, r, gamma, rho, s0, M) of ../shared/spec/srf.md section 1.
 *
 * A NEUTRAL model definition (STYLE.md principle 13): the simulation engine uses it to draw the sRF model
 * directly, the theory engine (src/theory/srf) to solve its equations. It computes nothing of either.
 *
 * Model (Cui, Pesce, Dandi, Krzakala, Lu, Zdeborová, Loureiro, ICML 2024, arXiv 2402.04980, section 3,
 * the map (c, r, gamma) of the trained network to the sRF; Ba et al. 2022, arXiv 2205.01445, section 3, for the spike of the gradient): after
 * W1 = W0 + eta_tilde * N * G (step.scaling "sqrtN", so eta_tilde = step.eta) the first-layer weights are
 * modelled by the rows of
 *     F = sqrt(c) W + r 1 v^T        (W with unit-norm rows, v a unit vector independent of W),
 * features phi(x) = sigma(F x), and the teacher direction is beta* = gamma v + rho zeta, zeta ⊥ v unit.
 * With mu_k the student's and mu_k* the teacher's Hermite coefficients, m2* = E sigma_star(z)^2,
 * Var sigma' = E sigma'(z)^2 - mu1^2, E sigma'' = sqrt(2) mu2 (Stein), Delta the label-noise variance and
 * f0 the network output at initialisation:
 *     M     = E (y - f0)^2 = m2* + Delta - 2 f0 mu0* + f0^2,
 *     s0    = 1 + eta_tilde E[sigma''] (mu0* - f0)          (every neuron shrinks/grows along itself),
 *     r     = eta_tilde mu1 sqrt(mu1*^2 + M / alpha0),
 *     gamma = mu1* / sqrt(mu1*^2 + M / alpha0),   rho = sqrt(1 - gamma^2),
 *     c     = s0^2 + eta_tilde^2 M Var(sigma') / alpha0,      mean |w1_i|^2 = c + r^2.
 * Two variants:
 * - 'f0-corrected' (init.a = "constant", a0_i = 1/sqrt(N)): f0 = mu0 (the output at initialisation is
 *   (1/N) sum_i sigma(<w_i, x>) -> mu0). This generalisation is featlearn's (srf.md section 1): measured
 *   against simulated W1, not derived in the paper; a tanh student with a relu teacher at eta_tilde = 3
 *   still sits 3–5% above it (higher-order terms). With an odd student and an odd teacher (mu0 = mu0* = 0)
 *   it is exactly the paper's map.
 * - 'basic' (init.a = "gaussian" or "rademacher", a0_i = s_i / sqrt(N)): f0 = 0 (a random-sign sum).
 *   Neuron i then gets its own spike s_i r and scale s0_i = 1 + eta_tilde s_i E[sigma''] mu0*, bulk
 *   c_i = s0_i^2 + s_i^2 eta_tilde^2 M Var(sigma') / alpha0 (srf.md section 5): see `srfNeuronMap`.
 *   The top-level c, r, s0 are those of s = 1.
 * No step (step.eta = 0 or step.steps = 0): r = 0, c = 1, s0 = 1, variant 'no-step' (plain random features).
 *
 * Regime: proportional limit d, N, n0 -> infinity with alpha0 = n0/d fixed; the map depends on alpha0 only,
 * not on N = width (measured at N = d/2, d, 2d). init.W "gaussian" has neuron norms 1 + O(1/sqrt d):
 * asymptotically the same map (a note says so).
 */
import { ConfigError } from '../config/validate.js';
import { getActivation, hermiteExpansion, type Activation } from '../activations/index.js';
import { expectation } from '../numerics/gaussianQuadrature.js';
import type { ExperimentConfig } from './experiment-config.js';

/** The student's Gaussian moments the map needs (z ~ N(0, 1)). */
export interface SrfStudentMoments {
  /** E sigma(z) */
  mu0: number;
  /** E z sigma(z) = E sigma'(z) */
  mu1: number;
  /** E sigma(z) He_2(z) / sqrt(2) */
  mu2: number;
  /** E sigma''(z) = sqrt(2) mu2 (Stein's lemma; a delta mass at a kink counts, e.g. relu: 1/sqrt(2 pi)). */
  meanSecondDerivative: number;
  /** E sigma'(z)^2 */
  derivativeSecondMoment: number;
  /** Var sigma'(z) = E sigma'(z)^2 - mu1^2 */
  derivativeVariance: number;
}

/** The teacher link's Gaussian moments the map needs. */
export interface SrfTeacherMoments {
  /** E sigma_star(z) */
  mu0Star: number;
  /** E z sigma_star(z) */
  mu1Star: number;
  /** E sigma_star(z)^2 (includes mu0Star^2) */
  m2Star: number;
}

export type SrfMapVariant = 'f0-corrected' | 'basic' | 'no-step';

/** The sRF map of srf.md section 1 (all fields for readout sign s = 1; see `srfNeuronMap` for others). */
export interface SrfMap {
  variant: SrfMapVariant;
  /** eta_tilde = step.eta with step.scaling "sqrtN" (0 when there is no step). */
  etaTilde: number;
  /** alpha0 = n0 / d. */
  alpha0: number;
  /** Label-noise variance Delta (teacher.noise). */
  noise: number;
  /** Network output at initialisation used by the map: mu0 for constant a0, 0 for random a0. */
  f0: number;
  /** M = E (y - f0)^2 = m2* + Delta - 2 f0 mu0* + f0^2. */
  M: number;
  /** Scale of each initial weight after the step: s0 = 1 + eta_tilde E[sigma''] (mu0* - f0). */
  s0: number;
  /** Bulk variance: c = s0^2 + eta_tilde^2 M Var(sigma') / alpha0. */
  c: number;
  /** Spike strength: r = eta_tilde mu1 sqrt(mu1*^2 + M / alpha0). */
  r: number;
  /** Alignment of the spike direction v with beta*: gamma = mu1* / sqrt(mu1*^2 + M / alpha0). */
  gamma: number;
  /** rho = sqrt(1 - gamma^2): beta* = gamma v + rho zeta. */
  rho: number;
  /** Predicted mean squared neuron norm after the step, c + r^2. */
  neuronNormSquared: number;
  /** Readout initialisation the map was built for (config init.a). */
  readout: ExperimentConfig['init']['a'];
  student: SrfStudentMoments & { activation: string; parity: Activation['parity'] };
  teacher: SrfTeacherMoments & { link: string };
  /** Caveats a user should know (approximations, asymptotic equivalences). */
  notes: string[];
}

/** The map of one neuron with readout a0_i = s / sqrt(N) (srf.md section 5). */
export interface SrfNeuronMap {
  /** Spike strength of this neuron: s r. */
  r: number;
  /** Bulk variance of this neuron: s0(s)^2 + s^2 eta_tilde^2 M Var(sigma') / alpha0. */
  c: number;
  /** Scale of the initial weight: 1 + eta_tilde s E[sigma''] (mu0* - f0). */
  s0: number;
}

const SOURCE = 'sRF map (srf.md section 1)';

// Moments per Activation object (the registry returns the same object for a spec until it is re-registered).
const studentCache = new WeakMap<Activation, SrfStudentMoments>();
const teacherCache = new WeakMap<Activation, SrfTeacherMoments>();

/** Student moments: closed forms or quadrature (src/activations), E sigma'^2 by quadrature split at the kinks. */
export function srfStudentMoments(activation: Activation | string): SrfStudentMoments {
  const act = typeof activation === 'string' ? getActivation(activation) : activation;
  const hit = studentCache.get(act);
  if (hit) return { ...hit };
  const e = hermiteExpansion(act, 2);
  const [mu0, mu1, mu2] = e.mu;
  const derivativeSecondMoment = expectation(
    (z) => {
      const g = act.derivative(z);
      return g * g;
    },
    { kinks: act.kinks },
  );
  let derivativeVariance = derivativeSecondMoment - mu1 * mu1;
  if (derivativeVariance < 0 && derivativeVariance > -1e-12 * Math.max(1, derivativeSecondMoment)) derivativeVariance = 0;
  const out = { mu0, mu1, mu2, meanSecondDerivative: Math.SQRT2 * mu2, derivativeSecondMoment, derivativeVariance };
  studentCache.set(act, out);
  return { ...out };
}

/** Teacher-link moments (closed forms or quadrature, src/activations). */
export function srfTeacherMoments(link: Activation | string): SrfTeacherMoments {
  const act = typeof link === 'string' ? getActivation(link) : link;
  const hit = teacherCache.get(act);
  if (hit) return { ...hit };
  const e = hermiteExpansion(act, 1);
  const out = { mu0Star: e.mu[0], mu1Star: e.mu[1], m2Star: e.secondMoment };
  teacherCache.set(act, out);
  return { ...out };
}

/**
 * The map from moments and step parameters (srf.md section 1), for readout sign s = 1.
 * `f0` is the network output at initialisation (mu0 for constant a0, 0 for random a0).
 */
export function srfMapFromMoments(
  student: SrfStudentMoments,
  teacher: SrfTeacherMoments,
  p: { etaTilde: number; alpha0: number; noise: number; f0: number },
): Pick<SrfMap, 'M' | 's0' | 'c' | 'r' | 'gamma' | 'rho' | 'neuronNormSquared'> {
  const { etaTilde, alpha0, noise, f0 } = p;
  const M = teacher.m2Star + noise - 2 * f0 * teacher.mu0Star + f0 * f0;
  if (etaTilde === 0 || alpha0 === 0) {
    const gamma = alpha0 > 0 ? teacher.mu1Star / Math.sqrt(teacher.mu1Star ** 2 + M / alpha0) : 0;
    return { M, s0: 1, c: 1, r: 0, gamma, rho: Math.sqrt(Math.max(0, 1 - gamma * gamma)), neuronNormSquared: 1 };
  }
  const spikeNorm = Math.sqrt(teacher.mu1Star ** 2 + M / alpha0); // |u| with u = X0^T (y0 - f0) / n0
  const s0 = 1 + etaTilde * student.meanSecondDerivative * (teacher.mu0Star - f0);
  const r = etaTilde * student.mu1 * spikeNorm;
  const gamma = spikeNorm > 0 ? teacher.mu1Star / spikeNorm : 0;
  const c = s0 * s0 + (etaTilde * etaTilde * M * student.derivativeVariance) / alpha0;
  return { M, s0, c, r, gamma, rho: Math.sqrt(Math.max(0, 1 - gamma * gamma)), neuronNormSquared: c + r * r };
}

/** eta_tilde of the config, or a ConfigError when the step is not the single large step of the sRF model. */
function etaTildeOf(config: ExperimentConfig): number {
  const step = config.step;
  if (step.steps === 0 || step.eta === 0) return 0;
  const issues: string[] = [];
  if (step.steps !== 1) issues.push(`step.steps: the sRF model describes ONE gradient step, got ${step.steps}`);
  if (step.scaling === 'one') {
    issues.push('step.scaling: the sRF model is the large step ("sqrtN", eta = eta_tilde sqrt(N)); got "one" (the small step: use the Gaussian-equivalent theory)');
  } else if (step.scaling === 'power' && step.exponent !== 0.5) {
    issues.push(`step.exponent: with step.scaling "power" the sRF model needs exponent 0.5 (the "sqrtN" step), got ${String(step.exponent)}`);
  }
  if (issues.length > 0) throw new ConfigError(issues, SOURCE);
  return step.eta;
}

/**
 * The sRF map of an experiment config (srf.md section 1; see the module comment). Throws a ConfigError
 * for configs outside the model: more than one step, a step scaling other than "sqrtN" (or "power" with
 * exponent 0.5), a teacher that is not single-index, or a discontinuous student (sign: E sigma'^2 is
 * infinite) with a non-zero step.
 */
export function srfMap(config: ExperimentConfig): SrfMap {
  if (config.teacher.kind !== 'single-index') {
    throw new ConfigError([`teacher.kind: the sRF model needs a single-index teacher, got "${String(config.teacher.kind)}"`], SOURCE);
  }
  const etaTilde = etaTildeOf(config);
  const studentAct = getActivation(config.student.activation);
  if (etaTilde !== 0 && !studentAct.continuous) {
    throw new ConfigError(
      [`student.activation: the sRF map needs a continuous student (it uses E sigma'(z)^2, infinite for a jump), got "${config.student.activation}"`],
      SOURCE,
    );
  }
  const student = srfStudentMoments(studentAct);
  const teacher = srfTeacherMoments(config.teacher.link);
  const noise = config.teacher.noise;
  const alpha0 = config.alpha0;
  const readout = config.init.a;
  const f0 = readout === 'constant' ? student.mu0 : 0;
  const core = srfMapFromMoments(student, teacher, { etaTilde, alpha0, noise, f0 });
  const variant: SrfMapVariant = etaTilde === 0 || alpha0 === 0 ? 'no-step' : readout === 'constant' ? 'f0-corrected' : 'basic';
  const notes: string[] = [];
  if (variant === 'f0-corrected' && (Math.abs(f0) > 1e-12 || Math.abs(core.s0 - 1) > 1e-12)) {
    notes.push(
      'the f0 correction of the map (output at initialisation f0 = mu0, shrink factor s0) is featlearn\'s generalisation (srf.md section 1), measured on simulated steps, not derived in Cui et al. 2024; expect a few % deviation at large eta_tilde',
    );
  }
  if (variant === 'basic') {
    notes.push(`init.a = "${readout}": neuron i gets spike s_i r and bulk c(s_i) (srfNeuronMap); the top-level c, r are for s = 1`);
  }
  if (config.init.W === 'gaussian') {
    notes.push('init.W = "gaussian": neuron norms are 1 + O(1/sqrt(d)); the map assumes unit norms (asymptotically equivalent)');
  }
  return {
    variant,
    etaTilde,
    alpha0,
    noise,
    f0,
    ...core,
    readout,
    student: { ...student, activation: studentAct.name, parity: studentAct.parity },
    teacher: { ...teacher, link: config.teacher.link },
    notes,
  };
}

/**
 * The map of a neuron whose readout at initialisation is a0_i = s / sqrt(N) (srf.md section 5): spike s r,
 * scale s0(s) = 1 + eta_tilde s E[sigma''] (mu0* - f0), bulk c(s) = s0(s)^2 + s^2 eta_tilde^2 M Var(sigma') / alpha0.
 * s = 1 gives the top-level fields of `map`.
 */
export function srfNeuronMap(map: SrfMap, s: number): SrfNeuronMap {
  if (!Number.isFinite(s)) throw new RangeError(`srfNeuronMap: s must be a finite number, got ${s}`);
  if (map.variant === 'no-step') return { r: 0, c: 1, s0: 1 };
  const s0 = 1 + map.etaTilde * s * map.student.meanSecondDerivative * (map.teacher.mu0Star - map.f0);
  const bulk = (map.etaTilde * map.etaTilde * map.M * map.student.derivativeVariance) / map.alpha0;
  return { r: s * map.r, c: s0 * s0 + s * s * bulk, s0 };
}
