/**
 * Finite-size Gaussian-equivalent ridge risk for a GIVEN first layer W1 (d x N, columns w_i).
 *
 * one-step.md section 3 (Ba et al. 2022, arXiv 2205.01445, section 3 and Theorem 3 for the Gaussian
 * equivalence after a small step; Hu & Lu 2022, arXiv 2009.07669, and Mei & Montanari 2019, arXiv
 * 1908.05355, for random features): the features sigma(<w_i, x>) are replaced by
 *     phi_i = m_i + l_i <w_i, x> + muPerp_i z_i,   z ~ N(0, I_N) independent of x,
 * with the per-neuron coefficients of sigma(|w_i| g), g ~ N(0, 1): m_i = E sigma(|w_i| g),
 * l_i = E[g sigma(|w_i| g)] / |w_i|, muPerp_i^2 = E sigma(|w_i| g)^2 - m_i^2 - (l_i |w_i|)^2 (one-step.md
 * section 3: with varying norms, e.g. gaussian W0, global coefficients are 3–5% off for a centred relu).
 * Then Sigma = m m^T + diag(l) W1^T W1 diag(l) + diag(muPerp^2) + [mu2_i mu2_j cos^2(w_i, w_j)]_{i != j} (the
 * second Hermite order, a near rank-one (mu2^2/d) 1 1^T that matters along the mean direction when mu0 = 0
 * or with an intercept; asymptotic.ts) and b_i = m_i mu0* + l_i mu1* <w_i, beta*>,
 * E f*^2 = m2*. With an intercept the features and the target are centred (m = 0, mu0* = 0, E f*^2 =
 * m2* - mu0*^2): the unpenalised intercept fits the means, to O(1/n).
 * Sigma is eigendecomposed once (`prepareFiniteGe`); every (n, lambda) is then a scalar root-find
 * (src/theory/gaussian-equivalent/ridge-equivalent.ts). Regime: eta = 0 (random features) and the small
 * step (step.scaling "one"); NOT the large step, where Gaussian equivalence fails (srf.md).
 * Cost: one syrk O(d N^2), one eigh O(N^3), N per-neuron coefficient evaluations (one if the norms are
 * equal); memory 2 N^2 doubles.
 */
import type { LinalgBackend } from '../../linalg/backend.js';
import type { Matrix } from '../../linalg/matrix.js';
import { gaussianCoefficients, type Activation } from '../../activations/index.js';
import type { TeacherMoments } from '../moments.js';
import { ridgeEquivalent, type RidgeEquivalentResult } from './ridge-equivalent.js';

/** Per-neuron Gaussian-equivalent coefficients (module comment). */
export interface NeuronCoefficients {
  mean: Float64Array;
  linear: Float64Array;
  muPerp2: Float64Array;
  /** mu2 of sigma(|w_i| g) (second normalised Hermite coefficient). */
  mu2: Float64Array;
}

/** m_i, l_i, muPerp_i^2 for neurons of the given norms (norms equal within 1e-13 share one evaluation). */
export function neuronCoefficients(activation: Activation | string, norms: ArrayLike<number>): NeuronCoefficients {
  const N = norms.length;
  const out: NeuronCoefficients = { mean: new Float64Array(N), linear: new Float64Array(N), muPerp2: new Float64Array(N), mu2: new Float64Array(N) };
  let lastNorm = NaN;
  let last = { m: 0, l: 0, p: 0, q: 0 };
  for (let i = 0; i < N; i++) {
    const s = norms[i];
    if (!(s > 0) || !Number.isFinite(s)) throw new RangeError(`neuronCoefficients: neuron ${i} has norm ${s}; need a finite norm > 0`);
    if (!(Math.abs(s - lastNorm) <= 1e-13 * s)) {
      const g = gaussianCoefficients(activation, { scale: s });
      last = { m: g.mu0, l: g.mu1 / s, p: g.muPerpSquared, q: g.mu2 };
      lastNorm = s;
    }
    out.mean[i] = last.m;
    out.linear[i] = last.l;
    out.muPerp2[i] = last.p;
    out.mu2[i] = last.q;
  }
  return out;
}

/** Everything of the Gaussian-equivalent model that does not depend on n or lambda. */
export interface FiniteGe {
  /** Width N. */
  N: number;
  /** Eigenvalues of Sigma (ascending). */
  eigenvalues: Float64Array;
  /** Projections e_j^T b of b on the eigenvectors. */
  projections: Float64Array;
  /** E f*^2 (centred with an intercept). */
  targetSecondMoment: number;
  /** Label-noise variance. */
  noise: number;
}

export interface FiniteGeSetup {
  /** Student activation. */
  activation: Activation | string;
  teacher: TeacherMoments;
  /** Label-noise variance Delta. */
  noise: number;
  /** Readout with an unpenalised intercept. */
  intercept: boolean;
}

/**
 * Builds Sigma and b from W1 (d x N) and beta* (unit, length d) and eigendecomposes Sigma once.
 * `backend` supplies syrk and eigh (theory imports nothing Node-only: pass getBackend()).
 */
export function prepareFiniteGe(W1: Matrix<Float64Array>, betaStar: Float64Array, setup: FiniteGeSetup, backend: LinalgBackend): FiniteGe {
  const d = W1.rows;
  const N = W1.cols;
  if (betaStar.length !== d) throw new RangeError(`prepareFiniteGe: betaStar has length ${betaStar.length}, W1 has d = ${d} rows`);
  const A: Matrix<Float64Array> = { rows: N, cols: N, data: new Float64Array(N * N) };
  backend.syrk(true, 1, W1, 0, A); // W1^T W1
  const norms = new Float64Array(N);
  for (let i = 0; i < N; i++) norms[i] = Math.sqrt(A.data[i * N + i]);
  const coef = neuronCoefficients(setup.activation, norms);
  const mean = setup.intercept ? new Float64Array(N) : coef.mean;
  const mu0Star = setup.intercept ? 0 : setup.teacher.mu0Star;
  const { linear, muPerp2, mu2 } = coef;
  const S = A.data;
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const g = S[i * N + j];
      // second Hermite order off the diagonal: mu2_i mu2_j cos^2(w_i, w_j) (asymptotic.ts, El Karoui 2010)
      const cos2 = i === j ? 0 : (g * g) / (norms[i] * norms[i] * norms[j] * norms[j]);
      S[i * N + j] = mean[i] * mean[j] + linear[i] * linear[j] * g + mu2[i] * mu2[j] * cos2;
    }
    S[i * N + i] += muPerp2[i];
  }
  // b_i = m_i mu0* + l_i mu1* <w_i, beta*>
  const wb = new Float64Array(N);
  backend.gemv(true, 1, W1, betaStar, 0, wb);
  const b = new Float64Array(N);
  for (let i = 0; i < N; i++) b[i] = mean[i] * mu0Star + linear[i] * setup.teacher.mu1Star * wb[i];
  const { values, vectors } = backend.eigh(A);
  const projections = new Float64Array(N);
  backend.gemv(true, 1, vectors, b, 0, projections);
  const targetSecondMoment = setup.intercept ? setup.teacher.m2Star - setup.teacher.mu0Star ** 2 : setup.teacher.m2Star;
  return { N, eigenvalues: values, projections, targetSecondMoment, noise: setup.noise };
}

/** lam' of the (1/n)-normalised objective for the config's lambda ("sum": lambda N / n; "mean": lambda). */
export function lambdaPrime(lambda: number, normalization: 'sum' | 'mean', N: number, n: number): number {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`ridge.lambda: expected a finite number >= 0, got ${lambda}`);
  return normalization === 'sum' ? (lambda * N) / n : lambda;
}

/**
 * The Gaussian-equivalent risk of a prepared model for n readout samples and penalty lambda (config
 * normalisation). Eigenvalues below N eps max|s| count as zero (pseudo-inverse).
 */
export function finiteGeRisk(ge: FiniteGe, n: number, lambda: number, normalization: 'sum' | 'mean'): RidgeEquivalentResult {
  const s = ge.eigenvalues;
  const p = ge.projections;
  const N = ge.N;
  let maxS = 0;
  for (let j = 0; j < N; j++) maxS = Math.max(maxS, Math.abs(s[j]));
  const cutoff = N * Number.EPSILON * maxS;
  let rank = 0;
  let trace = 0;
  for (let j = 0; j < N; j++) {
    if (s[j] > cutoff) {
      rank++;
      trace += s[j];
    }
  }
  return ridgeEquivalent({
    n,
    lambda: lambdaPrime(lambda, normalization, N, n),
    rank,
    trace,
    targetSecondMoment: ge.targetSecondMoment,
    noise: ge.noise,
    traces(k) {
      let df1 = 0;
      let df2 = 0;
      for (let j = 0; j < N; j++) {
        if (!(s[j] > cutoff)) continue;
        const r = s[j] / (s[j] + k);
        df1 += r;
        df2 += r * r;
      }
      return { df1, df2 };
    },
    signal(k) {
      let Q = 0;
      let dQ = 0;
      for (let j = 0; j < N; j++) {
        if (!(s[j] > cutoff)) continue;
        const r = 1 / (s[j] + k);
        Q += p[j] * p[j] * r;
        dQ -= p[j] * p[j] * r * r;
      }
      return { Q, dQ };
    },
    bias(k) {
      let acc = 0;
      for (let j = 0; j < N; j++) {
        if (!(s[j] > cutoff)) continue;
        const r = k / (s[j] + k);
        acc += (p[j] * p[j] * r * r) / s[j];
      }
      return acc;
    },
  });
}
