/**
 * `featlearn sweep` on a real (one-node) Slurm: a sweep submitted as an `sbatch --array=0-2` job, each
 * task running its shard (from SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT) into its own store; the
 * shards merged with `featlearn merge` must equal a one-machine run of the same sweep: the same keys and
 * identical results (both with FEATLEARN_THREADS=1, so the BLAS reductions are the same).
 *
 * Slurm is started by scripts/slurm-up.sh (root; Debian slurm-wlm + munge; .ci/run does it). Without a
 * reachable idle Slurm node this test is skipped with a message, unless FEATLEARN_SLURM=1 requires it.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/native/load.js';
import { openStore } from '../../src/store/index.js';
import { compiledCli } from '../sweep/compiled-cli.js';

function slurmState(): { ok: true } | { ok: false; why: string } {
  const conf = process.env.SLURM_CONF || '/etc/slurm/slurm.conf';
  if (!existsSync(conf)) return { ok: false, why: `no Slurm configuration (${conf})` };
  const r = spawnSync('sinfo', ['-h', '-o', '%t'], { encoding: 'utf8', timeout: 5_000 });
  if (r.error) return { ok: false, why: `sinfo not runnable (${r.error.message})` };
  if (r.status !== 0) return { ok: false, why: `sinfo failed: ${r.stderr.trim()}` };
  const states = r.stdout.split('\n').map((s) => s.trim()).filter(Boolean);
  return states.some((s) => s === 'idle' || s === 'mix') ? { ok: true } : { ok: false, why: `no idle node (states: ${states.join(', ') || 'none'})` };
}

const state = slurmState();
const required = process.env.FEATLEARN_SLURM === '1';
if (!state.ok && !required) {
  process.stderr.write(`test/slurm: SKIPPED — Slurm is not available here: ${state.why}. Start a one-node cluster with \`sudo bash scripts/slurm-up.sh\` (or set FEATLEARN_SLURM=1 to make this an error).\n`);
}

function content(path: string): Map<string, string> {
  const s = openStore(path, { readonly: true });
  const m = new Map(s.points().map((p) => [p.key, JSON.stringify([p.command, p.seed, p.config, p.params, p.status, p.reason, p.result])]));
  s.close();
  return m;
}

describe.skipIf(!state.ok && !required)('sweep under sbatch --array (real Slurm)', () => {
  it('the merged shards equal a one-machine run', () => {
    if (!state.ok) throw new Error(`FEATLEARN_SLURM=1 but Slurm is not available: ${state.why}; run scripts/slurm-up.sh as root`);
    const cli = compiledCli();
    // the job runs on this machine's file system; a directory under the package is visible to it
    const cache = join(packageRoot(), 'node_modules', '.cache');
    mkdirSync(cache, { recursive: true }); // absent in a fresh clone
    const dir = mkdtempSync(join(cache, 'featlearn-slurm-'));
    const sweep = join(dir, 'sweep.yaml');
    writeFileSync(
      sweep,
      ['name: slurm-test', 'command: simulate', 'base: { d: 50, width: 30, n0: 25, nTest: 300, risk: { method: monte-carlo }, report: { anatomy: false } }', 'grid:', '  alpha: [1, 2]', '  step.eta: [0.5, 1, 2]', 'seeds: 2', ''].join('\n'),
    );
    const job = join(dir, 'job.sh');
    writeFileSync(
      job,
      [
        '#!/bin/bash',
        '#SBATCH --job-name=featlearn-sweep-test',
        '#SBATCH --array=0-2',
        '#SBATCH --ntasks=1',
        '#SBATCH --cpus-per-task=1',
        `#SBATCH --output=${dir}/task-%a.out`,
        'set -e',
        'export FEATLEARN_THREADS=1',
        `"${process.execPath}" "${cli}" sweep "${sweep}" --out "${dir}/shard-$SLURM_ARRAY_TASK_ID.sqlite" --workers 0`,
        '',
      ].join('\n'),
    );
    const sb = spawnSync('sbatch', ['--wait', '--parsable', job], { encoding: 'utf8', timeout: 300_000, cwd: dir });
    const logs = [0, 1, 2].map((i) => join(dir, `task-${i}.out`)).filter(existsSync).map((f) => `--- ${f}\n${readFileSync(f, 'utf8')}`).join('\n');
    expect(sb.status, `sbatch: ${sb.stderr}\n${logs}`).toBe(0);
    for (const i of [0, 1, 2]) expect(readFileSync(join(dir, `task-${i}.out`), 'utf8')).toMatch(new RegExp(`shard ${i}/3: 4 points`));

    const env = { ...process.env, FEATLEARN_THREADS: '1' };
    const merged = join(dir, 'merged.sqlite');
    const m = spawnSync(process.execPath, [cli, '--json', 'merge', ...[0, 1, 2].map((i) => join(dir, `shard-${i}.sqlite`)), '--out', merged], { encoding: 'utf8', env });
    expect(m.status, m.stderr).toBe(0);
    expect(JSON.parse(m.stdout)).toMatchObject({ points: 12, duplicates: 0, conflicts: [] });

    const one = join(dir, 'one.sqlite');
    const r = spawnSync(process.execPath, [cli, 'sweep', sweep, '--out', one, '--workers', '0', '-q'], { encoding: 'utf8', env });
    expect(r.status, r.stderr).toBe(0);
    const a = content(merged);
    expect(a.size).toBe(12);
    expect(a).toEqual(content(one));
    rmSync(dir, { recursive: true, force: true });
  }, 400_000);
});
