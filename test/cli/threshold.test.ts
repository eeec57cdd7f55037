import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram } from '../../src/cli/program.js';

async function run(args: string[]): Promise<string> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => (chunks.push(String(s)), true)) as typeof process.stdout.write;
  try {
    await (await buildProgram()).parseAsync(['node', 'featlearn', ...args]);
  } finally {
    process.stdout.write = write;
  }
  return chunks.join('');
}

describe('featlearn threshold', () => {
  it('--json has deltaAlg, deltaAlgError, trivialDirections, spectral, deltaNN, method, converged', async () => {
    const out = await run(['--json', 'threshold', '--set', 'teacher.link=phase-retrieval', '--set', 'training.loss=logcosh', '--set', 'delta=60', '--samples', '3000']);
    const r = JSON.parse(out) as Record<string, unknown> & { spectral: { preprocessing: string; threshold: { transition: boolean; deltaT?: number; reason?: string } }[]; deltaNNDetail: { lawMethod: string } };
    for (const key of ['deltaAlg', 'deltaAlgError', 'trivialDirections', 'spectral', 'deltaNN', 'method', 'converged', 'config', 'featlearn']) expect(r).toHaveProperty(key);
    expect(Math.abs((r.deltaAlg as number) - 0.5)).toBeLessThan(1e-6);
    expect(r.trivialDirections).toEqual([]);
    const opt = r.spectral.find((s) => s.preprocessing === 'optimal')!;
    expect(opt.threshold.transition && Math.abs(opt.threshold.deltaT! - 0.5)).toBeLessThan(1e-6);
    const id = r.spectral.find((s) => s.preprocessing === 'identity')!;
    expect(id.threshold.transition).toBe(false);
    expect(id.threshold.reason).toBe('unbounded');
    expect(typeof r.deltaNN).toBe('number');
    expect(r.deltaNN as number).toBeGreaterThan(0.5);
    expect(r.converged).toBe(true);
  }, 60000);

  it('square loss: deltaNN is null with the reason; --no-nn skips it; a phase-1 file is read', async () => {
    const sq = JSON.parse(await run(['--json', 'threshold', '--set', 'teacher.link=product', '--set', 'width=1']));
    expect(sq.deltaNN).toBeNull();
    expect(sq.deltaNNDetail.reason).toBe('unbounded');
    expect(Math.abs(sq.deltaAlg - 0.593751098222257)).toBeLessThan(1e-7);
    const skip = JSON.parse(await run(['--json', 'threshold', '--no-nn']));
    expect(skip.deltaNNDetail).toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'featlearn-threshold-'));
    const file = join(dir, 'p1.json');
    writeFileSync(file, JSON.stringify({ M: [[0.9]], Q: [[0.2]], a: [1], b: 0 }));
    const learned = JSON.parse(await run(['--json', 'threshold', '--set', 'training.loss=logcosh', '--phase1', file]));
    expect(learned.deltaNNDetail.reason).toBe('no-unlearned-directions');
    expect(learned.deltaNNDetail.phase1Source).toMatch(/input/);
  }, 60000);

  it('bad input: unknown link, bad preprocessing, bad phase-1 file, bad --samples', async () => {
    const fails = async (args: string[], pattern: RegExp): Promise<void> => {
      await expect((await buildProgram()).exitOverride().configureOutput({ writeErr: () => undefined }).parseAsync(['node', 'featlearn', 'threshold', ...args])).rejects.toThrow(pattern);
    };
    await fails(['--set', 'teacher.link=nope'], /teacher\.link/);
    await fails(['--preprocessing', 'trim:3', '--no-nn'], /--preprocessing: expected one of identity/);
    await fails(['--samples', '5'], /--samples: expected an integer >= 100, got "5"/);
    const dir = mkdtempSync(join(tmpdir(), 'featlearn-threshold-'));
    const file = join(dir, 'p1.json');
    writeFileSync(file, JSON.stringify({ M: [[0]], a: [1], b: 0 }));
    await fails(['--phase1', file], /Q: expected an m x m array/);
    writeFileSync(file, JSON.stringify({ M: [[0, 0]], Q: [[1]], a: [1], b: 0 }));
    await fails(['--phase1', file, '--set', 'training.loss=logcosh'], /phase1.M must be an m x k = 1 x 1 array/);
    await fails(['--set', 'init.a=rademacher'], /init\.a: the default phase-1 point/);
  }, 60000);
});
