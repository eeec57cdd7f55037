/**
 * The results store: round trip of a point, one row per key, read-only opening, whole-row rules (a failure
 * needs a reason), the flat columns and CSV (parsed back by an independent reader), canonical JSON, and
 * merge (identical duplicates dropped, conflicts detected and nothing written, tolerance, --keep-first).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError } from '../../src/config/validate.js';
import { canonicalHash, canonicalJson, flattenPoint, mergeStores, openStore, pointsToCsv, type StoredPoint } from '../../src/store/index.js';

const dir = (): string => mkdtempSync(join(tmpdir(), 'featlearn-store-'));

function point(key: string, over: Partial<StoredPoint> = {}): StoredPoint {
  return {
    key,
    command: 'theory',
    sweep: 's',
    index: 0,
    params: { alpha: 0.5 },
    config: { d: 100, alpha: 0.5, step: { eta: 1 }, seed: 0 },
    seed: 0,
    status: 'ok',
    reason: null,
    result: { risk: 0.25, ok: true, orderParameters: { q: 1.5 }, warnings: ['w'] },
    featlearn: '0.1.0',
    gitCommit: null,
    backend: 'native',
    threads: 1,
    hostname: 'h',
    seconds: 0.5,
    startedAt: '2026-01-01T00:00:00.000Z',
    createdAt: '2026-01-01T00:00:01.000Z',
    ...over,
  };
}

/** A small RFC 4180 reader (quotes, doubled quotes, commas and newlines in quoted cells). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  return rows;
}

describe('store', () => {
  it('round-trips a point; a key is stored once; WAL and synchronous FULL', () => {
    const path = join(dir(), 'r.sqlite');
    const s = openStore(path);
    const p = point('a');
    expect(s.insert(p)).toBe(true);
    expect(s.insert(point('a', { seed: 9 }))).toBe(false);
    expect(s.count()).toBe(1);
    expect(s.get('a')).toEqual(p);
    expect(s.has('a')).toBe(true);
    expect(s.has('b')).toBe(false);
    s.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect((db.prepare('SELECT COUNT(*) AS n FROM points').get() as { n: number }).n).toBe(1);
    db.close();
    const r = openStore(path, { readonly: true });
    expect(r.points()).toEqual([p]);
    expect(() => r.insert(point('b'))).toThrow(/read-only/);
    r.close();
  });

  it('replace overwrites a row (retrying a failure); filters by status and command', () => {
    const s = openStore(join(dir(), 'r.sqlite'));
    s.insert(point('a', { status: 'failed', reason: 'max-iterations: no', result: null }));
    s.insert(point('b', { command: 'simulate' }));
    expect(s.keys('failed')).toEqual(new Set(['a']));
    expect(s.insert(point('a'), { replace: true })).toBe(true);
    expect(s.get('a')!.status).toBe('ok');
    expect(s.count({ command: 'simulate' })).toBe(1);
    expect(s.points({ status: 'ok' }).map((p) => p.key)).toEqual(['a', 'b']);
    s.close();
  });

  it('refuses a failure without a reason, an ok point with one, an unknown command; a missing file read-only', () => {
    const s = openStore(join(dir(), 'r.sqlite'));
    expect(() => s.insert(point('a', { status: 'failed', reason: null }))).toThrow(/needs a reason/);
    expect(() => s.insert(point('a', { reason: 'x' }))).toThrow(/needs a reason and an ok point has none/);
    expect(() => s.insert(point('a', { command: 'plot' as never }))).toThrow(/command must be one of simulate, theory, dynamics, got "plot"/);
    expect(s.count()).toBe(0);
    s.close();
    expect(() => openStore(join(dir(), 'missing.sqlite'), { readonly: true })).toThrow(ConfigError);
    expect(() => openStore(join(dir(), 'missing.sqlite'), { readonly: true })).toThrow(/store: cannot open ".*missing\.sqlite" for reading/);
  });

  it('refuses a file that is not a featlearn store', () => {
    const path = join(dir(), 'other.sqlite');
    const db = new Database(path);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(() => openStore(path, { readonly: true })).toThrow(/not a featlearn store/);
  });
});

describe('columns', () => {
  it('flattens config and result by dotted key; arrays stay out; a clashing result leaf is result.<name>', () => {
    const row = flattenPoint(point('a', { result: { risk: 0.25, seed: 0, alpha: 7, nested: { x: 1, list: [1, 2] } } }));
    expect(row).toMatchObject({ key: 'a', command: 'theory', seed: 0, status: 'ok', d: 100, alpha: 0.5, 'step.eta': 1, risk: 0.25, 'nested.x': 1, 'result.alpha': 7 });
    expect(row).not.toHaveProperty('result.seed'); // equal to the seed column
    expect(row).not.toHaveProperty('nested.list');
  });

  it('CSV: a header of the union of columns, cells quoted where needed, read back equal', () => {
    const pts = [point('a', { reason: null }), point('b', { status: 'failed', reason: 'nan: "bad", at step 3\nstop', result: null, config: { d: 100, 'we,ird': 'x' } })];
    const rows = parseCsv(pointsToCsv(pts));
    const [head, ...body] = rows;
    expect(body).toHaveLength(2);
    const col = (r: string[], name: string): string => r[head.indexOf(name)];
    expect(col(body[0], 'risk')).toBe('0.25');
    expect(Number(col(body[0], 'orderParameters.q'))).toBe(1.5);
    expect(col(body[1], 'risk')).toBe('');
    expect(col(body[1], 'reason')).toBe('nan: "bad", at step 3\nstop');
    expect(col(body[1], 'we,ird')).toBe('x');
    expect(head.slice(0, 5)).toEqual(['key', 'command', 'sweep', 'seed', 'status']);
  });

  it('canonical JSON does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 0.1 } })).toBe('{"a":{"c":0.1,"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(canonicalHash({ a: 1, b: 2 })).toBe(canonicalHash({ b: 2, a: 1 }));
    expect(canonicalHash({ a: 1 })).not.toBe(canonicalHash({ a: 1.0000000000000002 }));
  });
});

describe('merge', () => {
  function storeWith(path: string, pts: StoredPoint[]): string {
    const s = openStore(path);
    for (const p of pts) s.insert(p);
    s.close();
    return path;
  }

  it('unions by key, drops agreeing duplicates (provenance may differ)', () => {
    const d = dir();
    const a = storeWith(join(d, 'a.sqlite'), [point('k1'), point('k2')]);
    const b = storeWith(join(d, 'b.sqlite'), [point('k2', { hostname: 'other', seconds: 9 }), point('k3')]);
    const r = mergeStores([a, b], join(d, 'all.sqlite'));
    expect(r).toMatchObject({ points: 3, duplicates: 1, conflicts: [] });
    const all = openStore(join(d, 'all.sqlite'), { readonly: true });
    expect(all.points().map((p) => p.key)).toEqual(['k1', 'k2', 'k3']);
    expect(all.get('k2')!.hostname).toBe('h');
    all.close();
  });

  it('detects conflicting duplicates and writes nothing; tolerance and keepFirst', () => {
    const d = dir();
    const a = storeWith(join(d, 'a.sqlite'), [point('k1'), point('k2')]);
    const b = storeWith(join(d, 'b.sqlite'), [point('k1', { result: { risk: 0.25 * (1 + 1e-12), ok: true, orderParameters: { q: 1.5 }, warnings: ['w'] } }), point('k3')]);
    const c = storeWith(join(d, 'c.sqlite'), [point('k2', { status: 'failed', reason: 'nan: x', result: null })]);
    const r = mergeStores([a, b, c], join(d, 'out.sqlite'));
    expect(r.conflicts.map((x) => x.key)).toEqual(['k1', 'k2']);
    expect(r.conflicts[0].what).toMatch(/result differs at risk: 0\.25 vs 0\.25000000000025/);
    expect(r.conflicts[1].what).toMatch(/status ok vs failed/);
    expect(r.points).toBe(0);
    const r2 = mergeStores([a, b], join(d, 'tol.sqlite'), { tolerance: 1e-9 });
    expect(r2).toMatchObject({ points: 3, duplicates: 1, conflicts: [] });
    const r3 = mergeStores([a, b, c], join(d, 'first.sqlite'), { keepFirst: true });
    expect(r3.points).toBe(3);
    const s = openStore(join(d, 'first.sqlite'), { readonly: true });
    expect(s.get('k2')!.status).toBe('ok');
    s.close();
  });
});
