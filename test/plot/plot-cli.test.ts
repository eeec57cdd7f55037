/**
 * `featlearn plot` on a results store written with the store API (src/store): markers per (colour, x)
 * over seeds, --theory evaluated at the distinct stored configs when the store has no theory points,
 * SVG and PNG outputs, and bad input (unknown column, bad extension) refused naming the flag.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveExperimentConfig } from '../../src/models/experiment-config.js';
import { openStore, type StoredPoint } from '../../src/store/index.js';
import { checkSvg, unescapeXml } from './svg.js';
import { decodePng } from './png.js';
import { capture } from '../cli/capture.js';

function makeStore(): string {
  const dir = mkdtempSync(join(tmpdir(), 'featlearn-plot-'));
  const path = join(dir, 'runs.sqlite');
  const store = openStore(path);
  let i = 0;
  for (const eta of [0.5, 1]) {
    for (const alpha of [0.5, 1, 2]) {
      for (const seed of [0, 1, 2]) {
        const config = resolveExperimentConfig({ d: 100, alpha, step: { eta }, seed });
        const p: StoredPoint = {
          key: `k${i}`,
          command: 'simulate',
          sweep: 'test',
          index: i++,
          params: { alpha, 'step.eta': eta },
          config: config as unknown as Record<string, unknown>,
          seed,
          status: 'ok',
          reason: null,
          result: { risk: 0.1 * alpha + eta + 0.01 * seed, testMSE: 0 },
          featlearn: '0.0.0',
          gitCommit: null,
          backend: 'portable',
          threads: 1,
          hostname: 'test',
          seconds: 0,
          startedAt: new Date(0).toISOString(),
          createdAt: new Date(0).toISOString(),
        };
        store.insert(p);
      }
    }
  }
  store.close();
  return path;
}

describe('featlearn plot', () => {
  it('writes an SVG with the axis columns and one legend entry per colour value; --theory at the 6 distinct configs', async () => {
    const path = makeStore();
    const out = join(path, '..', 'fig.svg');
    const r = await capture(['plot', path, '--x', 'alpha', '--y', 'risk', '--color', 'step.eta', '--theory', '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/18 stored points, 6 theory points/);
    const texts = checkSvg(readFileSync(out, 'utf8')).texts.map(unescapeXml);
    for (const t of ['alpha', 'risk', 'step.eta = 0.5', 'step.eta = 1']) expect(texts).toContain(t);
  });

  it('writes a PNG', async () => {
    const path = makeStore();
    const out = join(path, '..', 'fig.png');
    expect((await capture(['plot', path, '--x', 'alpha', '--y', 'risk', '--out', out])).code).toBe(0);
    expect(decodePng(readFileSync(out)).width).toBeGreaterThan(300);
  });

  it('refuses unknown columns and output types, naming the flag', async () => {
    const path = makeStore();
    const bad = await capture(['plot', path, '--x', 'alpha', '--y', 'riks', '--out', join(path, '..', 'f.svg')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--y: column "riks" is not in the rows/);
    const ext = await capture(['plot', path, '--x', 'alpha', '--y', 'risk', '--out', join(path, '..', 'f.pdf')]);
    expect(ext.code).toBe(2);
    expect(ext.err).toMatch(/--out: expected a file ending in \.svg or \.png, got ".*f\.pdf"/);
  });
});
