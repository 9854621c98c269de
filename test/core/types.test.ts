/**
 * Type tests of core's public types (checked by `tsc`; the runtime parts check that the typed
 * helpers really deliver what their types promise): the event map ties a handler's data to the
 * event name, DomainEvent narrows on `type`, and misuse does not compile.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  AgentSession,
  SimulatedClock,
  SwitchboardError,
  WorkitemState,
  decideDialOrConsult,
  isSwitchboardError,
  isWorkitemEvent,
  type AgentState,
  type AgentStateChangeData,
  type Clock,
  type CtiData,
  type DataState,
  type DomainEvent,
  type ErrorCode,
  type ErrorEventData,
  type EventMap,
  type EventName,
  type PlatformUpdate,
  type QueueDataUpdateData,
  type SerializedSwitchboardError,
  type SessionListener,
  type InteractionRecord,
  type Workitem,
  type WorkitemEventData,
  type WorkitemEventName,
} from '../../src/core/index.js';
import { T0, VOICE_A, added, sessionUpdate, signedIn } from './fixtures.js';

/** A typed subscription over AgentSession, the shape sinks build on EventMap. */
function on<K extends keyof EventMap>(session: AgentSession, name: K, handler: (data: EventMap[K]) => void): () => void {
  return session.subscribe((e) => {
    if (e.type === name) handler(e.data as EventMap[K]);
  });
}

function newSession(): AgentSession {
  const session = new AgentSession({ clock: new SimulatedClock(T0) });
  session.apply(sessionUpdate([VOICE_A]));
  return session;
}

describe('EventMap', () => {
  it('has exactly one entry per event name', () => {
    expectTypeOf<keyof EventMap>().toEqualTypeOf<EventName>();
    expectTypeOf<WorkitemEventName>().toExtend<EventName>();
  });

  it("gives each handler the data of the event it subscribes to", () => {
    const session = newSession();
    const got: string[] = [];
    on(session, 'workitemCreate', (d) => {
      expectTypeOf(d).toEqualTypeOf<WorkitemEventData<'workitemCreate'>>();
      expectTypeOf(d.event).toEqualTypeOf<'workitemCreate'>();
      expectTypeOf(d.ctiData).toEqualTypeOf<CtiData>();
      expectTypeOf(d.connectedAt).toEqualTypeOf<string | undefined>();
      got.push(`${d.event}:${d.id}`);
    });
    on(session, 'agentStateChange', (d) => {
      expectTypeOf(d).toEqualTypeOf<AgentStateChangeData>();
      expectTypeOf(d.newState).toEqualTypeOf<AgentState>();
      expectTypeOf(d.newReasonCode).toEqualTypeOf<number>();
      got.push(`${d.event}:${d.newState}`);
    });
    on(session, 'queueDataUpdate', (d) => {
      expectTypeOf(d).toEqualTypeOf<QueueDataUpdateData>();
      expectTypeOf(d.dataState).toEqualTypeOf<DataState>();
      got.push(`${d.event}:${d.dataState}`);
    });
    on(session, 'error', (d) => {
      expectTypeOf(d).toEqualTypeOf<ErrorEventData>();
      expectTypeOf(d.code).toEqualTypeOf<ErrorCode>();
      got.push(`${d.event}:${d.code}`);
    });
    session.apply({ type: 'agentState', channelId: VOICE_A, state: 'NotReady' });
    session.apply(added('w1', WorkitemState.Offered));
    session.apply(added('w1', WorkitemState.Offered));
    expect(got).toEqual(['agentStateChange:NotReady', 'queueDataUpdate:ENABLED', 'workitemCreate:w1', 'error:DUPLICATE_UPDATE']);
  });

  it('refuses a wrong name or a handler for another event', () => {
    const session = newSession();
    // @ts-expect-error -- not an event name (seed 001 says workitemCreate)
    on(session, 'workitemCreated', () => undefined);
    on(session, 'agentStateChange', (d) => {
      // @ts-expect-error -- agentStateChange data has no workitem id
      void d.id;
    });
    // @ts-expect-error -- a workitemCreate handler cannot take agentStateChange data
    on(session, 'workitemCreate', (d: AgentStateChangeData) => d.newState);
    on(session, 'queueDataUpdate', (d) => {
      // @ts-expect-error -- queueDataUpdate carries no requestId in seed 001
      void d.requestId;
    });
    expect(session.state.channels[VOICE_A]).toBeDefined();
  });
});

describe('DomainEvent', () => {
  /** Exhaustive over `type`: adding an event without handling it here fails to compile. */
  function summary(e: DomainEvent): string {
    switch (e.type) {
      case 'agentStateChange':
        expectTypeOf(e.data).toEqualTypeOf<AgentStateChangeData>();
        return `${e.data.oldState}→${e.data.newState}`;
      case 'queueDataUpdate':
        expectTypeOf(e.data).toEqualTypeOf<QueueDataUpdateData>();
        return e.data.dataState;
      case 'error':
        expectTypeOf(e.data).toEqualTypeOf<ErrorEventData>();
        return e.data.code;
      case 'workitemPause':
        expectTypeOf(e.data).toEqualTypeOf<WorkitemEventData<'workitemPause'>>();
        return `pause ${e.data.id}`;
      case 'workitemCreate':
      case 'workitemConnect':
      case 'workitemResume':
      case 'workitemWrapup':
      case 'workitemEnd':
      case 'callVariableChanged':
      case 'wrapupDataChanged':
        expectTypeOf(e.data).toExtend<Workitem>();
        expectTypeOf(e.data.event).toEqualTypeOf<typeof e.type>();
        return `${e.type} ${e.data.id} ${e.data.state}`;
      case 'interactionEnd':
        expectTypeOf(e.data.record).toEqualTypeOf<InteractionRecord>();
        return `interactionEnd ${e.data.record.id}`;
      case 'workitemUpdate':
        expectTypeOf(e.data).toExtend<Workitem>();
        return `workitemUpdate ${e.data.id} ${e.data.classification}`;
      default: {
        const unreachable: never = e;
        return unreachable;
      }
    }
  }

  it('narrows data on type', () => {
    const session = newSession();
    const seen: string[] = [];
    session.subscribe((e) => void seen.push(summary(e)));
    session.apply({ type: 'agentState', channelId: VOICE_A, state: 'NotReady' });
    session.apply(added('w1', WorkitemState.Active));
    session.apply({ type: 'workitemState', id: 'w1', state: WorkitemState.Paused });
    session.apply({ type: 'workitemState', id: 'nope', state: WorkitemState.Paused });
    expect(seen).toEqual(['Logout→NotReady', 'ENABLED', 'workitemCreate w1 Active', 'pause w1', 'WORKITEM_NOT_FOUND']);
  });

  it('isWorkitemEvent narrows to the workitem events', () => {
    const session = newSession();
    const ids: string[] = [];
    session.subscribe((e) => {
      if (isWorkitemEvent(e)) {
        expectTypeOf(e.type).toEqualTypeOf<WorkitemEventName>();
        expectTypeOf(e.data.id).toEqualTypeOf<string>();
        ids.push(e.data.id);
      } else {
        expectTypeOf(e.type).toEqualTypeOf<'agentStateChange' | 'queueDataUpdate' | 'error' | 'interactionEnd' | 'workitemUpdate'>();
      }
    });
    session.apply({ type: 'agentState', channelId: VOICE_A, state: 'NotReady' });
    session.apply(added('w7', WorkitemState.Offered));
    expect(ids).toEqual(['w7']);
  });

  it('does not compile misuse', () => {
    const e = { type: 'error', data: { event: 'error', version: '1.0', requestId: '', message: 'm', code: 'TIMEOUT' } } as DomainEvent;
    // @ts-expect-error -- data must be narrowed on type before reading newState
    expect(e.data.newState).toBeUndefined();
    // @ts-expect-error -- the data must match the type
    const mismatched: DomainEvent = { type: 'agentStateChange', data: e.data };
    void mismatched;
    // @ts-expect-error -- a workitem event's data carries the event's own name
    const wrongName: DomainEvent = { type: 'workitemCreate', data: { ...({} as Workitem), event: 'workitemEnd', version: '1.0', requestId: '' } };
    void wrongName;
  });
});

describe('model, updates, errors, session, requests', () => {
  it('closed string unions for states and codes', () => {
    expectTypeOf<WorkitemState>().toEqualTypeOf<'Unknown' | 'Initiated' | 'Offered' | 'Active' | 'Paused' | 'Wrapup' | 'Ended' | 'EndedAbandoned' | 'EndedTransferred' | 'EndedUnknown'>();
    expectTypeOf<AgentState>().toEqualTypeOf<'Logout' | 'Offline' | 'Ready' | 'NotReady' | 'Active' | 'Wrapup' | 'Unknown'>();
    // @ts-expect-error -- not a workitem state
    const ringing: WorkitemState = 'Ringing';
    // @ts-expect-error -- not an error code
    const code: ErrorCode = 'E_NOPE';
    expect([ringing, code]).toEqual(['Ringing', 'E_NOPE']);
  });

  it('PlatformUpdate narrows on type and refuses missing fields', () => {
    const u = { type: 'workitemState', id: 'w1', state: 'Active' } as PlatformUpdate;
    if (u.type === 'workitemState') expectTypeOf(u.state).toEqualTypeOf<WorkitemState>();
    // @ts-expect-error -- a workitemState update needs an id
    const noId: PlatformUpdate = { type: 'workitemState', state: 'Active' };
    // @ts-expect-error -- call data values are strings
    const badData: PlatformUpdate = { type: 'workitemData', id: 'w1', ctiData: { callVariable1: 1 } };
    expect([noId.type, badData.type]).toEqual(['workitemState', 'workitemData']);
  });

  it('SwitchboardError is typed by code, and isSwitchboardError narrows', () => {
    const err = new SwitchboardError('TIMEOUT', 'x', { requestId: 'r' });
    expectTypeOf(err.code).toEqualTypeOf<ErrorCode>();
    expectTypeOf(err.requestId).toEqualTypeOf<string | undefined>();
    expectTypeOf(err.toJSON()).toEqualTypeOf<SerializedSwitchboardError>();
    // @ts-expect-error -- not an error code
    expect(() => new SwitchboardError('E_NOPE', 'x')).not.toThrow();
    const value: unknown = JSON.parse(JSON.stringify(err));
    if (isSwitchboardError(value)) {
      expectTypeOf(value).toEqualTypeOf<SwitchboardError | SerializedSwitchboardError>();
      expectTypeOf(value.code).toEqualTypeOf<ErrorCode>();
    }
    expect(isSwitchboardError(value)).toBe(true);
  });

  it('AgentSession: listeners take DomainEvent, subscribe returns an unsubscribe function', () => {
    const session = newSession();
    expectTypeOf<AgentSession['subscribe']>().parameter(0).toEqualTypeOf<SessionListener>();
    expectTypeOf<AgentSession['subscribe']>().returns.toEqualTypeOf<() => void>();
    expectTypeOf<SimulatedClock>().toExtend<Clock>();
    // @ts-expect-error -- a listener receives DomainEvent, not a string
    const off = session.subscribe((e: string) => e.length);
    off();
    // @ts-expect-error -- apply takes a PlatformUpdate
    expect(session.apply({ type: 'hangup', id: 'w1' })).toHaveLength(1);
  });

  it('decideDialOrConsult narrows on kind', () => {
    const s = signedIn();
    const d = decideDialOrConsult(s, VOICE_A);
    if (d.kind === 'consult') expectTypeOf(d.from).toEqualTypeOf<Workitem>();
    // @ts-expect-error -- only a consult decision has `from`
    expect(d.from).toBeUndefined();
    expect(d).toEqual({ kind: 'dial' });
  });
});
