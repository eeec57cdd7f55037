/**
 * `featlearn plot runs.sqlite --x alpha --y risk [--color step.eta] [--theory] [--sweep NAME]
 * [--log-x] [--log-y] [--title T] --out fig.svg|png`: a figure from a results store (src/store): the
 * stored simulation points as markers (mean ± standard error over seeds), and with --theory the
 * theory as lines (the store's theory points, or, when it has none, `theory()` evaluated here at every
 * distinct simulated config).
 */
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { Command } from 'commander';
import { ConfigError } from '../../config/validate.js';
import { resolveExperimentConfig } from '../../models/experiment-config.js';
import { rowsPlot, type FlatRecord } from '../../plot/from-rows.js';
import { figureSpec } from '../../plot/spec.js';
import { renderSvg, svgToPng } from '../../plot/render.js';
import { flattenPoint, openStore, type StoredPoint } from '../../store/index.js';
import { theory } from '../../theory/index.js';
import { printJson, printText, type GlobalOptions } from '../output.js';

interface PlotFlags {
  x: string;
  y: string;
  color?: string;
  theory: boolean;
  sweep?: string;
  logX: boolean;
  logY: boolean;
  title?: string;
  out: string;
}

/** Theory rows at the distinct configs (seed left out) of stored simulate points. */
function theoryAtConfigs(points: readonly StoredPoint[]): FlatRecord[] {
  const seen = new Map<string, StoredPoint>();
  for (const p of points) {
    const { seed: _seed, ...rest } = p.config as Record<string, unknown>;
    const key = JSON.stringify(rest);
    if (!seen.has(key)) seen.set(key, p);
  }
  const rows: FlatRecord[] = [];
  for (const p of seen.values()) {
    const config = resolveExperimentConfig(p.config, `stored config of point ${p.key.slice(0, 12)}`);
    const th = theory(config, { anatomy: false });
    if (th.ok) rows.push(flattenPoint({ ...p, command: 'theory', result: th }));
  }
  return rows;
}

export function plotCommand(globals: () => GlobalOptions): Command {
  return new Command('plot')
    .description('plot stored sweep points: markers (mean ± sem over seeds) and, with --theory, theory lines')
    .argument('<store>', 'results store written by `featlearn sweep` (.sqlite)')
    .requiredOption('--x <column>', 'column on the x axis (dotted config key, e.g. alpha)')
    .requiredOption('--y <column>', 'column on the y axis (result field, e.g. risk)')
    .option('--color <column>', 'one colour per value of this column (e.g. step.eta)')
    .option('--theory', 'add theory lines', false)
    .option('--sweep <name>', 'only points of this sweep')
    .option('--log-x', 'logarithmic x axis', false)
    .option('--log-y', 'logarithmic y axis', false)
    .option('--title <text>', 'figure title')
    .requiredOption('-o, --out <file>', 'output file, .svg or .png')
    .action(async (storePath: string, flags: PlotFlags) => {
      const opts = globals();
      const ext = extname(flags.out).toLowerCase();
      if (ext !== '.svg' && ext !== '.png') throw new ConfigError([`--out: expected a file ending in .svg or .png, got "${flags.out}"`], 'featlearn plot');
      const store = openStore(storePath, { readonly: true });
      let sim: StoredPoint[];
      let th: StoredPoint[];
      try {
        sim = store.points({ status: 'ok', sweep: flags.sweep }).filter((p) => p.command !== 'theory');
        th = store.points({ status: 'ok', sweep: flags.sweep, command: 'theory' });
      } finally {
        store.close();
      }
      if (sim.length + th.length === 0) throw new ConfigError([`store: no finished points in "${storePath}"${flags.sweep ? ` for sweep "${flags.sweep}"` : ''}`], 'featlearn plot');
      let theoryRows: FlatRecord[] = [];
      if (flags.theory) {
        theoryRows = th.length > 0 ? th.map(flattenPoint) : theoryAtConfigs(sim.filter((p) => p.command === 'simulate'));
        if (theoryRows.length === 0) throw new ConfigError(['--theory: the store has no theory points and no simulate points to evaluate the theory at'], 'featlearn plot');
      }
      let plot;
      try {
        plot = rowsPlot(sim.map(flattenPoint), theoryRows, { x: flags.x, y: flags.y, color: flags.color, logX: flags.logX, logY: flags.logY, title: flags.title, caption: `${storePath}: ${sim.length} stored points${flags.theory ? `, theory at ${theoryRows.length} configs` : ''}` });
      } catch (e) {
        throw new ConfigError([(e as Error).message], 'featlearn plot');
      }
      const svg = await renderSvg(figureSpec(plot));
      writeFileSync(flags.out, ext === '.svg' ? svg : svgToPng(svg));
      if (opts.json) printJson({ out: flags.out, points: sim.length, theory: theoryRows.length });
      else printText(opts, `wrote ${flags.out} (${sim.length} stored points${flags.theory ? `, ${theoryRows.length} theory points` : ''})`);
    });
}
