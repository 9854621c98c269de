/**
 * @module core/model
 * The normalized model every source feeds and every sink reads. Names and values follow the
 * data reference of seed 001 (b+s Connects Integration API): Workitem, ctiData, Channel,
 * queueData, statistics, getChannel and getReasonCodeList. Values are `as const` objects so that
 * a typo is a compile error, never a silent mismatch.
 */

/** Integration API version stamped on every event (`version` field of seed 001). */
export const API_VERSION = '1.0';

export const ChannelType = {
  Voice: 'Voice',
  Mail: 'Mail',
  Chat: 'Chat',
  Task: 'Task',
  Federation: 'Federation',
} as const;
export type ChannelType = (typeof ChannelType)[keyof typeof ChannelType];

export const Classification = {
  Customer: 'Customer',
  Consultation: 'Consultation',
  Conference: 'Conference',
  Transfer: 'Transfer',
  Internal: 'Internal',
  Unknown: 'Unknown',
} as const;
export type Classification = (typeof Classification)[keyof typeof Classification];

export const Direction = { Incoming: 'Incoming', Outgoing: 'Outgoing' } as const;
export type Direction = (typeof Direction)[keyof typeof Direction];

export const WorkitemState = {
  Unknown: 'Unknown',
  Initiated: 'Initiated',
  Offered: 'Offered',
  Active: 'Active',
  Paused: 'Paused',
  Wrapup: 'Wrapup',
  Ended: 'Ended',
  EndedAbandoned: 'EndedAbandoned',
  EndedTransferred: 'EndedTransferred',
  EndedUnknown: 'EndedUnknown',
} as const;
export type WorkitemState = (typeof WorkitemState)[keyof typeof WorkitemState];

/** The terminal states: a workitem in one of them has disappeared (workitemEnd). */
export const ENDED_STATES: ReadonlySet<WorkitemState> = new Set<WorkitemState>([
  WorkitemState.Ended,
  WorkitemState.EndedAbandoned,
  WorkitemState.EndedTransferred,
  WorkitemState.EndedUnknown,
]);

export function isEndedState(state: WorkitemState): boolean {
  return ENDED_STATES.has(state);
}

export const AgentState = {
  Logout: 'Logout',
  Offline: 'Offline',
  Ready: 'Ready',
  NotReady: 'NotReady',
  Active: 'Active',
  Wrapup: 'Wrapup',
  Unknown: 'Unknown',
} as const;
export type AgentState = (typeof AgentState)[keyof typeof AgentState];

/** States an agent can ask for with setAgentState (seed 001). */
export const RequestableAgentState = {
  Ready: 'Ready',
  NotReady: 'NotReady',
  Logout: 'Logout',
} as const;
export type RequestableAgentState = (typeof RequestableAgentState)[keyof typeof RequestableAgentState];

export function isLoggedIn(state: AgentState): boolean {
  return state !== AgentState.Logout && state !== AgentState.Offline && state !== AgentState.Unknown;
}

export const ReasonType = { Logout: 'Logout', NotReady: 'NotReady', Wrapup: 'Wrapup' } as const;
export type ReasonType = (typeof ReasonType)[keyof typeof ReasonType];

/** Contact-center flavour; Finesse's SystemInfo `deploymentType` decides it when live. */
export const Flavor = { UCCE: 'UCCE', UCCX: 'UCCX' } as const;
export type Flavor = (typeof Flavor)[keyof typeof Flavor];

export const DataState = {
  ENABLED: 'ENABLED',
  ADDED: 'ADDED',
  UPDATED: 'UPDATED',
  DELETED: 'DELETED',
  DISABLED: 'DISABLED',
} as const;
export type DataState = (typeof DataState)[keyof typeof DataState];

export const EscalationLevel = { Normal: 'Normal', Warn: 'Warn', Critical: 'Critical' } as const;
export type EscalationLevel = (typeof EscalationLevel)[keyof typeof EscalationLevel];

/**
 * What can be done with a workitem right now. A source fills this from what the platform
 * allows (Finesse: the participant's `<actions>`); the API refuses a request whose capability
 * is missing.
 */
export const Capability = {
  Answer: 'Answer',
  Hold: 'Hold',
  Resume: 'Resume',
  End: 'End',
  Consult: 'Consult',
  Transfer: 'Transfer',
  Conference: 'Conference',
  DirectTransfer: 'DirectTransfer',
  SingleStepConference: 'SingleStepConference',
  SendDtmf: 'SendDtmf',
  UpdateData: 'UpdateData',
  SetWrapupReason: 'SetWrapupReason',
} as const;
export type Capability = (typeof Capability)[keyof typeof Capability];

export interface Participant {
  /** Media address (phone number or extension). */
  address: string;
  /** Platform state of this participant (for example ALERTING, ACTIVE, HELD). */
  state?: string;
}

/**
 * ctiData of seed 001: callVariable1..10, `user.<ECC name>`, callType, DNIS, dialedNumber,
 * mediaId, queueName, queueNumber, callKeyCallId and callKeyPrefix (CCE only),
 * outboundClassification and wrapUpReason. Every value is a string.
 */
export type CtiData = Record<string, string>;

/** Activity record of seed 001 (the phone-call record). */
export interface ActivityRecord {
  id: string;
  recordType: string;
}

/** CRM record of seed 001. */
export interface CrmRecord {
  id: string;
  name: string;
  recordType: string;
}

/** A work item exactly as seed 001's workitem reference describes it (minus event/version). */
export interface Workitem {
  id: string;
  agentId: string;
  channelId: string;
  channelType: ChannelType;
  classification: Classification;
  direction: Direction;
  state: WorkitemState;
  participants: Participant[];
  ani: string;
  /** UTC ISO 8601, set when the item first becomes Active. */
  connectedAt?: string;
  ctiData: CtiData;
  capabilities: Capability[];
  activity?: ActivityRecord;
  associatedParticipant?: CrmRecord;
  associations: CrmRecord[];
  participantLookupResult: CrmRecord[];
}

export interface ReasonCode {
  id: string;
  label: string;
}

/** Agent state of one channel, as the channel reference of seed 001 shows it. */
export interface ChannelState {
  id: string;
  type: ChannelType;
  state: AgentState;
  /** Negative: no code. */
  reasonCode: number;
  reasonCodeLabel: string;
  /** ISO 8601. */
  stateChangeTime: string;
}

export interface QueueStatistics {
  agentsNotReady: number;
  agentsReady: number;
  agentsTalkingInbound: number;
  agentsTalkingInternal: number;
  agentsTalkingOutbound: number;
  agentsWrapUpNotReady: number;
  agentsWrapUpReady: number;
  callsInQueue: number;
  startTimeOfLongestCallInQueue: string;
}

export interface QueueData {
  id: string;
  name: string;
  channel: 'Voice';
  escalationLevel: EscalationLevel;
  statistics: QueueStatistics;
}

/** The agent behind a session (getChannel reference of seed 001). */
export interface AgentInfo {
  agentId: string;
  extension: string;
  firstName: string;
  lastName: string;
  loginName: string;
  teamId: string;
  activeDeviceId?: string;
}

/** A full AgentInfo from what a source knows (an id at least); unknown fields are ''. */
export function completeAgentInfo(a: Pick<AgentInfo, 'agentId'> & Partial<AgentInfo>): AgentInfo {
  const info: AgentInfo = {
    agentId: a.agentId,
    extension: a.extension ?? '',
    firstName: a.firstName ?? '',
    lastName: a.lastName ?? '',
    loginName: a.loginName ?? '',
    teamId: a.teamId ?? '',
  };
  if (a.activeDeviceId !== undefined) info.activeDeviceId = a.activeDeviceId;
  return info;
}

/** ani per seed 001: one participant and outgoing → its to-address, otherwise the from-address. */
export function computeAni(direction: Direction, participants: readonly Participant[], fromAddress: string, toAddress: string): string {
  if (participants.length === 1 && direction === Direction.Outgoing) return toAddress;
  return fromAddress;
}

/** Channel id helpers (seed 001): `voice_<peripheralId>`, `voice_-1` on CCX, `telephony` on Webex CC. */
export const VOICE = 'voice';
export const CCX_VOICE_CHANNEL = 'voice_-1';
export const WXCC_VOICE_CHANNEL = 'telephony';

export function voiceChannelId(peripheralId: string | number): string {
  return `voice_${peripheralId}`;
}
