/**
 * Deterministic exp and log for the ziggurat's rare steps (wedge: exp; tail: log).
 *
 * V8's Math.exp/Math.log and the C library's exp/log may differ in the last bit, which would break the
 * bit-identity of the TypeScript and native samplers. These two functions use only +, -, *, /,
 * comparisons and Math.floor, in the same order as their C++ twins det_exp/det_log in
 * native/src/random_core.h (compiled with -ffp-contract=off, so no fused multiply-add), hence return
 * identical doubles in both. Algorithms and coefficients: fdlibm 5.3 (Sun Microsystems 1993), e_exp.c
 * and e_log.c (Remez polynomials; error below 1 ulp). The constants are fdlibm's doubles written as
 * shortest round-trip decimals (IEEE words in the comments; the C++ uses the same literals). Only the
 * ranges the sampler needs are supported (see each function).
 */

const LN2_HI = 0.6931471803691238; // 0x3fe62e42_fee00000
const LN2_LO = 1.9082149292705877e-10; // 0x3dea39ef_35793c76
const INV_LN2 = 1.4426950408889634; // 0x3ff71547_652b82fe
const P1 = 0.16666666666666602; // 0x3fc55555_5555553e
const P2 = -0.0027777777777015593; // 0xbf66c16c_16bebd93
const P3 = 6.613756321437934e-5; // 0x3f11566a_af25de2c
const P4 = -1.6533902205465252e-6; // 0xbebbbd41_c5d26bf1
const P5 = 4.1381367970572385e-8; // 0x3e663769_72bea4d0

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

const LG1 = 0.6666666666666735; // 0x3fe55555_55555593
const LG2 = 0.3999999999940942; // 0x3fd99999_9997fa04
const LG3 = 0.2857142874366239; // 0x3fd24924_94229359
const LG4 = 0.22222198432149784; // 0x3fcc71c5_1d8e78af
const LG5 = 0.1818357216161805; // 0x3fc74664_96cb03de
const LG6 = 0.15313837699209373; // 0x3fc39a09_d078c69f
const LG7 = 0.14798198605116586; // 0x3fc2f112_df3e5244
const SQRT1_2 = 0.7071067811865476; // 0x3fe6a09e_667f3bcd

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
