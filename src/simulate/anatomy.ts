/**
 * The anatomy of a first-layer gradient step (issue 3, "What a run computes" item 5; one-step.md section 2):
 * the top singular values of sqrt(N) G, of W1 and of the update W1 - W0; the squared overlaps of their top
 * singular vectors with beta*, with u = X0^T (y0 - f0) / n0 and with a0/|a0|; cos^2(u, beta*); statistics of
 * the neuron norms |w1_i|; and, on request, the whole spectra (for histograms).
 *
 * What theory predicts (Ba et al. 2022, arXiv 2205.01445; derived in one-step.md section 2 for W0 with
 * N(0, 1/d) entries and W1 = W0 + theta (u/|u|)(a0/|a0|)^T, c = N/d): an outlier s1(W1) =
 * sqrt((1 + theta^2)(c + theta^2)) / theta iff theta > c^(1/4); squared left overlap with u/|u|
 * 1 - (c + theta^2) / (theta^2 (theta^2 + 1)); squared right overlap with a0/|a0|
 * 1 - c (1 + theta^2) / (theta^2 (theta^2 + c)); cos^2(u, beta*) -> mu1*^2 / (mu1*^2 + M / alpha0).
 * Those predictions belong to src/theory; this module only measures (STYLE.md 13).
 *
 * Overlaps are squared, so the arbitrary sign of a singular vector does not matter. Top values use the
 * block Lanczos routine of src/linalg/top-singular.ts (or the Gram eigendecomposition for small matrices);
 * full spectra use LAPACK's SVD (O(d N min(d, N)), seconds at d = N = 2000).
 */
import type { LinalgBackend } from '../linalg/backend.js';
import type { Matrix } from '../linalg/matrix.js';
import { topSingular, type TopSingularResult } from '../linalg/top-singular.js';

export interface SpectrumSummary {
  /** The k largest singular values, descending. */
  top: number[];
  /** Every singular value, descending (only with `fullSpectrum`). */
  all?: number[];
}

export interface StepAnatomy {
  /** k, the number of top singular values reported. */
  top: number;
  /** Singular values of sqrt(N) G (G the negative gradient, d x N). */
  gradient: SpectrumSummary;
  /** Singular values of W1. */
  W1: SpectrumSummary;
  /** Singular values of the update W1 - W0. */
  update: SpectrumSummary;
  /** Squared overlaps (cos^2) of unit vectors. */
  alignment: {
    /** <top left singular vector of W1 - W0, beta*>^2 */
    updateBeta: number;
    /** <top left singular vector of W1, beta*>^2 */
    W1Beta: number;
    /** cos^2(u, beta*) */
    uBeta: number;
    /** <top left singular vector of W1 - W0, u/|u|>^2 */
    updateU: number;
    /** <top left singular vector of W1, u/|u|>^2 */
    W1U: number;
    /** <top right singular vector of W1, a0/|a0|>^2 */
    W1RightA0: number;
    /** <top right singular vector of W1 - W0, a0/|a0|>^2 */
    updateRightA0: number;
  };
  /** |u| and <u, beta*> (one-step.md section 2: -> sqrt(mu1*^2 + M/alpha0) and mu1*). */
  u: { norm: number; betaOverlap: number };
  /** Statistics of the neuron norms |w1_i| (columns of W1); std is the population standard deviation. */
  neuronNorms: { mean: number; std: number; min: number; max: number };
  /** How the top values were computed, e.g. "block-lanczos (dimension 340)". */
  method: string;
}

export interface StepAnatomyInput {
  W0: Matrix<Float64Array>;
  W1: Matrix<Float64Array>;
  /** d x N negative gradient of the first step. */
  G: Matrix<Float64Array>;
  /** X0^T (y0 - f0) / n0, length d. */
  u: Float64Array;
  a0: Float64Array;
  betaStar: Float64Array;
  /** Number of top singular values (default 5). */
  top?: number;
  /** Also return every singular value of sqrt(N) G, W1 and W1 - W0 (default false). */
  fullSpectrum?: boolean;
}

/** Measures the step (see the module comment). Throws a RangeError naming the bad input. */
export function stepAnatomy(input: StepAnatomyInput, backend: LinalgBackend): StepAnatomy {
  const { W0, W1, G, u, a0, betaStar } = input;
  const d = W1.rows;
  const N = W1.cols;
  for (const [name, M] of [['W0', W0], ['W1', W1], ['G', G]] as const) {
    if (M.rows !== d || M.cols !== N) throw new RangeError(`stepAnatomy: ${name} is ${M.rows} x ${M.cols}, expected d x N = ${d} x ${N} (the shape of W1)`);
    if (!(M.data instanceof Float64Array)) throw new RangeError(`stepAnatomy: ${name} must be a float64 matrix`);
  }
  for (const [name, x, n] of [['u', u, d], ['betaStar', betaStar, d], ['a0', a0, N]] as const) {
    if (x.length !== n) throw new RangeError(`stepAnatomy: ${name} has length ${x.length}, expected ${n}`);
    for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) throw new RangeError(`stepAnatomy: ${name}[${i}] is ${x[i]}`);
  }
  const small = Math.min(d, N);
  const k = input.top ?? Math.min(5, small);
  if (!Number.isInteger(k) || k < 1 || k > small) throw new RangeError(`stepAnatomy: top must be an integer in [1, min(d, N) = ${small}], got ${input.top}`);

  const D: Matrix<Float64Array> = { rows: d, cols: N, data: new Float64Array(d * N) };
  for (let q = 0; q < D.data.length; q++) D.data[q] = W1.data[q] - W0.data[q];

  const sqrtN = Math.sqrt(N);
  const g = topSingular(G, k, backend);
  const w = topSingular(W1, k, backend, { vectors: 'both' });
  const up = topSingular(D, k, backend, { vectors: 'both' });

  const uNorm = norm(u);
  const aNorm = norm(a0);
  const betaNorm = norm(betaStar);
  const uBetaDot = dot(u, betaStar);
  const left = (r: TopSingularResult) => column(r.U as Matrix<Float64Array>, 0);
  const right = (r: TopSingularResult) => column(r.V as Matrix<Float64Array>, 0);
  const cos2 = (x: Float64Array, y: Float64Array, ny: number) => (ny === 0 ? 0 : dot(x, y) ** 2 / (dot(x, x) * ny * ny));

  const anatomy: StepAnatomy = {
    top: k,
    gradient: { top: Array.from(g.values, (s) => s * sqrtN) },
    W1: { top: Array.from(w.values) },
    update: { top: Array.from(up.values) },
    alignment: {
      updateBeta: cos2(left(up), betaStar, betaNorm),
      W1Beta: cos2(left(w), betaStar, betaNorm),
      uBeta: uNorm === 0 || betaNorm === 0 ? 0 : uBetaDot ** 2 / (uNorm * uNorm * betaNorm * betaNorm),
      updateU: cos2(left(up), u, uNorm),
      W1U: cos2(left(w), u, uNorm),
      W1RightA0: cos2(right(w), a0, aNorm),
      updateRightA0: cos2(right(up), a0, aNorm),
    },
    u: { norm: uNorm, betaOverlap: betaNorm === 0 ? 0 : uBetaDot / betaNorm },
    neuronNorms: columnNormStats(W1),
    method: `${w.method} (dimension ${w.dimension})`,
  };
  if (input.fullSpectrum) {
    anatomy.gradient.all = Array.from(backend.svdvals(G), (s) => s * sqrtN);
    anatomy.W1.all = Array.from(backend.svdvals(W1));
    anatomy.update.all = Array.from(backend.svdvals(D));
  }
  return anatomy;
}

function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

function norm(x: Float64Array): number {
  return Math.sqrt(dot(x, x));
}

function column(M: Matrix<Float64Array>, j: number): Float64Array {
  const out = new Float64Array(M.rows);
  for (let i = 0; i < M.rows; i++) out[i] = M.data[i * M.cols + j];
  return out;
}

function columnNormStats(W: Matrix<Float64Array>): StepAnatomy['neuronNorms'] {
  const { rows, cols, data } = W;
  const sq = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    for (let i = 0; i < cols; i++) sq[i] += data[off + i] * data[off + i];
  }
  let mean = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < cols; i++) {
    const n = Math.sqrt(sq[i]);
    sq[i] = n;
    mean += n;
    if (n < min) min = n;
    if (n > max) max = n;
  }
  mean /= cols;
  let v = 0;
  for (let i = 0; i < cols; i++) v += (sq[i] - mean) ** 2;
  return { mean, std: Math.sqrt(v / cols), min, max };
}
