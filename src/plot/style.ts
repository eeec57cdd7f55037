/**
 * One look for every featlearn figure: a colour, a line dash and a marker shape per method, so that a
 * theory line, a network simulation or the linear floor looks the same in every figure (issue 6, "Plots").
 * Colours are the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies); series
 * that are parameter values (eta_tilde = 0.5, m = 2, ...) take Tableau 10 colours in order.
 * Browser-safe: plain data.
 */

/** What a plotted series is; decides its mark and style. */
export type PlotMethod =
  | 'theory'
  | 'network'
  | 'srf'
  | 'simulation'
  | 'randomFeatures'
  | 'linearFloor'
  | 'nullRisk'
  | 'threshold'
  | 'reference'
  | 'histogram';

export interface MethodStyle {
  /** Legend label of the method. */
  label: string;
  color: string;
  /** Line dash (Vega strokeDash; [1, 0] is solid). */
  dash: number[];
  /** Marker shape of simulation points. */
  shape: 'circle' | 'square' | 'triangle-up' | 'diamond';
}

export const METHOD_STYLES: Record<PlotMethod, MethodStyle> = {
  theory: { label: 'theory', color: '#000000', dash: [1, 0], shape: 'circle' },
  network: { label: 'network (simulation)', color: '#0072B2', dash: [1, 0], shape: 'circle' },
  srf: { label: 'sRF model (simulation)', color: '#E69F00', dash: [1, 0], shape: 'square' },
  simulation: { label: 'simulation', color: '#0072B2', dash: [1, 0], shape: 'diamond' },
  randomFeatures: { label: 'random features (eta = 0)', color: '#009E73', dash: [6, 3], shape: 'triangle-up' },
  linearFloor: { label: 'linear floor', color: '#D55E00', dash: [2, 2], shape: 'circle' },
  nullRisk: { label: 'null risk', color: '#999999', dash: [8, 3, 2, 3], shape: 'circle' },
  threshold: { label: 'threshold', color: '#CC79A7', dash: [4, 2], shape: 'circle' },
  reference: { label: 'reference', color: '#56B4E9', dash: [4, 2], shape: 'circle' },
  histogram: { label: 'histogram', color: '#8fa8c8', dash: [1, 0], shape: 'square' },
};

/** Colours of parameter-valued series (Tableau 10, without grey). */
export const SERIES_PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f'];

/** The font every figure uses (loaded explicitly into the PNG renderer: src/plot/render.ts). */
export const FIGURE_FONT = 'DejaVu Sans';

/**
 * A colour per series label: a label that is a method's legend label gets the method's colour, every
 * other label the next palette colour (in order of first appearance, so reruns give the same colours).
 */
export function seriesColors(series: readonly string[]): { domain: string[]; range: string[] } {
  const byLabel = new Map<string, string>(Object.values(METHOD_STYLES).map((s) => [s.label, s.color]));
  const domain: string[] = [];
  const range: string[] = [];
  let next = 0;
  for (const s of series) {
    if (domain.includes(s)) continue;
    domain.push(s);
    range.push(byLabel.get(s) ?? SERIES_PALETTE[next++ % SERIES_PALETTE.length]);
  }
  return { domain, range };
}
