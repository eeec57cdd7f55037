/**
 * The figure registry and runner. Registry: every id of the spec sections "Figures featlearn
 * reproduces" is registered and runnable, each curve figure resolves (every series config validates) and
 * its quick mode is small (the multi-index kinds: test/experiments/figures-multi-index.test.ts). Runner helpers: mergeConfig, theoryGrid.
 * End to end (representative: the README's first command): cui2024-learning-curve --quick through the
 * CLI, theory and simulation within the figure's stated tolerance, and the five files exist and parse.
 * The other figures' quick modes run in .ci/run (`reproduce <id> --quick --strict`): each takes
 * 20-60 s on this 2-core machine, too slow for the unit suite.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIGURES, getFigure, mergeConfig, runFigure, simulatedPointCount, theoryGrid, type FigureResult } from '../../src/experiments/figures/index.js';
import type { DynamicsFigure } from '../../src/experiments/figures/types.js';
import { resolveDynamicsConfig } from '../../src/models/dynamics-config.js';
import { resolveExperimentConfig } from '../../src/models/experiment-config.js';
import { checkSvg, unescapeXml } from '../plot/svg.js';
import { darkFraction, decodePng } from '../plot/png.js';
import { capture } from '../cli/capture.js';

// the ids of one-step.md section 5, srf.md section 6, multi-index.md section 6
const SPEC_IDS = ['ba2022-spike', 'ba2022-small-step', 'ba2022-large-step', 'cui2024-learning-curve', 'cui2024-eta-sweep', 'cui2024-alpha0', 'mw2026-overlap', 'mw2026-hessian', 'mw2026-grokking', 'mw2026-dependence'];

describe('figure registry', () => {
  it('registers every figure of the spec, each id once', () => {
    expect(FIGURES.map((f) => f.id).sort()).toEqual([...SPEC_IDS].sort());
  });

  it('every curve figure resolves: each series config validates at both modes, quick is smaller than full', () => {
    for (const f of FIGURES) {
      if (f.kind !== 'curve') continue;
      for (const mode of ['quick', 'full'] as const) {
        // (dynamics figures: see the mw2026-overlap test below)
        for (const p of f.panels) {
          for (const s of p.series) expect(() => resolveExperimentConfig(mergeConfig(p.base, s.config, { d: f[mode].d }))).not.toThrow();
          expect(p.xRange[0]).toBeLessThan(p.xRange[1]);
        }
        expect(f[mode].seeds).toBeGreaterThanOrEqual(2); // standard errors need two seeds
        expect(simulatedPointCount(f, mode)).toBeGreaterThan(0);
      }
      expect(f.quick.d).toBeLessThan(f.full.d);
      expect(simulatedPointCount(f, 'quick')).toBeLessThanOrEqual(simulatedPointCount(f, 'full'));
      expect(f.tolerance.quick.reason.length).toBeGreaterThan(20);
    }
  });

  it('no figure of the spec is pending any more: every id runs', () => {
    expect(FIGURES.filter((f) => f.kind === 'pending').map((f) => f.id)).toEqual([]);
  });

  it('an unknown id is refused with the list of ids', async () => {
    expect(() => getFigure('cui2024-learning')).toThrow(/figure id: expected one of .*"cui2024-learning-curve".*got "cui2024-learning"/);
    const r = await capture(['reproduce', 'nope']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/got "nope"/);
    expect((await capture(['reproduce', 'cui2024-alpha0', '--seeds', '1'])).code).not.toBe(0);
  });

  it('--list prints one line per figure', async () => {
    const r = await capture(['reproduce', '--list']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(FIGURES.length);
    for (const id of SPEC_IDS) expect(lines.some((l) => l.startsWith(`${id} `))).toBe(true);
  });
});

describe('dynamics figures (mw2026-*)', () => {
  it('every registered dynamics figure resolves at both modes', () => {
    for (const f of FIGURES) {
      if (f.kind !== 'dynamics') continue;
      for (const mode of ['quick', 'full'] as const) {
        for (const p of f.panels) for (const s of p.series) for (const x of f[mode].x) expect(() => resolveDynamicsConfig({ ...(mergeConfig(p.base, s.config) as object), d: f[mode].d, [p.sweep]: x })).not.toThrow();
      }
    }
  });

  it('runs through the one runner: delta_alg = 1/2 for phase retrieval, no overlap below it, recovery far above it', async () => {
    // a small copy of mw2026-overlap (m = 1, d = 40): delta_alg = 1/2 for noiseless phase retrieval
    // (Mondelli & Montanari 2018, Theorem 1), so at delta = 0.3 no estimator has a non-trivial overlap;
    // at delta = 12 gradient descent recovers Theta* (docs/dynamics.md, test/simulate/dynamics-cli.test.ts).
    const reg = getFigure('mw2026-overlap') as DynamicsFigure;
    const tiny: DynamicsFigure = { ...reg, panels: [{ ...reg.panels[0], series: [reg.panels[0].series[0]], thresholds: ['deltaAlg'] }], quick: { d: 40, seeds: 2, x: [0.3, 12] } };
    const r = await runFigure(tiny, { mode: 'quick' });
    expect(r.lines.find((l) => l.series === 'δ_alg')!.points[0].x).toBeCloseTo(0.5, 3);
    const at = (x: number) => r.points.find((p) => p.x === x)!.simulation!.mean;
    expect(at(12)).toBeGreaterThan(0.95);
    expect(at(0.3)).toBeLessThan(0.5);
    expect(r.agreement.applicable).toBe(false);
  }, 120_000);
});

describe('runner helpers', () => {
  it('mergeConfig merges nested objects, later parts win, arrays and scalars replace', () => {
    expect(mergeConfig({ d: 10, step: { eta: 1, scaling: 'sqrtN' } }, { step: { eta: 2 } }, { ridge: { lambda: 0.1 } })).toEqual({ d: 10, step: { eta: 2, scaling: 'sqrtN' }, ridge: { lambda: 0.1 } });
  });

  it('theoryGrid: endpoints, even (or geometric) spacing, extra points merged, sorted, unique', () => {
    expect(theoryGrid(0, 1, 5, false, [0.5, 0.3])).toEqual([0, 0.25, 0.3, 0.5, 0.75, 1]);
    const g = theoryGrid(0.1, 10, 3, true, []);
    expect(g[0]).toBeCloseTo(0.1, 12);
    expect(g[1]).toBeCloseTo(1, 12);
    expect(g[2]).toBeCloseTo(10, 12);
  });
});

describe('featlearn reproduce cui2024-learning-curve --quick (the README first command)', () => {
  it('agrees within the stated tolerance and writes results.json, results.csv, figure.svg, figure.png, report.md', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'featlearn-fig-')), 'lc');
    const r = await capture(['reproduce', 'cui2024-learning-curve', '--quick', '--out', dir, '--strict']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/agreement: PASS/);
    for (const f of ['results.json', 'results.csv', 'figure.svg', 'figure.png', 'report.md']) expect(existsSync(join(dir, f))).toBe(true);

    const res = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as FigureResult;
    const def = getFigure('cui2024-learning-curve');
    if (def.kind !== 'curve') throw new Error('expected a curve figure');
    // network and sRF model at every quick x
    expect(res.points).toHaveLength(2 * def.quick.x.length);
    const tol = def.tolerance.quick;
    for (const p of res.points) {
      expect(p.simulation!.n).toBe(def.quick.seeds);
      // the rule, re-checked here from the stored numbers
      expect(Math.abs(p.theory! - p.simulation!.mean)).toBeLessThanOrEqual(tol.sems * p.simulation!.sem! + tol.relative * Math.abs(p.theory!));
      expect(p.deviation).toBeCloseTo((p.theory! - p.simulation!.mean) / p.simulation!.sem!, 10);
    }
    // the step helps: the network beats the random-features theory at every simulated alpha (srf.md section 6)
    const rf = res.lines.find((l) => l.method === 'randomFeatures')!;
    for (const p of res.points.filter((q) => q.model === 'network')) {
      const y = rf.points.find((q) => q.x === p.x)!.y!;
      expect(p.simulation!.mean).toBeLessThan(y);
    }
    expect(res.agreement.pass).toBe(true);
    const maxDev = Math.max(...res.points.map((p) => Math.abs(p.deviation!)));
    expect(res.agreement.maxAbsDeviation).toBeCloseTo(maxDev, 12);

    const csv = readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(res.points.length + 1);
    const header = csv[0].split(',');
    expect(header.slice(0, 6)).toEqual(['panel', 'series', 'model', 'x', 'quantity', 'theory']);
    const iMean = header.indexOf('mean');
    const iAlpha = header.indexOf('config.alpha');
    csv.slice(1).forEach((line, i) => {
      const cells = line.split(',');
      expect(Number(cells[iMean])).toBeCloseTo(res.points[i].simulation!.mean, 12);
      expect(Number(cells[iAlpha])).toBeCloseTo(res.points[i].x, 12);
    });

    const svg = readFileSync(join(dir, 'figure.svg'), 'utf8');
    const texts = checkSvg(svg).texts.map(unescapeXml);
    expect(texts).toContain('α = n/d');
    expect(texts).toContain('test error (population risk)');
    expect(texts).toContain('random features (eta = 0)');
    const png = decodePng(readFileSync(join(dir, 'figure.png')));
    expect(png.width).toBeGreaterThan(600);
    expect(darkFraction(png, 0, 0, png.width, 80)).toBeGreaterThan(0.02); // the title's glyphs

    const report = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(report).toMatch(/largest deviation: \d+\.\d\d standard errors/);
    expect(report).toMatch(/seconds spent: \d/);
    expect(report).toMatch(/PASS/);
  }, 240_000);
});
