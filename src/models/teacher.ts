/**
 * The data model of the one-step protocol (../shared/spec/README.md): Gaussian inputs x ~ N(0, I_d) and
 * the single-index teacher y = sigma_star(<beta*, x>) + sqrt(Delta) xi with |beta*| = 1, xi ~ N(0, 1).
 *
 * Neutral model code (STYLE.md 13): it draws and evaluates, it knows nothing of solvers or theory.
 * Every draw comes from an explicit key; a batch of inputs is the row-major fill of stream positions
 * rowOffset*d ..., so drawing a batch in row chunks gives the same inputs as drawing it at once, and the
 * label noise of row i is stream position rowOffset + i of the noise key.
 */
import type { LinalgBackend } from '../linalg/backend.js';
import { zeros, type FloatArray, type Matrix, type Precision } from '../linalg/matrix.js';
import { fillNormal, type Key } from '../random/index.js';
import type { Activation } from '../activations/types.js';

export interface SingleIndexTeacher {
  readonly kind: 'single-index';
  /** Unit vector of length d. */
  readonly betaStar: Float64Array;
  /** The link sigma_star. */
  readonly link: Activation;
  /** Label-noise variance Delta >= 0. */
  readonly noise: number;
}

/** beta* uniform on the unit sphere of R^d (a normalised standard Gaussian vector drawn from `key`). */
export function drawSingleIndexTeacher(key: Key, d: number, link: Activation, noise: number): SingleIndexTeacher {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`d: expected a positive integer, got ${d}`);
  if (!Number.isFinite(noise) || noise < 0) throw new RangeError(`teacher.noise: expected a finite number >= 0, got ${noise}`);
  const betaStar = fillNormal(key, new Float64Array(d));
  let s = 0;
  for (let i = 0; i < d; i++) s += betaStar[i] * betaStar[i];
  const norm = Math.sqrt(s);
  for (let i = 0; i < d; i++) betaStar[i] /= norm;
  return { kind: 'single-index', betaStar, link, noise };
}

/**
 * Rows `rowOffset .. rowOffset + rows - 1` of an infinite batch of inputs x ~ N(0, I_d) drawn from `key`
 * (entry (i, j) is stream position (rowOffset + i) * d + j). float32 inputs are the float64 draws rounded.
 * Memory: 8 rows d bytes (4 in float32).
 */
export function drawGaussianInputs(key: Key, rows: number, d: number, precision: Precision, rowOffset = 0): Matrix<FloatArray> {
  return fillGaussianInputs(key, zeros(rows, d, precision), rowOffset);
}

/** Like drawGaussianInputs, into an existing matrix (rows x d): reuses a chunk buffer. Returns X. */
export function fillGaussianInputs<T extends FloatArray>(key: Key, X: Matrix<T>, rowOffset = 0): Matrix<T> {
  fillNormal(key, X.data, { offset: rowOffset * X.cols });
  return X;
}

export interface Labels {
  /** Noiseless target f*(x_i) = sigma_star(<beta*, x_i>). */
  fStar: Float64Array;
  /** Observed labels y_i = f*(x_i) + sqrt(Delta) xi_i (equal to fStar when Delta = 0 or noiseKey is null). */
  y: Float64Array;
}

/**
 * Teacher outputs on the rows of X (n x d): projections by one gemv, the link in JavaScript (n values),
 * noise xi_i from `noiseKey` at stream position rowOffset + i. Pass noiseKey = null for noiseless labels.
 */
export function teacherLabels<T extends FloatArray>(
  backend: LinalgBackend,
  teacher: SingleIndexTeacher,
  X: Matrix<T>,
  noiseKey: Key | null,
  rowOffset = 0,
): Labels {
  const { betaStar, link, noise } = teacher;
  if (X.cols !== betaStar.length) throw new RangeError(`teacherLabels: X has ${X.cols} columns, beta* has length ${betaStar.length}`);
  const Ctor = X.data.constructor as new (n: number) => T;
  const beta = new Ctor(betaStar.length);
  beta.set(betaStar);
  const z = new Ctor(X.rows);
  backend.gemv(false, 1, X, beta, 0, z);
  const fStar = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) fStar[i] = link.value(z[i]);
  if (noise === 0 || noiseKey === null) return { fStar, y: fStar.slice() };
  const y = fillNormal(noiseKey, new Float64Array(X.rows), { offset: rowOffset, std: Math.sqrt(noise) });
  for (let i = 0; i < X.rows; i++) y[i] += fStar[i];
  return { fStar, y };
}
