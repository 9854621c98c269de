/**
 * @module sinks/log/sqlite
 * The default {@link Store}: SQLite through better-sqlite3, embedded, zero set-up (SPEC
 * "Interaction log"). One file (or `:memory:`), WAL journal so readers never wait for the
 * writer and several processes can share the file, a busy timeout so concurrent writers queue
 * instead of failing. The schema is created or migrated when the store opens, recorded in
 * `switchboard_migrations`.
 *
 * Each row holds the columns the queries use (indexed) and the whole record as JSON text, which
 * is what reads return: the record comes back exactly as saved.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ErrorCode, SwitchboardError, toSwitchboardError } from '../../core/errors.js';
import type { InteractionRecord } from '../../core/interaction.js';
import { attempt, closedError, fromJson, normalizeFilter, normalizeQuery, pageCursor, toRow, type NormalizedFilter } from './common.js';
import type { RecordFilter, RecordPage, RecordQuery, SaveResult, Store } from './store.js';

/** Schema migrations, applied in order; never edit one that has shipped, add the next. */
const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'interaction_records',
    sql: `
      CREATE TABLE interaction_records (
        id TEXT NOT NULL PRIMARY KEY,
        agent_id TEXT NOT NULL,
        source TEXT NOT NULL,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        record TEXT NOT NULL
      );
      CREATE INDEX interaction_records_end ON interaction_records (end_ms DESC, id DESC);
      CREATE INDEX interaction_records_agent_end ON interaction_records (agent_id, end_ms DESC, id DESC);
    `,
  },
];

/** The schema version this code writes; a database at a newer version is refused. */
export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;

export interface SqliteStoreOptions {
  /** How long a write waits for another connection's write lock, ms. Default 5000. */
  busyTimeoutMs?: number;
  /** Create the file's directory if it is missing. Default true. */
  createDirectory?: boolean;
}

type Row = { end_ms: number; id: string; record: string };

function where(filter: NormalizedFilter, after?: { endMs: number; id: string }): { sql: string; params: (string | number)[] } {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  if (filter.agentId !== undefined) {
    parts.push('agent_id = ?');
    params.push(filter.agentId);
  }
  if (filter.fromMs !== undefined) {
    parts.push('end_ms >= ?');
    params.push(filter.fromMs);
  }
  if (filter.beforeMs !== undefined) {
    parts.push('end_ms < ?');
    params.push(filter.beforeMs);
  }
  if (after !== undefined) {
    parts.push('(end_ms, id) < (?, ?)');
    params.push(after.endMs, after.id);
  }
  return { sql: parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`, params };
}

function driverError(err: unknown, what: string): SwitchboardError {
  if (err instanceof SwitchboardError) return err;
  const e = toSwitchboardError(err, ErrorCode.INTERNAL);
  return new SwitchboardError(e.code, `sqlite store: ${what} failed: ${e.message}`, { cause: err });
}

/**
 * @example
 * const store = SqliteStore.open('./data/switchboard.db');
 * await store.save(record);
 */
export class SqliteStore implements Store {
  private db: Database.Database | undefined;
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(
    db: Database.Database,
    /** The file path, or `:memory:`. */
    readonly path: string,
  ) {
    this.db = db;
  }

  /**
   * Open (creating if needed) the database at `path` and bring its schema up to date.
   * Throws a SwitchboardError: INVALID_STATE for a database written by a newer Switchboard,
   * INTERNAL when the file cannot be opened.
   */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteStore {
    if (typeof path !== 'string' || path === '') throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, 'sqlite store: the path must be a non-empty string (or ":memory:")');
    const memory = path === ':memory:';
    let db: Database.Database;
    try {
      if (!memory && (options.createDirectory ?? true)) mkdirSync(dirname(path), { recursive: true });
      db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
    } catch (err) {
      throw driverError(err, `opening ${path}`);
    }
    try {
      if (!memory) db.pragma('journal_mode = WAL');
      // WAL makes NORMAL durable against process crashes; only an OS crash or power loss can
      // lose the last transactions (never corrupt the file).
      db.pragma('synchronous = NORMAL');
      migrate(db);
    } catch (err) {
      db.close();
      throw driverError(err, `opening ${path}`);
    }
    return new SqliteStore(db, path);
  }

  save(record: InteractionRecord): Promise<SaveResult> {
    return attempt(() => {
      const row = toRow(record);
      const stmt = this.statement(
        'save',
        'INSERT INTO interaction_records (id, agent_id, source, start_ms, end_ms, record) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
      );
      try {
        const info = stmt.run(row.id, row.agentId, row.source, row.startMs, row.endMs, row.json);
        return info.changes === 1 ? 'inserted' : 'duplicate';
      } catch (err) {
        throw driverError(err, 'save');
      }
    });
  }

  get(id: string): Promise<InteractionRecord | undefined> {
    return attempt(() => {
      if (typeof id !== 'string') throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, 'get: "id" must be a string');
      const stmt = this.statement('get', 'SELECT record FROM interaction_records WHERE id = ?');
      try {
        const row = stmt.get(id) as { record: string } | undefined;
        return row === undefined ? undefined : fromJson(row.record);
      } catch (err) {
        throw driverError(err, 'get');
      }
    });
  }

  list(query?: RecordQuery): Promise<RecordPage> {
    return attempt(() => {
      const q = normalizeQuery(query);
      const w = where(q, q.after);
      const sql = `SELECT end_ms, id, record FROM interaction_records ${w.sql} ORDER BY end_ms DESC, id DESC LIMIT ?`;
      const stmt = this.statement(sql, sql);
      try {
        const rows = stmt.all(...w.params, q.limit + 1) as Row[];
        const page: RecordPage = { records: rows.slice(0, q.limit).map((r) => fromJson(r.record)) };
        const cursor = pageCursor(rows.map((r) => ({ endMs: r.end_ms, id: r.id })), q.limit);
        if (cursor !== undefined) page.nextCursor = cursor;
        return page;
      } catch (err) {
        throw driverError(err, 'list');
      }
    });
  }

  count(filter?: RecordFilter): Promise<number> {
    return attempt(() => {
      const w = where(normalizeFilter(filter));
      const sql = `SELECT count(*) AS n FROM interaction_records ${w.sql}`;
      const stmt = this.statement(sql, sql);
      try {
        return (stmt.get(...w.params) as { n: number }).n;
      } catch (err) {
        throw driverError(err, 'count');
      }
    });
  }

  close(): Promise<void> {
    return attempt(() => {
      const db = this.db;
      this.db = undefined;
      this.statements.clear();
      db?.close();
    });
  }

  private statement(key: string, sql: string): Database.Statement {
    const db = this.db;
    if (db === undefined) throw closedError('sqlite store');
    let stmt = this.statements.get(key);
    if (stmt === undefined) {
      try {
        stmt = db.prepare(sql);
      } catch (err) {
        throw driverError(err, 'preparing a statement');
      }
      this.statements.set(key, stmt);
    }
    return stmt;
  }
}

/** Apply the migrations this database lacks, in one write transaction (one process at a time). */
function migrate(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS switchboard_migrations (
    version INTEGER NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  )`);
  const run = db.transaction(() => {
    const current = (db.prepare('SELECT coalesce(max(version), 0) AS v FROM switchboard_migrations').get() as { v: number }).v;
    if (current > SQLITE_SCHEMA_VERSION) {
      throw new SwitchboardError(ErrorCode.INVALID_STATE, `database schema version ${current} is newer than this Switchboard's (${SQLITE_SCHEMA_VERSION}); upgrade Switchboard`);
    }
    const record = db.prepare('INSERT INTO switchboard_migrations (version, name) VALUES (?, ?)');
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      record.run(m.version, m.name);
    }
  });
  run.immediate();
}
