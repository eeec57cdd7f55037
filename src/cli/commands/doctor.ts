/**
 * `featlearn doctor`: which backend is in use and why, the BLAS library and its threads, the machine.
 */
import { Command } from 'commander';
import { getBackend } from '../../linalg/index.js';
import { loadNative } from '../../native/load.js';
import { chooseBackend } from '../../native/select.js';
import { gitCommit, machineInfo } from '../../provenance/record.js';
import { featlearnVersion } from '../../provenance/version.js';
import { printJson, printText, type GlobalOptions } from '../output.js';

export interface DoctorReport {
  featlearn: string;
  gitCommit: string | null;
  node: string;
  backend: { name: string; reason: string; forced: string | null };
  addon: { loaded: boolean; path: string | null; error: string | null };
  blas: string;
  threads: number;
  machine: ReturnType<typeof machineInfo>;
  notes: string[];
}

export function doctorReport(): DoctorReport {
  const choice = chooseBackend();
  const load = loadNative();
  const info = getBackend().info();
  const notes: string[] = [];
  if (choice.name === 'portable') {
    notes.push('portable backend: dense linear algebra is ~20x slower; install libopenblas-dev liblapacke-dev and run `npm run build:native`');
  }
  if (process.env.OPENBLAS_NUM_THREADS || process.env.OMP_NUM_THREADS) {
    notes.push('OPENBLAS_NUM_THREADS/OMP_NUM_THREADS are set; featlearn sets the BLAS thread count itself from --threads / FEATLEARN_THREADS');
  }
  return {
    featlearn: featlearnVersion(),
    gitCommit: gitCommit(),
    node: process.version,
    backend: { name: choice.name, reason: choice.reason, forced: process.env.FEATLEARN_BACKEND || null },
    addon: load.ok ? { loaded: true, path: load.path, error: null } : { loaded: false, path: null, error: load.reason },
    blas: info.blas,
    threads: info.threads,
    machine: machineInfo(),
    notes,
  };
}

export function doctorCommand(globals: () => GlobalOptions): Command {
  return new Command('doctor').description('report the backend in use, BLAS library, threads and machine').action(() => {
    const opts = globals();
    const r = doctorReport();
    if (opts.json) return printJson(r);
    printText(
      opts,
      [
        `featlearn ${r.featlearn}${r.gitCommit ? ` (${r.gitCommit.slice(0, 10)})` : ''}`,
        `node       ${r.node}`,
        `backend    ${r.backend.name} — ${r.backend.reason}`,
        `addon      ${r.addon.loaded ? `loaded from ${r.addon.path}` : `not loaded: ${r.addon.error}`}`,
        `blas       ${r.blas}`,
        `threads    ${r.threads}`,
        `machine    ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, ${r.machine.platform}/${r.machine.arch}`,
        ...r.notes.map((n) => `note       ${n}`),
      ].join('\n'),
    );
  });
}
