/**
 * SQLite against the Store contract — in memory, on a file opened by `SqliteStore.open`, and on a
 * file opened by `openStore('sqlite:...')` — and what is SQLite's own: WAL mode, the schema and
 * its version table, the indexes the queries use, a database from a newer Switchboard refused,
 * and several processes racing to save the same ids into one file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/core/index.js';
import { SQLITE_SCHEMA_VERSION, SqliteStore, openStore, type Store } from '../../../src/sinks/log/index.js';
import { minimalRecord, storeContract } from '../../../src/testing/index.js';
import { saveFromProcesses } from './processes.js';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const paths = new WeakMap<Store, string>();
const fresh = () => join(dir, `contract-${++n}`, 'log.db');

storeContract('sqlite (:memory:)', () => SqliteStore.open(':memory:'), {
  skip: {
    'concurrent saves through two stores': 'a :memory: database belongs to its one connection',
    reopen: 'nothing outlives a :memory: database',
  },
});

storeContract(
  'sqlite (file)',
  () => {
    const path = fresh();
    const store = SqliteStore.open(path);
    paths.set(store, path);
    return store;
  },
  { reopen: (store) => SqliteStore.open(paths.get(store) ?? '') },
);

storeContract(
  'sqlite (file, through openStore)',
  async () => {
    const path = fresh();
    const store = await openStore(`sqlite:${path}`);
    paths.set(store, path);
    return store;
  },
  { reopen: (store) => openStore(`sqlite:${paths.get(store) ?? ''}`) },
);

describe('SqliteStore', () => {
  it('opens a file in WAL mode with the schema, its version and the indexes; reopening migrates nothing', async () => {
    const path = fresh();
    const store = SqliteStore.open(path);
    await store.save(minimalRecord('s-1'));
    await store.close();
    await SqliteStore.open(path).close();
    const db = new Database(path, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT version, name FROM switchboard_migrations').all()).toEqual([
        { version: 1, name: 'interaction_records' },
        { version: 2, name: 'outbox' },
        { version: 3, name: 'crm_directory' },
      ]);
      expect(SQLITE_SCHEMA_VERSION).toBe(3);
      const columns = (db.prepare("SELECT name, type, pk FROM pragma_table_info('interaction_records')").all() as { name: string; type: string; pk: number }[]).map((c) => `${c.name} ${c.type}${c.pk ? ' pk' : ''}`);
      expect(columns).toEqual(['id TEXT pk', 'agent_id TEXT', 'source TEXT', 'start_ms INTEGER', 'end_ms INTEGER', 'record TEXT']);
      const row = db.prepare('SELECT id, agent_id, start_ms, end_ms, record FROM interaction_records').get() as Record<string, unknown>;
      expect(row).toMatchObject({ id: 's-1', agent_id: '1001', start_ms: Date.parse('2026-03-02T08:00:00Z'), end_ms: Date.parse('2026-03-02T08:01:00Z') });
      expect(JSON.parse(row.record as string)).toEqual(minimalRecord('s-1'));
      // The queries are served by the indexes, not by a scan and a sort.
      const plan = (sql: string, ...params: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
      const byAgent = plan('SELECT record FROM interaction_records WHERE agent_id = ? AND (end_ms, id) < (?, ?) ORDER BY end_ms DESC, id DESC LIMIT 10', 'a', 1, 'x');
      expect(byAgent).toContain('interaction_records_agent_end');
      expect(byAgent).not.toContain('TEMP B-TREE');
      const byTime = plan('SELECT record FROM interaction_records WHERE end_ms >= ? AND end_ms < ? ORDER BY end_ms DESC, id DESC LIMIT 10', 1, 2);
      expect(byTime).toContain('interaction_records_end');
      expect(byTime).not.toContain('TEMP B-TREE');
    } finally {
      db.close();
    }
  });

  it('creates the directory of a new file', async () => {
    const path = join(dir, 'deep', 'er', 'still', 'log.db');
    const store = await openStore(`sqlite:${path}`);
    expect(await store.save(minimalRecord('d-1'))).toBe('inserted');
    await store.close();
    const again = SqliteStore.open(path);
    expect(await again.count()).toBe(1);
    await again.close();
  });

  it('refuses a database written by a newer Switchboard, and leaves it as it was', async () => {
    const path = fresh();
    await SqliteStore.open(path).close();
    const db = new Database(path);
    db.prepare("INSERT INTO switchboard_migrations (version, name) VALUES (99, 'from the future')").run();
    db.close();
    let caught: unknown;
    try {
      SqliteStore.open(path);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ name: 'SwitchboardError', code: ErrorCode.INVALID_STATE });
    expect((caught as Error).message).toMatch(/schema version 99 is newer than this Switchboard's \(3\)/);
    const check = new Database(path, { readonly: true });
    expect(check.prepare('SELECT max(version) AS v FROM switchboard_migrations').get()).toEqual({ v: 99 });
    check.close();
  });

  it('a file that is not a database fails to open with an error naming it', () => {
    const path = join(dir, 'not-a-db.db');
    writeFileSync(path, 'this is text, not SQLite '.repeat(100));
    expect(() => SqliteStore.open(path)).toThrow(expect.objectContaining({ code: ErrorCode.INTERNAL, message: expect.stringContaining(path) as string }));
    expect(() => SqliteStore.open('')).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }));
  });

  it('several processes saving the same ids into one file at once: one row per id, each inserted by exactly one process', async () => {
    const path = fresh();
    await SqliteStore.open(path).close();
    const count = 200;
    const inserted = await saveFromProcesses(`sqlite:${path}`, 4, count);
    const all = [...inserted.values()].flat();
    expect(all).toHaveLength(count);
    expect(new Set(all).size).toBe(count);
    const store = SqliteStore.open(path);
    try {
      expect(await store.count()).toBe(count);
      for (const [tag, ids] of inserted) {
        for (const id of ids) expect((await store.get(id))?.agentId, id).toBe(tag);
      }
    } finally {
      await store.close();
    }
  });
});
