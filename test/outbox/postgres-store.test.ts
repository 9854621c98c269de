/**
 * PostgreSQL against the Outbox contract, on a real server (SWITCHBOARD_PG_URL, or a throwaway
 * cluster: test/sinks/log/pg-cluster.ts), each store in its own schema; then what is
 * PostgreSQL's own: a failure in the middle of a save with messages writes neither, a v1 schema
 * is migrated, and three OS processes delivering one outbox side by side deliver every message
 * exactly once, in order per call.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/core/index.js';
import { PostgresStore, openStore, type OutboxInput, type OutboxStore } from '../../src/sinks/log/index.js';
import { OUTBOX_T0, minimalRecord, outboxContract } from '../../src/testing/index.js';
import { startPostgres, type PgServer } from '../sinks/log/pg-cluster.js';
import { orderViolations, readLog, startChild } from './children.js';

let server: PgServer | undefined;
const schemas = new Set<string>();
const schemaOf = new WeakMap<OutboxStore, string>();
let n = 0;
const dir = mkdtempSync(join(tmpdir(), 'switchboard-outbox-pg-'));

beforeAll(async () => {
  server = await startPostgres();
}, 120_000);

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (server === undefined) return;
  if (server.external) await admin(async (c) => {
    for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  });
  await server.stop();
}, 60_000);

function url(): string {
  if (server === undefined) throw new Error('no PostgreSQL server (see the beforeAll failure)');
  return server.url;
}

function newSchema(): string {
  const s = `sb_outbox_${process.pid}_${++n}`;
  schemas.add(s);
  return s;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

outboxContract(
  'postgres',
  async (clock) => {
    const schema = newSchema();
    const store = await PostgresStore.open({ url: url(), schema, clock });
    schemaOf.set(store, schema);
    return store;
  },
  { reopen: (store, clock) => PostgresStore.open({ url: url(), schema: schemaOf.get(store) ?? '', clock }) },
);

describe('PostgresStore outbox', () => {
  it('a failure in the middle of a save with messages writes neither the record nor any message', async () => {
    const schema = newSchema();
    const store = await PostgresStore.open({ url: url(), schema, clock: new SimulatedClock(OUTBOX_T0) });
    await admin((c) =>
      c.query(`
        CREATE FUNCTION "${schema}".boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$;
        CREATE TRIGGER boom BEFORE INSERT ON "${schema}".outbox FOR EACH ROW WHEN (NEW.kind = 'boom') EXECUTE FUNCTION "${schema}".boom();
      `),
    );
    const outbox: OutboxInput[] = [
      { callKey: 'c1', kind: 'fine', payload: {} },
      { callKey: 'c2', kind: 'boom', payload: {} },
    ];
    await expect(store.save(minimalRecord('c1'), { outbox })).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('injected failure') as string });
    expect(await store.get('c1')).toBeUndefined();
    expect(await store.listOutbox()).toEqual([]);
    await expect(store.enqueue(outbox)).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(await store.listOutbox()).toEqual([]);
    expect(await store.save(minimalRecord('c1'), { outbox: [outbox[0]!] })).toBe('inserted');
    expect((await store.listOutbox()).map((m) => m.kind)).toEqual(['fine']);
    await store.close();
  });

  it('migrates a schema written before the outbox: records kept, outbox tables added', async () => {
    const schema = newSchema();
    const first = await PostgresStore.open({ url: url(), schema });
    await first.save(minimalRecord('old-1'));
    await first.close();
    await admin((c) => c.query(`DROP TABLE "${schema}".outbox, "${schema}".outbox_dead, "${schema}".crm_phone_call, "${schema}".crm_directory_phone, "${schema}".crm_directory; DELETE FROM "${schema}".switchboard_migrations WHERE version >= 2`));
    const store = await openStore(`${url()}?schema=${schema}`);
    expect(await store.get('old-1')).toStrictEqual(minimalRecord('old-1'));
    expect(await store.enqueue([{ callKey: 'old-1', kind: 'k', payload: [1] }])).toHaveLength(1);
    await store.close();
    expect((await admin((c) => c.query(`SELECT version FROM "${schema}".switchboard_migrations ORDER BY version`))).rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
  });

  it('three processes delivering one outbox side by side: every message delivered exactly once, in order per call', async () => {
    const schema = newSchema();
    const storeUrl = `${url()}?schema=${schema}`;
    const store = await openStore(storeUrl);
    const calls = 40;
    const perCall = 4;
    // Written as a hub would: one call's messages spread over several transactions.
    for (let k = 0; k < perCall; k++) {
      await store.enqueue(Array.from({ length: calls }, (_, c) => ({ callKey: `call-${c}`, kind: `step-${k + 1}`, payload: { c, k } })));
    }
    const log = join(dir, 'three.log');
    const children = ['p0', 'p1', 'p2'].map((tag) => startChild({ url: storeUrl, tag, log, delayMs: 10, leaseMs: 30_000, waitForGo: true }));
    try {
      await Promise.all(children.map((c) => c.ready));
    } finally {
      for (const c of children) c.go();
    }
    const codes = await Promise.all(children.map((c) => c.exited));
    expect(codes, children.map((c) => c.stderr()).join('\n')).toEqual([0, 0, 0]);

    const lines = readLog(log);
    const delivered = lines.filter((l) => l.event === 'deliver');
    expect(lines.filter((l) => l.event === 'error' || l.event === 'dead')).toEqual([]);
    expect(delivered).toHaveLength(calls * perCall);
    expect(new Set(delivered.map((l) => l.id)).size).toBe(calls * perCall);
    expect(new Set(delivered.map((l) => `${l.callKey}/${l.seq}`)).size).toBe(calls * perCall);
    expect(orderViolations(lines)).toEqual([]);
    // They really delivered side by side (all three, as a rule; two at least even on a loaded machine).
    expect(['p0', 'p1', 'p2'].filter((tag) => delivered.some((l) => l.tag === tag)).length).toBeGreaterThanOrEqual(2);
    expect(await store.outboxCounts()).toEqual({ pending: 0, leased: 0, delivered: calls * perCall, dead: 0 });
    expect((await store.listOutbox({ includeDelivered: true, limit: 1000 })).every((m) => m.attempts === 1)).toBe(true);
    await store.close();
  }, 30_000);
});
