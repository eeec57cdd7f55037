/**
 * Node-only rendering of a Vega-Lite spec (spec.ts): vega-lite compiles it to Vega, a headless Vega View
 * (renderer "none") writes SVG, and @resvg/resvg-js rasterises the SVG to PNG. The PNG renderer loads the
 * DejaVu fonts of the `dejavu-fonts-ttf` package explicitly and never the system's (loadSystemFonts:
 * false), so text renders identically on a machine with no fonts installed.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { FIGURE_FONT } from './style.js';

let fontFilesCache: string[] | null = null;

/** The DejaVu Sans font files of the dejavu-fonts-ttf package (absolute paths). */
export function figureFontFiles(): string[] {
  if (fontFilesCache) return fontFilesCache;
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const files = readdirSync(dir)
    .filter((f) => /^DejaVuSans(-Bold|-Oblique|-BoldOblique)?\.ttf$/.test(f))
    .map((f) => join(dir, f));
  if (files.length === 0) throw new Error(`plot: no DejaVu Sans fonts found in ${dir} (package dejavu-fonts-ttf)`);
  fontFilesCache = files;
  return files;
}

/** SVG text of a Vega-Lite spec. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface PngOptions {
  /** Pixels per SVG unit (default 2: sharp on high-density screens). */
  scale?: number;
}

/** PNG bytes of an SVG, with the bundled DejaVu fonts only (module comment). */
export function svgToPng(svg: string, opts: PngOptions = {}): Buffer {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: opts.scale ?? 2 },
    font: { fontFiles: figureFontFiles(), loadSystemFonts: false, defaultFontFamily: FIGURE_FONT, sansSerifFamily: FIGURE_FONT },
  });
  return resvg.render().asPng();
}

/** SVG and PNG of a spec. */
export async function renderFigure(spec: TopLevelSpec, opts: PngOptions = {}): Promise<{ svg: string; png: Buffer }> {
  const svg = await renderSvg(spec);
  return { svg, png: svgToPng(svg, opts) };
}
