/**
 * The results store: an SQLite file (better-sqlite3) with one row per finished point (schema.ts).
 *
 * Durability: journal_mode = WAL and synchronous = FULL. Every point is written in its own transaction,
 * so a row is either committed whole or absent (a kill -9 mid-write leaves no half row; SQLite's
 * atomic commit). With WAL, synchronous = NORMAL already survives a crash of the process, but a power
 * loss may drop the last commits; FULL fsyncs the WAL at every commit so a committed point survives
 * power loss too. The cost is one fsync per point (3.9 ms against 0.4 ms with NORMAL on the development VM),
 * small beside a simulated point; docs/sweeps.md.
 * busy_timeout lets several processes (shards on a shared disk) write one file, though one file per shard
 * plus `featlearn merge` is the documented way.
 */
import Database from 'better-sqlite3';
import { ConfigError } from '../config/validate.js';
import { STORE_DDL, STORE_SCHEMA_VERSION } from './schema.js';

export type PointCommand = 'simulate' | 'theory' | 'dynamics';
export const POINT_COMMANDS: readonly PointCommand[] = ['simulate', 'theory', 'dynamics'];
export type PointStatus = 'ok' | 'failed';

/** One finished point as stored. */
export interface StoredPoint {
  /** SHA-256 (hex) of the canonical {command, config, seed} (src/sweep/key.ts). */
  key: string;
  command: PointCommand;
  /** Name of the sweep that produced it (informative). */
  sweep: string | null;
  /** Index in its sweep's expansion (informative; shards use it). */
  index: number | null;
  /** The swept values by dotted key, e.g. { alpha: 0.5, "step.eta": 2 }. */
  params: Record<string, unknown>;
  /** The resolved config (every default filled in; config.seed = seed). */
  config: Record<string, unknown>;
  seed: number;
  status: PointStatus;
  /** Why it failed (null when ok). */
  reason: string | null;
  /** The engine's result (runSeed / theory / dynamics record); null when the engine threw. */
  result: unknown;
  featlearn: string;
  gitCommit: string | null;
  backend: string;
  threads: number;
  hostname: string;
  seconds: number;
  startedAt: string;
  createdAt: string;
}

interface Row {
  key: string;
  command: string;
  sweep: string | null;
  idx: number | null;
  params: string;
  config: string;
  seed: number;
  status: string;
  reason: string | null;
  result: string | null;
  featlearn: string;
  git_commit: string | null;
  backend: string;
  threads: number;
  hostname: string;
  seconds: number;
  started_at: string;
  created_at: string;
}

function fromRow(r: Row): StoredPoint {
  return {
    key: r.key,
    command: r.command as PointCommand,
    sweep: r.sweep,
    index: r.idx,
    params: JSON.parse(r.params) as Record<string, unknown>,
    config: JSON.parse(r.config) as Record<string, unknown>,
    seed: r.seed,
    status: r.status as PointStatus,
    reason: r.reason,
    result: r.result === null ? null : (JSON.parse(r.result) as unknown),
    featlearn: r.featlearn,
    gitCommit: r.git_commit,
    backend: r.backend,
    threads: r.threads,
    hostname: r.hostname,
    seconds: r.seconds,
    startedAt: r.started_at,
    createdAt: r.created_at,
  };
}

function toRow(p: StoredPoint): Row {
  if (!POINT_COMMANDS.includes(p.command)) throw new RangeError(`point ${p.key}: command must be one of ${POINT_COMMANDS.join(', ')}, got ${JSON.stringify(p.command)}`);
  if ((p.status === 'ok') !== (p.reason === null)) throw new RangeError(`point ${p.key}: a failed point needs a reason and an ok point has none (status ${p.status}, reason ${JSON.stringify(p.reason)})`);
  return {
    key: p.key,
    command: p.command,
    sweep: p.sweep,
    idx: p.index,
    params: JSON.stringify(p.params),
    config: JSON.stringify(p.config),
    seed: p.seed,
    status: p.status,
    reason: p.reason,
    result: p.result === null || p.result === undefined ? null : JSON.stringify(p.result),
    featlearn: p.featlearn,
    git_commit: p.gitCommit,
    backend: p.backend,
    threads: p.threads,
    hostname: p.hostname,
    seconds: p.seconds,
    started_at: p.startedAt,
    created_at: p.createdAt,
  };
}

export interface OpenStoreOptions {
  /** Open for reading only; the file must exist (default false: created when missing). */
  readonly?: boolean;
}

export interface PointFilter {
  command?: PointCommand;
  status?: PointStatus;
  sweep?: string;
}

export interface Store {
  readonly path: string;
  readonly readonly: boolean;
  /** Every stored point, ordered by sweep, index, key (a deterministic order). */
  points(filter?: PointFilter): StoredPoint[];
  get(key: string): StoredPoint | undefined;
  has(key: string): boolean;
  /** Keys of the stored points (optionally only those with a status). */
  keys(status?: PointStatus): Set<string>;
  count(filter?: PointFilter): number;
  /**
   * Commits one point in its own transaction. Returns false (and writes nothing) when the key is already
   * stored, unless `replace` (then the old row is replaced in the same transaction).
   */
  insert(point: StoredPoint, opts?: { replace?: boolean }): boolean;
  /** Commits many points in one transaction (merge); returns how many were new. */
  insertMany(points: Iterable<StoredPoint>): number;
  close(): void;
}

const COLUMNS = 'key, command, sweep, idx, params, config, seed, status, reason, result, featlearn, git_commit, backend, threads, hostname, seconds, started_at, created_at';
const VALUES = COLUMNS.split(', ').map((c) => `@${c}`).join(', ');

/** Opens (creating when missing, unless readonly) a results store. */
export function openStore(path: string, opts: OpenStoreOptions = {}): Store {
  const readonly = opts.readonly ?? false;
  let db: Database.Database;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly });
  } catch (e) {
    throw new ConfigError([`store: cannot open "${path}"${readonly ? ' for reading' : ''}: ${(e as Error).message}`]);
  }
  try {
    db.pragma('busy_timeout = 30000');
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.exec(STORE_DDL);
      const v = db.prepare('SELECT value FROM meta WHERE name = ?').get('schema_version') as { value: string } | undefined;
      if (v === undefined) db.prepare('INSERT INTO meta (name, value) VALUES (?, ?)').run('schema_version', String(STORE_SCHEMA_VERSION));
    }
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'points'").get();
    if (!table) throw new Error('not a featlearn store (no points table)');
    const v = db.prepare('SELECT value FROM meta WHERE name = ?').get('schema_version') as { value: string } | undefined;
    if (v && Number(v.value) !== STORE_SCHEMA_VERSION) throw new Error(`store schema version ${v.value}, this featlearn reads version ${STORE_SCHEMA_VERSION}`);
  } catch (e) {
    db.close();
    throw new ConfigError([`store: "${path}": ${(e as Error).message}`]);
  }

  const where = (f: PointFilter = {}): { sql: string; args: string[] } => {
    const parts: string[] = [];
    const args: string[] = [];
    if (f.command) {
      parts.push('command = ?');
      args.push(f.command);
    }
    if (f.status) {
      parts.push('status = ?');
      args.push(f.status);
    }
    if (f.sweep) {
      parts.push('sweep = ?');
      args.push(f.sweep);
    }
    return { sql: parts.length ? ` WHERE ${parts.join(' AND ')}` : '', args };
  };
  const insertStmt = readonly ? null : db.prepare(`INSERT OR IGNORE INTO points (${COLUMNS}) VALUES (${VALUES})`);
  const replaceStmt = readonly ? null : db.prepare(`INSERT OR REPLACE INTO points (${COLUMNS}) VALUES (${VALUES})`);
  const writable = (): void => {
    if (readonly) throw new Error(`store "${path}" was opened read-only`);
  };

  return {
    path,
    readonly,
    points(filter) {
      const w = where(filter);
      return (db.prepare(`SELECT ${COLUMNS} FROM points${w.sql} ORDER BY sweep, idx, key`).all(...w.args) as Row[]).map(fromRow);
    },
    get(key) {
      const r = db.prepare(`SELECT ${COLUMNS} FROM points WHERE key = ?`).get(key) as Row | undefined;
      return r ? fromRow(r) : undefined;
    },
    has(key) {
      return db.prepare('SELECT 1 FROM points WHERE key = ?').get(key) !== undefined;
    },
    keys(status) {
      const rows = (status ? db.prepare('SELECT key FROM points WHERE status = ?').all(status) : db.prepare('SELECT key FROM points').all()) as { key: string }[];
      return new Set(rows.map((r) => r.key));
    },
    count(filter) {
      const w = where(filter);
      return (db.prepare(`SELECT COUNT(*) AS n FROM points${w.sql}`).get(...w.args) as { n: number }).n;
    },
    insert(point, o = {}) {
      writable();
      const row = toRow(point);
      const stmt = o.replace ? replaceStmt! : insertStmt!;
      return db.transaction(() => stmt.run(row).changes > 0).immediate();
    },
    insertMany(points) {
      writable();
      return db.transaction(() => {
        let n = 0;
        for (const p of points) n += insertStmt!.run(toRow(p)).changes;
        return n;
      }).immediate();
    },
    close() {
      if (db.open) db.close();
    },
  };
}
