/**
 * Files of `featlearn reproduce` (Node-only): results.json (the whole FigureResult), results.csv (one
 * row per simulated point: panel, series, model, x, theory, mean, sem, n, deviation, within tolerance,
 * then the point's config by dotted key), figure.svg, figure.png and report.md (what was run, the
 * agreement in standard errors, the seconds spent).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderFigure } from '../../plot/render.js';
import { figureResultSpec } from './plot.js';
import type { FigureResult } from './run.js';
import type { RunnableFigure } from './types.js';

/** One line per panel of what was run. */
function panelLines(def: RunnableFigure, r: FigureResult): string[] {
  switch (def.kind) {
    case 'curve':
      return def.panels.map(
        (p) =>
          `- panel "${p.title}": ${p.quantity} against ${p.sweep}; series ${p.series.map((s) => `"${s.label}"`).join(', ')}; simulated models ${(def[r.mode].models ?? p.models).filter((m) => p.models.includes(m)).join(', ')}; references ${p.references.join(', ') || 'none'}`,
      );
    case 'dynamics':
      return def.panels.map((p) => `- panel "${p.title}": ${p.quantity} of gradient descent against ${p.sweep}; series ${p.series.map((s) => `"${s.label}"`).join(', ')}; thresholds ${p.thresholds.join(', ')}`);
    case 'hessian': {
      const s = def[r.mode];
      return [
        `- setting: ${JSON.stringify(def.base)}, Hessian at the initial point`,
        `- histograms: every eigenvalue of the dense Hessian at d = ${s.histogramD}, δ = ${def.histogramDeltas.join(' and ')}, ${s.histogramSeeds} seed(s) pooled`,
        `- Lanczos: the ${def.lanczosK} smallest eigenpairs at d = ${s.d}, δ ∈ {${s.x.join(', ')}}, ${r.seeds} seeds; theory: bottomPrediction at ${s.theoryPoints} log-spaced δ in [${def.xRange.join(', ')}] plus the simulated ones`,
      ];
    }
    case 'grokking': {
      const s = def[r.mode];
      return [`- setting: ${JSON.stringify(def.base)}`, `- gradient descent: d = ${s.d}, δ ∈ {${s.x.join(', ')}}, ${s.steps} steps, ${s.record} recorded times, ${r.seeds} seeds`];
    }
    case 'dependence': {
      const s = def[r.mode];
      return [`- setting: ${JSON.stringify(def.base)}`, `- δ_NN for ${Object.entries(s.widths).map(([a, ms]) => `${a} (m = ${ms.join(', ')})`).join('; ')}; bisection relative tolerance ${s.relTol}; ${s.samples} Monte Carlo draws when k + m > 3`];
    }
  }
}

type Cell = string | number | boolean | null | undefined;

function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function configLeaves(value: unknown, prefix: string, out: Map<string, Cell>): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) configLeaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) out.set(prefix, value as Cell);
}

/** results.csv text (module comment). */
export function figureCsv(r: FigureResult): string {
  const fixed = ['panel', 'series', 'model', 'x', 'quantity', 'theory', 'mean', 'sem', 'n', 'deviation', 'withinTolerance'];
  const leaves = r.points.map((p) => {
    const m = new Map<string, Cell>();
    configLeaves(p.config, '', m);
    return m;
  });
  const configCols = [...new Set(leaves.flatMap((m) => [...m.keys()]))].map((c) => `config.${c}`);
  const lines = [[...fixed, ...configCols].map(csvCell).join(',')];
  r.points.forEach((p, i) => {
    const cells: Cell[] = [p.panel, p.series, p.model, p.x, p.quantity, p.theory, p.simulation?.mean, p.simulation?.sem, p.simulation?.n, p.deviation, p.withinTolerance];
    for (const c of configCols) cells.push(leaves[i].get(c.slice('config.'.length)));
    lines.push(cells.map(csvCell).join(','));
  });
  return `${lines.join('\n')}\n`;
}

const fmt = (x: number | null | undefined, digits = 4): string => (x === null || x === undefined ? '—' : Math.abs(x) !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5) ? x.toExponential(digits - 1) : x.toPrecision(digits));

/** report.md text (module comment). */
export function figureReport(def: RunnableFigure, r: FigureResult): string {
  const a = r.agreement;
  const out = [
    `# ${r.id}: ${r.title}`,
    '',
    r.caption,
    '',
    `Source: ${r.paper}.`,
    '',
    '## What was run',
    '',
    def.kind === 'dependence' ? `- mode: ${r.mode} (theory only, ${r.points.length} computed values)` : `- mode: ${r.mode} (d = ${r.d}, ${r.seeds} seeds per simulated point, ${r.points.length} simulated points)`,
    `- command: \`featlearn reproduce ${r.id}${r.mode === 'quick' ? ' --quick' : ''}${'seeds' in def[r.mode] && r.seeds !== (def[r.mode] as { seeds: number }).seeds ? ` --seeds ${r.seeds}` : ''}\``,
    ...panelLines(def, r),
    `- featlearn ${r.provenance.featlearn}${r.provenance.gitCommit ? ` (git ${r.provenance.gitCommit.slice(0, 10)})` : ''}, backend ${r.provenance.backend}, ${r.provenance.threads} BLAS threads`,
    `- seconds spent: ${r.seconds.toFixed(1)}`,
    '',
    '## Agreement of theory and simulation',
    '',
    ...(a.applicable === false ? [`- not measured: ${a.tolerance.reason}`, ...(a.pass ? [] : [`- result: FAIL, ${a.outside.length} check(s) failed`])] : []),
    `- largest deviation: ${a.maxAbsDeviation === null ? '— (no standard errors)' : `${a.maxAbsDeviation.toFixed(2)} standard errors`}${a.at ? ` (${a.at})` : ''}`,
    a.applicable === false ? '' : `- tolerance: |theory − mean| ≤ ${a.tolerance.sems} sem + ${(100 * a.tolerance.relative).toFixed(0)}% of the theory; ${a.tolerance.reason}`,
    a.applicable === false ? '' : `- result: ${a.pass ? 'PASS, every simulated point within the tolerance' : `FAIL, ${a.outside.length} point(s) outside, ${a.missing.length} missing`}`,
    ...a.outside.map((o) => `  - outside: ${o}`),
    ...a.missing.map((o) => `  - missing: ${o}`),
    '',
    '| panel | series | model | x | theory | simulation | ± sem | dev/sem |',
    '|---|---|---|---|---|---|---|---|',
    ...r.points.map((p) => `| ${p.panel} | ${p.series} | ${p.model} | ${fmt(p.x)} | ${fmt(p.theory)} | ${fmt(p.simulation?.mean)} | ${fmt(p.simulation?.sem, 2)} | ${p.deviation === null ? '—' : p.deviation.toFixed(2)} |`),
  ];
  if (r.notes && r.notes.length > 0) out.push('', '## Findings', '', ...r.notes.map((n) => `- ${n}`));
  const failures = r.lines.flatMap((l) => l.failures.map((f) => `- ${l.panel} ${l.series} (${l.method}) at x = ${f.x ?? '—'}: ${f.reason}`));
  if (failures.length > 0) out.push('', '## Theory failures (left out of the lines)', '', ...failures);
  const warnings = [...new Set(r.points.flatMap((p) => p.warnings))];
  if (warnings.length > 0) out.push('', '## Warnings', '', ...warnings.map((w) => `- ${w}`));
  return `${out.join('\n')}\n`;
}

export interface WrittenFiles {
  dir: string;
  files: string[];
}

/** Writes the five files of a figure result into `dir` (created when missing). */
export async function writeFigureFiles(def: RunnableFigure, r: FigureResult, dir: string): Promise<WrittenFiles> {
  mkdirSync(dir, { recursive: true });
  const { svg, png } = await renderFigure(figureResultSpec(def, r));
  const files: [string, string | Buffer][] = [
    ['results.json', `${JSON.stringify(r, null, 2)}\n`],
    ['results.csv', figureCsv(r)],
    ['figure.svg', svg],
    ['figure.png', png],
    ['report.md', figureReport(def, r)],
  ];
  for (const [name, content] of files) writeFileSync(join(dir, name), content);
  return { dir, files: files.map(([name]) => join(dir, name)) };
}
