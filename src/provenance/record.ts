/**
 * Provenance carried by every result (STYLE.md principle 12): featlearn version, git commit (when run
 * from a checkout), backend and BLAS, threads, Node, machine.
 */
import { execFileSync } from 'node:child_process';
import { cpus, hostname, platform, arch, totalmem } from 'node:os';
import { getBackend } from '../linalg/index.js';
import { packageRoot } from '../native/load.js';
import { featlearnVersion } from './version.js';

export interface Provenance {
  featlearn: string;
  gitCommit: string | null;
  backend: string;
  blas: string;
  threads: number;
  node: string;
  machine: { cpu: string; cores: number; memoryGiB: number; platform: string; arch: string; hostname: string };
  createdAt: string;
}

let commit: string | null | undefined;

export function gitCommit(): string | null {
  if (commit !== undefined) return commit;
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: packageRoot(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    commit = null;
  }
  return commit;
}

export function machineInfo(): Provenance['machine'] {
  const cpuList = cpus();
  return {
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: platform(),
    arch: arch(),
    hostname: hostname(),
  };
}

export function provenance(): Provenance {
  const info = getBackend().info();
  return {
    featlearn: featlearnVersion(),
    gitCommit: gitCommit(),
    backend: info.name,
    blas: info.blas,
    threads: info.threads,
    node: process.version,
    machine: machineInfo(),
    createdAt: new Date().toISOString(),
  };
}
