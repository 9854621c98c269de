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
  Flavor,
} from './model.js';
import type { ErrorCode } from './errors.js';
import type { InteractionRecord } from './interaction.js';

interface UpdateBase {
  /** Platform time of the update, ms since the epoch. Older than the last applied → OUT_OF_ORDER. */
  at?: number;
  requestId?: string;
}

/** The session's agent and channels are known (login or reconnect). */
export interface SessionUpdate extends UpdateBase {
  type: 'session';
  /** The source's kind ('sim', 'finesse', ...), stamped on interaction records. */
  source?: string;
  agent: AgentInfo;
  channels: { id: string; type: ChannelType }[];
  reasonCodes?: Partial<Record<ReasonType, ReasonCode[]>>;
  /**
   * The platform's flavour when the source learns it (Finesse: SystemInfo's deploymentType), so
   * that every session fed by the source — the server's and each gadget's over the bridge —
   * applies the right rules (seed 001's UCCE/UCCX differences) without being told separately.
   */
  flavor?: Flavor;
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
  /** The platform's own fields for this item, kept in its interaction record. */
  raw?: Record<string, unknown>;
}

/** A workitem's lifecycle state changes. */
export interface WorkitemStateUpdate extends UpdateBase {
  type: 'workitemState';
  id: string;
  state: WorkitemState;
  capabilities?: Capability[];
  participants?: Participant[];
  /** The platform's own fields, merged into what the interaction record keeps. */
  raw?: Record<string, unknown>;
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

/** A finished interaction from a log-only source (Avaya, Bright Pattern). */
export interface InteractionRecordUpdate extends UpdateBase {
  type: 'interactionRecord';
  record: InteractionRecord;
}

export type PlatformUpdate =
  | SessionUpdate
  | AgentStateUpdate
  | WorkitemAddedUpdate
  | WorkitemStateUpdate
  | WorkitemDataUpdate
  | WorkitemInfoUpdate
  | QueueUpdate
  | PlatformErrorUpdate
  | InteractionRecordUpdate;

export type PlatformUpdateType = PlatformUpdate['type'];
