/**
 * Gaussian moments of the student activation and the teacher link that the one-step theories use
 * (notation of ../shared/spec/README.md; z ~ N(0, 1)): mu0 = E sigma(z), mu1 = E z sigma(z),
 * mu2 = E sigma(z) He_2(z)/sqrt 2, mu_perp^2 = E sigma^2 - mu0^2 - mu1^2, and the same with a star for the
 * link, m2* = E sigma_star^2 (includes mu0*^2). From src/activations (closed forms or quadrature split at
 * the kinks). `dMu0` = d/ds E sigma(s z) at s = 1 = E z sigma'(z) = sqrt(2) mu2 (Stein's lemma): how the
 * mean of a neuron moves with its norm (it matters for gaussian W0, whose norms are 1 + O(1/sqrt d)).
 */
import { gaussianCoefficients, getActivation, type Activation } from '../activations/index.js';

// Memoised per Activation object (the registry returns the same object for a name until it is
// re-registered, which yields a new object), so sweeps do not repeat the quadratures.
const studentCache = new WeakMap<Activation, StudentMoments>();
const teacherCache = new WeakMap<Activation, TeacherMoments>();

export interface StudentMoments {
  activation: string;
  mu0: number;
  mu1: number;
  mu2: number;
  muPerp2: number;
  secondMoment: number;
  /** d/ds E sigma(s z) at s = 1 (= sqrt(2) mu2). */
  dMu0: number;
}

export interface TeacherMoments {
  link: string;
  mu0Star: number;
  mu1Star: number;
  /** E sigma_star^2 (includes mu0*^2). */
  m2Star: number;
  muPerpStar2: number;
}

export function studentMoments(activation: string): StudentMoments {
  const act = getActivation(activation);
  const hit = studentCache.get(act);
  if (hit) return { ...hit, activation };
  const g = gaussianCoefficients(act);
  const m = { activation, mu0: g.mu0, mu1: g.mu1, mu2: g.mu2, muPerp2: g.muPerpSquared, secondMoment: g.secondMoment, dMu0: Math.SQRT2 * g.mu2 };
  studentCache.set(act, m);
  return { ...m };
}

export function teacherMoments(link: string): TeacherMoments {
  const act = getActivation(link);
  const hit = teacherCache.get(act);
  if (hit) return { ...hit, link };
  const g = gaussianCoefficients(act);
  const m = { link, mu0Star: g.mu0, mu1Star: g.mu1, m2Star: g.secondMoment, muPerpStar2: g.muPerpSquared };
  teacherCache.set(act, m);
  return { ...m };
}
