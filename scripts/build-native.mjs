#!/usr/bin/env node
// Builds the optional OpenBLAS/LAPACKE addon in native/ with node-gyp.
// The addon is optional: when the build fails (no compiler, no OpenBLAS), installation still
// succeeds and featlearn uses its portable TypeScript backend. `--strict` makes a failure fatal.
// FEATLEARN_SKIP_NATIVE=1 skips the build altogether.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const strict = process.argv.includes('--strict');
const nativeDir = join(root, 'native');

function warn(msg) {
  process.stderr.write(`featlearn: native addon not built (${msg}); the portable backend will be used. See README "Prerequisites".\n`);
}

if (process.env.FEATLEARN_SKIP_NATIVE === '1' && !strict) {
  warn('FEATLEARN_SKIP_NATIVE=1');
  process.exit(0);
}
if (!existsSync(join(nativeDir, 'binding.gyp'))) {
  warn('native/binding.gyp missing');
  process.exit(strict ? 1 : 0);
}
// Up to date (e.g. `npx featlearn` re-running the lifecycle scripts): nothing to do.
const addon = join(nativeDir, 'build', 'Release', 'featlearn_native.node');
const newestSource = Math.max(statSync(join(nativeDir, 'binding.gyp')).mtimeMs, ...readdirSync(join(nativeDir, 'src')).map((f) => statSync(join(nativeDir, 'src', f)).mtimeMs));
if (!process.argv.includes('--force') && existsSync(addon) && statSync(addon).mtimeMs >= newestSource) {
  process.stdout.write('featlearn: native addon up to date\n');
  process.exit(0);
}
const pkgConfig = spawnSync('pkg-config', ['--exists', 'openblas'], { stdio: 'ignore' });
if (process.platform !== 'darwin' && pkgConfig.status !== 0) {
  warn('pkg-config cannot find openblas: install libopenblas-dev liblapacke-dev');
  process.exit(strict ? 1 : 0);
}
// npm puts its bundled node-gyp on PATH for lifecycle scripts; outside npm, fall back to npx.
const gyp = process.env.npm_config_node_gyp
  ? [process.execPath, [process.env.npm_config_node_gyp, 'rebuild']]
  : ['npx', ['--yes', 'node-gyp', 'rebuild']];
const res = spawnSync(gyp[0], gyp[1], { cwd: nativeDir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (res.status !== 0) {
  if (strict) {
    process.stderr.write(res.stdout ?? '');
    process.stderr.write(res.stderr ?? '');
    process.exit(1);
  }
  const lastError = (res.stderr ?? '').split('\n').filter((l) => /error/i.test(l)).slice(0, 3).join(' | ');
  warn(`node-gyp failed: ${lastError || 'see npm run build:native'}`);
  process.exit(0);
}
process.stdout.write('featlearn: native addon built (OpenBLAS backend available)\n');
