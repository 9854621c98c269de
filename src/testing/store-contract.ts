/**
 * @module testing/store-contract
 * The contract every interaction-log {@link Store} must meet, as one reusable vitest suite (like
 * {@link sourceContract}): SQLite in memory and on a file, and PostgreSQL, all run it. It checks
 * what the sink and the server rely on — a record reads back exactly as saved, one row per id
 * however many saves race for it, queries by agent and end time newest first, pages that
 * neither repeat nor skip while records keep arriving, counts, errors that name the field, and
 * close.
 *
 * Each case opens a fresh, empty store with `makeStore` and closes it afterwards. Cases that
 * need a second store over the same data (`reopen`) are skipped, with the reason, only when the
 * adapter lists them in `skip`.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, isSwitchboardError } from '../core/errors.js';
import type { InteractionRecord } from '../core/interaction.js';
import type { RecordQuery, Store } from '../sinks/log/store.js';

export const STORE_CONTRACT_CASES = [
  'round trip of a full record',
  'round trip of a minimal record',
  'copies in and out',
  'get of an unknown id',
  'same id twice',
  'concurrent saves of one id',
  'concurrent saves through two stores',
  'many records',
  'by agent',
  'by end time range',
  'newest first, ties by id',
  'paging',
  'paging while inserting',
  'count',
  'invalid records',
  'invalid queries',
  'close',
  'reopen',
] as const;
export type StoreContractCase = (typeof STORE_CONTRACT_CASES)[number];

export interface StoreContractOptions {
  /**
   * A second store over the same data as `store` (the same file, database and schema), opened
   * while `store` is still open or after it closed. Needed by "concurrent saves through two
   * stores" and "reopen"; without it, list those cases in `skip`.
   */
  reopen?: (store: Store) => Store | Promise<Store>;
  /** Cases this adapter cannot run, each with its reason. */
  skip?: Partial<Record<StoreContractCase, string>>;
}

const T0 = Date.parse('2026-03-02T08:00:00.000Z');
const at = (sec: number) => new Date(T0 + sec * 1000).toISOString();

/** A record with only the required fields (every optional one absent). */
export function minimalRecord(id: string, overrides: Partial<InteractionRecord> = {}): InteractionRecord {
  return {
    id,
    source: 'sim',
    agentId: '1001',
    channel: 'Voice',
    direction: 'Incoming',
    internal: false,
    classification: 'Customer',
    isTransfer: false,
    isConference: false,
    finalState: 'Ended',
    ani: '+41445550100',
    startTime: at(0),
    endTime: at(60),
    durationSeconds: 55,
    acwSeconds: 0,
    holdSeconds: 0,
    workCodes: [],
    callParties: [],
    callMuted: false,
    callRecording: false,
    data: {},
    associations: [],
    raw: {},
    ...overrides,
  };
}

/** A record with every field set, and a `raw` that tries JSON's corners. */
export function fullRecord(id: string, overrides: Partial<InteractionRecord> = {}): InteractionRecord {
  const raw = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "not a function"}') as Record<string, unknown>;
  Object.assign(raw, {
    zeta: 'keys stay in the order they were written',
    alpha: { nested: { deeper: [1, 'two', null, true, { three: 3 }] }, empty: {}, none: [] },
    numbers: [0, -1.5, 1e21, 5e-324, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER],
    text: 'Zürich ☎ 📞 "quoted" \\ back\\slash \n newline \t tab \u0000 nul \u2028 sep \ud800 lone',
    nothing: null,
    yes: true,
    no: false,
    '': 'empty key',
    'a.b': 'dotted key',
    '10': 'integer-like key',
    big: 'x'.repeat(200_000),
  });
  return {
    ...minimalRecord(id),
    source: 'avaya',
    globalId: '00001000221704567890',
    agentId: 'agent-7',
    channel: 'Voice',
    direction: 'Outgoing',
    internal: false,
    classification: 'Transfer',
    isTransfer: true,
    isConference: false,
    finalState: 'EndedTransferred',
    ani: '1001001',
    callerName: 'Zoë Müller-Łukasiewicz',
    dnis: '8005550100',
    phoneNumber: '+41445550199',
    destinationAddress: '+41 44 555 01 99',
    resourceAddress: '1001001',
    email: 'zoe@example.com',
    startTime: '2026-03-02T09:00:00+01:00',
    establishedTime: '2026-03-02T08:00:04.250Z',
    endTime: '2026-03-02T08:05:00.123456Z',
    durationSeconds: 293.5,
    acwSeconds: 31,
    holdSeconds: 12,
    queueId: '6001',
    queueName: 'Billing',
    disposition: 'Billing question',
    workCodes: ['Sales', 'Billing question', 'Sales'],
    subject: 'Invoice INV-1001 — "late fee"',
    comments: 'Customer asked for a callback.\nSecond line.',
    callParties: [
      { id: '1', name: 'Zoë', phone: '+41445550199' },
      { id: '2', name: 'Ada Meier', phone: '1001001', userId: 'u-1001' },
    ],
    callMuted: true,
    callRecording: true,
    recordingUrl: 'https://rec.example.com/r/1?sig=a%2Fb&x=1',
    playbackUrl: 'https://rec.example.com/p/1',
    origination: 'dialpad',
    priority: 3,
    interactionOrigin: '[AXP,Elite]',
    uui: 'C8,0A',
    asaiUui: '04C8',
    data: { callVariable10: 'ten', callVariable2: 'two', 'user.lang': 'de-CH', empty: '', unicode: '日本語' },
    associations: [
      { id: 'c-1', name: 'Zoë Müller', recordType: 'Contact' },
      { id: 'k-9', name: 'Case 9', recordType: 'Case' },
    ],
    raw,
    ...overrides,
  };
}

/** The SwitchboardError `promise` rejects with, checked by code (and message part). */
async function expectError(promise: Promise<unknown>, code: ErrorCode, ...parts: string[]): Promise<string> {
  let caught: unknown;
  let resolved: unknown;
  try {
    resolved = await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected a ${code} SwitchboardError, but it resolved with ${JSON.stringify(resolved)}`).toBeDefined();
  expect(isSwitchboardError(caught), `expected a SwitchboardError, got ${String(caught)}`).toBe(true);
  const e = caught as { code: string; message: string };
  expect(e.code, e.message).toBe(code);
  for (const p of parts) expect(e.message).toContain(p);
  return e.message;
}

/** Code point order (what SQLite's BINARY and PostgreSQL's "C" collation give on UTF-8). */
function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const y = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Newest first, ties by id descending: the order every list returns. */
function newestFirst(a: InteractionRecord, b: InteractionRecord): number {
  return Date.parse(b.endTime) - Date.parse(a.endTime) || compareCodePoints(b.id, a.id);
}

async function listAll(store: Store, query: RecordQuery = {}): Promise<{ records: InteractionRecord[]; pages: number }> {
  const records: InteractionRecord[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await store.list({ ...query, ...(cursor !== undefined ? { cursor } : {}) });
    records.push(...page.records);
    cursor = page.nextCursor;
    pages++;
    if (pages > 10_000) throw new Error('paging does not end');
  } while (cursor !== undefined);
  return { records, pages };
}

const ids = (records: readonly InteractionRecord[]) => records.map((r) => r.id);

/**
 * Run the Store contract against an adapter.
 *
 * @example
 * storeContract('sqlite (memory)', () => SqliteStore.open(':memory:'), {
 *   skip: { 'reopen': 'nothing outlives a :memory: database', 'concurrent saves through two stores': 'one connection only' },
 * });
 */
export function storeContract(name: string, makeStore: () => Store | Promise<Store>, options: StoreContractOptions = {}): void {
  const skip = options.skip ?? {};
  const test = (c: StoreContractCase, body: (store: Store, open: (s: Store) => Promise<Store>) => Promise<void>) => {
    const reason = skip[c];
    it.skipIf(reason !== undefined)(reason === undefined ? c : `${c} (skipped: ${reason})`, async () => {
      const store = await makeStore();
      const others: Store[] = [];
      const reopen = async (s: Store) => {
        if (options.reopen === undefined) throw new Error(`the contract has no reopen: pass options.reopen or list "${c}" in skip with the reason`);
        const other = await options.reopen(s);
        others.push(other);
        return other;
      };
      try {
        await body(store, reopen);
      } finally {
        for (const s of [store, ...others]) await s.close();
      }
    });
  };

  describe(`Store contract: ${name}`, () => {
    test('round trip of a full record', async (store) => {
      const record = fullRecord('full-1');
      expect(await store.save(record)).toBe('inserted');
      const got = await store.get('full-1');
      expect(got).toStrictEqual(record);
      // Same keys in the same order, same types, nested raw intact.
      expect(JSON.stringify(got)).toBe(JSON.stringify(record));
      expect(Object.getPrototypeOf(got?.raw)).toBe(Object.prototype);
      expect(Object.prototype.hasOwnProperty.call(got?.raw, '__proto__')).toBe(true);
      expect((got?.raw as { text?: string }).text).toContain('\u0000 nul');
      const listed = await store.list();
      expect(listed.records).toStrictEqual([record]);
      expect(JSON.stringify(listed.records[0])).toBe(JSON.stringify(record));
    });

    test('round trip of a minimal record', async (store) => {
      const record = minimalRecord('min-1');
      expect(await store.save(record)).toBe('inserted');
      const got = await store.get('min-1');
      expect(got).toStrictEqual(record);
      expect(Object.keys(got ?? {})).toEqual(Object.keys(record));
      for (const optional of ['globalId', 'callerName', 'dnis', 'establishedTime', 'priority', 'disposition', 'recordingUrl', 'uui'] as const) {
        expect(got !== undefined && optional in got, `${optional} should be absent`).toBe(false);
      }
      // An optional field set to undefined reads back absent, like one never set.
      expect(await store.save({ ...minimalRecord('min-2'), dnis: undefined, priority: undefined })).toBe('inserted');
      const second = await store.get('min-2');
      expect(second).toStrictEqual(minimalRecord('min-2'));
      expect(second !== undefined && 'dnis' in second).toBe(false);
    });

    test('copies in and out', async (store) => {
      const record = fullRecord('copy-1');
      const before = structuredClone(record);
      await store.save(record);
      record.agentId = 'changed after save';
      record.workCodes.push('changed');
      (record.raw as { alpha: { empty: Record<string, unknown> } }).alpha.empty.changed = true;
      const got = await store.get('copy-1');
      expect(got).toStrictEqual(before);
      if (got === undefined) return;
      got.data.callVariable2 = 'changed by a reader';
      got.callParties.length = 0;
      expect(await store.get('copy-1')).toStrictEqual(before);
    });

    test('get of an unknown id', async (store) => {
      await store.save(minimalRecord('known'));
      expect(await store.get('unknown')).toBeUndefined();
      expect(await store.get('KNOWN')).toBeUndefined();
      expect(await store.get('')).toBeUndefined();
    });

    test('same id twice', async (store) => {
      const first = minimalRecord('dup-1', { agentId: 'a1', endTime: at(60) });
      const second = fullRecord('dup-1', { agentId: 'a2', endTime: at(600) });
      expect(await store.save(first)).toBe('inserted');
      expect(await store.save(second)).toBe('duplicate');
      expect(await store.save(first)).toBe('duplicate');
      expect(await store.get('dup-1')).toStrictEqual(first);
      expect(await store.count()).toBe(1);
      expect(await store.count({ agentId: 'a2' })).toBe(0);
      expect(ids((await store.list()).records)).toEqual(['dup-1']);
    });

    test('concurrent saves of one id', async (store) => {
      const variants = Array.from({ length: 50 }, (_, i) => minimalRecord('race-1', { agentId: `agent-${i}`, endTime: at(100 + i), durationSeconds: i }));
      const results = await Promise.all(variants.map((r) => store.save(r)));
      expect(results.filter((r) => r === 'inserted')).toHaveLength(1);
      expect(results.filter((r) => r === 'duplicate')).toHaveLength(49);
      const winner = variants[results.indexOf('inserted')];
      expect(await store.get('race-1')).toStrictEqual(winner);
      expect(await store.count()).toBe(1);
      expect((await store.list()).records).toStrictEqual([winner]);
    });

    test('concurrent saves through two stores', async (store, open) => {
      const other = await open(store);
      const stores = [store, other];
      // 20 ids, each saved 10 times, alternating between the two stores, all at once.
      const saves = Array.from({ length: 200 }, (_, i) => {
        const id = `both-${i % 20}`;
        const s = stores[i % 2] ?? store;
        return s.save(minimalRecord(id, { agentId: `from-${i % 2}`, durationSeconds: i }));
      });
      const results = await Promise.all(saves);
      expect(results.filter((r) => r === 'inserted')).toHaveLength(20);
      expect(await store.count()).toBe(20);
      expect(await other.count()).toBe(20);
      for (let k = 0; k < 20; k++) {
        const winners = results.flatMap((r, i) => (r === 'inserted' && i % 20 === k ? [i] : []));
        expect(winners).toHaveLength(1);
        const got = await other.get(`both-${k}`);
        expect(got?.durationSeconds).toBe(winners[0]);
      }
    });

    test('many records', async (store) => {
      const records = Array.from({ length: 300 }, (_, i) => minimalRecord(`many-${String(i).padStart(3, '0')}`, { endTime: at(1000 + (i % 37)), agentId: `a${i % 5}` }));
      const results = await Promise.all(records.map((r) => store.save(r)));
      expect(results.every((r) => r === 'inserted')).toBe(true);
      expect(await store.count()).toBe(300);
      const all = await listAll(store, { limit: 1000 });
      expect(all.pages).toBe(1);
      expect(all.records).toStrictEqual([...records].sort(newestFirst));
    });

    test('by agent', async (store) => {
      const records = [
        minimalRecord('a-1', { agentId: '1001', endTime: at(10) }),
        minimalRecord('a-2', { agentId: '1002', endTime: at(20) }),
        minimalRecord('a-3', { agentId: '1001', endTime: at(30) }),
        minimalRecord('a-4', { agentId: '10011', endTime: at(40) }),
        minimalRecord('a-5', { agentId: '', endTime: at(50) }),
      ];
      for (const r of records) await store.save(r);
      expect(ids((await store.list({ agentId: '1001' })).records)).toEqual(['a-3', 'a-1']);
      expect(ids((await store.list({ agentId: '1002' })).records)).toEqual(['a-2']);
      expect(ids((await store.list({ agentId: '' })).records)).toEqual(['a-5']);
      expect((await store.list({ agentId: '100' })).records).toEqual([]);
      expect((await store.list({ agentId: 'nobody' })).records).toEqual([]);
      expect(await store.count({ agentId: '1001' })).toBe(2);
      expect(await store.count({ agentId: 'nobody' })).toBe(0);
    });

    test('by end time range', async (store) => {
      await store.save(minimalRecord('t-early', { startTime: at(0), endTime: at(100) }));
      // Starts long before the range, ends inside it: selected (the range is on endTime).
      await store.save(minimalRecord('t-long', { startTime: at(-5000), endTime: at(150) }));
      // Ends exactly at the range's start: selected (inclusive).
      await store.save(minimalRecord('t-from', { startTime: at(100), endTime: at(200) }));
      // The same instant as t-from, written in another time zone.
      await store.save(minimalRecord('t-zone', { startTime: at(100), endTime: '2026-03-02T09:03:20+01:00' }));
      await store.save(minimalRecord('t-mid', { startTime: at(200), endTime: at(250), agentId: '2002' }));
      // Starts inside the range, ends exactly at its end: not selected (exclusive).
      await store.save(minimalRecord('t-before', { startTime: at(250), endTime: at(300) }));
      await store.save(minimalRecord('t-late', { startTime: at(300), endTime: at(400) }));
      const range = { endFrom: at(200), endBefore: at(300) };
      expect(ids((await store.list(range)).records)).toEqual(['t-mid', 't-zone', 't-from']);
      expect(await store.count(range)).toBe(3);
      // The bounds may be written in any time zone.
      expect(ids((await store.list({ endFrom: '2026-03-02T10:03:20+02:00', endBefore: '2026-03-02T03:05:00-05:00' })).records)).toEqual(['t-mid', 't-zone', 't-from']);
      expect(ids((await store.list({ endFrom: at(200) })).records)).toEqual(['t-late', 't-before', 't-mid', 't-zone', 't-from']);
      expect(ids((await store.list({ endBefore: at(200) })).records)).toEqual(['t-long', 't-early']);
      expect(ids((await store.list({ ...range, agentId: '2002' })).records)).toEqual(['t-mid']);
      expect(await store.count({ ...range, agentId: '1001' })).toBe(2);
      expect((await store.list({ endFrom: at(300), endBefore: at(300) })).records).toEqual([]);
      expect((await store.list({ endFrom: at(400), endBefore: at(100) })).records).toEqual([]);
    });

    test('newest first, ties by id', async (store) => {
      const tie = '2026-03-02T08:10:00.000Z';
      const tieIds = ['b', 'a', 'B', '10', '9', 'é', 'e', '\uFF21', '😀', 'a-1', 'a '];
      const records = [
        minimalRecord('old', { endTime: at(1) }),
        minimalRecord('new', { endTime: at(10_000) }),
        // Sub-millisecond digits are beyond a store's precision: this one ties with the rest.
        minimalRecord('micro', { endTime: '2026-03-02T08:10:00.000900Z' }),
        minimalRecord('zoned', { endTime: '2026-03-02T09:10:00+01:00' }),
        ...tieIds.map((id) => minimalRecord(id, { endTime: tie })),
        minimalRecord('one ms later', { endTime: '2026-03-02T08:10:00.001Z' }),
        // The first and last instants a store must index.
        minimalRecord('year 1', { startTime: '0001-01-01T00:00:00Z', endTime: '0001-01-01T00:00:00Z' }),
        minimalRecord('year 9999', { endTime: '9999-12-31T23:59:59.999Z' }),
      ];
      // Saved in an order that is neither the result nor its reverse.
      for (const r of [...records].sort((a, b) => compareCodePoints(a.agentId + a.ani + a.id.length, b.agentId + b.ani + b.id.length))) await store.save(r);
      const listed = ids((await store.list()).records);
      const expected = ['year 9999', 'new', 'one ms later', ...[...tieIds, 'micro', 'zoned'].sort((a, b) => compareCodePoints(b, a)), 'old', 'year 1'];
      expect(listed).toEqual(expected);
      expect(ids([...records].sort(newestFirst))).toEqual(expected);
      // Code point order, not UTF-16 order: U+1F600 sorts after U+FF21.
      expect(listed.indexOf('😀')).toBeLessThan(listed.indexOf('\uFF21'));
      // The same question asked twice gets the same answer, and so does paging one by one.
      expect(ids((await store.list()).records)).toEqual(listed);
      expect(ids((await listAll(store, { limit: 1 })).records)).toEqual(listed);
      expect(ids((await store.list({ endFrom: '0001-01-01T00:00:00Z', endBefore: '0001-01-01T00:00:00.001Z' })).records)).toEqual(['year 1']);
    });

    test('paging', async (store) => {
      // 28 records, many sharing an end time, so pages split inside runs of ties.
      const records = Array.from({ length: 28 }, (_, i) => minimalRecord(`p-${String(i).padStart(2, '0')}`, { endTime: at(Math.floor(i / 5)), agentId: i % 3 === 0 ? 'x' : 'y' }));
      for (const r of records) await store.save(r);
      const expected = [...records].sort(newestFirst);
      for (const limit of [1, 4, 5, 7, 27, 28, 29, 1000]) {
        const all = await listAll(store, { limit });
        expect(ids(all.records), `limit ${limit}`).toEqual(ids(expected));
        expect(all.pages, `limit ${limit}`).toBe(Math.max(1, Math.ceil(28 / limit)));
      }
      const first = await store.list({ limit: 7 });
      expect(first.records).toHaveLength(7);
      expect(first.nextCursor).toEqual(expect.any(String));
      const last = await store.list({ limit: 28 });
      expect(last.records).toHaveLength(28);
      expect(last.nextCursor).toBeUndefined();
      // Paging a filtered query keeps the filter.
      const xs = await listAll(store, { agentId: 'x', limit: 3 });
      expect(ids(xs.records)).toEqual(ids(expected.filter((r) => r.agentId === 'x')));
      const ranged = await listAll(store, { endFrom: at(1), endBefore: at(4), limit: 4 });
      expect(ids(ranged.records)).toEqual(ids(expected.filter((r) => r.endTime >= at(1) && r.endTime < at(4))));
      // The default page holds 100.
      expect((await store.list()).records).toHaveLength(28);
    });

    test('paging while inserting', async (store) => {
      const original = Array.from({ length: 40 }, (_, i) => minimalRecord(`w-${String(i).padStart(2, '0')}`, { endTime: at(100 + Math.floor(i / 4)) }));
      for (const r of original) await store.save(r);
      const seen: InteractionRecord[] = [];
      let cursor: string | undefined;
      let n = 0;
      do {
        const page = await store.list({ limit: 6, ...(cursor !== undefined ? { cursor } : {}) });
        seen.push(...page.records);
        cursor = page.nextCursor;
        const last = page.records.at(-1);
        if (last !== undefined) {
          // Between pages: a newer record, an older one, and two tying with the page's last row
          // (one sorting before it, one after).
          n++;
          await store.save(minimalRecord(`w-new-${n}`, { endTime: at(10_000 + n) }));
          await store.save(minimalRecord(`w-old-${n}`, { endTime: at(n) }));
          await store.save(minimalRecord(`${last.id}~${n}`, { endTime: last.endTime }));
          await store.save(minimalRecord(`${last.id.slice(0, -1)}!${n}`, { endTime: last.endTime }));
        }
      } while (cursor !== undefined);
      const seenIds = ids(seen);
      expect(new Set(seenIds).size, 'no record twice').toBe(seenIds.length);
      for (const r of original) expect(seenIds.filter((id) => id === r.id), r.id).toHaveLength(1);
      // Still newest first across pages: nothing newer than the cursor slipped in behind it.
      expect(seenIds).toEqual(ids([...seen].sort(newestFirst)));
      expect(seenIds.some((id) => id.startsWith('w-new-'))).toBe(false);
      expect(seenIds.filter((id) => id.startsWith('w-old-')).length).toBeGreaterThan(0);
    });

    test('count', async (store) => {
      expect(await store.count()).toBe(0);
      for (let i = 0; i < 12; i++) await store.save(minimalRecord(`c-${i}`, { agentId: i < 5 ? 'a' : 'b', endTime: at(i * 10) }));
      expect(await store.count()).toBe(12);
      expect(await store.count({})).toBe(12);
      expect(await store.count({ agentId: 'a' })).toBe(5);
      expect(await store.count({ agentId: 'b', endFrom: at(60) })).toBe(6);
      expect(await store.count({ endBefore: at(30) })).toBe(3);
      const page = await store.list({ limit: 2 });
      // Paging arguments do not change a count.
      expect(await store.count({ limit: 2, cursor: page.nextCursor } as RecordQuery)).toBe(12);
      await store.save(minimalRecord('c-0'));
      expect(await store.count()).toBe(12);
    });

    test('invalid records', async (store) => {
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const cases: [string, unknown, string][] = [
        ['not an object', null, '"record"'],
        ['no agentId', { ...minimalRecord('bad-1'), agentId: undefined }, 'record.agentId'],
        ['numeric id', { ...minimalRecord('bad-2'), id: 42 }, 'record.id'],
        ['empty id', minimalRecord(''), 'record.id'],
        ['NUL in id', minimalRecord('bad\u0000id'), 'record.id'],
        ['unknown channel', { ...minimalRecord('bad-3'), channel: 'Fax' }, 'record.channel'],
        ['endTime not a time', minimalRecord('bad-4', { endTime: 'yesterday' }), 'record.endTime'],
        ['startTime without a zone', minimalRecord('bad-5', { startTime: '2026-03-02T08:00:00' }), 'record.startTime'],
        ['30 February', minimalRecord('bad-6', { endTime: '2026-02-30T08:00:00Z' }), 'record.endTime'],
        ['establishedTime not a time', minimalRecord('bad-7', { establishedTime: 'soon' }), 'record.establishedTime'],
        ['NaN duration', minimalRecord('bad-8', { durationSeconds: Number.NaN }), 'record.durationSeconds'],
        ['number in data', { ...minimalRecord('bad-9'), data: { callVariable1: 7 } }, 'record.data.callVariable1'],
        ['party without phone', { ...minimalRecord('bad-10'), callParties: [{ id: '1', name: 'x' }] }, 'record.callParties[0]'],
        ['Date in raw', minimalRecord('bad-11', { raw: { nested: { when: new Date(T0) } } }), 'record.raw.nested.when'],
        ['BigInt in raw', minimalRecord('bad-12', { raw: { big: 10n } }), 'record.raw.big'],
        ['function in raw', minimalRecord('bad-13', { raw: { fn: () => 1 } }), 'record.raw.fn'],
        ['Infinity in raw', minimalRecord('bad-14', { raw: { list: [1, Number.POSITIVE_INFINITY] } }), 'record.raw.list[1]'],
        ['undefined in a raw array', minimalRecord('bad-15', { raw: { list: [1, undefined] } }), 'record.raw.list[1]'],
        ['circular raw', minimalRecord('bad-16', { raw: circular }), 'record.raw.self'],
        ['raw not an object', { ...minimalRecord('bad-17'), raw: 'text' }, 'record.raw'],
      ];
      for (const [what, record, field] of cases) {
        const message = await expectError(store.save(record as InteractionRecord), ErrorCode.INVALID_ARGUMENT, field);
        expect(message, what).toContain(field);
      }
      // Nothing half-written.
      expect(await store.count()).toBe(0);
      expect((await store.list()).records).toEqual([]);
      expect(await store.get('bad-11')).toBeUndefined();
      // The store still works, and the refused ids are free.
      expect(await store.save(minimalRecord('bad-11'))).toBe('inserted');
      expect(await store.count()).toBe(1);
    });

    test('invalid queries', async (store) => {
      await store.save(minimalRecord('q-1'));
      await expectError(store.list({ limit: 0 }), ErrorCode.INVALID_ARGUMENT, '"limit"');
      await expectError(store.list({ limit: 1001 }), ErrorCode.INVALID_ARGUMENT, '"limit"');
      await expectError(store.list({ limit: 2.5 }), ErrorCode.INVALID_ARGUMENT, '"limit"');
      await expectError(store.list({ cursor: 'not a cursor' }), ErrorCode.INVALID_ARGUMENT, '"cursor"');
      await expectError(store.list({ cursor: Buffer.from('{"a":1}').toString('base64url') }), ErrorCode.INVALID_ARGUMENT, '"cursor"');
      await expectError(store.list({ cursor: Buffer.from('[1e300,"x"]').toString('base64url') }), ErrorCode.INVALID_ARGUMENT, '"cursor"');
      await expectError(store.list({ endFrom: 'yesterday' }), ErrorCode.INVALID_ARGUMENT, '"endFrom"');
      await expectError(store.count({ endBefore: '2026-03-02' }), ErrorCode.INVALID_ARGUMENT, '"endBefore"');
      await expectError(store.count({ agentId: 7 } as unknown as RecordQuery), ErrorCode.INVALID_ARGUMENT, '"agentId"');
      expect(await store.count()).toBe(1);
    });

    test('close', async (store) => {
      await store.save(minimalRecord('x-1'));
      await store.close();
      await store.close();
      await expectError(store.save(minimalRecord('x-2')), ErrorCode.INVALID_STATE, 'closed');
      await expectError(store.get('x-1'), ErrorCode.INVALID_STATE, 'closed');
      await expectError(store.list(), ErrorCode.INVALID_STATE, 'closed');
      await expectError(store.count(), ErrorCode.INVALID_STATE, 'closed');
    });

    test('reopen', async (store, open) => {
      const records = [fullRecord('r-1'), minimalRecord('r-2', { endTime: at(1) }), minimalRecord('r-3', { agentId: 'other' })];
      for (const r of records) await store.save(r);
      await store.close();
      const again = await open(store);
      expect(await again.count()).toBe(3);
      expect(await again.get('r-1')).toStrictEqual(records[0]);
      expect((await again.list()).records).toStrictEqual([...records].sort(newestFirst));
      expect(await again.save(minimalRecord('r-1'))).toBe('duplicate');
      expect(await again.save(minimalRecord('r-4'))).toBe('inserted');
      await again.close();
      const third = await open(store);
      expect(await third.count()).toBe(4);
    });
  });
}
