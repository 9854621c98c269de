/**
 * @module core/interaction
 * The InteractionRecord: what is logged, exactly once, when an interaction ends. Its fields are
 * the union of seed 003's InteractionData (Bright Pattern, onSaveActivityRecord) and seed 004's
 * interaction-log table (Avaya CRM Connector, requestSaveInteractionLog), under the normalized
 * model's names; the comment on each field names where it comes from. `raw` keeps the source's
 * own fields as they arrived.
 *
 * Workitem-based sources (simulator, Finesse) get their records built by the session at
 * workitemEnd ({@link buildInteractionRecord}); log-only sources (Avaya, Bright Pattern) send
 * finished records as an `interactionRecord` update. Either way sinks receive one
 * `interactionEnd` domain event per record.
 */
import type { Classification, CrmRecord, CtiData, Direction, Workitem, WorkitemState } from './model.js';

export const InteractionChannel = { Voice: 'Voice', Chat: 'Chat', Email: 'Email', Messaging: 'Messaging', Task: 'Task' } as const;
export type InteractionChannel = (typeof InteractionChannel)[keyof typeof InteractionChannel];

/** seed 003 CallParty. */
export interface CallParty {
  id: string;
  name: string;
  phone: string;
  /** Set when the party is an internal user (an agent). */
  userId?: string;
}

export interface InteractionRecord {
  /** Interaction ID (004), interactionId (003); the workitem id for Finesse/sim. Idempotency key. */
  id: string;
  /** Which source produced it: 'sim', 'finesse', 'avaya', 'brightpattern'. */
  source: string;
  /** globalInteractionId (003), UCID (004): an id shared by every leg of one call. */
  globalId?: string;
  agentId: string;
  /** Channel (004), type (003) normalized: Voice, Chat, Email, Messaging, Task. */
  channel: InteractionChannel;
  /** Direction (004: Inbound/Outbound/Internal), callDirection (003), seed 001 direction. */
  direction: Direction;
  /** Internal (004 "Internal"): agent to agent. */
  internal: boolean;
  /** seed 001 classification; Interaction Type (004: Called, Transferred, Conferenced). */
  classification: Classification;
  /** Is Transfer Interaction (004). */
  isTransfer: boolean;
  /** Is Conference Interaction (004). */
  isConference: boolean;
  /** Final state: Ended, EndedAbandoned, EndedTransferred, EndedUnknown (003 state "completed"). */
  finalState: WorkitemState;
  /**
   * seed 001's ani: the from-address, or the to-address of an outgoing call with one participant
   * (so on an outbound call it is the number dialled). ANI (003) and Caller Number (004) on
   * inbound calls.
   */
  ani: string;
  /** Caller Name (004); the matching callParty's name (003). */
  callerName?: string;
  /** DNIS (003, 004). */
  dnis?: string;
  /** phoneNumber (003): the other party's number — the caller on inbound, the number dialled on outbound. */
  phoneNumber?: string;
  /** Updated Destination Address (004). */
  destinationAddress?: string;
  /** Resource Address (004): the agent's station / extension. */
  resourceAddress?: string;
  /** email (003). */
  email?: string;
  /** startTime (003), Start Date / Start Time (004): ISO 8601. */
  startTime: string;
  /** Established Time (004), seed 001 connectedAt: ISO 8601, absent if never connected. */
  establishedTime?: string;
  /** endTime (003), End Time (004): ISO 8601. */
  endTime: string;
  /** duration (003), seconds from start to end of the conversation (wrap-up excluded). */
  durationSeconds: number;
  /** ACW Duration (004): seconds of after-contact work (wrap-up). */
  acwSeconds: number;
  /** Seconds on hold. */
  holdSeconds: number;
  /** Topic ID / Skill ID (004), queueNumber: the routing queue. */
  queueId?: string;
  /** Topic Name / Skill Name (004), service (003), queueName. */
  queueName?: string;
  /** disposition (003), Disposition Code (004), wrapUpReason. */
  disposition?: string;
  /** Work Codes (004). */
  workCodes: string[];
  /** subject (003, 004). */
  subject?: string;
  /** description (003), Comments (004). */
  comments?: string;
  /** callParties (003). */
  callParties: CallParty[];
  /** callMuted, callRecording (003). */
  callMuted: boolean;
  callRecording: boolean;
  /** recordingUrl, playbackUrl (003). */
  recordingUrl?: string;
  playbackUrl?: string;
  /** origination (003). */
  origination?: string;
  /** Priority (004). */
  priority?: number;
  /** Interaction Origin (004): AXP, Elite, [AXP,Elite]. */
  interactionOrigin?: string;
  /** UUI, ASAI UUI (004). */
  uui?: string;
  asaiUui?: string;
  /**
   * Call data: seed 001 ctiData (call variables, `user.` ECC variables), attachedData (003),
   * Attributes, Engagement Parameters and Custom Fields (004) — every value a string.
   */
  data: CtiData;
  /** associatedObjects (003), Name ID / Related To ID and their options (004), seed 001 associations. */
  associations: CrmRecord[];
  /** The source's own fields, as they arrived (a Finesse dialog's last state, an Avaya body, ...). */
  raw: Record<string, unknown>;
}

/** Addresses of `participants` added to `parties` (first seen first, no repeats). */
export function addParties(parties: readonly string[] | undefined, participants: readonly { address: string }[]): string[] {
  const out = [...(parties ?? [])];
  for (const p of participants) if (!out.includes(p.address)) out.push(p.address);
  return out;
}

/** Per-workitem timing the session keeps to build the record. */
export interface WorkitemTiming {
  /** ms since epoch. */
  createdAt: number;
  connectedAt?: number;
  wrapupAt?: number;
  heldMs: number;
  heldSince?: number;
  /** Every wrap-up reason chosen while the item lived (Work Codes). */
  workCodes: string[];
  /** Every participant address seen while the item lived, first seen first (callParties). */
  parties?: string[];
  raw?: Record<string, unknown>;
}

function seconds(ms: number): number {
  return Math.max(0, Math.round(ms / 1000));
}

/** Build the record of a workitem that just ended (state is one of the Ended states). */
export function buildInteractionRecord(wi: Workitem, timing: WorkitemTiming, endedAt: number, source: string, resourceAddress?: string): InteractionRecord {
  const talkEnd = timing.wrapupAt ?? endedAt;
  const heldMs = timing.heldMs + (timing.heldSince !== undefined ? Math.max(0, talkEnd - timing.heldSince) : 0);
  const other = wi.participants.find((p) => p.address !== resourceAddress && p.address !== wi.ani)?.address;
  const record: InteractionRecord = {
    id: wi.id,
    source,
    agentId: wi.agentId,
    channel: wi.channelType === 'Voice' ? InteractionChannel.Voice : wi.channelType === 'Chat' ? InteractionChannel.Chat : wi.channelType === 'Mail' ? InteractionChannel.Email : InteractionChannel.Task,
    direction: wi.direction,
    internal: wi.classification === 'Internal' || wi.classification === 'Consultation',
    classification: wi.classification,
    isTransfer: wi.classification === 'Transfer',
    isConference: wi.classification === 'Conference',
    finalState: wi.state,
    ani: wi.ani,
    startTime: new Date(timing.createdAt).toISOString(),
    endTime: new Date(endedAt).toISOString(),
    durationSeconds: timing.connectedAt !== undefined ? seconds(talkEnd - timing.connectedAt) : 0,
    acwSeconds: timing.wrapupAt !== undefined ? seconds(endedAt - timing.wrapupAt) : 0,
    holdSeconds: seconds(heldMs),
    workCodes: [...timing.workCodes],
    callParties: (timing.parties ?? wi.participants.map((p) => p.address)).map((phone, i) => ({ id: String(i + 1), name: '', phone })),
    callMuted: false,
    callRecording: false,
    data: { ...wi.ctiData },
    associations: wi.associations.map((r) => ({ ...r })),
    raw: { ...(timing.raw ?? {}) },
  };
  if (timing.connectedAt !== undefined) record.establishedTime = new Date(timing.connectedAt).toISOString();
  const dnis = wi.ctiData.DNIS;
  if (dnis !== undefined && dnis !== '') record.dnis = dnis;
  const phone = wi.direction === 'Outgoing' ? wi.ani : other ?? wi.ani;
  if (phone !== '') record.phoneNumber = phone;
  const dest = wi.ctiData.dialedNumber ?? (wi.direction === 'Outgoing' ? wi.ani : undefined);
  if (dest !== undefined && dest !== '') record.destinationAddress = dest;
  if (resourceAddress !== undefined) record.resourceAddress = resourceAddress;
  if (wi.ctiData.queueNumber) record.queueId = wi.ctiData.queueNumber;
  if (wi.ctiData.queueName) record.queueName = wi.ctiData.queueName;
  if (wi.ctiData.wrapUpReason) record.disposition = wi.ctiData.wrapUpReason;
  if (wi.ctiData.callKeyPrefix && wi.ctiData.callKeyCallId) record.globalId = `${wi.ctiData.callKeyPrefix}${wi.ctiData.callKeyCallId}`;
  if (wi.associatedParticipant !== undefined) record.callerName = wi.associatedParticipant.name;
  return record;
}
