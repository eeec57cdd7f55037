// The native and the portable backend on the same random inputs agree to 1e-10 (norm-wise relative; vectors
// up to sign on well-separated spectra). Runs whenever both backends are under test (see helpers.ts).
import { describe, expect, it } from 'vitest';
import { getBackendByName, zeros, type ElementwiseKernel } from '../../src/linalg/index.js';
import { backendNamesUnderTest, columnsUpToSign, mulberry32, randomMatrix, relErr, separatedSymmetric, spdMatrix, toFloat32, transposed } from './helpers.js';

const both = backendNamesUnderTest().length === 2;
const TOL = 1e-10;

describe.skipIf(!both)('native and portable backends agree', () => {
  const nat = both ? getBackendByName('native') : getBackendByName('portable');
  const por = getBackendByName('portable');

  it('gemm (all transposes, float64) and float32 gemm', () => {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const m = 61, n = 47, k = 300;
      const A = randomMatrix(ta ? k : m, ta ? m : k, 1), B = randomMatrix(tb ? n : k, tb ? k : n, 2);
      const C1 = randomMatrix(m, n, 3), C2 = randomMatrix(m, n, 3);
      nat.gemm(ta, tb, 1.25, A, B, 0.5, C1);
      por.gemm(ta, tb, 1.25, A, B, 0.5, C2);
      expect(relErr(C1.data, C2.data)).toBeLessThan(TOL);
    }
    const A = toFloat32(randomMatrix(40, 200, 4)), B = toFloat32(randomMatrix(200, 30, 5));
    const C1 = zeros(40, 30, 'float32'), C2 = zeros(40, 30, 'float32');
    nat.gemm(false, false, 1, A, B, 0, C1);
    por.gemm(false, false, 1, A, B, 0, C2);
    expect(relErr(C1.data, C2.data)).toBeLessThan(1e-5); // float32: both round differently, within float32 accuracy
  });

  it('syrk and gemv', () => {
    for (const trans of [false, true]) {
      const A = randomMatrix(trans ? 150 : 37, trans ? 37 : 150, 6);
      const C1 = zeros(37, 37), C2 = zeros(37, 37);
      nat.syrk(trans, 0.5, A, 0, C1);
      por.syrk(trans, 0.5, A, 0, C2);
      expect(relErr(C1.data, C2.data)).toBeLessThan(TOL);
      // op(M) is 37 x 150 either way
      const M = randomMatrix(trans ? 150 : 37, trans ? 37 : 150, 9);
      const x = randomMatrix(150, 1, 7).data;
      const y1 = randomMatrix(37, 1, 8).data, y2 = y1.slice();
      nat.gemv(trans, -1, M, x, 2, y1);
      por.gemv(trans, -1, M, x, 2, y2);
      expect(relErr(y1, y2)).toBeLessThan(TOL);
    }
  });

  it('eigenvalues and eigenvectors (up to sign), eighRange', () => {
    const A = separatedSymmetric(60, 10, 1);
    const r1 = nat.eigh(A), r2 = por.eigh(A);
    expect(relErr(r1.values, r2.values)).toBeLessThan(TOL);
    expect(columnsUpToSign(r1.vectors, r2.vectors)).toBeLessThan(TOL);
    expect(relErr(nat.eigvalsh(A), por.eigvalsh(A))).toBeLessThan(TOL);
    const p1 = nat.eighRange(A, 10, 19), p2 = por.eighRange(A, 10, 19);
    expect(relErr(p1.values, p2.values)).toBeLessThan(TOL);
    expect(columnsUpToSign(p1.vectors, p2.vectors)).toBeLessThan(TOL);
  });

  it('singular values and vectors (up to sign) on a well-separated spectrum, tall and wide', () => {
    for (const [m, n] of [[50, 30], [30, 50]] as const) {
      const A = randomMatrix(m, n, 11);
      // add a staircase along the diagonal so the singular values are about 2, 4, 6, ... (well separated)
      for (let i = 0; i < Math.min(m, n); i++) A.data[i * n + i] += 2 * (i + 1);
      const s1 = nat.svd(A), s2 = por.svd(A);
      expect(relErr(s1.s, s2.s)).toBeLessThan(TOL);
      expect(columnsUpToSign(s1.U, s2.U)).toBeLessThan(TOL);
      expect(columnsUpToSign(transposed(s1.Vt), transposed(s2.Vt))).toBeLessThan(TOL);
      expect(relErr(nat.svdvals(A), por.svdvals(A))).toBeLessThan(TOL);
    }
  });

  it('Cholesky factor, Cholesky solve and LU solve', async () => {
    const A = spdMatrix(70, 12);
    const L1 = nat.cholesky(A), L2 = por.cholesky(A);
    expect(relErr(L1.data, L2.data)).toBeLessThan(TOL);
    const B = randomMatrix(70, 3, 13);
    expect(relErr(nat.choleskySolve(L1, B).data, por.choleskySolve(L1, B).data)).toBeLessThan(TOL);
    expect(relErr((await nat.choleskySolveAsync(L1, B)).data, (await por.choleskySolveAsync(L1, B)).data)).toBeLessThan(TOL);
    const F1 = { rows: 70, cols: 70, data: A.data.slice() }, F2 = { rows: 70, cols: 70, data: A.data.slice() };
    nat.choleskyInPlace(F1);
    por.choleskyInPlace(F2);
    expect(relErr(F1.data, F2.data)).toBeLessThan(TOL);
    const G = randomMatrix(70, 70, 14);
    for (let i = 0; i < 70; i++) G.data[i * 70 + i] += 4;
    expect(relErr(nat.solve(G, B).data, por.solve(G, B).data)).toBeLessThan(TOL);
  });

  it('async versions agree too', async () => {
    const A = separatedSymmetric(40, 15, 1);
    const [e1, e2] = await Promise.all([nat.eighAsync(A), por.eighAsync(A)]);
    expect(relErr(e1.values, e2.values)).toBeLessThan(TOL);
    const M = randomMatrix(30, 20, 16);
    for (let i = 0; i < 20; i++) M.data[i * 20 + i] += 2 * (i + 1);
    const [s1, s2] = await Promise.all([nat.svdAsync(M), por.svdAsync(M)]);
    expect(columnsUpToSign(s1.U, s2.U)).toBeLessThan(TOL);
    const X = randomMatrix(30, 20, 17), Y = randomMatrix(20, 25, 18);
    const C1 = zeros(30, 25), C2 = zeros(30, 25);
    await Promise.all([nat.gemmAsync(false, false, 1, X, Y, 0, C1), por.gemmAsync(false, false, 1, X, Y, 0, C2)]);
    expect(relErr(C1.data, C2.data)).toBeLessThan(TOL);
  });

  it('elementwise kernels agree to a few ulp', () => {
    const u = mulberry32(19);
    const X = Float64Array.from({ length: 5000 }, () => 12 * u() - 6);
    const kernels: ElementwiseKernel[] = [
      { kind: 'tanh' }, { kind: 'relu', offset: -0.4 }, { kind: 'erf' }, { kind: 'sigmoid' }, { kind: 'softplus' }, { kind: 'sin' },
      { kind: 'cos' }, { kind: 'abs' }, { kind: 'sign' }, { kind: 'linear' }, { kind: 'poly', coeffs: [0, -3, 0, 1] },
    ];
    for (const kernel of kernels) {
      const v1 = new Float64Array(X.length), d1 = new Float64Array(X.length), v2 = new Float64Array(X.length), d2 = new Float64Array(X.length);
      nat.elementwise(kernel, 'both', X, v1, d1);
      por.elementwise(kernel, 'both', X, v2, d2);
      for (let i = 0; i < X.length; i++) {
        const ok = Math.abs(v1[i] - v2[i]) <= 1e-15 * Math.max(1, Math.abs(v2[i])) && Math.abs(d1[i] - d2[i]) <= 1e-15 * Math.max(1, Math.abs(d2[i]));
        if (!ok) throw new Error(`${kernel.kind} at ${X[i]}: native ${v1[i]}, ${d1[i]}; portable ${v2[i]}, ${d2[i]}`);
      }
    }
  });
});

describe('backend selection for this suite', () => {
  it('tests the native backend whenever the addon loads, unless FEATLEARN_BACKEND=portable', () => {
    const names = backendNamesUnderTest();
    if (process.env.FEATLEARN_BACKEND === 'portable') expect(names).toEqual(['portable']);
    else expect(names).toContain('portable');
  });
});
