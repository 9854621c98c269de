/**
 * @module sources/finesse/reducer
 * Parsed Finesse notifications → core {@link PlatformUpdate}s for one agent (docs/finesse.md,
 * "Notifications and mapping"). The reducer remembers what it told the core about each dialog
 * (state, call data, capabilities, participants), so that it emits only real changes: the
 * core refuses duplicates with an error, and Finesse republishes whole dialogs on every change
 * (and again after an XMPP outage).
 *
 * Rules (the agent's own participant, `mediaAddress` = the agent's extension, decides):
 * - ALERTING → Offered; INITIATING/INITIATED → Initiated; ACTIVE → Active; HELD → Paused;
 *   WRAP_UP → Wrapup; ACCEPTED → no step (answer in progress); DROPPED/FAILED, dialog DELETE,
 *   or the agent's participant gone → ended:
 *   EndedAbandoned when an inbound call ends while still Offered (never connected);
 *   EndedTransferred when the dialog names a surviving call (`secondaryId`, now or earlier),
 *   except a consult leg merging into a call the agent still holds (conference): Ended;
 *   Ended otherwise.
 * - Classification by callType: ACD_IN, PREROUTE_*, OTHER_IN, OUT, AGENT_OUT, OUTBOUND* →
 *   Customer; CONSULT* → Consultation; CONFERENCE → Conference; TRANSFER → Transfer;
 *   AGENT_INSIDE → Internal; anything else → Unknown.
 * - Direction: Outgoing when the agent's participant starts INITIATING/INITIATED, or the
 *   callType is an outbound one; Incoming otherwise.
 * - User states: LOGOUT → Logout, NOT_READY → NotReady (reason code id and label), READY →
 *   Ready, RESERVED*, TALKING, HOLD → Active, WORK/WORK_READY → Wrapup, UNKNOWN → Unknown. The
 *   core itself keeps a UCCX channel NotReady during a call taken in NotReady (seed 001).
 * Problems (unknown dialog, impossible step, CTI error, queue data on UCCX) become
 * `platformError` updates; nothing here throws on a parsed notification.
 */
import type { Clock } from '../../core/clock.js';
import { ErrorCode, type ErrorCode as ErrorCodeT } from '../../core/errors.js';
import {
  AgentState,
  ChannelType,
  Classification,
  Direction,
  EscalationLevel,
  Flavor,
  WorkitemState,
  CCX_VOICE_CHANNEL,
  computeAni,
  voiceChannelId,
  type Capability,
  type CtiData,
  type Participant,
  type QueueData,
  type ReasonCode,
  type ReasonType,
} from '../../core/model.js';
import { WORKITEM_TRANSITIONS } from '../../core/transition.js';
import type { PlatformUpdate, SessionUpdate } from '../../core/updates.js';
import { actionsToCapabilities } from './capabilities.js';
import type { FinesseWrapUpReason } from './parse.js';
import type { FinesseDialog, FinesseNotification, FinesseParticipant, FinesseQueue, FinesseReasonCode, FinesseUser } from './types.js';

export const FINESSE_SOURCE_KIND = 'finesse';

export interface FinesseReducerOptions {
  /** The agent's Finesse id (loginId). */
  agentId: string;
  /** The agent's extension: the participant with this mediaAddress is the agent. '' → taken from the first User notification. */
  extension: string;
  flavor: Flavor;
  clock: Clock;
  /** UCCE peripheral id in the channel id `voice_<peripheralId>`; default 5000. UCCX uses `voice_-1`. */
  peripheralId?: string | number;
}

/** The reason codes a session update carries, as Finesse lists them. */
export interface FinesseReasonCodeLists {
  notReady?: readonly FinesseReasonCode[];
  logout?: readonly FinesseReasonCode[];
  wrapUp?: readonly FinesseWrapUpReason[];
}

interface Tracked {
  state: WorkitemState;
  direction: Direction;
  classification: Classification;
  ctiData: CtiData;
  capabilities: Capability[];
  participants: Participant[];
  /** Platform time of the last update sent for it (kept monotonic: the core refuses older). */
  lastAt: number;
  /** The last non-empty secondaryId seen (a transfer may name it before the wrap-up). */
  secondaryId: string;
}

/** How many ended dialog ids are remembered (late PUT/DELETE for them are ignored). */
const ENDED_MEMORY = 512;

const LIVE_PARTICIPANT: Readonly<Record<string, WorkitemState | null>> = {
  ALERTING: WorkitemState.Offered,
  INITIATING: WorkitemState.Initiated,
  INITIATED: WorkitemState.Initiated,
  ACTIVE: WorkitemState.Active,
  HELD: WorkitemState.Paused,
  WRAP_UP: WorkitemState.Wrapup,
  ACCEPTED: null,
};

const ENDING_PARTICIPANT = new Set(['DROPPED', 'FAILED']);

const USER_STATES: Readonly<Record<string, AgentState>> = {
  LOGOUT: AgentState.Logout,
  NOT_READY: AgentState.NotReady,
  READY: AgentState.Ready,
  RESERVED: AgentState.Active,
  RESERVED_OUTBOUND: AgentState.Active,
  RESERVED_OUTBOUND_PREVIEW: AgentState.Active,
  TALKING: AgentState.Active,
  HOLD: AgentState.Active,
  WORK: AgentState.Wrapup,
  WORK_READY: AgentState.Wrapup,
  UNKNOWN: AgentState.Unknown,
};

const OUTBOUND_TYPES = new Set(['OUT', 'AGENT_OUT']);

/** callType → classification (FINESSE.md callType list; seed 001 classes). */
export function classify(callType: string): Classification {
  const t = callType.toUpperCase();
  if (t === 'ACD_IN' || t === 'OTHER_IN' || t.startsWith('PREROUTE_') || OUTBOUND_TYPES.has(t) || t.startsWith('OUTBOUND')) return Classification.Customer;
  if (t.startsWith('CONSULT')) return Classification.Consultation;
  if (t === 'CONFERENCE') return Classification.Conference;
  if (t === 'TRANSFER') return Classification.Transfer;
  if (t === 'AGENT_INSIDE') return Classification.Internal;
  return Classification.Unknown;
}

function isOutboundType(callType: string): boolean {
  const t = callType.toUpperCase();
  return OUTBOUND_TYPES.has(t) || t.startsWith('OUTBOUND');
}

function sameList<T>(a: readonly T[], b: readonly T[], eq: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!eq(a[i] as T, b[i] as T)) return false;
  return true;
}

const sameParticipant = (x: Participant, y: Participant) => x.address === y.address && x.state === y.state;

function parseTime(text: string): number | undefined {
  if (text === '') return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

function int(text: string): number {
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? Math.trunc(n) : 0;
}

/** A Finesse Queue as the core's QueueData (numbers from text; escalation stays Normal). */
export function toQueueData(q: FinesseQueue): QueueData {
  const s = q.statistics;
  return {
    id: q.id,
    name: q.name,
    channel: 'Voice',
    escalationLevel: EscalationLevel.Normal,
    statistics: {
      agentsNotReady: int(s.agentsNotReady),
      agentsReady: int(s.agentsReady),
      agentsTalkingInbound: int(s.agentsTalkingInbound),
      agentsTalkingInternal: int(s.agentsTalkingInternal),
      agentsTalkingOutbound: int(s.agentsTalkingOutbound),
      agentsWrapUpNotReady: int(s.agentsWrapUpNotReady),
      agentsWrapUpReady: int(s.agentsWrapUpReady),
      callsInQueue: int(s.callsInQueue),
      startTimeOfLongestCallInQueue: s.startTimeOfLongestCallInQueue,
    },
  };
}

/**
 * @example
 * const reducer = new FinesseReducer({ agentId: '2001', extension: '2001001', flavor: 'UCCE', clock });
 * session.apply(reducer.sessionUpdate(user));
 * for (const u of reducer.onNotification(node, parseNotification(xml))) session.apply(u);
 */
export class FinesseReducer {
  readonly agentId: string;
  readonly flavor: Flavor;
  readonly channelId: string;
  private extension: string;
  private readonly clock: Clock;
  private readonly items = new Map<string, Tracked>();
  private readonly ended: string[] = [];
  private readonly endedSet = new Set<string>();
  private agent: { state: AgentState; reasonCode: number; at: number } | undefined;
  private readonly labels = new Map<string, string>();
  private readonly queues = new Map<string, string>();

  constructor(options: FinesseReducerOptions) {
    this.agentId = options.agentId;
    this.extension = options.extension;
    this.flavor = options.flavor;
    this.clock = options.clock;
    this.channelId = options.flavor === Flavor.UCCX ? CCX_VOICE_CHANNEL : voiceChannelId(options.peripheralId ?? 5000);
  }

  /** Ids of the dialogs the reducer holds as live workitems. */
  get liveIds(): string[] {
    return [...this.items.keys()];
  }

  /** The session update for this agent (login or reconnect); remembers reason-code labels. */
  sessionUpdate(user: FinesseUser, reasonCodes: FinesseReasonCodeLists = {}): SessionUpdate {
    if (user.extension !== '') this.extension = user.extension;
    const lists: Partial<Record<ReasonType, ReasonCode[]>> = {};
    const codes = (list: readonly { id: string; label: string }[]) => list.map((r) => ({ id: r.id, label: r.label }));
    if (reasonCodes.notReady !== undefined) lists.NotReady = codes(reasonCodes.notReady);
    if (reasonCodes.logout !== undefined) lists.Logout = codes(reasonCodes.logout);
    if (reasonCodes.wrapUp !== undefined) lists.Wrapup = codes(reasonCodes.wrapUp);
    for (const r of [...(reasonCodes.notReady ?? []), ...(reasonCodes.logout ?? [])]) this.labels.set(r.id, r.label);
    const update: SessionUpdate = {
      type: 'session',
      source: FINESSE_SOURCE_KIND,
      agent: { agentId: user.loginId || this.agentId, extension: this.extension, firstName: user.firstName, lastName: user.lastName, loginName: user.loginName, teamId: user.teamId },
      channels: [{ id: this.channelId, type: ChannelType.Voice }],
      flavor: this.flavor,
    };
    if (Object.keys(lists).length > 0) update.reasonCodes = lists;
    return update;
  }

  /** One parsed notification from `node` → the updates it means (possibly none). */
  onNotification(node: string, n: FinesseNotification): PlatformUpdate[] {
    const requestId = n.requestId;
    switch (n.kind) {
      case 'user':
        return this.onUser(node, n.user, requestId);
      case 'dialogs':
      case 'dialog': {
        const dialogs = n.kind === 'dialogs' ? n.dialogs : [n.dialog];
        const out: PlatformUpdate[] = [];
        for (const d of dialogs) {
          if (n.event === 'DELETE') this.onDelete(d, requestId, out);
          else if (n.event === 'POST' || n.event === 'PUT' || n.event === '') this.onDialog(d, requestId, out, n.event === 'PUT' && n.kind === 'dialog');
          else out.push(this.problem(ErrorCode.INVALID_UPDATE, `Finesse dialog notification for "${d.id}" on ${node}: unknown event "${n.event}" (expected POST, PUT or DELETE)`, requestId, d.id));
        }
        return out;
      }
      case 'apiErrors': {
        const dialogId = /\/Dialog\/([^/]+)$/i.exec(n.source)?.[1];
        const what = n.errors.map((e) => `${e.errorType || 'error'}: ${e.errorMessage || 'no message'}${e.errorData !== '' ? ` (errorData ${e.errorData})` : ''}`).join('; ');
        return [this.problem(ErrorCode.PLATFORM_ERROR, `Finesse CTI error${dialogId !== undefined ? ` on dialog "${dialogId}"` : ` on ${n.source || node}`}: ${what || 'no details'}`, requestId, dialogId)];
      }
      case 'queue':
        return this.onQueue(n.queue, n.event, requestId);
      case 'systemInfo':
        return [];
    }
  }

  /**
   * Bring the core in line with a fresh GET of User and Dialogs (login, or after an XMPP outage
   * where events were lost): a dialog still present gives only its changes, one that vanished
   * ends as EndedUnknown, one that appeared gives workitemAdded (call recovery).
   */
  reconcile(user: FinesseUser, dialogs: readonly FinesseDialog[], at: number): PlatformUpdate[] {
    const out: PlatformUpdate[] = [];
    if (user.extension !== '') this.extension = user.extension;
    const present = new Set(dialogs.map((d) => d.id));
    for (const [id, t] of [...this.items]) {
      if (!present.has(id)) out.push(this.end(id, WorkitemState.EndedUnknown, '', undefined, Math.max(at, t.lastAt)));
    }
    const agent = this.agentUpdate(user, '');
    if (agent !== undefined) out.push(agent);
    for (const d of dialogs) {
      // A dialog seen ending before the outage may still be listed (wrap-up over): not re-created.
      const p = this.agentParticipant(d);
      if (!this.items.has(d.id) && (p === undefined || !(p.state in LIVE_PARTICIPANT))) continue;
      this.onDialog(d, '', out, false);
    }
    return out;
  }

  /** Queues from GET User/{id}/Queues (UCCE) as a snapshot update; undefined on UCCX. */
  queueSnapshot(queues: readonly FinesseQueue[]): PlatformUpdate | undefined {
    if (this.flavor === Flavor.UCCX) return undefined;
    this.queues.clear();
    const data = queues.map(toQueueData);
    for (const q of data) this.queues.set(q.id, JSON.stringify(q));
    return { type: 'queue', op: 'snapshot', queues: data };
  }

  // ---- user -----------------------------------------------------------------------------------

  private onUser(node: string, user: FinesseUser, requestId: string): PlatformUpdate[] {
    // Team member summaries arrive on /Team/{id}/Users: not this agent's state.
    if (/\/Team\//i.test(node)) return [];
    if (user.loginId !== this.agentId) {
      return [this.problem(ErrorCode.INVALID_UPDATE, `Finesse user notification on ${node} is for "${user.loginId}", not agent "${this.agentId}"`, requestId)];
    }
    if (user.extension !== '') this.extension = user.extension;
    const u = this.agentUpdate(user, requestId);
    return u === undefined ? [] : [u];
  }

  private agentUpdate(user: FinesseUser, requestId: string): PlatformUpdate | undefined {
    const state = USER_STATES[user.state];
    if (state === undefined) return this.problem(ErrorCode.INVALID_UPDATE, `Finesse user "${user.loginId}": unknown state "${user.state}"`, requestId);
    const withReason = state === AgentState.NotReady || state === AgentState.Logout;
    const code = withReason && user.reasonCodeId !== '' ? Number(user.reasonCodeId) : -1;
    const reasonCode = Number.isInteger(code) && code >= 0 ? code : -1;
    if (this.agent !== undefined && this.agent.state === state && this.agent.reasonCode === reasonCode) return undefined;
    if (this.agent === undefined && state === AgentState.Logout && reasonCode < 0) {
      // A new session starts its channel in Logout: saying so again would be a duplicate (the
      // core refuses it). Happens when the User is read right after sign-in, before Finesse
      // has applied it; the state that follows comes as a notification.
      this.agent = { state, reasonCode, at: parseTime(user.stateChangeTime) ?? this.clock.now() };
      return undefined;
    }
    // Finesse's stateChangeTime when it has one, never older than the last one sent (the core
    // refuses an older agent state as OUT_OF_ORDER; Finesse's latest User is the truth).
    const at = Math.max(parseTime(user.stateChangeTime) ?? this.clock.now(), this.agent?.at ?? Number.NEGATIVE_INFINITY);
    this.agent = { state, reasonCode, at };
    const u: PlatformUpdate = { type: 'agentState', channelId: this.channelId, state, reasonCode, at };
    if (reasonCode >= 0) u.reasonCodeLabel = user.reasonCode?.label || this.labels.get(user.reasonCodeId) || '';
    if (requestId !== '') u.requestId = requestId;
    return u;
  }

  // ---- dialogs --------------------------------------------------------------------------------

  private agentParticipant(d: FinesseDialog): FinesseParticipant | undefined {
    if (this.extension !== '') return d.participants.find((p) => p.mediaAddress === this.extension);
    const agents = d.participants.filter((p) => p.mediaAddressType === 'AGENT_DEVICE');
    return agents.length === 1 ? agents[0] : undefined;
  }

  private ctiData(d: FinesseDialog): CtiData {
    const mp = d.mediaProperties;
    const data: CtiData = {};
    for (const [k, v] of Object.entries(mp.callVariables)) Object.defineProperty(data, k, { value: v, enumerable: true, writable: true, configurable: true });
    data.callType = mp.callType;
    data.DNIS = mp.DNIS;
    data.dialedNumber = mp.dialedNumber;
    data.queueName = mp.queueName;
    data.queueNumber = mp.queueNumber;
    data.outboundClassification = mp.outboundClassification;
    data.wrapUpReason = mp.wrapUpReason;
    for (const [k, v] of Object.entries(mp.other)) if (k.toLowerCase() === 'mediaid') data.mediaId = v;
    if (this.flavor === Flavor.UCCE) {
      data.callKeyCallId = mp.callKeyCallId;
      data.callKeyPrefix = mp.callKeyPrefix;
    }
    return data;
  }

  private at(t: Tracked | undefined, candidate?: number): number {
    const at = candidate ?? this.clock.now();
    return t === undefined ? at : Math.max(at, t.lastAt);
  }

  private onDialog(d: FinesseDialog, requestId: string, out: PlatformUpdate[], isPut: boolean): void {
    const t = this.items.get(d.id);
    const p = this.agentParticipant(d);
    if (t !== undefined && d.secondaryId !== '') t.secondaryId = d.secondaryId;
    if (t === undefined) {
      if (this.endedSet.has(d.id)) return; // late news of a dialog already ended: nothing to tell
      if (isPut) {
        out.push(this.problem(ErrorCode.WORKITEM_NOT_FOUND, `Finesse dialog update (PUT) for unknown dialog "${d.id}": its POST was never seen (a reconcile from GET Dialogs recovers it)`, requestId, d.id));
        return;
      }
      this.added(d, p, requestId, out);
      return;
    }
    if (p === undefined || ENDING_PARTICIPANT.has(p.state)) {
      out.push(...this.dataChange(d, t, requestId));
      out.push(this.end(d.id, this.endState(d, t), requestId, d, this.at(t)));
      return;
    }
    const next = LIVE_PARTICIPANT[p.state];
    if (next === undefined) {
      out.push(this.problem(ErrorCode.INVALID_UPDATE, `Finesse dialog "${d.id}": the agent's participant has unknown state "${p.state}"`, requestId, d.id));
      return;
    }
    out.push(...this.dataChange(d, t, requestId));
    const capabilities = actionsToCapabilities(p.actions);
    const participants = d.participants.map((x) => ({ address: x.mediaAddress, state: x.state }));
    const capsChanged = !sameList(capabilities, t.capabilities, (a, b) => a === b);
    const partsChanged = !sameList(participants, t.participants, sameParticipant);
    const classification = classify(d.mediaProperties.callType);
    const classChanged = classification !== t.classification && d.mediaProperties.callType !== '';
    if (next !== null && next !== t.state) {
      if (WORKITEM_TRANSITIONS[t.state][next] === undefined) {
        out.push(this.problem(ErrorCode.INVALID_TRANSITION, `Finesse dialog "${d.id}" cannot go from ${t.state} to ${next} (agent participant ${p.state}); notification out of order?`, requestId, d.id));
        return;
      }
      const candidate = next === WorkitemState.Active && t.state !== WorkitemState.Paused ? parseTime(p.stateChangeTime) : undefined;
      const at = this.at(t, candidate);
      const u: PlatformUpdate = { type: 'workitemState', id: d.id, state: next, capabilities, participants, raw: d as unknown as Record<string, unknown>, at };
      if (requestId !== '') u.requestId = requestId;
      out.push(u);
      t.state = next;
      t.capabilities = capabilities;
      t.participants = participants;
      t.lastAt = at;
      if (classChanged) out.push(this.info(d.id, t, { classification }, requestId));
      return;
    }
    if (capsChanged || partsChanged || classChanged) {
      const change: { capabilities?: Capability[]; participants?: Participant[]; classification?: Classification } = {};
      if (capsChanged) change.capabilities = capabilities;
      if (partsChanged) change.participants = participants;
      if (classChanged) change.classification = classification;
      out.push(this.info(d.id, t, change, requestId));
    }
  }

  private info(id: string, t: Tracked, change: { capabilities?: Capability[]; participants?: Participant[]; classification?: Classification }, requestId: string): PlatformUpdate {
    const at = this.at(t);
    t.lastAt = at;
    if (change.capabilities !== undefined) t.capabilities = change.capabilities;
    if (change.participants !== undefined) t.participants = change.participants;
    if (change.classification !== undefined) t.classification = change.classification;
    const u: PlatformUpdate = { type: 'workitemInfo', id, ...change, at };
    if (requestId !== '') u.requestId = requestId;
    return u;
  }

  private added(d: FinesseDialog, p: FinesseParticipant | undefined, requestId: string, out: PlatformUpdate[]): void {
    if (p === undefined) {
      out.push(this.problem(ErrorCode.INVALID_UPDATE, `Finesse dialog "${d.id}" has no participant with the agent's extension "${this.extension}"`, requestId, d.id));
      return;
    }
    if (ENDING_PARTICIPANT.has(p.state)) return; // appeared already over: nothing to show
    const mapped = LIVE_PARTICIPANT[p.state];
    if (mapped === undefined) {
      out.push(this.problem(ErrorCode.INVALID_UPDATE, `Finesse dialog "${d.id}": the agent's participant has unknown state "${p.state}"`, requestId, d.id));
      return;
    }
    const state = mapped ?? WorkitemState.Offered;
    const callType = d.mediaProperties.callType;
    const outgoing = p.state === 'INITIATING' || p.state === 'INITIATED' || isOutboundType(callType) || (d.fromAddress !== '' && d.fromAddress === this.extension);
    const direction = outgoing ? Direction.Outgoing : Direction.Incoming;
    const participants = d.participants.map((x) => ({ address: x.mediaAddress, state: x.state }));
    const capabilities = actionsToCapabilities(p.actions);
    const ctiData = this.ctiData(d);
    const classification = classify(callType);
    const connected = state === WorkitemState.Active || state === WorkitemState.Paused || state === WorkitemState.Wrapup;
    const at = this.clock.now();
    const workitem: Extract<PlatformUpdate, { type: 'workitemAdded' }>['workitem'] = {
      id: d.id,
      channelId: this.channelId,
      channelType: ChannelType.Voice,
      classification,
      direction,
      state,
      participants,
      ani: computeAni(direction, participants, d.fromAddress, d.toAddress),
      ctiData,
      capabilities,
    };
    if (connected) {
      const since = parseTime(state === WorkitemState.Active ? p.stateChangeTime : p.startTime) ?? parseTime(p.startTime);
      if (since !== undefined) workitem.connectedAt = new Date(since).toISOString();
    }
    const u: PlatformUpdate = { type: 'workitemAdded', workitem, raw: d as unknown as Record<string, unknown>, at };
    if (requestId !== '') u.requestId = requestId;
    out.push(u);
    this.items.set(d.id, { state, direction, classification, ctiData, capabilities, participants, lastAt: at, secondaryId: d.secondaryId });
  }

  private dataChange(d: FinesseDialog, t: Tracked, requestId: string): PlatformUpdate[] {
    const now = this.ctiData(d);
    const changed: CtiData = {};
    let any = false;
    for (const [k, v] of Object.entries(now)) {
      if (!Object.hasOwn(t.ctiData, k) || t.ctiData[k] !== v) {
        Object.defineProperty(changed, k, { value: v, enumerable: true, writable: true, configurable: true });
        any = true;
      }
    }
    if (!any) return [];
    Object.assign(t.ctiData, changed);
    const at = this.at(t);
    t.lastAt = at;
    const u: PlatformUpdate = { type: 'workitemData', id: d.id, ctiData: changed, at };
    if (requestId !== '') u.requestId = requestId;
    return [u];
  }

  /**
   * How a dialog ends for this agent. A named surviving call (`secondaryId`) means the call went
   * on: transferred, unless this is a consult leg merging into a call the agent still holds
   * (a conference), which ends plainly.
   */
  private endState(d: FinesseDialog, t: Tracked): WorkitemState {
    if (t.state === WorkitemState.Offered && t.direction === Direction.Incoming) return WorkitemState.EndedAbandoned;
    const survivor = d.secondaryId !== '' ? d.secondaryId : t.secondaryId;
    if (survivor === '' || survivor === d.id) return WorkitemState.Ended;
    if (t.classification === Classification.Consultation && this.items.has(survivor)) return WorkitemState.Ended;
    return WorkitemState.EndedTransferred;
  }

  private end(id: string, state: WorkitemState, requestId: string, d: FinesseDialog | undefined, at: number): PlatformUpdate {
    this.items.delete(id);
    this.remember(id);
    const u: PlatformUpdate = { type: 'workitemState', id, state, at };
    if (d !== undefined) {
      u.raw = d as unknown as Record<string, unknown>;
      u.participants = d.participants.map((x) => ({ address: x.mediaAddress, state: x.state }));
    }
    if (requestId !== '') u.requestId = requestId;
    return u;
  }

  private remember(id: string): void {
    if (this.endedSet.has(id)) return;
    this.ended.push(id);
    this.endedSet.add(id);
    if (this.ended.length > ENDED_MEMORY) {
      const old = this.ended.shift();
      if (old !== undefined) this.endedSet.delete(old);
    }
  }

  private onDelete(d: FinesseDialog, requestId: string, out: PlatformUpdate[]): void {
    const t = this.items.get(d.id);
    if (t === undefined) {
      if (!this.endedSet.has(d.id)) out.push(this.problem(ErrorCode.WORKITEM_NOT_FOUND, `Finesse dialog DELETE for unknown dialog "${d.id}"`, requestId, d.id));
      return;
    }
    out.push(this.end(d.id, this.endState(d, t), requestId, d, this.at(t)));
  }

  // ---- queues ---------------------------------------------------------------------------------

  private onQueue(q: FinesseQueue, event: string, requestId: string): PlatformUpdate[] {
    if (this.flavor === Flavor.UCCX) {
      return [this.problem(ErrorCode.NOT_SUPPORTED, `Finesse queue notification for "${q.id}" on UCCX: queue statistics exist on UCCE only (seed 001: no queueDataUpdate in CCX)`, requestId)];
    }
    const withId = (u: PlatformUpdate): PlatformUpdate[] => {
      if (requestId !== '') u.requestId = requestId;
      return [u];
    };
    if (event === 'DELETE') {
      if (!this.queues.has(q.id)) return [];
      this.queues.delete(q.id);
      return withId({ type: 'queue', op: 'deleted', queues: [], ids: [q.id] });
    }
    const data = toQueueData(q);
    const key = JSON.stringify(data);
    const old = this.queues.get(q.id);
    if (old === key) return [];
    this.queues.set(q.id, key);
    return withId({ type: 'queue', op: old === undefined ? 'added' : 'updated', queues: [data] });
  }

  private problem(code: ErrorCodeT, message: string, requestId: string, workitemId?: string): PlatformUpdate {
    const u: PlatformUpdate = { type: 'platformError', code, message };
    if (requestId !== '') u.requestId = requestId;
    if (workitemId !== undefined) u.workitemId = workitemId;
    return u;
  }
}
