/**
 * SQLite against the Outbox contract — in memory and on a file — and what is SQLite's own: a
 * failure in the middle of a save with messages writes neither, and a store from before the
 * outbox (schema version 1) is migrated with its records intact.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../src/core/index.js';
import { SqliteStore, openStore, type OutboxStore } from '../../src/sinks/log/index.js';
import { OUTBOX_T0, minimalRecord, outboxContract } from '../../src/testing/index.js';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-outbox-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `db-${++n}`, 'log.db');
const paths = new WeakMap<OutboxStore, string>();

outboxContract('sqlite (:memory:)', (clock) => SqliteStore.open(':memory:', { clock }), {
  skip: { 'concurrent claims through two stores': 'a :memory: database belongs to its one connection' },
});

outboxContract(
  'sqlite (file)',
  (clock) => {
    const path = fresh();
    const store = SqliteStore.open(path, { clock });
    paths.set(store, path);
    return store;
  },
  { reopen: (store, clock) => SqliteStore.open(paths.get(store) ?? '', { clock }) },
);

describe('SqliteStore outbox', () => {
  it('a failure in the middle of a save with messages writes neither the record nor any message', async () => {
    const path = fresh();
    const store = SqliteStore.open(path, { clock: new SimulatedClock(OUTBOX_T0) });
    const db = new Database(path);
    db.exec("CREATE TRIGGER boom BEFORE INSERT ON outbox WHEN NEW.kind = 'boom' BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    db.close();
    const outbox = [
      { callKey: 'c1', kind: 'fine', payload: {} },
      { callKey: 'c1', kind: 'boom', payload: {} },
    ];
    await expect(store.save(minimalRecord('c1'), { outbox })).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('injected failure') as string });
    expect(await store.get('c1')).toBeUndefined();
    expect(await store.listOutbox()).toEqual([]);
    await expect(store.enqueue(outbox)).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(await store.listOutbox()).toEqual([]);
    // The same save without the failing message goes through whole.
    expect(await store.save(minimalRecord('c1'), { outbox: [outbox[0]!] })).toBe('inserted');
    expect((await store.listOutbox()).map((m) => m.kind)).toEqual(['fine']);
    await store.close();
  });

  it('migrates a store written before the outbox: records kept, outbox tables added', async () => {
    const path = fresh();
    const old = await openStore(`sqlite:${path}`);
    await old.save(minimalRecord('old-1'));
    await old.close();
    // Take the file back to schema version 1, as an earlier Switchboard left it (no outbox, no CRM directory).
    const db = new Database(path);
    db.exec('DROP TABLE outbox; DROP TABLE outbox_dead; DROP TABLE crm_phone_call; DROP TABLE crm_directory_phone; DROP TABLE crm_directory; DELETE FROM switchboard_migrations WHERE version >= 2');
    db.close();
    const store = await openStore(`sqlite:${path}`);
    expect(await store.get('old-1')).toStrictEqual(minimalRecord('old-1'));
    expect(await store.enqueue([{ callKey: 'old-1', kind: 'k', payload: null }])).toHaveLength(1);
    await store.close();
    const check = new Database(path, { readonly: true });
    expect(check.prepare('SELECT version FROM switchboard_migrations ORDER BY version').all()).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
    // The claim is served by the partial index on due messages.
    const plan = (check.prepare('EXPLAIN QUERY PLAN SELECT id FROM outbox WHERE delivered_ms IS NULL AND next_attempt_ms <= ? ORDER BY next_attempt_ms, id LIMIT 5').all(1) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan).toContain('outbox_due');
    check.close();
  });
});
