/**
 * Dense linear algebra on the small (k x k, m x m, k(k+1)/2 square) matrices of the threshold formulas,
 * row-major Float64Array. Eigendecompositions and inverses are ml-matrix's (pure JavaScript, so theory
 * stays browser-safe): EigenvalueDecomposition with assumeSymmetric (Householder tridiagonalisation + QL,
 * JAMA) and LU solves. Cost O(p^3) for p x p; p <= ~50 here.
 */
import { EigenvalueDecomposition, LuDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { NumericsError } from '../../numerics/errors.js';

export interface SymmetricEigen {
  /** Ascending eigenvalues. */
  values: Float64Array;
  /** Column j of this p x p row-major matrix is the eigenvector of values[j]. */
  vectors: Float64Array;
}

function toMl(A: ArrayLike<number>, p: number): MlMatrix {
  const rows: number[][] = [];
  for (let i = 0; i < p; i++) {
    const r = new Array<number>(p);
    for (let j = 0; j < p; j++) r[j] = 0.5 * (A[i * p + j] + A[j * p + i]);
    rows.push(r);
  }
  return new MlMatrix(rows);
}

function checkFiniteMatrix(routine: string, A: ArrayLike<number>, p: number): void {
  if (A.length !== p * p) throw new NumericsError(routine, `expected a ${p} x ${p} matrix (${p * p} entries), got ${A.length}`);
  for (let i = 0; i < A.length; i++) if (!Number.isFinite(A[i])) throw new NumericsError(routine, `matrix entry ${i} is ${A[i]}; expected finite numbers`);
}

/** Eigendecomposition of the symmetric part of the p x p matrix A, eigenvalues ascending. */
export function symmetricEigen(A: ArrayLike<number>, p: number): SymmetricEigen {
  checkFiniteMatrix('symmetricEigen', A, p);
  const e = new EigenvalueDecomposition(toMl(A, p), { assumeSymmetric: true });
  const raw = e.realEigenvalues;
  const V = e.eigenvectorMatrix;
  const order = raw.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
  const values = new Float64Array(p);
  const vectors = new Float64Array(p * p);
  order.forEach(([v, i], j) => {
    values[j] = v;
    for (let r = 0; r < p; r++) vectors[r * p + j] = V.get(r, i);
  });
  return { values, vectors };
}

/** Inverse of the p x p matrix A by LU; throws when A is singular to working precision. */
export function inverse(A: ArrayLike<number>, p: number): Float64Array {
  checkFiniteMatrix('inverse', A, p);
  if (p === 1) {
    if (A[0] === 0) throw new NumericsError('inverse', 'the 1 x 1 matrix is 0 (singular)');
    return Float64Array.of(1 / A[0]);
  }
  const rows: number[][] = [];
  for (let i = 0; i < p; i++) rows.push(Array.from({ length: p }, (_, j) => A[i * p + j]));
  const lu = new LuDecomposition(new MlMatrix(rows));
  if (lu.isSingular()) throw new NumericsError('inverse', `the ${p} x ${p} matrix is singular`);
  const inv = lu.solve(MlMatrix.eye(p));
  const out = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) out[i * p + j] = inv.get(i, j);
  return out;
}

/** C = A B for p x p matrices (row-major). */
export function matmul(A: ArrayLike<number>, B: ArrayLike<number>, p: number, out = new Float64Array(p * p)): Float64Array {
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let l = 0; l < p; l++) s += A[i * p + l] * B[l * p + j];
      out[i * p + j] = s;
    }
  }
  return out;
}

/**
 * x with A x = b for the p x p matrix A (row-major) by Gaussian elimination with partial pivoting, into `x`;
 * false when a pivot is 0 or not finite (singular to working precision). A and b are not modified.
 */
export function solveInto(A: ArrayLike<number>, b: ArrayLike<number>, p: number, x: Float64Array): boolean {
  const M = new Float64Array(p * (p + 1));
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) M[i * (p + 1) + j] = A[i * p + j];
    M[i * (p + 1) + p] = b[i];
  }
  const w = p + 1;
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(M[r * w + c]) > Math.abs(M[piv * w + c])) piv = r;
    const d = M[piv * w + c];
    if (d === 0 || !Number.isFinite(d)) return false;
    if (piv !== c) {
      for (let j = c; j < w; j++) {
        const t = M[c * w + j];
        M[c * w + j] = M[piv * w + j];
        M[piv * w + j] = t;
      }
    }
    for (let r = c + 1; r < p; r++) {
      const f = M[r * w + c] / d;
      if (f !== 0) for (let j = c; j < w; j++) M[r * w + j] -= f * M[c * w + j];
    }
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = M[i * w + p];
    for (let j = i + 1; j < p; j++) s -= M[i * w + j] * x[j];
    x[i] = s / M[i * w + i];
  }
  for (let i = 0; i < p; i++) if (!Number.isFinite(x[i])) return false;
  return true;
}
