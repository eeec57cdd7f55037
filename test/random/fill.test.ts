import { afterAll, describe, expect, it } from 'vitest';
import { fillNormal, fillRademacher, fillUniform, foldIn, normalMatrix, rootKey, splitKeys, type Key } from '../../src/random/index.js';
import { loadNativeRandom, type RandomImpl } from '../../src/random/native.js';
import { loadNative } from '../../src/native/load.js';
import { philox4x32 } from '../../src/random/philox.js';
import { ZIG_K } from '../../src/random/ziggurat-tables.js';

const native = loadNativeRandom();
const impls: RandomImpl[] = native.ok ? ['js', 'native'] : ['js'];

/** Bitwise equality of two float arrays (distinguishes -0 and +0; NaN never occurs here). */
function firstDifference(a: Float64Array | Float32Array, b: Float64Array | Float32Array): number {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

// Python reference (see the comment in key.test.ts; the script, /tmp/golden.py at the time, used
// arbitrary-precision Philox and the stream layout of src/random/layout.ts, and the generated ziggurat
// tables for the rectangle case): child = foldIn(rootKey(42), 7).
describe('golden values from an independent Python implementation of the layout', () => {
  const child = foldIn(rootKey(42), 7);
  for (const impl of impls) {
    it(`uniforms (${impl})`, () => {
      const u = fillUniform(child, new Float64Array(4), { impl });
      expect([...u]).toEqual([0.5654542519191327, 0.5874947254109463, 0.12529613176275778, 0.3557947893121831]);
      expect(fillUniform(child, new Float64Array(1), { impl, offset: 2 ** 33 + 1 })[0]).toBe(0.1823133269440972);
      expect(fillUniform(child, new Float64Array(1), { impl, offset: 2 ** 52 + 5 })[0]).toBe(0.7856449188052006);
    });

    it(`Rademacher signs (${impl})`, () => {
      const r = fillRademacher(child, new Float64Array(8), 2, { impl });
      expect([...r]).toEqual([-2, -2, -2, 2, 2, 2, -2, 2]);
      const at = (p: number) => fillRademacher(child, new Float64Array(1), 1, { impl, offset: p })[0];
      expect([at(127), at(128), at(2 ** 40 + 3)]).toEqual([-1, -1, 1]);
    });

    it(`normals on the ziggurat's rectangle path (${impl})`, () => {
      const z = fillNormal(child, new Float64Array(12), { impl });
      expect([...z]).toEqual([
        0.45594203134550343, -0.8573363543938238, 1.0162939537766038, -0.5650844406243836, -0.11886603682867096, 1.5502419469233393,
        2.42035158345777, 0.6408833876752711, -2.2906926659538716, 0.6239976596717622, 0.19979128601169197, -1.0465991740154463,
      ]);
    });
  }
});

describe('determinism and independence of streams', () => {
  const key = rootKey(2024);

  for (const impl of impls) {
    it(`same key gives the same draws; a different key or label different ones (${impl})`, () => {
      const a = fillNormal(key, new Float64Array(1000), { impl });
      const b = fillNormal(key, new Float64Array(1000), { impl });
      expect(firstDifference(a, b)).toBe(-1);
      const c = fillNormal(foldIn(key, 'other'), new Float64Array(1000), { impl });
      let equal = 0;
      for (let i = 0; i < 1000; i++) if (a[i] === c[i]) equal++;
      expect(equal).toBe(0);
    });

    it(`a fill is a prefix of any longer fill, and chunked fills with offsets equal one big fill (${impl})`, () => {
      const n = 10007;
      const whole = fillNormal(key, new Float64Array(n), { impl, mean: 1, std: 3 });
      const prefix = fillNormal(key, new Float64Array(333), { impl, mean: 1, std: 3 });
      expect(firstDifference(prefix, whole.subarray(0, 333))).toBe(-1);
      const pieces = new Float64Array(n);
      for (const [start, end] of [[0, 1], [1, 2], [2, 1001], [1001, 1002], [1002, 7777], [7777, n]]) {
        pieces.set(fillNormal(key, new Float64Array(end - start), { impl, offset: start, mean: 1, std: 3 }), start);
      }
      expect(firstDifference(pieces, whole)).toBe(-1);
      const u = fillUniform(key, new Float64Array(n), { impl });
      const u2 = new Float64Array(n);
      u2.set(fillUniform(key, new Float64Array(5001), { impl }), 0);
      u2.set(fillUniform(key, new Float64Array(n - 5001), { impl, offset: 5001 }), 5001);
      expect(firstDifference(u, u2)).toBe(-1);
      const r = fillRademacher(key, new Float64Array(n), 1, { impl });
      const r2 = new Float64Array(n);
      r2.set(fillRademacher(key, new Float64Array(129), 1, { impl }), 0);
      r2.set(fillRademacher(key, new Float64Array(n - 129), 1, { impl, offset: 129 }), 129);
      expect(firstDifference(r, r2)).toBe(-1);
    });
  }

  it('changing the size of one component never changes another component\'s draws', () => {
    const run = (nW: number) => {
      const ks = splitKeys(key, ['W', 'a']);
      const W = fillNormal(ks.W, new Float64Array(nW));
      const a = fillNormal(ks.a, new Float64Array(50));
      return { W, a };
    };
    const small = run(100);
    const large = run(100000);
    expect(firstDifference(small.a, large.a)).toBe(-1);
    expect(firstDifference(small.W, large.W.subarray(0, 100))).toBe(-1);
  });

  it('normal, uniform and Rademacher streams of one key are unrelated (distinct tags)', () => {
    const n = 200000;
    const z = fillNormal(key, new Float64Array(n));
    const u = fillUniform(key, new Float64Array(n));
    const r = fillRademacher(key, new Float64Array(n));
    let zu = 0;
    let zr = 0;
    for (let i = 0; i < n; i++) {
      zu += z[i] * (u[i] - 0.5) * Math.sqrt(12);
      zr += z[i] * r[i];
    }
    // Sample correlations of independent unit-variance variables: sd 1/sqrt(n) = 0.0022; allow 5 sd.
    expect(Math.abs(zu / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(zr / n)).toBeLessThan(5 / Math.sqrt(n));
  });
});

/** How many stream positions of keys take the ziggurat's wedge and tail steps (from their first draw). */
function countSlowPaths(key: Key, offset: number, n: number): { wedge: number; tail: number } {
  const out = new Uint32Array(4);
  let wedge = 0;
  let tail = 0;
  for (let p = offset; p < offset + n; p += 2) {
    const j = p / 2;
    philox4x32(key[0], key[1], j % 2 ** 32, Math.floor(j / 2 ** 32), 0, 0x6e6f726d, out);
    for (const h of [0, 1]) {
      const lo = out[2 * h];
      const m = out[2 * h + 1] * 2 ** 21 + (lo >>> 11);
      const i = lo & 255;
      if (m >= ZIG_K[i]) {
        if (i === 0) tail++;
        else wedge++;
      }
    }
  }
  return { wedge, tail };
}

describe.skipIf(!native.ok)('TypeScript and native fills are bit-identical', () => {
  const addon = loadNative();
  const linalg = addon.ok ? (addon.addon as unknown as { setThreads(n: number): void; info(): { threads: number } }) : null;
  const threadsBefore = linalg?.info().threads ?? 1;
  afterAll(() => linalg?.setThreads(threadsBefore));

  it('normals: 4.2 million draws over 3 keys and large offsets, float64, with thousands of wedge and tail events', () => {
    const cases: [Key, number, number][] = [
      [rootKey(0), 0, 2_000_000],
      [foldIn(rootKey(1), 'batch'), 2 ** 33 - 1001, 1_200_000],
      [foldIn(rootKey(99), 12345), 2 ** 52 - 1_000_000, 1_000_000],
    ];
    let wedge = 0;
    let tail = 0;
    for (const [key, offset, n] of cases) {
      const a = fillNormal(key, new Float64Array(n), { impl: 'js', offset });
      const b = fillNormal(key, new Float64Array(n), { impl: 'native', offset });
      expect(firstDifference(a, b), `key ${key.join(',')} offset ${offset}`).toBe(-1);
      const c = countSlowPaths(key, offset, n);
      wedge += c.wedge;
      tail += c.tail;
    }
    // Expected: wedge ~1.5% of 4.2e6 (~62000), tail (1/256)(1 - R/X[0]) ~ 2.6e-4 (~1100).
    expect(wedge).toBeGreaterThan(50000);
    expect(tail).toBeGreaterThan(900);
  });

  it('float32 normals with mean and std, uniforms and Rademacher: JS = native', () => {
    const key = foldIn(rootKey(5), 'f32');
    const n = 500_001;
    for (const offset of [0, 7, 2 ** 40 + 1]) {
      const a = fillNormal(key, new Float32Array(n), { impl: 'js', offset, mean: -0.25, std: 1.7 });
      const b = fillNormal(key, new Float32Array(n), { impl: 'native', offset, mean: -0.25, std: 1.7 });
      expect(firstDifference(a, b)).toBe(-1);
      for (const Arr of [Float64Array, Float32Array]) {
        const u1 = fillUniform(key, new Arr(n), { impl: 'js', offset, low: -3, high: 5 });
        const u2 = fillUniform(key, new Arr(n), { impl: 'native', offset, low: -3, high: 5 });
        expect(firstDifference(u1, u2)).toBe(-1);
        const r1 = fillRademacher(key, new Arr(n), 0.3, { impl: 'js', offset });
        const r2 = fillRademacher(key, new Arr(n), 0.3, { impl: 'native', offset });
        expect(firstDifference(r1, r2)).toBe(-1);
      }
    }
  });

  it('native output does not depend on the thread count or chunk size', () => {
    if (!native.ok || !linalg) return;
    const key = rootKey(31337);
    const n = 100_003;
    const ref = fillNormal(key, new Float64Array(n), { impl: 'js', offset: 11 });
    for (const threads of [1, 2, 3, 7]) {
      linalg.setThreads(threads);
      for (const minChunk of [1, 999, 16384]) {
        const out = new Float64Array(n);
        native.addon.randomFillNormal(key[0], key[1], out, 11, 0, 1, minChunk);
        expect(firstDifference(out, ref), `threads ${threads} minChunk ${minChunk}`).toBe(-1);
        const r = new Float32Array(n);
        native.addon.randomFillRademacher(key[0], key[1], r, 11, 1, minChunk);
        expect(firstDifference(r, fillRademacher(key, new Float32Array(n), 1, { impl: 'js', offset: 11 }))).toBe(-1);
      }
    }
  });
});

describe('float32 outputs are the float64 draws rounded to nearest', () => {
  const key = foldIn(rootKey(8), 'precision');
  for (const impl of impls) {
    it(impl, () => {
      const n = 100_000;
      const opts = { impl, mean: 0.5, std: 2.5, offset: 3 };
      const d = fillNormal(key, new Float64Array(n), opts);
      const f = fillNormal(key, new Float32Array(n), opts);
      let bad = 0;
      for (let i = 0; i < n; i++) if (!Object.is(f[i], Math.fround(d[i]))) bad++;
      expect(bad).toBe(0);
      const ud = fillUniform(key, new Float64Array(n), { impl });
      const uf = fillUniform(key, new Float32Array(n), { impl });
      for (let i = 0; i < n; i++) if (!Object.is(uf[i], Math.fround(ud[i]))) bad++;
      expect(bad).toBe(0);
    });
  }
});

describe('normalMatrix', () => {
  it('is the row-major fill of positions 0 .. rows*cols - 1, in the requested precision', () => {
    const key = rootKey(3);
    const m = normalMatrix(key, 30, 7, { std: 2 });
    expect(m.rows).toBe(30);
    expect(m.cols).toBe(7);
    expect(m.data).toBeInstanceOf(Float64Array);
    expect(firstDifference(m.data, fillNormal(key, new Float64Array(210), { std: 2 }))).toBe(-1);
    const m32 = normalMatrix(key, 30, 7, { std: 2, precision: 'float32' });
    expect(m32.data).toBeInstanceOf(Float32Array);
    expect(firstDifference(m32.data, Float32Array.from(m.data))).toBe(-1);
    // Adding rows keeps the earlier rows.
    expect(firstDifference(normalMatrix(key, 40, 7, { std: 2 }).data.subarray(0, 210), m.data)).toBe(-1);
  });

  it('validates its arguments', () => {
    expect(() => normalMatrix(rootKey(1), -1, 2)).toThrow('matrix rows: expected a non-negative integer, got -1');
    expect(() => normalMatrix(rootKey(1), 2, 2, { precision: 'float16' as 'float32' })).toThrow('precision: expected "float64" or "float32", got "float16"');
    expect(() => normalMatrix(rootKey(1), 2, 2, { std: -1 })).toThrow('std: expected a finite number >= 0, got -1');
  });
});

describe('argument errors', () => {
  const key = rootKey(1);
  it('name the parameter, the rule and the bad value', () => {
    expect(() => fillNormal(key, [1, 2] as unknown as Float64Array)).toThrow('out: expected a Float64Array or Float32Array, got an array of length 2');
    expect(() => fillNormal(key, new Int32Array(2) as unknown as Float64Array)).toThrow('out: expected a Float64Array or Float32Array, got a Int32Array');
    expect(() => fillNormal(key, new Float64Array(2), { offset: -1 })).toThrow('offset: expected a non-negative safe integer, got -1');
    expect(() => fillNormal(key, new Float64Array(2), { offset: 1.5 })).toThrow('offset: expected a non-negative safe integer, got 1.5');
    expect(() => fillNormal(key, new Float64Array(2), { offset: 2 ** 53 - 1 })).toThrow('offset: offset + length must be at most 2^53');
    expect(() => fillNormal(key, new Float64Array(2), { std: Number.NaN })).toThrow('std: expected a finite number, got NaN');
    expect(() => fillNormal(key, new Float64Array(2), { mean: Infinity })).toThrow('mean: expected a finite number, got Infinity');
    expect(() => fillUniform(key, new Float64Array(2), { low: 1, high: 1 })).toThrow('high: expected a finite number above low = 1');
    expect(() => fillUniform(key, new Float64Array(2), { low: -Number.MAX_VALUE, high: Number.MAX_VALUE })).toThrow('with high - low finite');
    expect(() => fillRademacher(key, new Float64Array(2), Number.NaN)).toThrow('scale: expected a finite number, got NaN');
    expect(() => fillNormal(key, new Float64Array(2), { impl: 'gpu' as RandomImpl })).toThrow('impl: expected "js" or "native", got "gpu"');
    expect(() => fillNormal([1] as unknown as Key, new Float64Array(2))).toThrow('key: expected a Key');
  });

  it.skipIf(!native.ok)('the native functions check their own arguments too', () => {
    if (!native.ok) return;
    const a = native.addon;
    expect(() => a.randomFillNormal(1, 2, new Float64Array(2), -1, 0, 1)).toThrow(/offset: expected a non-negative integer/);
    expect(() => a.randomFillNormal(1, 2, new Float64Array(2), 0, 0, -1)).toThrow(/std: expected a finite number >= 0/);
    expect(() => a.randomFillUniform(1, 2, new Int8Array(2) as unknown as Float64Array, 0, 0, 1)).toThrow(/out: expected a Float64Array or Float32Array/);
    expect(() => a.randomFillRademacher(2 ** 32, 2, new Float64Array(2), 0, 1)).toThrow(/key\[0\]: expected a uint32 word/);
  });
});

describe('the last stream positions', () => {
  it('positions up to 2^53 - 1 are usable; one more is refused by both backends', () => {
    const key = rootKey(4);
    for (const impl of impls) {
      expect(fillUniform(key, new Float64Array(2), { impl, offset: 2 ** 53 - 2 }).length).toBe(2);
      expect(() => fillUniform(key, new Float64Array(3), { impl, offset: 2 ** 53 - 2 })).toThrow('offset: offset + length must be at most 2^53');
    }
    if (native.ok) {
      expect(() => native.addon.randomFillUniform(key[0], key[1], new Float64Array(3), 2 ** 53 - 2, 0, 1)).toThrow(/offset \+ length <= 2\^53/);
    }
  });
});

describe('views', () => {
  it('fills a subarray view in place, leaving the rest of the buffer alone', () => {
    const key = rootKey(6);
    for (const impl of impls) {
      const buf = new Float64Array(1000).fill(7);
      fillNormal(key, buf.subarray(100, 900), { impl });
      expect(buf[99]).toBe(7);
      expect(buf[900]).toBe(7);
      expect(firstDifference(buf.subarray(100, 900), fillNormal(key, new Float64Array(800), { impl: 'js' }))).toBe(-1);
    }
  });
});
