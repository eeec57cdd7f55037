/**
 * Ridge readout on features (one-step.md section 1, step 5; Cui et al. 2024 code normalisation).
 *
 * Model f(phi) = a^T phi / sqrt(p) + b on p features, fitted on n rows Phi (n x p) with labels y:
 *   "sum"  (default): minimise sum_i (y_i - f(phi_i))^2 + lambda |a|^2
 *   "mean":           minimise (1/n) sum_i (y_i - f(phi_i))^2 + (lambda/p) |a|^2   ==  "sum" with lambda_sum = n lambda / p
 * b = 0 without intercept; with `intercept` b is unpenalised (features and labels are centred on the
 * batch, b = ybar - phibar^T a / sqrt p).
 *
 * Forms (scikit-learn's _ridge.py dispatch, solved our way): primal when p <= n,
 *   (Phi_c^T Phi_c / p + lambda_sum I) a = Phi_c^T y_c / sqrt p               (p x p Gram, by syrk),
 * dual when n < p,
 *   (Phi_c Phi_c^T / p + lambda_sum I) alpha = y_c,  a = Phi_c^T alpha / sqrt p (n x n Gram, by syrk).
 * Centring is applied to the Gram matrix as a rank-one (primal) or double-centring (dual) correction, so
 * Phi is never copied. lambda = 0 gives least squares (p <= n) or the minimum-norm interpolator (n < p).
 *
 * Solves are honest (STYLE.md 9): Cholesky (LAPACK dpotrf) with a conditioning check, cond >= (max L_ii /
 * min L_ii)^2; when the factorisation fails or that bound exceeds 1e12 the solve falls back to the
 * eigendecomposition (pseudo-inverse, eigenvalues below p eps max|ev| dropped) and says so in `warnings`.
 * Grams are formed in the features' precision and factorised in float64.
 * Cost: n p min(n, p) flops for the Gram, min(n, p)^3 / 3 for Cholesky. Memory: ONE min(n,p)^2 float64
 * matrix: the float32 Gram is formed inside its buffer and widened in place, and Cholesky factorises it in
 * place (its upper triangle keeps the Gram for the eigh fallback).
 */
import type { LinalgBackend } from '../linalg/backend.js';
import { LinalgError } from '../linalg/backend.js';
import { zeros, type FloatArray, type Matrix } from '../linalg/matrix.js';
import { newArrayLike } from './features.js';
import { assertFinite, SimulationError } from './errors.js';

export type RidgeNormalization = 'sum' | 'mean';

export interface RidgeOptions {
  lambda: number;
  normalization: RidgeNormalization;
  intercept: boolean;
}

export interface RidgeFit {
  /** Readout weights (length p): f(phi) = a^T phi / sqrt(p) + b. */
  a: Float64Array;
  b: number;
  form: 'primal' | 'dual';
  solver: 'cholesky' | 'eigh';
  /** The penalty in the "sum" normalisation. */
  lambdaSum: number;
  warnings: string[];
}

/** lambda in the "sum" normalisation: lambda ("sum") or n lambda / p ("mean"). */
export function lambdaSum(opts: Pick<RidgeOptions, 'lambda' | 'normalization'>, n: number, p: number): number {
  if (!(opts.lambda >= 0) || !Number.isFinite(opts.lambda)) throw new SimulationError('invalid', `ridge.lambda: expected a finite number >= 0, got ${opts.lambda}`);
  if (opts.normalization === 'sum') return opts.lambda;
  if (opts.normalization === 'mean') return (n * opts.lambda) / p;
  throw new SimulationError('invalid', `ridge.normalization: expected one of "sum" | "mean", got ${JSON.stringify(opts.normalization)}`);
}

/** Column means of Phi (float64). */
export function columnMeans<T extends FloatArray>(backend: LinalgBackend, Phi: Matrix<T>): Float64Array {
  const ones = newArrayLike(Phi.data, Phi.rows).fill(1);
  const m = newArrayLike(Phi.data, Phi.cols);
  backend.gemv(true, 1 / Phi.rows, Phi, ones, 0, m);
  return Float64Array.from(m);
}

/**
 * The symmetric Gram Phi^T Phi / p (primal) or Phi Phi^T / p (dual), in float64, both triangles filled.
 * float32 features: ssyrk writes the float32 Gram into the first half of the float64 result's own buffer,
 * which is then widened in place from the last entry down (entry k moves from bytes 4k..4k+3 to 8k..8k+7,
 * never over an entry not yet read), so no separate float32 m x m matrix is allocated. The numbers are
 * those of the float32 Gram, exactly (every float32 is a float64).
 */
function gram<T extends FloatArray>(backend: LinalgBackend, Phi: Matrix<T>, primal: boolean): Matrix<Float64Array> {
  const m = primal ? Phi.cols : Phi.rows;
  const s = 1 / Phi.cols;
  const A = zeros(m, m);
  if (Phi.data instanceof Float64Array) {
    backend.syrk(primal, s, Phi as Matrix<Float64Array>, 0, A);
    return A;
  }
  const narrow = new Float32Array(A.data.buffer, A.data.byteOffset, m * m);
  backend.syrk(primal, s, Phi as Matrix<Float32Array>, 0, { rows: m, cols: m, data: narrow });
  const wide = A.data;
  for (let k = m * m - 1; k >= 0; k--) wide[k] = narrow[k];
  return A;
}

/**
 * Stops with a SimulationError when the Gram's diagonal is not finite. Its entries are the sums of squares
 * of the columns (primal) or rows (dual) of Phi, so every entry of Phi enters one of them and a NaN or an
 * infinity in Phi shows here: an O(min(n, p)) check instead of a pass over Phi. Only then is Phi scanned,
 * to name the first bad entry (or the Gram overflowed although Phi is finite).
 */
function checkGramDiagonal<T extends FloatArray>(A: Matrix<Float64Array>, Phi: Matrix<T>, what: string, featuresName: string): void {
  const m = A.rows;
  for (let i = 0; i < m; i++) {
    const v = A.data[i * m + i];
    if (v - v !== 0) {
      assertFinite(`${what}: ${featuresName}`, Phi.data, Phi.cols);
      throw new SimulationError(
        'non-finite',
        `${what}: the Gram matrix of the ${featuresName} overflowed (diagonal entry ${i} is ${String(v)}) although the features are finite; they are too large for ${Phi.data instanceof Float32Array ? 'float32' : 'float64'}`,
      );
    }
  }
}

export interface SpdSolve {
  x: Float64Array;
  solver: 'cholesky' | 'eigh';
  warnings: string[];
}

const MAX_CONDITION = 1e12;

/**
 * Solves A x = rhs for symmetric positive (semi-)definite A: Cholesky with a conditioning check, else the
 * pseudo-inverse from eigh with a warning naming `what`. `expectSingular` skips Cholesky (a known rank
 * deficiency, e.g. lambda = 0 with an intercept in the dual form) and does not warn.
 * A must hold both triangles. By default A is not modified (the factor goes to a copy); with `overwrite`
 * (scipy's overwrite_a) the factorisation runs in place on A's lower triangle (no n x n copy) and A's
 * contents are undefined afterwards. The eigh fallback rebuilds A from its untouched upper triangle and the
 * saved diagonal (LAPACK's dpotrf leaves the other triangle alone).
 */
export function solveSpd(backend: LinalgBackend, A: Matrix<Float64Array>, rhs: Float64Array, what: string, expectSingular = false, overwrite = false): SpdSolve {
  const n = A.rows;
  const warnings: string[] = [];
  if (!expectSingular) {
    const F: Matrix<Float64Array> = overwrite ? A : { rows: n, cols: n, data: A.data.slice() };
    const diagonal = new Float64Array(n);
    for (let i = 0; i < n; i++) diagonal[i] = F.data[i * n + i];
    try {
      backend.choleskyInPlace(F);
      let lo = Infinity;
      let hi = 0;
      for (let i = 0; i < n; i++) {
        const v = F.data[i * n + i];
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      const condBound = (hi / lo) ** 2;
      if (Number.isFinite(condBound) && condBound <= MAX_CONDITION) {
        const x = backend.choleskySolve(F, { rows: n, cols: 1, data: rhs }).data;
        return { x, solver: 'cholesky', warnings };
      }
      warnings.push(`${what}: the ${n}x${n} system is ill-conditioned (cond >= ${condBound.toExponential(2)}); solved by eigendecomposition (pseudo-inverse) instead of Cholesky`);
    } catch (e) {
      if (!(e instanceof LinalgError) || e.kind !== 'not-positive-definite') throw e;
      warnings.push(`${what}: the ${n}x${n} system is not numerically positive definite (${e.message}); solved by eigendecomposition (pseudo-inverse) instead of Cholesky`);
    }
    if (overwrite) {
      // Rebuild A's lower triangle from its upper one and the saved diagonal.
      const a = A.data;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < i; j++) a[i * n + j] = a[j * n + i];
        a[i * n + i] = diagonal[i];
      }
    }
  }
  const { values, vectors } = backend.eigh(A);
  let maxAbs = 0;
  for (let k = 0; k < n; k++) maxAbs = Math.max(maxAbs, Math.abs(values[k]));
  const cutoff = n * Number.EPSILON * maxAbs;
  // x = V diag(1/ev) V^T rhs over eigenvalues above the cutoff.
  const c = new Float64Array(n);
  backend.gemv(true, 1, vectors, rhs, 0, c);
  let dropped = 0;
  for (let k = 0; k < n; k++) {
    if (values[k] > cutoff) c[k] /= values[k];
    else {
      c[k] = 0;
      dropped++;
    }
  }
  const x = new Float64Array(n);
  backend.gemv(false, 1, vectors, c, 0, x);
  if (dropped > 0 && !expectSingular) warnings.push(`${what}: ${dropped} of ${n} eigenvalues at or below ${cutoff.toExponential(2)} were dropped (minimum-norm solution)`);
  return { x, solver: 'eigh', warnings };
}

/**
 * Fits the ridge readout (see the module comment). Phi: n x p features (float64 or float32), y: n labels.
 * Throws a SimulationError when Phi holds a NaN or an infinity (named `featuresName` in the message, with
 * the first bad entry; found from the Gram's diagonal, see checkGramDiagonal) or when the fitted weights are
 * not finite.
 */
export function fitRidge<T extends FloatArray>(
  backend: LinalgBackend,
  Phi: Matrix<T>,
  y: Float64Array,
  opts: RidgeOptions,
  what = 'ridge',
  featuresName = 'features',
): RidgeFit {
  const n = Phi.rows;
  const p = Phi.cols;
  if (y.length !== n) throw new RangeError(`${what}: y has length ${y.length}, Phi has ${n} rows`);
  if (n < 1 || p < 1) throw new RangeError(`${what}: empty feature matrix (${n} x ${p})`);
  const lam = lambdaSum(opts, n, p);
  const primal = p <= n;
  const sqrtP = Math.sqrt(p);
  let ybar = 0;
  let phibar: Float64Array | null = null;
  if (opts.intercept) {
    for (let i = 0; i < n; i++) ybar += y[i];
    ybar /= n;
    phibar = columnMeans(backend, Phi);
  }
  const yc = new Float64Array(n);
  for (let i = 0; i < n; i++) yc[i] = y[i] - ybar;
  const A = gram(backend, Phi, primal);
  checkGramDiagonal(A, Phi, what, featuresName);
  const m = A.rows;
  const Ad = A.data;
  if (phibar && primal) {
    // Phi_c^T Phi_c = Phi^T Phi - n phibar phibar^T.
    const s = n / p;
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) Ad[i * m + j] -= s * phibar[i] * phibar[j];
  } else if (phibar) {
    // Double centring of the n x n Gram: C K C, C = I - 11^T / n.
    const r = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += Ad[i * m + j];
      r[i] = s / m;
    }
    let kbar = 0;
    for (let i = 0; i < m; i++) kbar += r[i];
    kbar /= m;
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) Ad[i * m + j] += kbar - r[i] - r[j];
  }
  for (let i = 0; i < m; i++) Ad[i * m + i] += lam;
  let rhs: Float64Array;
  if (primal) {
    const ycT = newArrayLike(Phi.data, n);
    ycT.set(yc);
    const out = newArrayLike(Phi.data, p);
    backend.gemv(true, 1 / sqrtP, Phi, ycT, 0, out);
    rhs = Float64Array.from(out);
  } else {
    rhs = yc;
  }
  // lambda = 0 with an intercept in the dual form: C K C has the constant vector in its kernel.
  const expectSingular = lam === 0 && !primal && opts.intercept;
  const form = primal ? 'primal' : 'dual';
  const sol = solveSpd(backend, A, rhs, `${what} (${form}, lambda_sum = ${lam})`, expectSingular, true);
  backend.releaseMemory(A.data);
  let a: Float64Array;
  if (primal) {
    a = sol.x;
  } else {
    const alphaT = newArrayLike(Phi.data, n);
    alphaT.set(sol.x);
    const out = newArrayLike(Phi.data, p);
    backend.gemv(true, 1 / sqrtP, Phi, alphaT, 0, out);
    a = Float64Array.from(out);
    if (phibar) {
      let sumAlpha = 0;
      for (let i = 0; i < n; i++) sumAlpha += sol.x[i];
      for (let j = 0; j < p; j++) a[j] -= (phibar[j] * sumAlpha) / sqrtP;
    }
  }
  let b = 0;
  if (phibar) {
    let s = 0;
    for (let j = 0; j < p; j++) s += phibar[j] * a[j];
    b = ybar - s / sqrtP;
  }
  assertFinite(`${what}: readout weights a`, a);
  if (!Number.isFinite(b)) throw new SimulationError('non-finite', `${what}: intercept b = ${b}`);
  return { a, b, form, solver: sol.solver, lambdaSum: lam, warnings: sol.warnings };
}
