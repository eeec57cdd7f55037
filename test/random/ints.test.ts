import { describe, expect, it } from 'vitest';
import { foldIn, permutation, rootKey, uniformInt } from '../../src/random/index.js';

describe('uniformInt', () => {
  it('is deterministic, in range, and uniform over [0, bound) (chi-square over 6000 keys)', () => {
    const key = rootKey(5);
    expect(uniformInt(key, 10)).toBe(uniformInt(key, 10));
    const bound = 6;
    const counts = new Array<number>(bound).fill(0);
    const n = 6000;
    for (let i = 0; i < n; i++) {
      const v = uniformInt(foldIn(key, i), bound);
      expect(Number.isInteger(v) && v >= 0 && v < bound).toBe(true);
      counts[v]++;
    }
    const chi = counts.reduce((s, c) => s + (c - n / bound) ** 2 / (n / bound), 0);
    // 5 degrees of freedom: P(chi2 > 25) ~ 1.4e-4.
    expect(chi).toBeLessThan(25);
    expect(uniformInt(key, 1)).toBe(0);
  });

  it('handles bounds up to 2^53 - 1 (values stay in range; rejections are rare)', () => {
    for (let i = 0; i < 200; i++) {
      const v = uniformInt(foldIn(rootKey(1), i), 2 ** 53 - 1);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(2 ** 53 - 1);
    }
  });

  it.each([0, -1, 1.5, 2 ** 53, Number.NaN])('rejects the bound %s', (bound) => {
    expect(() => uniformInt(rootKey(1), bound)).toThrow(`bound: expected an integer from 1 to 2^53 - 1, got ${bound}`);
  });
});

describe('permutation', () => {
  it('is a permutation of 0 .. n-1, deterministic in the key', () => {
    const key = rootKey(9);
    const p = permutation(key, 1000);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(permutation(key, 1000)).toEqual(p);
    expect(permutation(foldIn(key, 1), 1000)).not.toEqual(p);
    expect(permutation(key, 0)).toEqual(new Uint32Array(0));
    expect(permutation(key, 1)).toEqual(Uint32Array.from([0]));
  });

  it('draws all 24 permutations of 4 elements equally often (chi-square over 24000 keys)', () => {
    const counts = new Map<string, number>();
    const n = 24000;
    for (let i = 0; i < n; i++) {
      const k = permutation(foldIn(rootKey(12), i), 4).join('');
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    let chi = 0;
    for (const c of counts.values()) chi += (c - n / 24) ** 2 / (n / 24);
    // 23 degrees of freedom: mean 23, sd 6.8; P(chi2 > 57) ~ 1e-4.
    expect(chi).toBeLessThan(57);
  });

  it('puts each element at each position with probability 1/n (n = 10, 20000 keys)', () => {
    const n = 10;
    const reps = 20000;
    const at = new Array<number>(n * n).fill(0);
    for (let r = 0; r < reps; r++) {
      const p = permutation(foldIn(rootKey(13), r), n);
      for (let i = 0; i < n; i++) at[i * n + p[i]]++;
    }
    const e = reps / n;
    const sd = Math.sqrt(reps * (1 / n) * (1 - 1 / n));
    for (const c of at) expect(Math.abs(c - e)).toBeLessThan(5 * sd);
  });

  it.each([-1, 1.5, 2 ** 32])('rejects n = %s', (n) => {
    expect(() => permutation(rootKey(1), n)).toThrow(`n: expected an integer from 0 to 2^32 - 1, got ${n}`);
  });
});
