/**
 * Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror & Shaw (2011), "Parallel random
 * numbers: as easy as 1, 2, 3", SC'11 (doi:10.1145/2063384.2063405), as specified by the Random123
 * library (philox.h): a 128-bit counter (c0, c1, c2, c3) and a 64-bit key (k0, k1) map to 128 random
 * bits through 10 rounds of
 *
 *   (hi0, lo0) = M0 * c0,  (hi1, lo1) = M1 * c2          (32 x 32 -> 64-bit products)
 *   (c0, c1, c2, c3) <- (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
 *   (k0, k1) <- (k0 + W0, k1 + W1) mod 2^32               (between rounds)
 *
 * with M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85. Pure integer arithmetic, so
 * the TypeScript here and native/src/random.cc agree bit for bit. Cost: 20 multiplications per 128 bits.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const M0_LO = M0 & 0xffff;
const M0_HI = M0 >>> 16;
const M1_LO = M1 & 0xffff;
const M1_HI = M1 >>> 16;
/**
 * High 32 bits of the 64-bit product a * m for uint32 a and m = mHi * 2^16 + mLo, by schoolbook
 * multiplication of 16-bit halves (each partial product is below 2^32, so exact in doubles).
 */
function mulhi(a: number, mLo: number, mHi: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const pLH = aLo * mHi;
  const pHL = aHi * mLo;
  const mid = ((aLo * mLo) >>> 16) + (pLH & 0xffff) + (pHL & 0xffff);
  return (aHi * mHi + (pLH >>> 16) + (pHL >>> 16) + (mid >>> 16)) | 0;
}

/**
 * Philox4x32-10 of counter (c0..c3) under key (k0, k1), all uint32; the four output words are written
 * to out[0..3] (no allocation, for inner loops).
 */
export function philox4x32(k0: number, k1: number, c0: number, c1: number, c2: number, c3: number, out: Uint32Array): void {
  // Words are kept as int32 (| 0) so that V8 never boxes them; the Uint32Array store reinterprets.
  let x0 = c0 | 0;
  let x1 = c1 | 0;
  let x2 = c2 | 0;
  let x3 = c3 | 0;
  let key0 = k0 | 0;
  let key1 = k1 | 0;
  for (let r = 0; r < 10; r++) {
    if (r > 0) {
      key0 = (key0 + W0) | 0;
      key1 = (key1 + W1) | 0;
    }
    const hi0 = mulhi(x0, M0_LO, M0_HI);
    const lo0 = Math.imul(x0, M0);
    const hi1 = mulhi(x2, M1_LO, M1_HI);
    const lo1 = Math.imul(x2, M1);
    x0 = hi1 ^ x1 ^ key0;
    x1 = lo1;
    x2 = hi0 ^ x3 ^ key1;
    x3 = lo0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
}
