/**
 * @module sinks/log/postgres
 * The {@link Store} on PostgreSQL, by configuration (SPEC "Interaction log"): a `pg` Pool on a
 * connection URL, every table in one schema (configurable, so tests and tenants can isolate
 * themselves), the schema created or migrated on open under an advisory lock (several
 * processes may open at once), `INSERT ... ON CONFLICT (id) DO NOTHING` for the exactly-once
 * save.
 *
 * The full record is kept in a `json` column, not `jsonb`: `json` keeps the text as written, so
 * the record reads back with its keys in their order, and it accepts strings holding NUL
 * (`\u0000`), which `jsonb` refuses. The queries never look inside it; they use the indexed
 * columns. `id` is `COLLATE "C"` so ties order by code point, as in SQLite.
 *
 * No message this module produces contains the URL's password.
 */
import pg from 'pg';
import { ErrorCode, SwitchboardError, toSwitchboardError } from '../../core/errors.js';
import type { InteractionRecord } from '../../core/interaction.js';
import { closedError, fromJson, normalizeFilter, normalizeQuery, pageCursor, redactSecrets, redactUrl, toRow, type NormalizedFilter } from './common.js';
import type { RecordFilter, RecordPage, RecordQuery, SaveResult, Store } from './store.js';

/** Schema migrations, applied in order; `{s}` is the quoted schema. Never edit a shipped one. */
const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'interaction_records',
    sql: `
      CREATE TABLE {s}.interaction_records (
        id text COLLATE "C" NOT NULL PRIMARY KEY,
        agent_id text NOT NULL,
        source text NOT NULL,
        start_time timestamptz NOT NULL,
        end_time timestamptz NOT NULL,
        record json NOT NULL
      );
      CREATE INDEX interaction_records_end ON {s}.interaction_records (end_time DESC, id DESC);
      CREATE INDEX interaction_records_agent_end ON {s}.interaction_records (agent_id, end_time DESC, id DESC);
    `,
  },
];

/** The schema version this code writes; a database at a newer version is refused. */
export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database?...` (also `postgresql://`). */
  url: string;
  /** The schema holding the tables; created if missing. Default `public`. */
  schema?: string;
  /** Most connections the pool opens. Default 10. */
  maxConnections?: number;
  /** How long to wait for a connection, ms. Default 10000. */
  connectTimeoutMs?: number;
  /** How long a statement may run before the client gives up, ms. Default 30000. */
  queryTimeoutMs?: number;
  /**
   * Told about errors on idle connections (the server restarted, the network dropped). The
   * pool discards the connection and the next call opens a new one; without this handler the
   * error is dropped, never thrown.
   */
  onIdleError?: (error: SwitchboardError) => void;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Node error codes and SQLSTATEs that mean "cannot connect": unreachable, shut down, too many
 * connections, login refused (class 28), no such database. Classes 08 and 28 are matched whole.
 */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', '57P01', '57P02', '57P03', '53300', '3D000']);

function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08') || code.startsWith('28'))) return true;
  if (err instanceof AggregateError) return err.errors.some(isConnectionError);
  return /Connection terminated|timeout exceeded when trying to connect|Connection terminated due to connection timeout|Client was closed/i.test(err.message);
}

export class PostgresStore implements Store {
  private pool: pg.Pool | undefined;
  private readonly table: string;

  private constructor(
    pool: pg.Pool,
    /** The schema holding the tables. */
    readonly schema: string,
    /** The URL with its password replaced by `***`: safe to print. */
    readonly redactedUrl: string,
    private readonly secrets: readonly string[],
  ) {
    this.pool = pool;
    this.table = `${quoteIdent(schema)}.interaction_records`;
  }

  /**
   * Connect, create the schema if needed and bring it up to date. Rejects with a SwitchboardError
   * (NOT_CONNECTED when the server cannot be reached, INVALID_STATE for a database written by a
   * newer Switchboard, INVALID_ARGUMENT for a bad URL or schema name); the pool is closed then.
   */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const { url } = options;
    if (typeof url !== 'string') throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, 'postgres store: "url" must be a string');
    const redacted = redactUrl(url);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      // Not the URL's own error as cause: Node's keeps the input, password included.
      throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `postgres store: not a valid URL: ${redacted}`);
    }
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
      throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `postgres store: the URL scheme must be postgres: or postgresql: (got ${parsed.protocol})`);
    }
    const schema = options.schema ?? 'public';
    if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
      throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `postgres store: "schema" must be an identifier of letters, digits and _ (got ${JSON.stringify(schema)})`);
    }
    const secrets = secretsOf(parsed);
    const pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      query_timeout: options.queryTimeoutMs ?? 30_000,
      application_name: 'switchboard',
    });
    const store = new PostgresStore(pool, schema, redacted, secrets);
    pool.on('error', (err) => {
      options.onIdleError?.(store.wrap(err, 'idle connection'));
    });
    try {
      await store.migrate();
    } catch (err) {
      await pool.end().catch(() => undefined);
      store.pool = undefined;
      throw store.wrap(err, 'opening');
    }
    return store;
  }

  async save(record: InteractionRecord): Promise<SaveResult> {
    const row = toRow(record);
    const result = await this.query(
      'save',
      `INSERT INTO ${this.table} (id, agent_id, source, start_time, end_time, record) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
      [row.id, row.agentId, row.source, new Date(row.startMs).toISOString(), new Date(row.endMs).toISOString(), row.json],
    );
    return result.rowCount === 1 ? 'inserted' : 'duplicate';
  }

  async get(id: string): Promise<InteractionRecord | undefined> {
    if (typeof id !== 'string') throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, 'get: "id" must be a string');
    // An id PostgreSQL cannot hold (NUL) was never saved.
    if (id.includes('\u0000')) return this.checkOpen(undefined);
    const result = await this.query<{ record: string }>('get', `SELECT record::text AS record FROM ${this.table} WHERE id = $1`, [id]);
    const row = result.rows[0];
    return row === undefined ? undefined : fromJson(row.record);
  }

  async list(query?: RecordQuery): Promise<RecordPage> {
    const q = normalizeQuery(query);
    const w = where(q, q.after);
    const result = await this.query<{ end_ms: string; id: string; record: string }>(
      'list',
      `SELECT (extract(epoch FROM end_time) * 1000)::bigint::text AS end_ms, id, record::text AS record FROM ${this.table} ${w.sql}
       ORDER BY end_time DESC, id DESC LIMIT $${w.params.length + 1}`,
      [...w.params, q.limit + 1],
    );
    const rows = result.rows;
    const page: RecordPage = { records: rows.slice(0, q.limit).map((r) => fromJson(r.record)) };
    const cursor = pageCursor(rows.map((r) => ({ endMs: Number(r.end_ms), id: r.id })), q.limit);
    if (cursor !== undefined) page.nextCursor = cursor;
    return page;
  }

  async count(filter?: RecordFilter): Promise<number> {
    const w = where(normalizeFilter(filter));
    const result = await this.query<{ n: string }>('count', `SELECT count(*)::text AS n FROM ${this.table} ${w.sql}`, w.params);
    return Number(result.rows[0]?.n ?? 0);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }

  private checkOpen<T>(value: T): T {
    if (this.pool === undefined) throw closedError('postgres store');
    return value;
  }

  private async query<R extends pg.QueryResultRow = pg.QueryResultRow>(what: string, sql: string, params: unknown[]): Promise<pg.QueryResult<R>> {
    const pool = this.pool;
    if (pool === undefined) throw closedError('postgres store');
    try {
      return await pool.query<R>(sql, params);
    } catch (err) {
      throw this.wrap(err, what);
    }
  }

  private async migrate(): Promise<void> {
    const pool = this.pool;
    if (pool === undefined) throw closedError('postgres store');
    const s = quoteIdent(this.schema);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // One migrating process at a time per schema; the others wait, then find nothing to do.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`switchboard:${this.schema}`]);
      const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [this.schema]);
      if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${s}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${s}.switchboard_migrations (
        version integer NOT NULL PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const current = Number((await client.query<{ v: number }>(`SELECT coalesce(max(version), 0) AS v FROM ${s}.switchboard_migrations`)).rows[0]?.v ?? 0);
      if (current > POSTGRES_SCHEMA_VERSION) {
        throw new SwitchboardError(
          ErrorCode.INVALID_STATE,
          `database schema version ${current} (schema ${this.schema}) is newer than this Switchboard's (${POSTGRES_SCHEMA_VERSION}); upgrade Switchboard`,
        );
      }
      for (const m of MIGRATIONS) {
        if (m.version <= current) continue;
        await client.query(m.sql.replaceAll('{s}', s));
        await client.query(`INSERT INTO ${s}.switchboard_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Any failure as a SwitchboardError whose message names the operation and no password. */
  private wrap(err: unknown, what: string): SwitchboardError {
    if (err instanceof SwitchboardError) return err;
    const code = isConnectionError(err) ? ErrorCode.NOT_CONNECTED : ErrorCode.INTERNAL;
    const detail = redactSecrets(toSwitchboardError(err).message || describeError(err), this.secrets);
    const message = code === ErrorCode.NOT_CONNECTED ? `postgres store: ${what} failed: cannot connect to ${this.redactedUrl}: ${detail}` : `postgres store: ${what} failed: ${detail}`;
    // The driver's error stays as cause only when it says nothing secret.
    const cause = err instanceof Error && !this.secrets.some((s) => s !== '' && `${err.message}${err.stack ?? ''}`.includes(s)) ? err : undefined;
    return new SwitchboardError(code, message, { cause });
  }
}

function describeError(err: unknown): string {
  if (err instanceof AggregateError) return err.errors.map(describeError).join('; ');
  if (err instanceof Error) return (err as { code?: unknown }).code !== undefined ? String((err as { code?: unknown }).code) : err.name;
  return 'unknown error';
}

/** The password as written in the URL, decoded, and from a `password` parameter. */
function secretsOf(url: URL): string[] {
  const out: string[] = [];
  if (url.password !== '') {
    out.push(url.password);
    try {
      out.push(decodeURIComponent(url.password));
    } catch {
      // not percent-encoded: the raw one is enough
    }
  }
  for (const key of ['password', 'pass', 'pwd', 'sslpassword']) {
    const v = url.searchParams.get(key);
    if (v !== null && v !== '') out.push(v);
  }
  return out.filter((s) => s.length >= 1);
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function where(filter: NormalizedFilter, after?: { endMs: number; id: string }): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.agentId !== undefined) {
    // A NUL cannot be sent to PostgreSQL, and no saved agent id holds one: match nothing.
    parts.push(filter.agentId.includes('\u0000') ? 'false' : `agent_id = ${p(filter.agentId)}`);
  }
  if (filter.fromMs !== undefined) parts.push(`end_time >= ${p(new Date(filter.fromMs).toISOString())}::timestamptz`);
  if (filter.beforeMs !== undefined) parts.push(`end_time < ${p(new Date(filter.beforeMs).toISOString())}::timestamptz`);
  if (after !== undefined) {
    const t = p(new Date(after.endMs).toISOString());
    // Cursor ids come from saved rows; a forged one with a NUL would fail to bind: refuse it.
    if (after.id.includes('\u0000')) throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, 'query: "cursor" is not a cursor this store returned');
    parts.push(`(end_time, id) < (${t}::timestamptz, ${p(after.id)})`);
  }
  return { sql: parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`, params };
}
