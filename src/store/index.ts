/**
 * The results store of `featlearn sweep` (docs/sweeps.md): an SQLite file with one row per finished
 * point. Reading API (used by `featlearn export` and `featlearn plot`):
 *   const store = openStore('runs.sqlite', { readonly: true });
 *   const rows = store.points({ status: 'ok' }).map(flattenPoint);   // dotted config keys + result fields
 *   store.close();
 */
export { openStore, POINT_COMMANDS } from './store.js';
export type { OpenStoreOptions, PointCommand, PointFilter, PointStatus, Store, StoredPoint } from './store.js';
export { flattenPoint, columnsOf, numericCell, pointsToCsv, META_COLUMNS } from './flatten.js';
export type { Cell, FlatRow } from './flatten.js';
export { mergeStores, pointConflict, resultDifference } from './merge.js';
export type { MergeConflict, MergeOptions, MergeReport } from './merge.js';
export { canonicalJson, canonicalHash } from './canonical.js';
export { STORE_SCHEMA_VERSION } from './schema.js';
