/**
 * featlearn's simulation engine (issue 3; one-step.md section 1, srf.md section 1): the public surface.
 *
 * The experiment, as one call:
 *   const result = await simulate({ d: 1000, alpha0: 0.5, step: { eta: 1 } }, { seeds: 4 });
 *   result.summary.risk   // { mean, std, sem, n }
 * and its building blocks, each usable alone (all draws from explicit keys, src/random):
 *   data model      drawSingleIndexTeacher, drawGaussianInputs, fillGaussianInputs, teacherLabels
 *   initialisation  drawW0, drawA0
 *   gradient step   negativeGradient (the full G), stepLoss, runSteps, effectiveEta
 *   sRF model       drawSpikeDirection, srfWeights (with srfMap of src/models/srf-map.ts)
 *   readout         fitRidge (primal/dual, lambda = 0, intercept, both normalisations), lambdaSum
 *   risk            exactRisk (Gaussian integrals), monteCarloRisk (fresh test set, chunked)
 *   baselines       linearBaseline, linearPredictorRisk, linkMoments
 *   anatomy         stepAnatomy
 *   bookkeeping     estimateMemory, checkMemory, summarize, SimulationError
 * JSON names of the result: docs/simulate.md.
 */
export { simulate, runSeed, memoryShape, chooseWorkers } from './run.js';
export type {
  Alignment,
  Baselines,
  ProgressEvent,
  ReadoutResult,
  RunOptions,
  RunResult,
  SimulateOptions,
  SimulationResult,
  Spectrum,
} from './run.js';
export { drawSingleIndexTeacher, drawGaussianInputs, fillGaussianInputs, teacherLabels } from '../models/teacher.js';
export type { Labels, SingleIndexTeacher } from '../models/teacher.js';
export { drawA0, drawW0 } from '../models/init.js';
export type { AInit, WInit } from '../models/init.js';
export { effectiveEta, negativeGradient, runSteps, spikeVector, stepLoss } from './protocol.js';
export type { FirstStep, NegativeGradient, StepOptions, StepScaling, StepsInput, StepsResult } from './protocol.js';
export { drawSpikeDirection, srfWeights } from './srf-features.js';
export type { NeuronMap } from './srf-features.js';
export { columnMeans, fitRidge, lambdaSum, solveSpd } from './ridge.js';
export type { RidgeFit, RidgeNormalization, RidgeOptions } from './ridge.js';
export { exactRisk } from './exact-risk.js';
export type { ExactRiskResult, ReadoutPredictor, SingleIndexTarget } from './exact-risk.js';
export { defaultChunkRows, monteCarloRisk } from './risk-mc.js';
export type { MonteCarloRisk, Predictor } from './risk-mc.js';
export { linearBaseline, linearLambdaGrid, linearPredictorRisk, linkMoments } from './baselines.js';
export type { LinearBaseline, LinearRidgePoint, LinkMoments } from './baselines.js';
export { stepAnatomy } from './anatomy.js';
export type { SpectrumSummary, StepAnatomy, StepAnatomyInput } from './anatomy.js';
export { applyActivation, featureMatrix, readout } from './features.js';
export { checkMemory, estimateMemory, formatBytes } from './memory.js';
export type { MemoryEstimate, MemoryShape } from './memory.js';
export { stats, summarize } from './summary.js';
export type { Stats, SummaryTree } from './summary.js';
export { SimulationError, assertFinite } from './errors.js';
export type { SimulationErrorKind } from './errors.js';
