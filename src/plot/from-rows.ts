/**
 * A figure from flat result rows (the columns of `featlearn export`, src/store/flatten.ts): simulation
 * rows are grouped by (colour value, x) and drawn as markers at the mean with ± one standard error over
 * the group (the seeds); theory rows are drawn as one line per colour value. Used by `featlearn plot`
 * and (later) the browser explorer. Browser-safe: plain records in, a FigurePlot out.
 */
import type { FigurePlot, PlotRow } from './spec.js';

export type FlatCell = number | string | boolean | null;
export type FlatRecord = Record<string, FlatCell>;

export interface RowsPlotOptions {
  /** Column on the x axis (e.g. "alpha"). */
  x: string;
  /** Column on the y axis (e.g. "risk"). */
  y: string;
  /** Column whose values give one colour each (e.g. "step.eta"). */
  color?: string;
  logX?: boolean;
  logY?: boolean;
  title?: string;
  caption?: string;
}

function num(r: FlatRecord, c: string): number | null {
  const v = r[c];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function requireColumn(rows: readonly FlatRecord[], column: string, flag: string): void {
  if (rows.length === 0 || rows.some((r) => column in r)) return;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => rows.some((r) => typeof r[c] === 'number'));
  throw new Error(`${flag}: column "${column}" is not in the rows; numeric columns are: ${cols.slice(0, 40).join(', ')}${cols.length > 40 ? ', ...' : ''}`);
}

const label = (color: string | undefined, v: FlatCell | undefined): string => (color === undefined ? 'all' : `${color} = ${v === null || v === undefined ? '—' : String(v)}`);

/** Mean and standard error (n - 1 denominator; null with one value). */
function meanSem(values: readonly number[]): { mean: number; sem: number | null } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, sem: null };
  const ss = values.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, sem: Math.sqrt(ss / (n - 1) / n) };
}

/** Groups rows by colour label and x; rows without a numeric x or y are skipped. */
function groups(rows: readonly FlatRecord[], o: RowsPlotOptions): Map<string, Map<number, number[]>> {
  const out = new Map<string, Map<number, number[]>>();
  for (const r of rows) {
    const x = num(r, o.x);
    const y = num(r, o.y);
    if (x === null || y === null) continue;
    const key = label(o.color, o.color === undefined ? undefined : r[o.color]);
    const byX = out.get(key) ?? new Map<number, number[]>();
    byX.set(x, [...(byX.get(x) ?? []), y]);
    out.set(key, byX);
  }
  return out;
}

/** The figure of simulation and theory rows (module comment). */
export function rowsPlot(simulation: readonly FlatRecord[], theory: readonly FlatRecord[], o: RowsPlotOptions): FigurePlot {
  requireColumn([...simulation, ...theory], o.x, '--x');
  requireColumn([...simulation, ...theory], o.y, '--y');
  if (o.color !== undefined) requireColumn([...simulation, ...theory], o.color, '--color');
  const rows: PlotRow[] = [];
  for (const [series, byX] of groups(theory, o)) {
    for (const [x, ys] of [...byX].sort((a, b) => a[0] - b[0])) rows.push({ panel: 'main', series, method: 'theory', mark: 'line', x, y: meanSem(ys).mean });
  }
  for (const [series, byX] of groups(simulation, o)) {
    for (const [x, ys] of byX) {
      const { mean, sem } = meanSem(ys);
      rows.push({ panel: 'main', series, method: 'simulation', mark: 'point', x, y: mean, lo: sem === null ? null : mean - sem, hi: sem === null ? null : mean + sem });
    }
  }
  if (rows.length === 0) throw new Error(`--x/--y: no row has numbers in both "${o.x}" and "${o.y}"`);
  return {
    title: o.title ?? `${o.y} against ${o.x}`,
    caption: o.caption,
    colorTitle: o.color ?? 'series',
    panels: [{ id: 'main', title: '', x: { title: o.x, log: o.logX }, y: { title: o.y, log: o.logY } }],
    rows,
  };
}
