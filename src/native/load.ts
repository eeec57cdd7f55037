/**
 * Loads the optional native addon (native/build/Release/featlearn_native.node) once.
 * Never throws: returns the addon or the reason it could not be loaded, for `featlearn doctor`.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type NativeLoad = { ok: true; addon: NativeAddon; path: string } | { ok: false; reason: string };

/** The raw addon: functions are typed where they are wrapped (src/linalg/native-backend.ts, src/random). */
export type NativeAddon = Record<string, (...args: never[]) => unknown>;

let cached: NativeLoad | undefined;

/** The package root: the nearest ancestor of this module holding package.json named featlearn. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'native'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('featlearn: cannot locate the package root (package.json beside native/)');
    dir = parent;
  }
}

export function loadNative(): NativeLoad {
  if (cached) return cached;
  cached = tryLoad();
  return cached;
}

function tryLoad(): NativeLoad {
  let path: string;
  try {
    path = join(packageRoot(), 'native', 'build', 'Release', 'featlearn_native.node');
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  if (!existsSync(path)) {
    return { ok: false, reason: `addon not built (${path} missing): install libopenblas-dev liblapacke-dev, then npm run build:native` };
  }
  try {
    const require = createRequire(import.meta.url);
    return { ok: true, addon: require(path) as NativeAddon, path };
  } catch (e) {
    return { ok: false, reason: `addon failed to load: ${(e as Error).message}` };
  }
}
