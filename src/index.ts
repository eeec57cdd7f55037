/**
 * featlearn's library surface. The commonest entry points are exported by name; each layer is also
 * available as a namespace (STYLE.md: a small curated surface over private modules).
 *
 *   import { resolveExperimentConfig, simulate, theory, compare } from 'featlearn';
 *   const config = resolveExperimentConfig({ d: 500, alpha: 1.5, step: { eta: 1 } });
 *   const sim = await simulate(config, { seeds: 3 });
 *   const th = theory(config);
 *
 * Namespaces: linalg, random, numerics, activations, simulation (the one-step engine and its building
 * blocks), theoryEngine (every theory function), multiIndex (thresholds), plot (browser-safe specs),
 * store and sweep (results store, sweeps).
 */
export { resolveExperimentConfig, experimentConfigSchema, type ExperimentConfig, type ExperimentConfigInput } from './models/experiment-config.js';
export { ConfigError, parseWith } from './config/validate.js';
export { applyOverrides } from './config/overrides.js';
export { getActivation, registerActivation } from './activations/index.js';
export { rootKey, foldIn, splitKeys, type Key } from './random/index.js';
export { getBackend, type Matrix, type LinalgBackend } from './linalg/index.js';
export { simulate } from './simulate/run.js';
export { theory, theoryCurve, selectMethod, type TheoryPoint } from './theory/index.js';
export { compare } from './experiments/compare.js';
export { provenance, type Provenance } from './provenance/record.js';
export { featlearnVersion } from './provenance/version.js';

export * as linalg from './linalg/index.js';
export * as random from './random/index.js';
export * as numerics from './numerics/index.js';
export * as activations from './activations/index.js';
export * as simulation from './simulate/index.js';
export * as theoryEngine from './theory/index.js';
export * as multiIndex from './theory/multi-index/index.js';
export * as plot from './plot/index.js';
export * as store from './store/index.js';
export * as sweep from './sweep/index.js';
