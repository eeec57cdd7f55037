/**
 * Summaries over seeds: for every numeric quantity of the runs (nested keys kept, e.g.
 * `baselines.randomFeatures.risk`), the mean, the standard deviation (n - 1 denominator), the standard
 * error of the mean std / sqrt(n) and n. Arrays (spectra, grids) and strings are not summarised; a
 * quantity that is null in some runs is summarised over the runs where it is a number (n says how many).
 * With one run, std and sem are null (not 0: one seed says nothing about the spread).
 */
export interface Stats {
  mean: number;
  std: number | null;
  sem: number | null;
  n: number;
}

export type SummaryTree = { [key: string]: Stats | SummaryTree };

export function stats(values: readonly number[]): Stats {
  const n = values.length;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  if (n < 2) return { mean, std: null, sem: null, n };
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const std = Math.sqrt(ss / (n - 1));
  return { mean, std, sem: std / Math.sqrt(n), n };
}

const SKIP = new Set(['seed']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/** Summary of `runs` (objects of the same shape); keys in `skip` (default: "seed") are left out. */
export function summarize(runs: readonly unknown[], skip: ReadonlySet<string> = SKIP): SummaryTree {
  const out: SummaryTree = {};
  const keys = new Set<string>();
  for (const r of runs) if (isRecord(r)) for (const k of Object.keys(r)) keys.add(k);
  for (const k of keys) {
    if (skip.has(k)) continue;
    const vals = runs.map((r) => (isRecord(r) ? r[k] : undefined));
    const nums = vals.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (nums.length > 0 && nums.length === vals.filter((v) => typeof v === 'number').length) {
      out[k] = stats(nums);
    } else if (vals.some(isRecord)) {
      const sub = summarize(vals.filter(isRecord), new Set());
      if (Object.keys(sub).length > 0) out[k] = sub;
    }
  }
  return out;
}
