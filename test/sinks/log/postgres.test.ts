/**
 * PostgreSQL against the Store contract, on a real server: SWITCHBOARD_PG_URL if set, otherwise
 * a throwaway cluster this file starts (pg-cluster.ts) and stops. Every store gets its own
 * schema, so cases never see each other's rows; with an external server those schemas are
 * dropped at the end. Then what is PostgreSQL's own: the schema and its version table, indexes
 * that serve the queries, concurrent opens migrating once, a newer schema refused, schema
 * isolation, several processes racing on one id set, a dropped connection, and errors that
 * never show a password.
 */
import { inspect } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, isSwitchboardError, type SwitchboardError } from '../../../src/core/index.js';
import { POSTGRES_SCHEMA_VERSION, PostgresStore, openStore, type Store } from '../../../src/sinks/log/index.js';
import { minimalRecord, storeContract } from '../../../src/testing/index.js';
import { findPostgresBinaries, startPostgres, type PgServer } from './pg-cluster.js';
import { saveFromProcesses } from './processes.js';

let server: PgServer | undefined;
const schemas = new Set<string>();
const schemaOf = new WeakMap<Store, string>();
let n = 0;

beforeAll(async () => {
  server = await startPostgres();
  console.warn(`postgres store tests: ${server.description}`);
}, 120_000);

afterAll(async () => {
  if (server === undefined) return;
  if (server.external) {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await client.end();
  }
  await server.stop();
}, 60_000);

function url(): string {
  if (server === undefined) throw new Error('no PostgreSQL server (see the beforeAll failure)');
  return server.url;
}

function newSchema(): string {
  const s = `sb_test_${process.pid}_${++n}`;
  schemas.add(s);
  return s;
}

async function open(schema = newSchema()): Promise<PostgresStore> {
  const store = await PostgresStore.open({ url: url(), schema });
  schemaOf.set(store, schema);
  return store;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url(), application_name: 'switchboard-test-admin' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function caught(promise: Promise<unknown>): Promise<SwitchboardError> {
  try {
    await promise;
  } catch (err) {
    expect(isSwitchboardError(err), String(err)).toBe(true);
    return err as SwitchboardError;
  }
  throw new Error('expected a rejection');
}

/** Everything an error could show: message, serialized form, inspection, the cause chain. */
function everythingShown(err: SwitchboardError): string {
  const parts = [err.message, JSON.stringify(err.toJSON()), inspect(err, { depth: 10 }), String(err.stack)];
  let cause: unknown = err.cause;
  while (cause !== undefined && cause !== null) {
    parts.push(inspect(cause, { depth: 10 }));
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return parts.join('\n');
}

storeContract('postgres', () => open(), { reopen: (store) => open(schemaOf.get(store)) });

storeContract(
  'postgres (through openStore, postgresql:// and ?schema=)',
  async () => {
    const schema = newSchema();
    const store = await openStore(`${url().replace(/^postgres:/, 'postgresql:')}?schema=${schema}`);
    schemaOf.set(store, schema);
    return store;
  },
  { reopen: (store) => openStore(url(), { postgres: { schema: schemaOf.get(store) ?? '' } }) },
);

describe('the test server', () => {
  it('without binaries and without SWITCHBOARD_PG_URL, fails saying what to install', async () => {
    const nowhere = { debianRoot: '/nonexistent/postgresql', env: { PATH: '/nonexistent' } };
    expect(findPostgresBinaries(nowhere)).toBeUndefined();
    await expect(startPostgres(nowhere)).rejects.toThrow(/PostgreSQL .*none was found.*apt-get install -y postgresql.*SWITCHBOARD_PG_URL/);
  });

  it('finds the installed binaries (CI installs them)', () => {
    expect(server?.external === true || findPostgresBinaries() !== undefined).toBe(true);
  });
});

describe('PostgresStore', () => {
  it('creates its schema, tables, version row and indexes; the indexes serve the queries; reopening migrates nothing', async () => {
    const schema = newSchema();
    await (await open(schema)).close();
    const store = await open(schema);
    await store.save(minimalRecord('s-1'));
    await store.close();
    expect(POSTGRES_SCHEMA_VERSION).toBe(3);
    await admin(async (c) => {
      expect((await c.query(`SELECT version, name FROM "${schema}".switchboard_migrations`)).rows).toEqual([
        { version: 1, name: 'interaction_records' },
        { version: 2, name: 'outbox' },
        { version: 3, name: 'crm_directory' },
      ]);
      const columns = await c.query<{ column_name: string; data_type: string; collation_name: string | null }>(
        'SELECT column_name, data_type, collation_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
        [schema, 'interaction_records'],
      );
      expect(columns.rows.map((r) => `${r.column_name} ${r.data_type}${r.collation_name !== null ? ` ${r.collation_name}` : ''}`)).toEqual([
        'id text C',
        'agent_id text',
        'source text',
        'start_time timestamp with time zone',
        'end_time timestamp with time zone',
        'record json',
      ]);
      const row = await c.query(`SELECT id, agent_id, end_time, record FROM "${schema}".interaction_records`);
      expect(row.rows).toEqual([{ id: 's-1', agent_id: '1001', end_time: new Date('2026-03-02T08:01:00Z'), record: minimalRecord('s-1') }]);
      // With scans and sorts priced out (the table is tiny), a plan without a Sort node shows that
      // the index can serve both the filter and the order.
      await c.query('SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_sort = off');
      const plan = async (sql: string, params: unknown[]) => (await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n');
      const byAgent = await plan(
        `SELECT record FROM "${schema}".interaction_records WHERE agent_id = $1 AND (end_time, id) < ($2::timestamptz, $3) ORDER BY end_time DESC, id DESC LIMIT 10`,
        ['a', '2026-03-02T08:00:00Z', 'x'],
      );
      expect(byAgent).toContain('interaction_records_agent_end');
      expect(byAgent).not.toMatch(/\bSort\b/);
      const byTime = await plan(`SELECT record FROM "${schema}".interaction_records WHERE end_time >= $1 AND end_time < $2 ORDER BY end_time DESC, id DESC LIMIT 10`, [
        '2026-03-02T08:00:00Z',
        '2026-03-03T08:00:00Z',
      ]);
      expect(byTime).toContain('interaction_records_end');
      expect(byTime).not.toMatch(/\bSort\b/);
    });
  });

  it('several stores opening one new schema at once migrate it exactly once', async () => {
    const schema = newSchema();
    const stores = await Promise.all(Array.from({ length: 6 }, () => open(schema)));
    const results = await Promise.all(stores.map((s, i) => s.save(minimalRecord('same', { durationSeconds: i }))));
    expect(results.filter((r) => r === 'inserted')).toHaveLength(1);
    for (const s of stores) await s.close();
    await admin(async (c) => {
      expect((await c.query(`SELECT count(*)::int AS n FROM "${schema}".switchboard_migrations`)).rows).toEqual([{ n: 3 }]);
    });
  });

  it('refuses a schema written by a newer Switchboard', async () => {
    const schema = newSchema();
    await (await open(schema)).close();
    await admin((c) => c.query(`INSERT INTO "${schema}".switchboard_migrations (version, name) VALUES (99, 'from the future')`));
    const err = await caught(open(schema));
    expect(err.code).toBe(ErrorCode.INVALID_STATE);
    expect(err.message).toMatch(new RegExp(`schema version 99 \\(schema ${schema}\\) is newer than this Switchboard's \\(3\\)`));
  });

  it('keeps schemas apart', async () => {
    const a = await open();
    const b = await open();
    try {
      expect(await a.save(minimalRecord('shared-id', { agentId: 'in-a' }))).toBe('inserted');
      expect(await b.save(minimalRecord('shared-id', { agentId: 'in-b' }))).toBe('inserted');
      expect((await a.get('shared-id'))?.agentId).toBe('in-a');
      expect((await b.get('shared-id'))?.agentId).toBe('in-b');
      expect(await a.count()).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    for (const schema of ['', 'a-b', 'x"; DROP TABLE y; --', '1abc', 'a'.repeat(64)]) {
      const err = await caught(PostgresStore.open({ url: url(), schema }));
      expect(err.code, schema).toBe(ErrorCode.INVALID_ARGUMENT);
      expect(err.message).toContain('"schema"');
    }
  });

  it('several processes saving the same ids at once: one row per id, each inserted by exactly one process', async () => {
    const schema = newSchema();
    await (await open(schema)).close();
    const count = 200;
    const inserted = await saveFromProcesses(`${url()}?schema=${schema}`, 4, count);
    const all = [...inserted.values()].flat();
    expect(all).toHaveLength(count);
    expect(new Set(all).size).toBe(count);
    const store = await open(schema);
    try {
      expect(await store.count()).toBe(count);
      for (const [tag, ids] of inserted) for (const id of ids) expect((await store.get(id))?.agentId, id).toBe(tag);
    } finally {
      await store.close();
    }
  });

  it('a connection the server drops is reported and replaced: the next call works', async () => {
    const idle: SwitchboardError[] = [];
    const schema = newSchema();
    const store = await PostgresStore.open({ url: url(), schema, onIdleError: (e) => idle.push(e) });
    try {
      await store.save(minimalRecord('before'));
      const killed = await admin((c) =>
        c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'switchboard' AND datname = current_database() AND pid <> pg_backend_pid()"),
      );
      expect(killed.rowCount).toBeGreaterThan(0);
      await expect.poll(() => idle.length, { timeout: 5000 }).toBeGreaterThan(0);
      expect(idle[0]?.code).toBe(ErrorCode.NOT_CONNECTED);
      expect(await store.save(minimalRecord('after'))).toBe('inserted');
      expect(await store.count()).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('an unreachable server: NOT_CONNECTED naming the host, never the password', async () => {
    const { createServer } = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const a = s.address();
        s.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 1));
      });
    });
    const secret = 'S3cret-Pa55word';
    const err = await caught(openStore(`postgres://switchboard:${secret}@127.0.0.1:${port}/logs`));
    expect(err.code).toBe(ErrorCode.NOT_CONNECTED);
    expect(err.message).toContain(`postgres://switchboard:***@127.0.0.1:${port}/logs`);
    expect(everythingShown(err)).not.toContain(secret);
    // The same for a password in the query string, percent-encoded characters included.
    const odd = 'p@ss/w:rd';
    const err2 = await caught(openStore(`postgres://127.0.0.1:${port}/logs?user=x&password=${encodeURIComponent(odd)}`));
    expect(err2.code).toBe(ErrorCode.NOT_CONNECTED);
    expect(everythingShown(err2)).not.toContain(encodeURIComponent(odd));
    expect(everythingShown(err2)).not.toContain(odd);
  });

  it('a refused login: an error without the password', async () => {
    const secret = 'Wr0ng-S3cret-zz';
    const target = new URL(url());
    target.username = 'switchboard_no_such_role';
    target.password = secret;
    const err = await caught(openStore(target.toString()));
    expect(err.code).toBe(ErrorCode.NOT_CONNECTED);
    expect(err.message).toMatch(/switchboard_no_such_role/);
    expect(everythingShown(err)).not.toContain(secret);
  });
});
