// Fused elementwise kernels of every backend: values against Math.* / closed forms / tabulated erf,
// derivatives against central finite differences, the a.e. conventions, tails, NaN, aliasing, float32, errors.
import { describe, expect, it } from 'vitest';
import { LinalgError, type ElementwiseKernel, type LinalgBackend } from '../../src/linalg/index.js';
import { erf } from '../../src/numerics/special.js';
import { backendsUnderTest, mulberry32 } from './helpers.js';

type Kind = ElementwiseKernel['kind'];

// Reference values written independently of the kernels (naive formulas where they are accurate).
const POLY = [1, -2, 0.5, 0.25]; // 1 - 2z + z^2/2 + z^3/4
const REFERENCE: Record<Kind, (z: number) => number> = {
  linear: (z) => z,
  tanh: Math.tanh,
  relu: (z) => Math.max(z, 0),
  erf: (z) => erf(z),
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  softplus: (z) => Math.log(1 + Math.exp(z)),
  sin: Math.sin,
  cos: Math.cos,
  abs: Math.abs,
  sign: (z) => (z === 0 ? 0 : Math.sign(z)),
  poly: (z) => POLY[0] + POLY[1] * z + POLY[2] * z * z + POLY[3] * z * z * z,
};
const KINDS = Object.keys(REFERENCE) as Kind[];
const kernelOf = (kind: Kind, offset?: number): ElementwiseKernel => (kind === 'poly' ? { kind, coeffs: POLY, offset } : { kind, offset });

// erf from Python's math.erf (python3 -c "import math; print(repr(math.erf(z)))"), independent of both backends.
const ERF_TABLE: [number, number][] = [
  [-2.5, -0.999593047982555],
  [-1, -0.8427007929497149],
  [-0.3, -0.3286267594591274],
  [0.1, 0.1124629160182849],
  [0.7, 0.6778011938374184],
  [1.5, 0.9661051464753108],
  [3, 0.9999779095030014],
];

// z grid on [-6, 6] avoiding the kinks at 0 by more than the finite-difference step
const GRID = Float64Array.from({ length: 121 }, (_, i) => -6 + 0.1 * i + 0.0123);

function run(backend: LinalgBackend, kernel: ElementwiseKernel, X: Float64Array): { v: Float64Array; d: Float64Array } {
  const v = new Float64Array(X.length), d = new Float64Array(X.length);
  backend.elementwise(kernel, 'both', X, v, d);
  return { v, d };
}

function close(a: number, b: number, rel: number): boolean {
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));
}

describe.each(backendsUnderTest())('%s backend: elementwise kernels', (_name, backend) => {
  it.each(KINDS)('%s: values match the reference formula on a grid', (kind) => {
    const { v } = run(backend, kernelOf(kind), GRID);
    GRID.forEach((z, i) => {
      if (!close(v[i], REFERENCE[kind](z), 4e-15)) throw new Error(`${kind}(${z}) = ${v[i]}, expected ${REFERENCE[kind](z)}`);
    });
  });

  it.each(KINDS)('%s: derivative matches a central finite difference of the reference', (kind) => {
    const { d } = run(backend, kernelOf(kind), GRID);
    const h = 1e-5;
    GRID.forEach((z, i) => {
      const fd = (REFERENCE[kind](z + h) - REFERENCE[kind](z - h)) / (2 * h);
      if (!close(d[i], fd, 1e-8)) throw new Error(`${kind}'(${z}) = ${d[i]}, finite difference ${fd}`);
    });
  });

  it('erf matches math.erf values tabulated from Python', () => {
    const X = Float64Array.from(ERF_TABLE.map(([z]) => z));
    const { v } = run(backend, { kind: 'erf' }, X);
    ERF_TABLE.forEach(([, ref], i) => expect(Math.abs(v[i] - ref)).toBeLessThan(2e-16));
  });

  it('a.e. conventions at the kinks: relu(0)=0, relu\'(0)=0, abs\'(0)=0, abs\'(z)=sign(z), sign(0)=0, sign\'=0', () => {
    const X = Float64Array.from([0, -0, -2, 3]);
    expect(Array.from(run(backend, { kind: 'relu' }, X).d)).toEqual([0, 0, 0, 1]);
    expect(Array.from(run(backend, { kind: 'relu' }, X).v)).toEqual([0, 0, 0, 3]);
    expect(Array.from(run(backend, { kind: 'abs' }, X).d)).toEqual([0, 0, -1, 1]);
    expect(Array.from(run(backend, { kind: 'sign' }, X).v)).toEqual([0, 0, -1, 1]);
    expect(Array.from(run(backend, { kind: 'sign' }, X).d)).toEqual([0, 0, 0, 0]);
    expect(Array.from(run(backend, { kind: 'linear' }, X).d)).toEqual([1, 1, 1, 1]);
  });

  it('tails keep full relative accuracy and never overflow', () => {
    const X = Float64Array.from([20, -20, 40, -40, 800, -800, -30]);
    const t = run(backend, { kind: 'tanh' }, X);
    // tanh'(z) = 1/cosh(z)^2; 1 - tanh^2 would round to 0 here
    for (const i of [0, 1, 2, 3]) expect(close(t.d[i] / (1 / Math.cosh(X[i]) ** 2), 1, 1e-14)).toBe(true);
    expect(t.d[4]).toBe(0);
    expect(t.v[4]).toBe(1);
    const s = run(backend, { kind: 'sigmoid' }, X);
    // sigmoid(-40) = e^-40 / (1 + e^-40); sigmoid'(40) = e^-40/(1+e^-40)^2
    expect(Math.abs(s.v[3] / (Math.exp(-40) / (1 + Math.exp(-40))) - 1)).toBeLessThan(1e-15);
    expect(Math.abs(s.d[2] / (Math.exp(-40) / (1 + Math.exp(-40)) ** 2) - 1)).toBeLessThan(1e-15);
    expect([s.v[4], s.v[5], s.d[4], s.d[5]]).toEqual([1, 0, 0, 0]);
    const p = run(backend, { kind: 'softplus' }, X);
    expect(p.v[4]).toBe(800); // log(1 + e^800) = 800 + log1p(e^-800); the naive formula overflows
    expect(p.v[5]).toBe(0);
    // softplus(-30) = log1p(e^-30) = e^-30 - e^-60/2 + ...
    expect(Math.abs(p.v[6] / (Math.exp(-30) - Math.exp(-60) / 2) - 1)).toBeLessThan(1e-15);
    expect(Math.abs(p.d[6] / (Math.exp(-30) / (1 + Math.exp(-30))) - 1)).toBeLessThan(1e-15);
    const e = run(backend, { kind: 'erf' }, Float64Array.from([Infinity, -Infinity, 30]));
    expect(Array.from(e.v)).toEqual([1, -1, 1]);
    expect(Array.from(e.d)).toEqual([0, 0, 0]);
  });

  it('tanh keeps relative accuracy near 0 (tanh z = z - z^3/3 + 2z^5/15 - ...)', () => {
    const X = Float64Array.from([1e-300, -1e-100, 1e-10, -3e-6, 1e-3, -2e-3, 5e-324, -0]);
    const { v, d } = run(backend, { kind: 'tanh' }, X);
    X.forEach((z, i) => {
      const series = z - z ** 3 / 3 + (2 * z ** 5) / 15;
      expect(Math.abs(v[i] - series)).toBeLessThanOrEqual(1e-15 * Math.abs(series));
      expect(Math.abs(d[i] - (1 - series * series))).toBeLessThanOrEqual(1e-15);
    });
  });

  it('poly: Horner values/derivatives, Hermite He3, trailing zeros, constants', () => {
    const X = Float64Array.from([-2, -0.5, 0, 1.5, 3]);
    const he3 = run(backend, { kind: 'poly', coeffs: [0, -3, 0, 1] }, X);
    X.forEach((z, i) => {
      expect(close(he3.v[i], z ** 3 - 3 * z, 1e-15)).toBe(true);
      expect(close(he3.d[i], 3 * z * z - 3, 1e-15)).toBe(true);
    });
    const trimmed = run(backend, { kind: 'poly', coeffs: [1, 2, 0, 0] }, Float64Array.from([Infinity, 2]));
    expect(Array.from(trimmed.v)).toEqual([Infinity, 5]);
    expect(Array.from(trimmed.d)).toEqual([2, 2]);
    const constant = run(backend, { kind: 'poly', coeffs: [2.5] }, Float64Array.from([Infinity, -1]));
    expect(Array.from(constant.v)).toEqual([2.5, 2.5]);
    expect(Array.from(constant.d)).toEqual([0, 0]);
  });

  it('offset shifts values only', () => {
    const a = run(backend, { kind: 'relu', offset: -0.3989422804014327 }, GRID);
    const b = run(backend, { kind: 'relu' }, GRID);
    GRID.forEach((_, i) => {
      expect(a.v[i]).toBe(b.v[i] - 0.3989422804014327);
      expect(a.d[i]).toBe(b.d[i]);
    });
  });

  it.each(KINDS)('%s: NaN in gives NaN value and derivative', (kind) => {
    const { v, d } = run(backend, kernelOf(kind), Float64Array.from([NaN]));
    expect(v[0]).toBeNaN();
    expect(d[0]).toBeNaN();
  });

  it('mode both = value + derivative; outputs may alias X', () => {
    for (const kind of KINDS) {
      const X = Float64Array.from(GRID);
      const v = new Float64Array(X.length), d = new Float64Array(X.length);
      backend.elementwise(kernelOf(kind, 0.5), 'value', X, v, null);
      backend.elementwise(kernelOf(kind, 0.5), 'derivative', X, null, d);
      const both = run(backend, kernelOf(kind, 0.5), X);
      expect(Array.from(both.v)).toEqual(Array.from(v));
      expect(Array.from(both.d)).toEqual(Array.from(d));
      const inPlace = Float64Array.from(GRID), dOut = new Float64Array(X.length);
      backend.elementwise(kernelOf(kind, 0.5), 'both', inPlace, inPlace, dOut);
      expect(Array.from(inPlace)).toEqual(Array.from(v));
      expect(Array.from(dOut)).toEqual(Array.from(d));
      const dInPlace = Float64Array.from(GRID);
      backend.elementwise(kernelOf(kind), 'derivative', dInPlace, null, dInPlace);
      expect(Array.from(dInPlace)).toEqual(Array.from(d));
    }
  });

  it('large arrays (several threads in the native backend) equal the entrywise reference', () => {
    const u = mulberry32(99);
    const X = Float64Array.from({ length: 300_001 }, () => 8 * u() - 4);
    const v = new Float64Array(X.length), d = new Float64Array(X.length);
    backend.elementwise({ kind: 'sigmoid' }, 'both', X, v, d);
    for (let i = 0; i < X.length; i++) {
      const ref = 1 / (1 + Math.exp(-X[i]));
      if (!close(v[i], ref, 4e-16) || !close(d[i], ref * (1 - ref), 1e-15)) throw new Error(`entry ${i}: sigmoid(${X[i]}) = ${v[i]}, ${d[i]}`);
    }
  });

  it.each(KINDS)('%s: float32 values and derivatives are the float64 ones rounded once', (kind) => {
    const X32 = Float32Array.from(GRID);
    const X64 = Float64Array.from(X32);
    const v = new Float32Array(X32.length), d = new Float32Array(X32.length);
    backend.elementwise(kernelOf(kind), 'both', X32, v, d);
    const ref = run(backend, kernelOf(kind), X64);
    X32.forEach((_, i) => {
      expect(v[i]).toBe(Math.fround(ref.v[i]));
      expect(d[i]).toBe(Math.fround(ref.d[i]));
    });
  });

  it('rejects bad kernels, modes and outputs with clear messages', () => {
    const X = new Float64Array(4);
    const err = (f: () => void, re: RegExp) => {
      expect(f).toThrow(LinalgError);
      expect(f).toThrow(re);
    };
    err(() => backend.elementwise({ kind: 'gelu' } as unknown as ElementwiseKernel, 'value', X, X, null), /kernel.kind: expected one of "linear" \| "tanh".*got "gelu"/);
    err(() => backend.elementwise({ kind: 'poly', coeffs: [] }, 'value', X, X, null), /kernel.coeffs: expected a non-empty array/);
    err(() => backend.elementwise({ kind: 'poly', coeffs: [1, NaN] }, 'value', X, X, null), /kernel.coeffs\[1\]: expected a finite number, got NaN/);
    err(() => backend.elementwise({ kind: 'tanh', offset: Infinity }, 'value', X, X, null), /kernel.offset: expected a finite number/);
    err(() => backend.elementwise({ kind: 'tanh' }, 'values' as 'value', X, X, null), /mode: expected "value" \| "derivative" \| "both", got "values"/);
    err(() => backend.elementwise({ kind: 'tanh' }, 'both', X, new Float64Array(4), null), /derivative: mode "both" needs an output array/);
    err(() => backend.elementwise({ kind: 'tanh' }, 'value', X, new Float64Array(3), null), /value has length 3 but X has length 4/);
    err(() => backend.elementwise({ kind: 'tanh' }, 'value', X, new Float32Array(4) as unknown as Float64Array, null), /value: expected a Float64Array like X/);
    const buf = new Float64Array(8);
    err(() => backend.elementwise({ kind: 'tanh' }, 'value', buf.subarray(0, 4), buf.subarray(2, 6), null), /overlaps X only partly/);
    const out = new Float64Array(4);
    err(() => backend.elementwise({ kind: 'tanh' }, 'both', X, out, out), /value and derivative must not share memory/);
  });
});
