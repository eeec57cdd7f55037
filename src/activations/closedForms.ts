/**
 * Closed-form Hermite coefficients of the built-in activations at input scale s > 0 and shift m:
 *   mu_k = E[sigma(m + s Z) He_k(Z)] / sqrt(k!) = s^k E[sigma^(k)(m + s Z)] / sqrt(k!)
 * (the second form is Stein's lemma applied k times, in the distributional sense). Write t = m/s,
 * h_j = He_j / sqrt(j!), phi, Phi the standard normal pdf/cdf.
 *
 * - relu:   mu_0 = m Phi(t) + s phi(t),  mu_1 = s Phi(t),
 *           mu_k = s h_{k-2}(-t) phi(t) / sqrt(k (k-1))  (k >= 2; relu'' = delta),
 *           E relu^2 = (m^2 + s^2) Phi(t) + m s phi(t).
 * - step H(x) = 1{x > 0}: mu_0 = Phi(t), mu_k = h_{k-1}(-t) phi(t) / sqrt(k) (k >= 1); sign = 2H - 1.
 * - abs(x) = relu(x) + relu(-x), and relu(-(m + sZ)) has coefficients (-1)^k mu_k^relu(-m, s).
 * - erf:    erf' = 2 N(0, 1/2) density, and E over Z of a Gaussian density is a Gaussian density with
 *           variance v = 1/2 + s^2; so with r = sqrt(v), mu_0 = erf(m / sqrt(1 + 2 s^2)) and
 *           mu_k = 2 (s/r)^k h_{k-1}(-m/r) phi(m/r) / sqrt(k)  (k >= 1);
 *           E erf(sZ)^2 = (2/pi) asin(2 s^2 / (1 + 2 s^2)) (m = 0 only; Williams 1997, "Computing with
 *           infinite networks"), no elementary form for m != 0 (quadrature is used).
 * - sin/cos: E sin(m + kpi/2 + sZ) = sin(m + k pi/2) exp(-s^2/2), so mu_k = s^k exp(-s^2/2)
 *           sin(m + k pi/2) / sqrt(k!), and E sin^2 = (1 - cos(2m) exp(-2 s^2)) / 2 (cos likewise).
 * Every formula is checked against quadrature in test/activations/coefficients.test.ts.
 */
import { hermiteNormalizedValues } from '../numerics/hermite.js';
import { erf, normalCdf, normalPdf } from '../numerics/special.js';
import type { ClosedFormMoments } from './types.js';

export function reluCoefficients(K: number, s: number, m: number): number[] {
  const t = m / s;
  const Phi = normalCdf(t);
  const phi = normalPdf(t);
  const mu = new Array<number>(K + 1).fill(0);
  mu[0] = m * Phi + s * phi;
  if (K >= 1) mu[1] = s * Phi;
  if (K >= 2) {
    const h = hermiteNormalizedValues(-t, K - 2);
    for (let k = 2; k <= K; k++) mu[k] = (s * h[k - 2] * phi) / Math.sqrt(k * (k - 1));
  }
  return mu;
}

export function reluSecondMoment(s: number, m: number): number {
  const t = m / s;
  return (m * m + s * s) * normalCdf(t) + m * s * normalPdf(t);
}

/** Coefficients of the unit step H(x) = 1{x > 0}. */
export function stepCoefficients(K: number, s: number, m: number): number[] {
  const t = m / s;
  const phi = normalPdf(t);
  const mu = new Array<number>(K + 1).fill(0);
  mu[0] = normalCdf(t);
  if (K >= 1) {
    const h = hermiteNormalizedValues(-t, K - 1);
    for (let k = 1; k <= K; k++) mu[k] = (h[k - 1] * phi) / Math.sqrt(k);
  }
  return mu;
}

export const reluClosedForm: ClosedFormMoments = { coefficients: reluCoefficients, secondMoment: reluSecondMoment };

export const signClosedForm: ClosedFormMoments = {
  coefficients(K, s, m) {
    const mu = stepCoefficients(K, s, m).map((v) => 2 * v);
    mu[0] -= 1;
    return mu;
  },
  secondMoment: () => 1, // sign^2 = 1 except on a null set when s > 0
};

export const absClosedForm: ClosedFormMoments = {
  coefficients(K, s, m) {
    const a = reluCoefficients(K, s, m);
    const b = reluCoefficients(K, s, -m);
    return a.map((v, k) => v + (k % 2 === 0 ? b[k] : -b[k]));
  },
  secondMoment: (s, m) => m * m + s * s,
};

/** relu(x) - 1/sqrt(2 pi): zero mean at s = 1, m = 0. */
export const RELU_CENTER = 1 / Math.sqrt(2 * Math.PI);
export const reluCenteredClosedForm: ClosedFormMoments = {
  coefficients(K, s, m) {
    const mu = reluCoefficients(K, s, m);
    mu[0] -= RELU_CENTER;
    return mu;
  },
  secondMoment(s, m) {
    const c = RELU_CENTER;
    return reluSecondMoment(s, m) - 2 * c * reluCoefficients(0, s, m)[0] + c * c;
  },
};

export const erfClosedForm: ClosedFormMoments = {
  coefficients(K, s, m) {
    const mu = new Array<number>(K + 1).fill(0);
    mu[0] = erf(m / Math.sqrt(1 + 2 * s * s));
    if (K >= 1) {
      const r = Math.sqrt(0.5 + s * s);
      const h = hermiteNormalizedValues(-m / r, K - 1);
      const phi = normalPdf(m / r);
      let ratio = 1;
      for (let k = 1; k <= K; k++) {
        ratio *= s / r;
        mu[k] = (2 * ratio * h[k - 1] * phi) / Math.sqrt(k);
      }
    }
    return mu;
  },
  secondMoment(s, m) {
    if (m !== 0) return undefined;
    return (2 / Math.PI) * Math.asin((2 * s * s) / (1 + 2 * s * s));
  },
};

/** sin(m + k pi/2) (cosine = false) or cos(m + k pi/2) (cosine = true) without rounding k pi/2. */
function shiftedTrig(m: number, k: number, cosine: boolean): number {
  const s = Math.sin(m);
  const c = Math.cos(m);
  const j = (k + (cosine ? 1 : 0)) % 4; // cos(x) = sin(x + pi/2)
  return j === 0 ? s : j === 1 ? c : j === 2 ? -s : -c;
}

function trigClosedForm(cosine: boolean): ClosedFormMoments {
  return {
    coefficients(K, s, m) {
      const mu = new Array<number>(K + 1).fill(0);
      let r = Math.exp(-0.5 * s * s); // s^k exp(-s^2/2) / sqrt(k!)
      for (let k = 0; k <= K; k++) {
        if (k > 0) r *= s / Math.sqrt(k);
        mu[k] = r * shiftedTrig(m, k, cosine);
      }
      return mu;
    },
    secondMoment(s, m) {
      const c = Math.cos(2 * m) * Math.exp(-2 * s * s);
      return cosine ? (1 + c) / 2 : (1 - c) / 2;
    },
  };
}

export const sinClosedForm = trigClosedForm(false);
export const cosClosedForm = trigClosedForm(true);

export const linearClosedForm: ClosedFormMoments = {
  coefficients(K, s, m) {
    const mu = new Array<number>(K + 1).fill(0);
    mu[0] = m;
    if (K >= 1) mu[1] = s;
    return mu;
  },
  secondMoment: (s, m) => m * m + s * s,
};
