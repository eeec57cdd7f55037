/**
 * Deterministic exp and log for the ziggurat's rare steps (wedge: exp; tail: log).
 *
 * V8's Math.exp/Math.log and the C library's exp/log may differ in the last bit, which would break the
 * bit-identity of the TypeScript and native samplers. These two functions use only +, -, *, /,
 * comparisons and Math.floor, in the same order as their C++ twins in native/src/random.cc (compiled
 * with -ffp-contract=off, so no fused multiply-add), hence return identical doubles in both.
 * Algorithms and coefficients: fdlibm 5.3 (Sun Microsystems 1993), e_exp.c and e_log.c (Remez
 * polynomials; error below 1 ulp). Only the ranges the sampler needs are supported (see each function).
 */

const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700e0;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;

/**
 * exp(x) for -700 <= x <= 700 (the sampler uses -7 <= x <= 0). fdlibm e_exp.c: x = k ln2 + r with
 * |r| <= ln2/2, exp(r) = 1 + 2r/(R(r^2) - r) via the Remez polynomial c, then scaling by 2^k through
 * exact multiplications by 2 or 1/2.
 */
export function detExp(x: number): number {
  const k = Math.floor(x * INV_LN2 + 0.5);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  let y = 1 - (lo - (r * c) / (2 - c) - hi);
  if (k < 0) for (let i = 0; i > k; i--) y *= 0.5;
  else for (let i = 0; i < k; i++) y *= 2;
  return y;
}

const LG1 = 6.666666666666735130e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;
const SQRT1_2 = 0.70710678118654752440;

/**
 * log(u) for 2^-60 <= u <= 1 (the sampler passes u in [2^-53, 1]). fdlibm e_log.c: u = 2^k m with
 * m in [sqrt(1/2), 1] found by exact doubling, f = m - 1, s = f/(2+f),
 * log(m) = f - s(f - R(s^2)) with the Remez polynomial R, and log u = k ln2 + log m (ln2 split in
 * hi and lo parts).
 */
export function detLog(u: number): number {
  let k = 0;
  let m = u;
  while (m < SQRT1_2) {
    m *= 2;
    k--;
  }
  const f = m - 1;
  const hfsq = 0.5 * f * f;
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  return k * LN2_HI - (hfsq - (s * (hfsq + r) + k * LN2_LO) - f);
}
