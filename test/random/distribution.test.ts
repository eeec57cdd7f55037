/**
 * Distribution checks of the samplers with stated tolerances. Every check is deterministic (fixed
 * keys); tolerances are 5 standard errors (a false alarm has probability ~6e-7 per check for a correct
 * sampler) unless stated. Reference probabilities: normalCdf/normalSf of src/numerics/special.ts
 * (tested there against mpmath).
 */
import { describe, expect, it } from 'vitest';
import { fillNormal, fillRademacher, fillUniform, foldIn, rootKey } from '../../src/random/index.js';
import { loadNativeRandom } from '../../src/random/native.js';
import { normalCdf, normalSf } from '../../src/numerics/special.js';
import { ZIG_F, ZIG_K, ZIG_R, ZIG_X } from '../../src/random/ziggurat-tables.js';
import { normalFromDraw } from '../../src/random/ziggurat.js';

const native = loadNativeRandom().ok;
// Draws for the tail checks: 2e7 with the native fill (~0.2 s); 4e6 on the portable path (~1.5 s).
const N_TAIL = native ? 20_000_000 : 4_000_000;
const N = 4_000_000;

/** Kolmogorov-Smirnov distance between the sorted sample and the CDF F. */
function ksDistance(sorted: Float64Array, F: (x: number) => number): number {
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = F(sorted[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}
// P(sqrt(n) D_n > 1.95) ~ 0.001 (asymptotic Kolmogorov distribution).
const KS_CRIT = 1.95;

/** Chi-square statistic of counts against expected counts. */
function chiSquare(counts: number[], expected: number[]): number {
  return counts.reduce((s, c, i) => s + (c - expected[i]) ** 2 / expected[i], 0);
}
/** Upper limit for a chi-square with k degrees of freedom: k + 5 sqrt(2k) (5 sd of the statistic). */
const chiLimit = (k: number) => k + 5 * Math.sqrt(2 * k);

describe('standard normals (ziggurat)', () => {
  const key = foldIn(rootKey(20240601), 'distribution');
  const z = fillNormal(key, new Float64Array(N_TAIL));
  const zs = z.subarray(0, N);

  it('mean, variance, third and fourth moments agree with N(0, 1) within 5 standard errors', () => {
    let m1 = 0;
    let m2 = 0;
    let m3 = 0;
    let m4 = 0;
    for (const x of zs) {
      const x2 = x * x;
      m1 += x;
      m2 += x2;
      m3 += x2 * x;
      m4 += x2 * x2;
    }
    // Var(z) = 1, Var(z^2) = 2, Var(z^3) = 15, Var(z^4) = 105 - 9 = 96.
    expect(Math.abs(m1 / N)).toBeLessThan(5 * Math.sqrt(1 / N));
    expect(Math.abs(m2 / N - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    expect(Math.abs(m3 / N)).toBeLessThan(5 * Math.sqrt(15 / N));
    expect(Math.abs(m4 / N - 3)).toBeLessThan(5 * Math.sqrt(96 / N));
  });

  it('Kolmogorov-Smirnov distance to Phi is below 1.95/sqrt(n) (level 0.001)', () => {
    const sorted = Float64Array.from(zs).sort();
    expect(ksDistance(sorted, normalCdf) * Math.sqrt(N)).toBeLessThan(KS_CRIT);
  });

  it('chi-square over the ziggurat layers (halved), by sign: wedges and rectangles carry the right mass', () => {
    // Bins of |z|: each layer's strip [X[i+1], X[i]) split at its midpoint (i = 1..255), and the tail
    // [R, inf); separately for z > 0 and z < 0. 1024 bins, the smallest expecting ~300 draws.
    const edges: number[] = [0];
    for (let i = 255; i >= 1; i--) edges.push((ZIG_X[i + 1] + ZIG_X[i]) / 2, ZIG_X[i]);
    const nb = edges.length; // bins [edges[b], edges[b+1]) and the last [R, inf)
    const counts = new Array<number>(2 * nb).fill(0);
    for (const x of zs) {
      const a = Math.abs(x);
      let lo = 0;
      let hi = nb - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (edges[mid] <= a) lo = mid;
        else hi = mid - 1;
      }
      counts[(x < 0 ? nb : 0) + lo]++;
    }
    const expected: number[] = [];
    for (let s = 0; s < 2; s++) {
      for (let b = 0; b < nb; b++) {
        const p = b + 1 < nb ? normalCdf(edges[b + 1]) - normalCdf(edges[b]) : normalSf(edges[b]);
        expected.push(N * p);
      }
    }
    expect(edges[nb - 1]).toBe(ZIG_R);
    expect(Math.min(...expected)).toBeGreaterThan(100);
    expect(chiSquare(counts, expected)).toBeLessThan(chiLimit(2 * nb - 1));
  });

  it(`tail frequencies P(|z| > 3), P(z > 4), P(z < -4), P(|z| > R) over ${N_TAIL} draws`, () => {
    let a3 = 0;
    let p4 = 0;
    let n4 = 0;
    let aR = 0;
    for (const x of z) {
      const a = Math.abs(x);
      if (a > 3) a3++;
      if (x > 4) p4++;
      if (x < -4) n4++;
      if (a > ZIG_R) aR++;
    }
    const check = (count: number, p: number) => {
      const mean = N_TAIL * p;
      expect(Math.abs(count - mean)).toBeLessThan(5 * Math.sqrt(mean * (1 - p)));
    };
    check(a3, 2 * normalSf(3));
    check(p4, normalSf(4));
    check(n4, normalSf(4));
    check(aR, 2 * normalSf(ZIG_R));
  });

  it('draws beyond R follow the conditional tail law P(|z| > x | |z| > R) = sf(x)/sf(R) (KS, level 0.001)', () => {
    const tail = Float64Array.from(z.filter((x) => Math.abs(x) > ZIG_R).map(Math.abs)).sort();
    expect(tail.length).toBeGreaterThan(native ? 4000 : 800);
    const sfR = normalSf(ZIG_R);
    const d = ksDistance(tail, (x) => 1 - normalSf(x) / sfR);
    expect(d * Math.sqrt(tail.length)).toBeLessThan(KS_CRIT);
  });

  it('neighbouring draws (same Philox block, next block) and adjacent seeds are uncorrelated', () => {
    let sameBlock = 0;
    let nextBlock = 0;
    const pairs = N / 2 - 1;
    for (let j = 0; j < pairs; j++) {
      sameBlock += zs[2 * j] * zs[2 * j + 1];
      nextBlock += zs[2 * j + 1] * zs[2 * j + 2];
    }
    expect(Math.abs(sameBlock / pairs)).toBeLessThan(5 / Math.sqrt(pairs));
    expect(Math.abs(nextBlock / pairs)).toBeLessThan(5 / Math.sqrt(pairs));
    const n = 1_000_000;
    const a = fillNormal(rootKey(1000), new Float64Array(n));
    const b = fillNormal(rootKey(1001), new Float64Array(n));
    let ab = 0;
    for (let i = 0; i < n; i++) ab += a[i] * b[i];
    expect(Math.abs(ab / n)).toBeLessThan(5 / Math.sqrt(n));
  });

  it('signs are balanced', () => {
    let pos = 0;
    for (const x of zs) if (x > 0) pos++;
    expect(Math.abs(pos - N / 2)).toBeLessThan(5 * Math.sqrt(N / 4));
  });
});

/**
 * The first 64-bit draw (lo, hi) with layer index i, sign bit and top-53-bit value m, so that the
 * ziggurat's rare steps can be exercised directly (the following draws still come from the stream).
 */
function craftedDraw(i: number, negative: boolean, m: number): [number, number] {
  const hi = Math.floor(m / 2 ** 21);
  const lo = ((m - hi * 2 ** 21) * 2 ** 11 + (negative ? 256 : 0) + i) >>> 0;
  return [lo, hi];
}

describe('the ziggurat\'s rare steps, forced by crafted first draws', () => {
  const key = foldIn(rootKey(11), 'forced');

  it('the tail step (layer 0, beyond R) samples |z| given |z| > R exactly: KS over 200000 samples', () => {
    const n = 200_000;
    const [lo, hi] = craftedDraw(0, false, 2 ** 53 - 1);
    const [loNeg, hiNeg] = craftedDraw(0, true, 2 ** 53 - 1);
    const t = new Float64Array(n);
    let mirrored = 0;
    for (let p = 0; p < n; p++) {
      t[p] = normalFromDraw(key[0], key[1], p, lo, hi);
      if (normalFromDraw(key[0], key[1], p, loNeg, hiNeg) === -t[p]) mirrored++;
    }
    expect(mirrored).toBe(n); // the sign bit of the first draw sets the sign
    t.sort();
    expect(t[0]).toBeGreaterThanOrEqual(ZIG_R);
    const sfR = normalSf(ZIG_R);
    expect(ksDistance(t, (x) => 1 - normalSf(x) / sfR) * Math.sqrt(n)).toBeLessThan(KS_CRIT);
  });

  it('the wedge step accepts x = u X[i] with probability (f(x) - F[i]) / (F[i+1] - F[i]), within 5 standard errors', () => {
    const n = 20_000;
    for (const i of [1, 2, 17, 100, 200, 254, 255]) {
      for (const frac of [0.02, 0.5, 0.98]) {
        // m between K[i] and 2^53: x in the wedge part [X[i+1], X[i]) of layer i.
        const m = Math.floor(ZIG_K[i] + frac * (2 ** 53 - ZIG_K[i]));
        const [lo, hi] = craftedDraw(i, false, m);
        const x = m * 2 ** -53 * ZIG_X[i];
        const pAccept = (Math.exp(-0.5 * x * x) - ZIG_F[i]) / (ZIG_F[i + 1] - ZIG_F[i]);
        let accepted = 0;
        for (let p = 0; p < n; p++) if (normalFromDraw(key[0], key[1], p, lo, hi) === x) accepted++;
        const se = Math.sqrt(n * pAccept * (1 - pAccept));
        expect(Math.abs(accepted - n * pAccept), `layer ${i}, x = ${x}, p = ${pAccept}`).toBeLessThanOrEqual(Math.max(5 * se, 1));
      }
    }
  });
});

describe('uniforms on [0, 1)', () => {
  const key = foldIn(rootKey(77), 'uniform');
  const u = fillUniform(key, new Float64Array(N));

  it('lie in [0, 1) on the 2^-53 grid, using all 53 bits', () => {
    let lowBit = 0;
    let topBit = 0;
    let min = 1;
    let max = 0;
    for (const x of u) {
      const m = x * 2 ** 53;
      if (!Number.isInteger(m)) throw new Error(`uniform ${x} is not a multiple of 2^-53`);
      lowBit += m % 2;
      if (x >= 0.5) topBit++;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(lowBit - N / 2)).toBeLessThan(5 * Math.sqrt(N / 4));
    expect(Math.abs(topBit - N / 2)).toBeLessThan(5 * Math.sqrt(N / 4));
  });

  it('mean 1/2 and variance 1/12 within 5 standard errors; KS and 1000-bin chi-square pass', () => {
    let s = 0;
    let s2 = 0;
    const counts = new Array<number>(1000).fill(0);
    for (const x of u) {
      s += x;
      s2 += (x - 0.5) ** 2;
      counts[Math.floor(x * 1000)]++;
    }
    expect(Math.abs(s / N - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
    // Var((u - 1/2)^2) = 1/80 - 1/144 = 1/180.
    expect(Math.abs(s2 / N - 1 / 12)).toBeLessThan(5 * Math.sqrt(1 / 180 / N));
    expect(chiSquare(counts, new Array<number>(1000).fill(N / 1000))).toBeLessThan(chiLimit(999));
    const sorted = Float64Array.from(u.subarray(0, 1_000_000)).sort();
    expect(ksDistance(sorted, (x) => x) * Math.sqrt(sorted.length)).toBeLessThan(KS_CRIT);
  });

  it('map affinely to [low, high)', () => {
    const v = fillUniform(key, new Float64Array(1000), { low: -2, high: 6 });
    for (let i = 0; i < 1000; i++) expect(v[i]).toBe(-2 + 8 * u[i]);
  });
});

describe('Rademacher signs', () => {
  it('are +-scale with probability 1/2 each, balanced at every bit position of a Philox block', () => {
    const n = 128 * 20_000;
    const r = fillRademacher(foldIn(rootKey(3), 'rademacher'), new Float64Array(n), 0.25);
    const plusAt = new Array<number>(128).fill(0);
    let lag1 = 0;
    for (let i = 0; i < n; i++) {
      if (r[i] !== 0.25 && r[i] !== -0.25) throw new Error(`value ${r[i]} at ${i}`);
      if (r[i] > 0) plusAt[i % 128]++;
      if (i > 0) lag1 += r[i] * r[i - 1] * 16;
    }
    const plus = plusAt.reduce((a, b) => a + b, 0);
    expect(Math.abs(plus - n / 2)).toBeLessThan(5 * Math.sqrt(n / 4));
    const per = n / 128;
    expect(chiSquare(plusAt.flatMap((c) => [c, per - c]), new Array<number>(256).fill(per / 2))).toBeLessThan(chiLimit(128));
    expect(Math.abs(lag1 / (n - 1))).toBeLessThan(5 / Math.sqrt(n));
  });
});
