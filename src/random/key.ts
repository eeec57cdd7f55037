/**
 * PRNG keys in the style of JAX (design_notes/prng.md; Claessen & Palka 2013, "Splittable pseudorandom
 * number generators using cryptographic hashing"): a key is an immutable pair of uint32 words naming
 * one random stream of Philox4x32-10. Functions that draw take a key and never return one; a component
 * that needs its own randomness derives a child key with `foldIn(key, label)`, so its draws depend on
 * (seed, label) only: changing the size of one component never changes another's draws, and results
 * do not depend on call order or thread count.
 *
 *   const key = rootKey(7);
 *   const { W0, a0, test } = splitKeys(key, ['W0', 'a0', 'test']);
 *   const batchKey = foldIn(foldIn(key, 'batch'), step);   // one key per step
 */
import { philox4x32 } from './philox.js';
import { siphash24 } from './siphash.js';
import { TAG_FOLD_INT, TAG_FOLD_STRING, TWO32 } from './layout.js';
import { describe } from './check.js';

declare const keyBrand: unique symbol;

/** An immutable PRNG key: two uint32 words (a frozen array). Make one with rootKey, foldIn or splitKeys. */
export type Key = readonly [number, number] & { readonly [keyBrand]: 'featlearn.random.Key' };

function makeKey(k0: number, k1: number): Key {
  return Object.freeze([k0 >>> 0, k1 >>> 0]) as unknown as Key;
}

function isWord(x: unknown): boolean {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < TWO32;
}

/** Throws unless `key` is a pair of uint32 words (what rootKey/foldIn return). */
export function checkKey(name: string, key: unknown): asserts key is Key {
  if (!Array.isArray(key) || key.length !== 2 || !isWord(key[0]) || !isWord(key[1])) {
    const shown = Array.isArray(key) ? `[${key.map(describe).join(', ')}]` : describe(key);
    throw new TypeError(`${name}: expected a Key (two uint32 words, from rootKey, foldIn or splitKeys), got ${shown}`);
  }
}

/**
 * The root key of a seed: words (seed mod 2^32, floor(seed / 2^32)), so distinct seeds give distinct
 * keys, i.e. distinct Philox streams. `seed` must be an integer from 0 to 2^53 - 1.
 */
export function rootKey(seed: number): Key {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed: expected a non-negative safe integer (0 to 2^53 - 1), got ${describe(seed)}`);
  }
  return makeKey(seed % TWO32, Math.floor(seed / TWO32));
}

/** A label of foldIn/splitKeys: a non-empty well-formed string, or a non-negative safe integer. */
export type Label = string | number;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const encoder = new TextEncoder();
const scratch = new Uint32Array(4);

function checkLabel(name: string, label: unknown): asserts label is Label {
  const rule = 'a non-empty string or a non-negative safe integer';
  if (typeof label === 'number') {
    if (!Number.isSafeInteger(label) || label < 0) throw new RangeError(`${name}: expected ${rule}, got ${describe(label)}`);
  } else if (typeof label === 'string') {
    if (label.length === 0) throw new RangeError(`${name}: expected ${rule}, got "" (an empty string)`);
    // TextEncoder maps every lone surrogate to U+FFFD: two different strings would share a stream.
    if (LONE_SURROGATE.test(label)) throw new RangeError(`${name}: expected ${rule} of well-formed UTF-16 (no lone surrogate), got ${describe(label)}`);
  } else {
    throw new TypeError(`${name}: expected ${rule}, got ${describe(label)}`);
  }
}

/**
 * The child key of `key` for `label`: words 0 and 1 of Philox4x32-10 under `key` of the counter
 * (lo, hi, 0, tag), where for an integer label (lo, hi) = (label mod 2^32, floor(label / 2^32)) and
 * tag = 'foli', and for a string label (lo, hi) are the low and high halves of the SipHash-2-4 (zero
 * key) of its UTF-8 bytes and tag = 'fols' (so 5 and "5" give different keys). Deterministic, pure, and
 * distinct labels give unrelated keys (up to 64-bit collisions).
 */
export function foldIn(key: Key, label: Label): Key {
  checkKey('key', key);
  checkLabel('label', label);
  let lo: number;
  let hi: number;
  let tag: number;
  if (typeof label === 'number') {
    lo = label % TWO32;
    hi = Math.floor(label / TWO32);
    tag = TAG_FOLD_INT;
  } else {
    const h = siphash24(0n, 0n, encoder.encode(label));
    lo = Number(h & 0xffffffffn);
    hi = Number(h >> 32n);
    tag = TAG_FOLD_STRING;
  }
  philox4x32(key[0], key[1], lo, hi, 0, tag, scratch);
  return makeKey(scratch[0], scratch[1]);
}

/**
 * One child key per label: `splitKeys(key, ['W0', 'a0'])` is `{ W0: foldIn(key, 'W0'), a0: foldIn(key, 'a0') }`
 * (a frozen object). Labels must be distinct.
 */
export function splitKeys<L extends string>(key: Key, labels: readonly L[]): Readonly<Record<L, Key>> {
  checkKey('key', key);
  if (!Array.isArray(labels)) throw new TypeError(`labels: expected an array of strings, got ${describe(labels)}`);
  const out = {} as Record<L, Key>;
  labels.forEach((label: L, i) => {
    const raw: unknown = label;
    if (typeof raw !== 'string') throw new TypeError(`labels[${i}]: expected a non-empty string, got ${describe(raw)}`);
    checkLabel(`labels[${i}]`, raw);
    if (Object.prototype.hasOwnProperty.call(out, label)) throw new RangeError(`labels[${i}]: duplicate label ${describe(label)}`);
    out[label] = foldIn(key, label);
  });
  return Object.freeze(out);
}

/** The two words of a key (a fresh mutable array), e.g. for provenance records. */
export function keyData(key: Key): [number, number] {
  checkKey('key', key);
  return [key[0], key[1]];
}

/** A key from its two words (as returned by keyData); throws unless both are uint32. */
export function wrapKey(words: readonly [number, number]): Key {
  checkKey('words', words);
  return makeKey(words[0], words[1]);
}
