/**
 * Special functions of the Gaussian: erf, erfc, the standard normal pdf, cdf (Phi), log-cdf and quantile.
 *
 * erf / erfc follow the rational approximations of Sun's fdlibm `s_erf.c` (SunPro, 1993; "Permission to
 * use, copy, modify, and distribute this software is freely granted, provided that this notice is
 * preserved"). The coefficients below are fdlibm's; the error bounds it states are < 1 ulp for erf and
 * relative errors of order 2^-57 .. 2^-61 for the fitted rational functions, so erfc keeps full relative
 * accuracy in its tail (erfc(10) ~ 2.09e-45) until it underflows near x = 27.2.
 *
 * Method (fdlibm's, restated):
 *  1. |x| < 0.84375:        erf(x) = x + x R(x^2),  R = P/Q;  erfc = 1 - erf (or 0.5 + ((0.5 - x) - x R)).
 *  2. 0.84375 <= |x| < 1.25: erf(x) = sign(x) (c + P1(s)/Q1(s)), s = |x| - 1, c = (float) 0.84506291151.
 *  3. 1.25 <= |x| < 28:      erfc(x) = exp(-x^2 - 0.5625 + R(1/x^2)/S(1/x^2)) / x, with two fits split at
 *                            1/0.35; -x^2 is evaluated as -z^2 + (z - x)(z + x) where z is x rounded to
 *                            single precision (Math.fround), so z^2 is exact.
 *  4. |x| >= 28:             erfc underflows to 0, erf = sign(x).
 *
 * The normal-distribution functions build on these with care for the tails: exp(-x^2/2) is evaluated with
 * the same single-precision split (so its relative error does not grow like x^2 eps), the lower tail of
 * Phi uses the scaled erfcx (no cancellation, no underflow in the log-cdf), and the quantile is polished
 * by Newton steps on log Phi from the Abramowitz & Stegun 26.2.23 start (as in Acklam's refinement).
 *
 * Pure TypeScript, no Node-only imports (bundled for the browser too).
 */
import { NumericsError } from './errors.js';

const ERX = 8.45062911510467529297e-1; // (float) 0.84506291151
const EFX = 1.28379167095512586316e-1; // 2/sqrt(pi) - 1

// erf on [0, 0.84375]: R = PP(z)/QQ(z), z = x^2
const PP = [1.28379167095512558561e-1, -3.25042107247001499370e-1, -2.84817495755985104766e-2, -5.77027029648944159157e-3, -2.37630166566501626084e-5];
const QQ = [1, 3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3, 1.32494738004321644526e-4, -3.96022827877536812320e-6];
// erf on [0.84375, 1.25]: PA(s)/QA(s), s = |x| - 1
const PA = [-2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1, 3.18346619901161753674e-1, -1.10894694282396677476e-1, 3.54783043256182359371e-2, -2.16637559486879084300e-3];
const QA = [1, 1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2, 1.26171219808761642112e-1, 1.36370839120290507362e-2, 1.19844998467991074170e-2];
// erfc on [1.25, 1/0.35]: RA(s)/SA(s), s = 1/x^2
const RA = [-9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1, -6.23753324503260060396e1, -1.62396669462573470355e2, -1.84605092906711035994e2, -8.12874355063065934246e1, -9.81432934416914548592];
const SA = [1, 1.96512716674392571292e1, 1.37657754143519042600e2, 4.34565877475229228821e2, 6.45387271733267880336e2, 4.29008140027567833386e2, 1.08635005541779435134e2, 6.57024977031928170135, -6.04244152148580987438e-2];
// erfc on [1/0.35, 28]: RB(s)/SB(s), s = 1/x^2
const RB = [-9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1, -1.60636384855821916062e2, -6.37566443368389627722e2, -1.02509513161107724954e3, -4.83519191608651397019e2];
const SB = [1, 3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3, 3.19985821950859553908e3, 2.55305040643316442583e3, 4.74528541206955367215e2, -2.24409524465858183362e1];

/** Horner evaluation of sum_k c[k] t^k. */
function horner(c: readonly number[], t: number): number {
  let acc = c[c.length - 1];
  for (let k = c.length - 2; k >= 0; k--) acc = acc * t + c[k];
  return acc;
}

/** erf(x) - x / x on |x| < 0.84375 (the R of step 1). */
function smallR(x: number): number {
  const z = x * x;
  return horner(PP, z) / horner(QQ, z);
}

/** erf(|x|) - ERX on 0.84375 <= |x| < 1.25 (step 2). */
function midP(ax: number): number {
  const s = ax - 1;
  return horner(PA, s) / horner(QA, s);
}

/** log(erfc(ax) exp(ax^2) ax) + 0.5625 for 1.25 <= ax < 28: the fitted R/S of step 3. */
function tailRS(ax: number): number {
  const s = 1 / (ax * ax);
  return ax < 1 / 0.35 ? horner(RA, s) / horner(SA, s) : horner(RB, s) / horner(SB, s);
}

/** erfc(ax) for 1.25 <= ax < 28 (step 3), full relative accuracy. */
function tailErfc(ax: number): number {
  const z = Math.fround(ax); // 24 significant bits: z*z and z*z + 0.5625 are exact for ax < 28
  return (Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + tailRS(ax))) / ax;
}

/** The error function erf(x) = 2/sqrt(pi) int_0^x exp(-t^2) dt (fdlibm algorithm, < 1 ulp). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 2 ** -28) return x + EFX * x;
    return x + x * smallR(x);
  }
  if (ax < 1.25) {
    const v = ERX + midP(ax);
    return x >= 0 ? v : -v;
  }
  if (ax >= 6) return x >= 0 ? 1 : -1;
  const v = 1 - tailErfc(ax);
  return x >= 0 ? v : -v;
}

/** The complementary error function erfc(x) = 1 - erf(x), relatively accurate for large positive x. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 2 ** -56) return 1 - x;
    const r = x * smallR(x);
    if (x < 0.25) return 1 - (x + r);
    return 0.5 - (r + (x - 0.5));
  }
  if (ax < 1.25) {
    const p = midP(ax);
    return x >= 0 ? 1 - ERX - p : 1 + (ERX + p);
  }
  if (ax < 28) {
    if (x < -6) return 2;
    const r = tailErfc(ax);
    return x > 0 ? r : 2 - r;
  }
  return x > 0 ? 0 : 2;
}

const SQRT2 = Math.SQRT2;
const SQRT_PI = Math.sqrt(Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * The scaled complementary error function erfcx(x) = exp(x^2) erfc(x), relatively accurate everywhere it
 * is finite (it overflows for x < -26.6). For x >= 1.25 it is exp(-0.5625 + R/S)/x from the fdlibm fit;
 * for x >= 28 the asymptotic series 1/(x sqrt(pi)) sum_k (-1)^k (2k-1)!!/(2x^2)^k, 8 terms (error < 1e-17).
 */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 1.25) {
    if (x < -26.7) return Infinity;
    if (x < 0) return 2 * expSquare(x) - erfcx(-x);
    return Math.exp(x * x) * erfc(x);
  }
  if (x < 28) return Math.exp(-0.5625 + tailRS(x)) / x;
  if (x === Infinity) return 0;
  const t = 1 / (2 * x * x);
  let term = 1;
  let sum = 1;
  for (let k = 1; k <= 8; k++) {
    term *= -(2 * k - 1) * t;
    sum += term;
  }
  return sum / (x * SQRT_PI);
}

/** exp(x^2) with the x^2 rounding error removed (x = z + (x - z), z with 24 bits so z*z is exact). */
function expSquare(x: number): number {
  if (!(Math.abs(x) < 1e10)) return Math.exp(x * x);
  const z = Math.fround(x);
  return Math.exp(z * z) * Math.exp((x - z) * (x + z));
}

/** exp(-x^2/2) to full relative accuracy (same splitting as expSquare). */
function expHalfSquare(x: number): number {
  if (!(Math.abs(x) < 1e10)) return Math.exp(-0.5 * x * x);
  const z = Math.fround(x);
  return Math.exp(-0.5 * (z * z)) * Math.exp(-0.5 * (x - z) * (x + z));
}

/** Standard normal density phi(x) = exp(-x^2/2) / sqrt(2 pi), relatively accurate until it underflows (|x| ~ 38.6). */
export function normalPdf(x: number): number {
  return expHalfSquare(x) / SQRT_2PI;
}

/** log phi(x) = -x^2/2 - log sqrt(2 pi). */
export function normalLogPdf(x: number): number {
  return -0.5 * x * x - LOG_SQRT_2PI;
}

const TAIL_SWITCH = -1.25 * SQRT2; // below this, Phi(x) = exp(-x^2/2) erfcx(-x/sqrt 2) / 2

/**
 * Standard normal cdf Phi(x) = P(Z <= x) = erfc(-x/sqrt 2)/2. Relatively accurate in the lower tail
 * (Phi(-30) ~ 4.9e-198, via erfcx so the x/sqrt 2 rounding does not cost x^2 eps); in the upper tail it is
 * 1 - (tiny): use normalSf for P(Z > x).
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= TAIL_SWITCH) return 0.5 * erfc(-x / SQRT2);
  return 0.5 * expHalfSquare(x) * erfcx(-x / SQRT2);
}

/** Standard normal survival function P(Z > x) = Phi(-x), relatively accurate in the upper tail. */
export function normalSf(x: number): number {
  return normalCdf(-x);
}

/**
 * log Phi(x), finite for every finite x: log1p(-Phi(-x)) for x > 0, log Phi(x) near the centre and
 * -x^2/2 + log(erfcx(-x/sqrt 2)/2) in the lower tail (no underflow).
 */
export function normalLogCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > 0) return Math.log1p(-normalCdf(-x));
  if (x >= TAIL_SWITCH) return Math.log(normalCdf(x));
  if (x === -Infinity) return -Infinity;
  return -0.5 * x * x + Math.log(0.5 * erfcx(-x / SQRT2));
}

/** Inverse Mills ratio phi(x) / Phi(x), accurate in the lower tail (where it grows like -x). */
export function normalHazardLower(x: number): number {
  if (x >= TAIL_SWITCH) return normalPdf(x) / normalCdf(x);
  return Math.sqrt(2 / Math.PI) / erfcx(-x / SQRT2);
}

/**
 * Standard normal quantile Phi^{-1}(p), to ~1 ulp relative. Start: Abramowitz & Stegun 26.2.23 (error
 * < 4.5e-4); then Newton on log Phi(x) = log p (derivative phi/Phi), which stays well conditioned in the
 * far tail (p down to the smallest subnormal). For p > 1/2 it uses -Phi^{-1}(1 - p) (1 - p is exact there).
 * Throws if p is outside [0, 1]; NaN gives NaN.
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p)) return NaN;
  if (p < 0 || p > 1) throw new NumericsError('normalQuantile', `p must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -lowerQuantile(1 - p);
  return lowerQuantile(p);
}

/** Phi^{-1}(p) for 0 < p <= 1/2. */
function lowerQuantile(p: number): number {
  if (p === 0.5) return 0;
  const t = Math.sqrt(-2 * Math.log(p));
  let x = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) / (1 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
  const logp = Math.log(p);
  for (let it = 0; it < 20; it++) {
    const dx = (normalLogCdf(x) - logp) / normalHazardLower(x);
    x -= dx;
    if (Math.abs(dx) <= 1e-16 * Math.abs(x) || dx === 0) break;
  }
  return x;
}

/**
 * Inverse error function: erf(erfinv(y)) = y for y in [-1, 1]. |y| <= 1/2: Halley steps on erf from the
 * Maclaurin start sqrt(pi)/2 (y + pi y^3/12 + 7 pi^2 y^5/480); otherwise -Phi^{-1}((1-|y|)/2)/sqrt 2
 * ((1 - |y|)/2 is exact there, so the tail keeps its accuracy). Throws outside [-1, 1].
 */
export function erfinv(y: number): number {
  if (Number.isNaN(y)) return NaN;
  if (y < -1 || y > 1) throw new NumericsError('erfinv', `y must be in [-1, 1], got ${y}`);
  const ay = Math.abs(y);
  if (ay === 1) return y * Infinity;
  if (ay > 0.5) {
    const x = -lowerQuantile((1 - ay) / 2) / SQRT2;
    return y > 0 ? x : -x;
  }
  if (ay === 0) return y;
  const y2 = y * y;
  let x = (SQRT_PI / 2) * y * (1 + y2 * (Math.PI / 12 + y2 * ((7 * Math.PI * Math.PI) / 480)));
  for (let it = 0; it < 6; it++) {
    const u = ((erf(x) - y) * SQRT_PI * expSquare(x)) / 2; // (erf(x) - y) / erf'(x)
    const dx = u / (1 + x * u); // Halley: erf'' = -2x erf'
    x -= dx;
    if (Math.abs(dx) <= 1e-17 * Math.abs(x)) break;
  }
  return x;
}
