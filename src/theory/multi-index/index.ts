/**
 * Thresholds of feature learning for multi-index targets (multi-index.md sections 3-5), from the same
 * config as `featlearn dynamics` (src/models/dynamics-config.ts). Browser-safe (no Node-only imports).
 *
 * - delta_alg (delta-alg.ts): established (Mondelli & Montanari 2018; Barbier et al. 2019; Troiani et al.
 *   2024; Defilippis et al. 2025).
 * - spectral thresholds (spectral.ts): established (Lu & Li 2017; Mondelli & Montanari 2018).
 * - delta_NN (delta-nn.ts): OUR RECONSTRUCTION of Montanari & Wang 2026 (arXiv 2602.01434), *verify*.
 *   The phase-1 point is an input (from a simulation: M = W Theta*, Q = W W^T - M M^T, a, b), the initial
 *   point at large d (M = 0, Q = init.scale^2 I, a = 1/m, b = 0; the default), or 'population': the end
 *   of phase 1 of the reduced population GD at large d (phase-one.ts), started at the initial point.
 */
import { getActivation } from '../../activations/index.js';
import { NumericsError } from '../../numerics/errors.js';
import { rootKey } from '../../random/key.js';
import type { DynamicsConfig } from '../../models/dynamics-config.js';
import { getMultiIndexTarget } from '../../models/multi-index-teacher.js';
import { deltaAlg, type DeltaAlgResult } from './delta-alg.js';
import { bottomPrediction, deltaNN, deltaNNSignCheck, hessianLaw, initialPhaseOnePoint, type BottomPrediction, type DeltaNNResult, type NNLoss, type PhaseOnePoint } from './delta-nn.js';
import { populationPhaseOne, type PopulationPhaseOne } from './phase-one.js';
import { optimalPreprocessing, spectralPrediction, spectralThreshold, weightLaw, type SpectralPrediction, type SpectralThreshold } from './spectral.js';

export * from './delta-alg.js';
export * from './delta-nn.js';
export * from './spectral.js';
export * from './phase-one.js';
export { symmetricEigen, inverse } from './small-linalg.js';
export { LevelSet, chiDensity, gaussianDensity, type LevelSetProblem, type LevelNode, type Atom } from './level-set.js';
export { firstCoordinateTable, radialTable, productTable, monteCarloTable, quadratureMethod, type ConditionalTable, type TableNode, type TableMethod } from './tables.js';

/** Named preprocessings T(y) for the spectral method. */
export const PREPROCESSING_SPECS = ['identity', 'optimal', 'trimmed:C', 'clip:C', 'tanh'] as const;

export interface Preprocessing {
  name: string;
  T: (y: number) => number;
  /** Label values where T jumps or kinks. */
  yKinks: number[];
  /** Known sup of T, when it is known. */
  tau?: number;
}

/** Parses a preprocessing spec (PREPROCESSING_SPECS; C a number). */
export function parsePreprocessing(spec: string, target = getMultiIndexTarget('phase-retrieval')): Preprocessing {
  const bad = (): never => {
    throw new NumericsError('preprocessing', `expected one of identity, optimal, trimmed:C (T = y 1{y <= C}), clip:C (T = min(y, C)), tanh, with C a finite number; got ${JSON.stringify(spec)}`);
  };
  if (spec === 'identity') return { name: spec, T: (y) => y, yKinks: [] };
  if (spec === 'tanh') return { name: spec, T: Math.tanh, yKinks: [], tau: 1 };
  if (spec === 'optimal') return { name: spec, T: optimalPreprocessing(target), yKinks: [], tau: 1 };
  const m = /^(trimmed|clip):(.+)$/.exec(spec);
  if (!m) return bad();
  const c = Number(m[2]);
  if (!Number.isFinite(c)) return bad();
  return m[1] === 'trimmed' ? { name: spec, T: (y) => (y <= c ? y : 0), yKinks: [c] } : { name: spec, T: (y) => Math.min(y, c), yKinks: [c] };
}

export interface SpectralReport {
  preprocessing: string;
  threshold: SpectralThreshold;
  /** Top eigenvalue and overlap at the config's delta (null without a transition). */
  atDelta: SpectralPrediction | null;
  method: string;
}

export interface ThresholdsOptions {
  /** Preprocessings for the spectral section (default ["optimal", "identity"] for links on z1, else ["identity"]). */
  preprocessings?: string[];
  /**
   * Phase-1 point: a point { M, Q, a, b } (e.g. from a simulation), 'initial' (the default: the initial point
   * at large d) or 'population' (the end of phase 1 of the reduced population GD from the initial point,
   * with the config's eta, steps (as the maximum), mode, trained layers, weight decay and phase1 criterion).
   */
  phase1?: PhaseOnePoint | 'initial' | 'population';
  /** Skip delta_NN (the slowest part). */
  skipNN?: boolean;
  /** Monte Carlo draws of the Hessian law when quadrature is not possible (default 20000). */
  samples?: number;
  /** Relative tolerance of the delta_NN bisection (default 1e-4). */
  relTol?: number;
}

export interface ThresholdsReport {
  deltaAlg: number | null;
  deltaAlgError: number;
  trivialDirections: number[][];
  deltaAlgDetail: DeltaAlgResult;
  /** One entry per preprocessing T. */
  spectral: SpectralReport[];
  deltaNN: number | null;
  deltaNNDetail: (DeltaNNResult & { phase1: PhaseOnePoint; phase1Source: string; lawMethod: string; points: number }) | null;
  /** The reduced population run when opts.phase1 = 'population' (without its trajectory: see phase1Trajectory). */
  phase1Population?: Omit<PopulationPhaseOne, 'trajectory' | 'point'> & { trajectory: PopulationPhaseOne['trajectory'] };
  /** Bottom of the Hessian spectrum predicted at the config's delta (when the weights are bounded). */
  hessianAtDelta: BottomPrediction | null;
  method: { deltaAlg: string; deltaNN: string | null };
  converged: boolean;
  warnings: string[];
}

function lossOf(c: DynamicsConfig): NNLoss {
  if (c.training.loss === 'huber') return { name: 'huber', delta: c.training.huberDelta };
  if (c.training.loss === 'logcosh') return { name: 'logcosh' };
  return { name: 'square' };
}

/** delta_alg, spectral thresholds and delta_NN for a dynamics config (module comment). */
export function thresholds(config: DynamicsConfig, opts: ThresholdsOptions = {}): ThresholdsReport {
  const target = getMultiIndexTarget(config.teacher.link, config.teacher.k);
  const noise = config.teacher.noise;
  const key = rootKey(config.seed);
  const warnings: string[] = [];
  const da = deltaAlg(target, noise, { key });
  warnings.push(...da.warnings);

  const single = target.symmetry.firstCoordinateOnly && noise === 0;
  const specs = opts.preprocessings ?? (single ? ['optimal', 'identity'] : ['identity']);
  const spectral: SpectralReport[] = specs.map((spec) => {
    const pre = parsePreprocessing(spec, target);
    const law = weightLaw(target, noise, pre.T, { yKinks: pre.yKinks, tau: pre.tau, key });
    const threshold = spectralThreshold(law);
    return { preprocessing: pre.name, threshold, atDelta: threshold.transition ? spectralPrediction(law, config.delta) : null, method: law.method };
  });

  let nn: ThresholdsReport['deltaNNDetail'] = null;
  let atDelta: BottomPrediction | null = null;
  let nnMethod: string | null = null;
  let phase1Population: ThresholdsReport['phase1Population'];
  if (!opts.skipNN) {
    const act = getActivation(config.student.activation);
    let phase1: PhaseOnePoint;
    let source = 'input (phase1)';
    if (opts.phase1 === undefined || opts.phase1 === 'initial' || opts.phase1 === 'population') {
      if (config.init.a !== 'constant') {
        throw new NumericsError('thresholds', `init.a: the default phase-1 point (the initial point at large d${opts.phase1 === 'population' ? ', where the population GD starts' : ''}) needs init.a "constant" (a_j = 1/m), got "${config.init.a}"; pass the phase-1 point (M, Q, a, b) from a simulation`);
      }
      phase1 = initialPhaseOnePoint(config.width, target.k, config.init.scale);
      source = 'initial point at large d (M = 0, Q = init.scale^2 I, a = 1/m, b = 0)';
      if (opts.phase1 === 'population') {
        const t = config.training;
        const pop = populationPhaseOne(target, noise, act, lossOf(config), phase1, {
          eta: t.eta,
          mode: t.mode,
          flowSubsteps: t.flowSubsteps,
          maxSteps: Math.max(t.steps, 1),
          trainA: t.secondLayer === 'trained',
          bias: t.bias,
          weightDecay: t.weightDecay,
          plateauTolerance: config.phase1.plateauTolerance,
          gradientDrop: config.phase1.gradientDrop,
          key,
        });
        phase1 = pop.point;
        const { point: _p, ...rest } = pop;
        void _p;
        phase1Population = rest;
        source = pop.detected
          ? `population phase-1 point (reduced population GD at large d, end of phase 1 at step ${pop.step}: ${pop.criterion})`
          : `population GD at step ${pop.step} (end of phase 1 NOT detected within training.steps)`;
        if (!pop.detected) warnings.push(`phase1 "population": the end of phase 1 was not detected within training.steps = ${t.steps}; delta_NN is computed at the last step`);
      }
    } else phase1 = opts.phase1;
    const law = hessianLaw(target, noise, act, lossOf(config), phase1, { key, samples: opts.samples, weightDecay: config.training.weightDecay });
    nnMethod = law.method;
    const r = deltaNN(law, { relTol: opts.relTol ?? 1e-4 });
    nn = { ...r, phase1, phase1Source: source, lawMethod: law.method, points: law.S };
    if (!law.unbounded && law.ku > 0) atDelta = bottomPrediction(law, config.delta);
    if (law.method === 'monte-carlo') {
      warnings.push(`delta_NN from a sample average over ${law.S} draws: the threshold depends on the tail of the law of A near its extreme; compare several seeds`);
      if (r.ok) {
        const check = deltaNNSignCheck(law, r.deltaNN);
        if (!check.monotone) {
          warnings.push(
            `delta_NN ${r.deltaNN.toPrecision(6)} is not a clean sign change of the edge margin: ${check.flips.map((f) => `${f.outlier ? 'an outlier' : 'no outlier'} at delta = ${f.delta.toPrecision(4)}`).join(', ')} (the Monte Carlo law's bulk edge jumps between branch families; docs/thresholds.md): the value depends on the root finder's path, treat it as known only to within +-5%`,
          );
        }
      }
    }
  }
  // legitimate outcomes (no information, unbounded weights, nothing unlearned, no outlier up to 2^12) count as
  // converged; an outlier already at the smallest delta means the bracket failed
  const converged = nn === null || nn.ok || nn.reason !== 'outlier-everywhere';
  return {
    deltaAlg: da.deltaAlg,
    deltaAlgError: da.deltaAlgError,
    trivialDirections: da.trivialDirections,
    deltaAlgDetail: da,
    spectral,
    deltaNN: nn && nn.ok ? nn.deltaNN : null,
    deltaNNDetail: nn,
    hessianAtDelta: atDelta,
    ...(phase1Population ? { phase1Population } : {}),
    method: { deltaAlg: da.method, deltaNN: nnMethod },
    converged,
    warnings,
  };
}
