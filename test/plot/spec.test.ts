/**
 * Vega-Lite spec builder and the headless renderer: the spec compiles, colours/dashes/shapes follow the
 * method styles, log axes drop what they cannot show, bad rows are refused naming the field; the SVG is
 * well formed and carries the axis titles and legend labels; the PNG decodes (with a reader written in
 * test/plot/png.ts, not the renderer) to the expected size with dark text pixels where the title is.
 */
import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';
import { figureSpec, wrapText, type FigurePlot, type PlotRow } from '../../src/plot/spec.js';
import { METHOD_STYLES, SERIES_PALETTE, seriesColors } from '../../src/plot/style.js';
import { figureFontFiles, renderFigure } from '../../src/plot/render.js';
import { checkSvg, unescapeXml } from './svg.js';
import { darkFraction, decodePng, distinctColors } from './png.js';

const xs = [0.25, 0.5, 1, 2, 3];
function demo(): FigurePlot {
  const rows: PlotRow[] = [
    ...xs.map((x) => ({ panel: 'a', series: 'theory', method: 'theory' as const, mark: 'line' as const, x, y: 0.3 / x })),
    ...xs.map((x) => ({ panel: 'a', series: 'network (simulation)', method: 'network' as const, mark: 'point' as const, x, y: 0.3 / x, lo: 0.3 / x - 0.01, hi: 0.3 / x + 0.01 })),
    { panel: 'a', series: 'linear floor', method: 'linearFloor', mark: 'hrule', x: null, y: 0.05 },
    { panel: 'b', series: 'η̃ = 0.5', method: 'theory', mark: 'line', x: 1, y: 2 },
    { panel: 'b', series: 'η̃ = 0.5', method: 'theory', mark: 'line', x: 2, y: 3 },
    { panel: 'b', series: 'η̃ = 2', method: 'srf', mark: 'point', x: 2, y: 2.5, lo: 2.4, hi: 2.6 },
    { panel: 'b', series: 'δ_NN', method: 'threshold', mark: 'vrule', x: 1.5, y: null },
  ];
  return {
    title: 'Demo figure',
    caption: 'Theory against simulation.',
    panels: [
      { id: 'a', title: 'left panel', x: { title: 'alpha axis α', log: true }, y: { title: 'test error axis' } },
      { id: 'b', title: 'right panel', x: { title: 'eta axis' }, y: { title: 'other axis' } },
    ],
    rows,
  };
}

type Layer = { transform: { filter: string }[]; encoding: Record<string, { scale?: { domain?: unknown[]; range?: unknown[] } }>; mark: unknown };
type Panel = { data: { values: Record<string, unknown>[] }; layer: Layer[] };

describe('figureSpec', () => {
  it('compiles with vega-lite and has one layered panel per PlotPanel', () => {
    const spec = figureSpec(demo()) as unknown as { hconcat: Panel[] };
    expect(spec.hconcat).toHaveLength(2);
    expect(() => compile(spec as never)).not.toThrow();
  });

  it('colours method series with the method colour and parameter series with the palette, in order', () => {
    const c = seriesColors(['theory', 'η̃ = 0.5', 'network (simulation)', 'η̃ = 2', 'η̃ = 0.5']);
    expect(c.domain).toEqual(['theory', 'η̃ = 0.5', 'network (simulation)', 'η̃ = 2']);
    expect(c.range).toEqual([METHOD_STYLES.theory.color, SERIES_PALETTE[0], METHOD_STYLES.network.color, SERIES_PALETTE[1]]);
    const spec = figureSpec(demo()) as unknown as { hconcat: Panel[] };
    const point = spec.hconcat[0].layer.find((l) => l.transform[0].filter === "datum.mark === 'point'")!;
    // shapes: network circle, sRF square (the methods present as points, in order of appearance)
    expect(point.encoding.shape.scale).toEqual({ domain: [METHOD_STYLES.network.label, METHOD_STYLES.srf.label], range: ['circle', 'square'] });
    const line = spec.hconcat[0].layer.find((l) => l.transform[0].filter === "datum.mark === 'line'")!;
    expect(line.encoding.strokeDash.scale).toEqual({ domain: ['theory', 'linear floor', 'threshold'], range: [[1, 0], [2, 2], [4, 2]] });
  });

  it('drops non-positive values on a log axis and non-finite values everywhere', () => {
    const fig = demo();
    fig.rows.push({ panel: 'a', series: 'theory', method: 'theory', mark: 'line', x: 0, y: 1 }, { panel: 'a', series: 'theory', method: 'theory', mark: 'line', x: 1.5, y: Number.NaN });
    const spec = figureSpec(fig) as unknown as { hconcat: Panel[] };
    const values = spec.hconcat[0].data.values;
    expect(values.some((v) => v.x === 0)).toBe(false);
    expect(values.some((v) => v.x === 1.5)).toBe(false);
    expect(values.filter((v) => v.mark === 'line')).toHaveLength(xs.length);
  });

  it('refuses a row of an unknown panel, naming the field and the allowed ids', () => {
    const fig = demo();
    fig.rows.push({ panel: 'zz', series: 's', method: 'theory', mark: 'line', x: 1, y: 1 });
    expect(() => figureSpec(fig)).toThrow(/row\.panel: expected one of "a", "b", got "zz"/);
    expect(() => figureSpec({ ...demo(), panels: [] })).toThrow(/panels/);
  });

  it('wrapText keeps every word, in order, within the width (unless one word is longer)', () => {
    const text = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen';
    const lines = wrapText(text, 16);
    expect(lines.join(' ')).toBe(text);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(16);
    expect(wrapText('averyveryverylongword short', 5)).toEqual(['averyveryverylongword', 'short']);
  });
});

describe('renderFigure', () => {
  it('writes well-formed SVG with the axis titles, panel titles and legend labels', async () => {
    const { svg } = await renderFigure(figureSpec(demo()));
    const s = checkSvg(svg);
    expect(s.root).toBe('svg');
    const texts = s.texts.map(unescapeXml);
    for (const t of ['alpha axis α', 'test error axis', 'eta axis', 'other axis', 'left panel', 'right panel', 'Demo figure', 'linear floor', 'η̃ = 0.5', 'network (simulation)']) {
      expect(texts).toContain(t);
    }
  });

  it('writes a PNG of twice the SVG size with text drawn in the bundled DejaVu fonts', async () => {
    expect(figureFontFiles().map((f) => f.split('/').pop())).toContain('DejaVuSans.ttf');
    const { svg, png } = await renderFigure(figureSpec(demo()));
    const w = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)![1]);
    const h = Number(/<svg[^>]*\sheight="([\d.]+)"/.exec(svg)![1]);
    const img = decodePng(png);
    expect(img.width).toBe(Math.round(2 * w));
    expect(img.height).toBe(Math.round(2 * h));
    // the title "Demo figure" sits at the top left (padding 12 px, font 15 px, zoom 2): dark glyph pixels there
    expect(darkFraction(img, 24, 20, 250, 60)).toBeGreaterThan(0.05);
    // a white background overall, and colours beyond black and white (markers, lines)
    expect(darkFraction(img, 0, 0, img.width, img.height)).toBeLessThan(0.2);
    expect(distinctColors(img)).toBeGreaterThan(20);
    // the check can fail: the same SVG rasterised with no fonts at all has no glyph pixels there
    const bare = decodePng(new Resvg(svg, { background: 'white', fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: false } }).render().asPng());
    expect(darkFraction(bare, 24, 20, 250, 60)).toBeLessThan(0.005);
  });
});
