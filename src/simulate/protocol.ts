/**
 * The gradient step(s) on the first layer (one-step.md section 1, steps 2–4; Ba et al. 2022, arXiv
 * 2205.01445, section 3; Cui et al. 2024, arXiv 2402.04980, eq. (3)).
 *
 * With a fixed readout a0, the loss on the step batch (X0, y0) is L(W) = (1/(2 n0)) sum_mu (y_mu - f(x_mu))^2,
 * f(x) = (1/sqrt N) sum_i a0_i sigma(<w_i, x>). Its NEGATIVE gradient is the full matrix
 *   G = (1/n0) X0^T [ ((y0 - f0) a0^T / sqrt N) ⊙ sigma'(X0 W) ]        (d x N)
 * — never its rank-one approximation — and the update is W <- W + eta_eff sqrt(N) G with eta_eff set by
 * `step.scaling` ("one": eta; "sqrtN": eta sqrt(N), Cui et al.'s eta_tilde; "power": eta N^exponent).
 *
 * With `step.trainReadout` the readout moves too, by plain gradient descent on the SAME loss with the SAME
 * multiplier (one-step.md section 1 step 4 applied to every parameter): the negative gradient in a is
 *   g_a = (1/n0) sigma(X0 W)^T (y0 - f0) / sqrt N                     (length N)
 * and a <- a + eta_eff sqrt(N) g_a, simultaneously with W (both gradients at the current (W, a)). The
 * first W step is therefore the same with or without it; from the second step on, G and f0 use the moved a.
 * The ridge readout (step 5) refits a afterwards in every case. Note the size of that update: a_i starts at
 * O(1/sqrt N) while eta_eff sqrt(N) g_a_i is O(eta_eff), so with "sqrtN" it dominates a at once.
 *
 * Cost per step: two gemms of 2 n0 d N flops (X0 W and X0^T M) and one fused sigma/sigma' pass over the
 * n0 x N pre-activations (plus one gemv for g_a). Memory: X0 (n0 x d), two n0 x N matrices (features and backpropagated signal);
 * G (d x N) only when it is asked for — otherwise the update is accumulated into W by the second gemm
 * (beta = 1), with no gradient matrix.
 */
import type { LinalgBackend } from '../linalg/backend.js';
import { clone, type FloatArray, type Matrix } from '../linalg/matrix.js';
import { foldIn, type Key } from '../random/index.js';
import type { Activation } from '../activations/types.js';
import { drawGaussianInputs, teacherLabels, type SingleIndexTeacher } from '../models/teacher.js';
import { applyActivation, newArrayLike } from './features.js';
import { assertFinite, SimulationError } from './errors.js';

export type StepScaling = 'one' | 'sqrtN' | 'power';

export interface StepOptions {
  eta: number;
  scaling: StepScaling;
  /** Required with scaling "power". */
  exponent?: number;
  /** Number of gradient steps T >= 0. */
  steps: number;
  /** "fresh": a new batch (X0, y0) for every step; "reuse": the same batch every time. */
  batches: 'fresh' | 'reuse';
  /** Train the readout a during the steps as well (see the module comment); default false: a stays at a0. */
  trainReadout?: boolean;
}

/** eta_eff of one-step.md section 1 step 4. */
export function effectiveEta(step: Pick<StepOptions, 'eta' | 'scaling' | 'exponent'>, N: number): number {
  switch (step.scaling) {
    case 'one':
      return step.eta;
    case 'sqrtN':
      return step.eta * Math.sqrt(N);
    case 'power':
      if (step.exponent === undefined) throw new SimulationError('invalid', 'step.exponent: required when step.scaling is "power"');
      return step.eta * Math.pow(N, step.exponent);
    default:
      throw new SimulationError('invalid', `step.scaling: expected one of "one" | "sqrtN" | "power", got ${JSON.stringify(step.scaling)}`);
  }
}

interface Backprop<T extends FloatArray> {
  /** M = ((y0 - f0) a0^T / sqrt N) ⊙ sigma'(X0 W), n0 x N. */
  M: Matrix<T>;
  /** The features sigma(X0 W), n0 x N. */
  S: Matrix<T>;
  f0: Float64Array;
  residual: Float64Array;
}

function checkShapes<T extends FloatArray>(X0: Matrix<T>, y0: Float64Array, W: Matrix<T>, a0: Float64Array): void {
  if (X0.cols !== W.rows) throw new RangeError(`gradient: X0 has ${X0.cols} columns but W has ${W.rows} rows (d)`);
  if (y0.length !== X0.rows) throw new RangeError(`gradient: y0 has length ${y0.length}, X0 has ${X0.rows} rows`);
  if (a0.length !== W.cols) throw new RangeError(`gradient: a0 has length ${a0.length}, W has ${W.cols} columns (N)`);
  if (X0.rows < 1) throw new RangeError('gradient: the step batch is empty (n0 = 0)');
}

function backprop<T extends FloatArray>(
  backend: LinalgBackend,
  activation: Activation,
  X0: Matrix<T>,
  y0: Float64Array,
  W: Matrix<T>,
  a0: Float64Array,
  where = 'gradient step',
): Backprop<T> {
  checkShapes(X0, y0, W, a0);
  const n0 = X0.rows;
  const N = W.cols;
  const Z: Matrix<T> = { rows: n0, cols: N, data: newArrayLike(X0.data, n0 * N) };
  backend.gemm(false, false, 1, X0, W, 0, Z);
  const D: Matrix<T> = { rows: n0, cols: N, data: newArrayLike(X0.data, n0 * N) };
  applyActivation(backend, activation, 'both', Z.data, Z.data, D.data);
  const aT = newArrayLike(X0.data, N);
  aT.set(a0);
  const f0T = newArrayLike(X0.data, n0);
  backend.gemv(false, 1 / Math.sqrt(N), Z, aT, 0, f0T);
  const f0 = Float64Array.from(f0T);
  const residual = new Float64Array(n0);
  for (let mu = 0; mu < n0; mu++) residual[mu] = y0[mu] - f0[mu];
  assertFinite(`${where}: network output f0 on the step batch`, f0);
  const scaledA = new Float64Array(N);
  for (let i = 0; i < N; i++) scaledA[i] = a0[i] / Math.sqrt(N);
  const d = D.data;
  for (let mu = 0; mu < n0; mu++) {
    const e = residual[mu];
    const row = mu * N;
    for (let i = 0; i < N; i++) d[row + i] *= e * scaledA[i];
  }
  return { M: D, S: Z, f0, residual };
}

/** g_a = (1/n0) S^T r / sqrt N (float64): the negative gradient of the loss in the readout a, S = sigma(X0 W). */
export function readoutGradient<T extends FloatArray>(backend: LinalgBackend, S: Matrix<T>, residual: Float64Array): Float64Array {
  const rT = newArrayLike(S.data, residual.length);
  rT.set(residual);
  const g = newArrayLike(S.data, S.cols);
  backend.gemv(true, 1 / (S.rows * Math.sqrt(S.cols)), S, rT, 0, g);
  return Float64Array.from(g);
}

export interface NegativeGradient<T extends FloatArray> {
  /** G = -dL/dW (d x N). */
  G: Matrix<T>;
  /** Network output at W on the batch. */
  f0: Float64Array;
  /** y0 - f0. */
  residual: Float64Array;
  /** u = X0^T (y0 - f0) / n0 (length d, float64), the spike direction of one-step.md section 2. */
  u: Float64Array;
  /** g_a = -dL/da = (1/n0) sigma(X0 W)^T (y0 - f0) / sqrt N (length N, float64): the readout's negative gradient. */
  ga: Float64Array;
}

/** The full negative gradient G of L(W) at W (see the module comment) and the spike vector u. */
export function negativeGradient<T extends FloatArray>(
  backend: LinalgBackend,
  activation: Activation,
  X0: Matrix<T>,
  y0: Float64Array,
  W: Matrix<T>,
  a0: Float64Array,
): NegativeGradient<T> {
  const { M, S, f0, residual } = backprop(backend, activation, X0, y0, W, a0);
  const G: Matrix<T> = { rows: W.rows, cols: W.cols, data: newArrayLike(W.data, W.rows * W.cols) };
  backend.gemm(true, false, 1 / X0.rows, X0, M, 0, G);
  return { G, f0, residual, u: spikeVector(backend, X0, residual), ga: readoutGradient(backend, S, residual) };
}

/** u = X0^T r / n0 (float64). */
export function spikeVector<T extends FloatArray>(backend: LinalgBackend, X0: Matrix<T>, r: Float64Array): Float64Array {
  const rT = newArrayLike(X0.data, r.length);
  rT.set(r);
  const uT = newArrayLike(X0.data, X0.cols);
  backend.gemv(true, 1 / X0.rows, X0, rT, 0, uT);
  return Float64Array.from(uT);
}

/** L(W, a0) = (1/(2 n0)) sum_mu (y_mu - f(x_mu))^2 at the readout a0 (for checks of the gradients in W and in a). */
export function stepLoss<T extends FloatArray>(backend: LinalgBackend, activation: Activation, X0: Matrix<T>, y0: Float64Array, W: Matrix<T>, a0: Float64Array): number {
  const { residual } = backprop(backend, activation, X0, y0, W, a0);
  let s = 0;
  for (let mu = 0; mu < residual.length; mu++) s += residual[mu] * residual[mu];
  return s / (2 * X0.rows);
}

export interface FirstStep<T extends FloatArray> {
  /** Negative gradient of the first step (unscaled), d x N. */
  G: Matrix<T>;
  u: Float64Array;
  f0: Float64Array;
  residual: Float64Array;
}

export interface StepsResult<T extends FloatArray> {
  /** First-layer weights after the steps (a new matrix; W0 is not modified). */
  W1: Matrix<T>;
  /** The readout after the steps: a copy of a0 unless step.trainReadout (a0 is not modified). */
  a: Float64Array;
  etaEff: number;
  steps: number;
  /** The first step's gradient and spike vector, when `keepFirstGradient` (and T >= 1). */
  first: FirstStep<T> | null;
  /** The first step's u and f0 (always, when T >= 1; cheap vectors). */
  firstSpike: { u: Float64Array; f0: Float64Array } | null;
}

export interface StepsInput<T extends FloatArray> {
  backend: LinalgBackend;
  activation: Activation;
  teacher: SingleIndexTeacher;
  W0: Matrix<T>;
  a0: Float64Array;
  n0: number;
  step: StepOptions;
  /** Key of the step batches: batch t is drawn from foldIn(key, t) ("fresh") or foldIn(key, 0) ("reuse"). */
  key: Key;
  /** Keep the first step's G (d x N) for the step anatomy. */
  keepFirstGradient: boolean;
}

/**
 * T gradient steps from W0 (one-step.md section 1, steps 2–4). Batch t: inputs from foldIn(k_t, "X"),
 * label noise from foldIn(k_t, "noise"), k_t = foldIn(key, t) (or t = 0 for every step with "reuse").
 * Stops with a SimulationError when W becomes non-finite.
 */
export function runSteps<T extends FloatArray>(input: StepsInput<T>): StepsResult<T> {
  const { backend, activation, teacher, W0, a0, n0, step, key } = input;
  const d = W0.rows;
  const N = W0.cols;
  const etaEff = effectiveEta(step, N);
  const W1 = clone(W0);
  const a = Float64Array.from(a0);
  if (step.steps === 0 || etaEff === 0) return { W1, a, etaEff, steps: step.steps, first: null, firstSpike: null };
  const precision = W0.data instanceof Float32Array ? 'float32' : 'float64';
  const scale = etaEff * Math.sqrt(N);
  let first: FirstStep<T> | null = null;
  let firstSpike: StepsResult<T>['firstSpike'] = null;
  let reused: { X0: Matrix<T>; y0: Float64Array } | null = null;
  for (let t = 0; t < step.steps; t++) {
    let batch: { X0: Matrix<T>; y0: Float64Array } | null = reused;
    if (!batch) {
      const kt = foldIn(key, step.batches === 'fresh' ? t : 0);
      const X0 = drawGaussianInputs(foldIn(kt, 'X'), n0, d, precision) as Matrix<T>;
      const { y } = teacherLabels(backend, teacher, X0, foldIn(kt, 'noise'));
      batch = { X0, y0: y };
      if (step.batches === 'reuse') reused = batch;
    }
    const { X0, y0 } = batch;
    const { M, S, f0, residual } = backprop(backend, activation, X0, y0, W1, a, `gradient step ${t + 1} of ${step.steps}`);
    // The readout's gradient at the current (W, a), before W moves; a itself moves after W's update below.
    const ga = step.trainReadout ? readoutGradient(backend, S, residual) : null;
    if (t === 0) {
      const u = spikeVector(backend, X0, residual);
      firstSpike = { u, f0 };
      if (input.keepFirstGradient) {
        const G: Matrix<T> = { rows: d, cols: N, data: newArrayLike(W0.data, d * N) };
        backend.gemm(true, false, 1 / n0, X0, M, 0, G);
        const w = W1.data;
        const g = G.data;
        for (let i = 0; i < w.length; i++) w[i] += scale * g[i];
        first = { G, u, f0, residual };
      } else {
        backend.gemm(true, false, scale / n0, X0, M, 1, W1);
      }
    } else {
      backend.gemm(true, false, scale / n0, X0, M, 1, W1);
    }
    assertFinite(`gradient step ${t + 1} of ${step.steps}: first-layer weights W${t + 1}`, W1.data, N);
    if (ga) {
      for (let i = 0; i < N; i++) a[i] += scale * ga[i];
      assertFinite(`gradient step ${t + 1} of ${step.steps}: readout a${t + 1}`, a);
    }
    // The step's n0 x N buffers (and a fresh batch) are done with: give their memory back now.
    backend.releaseMemory(M.data);
    backend.releaseMemory(S.data);
    if (!reused) backend.releaseMemory(X0.data);
  }
  if (reused) backend.releaseMemory(reused.X0.data);
  return { W1, a, etaEff, steps: step.steps, first, firstSpike };
}
