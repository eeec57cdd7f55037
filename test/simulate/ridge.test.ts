/**
 * Ridge readout: identities against an independent dense solve written here (Gaussian elimination on
 * the normal equations with the intercept as an extra unknown): primal = dual = reference, lambda = 0 is
 * least squares / the minimum-norm interpolator, "mean" = "sum" with lambda n/p, lambda -> inf gives the
 * null predictor, float32 close to float64, and the honest fallback on a singular system.
 */
import { describe, expect, it } from 'vitest';
import { getBackend } from '../../src/linalg/index.js';
import type { FloatArray, Matrix } from '../../src/linalg/matrix.js';
import { fitRidge, lambdaSum, solveSpd } from '../../src/simulate/ridge.js';
import { SimulationError } from '../../src/simulate/errors.js';

const backend = getBackend();

/** mulberry32 uniforms -> Box–Muller normals (test inputs only). */
function normals(seed: number, count: number): Float64Array {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return out;
}

function problem(n: number, p: number, seed: number, shift = 0.7): { Phi: Matrix<Float64Array>; y: Float64Array } {
  // Features with a non-zero mean (like relu features), so the intercept matters.
  const data = normals(seed, n * p).map((v) => Math.tanh(v) + shift);
  const y = normals(seed + 1, n).map((v, i) => 0.5 * data[i * p] + 0.3 * v + 1.2);
  return { Phi: { rows: n, cols: p, data }, y };
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is m x m, copied). */
function gaussSolve(A: number[][], b: number[]): number[] {
  const m = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let k = 0; k < m; k++) {
    let piv = k;
    for (let i = k + 1; i < m; i++) if (Math.abs(M[i][k]) > Math.abs(M[piv][k])) piv = i;
    [M[k], M[piv]] = [M[piv], M[k]];
    for (let i = k + 1; i < m; i++) {
      const f = M[i][k] / M[k][k];
      for (let j = k; j <= m; j++) M[i][j] -= f * M[k][j];
    }
  }
  const x = new Array<number>(m).fill(0);
  for (let i = m - 1; i >= 0; i--) {
    let s = M[i][m];
    for (let j = i + 1; j < m; j++) s -= M[i][j] * x[j];
    x[i] = s / M[i][i];
  }
  return x;
}

/**
 * Reference: minimise sum (y - Phi a / sqrt p - b)^2 + lam |a|^2 over (a, b) (b = 0 without intercept):
 * normal equations in the p (+1) unknowns.
 */
function reference(Phi: Matrix<Float64Array>, y: Float64Array, lam: number, intercept: boolean): { a: number[]; b: number } {
  const { rows: n, cols: p, data } = Phi;
  const q = intercept ? p + 1 : p;
  const col = (i: number, j: number) => (j < p ? data[i * p + j] / Math.sqrt(p) : 1);
  const A = Array.from({ length: q }, () => new Array<number>(q).fill(0));
  const rhs = new Array<number>(q).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < q; j++) {
      rhs[j] += col(i, j) * y[i];
      for (let k = 0; k < q; k++) A[j][k] += col(i, j) * col(i, k);
    }
  }
  for (let j = 0; j < p; j++) A[j][j] += lam;
  const x = gaussSolve(A, rhs);
  return { a: x.slice(0, p), b: intercept ? x[p] : 0 };
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('fitRidge against the reference normal equations', () => {
  for (const [n, p, form] of [
    [40, 12, 'primal'],
    [12, 40, 'dual'],
  ] as const) {
    for (const intercept of [false, true]) {
      it(`${form} form (n = ${n}, p = ${p}), intercept ${intercept}`, () => {
        const { Phi, y } = problem(n, p, 11);
        const fit = fitRidge(backend, Phi, y, { lambda: 0.3, normalization: 'sum', intercept });
        expect(fit.form).toBe(form);
        expect(fit.solver).toBe('cholesky');
        expect(fit.warnings).toEqual([]);
        const ref = reference(Phi, y, 0.3, intercept);
        // Well-conditioned systems (lambda = 0.3): agreement to ~1e-12 in float64.
        expect(maxDiff(fit.a, ref.a)).toBeLessThan(1e-10);
        expect(Math.abs(fit.b - ref.b)).toBeLessThan(1e-10);
        if (!intercept) expect(fit.b).toBe(0);
      });
    }
  }

  it('"mean" normalisation = "sum" with lambda n / p', () => {
    const { Phi, y } = problem(30, 20, 5);
    const mean = fitRidge(backend, Phi, y, { lambda: 0.4, normalization: 'mean', intercept: true });
    expect(mean.lambdaSum).toBeCloseTo((30 * 0.4) / 20, 14);
    const ref = reference(Phi, y, (30 * 0.4) / 20, true);
    expect(maxDiff(mean.a, ref.a)).toBeLessThan(1e-10);
  });

  it('lambda = 0 with n > p is least squares: the residual is orthogonal to every feature and to 1', () => {
    const { Phi, y } = problem(50, 8, 21);
    const fit = fitRidge(backend, Phi, y, { lambda: 0, normalization: 'sum', intercept: true });
    const { rows: n, cols: p } = Phi;
    const r = Array.from(y, (yi, i) => {
      let f = fit.b;
      for (let j = 0; j < p; j++) f += (Phi.data[i * p + j] * fit.a[j]) / Math.sqrt(p);
      return yi - f;
    });
    expect(Math.abs(r.reduce((s, v) => s + v, 0))).toBeLessThan(1e-10);
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += Phi.data[i * p + j] * r[i];
      expect(Math.abs(s)).toBeLessThan(1e-9);
    }
  });

  for (const intercept of [false, true]) {
    it(`lambda = 0 with n < p interpolates with the minimum-norm weights (intercept ${intercept})`, () => {
      const { Phi, y } = problem(10, 30, 31);
      const fit = fitRidge(backend, Phi, y, { lambda: 0, normalization: 'sum', intercept });
      expect(fit.warnings).toEqual([]);
      const { cols: p } = Phi;
      for (let i = 0; i < Phi.rows; i++) {
        let f = fit.b;
        for (let j = 0; j < p; j++) f += (Phi.data[i * p + j] * fit.a[j]) / Math.sqrt(p);
        expect(f).toBeCloseTo(y[i], 9);
      }
      // Minimum norm (Lagrange conditions): a = Phi^T alpha / sqrt(p) with [[K, 1], [1^T, 0]] [alpha; b] = [y; 0],
      // K = Phi Phi^T / p (without intercept: K alpha = y, b = 0) — a nonsingular system solved here.
      const n = Phi.rows;
      const q = intercept ? n + 1 : n;
      const A = Array.from({ length: q }, (_, i) =>
        Array.from({ length: q }, (_, j) => {
          if (i < n && j < n) {
            let s = 0;
            for (let k = 0; k < p; k++) s += Phi.data[i * p + k] * Phi.data[j * p + k];
            return s / p;
          }
          return i === n && j === n ? 0 : 1;
        }),
      );
      const sol = gaussSolve(A, intercept ? [...y, 0] : [...y]);
      const aRef = Array.from({ length: p }, (_, k) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += Phi.data[i * p + k] * sol[i];
        return s / Math.sqrt(p);
      });
      expect(maxDiff(fit.a, aRef)).toBeLessThan(1e-9);
      expect(Math.abs(fit.b - (intercept ? sol[n] : 0))).toBeLessThan(1e-9);
    });
  }

  it('lambda -> infinity gives the null predictor (a -> 0, b -> mean y)', () => {
    const { Phi, y } = problem(25, 10, 41);
    const fit = fitRidge(backend, Phi, y, { lambda: 1e12, normalization: 'sum', intercept: true });
    expect(maxDiff(fit.a, new Float64Array(10))).toBeLessThan(1e-9);
    expect(fit.b).toBeCloseTo(y.reduce((s, v) => s + v, 0) / y.length, 8);
  });

  it('float32 features give the float64 fit to float32 accuracy', () => {
    const { Phi, y } = problem(60, 20, 51);
    const f64 = fitRidge(backend, Phi, y, { lambda: 0.5, normalization: 'sum', intercept: true });
    const Phi32 = { rows: Phi.rows, cols: Phi.cols, data: Float32Array.from(Phi.data) };
    const f32 = fitRidge(backend, Phi32, y, { lambda: 0.5, normalization: 'sum', intercept: true });
    // Rounding the features to float32 (relative 6e-8) moves a well-conditioned solution by ~1e-6.
    expect(maxDiff(f32.a, f64.a)).toBeLessThan(1e-4);
    expect(maxDiff(f32.a, f64.a)).toBeGreaterThan(0);
  });

  it('a singular system (duplicated feature, lambda = 0) falls back to the eigendecomposition and says so', () => {
    const n = 30;
    const p = 6;
    const { Phi, y } = problem(n, p, 61);
    for (let i = 0; i < n; i++) Phi.data[i * p + 5] = Phi.data[i * p + 4];
    const fit = fitRidge(backend, Phi, y, { lambda: 0, normalization: 'sum', intercept: false });
    expect(fit.solver).toBe('eigh');
    expect(fit.warnings.join('\n')).toMatch(/ridge \(primal, lambda_sum = 0\): the 6x6 system is (ill-conditioned|not numerically positive definite)/);
    // The minimum-norm least-squares solution splits the weight of the duplicated column evenly.
    expect(fit.a[4]).toBeCloseTo(fit.a[5], 8);
  });

  it('the fallback after a failed in-place Cholesky works on the rebuilt Gram: least-squares residual orthogonal to the features', () => {
    // The Cholesky factor overwrites the Gram's lower triangle; eigh must see the Gram again, not the factor.
    const n = 40;
    const p = 7;
    for (const precision of ['float64', 'float32'] as const) {
      const { Phi, y } = problem(n, p, 62);
      for (let i = 0; i < n; i++) Phi.data[i * p + 6] = Phi.data[i * p + 2];
      const P: Matrix<FloatArray> = precision === 'float64' ? Phi : { rows: n, cols: p, data: Float32Array.from(Phi.data) };
      const fit = fitRidge(backend, P, y, { lambda: 0, normalization: 'sum', intercept: false });
      expect(fit.solver).toBe('eigh');
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let i = 0; i < n; i++) {
          let f = 0;
          for (let k = 0; k < p; k++) f += (P.data[i * p + k] * fit.a[k]) / Math.sqrt(p);
          s += P.data[i * p + j] * (y[i] - f);
        }
        // |Phi_j| |y| ~ 40: float64 normal equations hold to ~1e-12 relative, float32 Gram to ~1e-6.
        expect(Math.abs(s)).toBeLessThan(precision === 'float64' ? 1e-8 : 1e-3);
      }
    }
  });

  it('solveSpd leaves A unchanged unless overwrite is asked for', () => {
    const A = { rows: 3, cols: 3, data: new Float64Array([4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2]) };
    const copy = A.data.slice();
    const b = new Float64Array([1, 2, 3]);
    const x = solveSpd(backend, A, b, 'test').x;
    expect(Array.from(A.data)).toEqual(Array.from(copy));
    for (let i = 0; i < 3; i++) expect(copy[i * 3] * x[0] + copy[i * 3 + 1] * x[1] + copy[i * 3 + 2] * x[2]).toBeCloseTo(b[i], 13);
    const y = solveSpd(backend, A, b, 'test', false, true).x;
    expect(maxDiff(x, y)).toBeLessThan(1e-15);
    expect(Array.from(A.data)).not.toEqual(Array.from(copy));
  });

  for (const [n, p] of [[20, 6], [6, 20]]) {
    for (const precision of ['float64', 'float32'] as const) {
      it(`a NaN or an infinity in the features stops the fit naming the entry (${n > p ? 'primal' : 'dual'}, ${precision})`, () => {
        const { Phi, y } = problem(n, p, 81);
        const P: Matrix<FloatArray> = precision === 'float64' ? Phi : { rows: n, cols: p, data: Float32Array.from(Phi.data) };
        P.data[3 * p + 4] = NaN;
        expect(() => fitRidge(backend, P, y, { lambda: 0.1, normalization: 'sum', intercept: false }, 'ridge readout', 'features sigma(X W1)')).toThrow(
          /ridge readout: features sigma\(X W1\): NaN at entry \(3, 4\)/,
        );
        P.data[3 * p + 4] = 0.5;
        P.data[5 * p + 1] = -Infinity;
        expect(() => fitRidge(backend, P, y, { lambda: 0.1, normalization: 'sum', intercept: true })).toThrow(/features: -Infinity at entry \(5, 1\)/);
      });
    }
  }

  it('a float32 Gram that overflows although the features are finite is reported, not returned', () => {
    const { Phi, y } = problem(12, 4, 91);
    const P = { rows: 12, cols: 4, data: Float32Array.from(Phi.data) };
    // (4e19)^2 / p = 4e38 exceeds float32's largest finite value 3.4e38 however the scaling is ordered.
    P.data[2 * 4 + 1] = 4e19;
    expect(() => fitRidge(backend, P, y, { lambda: 0.1, normalization: 'sum', intercept: false })).toThrow(/Gram matrix of the features overflowed.*float32/);
  });

  it('rejects lambda < 0 naming the parameter', () => {
    const { Phi, y } = problem(10, 5, 71);
    expect(() => fitRidge(backend, Phi, y, { lambda: -1, normalization: 'sum', intercept: false })).toThrow(SimulationError);
    expect(() => lambdaSum({ lambda: -1, normalization: 'sum' }, 10, 5)).toThrow(/ridge.lambda: expected a finite number >= 0, got -1/);
  });
});
