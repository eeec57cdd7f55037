import { describe, expect, it } from 'vitest';
import { brent, expandBracket } from '../../src/numerics/roots.js';
import { dampedFixedPoint } from '../../src/numerics/fixedPoint.js';

describe('brent', () => {
  it('finds known roots to ~1 ulp', () => {
    const cases: [(x: number) => number, number, number, number][] = [
      [(x) => x * x - 2, 0, 2, Math.SQRT2],
      [(x) => Math.cos(x) - x, 0, 1, 0.7390851332151607], // Dottie number (mpmath findroot(cos(x) - x, 0.7))
      [(x) => Math.exp(x) - 10, -5, 5, Math.log(10)],
      [(x) => (x - 1) ** 3, -3, 2, 1], // triple root: bisection safeguard
      [(x) => Math.atan(x - 100), 0, 1000, 100],
    ];
    for (const [f, a, b, root] of cases) {
      const r = brent(f, a, b);
      expect(r.ok).toBe(true);
      if (r.ok) {
        const tol = 4e-16 * Math.max(1, Math.abs(root)) + 1e-14;
        expect(Math.abs(r.value - root), `root ${root}`).toBeLessThanOrEqual(tol);
        expect(r.bracket[0]).toBeLessThanOrEqual(r.value);
        expect(r.bracket[1]).toBeGreaterThanOrEqual(r.value);
        // a triple root defeats interpolation (144 evaluations measured); the others take < 20
        expect(r.iterations).toBeLessThan(root === 1 ? 200 : 20);
      }
    }
  });
  it('converges superlinearly on a smooth root (fewer than 15 evaluations)', () => {
    const r = brent((x) => x * x * x - 2 * x - 5, 2, 3); // Wallis's equation, root 2.0945514815423265
    expect(r.ok && Math.abs(r.value - 2.0945514815423265) < 1e-15).toBe(true);
    expect(r.iterations).toBeLessThan(15);
  });
  it('honours absTol', () => {
    const loose = brent((x) => Math.cos(x) - x, 0, 1, { absTol: 1e-3 });
    const tight = brent((x) => Math.cos(x) - x, 0, 1);
    expect(loose.ok && tight.ok).toBe(true);
    if (loose.ok && tight.ok) {
      expect(Math.abs(loose.value - 0.7390851332151607)).toBeLessThan(1e-3);
      expect(loose.iterations).toBeLessThanOrEqual(tight.iterations);
    }
  });
  it('reports no-bracket, nan and max-iterations as status records', () => {
    const nb = brent((x) => x * x + 1, -1, 1);
    expect(nb).toMatchObject({ ok: false, reason: 'no-bracket', iterations: 0 });
    const nn = brent((x) => (x > 0.5 ? NaN : x - 0.7), 0, 1);
    expect(nn.ok === false && nn.reason).toBe('nan');
    const mi = brent((x) => Math.cos(x) - x, 0, 10, { maxIterations: 2 });
    expect(mi).toMatchObject({ ok: false, reason: 'max-iterations', iterations: 2 });
    expect(() => brent((x) => x, NaN, 1)).toThrow(/brent: a must be a finite number, got NaN/);
  });
  it('returns an end point that is an exact root', () => {
    expect(brent((x) => x, 0, 1)).toMatchObject({ ok: true, value: 0, iterations: 0 });
  });
});

describe('expandBracket', () => {
  it('expands until a sign change', () => {
    const r = expandBracket((x) => x - 50, 0, 1);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.a <= 50 && r.b >= 50).toBe(true);
      const root = brent((x) => x - 50, r.a, r.b);
      expect(root.ok && root.value).toBe(50);
    }
  });
  it('respects limits and reports no-bracket', () => {
    const r = expandBracket((x) => x * x + 1, 0.5, 1, { lower: 0, maxIterations: 20 });
    expect(r.ok === false && r.reason).toBe('no-bracket');
    const s = expandBracket((x) => Math.log(x) + 30, 0.5, 1, { lower: 0 });
    expect(s.ok).toBe(true);
    if (s.ok) expect(s.a).toBeGreaterThanOrEqual(0);
  });
});

describe('dampedFixedPoint', () => {
  it('solves a contraction with a known fixed point (x = cos x; linear 2-D system)', () => {
    const r = dampedFixedPoint((x) => [Math.cos(x[0])], [1], { absTol: 1e-14 });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(Math.abs(r.value[0] - 0.7390851332151607)).toBeLessThan(1e-13);
      expect(r.residual).toBeLessThanOrEqual(1e-14);
      expect(Math.abs(Math.cos(r.value[0]) - r.value[0])).toBe(r.residual);
    }
    // x = A x + b with ||A|| < 1: fixed point (I - A)^{-1} b
    const A = [[0.5, 0.2], [-0.1, 0.3]];
    const b = [1, 2];
    const F = (x: Float64Array) => [A[0][0] * x[0] + A[0][1] * x[1] + b[0], A[1][0] * x[0] + A[1][1] * x[1] + b[1]];
    const s = dampedFixedPoint(F, new Float64Array(2), { absTol: 1e-13, norm: '2' });
    // (I - A) = [[0.5, -0.2], [0.1, 0.7]], det = 0.37; solution = [(0.7*1 + 0.2*2)/0.37, (-0.1*1 + 0.5*2)/0.37]
    expect(s.ok).toBe(true);
    if (s.ok) {
      expect(Math.abs(s.value[0] - 1.1 / 0.37)).toBeLessThan(1e-12);
      expect(Math.abs(s.value[1] - 0.9 / 0.37)).toBeLessThan(1e-12);
    }
  });
  it('damping rescues an oscillating map (x -> -1.5 x + 5 diverges undamped, converges with damping 0.5)', () => {
    const F = (x: Float64Array) => [-1.5 * x[0] + 5];
    const plain = dampedFixedPoint(F, [0]);
    expect(plain.ok === false && plain.reason).toBe('diverged');
    const damped = dampedFixedPoint(F, [0], { damping: 0.5 });
    expect(damped.ok && Math.abs(damped.value[0] - 2)).toBeLessThan(1e-10);
  });
  it('reports max-iterations, nan, stopped', () => {
    const slow = dampedFixedPoint((x) => [0.999 * x[0] + 1], [0], { maxIterations: 50 });
    expect(slow).toMatchObject({ ok: false, reason: 'max-iterations', iterations: 50 });
    const nan = dampedFixedPoint((x) => [x[0] > 2 ? NaN : x[0] + 1], [0]);
    expect(nan.ok === false && nan.reason).toBe('nan');
    const seen: number[] = [];
    const stopped = dampedFixedPoint((x) => [0.5 * x[0]], [1], { onIteration: (t, _x, r) => (seen.push(r), t < 3) });
    expect(stopped).toMatchObject({ ok: false, reason: 'stopped', iterations: 3 });
    expect(seen).toEqual([0.5, 0.25, 0.125]);
  });
  it('validates its options', () => {
    expect(() => dampedFixedPoint((x) => x, [0], { damping: 0 })).toThrow(/damping must be in \(0, 1\], got 0/);
    expect(() => dampedFixedPoint((x) => [x[0], 1], [0])).toThrow(/F must return an array of length 1, got length 2/);
    expect(() => dampedFixedPoint((x) => x, [])).toThrow(/non-empty/);
    expect(() => dampedFixedPoint((x) => x, [Infinity])).toThrow(/x0\[0\] must be a finite number/);
  });
});
