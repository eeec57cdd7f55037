/**
 * featlearn's random numbers: counter-based, splittable keys (JAX style) on Philox4x32-10.
 *
 * - `rootKey(seed)` makes a key; `foldIn(key, label)` / `splitKeys(key, labels)` derive one key per
 *   component (init of W, init of a, each batch, the test set, each repetition), so each draws from its
 *   own stream and changing one size never changes another component's draws.
 * - Fills (`fillNormal`, `fillUniform`, `fillRademacher`, `normalMatrix`) take a key and an output and
 *   put stream position offset + t in element t: chunked or threaded fills equal one big fill, and the
 *   native (multi-threaded C++) and portable (TypeScript) backends are bit-identical, float64 and float32.
 * - Normals: 256-layer ziggurat (Marsaglia & Tsang 2000, Doornik 2005 layout). Uniforms: 53 random bits.
 * - `uniformInt`, `permutation` (Fisher–Yates) for minibatches.
 *
 * Gotcha: never reuse a key for two purposes; derive a child key per purpose with foldIn.
 */
export { rootKey, foldIn, splitKeys, keyData, wrapKey } from './key.js';
export type { Key, Label } from './key.js';
export { fillNormal, fillUniform, fillRademacher, normalMatrix } from './fill.js';
export type { FillOptions, NormalOptions, UniformOptions, NormalMatrixOptions } from './fill.js';
export type { RandomImpl } from './native.js';
export { uniformInt, permutation } from './ints.js';
