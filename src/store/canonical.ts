/**
 * Canonical JSON: object keys sorted recursively, numbers in JavaScript's shortest round-trip form
 * (ECMA-262 Number::toString, so equal doubles give equal text), no whitespace. Two values that are
 * deep-equal give the same string; the sweep key is a SHA-256 of it (src/sweep/key.ts), and merge uses it
 * to tell identical duplicates from conflicting ones (src/store/merge.ts).
 */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object' && !ArrayBuffer.isView(v)) {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = sortKeys(o[k]);
    return out;
  }
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  return v;
}

/** Hex SHA-256 of the canonical JSON of `value`. */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
