/**
 * AgentSession: applies updates through transition(), dispatches their events to listeners,
 * and keeps listeners isolated from each other.
 */
import { describe, expect, it } from 'vitest';
import {
  AgentSession,
  AgentState,
  ErrorCode,
  Flavor,
  SimulatedClock,
  SwitchboardError,
  WorkitemState,
  type DomainEvent,
} from '../../src/core/index.js';
import { T0, VOICE_A, added, sessionUpdate } from './fixtures.js';
import { describeUpdateProblem } from '../../src/core/guards.js';
import type { PlatformUpdate } from '../../src/core/updates.js';

function newSession(options: { flavor?: Flavor; onListenerFailure?: (error: unknown, event: DomainEvent) => void } = {}) {
  const clock = new SimulatedClock(T0);
  const session = new AgentSession({ clock, ...options });
  session.apply(sessionUpdate());
  return { clock, session };
}

function recorder() {
  const seen: DomainEvent[] = [];
  return { seen, listener: (e: DomainEvent) => void seen.push(e) };
}

describe('AgentSession', () => {
  it('applies updates, keeps the state and returns the events it dispatched', () => {
    const { session } = newSession();
    const r = recorder();
    session.subscribe(r.listener);
    const events = session.apply({ type: 'agentState', channelId: VOICE_A, state: AgentState.NotReady, requestId: 'r1' });
    expect(events.map((e) => e.type)).toEqual(['agentStateChange', 'queueDataUpdate']);
    expect(r.seen).toEqual(events);
    expect(session.state.channels[VOICE_A]?.state).toBe('NotReady');
  });

  it('uses its clock for times the update does not carry', () => {
    const { clock, session } = newSession();
    clock.advance(90_000);
    session.apply({ type: 'agentState', channelId: VOICE_A, state: AgentState.Ready });
    expect(session.state.channels[VOICE_A]?.stateChangeTime).toBe(new Date(T0 + 90_000).toISOString());
    session.apply(added('w1', WorkitemState.Active));
    expect(session.state.workitems.w1?.connectedAt).toBe(new Date(T0 + 90_000).toISOString());
  });

  it('defaults to UCCE, and setFlavor switches the rules', () => {
    const { session } = newSession();
    expect(session.flavor).toBe('UCCE');
    session.setFlavor(Flavor.UCCX);
    expect(session.flavor).toBe('UCCX');
    const events = session.apply({ type: 'queue', op: 'snapshot', queues: [] });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', data: { code: 'NOT_SUPPORTED' } });
  });

  it('dispatches a refused update as one error event and keeps the state object', () => {
    const { session } = newSession();
    const r = recorder();
    session.subscribe(r.listener);
    const before = session.state;
    session.apply({ type: 'workitemState', id: 'ghost', state: WorkitemState.Active, requestId: 'r9' });
    expect(session.state).toBe(before);
    expect(r.seen).toHaveLength(1);
    expect(r.seen[0]).toMatchObject({ type: 'error', data: { code: 'WORKITEM_NOT_FOUND', requestId: 'r9' } });
  });

  it('reportError dispatches a SwitchboardError with its requestId', () => {
    const { session } = newSession();
    const r = recorder();
    session.subscribe(r.listener);
    session.reportError(new SwitchboardError(ErrorCode.TIMEOUT, 'no answer', { requestId: 'r5' }));
    session.reportError(new SwitchboardError(ErrorCode.NOT_CONNECTED, 'offline'));
    expect(r.seen.map((e) => e.data)).toEqual([
      { event: 'error', version: '1.0', requestId: 'r5', message: 'no answer', code: 'TIMEOUT' },
      { event: 'error', version: '1.0', requestId: '', message: 'offline', code: 'NOT_CONNECTED' },
    ]);
  });

  it('unsubscribe stops delivery to that listener only, and is idempotent', () => {
    const { session } = newSession();
    const a = recorder();
    const b = recorder();
    const offA = session.subscribe(a.listener);
    session.subscribe(b.listener);
    session.apply({ type: 'agentState', channelId: VOICE_A, state: AgentState.NotReady });
    offA();
    offA();
    session.apply({ type: 'agentState', channelId: VOICE_A, state: AgentState.Ready });
    expect(a.seen.map((e) => e.type)).toEqual(['agentStateChange', 'queueDataUpdate']);
    expect(b.seen.map((e) => e.type)).toEqual(['agentStateChange', 'queueDataUpdate', 'agentStateChange']);
  });

  it('the same function subscribed twice is called once and unsubscribed by either handle', () => {
    const { session } = newSession();
    const r = recorder();
    const off1 = session.subscribe(r.listener);
    session.subscribe(r.listener);
    session.reportError(new SwitchboardError(ErrorCode.INTERNAL, 'x'));
    expect(r.seen).toHaveLength(1);
    off1();
    session.reportError(new SwitchboardError(ErrorCode.INTERNAL, 'y'));
    expect(r.seen).toHaveLength(1);
  });

  describe('listener isolation', () => {
    it('a throwing listener does not stop the others; they get a HANDLER_ERROR error event, it does not', () => {
      const { session } = newSession();
      const before = recorder();
      const after = recorder();
      const thrower: DomainEvent[] = [];
      session.subscribe(before.listener);
      session.subscribe((e) => {
        thrower.push(e);
        if (e.type === 'workitemCreate') throw new Error('CRM unreachable');
      });
      session.subscribe(after.listener);
      const events = session.apply(added('w1', WorkitemState.Offered, { requestId: 'r-add' }));
      expect(events.map((e) => e.type)).toEqual(['workitemCreate']);
      expect(thrower.map((e) => e.type)).toEqual(['workitemCreate']);
      for (const r of [before, after]) {
        // Order not asserted: today a listener after the thrower gets the HANDLER_ERROR before
        // the workitemCreate itself (reported as questionable; see session.ts dispatch()).
        expect(r.seen.map((e) => e.type).sort()).toEqual(['error', 'workitemCreate']);
        const err = r.seen.find((e) => e.type === 'error')!;
        if (err.type !== 'error') throw new Error(err.type);
        expect(err.data.code).toBe('HANDLER_ERROR');
        expect(err.data.requestId).toBe('r-add');
        expect(err.data.message).toContain('workitemCreate');
        expect(err.data.message).toContain('CRM unreachable');
      }
      // The session went on: the workitem exists and later updates are delivered.
      expect(session.state.workitems.w1?.state).toBe('Offered');
      session.apply({ type: 'workitemState', id: 'w1', state: WorkitemState.Active });
      expect(after.seen.at(-1)?.type).toBe('workitemConnect');
    });

    it('a non-Error throw is reported too, without a requestId when the event had none', () => {
      const { session } = newSession();
      const r = recorder();
      session.subscribe(() => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- custom code may throw anything
        throw 'just a string';
      });
      session.subscribe(r.listener);
      session.apply({ type: 'agentState', channelId: VOICE_A, state: AgentState.NotReady });
      const errors = r.seen.filter((e) => e.type === 'error');
      // One HANDLER_ERROR per event the listener failed on: agentStateChange and queueDataUpdate.
      expect(errors.map((e) => e.data)).toEqual([
        expect.objectContaining({ code: 'HANDLER_ERROR', requestId: '', message: expect.stringContaining('just a string') }),
        expect.objectContaining({ code: 'HANDLER_ERROR', requestId: '', message: expect.stringContaining('queueDataUpdate') }),
      ]);
    });

    it('a listener that throws on an error event goes to onListenerFailure, never into a loop', () => {
      const failures: [unknown, DomainEvent][] = [];
      const { session } = newSession({ onListenerFailure: (error, event) => void failures.push([error, event]) });
      const r = recorder();
      const boom = new Error('error handler broken');
      session.subscribe((e) => {
        if (e.type === 'error') throw boom;
      });
      session.subscribe(r.listener);
      session.reportError(new SwitchboardError(ErrorCode.TIMEOUT, 't', { requestId: 'r1' }));
      expect(failures).toHaveLength(1);
      expect(failures[0]![0]).toBe(boom);
      expect(failures[0]![1]).toMatchObject({ type: 'error', data: { code: 'TIMEOUT' } });
      expect(r.seen.map((e) => e.type)).toEqual(['error']);
    });

    it('two throwing listeners: each failure is reported to the others, and one that fails on the report goes to onListenerFailure', () => {
      const failures: DomainEvent[] = [];
      const { session } = newSession({ onListenerFailure: (_error, event) => void failures.push(event) });
      const r = recorder();
      session.subscribe(() => {
        throw new Error('first');
      });
      session.subscribe(() => {
        throw new Error('second');
      });
      session.subscribe(r.listener);
      session.reportError(new SwitchboardError(ErrorCode.INTERNAL, 'seed'));
      expect(failures).toHaveLength(2); // both fail on the error event itself
      failures.length = 0;
      session.apply(added('w1', WorkitemState.Offered));
      const handlerErrors = r.seen.filter((e) => e.type === 'error' && e.data.code === 'HANDLER_ERROR');
      expect(handlerErrors.map((e) => (e.type === 'error' ? e.data.message : ''))).toEqual([expect.stringContaining('first'), expect.stringContaining('second')]);
      // Each thrower also received the other's HANDLER_ERROR and threw on it.
      expect(failures.map((e) => e.type)).toEqual(['error', 'error']);
      expect(r.seen.some((e) => e.type === 'workitemCreate')).toBe(true);
    });
  });
});

describe('the flavour a source says in its session update', () => {
  it('sets the session\'s flavour (and so its rules); absent, the session keeps the one it has', () => {
    const session = new AgentSession({ clock: new SimulatedClock(T0) });
    expect(session.flavor).toBe(Flavor.UCCE);
    session.apply({ ...sessionUpdate(), flavor: Flavor.UCCX } as PlatformUpdate);
    expect(session.flavor).toBe(Flavor.UCCX);
    session.apply(sessionUpdate());
    expect(session.flavor).toBe(Flavor.UCCX);
  });

  it('a flavour that is neither UCCE nor UCCX is refused, named', () => {
    expect(describeUpdateProblem({ ...sessionUpdate(), flavor: 'UCCZ' })).toBe('session update: "flavor" must be "UCCE" or "UCCX" (got "UCCZ")');
  });
});
