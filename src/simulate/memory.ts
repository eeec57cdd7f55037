/**
 * Memory estimate of one simulated run, checked BEFORE anything is allocated (STYLE.md 8).
 *
 * The run goes through stages; the estimate of each stage is the sum of the matrices alive in it, and the
 * peak is the largest stage (the network weights W0, W1 — and G when the anatomy is reported — are alive
 * throughout). e = 8 bytes (float64) or 4 (float32); Gram matrices and decompositions are float64.
 *   step:      X0 (n0 x d) + pre-activations and backpropagated signal (2 n0 x N)
 *   readout:   features Phi (n x N; the baseline's Phi0 replaces it), with baselines the inputs X (n x d), else
 *              an input chunk; the Gram matrix, factorised in place (min(n, N)^2 x 8; in float32 it is formed
 *              inside that buffer, src/simulate/ridge.ts). The eigh fallback of an ill-conditioned solve
 *              needs about 3 more such matrices; it is rare and not counted. (Temporaries are released
 *              with backend.releaseMemory when done, so earlier stages' buffers do not linger.)
 *   linear:    (baselines) the Gram of the raw inputs and its eigenvectors, 2 min(n, d)^2 x 8
 *   anatomy:   a float64 copy of W1 and of sqrt(N) G, and their thin SVD factors (~ 4 d N x 8)
 *   risk:      exact: about 2 N^2 x 8 (pairwise neuron covariances); Monte Carlo: a test chunk.
 * A run is refused (SimulationError 'memory', with the estimate) when the peak exceeds 80% of the
 * machine's memory, unless forced; an array beyond the engine's limit is refused even when forced.
 */
import { constants as bufferConstants } from 'node:buffer';
import { totalmem } from 'node:os';
import { SimulationError } from './errors.js';

export interface MemoryShape {
  d: number;
  width: number;
  n0: number;
  n: number;
  nTest: number;
  precision: 'float64' | 'float32';
  steps: number;
  baselines: boolean;
  anatomy: boolean;
  riskMethod: 'exact' | 'monte-carlo';
  /** Rows of the input chunks (readout without baselines, test set). */
  chunkRows: number;
}

export interface MemoryEstimate {
  /** Bytes of the largest stage. */
  peakBytes: number;
  /** The stage reaching the peak. */
  peakStage: string;
  stages: Record<string, number>;
  /** The largest single array (bytes). */
  largestArrayBytes: number;
  /** Bytes of the matrices that must be alive at the peak stage with no chunking possible (W0, W1, Phi, Gram): the yardstick of the benchmark. */
  essentialBytes: number;
}

export function estimateMemory(s: MemoryShape): MemoryEstimate {
  const e = s.precision === 'float32' ? 4 : 8;
  const { d, width: N, n0, n } = s;
  const keepG = s.anatomy && s.steps > 0;
  const weights = (2 + (keepG ? 1 : 0)) * d * N * e;
  const m = Math.min(n, N);
  const gram = m * m * 8;
  const inputs = s.baselines ? n * d * e : Math.min(s.chunkRows, n) * d * e;
  const stages: Record<string, number> = {
    step: s.steps > 0 ? weights + n0 * d * e + 2 * n0 * N * e : weights,
    readout: weights + n * N * e + inputs + gram,
  };
  if (s.baselines) {
    const ml = Math.min(n, d);
    stages.linear = weights + n * d * e + 2 * ml * ml * 8;
  }
  if (s.anatomy && s.steps > 0) stages.anatomy = weights + n * N * e + 4 * d * N * 8;
  stages.risk =
    weights + n * N * e + (s.riskMethod === 'exact' ? 2 * N * N * 8 : Math.min(s.chunkRows, s.nTest) * (d + N) * e);
  let peakStage = 'step';
  for (const [k, v] of Object.entries(stages)) if (v > stages[peakStage]) peakStage = k;
  const largestArrayBytes = Math.max(d * N * 8, n * N * e, s.baselines ? n * d * e : 0, m * m * 8);
  const essentialBytes = 2 * d * N * e + n * N * e + m * m * 8;
  return { peakBytes: stages[peakStage], peakStage, stages, largestArrayBytes, essentialBytes };
}

export function formatBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(2)} GiB`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(1)} MiB`;
  return `${(b / 2 ** 10).toFixed(1)} KiB`;
}

/**
 * Refuses a run whose estimate does not fit: peak above `limitBytes` (default 80% of total memory) unless
 * `force`, or one array above the JavaScript engine's maximum buffer size (always).
 */
export function checkMemory(s: MemoryShape, opts: { force?: boolean; limitBytes?: number } = {}): MemoryEstimate {
  const est = estimateMemory(s);
  const sizes = `d = ${s.d}, width = ${s.width}, n0 = ${s.n0}, n = ${s.n}, ${s.precision}`;
  if (est.largestArrayBytes > bufferConstants.MAX_LENGTH) {
    throw new SimulationError(
      'memory',
      `memory: one matrix would need ${formatBytes(est.largestArrayBytes)}, above the engine's limit of ${formatBytes(bufferConstants.MAX_LENGTH)} per array (${sizes}); reduce the sizes`,
    );
  }
  const limit = opts.limitBytes ?? 0.8 * totalmem();
  if (!opts.force && est.peakBytes > limit) {
    throw new SimulationError(
      'memory',
      `memory: this run needs about ${formatBytes(est.peakBytes)} (stage "${est.peakStage}"; ${sizes}), more than the limit ${formatBytes(limit)} (80% of this machine's memory); ` +
        'reduce d, width, n or n0, use precision float32, turn off report.baselines/report.anatomy, or pass --force (force: true) to try anyway',
    );
  }
  return est;
}
