#!/usr/bin/env node
// Links node_modules/.bin/featlearn to the compiled CLI, so that `npx featlearn` in a clone finds the
// command locally. Without it, npx treats the project itself as a package to install into its cache
// and rebuilds it (a minute of tsc and node-gyp) before the first run.
import { chmodSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'dist', 'src', 'cli', 'main.js');
const binDir = join(root, 'node_modules', '.bin');
if (!existsSync(target)) {
  process.stderr.write('featlearn: dist/src/cli/main.js missing; run npm run build first\n');
  process.exit(1);
}
chmodSync(target, 0o755);
mkdirSync(binDir, { recursive: true });
const link = join(binDir, 'featlearn');
rmSync(link, { force: true });
symlinkSync(relative(binDir, target), link);
