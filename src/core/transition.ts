/**
 * @module core/transition
 * The agent session's state machine, pure: `transition(state, update, now) → [next, events]`
 * (after xstate's transition.ts). The workitem lifecycle is the explicit table
 * {@link WORKITEM_TRANSITIONS}; everything else is a small rule next to it.
 *
 * An update that does not fit (unknown id, impossible transition, duplicate, out of order,
 * malformed) yields exactly one `error` event naming the problem, no lifecycle event, and the
 * state object returned unchanged (the same reference). Nothing here throws on bad input.
 */
import { ErrorCode, type ErrorCode as ErrorCodeT } from './errors.js';
import type { DomainEvent, QueueDataUpdateData, WorkitemEventName } from './events.js';
import {
  API_VERSION,
  AgentState,
  ChannelType,
  DataState,
  Flavor,
  WorkitemState,
  isEndedState,
  isLoggedIn,
  type AgentInfo,
  type Participant,
  type ChannelState,
  type QueueData,
  type ReasonCode,
  type ReasonType,
  type Workitem,
} from './model.js';
import type {
  AgentStateUpdate,
  PlatformUpdate,
  QueueUpdate,
  SessionUpdate,
  WorkitemAddedUpdate,
  WorkitemDataUpdate,
  WorkitemInfoUpdate,
  WorkitemStateUpdate,
} from './updates.js';
import { describeUpdateProblem } from './guards.js';
import { cloneWorkitem } from './workitem.js';
import { addParties, buildInteractionRecord, type InteractionRecord, type WorkitemTiming } from './interaction.js';

/** How many ended workitem ids a session remembers, to refuse late updates and re-creation. */
export const ENDED_MEMORY = 512;

export interface SessionState {
  readonly flavor: Flavor;
  readonly agent: AgentInfo | undefined;
  readonly channels: Readonly<Record<string, ChannelState>>;
  /** Live workitems (not yet ended), in creation order. */
  readonly workitems: Readonly<Record<string, Workitem>>;
  /** Platform time of the last update applied per workitem and per channel. */
  readonly lastAt: Readonly<Record<string, number>>;
  /** Ids of ended workitems, oldest first, at most {@link ENDED_MEMORY}. */
  readonly ended: readonly string[];
  readonly queues: Readonly<Record<string, QueueData>>;
  readonly reasonCodes: Readonly<Partial<Record<ReasonType, ReasonCode[]>>>;
  /** UCCX channels on a call taken in NotReady, whose Active step was not reported (seed 001). */
  readonly ccxQuietActive: Readonly<Record<string, true>>;
  /** Timing of each live workitem, for its interaction record. */
  readonly timing: Readonly<Record<string, WorkitemTiming>>;
  /** The source's kind, from the session update. */
  readonly source: string;
}

export function initialState(flavor: Flavor = Flavor.UCCE): SessionState {
  return { flavor, agent: undefined, channels: {}, workitems: {}, lastAt: {}, ended: [], queues: {}, reasonCodes: {}, ccxQuietActive: {}, timing: {}, source: 'unknown' };
}

type Ended = typeof WorkitemState.Ended | typeof WorkitemState.EndedAbandoned | typeof WorkitemState.EndedTransferred | typeof WorkitemState.EndedUnknown;
/** `null`: allowed, but a silent step that fires no event. */
type Row = Partial<Record<WorkitemState, WorkitemEventName | null>>;
const TO_END: Record<Ended, 'workitemEnd'> = {
  Ended: 'workitemEnd',
  EndedAbandoned: 'workitemEnd',
  EndedTransferred: 'workitemEnd',
  EndedUnknown: 'workitemEnd',
};

/**
 * The workitem lifecycle: from-state → to-state → the event it fires. A pair missing here is an
 * impossible transition. `workitemConnect` fires only on the first Active (Offered/Initiated →
 * Active); Paused → Active is a resume. Initiated → Offered (an outbound call that starts
 * ringing) is allowed and silent.
 */
export const WORKITEM_TRANSITIONS: Readonly<Record<WorkitemState, Row>> = {
  Unknown: {},
  Initiated: { Offered: null, Active: 'workitemConnect', Wrapup: 'workitemWrapup', ...TO_END },
  Offered: { Active: 'workitemConnect', ...TO_END },
  Active: { Paused: 'workitemPause', Wrapup: 'workitemWrapup', ...TO_END },
  Paused: { Active: 'workitemResume', Wrapup: 'workitemWrapup', ...TO_END },
  Wrapup: { ...TO_END },
  Ended: {},
  EndedAbandoned: {},
  EndedTransferred: {},
  EndedUnknown: {},
};

/** States a workitem may appear in (Active/Paused/Wrapup: call recovery at login or reload). */
export const APPEAR_STATES: ReadonlySet<WorkitemState> = new Set<WorkitemState>([
  WorkitemState.Initiated,
  WorkitemState.Offered,
  WorkitemState.Active,
  WorkitemState.Paused,
  WorkitemState.Wrapup,
]);

export type TransitionResult = readonly [SessionState, DomainEvent[]];

/** Apply one platform update. Never throws on any input the types allow, nor on malformed ones. */
export function transition(state: SessionState, update: PlatformUpdate, now: number): TransitionResult {
  const problem = describeUpdateProblem(update);
  if (problem !== undefined) return reject(state, ErrorCode.INVALID_UPDATE, problem, update);
  switch (update.type) {
    case 'session':
      return applySession(state, update, now);
    case 'agentState':
      return applyAgentState(state, update, now);
    case 'workitemAdded':
      return applyWorkitemAdded(state, update, now);
    case 'workitemState':
      return applyWorkitemState(state, update, now);
    case 'workitemData':
      return applyWorkitemData(state, update);
    case 'workitemInfo':
      return applyWorkitemInfo(state, update);
    case 'queue':
      return applyQueue(state, update);
    case 'platformError':
      return [state, [errorEvent(update.code, update.message, update.requestId)]];
    case 'interactionRecord':
      return applyInteractionRecord(state, update.record, update.requestId);
  }
}

export function errorEvent(code: ErrorCodeT, message: string, requestId?: string): DomainEvent {
  return { type: 'error', data: { event: 'error', version: API_VERSION, requestId: requestId ?? '', message, code } };
}

function reject(state: SessionState, code: ErrorCodeT, message: string, update: unknown): TransitionResult {
  const requestId = typeof update === 'object' && update !== null ? (update as { requestId?: unknown }).requestId : undefined;
  return [state, [errorEvent(code, message, typeof requestId === 'string' ? requestId : undefined)]];
}

function workitemEvent(name: WorkitemEventName, wi: Workitem, requestId: string | undefined): DomainEvent {
  return { type: name, data: { event: name, version: API_VERSION, requestId: requestId ?? '', ...cloneWorkitem(wi) } } as DomainEvent;
}

/** An own property only: ids like `constructor` or `__proto__` must never reach Object.prototype. */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function isOutOfOrder(state: SessionState, key: string, at: number | undefined): boolean {
  if (at === undefined) return false;
  const last = own(state.lastAt, key);
  return last !== undefined && at < last;
}

function withLastAt(state: SessionState, key: string, at: number | undefined): Readonly<Record<string, number>> {
  return at === undefined ? state.lastAt : { ...state.lastAt, [key]: at };
}

function applySession(state: SessionState, u: SessionUpdate, now: number): TransitionResult {
  const channels: Record<string, ChannelState> = Object.assign(Object.create(null) as Record<string, ChannelState>, state.channels);
  for (const ch of u.channels) {
    if (own(channels, ch.id) === undefined) {
      channels[ch.id] = {
        id: ch.id,
        type: ch.type,
        state: AgentState.Logout,
        reasonCode: -1,
        reasonCodeLabel: '',
        stateChangeTime: iso(u.at ?? now),
      };
    }
  }
  return [{ ...state, agent: { ...u.agent }, channels, reasonCodes: u.reasonCodes ?? state.reasonCodes, source: u.source ?? state.source, flavor: u.flavor ?? state.flavor }, []];
}

function applyAgentState(state: SessionState, u: AgentStateUpdate, now: number): TransitionResult {
  const ch = own(state.channels, u.channelId);
  if (ch === undefined) return reject(state, ErrorCode.CHANNEL_NOT_FOUND, `agent state update for unknown channel "${u.channelId}"`, u);
  const key = `channel:${u.channelId}`;
  if (isOutOfOrder(state, key, u.at)) {
    return reject(state, ErrorCode.OUT_OF_ORDER, `agent state update for channel "${u.channelId}" is older than the last one applied`, u);
  }
  const reasonCode = u.reasonCode ?? -1;
  const reasonCodeLabel = u.reasonCodeLabel ?? '';
  const quiet = own(state.ccxQuietActive, ch.id) === true;
  if (quiet && u.state !== AgentState.Active) {
    // The call taken in NotReady is over; the platform reports the state it never left.
    const ccxQuietActive = { ...state.ccxQuietActive };
    delete ccxQuietActive[ch.id];
    if (ch.state === u.state && ch.reasonCode === reasonCode) return [{ ...state, ccxQuietActive, lastAt: withLastAt(state, key, u.at) }, []];
    state = { ...state, ccxQuietActive };
  }
  if (ch.state === u.state && ch.reasonCode === reasonCode) {
    return reject(state, ErrorCode.DUPLICATE_UPDATE, `channel "${u.channelId}" is already ${u.state}${reasonCode >= 0 ? ` with reason code ${reasonCode}` : ''}`, u);
  }
  // Seed 001, "Receive a call in Not Ready state": on CCX a call taken in NotReady gives no
  // agentStateChange to Active. The channel keeps NotReady; this is a platform rule, not an error.
  if (state.flavor === Flavor.UCCX && ch.state === AgentState.NotReady && u.state === AgentState.Active) {
    if (quiet) return reject(state, ErrorCode.DUPLICATE_UPDATE, `channel "${u.channelId}" is already on a call taken in NotReady`, u);
    return [{ ...state, ccxQuietActive: { ...state.ccxQuietActive, [ch.id]: true }, lastAt: withLastAt(state, key, u.at) }, []];
  }
  const at = u.at ?? now;
  const next: ChannelState = { ...ch, state: u.state, reasonCode, reasonCodeLabel, stateChangeTime: iso(at) };
  const events: DomainEvent[] = [
    {
      type: 'agentStateChange',
      data: {
        event: 'agentStateChange',
        version: API_VERSION,
        requestId: u.requestId ?? '',
        channelType: ch.type,
        channelId: ch.id,
        newState: next.state,
        newReasonCode: next.reasonCode,
        newReasonCodeLabel: next.reasonCodeLabel,
        newStateChangeTime: next.stateChangeTime,
        oldState: ch.state,
        oldReasonCode: ch.reasonCode,
        oldReasonCodeLabel: ch.reasonCodeLabel,
        oldStateChangeTime: ch.stateChangeTime,
      },
    },
  ];
  // queueDataUpdate only while logged in, never on CCX (seed 001): ENABLED with every queue at
  // login, DISABLED (empty) at logout.
  if (state.flavor === Flavor.UCCE && ch.type === ChannelType.Voice) {
    const wasIn = anyVoiceLoggedIn(state.channels);
    const channels = { ...state.channels, [ch.id]: next };
    const isIn = anyVoiceLoggedIn(channels);
    if (!wasIn && isIn) events.push(queueEvent(DataState.ENABLED, Object.values(state.queues)));
    if (wasIn && !isIn) events.push(queueEvent(DataState.DISABLED, []));
  }
  return [{ ...state, channels: { ...state.channels, [ch.id]: next }, lastAt: withLastAt(state, key, u.at) }, events];
}

function anyVoiceLoggedIn(channels: Readonly<Record<string, ChannelState>>): boolean {
  for (const id in channels) {
    const c = channels[id];
    if (c !== undefined && c.type === ChannelType.Voice && isLoggedIn(c.state)) return true;
  }
  return false;
}

function queueEvent(dataState: QueueDataUpdateData['dataState'], queueData: QueueDataUpdateData['queueData']): DomainEvent {
  return { type: 'queueDataUpdate', data: { event: 'queueDataUpdate', version: API_VERSION, dataState, queueData: structuredCloneQueues(queueData) } };
}

function structuredCloneQueues(list: QueueDataUpdateData['queueData']): QueueDataUpdateData['queueData'] {
  return list.map((q) => ('statistics' in q ? { ...q, statistics: { ...q.statistics } } : { id: q.id }));
}

function applyWorkitemAdded(state: SessionState, u: WorkitemAddedUpdate, now: number): TransitionResult {
  const w = u.workitem;
  if (own(state.workitems, w.id) !== undefined) return reject(state, ErrorCode.DUPLICATE_UPDATE, `workitem "${w.id}" already exists`, u);
  if (state.ended.includes(w.id)) return reject(state, ErrorCode.DUPLICATE_UPDATE, `workitem "${w.id}" has already ended`, u);
  const ch = own(state.channels, w.channelId);
  if (ch === undefined) return reject(state, ErrorCode.CHANNEL_NOT_FOUND, `workitem "${w.id}" names unknown channel "${w.channelId}"`, u);
  if (!APPEAR_STATES.has(w.state)) {
    return reject(state, ErrorCode.INVALID_TRANSITION, `workitem "${w.id}" cannot appear in state ${w.state}`, u);
  }
  const connected = w.state === WorkitemState.Active || w.state === WorkitemState.Paused || w.state === WorkitemState.Wrapup;
  const wi: Workitem = {
    id: w.id,
    agentId: state.agent?.agentId ?? '',
    channelId: w.channelId,
    channelType: w.channelType ?? ch.type,
    classification: w.classification,
    direction: w.direction,
    state: w.state,
    participants: w.participants.map((p) => ({ ...p })),
    ani: w.ani,
    ctiData: { ...(w.ctiData ?? {}) },
    capabilities: [...(w.capabilities ?? [])],
    associations: [],
    participantLookupResult: [],
  };
  const connectedAt = w.connectedAt ?? (connected ? iso(u.at ?? now) : undefined);
  if (connectedAt !== undefined) wi.connectedAt = connectedAt;
  const at = u.at ?? now;
  const timing: WorkitemTiming = { createdAt: at, heldMs: 0, workCodes: wi.ctiData.wrapUpReason ? [wi.ctiData.wrapUpReason] : [], parties: addParties([], wi.participants) };
  if (connected) timing.connectedAt = connectedAt !== undefined && !Number.isNaN(Date.parse(connectedAt)) ? Date.parse(connectedAt) : at;
  if (w.state === WorkitemState.Paused) timing.heldSince = at;
  if (w.state === WorkitemState.Wrapup) timing.wrapupAt = at;
  if (u.raw !== undefined) timing.raw = { ...u.raw };
  const next: SessionState = {
    ...state,
    workitems: { ...state.workitems, [wi.id]: wi },
    lastAt: withLastAt(state, `wi:${wi.id}`, u.at),
    timing: { ...state.timing, [wi.id]: timing },
  };
  return [next, [workitemEvent('workitemCreate', wi, u.requestId)]];
}

/** The live workitem `id`, or the rejection to return (unknown, or already ended). */
function lookupLive(state: SessionState, id: string, what: string, u: { requestId?: string }): { wi: Workitem } | { rejected: TransitionResult } {
  const wi = own(state.workitems, id);
  if (wi !== undefined) return { wi };
  if (state.ended.includes(id)) return { rejected: reject(state, ErrorCode.WORKITEM_NOT_FOUND, `${what} for workitem "${id}", which has already ended`, u) };
  return { rejected: reject(state, ErrorCode.WORKITEM_NOT_FOUND, `${what} for unknown workitem "${id}"`, u) };
}

function applyWorkitemState(state: SessionState, u: WorkitemStateUpdate, now: number): TransitionResult {
  const found = lookupLive(state, u.id, `state update to ${u.state}`, u);
  if ('rejected' in found) return found.rejected;
  const wi = found.wi;
  const key = `wi:${wi.id}`;
  if (isOutOfOrder(state, key, u.at)) return reject(state, ErrorCode.OUT_OF_ORDER, `state update to ${u.state} for workitem "${wi.id}" is older than the last one applied`, u);
  if (wi.state === u.state) return reject(state, ErrorCode.DUPLICATE_UPDATE, `workitem "${wi.id}" is already ${u.state}`, u);
  const eventName = WORKITEM_TRANSITIONS[wi.state][u.state];
  if (eventName === undefined) return reject(state, ErrorCode.INVALID_TRANSITION, `workitem "${wi.id}" cannot go from ${wi.state} to ${u.state}`, u);
  const next: Workitem = { ...wi, state: u.state };
  if (u.capabilities !== undefined) next.capabilities = [...u.capabilities];
  if (u.participants !== undefined) next.participants = u.participants.map((p) => ({ ...p }));
  const at = u.at ?? now;
  if (u.state === WorkitemState.Active && next.connectedAt === undefined) next.connectedAt = iso(at);
  const timing = stepTiming(own(state.timing, wi.id) ?? { createdAt: at, heldMs: 0, workCodes: [] }, wi.state, u.state, at, u.raw, u.participants);
  if (isEndedState(u.state)) {
    next.capabilities = [];
    const workitems = without(state.workitems, wi.id);
    const record = buildInteractionRecord(next, timing, at, state.source, state.agent?.extension);
    const after: SessionState = { ...state, workitems, lastAt: without(state.lastAt, key), timing: without(state.timing, wi.id), ended: remember(state.ended, wi.id) };
    return [after, [workitemEvent('workitemEnd', next, u.requestId), interactionEnd(record)]];
  }
  const after: SessionState = {
    ...state,
    workitems: { ...state.workitems, [wi.id]: next },
    lastAt: withLastAt(state, key, u.at),
    timing: { ...state.timing, [wi.id]: timing },
  };
  if (eventName === null) return [after, []];
  return [after, [workitemEvent(eventName, next, u.requestId)]];
}

function applyWorkitemData(state: SessionState, u: WorkitemDataUpdate): TransitionResult {
  const found = lookupLive(state, u.id, 'call data update', u);
  if ('rejected' in found) return found.rejected;
  const wi = found.wi;
  const key = `wi:${wi.id}`;
  if (isOutOfOrder(state, key, u.at)) return reject(state, ErrorCode.OUT_OF_ORDER, `call data update for workitem "${wi.id}" is older than the last one applied`, u);
  const changed = Object.keys(u.ctiData).filter((k) => wi.ctiData[k] !== u.ctiData[k]);
  if (changed.length === 0) return reject(state, ErrorCode.DUPLICATE_UPDATE, `call data update for workitem "${wi.id}" changes nothing`, u);
  const next: Workitem = { ...wi, ctiData: { ...wi.ctiData, ...u.ctiData } };
  const events = [workitemEvent('callVariableChanged', next, u.requestId)];
  let timing = state.timing;
  if (changed.includes('wrapUpReason')) {
    events.push(workitemEvent('wrapupDataChanged', next, u.requestId));
    const t = own(state.timing, wi.id);
    const reason = u.ctiData.wrapUpReason;
    if (t !== undefined && reason !== undefined && reason !== '') timing = { ...state.timing, [wi.id]: { ...t, workCodes: [...t.workCodes, reason] } };
  }
  return [{ ...state, workitems: { ...state.workitems, [wi.id]: next }, lastAt: withLastAt(state, key, u.at), timing }, events];
}

function applyWorkitemInfo(state: SessionState, u: WorkitemInfoUpdate): TransitionResult {
  const found = lookupLive(state, u.id, 'workitem info update', u);
  if ('rejected' in found) return found.rejected;
  const wi = found.wi;
  const key = `wi:${wi.id}`;
  if (isOutOfOrder(state, key, u.at)) return reject(state, ErrorCode.OUT_OF_ORDER, `workitem info update for "${wi.id}" is older than the last one applied`, u);
  const next: Workitem = { ...wi };
  if (u.capabilities !== undefined) next.capabilities = [...u.capabilities];
  if (u.participants !== undefined) next.participants = u.participants.map((p) => ({ ...p }));
  if (u.classification !== undefined) next.classification = u.classification;
  if (u.activity !== undefined) next.activity = { ...u.activity };
  if (u.associatedParticipant !== undefined) next.associatedParticipant = { ...u.associatedParticipant };
  if (u.associations !== undefined) next.associations = u.associations.map((r) => ({ ...r }));
  if (u.participantLookupResult !== undefined) next.participantLookupResult = u.participantLookupResult.map((r) => ({ ...r }));
  if (JSON.stringify(next) === JSON.stringify(wi)) {
    return reject(state, ErrorCode.DUPLICATE_UPDATE, `workitem info update for "${wi.id}" changes nothing`, u);
  }
  const t = own(state.timing, wi.id);
  const timing = u.participants !== undefined && t !== undefined ? { ...state.timing, [wi.id]: { ...t, parties: addParties(t.parties, u.participants) } } : state.timing;
  const update: DomainEvent = { type: 'workitemUpdate', data: { event: 'workitemUpdate', version: API_VERSION, requestId: u.requestId ?? '', ...cloneWorkitem(next) } };
  return [{ ...state, workitems: { ...state.workitems, [wi.id]: next }, lastAt: withLastAt(state, key, u.at), timing }, [update]];
}

/** A copy of `record` without `key` (never `delete` on shared state). */
function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(record)) if (k !== key) Object.defineProperty(out, k, { value: record[k], enumerable: true, writable: true, configurable: true });
  return out;
}

function remember(ended: readonly string[], id: string): readonly string[] {
  return ended.length >= ENDED_MEMORY ? [...ended.slice(1), id] : [...ended, id];
}

/** Timing after a lifecycle step: first connect, hold periods, wrap-up start. */
function stepTiming(t: WorkitemTiming, from: WorkitemState, to: WorkitemState, at: number, raw: Record<string, unknown> | undefined, participants: readonly Participant[] | undefined): WorkitemTiming {
  const next: WorkitemTiming = { ...t };
  if (participants !== undefined) next.parties = addParties(t.parties, participants);
  if (raw !== undefined) next.raw = { ...(t.raw ?? {}), ...raw };
  if (from === WorkitemState.Paused && next.heldSince !== undefined) {
    next.heldMs += Math.max(0, at - next.heldSince);
    delete next.heldSince;
  }
  if (to === WorkitemState.Active && next.connectedAt === undefined) next.connectedAt = at;
  if (to === WorkitemState.Paused) next.heldSince = at;
  if (to === WorkitemState.Wrapup) next.wrapupAt = at;
  return next;
}

function interactionEnd(record: InteractionRecord): DomainEvent {
  return { type: 'interactionEnd', data: { event: 'interactionEnd', version: API_VERSION, record } };
}

/** A finished record from a log-only source: logged once per id, whatever duplicates arrive. */
function applyInteractionRecord(state: SessionState, record: InteractionRecord, requestId: string | undefined): TransitionResult {
  const key = `record:${record.id}`;
  if (state.ended.includes(key)) return reject(state, ErrorCode.DUPLICATE_UPDATE, `interaction "${record.id}" was already logged`, { requestId });
  return [{ ...state, ended: remember(state.ended, key) }, [interactionEnd(structuredClone(record))]];
}

function sameQueue(a: QueueData, b: QueueData): boolean {
  if (a.name !== b.name || a.channel !== b.channel || a.escalationLevel !== b.escalationLevel) return false;
  const sa = a.statistics as unknown as Record<string, unknown>;
  const sb = b.statistics as unknown as Record<string, unknown>;
  const keys = Object.keys(sb);
  if (Object.keys(sa).length !== keys.length) return false;
  for (const k of keys) if (sa[k] !== sb[k]) return false;
  return true;
}

function copyQueue(q: QueueData): QueueData {
  return { ...q, statistics: { ...q.statistics } };
}

function applyQueue(state: SessionState, u: QueueUpdate): TransitionResult {
  if (state.flavor === Flavor.UCCX) return reject(state, ErrorCode.NOT_SUPPORTED, 'queue data is not available on UCCX (seed 001: no queueDataUpdate in CCX)', u);
  const loggedIn = anyVoiceLoggedIn(state.channels);
  const queues: Record<string, QueueData> = Object.assign(Object.create(null) as Record<string, QueueData>, state.queues);
  const events: DomainEvent[] = [];
  switch (u.op) {
    case 'snapshot': {
      for (const id of Object.keys(queues)) delete queues[id];
      for (const q of u.queues) queues[q.id] = copyQueue(q);
      if (loggedIn) events.push(queueEvent(DataState.ENABLED, Object.values(queues)));
      break;
    }
    case 'added': {
      for (const q of u.queues) {
        if (own(queues, q.id) !== undefined) return reject(state, ErrorCode.DUPLICATE_UPDATE, `queue "${q.id}" is already subscribed`, u);
        queues[q.id] = copyQueue(q);
        if (loggedIn) events.push(queueEvent(DataState.ADDED, [q]));
      }
      break;
    }
    case 'updated': {
      for (const q of u.queues) {
        const old = own(queues, q.id);
        if (old === undefined) return reject(state, ErrorCode.INVALID_UPDATE, `queue update for unknown queue "${q.id}"`, u);
        if (sameQueue(old, q)) return reject(state, ErrorCode.DUPLICATE_UPDATE, `queue update for "${q.id}" changes nothing`, u);
        queues[q.id] = copyQueue(q);
        if (loggedIn) events.push(queueEvent(DataState.UPDATED, [q]));
      }
      break;
    }
    case 'deleted': {
      for (const id of u.ids ?? u.queues.map((q) => q.id)) {
        if (own(queues, id) === undefined) return reject(state, ErrorCode.INVALID_UPDATE, `queue delete for unknown queue "${id}"`, u);
        delete queues[id];
        if (loggedIn) events.push(queueEvent(DataState.DELETED, [{ id }]));
      }
      break;
    }
  }
  return [{ ...state, queues }, events];
}
