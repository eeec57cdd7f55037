/**
 * The results store's SQLite schema (docs/sweeps.md, "The store"). One row per point (a resolved config,
 * a seed and a command), keyed by the point's hash (src/sweep/key.ts). JSON columns hold the resolved
 * config, the swept values and the result; the rest are plain columns for queries.
 *
 * A failed point has status 'failed', a reason, and no numbers (result is the engine's failure record,
 * whose numbers are null, or NULL when the engine threw).
 */
export const STORE_SCHEMA_VERSION = 1;

export const STORE_DDL = `
CREATE TABLE IF NOT EXISTS meta (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS points (
  key         TEXT PRIMARY KEY,              -- SHA-256 of canonical {command, config, seed}
  command     TEXT NOT NULL CHECK (command IN ('simulate', 'theory', 'dynamics')),
  sweep       TEXT,                          -- the sweep file's name (informative; not part of the key)
  idx         INTEGER,                       -- the point's index in its sweep's expansion
  params      TEXT NOT NULL,                 -- JSON: the swept values by dotted key
  config      TEXT NOT NULL,                 -- JSON: the resolved config (every default filled in)
  seed        INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
  reason      TEXT,                          -- why it failed (NULL when ok)
  result      TEXT,                          -- JSON: the engine's result for this point and seed
  featlearn   TEXT NOT NULL,                 -- featlearn version
  git_commit  TEXT,
  backend     TEXT NOT NULL,                 -- 'native' | 'portable'
  threads     INTEGER NOT NULL,              -- BLAS threads of the process that ran it
  hostname    TEXT NOT NULL,
  seconds     REAL NOT NULL,                 -- wall time of the point
  started_at  TEXT NOT NULL,                 -- ISO 8601
  created_at  TEXT NOT NULL,                 -- ISO 8601, when the row was committed
  CHECK ((status = 'ok') = (reason IS NULL))
);
CREATE INDEX IF NOT EXISTS points_sweep ON points (sweep, idx);
`;
