/**
 * The interaction-log sink driven by the simulator: sessions fed by SimContactCenter through
 * createAgent, on a SimulatedClock, logging into a real SqliteStore. One row per interaction
 * for scripted calls and for a busy hour of auto agents; duplicates (the sink attached twice,
 * two sinks, records replayed) never make a second row; a store that is down, hangs, throws or
 * refuses never reaches the session, and nothing accepted is lost while the process lives.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, SimulatedClock, SwitchboardError, type DomainEvent, type InteractionRecord } from '../../../src/core/index.js';
import { createAgent, type Agent } from '../../../src/sinks/cil/index.js';
import { InteractionLogSink, SqliteStore, type LogFailure, type RecordFilter, type RecordQuery, type SaveResult, type Store } from '../../../src/sinks/log/index.js';
import { SimContactCenter, type SimAgentConfig, type SimContactCenterOptions } from '../../../src/sources/sim/index.js';
import { minimalRecord } from '../../../src/testing/index.js';

const T0 = Date.parse('2026-03-02T08:00:00.000Z');

const AGENTS: SimAgentConfig[] = Array.from({ length: 4 }, (_, i) => ({
  id: String(1001 + i),
  extension: String(1001001 + i * 1000),
  firstName: 'Agent',
  lastName: String(i),
  loginName: `agent${i}`,
  teamId: 't1',
  skills: ['sales'],
}));

/** Let every pending promise callback run (saves resolve asynchronously). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A store that can be down, hang, or throw, in front of a real one; it counts what reached it. */
class FaultyStore implements Store {
  mode: 'up' | 'down' | 'hang' | 'throw' = 'up';
  attempts = 0;
  readonly hanging: { record: InteractionRecord; release: () => void }[] = [];

  constructor(readonly inner: Store) {}

  save(record: InteractionRecord): Promise<SaveResult> {
    this.attempts++;
    switch (this.mode) {
      case 'down':
        return Promise.reject(new SwitchboardError(ErrorCode.NOT_CONNECTED, 'store is down'));
      case 'throw':
        throw new Error('synchronous driver failure');
      case 'hang':
        return new Promise((resolve, reject) => {
          // Released later: the save then goes through, long after the sink gave up on it.
          this.hanging.push({
            record,
            release: () => {
              this.inner.save(record).then(resolve, reject);
            },
          });
        });
      default:
        return this.inner.save(record);
    }
  }
  get(id: string) {
    return this.inner.get(id);
  }
  list(query?: RecordQuery) {
    return this.inner.list(query);
  }
  count(filter?: RecordFilter) {
    return this.inner.count(filter);
  }
  close() {
    return this.inner.close();
  }
}

interface Desk {
  agent: Agent;
  events: DomainEvent[];
}

const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

function setup(options: Partial<Omit<SimContactCenterOptions, 'clock'>> = {}, sinkOptions: { saveTimeoutMs?: number } = {}) {
  const clock = new SimulatedClock(T0);
  const cc = new SimContactCenter({ clock, seed: 7, wrapup: 'off', agents: AGENTS, queues: [{ id: 'sales', name: 'Sales' }], ...options });
  const store = new FaultyStore(SqliteStore.open(':memory:'));
  open.push(store);
  const failures: LogFailure[] = [];
  const sink = new InteractionLogSink({ store, clock, onError: (f) => failures.push(f), ...sinkOptions });
  open.push(sink);
  const desk = async (agentId: string, attach = true): Promise<Desk> => {
    const agent = createAgent({ source: cc.source(agentId), clock });
    const events: DomainEvent[] = [];
    agent.session.subscribe((e) => void events.push(e));
    if (attach) sink.attach(agent.session);
    await agent.connect();
    return { agent, events };
  };
  const step = async (ms: number) => {
    clock.advance(ms);
    await flush();
  };
  /** One inbound call to `agentId` (Ready, idle): rings, is answered, the caller hangs up. */
  const call = async (d: Desk, n: number): Promise<string> => {
    const callId = cc.arrive({ from: `+4144555${String(n).padStart(4, '0')}`, queue: 'sales', callVariables: { callVariable1: `INV-${n}` } });
    await step(2000);
    await d.agent.api.answer(callId, { requestId: `answer-${n}` });
    await step(30_000 + n * 1000);
    cc.callerHangup(callId);
    await step(1000);
    return callId;
  };
  let readies = 0;
  const ready = async (d: Desk) => {
    await d.agent.cil.setAgentState('voice', 'Ready', '', `ready-${++readies}`);
    await step(1000);
  };
  return { clock, cc, store, sink, failures, desk, step, call, ready };
}

const ended = (events: DomainEvent[]) => events.flatMap((e) => (e.type === 'interactionEnd' ? [e.data.record] : []));
const errors = (events: DomainEvent[]) => events.filter((e) => e.type === 'error');

describe('InteractionLogSink', () => {
  it('saves each interaction the session ends, once, exactly as the session built it', async () => {
    const t = setup();
    const d = await t.desk('1001');
    await t.ready(d);
    const callIds = [await t.call(d, 1), await t.call(d, 2), await t.call(d, 3)];
    await t.sink.whenIdle();
    const records = ended(d.events);
    expect(records.map((r) => r.id)).toEqual(callIds);
    expect(await t.store.count()).toBe(3);
    for (const r of records) expect(await t.store.get(r.id)).toStrictEqual(r);
    expect(records.map((r) => r.data.callVariable1)).toEqual(['INV-1', 'INV-2', 'INV-3']);
    expect(t.sink.stats).toEqual({ inserted: 3, duplicates: 0, dropped: 0, failures: 0 });
    expect(t.store.attempts).toBe(3);
    expect(t.failures).toEqual([]);
    expect(errors(d.events)).toEqual([]);
    // Newest first, by agent.
    expect((await t.store.list({ agentId: '1001' })).records.map((r) => r.id)).toEqual([...callIds].reverse());
  });

  it('a busy hour of auto agents: one row per interaction, every row equal to its event', async () => {
    const t = setup({ arrivals: { perMinute: 6, patienceMs: 45_000, maxCalls: 120 }, autoAgents: { talkTimeMs: 30_000, holdProbability: 0.3, holdTimeMs: 5000 }, wrapup: 'optional' });
    const desks = await Promise.all(AGENTS.map((a) => t.desk(a.id)));
    for (let s = 0; s < 3600; s += 5) await t.step(5000);
    t.cc.stopArrivals();
    for (let s = 0; s < 900; s += 5) await t.step(5000);
    await t.sink.whenIdle();
    const records = desks.flatMap((d) => ended(d.events));
    expect(records.length).toBeGreaterThan(50);
    const ids = new Set(records.map((r) => r.id));
    expect(ids.size).toBe(records.length);
    expect(await t.store.count()).toBe(records.length);
    for (const r of records) expect(await t.store.get(r.id)).toStrictEqual(r);
    for (const a of AGENTS) expect(await t.store.count({ agentId: a.id }), a.id).toBe(records.filter((r) => r.agentId === a.id).length);
    expect(t.sink.stats.inserted).toBe(records.length);
    expect(t.failures).toEqual([]);
    for (const d of desks) expect(errors(d.events)).toEqual([]);
  });

  it('duplicates make no second row: attached twice, a second sink, records replayed', async () => {
    const t = setup();
    const d = await t.desk('1001');
    t.sink.attach(d.agent.session);
    const second = new InteractionLogSink({ store: t.store, clock: t.clock, onError: (f) => t.failures.push(f) });
    open.push(second);
    second.attach(d.agent.session);
    await t.ready(d);
    await t.call(d, 1);
    await t.call(d, 2);
    await t.sink.whenIdle();
    await second.whenIdle();
    const records = ended(d.events);
    expect(records).toHaveLength(2);
    expect(await t.store.count()).toBe(2);
    // Attached twice, the same id was only queued once while waiting.
    expect(t.sink.stats.inserted + t.sink.stats.duplicates).toBe(2);
    expect(t.sink.stats.inserted + second.stats.inserted).toBe(2);
    // Replaying what was already saved (a recovery, a re-sent log) is absorbed by the store.
    for (const r of records) expect(t.sink.accept(r)).toBe(true);
    for (const r of records) expect(t.sink.accept({ ...r, agentId: 'someone else' })).toBe(false);
    await t.sink.whenIdle();
    expect(await t.store.count()).toBe(2);
    for (const r of records) expect(await t.store.get(r.id)).toStrictEqual(r);
    expect(t.failures).toEqual([]);
  });

  it('a store that is down: the session never hears of it, saves retry with backoff, nothing is lost', async () => {
    const t = setup();
    const d = await t.desk('1001');
    const ends: string[] = [];
    d.agent.cil.onWorkitemEnd((data) => ends.push(data.id));
    await t.ready(d);
    t.store.mode = 'down';
    const callIds = [await t.call(d, 1), await t.call(d, 2), await t.call(d, 3)];
    // The calls went on as usual.
    expect(ends).toEqual(callIds);
    expect(errors(d.events)).toEqual([]);
    expect(t.sink.pending).toBe(3);
    expect(await t.store.count()).toBe(0);
    // Only the oldest record is being retried, on the clock: 1 s, 2 s, 4 s, ... up to 60 s.
    const delays = () => t.failures.map((f) => f.retryInMs);
    for (let i = 0; i < 10; i++) await t.step(60_000);
    expect(new Set(t.failures.map((f) => `${f.record.id} ${f.error.code}`))).toEqual(new Set([`${callIds[0]} NOT_CONNECTED`]));
    expect(t.failures.map((f) => f.attempt)).toEqual(t.failures.map((_, i) => i + 1));
    expect(delays().slice(0, 8)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
    expect(t.sink.pending).toBe(3);
    // Back up: the next retry saves everything, in the order the calls ended.
    t.store.mode = 'up';
    await t.step(60_000);
    await t.sink.whenIdle();
    expect(t.sink.pending).toBe(0);
    expect(await t.store.count()).toBe(3);
    const saved = (await t.store.list()).records;
    expect(saved.map((r) => r.id)).toEqual([...callIds].reverse());
    for (const r of ended(d.events)) expect(await t.store.get(r.id)).toStrictEqual(r);
    expect(t.sink.stats).toMatchObject({ inserted: 3, dropped: 0 });
    expect(errors(d.events)).toEqual([]);
    // The backoff starts again from 1 s for the next outage.
    t.store.mode = 'down';
    const before = t.failures.length;
    await t.call(d, 4);
    expect(t.failures.slice(before).map((f) => f.retryInMs)).toEqual([1000]);
  });

  it('with a save timeout, a save that hangs times out and is retried; when the first one lands late, still one row', async () => {
    const t = setup({}, { saveTimeoutMs: 30_000 });
    const d = await t.desk('1001');
    await t.ready(d);
    t.store.mode = 'hang';
    const callId = await t.call(d, 1);
    expect(t.store.hanging).toHaveLength(1);
    await t.step(30_000);
    expect(t.failures).toHaveLength(1);
    expect(t.failures[0]).toMatchObject({ attempt: 1, retryInMs: 1000, error: { code: ErrorCode.TIMEOUT } });
    t.store.mode = 'up';
    // The timed-out save goes through after all, then the retry finds the row there.
    t.store.hanging[0]?.release();
    await flush();
    await t.step(1000);
    await t.sink.whenIdle();
    expect(await t.store.count()).toBe(1);
    expect((await t.store.get(callId))?.id).toBe(callId);
    expect(t.sink.stats).toMatchObject({ inserted: 0, duplicates: 1, failures: 1 });
  });

  it('without a save timeout, a slow save is simply waited for', async () => {
    const t = setup();
    const d = await t.desk('1001');
    await t.ready(d);
    t.store.mode = 'hang';
    const callId = await t.call(d, 1);
    await t.call(d, 2);
    for (let i = 0; i < 60; i++) await t.step(60_000);
    expect(t.failures).toEqual([]);
    expect(t.store.hanging).toHaveLength(1);
    expect(t.sink.pending).toBe(2);
    t.store.mode = 'up';
    t.store.hanging[0]?.release();
    await t.sink.whenIdle();
    expect(await t.store.count()).toBe(2);
    expect((await t.store.get(callId))?.id).toBe(callId);
    expect(t.sink.stats).toMatchObject({ inserted: 2, duplicates: 0, failures: 0 });
  });

  it('a store that throws instead of rejecting is retried like any failure', async () => {
    const t = setup();
    const d = await t.desk('1001');
    await t.ready(d);
    t.store.mode = 'throw';
    await t.call(d, 1);
    expect(t.failures[0]).toMatchObject({ attempt: 1, retryInMs: 1000, error: { code: ErrorCode.INTERNAL, message: 'synchronous driver failure' } });
    expect(errors(d.events)).toEqual([]);
    t.store.mode = 'up';
    await t.step(1000);
    await t.sink.whenIdle();
    expect(await t.store.count()).toBe(1);
  });

  it('an invalid record is reported and dropped without blocking the ones behind it', async () => {
    const t = setup();
    const bad = { ...minimalRecord('bad'), channel: 'Fax' } as unknown as InteractionRecord;
    const uncopyable = minimalRecord('uncopyable', { raw: { fn: () => 1 } });
    expect(t.sink.accept(bad)).toBe(true);
    expect(t.sink.accept(uncopyable)).toBe(false);
    expect(t.sink.accept(minimalRecord('good'))).toBe(true);
    await t.sink.whenIdle();
    expect(await t.store.count()).toBe(1);
    expect(await t.store.get('good')).toStrictEqual(minimalRecord('good'));
    expect(t.failures.map((f) => [f.record.id, f.error.code, f.retryInMs])).toEqual([
      ['uncopyable', ErrorCode.INVALID_ARGUMENT, undefined],
      ['bad', ErrorCode.INVALID_ARGUMENT, undefined],
    ]);
    expect(t.failures[1]?.error.message).toContain('record.channel');
    expect(t.sink.stats).toMatchObject({ inserted: 1, dropped: 2 });
  });

  it('an error callback that throws changes nothing', async () => {
    const clock = new SimulatedClock(T0);
    const store = new FaultyStore(SqliteStore.open(':memory:'));
    open.push(store);
    let calls = 0;
    const sink = new InteractionLogSink({
      store,
      clock,
      onError: () => {
        calls++;
        throw new Error('the logger is broken too');
      },
    });
    store.mode = 'down';
    sink.accept(minimalRecord('r1'));
    await flush();
    clock.advance(1000);
    await flush();
    expect(calls).toBe(2);
    store.mode = 'up';
    clock.advance(2000);
    await sink.whenIdle();
    expect(await store.count()).toBe(1);
  });

  it('close detaches, stops retrying, and hands back what was not saved', async () => {
    const t = setup();
    const d = await t.desk('1001');
    await t.ready(d);
    t.store.mode = 'down';
    await t.call(d, 1);
    await t.call(d, 2);
    const records = ended(d.events);
    const left = await t.sink.close();
    expect(left).toStrictEqual(records);
    expect(t.sink.pending).toBe(0);
    await t.sink.whenIdle();
    // Detached: later calls are not logged, and nothing retries.
    const attempts = t.store.attempts;
    t.store.mode = 'up';
    await t.call(d, 3);
    await t.step(120_000);
    expect(t.store.attempts).toBe(attempts);
    expect(await t.store.count()).toBe(0);
    expect(t.sink.accept(minimalRecord('late'))).toBe(false);
    expect(() => t.sink.attach(d.agent.session)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_STATE }));
  });

  it('rejects a retry policy that is not positive', () => {
    const store = new FaultyStore(SqliteStore.open(':memory:'));
    open.push(store);
    const clock = new SimulatedClock(T0);
    for (const retry of [{ initialMs: 0 }, { factor: -1 }, { maxMs: Number.NaN }]) {
      expect(() => new InteractionLogSink({ store, clock, onError: () => undefined, retry })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_ARGUMENT }));
    }
    expect(() => new InteractionLogSink({ store, clock, onError: () => undefined, saveTimeoutMs: 0 })).toThrow(/saveTimeoutMs/);
  });
});
