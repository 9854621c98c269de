/**
 * @module core/events
 * Domain events: the lifecycle, agent, queue and error events of SPEC.md's table, with the
 * payloads of seed 001's data reference. `EventMap` maps each event name to the `data` a
 * handler receives, so that a handler's type follows the name it subscribes to.
 */
import type { AgentState, ChannelType, DataState, QueueData, Workitem } from './model.js';
import { cloneWorkitem } from './workitem.js';
import type { InteractionRecord } from './interaction.js';
import type { ErrorCode } from './errors.js';

export const WorkitemEventName = {
  workitemCreate: 'workitemCreate',
  workitemConnect: 'workitemConnect',
  workitemPause: 'workitemPause',
  workitemResume: 'workitemResume',
  workitemWrapup: 'workitemWrapup',
  workitemEnd: 'workitemEnd',
  callVariableChanged: 'callVariableChanged',
  wrapupDataChanged: 'wrapupDataChanged',
} as const;
export type WorkitemEventName = (typeof WorkitemEventName)[keyof typeof WorkitemEventName];

export const EventName = {
  ...WorkitemEventName,
  agentStateChange: 'agentStateChange',
  queueDataUpdate: 'queueDataUpdate',
  error: 'error',
} as const;
export type EventName = (typeof EventName)[keyof typeof EventName];

/** Every event carries these (seed 001). `requestId` is '' when no request caused it. */
export interface EventEnvelope<E extends EventName> {
  event: E;
  version: string;
  requestId: string;
}

/** The `data` of a workitem event: the envelope plus the whole workitem. */
export type WorkitemEventData<E extends WorkitemEventName = WorkitemEventName> = EventEnvelope<E> & Workitem;

export interface AgentStateChangeData extends EventEnvelope<'agentStateChange'> {
  channelType: ChannelType;
  channelId: string;
  newState: AgentState;
  newReasonCode: number;
  newReasonCodeLabel: string;
  newStateChangeTime: string;
  oldState: AgentState;
  oldReasonCode: number;
  oldReasonCodeLabel: string;
  oldStateChangeTime: string;
}

export interface QueueDataUpdateData {
  event: 'queueDataUpdate';
  version: string;
  dataState: DataState;
  /** DELETED carries one item with only its id; DISABLED an empty array. */
  queueData: (QueueData | { id: string })[];
}

export interface ErrorEventData extends EventEnvelope<'error'> {
  message: string;
  /** Switchboard's addition to seed 001's error event: the machine-readable reason. */
  code: ErrorCode;
}

export interface EventMap {
  workitemCreate: WorkitemEventData<'workitemCreate'>;
  workitemConnect: WorkitemEventData<'workitemConnect'>;
  workitemPause: WorkitemEventData<'workitemPause'>;
  workitemResume: WorkitemEventData<'workitemResume'>;
  workitemWrapup: WorkitemEventData<'workitemWrapup'>;
  workitemEnd: WorkitemEventData<'workitemEnd'>;
  callVariableChanged: WorkitemEventData<'callVariableChanged'>;
  wrapupDataChanged: WorkitemEventData<'wrapupDataChanged'>;
  agentStateChange: AgentStateChangeData;
  queueDataUpdate: QueueDataUpdateData;
  error: ErrorEventData;
}

/**
 * An interaction ended and its record is final: sinks log it (exactly once per id). Not a seed
 * 001 event, so neither `cil` nor the typed API's `on()` carries it: subscribe to the session
 * (`agent.session.subscribe`) to see it.
 */
export interface InteractionEndData {
  event: 'interactionEnd';
  version: string;
  record: InteractionRecord;
}

/**
 * A workitem changed without a lifecycle step: capabilities, participants, classification (a
 * consultation that became a Transfer) or CRM records. Not a seed 001 event; sinks that follow
 * a workitem's shape (C4C) see it through the session.
 */
export type WorkitemUpdateData = Workitem & { event: 'workitemUpdate'; version: string; requestId: string };

/** Everything a session dispatches: the seed 001 events plus interactionEnd and workitemUpdate. */
export interface SessionEventMap extends EventMap {
  interactionEnd: InteractionEndData;
  workitemUpdate: WorkitemUpdateData;
}

/** A domain event as sinks receive it: a union on `type`. */
export type DomainEvent = { [K in keyof SessionEventMap]: { type: K; data: SessionEventMap[K] } }[keyof SessionEventMap];

const WORKITEM_EVENTS: ReadonlySet<string> = new Set(Object.values(WorkitemEventName));

export function isWorkitemEvent(e: DomainEvent): e is Extract<DomainEvent, { type: WorkitemEventName }> {
  return WORKITEM_EVENTS.has(e.type);
}

/**
 * A copy of an event's data that shares nothing with the original: each listener gets its own,
 * so that one listener's changes never reach another (or the session state).
 */
export function cloneEventData<K extends keyof SessionEventMap>(data: SessionEventMap[K]): SessionEventMap[K] {
  const d = data;
  switch (d.event) {
    case 'interactionEnd':
      return { ...d, record: structuredClone(d.record) };
    case 'agentStateChange':
    case 'error':
      return { ...d };
    case 'queueDataUpdate':
      return { ...d, queueData: d.queueData.map((q) => ('statistics' in q ? { ...q, statistics: { ...q.statistics } } : { id: q.id })) };
    default:
      // Every workitem event, workitemUpdate included.
      return { ...cloneWorkitem(d), event: d.event, version: d.version, requestId: d.requestId } as SessionEventMap[K];
  }
}
