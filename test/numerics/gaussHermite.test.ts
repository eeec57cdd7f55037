import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gaussHermite, gaussHermiteGolubWelsch } from '../../src/numerics/gaussHermite.js';
import { tridiagonalEigen } from '../../src/numerics/tridiagonal.js';

interface RefRule {
  nodes: number[];
  weights: number[];
}
// Produced by test/numerics/fixtures/gauss-hermite-reference.py (50-digit mpmath Newton; numpy hermegauss).
const REF = JSON.parse(readFileSync(new URL('./fixtures/gauss-hermite-reference.json', import.meta.url), 'utf8')) as Record<string, RefRule> & {
  numpy: Record<string, RefRule>;
};

/** (2k-1)!! = E z^{2k}. */
function doubleFactorial(k: number): number {
  let v = 1;
  for (let j = 2 * k - 1; j > 1; j -= 2) v *= j;
  return v;
}

describe('tridiagonalEigen', () => {
  it('finds the eigenvalues of the 1-2-1 matrix (known in closed form)', () => {
    // tridiag(-1, 2, -1) of size n: eigenvalues 2 - 2 cos(k pi / (n + 1)), first components sqrt(2/(n+1)) sin(k pi/(n+1)).
    const n = 37;
    const { values, firstComponents } = tridiagonalEigen(new Array(n).fill(2), new Array(n - 1).fill(-1), true);
    for (let k = 1; k <= n; k++) {
      const theta = (k * Math.PI) / (n + 1);
      expect(Math.abs(values[k - 1] - (2 - 2 * Math.cos(theta)))).toBeLessThan(1e-14);
      expect(Math.abs(Math.abs(firstComponents![k - 1]) - Math.sqrt(2 / (n + 1)) * Math.sin(theta))).toBeLessThan(1e-14);
    }
  });
  it('handles 1 x 1, diagonal, and rejects bad shapes / non-finite entries', () => {
    expect(Array.from(tridiagonalEigen([3], []).values)).toEqual([3]);
    expect(Array.from(tridiagonalEigen([3, -1, 2], [0, 0]).values)).toEqual([-1, 2, 3]);
    expect(() => tridiagonalEigen([1, 2], [1, 2])).toThrow(/offDiag must have length diag.length - 1 = 1, got 2/);
    expect(() => tridiagonalEigen([1, NaN], [1])).toThrow(/finite/);
  });
});

describe('gaussHermite (probabilists)', () => {
  it('matches 50-digit references up to n = 200 (nodes to 1e-14 relative, weights to 1e-14 of max(w, 1e-2) and 1e-12 relative)', () => {
    for (const n of [1, 2, 5, 20, 64, 200]) {
      const ref = REF[String(n)];
      const rule = gaussHermite(n);
      const m = ref.nodes.length;
      for (let j = 0; j < m; j++) {
        const x = rule.nodes[n - m + j];
        const w = rule.weights[n - m + j];
        expect(Math.abs(x - ref.nodes[j]), `n=${n} node ${j}`).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(ref.nodes[j])));
        expect(Math.abs(w - ref.weights[j]), `n=${n} weight ${j}`).toBeLessThanOrEqual(1e-14 * Math.max(ref.weights[j], 1e-2));
        expect(Math.abs(w - ref.weights[j]) / ref.weights[j], `n=${n} weight ${j} rel`).toBeLessThan(1e-12);
      }
    }
  });
  it('agrees with numpy hermegauss (weights / sqrt(2 pi)) for n = 10, 50, 100', () => {
    for (const key of ['10', '50', '100']) {
      const ref = REF.numpy[key];
      const rule = gaussHermite(Number(key));
      for (let j = 0; j < ref.nodes.length; j++) {
        expect(Math.abs(rule.nodes[j] - ref.nodes[j])).toBeLessThan(1e-13 * Math.max(1, Math.abs(ref.nodes[j])));
        expect(Math.abs(rule.weights[j] - ref.weights[j])).toBeLessThan(1e-14);
      }
    }
  });
  it('is symmetric, ascending, with weights summing to 1', () => {
    for (const n of [1, 2, 3, 7, 50, 201, 1000]) {
      const { nodes, weights } = gaussHermite(n);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        expect(nodes[i] + nodes[n - 1 - i]).toBe(0);
        expect(weights[i]).toBe(weights[n - 1 - i]);
        if (i > 0) expect(nodes[i]).toBeGreaterThan(nodes[i - 1]);
        sum += weights[i];
      }
      expect(Math.abs(sum - 1), `n = ${n}`).toBeLessThan(2e-15 * Math.sqrt(n));
    }
  });
  it('integrates z^{2k} exactly, E z^{2k} = (2k-1)!!, for 2k <= 2n - 1 (to 1e-14 relative)', () => {
    for (const n of [3, 10, 40, 120, 200, 1000]) {
      const { nodes, weights } = gaussHermite(n);
      for (let k = 0; 2 * k <= Math.min(2 * n - 1, 200); k++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += (Math.sqrt(weights[i]) * Math.abs(nodes[i]) ** k) ** 2; // no overflow of x^{2k}
        const want = doubleFactorial(k);
        expect(Math.abs(s - want) / want, `n=${n} k=${k}`).toBeLessThan(1e-14 * Math.max(1, k / 10));
      }
    }
  });
  it('makes the normalised Hermite polynomials p_0..p_{n-1} orthonormal (n = 200)', () => {
    const n = 200;
    const { nodes, weights } = gaussHermite(n);
    const P: Float64Array[] = [];
    for (let i = 0; i < n; i++) {
      const p = new Float64Array(n);
      p[0] = 1;
      if (n > 1) p[1] = nodes[i];
      for (let k = 1; k < n - 1; k++) p[k + 1] = (nodes[i] * p[k] - Math.sqrt(k) * p[k - 1]) / Math.sqrt(k + 1);
      P.push(p);
    }
    let worst = 0;
    for (let a = 0; a < n; a++) {
      for (let b = a; b < n; b++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += weights[i] * P[i][a] * P[i][b];
        worst = Math.max(worst, Math.abs(s - (a === b ? 1 : 0)));
      }
    }
    expect(worst).toBeLessThan(1e-13);
  });
  it('agrees with the plain Golub–Welsch rule (an independent weight formula)', () => {
    for (const n of [4, 30, 100]) {
      const a = gaussHermite(n);
      const b = gaussHermiteGolubWelsch(n);
      for (let i = 0; i < n; i++) {
        expect(Math.abs(a.nodes[i] - b.nodes[i])).toBeLessThan(1e-13 * Math.max(1, Math.abs(a.nodes[i])));
        expect(Math.abs(a.weights[i] - b.weights[i])).toBeLessThan(1e-14);
      }
    }
  });
  it('handles large orders without overflow (n = 2000: weights finite, some underflow to 0, sum 1)', () => {
    const { nodes, weights } = gaussHermite(2000);
    let sum = 0;
    for (const w of weights) {
      expect(Number.isFinite(w)).toBe(true);
      sum += w;
    }
    expect(Math.abs(sum - 1)).toBeLessThan(1e-13);
    expect(weights[0]).toBe(0);
    expect(nodes[1999]).toBeGreaterThan(80);
    // E z^4 = 3 and E z^20 = 19!! even at this order
    let m4 = 0;
    let m20 = 0;
    for (let i = 0; i < 2000; i++) {
      m4 += weights[i] * nodes[i] ** 4;
      m20 += weights[i] * nodes[i] ** 20;
    }
    expect(Math.abs(m4 - 3)).toBeLessThan(1e-13);
    expect(Math.abs(m20 / doubleFactorial(10) - 1)).toBeLessThan(1e-13);
  });
  it('caches rules, freezes them and rejects bad orders', () => {
    expect(gaussHermite(12)).toBe(gaussHermite(12));
    expect(Object.isFrozen(gaussHermite(12).nodes)).toBe(true);
    expect(() => gaussHermite(0)).toThrow(/gaussHermite: n must be an integer in \[1, 10000\], got 0/);
    expect(() => gaussHermite(2.5)).toThrow(/got 2.5/);
  });
});
