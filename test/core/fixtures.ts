/**
 * Shared builders for the core tests: a signed-in agent, workitems in any appear state, and a
 * small `apply` that threads a state through {@link transition} and collects what it produced.
 * Not a test file itself (vitest only collects `*.test.ts`).
 */
import {
  AgentState,
  ChannelType,
  Classification,
  Direction,
  Flavor,
  initialState,
  transition,
  type AgentInfo,
  type DomainEvent,
  type PlatformUpdate,
  type QueueData,
  type SessionState,
  type WorkitemAddedUpdate,
  type WorkitemState,
} from '../../src/core/index.js';

/** A Monday morning, so that ISO strings in failures are easy to read. */
export const T0 = Date.parse('2026-01-05T09:00:00.000Z');
export const VOICE_A = 'voice_5000';
export const VOICE_B = 'voice_5001';

export const AGENT: AgentInfo = {
  agentId: '1001',
  extension: '1001001',
  firstName: 'Ada',
  lastName: 'Lovelace',
  loginName: 'ada',
  teamId: 't1',
};

export function sessionUpdate(channelIds: readonly string[] = [VOICE_A], at?: number): PlatformUpdate {
  const u: PlatformUpdate = { type: 'session', agent: { ...AGENT }, channels: channelIds.map((id) => ({ id, type: ChannelType.Voice })) };
  if (at !== undefined) u.at = at;
  return u;
}

export function added(id: string, state: WorkitemState, extra: Partial<WorkitemAddedUpdate['workitem']> & { at?: number; requestId?: string } = {}): WorkitemAddedUpdate {
  const { at, requestId, ...rest } = extra;
  const u: WorkitemAddedUpdate = {
    type: 'workitemAdded',
    workitem: {
      id,
      channelId: VOICE_A,
      classification: Classification.Customer,
      direction: Direction.Incoming,
      state,
      participants: [{ address: '+41441234567', state: 'ALERTING' }, { address: '1001001', state: 'ALERTING' }],
      ani: '+41441234567',
      ctiData: { callVariable1: 'cv1', queueName: 'Sales' },
      ...rest,
    },
  };
  if (at !== undefined) u.at = at;
  if (requestId !== undefined) u.requestId = requestId;
  return u;
}

export function queue(id: string, callsInQueue = 0): QueueData {
  return {
    id,
    name: `Queue ${id}`,
    channel: 'Voice',
    escalationLevel: 'Normal',
    statistics: {
      agentsNotReady: 1,
      agentsReady: 2,
      agentsTalkingInbound: 0,
      agentsTalkingInternal: 0,
      agentsTalkingOutbound: 0,
      agentsWrapUpNotReady: 0,
      agentsWrapUpReady: 0,
      callsInQueue,
      startTimeOfLongestCallInQueue: '2026-01-05T08:59:00.000Z',
    },
  };
}

/** Apply updates in order; returns the final state and the events of each step. */
export function applyAll(state: SessionState, updates: readonly PlatformUpdate[], now = T0): { state: SessionState; steps: DomainEvent[][] } {
  let s = state;
  const steps: DomainEvent[][] = [];
  for (const u of updates) {
    const [next, events] = transition(s, u, now);
    s = next;
    steps.push(events);
  }
  return { state: s, steps };
}

/** Apply updates that must all be accepted (no error event); throws with the error otherwise. */
export function setUp(state: SessionState, updates: readonly PlatformUpdate[], now = T0): SessionState {
  let s = state;
  for (const u of updates) {
    const [next, events] = transition(s, u, now);
    const err = events.find((e) => e.type === 'error');
    if (err !== undefined) throw new Error(`set-up update ${JSON.stringify(u)} was refused: ${JSON.stringify(err.data)}`);
    s = next;
  }
  return s;
}

/** An agent signed in on the given voice channels (NotReady unless told otherwise). */
export function signedIn(flavor: Flavor = Flavor.UCCE, channelIds: readonly string[] = [VOICE_A], agentState: AgentState = AgentState.NotReady): SessionState {
  const s = setUp(initialState(flavor), [sessionUpdate(channelIds)]);
  return setUp(
    s,
    channelIds.map((channelId) => ({ type: 'agentState', channelId, state: agentState })),
  );
}

/** The one event of a step, which must be the only one. */
export function only(events: readonly DomainEvent[]): DomainEvent {
  if (events.length !== 1) throw new Error(`expected exactly one event, got ${events.length}: ${events.map((e) => e.type).join(', ')}`);
  return events[0]!;
}

export function types(events: readonly DomainEvent[]): string[] {
  return events.map((e) => e.type);
}
