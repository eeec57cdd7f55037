/**
 * The explorer bundles the theory engine for the page (issue 7): every module reachable from the page's
 * entry points must be free of Node-only imports (node:*, the native addon loader, better-sqlite3,
 * worker_threads). Vite would otherwise replace them by empty stubs and only warn. This walks the static
 * and dynamic relative imports from web/src's entry points and lists every Node-only specifier reached.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const NODE_ONLY = /^(node:|fs$|path$|os$|url$|module$|child_process$|worker_threads$|better-sqlite3$|@resvg\/)/;
const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]|new URL\(\s*['"]([^'"]+\.ts)['"]/g;

function resolveModule(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, resolve(base, 'index.ts')]) {
    if (existsSync(candidate) && /\.(ts|js|mjs)$/.test(candidate)) return candidate;
  }
  return null;
}

/** Node-only specifiers reached from `entries`, as "specifier <- file" (empty when browser-safe). */
function nodeOnlyImports(entries: string[]): { offending: string[]; files: number } {
  const seen = new Set<string>();
  const offending: string[] = [];
  const stack = [...entries];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const src = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const m of src.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
      if (spec.startsWith('.') && /\.(css|svg|png|json)$/.test(spec)) continue; // assets, bundled by Vite
      if (spec.startsWith('.')) {
        const target = resolveModule(file, spec);
        if (target === null) offending.push(`unresolved ${spec} <- ${relative(root, file)}`);
        else stack.push(target);
      } else if (NODE_ONLY.test(spec)) offending.push(`${spec} <- ${relative(root, file)}`);
    }
  }
  return { offending, files: seen.size };
}

describe('the explorer page imports no Node-only module', () => {
  it('from web/src/main.ts and the multi-index worker, through src/theory, src/plot, src/models, src/random', () => {
    const { offending, files } = nodeOnlyImports([resolve(root, 'web/src/main.ts'), resolve(root, 'web/src/multi-index-worker.ts')]);
    expect(offending).toEqual([]);
    expect(files).toBeGreaterThan(50); // the walk really followed the theory engine
  });

  it('the walker does flag a Node-only chain (src/random/index.ts reaches the native addon loader)', () => {
    const { offending } = nodeOnlyImports([resolve(root, 'src/random/index.ts')]);
    expect(offending.some((o) => o.startsWith('node:') && o.includes('src/native/load.ts'))).toBe(true);
  });
});
