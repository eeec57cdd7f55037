/**
 * How featlearn's random streams are laid out on Philox4x32-10 counters. Shared, word for word, by the
 * TypeScript samplers and native/src/random.cc; changing anything here changes every draw.
 *
 * A counter is (c0, c1, c2, c3). c3 is a TAG naming the kind of draw, so that the same key used for a
 * normal fill and a uniform fill gives unrelated numbers. For stream position p (0 <= p < 2^53):
 *
 * - Paired streams (normal, uniform, bounded integers): element p owns half h = p mod 2 of the blocks
 *   Philox(key, (j mod 2^32, floor(j / 2^32), d, TAG)) with j = floor(p / 2); its d-th 64-bit draw is
 *   lo + 2^32 hi with (lo, hi) = words (2h, 2h + 1) of block d. So element p's draws are a pure function
 *   of (key, p, d): a fill can be split into chunks and threads anywhere, and a rejection step of one
 *   element (more draws d = 1, 2, ...) never shifts another element's draws.
 * - Rademacher: position p is bit (p mod 128) of Philox(key, (j mod 2^32, floor(j / 2^32), 0, TAG)) with
 *   j = floor(p / 128): bit b of the 128 is bit (b mod 32) of word floor(b / 32).
 * - foldIn: child key = words (0, 1) of Philox(key, (lo, hi, 0, TAG)) where (lo, hi) is the integer label
 *   or the SipHash-2-4 of the string label's UTF-8 bytes.
 */

/** ASCII of four letters, one tag per kind of draw. */
export const TAG_NORMAL = 0x6e6f726d; // 'norm'
export const TAG_UNIFORM = 0x756e6966; // 'unif'
export const TAG_RADEMACHER = 0x72616465; // 'rade'
export const TAG_INT = 0x696e7473; // 'ints'
export const TAG_PERMUTATION = 0x7065726d; // 'perm'
export const TAG_FOLD_INT = 0x666f6c69; // 'foli'
export const TAG_FOLD_STRING = 0x666f6c73; // 'fols'

/** Largest stream position + 1: positions are safe integers, so chunk offsets stay exact in doubles. */
export const MAX_POSITION = 2 ** 53;

export const TWO32 = 4294967296;
/** 2^-53: a 53-bit integer m maps to the double m * 2^-53 in [0, 1), exactly. */
export const TWO_M53 = 1.1102230246251565e-16;

/** The top 53 bits of the 64-bit draw lo + 2^32 hi, as an exact double in [0, 2^53). */
export function top53(lo: number, hi: number): number {
  return hi * 2097152 + (lo >>> 11);
}
