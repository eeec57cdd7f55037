/**
 * Gaussian moments of activations, the inputs of every theory formula (../shared/spec/README.md):
 *   mu_k = E[sigma(m + s Z) He_k(Z)] / sqrt(k!),  mu_perp^2 = E sigma(m + s Z)^2 - mu_0^2 - mu_1^2,
 * for Z ~ N(0, 1), input scale s (per-neuron norms: sigma(|w| z)) and shift m (conditional coefficients
 * of srf.md section 2: sigma(r kappa + sqrt(c) z)).
 *
 * Closed forms where they exist (./closedForms.ts, polynomials exactly); otherwise quadrature
 * (src/numerics/hermiteCoefficients.ts) split at the activation's kinks mapped to z = (kink - m)/s.
 * Negative s uses mu_k(-s) = (-1)^k mu_k(s); s = 0 gives the constant sigma(m).
 * Kernels E sigma(U) tau(V) use Mehler's formula with its Cauchy–Schwarz truncation bound and fall back
 * to 2-D quadrature when the bound is not small enough.
 */
import { integrateGaussian, integrateGaussian2, QuadratureError, type GaussianQuadratureOptions } from '../numerics/gaussianQuadrature.js';
import { hermiteCoefficientsByQuadrature } from '../numerics/hermiteCoefficients.js';
import { MAX_POLYNOMIAL_DEGREE } from '../numerics/hermite.js';
import { mehlerSum } from '../numerics/mehler.js';
import { NumericsError } from '../numerics/errors.js';
import { getActivation } from './registry.js';
import type { Activation } from './types.js';

export interface CoefficientOptions {
  /** Input scale s in sigma(m + s z) (default 1). */
  scale?: number;
  /** Input shift m in sigma(m + s z) (default 0). */
  shift?: number;
  /** 'auto' (default): closed form if available, else quadrature. */
  method?: 'auto' | 'closed-form' | 'quadrature';
  /** Options of the quadrature (tolerances, orders). */
  quadrature?: GaussianQuadratureOptions;
}

export interface HermiteExpansion {
  /** mu_0 .. mu_K (normalised Hermite coefficients). */
  mu: number[];
  /** E sigma(m + s Z)^2. */
  secondMoment: number;
  /** How mu was obtained. */
  method: 'closed-form' | 'quadrature';
}

function resolve(act: Activation | string): Activation {
  return typeof act === 'string' ? getActivation(act) : act;
}

function checkArgs(routine: string, K: number, opts: CoefficientOptions): { s: number; m: number } {
  if (!Number.isInteger(K) || K < 0 || K > MAX_POLYNOMIAL_DEGREE) {
    throw new NumericsError(routine, `K must be an integer in [0, ${MAX_POLYNOMIAL_DEGREE}], got ${K}`);
  }
  const s = opts.scale ?? 1;
  const m = opts.shift ?? 0;
  if (typeof s !== 'number' || !Number.isFinite(s)) throw new NumericsError(routine, `scale must be a finite number, got ${s}`);
  if (typeof m !== 'number' || !Number.isFinite(m)) throw new NumericsError(routine, `shift must be a finite number, got ${m}`);
  const method = opts.method ?? 'auto';
  if (method !== 'auto' && method !== 'closed-form' && method !== 'quadrature') {
    throw new NumericsError(routine, `method must be one of "auto" | "closed-form" | "quadrature", got ${JSON.stringify(method)}`);
  }
  return { s, m };
}

/** E sigma(m + s Z)^2 by quadrature (kinks mapped), throwing on failure. */
function secondMomentByQuadrature(act: Activation, s: number, m: number, q: GaussianQuadratureOptions | undefined): number {
  const r = integrateGaussian(
    (z) => {
      const v = act.value(m + s * z);
      return v * v;
    },
    { ...q, kinks: act.kinks.map((k) => (k - m) / s) },
  );
  if (!r.ok) throw new NumericsError('hermiteExpansion', `E ${act.name}(${m} + ${s} Z)^2: quadrature ${r.reason} (error estimate ${r.errorEstimate})`);
  return r.value;
}

/**
 * mu_0..mu_K and E sigma^2 of z -> sigma(shift + scale z) (see the module comment). Throws a
 * NumericsError if quadrature does not converge, or if method 'closed-form' is asked of an activation
 * without one.
 */
export function hermiteExpansion(activation: Activation | string, K: number, opts: CoefficientOptions = {}): HermiteExpansion {
  const routine = 'hermiteExpansion';
  const act = resolve(activation);
  const { s, m } = checkArgs(routine, K, opts);
  const method = opts.method ?? 'auto';
  if (s === 0) {
    const v = act.value(m);
    const mu = new Array<number>(K + 1).fill(0);
    mu[0] = v;
    return { mu, secondMoment: v * v, method: 'closed-form' };
  }
  const sa = Math.abs(s);
  let result: HermiteExpansion;
  if (method !== 'quadrature' && act.closedForm) {
    const mu = act.closedForm.coefficients(K, sa, m);
    const m2 = act.closedForm.secondMoment(sa, m) ?? secondMomentByQuadrature(act, sa, m, opts.quadrature);
    result = { mu, secondMoment: m2, method: 'closed-form' };
  } else if (method === 'closed-form') {
    throw new NumericsError(routine, `activation "${act.name}" has no closed-form coefficients; use method "auto" or "quadrature"`);
  } else {
    const r = hermiteCoefficientsByQuadrature((z) => act.value(m + sa * z), K, { ...opts.quadrature, kinks: act.kinks.map((k) => (k - m) / sa) });
    if (!r.ok) {
      throw new NumericsError(
        routine,
        `coefficients of ${act.name}(${m} + ${sa} z): quadrature ${r.reason} with the ${r.rule} rule of order ${r.order} (error estimate ${r.errorEstimate})`,
      );
    }
    result = { mu: r.mu, secondMoment: r.secondMoment, method: 'quadrature' };
  }
  for (const v of result.mu) if (!Number.isFinite(v)) throw new NumericsError(routine, `coefficients of ${act.name} are not finite: ${result.mu}`);
  if (s < 0) result.mu = result.mu.map((v, k) => (k % 2 === 1 ? -v : v));
  return result;
}

/** mu_0 .. mu_K of z -> sigma(shift + scale z). */
export function hermiteCoefficients(activation: Activation | string, K: number, opts: CoefficientOptions = {}): number[] {
  return hermiteExpansion(activation, K, opts).mu;
}

/** E sigma(shift + scale Z)^2. */
export function activationSecondMoment(activation: Activation | string, opts: CoefficientOptions = {}): number {
  return hermiteExpansion(activation, 0, opts).secondMoment;
}

/** The coefficients the theory uses (notation of ../shared/spec/README.md). */
export interface GaussianCoefficients {
  mu0: number;
  mu1: number;
  mu2: number;
  /** E sigma^2 */
  secondMoment: number;
  /** mu_perp^2 = E sigma^2 - mu0^2 - mu1^2 (>= 0) */
  muPerpSquared: number;
  muPerp: number;
}

/**
 * mu0, mu1, mu2, E sigma^2 and mu_perp of z -> sigma(shift + scale z). mu_perp^2 is clamped at 0 only
 * within rounding (1e-12 E sigma^2); a more negative value throws (inconsistent moments).
 */
export function gaussianCoefficients(activation: Activation | string, opts: CoefficientOptions = {}): GaussianCoefficients {
  const e = hermiteExpansion(activation, 2, opts);
  const [mu0, mu1, mu2] = e.mu;
  let perp2 = e.secondMoment - mu0 * mu0 - mu1 * mu1;
  if (perp2 < 0) {
    if (perp2 < -1e-12 * Math.max(e.secondMoment, 1e-300)) {
      throw new NumericsError('gaussianCoefficients', `mu_perp^2 = ${perp2} < 0 for ${resolve(activation).name}: inconsistent moments`);
    }
    perp2 = 0;
  }
  return { mu0, mu1, mu2, secondMoment: e.secondMoment, muPerpSquared: perp2, muPerp: Math.sqrt(perp2) };
}

/**
 * mu_0..mu_K of the a.e. derivative z -> sigma'(shift + scale z). For a continuous activation and
 * scale != 0 by Stein's lemma from the coefficients of sigma: mu_k(sigma') = sqrt(k+1) mu_{k+1}(sigma)/s;
 * otherwise (sign: a.e. derivative 0; or s = 0) from the derivative itself by quadrature / evaluation.
 */
export function derivativeCoefficients(activation: Activation | string, K: number, opts: CoefficientOptions = {}): number[] {
  const routine = 'derivativeCoefficients';
  const act = resolve(activation);
  const { s, m } = checkArgs(routine, K, opts);
  if (s === 0) {
    const mu = new Array<number>(K + 1).fill(0);
    mu[0] = act.derivative(m);
    return mu;
  }
  if (act.continuous && K + 1 <= MAX_POLYNOMIAL_DEGREE) {
    const mu = hermiteCoefficients(act, K + 1, opts);
    return Array.from({ length: K + 1 }, (_, k) => (Math.sqrt(k + 1) * mu[k + 1]) / s);
  }
  const sa = Math.abs(s);
  const r = hermiteCoefficientsByQuadrature((z) => act.derivative(m + sa * z), K, { ...opts.quadrature, kinks: act.kinks.map((k) => (k - m) / sa) });
  if (!r.ok) throw new NumericsError(routine, `coefficients of ${act.name}': quadrature ${r.reason} (error estimate ${r.errorEstimate})`);
  return s < 0 ? r.mu.map((v, k) => (k % 2 === 1 ? -v : v)) : r.mu;
}

export interface KernelOptions {
  /** Standard deviation of U (default 1): computes E sigma(scaleU X) tau(scaleV Y), corr(X, Y) = rho. */
  scaleU?: number;
  scaleV?: number;
  /** Mehler truncation order (default 60). */
  K?: number;
  /** Accept Mehler when its truncation bound is below this (default 1e-10); else 2-D quadrature. */
  tolerance?: number;
}

export interface KernelValue {
  value: number;
  method: 'mehler' | 'quadrature';
  /** Mehler's truncation bound, or the quadrature's doubling error estimate. */
  errorBound: number;
}

/**
 * E sigma(scaleU X) tau(scaleV Y) for standard Gaussians X, Y with correlation rho: Mehler's formula
 * (src/numerics/mehler.ts) when its rigorous truncation bound is below `tolerance`, else 2-D quadrature
 * split at both activations' kinks. Cost: two coefficient computations (closed form or ~10^3
 * evaluations each), plus ~10^5 evaluations in the quadrature fallback.
 */
export function gaussianKernel(sigma: Activation | string, tau: Activation | string, rho: number, opts: KernelOptions = {}): KernelValue {
  const routine = 'gaussianKernel';
  const a = resolve(sigma);
  const b = resolve(tau);
  if (typeof rho !== 'number' || !(rho >= -1 && rho <= 1)) throw new NumericsError(routine, `rho must be in [-1, 1], got ${rho}`);
  const su = opts.scaleU ?? 1;
  const sv = opts.scaleV ?? 1;
  const K = opts.K ?? 60;
  const tolerance = opts.tolerance ?? 1e-10;
  const ea = hermiteExpansion(a, K, { scale: su });
  const eb = hermiteExpansion(b, K, { scale: sv });
  const m = mehlerSum(ea.mu, eb.mu, rho, { secondMomentA: ea.secondMoment, secondMomentB: eb.secondMoment });
  const bound = m.truncationBound as number;
  if (bound <= tolerance) return { value: m.value, method: 'mehler', errorBound: bound };
  const g = { varU: su * su, varV: sv * sv, cov: rho * su * sv };
  const r = integrateGaussian2((u, v) => a.value(u) * b.value(v), g, { kinksU: a.kinks, kinksV: b.kinks });
  if (!r.ok) throw new QuadratureError(routine, r);
  return { value: r.value, method: 'quadrature', errorBound: r.errorEstimate };
}
