/** Reads a config file (JSON or YAML, by extension; YAML otherwise) and applies `--set` overrides. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { applyOverrides } from './overrides.js';
import { ConfigError } from './validate.js';

export function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError([`--config: cannot read "${path}": ${(e as Error).message}`]);
  }
  try {
    return path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ConfigError([`--config: "${path}" is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message}`]);
  }
}

/** The raw config from an optional file plus overrides (validation is the schema's job). */
export function loadRawConfig(file: string | undefined, sets: readonly string[]): Record<string, unknown> {
  return applyOverrides(file ? readConfigFile(file) : {}, sets);
}
