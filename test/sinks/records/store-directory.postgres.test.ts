/**
 * The CRM directory kept in the store, on PostgreSQL (SWITCHBOARD_PG_URL, or a throwaway cluster:
 * test/sinks/log/pg-cluster.ts), each store in its own schema: the records contract, then what
 * PostgreSQL's concurrency must hold — four stores (four pools) racing to create the same calls
 * make one record per call and agree on its id, concurrent updates of one call lose no field —
 * a schema of version 2 migrated in place, and entries and calls kept across a reopening.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../../src/sinks/log/index.js';
import { StoreDirectory } from '../../../src/sinks/records/index.js';
import { minimalRecord } from '../../../src/testing/index.js';
import { startPostgres, type PgServer } from '../log/pg-cluster.js';
import { describeRecordsContract } from './contract.js';

let server: PgServer | undefined;
const schemas = new Set<string>();
let n = 0;

beforeAll(async () => {
  server = await startPostgres();
}, 120_000);

afterAll(async () => {
  if (server === undefined) return;
  if (server.external) {
    await admin(async (c) => {
      for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    });
  }
  await server.stop();
}, 60_000);

function url(): string {
  if (server === undefined) throw new Error('no PostgreSQL server (see the beforeAll failure)');
  return server.url;
}

function newSchema(): string {
  const s = `sb_dir_${process.pid}_${++n}`;
  schemas.add(s);
  return s;
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

describeRecordsContract('store (postgres)', async (entries, o) => {
  const schema = newSchema();
  const store = await PostgresStore.open({ url: url(), schema });
  const crm = new StoreDirectory(store, { phone: { country: o.country }, limit: o.limit });
  await crm.add(...entries.map((e, i) => ({ id: `rec-${i}`, name: e.name, recordType: e.table, phones: [e.phone, e.mobile].filter((p): p is string => p !== undefined) })));
  const phoneCallsFor = async (key: string) =>
    (await admin((c) => c.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".crm_phone_call WHERE call_key = $1`, [key]))).rows[0]?.n ?? 0;
  return { crm, phoneCallsFor, close: () => store.close() };
});

describe('StoreDirectory on PostgreSQL', () => {
  it('four stores racing to create the same calls make one record per call, and all agree on its id', async () => {
    const schema = newSchema();
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open({ url: url(), schema, maxConnections: 4 })));
    try {
      const crms = stores.map((s) => new StoreDirectory(s));
      const keys = Array.from({ length: 30 }, (_, i) => `RACE${i}`);
      const made = await Promise.all(keys.map((k) => Promise.all(crms.map((crm, j) => crm.createPhoneCall(k, { [`by${j}`]: 'yes' })))));
      for (const [i, ids] of made.entries()) expect(new Set(ids.map((a) => a.id)).size, keys[i]).toBe(1);
      const rows = await admin((c) => c.query<{ n: number; ids: number; lo: number; hi: number }>(`SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids, min(writes) AS lo, max(writes) AS hi FROM "${schema}".crm_phone_call`));
      expect(rows.rows[0]).toEqual({ n: 30, ids: 30, lo: 4, hi: 4 });
      // Every create's fields reached the one record: the losers merged theirs in.
      const call = await stores[0]!.phoneCall('RACE0');
      expect(Object.keys(call?.fields ?? {}).sort()).toEqual(['by0', 'by1', 'by2', 'by3']);
    } finally {
      for (const s of stores) await s.close();
    }
  });

  it('concurrent updates and associations of one call lose nothing', async () => {
    const schema = newSchema();
    const [s1, s2] = await Promise.all([PostgresStore.open({ url: url(), schema }), PostgresStore.open({ url: url(), schema })]);
    try {
      const [a, b] = [new StoreDirectory(s1), new StoreDirectory(s2)];
      await a.createPhoneCall('K1', { ani: '+41445550101' });
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).updatePhoneCall('K1', { [`f${i}`]: String(i) })).concat(
          Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? b : a).associate('K1', { id: `c${i % 3}`, name: `C${i % 3}`, recordType: 'customer_contact' })),
        ),
      );
      const call = await s2.phoneCall('K1');
      expect(Object.keys(call?.fields ?? {})).toHaveLength(21);
      expect(call?.associations.map((r) => r.id).sort()).toEqual(['c0', 'c1', 'c2']);
      expect(call?.writes).toBe(1 + 20 + 3);
    } finally {
      await s1.close();
      await s2.close();
    }
  });

  it('migrates a schema of version 2 in place; entries and calls survive a reopening', async () => {
    const schema = newSchema();
    const old = await PostgresStore.open({ url: url(), schema });
    await old.save(minimalRecord('r-1'), { outbox: [{ callKey: 'K9', kind: 'phonecall.create', payload: {} }] });
    await old.close();
    await admin((c) => c.query(`DROP TABLE "${schema}".crm_phone_call, "${schema}".crm_directory_phone, "${schema}".crm_directory; DELETE FROM "${schema}".switchboard_migrations WHERE version = 3`));

    const store = await PostgresStore.open({ url: url(), schema });
    const crm = new StoreDirectory(store, { phone: { country: 'CH' } });
    await crm.add({ id: 'c1', name: 'Ada', recordType: 'customer_contact', phones: ['044 555 01 01'] });
    const made = await crm.createPhoneCall('K1', { ani: '+41445550101' });
    await crm.associate('K1', { id: 'c1', name: 'Ada', recordType: 'customer_contact' });
    expect(await store.get('r-1')).toEqual(minimalRecord('r-1'));
    expect((await store.listOutbox()).map((m) => m.callKey)).toEqual(['K9']);
    await store.close();
    expect((await admin((c) => c.query(`SELECT version, name FROM "${schema}".switchboard_migrations ORDER BY version`))).rows).toEqual([
      { version: 1, name: 'interaction_records' },
      { version: 2, name: 'outbox' },
      { version: 3, name: 'crm_directory' },
    ]);

    const again = await PostgresStore.open({ url: url(), schema });
    try {
      const crm2 = new StoreDirectory(again, { phone: { country: 'CH' } });
      expect((await crm2.lookupByPhone('+41 44 555 01 01')).records).toEqual([{ id: 'c1', name: 'Ada', recordType: 'customer_contact' }]);
      expect(await crm2.findPhoneCall('K1')).toEqual(made);
      expect((await crm2.phoneCall('K1'))?.associations).toEqual([{ id: 'c1', name: 'Ada', recordType: 'customer_contact' }]);
    } finally {
      await again.close();
    }
  });
});
