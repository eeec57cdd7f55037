/**
 * Asymptotic Gaussian-equivalent ridge risk: Marchenko–Pastur bulk plus the rank-one spike of the small
 * step, no sampling (one-step.md section 3, "with the Marchenko–Pastur law plus the rank-one spike").
 *
 * Model (Ba et al. 2022, arXiv 2205.01445, sections 3–4: after a step of scaling "one",
 * W1 = W0 + theta p q^T + o(1) in operator norm, p = u/|u| with <p, beta*> = gamma, q = a0/|a0|):
 * Gaussian-equivalent features phi = m + mu1 W1^T x + muPerp z (src/theory/gaussian-equivalent/finite.ts)
 * with m = mu0 1 (+ the norm fluctuations of gaussian W0, below). With t = muPerp^2 + k and
 * B = mu1^2 W0^T W0 + t I, Sigma + k = B + (a rank <= 3 update) and b = E phi f* lie in the span of
 *     e = 1/sqrt N,  dhat (norm fluctuations),  P = W0^T p,  Z = W0^T zeta (beta* = gamma p + rho zeta),  q,
 * (q = e for constant a0). For W0 with i.i.d. N(0, 1/d) entries or unit columns, independent of p, zeta
 * and q, the B^{-1}-Gram matrix of these vectors is asymptotically diagonal (free probability /
 * rotational invariance; Bai & Silverstein 2010, section 3.3; Couillet & Liao 2022, "Random Matrix Methods
 * for Machine Learning", section 2.2):
 *     e^T B^{-1} e = q^T B^{-1} q = g(t) = ∫ dMP_c(x) / (mu1^2 x + t),
 *     P^T B^{-1} P = Z^T B^{-1} Z = j(t) = (1/d) tr W0 B^{-1} W0^T = c ∫ x dMP_c(x) / (mu1^2 x + t),
 * c = N/d, and every cross term vanishes. Woodbury then gives Q(k) = b^T (Sigma + k)^{-1} b = b^T y with
 * (diag(1/G) + C) y = b, C the coefficients of the low-rank update in this basis, and
 * dQ/dk = sum_a y_a^2 G_a' / G_a^2. The traces df1, df2 are those of the bulk (N x MP_c, shifted and scaled;
 * finite-rank terms change them by O(1) out of n). The risk follows from ridge-equivalent.ts.
 * The derivation is featlearn's (not in the papers); it is checked against Mei & Montanari 2019 (arXiv
 * 1908.05355, Theorem 1) at theta = 0 (test/theory/random-features.test.ts: 1e-9 relative) and against the
 * finite-size equivalent on sampled W1 (test/theory/gaussian-equivalent.test.ts).
 *
 * The mean direction is kept at the config's finite N (its eigenvalue is mu0^2 N): with constant a0 the
 * spike's right vector q is the mean direction itself, so for a student with mu0 != 0 and no intercept the
 * spike is only usable at a cost that grows like N, and its benefit vanishes like N^{-1/2} (4–5% of the
 * risk at N = 1000 for relu). Keeping N finite reproduces the finite-size equivalent there (0.302 against
 * 0.303 ± 0.002 for relu/relu, theta = 2.5, d = N = 1000).
 * gaussian W0 (normFluctuation): m_i = mu0(|w_i|) ≈ mu0 + mu0'(1)(|w_i| - 1) with Var |w_i| = 1/(2d): a mean
 * fluctuation vector of squared norm c mu0'(1)^2 / 2 independent of the directions (it lets a centred
 * student with mu0 = 0, e.g. relu-centered, still fit the constant; global coefficients miss it).
 * Neuron rescaling by the step: by Stein's lemma sqrt(N) G_i = a0_i (mu1 u + (mu0* - f0) E[sigma''] w0_i + ...),
 * so w1_i = (1 + scaleShift q_i) w0_i + theta p q_i with scaleShift = eta (mu0* - f0) E[sigma''] (|a0| = 1; the
 * small-step version of the s0 of srf.md section 1). Each rescaling is O(N^{-1/2}), but it moves every
 * neuron's mean by mu0'(1) scaleShift q_i coherently: an O(1) mean vector mu0'(1) scaleShift q along q. It
 * matters when mu0 = 0 but E sigma'' != 0 (relu-centered: 3.5% of the risk at d = 800, eta = 2).
 * Second Hermite order along the mean direction: the Gaussian equivalent keeps only the linear part of
 * E sigma(<w_i, x>) sigma(<w_j, x>); the next term mu2^2 <w_i, w_j>^2 ≈ mu2^2 / d for i != j is a rank-one
 * matrix (mu2^2 N/d) e e^T of O(1) norm (El Karoui 2010, "The spectrum of kernel random matrices",
 * arXiv 1001.0492, Theorem 2.1). It is negligible beside mu0^2 N, but not when mu0 = 0 or with an
 * intercept, where the mean direction carries signal (the spike or the rescaling below): it is included.
 * Regime: d, N, n -> infinity proportionally; eta = 0 or step.scaling "one" (theta = O(1)); a linear
 * student (muPerp = 0) is refused.
 */
import { scaledMpStieltjes } from './marchenko-pastur.js';
import { ridgeEquivalent, type RidgeEquivalentResult } from './ridge-equivalent.js';
import { solveInto } from '../multi-index/small-linalg.js';

export interface GeAsymptoticParams {
  student: { mu0: number; mu1: number; mu2: number; muPerp2: number; dMu0: number };
  teacher: { mu0Star: number; mu1Star: number; m2Star: number };
  /** Label-noise variance Delta. */
  noise: number;
  /** c = N/d. */
  psi: number;
  /** n/d. */
  alpha: number;
  /** N (finite; the mean direction's eigenvalue is mu0^2 N). */
  width: number;
  /** lam' of the (1/n)-normalised objective ("sum": lambda N/n). */
  lambdaPrime: number;
  /**
   * The spike theta p q^T of W1 (null or theta = 0: random features). gamma = <p, beta*> (signed).
   * scaleShift: each neuron is also rescaled, w1_i = (1 + scaleShift q_i) w0_i + theta p q_i (module comment).
   */
  spike: { theta: number; gamma: number; direction: 'mean' | 'random'; scaleShift?: number } | null;
  /** gaussian W0: include the neuron-norm fluctuation of the means (module comment). */
  normFluctuation: boolean;
  intercept: boolean;
}

const BASIS = 5; // e, dhat, P, Z, q

function checkParams(p: GeAsymptoticParams): void {
  const bad: string[] = [];
  const pos = (name: string, v: number): void => {
    if (!(v > 0) || !Number.isFinite(v)) bad.push(`${name}: expected a finite number > 0, got ${v}`);
  };
  pos('psi', p.psi);
  pos('alpha', p.alpha);
  pos('width', p.width);
  if (!(p.lambdaPrime >= 0) || !Number.isFinite(p.lambdaPrime)) bad.push(`lambda: expected a finite number >= 0, got ${p.lambdaPrime}`);
  if (!(p.noise >= 0) || !Number.isFinite(p.noise)) bad.push(`teacher.noise: expected a finite number >= 0, got ${p.noise}`);
  if (!(p.student.muPerp2 > 1e-14 * Math.max(1, p.student.mu1 ** 2))) {
    bad.push(`student.activation: mu_perp^2 = ${p.student.muPerp2}; the asymptotic Gaussian equivalent needs a non-linear student (mu_perp > 0)`);
  }
  if (p.spike && (!Number.isFinite(p.spike.theta) || !(Math.abs(p.spike.gamma) <= 1))) bad.push(`spike: expected finite theta and |gamma| <= 1, got theta = ${p.spike.theta}, gamma = ${p.spike.gamma}`);
  if (bad.length > 0) throw new RangeError(`geAsymptotic: ${bad.join('; ')}`);
}

/** The asymptotic Gaussian-equivalent risk (module comment). */
export function geAsymptotic(p: GeAsymptoticParams): RidgeEquivalentResult {
  checkParams(p);
  const { mu0, mu1, mu2, muPerp2, dMu0 } = p.student;
  const mu1s2 = mu1 * mu1;
  const c = p.psi;
  const N = p.width;
  const n = (N * p.alpha) / p.psi;
  const intercept = p.intercept;
  const mu0Star = intercept ? 0 : p.teacher.mu0Star;
  const m2 = intercept ? p.teacher.m2Star - p.teacher.mu0Star ** 2 : p.teacher.m2Star;
  const theta = p.spike?.theta ?? 0;
  const gamma = p.spike ? p.spike.gamma : 0;
  const rho = Math.sqrt(Math.max(0, 1 - gamma * gamma));
  const qIndex = p.spike?.direction === 'mean' ? 0 : 4;

  // bulk traces: g(t) = ∫ 1/(mu1^2 x + t), j(t) = c ∫ x/(mu1^2 x + t)
  const bulk = (t: number): { g: number; dg: number; j: number; dj: number } => {
    if (mu1s2 === 0) return { g: 1 / t, dg: -1 / (t * t), j: c / t, dj: -c / (t * t) };
    const m = scaledMpStieltjes(c, mu1s2, t);
    return { g: m.value, dg: m.derivative, j: (c * (1 - t * m.value)) / mu1s2, dj: (-c * (m.value + t * m.derivative)) / mu1s2 };
  };

  // low-rank update C (constant in k) and b, in the basis e, dhat, P, Z, q
  const mean = new Array<number>(BASIS).fill(0);
  if (!intercept) {
    mean[0] = mu0 * Math.sqrt(N);
    if (p.normFluctuation) mean[1] = Math.sqrt((c * dMu0 * dMu0) / 2);
    mean[qIndex] += dMu0 * (p.spike?.scaleShift ?? 0);
  }
  const C: number[][] = Array.from({ length: BASIS }, (_, a) => mean.map((mb) => mean[a] * mb));
  // second Hermite order, coherent along 1: sum_{i != j} mu2^2 <w_i, w_j>^2 / N -> mu2^2 N/d (El Karoui 2010)
  C[0][0] += mu2 * mu2 * c;
  C[2][qIndex] += mu1s2 * theta;
  C[qIndex][2] += mu1s2 * theta;
  C[qIndex][qIndex] += mu1s2 * theta * theta;
  const b = mean.map((v) => mu0Star * v);
  b[2] += mu1 * p.teacher.mu1Star * gamma;
  b[3] += mu1 * p.teacher.mu1Star * rho;
  b[qIndex] += mu1 * p.teacher.mu1Star * theta * gamma;

  const signal = (k: number): { Q: number; dQ: number } => {
    const t = muPerp2 + k;
    const { g, dg, j, dj } = bulk(t);
    const G = [g, g, j, j, g];
    const dG = [dg, dg, dj, dj, dg];
    const A = new Float64Array(BASIS * BASIS);
    for (let a = 0; a < BASIS; a++) for (let bb = 0; bb < BASIS; bb++) A[a * BASIS + bb] = C[a][bb] + (a === bb ? 1 / G[a] : 0);
    const y = new Float64Array(BASIS);
    if (!solveInto(A, b, BASIS, y)) throw new RangeError('geAsymptotic: singular Woodbury system (internal error)');
    let Q = 0;
    let dQ = 0;
    for (let a = 0; a < BASIS; a++) {
      Q += b[a] * y[a];
      dQ += (y[a] * y[a] * dG[a]) / (G[a] * G[a]);
    }
    return { Q, dQ };
  };
  return ridgeEquivalent({
    n,
    lambda: p.lambdaPrime,
    rank: N,
    trace: N * (mu1s2 + muPerp2),
    targetSecondMoment: m2,
    noise: p.noise,
    traces(k) {
      const { g, dg } = bulk(muPerp2 + k);
      return { df1: N * (1 - k * g), df2: N * (1 - 2 * k * g - k * k * dg) };
    },
    signal,
  });
}
