// Regression tests for core bugs found while writing test/core (B1-B8, Q1-Q2 of that review).
import { describe, expect, it } from 'vitest';
import {
  AgentSession, ErrorCode, SimulatedClock, SwitchboardError, WorkitemState, findWorkitem, initialState, resolveChannel, transition,
  type DomainEvent, type PlatformUpdate,
} from '../../src/core/index.js';
import { T0, VOICE_A, added, queue, setUp, signedIn } from './fixtures.js';

const refusedWith = (code: ErrorCode, run: () => readonly [unknown, DomainEvent[]], before: unknown) => {
  const [after, events] = run();
  expect(after).toBe(before);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ type: 'error', data: { code } });
};

describe('B1 transition() throws on null/undefined updates (transition.ts:131 reject)', () => {
  it.each([null, undefined])('%s → INVALID_UPDATE', (u) => {
    const s = signedIn();
    refusedWith(ErrorCode.INVALID_UPDATE, () => transition(s, u as unknown as PlatformUpdate, T0), s);
  });
});

describe('B2 workitemInfo CRM fields are not guarded (guards.ts:338-339)', () => {
  it.each([
    { associations: 5 }, { participantLookupResult: 'x' }, { activity: null }, { associatedParticipant: 'x' }, { activity: { id: 1 } },
  ])('%j → INVALID_UPDATE', (extra) => {
    const s = setUp(signedIn(), [added('w1', WorkitemState.Active)]);
    refusedWith(ErrorCode.INVALID_UPDATE, () => transition(s, { type: 'workitemInfo', id: 'w1', ...extra } as unknown as PlatformUpdate, T0), s);
  });
});

describe('B3 ids that are Object.prototype keys (transition.ts, requests.ts: record lookups without hasOwn)', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('workitem id %s is an ordinary id', (id) => {
    const s = signedIn();
    const [s1, e1] = transition(s, added(id, WorkitemState.Offered), T0);
    expect(e1.map((e) => e.type)).toEqual(['workitemCreate']);
    const [, e2] = transition(s1, { type: 'workitemState', id, state: WorkitemState.Active }, T0);
    expect(e2.map((e) => e.type)).toEqual(['workitemConnect']);
  });
  it.each(['constructor', 'toString', '__proto__'])('unknown workitem %s → WORKITEM_NOT_FOUND', (id) => {
    const s = signedIn();
    refusedWith(ErrorCode.WORKITEM_NOT_FOUND, () => transition(s, { type: 'workitemState', id, state: WorkitemState.Active }, T0), s);
    refusedWith(ErrorCode.WORKITEM_NOT_FOUND, () => transition(s, { type: 'workitemData', id, ctiData: { a: 'b' } }, T0), s);
    expect(() => findWorkitem(s, id)).toThrow(SwitchboardError);
  });
  it('unknown channel "constructor" → CHANNEL_NOT_FOUND', () => {
    const s = signedIn();
    refusedWith(ErrorCode.CHANNEL_NOT_FOUND, () => transition(s, { type: 'agentState', channelId: 'constructor', state: 'Ready' }, T0), s);
    expect(() => resolveChannel(s, 'constructor')).toThrow(SwitchboardError);
  });
});

describe('B4 session update stamps channels with 1970 when it has no `at` (transition.ts:108,177)', () => {
  it('uses now', () => {
    const [s] = transition(initialState(), { type: 'session', agent: { agentId: 'a', extension: '', firstName: '', lastName: '', loginName: '', teamId: '' }, channels: [{ id: VOICE_A, type: 'Voice' }] }, T0);
    expect(s.channels[VOICE_A]?.stateChangeTime).toBe(new Date(T0).toISOString());
  });
});

describe('B5 SwitchboardError.toJSON throws on a circular or BigInt cause (errors.ts:83)', () => {
  it('still serializes', () => {
    const c: Record<string, unknown> = {}; c.self = c;
    expect(() => JSON.stringify(new SwitchboardError('INTERNAL', 'x', { cause: c }))).not.toThrow();
    expect(() => JSON.stringify(new SwitchboardError('INTERNAL', 'x', { cause: 10n }))).not.toThrow();
  });
  it('describes a function cause as text rather than leaving cause undefined', () => {
    expect(new SwitchboardError('INTERNAL', 'x', { cause: function probe() {} }).toJSON().cause).toBe('[function probe]');
  });
});

describe('B6 queue data is stored by reference (transition.ts:354,361,371)', () => {
  it('mutating the update afterwards does not reach the state', () => {
    const s = setUp(signedIn(), []);
    const q = queue('q1');
    const [after] = transition(s, { type: 'queue', op: 'added', queues: [q] }, T0);
    q.statistics.callsInQueue = 99;
    expect(after.queues.q1?.statistics.callsInQueue).toBe(0);
  });
});

describe('Q1 HANDLER_ERROR reaches later listeners before the event itself (session.ts:220-228)', () => {
  it('event first, then the error', () => {
    const session = new AgentSession({ clock: new SimulatedClock(T0) });
    session.apply({ type: 'session', agent: { agentId: 'a', extension: '', firstName: '', lastName: '', loginName: '', teamId: '' }, channels: [{ id: VOICE_A, type: 'Voice' }] });
    const seen: string[] = [];
    session.subscribe(() => { throw new Error('x'); });
    session.subscribe((e) => void seen.push(e.type));
    session.reportError(new SwitchboardError('INTERNAL', 'warm-up'));
    seen.length = 0;
    session.apply(added('w1', WorkitemState.Offered));
    expect(seen).toEqual(['workitemCreate', 'error']);
  });
});

describe('Q2 UCCX: NotReady after a call taken in NotReady is refused as a duplicate', () => {
  it('agent back to NotReady after the call is not an error', () => {
    const s0 = signedIn('UCCX', ['voice_-1']);
    const s1 = setUp(s0, [{ type: 'agentState', channelId: 'voice_-1', state: 'Active' }]);
    const [, events] = transition(s1, { type: 'agentState', channelId: 'voice_-1', state: 'NotReady' }, T0);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
  });
});
