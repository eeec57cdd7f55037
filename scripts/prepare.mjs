#!/usr/bin/env node
// `npm ci` / `npm install` lifecycle: compile dist/ with tsc when a source is newer than the last build,
// build the explorer (dist/web) the same way, then link node_modules/.bin/featlearn. Skipping an
// up-to-date build matters because `npx featlearn` in a clone re-runs the project's own lifecycle
// scripts before every first use of its npx cache.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'dist', '.built-at');

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((t, name) => Math.max(t, newest(join(path, name))), 0);
}

const sources = ['src', 'bench', 'tsconfig.json', 'package.json'].map((p) => newest(join(root, p)));
const builtAt = existsSync(marker) ? statSync(marker).mtimeMs : 0;
if (process.argv.includes('--force') || Math.max(...sources) > builtAt) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const res = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
  writeFileSync(marker, `${new Date().toISOString()}\n`);
}
// the browser explorer (web/, Vite) -> dist/web, when web/ or src/ is newer than its last build; skipped
// (one line) when Vite is not installed (an install without devDependencies): `featlearn serve` then says
// how to build it
const webMarker = join(root, 'dist', 'web', '.built-at');
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const webSources = ['web', 'src', 'package.json'].map((p) => newest(join(root, p)));
const webBuiltAt = existsSync(webMarker) ? statSync(webMarker).mtimeMs : 0;
if (existsSync(join(root, 'web', 'index.html')) && (process.argv.includes('--force') || Math.max(...webSources) > webBuiltAt)) {
  if (!existsSync(vite)) {
    console.warn('featlearn: vite is not installed; skipping the explorer build (dist/web). Run `npm run build:web` after `npm install`.');
  } else {
    const res = spawnSync(process.execPath, [vite, 'build', '--config', join(root, 'web', 'vite.config.ts')], { stdio: 'inherit' });
    if (res.status !== 0) process.exit(res.status ?? 1);
    writeFileSync(webMarker, `${new Date().toISOString()}\n`);
  }
}
const link = spawnSync(process.execPath, [join(root, 'scripts', 'link-bin.mjs')], { stdio: 'inherit' });
process.exit(link.status ?? 1);
