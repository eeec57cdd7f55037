/**
 * Spectral inputs of the sRF equations (../shared/spec/srf.md section 3; Cui et al. 2024, arXiv 2402.04980,
 * section 4, the eigen-decomposition of the bulk covariance in the fixed-point equations).
 *
 * Omega = sqrt(c) W Pi sqrt(c) W^T (N x N; W with unit-norm rows in R^d; Pi the projector orthogonal to the
 * spike direction v) has eigenpairs (D_j, u_j); with v and zeta UNIT vectors (zeta ⊥ v)
 *   F_j = N (u_j^T sqrt(c) W v)^2,   H_j = N (u_j^T sqrt(c) W zeta)^2.
 * The equations only need the spectral sums, at S_j = lambda + Vh1 D_j + Vh2 (mean_j = (1/N) sum_j):
 *   A0 = mean 1/S, A1 = mean D/S, AF = mean F/S, AH = mean H/S,
 *   B0 = mean 1/S^2, B1 = mean D/S^2, B2 = mean D^2/S^2, BF = mean F/S^2, BDF = mean D F/S^2,
 *   BH = mean H/S^2, BDH = mean D H/S^2.
 *
 * Three spectra:
 * - `mpSpectrum(c, ratio)` (the asymptotic default, 'mp'): D ~ c x, x ~ Marchenko–Pastur with ratio
 *   y = N/d (mean 1, support (1 ± sqrt y)^2, plus an atom of mass 1 - 1/y at 0 when N > d), F_j -> c y,
 *   H_j -> y D_j (the law of W v is independent of W Pi, and W zeta is spread like the rows of W Pi).
 *   The sums are integrated EXACTLY through the Stieltjes transform of the MP law: with
 *   w = (lambda + Vh2) / (c Vh1), T = w + 1 + y, s = sqrt(T^2 - 4y) (the quadratic y w g^2 + (1 - y + w) g = 1
 *   of g(w) = E 1/(x + w); Marchenko & Pastur 1967, Bai & Silverstein 2010 ch. 3):
 *     E x/(x+w) = 2/(T + s),  E 1/(x+w) = 2/(s + 1 - y + w) (or (s - 1 + y - w)/(2 y w) when 1 - y + w < 0),
 *     E x/(x+w)^2 = E[x/(x+w)] / s,  E x^2/(x+w)^2 = E[x/(x+w)] ((1-y)^2 + 2 w (1+y)) / (s (s + w)),
 *     E 1/(x+w)^2 = g (1 + y g) / s,
 *   each written without cancellation (relative accuracy ~1e-15 for every lambda, including 1e8).
 * - `mpQuadratureSpectrum(c, ratio, n)`: the same law discretised (midpoint rule in the angle t of
 *   x = 1 + y + 2 sqrt(y) cos t, weights 2 sin^2(t)/(n x): the 2n-point periodic trapezoid rule, exponentially
 *   accurate away from y = 1 ± small), a discrete spectrum for cross-checks.
 * - `discreteSpectrum({ D, F, H, weights })` and `sampledSpectrum(...)` (./sampled.ts): finite N, the sums
 *   over the eigenvalues (O(N) per evaluation).
 */
import { NumericsError } from '../../numerics/errors.js';

/** The eleven spectral sums at S_j = lambda + Vh1 D_j + Vh2 (see the module comment). */
export interface SpectralSums {
  A0: number;
  A1: number;
  AF: number;
  AH: number;
  B0: number;
  B1: number;
  B2: number;
  BF: number;
  BDF: number;
  BH: number;
  BDH: number;
}

export interface SrfSpectrum {
  /** 'mp': exact Marchenko–Pastur integrals; 'discrete': finite sums (sampled or quadrature). */
  readonly kind: 'mp' | 'discrete';
  /** Short description for outputs, e.g. "Marchenko-Pastur c = 1.08, N/d = 1". */
  readonly description: string;
  /** Bulk variance c the spectrum was built with. */
  readonly c: number;
  /** N/d. */
  readonly ratio: number;
  /** Probability mass of D = 0 (1 - d/N when N > d, 0 otherwise). */
  readonly zeroMass: number;
  /** The sums at S = lambda + Vh1 D + Vh2; requires lambda + Vh2 > 0 or a spectrum without zero eigenvalues. */
  sums(lambda: number, Vh1: number, Vh2: number): SpectralSums;
}

function checkPositiveFinite(routine: string, name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new NumericsError(routine, `${name} must be a finite number > 0, got ${v}`);
}

/** MP integrals at w (see the module comment): E 1/(x+w), E x/(x+w), E 1/(x+w)^2, E x/(x+w)^2, E x^2/(x+w)^2. */
export function mpIntegrals(y: number, w: number): { g: number; u: number; k0: number; k1: number; k2: number } {
  const T = w + 1 + y;
  const oneMinusY = 1 - y;
  const s = Math.sqrt(oneMinusY * oneMinusY + 2 * w * (1 + y) + w * w); // = sqrt(T^2 - 4y)
  const u = 2 / (T + s);
  const t = oneMinusY + w;
  const g = t >= 0 ? 2 / (s + t) : (s - t) / (2 * y * w);
  const k0 = (g * (1 + y * g)) / s;
  const k1 = u / s;
  const k2 = (u * (oneMinusY * oneMinusY + 2 * w * (1 + y))) / (s * (s + w));
  return { g, u, k0, k1, k2 };
}

/** D ~ c MP(N/d), F = c N/d, H = (N/d) D, integrated exactly (see the module comment). */
export function mpSpectrum(c: number, ratio: number): SrfSpectrum {
  checkPositiveFinite('mpSpectrum', 'c', c);
  checkPositiveFinite('mpSpectrum', 'ratio (N/d)', ratio);
  const y = ratio;
  const Fc = c * y;
  return {
    kind: 'mp',
    description: `Marchenko-Pastur (exact integrals), c = ${c}, N/d = ${y}`,
    c,
    ratio: y,
    zeroMass: y > 1 ? 1 - 1 / y : 0,
    sums(lambda: number, Vh1: number, Vh2: number): SpectralSums {
      const sigma = lambda + Vh2;
      let A0: number, A1: number, B0: number, B1: number, B2: number;
      if (Vh1 === 0) {
        // S is constant: E x = 1, E x^2 = 1 + y.
        A0 = 1 / sigma;
        A1 = c / sigma;
        B0 = 1 / (sigma * sigma);
        B1 = c / (sigma * sigma);
        B2 = (c * c * (1 + y)) / (sigma * sigma);
      } else {
        const w = sigma / (c * Vh1);
        const m = mpIntegrals(y, w);
        const cv = c * Vh1;
        A0 = m.g / cv;
        A1 = m.u / Vh1;
        B0 = m.k0 / (cv * cv);
        B1 = m.k1 / (Vh1 * Vh1 * c);
        B2 = m.k2 / (Vh1 * Vh1);
      }
      return { A0, A1, AF: Fc * A0, AH: y * A1, B0, B1, B2, BF: Fc * B0, BDF: Fc * B1, BH: y * B1, BDH: y * B2 };
    },
  };
}

/** Inputs of a discrete spectrum: eigenvalues D_j and projections F_j, H_j; weights default to 1/N. */
export interface DiscreteSpectrumInput {
  D: ArrayLike<number>;
  F: ArrayLike<number>;
  H: ArrayLike<number>;
  /** Probability weights (sum 1); default uniform 1/N. */
  weights?: ArrayLike<number>;
  c: number;
  ratio: number;
  description?: string;
}

/** A finite spectrum: the sums are O(length) loops (see the module comment). */
export function discreteSpectrum(input: DiscreteSpectrumInput): SrfSpectrum {
  const routine = 'discreteSpectrum';
  const n = input.D.length;
  if (n === 0 || input.F.length !== n || input.H.length !== n || (input.weights && input.weights.length !== n)) {
    throw new NumericsError(routine, `D, F, H (and weights) must be non-empty and of equal length, got ${n}, ${input.F.length}, ${input.H.length}${input.weights ? `, ${input.weights.length}` : ''}`);
  }
  const D = Float64Array.from(input.D);
  const F = Float64Array.from(input.F);
  const H = Float64Array.from(input.H);
  const wts = input.weights ? Float64Array.from(input.weights) : new Float64Array(n).fill(1 / n);
  let zeroMass = 0;
  let total = 0;
  for (let j = 0; j < n; j++) {
    if (!(D[j] >= 0 && Number.isFinite(D[j])) || !(F[j] >= 0) || !(H[j] >= 0) || !(wts[j] >= 0)) {
      throw new NumericsError(routine, `entry ${j}: D, F, H and weights must be finite and >= 0, got D = ${D[j]}, F = ${F[j]}, H = ${H[j]}, weight = ${wts[j]}`);
    }
    total += wts[j];
    if (D[j] <= 1e-12 * (input.c || 1)) zeroMass += wts[j];
  }
  if (Math.abs(total - 1) > 1e-9) throw new NumericsError(routine, `weights must sum to 1, got ${total}`);
  return {
    kind: 'discrete',
    description: input.description ?? `discrete spectrum of ${n} eigenvalues, c = ${input.c}, N/d = ${input.ratio}`,
    c: input.c,
    ratio: input.ratio,
    zeroMass,
    sums(lambda: number, Vh1: number, Vh2: number): SpectralSums {
      const sigma = lambda + Vh2;
      let A0 = 0, A1 = 0, AF = 0, AH = 0, B0 = 0, B1 = 0, B2 = 0, BF = 0, BDF = 0, BH = 0, BDH = 0;
      for (let j = 0; j < n; j++) {
        const d = D[j];
        const iS = 1 / (sigma + Vh1 * d);
        const w1 = wts[j] * iS;
        const w2 = w1 * iS;
        A0 += w1;
        A1 += w1 * d;
        AF += w1 * F[j];
        AH += w1 * H[j];
        B0 += w2;
        B1 += w2 * d;
        B2 += w2 * d * d;
        BF += w2 * F[j];
        BDF += w2 * d * F[j];
        BH += w2 * H[j];
        BDH += w2 * d * H[j];
      }
      return { A0, A1, AF, AH, B0, B1, B2, BF, BDF, BH, BDH };
    },
  };
}

/**
 * The MP law discretised with n nodes (midpoint rule in the angle, see the module comment) plus the atom
 * at 0 when N > d; F = c N/d, H = (N/d) D. Accurate to ~1e-15 when n >> 1 / (distance of the nearest
 * singularity in the angle): for lambda + Vh2 well above 0 and N/d not within ~10/n of 1, a few hundred nodes.
 */
export function mpQuadratureSpectrum(c: number, ratio: number, n = 400): SrfSpectrum {
  checkPositiveFinite('mpQuadratureSpectrum', 'c', c);
  checkPositiveFinite('mpQuadratureSpectrum', 'ratio (N/d)', ratio);
  if (!Number.isInteger(n) || n < 2) throw new NumericsError('mpQuadratureSpectrum', `n must be an integer >= 2, got ${n}`);
  const y = ratio;
  const atom = y > 1 ? 1 - 1 / y : 0;
  const len = n + (atom > 0 ? 1 : 0);
  const D = new Float64Array(len);
  const F = new Float64Array(len).fill(c * y);
  const H = new Float64Array(len);
  const weights = new Float64Array(len);
  const sy = Math.sqrt(y);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t = ((i + 0.5) * Math.PI) / n;
    const x = 1 + y + 2 * sy * Math.cos(t);
    const st = Math.sin(t);
    weights[i] = (2 * st * st) / (n * x);
    sum += weights[i];
    D[i] = c * x;
    H[i] = y * D[i];
  }
  if (atom > 0) {
    weights[n] = atom;
    sum += atom;
  }
  // The continuous mass is min(1, 1/y) exactly; renormalise the rounding only.
  for (let i = 0; i < len; i++) weights[i] /= sum;
  return discreteSpectrum({ D, F, H, weights, c, ratio: y, description: `Marchenko-Pastur (${n}-node quadrature), c = ${c}, N/d = ${y}` });
}
