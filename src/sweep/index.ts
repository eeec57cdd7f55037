/**
 * Sweeps (docs/sweeps.md): a sweep file (schema.ts) expands to points keyed by a hash of the resolved
 * config, seed and command (expand.ts, key.ts); the runner (runner.ts) runs those the store lacks, in
 * this thread or in worker threads, and commits each at once; shards (shard.ts) split the points for
 * several machines (Slurm arrays), and `mergeStores` (src/store) joins their stores.
 */
export { expandSweep, loadSweep, resolveFor, setDotted } from './expand.js';
export type { SweepPlan, SweepPoint } from './expand.js';
export { pointKey } from './key.js';
export { parseShard, selectShard, shardFromSlurm } from './shard.js';
export type { Shard } from './shard.js';
export { runSweep, sweepWorkerScript } from './runner.js';
export type { PointEvent, SweepRunOptions, SweepRunReport } from './runner.js';
export { computePoint, runPoint } from './point.js';
export type { PointOutcome } from './point.js';
export { sweepFileSchema, axisValues, SWEEP_COMMANDS } from './schema.js';
export type { SweepCommand, SweepFile } from './schema.js';
export { rangeValues } from './values.js';
export type { Range } from './values.js';
