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
 *
 * The outbox (migration 2, docs/outbox.md) lives in the same file: `outbox` and `outbox_dead`.
 * Every outbox write is one `BEGIN IMMEDIATE` transaction, so a claim holds the file's write
 * lock while it picks and leases messages: two connections (or processes) on one file never
 * lease the same message. Times are integer ms from the injected clock.
 *
 * The CRM directory (migration 3, docs/store.md "CRM directory") lives there too:
 * `crm_directory` (entries, numbers as written), `crm_directory_phone` (their E.164 numbers, the
 * lookup's index) and `crm_phone_call` (one phone-call record per call key). Its writes are
 * `BEGIN IMMEDIATE` transactions as well, so a read-modify-write of a call never loses a field
 * to another connection, and the call key's primary key makes a create happen once.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../../core/clock.js';
import { ErrorCode, SwitchboardError, toSwitchboardError } from '../../core/errors.js';
import type { InteractionRecord } from '../../core/interaction.js';
import {
  afterIdOf,
  attempt,
  callKeyOf,
  checkClaim,
  checkRetryIds,
  checkTime,
  closedError,
  fromJson,
  isOutboxId,
  addAssociationJson,
  checkDirectoryId,
  checkDirectoryLookup,
  checkDirectoryMatch,
  checkPhoneCallKey,
  leaseExpiredText,
  listLimit,
  mergeFieldsJson,
  phoneCallFieldsJson,
  toDirectoryRowsById,
  toStoredPhoneCall,
  type PhoneCallRead,
  normalizeFilter,
  normalizeQuery,
  pageCursor,
  storedErrorText,
  toDeadLetter,
  toOutboxEntry,
  toOutboxMessage,
  toOutboxRows,
  toRow,
  type DeadLetterRead,
  type NormalizedFilter,
  type OutboxEntryRead,
  type OutboxRow,
  type OutboxRowRead,
} from './common.js';
import type {
  DeadLetter,
  DeadLetterQuery,
  DirectoryEntryRow,
  DirectoryLookup,
  DirectoryMatch,
  DirectoryStore,
  StoredPhoneCall,
  OutboxClaim,
  OutboxCounts,
  OutboxEnqueued,
  OutboxEntry,
  OutboxInput,
  OutboxMessage,
  OutboxQuery,
  OutboxStore,
  PurgeOptions,
  RecordFilter,
  RecordPage,
  RecordQuery,
  SaveOptions,
  SaveResult,
} from './store.js';

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
  {
    version: 2,
    name: 'outbox',
    // AUTOINCREMENT: an id is never reused, so a dead letter can go back under its own id.
    sql: `
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        call_key TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_ms INTEGER NOT NULL,
        lease_owner TEXT,
        lease_until_ms INTEGER,
        last_error TEXT,
        created_ms INTEGER NOT NULL,
        delivered_ms INTEGER,
        UNIQUE (call_key, seq)
      );
      CREATE INDEX outbox_due ON outbox (next_attempt_ms, id) WHERE delivered_ms IS NULL;
      CREATE INDEX outbox_delivered ON outbox (delivered_ms) WHERE delivered_ms IS NOT NULL;
      CREATE TABLE outbox_dead (
        id INTEGER NOT NULL PRIMARY KEY,
        call_key TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        last_error TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        dead_ms INTEGER NOT NULL,
        UNIQUE (call_key, seq)
      );
    `,
  },
  {
    version: 3,
    name: 'crm_directory',
    // The primary key of crm_directory_phone (number first) is the index a lookup uses.
    sql: `
      CREATE TABLE crm_directory (
        id TEXT NOT NULL PRIMARY KEY,
        name TEXT NOT NULL,
        record_type TEXT NOT NULL,
        phones TEXT NOT NULL
      );
      CREATE TABLE crm_directory_phone (
        number TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        PRIMARY KEY (number, entry_id)
      ) WITHOUT ROWID;
      CREATE INDEX crm_directory_phone_entry ON crm_directory_phone (entry_id);
      CREATE TABLE crm_phone_call (
        call_key TEXT NOT NULL PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        fields TEXT NOT NULL,
        associations TEXT NOT NULL,
        writes INTEGER NOT NULL DEFAULT 1,
        created_ms INTEGER NOT NULL,
        updated_ms INTEGER NOT NULL
      );
    `,
  },
];

const OUTBOX_COLUMNS = 'id, call_key, seq, kind, payload, attempts, created_ms';
const BLOCKED_BY = '(SELECT d.id FROM outbox_dead d WHERE d.call_key = o.call_key AND d.seq < o.seq ORDER BY d.seq LIMIT 1)';

/** The schema version this code writes; a database at a newer version is refused. */
export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;

export interface SqliteStoreOptions {
  /** How long a write waits for another connection's write lock, ms. Default 5000. */
  busyTimeoutMs?: number;
  /** Create the file's directory if it is missing. Default true. */
  createDirectory?: boolean;
  /** Stamps outbox messages' creation (and first due) time. Default the system clock. */
  clock?: Clock;
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
export class SqliteStore implements OutboxStore, DirectoryStore {
  private db: Database.Database | undefined;
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(
    db: Database.Database,
    /** The file path, or `:memory:`. */
    readonly path: string,
    private readonly clock: Clock,
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
    return new SqliteStore(db, path, options.clock ?? systemClock);
  }

  save(record: InteractionRecord, options?: SaveOptions): Promise<SaveResult> {
    return attempt(() => {
      const row = toRow(record);
      const messages = options?.outbox === undefined ? [] : toOutboxRows(options.outbox);
      const stmt = this.statement(
        'save',
        'INSERT INTO interaction_records (id, agent_id, source, start_ms, end_ms, record) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
      );
      const now = this.clock.now();
      return this.write('save', () => {
        const info = stmt.run(row.id, row.agentId, row.source, row.startMs, row.endMs, row.json);
        if (info.changes !== 1) return 'duplicate';
        this.insertMessages(messages, now);
        return 'inserted';
      });
    });
  }

  enqueue(messages: readonly OutboxInput[]): Promise<OutboxEnqueued[]> {
    return attempt(() => {
      const rows = toOutboxRows(messages);
      const now = this.clock.now();
      return this.write('enqueue', () => this.insertMessages(rows, now));
    });
  }

  claimOutbox(claim: OutboxClaim): Promise<OutboxMessage[]> {
    return attempt(() => {
      const { owner, now, leaseMs, limit } = checkClaim(claim);
      const pick = this.statement(
        'claim.pick',
        `SELECT o.id, o.lease_owner FROM outbox o
         WHERE o.delivered_ms IS NULL AND o.next_attempt_ms <= ? AND (o.lease_until_ms IS NULL OR o.lease_until_ms <= ?)
           AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.call_key = o.call_key AND p.seq < o.seq AND p.delivered_ms IS NULL)
           AND NOT EXISTS (SELECT 1 FROM outbox_dead d WHERE d.call_key = o.call_key AND d.seq < o.seq)
         ORDER BY o.next_attempt_ms, o.id LIMIT ?`,
      );
      const lease = this.statement(
        'claim.lease',
        `UPDATE outbox SET attempts = attempts + 1, lease_owner = ?, lease_until_ms = ?, last_error = coalesce(?, last_error) WHERE id = ?
         RETURNING ${OUTBOX_COLUMNS}`,
      );
      return this.write('claim', () => {
        const picked = pick.all(now, now, limit) as { id: number; lease_owner: string | null }[];
        return picked.map((p) => {
          const row = lease.get(owner, now + leaseMs, p.lease_owner === null ? null : leaseExpiredText(p.lease_owner), p.id) as OutboxRowRead;
          return toOutboxMessage(row);
        });
      });
    });
  }

  renewOutboxLease(id: string, owner: string, until: number): Promise<boolean> {
    return attempt(() => {
      checkTime(until, 'renew: "until"');
      if (!isOutboxId(id)) return false;
      const stmt = this.statement('renew', 'UPDATE outbox SET lease_until_ms = ? WHERE id = ? AND lease_owner = ? AND delivered_ms IS NULL');
      return this.write('renew', () => stmt.run(until, Number(id), owner).changes === 1);
    });
  }

  completeOutbox(id: string, at: number): Promise<boolean> {
    return attempt(() => {
      checkTime(at, 'complete: "at"');
      if (!isOutboxId(id)) return false;
      const stmt = this.statement('complete', 'UPDATE outbox SET delivered_ms = ?, lease_owner = NULL, lease_until_ms = NULL WHERE id = ? AND delivered_ms IS NULL');
      return this.write('complete', () => stmt.run(at, Number(id)).changes === 1);
    });
  }

  failOutbox(id: string, owner: string, failure: { error: string; nextAttemptAt: number }): Promise<boolean> {
    return attempt(() => {
      checkTime(failure.nextAttemptAt, 'fail: "nextAttemptAt"');
      if (!isOutboxId(id)) return false;
      const stmt = this.statement(
        'fail',
        'UPDATE outbox SET lease_owner = NULL, lease_until_ms = NULL, last_error = ?, next_attempt_ms = ? WHERE id = ? AND lease_owner = ? AND delivered_ms IS NULL',
      );
      return this.write('fail', () => stmt.run(storedErrorText(failure.error), failure.nextAttemptAt, Number(id), owner).changes === 1);
    });
  }

  deadLetterOutbox(id: string, owner: string, failure: { error: string; at: number }): Promise<boolean> {
    return attempt(() => {
      checkTime(failure.at, 'dead letter: "at"');
      if (!isOutboxId(id)) return false;
      const move = this.statement(
        'dead.move',
        `INSERT INTO outbox_dead (id, call_key, seq, kind, payload, attempts, last_error, created_ms, dead_ms)
         SELECT id, call_key, seq, kind, payload, attempts, ?, created_ms, ? FROM outbox WHERE id = ? AND lease_owner = ? AND delivered_ms IS NULL`,
      );
      const remove = this.statement('dead.remove', 'DELETE FROM outbox WHERE id = ?');
      return this.write('dead letter', () => {
        if (move.run(storedErrorText(failure.error), failure.at, Number(id), owner).changes !== 1) return false;
        remove.run(Number(id));
        return true;
      });
    });
  }

  listOutbox(query: OutboxQuery = {}): Promise<OutboxEntry[]> {
    return attempt(() => {
      const limit = listLimit(query.limit);
      const after = afterIdOf(query.afterId);
      const callKey = callKeyOf(query.callKey);
      const parts = ['o.id > ?'];
      const params: (string | number)[] = [after];
      if (query.includeDelivered !== true) parts.push('o.delivered_ms IS NULL');
      if (callKey !== undefined) {
        parts.push('o.call_key = ?');
        params.push(callKey);
      }
      const sql = `SELECT o.*, ${BLOCKED_BY} AS blocked_by FROM outbox o WHERE ${parts.join(' AND ')} ORDER BY o.id LIMIT ?`;
      const stmt = this.statement(sql, sql);
      const now = this.clock.now();
      return this.read('list outbox', () => (stmt.all(...params, limit) as OutboxEntryRead[]).map((r) => toOutboxEntry(r, now)));
    });
  }

  listDeadLetters(query: DeadLetterQuery = {}): Promise<DeadLetter[]> {
    return attempt(() => {
      const limit = listLimit(query.limit);
      const after = afterIdOf(query.afterId);
      const callKey = callKeyOf(query.callKey);
      const sql = `SELECT * FROM outbox_dead WHERE id > ?${callKey === undefined ? '' : ' AND call_key = ?'} ORDER BY id LIMIT ?`;
      const stmt = this.statement(sql, sql);
      const params = callKey === undefined ? [after, limit] : [after, callKey, limit];
      return this.read('list dead letters', () => (stmt.all(...params) as DeadLetterRead[]).map(toDeadLetter));
    });
  }

  retryDeadLetters(ids: readonly string[] | 'all', now: number, options: { callKey?: string } = {}): Promise<string[]> {
    return attempt(() => {
      const which = checkRetryIds(ids);
      checkTime(now, 'retry: "now"');
      const callKey = callKeyOf(options.callKey);
      const back = this.statement(
        'retry.back',
        `INSERT INTO outbox (id, call_key, seq, kind, payload, attempts, next_attempt_ms, last_error, created_ms)
         SELECT id, call_key, seq, kind, payload, 0, ?, last_error, created_ms FROM outbox_dead WHERE id = ?`,
      );
      const remove = this.statement('retry.remove', 'DELETE FROM outbox_dead WHERE id = ?');
      const db = this.open();
      return this.write('retry', () => {
        let candidates: number[];
        if (which === 'all') {
          const sql = `SELECT id FROM outbox_dead${callKey === undefined ? '' : ' WHERE call_key = ?'} ORDER BY id`;
          candidates = (db.prepare(sql).all(...(callKey === undefined ? [] : [callKey])) as { id: number }[]).map((r) => r.id);
        } else {
          candidates = [...new Set(which)].map(Number);
        }
        const moved: string[] = [];
        for (const id of candidates) {
          if (back.run(now, id).changes === 1) {
            remove.run(id);
            moved.push(String(id));
          }
        }
        return moved;
      });
    });
  }

  purgeOutbox(options: PurgeOptions = {}): Promise<number> {
    return attempt(() => {
      const before = options.before === undefined ? undefined : checkTime(options.before, 'purge: "before"');
      const sql =
        options.dead === true
          ? `DELETE FROM outbox_dead${before === undefined ? '' : ' WHERE dead_ms < ?'}`
          : `DELETE FROM outbox WHERE delivered_ms IS NOT NULL${before === undefined ? '' : ' AND delivered_ms < ?'}`;
      const stmt = this.statement(sql, sql);
      return this.write('purge', () => stmt.run(...(before === undefined ? [] : [before])).changes);
    });
  }

  outboxCounts(): Promise<OutboxCounts> {
    return attempt(() => {
      const stmt = this.statement(
        'counts',
        `SELECT
           coalesce(sum(CASE WHEN delivered_ms IS NULL THEN 1 ELSE 0 END), 0) AS pending,
           coalesce(sum(CASE WHEN delivered_ms IS NULL AND lease_until_ms > ? THEN 1 ELSE 0 END), 0) AS leased,
           coalesce(sum(CASE WHEN delivered_ms IS NOT NULL THEN 1 ELSE 0 END), 0) AS delivered,
           (SELECT count(*) FROM outbox_dead) AS dead
         FROM outbox`,
      );
      const now = this.clock.now();
      return this.read('outbox counts', () => stmt.get(now) as OutboxCounts);
    });
  }

  upsertDirectoryEntries(entries: readonly DirectoryEntryRow[]): Promise<number> {
    return attempt(() => {
      const rows = toDirectoryRowsById(entries);
      const upsert = this.statement(
        'dir.upsert',
        'INSERT INTO crm_directory (id, name, record_type, phones) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, record_type = excluded.record_type, phones = excluded.phones',
      );
      const clear = this.statement('dir.clear', 'DELETE FROM crm_directory_phone WHERE entry_id = ?');
      const add = this.statement('dir.number', 'INSERT OR IGNORE INTO crm_directory_phone (number, entry_id) VALUES (?, ?)');
      return this.write('upsert directory entries', () => {
        for (const r of rows) {
          upsert.run(r.id, r.name, r.recordType, r.phones);
          clear.run(r.id);
          for (const n of r.numbers) add.run(n, r.id);
        }
        return rows.length;
      });
    });
  }

  removeDirectoryEntry(id: string): Promise<boolean> {
    return attempt(() => {
      const key = checkDirectoryId(id);
      const numbers = this.statement('dir.clear', 'DELETE FROM crm_directory_phone WHERE entry_id = ?');
      const entry = this.statement('dir.remove', 'DELETE FROM crm_directory WHERE id = ?');
      return this.write('remove directory entry', () => {
        numbers.run(key);
        return entry.run(key).changes === 1;
      });
    });
  }

  lookupDirectory(numbers: readonly string[], limit: number): Promise<DirectoryLookup> {
    return attempt(() => {
      const q = checkDirectoryLookup(numbers, limit);
      // count(*) OVER () is taken before LIMIT: the total of every match, in the same read.
      const stmt = this.statement(
        'dir.lookup',
        `SELECT d.id, d.name, d.record_type, count(*) OVER () AS total FROM crm_directory d
         WHERE d.id IN (SELECT p.entry_id FROM crm_directory_phone p WHERE p.number IN (SELECT value FROM json_each(?)))
         ORDER BY d.id LIMIT ?`,
      );
      return this.read('directory lookup', () => {
        const rows = stmt.all(JSON.stringify(q.numbers), q.limit + 1) as { id: string; name: string; record_type: string; total: number }[];
        return { entries: rows.map((r) => ({ id: r.id, name: r.name, recordType: r.record_type })), total: rows[0]?.total ?? 0 };
      });
    });
  }

  phoneCall(callKey: string): Promise<StoredPhoneCall | undefined> {
    return attempt(() => {
      const key = checkPhoneCallKey(callKey);
      const stmt = this.statement('call.get', 'SELECT * FROM crm_phone_call WHERE call_key = ?');
      return this.read('phone call', () => {
        const row = stmt.get(key) as PhoneCallRead | undefined;
        return row === undefined ? undefined : toStoredPhoneCall(row);
      });
    });
  }

  insertPhoneCallIfAbsent(callKey: string, id: string, fields: Readonly<Record<string, string>>): Promise<StoredPhoneCall> {
    return attempt(() => {
      const key = checkPhoneCallKey(callKey);
      const newId = checkPhoneCallKey(id, 'phone call: "id"');
      const json = phoneCallFieldsJson(fields);
      const insert = this.statement(
        'call.insert',
        "INSERT INTO crm_phone_call (call_key, id, fields, associations, writes, created_ms, updated_ms) VALUES (?, ?, ?, '[]', 1, ?, ?) ON CONFLICT (call_key) DO NOTHING",
      );
      const get = this.statement('call.get', 'SELECT * FROM crm_phone_call WHERE call_key = ?');
      const now = this.clock.now();
      return this.write('insert phone call', () => {
        insert.run(key, newId, json, now, now);
        return toStoredPhoneCall(get.get(key) as PhoneCallRead);
      });
    });
  }

  updatePhoneCall(callKey: string, fields: Readonly<Record<string, string>>): Promise<StoredPhoneCall | undefined> {
    return attempt(() => {
      const key = checkPhoneCallKey(callKey);
      const json = phoneCallFieldsJson(fields);
      return this.changeCall('update phone call', key, (row) => ({ fields: mergeFieldsJson(row.fields, json) }));
    });
  }

  addAssociation(callKey: string, record: DirectoryMatch): Promise<StoredPhoneCall | undefined> {
    return attempt(() => {
      const key = checkPhoneCallKey(callKey);
      const match = checkDirectoryMatch(record);
      return this.changeCall('add association', key, (row) => {
        const associations = addAssociationJson(row.associations, match);
        return associations === undefined ? undefined : { associations };
      });
    });
  }

  /**
   * Read-modify-write of a call's row in one write transaction: `change` says what to write
   * (undefined: nothing, the row as it is comes back). Undefined when the call has no row.
   */
  private changeCall(what: string, key: string, change: (row: PhoneCallRead) => { fields?: string; associations?: string } | undefined): StoredPhoneCall | undefined {
    const get = this.statement('call.get', 'SELECT * FROM crm_phone_call WHERE call_key = ?');
    const update = this.statement(
      'call.update',
      'UPDATE crm_phone_call SET fields = ?, associations = ?, writes = writes + 1, updated_ms = ? WHERE call_key = ? RETURNING *',
    );
    const now = this.clock.now();
    return this.write(what, () => {
      const row = get.get(key) as PhoneCallRead | undefined;
      if (row === undefined) return undefined;
      const next = change(row);
      if (next === undefined) return toStoredPhoneCall(row);
      return toStoredPhoneCall(update.get(next.fields ?? row.fields, next.associations ?? row.associations, now, key) as PhoneCallRead);
    });
  }

  /** Insert checked messages, each with the next seq of its call; inside a write transaction. */
  private insertMessages(rows: readonly OutboxRow[], now: number): OutboxEnqueued[] {
    if (rows.length === 0) return [];
    const last = this.statement('outbox.seq', 'SELECT max(coalesce((SELECT max(seq) FROM outbox WHERE call_key = ?), 0), coalesce((SELECT max(seq) FROM outbox_dead WHERE call_key = ?), 0)) AS seq');
    const insert = this.statement(
      'outbox.insert',
      'INSERT INTO outbox (call_key, seq, kind, payload, attempts, next_attempt_ms, created_ms) VALUES (?, ?, ?, ?, 0, ?, ?)',
    );
    const next = new Map<string, number>();
    return rows.map((r) => {
      const seq = (next.get(r.callKey) ?? (last.get(r.callKey, r.callKey) as { seq: number }).seq) + 1;
      next.set(r.callKey, seq);
      const info = insert.run(r.callKey, seq, r.kind, r.payload, r.notBefore ?? now, now);
      return { id: String(info.lastInsertRowid), callKey: r.callKey, seq };
    });
  }

  /** `fn` in one `BEGIN IMMEDIATE` transaction; a driver failure becomes a SwitchboardError naming `what`. */
  private write<T>(what: string, fn: () => T): T {
    const db = this.open();
    try {
      return db.transaction(fn).immediate();
    } catch (err) {
      throw driverError(err, what);
    }
  }

  private read<T>(what: string, fn: () => T): T {
    this.open();
    try {
      return fn();
    } catch (err) {
      throw driverError(err, what);
    }
  }

  private open(): Database.Database {
    if (this.db === undefined) throw closedError('sqlite store');
    return this.db;
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
