/**
 * @module testing/outbox-contract
 * The contract every {@link OutboxStore} must meet, as one reusable vitest suite (like
 * {@link storeContract}): SQLite in memory and on a file, and PostgreSQL, all run it. It checks
 * what the outbox worker and `switchboard outbox` rely on (docs/outbox.md): a record and its
 * messages written together or not at all, per-call sequence numbers, claims that hand out only
 * the first undelivered message of a call and never one another claimer holds, leases that run
 * out, failures, dead letters that hold back the rest of their call, retry, purge, counts.
 *
 * Each case opens a fresh, empty store with `makeStore(clock)`, where `clock` is a
 * SimulatedClock the store must stamp messages with, and closes it afterwards.
 */
import { describe, expect, it } from 'vitest';
import { SimulatedClock, type Clock } from '../core/clock.js';
import { ErrorCode } from '../core/errors.js';
import type { OutboxInput, OutboxStore } from '../sinks/log/store.js';
import { minimalRecord } from './store-contract.js';

export const OUTBOX_CONTRACT_CASES = [
  'save with messages',
  'duplicate save adds no messages',
  'invalid messages write nothing',
  'enqueue continues the call sequence',
  'claims only the head of each call',
  'due time',
  'lease expiry',
  'lease renewal',
  'failed attempt',
  'dead letters hold back their call',
  'retry dead letters',
  'purge',
  'counts',
  'ids are never reused',
  'concurrent enqueues of one call',
  'concurrent claims through two stores',
  'close',
] as const;
export type OutboxContractCase = (typeof OUTBOX_CONTRACT_CASES)[number];

export interface OutboxContractOptions {
  /** A second store over the same data, on the same clock. Needed by "concurrent claims through two stores". */
  reopen?: (store: OutboxStore, clock: Clock) => OutboxStore | Promise<OutboxStore>;
  /** Cases this adapter cannot run, each with its reason. */
  skip?: Partial<Record<OutboxContractCase, string>>;
}

/** The contract's clock starts here. */
export const OUTBOX_T0 = Date.parse('2026-03-02T08:00:00.000Z');

const msg = (callKey: string, kind: string, payload: unknown = { kind }): OutboxInput => ({ callKey, kind, payload });

/**
 * Run the Outbox contract against an adapter.
 *
 * @example
 * outboxContract('sqlite (memory)', (clock) => SqliteStore.open(':memory:', { clock }), {
 *   skip: { 'concurrent claims through two stores': 'a :memory: database belongs to its one connection' },
 * });
 */
export function outboxContract(name: string, makeStore: (clock: Clock) => OutboxStore | Promise<OutboxStore>, options: OutboxContractOptions = {}): void {
  const skip = options.skip ?? {};
  const test = (c: OutboxContractCase, body: (store: OutboxStore, clock: SimulatedClock, reopen: () => Promise<OutboxStore>) => Promise<void>) => {
    const reason = skip[c];
    it.skipIf(reason !== undefined)(reason === undefined ? c : `${c} (skipped: ${reason})`, async () => {
      const clock = new SimulatedClock(OUTBOX_T0);
      const store = await makeStore(clock);
      const others: OutboxStore[] = [];
      const reopen = async () => {
        if (options.reopen === undefined) throw new Error(`the contract has no reopen: pass options.reopen or list "${c}" in skip with the reason`);
        const other = await options.reopen(store, clock);
        others.push(other);
        return other;
      };
      try {
        await body(store, clock, reopen);
      } finally {
        for (const s of [store, ...others]) await s.close();
      }
    });
  };
  const claim = (store: OutboxStore, owner: string, now: number, limit = 100, leaseMs = 30_000) => store.claimOutbox({ owner, now, leaseMs, limit });

  describe(`Outbox contract: ${name}`, () => {
    test('save with messages', async (store) => {
      const payload = JSON.parse('{"zeta": 1, "alpha": {"b": [1, "two", null, true], "a": "Zürich ☎ \\u0000 nul"}, "10": "integer-like key"}') as unknown;
      const result = await store.save(minimalRecord('call-1'), { outbox: [msg('call-1', 'phonecall.update', payload), msg('call-1', 'associate'), msg('call-2', 'phonecall.create')] });
      expect(result).toBe('inserted');
      expect(await store.get('call-1')).toStrictEqual(minimalRecord('call-1'));
      const rows = await store.listOutbox();
      expect(rows.map((r) => [r.callKey, r.seq, r.kind, r.attempts, r.state])).toEqual([
        ['call-1', 1, 'phonecall.update', 0, 'pending'],
        ['call-1', 2, 'associate', 0, 'pending'],
        ['call-2', 1, 'phonecall.create', 0, 'pending'],
      ]);
      expect(rows[0]?.payload).toStrictEqual(payload);
      expect(JSON.stringify(rows[0]?.payload)).toBe(JSON.stringify(payload));
      expect(rows[0]).toMatchObject({ createdAt: new Date(OUTBOX_T0).toISOString(), createdMs: OUTBOX_T0, nextAttemptAt: OUTBOX_T0 });
      expect(rows.every((r) => /^[1-9][0-9]*$/.test(r.id))).toBe(true);
      expect(new Set(rows.map((r) => r.id)).size).toBe(3);
      // No messages: a plain save, as before.
      expect(await store.save(minimalRecord('call-3'), { outbox: [] })).toBe('inserted');
      expect(await store.count()).toBe(2);
    });

    test('duplicate save adds no messages', async (store) => {
      expect(await store.save(minimalRecord('dup'), { outbox: [msg('dup', 'a')] })).toBe('inserted');
      expect(await store.save(minimalRecord('dup', { agentId: 'other' }), { outbox: [msg('dup', 'b'), msg('dup', 'c')] })).toBe('duplicate');
      const results = await Promise.all(Array.from({ length: 10 }, () => store.save(minimalRecord('dup2'), { outbox: [msg('dup2', 'x')] })));
      expect(results.filter((r) => r === 'inserted')).toHaveLength(1);
      const rows = await store.listOutbox();
      expect(rows.map((r) => `${r.callKey}/${r.seq}/${r.kind}`)).toEqual(['dup/1/a', 'dup2/1/x']);
    });

    test('invalid messages write nothing', async (store) => {
      const cases: [unknown, RegExp][] = [
        [{ callKey: '', kind: 'k', payload: {} }, /outbox message \[1\]: "callKey" must not be empty/],
        [{ callKey: 'c', kind: 'k', payload: { when: new Date(0) } }, /outbox message \[1\]: "payload\.when" must be JSON data \(got Date\)/],
        [{ callKey: 'c', kind: 'k', payload: undefined }, /outbox message \[1\]: "payload" must be JSON data/],
        [{ callKey: 'c', kind: '', payload: 1 }, /"kind" must not be empty/],
        [{ callKey: 'c\u0000', kind: 'k', payload: 1 }, /"callKey" must not contain NUL/],
        [{ callKey: 'c', kind: 'k', payload: Number.NaN }, /"payload" must be a finite number/],
        [{ callKey: 'c', kind: 'k', payload: 1, notBefore: -1 }, /"notBefore"/],
        ['not an object', /outbox message \[1\] must be an object/],
      ];
      for (const [bad, message] of cases) {
        const outbox = [msg('c', 'fine'), bad] as OutboxInput[];
        await expect(store.save(minimalRecord('inv'), { outbox })).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, message: expect.stringMatching(message) as string });
        await expect(store.enqueue(outbox)).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
      }
      await expect(store.enqueue('nope' as unknown as OutboxInput[])).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
      expect(await store.get('inv')).toBeUndefined();
      expect(await store.listOutbox()).toEqual([]);
      expect(await store.enqueue([])).toEqual([]);
    });

    test('enqueue continues the call sequence', async (store, clock) => {
      const first = await store.enqueue([msg('k', 'phonecall.create')]);
      expect(first).toEqual([{ id: expect.stringMatching(/^\d+$/) as string, callKey: 'k', seq: 1 }]);
      clock.advance(1000);
      await store.save(minimalRecord('k'), { outbox: [msg('k', 'phonecall.update'), msg('other', 'x'), msg('k', 'associate')] });
      const more = await store.enqueue([msg('k', 'late'), msg('other', 'y')]);
      expect(more.map((m) => [m.callKey, m.seq])).toEqual([
        ['k', 4],
        ['other', 2],
      ]);
      const rows = await store.listOutbox({ callKey: 'k' });
      expect(rows.map((r) => [r.seq, r.kind, r.createdMs])).toEqual([
        [1, 'phonecall.create', OUTBOX_T0],
        [2, 'phonecall.update', OUTBOX_T0 + 1000],
        [3, 'associate', OUTBOX_T0 + 1000],
        [4, 'late', OUTBOX_T0 + 1000],
      ]);
      expect(Number(more[0]?.id)).toBeGreaterThan(Number(first[0]?.id));
    });

    test('claims only the head of each call', async (store) => {
      await store.enqueue([msg('a', 'a1'), msg('a', 'a2'), msg('b', 'b1'), msg('a', 'a3'), msg('c', 'c1')]);
      const now = OUTBOX_T0;
      const first = await claim(store, 'w1', now);
      expect(first.map((m) => m.kind)).toEqual(['a1', 'b1', 'c1']);
      expect(first.every((m) => m.attempts === 1)).toBe(true);
      expect(first[0]).toStrictEqual({ id: first[0]?.id, callKey: 'a', seq: 1, kind: 'a1', payload: { kind: 'a1' }, attempts: 1, createdAt: new Date(OUTBOX_T0).toISOString() });
      // Leased, and a2 waits for a1.
      expect(await claim(store, 'w2', now)).toEqual([]);
      expect(await store.completeOutbox(first[0]?.id ?? '', now + 5)).toBe(true);
      expect((await claim(store, 'w2', now + 10)).map((m) => m.kind)).toEqual(['a2']);
      // limit
      await store.enqueue([msg('d', 'd1'), msg('e', 'e1')]);
      expect(await claim(store, 'w3', now + 10, 1)).toHaveLength(1);
      await expect(store.claimOutbox({ owner: 'w', now, leaseMs: 1, limit: 0 })).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
      await expect(store.claimOutbox({ owner: '', now, leaseMs: 1, limit: 1 })).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
      const listed = await store.listOutbox({ includeDelivered: true, callKey: 'a' });
      expect(listed.map((r) => [r.kind, r.state])).toEqual([
        ['a1', 'delivered'],
        ['a2', 'leased'],
        ['a3', 'pending'],
      ]);
      expect(listed[0]?.deliveredAt).toBe(now + 5);
      expect(listed[1]).toMatchObject({ leaseOwner: 'w2', leaseUntil: now + 10 + 30_000 });
      expect((await store.listOutbox({ callKey: 'a' })).map((r) => r.kind)).toEqual(['a2', 'a3']);
    });

    test('due time', async (store) => {
      await store.enqueue([{ callKey: 'late', kind: 'k', payload: 1, notBefore: OUTBOX_T0 + 5000 }, msg('now', 'k')]);
      expect((await claim(store, 'w', OUTBOX_T0)).map((m) => m.callKey)).toEqual(['now']);
      expect(await claim(store, 'w', OUTBOX_T0 + 4999)).toEqual([]);
      expect((await claim(store, 'w', OUTBOX_T0 + 5000)).map((m) => m.callKey)).toEqual(['late']);
    });

    test('lease expiry', async (store) => {
      await store.enqueue([msg('a', 'a1'), msg('a', 'a2')]);
      const [m] = await claim(store, 'crashed-worker', OUTBOX_T0, 10, 1000);
      expect(m?.attempts).toBe(1);
      expect(await claim(store, 'w2', OUTBOX_T0 + 999)).toEqual([]);
      const [again] = await claim(store, 'w2', OUTBOX_T0 + 1000, 10, 1000);
      expect(again).toMatchObject({ id: m?.id, seq: 1, attempts: 2 });
      const [row] = await store.listOutbox({ callKey: 'a' });
      expect(row?.leaseOwner).toBe('w2');
      expect(row?.lastError).toMatch(/lease of crashed-worker expired/);
      // The first owner lost its lease: its failure is not recorded ...
      expect(await store.failOutbox(m?.id ?? '', 'crashed-worker', { error: 'late', nextAttemptAt: OUTBOX_T0 })).toBe(false);
      expect(await store.deadLetterOutbox(m?.id ?? '', 'crashed-worker', { error: 'late', at: OUTBOX_T0 })).toBe(false);
      // ... but a delivery is a delivery, recorded once whoever reports it.
      expect(await store.completeOutbox(m?.id ?? '', OUTBOX_T0 + 1001)).toBe(true);
      expect(await store.completeOutbox(m?.id ?? '', OUTBOX_T0 + 1002)).toBe(false);
      expect(await store.completeOutbox('999999', OUTBOX_T0)).toBe(false);
      expect(await store.completeOutbox('not-an-id', OUTBOX_T0)).toBe(false);
    });

    test('lease renewal', async (store) => {
      await store.enqueue([msg('a', 'a1')]);
      const [m] = await claim(store, 'w1', OUTBOX_T0, 10, 1000);
      expect(await store.renewOutboxLease(m?.id ?? '', 'w1', OUTBOX_T0 + 5000)).toBe(true);
      expect(await store.renewOutboxLease(m?.id ?? '', 'w2', OUTBOX_T0 + 9000)).toBe(false);
      expect(await claim(store, 'w2', OUTBOX_T0 + 4999)).toEqual([]);
      expect(await claim(store, 'w2', OUTBOX_T0 + 5000)).toHaveLength(1);
      expect(await store.renewOutboxLease(m?.id ?? '', 'w1', OUTBOX_T0 + 9000)).toBe(false);
    });

    test('failed attempt', async (store) => {
      await store.enqueue([msg('a', 'a1'), msg('a', 'a2')]);
      const [m] = await claim(store, 'w', OUTBOX_T0);
      const error = 'HTTP 503 from https://admin:hunter2@crm.example.com/api?password=s3cret&x=1';
      expect(await store.failOutbox(m?.id ?? '', 'w', { error, nextAttemptAt: OUTBOX_T0 + 2000 })).toBe(true);
      const [row] = await store.listOutbox();
      expect(row).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: OUTBOX_T0 + 2000 });
      expect(row?.leaseOwner).toBeUndefined();
      expect(row?.lastError).toBe('HTTP 503 from https://admin:***@crm.example.com/api?password=***&x=1');
      expect(await claim(store, 'w', OUTBOX_T0 + 1999)).toEqual([]);
      const [next] = await claim(store, 'w', OUTBOX_T0 + 2000);
      expect(next).toMatchObject({ id: m?.id, attempts: 2 });
      // A very long error is cut.
      expect(await store.failOutbox(m?.id ?? '', 'w', { error: `<html>${'x'.repeat(10_000)}</html>`, nextAttemptAt: OUTBOX_T0 })).toBe(true);
      expect((await store.listOutbox())[0]?.lastError?.length).toBeLessThanOrEqual(2000);
    });

    test('dead letters hold back their call', async (store) => {
      await store.enqueue([msg('a', 'a1'), msg('a', 'a2'), msg('b', 'b1')]);
      const claimed = await claim(store, 'w', OUTBOX_T0);
      const a1 = claimed.find((m) => m.kind === 'a1');
      expect(await store.deadLetterOutbox(a1?.id ?? '', 'other', { error: 'x', at: OUTBOX_T0 })).toBe(false);
      expect(await store.deadLetterOutbox(a1?.id ?? '', 'w', { error: 'INVALID_ARGUMENT: field "caller" unknown', at: OUTBOX_T0 + 7 })).toBe(true);
      const dead = await store.listDeadLetters();
      expect(dead).toEqual([
        { id: a1?.id, callKey: 'a', seq: 1, kind: 'a1', payload: { kind: 'a1' }, attempts: 1, createdAt: new Date(OUTBOX_T0).toISOString(), createdMs: OUTBOX_T0, lastError: 'INVALID_ARGUMENT: field "caller" unknown', deadAt: OUTBOX_T0 + 7 },
      ]);
      expect(await store.listDeadLetters({ callKey: 'b' })).toEqual([]);
      // a2 waits behind the dead a1; b goes on.
      await store.completeOutbox(claimed.find((m) => m.kind === 'b1')?.id ?? '', OUTBOX_T0);
      await store.enqueue([msg('b', 'b2'), msg('a', 'a3')]);
      expect((await claim(store, 'w', OUTBOX_T0 + 10)).map((m) => m.kind)).toEqual(['b2']);
      const waiting = await store.listOutbox({ callKey: 'a' });
      expect(waiting.map((r) => [r.kind, r.seq, r.blockedBy])).toEqual([
        ['a2', 2, a1?.id],
        ['a3', 3, a1?.id],
      ]);
    });

    test('retry dead letters', async (store, clock) => {
      await store.enqueue([msg('a', 'a1'), msg('a', 'a2'), msg('b', 'b1'), msg('c', 'c1')]);
      const claimed = await claim(store, 'w', OUTBOX_T0);
      for (const m of claimed) expect(await store.deadLetterOutbox(m.id, 'w', { error: `failed ${m.kind}`, at: OUTBOX_T0 })).toBe(true);
      const a1 = claimed.find((m) => m.kind === 'a1');
      clock.advance(60_000);
      const later = OUTBOX_T0 + 60_000;
      expect(await store.retryDeadLetters([a1?.id ?? '', '999999'], later)).toEqual([a1?.id]);
      const [back] = await store.listOutbox({ callKey: 'a' });
      expect(back).toMatchObject({ id: a1?.id, seq: 1, kind: 'a1', attempts: 0, nextAttemptAt: later, createdMs: OUTBOX_T0, state: 'pending', lastError: 'failed a1' });
      expect(back?.blockedBy).toBeUndefined();
      const [again] = await claim(store, 'w', later);
      expect(again).toMatchObject({ id: a1?.id, attempts: 1 });
      await store.completeOutbox(again?.id ?? '', later);
      expect((await claim(store, 'w', later)).map((m) => m.kind)).toEqual(['a2']);
      // 'all' for one call, then all.
      expect(await store.retryDeadLetters('all', later, { callKey: 'c' })).toEqual([claimed.find((m) => m.kind === 'c1')?.id]);
      expect(await store.retryDeadLetters('all', later)).toEqual([claimed.find((m) => m.kind === 'b1')?.id]);
      expect(await store.listDeadLetters()).toEqual([]);
      expect(await store.retryDeadLetters([], later)).toEqual([]);
      await expect(store.retryDeadLetters(['abc'], later)).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
    });

    test('purge', async (store) => {
      await store.enqueue([msg('a', 'a1'), msg('b', 'b1'), msg('c', 'c1'), msg('d', 'd1'), msg('e', 'e1')]);
      const claimed = await claim(store, 'w', OUTBOX_T0);
      const by = (k: string) => claimed.find((m) => m.kind === k)?.id ?? '';
      await store.completeOutbox(by('a1'), OUTBOX_T0 + 100);
      await store.completeOutbox(by('b1'), OUTBOX_T0 + 200);
      await store.deadLetterOutbox(by('c1'), 'w', { error: 'x', at: OUTBOX_T0 + 100 });
      await store.deadLetterOutbox(by('d1'), 'w', { error: 'x', at: OUTBOX_T0 + 200 });
      expect(await store.purgeOutbox({ before: OUTBOX_T0 + 200 })).toBe(1);
      expect((await store.listOutbox({ includeDelivered: true })).map((r) => r.kind)).toEqual(['b1', 'e1']);
      expect(await store.purgeOutbox({ dead: true, before: OUTBOX_T0 + 200 })).toBe(1);
      expect((await store.listDeadLetters()).map((r) => r.kind)).toEqual(['d1']);
      expect(await store.purgeOutbox()).toBe(1);
      expect(await store.purgeOutbox({ dead: true })).toBe(1);
      // Never a message still to deliver.
      expect((await store.listOutbox({ includeDelivered: true })).map((r) => r.kind)).toEqual(['e1']);
    });

    test('counts', async (store) => {
      expect(await store.outboxCounts()).toEqual({ pending: 0, leased: 0, delivered: 0, dead: 0 });
      await store.enqueue([msg('a', 'a1'), msg('a', 'a2'), msg('b', 'b1'), msg('c', 'c1')]);
      const claimed = await claim(store, 'w', OUTBOX_T0);
      await store.completeOutbox(claimed.find((m) => m.kind === 'b1')?.id ?? '', OUTBOX_T0);
      await store.deadLetterOutbox(claimed.find((m) => m.kind === 'c1')?.id ?? '', 'w', { error: 'x', at: OUTBOX_T0 });
      expect(await store.outboxCounts()).toEqual({ pending: 2, leased: 1, delivered: 1, dead: 1 });
    });

    test('ids are never reused', async (store) => {
      await store.enqueue([msg('a', 'a1'), msg('b', 'b1')]);
      const claimed = await claim(store, 'w', OUTBOX_T0);
      const last = claimed.reduce((max, m) => (Number(m.id) > Number(max.id) ? m : max));
      await store.deadLetterOutbox(last.id, 'w', { error: 'x', at: OUTBOX_T0 });
      const others = claimed.filter((m) => m !== last);
      for (const m of others) await store.completeOutbox(m.id, OUTBOX_T0);
      await store.purgeOutbox();
      const [fresh] = await store.enqueue([msg('z', 'z1')]);
      expect(Number(fresh?.id)).toBeGreaterThan(Number(last.id));
      expect(await store.retryDeadLetters([last.id], OUTBOX_T0)).toEqual([last.id]);
      expect((await store.listOutbox()).map((r) => r.id).sort()).toEqual([last.id, fresh?.id].sort());
    });

    test('concurrent enqueues of one call', async (store) => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.enqueue([msg('same', `m${i}`), msg(`own-${i}`, 'x')])));
      const seqs = results.map((r) => r[0]?.seq).sort((a, b) => (a ?? 0) - (b ?? 0));
      expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const rows = await store.listOutbox({ callKey: 'same' });
      // seq follows commit order: the ids (taken in commit order too) rise with it.
      const byId = [...rows].sort((a, b) => Number(a.id) - Number(b.id));
      expect(byId.map((r) => r.seq)).toEqual(rows.map((r) => r.seq).sort((a, b) => a - b));
    });

    test('concurrent claims through two stores', async (store, _clock, reopen) => {
      const other = await reopen();
      await store.enqueue(Array.from({ length: 60 }, (_, i) => msg(`call-${i}`, 'k')));
      const rounds = await Promise.all(Array.from({ length: 12 }, (_, i) => claim(i % 2 === 0 ? store : other, `w${i}`, OUTBOX_T0, 7)));
      const ids = rounds.flat().map((m) => m.id);
      expect(new Set(ids).size).toBe(ids.length);
      const rest = await claim(other, 'last', OUTBOX_T0, 100);
      expect(ids.length + rest.length).toBe(60);
      expect(new Set([...ids, ...rest.map((m) => m.id)]).size).toBe(60);
    });

    test('close', async (store) => {
      await store.enqueue([msg('a', 'a1')]);
      await store.close();
      for (const call of [
        () => store.enqueue([msg('a', 'a2')]),
        () => store.save(minimalRecord('x'), { outbox: [msg('a', 'a3')] }),
        () => store.claimOutbox({ owner: 'w', now: OUTBOX_T0, leaseMs: 1, limit: 1 }),
        () => store.listOutbox(),
        () => store.listDeadLetters(),
        () => store.outboxCounts(),
        () => store.purgeOutbox(),
        () => store.completeOutbox('1', OUTBOX_T0),
      ]) {
        await expect(call()).rejects.toMatchObject({ code: ErrorCode.INVALID_STATE });
      }
    });
  });
}
