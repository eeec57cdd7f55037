/**
 * One-dimensional minimisation of a predicted risk over the ridge penalty (issue 4 item 7): a coarse scan
 * of log10(lambda) (4 points per decade) followed by golden-section search (Kiefer 1953, "Sequential
 * minimax search for a maximum") on the bracket around the best scan point. Assumes the risk is unimodal
 * near its minimum; points where the risk is undefined (failures) count as +infinity.
 */
import { goldenSection } from '../numerics/goldenSection.js';

export interface LogMinimum {
  lambda: number;
  value: number;
  evaluations: number;
  /** Set when the minimum sits at an end of the range (the optimum may lie beyond it). */
  boundary?: 'lower' | 'upper';
}

export function minimizeOverLogLambda(f: (lambda: number) => number, range: [number, number] = [1e-8, 1e4], tolerance = 1e-6): LogMinimum {
  const [lo, hi] = range;
  if (!(lo > 0 && hi > lo && Number.isFinite(hi))) throw new RangeError(`lambda range: expected 0 < lower < upper < infinity, got [${lo}, ${hi}]`);
  let evaluations = 0;
  const g = (x: number): number => {
    evaluations++;
    const v = f(10 ** x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const a0 = Math.log10(lo);
  const b0 = Math.log10(hi);
  const steps = Math.max(2, Math.ceil((b0 - a0) * 4));
  const grid = Array.from({ length: steps + 1 }, (_, i) => a0 + ((b0 - a0) * i) / steps);
  const vals = grid.map(g);
  let best = 0;
  for (let i = 1; i < vals.length; i++) if (vals[i] < vals[best]) best = i;
  if (!Number.isFinite(vals[best])) return { lambda: NaN, value: Infinity, evaluations };
  const a = grid[Math.max(best - 1, 0)];
  const b = grid[Math.min(best + 1, steps)];
  let { x, value } = goldenSection(g, a, b, tolerance);
  if (vals[best] < value) {
    x = grid[best];
    value = vals[best];
  }
  const out: LogMinimum = { lambda: 10 ** x, value, evaluations };
  if (best === 0 && x - a0 < 2 * tolerance) out.boundary = 'lower';
  if (best === steps && b0 - x < 2 * tolerance) out.boundary = 'upper';
  return out;
}
