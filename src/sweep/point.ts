/**
 * Runs one sweep point with the command's engine and turns the outcome into a store row:
 * - simulate: runSeed (src/simulate/run.ts) after the memory check; the RunResult without its timing.
 * - theory: theory() (src/theory/index.ts); a point whose solver did not converge is a failure with the
 *   solver's reason (its record, with null numbers, is kept as the result).
 * - dynamics: runDynamics (src/simulate/dynamics); the result is { outcome, run } (outcome: the summary
 *   scalars of src/simulate/dynamics/seeds.ts).
 * Any error thrown by an engine makes the point a failure with `<ErrorName>: <message>` (never a number).
 */
import { hostname } from 'node:os';
import type { LinalgBackend } from '../linalg/backend.js';
import type { ExperimentConfig } from '../models/experiment-config.js';
import type { DynamicsConfig } from '../models/dynamics-config.js';
import { runSeed, memoryShape } from '../simulate/run.js';
import { checkMemory } from '../simulate/memory.js';
import { SimulationError } from '../simulate/errors.js';
import { runDynamics } from '../simulate/dynamics/run.js';
import { outcome } from '../simulate/dynamics/seeds.js';
import { theory } from '../theory/index.js';
import { featlearnVersion } from '../provenance/version.js';
import { gitCommit } from '../provenance/record.js';
import type { StoredPoint } from '../store/store.js';
import type { SweepPoint } from './expand.js';

export interface PointOutcome {
  status: 'ok' | 'failed';
  reason: string | null;
  result: unknown;
}

function failure(e: unknown): PointOutcome {
  const err = e as Error;
  const kind = e instanceof SimulationError ? ` (${e.kind})` : '';
  return { status: 'failed', reason: `${err?.name ?? 'Error'}${kind}: ${err?.message ?? String(e)}`, result: null };
}

/** The engine's outcome for one point (module comment). */
export function computePoint(p: Pick<SweepPoint, 'command' | 'config' | 'seed'>, backend: LinalgBackend): PointOutcome {
  try {
    if (p.command === 'simulate') {
      const cfg = p.config as unknown as ExperimentConfig;
      checkMemory(memoryShape(cfg));
      const { seconds: _s, ...result } = runSeed(cfg, p.seed, backend);
      return { status: 'ok', reason: null, result };
    }
    if (p.command === 'theory') {
      const cfg = p.config as unknown as ExperimentConfig;
      const r = theory(cfg, { backend: cfg.theory.spectrum === 'sampled' ? backend : undefined });
      if (r.ok) return { status: 'ok', reason: null, result: r };
      return { status: 'failed', reason: `${r.reason ?? 'failed'}: ${r.message ?? 'the theory did not converge'}`, result: r };
    }
    const r = runDynamics(p.config as unknown as DynamicsConfig, { backend });
    return { status: 'ok', reason: null, result: { outcome: outcome(r), run: r } };
  } catch (e) {
    return failure(e);
  }
}

/** Runs a point and returns its store row (provenance: this process's version, backend and threads). */
export function runPoint(p: SweepPoint, sweep: string, backend: LinalgBackend): StoredPoint {
  const startedAt = new Date();
  const t0 = performance.now();
  const out = computePoint(p, backend);
  const seconds = (performance.now() - t0) / 1000;
  const info = backend.info();
  return {
    key: p.key,
    command: p.command,
    sweep,
    index: p.index,
    params: p.params,
    config: p.config,
    seed: p.seed,
    status: out.status,
    reason: out.reason,
    result: out.result,
    featlearn: featlearnVersion(),
    gitCommit: gitCommit(),
    backend: info.name,
    threads: info.threads,
    hostname: hostname(),
    seconds,
    startedAt: startedAt.toISOString(),
    createdAt: new Date().toISOString(),
  };
}
