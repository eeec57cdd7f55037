// gemm / syrk / gemv of every backend against naive triple loops written in the test helpers.
import { describe, expect, it } from 'vitest';
import { LinalgError, zeros, type Matrix } from '../../src/linalg/index.js';
import { at, backendsUnderTest, maxAbs, naiveGemm, randomMatrix, relErr, toFloat32, transposed, matmul } from './helpers.js';

const EPS32 = 2 ** -23;

function flat(rows: number[][]): number[] {
  return rows.flat();
}

describe.each(backendsUnderTest())('%s backend: gemm', (_name, backend) => {
  // Small odd shapes, including 1xN, Nx1, k = 1, and every transpose combination.
  const shapes: [number, number, number][] = [
    [3, 5, 7],
    [1, 9, 4],
    [8, 1, 3],
    [5, 6, 1],
    [1, 1, 1],
    [17, 13, 11],
    [33, 65, 130], // more than one packed block along k in the portable gemm (KC = 128)
    [70, 517, 9], // more than one block along m (MC = 64) and n (NC = 512), ragged 4x4 edge tiles
  ];
  let seed = 1;
  for (const [m, n, k] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`float64 ${m}x${n}x${k} transA=${transA} transB=${transB} with alpha, beta`, () => {
          const A = randomMatrix(transA ? k : m, transA ? m : k, seed++);
          const B = randomMatrix(transB ? n : k, transB ? k : n, seed++);
          const C = randomMatrix(m, n, seed++);
          const expected = flat(naiveGemm(transA, transB, 0.7, A, B, -1.3, C));
          backend.gemm(transA, transB, 0.7, A, B, -1.3, C);
          expect(relErr(C.data, expected)).toBeLessThan(1e-14);
        });
      }
    }
  }

  it('beta = 0 overwrites C, even NaN entries (BLAS semantics)', () => {
    const A = randomMatrix(4, 3, 11), B = randomMatrix(3, 5, 12);
    const C = zeros(4, 5);
    C.data.fill(NaN);
    backend.gemm(false, false, 1, A, B, 0, C);
    expect(relErr(C.data, flat(naiveGemm(false, false, 1, A, B, 0, C)))).toBeLessThan(1e-14);
  });

  it('empty-ish shapes: k = 0 scales C by beta; m = 0 or n = 0 is a no-op', () => {
    const C = randomMatrix(3, 2, 13);
    const before = Array.from(C.data);
    backend.gemm(false, false, 1, zeros(3, 0), zeros(0, 2), 0.5, C);
    expect(Array.from(C.data)).toEqual(before.map((v) => 0.5 * v));
    backend.gemm(false, false, 1, zeros(3, 0), zeros(0, 2), 0, C);
    expect(Array.from(C.data)).toEqual([0, 0, 0, 0, 0, 0]);
    const E = zeros(0, 4);
    backend.gemm(false, false, 1, zeros(0, 3), randomMatrix(3, 4, 14), 1, E);
    expect(E.data.length).toBe(0);
    const F = zeros(3, 0);
    backend.gemm(true, false, 1, randomMatrix(2, 3, 15), zeros(2, 0), 1, F);
    expect(F.data.length).toBe(0);
  });

  it('float32 matches the double-precision naive product within float32 rounding', () => {
    for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const m = 19, n = 23, k = 150;
      const A64 = randomMatrix(transA ? k : m, transA ? m : k, 21), B64 = randomMatrix(transB ? n : k, transB ? k : n, 22);
      const A = toFloat32(A64), B = toFloat32(B64);
      const C = zeros(m, n, 'float32');
      backend.gemm(transA, transB, 1, A, B, 0, C);
      // reference on the float32-rounded inputs, in double
      const expected = naiveGemm(transA, transB, 1, A, B, 0, C);
      // |error| <= k eps32 sum |a||b| (standard bound); sum |a||b| <= k for entries in (-1, 1)
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) expect(Math.abs(at(C, i, j) - expected[i][j])).toBeLessThan(k * k * EPS32);
      // and far better than the bound in practice: norm-wise 1e-5
      expect(relErr(C.data, flat(expected))).toBeLessThan(1e-5);
      // but it is float32, not float64: the float64 product of the same inputs differs by more than 1e-12
      const C64 = zeros(m, n);
      backend.gemm(transA, transB, 1, { ...A, data: Float64Array.from(A.data) }, { ...B, data: Float64Array.from(B.data) }, 0, C64);
      expect(relErr(C.data, C64.data)).toBeGreaterThan(1e-12);
    }
  });

  it('gemmAsync resolves with the same result as gemm', async () => {
    const A = randomMatrix(40, 30, 31), B = randomMatrix(20, 30, 32);
    const C1 = randomMatrix(40, 20, 33), C2 = randomMatrix(40, 20, 33);
    backend.gemm(false, true, 2, A, B, 0.5, C1);
    const p = backend.gemmAsync(false, true, 2, A, B, 0.5, C2);
    expect(p).toBeInstanceOf(Promise);
    await p;
    expect(relErr(C2.data, C1.data)).toBeLessThan(1e-15);
    expect(relErr(C2.data, flat(naiveGemm(false, true, 2, A, B, 0.5, randomMatrix(40, 20, 33))))).toBeLessThan(1e-14);
  });

  it('rejects mismatched shapes with a message naming the shapes', () => {
    const A = zeros(3, 4), B = zeros(5, 2), C = zeros(3, 2);
    expect(() => backend.gemm(false, false, 1, A, B, 0, C)).toThrow(LinalgError);
    expect(() => backend.gemm(false, false, 1, A, B, 0, C)).toThrow('gemm: inner dimensions differ: op(A) is 3x4 (A 3x4, transA=false) but op(B) is 5x2 (B 5x2, transB=false)');
    expect(() => backend.gemm(false, false, 1, A, zeros(4, 2), 0, zeros(2, 3))).toThrow('gemm: C is 2x3 but op(A) op(B) is 3x2');
    try {
      backend.gemm(false, false, 1, A, B, 0, C);
    } catch (e) {
      expect((e as LinalgError).kind).toBe('shape');
    }
    expect(() => backend.gemm(false, false, 1, A, zeros(4, 2), 0, zeros(3, 2, 'float32') as unknown as Matrix<Float64Array>)).toThrow(
      /one precision: A is Float64Array but C is Float32Array/,
    );
    expect(() => backend.gemm(false, false, NaN, A, zeros(4, 2), 0, C)).toThrow('gemm: alpha: expected a finite number, got NaN');
    expect(() => backend.gemm(false, false, 1, { rows: 3, cols: 4, data: new Float64Array(11) }, zeros(4, 2), 0, C)).toThrow(
      'gemm: A: a 3x4 matrix needs data of length 12, got 11',
    );
    const S = zeros(3, 3);
    expect(() => backend.gemm(false, false, 1, S, zeros(3, 3), 0, S)).toThrow('gemm: the output C must not share memory with the input A');
    return expect(backend.gemmAsync(false, false, 1, A, B, 0, C)).rejects.toThrow(/gemmAsync: inner dimensions differ/);
  });
});

describe.each(backendsUnderTest())('%s backend: syrk', (_name, backend) => {
  for (const trans of [false, true]) {
    for (const [n, k] of [[1, 1], [5, 3], [7, 1], [4, 9], [29, 140]] as const) {
      it(`float64 n=${n} k=${k} trans=${trans}: both triangles equal alpha op(A) op(A)^T + beta C`, () => {
        const A = randomMatrix(trans ? k : n, trans ? n : k, 100 + n + k);
        // a symmetric C (BLAS reads only its lower triangle; the result is symmetric)
        const R = randomMatrix(n, n, 200 + n);
        const C = { rows: n, cols: n, data: new Float64Array(n * n) };
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) C.data[i * n + j] = at(R, i, j) + at(R, j, i);
        const expected = flat(naiveGemm(trans, !trans, 0.6, A, A, -0.4, C));
        backend.syrk(trans, 0.6, A, -0.4, C);
        expect(relErr(C.data, expected)).toBeLessThan(1e-14);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(at(C, i, j)).toBe(at(C, j, i));
      });
    }
  }
  it('reads only the lower triangle of C when beta != 0', () => {
    const A = randomMatrix(3, 2, 301);
    const C = { rows: 3, cols: 3, data: Float64Array.from([1, 99, 99, 2, 3, 99, 4, 5, 6]) };
    const sym = { rows: 3, cols: 3, data: Float64Array.from([1, 2, 4, 2, 3, 5, 4, 5, 6]) };
    const expected = flat(naiveGemm(false, true, 1, A, A, 1, sym));
    backend.syrk(false, 1, A, 1, C);
    expect(relErr(C.data, expected)).toBeLessThan(1e-14);
  });
  it('float32 within float32 rounding; k = 0 scales by beta', () => {
    const A64 = randomMatrix(12, 40, 302);
    const A = toFloat32(A64);
    const C = zeros(12, 12, 'float32');
    backend.syrk(false, 1, A, 0, C);
    expect(relErr(C.data, flat(naiveGemm(false, true, 1, A, A, 0, C)))).toBeLessThan(1e-5);
    const D = { rows: 2, cols: 2, data: Float64Array.from([1, 2, 2, 3]) };
    backend.syrk(false, 1, zeros(2, 0), 2, D);
    expect(Array.from(D.data)).toEqual([2, 4, 4, 6]);
  });
  it('rejects a C of the wrong size', () => {
    expect(() => backend.syrk(true, 1, zeros(3, 4), 0, zeros(3, 3))).toThrow('syrk: C is 3x3 but A^T A is 4x4 (A 3x4, trans=true)');
  });
});

describe.each(backendsUnderTest())('%s backend: gemv', (_name, backend) => {
  for (const trans of [false, true]) {
    for (const [m, n] of [[1, 1], [1, 7], [6, 1], [9, 13], [64, 33]] as const) {
      it(`float64 ${m}x${n} trans=${trans}`, () => {
        const A = randomMatrix(m, n, 400 + m * n);
        const xlen = trans ? m : n, ylen = trans ? n : m;
        const x = randomMatrix(xlen, 1, 401), y = randomMatrix(ylen, 1, 402);
        const expected = flat(naiveGemm(trans, false, 1.5, A, x, 0.25, y));
        backend.gemv(trans, 1.5, A, x.data, 0.25, y.data);
        expect(relErr(y.data, expected)).toBeLessThan(1e-14);
      });
    }
  }
  it('float32, and an empty A scales y by beta', () => {
    const A = toFloat32(randomMatrix(20, 30, 403));
    const x = Float32Array.from(randomMatrix(30, 1, 404).data);
    const y = new Float32Array(20);
    backend.gemv(false, 1, A, x, 0, y);
    expect(relErr(y, flat(naiveGemm(false, false, 1, A, { rows: 30, cols: 1, data: x }, 0, { rows: 20, cols: 1, data: y })))).toBeLessThan(1e-5);
    const z = Float64Array.from([1, -2]);
    backend.gemv(true, 1, zeros(0, 2), new Float64Array(0), 3, z);
    expect(Array.from(z)).toEqual([3, -6]);
  });
  it('rejects vectors of the wrong length', () => {
    expect(() => backend.gemv(false, 1, zeros(3, 4), new Float64Array(3), 0, new Float64Array(3))).toThrow(
      'gemv: x has length 3 but op(A) is 3x4 (A 3x4, trans=false) needs 4',
    );
    expect(() => backend.gemv(true, 1, zeros(3, 4), new Float64Array(3), 0, new Float64Array(3))).toThrow('gemv: y has length 3 but op(A) is 4x3');
  });
});

// Sanity of the reference itself: naiveGemm agrees with the separately written matmul/transposed helpers.
describe('test helpers', () => {
  it('naiveGemm(transA, transB) equals matmul of explicit transposes', () => {
    const A = randomMatrix(4, 3, 500), B = randomMatrix(5, 4, 501);
    const viaHelpers = matmul(transposed(A), transposed(B));
    expect(maxAbs(flat(naiveGemm(true, true, 1, A, B, 0, zeros(3, 5))).map((v, i) => v - viaHelpers.data[i]))).toBeLessThan(1e-15);
  });
});
