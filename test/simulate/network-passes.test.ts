/**
 * The native fused network passes (native/src/network.cc: one pass over X per gradient or HVP) against the
 * portable backend's route through the same functions (src/simulate/dynamics/network.ts: row-blocked gemms
 * and the elementwise work in JavaScript) — two independent implementations of multi-index.md section 2's
 * gradient and Pearlmutter HVP. Shapes are chosen to hit every tile and remainder of the native kernels:
 * d not a multiple of 4 or 12, m not a multiple of 4, n with leftover rows in a block and several slabs.
 *
 * Tolerance 1e-12 relative to the largest entry: both sum the same products in float64, in different orders
 * (n d m ~ 1e6 terms of size O(1): rounding differences ~ 1e-16 sqrt(n) relative, far below 1e-12).
 */
import { afterAll, describe, expect, test } from 'vitest';
import { getBackendByName, LinalgError, type LinalgBackend } from '../../src/linalg/index.js';
import { getActivation } from '../../src/activations/index.js';
import { fillNormal, foldIn, rootKey } from '../../src/random/index.js';
import { hessianPoint, hessianVectorProduct, lossAndGradient, makeLoss, parameterCount, type NetworkProblem } from '../../src/simulate/dynamics/network.js';
import type { LossName } from '../../src/models/dynamics-config.js';
import { backendNamesUnderTest } from '../linalg/helpers.js';

const both = backendNamesUnderTest().length === 2;

interface Case {
  act: string;
  loss: LossName;
  n: number;
  d: number;
  m: number;
  trainA: boolean;
  bias: boolean;
  wd: number;
}

const cases: Case[] = [
  { act: 'tanh', loss: 'square', n: 1000, d: 50, m: 4, trainA: false, bias: false, wd: 0 },
  { act: 'relu-centered', loss: 'logcosh', n: 777, d: 37, m: 5, trainA: true, bias: true, wd: 0.01 },
  { act: 'poly:0.3,0.5,0.2,-0.1', loss: 'huber', n: 300, d: 13, m: 3, trainA: true, bias: false, wd: 0 },
  { act: 'sigmoid', loss: 'square', n: 5, d: 7, m: 9, trainA: false, bias: true, wd: 0 },
  { act: 'erf', loss: 'logcosh', n: 2600, d: 29, m: 1, trainA: true, bias: true, wd: 0.1 },
  { act: 'sin', loss: 'square', n: 1, d: 3, m: 2, trainA: false, bias: false, wd: 0 },
  { act: 'quadratic', loss: 'square', n: 513, d: 24, m: 6, trainA: false, bias: false, wd: 0 },
];

function problem(backend: LinalgBackend, c: Case, seed: number): { p: NetworkProblem; theta: Float64Array } {
  const root = rootKey(seed);
  const X = { rows: c.n, cols: c.d, data: fillNormal(foldIn(root, 'x'), new Float64Array(c.n * c.d)) };
  const y = fillNormal(foldIn(root, 'y'), new Float64Array(c.n));
  const aFrozen = fillNormal(foldIn(root, 'a'), new Float64Array(c.m));
  const p: NetworkProblem = { backend, X, y, activation: getActivation(c.act), loss: makeLoss(c.loss, 0.7), m: c.m, trainA: c.trainA, bias: c.bias, aFrozen, weightDecay: c.wd };
  const theta = fillNormal(foldIn(root, 'theta'), new Float64Array(parameterCount(p)), { std: 0.3 });
  return { p, theta };
}

function maxRelDiff(a: Float64Array, b: Float64Array): number {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  return diff / scale;
}

describe.skipIf(!both)('native fused network passes', () => {
  const nat = both ? getBackendByName('native') : getBackendByName('portable');
  const por = getBackendByName('portable');
  const threads = nat.info().threads;
  afterAll(() => nat.setThreads(threads));

  test('the native backend offers them and the portable one does not (so the comparison below is between two routes)', () => {
    expect(typeof nat.network?.gradient).toBe('function');
    expect(por.network).toBeUndefined();
  });

  test.each(cases)('gradient and loss = the portable route to 1e-12 ($act, $loss, n $n, d $d, m $m, trainA $trainA, bias $bias)', (c) => {
    const { p, theta } = problem(nat, c, c.n + c.d);
    const gN = new Float64Array(theta.length);
    const gP = new Float64Array(theta.length);
    const lN = lossAndGradient(p, theta, gN);
    const lP = lossAndGradient({ ...p, backend: por }, theta, gP);
    expect(Math.abs(lN.loss - lP.loss) / Math.abs(lP.loss)).toBeLessThan(1e-12);
    expect(maxRelDiff(gN, gP)).toBeLessThan(1e-12);
    // The loss alone (no gradient asked) is the same number.
    expect(lossAndGradient(p, theta, null).loss).toBe(lN.loss);
  });

  test.each(cases.filter((c) => c.act !== 'sin'))('Hessian-vector product = the portable route to 1e-12 ($act, $loss, m $m)', (c) => {
    const { p, theta } = problem(nat, c, 7 * c.n + c.m);
    const v = fillNormal(rootKey(c.d), new Float64Array(theta.length));
    const hN = hessianVectorProduct(p, hessianPoint(p, theta), v, new Float64Array(theta.length));
    const pp = { ...p, backend: por };
    const hP = hessianVectorProduct(pp, hessianPoint(pp, theta), v, new Float64Array(theta.length));
    expect(maxRelDiff(hN, hP)).toBeLessThan(1e-12);
  });

  test('float32 inputs: the native pass converts each entry exactly and sums in float64, so it equals the float64 pass on the rounded inputs to 1e-13', () => {
    const c = cases[1];
    const { p, theta } = problem(nat, c, 11);
    const X32 = Float32Array.from(p.X.data);
    const p32: NetworkProblem = { ...p, X: { rows: c.n, cols: c.d, data: X32 } };
    const p64: NetworkProblem = { ...p, X: { rows: c.n, cols: c.d, data: Float64Array.from(X32) } };
    const g32 = new Float64Array(theta.length);
    const g64 = new Float64Array(theta.length);
    lossAndGradient(p32, theta, g32);
    lossAndGradient({ ...p64, backend: por }, theta, g64);
    expect(maxRelDiff(g32, g64)).toBeLessThan(1e-13);
  });

  test('the same numbers, bit for bit, with 1, 2 and 3 threads (slabs depend on n, m, d only)', () => {
    const c = cases[4];
    const { p, theta } = problem(nat, c, 5);
    const v = fillNormal(rootKey(6), new Float64Array(theta.length));
    const results: Float64Array[] = [];
    for (const t of [1, 2, 3]) {
      nat.setThreads(t);
      const g = new Float64Array(theta.length);
      lossAndGradient(p, theta, g);
      const hv = hessianVectorProduct(p, hessianPoint(p, theta), v, new Float64Array(theta.length));
      results.push(Float64Array.of(...g, ...hv));
    }
    expect(Array.from(results[1])).toEqual(Array.from(results[0]));
    expect(Array.from(results[2])).toEqual(Array.from(results[0]));
  });

  test('bad shapes are refused with the argument and the lengths', () => {
    const c = cases[0];
    const { p, theta } = problem(nat, c, 3);
    const W = theta.subarray(0, c.m * c.d);
    const kernel = { kind: 'tanh' as const };
    const loss = { name: 'square' as const, huberDelta: 1 };
    const call = (over: Partial<{ W: Float64Array; a: Float64Array; y: Float64Array; outW: Float64Array }>) => () =>
      nat.network!.gradient(p.X, over.W ?? W, over.a ?? p.aFrozen, 0, over.y ?? p.y, kernel, loss, over.outW ?? new Float64Array(c.m * c.d), new Float64Array(c.m));
    expect(call({ W: new Float64Array(c.d + 1) })).toThrow(/W: expected a non-empty Float64Array of length m \* d \(d = 50\)/);
    expect(call({ a: new Float64Array(c.m + 1) })).toThrow(/a has length 5, expected 4/);
    expect(call({ y: new Float64Array(3) })).toThrow(/y has length 3, expected 1000/);
    expect(call({ outW: new Float64Array(1) })).toThrow(LinalgError);
    expect(() => nat.network!.gradient(p.X, W, p.aFrozen, 0, p.y, { kind: 'nope' } as never, loss, new Float64Array(c.m * c.d), new Float64Array(c.m))).toThrow(/kernel.kind: expected one of/);
  });
});
