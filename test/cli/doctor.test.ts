import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { doctorReport } from '../../src/cli/commands/doctor.js';
import { buildProgram } from '../../src/cli/program.js';
import { loadNative } from '../../src/native/load.js';

describe('featlearn doctor', () => {
  it('reports the backend that the environment and the addon imply', () => {
    const r = doctorReport();
    const forced = process.env.FEATLEARN_BACKEND;
    const expected = forced === 'portable' || !loadNative().ok ? 'portable' : 'native';
    expect(r.backend.name).toBe(expected);
    expect(r.addon.loaded).toBe(loadNative().ok);
    if (!r.addon.loaded) expect(r.addon.error).toMatch(/addon/);
    if (expected === 'native') expect(r.blas).toMatch(/OpenBLAS|Accelerate/i);
    expect(r.threads).toBeGreaterThanOrEqual(1);
    expect(r.node).toBe(process.version);
  });

  it('reports the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(doctorReport().featlearn).toBe(pkg.version);
  });

  it('prints JSON with --json and honours --threads', async () => {
    const chunks: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (chunks.push(String(s)), true)) as typeof process.stdout.write;
    try {
      await (await buildProgram()).parseAsync(['node', 'featlearn', '--json', '--threads', '1', 'doctor']);
    } finally {
      process.stdout.write = write;
    }
    const r = JSON.parse(chunks.join('')) as { threads: number; backend: { name: string } };
    expect(r.threads).toBe(1);
    expect(['native', 'portable']).toContain(r.backend.name);
  });

  it('rejects a bad --threads value with a message naming it', async () => {
    const program = (await buildProgram()).exitOverride().configureOutput({ writeErr: () => undefined });
    await expect(program.parseAsync(['node', 'featlearn', '--threads', '0', 'doctor'])).rejects.toThrow(/--threads.*expected an integer from 1 to 1024, got "0"/);
  });
});

describe('lazy command loading', () => {
  it('finds the subcommand after global options', async () => {
    const { commandNameIn } = await import('../../src/cli/program.js');
    expect(commandNameIn(['node', 'featlearn', '--json', '--threads', '2', 'theory', '--set', 'd=3'])).toBe('theory');
    expect(commandNameIn(['node', 'featlearn', '--threads=2', '-q', 'doctor'])).toBe('doctor');
    expect(commandNameIn(['node', 'featlearn', '--help'])).toBeUndefined();
  });

  it('loads only the named command, and every command otherwise', async () => {
    const one = await buildProgram(['node', 'featlearn', '--json', 'doctor']);
    expect(one.commands.map((c) => c.name())).toEqual(['doctor']);
    const all = await buildProgram();
    expect(all.commands.map((c) => c.name()).sort()).toEqual(
      ['compare', 'doctor', 'dynamics', 'export', 'merge', 'plot', 'reproduce', 'serve', 'simulate', 'sweep', 'theory', 'threshold'],
    );
  });
});

describe('--version', () => {
  it('loads no command', async () => {
    const p = await buildProgram(['node', 'featlearn', '--version']);
    expect(p.commands).toHaveLength(0);
  });
});
