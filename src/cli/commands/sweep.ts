/**
 * `featlearn sweep FILE.yaml --out runs.sqlite [--workers W] [--shard i/K] [--retry-failed] [--dry-run]`:
 * runs the points of a sweep file (src/sweep, docs/sweeps.md) that the store does not hold yet, each
 * committed as soon as it finishes. Under a Slurm job array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT)
 * the shard comes from the environment unless --shard is given.
 *
 * Progress: a bar with ETA on a TTY; otherwise one line per point on stderr (not with --json/--quiet).
 * Ctrl-C once: no new points, the running ones finish and are committed; twice: the workers are stopped
 * and their running points dropped. Either way every stored row is whole, and re-running resumes.
 * Exit code 0 when the sweep ran to the end (failed points are counted in the report), 130 when interrupted.
 */
import { Command, InvalidArgumentError } from 'commander';
import { openStore } from '../../store/store.js';
import { loadSweep } from '../../sweep/expand.js';
import { runSweep, type SweepRunReport } from '../../sweep/runner.js';
import { parseShard, selectShard, shardFromSlurm, type Shard } from '../../sweep/shard.js';
import { printJson, printText, progressBar, type GlobalOptions, type Progress } from '../output.js';

interface SweepFlags {
  out: string;
  workers: number;
  shard?: Shard;
  retryFailed: boolean;
  dryRun: boolean;
}

function parseWorkers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 1024) throw new InvalidArgumentError(`expected an integer from 0 to 1024, got "${value}"`);
  return n;
}

function parseShardOption(value: string): Shard {
  try {
    return parseShard(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message.replace(/^.*--shard: /s, ''));
  }
}

export function formatSweepReport(r: SweepRunReport, storePoints: number, out: string): string {
  const shard = r.shard ? ` (shard ${r.shard.index}/${r.shard.count}: ${r.inShard} points)` : '';
  return [
    `featlearn sweep ${r.sweep}: ${r.points} points${shard}`,
    `  ran ${r.ran} (${r.ok} ok, ${r.failed} failed) in ${r.seconds.toFixed(1)} s${r.workers > 0 ? ` with ${r.workers} worker${r.workers > 1 ? 's' : ''}` : ''}; skipped ${r.skipped} already stored`,
    r.interrupted ? `  INTERRUPTED: ${r.remaining} points not run${r.abandoned ? ` (${r.abandoned} running points dropped)` : ''}; run the same command again to resume` : '  complete',
    `  store ${out}: ${storePoints} points`,
  ].join('\n');
}

export function sweepCommand(globals: () => GlobalOptions): Command {
  return new Command('sweep')
    .description('run a sweep file (grid/list over config keys x seeds) into an SQLite store; resumable, shardable')
    .argument('<file>', 'sweep file (YAML or JSON; docs/sweeps.md)')
    .requiredOption('-o, --out <store>', 'the SQLite store (created when missing; points already in it are skipped)')
    .option('-w, --workers <W>', 'worker threads (0: in this thread; W > 1: one BLAS thread each)', parseWorkers, 1)
    .option('--shard <i/K>', 'run only shard i of K (0 <= i < K); default from SLURM_ARRAY_TASK_ID/COUNT when set', parseShardOption)
    .option('--retry-failed', 'run again the points stored as failures', false)
    .option('--dry-run', 'expand and validate the sweep, report what would run, run nothing', false)
    .action(async (file: string, flags: SweepFlags) => {
      const opts = globals();
      const plan = loadSweep(file);
      const shard = flags.shard ?? shardFromSlurm();
      const store = openStore(flags.out, { readonly: false });
      const controller = new AbortController();
      const abandon = new AbortController();
      let signals = 0;
      const onSigint = (): void => {
        signals++;
        if (signals === 1) {
          process.stderr.write('\nfeatlearn sweep: interrupted; finishing the running points (Ctrl-C again to drop them)\n');
          controller.abort();
        } else {
          process.stderr.write('\nfeatlearn sweep: dropping the running points\n');
          abandon.abort();
        }
      };
      let bar: Progress | null = null;
      let report: SweepRunReport;
      try {
        if (flags.dryRun) {
          const mine = selectShard(plan.points, shard);
          const stored = flags.retryFailed ? store.keys('ok') : store.keys();
          const todo = mine.filter((p) => !stored.has(p.key)).length;
          const r = { sweep: plan.name, command: plan.command, points: plan.points.length, duplicates: plan.duplicates, shard, inShard: mine.length, stored: mine.length - todo, toRun: todo };
          if (opts.json) printJson(r);
          else printText(opts, `featlearn sweep ${plan.name} (${plan.command}): ${r.points} points${shard ? `, shard ${shard.index}/${shard.count}: ${r.inShard}` : ''}; ${r.stored} already stored, ${r.toRun} to run${plan.duplicates ? `; ${plan.duplicates} duplicate points dropped` : ''}`);
          return;
        }
        process.on('SIGINT', onSigint);
        process.on('SIGTERM', onSigint);
        const lines = !opts.json && !opts.quiet && !process.stderr.isTTY;
        report = await runSweep(plan, store, {
          workers: flags.workers,
          shard,
          retryFailed: flags.retryFailed,
          signal: controller.signal,
          abandon: abandon.signal,
          onStart: ({ total }) => {
            bar = progressBar(opts, total, `sweep ${plan.name}`);
          },
          onPoint: ({ row, done, total }) => {
            bar?.tick();
            if (lines) {
              const what = Object.entries(row.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
              process.stderr.write(`[${done}/${total}] ${row.status}${row.reason ? ` (${row.reason})` : ''} ${what} seed=${row.seed} ${row.seconds.toFixed(2)}s\n`);
            }
          },
        });
      } finally {
        (bar as Progress | null)?.stop();
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigint);
        if (flags.dryRun) store.close();
      }
      const storePoints = store.count();
      store.close();
      if (opts.json) printJson({ ...report, store: flags.out, storePoints });
      else printText(opts, formatSweepReport(report, storePoints, flags.out));
      if (signals > 0) process.exit(130);
    });
}
