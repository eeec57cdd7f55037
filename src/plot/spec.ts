/**
 * Vega-Lite specifications of featlearn figures, built from plain records (STYLE.md 5: typed rows; the
 * columns Vega-Lite needs are derived here). Pure and browser-safe: the browser explorer embeds the same
 * specs that the Node renderer (render.ts) turns into SVG and PNG.
 *
 * A figure is one or more panels side by side (hconcat), each a layered chart:
 *   lines (theory, random features), simulation markers with standard-error bars, horizontal reference
 *   rules (linear floor, null risk), vertical rules (thresholds), histogram bars.
 * Colours are per series (src/plot/style.ts: a method's colour when the series is a method, palette
 * colours for parameter values), line dashes and marker shapes per method, shared by all panels.
 * Vega-Lite: Satyanarayan et al. 2017, "Vega-Lite: A Grammar of Interactive Graphics" (IEEE TVCG).
 */
import type { TopLevelSpec } from 'vega-lite';
import { FIGURE_FONT, METHOD_STYLES, seriesColors, type PlotMethod } from './style.js';

export type PlotMark = 'line' | 'point' | 'hrule' | 'vrule' | 'bar';

/** One plotted datum. */
export interface PlotRow {
  /** Panel id (PlotPanel.id). */
  panel: string;
  /** Colour-legend label (e.g. "theory", "η̃ = 0.5"). */
  series: string;
  method: PlotMethod;
  mark: PlotMark;
  /** x (null for a horizontal rule); for a bar the bin's left edge. */
  x: number | null;
  /** y (null for a vertical rule); for a bar the bin's height. */
  y: number | null;
  /** Error bar of a point: y - sem and y + sem (omitted or null: no bar). */
  lo?: number | null;
  hi?: number | null;
  /** Right edge of a bar's bin. */
  x2?: number | null;
}

export interface PlotAxis {
  title: string;
  log?: boolean;
  /** Fixed domain (otherwise from the data). */
  domain?: [number, number];
}

export interface PlotPanel {
  id: string;
  title: string;
  x: PlotAxis;
  y: PlotAxis;
}

export interface FigurePlot {
  title: string;
  /** Shown under the title; wrapped to lines of about 100 characters. */
  caption?: string;
  panels: PlotPanel[];
  rows: PlotRow[];
  /** Title of the colour legend (default "series"). */
  colorTitle?: string;
  /** Size of one panel in pixels (default 380 x 290). */
  width?: number;
  height?: number;
}

/** Words of `text` in lines of at most `width` characters. */
export function wrapText(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function checkRows(fig: FigurePlot): void {
  const ids = new Set(fig.panels.map((p) => p.id));
  if (fig.panels.length === 0) throw new Error('figure spec: panels: expected at least one panel, got none');
  for (const r of fig.rows) {
    if (!ids.has(r.panel)) throw new Error(`figure spec: row.panel: expected one of ${[...ids].map((i) => `"${i}"`).join(', ')}, got "${r.panel}"`);
  }
}

/**
 * Rows as Vega-Lite sees them: non-finite values dropped; on a log axis non-positive values dropped and a
 * lower error bar at or below zero cut at the point itself (a log axis cannot show it).
 */
function cleanRows(rows: readonly PlotRow[], panel: PlotPanel): Record<string, unknown>[] {
  const ok = (v: number | null | undefined, log: boolean | undefined): v is number => typeof v === 'number' && Number.isFinite(v) && (!log || v > 0);
  const out: Record<string, unknown>[] = [];
  for (const r of rows) {
    if (r.panel !== panel.id) continue;
    const needX = r.mark !== 'hrule';
    const needY = r.mark !== 'vrule';
    if (needX && !ok(r.x, panel.x.log)) continue;
    if (needY && !ok(r.y, panel.y.log && r.mark !== 'bar')) continue;
    const d: Record<string, unknown> = { series: r.series, method: METHOD_STYLES[r.method].label, mark: r.mark, x: needX ? r.x : null, y: needY ? r.y : null };
    if (r.mark === 'point' && ok(r.lo, undefined) && ok(r.hi, undefined)) {
      d.lo = panel.y.log && r.lo <= 0 ? r.y : r.lo;
      d.hi = r.hi;
    }
    if (r.mark === 'bar') d.x2 = r.x2 ?? null;
    out.push(d);
  }
  return out;
}

const only = (mark: PlotMark, extra = ''): { filter: string } => ({ filter: `datum.mark === '${mark}'${extra}` });

/** The Vega-Lite specification of a figure (module comment). */
export function figureSpec(fig: FigurePlot): TopLevelSpec {
  checkRows(fig);
  const width = fig.width ?? 380;
  const height = fig.height ?? 290;
  // colours of the series that are drawn (rows a panel cannot show do not enter the legend)
  const drawn = new Set(fig.panels.flatMap((p) => cleanRows(fig.rows, p).map((d) => d.series as string)));
  const colors = seriesColors(fig.rows.map((r) => r.series).filter((s) => drawn.has(s)));
  const present = (marks: PlotMark[]): PlotMethod[] => [...new Set(fig.rows.filter((r) => marks.includes(r.mark)).map((r) => r.method))];
  const dashMethods = present(['line', 'hrule', 'vrule']);
  const shapeMethods = present(['point']);
  const color = { field: 'series', type: 'nominal' as const, scale: colors, legend: { title: fig.colorTitle ?? 'series' } };
  const strokeDash = {
    field: 'method',
    type: 'nominal' as const,
    scale: { domain: dashMethods.map((m) => METHOD_STYLES[m].label), range: dashMethods.map((m) => METHOD_STYLES[m].dash) },
    legend: dashMethods.length > 1 ? { title: 'lines' } : null,
  };
  const shape = {
    field: 'method',
    type: 'nominal' as const,
    scale: { domain: shapeMethods.map((m) => METHOD_STYLES[m].label), range: shapeMethods.map((m) => METHOD_STYLES[m].shape) },
    legend: shapeMethods.length > 0 ? { title: 'markers' } : null,
  };
  const panels = fig.panels.map((p) => {
    const hasBars = fig.rows.some((r) => r.panel === p.id && r.mark === 'bar');
    const zeroY = hasBars && !p.y.log;
    const scale = (a: PlotAxis, isY: boolean) => ({
      type: a.log ? ('log' as const) : ('linear' as const),
      ...(a.domain ? { domain: a.domain } : {}),
      ...(a.log ? {} : { zero: false }),
      ...(a.log ? { nice: false } : {}),
      ...(isY && zeroY ? { zero: true } : {}),
    });
    const x = { field: 'x', type: 'quantitative' as const, title: p.x.title, scale: scale(p.x, false) };
    const y = { field: 'y', type: 'quantitative' as const, title: p.y.title, scale: scale(p.y, true) };
    const layer: unknown[] = [];
    if (hasBars) {
      layer.push({
        transform: [only('bar')],
        mark: { type: 'rect', opacity: 0.75 },
        encoding: { x, x2: { field: 'x2' }, y, y2: { datum: 0 }, color },
      });
    }
    layer.push(
      { transform: [only('line')], mark: { type: 'line', strokeWidth: 2, clip: true }, encoding: { x, y, color, strokeDash, detail: { field: 'series' }, order: { field: 'x' } } },
      { transform: [only('hrule')], mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { y, color, strokeDash } },
      { transform: [only('vrule')], mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, color, strokeDash } },
      { transform: [only('point', ' && isValid(datum.lo)')], mark: { type: 'rule', strokeWidth: 1.2 }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color } },
      { transform: [only('point')], mark: { type: 'point', filled: true, size: 55, opacity: 0.95 }, encoding: { x, y, color, shape } },
    );
    return { title: p.title, width, height, data: { values: cleanRows(fig.rows, p) }, layer };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: fig.title, subtitle: fig.caption ? wrapText(fig.caption, Math.max(70, Math.round((fig.panels.length * (width + 70) + 200) / 6.4))) : undefined, anchor: 'start', fontSize: 15, subtitleFontSize: 11, subtitleColor: '#333' },
    background: 'white',
    padding: 12,
    config: {
      font: FIGURE_FONT,
      axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#e6e6e6' },
      legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 260 },
      title: { font: FIGURE_FONT, subtitleFont: FIGURE_FONT },
      view: { stroke: '#888' },
    },
    hconcat: panels,
    resolve: { scale: { color: 'shared', shape: 'shared', strokeDash: 'shared' } },
  } as unknown as TopLevelSpec;
}
