/**
 * Multi-index targets (src/models/multi-index-teacher.ts): values against hand-computed ones, gradients
 * against central differences, the declared symmetry flags against the functions themselves at random
 * points (a flag that lies would mislead theory), the registry and its errors; Theta* orthonormal and
 * labels = g(Theta*^T x) + noise of the declared variance.
 */
import { describe, expect, test } from 'vitest';
import { getBackend } from '../../src/linalg/index.js';
import { fillNormal, rootKey } from '../../src/random/index.js';
import { drawGaussianInputs } from '../../src/models/teacher.js';
import {
  BUILTIN_TARGET_NAMES,
  getMultiIndexTarget,
  registerMultiIndexTarget,
  unregisterMultiIndexTarget,
} from '../../src/models/multi-index-teacher.js';
import { drawThetaStar, multiIndexLabels } from '../../src/simulate/dynamics/teacher.js';

const z3 = Float64Array.from([0.5, -2, 1.5]);

describe('targets', () => {
  test('values at z = (0.5, -2, 1.5) (hand-computed)', () => {
    expect(getMultiIndexTarget('phase-retrieval').g(z3)).toBe(0.25);
    expect(getMultiIndexTarget('abs').g(z3)).toBe(0.5);
    expect(getMultiIndexTarget('norm2', 3).g(z3)).toBeCloseTo((0.25 + 4 + 2.25) / 3, 15);
    expect(getMultiIndexTarget('norm2-sum', 3).g(z3)).toBeCloseTo(6.5, 15);
    expect(getMultiIndexTarget('product', 3).g(z3)).toBeCloseTo(-1.5, 15);
    expect(getMultiIndexTarget('staircase', 3).g(z3)).toBeCloseTo(0.5 - 1 - 1.5, 15);
    expect(getMultiIndexTarget('he2-sum', 3).g(z3)).toBeCloseTo((6.5 - 3) / Math.sqrt(6), 15);
    expect(getMultiIndexTarget('tanh', 3).g(z3)).toBeCloseTo(Math.tanh(0.5), 15);
    expect(getMultiIndexTarget('product').k).toBe(2);
    expect(getMultiIndexTarget('relu').k).toBe(1);
  });

  const specs: [string, number][] = [...BUILTIN_TARGET_NAMES.map((n): [string, number] => [n, 3]), ['tanh', 2], ['poly:0,1,0,1', 2], ['abs', 2], ['sign', 1]];

  test.each(specs)('%s (k = %i): gradient = central differences; symmetry flags hold at random points', (name, k) => {
    const t = getMultiIndexTarget(name, k);
    const pts = fillNormal(rootKey(3), new Float64Array(20 * k));
    for (let p = 0; p < 20; p++) {
      const z = pts.subarray(p * k, (p + 1) * k);
      const gz = t.g(z);
      if (t.gradient && name !== 'sign') {
        const gr = t.gradient(z, new Float64Array(k));
        for (let j = 0; j < k; j++) {
          const zp = z.slice();
          const zm = z.slice();
          zp[j] += 1e-6;
          zm[j] -= 1e-6;
          expect(Math.abs((t.g(zp) - t.g(zm)) / 2e-6 - gr[j])).toBeLessThan(1e-6 * (1 + Math.abs(gr[j])));
        }
      }
      const s = t.symmetry;
      const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * (1 + Math.abs(a));
      if (s.even) expect(close(t.g(z.map((x) => -x)), gz)).toBe(true);
      if (s.signFlipInvariant) {
        for (let j = 0; j < k; j++) {
          const zf = z.slice();
          zf[j] = -zf[j];
          expect(close(t.g(zf), gz)).toBe(true);
        }
      }
      if (s.permutationInvariant && k > 1) expect(close(t.g(Float64Array.from([...z].reverse())), gz)).toBe(true);
      if (s.firstCoordinateOnly && k > 1) {
        const zo = z.slice();
        zo[k - 1] += 0.77;
        expect(close(t.g(zo), gz)).toBe(true);
      }
      if (s.radial) {
        // A rotation in the (z1, zk) plane (or the sign for k = 1) keeps |z|.
        const zr = z.slice();
        const c = Math.cos(0.9);
        const sn = Math.sin(0.9);
        if (k > 1) {
          zr[0] = c * z[0] - sn * z[k - 1];
          zr[k - 1] = sn * z[0] + c * z[k - 1];
        } else zr[0] = -z[0];
        expect(Math.abs(t.g(zr) - gz)).toBeLessThan(1e-12 * (1 + Math.abs(gz)));
      }
    }
    // Flags that must be false where they would be wrong (the checks above only test the true ones).
    if (name === 'staircase') expect(t.symmetry.even).toBe(false);
    if (name === 'product') expect(t.symmetry.even).toBe(false); // k = 3: odd
  });

  test('user registry: register, use, errors name the problem, unregister', () => {
    registerMultiIndexTarget({ name: 'sum-cubes', minK: 1, g: (z) => z.reduce((s, x) => s + x * x * x, 0), symmetry: { permutationInvariant: true } });
    try {
      const t = getMultiIndexTarget('sum-cubes', 3);
      expect(t.origin).toBe('registered');
      expect(t.g(z3)).toBeCloseTo(0.125 - 8 + 3.375, 12);
      expect(() => registerMultiIndexTarget({ name: 'sum-cubes', g: () => 0 })).toThrow(/already registered/);
    } finally {
      expect(unregisterMultiIndexTarget('sum-cubes')).toBe(true);
    }
    expect(() => registerMultiIndexTarget({ name: 'product', g: () => 0 })).toThrow(/built-in target and cannot be redefined/);
    expect(() => registerMultiIndexTarget({ name: '9bad', g: () => 0 })).toThrow(/target name must match/);
    expect(() => registerMultiIndexTarget({ name: 'nanny', g: () => NaN })).toThrow(/expected a finite number/);
    expect(() => registerMultiIndexTarget({ name: 'liar', k: 1, g: (z) => z[0], symmetry: { even: true } })).toThrow(/declared even/);
    registerMultiIndexTarget({ name: 'fixed2', k: 2, g: (z) => z[0] - z[1] });
    try {
      expect(() => getMultiIndexTarget('fixed2', 3)).toThrow(/teacher\.k: target "fixed2" is defined for k = 2, got 3/);
    } finally {
      unregisterMultiIndexTarget('fixed2');
    }
    expect(() => getMultiIndexTarget('zzz')).toThrow(/unknown target "zzz"; allowed: one of phase-retrieval/);
  });
});

describe('drawing a teacher', () => {
  test('Theta* has orthonormal rows; labels are g(Theta*^T x) plus noise of variance Delta', () => {
    const backend = getBackend();
    const d = 300;
    const T = drawThetaStar(rootKey(1), d, 3);
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += T.data[a * d + i] * T.data[b * d + i];
        expect(s).toBeCloseTo(a === b ? 1 : 0, 12);
      }
    }
    const n = 20000;
    const X = drawGaussianInputs(rootKey(2), n, d, 'float64');
    const target = getMultiIndexTarget('product', 2);
    const T2 = drawThetaStar(rootKey(4), d, 2);
    const { Z, fStar, y } = multiIndexLabels(backend, X, T2, target, 0.25, rootKey(5));
    for (const i of [0, 17, 999]) {
      let z0 = 0;
      let z1 = 0;
      for (let j = 0; j < d; j++) {
        z0 += X.data[i * d + j] * T2.data[j];
        z1 += X.data[i * d + j] * T2.data[d + j];
      }
      expect(Z.data[2 * i]).toBeCloseTo(z0, 10);
      expect(fStar[i]).toBeCloseTo(z0 * z1, 10);
    }
    // Noise variance: mean of (y - f*)^2 over n = 20000 has s.e. 0.25 sqrt(2/n) = 0.0025.
    let s2 = 0;
    for (let i = 0; i < n; i++) s2 += (y[i] - fStar[i]) ** 2;
    expect(Math.abs(s2 / n - 0.25)).toBeLessThan(4 * 0.25 * Math.sqrt(2 / n));
  });
});
