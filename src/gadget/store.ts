/**
 * @module gadget/store
 * The gadget's state and actions, apart from the view: it follows one agent's session (the
 * core's own state, so call recovery needs nothing special), turns every failure — the API's
 * `error` events and rejected requests — into one plain-text message, and exposes the
 * actions the components call. No timers here: the view ticks its own clock for timers.
 */
import type { Clock } from '../core/clock.js';
import type { DomainEvent } from '../core/events.js';
import type { Source } from '../core/source.js';
import { AgentState, Direction, ReasonType, type ChannelState, type QueueData, type ReasonCode, type RequestableAgentState, type Workitem } from '../core/model.js';
import type { IntegrationApi, WrapupReasonEntry } from '../sinks/cil/api.js';
import { AddressAction, Control } from './controls.js';

/** What the store needs of an agent (`createAgent`'s result fits). */
export interface AgentLike {
  readonly api: Pick<
    IntegrationApi,
    | 'on'
    | 'setAgentState'
    | 'answer'
    | 'hold'
    | 'resume'
    | 'end'
    | 'transfer'
    | 'conference'
    | 'dialOrConsult'
    | 'directTransfer'
    | 'singleStepConference'
    | 'sendDtmf'
    | 'updateWorkitemData'
    | 'setWrapupReason'
    | 'wrapupReasons'
  >;
  readonly session: {
    readonly clock: Clock;
    readonly state: {
      readonly channels: Readonly<Record<string, ChannelState>>;
      readonly workitems: Readonly<Record<string, Workitem>>;
      readonly queues: Readonly<Record<string, QueueData>>;
      readonly reasonCodes: Readonly<Partial<Record<ReasonType, ReasonCode[]>>>;
    };
    subscribe(listener: (e: DomainEvent) => void): () => void;
  };
}

export const Connection = { connecting: 'connecting', connected: 'connected', failed: 'failed' } as const;
export type Connection = (typeof Connection)[keyof typeof Connection];

/**
 * This tab's part in the agent's tabs (gadget/leader): `leader` writes to the CRM (C4C),
 * `mirror` follows the leader's session and can act, `alone` leads without Web Locks (the
 * browser cannot tell it about other tabs), `pending` before the election answered.
 */
export const TabRole = { pending: 'pending', leader: 'leader', mirror: 'mirror', alone: 'alone' } as const;
export type TabRole = (typeof TabRole)[keyof typeof TabRole];

export interface ViewWorkitem extends Workitem {
  /** Clock time the gadget first saw the item (the call timer starts at connectedAt, else here). */
  seenAt: number;
}

export interface GadgetMessage {
  id: number;
  text: string;
}

export interface GadgetSnapshot {
  connection: Connection;
  tab: TabRole;
  /** The voice channel's state (the first channel), undefined before the session says it. */
  channel: ChannelState | undefined;
  workitems: ViewWorkitem[];
  queues: QueueData[];
  notReadyReasons: ReasonCode[];
  logoutReasons: ReasonCode[];
  errors: GadgetMessage[];
  /** Polite announcement for the live region (new calls, state changes). */
  announcement: string;
}

const MAX_ERRORS = 5;
const CHANNEL = 'voice';

export class GadgetStore {
  private snapshot: GadgetSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly seen = new Map<string, number>();
  private readonly reported = new Set<string>();
  private nextId = 1;

  constructor(
    private readonly agent: AgentLike,
    private readonly crm: { pickCaller?: (workitemId: string, recordId: string) => Promise<void> } = {},
  ) {
    this.snapshot = { connection: Connection.connecting, tab: TabRole.pending, channel: undefined, workitems: [], queues: [], notReadyReasons: [], logoutReasons: [], errors: [], announcement: '' };
    agent.session.subscribe((e) => this.onEvent(e));
    agent.api.on('error', (e) => this.error(e.message, e.requestId));
    this.refresh();
  }

  get state(): GadgetSnapshot {
    return this.snapshot;
  }

  /** Subscribe to changes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  setConnection(connection: Connection, problem?: string): void {
    this.update({ connection });
    this.refresh();
    if (problem !== undefined) this.error(problem);
  }

  setTab(tab: TabRole): void {
    this.update({ tab });
  }

  /** Show a failure as plain text (deduplicated by requestId: the API reports and rejects). */
  error(text: string, requestId?: string): void {
    if (requestId !== undefined && requestId !== '') {
      if (this.reported.has(requestId)) return;
      this.reported.add(requestId);
    }
    const errors = [...this.snapshot.errors, { id: this.nextId++, text: String(text) }].slice(-MAX_ERRORS);
    this.update({ errors });
  }

  dismiss(id: number): void {
    this.update({ errors: this.snapshot.errors.filter((e) => e.id !== id) });
  }

  // ---- actions -------------------------------------------------------------------------------

  setAgentState(state: RequestableAgentState, reasonCode?: string): Promise<void> {
    return this.run(() => this.agent.api.setAgentState(CHANNEL, state, reasonCode));
  }

  control(control: Control, workitemId: string): Promise<void> {
    const api = this.agent.api;
    switch (control) {
      case Control.answer:
        return this.run(() => api.answer(workitemId));
      case Control.hold:
        return this.run(() => api.hold(workitemId));
      case Control.resume:
        return this.run(() => api.resume(workitemId));
      case Control.end:
        return this.run(() => api.end(workitemId));
      case Control.transfer:
        return this.run(() => api.transfer(workitemId));
      case Control.conference:
        return this.run(() => api.conference(workitemId));
    }
  }

  toAddress(action: AddressAction, workitemId: string, address: string): Promise<void> {
    const api = this.agent.api;
    const a = address.trim();
    switch (action) {
      case AddressAction.consult:
        return this.run(() => api.dialOrConsult(CHANNEL, a));
      case AddressAction.directTransfer:
        return this.run(() => api.directTransfer(CHANNEL, a, workitemId));
      case AddressAction.singleStepConference:
        return this.run(() => api.singleStepConference(CHANNEL, a, workitemId));
    }
  }

  dial(address: string): Promise<void> {
    return this.run(() => this.agent.api.dialOrConsult(CHANNEL, address.trim()));
  }

  sendDtmf(digits: string): Promise<void> {
    return this.run(() => this.agent.api.sendDtmf(digits));
  }

  updateData(workitemId: string, data: Record<string, string>): Promise<void> {
    return this.run(() => this.agent.api.updateWorkitemData(this.channelOf(workitemId), workitemId, data));
  }

  setWrapupReason(workitemId: string, label: string): Promise<void> {
    return this.run(() => this.agent.api.setWrapupReason(this.channelOf(workitemId), workitemId, label.trim()));
  }

  /** Whether the server can take the agent's pick of a caller record. */
  get canPickCaller(): boolean {
    return this.crm.pickCaller !== undefined;
  }

  /** The agent says which of the workitem's looked-up CRM records is the caller. */
  pickCaller(workitemId: string, recordId: string): Promise<void> {
    const pick = this.crm.pickCaller;
    if (pick === undefined) return Promise.resolve(this.error('Picking a caller record is not available here.'));
    return this.run(() => pick(workitemId, recordId));
  }

  wrapupReasons(workitemId: string): WrapupReasonEntry[] {
    return this.agent.api.wrapupReasons(workitemId);
  }

  // ---- internals -----------------------------------------------------------------------------

  private channelOf(workitemId: string): string {
    return this.agent.session.state.workitems[workitemId]?.channelId ?? CHANNEL;
  }

  /** A request: its failure is already an `error` event; the rejection is shown once too. */
  private async run(request: () => Promise<void>): Promise<void> {
    try {
      await request();
    } catch (err) {
      const e = err as { message?: unknown; requestId?: unknown };
      this.error(typeof e.message === 'string' ? e.message : String(err), typeof e.requestId === 'string' ? e.requestId : undefined);
    }
  }

  private onEvent(e: DomainEvent): void {
    let announcement: string | undefined;
    if (e.type === 'workitemCreate') {
      const wi = e.data;
      announcement = wi.direction === Direction.Incoming ? `Incoming call from ${wi.ani || 'unknown'}` : `Outgoing call to ${wi.ani || 'unknown'}`;
    } else if (e.type === 'agentStateChange') {
      announcement = `Agent state ${e.data.newState}${e.data.newReasonCodeLabel ? ` (${e.data.newReasonCodeLabel})` : ''}`;
    }
    this.refresh(announcement);
  }

  /**
   * Re-read the session. Domain events refresh by themselves; call this after every platform
   * update too (boot does, through {@link observeUpdates}): an update can change what is shown
   * without firing an event (the first agent state at sign-in, capabilities).
   */
  refresh(announcement?: string): void {
    const s = this.agent.session.state;
    const now = this.agent.session.clock.now();
    const live = Object.values(s.workitems);
    for (const id of [...this.seen.keys()]) if (s.workitems[id] === undefined) this.seen.delete(id);
    const workitems = live.map((wi) => {
      let seenAt = this.seen.get(wi.id);
      if (seenAt === undefined) {
        seenAt = now;
        this.seen.set(wi.id, now);
      }
      return { ...wi, seenAt };
    });
    this.update({
      channel: Object.values(s.channels)[0],
      workitems,
      queues: Object.values(s.queues),
      notReadyReasons: s.reasonCodes[ReasonType.NotReady] ?? [],
      logoutReasons: s.reasonCodes[ReasonType.Logout] ?? [],
      ...(announcement !== undefined ? { announcement } : {}),
    });
  }

  private update(patch: Partial<GadgetSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of [...this.listeners]) l();
  }
}

/** A Source that tells `after` once each of its updates has been applied. */
export function observeUpdates(source: Source, after: () => void): Source {
  return {
    get kind() {
      return source.kind;
    },
    supports: source.supports,
    connect: (emit) =>
      source.connect((u) => {
        emit(u);
        after();
      }),
    request: (r) => source.request(r),
    disconnect: () => source.disconnect(),
  };
}

/** Whether the agent is signed in (any state but Logout, Offline, Unknown). */
export function signedIn(channel: ChannelState | undefined): boolean {
  return channel !== undefined && channel.state !== AgentState.Logout && channel.state !== AgentState.Offline && channel.state !== AgentState.Unknown;
}
