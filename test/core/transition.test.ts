/**
 * Unit tests of the pure lifecycle state machine (`transition`): the transition table row by
 * row, call recovery, duplicates, unknown and ended ids, ordering, malformed updates, call data,
 * payload shapes of seed 001, and the CCE/CCX differences (agent state, queue data).
 */
import { describe, expect, it } from 'vitest';
import {
  API_VERSION,
  APPEAR_STATES,
  AgentState,
  ErrorCode,
  Flavor,
  WORKITEM_TRANSITIONS,
  WorkitemState,
  initialState,
  transition,
  type DomainEvent,
  type PlatformUpdate,
  type SessionState,
  type WorkitemEventName,
} from '../../src/core/index.js';
import { AGENT, T0, VOICE_A, VOICE_B, added, applyAll, only, queue, sessionUpdate, setUp, signedIn, types } from './fixtures.js';

const ALL_STATES = Object.values(WorkitemState);
const ENDED = [WorkitemState.Ended, WorkitemState.EndedAbandoned, WorkitemState.EndedTransferred, WorkitemState.EndedUnknown] as const;
const END_ROW = Object.fromEntries(ENDED.map((s) => [s, 'workitemEnd'])) as Record<(typeof ENDED)[number], 'workitemEnd'>;

/** SPEC.md's lifecycle table, written out independently of src/core. */
const EXPECTED_TABLE: Record<WorkitemState, Partial<Record<WorkitemState, WorkitemEventName | null>>> = {
  Unknown: {},
  Initiated: { Offered: null, Active: 'workitemConnect', Wrapup: 'workitemWrapup', ...END_ROW },
  Offered: { Active: 'workitemConnect', ...END_ROW },
  Active: { Paused: 'workitemPause', Wrapup: 'workitemWrapup', ...END_ROW },
  Paused: { Active: 'workitemResume', Wrapup: 'workitemWrapup', ...END_ROW },
  Wrapup: { ...END_ROW },
  Ended: {},
  EndedAbandoned: {},
  EndedTransferred: {},
  EndedUnknown: {},
};

/** Fields of a workitem event's `data` in seed 001's workitem reference. */
const SEED_WORKITEM_FIELDS = [
  'event', 'version', 'requestId', 'activity', 'agentId', 'ani', 'associatedParticipant', 'associations', 'capabilities',
  'channelId', 'channelType', 'classification', 'connectedAt', 'ctiData', 'direction', 'id', 'participants',
  'participantLookupResult', 'state',
].sort();
const OPTIONAL_WORKITEM_FIELDS = ['activity', 'associatedParticipant', 'connectedAt'];
const SEED_AGENT_STATE_FIELDS = [
  'event', 'version', 'requestId', 'channelType', 'channelId', 'newState', 'newReasonCode', 'newReasonCodeLabel',
  'newStateChangeTime', 'oldState', 'oldReasonCode', 'oldReasonCodeLabel', 'oldStateChangeTime',
].sort();

const pairs: [WorkitemState, WorkitemState][] = [];
for (const from of ALL_STATES) for (const to of ALL_STATES) pairs.push([from, to]);
const legal = pairs.filter(([from, to]) => EXPECTED_TABLE[from][to] !== undefined);
const illegalFromAppear = pairs.filter(([from, to]) => APPEAR_STATES.has(from) && from !== to && EXPECTED_TABLE[from][to] === undefined);

/** A signed-in UCCE agent with workitem `w1` in `state` (created directly: every row's from-state can appear). */
function withItem(state: WorkitemState, flavor: Flavor = Flavor.UCCE): SessionState {
  return setUp(signedIn(flavor), [added('w1', state, { at: T0 })]);
}

/** Assert the step was refused: same state object, one error event with `code`, nothing else. */
function expectRejected(before: SessionState, result: readonly [SessionState, DomainEvent[]], code: ErrorCode, requestId = ''): string {
  const [after, events] = result;
  expect(after).toBe(before);
  const e = only(events);
  if (e.type !== 'error') throw new Error(`expected an error event, got ${e.type}`);
  expect(e.data.code).toBe(code);
  expect(e.data.requestId).toBe(requestId);
  expect(e.data.event).toBe('error');
  expect(e.data.version).toBe(API_VERSION);
  expect(Object.keys(e.data).sort()).toEqual(['code', 'event', 'message', 'requestId', 'version']);
  expect(e.data.message.length).toBeGreaterThan(0);
  return e.data.message;
}

describe('WORKITEM_TRANSITIONS', () => {
  it('is exactly the lifecycle table of SPEC.md', () => {
    expect(WORKITEM_TRANSITIONS).toEqual(EXPECTED_TABLE);
  });

  it('lets a workitem appear only in Initiated, Offered and the recovery states Active, Paused, Wrapup', () => {
    expect([...APPEAR_STATES].sort()).toEqual(['Active', 'Initiated', 'Offered', 'Paused', 'Wrapup']);
  });

  it.each(legal)('%s → %s fires exactly its event and applies the state', (from, to) => {
    const before = withItem(from);
    const [after, events] = transition(before, { type: 'workitemState', id: 'w1', state: to, at: T0 + 1000 }, T0 + 2000);
    const expected = EXPECTED_TABLE[from][to];
    expect(after).not.toBe(before);
    if (expected === null) {
      expect(events).toEqual([]);
    } else {
      // An end also hands the finished interaction record to the logging sinks.
      if (expected === 'workitemEnd') expect(events.map((x) => x.type)).toEqual(['workitemEnd', 'interactionEnd']);
      const e = expected === 'workitemEnd' ? events[0]! : only(events);
      expect(e.type).toBe(expected);
      if (e.type === 'error' || e.type === 'agentStateChange' || e.type === 'queueDataUpdate' || e.type === 'interactionEnd') throw new Error('not a workitem event');
      expect(e.data.event).toBe(expected);
      expect(e.data.id).toBe('w1');
      expect(e.data.state).toBe(to);
    }
    if (ENDED.includes(to as (typeof ENDED)[number])) {
      expect(after.workitems.w1).toBeUndefined();
      expect(after.ended).toContain('w1');
    } else {
      expect(after.workitems.w1?.state).toBe(to);
    }
  });

  it.each(illegalFromAppear)('%s → %s is refused with INVALID_TRANSITION and no lifecycle event', (from, to) => {
    const before = withItem(from);
    const message = expectRejected(before, transition(before, { type: 'workitemState', id: 'w1', state: to }, T0), ErrorCode.INVALID_TRANSITION);
    expect(message).toContain(from);
    expect(message).toContain(to);
    expect(message).toContain('w1');
  });

  it.each([...APPEAR_STATES])('%s → %s again is a DUPLICATE_UPDATE', (state) => {
    const before = withItem(state);
    expectRejected(before, transition(before, { type: 'workitemState', id: 'w1', state }, T0), ErrorCode.DUPLICATE_UPDATE);
  });

  it('fires workitemConnect only on the first Active: Paused → Active is a resume', () => {
    const { steps } = applyAll(signedIn(), [
      added('w1', WorkitemState.Offered),
      { type: 'workitemState', id: 'w1', state: WorkitemState.Active },
      { type: 'workitemState', id: 'w1', state: WorkitemState.Paused },
      { type: 'workitemState', id: 'w1', state: WorkitemState.Active },
      { type: 'workitemState', id: 'w1', state: WorkitemState.Paused },
      { type: 'workitemState', id: 'w1', state: WorkitemState.Active },
      { type: 'workitemState', id: 'w1', state: WorkitemState.Wrapup },
      { type: 'workitemState', id: 'w1', state: WorkitemState.Ended },
    ]);
    expect(steps.map(types)).toEqual([
      ['workitemCreate'],
      ['workitemConnect'],
      ['workitemPause'],
      ['workitemResume'],
      ['workitemPause'],
      ['workitemResume'],
      ['workitemWrapup'],
      ['workitemEnd', 'interactionEnd'],
    ]);
  });

  it('sets connectedAt on the first Active only, from the update time or else now', () => {
    const s1 = withItem(WorkitemState.Offered);
    expect(s1.workitems.w1?.connectedAt).toBeUndefined();
    const [s2] = transition(s1, { type: 'workitemState', id: 'w1', state: WorkitemState.Active, at: T0 + 5000 }, T0 + 9000);
    expect(s2.workitems.w1?.connectedAt).toBe(new Date(T0 + 5000).toISOString());
    const s3 = setUp(s2, [
      { type: 'workitemState', id: 'w1', state: WorkitemState.Paused, at: T0 + 6000 },
      { type: 'workitemState', id: 'w1', state: WorkitemState.Active, at: T0 + 7000 },
    ]);
    expect(s3.workitems.w1?.connectedAt).toBe(new Date(T0 + 5000).toISOString());
    const [s4] = transition(withItem(WorkitemState.Initiated), { type: 'workitemState', id: 'w1', state: WorkitemState.Active }, T0 + 3000);
    expect(s4.workitems.w1?.connectedAt).toBe(new Date(T0 + 3000).toISOString());
  });

  it('takes capabilities and participants from a state update, and clears capabilities at the end', () => {
    const s1 = withItem(WorkitemState.Offered);
    const [s2, e2] = transition(s1, { type: 'workitemState', id: 'w1', state: WorkitemState.Active, capabilities: ['Hold', 'End'], participants: [{ address: 'x', state: 'ACTIVE' }] }, T0);
    expect(s2.workitems.w1?.capabilities).toEqual(['Hold', 'End']);
    expect(s2.workitems.w1?.participants).toEqual([{ address: 'x', state: 'ACTIVE' }]);
    const connect = only(e2);
    if (connect.type !== 'workitemConnect') throw new Error(connect.type);
    expect(connect.data.capabilities).toEqual(['Hold', 'End']);
    const [, e3] = transition(s2, { type: 'workitemState', id: 'w1', state: WorkitemState.EndedAbandoned }, T0);
    expect(e3.map((e) => e.type)).toEqual(['workitemEnd', 'interactionEnd']);
    const end = e3[0]!;
    if (end.type !== 'workitemEnd') throw new Error(end.type);
    expect(end.data.state).toBe('EndedAbandoned');
    expect(end.data.capabilities).toEqual([]);
  });
});

describe('workitemCreate', () => {
  it.each([...APPEAR_STATES])('fires once when a workitem appears %s', (state) => {
    const before = signedIn();
    const [after, events] = transition(before, added('w1', state, { requestId: 'r-add' }), T0 + 42);
    const e = only(events);
    if (e.type !== 'workitemCreate') throw new Error(e.type);
    expect(e.data).toMatchObject({ event: 'workitemCreate', version: API_VERSION, requestId: 'r-add', id: 'w1', state, agentId: AGENT.agentId, channelId: VOICE_A, channelType: 'Voice' });
    expect(after.workitems.w1?.state).toBe(state);
    const recovered = state === WorkitemState.Active || state === WorkitemState.Paused || state === WorkitemState.Wrapup;
    // Call recovery: an item already up at login is connected; its connectedAt is known.
    expect(e.data.connectedAt).toBe(recovered ? new Date(T0 + 42).toISOString() : undefined);
    expect('connectedAt' in e.data).toBe(recovered);
  });

  it('keeps connectedAt from the platform and prefers the update time over now', () => {
    const s = signedIn();
    const [a] = transition(s, added('w1', WorkitemState.Active, { connectedAt: '2026-01-05T08:00:00.000Z' }), T0);
    expect(a.workitems.w1?.connectedAt).toBe('2026-01-05T08:00:00.000Z');
    const [b] = transition(s, added('w1', WorkitemState.Paused, { at: T0 - 60_000 }), T0);
    expect(b.workitems.w1?.connectedAt).toBe(new Date(T0 - 60_000).toISOString());
  });

  it.each([WorkitemState.Unknown, ...ENDED])('refuses a workitem that appears %s', (state) => {
    const before = signedIn();
    const message = expectRejected(before, transition(before, added('w1', state), T0), ErrorCode.INVALID_TRANSITION);
    expect(message).toContain(state);
  });

  it('refuses a workitem on an unknown channel, naming it', () => {
    const before = signedIn();
    const message = expectRejected(before, transition(before, added('w1', WorkitemState.Offered, { channelId: 'voice_9' }), T0), ErrorCode.CHANNEL_NOT_FOUND);
    expect(message).toContain('voice_9');
  });

  it('copies the update: mutating it afterwards does not reach the state', () => {
    const u = added('w1', WorkitemState.Offered, { capabilities: ['Answer'] });
    const [s] = transition(signedIn(), u, T0);
    const snapshot = structuredClone(s.workitems);
    u.workitem.participants[0]!.address = 'changed';
    u.workitem.participants.push({ address: 'extra' });
    u.workitem.ctiData!.callVariable1 = 'changed';
    u.workitem.capabilities!.push('End');
    expect(s.workitems).toEqual(snapshot);
  });
});

describe('duplicates, unknown and ended ids, ordering', () => {
  it('workitemAdded twice → DUPLICATE_UPDATE, no second create', () => {
    const before = withItem(WorkitemState.Offered);
    const message = expectRejected(before, transition(before, added('w1', WorkitemState.Offered, { requestId: 'r2' }), T0), ErrorCode.DUPLICATE_UPDATE, 'r2');
    expect(message).toContain('w1');
  });

  it('identical call data → DUPLICATE_UPDATE', () => {
    const before = withItem(WorkitemState.Active);
    expectRejected(before, transition(before, { type: 'workitemData', id: 'w1', ctiData: { callVariable1: 'cv1' } }, T0), ErrorCode.DUPLICATE_UPDATE);
    const [s2] = transition(before, { type: 'workitemData', id: 'w1', ctiData: { callVariable2: 'x' } }, T0);
    expectRejected(s2, transition(s2, { type: 'workitemData', id: 'w1', ctiData: { callVariable2: 'x', callVariable1: 'cv1' } }, T0), ErrorCode.DUPLICATE_UPDATE);
  });

  it('identical agent state (same state and reason code) → DUPLICATE_UPDATE; another reason code is a change', () => {
    const before = setUp(signedIn(), [{ type: 'agentState', channelId: VOICE_A, state: AgentState.NotReady, reasonCode: 7, reasonCodeLabel: 'Lunch' }]);
    const message = expectRejected(before, transition(before, { type: 'agentState', channelId: VOICE_A, state: AgentState.NotReady, reasonCode: 7, reasonCodeLabel: 'Lunch' }, T0), ErrorCode.DUPLICATE_UPDATE);
    expect(message).toContain(VOICE_A);
    const [, events] = transition(before, { type: 'agentState', channelId: VOICE_A, state: AgentState.NotReady, reasonCode: 8, reasonCodeLabel: 'Break' }, T0);
    expect(types(events)).toEqual(['agentStateChange']);
  });

  it('identical workitem info → DUPLICATE_UPDATE; a real change is applied and announced as workitemUpdate (not a cil event)', () => {
    const before = withItem(WorkitemState.Active);
    expectRejected(before, transition(before, { type: 'workitemInfo', id: 'w1', classification: 'Customer' }, T0), ErrorCode.DUPLICATE_UPDATE);
    const [after, events] = transition(before, { type: 'workitemInfo', id: 'w1', classification: 'Consultation', activity: { id: 'a1', recordType: 'phonecall' }, requestId: 'r7' }, T0);
    expect(events.map((e) => e.type)).toEqual(['workitemUpdate']);
    expect(events[0]!.data).toMatchObject({ event: 'workitemUpdate', requestId: 'r7', id: 'w1', classification: 'Consultation' });
    expect(after.workitems.w1).toMatchObject({ classification: 'Consultation', activity: { id: 'a1', recordType: 'phonecall' } });
  });

  const unknownIdUpdates: PlatformUpdate[] = [
    { type: 'workitemState', id: 'nope', state: WorkitemState.Active, requestId: 'r9' },
    { type: 'workitemData', id: 'nope', ctiData: { callVariable1: 'x' }, requestId: 'r9' },
    { type: 'workitemInfo', id: 'nope', classification: 'Internal', requestId: 'r9' },
  ];
  it.each(unknownIdUpdates)('$type for an unknown id → WORKITEM_NOT_FOUND naming it', (u) => {
    const before = withItem(WorkitemState.Active);
    const message = expectRejected(before, transition(before, u, T0), ErrorCode.WORKITEM_NOT_FOUND, 'r9');
    expect(message).toContain('"nope"');
  });

  it.each(unknownIdUpdates)('$type for an ended id → WORKITEM_NOT_FOUND saying it ended', (u) => {
    const before = setUp(withItem(WorkitemState.Active), [{ type: 'workitemState', id: 'w1', state: WorkitemState.Ended }]);
    const message = expectRejected(before, transition(before, { ...u, id: 'w1' } as PlatformUpdate, T0), ErrorCode.WORKITEM_NOT_FOUND, 'r9');
    expect(message).toContain('"w1"');
    expect(message).toContain('ended');
  });

  it('re-adding an ended id gives no second workitemCreate', () => {
    const before = setUp(withItem(WorkitemState.Active), [{ type: 'workitemState', id: 'w1', state: WorkitemState.Ended }]);
    for (const state of APPEAR_STATES) {
      const message = expectRejected(before, transition(before, added('w1', state), T0), ErrorCode.DUPLICATE_UPDATE);
      expect(message).toContain('ended');
    }
  });

  it('an older workitem update → OUT_OF_ORDER; the same time is in order', () => {
    const before = setUp(signedIn(), [added('w1', WorkitemState.Offered, { at: T0 + 100 })]);
    const message = expectRejected(before, transition(before, { type: 'workitemState', id: 'w1', state: WorkitemState.Active, at: T0 + 99, requestId: 'late' }, T0 + 500), ErrorCode.OUT_OF_ORDER, 'late');
    expect(message).toContain('w1');
    const [, events] = transition(before, { type: 'workitemState', id: 'w1', state: WorkitemState.Active, at: T0 + 100 }, T0 + 500);
    expect(types(events)).toEqual(['workitemConnect']);
    // An update without a time is never out of order.
    const [, untimed] = transition(before, { type: 'workitemState', id: 'w1', state: WorkitemState.Active }, T0 + 500);
    expect(types(untimed)).toEqual(['workitemConnect']);
  });

  it('an older agent state update → OUT_OF_ORDER, per channel', () => {
    const before = setUp(signedIn(Flavor.UCCE, [VOICE_A, VOICE_B]), [
      { type: 'agentState', channelId: VOICE_A, state: AgentState.Ready, at: T0 + 100 },
      { type: 'agentState', channelId: VOICE_B, state: AgentState.Ready, at: T0 + 10 },
    ]);
    expectRejected(before, transition(before, { type: 'agentState', channelId: VOICE_A, state: AgentState.NotReady, at: T0 + 50 }, T0), ErrorCode.OUT_OF_ORDER);
    const [, events] = transition(before, { type: 'agentState', channelId: VOICE_B, state: AgentState.NotReady, at: T0 + 50 }, T0);
    expect(types(events)).toEqual(['agentStateChange']);
  });

  it('an agent state update for an unknown channel → CHANNEL_NOT_FOUND naming it', () => {
    const before = signedIn();
    const message = expectRejected(before, transition(before, { type: 'agentState', channelId: 'voice_77', state: AgentState.Ready }, T0), ErrorCode.CHANNEL_NOT_FOUND);
    expect(message).toContain('voice_77');
  });

  it('a platform error becomes one error event with its code, message and requestId', () => {
    const before = withItem(WorkitemState.Active);
    const message = expectRejected(before, transition(before, { type: 'platformError', code: ErrorCode.PLATFORM_ERROR, message: 'CTI said no', requestId: 'r5' }, T0), ErrorCode.PLATFORM_ERROR, 'r5');
    expect(message).toBe('CTI said no');
  });
});

describe('malformed updates (guards) → INVALID_UPDATE naming the field', () => {
  const wi = added('w1', WorkitemState.Offered).workitem;
  const cases: [string, unknown, string][] = [
    // null and undefined are not listed: transition() currently throws on them (reject() reads
    // `.requestId` of the update), a core bug reported with the proposed fix.
    ['a number', 42, 'object'],
    ['a string', 'workitemAdded', 'object'],
    ['an array', [], 'object'],
    ['no type', {}, '"type"'],
    ['unknown type', { type: 'bogus' }, 'bogus'],
    ['at not finite', { type: 'agentState', channelId: VOICE_A, state: 'Ready', at: Number.NaN }, '"at"'],
    ['at a string', { type: 'agentState', channelId: VOICE_A, state: 'Ready', at: '12' }, '"at"'],
    ['requestId a number', { type: 'agentState', channelId: VOICE_A, state: 'Ready', requestId: 7 }, '"requestId"'],
    ['session without agent', { type: 'session', channels: [] }, '"agent.agentId"'],
    ['session channels not an array', { type: 'session', agent: AGENT, channels: 'voice' }, '"channels"'],
    ['session channel without type', { type: 'session', agent: AGENT, channels: [{ id: 'voice_1' }] }, '"type"'],
    ['agentState channelId a number', { type: 'agentState', channelId: 5000, state: 'Ready' }, '"channelId"'],
    ['agentState unknown state', { type: 'agentState', channelId: VOICE_A, state: 'Busy' }, '"state"'],
    ['agentState reasonCode not an integer', { type: 'agentState', channelId: VOICE_A, state: 'NotReady', reasonCode: 1.5 }, '"reasonCode"'],
    ['agentState reasonCodeLabel a number', { type: 'agentState', channelId: VOICE_A, state: 'NotReady', reasonCodeLabel: 3 }, '"reasonCodeLabel"'],
    ['workitemAdded without workitem', { type: 'workitemAdded' }, '"workitem"'],
    ['workitemAdded id a number', { type: 'workitemAdded', workitem: { ...wi, id: 1 } }, '"id"'],
    ['workitemAdded channelId missing', { type: 'workitemAdded', workitem: { ...wi, channelId: undefined } }, '"channelId"'],
    ['workitemAdded channelType unknown', { type: 'workitemAdded', workitem: { ...wi, channelType: 'Fax' } }, '"channelType"'],
    ['workitemAdded classification unknown', { type: 'workitemAdded', workitem: { ...wi, classification: 'VIP' } }, '"classification"'],
    ['workitemAdded direction unknown', { type: 'workitemAdded', workitem: { ...wi, direction: 'Sideways' } }, '"direction"'],
    ['workitemAdded state unknown', { type: 'workitemAdded', workitem: { ...wi, state: 'Ringing' } }, '"state"'],
    ['workitemAdded participants not an array', { type: 'workitemAdded', workitem: { ...wi, participants: {} } }, '"participants"'],
    ['workitemAdded participant without address', { type: 'workitemAdded', workitem: { ...wi, participants: [{ state: 'ACTIVE' }] } }, '"address"'],
    ['workitemAdded ani missing', { type: 'workitemAdded', workitem: { ...wi, ani: null } }, '"ani"'],
    ['workitemAdded ctiData value a number', { type: 'workitemAdded', workitem: { ...wi, ctiData: { callVariable3: 3 } } }, '"ctiData.callVariable3"'],
    ['workitemAdded unknown capability', { type: 'workitemAdded', workitem: { ...wi, capabilities: ['Fly'] } }, 'capability "Fly"'],
    ['workitemAdded connectedAt a number', { type: 'workitemAdded', workitem: { ...wi, connectedAt: 5 } }, '"connectedAt"'],
    ['workitemState id missing', { type: 'workitemState', state: 'Active' }, '"id"'],
    ['workitemState unknown state', { type: 'workitemState', id: 'w1', state: 'Talking' }, '"state"'],
    ['workitemState capabilities not an array', { type: 'workitemState', id: 'w1', state: 'Active', capabilities: 'Hold' }, '"capabilities"'],
    ['workitemData without ctiData', { type: 'workitemData', id: 'w1' }, '"ctiData"'],
    ['workitemData non-string value', { type: 'workitemData', id: 'w1', ctiData: { wrapUpReason: 42 } }, '"ctiData.wrapUpReason"'],
    ['workitemInfo unknown classification', { type: 'workitemInfo', id: 'w1', classification: 'VIP' }, '"classification"'],
    ['workitemInfo participants not an array', { type: 'workitemInfo', id: 'w1', participants: 'x' }, '"participants"'],
    ['queue unknown op', { type: 'queue', op: 'upserted', queues: [] }, '"op"'],
    ['queue queues not an array', { type: 'queue', op: 'added', queues: {} }, '"queues"'],
    ['queue without id', { type: 'queue', op: 'added', queues: [{ name: 'x' }] }, '"id"'],
    ['queue without statistics', { type: 'queue', op: 'added', queues: [{ id: 'q1', name: 'x' }] }, '"statistics"'],
    ['queue ids not strings', { type: 'queue', op: 'deleted', queues: [], ids: [1] }, '"ids"'],
    ['platformError unknown code', { type: 'platformError', code: 'OOPS', message: 'x' }, '"code"'],
    ['platformError without message', { type: 'platformError', code: 'PLATFORM_ERROR' }, '"message"'],
  ];

  it.each(cases)('%s', (_name, update, field) => {
    const before = withItem(WorkitemState.Offered);
    const message = expectRejected(before, transition(before, update as PlatformUpdate, T0), ErrorCode.INVALID_UPDATE);
    expect(message).toContain(field);
  });

  it('echoes a string requestId of a malformed update, and only a string one', () => {
    const before = signedIn();
    expectRejected(before, transition(before, { type: 'agentState', channelId: VOICE_A, state: 'Busy', requestId: 'r-bad' } as unknown as PlatformUpdate, T0), ErrorCode.INVALID_UPDATE, 'r-bad');
    expectRejected(before, transition(before, { type: 'agentState', channelId: VOICE_A, state: 'Busy', requestId: 12 } as unknown as PlatformUpdate, T0), ErrorCode.INVALID_UPDATE, '');
  });
});

describe('call data', () => {
  it('a call variable change fires callVariableChanged only, with the merged data', () => {
    const before = withItem(WorkitemState.Active);
    const [after, events] = transition(before, { type: 'workitemData', id: 'w1', ctiData: { callVariable2: 'two', 'user.lang': 'de' }, requestId: 'r-d' }, T0);
    const e = only(events);
    if (e.type !== 'callVariableChanged') throw new Error(e.type);
    expect(e.data.requestId).toBe('r-d');
    expect(e.data.ctiData).toEqual({ callVariable1: 'cv1', queueName: 'Sales', callVariable2: 'two', 'user.lang': 'de' });
    expect(after.workitems.w1?.ctiData).toEqual(e.data.ctiData);
  });

  it('a wrapUpReason change fires callVariableChanged then wrapupDataChanged, both with the new reason', () => {
    const before = withItem(WorkitemState.Wrapup);
    const [, events] = transition(before, { type: 'workitemData', id: 'w1', ctiData: { wrapUpReason: 'Sale' }, requestId: 'r-w' }, T0);
    expect(types(events)).toEqual(['callVariableChanged', 'wrapupDataChanged']);
    for (const e of events) {
      if (e.type !== 'callVariableChanged' && e.type !== 'wrapupDataChanged') throw new Error(e.type);
      expect(e.data.ctiData.wrapUpReason).toBe('Sale');
      expect(e.data.requestId).toBe('r-w');
      expect(e.data.event).toBe(e.type);
    }
  });

  it('an unchanged wrapUpReason next to a changed variable fires callVariableChanged only', () => {
    const before = setUp(withItem(WorkitemState.Wrapup), [{ type: 'workitemData', id: 'w1', ctiData: { wrapUpReason: 'Sale' } }]);
    const [, events] = transition(before, { type: 'workitemData', id: 'w1', ctiData: { wrapUpReason: 'Sale', callVariable1: 'new' } }, T0);
    expect(types(events)).toEqual(['callVariableChanged']);
  });
});

describe('event payloads (seed 001 data reference)', () => {
  it('workitem events carry exactly the seed fields, plus nothing', () => {
    const s = setUp(withItem(WorkitemState.Offered), [
      { type: 'workitemInfo', id: 'w1', activity: { id: 'a1', recordType: 'phonecall' }, associatedParticipant: { id: 'c1', name: 'Ada', recordType: 'contact' } },
    ]);
    const [, events] = transition(s, { type: 'workitemState', id: 'w1', state: WorkitemState.Active, requestId: 'r-c' }, T0);
    const e = only(events);
    expect(Object.keys(e.data).sort()).toEqual(SEED_WORKITEM_FIELDS);
    expect(e.data).toMatchObject({ event: 'workitemConnect', version: API_VERSION, requestId: 'r-c' });
  });

  it('workitem events leave out absent optional fields instead of sending undefined', () => {
    const [, events] = transition(signedIn(), added('w1', WorkitemState.Offered), T0);
    const e = only(events);
    expect(Object.keys(e.data).sort()).toEqual(SEED_WORKITEM_FIELDS.filter((k) => !OPTIONAL_WORKITEM_FIELDS.includes(k)));
    expect(Object.values(e.data)).not.toContain(undefined);
    expect(e.data).toMatchObject({ requestId: '', ani: '+41441234567', direction: 'Incoming', classification: 'Customer', associations: [], participantLookupResult: [] });
  });

  it('agentStateChange carries exactly the seed fields with old and new values', () => {
    const s = signedIn();
    const [, e1] = transition(s, { type: 'agentState', channelId: VOICE_A, state: AgentState.NotReady, reasonCode: 3, reasonCodeLabel: 'Lunch', at: T0 + 1000, requestId: 'r-s' }, T0 + 5000);
    const first = only(e1);
    if (first.type !== 'agentStateChange') throw new Error(first.type);
    expect(Object.keys(first.data).sort()).toEqual(SEED_AGENT_STATE_FIELDS);
    expect(first.data).toEqual({
      event: 'agentStateChange',
      version: API_VERSION,
      requestId: 'r-s',
      channelType: 'Voice',
      channelId: VOICE_A,
      newState: 'NotReady',
      newReasonCode: 3,
      newReasonCodeLabel: 'Lunch',
      newStateChangeTime: new Date(T0 + 1000).toISOString(),
      oldState: 'NotReady',
      oldReasonCode: -1,
      oldReasonCodeLabel: '',
      oldStateChangeTime: s.channels[VOICE_A]?.stateChangeTime,
    });
  });

  it('agentStateChange uses now when the update has no time', () => {
    const [, events] = transition(signedIn(), { type: 'agentState', channelId: VOICE_A, state: AgentState.Ready }, T0 + 777);
    const e = only(events);
    if (e.type !== 'agentStateChange') throw new Error(e.type);
    expect(e.data.newStateChangeTime).toBe(new Date(T0 + 777).toISOString());
    expect(e.data.requestId).toBe('');
  });

  it('a session update creates logged-out channels and fires nothing', () => {
    const [s, events] = transition(initialState(), sessionUpdate([VOICE_A, VOICE_B], T0), T0);
    expect(events).toEqual([]);
    expect(s.agent).toEqual(AGENT);
    expect(Object.keys(s.channels).sort()).toEqual([VOICE_A, VOICE_B]);
    expect(s.channels[VOICE_A]).toMatchObject({ id: VOICE_A, type: 'Voice', state: 'Logout', reasonCode: -1, reasonCodeLabel: '', stateChangeTime: new Date(T0).toISOString() });
  });

  it('mutating any event data does not change the session state', () => {
    let s = setUp(initialState(Flavor.UCCE), [sessionUpdate(), { type: 'queue', op: 'snapshot', queues: [queue('q1')] }]);
    const all: DomainEvent[] = [];
    const updates: PlatformUpdate[] = [
      { type: 'agentState', channelId: VOICE_A, state: AgentState.NotReady },
      added('w1', WorkitemState.Offered, { capabilities: ['Answer'] }),
      { type: 'workitemInfo', id: 'w1', activity: { id: 'a1', recordType: 'phonecall' }, associatedParticipant: { id: 'c1', name: 'Ada', recordType: 'contact' }, associations: [{ id: 'a1', name: 'Call', recordType: 'phonecall' }] },
      { type: 'workitemState', id: 'w1', state: WorkitemState.Active, capabilities: ['Hold'] },
      { type: 'workitemData', id: 'w1', ctiData: { wrapUpReason: 'Sale' } },
      { type: 'queue', op: 'updated', queues: [queue('q1', 4)] },
    ];
    for (const u of updates) {
      const [next, events] = transition(s, u, T0);
      s = next;
      all.push(...events);
    }
    expect(types(all)).toEqual(['agentStateChange', 'queueDataUpdate', 'workitemCreate', 'workitemUpdate', 'workitemConnect', 'callVariableChanged', 'wrapupDataChanged', 'queueDataUpdate']);
    const snapshot = structuredClone(s);
    for (const e of all) {
      const d = e.data as unknown as Record<string, unknown>;
      if (e.type === 'queueDataUpdate') {
        for (const q of e.data.queueData) {
          q.id = 'hacked';
          if ('statistics' in q) {
            q.statistics.callsInQueue = 999;
            q.name = 'hacked';
          }
        }
        e.data.queueData.push({ id: 'extra' });
        continue;
      }
      if (e.type !== 'agentStateChange' && e.type !== 'error' && e.type !== 'interactionEnd') {
        e.data.ctiData.callVariable1 = 'hacked';
        e.data.participants.push({ address: 'hacked' });
        if (e.data.participants[0] !== undefined) e.data.participants[0].address = 'hacked';
        e.data.capabilities.push('End');
        e.data.associations.push({ id: 'x', name: 'x', recordType: 'x' });
        if (e.data.associations[0] !== undefined) e.data.associations[0].name = 'hacked';
        if (e.data.activity !== undefined) e.data.activity.id = 'hacked';
        if (e.data.associatedParticipant !== undefined) e.data.associatedParticipant.name = 'hacked';
        e.data.participantLookupResult.push({ id: 'x', name: 'x', recordType: 'x' });
      }
      d.state = 'hacked';
      d.id = 'hacked';
      d.newState = 'hacked';
    }
    expect(s).toEqual(snapshot);
  });
});

describe('UCCX', () => {
  it('gives no agentStateChange to Active while NotReady (seed 001) and keeps NotReady', () => {
    const before = signedIn(Flavor.UCCX, ['voice_-1']);
    const [after, events] = transition(before, { type: 'agentState', channelId: 'voice_-1', state: AgentState.Active }, T0);
    expect(events).toEqual([]);
    expect(after.channels['voice_-1']?.state).toBe('NotReady');
  });

  it('still reports Ready → Active, and NotReady → Active on UCCE', () => {
    const ready = signedIn(Flavor.UCCX, ['voice_-1'], AgentState.Ready);
    const [, ccx] = transition(ready, { type: 'agentState', channelId: 'voice_-1', state: AgentState.Active }, T0);
    expect(types(ccx)).toEqual(['agentStateChange']);
    const [, cce] = transition(signedIn(Flavor.UCCE), { type: 'agentState', channelId: VOICE_A, state: AgentState.Active }, T0);
    expect(types(cce)).toEqual(['agentStateChange']);
  });

  it.each(['snapshot', 'added', 'updated', 'deleted'] as const)('refuses queue %s with NOT_SUPPORTED', (op) => {
    const before = signedIn(Flavor.UCCX, ['voice_-1']);
    expectRejected(before, transition(before, { type: 'queue', op, queues: [queue('q1')], requestId: 'rq' }, T0), ErrorCode.NOT_SUPPORTED, 'rq');
  });

  it('never fires queueDataUpdate at login or logout', () => {
    const { steps } = applyAll(initialState(Flavor.UCCX), [
      sessionUpdate(['voice_-1']),
      { type: 'agentState', channelId: 'voice_-1', state: AgentState.NotReady },
      { type: 'agentState', channelId: 'voice_-1', state: AgentState.Logout },
    ]);
    expect(steps.map(types)).toEqual([[], ['agentStateChange'], ['agentStateChange']]);
  });
});

describe('UCCE queueDataUpdate', () => {
  function queueEvents(events: readonly DomainEvent[]) {
    return events.flatMap((e) => (e.type === 'queueDataUpdate' ? [e.data] : []));
  }
  const loggedOut = () => setUp(initialState(Flavor.UCCE), [sessionUpdate([VOICE_A, VOICE_B]), { type: 'queue', op: 'snapshot', queues: [queue('q1'), queue('q2')] }]);

  it('ENABLED with every queue at login, once, and DISABLED with [] at logout', () => {
    const { steps } = applyAll(loggedOut(), [
      { type: 'agentState', channelId: VOICE_A, state: AgentState.NotReady, requestId: 'login' },
      { type: 'agentState', channelId: VOICE_B, state: AgentState.NotReady },
      { type: 'agentState', channelId: VOICE_A, state: AgentState.Logout },
      { type: 'agentState', channelId: VOICE_B, state: AgentState.Logout },
    ]);
    expect(steps.map(types)).toEqual([['agentStateChange', 'queueDataUpdate'], ['agentStateChange'], ['agentStateChange'], ['agentStateChange', 'queueDataUpdate']]);
    const [enabled] = queueEvents(steps[0]!);
    expect(enabled).toEqual({ event: 'queueDataUpdate', version: API_VERSION, dataState: 'ENABLED', queueData: [queue('q1'), queue('q2')] });
    const [disabled] = queueEvents(steps[3]!);
    expect(disabled).toEqual({ event: 'queueDataUpdate', version: API_VERSION, dataState: 'DISABLED', queueData: [] });
  });

  it('ADDED and UPDATED carry one queue each, DELETED only {id}', () => {
    const s = setUp(loggedOut(), [{ type: 'agentState', channelId: VOICE_A, state: AgentState.Ready }]);
    const { steps } = applyAll(s, [
      { type: 'queue', op: 'added', queues: [queue('q3'), queue('q4')] },
      { type: 'queue', op: 'updated', queues: [queue('q1', 5), queue('q3', 1)] },
      { type: 'queue', op: 'deleted', queues: [], ids: ['q2', 'q4'] },
      { type: 'queue', op: 'deleted', queues: [queue('q3')] },
    ]);
    const [adds, updates, deletes, deletes2] = steps.map(queueEvents);
    expect(adds).toEqual([
      { event: 'queueDataUpdate', version: API_VERSION, dataState: 'ADDED', queueData: [queue('q3')] },
      { event: 'queueDataUpdate', version: API_VERSION, dataState: 'ADDED', queueData: [queue('q4')] },
    ]);
    expect(updates?.map((d) => [d.dataState, d.queueData])).toEqual([
      ['UPDATED', [queue('q1', 5)]],
      ['UPDATED', [queue('q3', 1)]],
    ]);
    expect(deletes?.map((d) => [d.dataState, d.queueData])).toEqual([
      ['DELETED', [{ id: 'q2' }]],
      ['DELETED', [{ id: 'q4' }]],
    ]);
    expect(deletes2?.map((d) => d.queueData)).toEqual([[{ id: 'q3' }]]);
    for (const d of [...deletes!, ...deletes2!]) expect(Object.keys(d.queueData[0]!)).toEqual(['id']);
  });

  it('fires nothing while logged out, but keeps the list for the next ENABLED', () => {
    const { state, steps } = applyAll(loggedOut(), [
      { type: 'queue', op: 'added', queues: [queue('q3')] },
      { type: 'queue', op: 'updated', queues: [queue('q1', 9)] },
      { type: 'queue', op: 'deleted', queues: [], ids: ['q2'] },
      { type: 'queue', op: 'snapshot', queues: [queue('q1', 9), queue('q3'), queue('q5')] },
    ]);
    expect(steps).toEqual([[], [], [], []]);
    const [, events] = transition(state, { type: 'agentState', channelId: VOICE_A, state: AgentState.NotReady }, T0);
    expect(queueEvents(events)).toEqual([{ event: 'queueDataUpdate', version: API_VERSION, dataState: 'ENABLED', queueData: [queue('q1', 9), queue('q3'), queue('q5')] }]);
  });

  it('a snapshot while logged in fires ENABLED with the new list', () => {
    const s = setUp(loggedOut(), [{ type: 'agentState', channelId: VOICE_A, state: AgentState.NotReady }]);
    const [, events] = transition(s, { type: 'queue', op: 'snapshot', queues: [queue('q9')] }, T0);
    expect(queueEvents(events).map((d) => [d.dataState, d.queueData])).toEqual([['ENABLED', [queue('q9')]]]);
  });

  it('refuses adding a known queue, updating or deleting an unknown one, and an unchanged update', () => {
    const s = setUp(loggedOut(), [{ type: 'agentState', channelId: VOICE_A, state: AgentState.NotReady }]);
    expect(expectRejected(s, transition(s, { type: 'queue', op: 'added', queues: [queue('q1')] }, T0), ErrorCode.DUPLICATE_UPDATE)).toContain('q1');
    expect(expectRejected(s, transition(s, { type: 'queue', op: 'updated', queues: [queue('q7')] }, T0), ErrorCode.INVALID_UPDATE)).toContain('q7');
    expect(expectRejected(s, transition(s, { type: 'queue', op: 'deleted', queues: [], ids: ['q7'] }, T0), ErrorCode.INVALID_UPDATE)).toContain('q7');
    expect(expectRejected(s, transition(s, { type: 'queue', op: 'updated', queues: [queue('q2')] }, T0), ErrorCode.DUPLICATE_UPDATE)).toContain('q2');
    // All or nothing: a bad queue later in the list leaves the earlier ones unapplied.
    expectRejected(s, transition(s, { type: 'queue', op: 'added', queues: [queue('q8'), queue('q1')] }, T0), ErrorCode.DUPLICATE_UPDATE);
  });
});
