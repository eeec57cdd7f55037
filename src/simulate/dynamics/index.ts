/**
 * GD on multi-index targets (docs/dynamics.md): the public surface of the dynamics engine.
 */
export { runDynamics, runDynamicsFrom, setupDynamics, hessianSpectrum, logSpacedSteps, PHASE1_MIN_STEPS } from './run.js';
export type { DynamicsResult, DynamicsRunOptions, DynamicsSetup, TrajectoryPoint, HessianRecord, SpectrumEnd, EigenOverlap, Phase1End, EscapeRecord } from './run.js';
export { runDynamicsSeeds, outcome, type DynamicsSeedsResult, type DynamicsOutcome } from './seeds.js';
export {
  DENSE_HESSIAN_MAX_PARAMETERS,
  DynamicsError,
  denseHessian,
  hessianPoint,
  hessianVectorProduct,
  lossAndGradient,
  makeLoss,
  parameterCount,
  unpack,
  type HessianPoint,
  type Loss,
  type NetworkProblem,
  type PointCache,
} from './network.js';
export { drawThetaStar, multiIndexLabels, orthonormalizeRows, type MultiIndexLabels } from './teacher.js';
export { overlapAndGram, principalCosines, projectionInLatent, splitLearned, subspaceCosine, vectorOverlap } from './observables.js';
export { monteCarloRule, populationRisk, quadratureRule, type LatentRule, type RiskEstimate } from './population-risk.js';
