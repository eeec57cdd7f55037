/**
 * A figure result as plot rows (src/plot/spec.ts): theory and reference lines, simulation markers with
 * ± one standard error, axis titles from the panel definitions. Browser-safe.
 */
import type { FigurePlot, PlotPanel, PlotRow } from '../../plot/spec.js';
import { figureSpec } from '../../plot/spec.js';
import { METHOD_STYLES } from '../../plot/style.js';
import type { TopLevelSpec } from 'vega-lite';
import { QUANTITIES } from './quantities.js';
import type { FigureResult } from './run.js';
import type { RunnableFigure } from './types.js';

/** Axes of the panels of each figure kind. */
function plotPanels(def: RunnableFigure, r: FigureResult): PlotPanel[] {
  switch (def.kind) {
    case 'curve':
      return [
        ...def.panels.map((p) => ({ id: p.id, title: p.title, x: { title: p.xTitle, log: p.xLog }, y: { title: QUANTITIES[p.quantity].title, log: p.yLog } })),
        ...(def.histograms ?? []).map((h) => ({ id: h.id, title: h.title, x: { title: 'singular value' }, y: { title: 'density' } })),
      ];
    case 'dynamics':
      return def.panels.map((p) => ({ id: p.id, title: p.title, x: { title: p.xTitle }, y: { title: p.yTitle } }));
    case 'hessian': {
      const [lo, hi] = def.histogramDeltas;
      return [
        { id: 'below', title: `all eigenvalues, δ = ${lo} (below δ_NN)`, x: { title: 'eigenvalue of the Hessian' }, y: { title: 'density' } },
        { id: 'above', title: `all eigenvalues, δ = ${hi} (above δ_NN)`, x: { title: 'eigenvalue of the Hessian' }, y: { title: 'density' } },
        { id: 'bottom', title: 'bottom of the spectrum (Lanczos)', x: { title: 'δ = n/d', log: true }, y: { title: 'smallest eigenvalue' } },
        { id: 'overlap', title: 'its eigenvector and Θ* (Lanczos)', x: { title: 'δ = n/d', log: true }, y: { title: 'overlap² with Θ*' } },
      ];
    }
    case 'grokking':
      return [
        { id: 'train', title: 'train loss', x: { title: 'time t = step · η', log: true }, y: { title: 'train loss (log-cosh)' } },
        { id: 'test', title: 'test error', x: { title: 'time t = step · η', log: true }, y: { title: 'test error E(y − f)²' } },
        { id: 'overlap', title: 'alignment (dashed: median time of cos² = 1/2)', x: { title: 'time t = step · η', log: true }, y: { title: 'largest principal cos²(W, Θ*)' } },
      ];
    case 'dependence':
      return [
        {
          id: 'dependence',
          title: 'phase retrieval, log-cosh loss, initial point',
          x: { title: 'width m', domain: [0.5, Math.max(...Object.values(def[r.mode].widths).flat(), 1) + 0.5] },
          y: { title: 'δ_NN (our reconstruction)', log: true, domain: [0.3, 200] },
        },
      ];
  }
}

/** The plot of a figure's result. */
export function figurePlot(def: RunnableFigure, r: FigureResult): FigurePlot {
  const rows: PlotRow[] = [];
  for (const line of r.lines) {
    for (const pt of line.points) {
      // a threshold, or any line of one point at y = null, is a vertical rule
      const vertical = line.method === 'threshold' || (line.points.length === 1 && line.points[0].y === null);
      const mark = line.method === 'histogram' ? 'bar' : line.horizontal ? 'hrule' : vertical ? 'vrule' : 'line';
      // failed points (a threshold not found, a theory failure) stay in results.json, not in the legend
      if ((mark === 'vrule' ? pt.x : pt.y) === null) continue;
      rows.push({ panel: line.panel, series: line.series, method: line.method, mark, x: pt.x, y: pt.y, ...(mark === 'bar' ? { x2: pt.x2 ?? null } : {}) });
      if (line.markers && mark === 'line') rows.push({ panel: line.panel, series: line.series, method: line.method, mark: 'point', x: pt.x, y: pt.y });
    }
  }
  const panels = plotPanels(def, r);
  // a panel with one series colours by method (theory black, network blue, sRF orange)
  const single = new Set(def.kind === 'curve' || def.kind === 'dynamics' ? panels.filter((p) => r.lines.filter((l) => l.panel === p.id && l.method === 'theory').length === 1).map((p) => p.id) : []);
  for (const pt of r.points) {
    if (!pt.simulation) continue;
    const { mean, sem } = pt.simulation;
    const method = pt.model === 'gd' || pt.model === 'lanczos' ? 'simulation' : pt.model;
    rows.push({ panel: pt.panel, series: single.has(pt.panel) || pt.model === 'lanczos' ? METHOD_STYLES[method].label : pt.series, method, mark: 'point', x: pt.x, y: mean, lo: sem === null ? null : mean - sem, hi: sem === null ? null : mean + sem });
  }
  const size = def.kind === 'hessian' ? { width: 300, height: 250 } : def.kind === 'grokking' ? { width: 320, height: 260 } : {};
  const sizes = def.kind === 'hessian' ? `histograms d = ${def[r.mode].histogramD}, Lanczos d = ${r.d}, ${r.seeds} seeds per marker` : def.kind === 'dependence' ? 'theory only' : `d = ${r.d}, ${r.seeds} seeds per marker`;
  return {
    title: `${def.title} — ${def.id}${r.mode === 'quick' ? ' (quick)' : ''}`,
    caption: `${def.caption} ${sizes}; ${def.paper}.`,
    colorTitle: def.colorTitle,
    panels,
    rows,
    ...size,
  };
}

/** The Vega-Lite spec of a figure's result. */
export function figureResultSpec(def: RunnableFigure, r: FigureResult): TopLevelSpec {
  return figureSpec(figurePlot(def, r));
}
