/**
 * Exports of the explorer: the figure (SVG, PNG from the running Vega view), the plotted data (CSV, JSON),
 * and the config that reproduces it with the CLI (a JSON or YAML config file plus the command line).
 */
import { stringify as toYaml } from 'yaml';
import type { FigurePlot } from '../../src/plot/spec.js';
import { anatomySimRange } from './figures.js';
import { configEntries, rawConfig, sweepOf, type ExplorerState } from './state.js';

/** Offers `content` (text or a data: URL) as a download named `name`. */
export function download(name: string, content: string, type = 'text/plain'): void {
  const href = content.startsWith('data:') ? content : URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  if (!content.startsWith('data:')) setTimeout(() => URL.revokeObjectURL(href), 1000);
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The figure's rows as CSV (panel, series, method, mark, x, y, lo, hi). */
export function figureCsv(fig: FigurePlot): string {
  const cols = ['panel', 'series', 'method', 'mark', 'x', 'y', 'lo', 'hi'] as const;
  const lines = [cols.join(',')];
  for (const r of fig.rows) lines.push(cols.map((c) => csvCell((r as unknown as Record<string, unknown>)[c])).join(','));
  return `${lines.join('\n')}\n`;
}

export const CONFIG_FILE = 'featlearn-explorer.yaml';

/** The config file (YAML) of the state: every one-step key the explorer sets. */
export function configYaml(s: ExplorerState): string {
  return `# featlearn one-step config written by the explorer\n${toYaml(rawConfig(s))}`;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_.,:=+\-/]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The sweep flag of the view: the x axis, or the anatomy's eta grid (81 values; docs/explorer.md). */
export function sweepFlag(s: ExplorerState): string {
  const sw = sweepOf(s);
  if (s.view === 'anatomy' && sw.key !== 'eta') return `--sweep eta=0:${Math.max(4, 2 * Number(s.values['step.eta']))}:81`;
  return `--sweep ${sw.key}=${sw.from}:${sw.to}:${sw.points}`;
}

/** CLI commands that reproduce the state's curve: with the config file, and with --set flags only. */
export function cliCommands(s: ExplorerState): { withFile: string; withSet: string; simulate: string } {
  const sets = configEntries(s).map(([k, v]) => `--set ${shellQuote(`${k}=${String(v)}`)}`);
  const sweep = sweepFlag(s);
  const sw = sweepOf(s);
  const a = anatomySimRange(s);
  const simSweep = s.view === 'anatomy' ? `--sweep eta=${a.from}:${a.to}:${a.points}` : `--sweep ${sw.key}=${sw.from}:${sw.to}:${s.values.simPoints}`;
  return {
    withFile: `featlearn theory --config ${CONFIG_FILE} ${sweep}`,
    withSet: `featlearn theory ${sets.join(' ')} ${sweep}`,
    simulate: `featlearn compare --config ${CONFIG_FILE} ${simSweep} --seeds ${s.values.seeds}`,
  };
}
