// Decompositions of every backend, checked by identities (A V = V diag(w), U S Vt = A, L L^T = A, A X = B)
// and closed forms, plus their error paths.
import { describe, expect, it } from 'vitest';
import { fromRows, LinalgError, zeros, type Matrix } from '../../src/linalg/index.js';
import {
  at,
  backendsUnderTest,
  column,
  columnsUpToSign,
  matmul,
  maxAbs,
  orthonormalityError,
  randomMatrix,
  relErr,
  separatedSymmetric,
  spdMatrix,
  transposed,
} from './helpers.js';

/** tridiag(-1, 2, -1) of size n: eigenvalues 2 - 2 cos(k pi / (n + 1)), k = 1..n (ascending). */
function secondDifference(n: number): { A: Matrix<Float64Array>; values: number[] } {
  const A = zeros(n, n);
  for (let i = 0; i < n; i++) {
    A.data[i * n + i] = 2;
    if (i + 1 < n) A.data[i * n + i + 1] = A.data[(i + 1) * n + i] = -1;
  }
  const values = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)));
  return { A, values };
}

function expectLinalgError(f: () => unknown, kind: LinalgError['kind'], message: RegExp): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(LinalgError);
  expect((caught as LinalgError).kind).toBe(kind);
  expect((caught as LinalgError).message).toMatch(message);
}

async function expectRejects(p: Promise<unknown>, kind: LinalgError['kind'], message: RegExp): Promise<void> {
  const caught = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(caught).toBeInstanceOf(LinalgError);
  expect((caught as LinalgError).kind).toBe(kind);
  expect((caught as LinalgError).message).toMatch(message);
}

/** max |A V - V diag(w)| / max |A|. */
function eigenResidual(A: Matrix<Float64Array>, V: Matrix<Float64Array>, w: Float64Array): number {
  const AV = matmul(A, V);
  let e = 0;
  for (let i = 0; i < V.rows; i++) for (let j = 0; j < V.cols; j++) e = Math.max(e, Math.abs(at(AV, i, j) - at(V, i, j) * w[j]));
  return e / maxAbs(A.data);
}

describe.each(backendsUnderTest())('%s backend: symmetric eigendecomposition', (name, backend) => {
  it('eigenvalues of tridiag(-1, 2, -1) match the closed form; A V = V diag(w); V orthonormal', () => {
    const { A, values } = secondDifference(31);
    const { values: w, vectors: V } = backend.eigh(A);
    expect(relErr(w, values)).toBeLessThan(1e-13);
    expect(eigenResidual(A, V, w)).toBeLessThan(1e-13);
    expect(orthonormalityError(V)).toBeLessThan(1e-13);
    // eigenvector k is sin(j k pi/(n+1)) up to normalisation and sign
    const n = 31;
    for (const k of [1, 7, 31]) {
      const v = column(V, k - 1);
      const ref = Array.from({ length: n }, (_, j) => Math.sqrt(2 / (n + 1)) * Math.sin(((j + 1) * k * Math.PI) / (n + 1)));
      const s = Math.sign(v[0] * ref[0]);
      expect(maxAbs(ref.map((r, j) => v[j] - s * r))).toBeLessThan(1e-12);
    }
  });

  it('random symmetric matrices: identities, ascending order, A is not modified, only the lower triangle is read', () => {
    for (const n of [1, 2, 5, 40]) {
      const A = separatedSymmetric(n, 10 + n, 0.5);
      const copy = A.data.slice();
      const { values: w, vectors: V } = backend.eigh(A);
      expect(Array.from(A.data)).toEqual(Array.from(copy));
      for (let i = 1; i < n; i++) expect(w[i]).toBeGreaterThanOrEqual(w[i - 1]);
      expect(eigenResidual(A, V, w)).toBeLessThan(1e-13);
      expect(orthonormalityError(V)).toBeLessThan(1e-13);
      // garbage in the strict upper triangle changes nothing
      const B = { rows: n, cols: n, data: A.data.slice() };
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) B.data[i * n + j] = 1e6 * (i - j);
      expect(relErr(backend.eigvalsh(B), w)).toBeLessThan(1e-13);
    }
  });

  it('eigvalsh equals the values of eigh; eighRange equals the slice of eigh', () => {
    const A = separatedSymmetric(30, 77, 3);
    const full = backend.eigh(A);
    expect(relErr(backend.eigvalsh(A), full.values)).toBeLessThan(1e-13);
    for (const [il, iu] of [[0, 0], [0, 29], [29, 29], [5, 12]] as const) {
      const part = backend.eighRange(A, il, iu);
      expect(part.vectors.rows).toBe(30);
      expect(part.vectors.cols).toBe(iu - il + 1);
      expect(relErr(part.values, full.values.slice(il, iu + 1))).toBeLessThan(1e-13);
      const slice = zeros(30, iu - il + 1);
      for (let i = 0; i < 30; i++) for (let j = il; j <= iu; j++) slice.data[i * (iu - il + 1) + j - il] = at(full.vectors, i, j);
      expect(columnsUpToSign(part.vectors, slice)).toBeLessThan(1e-11);
    }
  });

  it('eighAsync resolves to the eigh result', async () => {
    const A = separatedSymmetric(25, 5, 2);
    const sync = backend.eigh(A);
    const p = backend.eighAsync(A);
    expect(p).toBeInstanceOf(Promise);
    const res = await p;
    expect(relErr(res.values, sync.values)).toBeLessThan(1e-15);
    expect(columnsUpToSign(res.vectors, sync.vectors)).toBeLessThan(1e-13);
  });

  // Ordering, not timing: while the native eigensolver runs on the thread pool, the event loop keeps turning.
  it.skipIf(name !== 'native')('eighAsync leaves the event loop free while it runs (native)', async () => {
    const A = separatedSymmetric(400, 6, 1);
    let turns = 0;
    let running = true;
    const spin = () => {
      turns++;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    const res = await backend.eighAsync(A);
    running = false;
    expect(res.values.length).toBe(400);
    expect(turns).toBeGreaterThan(1);
  });

  it('empty matrix; errors: non-square, float32, bad range, NaN', async () => {
    expect(backend.eigh(zeros(0, 0)).values.length).toBe(0);
    expectLinalgError(() => backend.eigh(zeros(2, 3)), 'shape', /eigh: A: expected a square matrix, got 2x3/);
    expectLinalgError(() => backend.eigh(zeros(2, 2, 'float32') as unknown as Matrix<Float64Array>), 'invalid', /expected a float64 matrix/);
    expectLinalgError(() => backend.eighRange(zeros(4, 4), 2, 4), 'invalid', /0 <= il <= iu < n = 4, got il=2, iu=4/);
    expectLinalgError(() => backend.eighRange(zeros(4, 4), 3, 2), 'invalid', /got il=3, iu=2/);
    const N = fromRows([[1, 0], [NaN, 1]]);
    expectLinalgError(() => backend.eigh(N), 'invalid', /non-finite entry \(NaN or Infinity\) at \(1, 0\)/);
    await expectRejects(backend.eighAsync(N), 'invalid', /non-finite/);
    await expectRejects(backend.eighAsync(zeros(1, 2)), 'shape', /eighAsync: A: expected a square matrix/);
  });
});

describe.each(backendsUnderTest())('%s backend: SVD', (_name, backend) => {
  for (const [m, n] of [[1, 1], [1, 6], [6, 1], [7, 4], [4, 7], [30, 30], [45, 20], [20, 45]] as const) {
    it(`thin SVD of a random ${m}x${n}: U S Vt = A, orthonormal factors, descending values`, () => {
      const A = randomMatrix(m, n, 1000 + m * 100 + n);
      const copy = A.data.slice();
      const { U, s, Vt } = backend.svd(A);
      const k = Math.min(m, n);
      expect([U.rows, U.cols, s.length, Vt.rows, Vt.cols]).toEqual([m, k, k, k, n]);
      expect(Array.from(A.data)).toEqual(Array.from(copy));
      const US = { rows: m, cols: k, data: U.data.map((v, idx) => v * s[idx % k]) };
      expect(relErr(matmul(US, Vt).data, A.data)).toBeLessThan(1e-13);
      expect(orthonormalityError(U)).toBeLessThan(1e-13);
      expect(orthonormalityError(transposed(Vt))).toBeLessThan(1e-13);
      for (let i = 1; i < k; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1]);
      expect(s[k - 1]).toBeGreaterThanOrEqual(0);
      expect(relErr(backend.svdvals(A), s)).toBeLessThan(1e-13);
    });
  }

  it('singular values: of tridiag(-1, 2, -1) = its eigenvalues; of a rank-one matrix = (|u||v|, 0, ...)', () => {
    const { A, values } = secondDifference(20);
    expect(relErr(backend.svdvals(A), [...values].reverse())).toBeLessThan(1e-13);
    const u = [1, 2, 3], v = [1, -1, 0.5, 2];
    const R = fromRows(u.map((ui) => v.map((vj) => ui * vj)));
    const s = backend.svdvals(R);
    const norm = (x: number[]) => Math.hypot(...x);
    expect(Math.abs(s[0] - norm(u) * norm(v))).toBeLessThan(1e-14 * s[0]);
    expect(Math.abs(s[1])).toBeLessThan(1e-14 * s[0]);
    expect(Math.abs(s[2])).toBeLessThan(1e-14 * s[0]);
  });

  it('svdvals^2 are the eigenvalues of A^T A (a different algorithm)', () => {
    const A = randomMatrix(25, 12, 2024);
    const s2 = Array.from(backend.svdvals(A)).map((x) => x * x).reverse();
    expect(relErr(s2, backend.eigvalsh(matmul(transposed(A), A)))).toBeLessThan(1e-13);
  });

  it('svdAsync resolves to the svd result; empty and NaN inputs', async () => {
    const A = randomMatrix(15, 9, 3030);
    const sync = backend.svd(A);
    const res = await backend.svdAsync(A);
    expect(relErr(res.s, sync.s)).toBeLessThan(1e-15);
    expect(columnsUpToSign(res.U, sync.U)).toBeLessThan(1e-13);
    const e = backend.svd(zeros(0, 3));
    expect([e.U.rows, e.U.cols, e.s.length, e.Vt.rows, e.Vt.cols]).toEqual([0, 0, 0, 0, 3]);
    const N = fromRows([[1, Infinity]]);
    expectLinalgError(() => backend.svd(N), 'invalid', /svd|dgesdd/);
    await expectRejects(backend.svdAsync(N), 'invalid', /non-finite entry \(NaN or Infinity\) at \(0, 1\)/);
  });
});

describe.each(backendsUnderTest())('%s backend: Cholesky and solves', (_name, backend) => {
  it('recovers a known lower factor: L0 L0^T = A gives L = L0', () => {
    const n = 17;
    const L0 = randomMatrix(n, n, 4040);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) L0.data[i * n + j] = 0;
      L0.data[i * n + i] = 1 + Math.abs(L0.data[i * n + i]);
    }
    const A = matmul(L0, transposed(L0));
    const L = backend.cholesky(A);
    expect(relErr(L.data, L0.data)).toBeLessThan(1e-13);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(at(L, i, j)).toBe(0);
  });

  it('L L^T = A on random SPD matrices; reads only the lower triangle', () => {
    for (const n of [1, 3, 50]) {
      const A = spdMatrix(n, 50 + n);
      const L = backend.cholesky(A);
      expect(relErr(matmul(L, transposed(L)).data, A.data)).toBeLessThan(1e-14);
      const B = { rows: n, cols: n, data: A.data.slice() };
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) B.data[i * n + j] = -7;
      expect(relErr(backend.cholesky(B).data, L.data)).toBe(0);
    }
  });

  it('choleskyInPlace: the lower triangle becomes the planted factor, the upper triangle is neither read nor written', () => {
    const n = 23;
    const L0 = randomMatrix(n, n, 5050);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) L0.data[i * n + j] = 0;
      L0.data[i * n + i] = 1 + Math.abs(L0.data[i * n + i]);
    }
    const A = matmul(L0, transposed(L0));
    const work = { rows: n, cols: n, data: A.data.slice() };
    backend.choleskyInPlace(work);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) expect(Math.abs(at(work, i, j) - at(L0, i, j))).toBeLessThan(1e-12 * maxAbs(L0.data));
      for (let j = i + 1; j < n; j++) expect(at(work, i, j)).toBe(at(A, i, j)); // untouched: still A
    }
    // The upper triangle is not read: garbage there gives the same factor, bit for bit.
    const junk = { rows: n, cols: n, data: A.data.slice() };
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) junk.data[i * n + j] = i % 2 ? NaN : -1e300;
    backend.choleskyInPlace(junk);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) expect(at(junk, i, j)).toBe(at(work, i, j));
  });

  it('choleskySolve on an in-place factor (upper triangle still holding A) solves A X = B', () => {
    const n = 40;
    const A = spdMatrix(n, 616);
    const F = { rows: n, cols: n, data: A.data.slice() };
    backend.choleskyInPlace(F);
    for (const r of [1, 3]) {
      const X0 = randomMatrix(n, r, 710 + r);
      const B = matmul(A, X0);
      const X = backend.choleskySolve(F, B);
      expect(relErr(X.data, X0.data)).toBeLessThan(1e-11);
      expect(relErr(X.data, backend.choleskySolve(backend.cholesky(A), B).data)).toBeLessThan(1e-12);
    }
  });

  it('choleskyInPlace: not positive definite -> the failing minor, the upper triangle intact; NaN refused', () => {
    const A = fromRows([[4, 2, 0], [2, 1, 0], [0, 0, 1]]);
    const W = { rows: 3, cols: 3, data: A.data.slice() };
    expectLinalgError(() => backend.choleskyInPlace(W), 'not-positive-definite', /leading minor of order 2 is not positive/);
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) expect(at(W, i, j)).toBe(at(A, i, j));
    expectLinalgError(() => backend.choleskyInPlace(fromRows([[1, 2], [2, 1]])), 'not-positive-definite', /order 2/);
    expectLinalgError(() => backend.choleskyInPlace(fromRows([[1, 0], [NaN, 1]])), 'invalid', /non-finite entry \(NaN or Infinity\) at \(1, 0\)/);
    expectLinalgError(() => backend.choleskyInPlace(zeros(2, 3)), 'shape', /choleskyInPlace: A: expected a square matrix, got 2x3/);
  });

  it('choleskySolve: A X = B for one and several right-hand sides, and X equals the planted solution', async () => {
    const n = 40;
    const A = spdMatrix(n, 606);
    const L = backend.cholesky(A);
    for (const r of [1, 3]) {
      const X0 = randomMatrix(n, r, 700 + r);
      const B = matmul(A, X0);
      const X = backend.choleskySolve(L, B);
      expect(relErr(matmul(A, X).data, B.data)).toBeLessThan(1e-13);
      expect(relErr(X.data, X0.data)).toBeLessThan(1e-11);
      const Xa = await backend.choleskySolveAsync(L, B);
      expect(relErr(Xa.data, X.data)).toBeLessThan(1e-15);
    }
  });

  it('solve (LU): A X = B and the planted solution, one and several right-hand sides', () => {
    const n = 33;
    const A = randomMatrix(n, n, 808);
    for (let i = 0; i < n; i++) A.data[i * n + i] += 3; // comfortably non-singular
    for (const r of [1, 4]) {
      const X0 = randomMatrix(n, r, 900 + r);
      const B = matmul(A, X0);
      const copyA = A.data.slice(), copyB = B.data.slice();
      const X = backend.solve(A, B);
      expect(relErr(X.data, X0.data)).toBeLessThan(1e-12);
      expect(relErr(matmul(A, X).data, B.data)).toBeLessThan(1e-13);
      expect(Array.from(A.data)).toEqual(Array.from(copyA));
      expect(Array.from(B.data)).toEqual(Array.from(copyB));
    }
    // a small exact case: [[2, 1], [1, 3]] x = [3, 5] has x = [4/5, 7/5]
    const x = backend.solve(fromRows([[2, 1], [1, 3]]), fromRows([[3], [5]]));
    expect(relErr(x.data, [0.8, 1.4])).toBeLessThan(1e-15);
  });

  it('not positive definite -> LinalgError not-positive-definite with the failing minor', async () => {
    // [[1, 2], [2, 1]] has eigenvalues 3 and -1: the 2x2 leading minor (-3) fails.
    const A = fromRows([[1, 2], [2, 1]]);
    expectLinalgError(() => backend.cholesky(A), 'not-positive-definite', /leading minor of order 2 is not positive/);
    try {
      backend.cholesky(fromRows([[-1, 0], [0, 1]]));
    } catch (e) {
      expect((e as LinalgError).info).toBe(1);
    }
    expectLinalgError(() => backend.cholesky(fromRows([[4, 2, 0], [2, 1, 0], [0, 0, 1]])), 'not-positive-definite', /order 2/);
    // a zero diagonal in a given factor is a singular system
    await expectRejects(backend.choleskySolveAsync(fromRows([[1, 0], [3, 0]]), fromRows([[1], [1]])), 'singular', /L\(1, 1\) = 0/);
  });

  it('singular -> LinalgError singular; shape mismatches name the shapes', () => {
    expectLinalgError(() => backend.solve(fromRows([[1, 2], [2, 4]]), fromRows([[1], [1]])), 'singular', /singular/);
    expectLinalgError(() => backend.solve(fromRows([[0, 0, 0], [1, 2, 3], [4, 5, 6]]), zeros(3, 1)), 'singular', /exactly zero/);
    expectLinalgError(() => backend.solve(zeros(3, 3), zeros(2, 1)), 'shape', /solve: B has 2 rows but A is 3x3: expected B with 3 rows \(B is 2x1\)/);
    expectLinalgError(() => backend.choleskySolve(zeros(3, 2), zeros(3, 1)), 'shape', /choleskySolve: L: expected a square matrix, got 3x2/);
    expectLinalgError(() => backend.cholesky(fromRows([[1, NaN], [NaN, 1]])), 'invalid', /non-finite entry \(NaN or Infinity\) at \(1, 0\)/);
  });
});
