/**
 * Initialisation of the two-layer network f(x) = (1/sqrt N) sum_i a_i sigma(<w_i, x>) (one-step.md
 * section 1, step 1):
 * - `init.W = "gaussian"`: entries of W0 i.i.d. N(0, 1/d) (Ba et al. 2022, arXiv 2205.01445);
 *   `"sphere"`: each column w_i a standard Gaussian vector normalised to unit norm (Cui et al. 2024,
 *   arXiv 2402.04980, their public code).
 * - `init.a = "gaussian"`: a_i ~ N(0, 1/N) (Ba et al.); `"constant"`: a_i = 1/sqrt(N) (Cui et al.);
 *   `"rademacher"`: a_i = ±1/sqrt(N).
 * W0 is d x N (column i is neuron i), row-major. Draws come from the given key only (one key per
 * component: the W0 key never sees the sizes of other components).
 */
import { fillNormal, fillRademacher, type Key } from '../random/index.js';
import { zeros, type FloatArray, type Matrix, type Precision } from '../linalg/matrix.js';

export type WInit = 'sphere' | 'gaussian';
export type AInit = 'constant' | 'gaussian' | 'rademacher';

/**
 * W0 (d x N). The draws are made in float64 (entry (j, i) is stream position j*N + i) and normalised
 * there; a float32 W0 is the float64 one rounded, so both precisions start from the same network.
 * Memory: 8 d N bytes (plus 4 d N for the float32 result).
 */
export function drawW0(key: Key, d: number, N: number, kind: WInit, precision: Precision = 'float64'): Matrix<FloatArray> {
  const W = zeros(d, N);
  if (kind === 'gaussian') {
    fillNormal(key, W.data, { std: 1 / Math.sqrt(d) });
  } else if (kind === 'sphere') {
    fillNormal(key, W.data);
    const sq = new Float64Array(N);
    for (let j = 0; j < d; j++) {
      const row = j * N;
      for (let i = 0; i < N; i++) sq[i] += W.data[row + i] * W.data[row + i];
    }
    for (let i = 0; i < N; i++) sq[i] = 1 / Math.sqrt(sq[i]);
    for (let j = 0; j < d; j++) {
      const row = j * N;
      for (let i = 0; i < N; i++) W.data[row + i] *= sq[i];
    }
  } else {
    throw new RangeError(`init.W: expected one of "sphere" | "gaussian", got ${JSON.stringify(kind)}`);
  }
  if (precision === 'float64') return W;
  const W32 = zeros(d, N, 'float32');
  W32.data.set(W.data);
  return W32;
}

/** The readout a0 (length N), kept in float64. */
export function drawA0(key: Key, N: number, kind: AInit): Float64Array {
  const a = new Float64Array(N);
  const s = 1 / Math.sqrt(N);
  if (kind === 'constant') a.fill(s);
  else if (kind === 'gaussian') fillNormal(key, a, { std: s });
  else if (kind === 'rademacher') fillRademacher(key, a, s);
  else throw new RangeError(`init.a: expected one of "constant" | "gaussian" | "rademacher", got ${JSON.stringify(kind)}`);
  return a;
}
