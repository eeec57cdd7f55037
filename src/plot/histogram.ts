/** Histograms for plots (browser-safe: used by the figure runners and the explorer). */

/** Equal-width histogram normalised to a density. */
export function densityHistogram(values: readonly number[], bins: number, range?: [number, number]): { x: number; x2: number; y: number }[] {
  const lo = range?.[0] ?? Math.min(...values);
  const hi = range?.[1] ?? Math.max(...values);
  const w = (hi - lo) / bins || 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / w)))]++;
  return counts.map((c, i) => ({ x: lo + i * w, x2: lo + (i + 1) * w, y: c / (values.length * w) }));
}
