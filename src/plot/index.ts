/**
 * Figures: browser-safe Vega-Lite spec builders (spec.ts, style.ts). The Node-only renderer is
 * src/plot/render.ts (import it directly; it is not re-exported so that this index stays browser-safe).
 */
export { figureSpec, wrapText, type FigurePlot, type PlotAxis, type PlotMark, type PlotPanel, type PlotRow } from './spec.js';
export { METHOD_STYLES, SERIES_PALETTE, FIGURE_FONT, seriesColors, type MethodStyle, type PlotMethod } from './style.js';
export { rowsPlot, type FlatCell, type FlatRecord, type RowsPlotOptions } from './from-rows.js';
