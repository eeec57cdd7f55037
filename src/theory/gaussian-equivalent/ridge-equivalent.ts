/**
 * The deterministic equivalent of ridge regression on Gaussian features: the core shared by the
 * finite-size (given W1) and the asymptotic (Marchenko–Pastur + spike) Gaussian-equivalent risks.
 *
 * Model (one-step.md section 3; Ba et al. 2022, arXiv 2205.01445, section 3, for the Gaussian equivalence
 * of the features after a small step): features phi with second moment Sigma = E phi phi^T, target with
 * b = E phi f*, E f*^2 = m2, labels y = f* + sqrt(Delta) xi. The readout minimises
 *     (1/n) sum_mu (y_mu - phi_mu^T a')^2 + lam' |a'|^2.
 * With df1(k) = tr Sigma (Sigma + k)^{-1}, df2(k) = tr Sigma^2 (Sigma + k)^{-2}, kappa > 0 the root of
 *     lam' = kappa (1 - df1(kappa) / n),
 * theta* = Sigma^{-1} b and sigma_eff^2 = Delta + m2 - b^T Sigma^{-1} b, the test risk against the noiseless
 * target is
 *     risk = [ kappa^2 theta*^T Sigma (Sigma + kappa)^{-2} theta* + sigma_eff^2 df2 / n ] / (1 - df2 / n)
 *            + (sigma_eff^2 - Delta)
 * and the training error (noisy labels) is (1 - df1/n)^2 (risk + Delta) = (lam'/kappa)^2 (risk + Delta).
 * This is the standard deterministic equivalent of ridge with (possibly misspecified) Gaussian design
 * (Hastie, Montanari, Rosset, Tibshirani 2022, arXiv 1903.08560, Theorem 5 and section 6; Bach 2024,
 * arXiv 2303.01372, section 3; Loureiro et al. 2021, arXiv 2102.08127, for Gaussian covariate models),
 * accurate to relative O(1/sqrt n) for a given Sigma, b.
 *
 * The bias term is written through Q(k) = b^T (Sigma + k)^{-1} b only:
 *     kappa^2 theta*^T Sigma (Sigma + kappa)^{-2} theta* = Q(0) - Q(kappa) + kappa Q'(kappa),
 * so a caller supplies df1, df2, Q and Q' (and optionally the bias directly, when it has the spectrum).
 * lam' = 0: kappa is the positive root of df1(kappa) = n when rank Sigma > n (overparametrised, the
 * minimum-norm interpolator), kappa = 0 when rank Sigma < n (least squares), and there is no finite risk
 * at rank Sigma = n (the interpolation peak): that is reported as a failure, never as a number.
 */
import { brent } from '../../numerics/roots.js';

export interface RidgeEquivalentProblem {
  /** Readout samples n. */
  n: number;
  /** lam' >= 0 of the (1/n)-normalised objective above. */
  lambda: number;
  /** df1(k) and df2(k) for k >= 0 (at k = 0: rank and rank). */
  traces(k: number): { df1: number; df2: number };
  /** rank of Sigma (df1 as k -> 0+). */
  rank: number;
  /** tr Sigma (brackets the root). */
  trace: number;
  /** Q(k) = b^T (Sigma + k)^{-1} b and dQ/dk, k >= 0; Q(0) = b^T Sigma^+ b. */
  signal(k: number): { Q: number; dQ: number };
  /** kappa^2 theta*^T Sigma (Sigma + kappa)^{-2} theta*, when the caller can compute it directly. */
  bias?(kappa: number): number;
  /** E f*^2 (after centring when the readout has an intercept). */
  targetSecondMoment: number;
  /** Label-noise variance Delta. */
  noise: number;
}

interface RidgeEquivalentCommon {
  kappa: number;
  df1: number;
  df2: number;
  /** b^T Sigma^{-1} b: the part of E f*^2 the features can express linearly. */
  explained: number;
  /** sigma_eff^2 - Delta = m2 - b^T Sigma^{-1} b: the irreducible (approximation) error. */
  approximationError: number;
  iterations: number;
  /** |lam' - kappa (1 - df1(kappa)/n)| at the returned kappa. */
  residual: number;
}

export type RidgeEquivalentResult =
  | (RidgeEquivalentCommon & { ok: true; risk: number; testMSE: number; trainError: number; bias: number; variance: number })
  | (RidgeEquivalentCommon & { ok: false; reason: 'interpolation-threshold' | 'root-not-found'; message: string });

/** Solves for kappa and evaluates the risk (module comment). */
export function ridgeEquivalent(p: RidgeEquivalentProblem): RidgeEquivalentResult {
  const { n, lambda } = p;
  if (!(n > 0) || !Number.isFinite(n)) throw new RangeError(`ridgeEquivalent: n must be a finite number > 0, got ${n}`);
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`ridgeEquivalent: lambda must be a finite number >= 0, got ${lambda}`);
  const explained = p.signal(0).Q;
  const approximationError = p.targetSecondMoment - explained;
  const common = { explained, approximationError };
  let kappa: number;
  let iterations = 0;
  const f = (k: number): number => 1 - lambda / k - p.traces(k).df1 / n;
  if (lambda === 0 && p.rank < n) {
    kappa = 0;
  } else if (lambda === 0 && p.rank === n) {
    return {
      ok: false,
      reason: 'interpolation-threshold',
      message: `lambda = 0 with as many features (rank ${p.rank}) as samples (n = ${n}): the minimum-norm interpolator has no finite risk`,
      kappa: 0,
      df1: p.rank,
      df2: p.rank,
      iterations: 0,
      residual: NaN,
      ...common,
    };
  } else {
    const hi = lambda + p.trace / n;
    let lo = lambda;
    if (lambda === 0) {
      lo = hi;
      while (f(lo) >= 0 && iterations < 2000) {
        lo /= 2;
        iterations++;
      }
    }
    const r = brent(f, lo, hi, { absTol: 0, relTol: 1e-15 });
    iterations += r.iterations;
    if (!r.ok || !(r.value > 0)) {
      const at = r.ok ? r.value : r.last;
      const tr = p.traces(at);
      return {
        ok: false,
        reason: 'root-not-found',
        message: `no kappa in [${lo}, ${hi}] solves lambda' = kappa (1 - df1(kappa)/n) (brent: ${r.ok ? 'non-positive root' : r.reason})`,
        kappa: at,
        df1: tr.df1,
        df2: tr.df2,
        iterations,
        residual: Math.abs(r.residual),
        ...common,
      };
    }
    kappa = r.value;
  }
  const { df1, df2 } = p.traces(kappa);
  const residual = Math.abs(lambda - kappa * (1 - df1 / n));
  let bias = 0;
  if (kappa > 0) {
    if (p.bias) bias = p.bias(kappa);
    else {
      const s = p.signal(kappa);
      bias = Math.max(0, explained - s.Q + kappa * s.dQ);
    }
  }
  const sigmaEff2 = p.noise + approximationError;
  const denom = 1 - df2 / n;
  const variance = (sigmaEff2 * df2) / n / denom;
  const risk = bias / denom + variance + approximationError;
  const trainError = (1 - df1 / n) ** 2 * (risk + p.noise);
  return { ok: true, risk, testMSE: risk + p.noise, trainError, bias: bias / denom, variance, kappa, df1, df2, iterations, residual, ...common };
}
