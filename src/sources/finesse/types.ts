/**
 * @module sources/finesse/types
 * The Cisco Finesse resources and notifications as Switchboard reads them (FINESSE.md; Cisco's
 * Finesse developer guide 12.5). Parsed from XML by ./parse.ts (element names compared
 * case-insensitively), rendered to XML by the emulator, turned into platform updates by
 * ./reducer.ts. Every value Finesse sends as text stays a string here; empty elements are ''.
 */

export const DialogState = {
  INITIATING: 'INITIATING',
  INITIATED: 'INITIATED',
  ALERTING: 'ALERTING',
  ACTIVE: 'ACTIVE',
  FAILED: 'FAILED',
  DROPPED: 'DROPPED',
  ACCEPTED: 'ACCEPTED',
} as const;

/** Participant states: the dialog states plus HELD and WRAP_UP. */
export const ParticipantState = { ...DialogState, HELD: 'HELD', WRAP_UP: 'WRAP_UP' } as const;

/** Finesse user (agent) states; LOGIN is an action, not a state. */
export const UserState = {
  LOGOUT: 'LOGOUT',
  NOT_READY: 'NOT_READY',
  READY: 'READY',
  RESERVED: 'RESERVED',
  RESERVED_OUTBOUND: 'RESERVED_OUTBOUND',
  RESERVED_OUTBOUND_PREVIEW: 'RESERVED_OUTBOUND_PREVIEW',
  TALKING: 'TALKING',
  HOLD: 'HOLD',
  WORK: 'WORK',
  WORK_READY: 'WORK_READY',
  UNKNOWN: 'UNKNOWN',
} as const;

/** Dialog actions (PUT /finesse/api/Dialog/{id} requestedAction, POST MAKE_CALL). */
export const DialogAction = {
  MAKE_CALL: 'MAKE_CALL',
  ANSWER: 'ANSWER',
  HOLD: 'HOLD',
  RETRIEVE: 'RETRIEVE',
  DROP: 'DROP',
  CONSULT_CALL: 'CONSULT_CALL',
  TRANSFER: 'TRANSFER',
  CONFERENCE: 'CONFERENCE',
  TRANSFER_SST: 'TRANSFER_SST',
  SEND_DTMF: 'SEND_DTMF',
  UPDATE_CALL_DATA: 'UPDATE_CALL_DATA',
} as const;
export type DialogAction = (typeof DialogAction)[keyof typeof DialogAction];

export interface FinesseParticipant {
  mediaAddress: string;
  mediaAddressType: string;
  /** ParticipantState, upper case. */
  state: string;
  stateCause: string;
  startTime: string;
  stateChangeTime: string;
  /** What this participant may do now, upper case (authoritative for capabilities). */
  actions: string[];
}

export interface FinesseMediaProperties {
  DNIS: string;
  callType: string;
  dialedNumber: string;
  outboundClassification: string;
  queueNumber: string;
  queueName: string;
  /** CCE only. */
  callKeyCallId: string;
  callKeySequenceNum: string;
  callKeyPrefix: string;
  wrapUpReason: string;
  /** callVariable1..10 and `user.<ECC>` (arrays as `user.a[2]`), in document order. */
  callVariables: Record<string, string>;
  /** Every other mediaProperties child (e.g. mediaId), as text. */
  other: Record<string, string>;
}

export interface FinesseDialog {
  id: string;
  uri: string;
  fromAddress: string;
  toAddress: string;
  /** DialogState, upper case. */
  state: string;
  mediaType: string;
  associatedDialogUri: string;
  /** Names the surviving call after a transfer or conference. */
  secondaryId: string;
  mediaProperties: FinesseMediaProperties;
  participants: FinesseParticipant[];
}

export interface FinesseReasonCode {
  id: string;
  category: string;
  code: string;
  label: string;
}

export interface FinesseUser {
  loginId: string;
  loginName: string;
  firstName: string;
  lastName: string;
  extension: string;
  /** UserState, upper case. */
  state: string;
  pendingState: string;
  /** '-1' or '' when none. */
  reasonCodeId: string;
  reasonCode?: FinesseReasonCode;
  stateChangeTime: string;
  teamId: string;
  teamName: string;
  /** settings/wrapUpOnIncoming: REQUIRED, OPTIONAL, NOT_ALLOWED, REQUIRED_WITH_WRAP_UP_DATA. */
  wrapUpOnIncoming: string;
}

export interface FinesseQueueStatistics {
  callsInQueue: string;
  startTimeOfLongestCallInQueue: string;
  agentsReady: string;
  agentsNotReady: string;
  agentsTalkingInbound: string;
  agentsTalkingOutbound: string;
  agentsTalkingInternal: string;
  agentsWrapUpNotReady: string;
  agentsWrapUpReady: string;
}

export interface FinesseQueue {
  id: string;
  uri: string;
  name: string;
  statistics: FinesseQueueStatistics;
}

export interface FinesseSystemInfo {
  /** UCCE or UCCX. */
  deploymentType: string;
  /** IN_SERVICE, OUT_OF_SERVICE, ... */
  status: string;
  xmppDomain: string;
  xmppPubSubDomain: string;
}

export interface FinesseApiError {
  errorType: string;
  errorMessage: string;
  errorData: string;
}

/** One parsed `<Update>` (the text inside an XMPP pubsub item), by what its data holds. */
export type FinesseNotification =
  | { kind: 'dialogs'; event: string; requestId: string; source: string; dialogs: FinesseDialog[] }
  | { kind: 'dialog'; event: string; requestId: string; source: string; dialog: FinesseDialog }
  | { kind: 'user'; event: string; requestId: string; source: string; user: FinesseUser }
  | { kind: 'queue'; event: string; requestId: string; source: string; queue: FinesseQueue }
  | { kind: 'apiErrors'; event: string; requestId: string; source: string; errors: FinesseApiError[] }
  | { kind: 'systemInfo'; event: string; requestId: string; source: string; systemInfo: FinesseSystemInfo };

/** Where the Finesse source gets its XML from: the lab emulator or a real Finesse. */
export interface FinesseEndpoint {
  /** REST base, e.g. `https://finesse.example.com:8445` (the emulator: `http://127.0.0.1:<port>`). */
  baseUrl: string;
  /** XMPP service, e.g. `wss://finesse.example.com:7443/ws` or `xmpp://127.0.0.1:5222`. */
  xmppService: string;
  /** XMPP domain (SystemInfo xmppDomain). */
  xmppDomain: string;
}
