/**
 * A point's key: the SHA-256 (hex) of the canonical JSON (src/store/canonical.ts) of
 * { command, config, seed } with the RESOLVED config (every default filled in). Two sweeps that reach
 * the same experiment by different files (a ratio or a count, a default or an explicit value) give the
 * same key; a featlearn whose defaults change gives new keys. The version and machine are not part of it.
 */
import { canonicalHash } from '../store/canonical.js';
import type { SweepCommand } from './schema.js';

export function pointKey(command: SweepCommand, config: unknown, seed: number): string {
  return canonicalHash({ command, config, seed });
}
