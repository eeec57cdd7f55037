/**
 * Baselines computed on the same draws as the trained network (one-step.md section 1 step 6, section 3):
 * - random features: the same ridge on sigma(X W0) (built in run.ts, which owns the draws);
 * - ridge on the raw inputs (linear model f(x) = a^T x / sqrt(d) + b), with the run's lambda and with the
 *   best lambda on a grid (selected by the exact population risk: an oracle, a lower bound on what any
 *   tuning of the linear model achieves on this batch);
 * - the null risk E f*^2 (the zero predictor) and the linear-regime floor mu_perp*^2 (+ mu0*^2 without
 *   intercept), the limit below which no rotationally invariant kernel/random-features model goes in the
 *   proportional regime (Ba et al. 2022, arXiv 2205.01445; Mei & Montanari 2019, arXiv 1908.05355).
 *
 * Population risk of a linear predictor (Gaussian identities, x ~ N(0, I_d), E f*(x) x = mu1* beta*,
 * E f*(x) = mu0*):  E (f*(x) - beta^T x - b)^2 = E f*^2 - 2 mu1* <beta, beta*> - 2 mu0* b + |beta|^2 + b^2.
 * The grid reuses one eigendecomposition of the raw-input Gram (d x d when d <= n, else n x n), so each
 * lambda costs O(min(n, d)).
 */
import type { LinalgBackend } from '../linalg/backend.js';
import { zeros, type FloatArray, type Matrix } from '../linalg/matrix.js';
import { gaussianCoefficients, type Activation } from '../activations/index.js';
import type { SingleIndexTeacher } from '../models/teacher.js';
import { newArrayLike } from './features.js';
import { columnMeans, lambdaSum, type RidgeOptions } from './ridge.js';

/** Gaussian moments of the teacher link: mu0* = E s(z), mu1* = E z s(z), m2* = E s(z)^2 (src/activations). */
export interface LinkMoments {
  mu0: number;
  mu1: number;
  m2: number;
  /** mu_perp*^2 = m2* - mu0*^2 - mu1*^2. */
  muPerp2: number;
}

export function linkMoments(link: Activation): LinkMoments {
  const g = gaussianCoefficients(link);
  return { mu0: g.mu0, mu1: g.mu1, m2: g.secondMoment, muPerp2: g.muPerpSquared };
}

export interface LinearRidgePoint {
  /** lambda in the run's normalisation (`ridge.normalization`). */
  lambda: number;
  risk: number;
}

export interface LinearBaseline {
  sameLambda: LinearRidgePoint;
  bestOnGrid: LinearRidgePoint;
  /** The grid (run's normalisation), 0 first then 10^-5 .. 10^4 in quarter decades. */
  grid: LinearRidgePoint[];
}

/** The default lambda grid of the linear baseline, in the run's normalisation. */
export function linearLambdaGrid(): number[] {
  const g = [0];
  for (let k = -20; k <= 16; k++) g.push(10 ** (k / 4));
  return g;
}

/** Exact population risk of f(x) = beta^T x + b against the teacher (module comment). */
export function linearPredictorRisk(beta: Float64Array, b: number, betaStar: Float64Array, m: LinkMoments): number {
  let dot = 0;
  let norm2 = 0;
  for (let j = 0; j < beta.length; j++) {
    dot += beta[j] * betaStar[j];
    norm2 += beta[j] * beta[j];
  }
  return m.m2 - 2 * m.mu1 * dot - 2 * m.mu0 * b + norm2 + b * b;
}

/**
 * Ridge on the raw inputs X (n x d) with labels y, risks for the run's lambda and the grid. The model is
 * f(x) = a^T x / sqrt(d) + b with the same normalisation and intercept rule as the network's readout
 * (src/simulate/ridge.ts), i.e. beta = a / sqrt(d).
 */
export function linearBaseline<T extends FloatArray>(
  backend: LinalgBackend,
  X: Matrix<T>,
  y: Float64Array,
  teacher: SingleIndexTeacher,
  moments: LinkMoments,
  ridge: RidgeOptions,
  grid: readonly number[] = linearLambdaGrid(),
): LinearBaseline {
  const n = X.rows;
  const d = X.cols;
  const betaStar = teacher.betaStar;
  const primal = d <= n;
  let ybar = 0;
  let xbar: Float64Array | null = null;
  if (ridge.intercept) {
    for (let i = 0; i < n; i++) ybar += y[i];
    ybar /= n;
    xbar = columnMeans(backend, X);
  }
  const yc = new Float64Array(n);
  for (let i = 0; i < n; i++) yc[i] = y[i] - ybar;
  const m = primal ? d : n;
  let A: Matrix<Float64Array>;
  if (X.data instanceof Float64Array) {
    A = zeros(m, m);
    backend.syrk(primal, 1 / d, X as Matrix<Float64Array>, 0, A);
  } else {
    const A32 = zeros(m, m, 'float32');
    backend.syrk(primal, 1 / d, X as Matrix<Float32Array>, 0, A32);
    A = { rows: m, cols: m, data: Float64Array.from(A32.data) };
  }
  const Ad = A.data;
  if (xbar && primal) {
    const s = n / d;
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) Ad[i * m + j] -= s * xbar[i] * xbar[j];
  } else if (xbar) {
    const r = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += Ad[i * m + j];
      r[i] = s / m;
    }
    let kbar = 0;
    for (let i = 0; i < m; i++) kbar += r[i];
    kbar /= m;
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) Ad[i * m + j] += kbar - r[i] - r[j];
  }
  const { values, vectors } = backend.eigh(A);
  let maxAbs = 0;
  for (let k = 0; k < m; k++) maxAbs = Math.max(maxAbs, Math.abs(values[k]));
  const cutoff = m * Number.EPSILON * maxAbs;
  const toT = (v: Float64Array): T => {
    const t = newArrayLike(X.data, v.length);
    t.set(v);
    return t;
  };
  // Projections onto the eigenvectors. Primal: beta(lambda) = V diag(1/(s+lambda)) c / sqrt(d), c = V^T X_c^T y_c / sqrt(d).
  // Dual: beta(lambda) = X_c^T U diag(1/(s+lambda)) g / d, g = U^T y_c.
  const coef = new Float64Array(m); // c (primal) or g (dual)
  const pStar = new Float64Array(m); // V^T beta* (primal) or U^T X_c beta* (dual)
  const pBar = new Float64Array(m); // V^T xbar (primal) or U^T X_c xbar (dual)
  if (primal) {
    const out = newArrayLike(X.data, d);
    backend.gemv(true, 1 / Math.sqrt(d), X, toT(yc), 0, out);
    backend.gemv(true, 1, vectors, Float64Array.from(out), 0, coef);
    backend.gemv(true, 1, vectors, betaStar, 0, pStar);
    if (xbar) backend.gemv(true, 1, vectors, xbar, 0, pBar);
  } else {
    backend.gemv(true, 1, vectors, yc, 0, coef);
    const xb = newArrayLike(X.data, n);
    backend.gemv(false, 1, X, toT(betaStar), 0, xb);
    const xBeta = Float64Array.from(xb);
    let xbarBeta = 0;
    if (xbar) for (let j = 0; j < d; j++) xbarBeta += xbar[j] * betaStar[j];
    for (let i = 0; i < n; i++) xBeta[i] -= xbarBeta;
    backend.gemv(true, 1, vectors, xBeta, 0, pStar);
    if (xbar) {
      backend.gemv(false, 1, X, toT(xbar), 0, xb);
      const xXbar = Float64Array.from(xb);
      let xbar2 = 0;
      for (let j = 0; j < d; j++) xbar2 += xbar[j] * xbar[j];
      for (let i = 0; i < n; i++) xXbar[i] -= xbar2;
      backend.gemv(true, 1, vectors, xXbar, 0, pBar);
    }
  }
  const riskAt = (lambda: number): number => {
    const lam = lambdaSum({ lambda, normalization: ridge.normalization }, n, d);
    let dot = 0;
    let norm2 = 0;
    let barDot = 0;
    for (let k = 0; k < m; k++) {
      const s = values[k];
      if (s + lam <= cutoff) continue;
      const w = coef[k] / (s + lam);
      if (primal) {
        dot += (w * pStar[k]) / Math.sqrt(d);
        norm2 += (w * w) / d;
        barDot += (w * pBar[k]) / Math.sqrt(d);
      } else {
        dot += (w * pStar[k]) / d;
        norm2 += (s * w * w) / d;
        barDot += (w * pBar[k]) / d;
      }
    }
    const b = xbar ? ybar - barDot : 0;
    const { m2, mu0, mu1 } = moments;
    return m2 - 2 * mu1 * dot - 2 * mu0 * b + norm2 + b * b;
  };
  const points = grid.map((lambda) => ({ lambda, risk: riskAt(lambda) }));
  let best = points[0];
  for (const p of points) if (p.risk < best.risk) best = p;
  return { sameLambda: { lambda: ridge.lambda, risk: riskAt(ridge.lambda) }, bestOnGrid: best, grid: points };
}
