/**
 * rowsPlot (featlearn plot's data step): markers are the mean ± standard error over rows with the same
 * colour value and x (values checked by hand: mean of 1, 2, 3 is 2, sd 1, sem 1/sqrt 3), theory rows
 * become lines sorted by x, and a missing column is named with the flag and the available columns.
 */
import { describe, expect, it } from 'vitest';
import { rowsPlot } from '../../src/plot/from-rows.js';

const sim = [
  { alpha: 1, risk: 1, 'step.eta': 0.5, seed: 0 },
  { alpha: 1, risk: 2, 'step.eta': 0.5, seed: 1 },
  { alpha: 1, risk: 3, 'step.eta': 0.5, seed: 2 },
  { alpha: 2, risk: 5, 'step.eta': 0.5, seed: 0 },
  { alpha: 1, risk: 7, 'step.eta': 1, seed: 0 },
  { alpha: 1, risk: 9, 'step.eta': 1, seed: 1 },
  { alpha: 3, risk: null, 'step.eta': 1, seed: 0 },
];
const th = [
  { alpha: 2, risk: 4, 'step.eta': 0.5 },
  { alpha: 1, risk: 2.5, 'step.eta': 0.5 },
];

describe('rowsPlot', () => {
  it('groups by colour and x: mean and standard error over the group', () => {
    const p = rowsPlot(sim, th, { x: 'alpha', y: 'risk', color: 'step.eta' });
    const pts = p.rows.filter((r) => r.mark === 'point');
    const a = pts.find((r) => r.series === 'step.eta = 0.5' && r.x === 1)!;
    expect(a.y).toBeCloseTo(2, 14);
    expect(a.hi! - a.y!).toBeCloseTo(1 / Math.sqrt(3), 14);
    const b = pts.find((r) => r.series === 'step.eta = 1' && r.x === 1)!;
    expect(b.y).toBeCloseTo(8, 14);
    expect(b.hi! - b.y!).toBeCloseTo(Math.SQRT2 / Math.sqrt(2), 14); // sd sqrt(2), n 2
    // one seed: no error bar; a null y is skipped
    expect(pts.find((r) => r.x === 2)!.lo).toBeNull();
    expect(pts.some((r) => r.x === 3)).toBe(false);
    const lines = p.rows.filter((r) => r.mark === 'line');
    expect(lines.map((r) => [r.x, r.y])).toEqual([
      [1, 2.5],
      [2, 4],
    ]);
    expect(p.panels[0].x.title).toBe('alpha');
    expect(p.colorTitle).toBe('step.eta');
  });

  it('names the flag, the missing column and the numeric columns', () => {
    expect(() => rowsPlot(sim, [], { x: 'alpa', y: 'risk' })).toThrow(/--x: column "alpa" is not in the rows; numeric columns are: alpha, risk, step\.eta, seed/);
    expect(() => rowsPlot(sim, [], { x: 'alpha', y: 'riks' })).toThrow(/--y: column "riks"/);
    expect(() => rowsPlot(sim, [], { x: 'alpha', y: 'risk', color: 'eta' })).toThrow(/--color: column "eta"/);
  });
});
