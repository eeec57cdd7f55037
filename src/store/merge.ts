/**
 * Merging stores (`featlearn merge`): the union of the points, deduplicated by key. Two rows with the
 * same key are the same experiment (same command, resolved config and seed), so their status and result
 * must agree: identical results (canonical JSON) or, with `tolerance` > 0, every number within
 * |a - b| <= tolerance * max(|a|, |b|) (shards run on different machines may differ in the last bits of
 * BLAS reductions). Anything else is a conflict, reported by key; provenance and timings may differ.
 */
import { canonicalJson } from './canonical.js';
import { openStore, type StoredPoint } from './store.js';

export interface MergeConflict {
  key: string;
  /** The files holding the two disagreeing rows. */
  files: [string, string];
  what: string;
}

export interface MergeReport {
  inputs: { path: string; points: number }[];
  /** Points in the output after merging (new ones plus those it already held). */
  points: number;
  /** Rows that duplicated a key already seen, with an agreeing result. */
  duplicates: number;
  conflicts: MergeConflict[];
}

/** Where two results differ (null when they agree within the tolerance). */
export function resultDifference(a: unknown, b: unknown, tolerance: number, path = ''): string | null {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b) return null;
    const scale = Math.max(Math.abs(a), Math.abs(b));
    return Math.abs(a - b) <= tolerance * scale ? null : `${path || '(value)'}: ${a} vs ${b}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path || '(value)'}: arrays of length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = resultDifference(a[i], b[i], tolerance, `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    if (ka.join('\u0000') !== kb.join('\u0000')) return `${path || '(value)'}: keys differ`;
    for (const k of ka) {
      const d = resultDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], tolerance, path ? `${path}.${k}` : k);
      if (d) return d;
    }
    return null;
  }
  return canonicalJson(a) === canonicalJson(b) ? null : `${path || '(value)'}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

/** Whether two rows with the same key agree (null) or how they conflict. */
export function pointConflict(a: StoredPoint, b: StoredPoint, tolerance: number): string | null {
  if (a.command !== b.command || a.seed !== b.seed || canonicalJson(a.config) !== canonicalJson(b.config)) return 'same key but different command, config or seed (a corrupt store?)';
  if (a.status !== b.status) return `status ${a.status} vs ${b.status}${a.reason ? ` (${a.reason})` : ''}${b.reason ? ` (${b.reason})` : ''}`;
  const d = resultDifference(a.result, b.result, tolerance);
  return d ? `result differs at ${d}` : null;
}

export interface MergeOptions {
  /** Relative tolerance for numbers in duplicate results (default 0: identical). */
  tolerance?: number;
  /** Write the merged output even when there are conflicts (the first row of a key wins). */
  keepFirst?: boolean;
}

/**
 * Merges `inputs` into `out` (created when missing; points it already holds count as the first row of
 * their key). Conflicts are collected; unless keepFirst, nothing is written when there is any.
 */
export function mergeStores(inputs: readonly string[], out: string, opts: MergeOptions = {}): MergeReport {
  const tolerance = opts.tolerance ?? 0;
  const target = openStore(out);
  try {
    const chosen = new Map<string, { point: StoredPoint; file: string }>();
    for (const p of target.points()) chosen.set(p.key, { point: p, file: out });
    const fresh: StoredPoint[] = [];
    const report: MergeReport = { inputs: [], points: 0, duplicates: 0, conflicts: [] };
    for (const path of inputs) {
      const src = openStore(path, { readonly: true });
      let pts: StoredPoint[];
      try {
        pts = src.points();
      } finally {
        src.close();
      }
      report.inputs.push({ path, points: pts.length });
      for (const p of pts) {
        const prev = chosen.get(p.key);
        if (!prev) {
          chosen.set(p.key, { point: p, file: path });
          fresh.push(p);
          continue;
        }
        const what = pointConflict(prev.point, p, tolerance);
        if (what) report.conflicts.push({ key: p.key, files: [prev.file, path], what });
        else report.duplicates++;
      }
    }
    if (report.conflicts.length === 0 || opts.keepFirst) target.insertMany(fresh);
    report.points = target.count();
    return report;
  } finally {
    target.close();
  }
}
