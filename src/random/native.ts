/**
 * The addon's random functions (native/src/random.cc) and how fills pick a backend. Both backends give
 * bit-identical results, so the choice only changes speed: the native fills are multi-threaded
 * (parallel_for over chunks; counter-based streams make the output independent of the split).
 */
import type { FloatArray } from '../linalg/matrix.js';
import { loadNative } from '../native/load.js';
import { chooseBackend } from '../native/select.js';

export interface NativeRandomAddon {
  randomFillNormal(k0: number, k1: number, out: FloatArray, offset: number, mean: number, std: number, minChunk?: number): void;
  randomFillUniform(k0: number, k1: number, out: FloatArray, offset: number, low: number, high: number, minChunk?: number): void;
  randomFillRademacher(k0: number, k1: number, out: FloatArray, offset: number, scale: number, minChunk?: number): void;
  randomPhilox(k0: number, k1: number, c0: number, c1: number, c2: number, c3: number): Uint32Array;
  randomPhiloxLanes(k0: number, k1: number, j0: number, c2: number, c3: number): Uint32Array;
  randomDetExp(x: Float64Array, out: Float64Array): void;
  randomDetLog(u: Float64Array, out: Float64Array): void;
  randomZigguratTables(): { X: Float64Array; F: Float64Array; K: Float64Array; R: number; INV_R: number };
}

const FUNCTIONS = [
  'randomFillNormal', 'randomFillUniform', 'randomFillRademacher', 'randomPhilox', 'randomPhiloxLanes',
  'randomDetExp', 'randomDetLog', 'randomZigguratTables',
] as const;

/** The addon's random functions, or the reason they are unavailable (never throws). */
export function loadNativeRandom(): { ok: true; addon: NativeRandomAddon } | { ok: false; reason: string } {
  const load = loadNative();
  if (!load.ok) return { ok: false, reason: load.reason };
  const missing = FUNCTIONS.filter((f) => typeof load.addon[f] !== 'function');
  if (missing.length > 0) return { ok: false, reason: `the addon at ${load.path} lacks ${missing.join(', ')}: rebuild it with npm run build:native` };
  return { ok: true, addon: load.addon as unknown as NativeRandomAddon };
}

/** Which implementation a fill uses: 'js' (portable TypeScript) or 'native' (the addon). */
export type RandomImpl = 'js' | 'native';

/** Below this length a fill runs in TypeScript (same result; saves the call into the addon). */
const NATIVE_MIN_LENGTH = 64;

/**
 * The addon to fill `length` elements with, or null for the TypeScript path. `impl` forces one (tests,
 * benchmarks); otherwise native when chooseBackend() says native (FEATLEARN_BACKEND honoured).
 */
export function randomAddonFor(impl: RandomImpl | undefined, length: number): NativeRandomAddon | null {
  if (impl === 'js') return null;
  if (impl === 'native') {
    const r = loadNativeRandom();
    if (!r.ok) throw new Error(`impl: "native" requested but the native random functions are unavailable: ${r.reason}`);
    return r.addon;
  }
  if (impl !== undefined) throw new RangeError(`impl: expected "js" or "native", got ${JSON.stringify(impl)}`);
  if (length < NATIVE_MIN_LENGTH || chooseBackend().name !== 'native') return null;
  const r = loadNativeRandom();
  return r.ok ? r.addon : null;
}
