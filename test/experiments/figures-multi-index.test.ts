/**
 * The multi-index figures (mw2026-hessian, -grokking, -dependence) and the singular-value histogram of
 * ba2022-spike: their definitions, the pieces they are built from, and how a result becomes plot rows.
 * Their quick modes run end to end in .ci/run (`reproduce <id> --quick --strict`, 20-60 s each): here only
 * the checks that are cheap or that catch a wrong setting.
 */
import { describe, expect, it } from 'vitest';
import { FIGURES, figurePlot, getFigure, nnThreshold, type FigureResult } from '../../src/experiments/figures/index.js';
import { agreementOf, within } from '../../src/experiments/figures/run-hessian.js';
import { densityHistogram } from '../../src/plot/histogram.js';
import { marchenkoPasturSingularDensity } from '../../src/theory/gaussian-equivalent/marchenko-pastur.js';
import type { DependenceFigure, GrokkingFigure, HessianFigure } from '../../src/experiments/figures/types.js';
import { resolveDynamicsConfig } from '../../src/models/dynamics-config.js';
import { provenance } from '../../src/provenance/record.js';

function integrate(f: (x: number) => number, a: number, b: number, n = 20000): number {
  // midpoint rule (the MP density has square-root edges: the error is O(n^(-3/2)))
  let s = 0;
  const h = (b - a) / n;
  for (let i = 0; i < n; i++) s += f(a + (i + 0.5) * h);
  return s * h;
}

describe('Marchenko–Pastur law of singular values (ba2022-spike histogram)', () => {
  for (const c of [0.5, 2, 4]) {
    it(`c = ${c}: a probability density on [|1 − √c|, 1 + √c] with E s² = max(c, 1)`, () => {
      const lo = Math.abs(1 - Math.sqrt(c));
      const hi = 1 + Math.sqrt(c);
      const f = (s: number) => marchenkoPasturSingularDensity(s, c);
      expect(f(lo * 0.99)).toBe(0);
      expect(f(hi * 1.01)).toBe(0);
      expect(integrate(f, lo, hi)).toBeCloseTo(1, 3);
      // E s² = tr(X X^T) / (number of nonzero singular values) for i.i.d. N(0, 1/d) entries: N d (1/d) / min(d, N)
      expect(integrate((s) => s * s * f(s), lo, hi)).toBeCloseTo(Math.max(c, 1), 3);
    });
  }

  it('densityHistogram integrates to 1 and puts every value in a bin', () => {
    const v = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 3);
    const h = densityHistogram(v, 17);
    expect(h.reduce((s, b) => s + b.y * (b.x2 - b.x), 0)).toBeCloseTo(1, 12);
    expect(h[0].x).toBe(Math.min(...v));
    expect(h[16].x2).toBeCloseTo(Math.max(...v), 12);
  });

  it('ba2022-spike shows the singular values of W1 above the BBP threshold', () => {
    const f = getFigure('ba2022-spike');
    if (f.kind !== 'curve') throw new Error('expected a curve figure');
    expect(f.histograms?.map((h) => h.matrix)).toEqual(['W1']);
  });
});

describe('multi-index figure definitions', () => {
  const hessian = getFigure('mw2026-hessian') as HessianFigure;
  const grokking = getFigure('mw2026-grokking') as GrokkingFigure;
  const dependence = getFigure('mw2026-dependence') as DependenceFigure;

  it('are registered with their own kinds and resolve at both modes', () => {
    expect([hessian.kind, grokking.kind, dependence.kind]).toEqual(['hessian', 'grokking', 'dependence']);
    for (const mode of ['quick', 'full'] as const) {
      for (const x of hessian[mode].x) expect(() => resolveDynamicsConfig({ ...hessian.base, d: hessian[mode].d, delta: x })).not.toThrow();
      for (const x of grokking[mode].x) expect(() => resolveDynamicsConfig({ ...grokking.base, d: grokking[mode].d, delta: x })).not.toThrow();
      expect(hessian[mode].seeds).toBeGreaterThanOrEqual(2);
      expect(grokking[mode].seeds).toBeGreaterThanOrEqual(2);
      // the dense Hessian is refused above 4000 parameters
      expect(hessian[mode].histogramD).toBeLessThanOrEqual(4000);
    }
    expect(hessian.quick.d).toBeLessThanOrEqual(hessian.full.d);
    expect(FIGURES.filter((f) => f.id.startsWith('mw2026')).every((f) => f.kind !== 'pending')).toBe(true);
  });

  it('mw2026-hessian: the histograms and the Lanczos deltas lie on both sides of delta_NN (24.86, docs/thresholds.md)', () => {
    // delta_NN of the validated setting (one tanh neuron, log-cosh, phase retrieval, initial point): the
    // figure must show one spectrum below and one above it; relTol 1e-2 keeps this to a few seconds
    const nn = nnThreshold(resolveDynamicsConfig({ ...hessian.base, d: 100, delta: 1 }), { relTol: 1e-2 });
    expect(nn.value).not.toBeNull();
    expect(nn.value!).toBeGreaterThan(24.86 * 0.98);
    expect(nn.value!).toBeLessThan(24.86 * 1.02);
    expect(hessian.histogramDeltas[0]).toBeLessThan(nn.value!);
    expect(hessian.histogramDeltas[1]).toBeGreaterThan(nn.value!);
    for (const mode of ['quick', 'full'] as const) {
      expect(hessian[mode].x.some((x) => x < nn.value!)).toBe(true);
      expect(hessian[mode].x.some((x) => x > nn.value!)).toBe(true);
    }
  }, 120_000);
});

describe('agreement rule with an absolute allowance', () => {
  const tol = { sems: 4, relative: 0.1, absolute: 0.05, reason: 'test' };
  it('within: |theory − mean| <= sems·sem + relative·|theory| + absolute; null when a side is missing', () => {
    expect(within(0, { mean: 0.049, sem: 0 }, tol)).toBe(true);
    expect(within(0, { mean: 0.051, sem: 0 }, tol)).toBe(false);
    expect(within(1, { mean: 1.14, sem: 0.0 }, tol)).toBe(true); // 0.1 + 0.05
    expect(within(1, { mean: 1.16, sem: 0.0 }, tol)).toBe(false);
    expect(within(1, { mean: 1.3, sem: 0.04 }, tol)).toBe(true); // 0.16 + 0.1 + 0.05
    expect(within(null, { mean: 1, sem: 0 }, tol)).toBeNull();
  });

  it('agreementOf: largest |deviation|, the points outside, missing sides fail', () => {
    const base = { model: 'lanczos' as const, quantity: 'q', config: resolveDynamicsConfig({ d: 10, delta: 2 }), warnings: [] };
    const pts = [
      { ...base, panel: 'a', series: 's', x: 1, theory: 1, simulation: { mean: 1.1, sem: 0.05, n: 3 }, deviation: -2, withinTolerance: true },
      { ...base, panel: 'a', series: 's', x: 2, theory: 1, simulation: { mean: 2, sem: 0.1, n: 3 }, deviation: -10, withinTolerance: false },
    ];
    const a = agreementOf(pts, tol);
    expect(a.maxAbsDeviation).toBe(10);
    expect(a.at).toMatch(/x = 2/);
    expect(a.outside).toHaveLength(1);
    expect(a.pass).toBe(false);
    expect(agreementOf([{ ...pts[0], theory: null, withinTolerance: null }], tol).pass).toBe(false);
    expect(agreementOf([pts[0]], tol).pass).toBe(true);
  });
});

describe('plot rows of the new figure kinds', () => {
  it('histogram lines become bars with their right edges, horizontal thresholds rules, marked lines points', () => {
    const def = getFigure('mw2026-dependence') as DependenceFigure;
    const r: FigureResult = {
      id: def.id,
      title: def.title,
      paper: def.paper,
      caption: def.caption,
      mode: 'quick',
      d: 0,
      seeds: 0,
      points: [],
      lines: [
        { panel: 'dependence', series: 'tanh', method: 'theory', horizontal: false, points: [{ x: 1, y: 24.9 }, { x: 2, y: null }], failures: [{ x: 2, reason: 'no-outlier' }], markers: true },
        { panel: 'dependence', series: 'δ_alg', method: 'threshold', horizontal: true, points: [{ x: null, y: 0.5 }], failures: [] },
        { panel: 'dependence', series: 'bars', method: 'histogram', horizontal: false, points: [{ x: 0, x2: 1, y: 0.3 }], failures: [] },
      ],
      agreement: { tolerance: { sems: 0, relative: 0, reason: '' }, maxAbsDeviation: null, at: null, outside: [], missing: [], pass: true, applicable: false },
      seconds: 0,
      provenance: provenance(),
    };
    const rows = figurePlot(def, r).rows;
    expect(rows.filter((x) => x.series === 'tanh').map((x) => x.mark).sort()).toEqual(['line', 'point']); // the null point is left out
    expect(rows.find((x) => x.series === 'δ_alg')).toMatchObject({ mark: 'hrule', y: 0.5 });
    expect(rows.find((x) => x.series === 'bars')).toMatchObject({ mark: 'bar', x: 0, x2: 1, y: 0.3 });
  });
});
