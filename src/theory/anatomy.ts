/**
 * The anatomy of one gradient step (one-step.md section 2; Ba, Erdogdu, Suzuki, Wang, Wu, Yang 2022,
 * arXiv 2205.01445, Proposition 2 and section 3 for the spike of the gradient; Benaych-Georges &
 * Nadakuditi 2012, "The singular values and vectors of low rank perturbations of large rectangular random
 * matrices", arXiv 1103.2221, section 3.1, for the rectangular BBP transition).
 *
 * Gradient spike: sqrt(N) G = mu1 u a0^T + Delta_G with |Delta_G|_op -> 0, u = X0^T (y0 - f0) / n0, and
 *     <u, beta*> -> mu1*,   |u|^2 -> mu1*^2 + M / alpha0,   gamma^2 = cos^2(u, beta*) = mu1*^2 / |u|^2,
 * M = E (y - f0)^2: f0 -> mu0 for constant a0 (M = m2* + Delta - 2 mu0 mu0* + mu0^2), f0 -> 0 for gaussian
 * or rademacher a0 (M = m2* + Delta). |a0| = 1 for every init.a, so the top singular value of sqrt(N) G is
 * |mu1| |u| (its right singular vector a0/|a0|).
 * Small step (scaling "one", eta_eff = eta): W1 = W0 + theta (u/|u|)(a0/|a0|)^T with theta = eta |mu1| |u|,
 * c = N/d, W0 with i.i.d. N(0, 1/d) entries or unit columns (bulk edge 1 + sqrt c). An outlier separates iff
 * theta > c^(1/4):
 *     s1(W1) -> sqrt((1 + theta^2)(c + theta^2)) / theta                   (else the bulk edge 1 + sqrt c),
 *     |<top left sv, u/|u|>|^2 -> 1 - (c + theta^2) / (theta^2 (theta^2 + 1)),   with beta*: times gamma^2,
 *     |<top right sv, a0/|a0|>|^2 -> 1 - c (1 + theta^2) / (theta^2 (theta^2 + c)).
 * Large step (scaling "sqrtN", the sRF regime of Cui et al. 2024, arXiv 2402.04980, section 3): the bulk
 * itself changes, W1^T ≈ sqrt(c_srf) W + r 1 v^T (src/models/srf-map.ts); treating the bulk as an isotropic
 * random matrix of scale sqrt(c_srf), the same formulas apply with theta = r sqrt(N) / sqrt(c_srf) and all
 * singular values times sqrt(c_srf). That is an approximation (the bulk of the gradient is not isotropic):
 * the result says so. Several steps are not covered.
 */
import type { ExperimentConfig } from '../models/experiment-config.js';
import { srfMap } from '../models/srf-map.js';
import { studentMoments, teacherMoments } from './moments.js';

export interface BbpPrediction {
  /** Aspect ratio c = N/d. */
  c: number;
  /** Spike strength in units of the bulk. */
  theta: number;
  /** c^(1/4): the outlier separates iff theta exceeds it. */
  threshold: number;
  separated: boolean;
  /** Predicted top singular value (the bulk edge when not separated), in units of the bulk. */
  topSingularValue: number;
  bulkEdge: number;
  /** Squared overlap of the top left singular vector (d side) with the spike's left vector (0 below threshold). */
  leftOverlap2: number;
  /** Squared overlap of the top right singular vector (N side) with a0/|a0| (0 below threshold). */
  rightOverlap2: number;
}

/**
 * Rectangular BBP transition for X + theta p q^T, X (d x N) with i.i.d. N(0, 1/d) entries, c = N/d, unit p, q
 * (Benaych-Georges & Nadakuditi 2012, arXiv 1103.2221, section 3.1, Gaussian case; module comment).
 */
export function rectangularBbp(c: number, theta: number): BbpPrediction {
  if (!(c > 0) || !Number.isFinite(c)) throw new RangeError(`rectangularBbp: c must be a finite number > 0, got ${c}`);
  if (!Number.isFinite(theta)) throw new RangeError(`rectangularBbp: theta must be finite, got ${theta}`);
  const t = Math.abs(theta);
  const threshold = c ** 0.25;
  const bulkEdge = 1 + Math.sqrt(c);
  const t2 = t * t;
  if (!(t > threshold)) return { c, theta: t, threshold, separated: false, topSingularValue: bulkEdge, bulkEdge, leftOverlap2: 0, rightOverlap2: 0 };
  return {
    c,
    theta: t,
    threshold,
    separated: true,
    topSingularValue: Math.sqrt((1 + t2) * (c + t2)) / t,
    bulkEdge,
    leftOverlap2: 1 - (c + t2) / (t2 * (t2 + 1)),
    rightOverlap2: 1 - (c * (1 + t2)) / (t2 * (t2 + c)),
  };
}

export interface StepAnatomy {
  scaling: ExperimentConfig['step']['scaling'];
  /** true when the config takes no step (steps = 0, eta = 0 or n0 = 0). */
  noStep: boolean;
  /** f0 used for M: mu0 for constant a0, 0 otherwise. */
  f0: number;
  /** M = E (y - f0)^2. */
  M: number;
  /** |u| = sqrt(mu1*^2 + M / alpha0). */
  uNorm: number;
  /** <u, beta*> -> mu1*. */
  uDotBeta: number;
  /** gamma^2 = cos^2(u, beta*). */
  gamma2: number;
  /** Signed cos(u, beta*) = mu1* / |u|. */
  gamma: number;
  /** Top singular value of sqrt(N) G: |mu1| |u| (|a0| = 1). */
  gradientSpike: number;
  /** Signed spike strength of W1 - W0 along (u/|u|)(a0/|a0|)^T: eta_eff mu1 |u| (small step). */
  theta: number;
  /** BBP prediction for W1 (singular values in the units of W1). */
  bbp: BbpPrediction & { scale: number };
  /** Squared overlap of W1's top left singular vector with beta*: leftOverlap2 * gamma^2. */
  overlapBeta2: number;
  /** The sRF map (large step only). */
  srf?: { c: number; r: number; gamma: number };
  notes: string[];
}

/** The predicted anatomy of the config's step (module comment). */
export function stepAnatomy(config: ExperimentConfig): StepAnatomy {
  const s = studentMoments(config.student.activation);
  const t = teacherMoments(config.teacher.link);
  const notes: string[] = [];
  const Delta = config.teacher.noise;
  const f0 = config.init.a === 'constant' ? s.mu0 : 0;
  const M = t.m2Star + Delta - 2 * f0 * t.mu0Star + f0 * f0;
  const alpha0 = config.alpha0;
  const noStep = config.step.steps === 0 || config.step.eta === 0 || config.n0 === 0;
  const uNorm = alpha0 > 0 ? Math.sqrt(t.mu1Star ** 2 + M / alpha0) : Infinity;
  const gamma = alpha0 > 0 ? t.mu1Star / uNorm : 0;
  const c = config.width / config.d;
  if (config.step.steps > 1) notes.push(`step.steps = ${config.step.steps}: the anatomy describes the first step only`);
  let theta = 0;
  let bbp: StepAnatomy['bbp'];
  let srf: StepAnatomy['srf'];
  if (noStep) {
    bbp = { ...rectangularBbp(c, 0), scale: 1 };
  } else if (config.step.scaling === 'one' || (config.step.scaling === 'power' && config.step.exponent === 0)) {
    theta = config.step.eta * s.mu1 * uNorm;
    bbp = { ...rectangularBbp(c, theta), scale: 1 };
  } else {
    const etaEff = config.step.scaling === 'sqrtN' ? config.step.eta * Math.sqrt(config.width) : config.step.eta * config.width ** (config.step.exponent ?? 0);
    theta = etaEff * s.mu1 * uNorm;
    const large = config.step.scaling === 'sqrtN' || config.step.exponent === 0.5;
    if (large) {
      // the sRF map of the FIRST step (srf.md section 1)
      const map = srfMap({ ...config, step: { ...config.step, scaling: 'sqrtN', exponent: undefined, steps: 1 } });
      srf = { c: map.c, r: map.r, gamma: map.gamma };
      const scale = Math.sqrt(map.c);
      bbp = { ...rectangularBbp(c, (map.r * Math.sqrt(config.width)) / scale), scale };
      bbp.topSingularValue *= scale;
      bbp.bulkEdge *= scale;
      notes.push('large step: W1 modelled as sqrt(c) (isotropic bulk) + r 1 v^T (sRF map); the BBP values are approximate');
    } else {
      bbp = { ...rectangularBbp(c, theta), scale: 1 };
      notes.push(`step.scaling "power" with exponent ${config.step.exponent}: the BBP values assume an unchanged bulk (exact only for a small step)`);
    }
  }
  return {
    scaling: config.step.scaling,
    noStep,
    f0,
    M,
    uNorm,
    uDotBeta: t.mu1Star,
    gamma2: gamma * gamma,
    gamma,
    gradientSpike: Math.abs(s.mu1) * uNorm,
    theta,
    bbp,
    overlapBeta2: bbp.leftOverlap2 * gamma * gamma,
    srf,
    notes,
  };
}
