/**
 * The Stieltjes transform of the Marchenko–Pastur law on the negative real axis, in closed form.
 *
 * MP_c is the limiting spectral law of W^T W (N x N) for W (d x N) with i.i.d. N(0, 1/d) entries (or unit
 * columns), c = N/d: mean 1, support [(1 - sqrt c)^2, (1 + sqrt c)^2], plus an atom of mass 1 - 1/c at 0
 * when c > 1 (Marchenko & Pastur 1967; Bai & Silverstein 2010, "Spectral Analysis of Large Dimensional
 * Random Matrices", section 3.3, eq. (3.3.1)–(3.3.2)). Its Stieltjes transform G(z) = ∫ dMP_c(x)/(x - z)
 * solves c z G^2 - (1 - c - z) G + 1 = 0. At z = -s, s > 0, this is c s G^2 + (1 - c + s) G - 1 = 0 with
 * the unique positive root
 *     G = 2 / ((1 - c + s) + sqrt((1 - c + s)^2 + 4 c s))                      (1 - c + s >= 0)
 *       = (sqrt((1 - c + s)^2 + 4 c s) - (1 - c + s)) / (2 c s)                  (otherwise),
 * the two forms chosen to avoid cancellation. dG/ds follows by implicit differentiation:
 *     dG/ds = -(c G^2 + G) / (2 c s G + 1 - c + s).
 * Pure arithmetic; valid for every c > 0, s > 0 (s -> 0 gives 1/(1 - c) for c < 1 and diverges for c >= 1).
 */
import { NumericsError } from '../../numerics/errors.js';

export interface MpStieltjes {
  /** m(s) = ∫ dMP_c(x) / (x + s). */
  value: number;
  /** dm/ds (negative). */
  derivative: number;
}

/** ∫ dMP_c(x) / (x + s) and its s-derivative, for c > 0 and s > 0 (module comment). */
export function mpStieltjes(c: number, s: number): MpStieltjes {
  if (!(c > 0) || !Number.isFinite(c)) throw new NumericsError('mpStieltjes', `c must be a finite number > 0, got ${c}`);
  if (!(s > 0) || !Number.isFinite(s)) throw new NumericsError('mpStieltjes', `s must be a finite number > 0, got ${s}`);
  const b = 1 - c + s;
  const disc = Math.sqrt(b * b + 4 * c * s);
  const G = b >= 0 ? 2 / (b + disc) : (disc - b) / (2 * c * s);
  const derivative = -(c * G * G + G) / (2 * c * s * G + b);
  return { value: G, derivative };
}

/**
 * The traces the ridge deterministic equivalent needs for Sigma = a X + t I with X ~ MP_c (a > 0, t > 0):
 * g(t) = ∫ dMP_c(x) / (a x + t) = m(t/a)/a and dg/dt = m'(t/a)/a^2.
 */
export function scaledMpStieltjes(c: number, a: number, t: number): MpStieltjes {
  if (!(a > 0) || !Number.isFinite(a)) throw new NumericsError('scaledMpStieltjes', `a must be a finite number > 0, got ${a}`);
  const m = mpStieltjes(c, t / a);
  return { value: m.value / a, derivative: m.derivative / (a * a) };
}

/**
 * The same law for the nonzero singular values s of W (d x N, i.i.d. N(0, 1/d) entries, c = N/d): with
 * gamma = min(c, 1/c), lambda = s^2 / max(c, 1) follows MP_gamma's continuous part, so s has density
 * 2 s / max(c, 1) * p_gamma(s^2 / max(c, 1)) on [|1 - sqrt c|, 1 + sqrt c], integrating to 1 over the
 * min(d, N) nonzero values (Marchenko & Pastur 1967).
 */
export function marchenkoPasturSingularDensity(s: number, c: number): number {
  const gamma = Math.min(c, 1 / c);
  const scale = Math.max(c, 1);
  const a = (1 - Math.sqrt(gamma)) ** 2;
  const b = (1 + Math.sqrt(gamma)) ** 2;
  const l = (s * s) / scale;
  if (!(l > a && l < b)) return 0;
  return ((2 * s) / scale) * (Math.sqrt((b - l) * (l - a)) / (2 * Math.PI * gamma * l));
}
