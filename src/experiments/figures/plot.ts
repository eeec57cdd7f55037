/**
 * A figure result as plot rows (src/plot/spec.ts): theory and reference lines, simulation markers with
 * ± one standard error, axis titles from the panel definitions. Browser-safe.
 */
import type { FigurePlot, PlotRow } from '../../plot/spec.js';
import { figureSpec } from '../../plot/spec.js';
import { METHOD_STYLES } from '../../plot/style.js';
import type { TopLevelSpec } from 'vega-lite';
import { QUANTITIES } from './quantities.js';
import type { FigureResult } from './run.js';
import type { CurveFigure, DynamicsFigure } from './types.js';

/** The plot of a figure's result. */
export function figurePlot(def: CurveFigure | DynamicsFigure, r: FigureResult): FigurePlot {
  const rows: PlotRow[] = [];
  for (const line of r.lines) {
    for (const pt of line.points) {
      const mark = line.method === 'threshold' ? 'vrule' : line.horizontal ? 'hrule' : 'line';
      // failed points (a threshold not found, a theory failure) stay in results.json, not in the legend
      if ((mark === 'vrule' ? pt.x : pt.y) === null) continue;
      rows.push({ panel: line.panel, series: line.series, method: line.method, mark, x: pt.x, y: pt.y });
    }
  }
  // a panel with one series colours by method (theory black, network blue, sRF orange)
  const single = new Set(def.panels.filter((p) => r.lines.filter((l) => l.panel === p.id && l.method === 'theory').length === 1).map((p) => p.id));
  for (const pt of r.points) {
    if (!pt.simulation) continue;
    const { mean, sem } = pt.simulation;
    const method = pt.model === 'gd' ? 'simulation' : pt.model;
    rows.push({ panel: pt.panel, series: single.has(pt.panel) ? METHOD_STYLES[method].label : pt.series, method, mark: 'point', x: pt.x, y: mean, lo: sem === null ? null : mean - sem, hi: sem === null ? null : mean + sem });
  }
  return {
    title: `${def.title} — ${def.id}${r.mode === 'quick' ? ' (quick)' : ''}`,
    caption: `${def.caption} d = ${r.d}, ${r.seeds} seeds per marker; ${def.paper}.`,
    colorTitle: def.colorTitle,
    panels: def.panels.map((p) =>
      'yTitle' in p ? { id: p.id, title: p.title, x: { title: p.xTitle }, y: { title: p.yTitle } } : { id: p.id, title: p.title, x: { title: p.xTitle, log: p.xLog }, y: { title: QUANTITIES[p.quantity].title, log: p.yLog } },
    ),
    rows,
  };
}

/** The Vega-Lite spec of a figure's result. */
export function figureResultSpec(def: CurveFigure | DynamicsFigure, r: FigureResult): TopLevelSpec {
  return figureSpec(figurePlot(def, r));
}
