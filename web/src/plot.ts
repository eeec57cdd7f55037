/**
 * A figure on the page: figureSpec (src/plot/spec.ts, the specs of `featlearn plot`) through vega-embed.
 * The panels' inline data are moved into named datasets ("panel_<id>") so that a redraw whose spec is
 * otherwise unchanged (a slider move: new numbers, same series and axes) only replaces the data of the
 * running view (view.change) instead of compiling and parsing a new view.
 */
import embed, { type Result } from 'vega-embed';
import type { TopLevelSpec } from 'vega-lite';
import { figureSpec, type FigurePlot } from '../../src/plot/spec.js';

type Panel = { data?: { values?: unknown[]; name?: string } } & Record<string, unknown>;

/** figureSpec with each panel's data as a named dataset; returns the spec and the datasets. */
export function namedSpec(fig: FigurePlot): { spec: TopLevelSpec; datasets: Record<string, unknown[]> } {
  const spec = figureSpec(fig) as unknown as { hconcat: Panel[] } & Record<string, unknown>;
  const datasets: Record<string, unknown[]> = {};
  spec.hconcat = spec.hconcat.map((p, i) => {
    const name = `panel_${fig.panels[i].id}`;
    datasets[name] = p.data?.values ?? [];
    return { ...p, data: { name } };
  });
  return { spec: spec as unknown as TopLevelSpec, datasets };
}

export class FigureView {
  private result: Result | null = null;
  private shape = '';
  private pending: Promise<void> = Promise.resolve();
  /** Whether the last show() replaced data only (true) or built a new view (false). */
  lastWasFast = false;

  constructor(private readonly el: HTMLElement) {}

  get view(): Result['view'] | null {
    return this.result?.view ?? null;
  }

  /** Draws `fig`; resolves when the view has rendered. Calls are serialised. */
  show(fig: FigurePlot): Promise<void> {
    this.pending = this.pending.catch(() => undefined).then(() => this.draw(fig));
    return this.pending;
  }

  private async draw(fig: FigurePlot): Promise<void> {
    const { spec, datasets } = namedSpec(fig);
    const shape = JSON.stringify(spec);
    if (this.result && shape === this.shape) {
      const view = this.result.view;
      for (const [name, values] of Object.entries(datasets)) {
        view.data(name, values as object[]);
      }
      await view.runAsync();
      this.lastWasFast = true;
      return;
    }
    this.result?.finalize();
    const full = { ...(spec as object), datasets } as TopLevelSpec;
    this.result = await embed(this.el, full, { actions: false, renderer: 'canvas', tooltip: true, logLevel: 1 });
    this.shape = shape;
    this.lastWasFast = false;
  }

  async toSVG(): Promise<string> {
    if (!this.result) throw new Error('no figure drawn yet');
    return this.result.view.toSVG();
  }

  async toPNG(scale = 2): Promise<string> {
    if (!this.result) throw new Error('no figure drawn yet');
    return this.result.view.toImageURL('png', scale);
  }
}
