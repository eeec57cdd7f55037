/**
 * `--set key=value` overrides with dotted keys (`--set step.eta=2 --set teacher.link=relu`). Values are
 * read as YAML scalars: numbers, booleans, null and strings (quote a string that looks like a number).
 * Unknown keys are left for the schema to reject, so the error names them.
 */
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './validate.js';

export function parseOverride(assignment: string): { path: string[]; value: unknown } {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new ConfigError([`--set: expected key=value (e.g. step.eta=2), got "${assignment}"`]);
  const key = assignment.slice(0, eq).trim();
  const path = key.split('.');
  if (path.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype')) {
    throw new ConfigError([`--set: invalid key "${key}"`]);
  }
  const text = assignment.slice(eq + 1);
  let value: unknown;
  try {
    value = text.trim() === '' ? '' : parseYaml(text);
  } catch {
    value = text;
  }
  return { path, value };
}

/** Returns a deep copy of `base` with the overrides applied in order. */
export function applyOverrides(base: unknown, assignments: readonly string[]): Record<string, unknown> {
  const root: Record<string, unknown> = base && typeof base === 'object' ? structuredClone(base as Record<string, unknown>) : {};
  for (const a of assignments) {
    const { path, value } = parseOverride(a);
    let node = root;
    for (const [i, part] of path.slice(0, -1).entries()) {
      const next = node[part];
      if (next === undefined) node[part] = {};
      else if (typeof next !== 'object' || next === null || Array.isArray(next)) {
        throw new ConfigError([`--set ${a}: ${path.slice(0, i + 1).join('.')} is ${JSON.stringify(next)}, not an object`]);
      }
      node = node[part] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = value;
  }
  return root;
}
