/**
 * The fixed-point equations of the sRF model (../shared/spec/srf.md section 4; Cui, Pesce, Dandi, Krzakala,
 * Lu, Zdeborová, Loureiro 2024, arXiv 2402.04980: the replica self-consistent equations of their section 4
 * and appendix; the paper's own equation numbers were not checked here, the equations are srf.md's) in featlearn's normalisation: readout ridge in the "sum" form with penalty lambda, alpha = n/N
 * readout samples per neuron, spectral sums over the N eigenvalues of Omega (./spectrum.ts), kappa
 * integrals as weighted sums over the Gauss–Hermite tables of ../hermite-tables.ts.
 *
 * Seven order parameters x = (q1, q2, V1, V2, theta, psi, m). With V(k) = mu1^2 V1 + mu2^2 V2,
 * p(k) = mu0 m + mu1 k theta and the conditional training error
 *   E(k) = hh - 2 p h + p^2 - 2 mu1 psi h1 + mu1^2 q1 + mu2^2 q2 + Delta
 * (label noise Delta only here: it reaches qh1, qh2 and the train error, not the test error), the
 * conjugates are
 *   qh1 = alpha E_k[mu1^2 E / (1+V)^2],  qh2 = alpha E_k[mu2^2 E / (1+V)^2],
 *   Vh1 = alpha E_k[mu1^2 / (1+V)],      Vh2 = alpha E_k[mu2^2 / (1+V)],
 *   thh = alpha E_k[k mu1 (h - p) / (1+V)],   psh = alpha E_k[mu1 h1 / (1+V)],
 * and with S_j = lambda + Vh1 D_j + Vh2, Q_j = qh1 D_j + qh2 + thh^2 F_j + psh^2 H_j:
 *   q1 = mean D Q/S^2, q2 = mean Q/S^2, V1 = mean D/S, V2 = mean 1/S, theta = thh mean F/S, psi = psh mean H/S,
 *   m = E_k[mu0 (h - mu1 k theta)/(1+V)] / E_k[mu0^2/(1+V)]   (m = 0 when mu0 ≡ 0).
 * Test error (noiseless target) eps_g = E_k[E(k)] - Delta, train error E_k[E(k) / (1+V(k))^2].
 *
 * `sevenParameterMap` is the whole map x -> F(x) (used by the damped iteration and to measure the
 * residual of any solution); `reducedSolve` (./reduced.ts) exploits its structure.
 */
import type { ConditionalTables } from '../hermite-tables.js';
import type { SpectralSums, SrfSpectrum } from './spectrum.js';

/** The seven order parameters of srf.md section 4. */
export interface SrfOrderParameters {
  q1: number;
  q2: number;
  V1: number;
  V2: number;
  theta: number;
  psi: number;
  m: number;
}

/** Their conjugates ("hat" variables). */
export interface SrfConjugates {
  qh1: number;
  qh2: number;
  Vh1: number;
  Vh2: number;
  thh: number;
  psh: number;
}

/** One instance of the equations. */
export interface SrfProblem {
  tables: ConditionalTables;
  spectrum: SrfSpectrum;
  /** alpha = n / N (readout samples per neuron). */
  alpha: number;
  /** Ridge penalty in the "sum" normalisation, >= 0. */
  lambda: number;
  /** Label-noise variance Delta >= 0. */
  noise: number;
}

export const ORDER_PARAMETER_NAMES = ['q1', 'q2', 'V1', 'V2', 'theta', 'psi', 'm'] as const;

export function toVector(x: SrfOrderParameters): Float64Array {
  return Float64Array.from([x.q1, x.q2, x.V1, x.V2, x.theta, x.psi, x.m]);
}

export function fromVector(v: ArrayLike<number>): SrfOrderParameters {
  return { q1: v[0], q2: v[1], V1: v[2], V2: v[3], theta: v[4], psi: v[5], m: v[6] };
}

/** Vh1, Vh2 at (V1, V2), and the kappa sums b_ij = E_k[mu_i^2 mu_j^2 / (1+V)^2] of their Jacobian. */
export function hatV(t: ConditionalTables, alpha: number, V1: number, V2: number): { Vh1: number; Vh2: number; b11: number; b12: number; b22: number } {
  let Vh1 = 0, Vh2 = 0, b11 = 0, b12 = 0, b22 = 0;
  const n = t.kappa.length;
  for (let a = 0; a < n; a++) {
    const m1 = t.mu1[a] * t.mu1[a];
    const m2 = t.mu2Squared[a];
    const g = 1 / (1 + m1 * V1 + m2 * V2);
    const wg = t.weights[a] * g;
    const wg2 = wg * g;
    Vh1 += wg * m1;
    Vh2 += wg * m2;
    b11 += wg2 * m1 * m1;
    b12 += wg2 * m1 * m2;
    b22 += wg2 * m2 * m2;
  }
  return { Vh1: alpha * Vh1, Vh2: alpha * Vh2, b11, b12, b22 };
}

/** E_k[mu0 (h - mu1 k theta)/(1+V)] / E_k[mu0^2/(1+V)], or 0 when mu0 ≡ 0 (the constant direction). */
function constantFit(t: ConditionalTables, V1: number, V2: number, theta: number): number {
  if (t.zeroColumns.includes('mu0')) return 0;
  let num = 0;
  let den = 0;
  for (let a = 0; a < t.kappa.length; a++) {
    const g = t.weights[a] / (1 + t.mu1[a] * t.mu1[a] * V1 + t.mu2Squared[a] * V2);
    num += g * t.mu0[a] * (t.h[a] - t.mu1[a] * t.kappa[a] * theta);
    den += g * t.mu0[a] * t.mu0[a];
  }
  return den > 0 ? num / den : 0;
}

/** Conditional errors: risk = E_k[E] - Delta, train error = E_k[E/(1+V)^2], given all seven parameters. */
export function srfErrors(p: SrfProblem, x: SrfOrderParameters): { risk: number; trainError: number } {
  const t = p.tables;
  let risk = 0;
  let train = 0;
  for (let a = 0; a < t.kappa.length; a++) {
    const m1 = t.mu1[a] * t.mu1[a];
    const m2 = t.mu2Squared[a];
    const g = 1 / (1 + m1 * x.V1 + m2 * x.V2);
    const pk = t.mu0[a] * x.m + t.mu1[a] * t.kappa[a] * x.theta;
    const E = t.hh[a] - 2 * pk * t.h[a] + pk * pk - 2 * t.mu1[a] * x.psi * t.h1[a] + m1 * x.q1 + m2 * x.q2;
    risk += t.weights[a] * E;
    train += t.weights[a] * (E + p.noise) * g * g;
  }
  return { risk, trainError: train };
}

/** The full map x -> F(x) of the module comment, with the conjugates and spectral sums it used. */
export function sevenParameterMap(p: SrfProblem, x: SrfOrderParameters): { next: SrfOrderParameters; conjugates: SrfConjugates; sums: SpectralSums } {
  const t = p.tables;
  const alpha = p.alpha;
  let qh1 = 0, qh2 = 0, Vh1 = 0, Vh2 = 0, thh = 0, psh = 0;
  for (let a = 0; a < t.kappa.length; a++) {
    const w = t.weights[a];
    const k = t.kappa[a];
    const mu1 = t.mu1[a];
    const m1 = mu1 * mu1;
    const m2 = t.mu2Squared[a];
    const g = 1 / (1 + m1 * x.V1 + m2 * x.V2);
    const pk = t.mu0[a] * x.m + mu1 * k * x.theta;
    const E = t.hh[a] - 2 * pk * t.h[a] + pk * pk - 2 * mu1 * x.psi * t.h1[a] + m1 * x.q1 + m2 * x.q2 + p.noise;
    const wg = w * g;
    const wg2 = wg * g;
    qh1 += wg2 * m1 * E;
    qh2 += wg2 * m2 * E;
    Vh1 += wg * m1;
    Vh2 += wg * m2;
    thh += wg * k * mu1 * (t.h[a] - pk);
    psh += wg * mu1 * t.h1[a];
  }
  const conjugates: SrfConjugates = { qh1: alpha * qh1, qh2: alpha * qh2, Vh1: alpha * Vh1, Vh2: alpha * Vh2, thh: alpha * thh, psh: alpha * psh };
  const s = p.spectrum.sums(p.lambda, conjugates.Vh1, conjugates.Vh2);
  const c = conjugates;
  const next: SrfOrderParameters = {
    q1: c.qh1 * s.B2 + c.qh2 * s.B1 + c.thh * c.thh * s.BDF + c.psh * c.psh * s.BDH,
    q2: c.qh1 * s.B1 + c.qh2 * s.B0 + c.thh * c.thh * s.BF + c.psh * c.psh * s.BH,
    V1: s.A1,
    V2: s.A0,
    theta: c.thh * s.AF,
    psi: c.psh * s.AH,
    m: constantFit(t, x.V1, x.V2, x.theta),
  };
  return { next, conjugates, sums: s };
}

/**
 * The residual of x AND the errors at x from ONE pass over the kappa table (the same sums as
 * `sevenParameterMap` + `srfErrors`, fused: the solver's final check costs one pass and one spectral sum).
 * residual = ||F(x) - x||_inf / max(1, ||x||_inf) (the same norm as the damped iteration's test).
 */
export function srfCheck(p: SrfProblem, x: SrfOrderParameters): { residual: number; risk: number; trainError: number } {
  const t = p.tables;
  const alpha = p.alpha;
  const { kappa, weights, mu0: mu0c, mu1: mu1c, mu2Squared, h: hc, h1: h1c, hh: hhc } = t;
  const { V1, V2, m, theta, psi, q1, q2 } = x;
  const noise = p.noise;
  let qh1 = 0, qh2 = 0, Vh1 = 0, Vh2 = 0, thh = 0, psh = 0, num = 0, den = 0, risk = 0, train = 0;
  const n = kappa.length;
  for (let a = 0; a < n; a++) {
    const w = weights[a];
    const k = kappa[a];
    const mu0 = mu0c[a];
    const mu1 = mu1c[a];
    const h = hc[a];
    const m1 = mu1 * mu1;
    const m2 = mu2Squared[a];
    const g = 1 / (1 + m1 * V1 + m2 * V2);
    const pk = mu0 * m + mu1 * k * theta;
    const E = hhc[a] - 2 * pk * h + pk * pk - 2 * mu1 * psi * h1c[a] + m1 * q1 + m2 * q2;
    const En = E + noise;
    const wg = w * g;
    const wg2 = wg * g;
    qh1 += wg2 * m1 * En;
    qh2 += wg2 * m2 * En;
    Vh1 += wg * m1;
    Vh2 += wg * m2;
    thh += wg * k * mu1 * (h - pk);
    psh += wg * mu1 * h1c[a];
    num += wg * mu0 * (h - mu1 * k * theta);
    den += wg * mu0 * mu0;
    risk += w * E;
    train += wg2 * En;
  }
  qh1 *= alpha;
  qh2 *= alpha;
  thh *= alpha;
  psh *= alpha;
  const s = p.spectrum.sums(p.lambda, alpha * Vh1, alpha * Vh2);
  const mNew = t.zeroColumns.includes('mu0') || !(den > 0) ? 0 : num / den;
  const diff = Math.max(
    Math.abs(qh1 * s.B2 + qh2 * s.B1 + thh * thh * s.BDF + psh * psh * s.BDH - q1),
    Math.abs(qh1 * s.B1 + qh2 * s.B0 + thh * thh * s.BF + psh * psh * s.BH - q2),
    Math.abs(s.A1 - V1),
    Math.abs(s.A0 - V2),
    Math.abs(thh * s.AF - theta),
    Math.abs(psh * s.AH - psi),
    Math.abs(mNew - m),
  );
  const size = Math.max(1, Math.abs(q1), Math.abs(q2), Math.abs(V1), Math.abs(V2), Math.abs(theta), Math.abs(psi), Math.abs(m));
  return { residual: diff / size, risk, trainError: train }; // NaN propagates through Math.max
}

/** Residual of x: ||F(x) - x||_inf / max(1, ||x||_inf) (the same norm as the damped iteration's test). */
export function srfResidual(p: SrfProblem, x: SrfOrderParameters): number {
  return srfCheck(p, x).residual;
}
