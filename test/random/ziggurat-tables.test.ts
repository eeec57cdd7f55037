import { describe, expect, it } from 'vitest';
import { ZIG_F, ZIG_K, ZIG_R, ZIG_X, ZIG_INV_R } from '../../src/random/ziggurat-tables.js';
import { loadNativeRandom } from '../../src/random/native.js';
import { normalSf } from '../../src/numerics/special.js';

const native = loadNativeRandom();
const f = (x: number) => Math.exp(-0.5 * x * x);

describe('ziggurat tables (256 layers)', () => {
  // Identities of the construction (Marsaglia & Tsang 2000): every layer has the same area V, the base
  // layer is the rectangle [0, R] x [0, f(R)] plus the tail, and the top layer reaches f(0) = 1.
  const V = ZIG_R * f(ZIG_R) + Math.sqrt(2 * Math.PI) * normalSf(ZIG_R);

  it('every layer has area V = R f(R) + integral of f beyond R', () => {
    expect(ZIG_X.length).toBe(257);
    expect(ZIG_X[256]).toBe(0);
    expect(ZIG_X[1]).toBe(ZIG_R);
    expect(ZIG_X[0] * f(ZIG_R)).toBeCloseTo(V, 15);
    for (let i = 1; i < 256; i++) {
      const area = ZIG_X[i] * (f(ZIG_X[i + 1]) - f(ZIG_X[i]));
      expect(Math.abs(area - V) / V, `layer ${i}`).toBeLessThan(1e-12);
    }
  });

  it('R is the published 256-layer value and F, K, 1/R are consistent with X', () => {
    // R for C = 256 as in Marsaglia & Tsang (2000), section 3: 3.6541528853610088.
    expect(ZIG_R).toBeCloseTo(3.6541528853610088, 15);
    expect(ZIG_INV_R).toBe(1 / ZIG_R);
    for (let i = 0; i <= 256; i++) expect(Math.abs(ZIG_F[i] - f(ZIG_X[i]))).toBeLessThan(1e-15);
    for (let i = 0; i < 256; i++) {
      expect(Number.isInteger(ZIG_K[i])).toBe(true);
      expect(Math.abs(ZIG_K[i] - 2 ** 53 * (ZIG_X[i + 1] / ZIG_X[i]))).toBeLessThanOrEqual(2);
      if (i > 0) expect(ZIG_X[i]).toBeLessThan(ZIG_X[i - 1]);
    }
  });

  it.skipIf(!native.ok)('the native tables are bit-identical to the TypeScript ones', () => {
    if (!native.ok) return;
    const t = native.addon.randomZigguratTables();
    expect(t.X).toEqual(ZIG_X);
    expect(t.F).toEqual(ZIG_F);
    expect(t.K).toEqual(ZIG_K);
    expect(t.R).toBe(ZIG_R);
    expect(t.INV_R).toBe(ZIG_INV_R);
  });
});
