import { describe, expect, it } from 'vitest';
import { foldIn, keyData, rootKey, splitKeys, wrapKey, type Key } from '../../src/random/index.js';
import { philox4x32 } from '../../src/random/philox.js';

describe('rootKey', () => {
  it('maps a seed to the words (seed mod 2^32, floor(seed / 2^32))', () => {
    expect(keyData(rootKey(0))).toEqual([0, 0]);
    expect(keyData(rootKey(42))).toEqual([42, 0]);
    expect(keyData(rootKey(2 ** 32 + 5))).toEqual([5, 1]);
    expect(keyData(rootKey(2 ** 53 - 1))).toEqual([0xffffffff, 2 ** 21 - 1]);
  });

  it('returns an immutable key', () => {
    const k = rootKey(3);
    expect(Object.isFrozen(k)).toBe(true);
    expect(() => {
      (k as unknown as number[])[0] = 9;
    }).toThrow(TypeError);
    expect(k[0]).toBe(3);
  });

  it.each([
    [-1, '-1'],
    [1.5, '1.5'],
    [Number.NaN, 'NaN'],
    [2 ** 53, '9007199254740992'],
    [Infinity, 'Infinity'],
    ['3', '"3"'],
    [undefined, 'undefined'],
  ])('rejects the seed %s with a message naming seed, the value and the rule', (seed, shown) => {
    expect(() => rootKey(seed as number)).toThrow(`seed: expected a non-negative safe integer (0 to 2^53 - 1), got ${shown}`);
  });
});

describe('foldIn', () => {
  const key = rootKey(42);

  it('for an integer label is words 0, 1 of Philox(key, (label, 0, 0, "foli")) (independent Python check)', () => {
    // Python reference (arbitrary-precision Philox4x32-10 written from the Random123 spec, run here):
    // root = (42, 0); child = philox(root, (7, 0, 0, int.from_bytes(b'foli', 'big')))[:2]
    expect(keyData(foldIn(key, 7))).toEqual([0xd736c87c, 0x6cbc2daf]);
    const out = new Uint32Array(4);
    philox4x32(42, 0, 2 ** 33 % 2 ** 32, 2, 0, 0x666f6c69, out);
    expect(keyData(foldIn(key, 2 ** 33))).toEqual([out[0], out[1]]);
  });

  it('is deterministic and pure', () => {
    expect(foldIn(key, 'W0')).toEqual(foldIn(key, 'W0'));
    expect(foldIn(key, 5)).toEqual(foldIn(key, 5));
    expect(keyData(key)).toEqual([42, 0]);
  });

  it('gives distinct keys for distinct labels, parents, and for 5 versus "5"', () => {
    const labels: (string | number)[] = ['W0', 'a0', 'W', 'w0', 'test', 'batch', '5', 5, 0, 1, 2 ** 32, 'é', 'e\u0301', '🙂', 'a'.repeat(1000)];
    const seen = new Set<string>();
    for (const parent of [rootKey(0), rootKey(1), key]) {
      for (const label of labels) seen.add(keyData(foldIn(parent, label)).join(','));
    }
    expect(seen.size).toBe(3 * labels.length);
  });

  it('child words look uniform: 1000 sibling keys have balanced bits', () => {
    let ones = 0;
    for (let i = 0; i < 1000; i++) {
      const [a, b] = keyData(foldIn(key, `rep${i}`));
      for (let bit = 0; bit < 32; bit++) ones += ((a >>> bit) & 1) + ((b >>> bit) & 1);
    }
    // 64000 fair bits: mean 32000, sd 126.5; allow 5 sd.
    expect(Math.abs(ones - 32000)).toBeLessThan(5 * 126.5);
  });

  it.each([
    ['', '"" (an empty string)'],
    [-1, '-1'],
    [0.5, '0.5'],
    [Number.NaN, 'NaN'],
    [null, 'null'],
    [{}, 'a value of type object'],
  ])('rejects the label %s', (label, shown) => {
    expect(() => foldIn(key, label as string)).toThrow(`label: expected a non-empty string or a non-negative safe integer`);
    expect(() => foldIn(key, label as string)).toThrow(shown);
  });

  it('rejects strings with lone surrogates (they would collide after UTF-8 encoding)', () => {
    expect(() => foldIn(key, 'a\ud800')).toThrow(/label: .*lone surrogate/);
    expect(() => foldIn(key, '\udc00')).toThrow(/lone surrogate/);
    expect(() => foldIn(key, '🙂')).not.toThrow();
  });

  it.each([[[1]], [[1, 2, 3]], [[-1, 0]], [[0, 2 ** 32]], [[0.5, 1]], ['key'], [undefined]])('rejects the key %j', (bad) => {
    expect(() => foldIn(bad as unknown as Key, 'x')).toThrow(/key: expected a Key \(two uint32 words/);
  });
});

describe('splitKeys', () => {
  const key = rootKey(7);

  it('equals foldIn per label, as a frozen object', () => {
    const ks = splitKeys(key, ['W0', 'a0', 'test']);
    expect(ks.W0).toEqual(foldIn(key, 'W0'));
    expect(ks.a0).toEqual(foldIn(key, 'a0'));
    expect(ks.test).toEqual(foldIn(key, 'test'));
    expect(Object.keys(ks)).toEqual(['W0', 'a0', 'test']);
    expect(Object.isFrozen(ks)).toBe(true);
  });

  it('does not depend on the other labels or their order', () => {
    expect(splitKeys(key, ['a', 'b']).b).toEqual(splitKeys(key, ['b', 'c', 'd']).b);
  });

  it('rejects duplicates, empty labels and non-strings', () => {
    expect(() => splitKeys(key, ['a', 'b', 'a'])).toThrow('labels[2]: duplicate label "a"');
    expect(() => splitKeys(key, ['a', ''])).toThrow('labels[1]: expected a non-empty string');
    expect(() => splitKeys(key, ['a', 3 as unknown as string])).toThrow('labels[1]: expected a non-empty string, got 3');
    expect(() => splitKeys(key, 'ab' as unknown as string[])).toThrow('labels: expected an array of strings, got "ab"');
  });
});

describe('keyData / wrapKey', () => {
  it('round-trip', () => {
    const k = foldIn(rootKey(1), 'x');
    expect(wrapKey(keyData(k))).toEqual(k);
    expect(Object.isFrozen(wrapKey([1, 2]))).toBe(true);
  });

  it('wrapKey validates the words', () => {
    expect(() => wrapKey([1, -2] as [number, number])).toThrow('words: expected a Key (two uint32 words, from rootKey, foldIn or splitKeys), got [1, -2]');
  });
});
