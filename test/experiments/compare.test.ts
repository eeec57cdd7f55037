import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { compare } from '../../src/experiments/compare.js';
import { formatCompare } from '../../src/cli/commands/compare.js';

describe('compare', () => {
  it('deviation = (theory - mean) / sem and relative = theory / mean - 1, per point of a sweep', async () => {
    const r = await compare({ d: 120, step: { eta: 1, scaling: 'one' }, report: { anatomy: true } }, { seeds: 2, workers: 0, sweep: { key: 'lambda', values: [0.01, 1] } });
    expect(r.points.map((p) => p.value)).toEqual([0.01, 1]);
    expect(r.points[1].config.ridge.lambda).toBe(1);
    for (const p of r.points) {
      expect(p.method).toBe('gaussian-equivalent');
      const risk = p.rows.find((x) => x.quantity === 'risk');
      expect(risk?.simulation?.n).toBe(2);
      if (!risk || risk.theory === null || !risk.simulation || !risk.simulation.sem) throw new Error('missing');
      expect(risk.deviation).toBeCloseTo((risk.theory - risk.simulation.mean) / risk.simulation.sem, 12);
      expect(risk.relative).toBeCloseTo(risk.theory / risk.simulation.mean - 1, 12);
      // exact identities on both sides
      const nullRisk = p.rows.find((x) => x.quantity === 'nullRisk');
      expect(Math.abs((nullRisk?.theory as number) - (nullRisk?.simulation?.mean as number))).toBeLessThan(1e-8);
      expect(p.rows.some((x) => x.quantity === 'spectrum.largest.W1' && x.simulation !== null)).toBe(true);
    }
    expect(formatCompare(r)).toMatch(/lambda = 1\.0+: gaussian-equivalent/);
  });

  it('featlearn compare --json prints the points', async () => {
    const chunks: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (chunks.push(String(s)), true)) as typeof process.stdout.write;
    try {
      await (await buildProgram()).parseAsync(['node', 'featlearn', '--json', 'compare', '--set', 'd=100', '--set', 'step.eta=0', '--seeds', '2', '--workers', '0']);
    } finally {
      process.stdout.write = write;
    }
    const r = JSON.parse(chunks.join('')) as { seeds: number; points: { rows: { quantity: string }[] }[] };
    expect(r.seeds).toBe(2);
    expect(r.points[0].rows.map((x) => x.quantity)).toContain('randomFeatures.risk');
  });
});
