/**
 * Reference levels for the one-step risks (issue 4 item 5):
 * - null risk E f*^2: the zero predictor;
 * - linear-regime floor mu_perp*^2 (+ mu0*^2 when the readout has no intercept): the risk of the best
 *   linear predictor of f*, which lower-bounds rotationally invariant kernels and random features in the
 *   proportional regime (Ghorbani, Mei, Misiakiewicz, Montanari 2021, arXiv 1904.12191, Theorem 1; Mei &
 *   Montanari 2019, arXiv 1908.05355; Ba et al. 2022, arXiv 2205.01445, section 3, "the linear floor");
 *   the constant counts when there is no intercept, as in the simulation's baseline;
 * - ridge on the raw inputs, f(x) = a^T x / sqrt(d) (+ b), penalty lambda_sum |a|^2 (the simulation's
 *   linear baseline): an isotropic Gaussian design, so the deterministic equivalent of
 *   src/theory/gaussian-equivalent/ridge-equivalent.ts with Sigma = I_d, b = mu1* beta*, lam' = lambda_sum d/n
 *   is the exact proportional limit (Dobriban & Wager 2018, arXiv 1507.03003, Theorem 2.1; Hastie et al.
 *   2022, arXiv 1903.08560, section 5); with the optimal lambda too (numerical minimisation, checked against
 *   Dobriban & Wager's lam'* = (d/n) sigma^2 / mu1*^2 in the tests).
 */
import type { ExperimentConfig } from '../models/experiment-config.js';
import { teacherMoments, type TeacherMoments } from './moments.js';
import { ridgeEquivalent, type RidgeEquivalentResult } from './gaussian-equivalent/ridge-equivalent.js';
import { minimizeOverLogLambda } from './optimize.js';

export interface LinearRidgeTheory {
  /** lambda in the config's normalisation. */
  lambda: number;
  risk: number;
  trainError: number;
}

export interface Floors {
  nullRisk: number;
  linearFloor: number;
  linearRidge: LinearRidgeTheory | null;
  linearRidgeOptimal: LinearRidgeTheory | null;
}

/** lambda_sum for a penalty on p coefficients fitted on n samples. */
function lambdaSumOf(lambda: number, normalization: 'sum' | 'mean', n: number, p: number): number {
  return normalization === 'sum' ? lambda : (n * lambda) / p;
}

/** Asymptotic risk of ridge on the raw inputs (module comment), d and n from the config. */
export function linearRidgeRisk(t: TeacherMoments, noise: number, d: number, n: number, lambdaSum: number, intercept: boolean): RidgeEquivalentResult {
  const mu1s2 = t.mu1Star ** 2;
  return ridgeEquivalent({
    n,
    lambda: (lambdaSum * d) / n,
    rank: d,
    trace: d,
    targetSecondMoment: intercept ? t.m2Star - t.mu0Star ** 2 : t.m2Star,
    noise,
    traces: (k) => ({ df1: d / (1 + k), df2: d / (1 + k) ** 2 }),
    signal: (k) => ({ Q: mu1s2 / (1 + k), dQ: -mu1s2 / (1 + k) ** 2 }),
    bias: (k) => (mu1s2 * k * k) / (1 + k) ** 2,
  });
}

/** Null risk, linear floor and the raw-input ridge levels of a config. */
export function floors(config: ExperimentConfig): Floors {
  const t = teacherMoments(config.teacher.link);
  const intercept = config.ridge.intercept;
  const { d, n } = config;
  const norm = config.ridge.normalization;
  const at = (lambda: number): LinearRidgeTheory | null => {
    const r = linearRidgeRisk(t, config.teacher.noise, d, n, lambdaSumOf(lambda, norm, n, d), intercept);
    return r.ok ? { lambda, risk: r.risk, trainError: r.trainError } : null;
  };
  const best = minimizeOverLogLambda((l) => at(l)?.risk ?? Infinity, [1e-8, 1e6]);
  return {
    nullRisk: t.m2Star,
    linearFloor: t.muPerpStar2 + (intercept ? 0 : t.mu0Star ** 2),
    linearRidge: at(config.ridge.lambda),
    linearRidgeOptimal: Number.isFinite(best.value) ? at(best.lambda) : null,
  };
}
