/**
 * The values of one grid axis: a list, or a range of `count` points from start to stop (both included),
 * evenly spaced on a linear or a log scale, written as an object { start, stop, count, scale } or the
 * string "start:stop:count" / "start:stop:count:log".
 *   linear: x_i = start + (stop - start) i / (count - 1)      (numpy.linspace)
 *   log:    x_i = start (stop / start)^(i / (count - 1))      (numpy.geomspace; start, stop > 0)
 * The ends are exactly start and stop; count = 1 gives [start].
 */
export type Scalar = number | string | boolean | null;

export interface Range {
  start: number;
  stop: number;
  count: number;
  scale: 'linear' | 'log';
}

export const MAX_AXIS_COUNT = 100_000;

export function rangeValues(r: Range): number[] {
  const { start, stop, count, scale } = r;
  if (count === 1) return [start];
  const out = new Array<number>(count);
  if (scale === 'log') {
    const a = Math.log(start);
    const b = Math.log(stop);
    for (let i = 0; i < count; i++) out[i] = Math.exp(a + ((b - a) * i) / (count - 1));
  } else {
    for (let i = 0; i < count; i++) out[i] = start + ((stop - start) * i) / (count - 1);
  }
  out[0] = start;
  out[count - 1] = stop;
  return out;
}

/** Problems with a range (empty when valid), each naming the field. */
export function rangeProblems(r: { start: unknown; stop: unknown; count: unknown; scale?: unknown }): string[] {
  const issues: string[] = [];
  for (const f of ['start', 'stop'] as const) {
    if (typeof r[f] !== 'number' || !Number.isFinite(r[f])) issues.push(`${f}: expected a finite number, got ${JSON.stringify(r[f])}`);
  }
  if (typeof r.count !== 'number' || !Number.isInteger(r.count) || r.count < 1 || r.count > MAX_AXIS_COUNT) {
    issues.push(`count: expected an integer from 1 to ${MAX_AXIS_COUNT}, got ${JSON.stringify(r.count)}`);
  }
  const scale = r.scale ?? 'linear';
  if (scale !== 'linear' && scale !== 'log') issues.push(`scale: expected one of "linear" | "log", got ${JSON.stringify(scale)}`);
  if (scale === 'log' && issues.length === 0 && !((r.start as number) > 0 && (r.stop as number) > 0)) {
    issues.push(`scale: "log" needs start > 0 and stop > 0, got start = ${String(r.start)}, stop = ${String(r.stop)}`);
  }
  return issues;
}

/** Parses "start:stop:count[:linear|:log]" (null when the string is not of that form). */
export function parseRangeString(s: string): { start: unknown; stop: unknown; count: unknown; scale: unknown } | null {
  const parts = s.split(':');
  if (parts.length !== 3 && parts.length !== 4) return null;
  const num = (t: string): unknown => (t.trim() === '' || Number.isNaN(Number(t)) ? t : Number(t));
  return { start: num(parts[0]), stop: num(parts[1]), count: num(parts[2]), scale: parts[3] ?? 'linear' };
}
