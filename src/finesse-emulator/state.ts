/**
 * @module finesse-emulator/state
 * The emulator's own Finesse view of each agent, rebuilt from the simulator's normalized
 * per-agent updates (the inverse of the Finesse reducer): workitems become dialogs with
 * participants, capabilities become the agent participant's `<actions>`, ctiData becomes
 * mediaProperties and callvariables, agent states become User states. Every change is rendered
 * once, as Finesse would publish it, and handed to `publish(node, xml)`.
 *
 * | sim | Finesse |
 * | --- | --- |
 * | workitem Offered (incoming) / Initiated / Active / Paused / Wrapup / ended | participant ALERTING / INITIATED / ACTIVE / HELD / WRAP_UP / DROPPED; dialog ALERTING / INITIATED / ACTIVE / ACTIVE / DROPPED / DROPPED then DELETE |
 * | agent Ready / NotReady / Active / Wrapup / Logout | READY (RESERVED while a call alerts) / NOT_READY + reasonCodeId / TALKING (HOLD on UCCE when every call is held) / WORK / LOGOUT |
 */
import { isoTime, type Clock } from '../core/clock.js';
import {
  AgentState,
  Direction,
  Flavor,
  WorkitemState,
  isEndedState,
  type Capability,
  type CtiData,
  type Participant,
} from '../core/model.js';
import type { PlatformUpdate, WorkitemAddedUpdate } from '../core/updates.js';
import type { SimContactCenter } from '../sources/sim/index.js';
import type { FinesseDialog, FinesseMediaProperties, FinesseParticipant, FinesseQueue, FinesseUser } from '../sources/finesse/types.js';
import { dialogListUpdate, dialogUpdate, renderApiErrorsData, renderQueue, renderTeamUser, renderUpdate, userUpdate, type RenderOptions } from './render.js';

/** One emulated agent: the simulator's agent plus what Finesse shows about it. */
export interface EmulatorAgent {
  id: string;
  extension: string;
  firstName: string;
  lastName: string;
  loginName: string;
  teamId: string;
  teamName: string;
}

/** Where rendered notifications go: the XMPP side delivers them to the node's subscribers. */
export type Publish = (node: string, xml: string) => void;

const CAP_ACTION: Readonly<Record<Capability, string | undefined>> = {
  Answer: 'ANSWER',
  Hold: 'HOLD',
  Resume: 'RETRIEVE',
  End: 'DROP',
  Consult: 'CONSULT_CALL',
  Transfer: 'TRANSFER',
  Conference: 'CONFERENCE',
  DirectTransfer: 'TRANSFER_SST',
  // Finesse has no CONFERENCE_SST.
  SingleStepConference: undefined,
  SendDtmf: 'SEND_DTMF',
  UpdateData: 'UPDATE_CALL_DATA',
  SetWrapupReason: 'UPDATE_CALL_DATA',
};

/** Capabilities → the participant's `<actions>`, in order, without duplicates. */
export function capabilitiesToActions(caps: readonly Capability[]): string[] {
  const out: string[] = [];
  for (const c of caps) {
    const a = CAP_ACTION[c];
    if (a !== undefined && !out.includes(a)) out.push(a);
  }
  return out;
}

const MEDIA_KEYS = new Set(['DNIS', 'callType', 'dialedNumber', 'outboundClassification', 'queueNumber', 'queueName', 'callKeyCallId', 'callKeySequenceNum', 'callKeyPrefix', 'wrapUpReason']);
const CALL_VARIABLE = /^callVariable([1-9]|10)$/;

/** ctiData → mediaProperties: callVariable1..10 always listed (as UCCE does), then ECC `user.*`. */
export function ctiToMediaProperties(cti: CtiData, flavor: Flavor): FinesseMediaProperties {
  const callVariables: Record<string, string> = {};
  for (let i = 1; i <= 10; i++) callVariables[`callVariable${i}`] = cti[`callVariable${i}`] ?? '';
  const other: Record<string, string> = {};
  for (const [k, v] of Object.entries(cti)) {
    if (k.startsWith('user.')) callVariables[k] = v;
    else if (!MEDIA_KEYS.has(k) && !CALL_VARIABLE.test(k)) other[k] = v;
  }
  const ucce = flavor === Flavor.UCCE;
  return {
    DNIS: cti.DNIS ?? '',
    callType: cti.callType ?? '',
    dialedNumber: cti.dialedNumber ?? '',
    outboundClassification: cti.outboundClassification ?? '',
    queueNumber: cti.queueNumber ?? '',
    queueName: cti.queueName ?? '',
    callKeyCallId: ucce ? (cti.callKeyCallId ?? '') : '',
    callKeySequenceNum: ucce ? (cti.callKeySequenceNum ?? (cti.callKeyCallId !== undefined ? '1' : '')) : '',
    callKeyPrefix: ucce ? (cti.callKeyPrefix ?? '') : '',
    wrapUpReason: cti.wrapUpReason ?? '',
    callVariables,
    other,
  };
}

interface PartTrack {
  startTime: string;
  state: string;
  stateChangeTime: string;
}

/** One dialog as the emulator keeps it. */
export interface DialogEntry {
  dialog: FinesseDialog;
  workitemState: WorkitemState;
  direction: Direction;
  capabilities: Capability[];
  participants: Participant[];
  cti: CtiData;
  parts: Map<string, PartTrack>;
}

const DIALOG_STATE: Partial<Record<WorkitemState, string>> = {
  Initiated: 'INITIATED',
  Offered: 'ALERTING',
  Active: 'ACTIVE',
  Paused: 'ACTIVE',
  Wrapup: 'DROPPED',
};

function ownState(ws: WorkitemState, direction: Direction): string {
  switch (ws) {
    case WorkitemState.Offered:
      return direction === Direction.Incoming ? 'ALERTING' : 'INITIATED';
    case WorkitemState.Initiated:
      return 'INITIATED';
    case WorkitemState.Active:
      return 'ACTIVE';
    case WorkitemState.Paused:
      return 'HELD';
    case WorkitemState.Wrapup:
      return 'WRAP_UP';
    default:
      return 'DROPPED';
  }
}

/** The per-agent view: user and dialogs. */
export class AgentView {
  readonly dialogs = new Map<string, DialogEntry>();
  simState: AgentState = AgentState.Logout;
  reasonCode = -1;
  reasonLabel = '';
  /** What a state change requested during a call will become (Finesse's pendingState). */
  pendingState = '';
  user: FinesseUser;

  constructor(
    readonly agent: EmulatorAgent,
    private readonly lab: EmulatorState,
  ) {
    this.user = {
      loginId: agent.id,
      loginName: agent.loginName,
      firstName: agent.firstName,
      lastName: agent.lastName,
      extension: agent.extension,
      state: 'LOGOUT',
      pendingState: '',
      reasonCodeId: '-1',
      stateChangeTime: isoTime(lab.clock),
      teamId: agent.teamId,
      teamName: agent.teamName,
      wrapUpOnIncoming: lab.wrapUpOnIncoming,
    };
  }

  get dialogsNode(): string {
    return `/finesse/api/User/${this.agent.id}/Dialogs`;
  }

  get userNode(): string {
    return `/finesse/api/User/${this.agent.id}`;
  }

  /** The User state Finesse would show now. */
  private computeState(): string {
    const own = [...this.dialogs.values()].map((d) => ownState(d.workitemState, d.direction));
    switch (this.simState) {
      case AgentState.Ready:
        if (own.includes('ALERTING')) return 'RESERVED';
        // Answered, Active not announced yet: no READY flicker in between.
        if (own.some((s) => s === 'ACTIVE' || s === 'HELD' || s === 'INITIATED')) return this.user.state;
        return 'READY';
      case AgentState.NotReady:
        return 'NOT_READY';
      case AgentState.Active: {
        const live = own.filter((s) => s === 'ACTIVE' || s === 'HELD');
        if (this.lab.flavor === Flavor.UCCE && live.length > 0 && live.every((s) => s === 'HELD')) return 'HOLD';
        return 'TALKING';
      }
      case AgentState.Wrapup:
        return 'WORK';
      default:
        return 'LOGOUT';
    }
  }

  /** Recompute the user; publish a `<user>` PUT if anything shown changed. */
  refreshUser(requestId: string, at: string): void {
    const state = this.computeState();
    const reasonCodeId = state === 'NOT_READY' || state === 'LOGOUT' ? String(this.reasonCode) : '-1';
    const u = this.user;
    const pending = state === u.state ? this.pendingState : '';
    if (state === u.state && reasonCodeId === u.reasonCodeId && pending === u.pendingState) return;
    if (state !== u.state) this.pendingState = '';
    const next: FinesseUser = { ...u, state, reasonCodeId, pendingState: this.pendingState, stateChangeTime: state !== u.state || reasonCodeId !== u.reasonCodeId ? at : u.stateChangeTime };
    delete next.reasonCode;
    if (reasonCodeId !== '-1' && this.reasonCode >= 0) {
      next.reasonCode = { id: reasonCodeId, category: state === 'LOGOUT' ? 'LOGOUT' : 'NOT_READY', code: reasonCodeId, label: this.reasonLabel };
    }
    this.user = next;
    this.lab.publish(this.userNode, userUpdate(next, requestId));
    this.lab.publish(`/finesse/api/Team/${this.agent.teamId}/Users`, renderUpdate(renderTeamUser(next, 'user'), 'PUT', '', this.userNode));
  }

  /** Apply one normalized update from the agent's sim source. */
  apply(u: PlatformUpdate): void {
    const requestId = u.requestId ?? '';
    const at = u.at !== undefined ? new Date(u.at).toISOString() : isoTime(this.lab.clock);
    switch (u.type) {
      case 'agentState':
        this.simState = u.state;
        this.reasonCode = u.reasonCode ?? -1;
        this.reasonLabel = u.reasonCodeLabel ?? '';
        this.refreshUser(requestId, at);
        return;
      case 'workitemAdded':
        this.added(u, requestId, at);
        this.refreshUser(requestId, at);
        return;
      case 'workitemState': {
        const d = this.dialogs.get(u.id);
        if (d === undefined) return;
        const wasWrapup = d.workitemState === WorkitemState.Wrapup;
        d.workitemState = u.state;
        if (u.capabilities !== undefined) d.capabilities = u.capabilities;
        if (u.participants !== undefined) d.participants = u.participants;
        if (isEndedState(u.state)) {
          d.capabilities = [];
          this.rebuild(d, at);
          // A call dropped straight from talking or ringing shows DROPPED first, then goes.
          if (!wasWrapup) this.lab.publish(this.dialogsNode, dialogUpdate(d.dialog, requestId, this.lab.renderOptions));
          this.dialogs.delete(u.id);
          this.lab.publish(this.dialogsNode, dialogListUpdate(d.dialog, 'DELETE', this.agent.id, requestId, this.lab.renderOptions));
        } else {
          this.rebuild(d, at);
          this.lab.publish(this.dialogsNode, dialogUpdate(d.dialog, requestId, this.lab.renderOptions));
          this.lab.onDialogChanged(this, d, requestId);
        }
        this.refreshUser(requestId, at);
        return;
      }
      case 'workitemData': {
        const d = this.dialogs.get(u.id);
        if (d === undefined) return;
        Object.assign(d.cti, u.ctiData);
        this.rebuild(d, at);
        this.lab.publish(this.dialogsNode, dialogUpdate(d.dialog, requestId, this.lab.renderOptions));
        return;
      }
      case 'workitemInfo': {
        const d = this.dialogs.get(u.id);
        if (d === undefined) return;
        if (u.capabilities === undefined && u.participants === undefined) return;
        if (u.capabilities !== undefined) d.capabilities = u.capabilities;
        if (u.participants !== undefined) d.participants = u.participants;
        this.rebuild(d, at);
        this.lab.publish(this.dialogsNode, dialogUpdate(d.dialog, requestId, this.lab.renderOptions));
        this.lab.onDialogChanged(this, d, requestId);
        this.refreshUser(requestId, at);
        return;
      }
      default:
        // session, queue (published on the Queue nodes by the lab's own timer), platformError.
        return;
    }
  }

  private added(u: WorkitemAddedUpdate, requestId: string, at: string): void {
    const wi = u.workitem;
    const call = this.lab.cc.call(wi.id);
    const incoming = wi.direction === Direction.Incoming;
    const from = incoming ? (call?.from ?? wi.ani) : this.agent.extension;
    const to = incoming ? (call?.to ?? wi.ctiData?.dialedNumber ?? this.agent.extension) : (call?.to ?? wi.ani);
    const entry: DialogEntry = {
      dialog: {
        id: wi.id,
        uri: `/finesse/api/Dialog/${wi.id}`,
        fromAddress: from,
        toAddress: to,
        state: '',
        mediaType: 'Voice',
        associatedDialogUri: '',
        secondaryId: '',
        mediaProperties: ctiToMediaProperties({}, this.lab.flavor),
        participants: [],
      },
      workitemState: wi.state,
      direction: wi.direction,
      capabilities: wi.capabilities ?? [],
      participants: wi.participants,
      cti: { ...(wi.ctiData ?? {}) },
      parts: new Map(),
    };
    // A consultation names the held call it came from.
    if (wi.classification === 'Consultation' && !incoming) {
      for (const other of this.dialogs.values()) if (other.workitemState === WorkitemState.Paused) entry.dialog.associatedDialogUri = other.dialog.uri;
    }
    this.dialogs.set(wi.id, entry);
    this.rebuild(entry, at);
    this.lab.publish(this.dialogsNode, dialogListUpdate(entry.dialog, 'POST', this.agent.id, requestId, this.lab.renderOptions));
    this.lab.onDialogChanged(this, entry, requestId);
  }

  /** Re-derive the Finesse dialog from the entry's normalized state. */
  private rebuild(d: DialogEntry, at: string): void {
    const ended = isEndedState(d.workitemState);
    const wrap = d.workitemState === WorkitemState.Wrapup;
    // The agent's own device first, as Finesse lists it.
    const addresses = [this.agent.extension, ...d.participants.map((p) => p.address).filter((a) => a !== this.agent.extension)];
    const unanswered = d.direction === Direction.Outgoing && (d.workitemState === WorkitemState.Initiated || d.workitemState === WorkitemState.Offered);
    if (unanswered && !addresses.includes(d.dialog.toAddress)) addresses.push(d.dialog.toAddress);
    // Everyone who was on the dialog stays listed (DROPPED) once gone, as Finesse keeps them.
    for (const a of d.parts.keys()) if (!addresses.includes(a)) addresses.push(a);
    const participants: FinesseParticipant[] = addresses.map((address) => {
      const own = address === this.agent.extension;
      let state: string;
      if (own) state = ownState(d.workitemState, d.direction);
      else if (ended || wrap || !d.participants.some((p) => p.address === address)) {
        state = unanswered && address === d.dialog.toAddress ? (d.workitemState === WorkitemState.Offered ? 'ALERTING' : 'INITIATED') : 'DROPPED';
      } else state = 'ACTIVE';
      let track = d.parts.get(address);
      if (track === undefined) {
        track = { startTime: at, state, stateChangeTime: at };
        d.parts.set(address, track);
      } else if (track.state !== state) {
        track.state = state;
        track.stateChangeTime = at;
      }
      return {
        mediaAddress: address,
        mediaAddressType: own || this.lab.isAgentExtension(address) ? 'AGENT_DEVICE' : '',
        state,
        stateCause: '',
        startTime: track.startTime,
        stateChangeTime: track.stateChangeTime,
        actions: own && !ended ? capabilitiesToActions(d.capabilities) : [],
      };
    });
    d.dialog = {
      ...d.dialog,
      state: ended ? 'DROPPED' : (DIALOG_STATE[d.workitemState] ?? 'DROPPED'),
      mediaProperties: ctiToMediaProperties(d.cti, this.lab.flavor),
      participants,
    };
  }
}

export interface EmulatorStateOptions {
  cc: SimContactCenter;
  clock: Clock;
  agents: EmulatorAgent[];
  /** Queue ids of the center (the Queue resources on UCCE). */
  queueIds: string[];
  publish: Publish;
  /** settings/wrapUpOnIncoming of every user (default from the sim's wrap-up mode). */
  wrapUpOnIncoming: string;
  /** Queue statistics notifications at most this often, when changed (UCCE; default 10000 ms). */
  queueIntervalMs?: number;
  /** Called when a dialog appears or changes (the lab applies MAKE_CALL call variables once it can). */
  onDialogChanged?: (view: AgentView, entry: DialogEntry, requestId: string) => void;
}

/** Every agent's view, the queues, and where notifications go. */
export class EmulatorState {
  readonly cc: SimContactCenter;
  readonly clock: Clock;
  readonly flavor: Flavor;
  readonly renderOptions: RenderOptions;
  readonly wrapUpOnIncoming: string;
  readonly views = new Map<string, AgentView>();
  readonly publish: Publish;
  private readonly extensions: Set<string>;
  private readonly queueIntervalMs: number;
  private readonly lastQueueXml = new Map<string, string>();
  private queueTimer: ReturnType<Clock['setTimeout']> | undefined;
  private readonly dialogChanged: EmulatorStateOptions['onDialogChanged'];
  private stopped = false;
  private readonly queueList: readonly string[];

  constructor(o: EmulatorStateOptions) {
    this.queueList = o.queueIds;
    this.cc = o.cc;
    this.clock = o.clock;
    this.flavor = o.cc.flavor;
    this.renderOptions = { flavor: this.flavor };
    this.wrapUpOnIncoming = o.wrapUpOnIncoming;
    this.publish = o.publish;
    this.extensions = new Set(o.agents.map((a) => a.extension));
    this.queueIntervalMs = o.queueIntervalMs ?? 10_000;
    this.dialogChanged = o.onDialogChanged;
    for (const a of o.agents) this.views.set(a.id, new AgentView(a, this));
  }

  isAgentExtension(address: string): boolean {
    return this.extensions.has(address);
  }

  onDialogChanged(view: AgentView, entry: DialogEntry, requestId: string): void {
    this.dialogChanged?.(view, entry, requestId);
  }

  /** Connect every agent's sim source; start the queue statistics timer (UCCE). */
  async start(): Promise<void> {
    for (const view of this.views.values()) await this.cc.source(view.agent.id).connect((u) => view.apply(u));
    if (this.flavor === Flavor.UCCE) {
      for (const q of this.queueIds()) this.lastQueueXml.set(q, renderQueue(this.queue(q)));
      this.scheduleQueues();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.queueTimer !== undefined) this.clock.clearTimeout(this.queueTimer);
    for (const view of this.views.values()) await this.cc.source(view.agent.id).disconnect();
  }

  private scheduleQueues(): void {
    if (this.stopped) return;
    this.queueTimer = this.clock.setTimeout(() => {
      this.publishQueues();
      this.scheduleQueues();
    }, this.queueIntervalMs);
  }

  /** Publish every queue whose statistics changed since last time (UCCE). */
  publishQueues(): void {
    for (const id of this.queueIds()) {
      const xml = renderQueue(this.queue(id));
      if (this.lastQueueXml.get(id) === xml) continue;
      this.lastQueueXml.set(id, xml);
      this.publish(`/finesse/api/Queue/${id}`, renderUpdate(xml, 'PUT', '', `/finesse/api/Queue/${id}`));
    }
  }

  /** Ids of the queues (skill groups) of the center. */
  queueIds(): string[] {
    return [...this.queueList];
  }

  /** The Finesse Queue resource (UCCE only). */
  queue(id: string): FinesseQueue {
    const q = this.cc.queueData(id);
    const s = q.statistics;
    return {
      id: q.id,
      name: q.name,
      uri: `/finesse/api/Queue/${q.id}`,
      statistics: {
        callsInQueue: String(s.callsInQueue),
        startTimeOfLongestCallInQueue: s.startTimeOfLongestCallInQueue,
        agentsReady: String(s.agentsReady),
        agentsNotReady: String(s.agentsNotReady),
        agentsTalkingInbound: String(s.agentsTalkingInbound),
        agentsTalkingOutbound: String(s.agentsTalkingOutbound),
        agentsTalkingInternal: String(s.agentsTalkingInternal),
        agentsWrapUpNotReady: String(s.agentsWrapUpNotReady),
        agentsWrapUpReady: String(s.agentsWrapUpReady),
      },
    };
  }

  /** A CTI failure for a request, as Finesse notifies it (`<apiErrors>` on the Dialogs node). */
  publishCtiError(agentId: string, source: string, requestId: string, errorMessage: string, errorData: string): void {
    const view = this.views.get(agentId);
    if (view === undefined) return;
    this.publish(view.dialogsNode, renderUpdate(renderApiErrorsData([{ errorType: 'Call Operation Failure', errorMessage, errorData }]), 'PUT', requestId, source));
  }
}
