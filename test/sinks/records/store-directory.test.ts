/**
 * The CRM directory kept in the store, on SQLite (SPEC "CRM records": the simulator and the
 * demo use an embedded directory in the store): the records contract (in memory and on a file),
 * then what only a stored directory shows — entries and phone calls survive reopening the file,
 * a database of schema version 2 is migrated in place with its records and outbox kept, racing
 * creates for one call key (two connections, then three OS processes on one file) make one
 * record, the demo seeding is idempotent, bad input is refused with the field named, and the
 * simulator's server uses the directory in its own store by default.
 * PostgreSQL: store-directory.postgres.test.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { RemoteSource } from '../../../src/bridge/remote-source.js';
import { systemClock } from '../../../src/core/index.js';
import { createServer } from '../../../src/server/app.js';
import { createAgent } from '../../../src/sinks/cil/index.js';
import { DEMO_CONTACTS, storeDemoDirectory } from '../../../src/server/demo-directory.js';
import { SQLITE_SCHEMA_VERSION, SqliteStore, isDirectoryStore, openStore } from '../../../src/sinks/log/index.js';
import { StoreDirectory, isCrmError, type DirectoryEntry } from '../../../src/sinks/records/index.js';
import { minimalRecord } from '../../../src/testing/index.js';
import { describeRecordsContract, type ContractEntry } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-store-directory-'));
let files = 0;
const fresh = () => join(dir, `directory-${++files}.db`);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function toEntries(entries: ContractEntry[]): DirectoryEntry[] {
  return entries.map((e, i) => ({ id: `rec-${i}`, name: e.name, recordType: e.table, phones: [e.phone, e.mobile].filter((p): p is string => p !== undefined) }));
}

/** Phone-call rows of a call key, counted on a connection of its own. */
function rowsFor(path: string, callKey: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM crm_phone_call WHERE call_key = ?').get(callKey) as { n: number }).n;
  } finally {
    db.close();
  }
}

describeRecordsContract('store (sqlite :memory:)', async (entries, o) => {
  const store = SqliteStore.open(':memory:');
  const crm = new StoreDirectory(store, { phone: { country: o.country }, limit: o.limit });
  await crm.add(...toEntries(entries));
  return { crm, phoneCallsFor: async (key: string) => ((await store.phoneCall(key)) === undefined ? 0 : 1), close: () => store.close() };
});

describeRecordsContract('store (sqlite file, through openStore)', async (entries, o) => {
  const path = fresh();
  const store = await openStore(`sqlite:${path}`);
  if (!isDirectoryStore(store)) throw new Error('openStore gave a store without a directory');
  const crm = new StoreDirectory(store, { phone: { country: o.country }, limit: o.limit });
  await crm.add(...toEntries(entries));
  return { crm, phoneCallsFor: (key: string) => rowsFor(path, key), close: () => store.close() };
});

describe('StoreDirectory on SQLite', () => {
  it('keeps entries and phone calls across a reopening of the file', async () => {
    const path = fresh();
    const first = SqliteStore.open(path);
    const crm = new StoreDirectory(first, { phone: { country: 'CH' } });
    expect(crm.name).toBe('store');
    expect(await crm.add({ id: 'c1', name: 'Ada', recordType: 'customer_contact', phones: ['044 555 01 01', 'garbage'] }, { id: 'c2', name: 'Bob', recordType: 'sys_user', phones: ['+41 44 555 02 02'] })).toBe(2);
    const made = await crm.createPhoneCall('K1', { ani: '+41445550101', direction: 'Incoming' });
    expect(made.id).toMatch(/^phonecall-[0-9a-f-]{36}$/);
    await crm.updatePhoneCall('K1', { wrapUpReason: 'Sale' });
    await crm.associate('K1', { id: 'c1', name: 'Ada', recordType: 'customer_contact' });
    await crm.associate('K1', { id: 'c1', name: 'Ada', recordType: 'customer_contact' });
    await first.close();

    const second = SqliteStore.open(path);
    try {
      const again = new StoreDirectory(second, { phone: { country: 'CH' } });
      expect((await again.lookupByPhone('0445550101')).records).toEqual([{ id: 'c1', name: 'Ada', recordType: 'customer_contact' }]);
      expect((await again.lookupByPhone('+41445550202')).records).toEqual([{ id: 'c2', name: 'Bob', recordType: 'sys_user' }]);
      expect(await again.findPhoneCall('K1')).toEqual(made);
      expect(await again.phoneCall('K1')).toMatchObject({
        callKey: 'K1',
        id: made.id,
        fields: { ani: '+41445550101', direction: 'Incoming', wrapUpReason: 'Sale' },
        associations: [{ id: 'c1', name: 'Ada', recordType: 'customer_contact' }],
        writes: 3,
      });
      // A retried create after the restart finds the record and brings it up to its fields.
      expect(await again.createPhoneCall('K1', { ani: '+41445550101', state: 'Ended' })).toEqual(made);
      expect((await again.phoneCall('K1'))?.fields).toEqual({ ani: '+41445550101', direction: 'Incoming', wrapUpReason: 'Sale', state: 'Ended' });
      expect(rowsFor(path, 'K1')).toBe(1);
      // Numbers as written come back as written; removal takes the entry's numbers with it.
      const raw = new Database(path, { readonly: true });
      expect(raw.prepare("SELECT phones FROM crm_directory WHERE id = 'c1'").get()).toEqual({ phones: '["044 555 01 01","garbage"]' });
      raw.close();
      expect(await again.remove('c1')).toBe(true);
      expect(await again.remove('c1')).toBe(false);
      expect((await again.lookupByPhone('0445550101')).records).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('an entry written again replaces its name, type and numbers', async () => {
    const store = SqliteStore.open(':memory:');
    try {
      const crm = new StoreDirectory(store, { phone: { country: 'CH' } });
      await crm.add({ id: 'c1', name: 'Ada', recordType: 'customer_contact', phones: ['044 555 01 01'] });
      await crm.add({ id: 'c1', name: 'Ada Muster', recordType: 'sys_user', phones: ['044 555 09 09'] });
      expect((await crm.lookupByPhone('0445550101')).records).toEqual([]);
      expect(await crm.lookupByPhone('0445550909')).toEqual({ phone: '+41445550909', records: [{ id: 'c1', name: 'Ada Muster', recordType: 'sys_user' }], complete: true, total: 1 });
    } finally {
      await store.close();
    }
  });

  it('migrates a database of schema version 2 in place: records and outbox kept, directory added', async () => {
    const path = fresh();
    const old = SqliteStore.open(path);
    await old.save(minimalRecord('r-1'), { outbox: [{ callKey: 'K9', kind: 'phonecall.create', payload: { ani: '+41445550101' } }] });
    await old.close();
    // Take the file back to schema version 2, as the Switchboard before the directory left it.
    const db = new Database(path);
    db.exec('DROP TABLE crm_phone_call; DROP TABLE crm_directory_phone; DROP TABLE crm_directory; DELETE FROM switchboard_migrations WHERE version = 3');
    expect(db.prepare('SELECT max(version) AS v FROM switchboard_migrations').get()).toEqual({ v: 2 });
    db.close();

    const store = SqliteStore.open(path);
    try {
      expect(SQLITE_SCHEMA_VERSION).toBe(3);
      expect(await store.get('r-1')).toEqual(minimalRecord('r-1'));
      expect((await store.listOutbox()).map((m) => [m.callKey, m.kind])).toEqual([['K9', 'phonecall.create']]);
      const crm = await storeDemoDirectory(store);
      expect((await crm.lookupByPhone('+41445550101')).records.map((r) => r.name)).toEqual(['Hans Muster (Acme AG)']);
      const check = new Database(path, { readonly: true });
      expect(check.prepare('SELECT version, name FROM switchboard_migrations ORDER BY version').all()).toEqual([
        { version: 1, name: 'interaction_records' },
        { version: 2, name: 'outbox' },
        { version: 3, name: 'crm_directory' },
      ]);
      // The lookup is served by the number index, not a scan of the numbers.
      const plan = (check.prepare('EXPLAIN QUERY PLAN SELECT entry_id FROM crm_directory_phone WHERE number IN (SELECT value FROM json_each(?))').all('["+41445550101"]') as { detail: string }[]).map((r) => r.detail).join(' | ');
      expect(plan).toMatch(/USING (COVERING )?(INDEX|PRIMARY KEY)/);
      check.close();
    } finally {
      await store.close();
    }
  });

  it('seeds the demo contacts idempotently: a second start keeps the phone calls and adds no entry', async () => {
    const path = fresh();
    const first = SqliteStore.open(path);
    const crm = await storeDemoDirectory(first);
    const made = await crm.createPhoneCall('DEMO1', { ani: '+41445550101' });
    await first.close();
    const second = SqliteStore.open(path);
    try {
      const again = await storeDemoDirectory(second);
      expect(await again.findPhoneCall('DEMO1')).toEqual(made);
      for (const contact of DEMO_CONTACTS) {
        expect((await again.lookupByPhone(contact.phones[0]!)).records).toEqual([{ id: contact.id, name: contact.name, recordType: contact.recordType }]);
      }
      expect((await again.lookupByPhone('044 555 01 01')).records.map((r) => r.id)).toEqual(['1000123']);
    } finally {
      await second.close();
    }
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT count(*) AS n FROM crm_directory').get()).toEqual({ n: DEMO_CONTACTS.length });
    raw.close();
  });

  it('two directories on two connections to one file creating the same calls make one record each', async () => {
    const path = fresh();
    const [s1, s2] = [SqliteStore.open(path), SqliteStore.open(path)];
    try {
      const [a, b] = [new StoreDirectory(s1), new StoreDirectory(s2)];
      const keys = Array.from({ length: 25 }, (_, i) => `RACE${i}`);
      const results = await Promise.all(keys.flatMap((k) => [a.createPhoneCall(k, { by: 'a' }), b.createPhoneCall(k, { by: 'b' })]));
      for (let i = 0; i < keys.length; i++) expect(results[2 * i]).toEqual(results[2 * i + 1]);
      const raw = new Database(path, { readonly: true });
      expect(raw.prepare("SELECT count(*) AS n, count(DISTINCT id) AS ids FROM crm_phone_call WHERE call_key LIKE 'RACE%'").get()).toEqual({ n: 25, ids: 25 });
      // The second create brought the record up to its fields, and counted as a write.
      expect(raw.prepare("SELECT fields, writes FROM crm_phone_call WHERE call_key = 'RACE0'").get()).toEqual({ fields: '{"by":"b"}', writes: 2 });
      raw.close();
    } finally {
      await s1.close();
      await s2.close();
    }
  });

  it('three OS processes racing to create the same calls in one file make one record each, and all agree on its id', async () => {
    const path = fresh();
    await SqliteStore.open(path).close();
    const count = 40;
    const results = await createFromProcesses(path, 3, count);
    for (let i = 0; i < count; i++) {
      const ids = new Set(results.map((r) => r[i]));
      expect(ids.size, `call RACE${i}`).toBe(1);
    }
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT count(*) AS n FROM crm_phone_call').get()).toEqual({ n: count });
    expect(raw.prepare('SELECT min(writes) AS lo, max(writes) AS hi FROM crm_phone_call').get()).toEqual({ lo: 3, hi: 3 });
    raw.close();
  }, 20_000);

  it('refuses bad input with the field named, writing nothing; store failures come back as retryable CrmErrors', async () => {
    const store = SqliteStore.open(':memory:');
    const crm = new StoreDirectory(store, { phone: { country: 'CH' } });
    await expect(crm.add({ id: '', name: 'Nobody', recordType: 'customer_contact', phones: [] })).rejects.toMatchObject({ kind: 'invalid_input', code: 'INVALID_ARGUMENT', message: expect.stringContaining('"id" must not be empty') });
    await expect(crm.add({ id: 'ok', name: 'Ok', recordType: 'customer_contact', phones: ['+41445550101'] }, { id: 'x', name: 'Bad\u0000', recordType: 'customer_contact', phones: [] })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('directory entry [1]: "name" must not contain NUL') as string,
    });
    expect((await crm.lookupByPhone('+41445550101')).records).toEqual([]);
    await expect(crm.lookupByPhone('+41445550101', { limit: -1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', retryable: false });
    await expect(crm.createPhoneCall('K1', { n: 1 } as unknown as Record<string, string>)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('fields["n"]') });
    await expect(crm.associate('NOPE', { id: 'c1', name: 'Ada', recordType: 'customer_contact' })).rejects.toMatchObject({ kind: 'not_found', retryable: false });
    await expect(store.lookupDirectory(['0445550101'], 5)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('E.164') });
    await store.close();
    const err = await crm.lookupByPhone('+41445550101').catch((e: unknown) => e);
    expect(isCrmError(err)).toBe(true);
    expect(err).toMatchObject({ kind: 'server', retryable: true, code: 'INVALID_STATE', message: expect.stringContaining('closed') });
  });
});

describe('the simulator server', () => {
  it('uses the demo directory in its own store by default: lookup, one phone-call record in the file, kept after a restart', async () => {
    const path = fresh();
    const startServer = () => createServer({ store: `sqlite:${path}`, platform: { kind: 'sim', agents: 1, humanAgents: 1, rate: 0 }, outbox: { pollIntervalMs: 20 }, logLevel: 'silent' });
    const server = await startServer();
    const agent = createAgent({ source: new RemoteSource({ agentId: '1001', open: () => new WebSocket(`${server.gadgetOrigin.replace('http', 'ws')}/ws`) }), clock: systemClock });
    let activityId: string;
    try {
      await agent.connect();
      const ch = Object.keys(agent.session.state.channels)[0] ?? '';
      await agent.api.setAgentState(ch, 'Ready');
      const ready = Date.now() + 5000;
      while (agent.session.state.channels[ch]?.state !== 'Ready' && Date.now() < ready) await new Promise((r) => setTimeout(r, 10));
      const id = server.platform.sim!.arrive({ from: '+41445550101', queue: 'support' });
      const until = Date.now() + 5000;
      while (agent.session.state.workitems[id]?.activity === undefined && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      const wi = agent.session.state.workitems[id];
      expect(wi?.participantLookupResult).toEqual([{ id: '1000123', name: 'Hans Muster (Acme AG)', recordType: 'customer_contact' }]);
      expect(wi?.activity?.id).toMatch(/^phonecall-/);
      activityId = wi!.activity!.id;
    } finally {
      await agent.disconnect();
      await server.close();
    }
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT id FROM crm_phone_call').all()).toEqual([{ id: activityId }]);
    raw.close();
    const again = await startServer();
    await again.close();
    const store = SqliteStore.open(path);
    try {
      expect((await store.lookupDirectory(['+41445550101'], 5)).total).toBe(1);
      expect((await store.lookupDirectory(['+41445550101', '+39025550199', '+16503054000'], 5)).total).toBe(3);
    } finally {
      await store.close();
    }
  });
});

const SELF = fileURLToPath(new URL('../../../src/sinks', import.meta.url));

/**
 * `processes` node processes open the file, say "ready", wait for "go" (sent to all at once)
 * and create calls RACE0..RACE<count-1>; each prints the ids it got, in key order.
 */
async function createFromProcesses(path: string, processes: number, count: number): Promise<string[][]> {
  const script = `
    import { SqliteStore } from ${JSON.stringify(join(SELF, 'log', 'index.ts'))};
    import { StoreDirectory } from ${JSON.stringify(join(SELF, 'records', 'index.ts'))};
    const [path, tag, count] = process.argv.slice(-3);
    const store = SqliteStore.open(path, { busyTimeoutMs: 10000 });
    const crm = new StoreDirectory(store);
    process.stdout.write('ready\\n');
    await new Promise((resolve) => process.stdin.once('data', resolve));
    const keys = Array.from({ length: Number(count) }, (_, i) => 'RACE' + i);
    const made = await Promise.all(keys.map((k) => crm.createPhoneCall(k, { by: tag })));
    await store.close();
    process.stdout.write(JSON.stringify(made.map((m) => m.id)));
    process.stdin.destroy();
  `;
  const children = Array.from({ length: processes }, (_, i) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, path, `p${i}`, String(count)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let onReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.startsWith('ready\n')) onReady();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const done = new Promise<string[]>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.replace(/^ready\n/, '')) as string[]) : reject(new Error(`creator p${i} exited with ${code}: ${err}`))));
    });
    return { ready: Promise.race([ready, done.then(() => undefined)]), done, go: () => child.stdin.write('go\n') };
  });
  try {
    await Promise.all(children.map((c) => c.ready));
  } finally {
    for (const c of children) c.go();
  }
  return Promise.all(children.map((c) => c.done));
}
