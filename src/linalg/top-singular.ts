/**
 * The k largest singular values (and optionally vectors) of a dense matrix A (m x n) by block Lanczos with
 * full reorthogonalisation on the smaller Gram operator B = A^T A (n <= m) or A A^T, applied as two gemms
 * per block (B is never formed), followed by Rayleigh–Ritz.
 *
 * Algorithm: the block Krylov method of Golub & Underwood (1977) / Musco & Musco (2015, "Randomized block
 * Krylov methods for stronger and faster approximate SVD", arXiv 1504.05477): Q_1 = orth(Omega) with Omega
 * Gaussian (b = k + 8 columns, an explicit seed), Q_{j+1} = orth(B Q_j - projections on all previous
 * blocks) (classical Gram–Schmidt twice, by gemm). At Krylov dimensions growing by 25%, the Ritz pairs
 * (theta, x) of T = Q^T B Q are computed; r = B x - theta x needs no further product because B Q is kept,
 * and by Bauer–Fike |theta - lambda| <= |r| for an eigenvalue lambda of B. Stop when |r| <= tol * theta_1
 * (default tol = 1e-9) for the top k, or when the top-k Ritz values changed by less than 1e-11 theta_1
 * since the previous check: Ritz values only grow with the Krylov space and stay below the true ones
 * (Cauchy interlacing), and at the gapless Marchenko–Pastur edge they converge long before the residuals
 * do (measured: 1e-15 relative agreement with LAPACK's SVD while |r| / theta_1 ~ 1e-9). `residual` reports
 * the final max |r| / theta_1.
 *
 * Accuracy: both routes work with B = A^T A, so a singular value far below sigma_1 carries an absolute
 * error of order sqrt(eps) sigma_1 (a zero singular value comes out ~1e-8 sigma_1); use svdvals for the
 * small end of a spectrum.
 *
 * Cost: 4 m n b flops per block plus O(n (jb)^2) for the orthogonalisation; memory 2 n (jb) + m b doubles.
 * On a d = N = 2000 Gaussian matrix the top 10 take a few hundred Krylov vectors (the Marchenko–Pastur
 * edge has no gap); outliers converge in a few blocks. Small matrices (smaller side <= 200, or k close to
 * it) form the Gram matrix by syrk and eigendecompose it (exact), which is also the fallback of 'auto'
 * when the Krylov space reaches `maxDimension` without converging.
 */
import type { LinalgBackend } from './backend.js';
import { LinalgError } from './backend.js';
import type { Matrix } from './matrix.js';
import { zeros } from './matrix.js';
import { fillNormal, foldIn, rootKey } from '../random/index.js';

export interface TopSingularOptions {
  /** Which singular vectors to return (default 'none'). */
  vectors?: 'none' | 'left' | 'right' | 'both';
  /** Convergence: Ritz residual <= tol * sigma_1^2 (default 1e-9). */
  tol?: number;
  /** Extra block columns beyond k (default 8). */
  oversample?: number;
  /** Seed of the Gaussian starting block (default 0); results differ between seeds only by rounding. */
  seed?: number;
  /** Largest Krylov dimension before giving up (default min(n, 600)). */
  maxDimension?: number;
  /** Early acceptance: top-k Ritz values moved by less than valueTol * theta_1 since the last check (default 1e-11). */
  valueTol?: number;
  /** 'auto' (default): Gram + eigh when the Krylov space could exceed half the smaller dimension; else forced. */
  method?: 'auto' | 'block-lanczos' | 'gram-eigh';
}

export interface TopSingularResult {
  /** sigma_1 >= ... >= sigma_k. */
  values: Float64Array;
  /** Left singular vectors as the COLUMNS of an m x k matrix (when asked for). */
  U?: Matrix<Float64Array>;
  /** Right singular vectors as the COLUMNS of an n x k matrix (when asked for). */
  V?: Matrix<Float64Array>;
  method: 'block-lanczos' | 'gram-eigh';
  /** Krylov dimension used (block-lanczos) or the Gram size (gram-eigh). */
  dimension: number;
  /** Largest Ritz residual |B x - theta x| / sigma_1^2 among the top k (0 for gram-eigh). */
  residual: number;
}

/** Top-k singular values/vectors of A (see the module comment). Throws LinalgError on bad k or no convergence. */
export function topSingular(A: Matrix<Float64Array>, k: number, backend: LinalgBackend, opts: TopSingularOptions = {}): TopSingularResult {
  const routine = 'topSingular';
  if (!(A.data instanceof Float64Array)) throw new LinalgError(routine, 'invalid', 'A: expected a float64 matrix');
  const small = Math.min(A.rows, A.cols);
  if (!Number.isInteger(k) || k < 1 || k > small) {
    throw new LinalgError(routine, 'invalid', `k: expected an integer in [1, min(rows, cols) = ${small}], got ${k}`);
  }
  const tol = opts.tol ?? 1e-9;
  if (!(tol > 0 && tol < 1)) throw new LinalgError(routine, 'invalid', `tol: expected a number in (0, 1), got ${tol}`);
  const want = opts.vectors ?? 'none';
  const b = Math.min(k + (opts.oversample ?? 8), small);
  const maxDim = Math.min(opts.maxDimension ?? 600, small);
  for (let i = 0; i < A.data.length; i++) {
    if (!Number.isFinite(A.data[i])) throw new LinalgError(routine, 'invalid', `A has a non-finite entry ${A.data[i]} at (${Math.floor(i / A.cols)}, ${i % A.cols})`);
  }
  const method = opts.method ?? 'auto';
  if (!['auto', 'block-lanczos', 'gram-eigh'].includes(method)) {
    throw new LinalgError(routine, 'invalid', `method: expected one of "auto" | "block-lanczos" | "gram-eigh", got ${JSON.stringify(method)}`);
  }
  if (method === 'gram-eigh' || (method === 'auto' && (4 * b > small || small <= GRAM_BELOW))) return gramEigh(A, k, backend, want);
  try {
    return blockLanczos(A, k, b, tol, opts.valueTol ?? VALUE_TOL, maxDim, opts.seed ?? 0, backend, want);
  } catch (e) {
    // 'auto': a Krylov space that reached maxDimension without converging falls back to the exact route
    if (method === 'auto' && e instanceof LinalgError && e.kind === 'no-convergence') return gramEigh(A, k, backend, want);
    throw e;
  }
}

/** Gram matrix of the smaller side by syrk, its top-k eigenpairs by eighRange. */
function gramEigh(A: Matrix<Float64Array>, k: number, backend: LinalgBackend, want: string): TopSingularResult {
  const right = A.cols <= A.rows; // work in R^n with B = A^T A
  const n = right ? A.cols : A.rows;
  const C = zeros(n, n);
  backend.syrk(right, 1, A, 0, C);
  const eig = backend.eighRange(C, n - k, n - 1);
  const values = new Float64Array(k);
  const X = zeros(k, n); // rows: eigenvectors of B, descending
  for (let j = 0; j < k; j++) {
    const col = k - 1 - j;
    values[j] = Math.sqrt(Math.max(eig.values[col], 0));
    for (let i = 0; i < n; i++) X.data[j * n + i] = eig.vectors.data[i * k + col];
  }
  return { values, ...vectorsFrom(A, X, values, right, backend, want), method: 'gram-eigh', dimension: n, residual: 0 };
}

/** Largest relative change of the top-k Ritz values between two checks for early acceptance. */
const VALUE_TOL = 1e-11;
/** 'auto' forms the Gram matrix when the smaller dimension is at most this. */
const GRAM_BELOW = 200;

function blockLanczos(A: Matrix<Float64Array>, k: number, b: number, tol: number, valueTol: number, maxDim: number, seed: number, backend: LinalgBackend, want: string): TopSingularResult {
  const right = A.cols <= A.rows;
  const n = right ? A.cols : A.rows;
  const m = right ? A.rows : A.cols;
  const cap = Math.ceil(maxDim / b) * b + b;
  const Q = new Float64Array(cap * n); // basis vectors as rows
  const Z = new Float64Array(cap * n); // B applied to each basis vector, as rows
  const Y = zeros(m, b);
  const block = zeros(b, n);
  fillNormal(foldIn(rootKey(seed), 'topSingular'), block.data);
  let dim = 0;
  let width = orthonormalizeBlock(block.data, b, n, Q, 0, backend);
  let lastResidual = Infinity;
  let nextCheck = 0;
  let previous: Float64Array | undefined;
  for (;;) {
    // Z_j = B Q_j: Y = op(A) Q_j^T (m x width), Z_j^T = Y^T op(A)  (width x n)
    const Qj: Matrix<Float64Array> = { rows: width, cols: n, data: block.data.subarray(0, width * n) };
    const Yj: Matrix<Float64Array> = { rows: m, cols: width, data: Y.data.subarray(0, m * width) };
    if (right) backend.gemm(false, true, 1, A, Qj, 0, Yj);
    else backend.gemm(true, true, 1, A, Qj, 0, Yj);
    const Zj: Matrix<Float64Array> = { rows: width, cols: n, data: Z.subarray(dim * n, (dim + width) * n) };
    if (right) backend.gemm(true, false, 1, Yj, A, 0, Zj);
    else backend.gemm(true, true, 1, Yj, A, 0, Zj);
    Q.set(Qj.data, dim * n);
    dim += width;

    const check = dim >= nextCheck || dim >= n || dim + b > cap || dim >= maxDim;
    const ritz = check ? rayleighRitz(Q, Z, dim, n, k, backend) : undefined;
    let change = Infinity;
    if (ritz) {
      nextCheck = Math.ceil(dim * 1.25);
      lastResidual = ritz.residual;
      if (previous) {
        change = 0;
        for (let j = 0; j < k; j++) change = Math.max(change, Math.abs(ritz.theta[j] - previous[j]) / ritz.theta[0]);
      }
      previous = ritz.theta;
    }
    if (ritz && (ritz.residual <= tol || dim >= n || change <= valueTol)) {
      const values = new Float64Array(k);
      for (let j = 0; j < k; j++) values[j] = Math.sqrt(Math.max(ritz.theta[j], 0));
      return { values, ...vectorsFrom(A, ritz.X, values, right, backend, want), method: 'block-lanczos', dimension: dim, residual: ritz.residual };
    }
    if (dim + b > cap || dim >= maxDim) break;
    // next block: Z_j orthogonalised against every basis vector so far
    block.data.set(Zj.data);
    width = orthonormalizeBlock(block.data, width, n, Q, dim, backend);
    if (width === 0) {
      // no new direction: span(Q) is invariant under B (e.g. a low-rank A), so its Ritz pairs are exact, and it
      // holds every eigenvector with a non-zero eigenvalue because the start block is random
      const ritz = rayleighRitz(Q, Z, dim, n, k, backend);
      if (ritz.theta.length < k) break;
      const values = new Float64Array(k);
      for (let j = 0; j < k; j++) values[j] = Math.sqrt(Math.max(ritz.theta[j], 0));
      return { values, ...vectorsFrom(A, ritz.X, values, right, backend, want), method: 'block-lanczos', dimension: dim, residual: ritz.residual };
    }
  }
  throw new LinalgError('topSingular', 'no-convergence', `block Lanczos reached dimension ${dim} with relative Ritz residual ${lastResidual.toExponential(2)} > tol = ${tol}`);
}

/**
 * Orthonormalises the first `width` rows of `blk` (each of length n) against the `dim` rows of Q and among
 * themselves (classical Gram–Schmidt twice against Q by gemm, modified Gram–Schmidt twice within the block),
 * compacting the survivors to the top; rows that keep less than 1e-12 of their norm are dropped.
 * Returns the number of rows kept.
 */
function orthonormalizeBlock(blk: Float64Array, width: number, n: number, Q: Float64Array, dim: number, backend: LinalgBackend): number {
  const norms0 = new Float64Array(width);
  for (let r = 0; r < width; r++) norms0[r] = norm(blk, r * n, n);
  if (dim > 0) {
    const Qm: Matrix<Float64Array> = { rows: dim, cols: n, data: Q.subarray(0, dim * n) };
    const Bm: Matrix<Float64Array> = { rows: width, cols: n, data: blk.subarray(0, width * n) };
    const C = zeros(width, dim);
    for (let pass = 0; pass < 2; pass++) {
      backend.gemm(false, true, 1, Bm, Qm, 0, C);
      backend.gemm(false, false, -1, C, Qm, 1, Bm);
    }
  }
  let kept = 0;
  for (let r = 0; r < width; r++) {
    const off = r * n;
    for (let pass = 0; pass < 2; pass++) {
      for (let q = 0; q < kept; q++) {
        const oq = q * n;
        let dot = 0;
        for (let i = 0; i < n; i++) dot += blk[oq + i] * blk[off + i];
        for (let i = 0; i < n; i++) blk[off + i] -= dot * blk[oq + i];
      }
    }
    const nr = norm(blk, off, n);
    if (!(nr > 1e-12 * norms0[r]) || nr === 0) continue;
    const dst = kept * n;
    for (let i = 0; i < n; i++) blk[dst + i] = blk[off + i] / nr;
    kept++;
  }
  return kept;
}

function norm(x: Float64Array, off: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[off + i] * x[off + i];
  return Math.sqrt(s);
}

/** Ritz pairs of B on span(Q): T = Q Z^T (symmetrised), the top k, residuals |Z^T s - theta Q^T s| / theta_1. */
function rayleighRitz(Q: Float64Array, Z: Float64Array, dim: number, n: number, k: number, backend: LinalgBackend): { theta: Float64Array; X: Matrix<Float64Array>; residual: number } {
  const Qm: Matrix<Float64Array> = { rows: dim, cols: n, data: Q.subarray(0, dim * n) };
  const Zm: Matrix<Float64Array> = { rows: dim, cols: n, data: Z.subarray(0, dim * n) };
  const T = zeros(dim, dim);
  backend.gemm(false, true, 1, Qm, Zm, 0, T);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (T.data[i * dim + j] + T.data[j * dim + i]);
      T.data[i * dim + j] = v;
      T.data[j * dim + i] = v;
    }
  }
  const kk = Math.min(k, dim);
  const eig = backend.eighRange(T, dim - kk, dim - 1);
  const theta = new Float64Array(kk);
  const S = zeros(kk, dim); // rows: coefficient vectors, descending
  for (let j = 0; j < kk; j++) {
    const col = kk - 1 - j;
    theta[j] = eig.values[col];
    for (let i = 0; i < dim; i++) S.data[j * dim + i] = eig.vectors.data[i * kk + col];
  }
  const X = zeros(kk, n);
  const R = zeros(kk, n);
  backend.gemm(false, false, 1, S, Qm, 0, X);
  backend.gemm(false, false, 1, S, Zm, 0, R);
  let residual = 0;
  const scale = Math.max(Math.abs(theta[0]), Number.MIN_VALUE);
  for (let j = 0; j < kk; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const r = R.data[j * n + i] - theta[j] * X.data[j * n + i];
      s += r * r;
    }
    residual = Math.max(residual, Math.sqrt(s) / scale);
  }
  if (kk < k) residual = Infinity;
  return { theta, X, residual };
}

/** Singular vectors from the eigenvectors X (rows, of B on the working side). */
function vectorsFrom(A: Matrix<Float64Array>, X: Matrix<Float64Array>, values: Float64Array, right: boolean, backend: LinalgBackend, want: string): { U?: Matrix<Float64Array>; V?: Matrix<Float64Array> } {
  if (want === 'none') return {};
  const k = values.length;
  const n = X.cols;
  const side = zeros(n, k); // eigenvectors as columns
  for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) side.data[i * k + j] = X.data[j * n + i];
  const otherRows = right ? A.rows : A.cols;
  const other = zeros(otherRows, k);
  if (want === 'both' || want === (right ? 'left' : 'right')) {
    // the other side: A v / sigma (right) or A^T u / sigma (left)
    backend.gemm(!right, false, 1, A, side, 0, other);
    for (let j = 0; j < k; j++) {
      const s = values[j];
      for (let i = 0; i < otherRows; i++) other.data[i * k + j] = s > 0 ? other.data[i * k + j] / s : 0;
    }
  }
  const U = right ? other : side;
  const V = right ? side : other;
  if (want === 'left') return { U };
  if (want === 'right') return { V };
  return { U, V };
}
