/**
 * `featlearn serve` as a real process (the compiled CLI): prints its URL on 127.0.0.1, passes the
 * --max-... flags on as limits, warns when bound to a non-loopback address, rejects a bad port, and
 * closes cleanly (exit code 0) on Ctrl-C (SIGINT).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledCli } from '../sweep/compiled-cli.js';
import { staticFixture, until } from './helpers.js';

let cli: string;
const fx = staticFixture();

beforeAll(() => {
  cli = compiledCli();
}, 300_000);
afterAll(() => fx.cleanup());

function start(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--static', fx.www, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

describe('featlearn serve (CLI)', () => {
  it('prints the URL on 127.0.0.1, applies the limit flags, and exits 0 on SIGINT', async () => {
    const p = start(['--max-d', '123', '--max-queue', '2', '--max-sweep-points', '7']);
    try {
      await until(() => /http:\/\/127\.0\.0\.1:\d+\//.test(p.out()), 30_000, 'the URL');
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(p.out())![0];
      expect(p.err()).not.toMatch(/WARNING/);
      const health = (await (await fetch(new URL('api/health', url))).json()) as { limits: Record<string, number> };
      expect(health.limits).toMatchObject({ maxD: 123, maxQueue: 2, maxSweepPoints: 7 });
      expect(await (await fetch(url)).text()).toContain('explorer fixture');
      p.child.kill('SIGINT');
      expect(await p.exited).toBe(0);
    } finally {
      p.child.kill('SIGKILL');
    }
  });

  it('warns when binding to a non-loopback address', async () => {
    const p = start(['--host', '0.0.0.0', '--json']);
    try {
      await until(() => /"url"/.test(p.out()), 30_000, 'the URL');
      expect(JSON.parse(p.out().trim())).toMatchObject({ url: expect.stringMatching(/^http:\/\/0\.0\.0\.0:\d+\/$/) });
      expect(p.err()).toMatch(/WARNING: bound to 0\.0\.0\.0, not a loopback address/);
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    } finally {
      p.child.kill('SIGKILL');
    }
  });

  it('rejects a bad port and a bad limit with a message', () => {
    const port = spawnSync(process.execPath, [cli, 'serve', '--port', 'http'], { encoding: 'utf8' });
    expect(port.status).not.toBe(0);
    expect(port.stderr).toMatch(/--port.*expected a port from 0 to 65535/s);
    const limit = spawnSync(process.execPath, [cli, 'serve', '--max-seeds', '0'], { encoding: 'utf8' });
    expect(limit.status).not.toBe(0);
    expect(limit.stderr).toMatch(/--max-seeds.*expected a positive integer, got "0"/s);
  });
});
