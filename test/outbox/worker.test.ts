/**
 * The outbox worker on a SimulatedClock over SQLite in memory: delivery in order per call under
 * failures, the backoff and jitter bounds, Retry-After, dead letters with their last error and
 * what they hold back, retry from dead letters, leases that run out after a simulated crash or
 * are renewed during a slow delivery, the delivery timeout, metrics, and the error
 * classification the CRM adapters rely on.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ErrorCode, SimulatedClock, SwitchboardError } from '../../src/core/index.js';
import { OutboxWorker, backoffCeiling, classifyDeliveryError, retryDelay, seededRandom, type OutboxMetrics } from '../../src/outbox/index.js';
import { SqliteStore, type OutboxMessage, type OutboxStore } from '../../src/sinks/log/index.js';
import { OUTBOX_T0 } from '../../src/testing/index.js';

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(options: { concurrency?: number; maxAttempts?: number; random?: () => number; leaseMs?: number; deliveryTimeoutMs?: number } = {}) {
  const clock = new SimulatedClock(OUTBOX_T0);
  const store = SqliteStore.open(':memory:', { clock });
  const delivered: OutboxMessage[] = [];
  const events: string[] = [];
  let behaviour: (m: OutboxMessage) => Promise<void> | void = () => undefined;
  const metrics: OutboxMetrics = {
    delivered: (m, i) => events.push(`delivered ${m.callKey}/${m.seq} latency=${i.latencyMs} recorded=${i.recorded}`),
    retried: (m, i) => events.push(`retried ${m.callKey}/${m.seq} delay=${i.delayMs}${i.retryAfterMs === undefined ? '' : ` retryAfter=${i.retryAfterMs}`}`),
    dead: (m, i) => events.push(`dead ${m.callKey}/${m.seq} ${i.reason}: ${i.error}`),
  };
  const errors: string[] = [];
  const worker = new OutboxWorker({
    store,
    clock,
    random: options.random ?? seededRandom(7),
    owner: 'test-worker',
    concurrency: options.concurrency ?? 4,
    maxAttempts: options.maxAttempts ?? 5,
    leaseMs: options.leaseMs ?? 30_000,
    deliveryTimeoutMs: options.deliveryTimeoutMs ?? 10_000,
    backoff: { baseMs: 1000, maxMs: 60_000 },
    metrics,
    onError: (e) => errors.push(e.message),
    deliver: async (m) => {
      await behaviour(m);
      delivered.push(m);
    },
  });
  return {
    clock,
    store,
    worker,
    delivered,
    events,
    errors,
    setBehaviour: (fn: (m: OutboxMessage) => Promise<void> | void) => (behaviour = fn),
  };
}

/** Run rounds, moving the clock to the next due message between them, until nothing is left. */
async function deliverAll(store: OutboxStore, worker: OutboxWorker, clock: SimulatedClock, maxRounds = 200): Promise<void> {
  for (let i = 0; i < maxRounds; i++) {
    await worker.drain();
    const pending = await store.listOutbox({ limit: 1000 });
    // Only the head of each call can be due; the rest wait for it.
    const heads = new Map<string, (typeof pending)[number]>();
    for (const m of pending) if (!heads.has(m.callKey) || m.seq < (heads.get(m.callKey)?.seq ?? 0)) heads.set(m.callKey, m);
    const waiting = [...heads.values()].filter((m) => m.blockedBy === undefined);
    if (waiting.length === 0) return;
    const next = Math.min(...waiting.map((m) => Math.max(m.nextAttemptAt, m.leaseUntil ?? 0)));
    clock.set(Math.max(next, clock.now()));
  }
  throw new Error('outbox did not drain');
}

const retryable = (message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { retryable: true }, extra);

describe('OutboxWorker', () => {
  it('delivers every message, in order per call, while some attempts fail', async () => {
    const { store, worker, clock, delivered, setBehaviour } = setup({ concurrency: 3, maxAttempts: 50 });
    const calls = 12;
    for (let k = 1; k <= 4; k++) await store.enqueue(Array.from({ length: calls }, (_, c) => ({ callKey: `call-${c}`, kind: `step-${k}`, payload: { c, k } })));
    const random = seededRandom(99);
    const attempted: string[] = [];
    setBehaviour((m) => {
      attempted.push(`${m.callKey}/${m.seq}`);
      if (random() < 0.4) throw retryable(`flaky ${m.callKey}/${m.seq}`);
    });
    await deliverAll(store, worker, clock);
    // Every message once, and per call in seq order.
    expect(delivered).toHaveLength(calls * 4);
    for (let c = 0; c < calls; c++) expect(delivered.filter((m) => m.callKey === `call-${c}`).map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    // And no attempt of seq n+1 before seq n was delivered.
    for (let c = 0; c < calls; c++) {
      const seqs = attempted.filter((a) => a.startsWith(`call-${c}/`)).map((a) => Number(a.split('/')[1]));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    expect(attempted.length).toBeGreaterThan(calls * 4);
    expect(await store.outboxCounts()).toMatchObject({ pending: 0, delivered: calls * 4, dead: 0 });
  });

  it('never runs more than `concurrency` deliveries at once, and different calls side by side', async () => {
    const { store, worker, setBehaviour } = setup({ concurrency: 3 });
    await store.enqueue(Array.from({ length: 10 }, (_, c) => ({ callKey: `c${c}`, kind: 'k', payload: c })));
    let running = 0;
    let peak = 0;
    setBehaviour(async () => {
      running++;
      peak = Math.max(peak, running);
      await flush();
      running--;
    });
    expect(await worker.drain()).toBe(10);
    expect(peak).toBe(3);
  });

  it('backs off with full jitter: each delay within [0, min(max, base·2^(n−1))), on the simulated clock', async () => {
    const { store, worker, clock, events, setBehaviour } = setup({ maxAttempts: 9, random: seededRandom(1) });
    await store.enqueue([{ callKey: 'k', kind: 'x', payload: null }]);
    setBehaviour(() => {
      throw retryable('503 Service Unavailable');
    });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 8; attempt++) {
      expect(await worker.runOnce()).toBe(1);
      const [row] = await store.listOutbox();
      const delay = (row?.nextAttemptAt ?? 0) - clock.now();
      delays.push(delay);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(Math.min(60_000, 1000 * 2 ** (attempt - 1)));
      // Not a millisecond early.
      clock.set(clock.now() + delay - 1);
      expect(await worker.runOnce()).toBe(0);
      clock.advance(1);
    }
    expect(events.filter((e) => e.startsWith('retried'))).toHaveLength(8);
    // The same seed gives the same delays.
    const again = seededRandom(1);
    expect(delays).toEqual(delays.map((_, i) => Math.floor(again() * backoffCeiling(i + 1, { baseMs: 1000, maxMs: 60_000 }))));
  });

  it('a Retry-After pauses every claim, not just the failed message: the other calls keep their attempts (a rate limit is the client\'s)', async () => {
    const { store, worker, clock, setBehaviour, delivered } = setup({ concurrency: 1 });
    await store.enqueue([
      { callKey: 'a', kind: 'x', payload: null },
      { callKey: 'b', kind: 'x', payload: null },
      { callKey: 'c', kind: 'x', payload: null },
    ]);
    let limited = true;
    setBehaviour((m) => {
      if (limited && m.callKey === 'a') throw Object.assign(new Error('429 Too Many Requests'), { retryable: true, retryAfterMs: 10_000 });
    });
    expect(await worker.runOnce()).toBe(1); // a: 429
    limited = false;
    // Inside the window nothing is claimed, so b and c spend no attempt.
    clock.set(OUTBOX_T0 + 9_999);
    expect(await worker.runOnce()).toBe(0);
    expect((await store.listOutbox()).map((r) => [r.callKey, r.attempts])).toEqual([
      ['a', 1],
      ['b', 0],
      ['c', 0],
    ]);
    clock.set(OUTBOX_T0 + 10_000);
    await worker.drain();
    expect(delivered.map((m) => m.callKey).sort()).toEqual(['b', 'c']);
  });

  it('honours Retry-After: the next attempt no earlier than asked, jittered upward only', async () => {
    const { store, worker, clock, events, setBehaviour } = setup({ random: () => 0.999 });
    await store.enqueue([{ callKey: 'k', kind: 'x', payload: null }]);
    let calls = 0;
    setBehaviour(() => {
      calls++;
      if (calls === 1) throw Object.assign(new Error('429 Too Many Requests'), { retryable: true, retryAfterMs: 45_000 });
    });
    await worker.runOnce();
    const [row] = await store.listOutbox();
    const delay = (row?.nextAttemptAt ?? 0) - OUTBOX_T0;
    expect(delay).toBeGreaterThanOrEqual(45_000);
    expect(delay).toBeLessThan(45_000 + 1000); // + at most min(45000, ceiling(1) = 1000)
    expect(row?.lastError).toBe('Error: 429 Too Many Requests');
    expect(events).toEqual([`retried k/1 delay=${delay} retryAfter=45000`]);
    clock.set(OUTBOX_T0 + 44_999);
    expect(await worker.runOnce()).toBe(0);
    clock.set(OUTBOX_T0 + delay);
    expect(await worker.runOnce()).toBe(1);
    expect(calls).toBe(2);
    for (const u of [0, 0.5, 0.999]) {
      expect(retryDelay(3, 10_000, () => u)).toBeGreaterThanOrEqual(10_000);
      expect(retryDelay(3, 10_000, () => u)).toBeLessThan(10_000 + 4000);
    }
  });

  it('dead-letters after max attempts with the last error, and holds back the rest of the call until it is retried', async () => {
    const { store, worker, clock, delivered, events, setBehaviour } = setup({ maxAttempts: 3 });
    await store.enqueue([
      { callKey: 'bad', kind: 'create', payload: 1 },
      { callKey: 'bad', kind: 'update', payload: 2 },
      { callKey: 'good', kind: 'create', payload: 3 },
    ]);
    let fail = true;
    let n = 0;
    setBehaviour((m) => {
      if (fail && m.callKey === 'bad') throw new SwitchboardError(ErrorCode.TIMEOUT, `CRM did not answer (try ${++n}) at https://svc:topsecret@crm.example.com/x`);
    });
    await deliverAll(store, worker, clock);
    expect(delivered.map((m) => `${m.callKey}/${m.seq}`)).toEqual(['good/1']);
    const [dead] = await store.listDeadLetters();
    expect(dead).toMatchObject({ callKey: 'bad', seq: 1, attempts: 3 });
    expect(dead?.lastError).toBe('TIMEOUT: CRM did not answer (try 3) at https://svc:***@crm.example.com/x (attempt 3 of 3)');
    expect(events.filter((e) => e.startsWith('dead'))).toEqual([`dead bad/1 max-attempts: ${dead?.lastError}`]);
    // bad/2 waits behind it, and stays waiting however long.
    clock.advance(24 * 3600_000);
    expect(await worker.drain()).toBe(0);
    expect((await store.listOutbox()).map((m) => [m.kind, m.blockedBy])).toEqual([['update', dead?.id]]);
    // The CRM is fixed; the operator retries: both go, in order.
    fail = false;
    expect(await store.retryDeadLetters('all', clock.now())).toEqual([dead?.id]);
    await deliverAll(store, worker, clock);
    expect(delivered.map((m) => `${m.callKey}/${m.seq}`)).toEqual(['good/1', 'bad/1', 'bad/2']);
    expect(delivered[1]?.attempts).toBe(1);
  });

  it('dead-letters at once on a non-retryable error; classifies SwitchboardErrors by code', async () => {
    const { store, worker, events, setBehaviour } = setup();
    await store.enqueue([
      { callKey: 'a', kind: 'x', payload: 1 },
      { callKey: 'b', kind: 'x', payload: 2 },
    ]);
    setBehaviour((m) => {
      if (m.callKey === 'a') throw Object.assign(new Error('400 Bad Request: field "u_caller" unknown'), { retryable: false });
      throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, 'mapping has no field "x"');
    });
    await worker.drain();
    expect(events.sort()).toEqual(['dead a/1 not-retryable: Error: 400 Bad Request: field "u_caller" unknown', 'dead b/1 not-retryable: INVALID_ARGUMENT: mapping has no field "x"']);
    expect(await store.outboxCounts()).toMatchObject({ pending: 0, dead: 2 });
  });

  it('classifies thrown values by duck typing', () => {
    expect(classifyDeliveryError(Object.assign(new Error('x'), { retryable: false }))).toEqual({ retryable: false, message: 'Error: x' });
    expect(classifyDeliveryError(Object.assign(new SwitchboardError(ErrorCode.INVALID_ARGUMENT, 'x'), { retryable: true }))).toMatchObject({ retryable: true });
    expect(classifyDeliveryError(Object.assign(new SwitchboardError(ErrorCode.TIMEOUT, 'x'), { retryable: false }))).toMatchObject({ retryable: false });
    for (const code of [ErrorCode.TIMEOUT, ErrorCode.NOT_CONNECTED, ErrorCode.INTERNAL]) expect(classifyDeliveryError(new SwitchboardError(code, 'x')).retryable, code).toBe(true);
    for (const code of [ErrorCode.INVALID_ARGUMENT, ErrorCode.PLATFORM_ERROR, ErrorCode.NOT_SUPPORTED, ErrorCode.PARSE_ERROR]) expect(classifyDeliveryError(new SwitchboardError(code, 'x')).retryable, code).toBe(false);
    // Serialized form (crossed a frame): still a SwitchboardError by shape.
    expect(classifyDeliveryError({ name: 'SwitchboardError', code: 'PLATFORM_ERROR', message: 'm' }).retryable).toBe(false);
    expect(classifyDeliveryError(new TypeError('fetch failed'))).toEqual({ retryable: true, message: 'TypeError: fetch failed' });
    expect(classifyDeliveryError('a string')).toEqual({ retryable: true, message: 'a string' });
    expect(classifyDeliveryError(undefined)).toMatchObject({ retryable: true });
    expect(classifyDeliveryError(42)).toEqual({ retryable: true, message: 'thrown: 42' });
    // Own properties only; a non-boolean retryable or a bad retryAfterMs is ignored.
    class Inherited extends Error {
      get retryable() {
        return false;
      }
    }
    expect(classifyDeliveryError(new Inherited('x')).retryable).toBe(true);
    expect(classifyDeliveryError(Object.assign(new Error('x'), { retryable: 'no' })).retryable).toBe(true);
    expect(classifyDeliveryError(Object.assign(new Error('x'), { retryAfterMs: -1 })).retryAfterMs).toBeUndefined();
    expect(classifyDeliveryError(Object.assign(new Error('x'), { retryAfterMs: 1500.2 })).retryAfterMs).toBe(1501);
    expect(classifyDeliveryError(Object.assign(new Error('see postgres://u:pw@db/x?password=pw2'), {})).message).toBe('Error: see postgres://u:***@db/x?password=***');
  });

  it('a worker that crashed mid-delivery: the lease runs out and another worker delivers the message, counting the lost attempt', async () => {
    const clock = new SimulatedClock(OUTBOX_T0);
    const store = SqliteStore.open(':memory:', { clock });
    await store.enqueue([
      { callKey: 'k', kind: 'first', payload: 1 },
      { callKey: 'k', kind: 'second', payload: 2 },
    ]);
    // The "crashed" worker: claims, starts delivering, and never settles (its process is gone).
    const crashed = await store.claimOutbox({ owner: 'crashed', now: clock.now(), leaseMs: 5000, limit: 10 });
    expect(crashed.map((m) => m.kind)).toEqual(['first']);
    const delivered: OutboxMessage[] = [];
    const worker = new OutboxWorker({ store, clock, owner: 'survivor', leaseMs: 5000, deliver: (m) => Promise.resolve(void delivered.push(m)) });
    clock.advance(4999);
    expect(await worker.drain()).toBe(0);
    clock.advance(1);
    expect(await worker.drain()).toBe(2);
    expect(delivered.map((m) => [m.kind, m.attempts])).toEqual([
      ['first', 2],
      ['second', 1],
    ]);
    const rows = await store.listOutbox({ includeDelivered: true });
    expect(rows[0]?.lastError).toMatch(/lease of crashed expired/);
    await store.close();
  });

  it('a message whose every attempt was cut short is dead-lettered instead of tried again', async () => {
    const clock = new SimulatedClock(OUTBOX_T0);
    const store = SqliteStore.open(':memory:', { clock });
    await store.enqueue([{ callKey: 'poison', kind: 'x', payload: 1 }]);
    for (let i = 0; i < 3; i++) {
      expect(await store.claimOutbox({ owner: `dead-${i}`, now: clock.now(), leaseMs: 1000, limit: 1 })).toHaveLength(1);
      clock.advance(1000);
    }
    let called = 0;
    const dead: string[] = [];
    const worker = new OutboxWorker({ store, clock, maxAttempts: 3, deliver: () => Promise.resolve(void called++), metrics: { dead: (_m, i) => dead.push(i.reason) } });
    await worker.drain();
    expect(called).toBe(0);
    expect(dead).toEqual(['abandoned']);
    expect((await store.listDeadLetters())[0]?.lastError).toMatch(/gave up after 3 attempts/);
    await store.close();
  });

  it('renews the lease while a slow delivery runs, so no other worker takes the message', async () => {
    const { store, worker, clock, events, errors, setBehaviour } = setup({ leaseMs: 3000, deliveryTimeoutMs: 60_000 });
    await store.enqueue([{ callKey: 'slow', kind: 'x', payload: 1 }]);
    let release: () => void = () => undefined;
    setBehaviour(() => new Promise<void>((resolve) => (release = resolve)));
    const round = worker.runOnce();
    await flush();
    for (let t = 0; t < 20; t++) {
      clock.advance(1000);
      await flush();
      expect(await store.claimOutbox({ owner: 'other', now: clock.now(), leaseMs: 1000, limit: 1 })).toEqual([]);
    }
    release();
    await round;
    expect(events).toEqual([`delivered slow/1 latency=20000 recorded=true`]);
    expect(errors).toEqual([]);
  });

  it('a delivery that runs past the timeout counts as a failed, retryable attempt', async () => {
    const { store, worker, clock, events, setBehaviour } = setup({ deliveryTimeoutMs: 5000, random: () => 0 });
    await store.enqueue([{ callKey: 'hang', kind: 'x', payload: 1 }]);
    setBehaviour(() => new Promise<void>(() => undefined));
    const round = worker.runOnce();
    await flush();
    clock.advance(5000);
    await round;
    expect(events).toEqual(['retried hang/1 delay=0']);
    expect((await store.listOutbox())[0]?.lastError).toBe('TIMEOUT: delivery took longer than 5000 ms');
  });

  it('runs on its own once started: polls, wakes after each delivery, and stop() waits for deliveries under way', async () => {
    const { store, worker, clock, delivered, setBehaviour } = setup({ concurrency: 2 });
    setBehaviour(flush);
    worker.start();
    await flush();
    await store.enqueue([
      { callKey: 'a', kind: '1', payload: 1 },
      { callKey: 'a', kind: '2', payload: 2 },
      { callKey: 'b', kind: '1', payload: 3 },
    ]);
    // Found at the next poll; a's second message follows at once, without another poll.
    clock.advance(1000);
    for (let i = 0; i < 20 && delivered.length < 3; i++) await flush();
    expect(delivered.map((m) => `${m.callKey}/${m.kind}`).sort()).toEqual(['a/1', 'a/2', 'b/1']);
    await store.enqueue([{ callKey: 'c', kind: '1', payload: 4 }]);
    worker.wake();
    for (let i = 0; i < 20 && delivered.length < 4; i++) await flush();
    expect(delivered).toHaveLength(4);
    await worker.stop();
    expect(clock.pending).toBe(0);
  });

  it('keeps the delivery contract the CRM adapters are built against (types)', () => {
    expectTypeOf<OutboxMessage>().toEqualTypeOf<{ id: string; callKey: string; seq: number; kind: string; payload: unknown; attempts: number; createdAt: string }>();
    expectTypeOf<ConstructorParameters<typeof OutboxWorker>[0]['deliver']>().toEqualTypeOf<(message: OutboxMessage) => Promise<void>>();
    // @ts-expect-error a deliverer must return a promise
    new OutboxWorker({ store: SqliteStore.open(':memory:'), deliver: (_m: OutboxMessage) => undefined });
  });

  it('refuses nonsense options', () => {
    const store = SqliteStore.open(':memory:');
    expect(() => new OutboxWorker({ store, deliver: () => Promise.resolve(), concurrency: 0 })).toThrow(/"concurrency" must be a positive integer/);
    expect(() => new OutboxWorker({ store, deliver: () => Promise.resolve(), leaseMs: 1.5 })).toThrow(/"leaseMs"/);
  });
});
