/**
 * The asymptotic ridge risk of random-features regression in closed form: Mei & Montanari 2019,
 * "The generalization error of random features regression: precise asymptotics and double descent
 * curve" (arXiv 1908.05355), Theorem 1 with Definition 1 (the Stieltjes-transform equations for nu1, nu2),
 * and its ridgeless limit (their section 5 / Theorem 2 setting, lambda -> 0).
 *
 * Their model: x uniform on the sphere of radius sqrt d (asymptotically the same as N(0, I_d)), N features
 * sigma(<theta_j, x>/sqrt d) with theta_j uniform on that sphere (our W0 with unit columns), target
 * f = beta0 + <beta1, x> + f_NL with |beta1|^2 -> F1^2, E f_NL^2 -> F*^2, label noise tau^2, and ridge
 *     (1/n) sum (y - sum_j a_j sigma_j)^2 + (N lambda_MM / d) |a|^2.
 * Ratios psi1 = N/d, psi2 = n/d; zeta = mu1 / muPerp; lambdaBar = lambda_MM / muPerp^2. In featlearn's
 * normalisation (one-step.md section 3): lambda_MM = lambda_sum d / n (lambda_sum = lambda for "sum",
 * n lambda / N for "mean"), F1 = mu1*, F*^2 = muPerp*^2, tau^2 = Delta.
 *
 * With xi = i sqrt(psi1 psi2 lambdaBar) the Definition-1 equations for nu1 = i a1, nu2 = i a2 (a1, a2 > 0)
 * read  s a1 + P G(P) = psi1,  s a2 + P G(P) = psi2,  G(P) = 1 + zeta^2 / (1 + zeta^2 P),  P = a1 a2,
 * s = sqrt(psi1 psi2 lambdaBar); eliminating a1, a2 gives one equation for P = -chi in (0, Pmax):
 *     s^2 P = (psi1 - P G(P)) (psi2 - P G(P)),     Pmax G(Pmax) = min(psi1, psi2),
 * monotone in P (left side increasing, right side decreasing), solved by Brent. At s = 0 (lambda -> 0)
 * P = Pmax in closed form: zeta^2 P^2 + (1 + zeta^2 - psi zeta^2) P - psi = 0, psi = min(psi1, psi2).
 * Then, with chi = -P,
 *   E0 = -chi^5 zeta^6 + 3 chi^4 zeta^4 + (psi1 psi2 - psi2 - psi1 + 1) chi^3 zeta^6 - 2 chi^3 zeta^4
 *        - 3 chi^3 zeta^2 + (psi1 + psi2 - 3 psi1 psi2 + 1) chi^2 zeta^4 + 2 chi^2 zeta^2 + chi^2
 *        + 3 psi1 psi2 chi zeta^2 - psi1 psi2,
 *   E1 = psi2 chi^3 zeta^4 - psi2 chi^2 zeta^2 + psi1 psi2 chi zeta^2 - psi1 psi2,
 *   E2 = chi^5 zeta^6 - 3 chi^4 zeta^4 + (psi1 - 1) chi^3 zeta^6 + 2 chi^3 zeta^4 + 3 chi^3 zeta^2
 *        + (-psi1 - 1) chi^2 zeta^4 - 2 chi^2 zeta^2 - chi^2,
 *   B = E1 / E0, V = E2 / E0,   risk = F1^2 B + (tau^2 + F*^2) V + F*^2.
 * The constant beta0 is learned exactly when mu0 != 0 or the readout has an intercept (it adds mu0*^2 to
 * the risk otherwise). At psi1 = psi2 with lambda = 0 (the interpolation peak) the risk is infinite:
 * reported as a failure. Regime: proportional limit; the activation needs mu_perp > 0.
 * Independent check: it equals the asymptotic Gaussian-equivalent risk at eta = 0
 * (src/theory/gaussian-equivalent/asymptotic.ts, a different derivation) to ~1e-10.
 */
import { brent } from '../numerics/roots.js';
import type { ExperimentConfig } from '../models/experiment-config.js';
import { studentMoments, teacherMoments } from './moments.js';

export interface MeiMontanariInput {
  /** N/d */
  psi1: number;
  /** n/d */
  psi2: number;
  /** lambda_MM >= 0 (their normalisation). */
  lambda: number;
  /** Student coefficients: mu1 and muPerp^2 (> 0). */
  mu1: number;
  muPerp2: number;
  /** |beta1|^2, E f_NL^2 and the noise tau^2 of the target. */
  F1Squared: number;
  FStarSquared: number;
  tau2: number;
}

export type MeiMontanariResult =
  | { ok: true; risk: number; B: number; V: number; chi: number; iterations: number; residual: number }
  | { ok: false; reason: 'interpolation-threshold' | 'root-not-found'; message: string; iterations: number; residual: number };

/** Theorem 1 of Mei & Montanari 2019 (module comment): the limiting risk against the noiseless target. */
export function meiMontanariRisk(input: MeiMontanariInput): MeiMontanariResult {
  const { psi1, psi2, lambda, mu1, muPerp2 } = input;
  const bad: string[] = [];
  for (const [k, v] of [['psi1', psi1], ['psi2', psi2]] as const) if (!(v > 0) || !Number.isFinite(v)) bad.push(`${k}: expected a finite number > 0, got ${v}`);
  if (!(lambda >= 0) || !Number.isFinite(lambda)) bad.push(`lambda: expected a finite number >= 0, got ${lambda}`);
  if (!(muPerp2 > 0) || !Number.isFinite(muPerp2)) bad.push(`muPerp2: expected a finite number > 0 (a non-linear activation), got ${muPerp2}`);
  if (!Number.isFinite(mu1)) bad.push(`mu1: expected a finite number, got ${mu1}`);
  for (const [k, v] of [['F1Squared', input.F1Squared], ['FStarSquared', input.FStarSquared], ['tau2', input.tau2]] as const) {
    if (!(v >= 0) || !Number.isFinite(v)) bad.push(`${k}: expected a finite number >= 0, got ${v}`);
  }
  if (bad.length > 0) throw new RangeError(`meiMontanariRisk: ${bad.join('; ')}`);
  const z2 = (mu1 * mu1) / muPerp2;
  const lambdaBar = lambda / muPerp2;
  const s2 = psi1 * psi2 * lambdaBar;
  const psiMin = Math.min(psi1, psi2);
  // P G(P) = psiMin: z2 P^2 + (1 + z2 - psiMin z2) P - psiMin = 0 (positive root, stable form)
  const bq = 1 + z2 - psiMin * z2;
  const Pmax = z2 === 0 ? psiMin : (2 * psiMin) / (bq + Math.sqrt(bq * bq + 4 * z2 * psiMin));
  let P: number;
  let iterations = 0;
  let residual = 0;
  if (s2 === 0) {
    if (psi1 === psi2) {
      return { ok: false, reason: 'interpolation-threshold', message: `lambda = 0 at psi1 = psi2 = ${psi1} (N = n): the ridgeless risk is infinite`, iterations: 0, residual: NaN };
    }
    P = Pmax;
  } else {
    const PG = (x: number): number => x * (1 + z2 / (1 + z2 * x));
    const f = (x: number): number => s2 * x - (psi1 - PG(x)) * (psi2 - PG(x));
    const r = brent(f, 0, Pmax, { absTol: 0, relTol: 1e-15 });
    iterations = r.iterations;
    residual = Math.abs(r.residual);
    if (!r.ok) return { ok: false, reason: 'root-not-found', message: `no P in (0, ${Pmax}] solves the Definition-1 equations (brent: ${r.reason})`, iterations, residual };
    P = r.value;
  }
  const chi = -P;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const c2 = chi * chi;
  const c3 = c2 * chi;
  const c4 = c3 * chi;
  const c5 = c4 * chi;
  const pp = psi1 * psi2;
  const E0 =
    -c5 * z6 + 3 * c4 * z4 + (pp - psi2 - psi1 + 1) * c3 * z6 - 2 * c3 * z4 - 3 * c3 * z2 + (psi1 + psi2 - 3 * pp + 1) * c2 * z4 + 2 * c2 * z2 + c2 + 3 * pp * chi * z2 - pp;
  const E1 = psi2 * c3 * z4 - psi2 * c2 * z2 + pp * chi * z2 - pp;
  const E2 = c5 * z6 - 3 * c4 * z4 + (psi1 - 1) * c3 * z6 + 2 * c3 * z4 + 3 * c3 * z2 + (-psi1 - 1) * c2 * z4 - 2 * c2 * z2 - c2;
  const B = E1 / E0;
  const V = E2 / E0;
  const risk = input.F1Squared * B + (input.tau2 + input.FStarSquared) * V + input.FStarSquared;
  if (!Number.isFinite(risk)) return { ok: false, reason: 'root-not-found', message: `non-finite risk (E0 = ${E0})`, iterations, residual };
  return { ok: true, risk, B, V, chi, iterations, residual };
}

export interface RandomFeaturesTheory {
  ok: boolean;
  risk: number | null;
  testMSE: number | null;
  /** Theorem 1 gives no training error. */
  trainError: null;
  input: MeiMontanariInput;
  /** mu0*^2 added when the constant cannot be fitted (mu0 = 0 and no intercept). */
  constantPart: number;
  detail: MeiMontanariResult;
  warnings: string[];
}

/**
 * Random features (no step) for an experiment config, in featlearn's normalisation (module comment).
 * The step settings are ignored: this is the eta = 0 baseline.
 */
export function randomFeaturesTheory(config: ExperimentConfig): RandomFeaturesTheory {
  const s = studentMoments(config.student.activation);
  const t = teacherMoments(config.teacher.link);
  const lambdaSum = config.ridge.normalization === 'sum' ? config.ridge.lambda : (config.n * config.ridge.lambda) / config.width;
  const input: MeiMontanariInput = {
    psi1: config.width / config.d,
    psi2: config.n / config.d,
    lambda: (lambdaSum * config.d) / config.n,
    mu1: s.mu1,
    muPerp2: s.muPerp2,
    F1Squared: t.mu1Star ** 2,
    FStarSquared: t.muPerpStar2,
    tau2: config.teacher.noise,
  };
  const warnings: string[] = [];
  const meanFree = Math.abs(s.mu0) <= 1e-12 * Math.sqrt(s.secondMoment) && !config.ridge.intercept;
  const constantPart = meanFree ? t.mu0Star ** 2 : 0;
  if (config.init.W === 'gaussian' && meanFree && Math.abs(s.dMu0) > 1e-12) {
    warnings.push('init.W "gaussian" with a mean-free student whose mean depends on the neuron norm: the neurons can fit the constant through their norm fluctuations, which Mei & Montanari (unit-norm weights) do not model; use the Gaussian-equivalent theory');
  }
  const detail = meiMontanariRisk(input);
  const risk = detail.ok ? detail.risk + constantPart : null;
  return { ok: detail.ok, risk, testMSE: risk === null ? null : risk + config.teacher.noise, trainError: null, input, constantPart, detail, warnings };
}
