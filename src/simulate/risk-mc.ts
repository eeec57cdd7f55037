/**
 * Monte Carlo population risk: risk = mean over a fresh test set of (f*(x) - f_hat(x))^2 with the
 * NOISELESS target (one-step.md section 1, step 6), with its standard error sqrt(Var[(f* - f_hat)^2] / nTest).
 *
 * Several predictors (the trained network, the random-features baseline) are evaluated on the SAME test
 * inputs, drawn in row chunks from one key (row t is stream positions t d .. t d + d - 1), so memory is
 * bounded by one chunk (chunkRows x (d + N)) and the inputs do not depend on the chunk size. Per chunk:
 * one gemm X W, one fused sigma pass, one gemv.
 */
import type { LinalgBackend } from '../linalg/backend.js';
import type { FloatArray, Matrix } from '../linalg/matrix.js';
import type { Key } from '../random/index.js';
import type { Activation } from '../activations/types.js';
import { zeros } from '../linalg/matrix.js';
import { fillGaussianInputs, teacherLabels, type SingleIndexTeacher } from '../models/teacher.js';
import { featureMatrix, readout, topRows } from './features.js';
import { assertFiniteScalar } from './errors.js';

/** A readout predictor f(x) = (1/sqrt N) sum_i a_i sigma(<w_i, x>) + b. */
export interface Predictor<T extends FloatArray = FloatArray> {
  W: Matrix<T>;
  a: Float64Array;
  b: number;
  activation: Activation;
}

export interface MonteCarloRisk {
  risk: number;
  /** Standard error of the Monte Carlo mean. */
  stdErr: number;
  nTest: number;
}

/** Rows per input chunk: about 16 MiB of inputs and features (enough rows for gemm to run at full speed). */
export function defaultChunkRows(d: number, N: number, bytesPerEntry: number): number {
  return Math.max(1, Math.floor((16 * 2 ** 20) / ((d + N) * bytesPerEntry)));
}

export function monteCarloRisk<T extends FloatArray>(
  backend: LinalgBackend,
  predictors: readonly Predictor<T>[],
  teacher: SingleIndexTeacher,
  key: Key,
  nTest: number,
  chunkRows?: number,
): MonteCarloRisk[] {
  if (!Number.isInteger(nTest) || nTest < 1) throw new RangeError(`nTest: expected a positive integer, got ${nTest}`);
  if (predictors.length === 0) return [];
  const d = teacher.betaStar.length;
  const precision = predictors[0].W.data instanceof Float32Array ? 'float32' : 'float64';
  const N = Math.max(...predictors.map((p) => p.W.cols));
  const rowsPerChunk = Math.min(nTest, chunkRows ?? defaultChunkRows(d, N, precision === 'float32' ? 4 : 8));
  const sum = new Float64Array(predictors.length);
  const sumSq = new Float64Array(predictors.length);
  // One input and one feature buffer for all chunks (views of their top rows for the last chunk).
  const Xbuf = zeros(rowsPerChunk, d, precision) as Matrix<T>;
  const Zbuf = zeros(rowsPerChunk, N, precision) as Matrix<T>;
  for (let start = 0; start < nTest; start += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, nTest - start);
    const X = fillGaussianInputs(key, topRows(Xbuf, rows), start);
    const { fStar } = teacherLabels(backend, teacher, X, null, start);
    predictors.forEach((p, k) => {
      const Z = { rows, cols: p.W.cols, data: Zbuf.data.subarray(0, rows * p.W.cols) as T };
      const f = readout(backend, featureMatrix(backend, p.activation, X, p.W, Z), p.a, p.b);
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < rows; i++) {
        const e = (fStar[i] - f[i]) ** 2;
        s += e;
        s2 += e * e;
      }
      sum[k] += s;
      sumSq[k] += s2;
    });
  }
  backend.releaseMemory(Xbuf.data);
  backend.releaseMemory(Zbuf.data);
  return predictors.map((_, k) => {
    const risk = sum[k] / nTest;
    const variance = nTest > 1 ? Math.max(0, (sumSq[k] - nTest * risk * risk) / (nTest - 1)) : NaN;
    assertFiniteScalar(`Monte Carlo risk of predictor ${k}`, risk);
    return { risk, stdErr: Math.sqrt(variance / nTest), nTest };
  });
}
