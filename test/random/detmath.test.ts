import { describe, expect, it } from 'vitest';
import { detExp, detLog } from '../../src/random/detmath.js';
import { loadNativeRandom } from '../../src/random/native.js';

const native = loadNativeRandom();

/** Distance in units in the last place between two positive doubles. */
function ulps(a: number, b: number): number {
  const buf = new DataView(new ArrayBuffer(16));
  buf.setFloat64(0, a);
  buf.setFloat64(8, b);
  return Number(buf.getBigInt64(0) - buf.getBigInt64(8));
}

// Inputs over the sampler's ranges: exp on [-7, 0] (wedge: -x^2/2 with x < R = 3.65), log on [2^-53, 1].
function inputs(): { x: Float64Array; u: Float64Array } {
  const n = 200000;
  const x = new Float64Array(n);
  const u = new Float64Array(n);
  let s = 12345;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let i = 0; i < n; i++) {
    x[i] = i < n / 2 ? -7 * next() : -700 + 1400 * next();
    u[i] = i < n / 2 ? next() + 2 ** -33 * next() : 2 ** (-53 * next());
  }
  x[0] = 0;
  x[1] = -7;
  u[0] = 1;
  u[1] = 2 ** -53;
  u[2] = Math.SQRT1_2;
  return { x, u };
}

describe('deterministic exp/log (fdlibm algorithms)', () => {
  const { x, u } = inputs();

  it('detExp is within 1 ulp of Math.exp on [-700, 700]', () => {
    let worst = 0;
    for (const v of x) worst = Math.max(worst, Math.abs(ulps(detExp(v), Math.exp(v))));
    expect(worst).toBeLessThanOrEqual(1);
    expect(detExp(0)).toBe(1);
  });

  it('detLog is within 1 ulp of Math.log on [2^-53, 1]', () => {
    let worst = 0;
    for (const v of u) {
      const a = -detLog(v);
      const b = -Math.log(v);
      if (v === 1) expect(detLog(v)).toBe(0);
      else worst = Math.max(worst, Math.abs(ulps(a, b)));
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it.skipIf(!native.ok)('TypeScript and native give bit-identical results', () => {
    if (!native.ok) return;
    const ex = new Float64Array(x.length);
    const lg = new Float64Array(u.length);
    native.addon.randomDetExp(x, ex);
    native.addon.randomDetLog(u, lg);
    let bad = 0;
    for (let i = 0; i < x.length; i++) {
      if (!Object.is(ex[i], detExp(x[i])) || !Object.is(lg[i], detLog(u[i]))) bad++;
    }
    expect(bad).toBe(0);
  });
});
