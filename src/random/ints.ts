/**
 * Bounded integers and permutations from a key (e.g. to shuffle samples into minibatches).
 *
 * A uniform integer in [0, bound) at stream position p: take m = the top 53 bits of draw d = 0, 1, ...
 * of element p (./layout.ts, tag 'ints' or 'perm'), reject m >= floor(2^53 / bound) * bound, return
 * m mod bound (rejection makes it exactly uniform; a rejection has probability < bound / 2^53).
 */
import { describe } from './check.js';
import { checkKey, type Key } from './key.js';
import { TAG_INT, TAG_PERMUTATION } from './layout.js';
import { pairedTop53 } from './ziggurat.js';

const TWO53 = 2 ** 53;

function intAt(k0: number, k1: number, p: number, bound: number, tag: number): number {
  const limit = Math.floor(TWO53 / bound) * bound;
  for (let d = 0; ; d++) {
    const m = pairedTop53(k0, k1, p, d, tag);
    if (m < limit) return m % bound;
  }
}

/** A uniform integer in [0, bound), bound an integer from 1 to 2^53 - 1 (position 0 of the 'ints' stream). */
export function uniformInt(key: Key, bound: number): number {
  checkKey('key', key);
  if (typeof bound !== 'number' || !Number.isSafeInteger(bound) || bound < 1) {
    throw new RangeError(`bound: expected an integer from 1 to 2^53 - 1, got ${describe(bound)}`);
  }
  return intAt(key[0], key[1], 0, bound, TAG_INT);
}

/**
 * A uniformly random permutation of 0 .. n-1, by the Fisher–Yates shuffle (Durstenfeld 1964, Knuth
 * TAOCP vol. 2, Algorithm 3.4.2P): for i = n-1 down to 1, swap a[i] with a[j], j uniform in [0, i] drawn
 * at position i of the 'perm' stream. Cost: O(n) time, 4n bytes. n from 0 to 2^32 - 1.
 */
export function permutation(key: Key, n: number): Uint32Array {
  checkKey('key', key);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new RangeError(`n: expected an integer from 0 to 2^32 - 1, got ${describe(n)}`);
  }
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  for (let i = n - 1; i >= 1; i--) {
    const j = intAt(key[0], key[1], i, i + 1, TAG_PERMUTATION);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}
