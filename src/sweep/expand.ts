/**
 * From a sweep file to its points: (points x grid cells) x seeds, in a fixed order (points outer, grid
 * keys in file order with the last varying fastest, seeds innermost). Each point's config is the base
 * with the dotted keys set and `seed` set, resolved by the command's schema (so an unknown or bad key is
 * an error naming it, before anything runs), and keyed by pointKey (./key.ts). Points that resolve to the
 * same key (e.g. a ratio and the equal count) are kept once.
 */
import { basename } from 'node:path';
import { readConfigFile } from '../config/load.js';
import { ConfigError, parseWith } from '../config/validate.js';
import { resolveExperimentConfig } from '../models/experiment-config.js';
import { resolveDynamicsConfig } from '../models/dynamics-config.js';
import { pointKey } from './key.js';
import { axisValues, sweepFileSchema, type SweepCommand, type SweepFile } from './schema.js';
import type { Scalar } from './values.js';

export interface SweepPoint {
  /** Position in the expansion (sharding uses it). */
  index: number;
  key: string;
  command: SweepCommand;
  /** The swept values of this point by dotted key. */
  params: Record<string, Scalar | unknown>;
  /** The resolved config (config.seed = seed). */
  config: Record<string, unknown>;
  seed: number;
}

export interface SweepPlan {
  name: string;
  command: SweepCommand;
  points: SweepPoint[];
  /** Points dropped because an earlier point had the same key. */
  duplicates: number;
}

/** Sets a dotted key in a deep copy of `base`. */
export function setDotted(base: Record<string, unknown>, dotted: string, value: unknown): Record<string, unknown> {
  const root = structuredClone(base);
  const path = dotted.split('.');
  let node = root;
  for (const [i, part] of path.slice(0, -1).entries()) {
    const next = node[part];
    if (next === undefined) node[part] = {};
    else if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      throw new ConfigError([`${dotted}: ${path.slice(0, i + 1).join('.')} is ${JSON.stringify(next)} in the base config, not an object`]);
    }
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
  return root;
}

/** The resolved config of a command (its schema's resolve function). */
export function resolveFor(command: SweepCommand, raw: unknown, source: string): Record<string, unknown> {
  return (command === 'dynamics' ? resolveDynamicsConfig(raw, source) : resolveExperimentConfig(raw, source)) as unknown as Record<string, unknown>;
}

function cartesian(axes: [string, unknown[]][]): Record<string, unknown>[] {
  let cells: Record<string, unknown>[] = [{}];
  for (const [k, values] of axes) cells = cells.flatMap((c) => values.map((v) => ({ ...c, [k]: v })));
  return cells;
}

function describe(params: Record<string, unknown>): string {
  const parts = Object.entries(params).map(([k, v]) => `${k} = ${JSON.stringify(v)}`);
  return parts.length ? parts.join(', ') : 'the base config';
}

/** Validates a parsed sweep file (schema errors name the key) and expands it. */
export function expandSweep(raw: unknown, source = 'sweep file', defaultName = 'sweep'): SweepPlan {
  const file: SweepFile = parseWith(sweepFileSchema, raw, source);
  const axes: [string, unknown[]][] = Object.entries(file.grid ?? {}).map(([k, spec]) => {
    const r = axisValues(spec);
    if ('problems' in r) throw new ConfigError([`grid.${k}: invalid axis`], source); // unreachable after the schema
    return [k, r.values];
  });
  const listed = file.points ?? [{}];
  const firstSeed = typeof file.base.seed === 'number' ? file.base.seed : 0;
  const seeds = Array.isArray(file.seeds) ? file.seeds : Array.from({ length: file.seeds }, (_, k) => firstSeed + k);
  const cells = cartesian(axes);
  const points: SweepPoint[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  const problems: string[] = [];
  listed.forEach((listedPoint, pi) => {
    for (const cell of cells) {
      const params = { ...listedPoint, ...cell };
      let raw: Record<string, unknown> = file.base;
      const where = `${file.points ? `points.${pi}` : 'grid'} (${describe(params)})`;
      try {
        for (const [k, v] of Object.entries(params)) raw = setDotted(raw, k, v);
      } catch (e) {
        problems.push(`${where}: ${(e as ConfigError).issues?.join('; ') ?? (e as Error).message}`);
        continue;
      }
      for (const seed of seeds) {
        let config: Record<string, unknown>;
        try {
          config = resolveFor(file.command, { ...raw, seed }, `${file.command} config`);
        } catch (e) {
          if (!(e instanceof ConfigError)) throw e;
          problems.push(...e.issues.map((i) => `${where}: ${i}`));
          break; // the same problem for every seed
        }
        const key = pointKey(file.command, config, seed);
        if (seen.has(key)) {
          duplicates++;
          continue;
        }
        seen.add(key);
        points.push({ index: points.length, key, command: file.command, params, config, seed });
      }
      if (problems.length >= 20) break;
    }
  });
  if (problems.length > 0) throw new ConfigError([...new Set(problems)].slice(0, 20), source);
  return { name: file.name ?? defaultName, command: file.command, points, duplicates };
}

/** Reads (YAML or JSON) and expands a sweep file; the default name is the file's base name. */
export function loadSweep(path: string): SweepPlan {
  let raw: unknown;
  try {
    raw = readConfigFile(path);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(e.issues.map((i) => i.replace(/^--config/, 'sweep file')));
    throw e;
  }
  return expandSweep(raw, `sweep file ${path}`, basename(path).replace(/\.(ya?ml|json)$/i, ''));
}
