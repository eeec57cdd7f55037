/**
 * Extreme eigenpairs of a symmetric linear operator given only by its action v -> A v (e.g. a Hessian-
 * vector product), by the Lanczos method with FULL reorthogonalisation (Lanczos 1950; Golub & Van Loan,
 * Matrix Computations, 4th ed., sections 10.1-10.3; Parlett, The Symmetric Eigenvalue Problem, ch. 13).
 *
 * q_1 is a Gaussian unit vector from an explicit seed; at step j, w = A q_j - alpha_j q_j - beta_{j-1}
 * q_{j-1}, then w is orthogonalised against ALL previous q's twice ("twice is enough", Kahan/Parlett) by
 * two gemvs with the stored basis Q (j x N). Every `checkEvery` steps the tridiagonal T_j is
 * diagonalised (dense eigh, j is small) and the Ritz pair (theta_i, Q^T s_i) has the exact residual
 * |A x_i - theta_i x_i| = beta_j |s_{j,i}| (Golub & Van Loan eq. 10.1.8). Converged when this is
 * <= tol * max |theta| (the spectral-norm estimate) for every wanted pair. An exhausted Krylov space
 * (beta_j ~ 0) means the Ritz values are exact eigenvalues of A restricted to it.
 *
 * Cost: one operator application per step plus O(j N) for the reorthogonalisation; memory (maxIterations
 * + 1) N doubles for the basis. No restarts: suitable when the wanted eigenvalues converge in a few
 * hundred steps (well-separated outliers; at a gapless bulk edge convergence is slower — raise
 * maxIterations). Returns a status record and never a silent unconverged number.
 */
import type { LinalgBackend } from './backend.js';
import type { Matrix } from './matrix.js';
import { fillNormal, rootKey, type Key } from '../random/index.js';

export type LanczosWhich = 'smallest' | 'largest' | 'both';

export interface LanczosOptions {
  /** Number of eigenpairs at each requested end. */
  k: number;
  which?: LanczosWhich;
  /** Relative residual tolerance (default 1e-8). */
  tol?: number;
  /** Maximum Krylov dimension (default min(N, 600)). */
  maxIterations?: number;
  /** Start-vector key (default rootKey(0)). */
  key?: Key;
  /** Check convergence every this many steps (default 5). */
  checkEvery?: number;
  /** Return eigenvectors (default true). */
  vectors?: boolean;
}

export interface LanczosPairs {
  /** Eigenvalues in ascending order (smallest: the k smallest; largest: the k largest; both: 2k). */
  values: Float64Array;
  /** Unit eigenvectors, one per value (when asked for). */
  vectors: Float64Array[];
  /** |A x - theta x| for each pair (exact, from the Lanczos relation). */
  residuals: Float64Array;
  iterations: number;
  /** Spectral-norm estimate max |theta| used for the relative tolerance. */
  normEstimate: number;
}

export type LanczosResult =
  | ({ ok: true } & LanczosPairs)
  | ({ ok: false; reason: 'max-iterations' | 'nan'; message: string } & LanczosPairs);

export type LinearOperator = (v: Float64Array, out: Float64Array) => void;

export class LanczosError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LanczosError';
  }
}

function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

/** Extreme eigenpairs of the symmetric operator `apply` of dimension N. */
export function lanczos(backend: LinalgBackend, N: number, apply: LinearOperator, opts: LanczosOptions): LanczosResult {
  const which = opts.which ?? 'smallest';
  const k = opts.k;
  if (!Number.isInteger(N) || N < 1) throw new LanczosError(`lanczos: N must be a positive integer, got ${N}`);
  if (!Number.isInteger(k) || k < 1) throw new LanczosError(`lanczos: k must be a positive integer, got ${k}`);
  const wanted = which === 'both' ? 2 * k : k;
  if (wanted > N) throw new LanczosError(`lanczos: asked for ${wanted} eigenpairs of a ${N}-dimensional operator`);
  if (which !== 'smallest' && which !== 'largest' && which !== 'both') {
    throw new LanczosError(`lanczos: which must be one of "smallest" | "largest" | "both", got ${JSON.stringify(which)}`);
  }
  const tol = opts.tol ?? 1e-8;
  const maxIt = Math.min(N, opts.maxIterations ?? 600);
  if (maxIt < wanted) throw new LanczosError(`lanczos: maxIterations ${maxIt} is below the ${wanted} wanted eigenpairs`);
  const checkEvery = opts.checkEvery ?? 5;
  const wantVectors = opts.vectors ?? true;

  const Q = new Float64Array((maxIt + 1) * N);
  const alpha = new Float64Array(maxIt);
  const beta = new Float64Array(maxIt);
  const q0 = Q.subarray(0, N);
  fillNormal(opts.key ?? rootKey(0), q0);
  const n0 = Math.sqrt(dot(q0, q0));
  for (let i = 0; i < N; i++) q0[i] /= n0;
  const w = new Float64Array(N);
  const c = new Float64Array(maxIt + 1);

  let last: { values: Float64Array; S: Matrix<Float64Array>; idx: number[]; res: Float64Array; norm: number } | null = null;
  let j = 0;
  let exhausted = false;
  const ritz = (dim: number) => {
    const T = new Float64Array(dim * dim);
    for (let i = 0; i < dim; i++) {
      T[i * dim + i] = alpha[i];
      if (i + 1 < dim) {
        T[i * dim + i + 1] = beta[i];
        T[(i + 1) * dim + i] = beta[i];
      }
    }
    const { values, vectors } = backend.eigh({ rows: dim, cols: dim, data: T });
    const norm = Math.max(Math.abs(values[0]), Math.abs(values[dim - 1]));
    const kk = Math.min(k, dim);
    const idx: number[] = [];
    if (which !== 'largest') for (let i = 0; i < kk; i++) idx.push(i);
    if (which !== 'smallest') for (let i = dim - kk; i < dim; i++) if (!idx.includes(i)) idx.push(i);
    const bj = exhausted ? 0 : beta[dim - 1];
    const res = Float64Array.from(idx, (i) => Math.abs(bj * vectors.data[(dim - 1) * dim + i]));
    last = { values, S: vectors, idx, res, norm };
    return idx.length === wanted && res.every((r) => r <= tol * Math.max(norm, Number.MIN_VALUE));
  };

  let converged = false;
  let lastCheck = 0;
  for (j = 0; j < maxIt; j++) {
    const qj = Q.subarray(j * N, (j + 1) * N);
    apply(qj, w);
    const a = dot(qj, w);
    if (!Number.isFinite(a)) return fail('nan', `the operator returned a non-finite value at step ${j}`);
    alpha[j] = 0;
    // Full Gram-Schmidt against q_0..q_j, twice: c = Q w, w -= Q^T c. The first pass subtracts
    // alpha_j q_j and beta_{j-1} q_{j-1} (c_j = q_j^T A q_j); the second corrects rounding.
    const basis: Matrix<Float64Array> = { rows: j + 1, cols: N, data: Q.subarray(0, (j + 1) * N) };
    const cj = c.subarray(0, j + 1);
    for (let pass = 0; pass < 2; pass++) {
      backend.gemv(false, 1, basis, w, 0, cj);
      backend.gemv(true, -1, basis, cj, 1, w);
      alpha[j] += cj[j];
    }
    const b = Math.sqrt(dot(w, w));
    beta[j] = b;
    const scale = Math.max(Math.abs(alpha[j]), j > 0 ? beta[j - 1] : 0, 1e-300);
    if (b <= 1e-13 * scale || j + 1 === N) {
      exhausted = true;
      converged = ritz(j + 1);
      j++;
      break;
    }
    const qn = Q.subarray((j + 1) * N, (j + 2) * N);
    for (let i = 0; i < N; i++) qn[i] = w[i] / b;
    // Checks cost a dense eigh of T_j (O(j^3)): every checkEvery steps, then every ~4% of j (at most 4%
    // extra steps past convergence, and the total check cost stays a small multiple of one final eigh).
    const every = Math.max(checkEvery, Math.floor((j + 1) / 25));
    if (j + 1 >= wanted && ((j + 1 - lastCheck) >= every || j + 1 === maxIt)) {
      lastCheck = j + 1;
      if (ritz(j + 1)) {
        converged = true;
        j++;
        break;
      }
    }
  }
  // The Ritz data must be for the final Krylov dimension j (a failed run may have checked earlier).
  if (!last || (last as { values: Float64Array }).values.length !== j) ritz(j);
  const pairs = extract(j);
  if (converged) return { ok: true, ...pairs };
  if (exhausted && pairs.values.length < wanted) {
    return { ok: false, reason: 'max-iterations', message: `the Krylov space is exhausted after ${j} steps with ${pairs.values.length} < ${wanted} eigenpairs (start vector deficient)`, ...pairs };
  }
  return { ok: false, reason: 'max-iterations', message: `not converged after ${j} Lanczos steps: largest relative residual ${(Math.max(...pairs.residuals) / pairs.normEstimate).toExponential(2)} > tol ${tol}`, ...pairs };

  function extract(dim: number): LanczosPairs {
    const L = last as unknown as { values: Float64Array; S: Matrix<Float64Array>; idx: number[]; res: Float64Array; norm: number };
    const order = L.idx.map((i, t) => ({ i, t })).sort((x, y) => L.values[x.i] - L.values[y.i]);
    const values = Float64Array.from(order, (o) => L.values[o.i]);
    const residuals = Float64Array.from(order, (o) => L.res[o.t]);
    const vectors: Float64Array[] = [];
    if (wantVectors) {
      const basis: Matrix<Float64Array> = { rows: dim, cols: N, data: Q.subarray(0, dim * N) };
      const sdim = L.S.cols;
      for (const o of order) {
        const s = new Float64Array(dim);
        for (let r = 0; r < dim; r++) s[r] = L.S.data[r * sdim + o.i];
        const x = new Float64Array(N);
        backend.gemv(true, 1, basis, s, 0, x);
        vectors.push(x);
      }
    }
    return { values, vectors, residuals, iterations: dim, normEstimate: L.norm };
  }

  function fail(reason: 'nan', message: string): LanczosResult {
    const empty: LanczosPairs = { values: new Float64Array(0), vectors: [], residuals: new Float64Array(0), iterations: j, normEstimate: NaN };
    return { ok: false, reason, message, ...empty };
  }
}
