/**
 * Web Worker of the multi-index view: delta_alg and the spectral thresholds (thresholds() without
 * delta_NN), then the predicted bottom of the Hessian spectrum (bulk edge and outlier) on a grid of delta,
 * then delta_NN (src/theory/multi-index: seconds to tens of seconds), each posted as soon as it is known.
 * The Hessian law and delta_NN are built exactly as `featlearn threshold` builds them (same phase-1 point,
 * key and tolerance), so the numbers are the CLI's. The page terminates the worker when the inputs change.
 */
import { getActivation } from '../../src/activations/index.js';
import { resolveDynamicsConfig } from '../../src/models/dynamics-config.js';
import { getMultiIndexTarget } from '../../src/models/multi-index-teacher.js';
import { rootKey } from '../../src/random/key.js';
import { bottomPrediction, deltaNN, hessianLaw, initialPhaseOnePoint, thresholds, type NNLoss } from '../../src/theory/multi-index/index.js';

export interface MiRequest {
  raw: Record<string, unknown>;
  deltas: number[];
}

export type MiMessage =
  | { type: 'thresholds'; deltaAlg: number | null; deltaAlgError: number; spectral: { preprocessing: string; deltaT: number | null; note: string }[]; warnings: string[] }
  | { type: 'point'; delta: number; bulkEdge: number | null; bottom: number | null; outlier: boolean; error?: string }
  | { type: 'deltaNN'; deltaNN: number | null; reason?: string; message?: string; seconds: number }
  | { type: 'error'; message: string };

const post = (m: MiMessage): void => (self as unknown as { postMessage(m: MiMessage): void }).postMessage(m);

self.onmessage = (ev: MessageEvent<MiRequest>) => {
  try {
    const config = resolveDynamicsConfig(ev.data.raw, 'multi-index config');
    const th = thresholds(config, { skipNN: true });
    post({
      type: 'thresholds',
      deltaAlg: th.deltaAlg,
      deltaAlgError: th.deltaAlgError,
      spectral: th.spectral.map((s) => ({
        preprocessing: s.preprocessing,
        deltaT: s.threshold.transition ? s.threshold.deltaT : null,
        note: s.threshold.transition ? '' : `${s.threshold.reason}: ${s.threshold.message}`,
      })),
      warnings: th.warnings,
    });
    const target = getMultiIndexTarget(config.teacher.link, config.teacher.k);
    const loss: NNLoss = config.training.loss === 'huber' ? { name: 'huber', delta: config.training.huberDelta } : config.training.loss === 'logcosh' ? { name: 'logcosh' } : { name: 'square' };
    if (config.init.a !== 'constant') throw new Error('init.a: the initial phase-1 point needs init.a "constant"');
    const phase1 = initialPhaseOnePoint(config.width, target.k, config.init.scale);
    const law = hessianLaw(target, config.teacher.noise, getActivation(config.student.activation), loss, phase1, { key: rootKey(config.seed), weightDecay: config.training.weightDecay });
    for (const delta of ev.data.deltas) {
      try {
        const b = bottomPrediction(law, delta);
        post({ type: 'point', delta, bulkEdge: b.bulkEdge, bottom: b.bottomEigenvalue, outlier: b.outlier });
      } catch (e) {
        post({ type: 'point', delta, bulkEdge: null, bottom: null, outlier: false, error: (e as Error).message });
      }
    }
    const t0 = performance.now();
    const r = deltaNN(law, { relTol: 1e-4 });
    const seconds = (performance.now() - t0) / 1000;
    post(r.ok ? { type: 'deltaNN', deltaNN: r.deltaNN, seconds } : { type: 'deltaNN', deltaNN: null, reason: r.reason, message: r.message, seconds });
  } catch (e) {
    const err = e as Error & { issues?: string[] };
    post({ type: 'error', message: err.issues ? err.issues.join('; ') : err.message });
  }
};
