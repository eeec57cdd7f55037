/**
 * delta_NN of a dynamics config for the multi-index figures, computed once per setting and kept for the
 * rest of the process (a figure run asks for the same value in several panels): `hessianLaw` and `deltaNN`
 * of src/theory/multi-index (OUR RECONSTRUCTION of Montanari & Wang 2026, arXiv 2602.01434, at the initial
 * phase-1 point M = 0, Q = init.scale² I, a = 1/m, b = 0; docs/thresholds.md section 3). The bisection
 * brackets on powers of 2 in `range` (default [1/2, 2048]: delta_NN >= delta_alg = 1/2 for phase retrieval,
 * the target of every figure; pass another range for other targets) to the relative tolerance asked. A failure (unbounded weights, no bulk edge, no
 * outlier in the range) is returned with its reason, never as a number.
 * Cost: ~0.2 s for k + m <= 2 (2-D quadrature), ~0.2-2 s for k + m = 3 (3-D Gauss–Hermite), ~95 s (m = 3) to ~8 min (m = 4) with the Monte Carlo law.
 */
import { getActivation } from '../../activations/index.js';
import type { DynamicsConfig } from '../../models/dynamics-config.js';
import { getMultiIndexTarget } from '../../models/multi-index-teacher.js';
import { rootKey } from '../../random/key.js';
import { bottomPrediction, deltaNN, hessianLaw, initialPhaseOnePoint, type BottomPrediction, type HessianLaw, type NNLoss } from '../../theory/multi-index/index.js';

export interface NNThreshold {
  /** delta_NN (null when the reconstruction finds none: see reason). */
  value: number | null;
  reason: string | null;
  /** Law method ("quadrature" or "monte-carlo") and its number of points. */
  method: string | null;
  points: number;
  relTol: number;
  seconds: number;
}

export interface NNOptions {
  relTol?: number;
  /** Monte Carlo draws when k + m > 3 (default 20000). */
  samples?: number;
  range?: [number, number];
}

function lossOf(c: DynamicsConfig): NNLoss {
  if (c.training.loss === 'huber') return { name: 'huber', delta: c.training.huberDelta };
  if (c.training.loss === 'logcosh') return { name: 'logcosh' };
  return { name: 'square' };
}

function settingKey(c: DynamicsConfig, opts: NNOptions): string {
  return JSON.stringify([c.teacher, c.student, c.width, c.init, c.training.loss, c.training.huberDelta, c.training.weightDecay, c.seed, opts.samples ?? 20000]);
}

const laws = new Map<string, HessianLaw>();
const thresholdsCache = new Map<string, NNThreshold>();

/** The law of the Hessian weights at the initial point of a config (cached per setting). */
export function initialHessianLaw(c: DynamicsConfig, opts: NNOptions = {}): HessianLaw {
  const key = settingKey(c, opts);
  let law = laws.get(key);
  if (!law) {
    const target = getMultiIndexTarget(c.teacher.link, c.teacher.k);
    law = hessianLaw(target, c.teacher.noise, getActivation(c.student.activation), lossOf(c), initialPhaseOnePoint(c.width, target.k, c.init.scale), {
      key: rootKey(c.seed),
      samples: opts.samples,
      weightDecay: c.training.weightDecay,
    });
    laws.set(key, law);
  }
  return law;
}

/** delta_NN at the initial point (module comment); cached per setting and tolerance. */
export function nnThreshold(c: DynamicsConfig, opts: NNOptions = {}): NNThreshold {
  const relTol = opts.relTol ?? 1e-3;
  const key = `${settingKey(c, opts)}|${relTol}|${JSON.stringify(opts.range ?? null)}`;
  const hit = thresholdsCache.get(key);
  if (hit) return hit;
  const t0 = performance.now();
  let out: NNThreshold;
  try {
    if (c.init.a !== 'constant') throw new Error(`init.a: the initial phase-1 point needs init.a "constant", got "${c.init.a}"`);
    const law = initialHessianLaw(c, opts);
    const r = deltaNN(law, { relTol, range: opts.range ?? [0.5, 2048] });
    out = { value: r.ok ? r.deltaNN : null, reason: r.ok ? null : `${r.reason}: ${r.message}`, method: law.method, points: law.S, relTol, seconds: 0 };
  } catch (e) {
    out = { value: null, reason: (e as Error).message, method: null, points: 0, relTol, seconds: 0 };
  }
  out.seconds = (performance.now() - t0) / 1000;
  thresholdsCache.set(key, out);
  return out;
}

/** bottomPrediction at the initial point of a config (bulk edge, outlier, overlap), or the failure. */
export function initialBottom(c: DynamicsConfig, delta: number, opts: NNOptions = {}): { ok: true; value: BottomPrediction } | { ok: false; reason: string } {
  try {
    return { ok: true, value: bottomPrediction(initialHessianLaw(c, opts), delta) };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}
