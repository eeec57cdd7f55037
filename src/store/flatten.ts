/**
 * Columns derived from stored points (STYLE.md principle 5: typed records, columns derived), for CSV
 * export and plots. A point flattens to one row:
 *   key, command, sweep, seed, status, reason, featlearn, backend, threads, seconds, createdAt,
 *   then every leaf of the resolved config by dotted key (alpha, step.eta, teacher.link, ...),
 *   then every scalar leaf of the result by dotted key (risk, testMSE, baselines.randomFeatures.risk, ...).
 * A result leaf whose name is already a column keeps the column when the values agree and is written as
 * `result.<name>` otherwise. Arrays are not flattened (they stay in the JSON export).
 */
import type { StoredPoint } from './store.js';

export type Cell = number | string | boolean | null;
export type FlatRow = Record<string, Cell>;

/** The leading columns, in order. */
export const META_COLUMNS = ['key', 'command', 'sweep', 'seed', 'status', 'reason', 'featlearn', 'backend', 'threads', 'seconds', 'createdAt'] as const;

function leaves(value: unknown, prefix: string, out: [string, Cell][]): void {
  if (value === null || value === undefined) {
    if (prefix) out.push([prefix, null]);
    return;
  }
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return;
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') out.push([prefix, value]);
}

/** One point as a flat row (module comment). */
export function flattenPoint(p: StoredPoint): FlatRow {
  const row: FlatRow = {
    key: p.key,
    command: p.command,
    sweep: p.sweep,
    seed: p.seed,
    status: p.status,
    reason: p.reason,
    featlearn: p.featlearn,
    backend: p.backend,
    threads: p.threads,
    seconds: p.seconds,
    createdAt: p.createdAt,
  };
  const config: [string, Cell][] = [];
  leaves(p.config, '', config);
  for (const [k, v] of config) if (!(k in row)) row[k] = v;
  const result: [string, Cell][] = [];
  leaves(p.result, '', result);
  for (const [k, v] of result) {
    if (!(k in row)) row[k] = v;
    else if (row[k] !== v) row[`result.${k}`] = v;
  }
  return row;
}

/** The union of the columns of `rows`, meta columns first, then in order of first appearance. */
export function columnsOf(rows: readonly FlatRow[]): string[] {
  const seen = new Set<string>(META_COLUMNS);
  const cols: string[] = [...META_COLUMNS];
  for (const r of rows) {
    for (const k of Object.keys(r)) {
      if (!seen.has(k)) {
        seen.add(k);
        cols.push(k);
      }
    }
  }
  return cols;
}

/** A numeric column of a flat row (null when missing, failed, or not a number). */
export function numericCell(row: FlatRow, column: string): number | null {
  const v = row[column];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function csvCell(v: Cell | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV of the points (header row, then one row per point; missing cells empty). */
export function pointsToCsv(points: readonly StoredPoint[]): string {
  const rows = points.map(flattenPoint);
  const cols = columnsOf(rows);
  const lines = [cols.map((c) => csvCell(c)).join(',')];
  for (const r of rows) lines.push(cols.map((c) => csvCell(r[c])).join(','));
  return `${lines.join('\n')}\n`;
}
