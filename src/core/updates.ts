/**
 * @module core/updates
 * Platform updates: what a source tells the core, already normalized. A source turns its
 * platform's own notifications (Finesse XML, simulator happenings, Avaya postMessages) into
 * these; the state machine ({@link ./transition}) decides what they mean.
 *
 * Every update may carry `at` (ms since epoch, the platform's time for it) and `requestId`
 * (the request it answers, when the platform echoes one).
 */
import type {
  AgentInfo,
  AgentState,
  Capability,
  ChannelType,
  Classification,
  CtiData,
  Direction,
  Participant,
  QueueData,
  ReasonCode,
  ReasonType,
  WorkitemState,
  ActivityRecord,
  CrmRecord,
} from './model.js';
import type { ErrorCode } from './errors.js';

interface UpdateBase {
  /** Platform time of the update, ms since the epoch. Older than the last applied → OUT_OF_ORDER. */
  at?: number;
  requestId?: string;
}

/** The session's agent and channels are known (login or reconnect). */
export interface SessionUpdate extends UpdateBase {
  type: 'session';
  agent: AgentInfo;
  channels: { id: string; type: ChannelType }[];
  reasonCodes?: Partial<Record<ReasonType, ReasonCode[]>>;
}

export interface AgentStateUpdate extends UpdateBase {
  type: 'agentState';
  channelId: string;
  state: AgentState;
  reasonCode?: number;
  reasonCodeLabel?: string;
}

/** A workitem appears (alerting, initiated, or already up at login: call recovery). */
export interface WorkitemAddedUpdate extends UpdateBase {
  type: 'workitemAdded';
  workitem: {
    id: string;
    channelId: string;
    channelType?: ChannelType;
    classification: Classification;
    direction: Direction;
    state: WorkitemState;
    participants: Participant[];
    ani: string;
    ctiData?: CtiData;
    capabilities?: Capability[];
    connectedAt?: string;
  };
}

/** A workitem's lifecycle state changes. */
export interface WorkitemStateUpdate extends UpdateBase {
  type: 'workitemState';
  id: string;
  state: WorkitemState;
  capabilities?: Capability[];
  participants?: Participant[];
}

/** Call data changes (call variables, ECC variables, wrapUpReason): only the changed keys. */
export interface WorkitemDataUpdate extends UpdateBase {
  type: 'workitemData';
  id: string;
  ctiData: CtiData;
}

/** Capabilities, participants or classification change without a lifecycle step. */
export interface WorkitemInfoUpdate extends UpdateBase {
  type: 'workitemInfo';
  id: string;
  capabilities?: Capability[];
  participants?: Participant[];
  classification?: Classification;
  activity?: ActivityRecord;
  associatedParticipant?: CrmRecord;
  associations?: CrmRecord[];
  participantLookupResult?: CrmRecord[];
}

/**
 * Queue data (UCCE only). `snapshot` replaces the whole list (sent at login), `added` / `updated`
 * carry one or more queues, `deleted` carries ids.
 */
export interface QueueUpdate extends UpdateBase {
  type: 'queue';
  op: 'snapshot' | 'added' | 'updated' | 'deleted';
  queues: QueueData[];
  ids?: string[];
}

/** The platform reports a failure (for example a Finesse CTI error for a dialog). */
export interface PlatformErrorUpdate extends UpdateBase {
  type: 'platformError';
  code: ErrorCode;
  message: string;
  workitemId?: string;
}

export type PlatformUpdate =
  | SessionUpdate
  | AgentStateUpdate
  | WorkitemAddedUpdate
  | WorkitemStateUpdate
  | WorkitemDataUpdate
  | WorkitemInfoUpdate
  | QueueUpdate
  | PlatformErrorUpdate;

export type PlatformUpdateType = PlatformUpdate['type'];
