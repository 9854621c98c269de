/**
 * @module sources/sim/world
 * The simulator's engine: agents, queues and calls, and the one way they change. Every change
 * runs inside {@link World.run}: the operation mutates the model (legs step, parties join and
 * leave), then `commit` tells each touched agent's session what changed — exactly the changes,
 * computed by comparing each leg with what was last sent, so that no update is ever a duplicate
 * or an impossible step — and then the ACD routes whatever became routable, and commits again.
 *
 * Operations on calls are in ./telephony, agent state rules in ./agent-state, request checks in
 * ./requests; this file holds the primitives they share.
 */
import type { Clock } from '../../core/clock.js';
import { ErrorCode, SwitchboardError } from '../../core/errors.js';
import {
  AgentState,
  ChannelType,
  Classification,
  Direction,
  Flavor,
  WorkitemState,
  computeAni,
  isEndedState,
  voiceChannelId,
  CCX_VOICE_CHANNEL,
  type CtiData,
  type ReasonType,
  type ReasonCode,
} from '../../core/model.js';
import type { PlatformUpdate, WorkitemAddedUpdate, WorkitemInfoUpdate, WorkitemStateUpdate } from '../../core/updates.js';
import { AcdQueue, oldestFor } from './acd.js';
import { displayedState, statKeyOf } from './agent-state.js';
import { Delivery, type Receiver } from './delivery.js';
import {
  capabilitiesOf,
  isConnected,
  participantsKey,
  participantsOf,
  wrapsUp,
  type Call,
  type CallKind,
  type External,
  type Leg,
  type SimAgent,
} from './model.js';
import type { ResolvedOptions } from './options.js';
import { createRng, type Rng } from './rng.js';

/** The connection of one agent's Source, as the world sees it. */
export interface AgentReceiver extends Receiver {
  /** Per queue, the version of the data this connection last received. */
  readonly queueVersions: Map<string, number>;
}

/** Things auto agents react to (./auto); every hook only schedules, never acts at once. */
export interface WorldHooks {
  offered(leg: Leg): void;
  connected(leg: Leg): void;
  wrapup(leg: Leg): void;
  idle(agent: SimAgent): void;
}

/** How a leg leaves its call. */
export type LeaveHow = 'hangup' | 'abandon' | 'transferred';

/** Counters for demos and benchmarks. */
export interface SimCounters {
  arrivals: number;
  offered: number;
  answered: number;
  abandoned: number;
  /** Updates handed to connected emitters. */
  updates: number;
}

interface Op {
  agent: SimAgent | undefined;
  requestId: string | undefined;
}

const FIRST_CALL_ID = 33_554_433;
const DAY_MS = 86_400_000;

export class World {
  readonly clock: Clock;
  readonly flavor: Flavor;
  readonly agents = new Map<string, SimAgent>();
  readonly byExtension = new Map<string, SimAgent>();
  readonly queues = new Map<string, AcdQueue>();
  /** Live calls by every id they are known by. */
  readonly calls = new Map<string, Call>();
  readonly delivery: Delivery;
  readonly counters: SimCounters = { arrivals: 0, offered: 0, answered: 0, abandoned: 0, updates: 0 };
  hooks: WorldHooks | undefined;
  private readonly receivers = new Map<string, AgentReceiver>();
  private readonly queueList: AcdQueue[] = [];
  private op: Op | undefined;
  private readonly touched = new Set<SimAgent>();
  private newlyIdle: SimAgent[] = [];
  private newlyQueued: Call[] = [];
  private nextCallId = FIRST_CALL_ID;
  private legSeq = 0;
  private waitSeq = 0;
  private keyDay = -1;
  private keyCounter = 0;
  private queueTimerSet = false;
  private readonly rngs = new Map<string, Rng>();

  constructor(readonly options: ResolvedOptions) {
    this.clock = options.clock;
    this.flavor = options.flavor;
    this.delivery = new Delivery(options.clock);
    options.queues.forEach((q, i) => {
      const queue = new AcdQueue(q, i);
      this.queues.set(q.id, queue);
      this.queueList.push(queue);
    });
    const channelId = this.flavor === Flavor.UCCX ? CCX_VOICE_CHANNEL : voiceChannelId(options.peripheralId);
    const auto = new Set(options.autoAgents?.agents ?? []);
    for (const config of options.agents) {
      const queues = config.skills.map((s) => this.queues.get(s)).filter((q): q is AcdQueue => q !== undefined);
      const agent: SimAgent = {
        config,
        id: config.id,
        extension: config.extension,
        channelId,
        queues,
        loggedIn: false,
        base: { state: AgentState.Logout, reasonCode: -1, label: '' },
        shown: { state: AgentState.Logout, reasonCode: -1, label: '' },
        legs: new Set(),
        leaving: [],
        available: false,
        statKey: undefined,
        auto: auto.has(config.id),
      };
      for (const q of queues) q.members.push(agent);
      this.agents.set(agent.id, agent);
      this.byExtension.set(agent.extension, agent);
    }
  }

  /** A named random stream (see ./rng: one per concern keeps streams independent). */
  rng(label: string): Rng {
    let r = this.rngs.get(label);
    if (r === undefined) {
      r = createRng(this.options.seed, label);
      this.rngs.set(label, r);
    }
    return r;
  }

  now(): number {
    return this.clock.now();
  }

  iso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  reasonCodes(type: ReasonType): ReasonCode[] {
    return this.options.reasonCodes[type];
  }

  // ---- operations -------------------------------------------------------------------------------

  /**
   * Run one operation: mutate, commit, route, commit. `agent` and `requestId` name the request
   * behind it (its updates to that agent echo the id, and are delivered after `latencyMs`).
   * Operations never nest: a listener that reacts synchronously must defer (requests do).
   */
  run<T>(agent: SimAgent | undefined, requestId: string | undefined, fn: () => T): T {
    if (this.op !== undefined) {
      throw new SwitchboardError(ErrorCode.INVALID_STATE, 'the simulator is busy delivering updates; call it again after the current update (for example from a timer or a resolved promise)');
    }
    this.op = { agent, requestId };
    try {
      return fn();
    } finally {
      try {
        this.commit();
        this.route();
        this.commit();
        this.queueFigures();
      } finally {
        this.op = undefined;
      }
    }
  }

  /** Schedule `fn` as an operation of its own after `ms`. */
  later(ms: number, fn: () => void): ReturnType<Clock['setTimeout']> {
    return this.clock.setTimeout(() => this.run(undefined, undefined, fn), ms);
  }

  // ---- connections ------------------------------------------------------------------------------

  attach(agent: SimAgent, receiver: AgentReceiver): void {
    this.receivers.set(agent.id, receiver);
  }

  detach(agent: SimAgent, receiver: AgentReceiver): void {
    if (this.receivers.get(agent.id) === receiver) this.receivers.delete(agent.id);
  }

  /**
   * What a (re)connecting session needs, in an order the state machine accepts: the session,
   * the queue list (UCCE; before the agent state, so that the ENABLED event at login carries the
   * queues), the agent state when signed in, then every live workitem as it is now.
   */
  snapshot(agent: SimAgent, receiver: AgentReceiver): PlatformUpdate[] {
    const at = this.now();
    const out: PlatformUpdate[] = [
      {
        type: 'session',
        source: 'sim',
        flavor: this.flavor,
        at,
        agent: {
          agentId: agent.id,
          extension: agent.extension,
          firstName: agent.config.firstName,
          lastName: agent.config.lastName,
          loginName: agent.config.loginName,
          teamId: agent.config.teamId,
        },
        channels: [{ id: agent.channelId, type: ChannelType.Voice }],
        reasonCodes: {
          NotReady: this.reasonCodes('NotReady').map((r) => ({ ...r })),
          Logout: this.reasonCodes('Logout').map((r) => ({ ...r })),
          Wrapup: this.reasonCodes('Wrapup').map((r) => ({ ...r })),
        },
      },
    ];
    receiver.queueVersions.clear();
    if (this.flavor === Flavor.UCCE) out.push(this.queueSnapshot(agent, receiver, at));
    if (agent.loggedIn) out.push(this.agentStateUpdate(agent, at));
    for (const leg of agent.legs) {
      leg.announced = true;
      out.push(this.addedUpdate(leg, at));
    }
    return out;
  }

  private queueSnapshot(agent: SimAgent, receiver: AgentReceiver, at: number): PlatformUpdate {
    for (const q of agent.queues) receiver.queueVersions.set(q.id, q.version);
    return { type: 'queue', at, op: 'snapshot', queues: agent.queues.map((q) => q.data) };
  }

  private agentStateUpdate(agent: SimAgent, at: number): PlatformUpdate {
    const s = agent.shown;
    const u: PlatformUpdate = { type: 'agentState', at, channelId: agent.channelId, state: s.state, reasonCode: s.reasonCode };
    if (s.label !== '') u.reasonCodeLabel = s.label;
    return u;
  }

  private addedUpdate(leg: Leg, at: number): WorkitemAddedUpdate {
    const participants = participantsOf(leg);
    const capabilities = capabilitiesOf(leg);
    leg.sentCaps = capabilities.join(',');
    leg.sentParts = participantsKey(participants);
    leg.sentClass = leg.classification;
    const workitem: WorkitemAddedUpdate['workitem'] = {
      id: leg.workitemId,
      channelId: leg.agent.channelId,
      channelType: ChannelType.Voice,
      classification: leg.classification,
      direction: leg.direction,
      state: leg.state,
      participants: participants.map((p) => ({ ...p })),
      ani: leg.ani,
      ctiData: { ...leg.cti },
      capabilities,
    };
    if (leg.connectedAt !== undefined) workitem.connectedAt = leg.connectedAt;
    return { type: 'workitemAdded', at, workitem };
  }

  private send(agent: SimAgent, update: PlatformUpdate, echo: boolean): void {
    const receiver = this.receivers.get(agent.id);
    if (receiver === undefined) return;
    const op = this.op;
    if (echo && op !== undefined && op.requestId !== undefined && op.agent === agent) update.requestId = op.requestId;
    this.counters.updates++;
    this.delivery.send(receiver, update, op?.requestId === undefined ? undefined : this.options.latencyMs);
  }

  private listening(agent: SimAgent): boolean {
    return this.receivers.has(agent.id);
  }

  // ---- model primitives -------------------------------------------------------------------------

  touch(agent: SimAgent): void {
    this.touched.add(agent);
  }

  newCallId(): string {
    return String(this.nextCallId++);
  }

  /** ctiData every call starts with; callKey* only on UCCE (a per-day counter, as ICM's RouterCallKey). */
  baseCti(callType: string, dialed: string): CtiData {
    const cti: CtiData = { callType, DNIS: dialed, dialedNumber: dialed, mediaId: '1' };
    if (this.flavor === Flavor.UCCE) {
      const day = Math.floor(this.now() / DAY_MS);
      if (day !== this.keyDay) {
        this.keyDay = day;
        this.keyCounter = 0;
      }
      cti.callKeyCallId = String(++this.keyCounter);
      cti.callKeyPrefix = String(day);
    }
    return cti;
  }

  newCall(kind: CallKind, from: string, to: string, template: CtiData): Call {
    const id = this.newCallId();
    const call: Call = {
      id,
      kind,
      from,
      to,
      template,
      parties: [],
      ids: [id],
      visited: new Set(),
      queue: undefined,
      waiting: false,
      enqueuedAt: 0,
      waitSeq: 0,
      dtmf: '',
      ended: false,
      timers: [],
    };
    this.calls.set(id, call);
    return call;
  }

  /** Make `call` known by `id` too (merged calls, a fresh id for an agent's second visit). */
  alias(call: Call, id: string): void {
    call.ids.push(id);
    this.calls.set(id, call);
  }

  enqueue(call: Call, queue: AcdQueue): void {
    call.queue = queue;
    call.waiting = true;
    call.enqueuedAt = this.now();
    call.waitSeq = ++this.waitSeq;
    queue.enqueue(call);
    this.newlyQueued.push(call);
  }

  addExternal(call: Call, address: string, connected: boolean): External {
    const party: External = { kind: 'external', address, connected };
    call.parties.push(party);
    return party;
  }

  /** A new leg for `agent` on `call`; its ani is fixed now, from the participants it sees now. */
  addLeg(call: Call, agent: SimAgent, direction: Direction, classification: Classification, state: WorkitemState, cti: CtiData): Leg {
    let workitemId = call.id;
    if (call.visited.has(agent.id)) {
      // Sessions refuse an id that already ended: a call coming back to an agent is new to it.
      workitemId = this.newCallId();
      this.alias(call, workitemId);
    }
    call.visited.add(agent.id);
    const leg: Leg = {
      workitemId,
      seq: ++this.legSeq,
      agent,
      call,
      direction,
      classification,
      state,
      ani: '',
      connectedAt: state === WorkitemState.Active || state === WorkitemState.Paused ? this.iso() : undefined,
      cti,
      frozen: undefined,
      consultOf: undefined,
      consult: undefined,
      token: 0,
      announced: false,
      steps: [],
      pendingData: undefined,
      sentCaps: '',
      sentClass: classification,
      sentParts: '',
    };
    call.parties.push({ kind: 'leg', leg });
    leg.ani = computeAni(direction, participantsOf(leg), call.from, call.to);
    agent.legs.add(leg);
    this.setAvailable(agent, false);
    this.touch(agent);
    if (state === WorkitemState.Offered && direction === Direction.Incoming) {
      this.counters.offered++;
      if (agent.auto) this.hooks?.offered(leg);
    }
    return leg;
  }

  /** One lifecycle step of a leg (recorded for commit). */
  step(leg: Leg, state: WorkitemState): void {
    if (leg.state === state) return;
    leg.state = state;
    leg.steps.push(state);
    if (state === WorkitemState.Active && leg.connectedAt === undefined) leg.connectedAt = this.iso();
    this.touch(leg.agent);
  }

  setClassification(leg: Leg, classification: Classification): void {
    if (leg.classification === classification) return;
    leg.classification = classification;
    this.touch(leg.agent);
  }

  /** Set one ctiData key on a leg; only real changes are sent (as one workitemData at commit). */
  setCti(leg: Leg, key: string, value: string): void {
    if (leg.cti[key] === value) return;
    leg.cti[key] = value;
    (leg.pendingData ??= {})[key] = value;
    this.touch(leg.agent);
  }

  /** Touch every agent on `call` (their participants changed). */
  touchCall(call: Call): void {
    for (const p of call.parties) if (p.kind === 'leg') this.touch(p.leg.agent);
  }

  /**
   * Take `leg` off its call: into wrap-up when it was connected and wrap-up is on, ended
   * otherwise (EndedTransferred for a transfer, EndedAbandoned for a ringing call the caller
   * gave up). Consult links are cut, so the held original offers Resume again.
   */
  leave(leg: Leg, how: LeaveHow): void {
    const call = leg.call;
    const parts = participantsOf(leg);
    const i = call.parties.findIndex((p) => p.kind === 'leg' && p.leg === leg);
    if (i >= 0) call.parties.splice(i, 1);
    this.touchCall(call);
    leg.frozen = parts;
    const wasConnected = isConnected(leg);
    if (leg.consultOf !== undefined) {
      leg.consultOf.consult = undefined;
      leg.consultOf = undefined;
    }
    if (leg.consult !== undefined) {
      leg.consult.consultOf = undefined;
      leg.consult = undefined;
    }
    if (how === 'transferred') {
      this.finish(leg, WorkitemState.EndedTransferred);
    } else if (wasConnected && this.options.wrapup !== 'off' && wrapsUp(leg)) {
      this.step(leg, WorkitemState.Wrapup);
      const timeout = this.options.wrapupTimeoutMs;
      if (timeout > 0) {
        this.later(timeout, () => {
          if (leg.state === WorkitemState.Wrapup && leg.agent.legs.has(leg)) this.finish(leg, WorkitemState.Ended);
        });
      }
      if (leg.agent.auto) this.hooks?.wrapup(leg);
    } else {
      this.finish(leg, how === 'abandon' && leg.state === WorkitemState.Offered && leg.direction === Direction.Incoming ? WorkitemState.EndedAbandoned : WorkitemState.Ended);
    }
  }

  /** End a leg for good (it leaves the agent's list; commit announces the end). */
  finish(leg: Leg, state: WorkitemState): void {
    this.step(leg, state);
    leg.token++;
    if (leg.agent.legs.delete(leg)) leg.agent.leaving.push(leg);
  }

  /** End the call when fewer than two parties are left, or no agent is on it any more. */
  settle(call: Call, cause: 'hangup' | 'abandon'): void {
    if (call.ended || call.waiting) return;
    let legs = 0;
    for (const p of call.parties) if (p.kind === 'leg') legs++;
    if (call.parties.length < 2 || legs === 0) this.endCall(call, cause);
  }

  endCall(call: Call, cause: 'hangup' | 'abandon'): void {
    if (call.ended) return;
    call.ended = true;
    if (call.waiting && call.queue !== undefined) call.queue.dequeue(call);
    for (const t of call.timers) this.clock.clearTimeout(t);
    call.timers = [];
    for (const p of [...call.parties]) if (p.kind === 'leg') this.leave(p.leg, cause);
    call.parties = [];
    for (const id of call.ids) if (this.calls.get(id) === call) this.calls.delete(id);
  }

  // ---- commit: tell the sessions --------------------------------------------------------------

  private commit(): void {
    for (const agent of this.touched) {
      const legs = agent.leaving.length === 0 ? [...agent.legs] : [...agent.legs, ...agent.leaving].sort((a, b) => a.seq - b.seq);
      agent.leaving = [];
      const listening = this.listening(agent);
      for (const leg of legs) this.flushLeg(leg, listening);
      this.refreshAgent(agent, listening);
    }
    this.touched.clear();
  }

  /** Queue figures once per operation (after routing, so a call routed at once never shows as queued), or on the interval. */
  private queueFigures(): void {
    if (this.flavor !== Flavor.UCCE) return;
    if (this.options.queueUpdateIntervalMs === 0) this.publishQueues();
    else if (!this.queueTimerSet && this.queueList.some((q) => q.dirty)) {
      this.queueTimerSet = true;
      this.later(this.options.queueUpdateIntervalMs, () => {
        this.queueTimerSet = false;
        this.publishQueues();
      });
    }
  }

  private flushLeg(leg: Leg, listening: boolean): void {
    const at = this.now();
    const steps = leg.steps;
    leg.steps = [];
    if (!leg.announced) {
      leg.pendingData = undefined;
      if (isEndedState(leg.state)) return;
      leg.announced = true;
      const added = this.addedUpdate(leg, at);
      if (listening) this.send(leg.agent, added, true);
      return;
    }
    const ended = isEndedState(leg.state);
    const caps = ended ? '' : capabilitiesOf(leg).join(',');
    const parts = participantsOf(leg);
    const partsKey = participantsKey(parts);
    for (let i = 0; i < steps.length; i++) {
      const state = steps[i] as WorkitemState;
      const u: WorkitemStateUpdate = { type: 'workitemState', at, id: leg.workitemId, state };
      if (i === steps.length - 1 && !ended) {
        u.capabilities = capabilitiesOf(leg);
        leg.sentCaps = caps;
        if (partsKey !== leg.sentParts) {
          u.participants = parts.map((p) => ({ ...p }));
          leg.sentParts = partsKey;
        }
      }
      if (listening) this.send(leg.agent, u, true);
    }
    if (ended) {
      leg.pendingData = undefined;
      return;
    }
    const info: WorkitemInfoUpdate = { type: 'workitemInfo', at, id: leg.workitemId };
    let changed = false;
    if (caps !== leg.sentCaps) {
      info.capabilities = capabilitiesOf(leg);
      leg.sentCaps = caps;
      changed = true;
    }
    if (leg.classification !== leg.sentClass) {
      info.classification = leg.classification;
      leg.sentClass = leg.classification;
      changed = true;
    }
    if (partsKey !== leg.sentParts) {
      info.participants = parts.map((p) => ({ ...p }));
      leg.sentParts = partsKey;
      changed = true;
    }
    if (changed && listening) this.send(leg.agent, info, true);
    if (leg.pendingData !== undefined) {
      const data = leg.pendingData;
      leg.pendingData = undefined;
      if (listening) this.send(leg.agent, { type: 'workitemData', at, id: leg.workitemId, ctiData: data }, true);
    }
  }

  /** Announce the displayed agent state if it changed; keep statistics and the ACD lists in step. */
  private refreshAgent(agent: SimAgent, listening: boolean): void {
    const next = displayedState(this, agent);
    const prev = agent.shown;
    if (next.state !== prev.state || next.reasonCode !== prev.reasonCode) {
      agent.shown = next;
      if (listening) {
        const receiver = this.receivers.get(agent.id);
        // Fresh queue figures before the login, so the ENABLED event carries current data.
        if (prev.state === AgentState.Logout && this.flavor === Flavor.UCCE && receiver !== undefined) {
          this.send(agent, this.queueSnapshot(agent, receiver, this.now()), false);
        }
        this.send(agent, this.agentStateUpdate(agent, this.now()), true);
      }
    }
    if (this.flavor === Flavor.UCCE) {
      const key = statKeyOf(agent);
      if (key !== agent.statKey) {
        for (const q of agent.queues) q.move(agent.statKey, key);
        agent.statKey = key;
      }
    }
    this.setAvailable(agent, agent.loggedIn && agent.shown.state === AgentState.Ready && agent.legs.size === 0);
  }

  private setAvailable(agent: SimAgent, available: boolean): void {
    if (agent.available === available) return;
    agent.available = available;
    if (available) {
      for (const q of agent.queues) q.idle.set(agent.id, agent);
      this.newlyIdle.push(agent);
      if (agent.auto) this.hooks?.idle(agent);
    } else {
      for (const q of agent.queues) q.idle.delete(agent.id);
    }
  }

  /** Send changed queue figures to every signed-in, connected agent with the skill (UCCE). */
  publishQueues(): void {
    for (const q of this.queueList) {
      if (!q.dirty || !q.refresh()) continue;
      for (const agent of q.members) {
        if (!agent.loggedIn) continue;
        const receiver = this.receivers.get(agent.id);
        if (receiver === undefined || receiver.queueVersions.get(q.id) === q.version) continue;
        receiver.queueVersions.set(q.id, q.version);
        this.send(agent, { type: 'queue', at: this.now(), op: 'updated', queues: [q.data] }, false);
      }
    }
  }

  // ---- ACD --------------------------------------------------------------------------------------

  /** Longest-waiting call to longest-idle Ready agent with the skill. */
  private route(): void {
    if (this.newlyIdle.length > 0) {
      const agents = this.newlyIdle;
      this.newlyIdle = [];
      for (const agent of agents) {
        if (!agent.available) continue;
        const call = oldestFor(agent.queues);
        if (call !== undefined) this.offer(call, agent);
      }
    }
    if (this.newlyQueued.length > 0) {
      const calls = this.newlyQueued;
      this.newlyQueued = [];
      for (const call of calls) {
        if (!call.waiting || call.queue === undefined) continue;
        const agent = call.queue.longestIdle();
        if (agent !== undefined) this.offer(call, agent);
      }
    }
  }

  private offer(call: Call, agent: SimAgent): void {
    call.queue?.dequeue(call);
    this.addLeg(call, agent, Direction.Incoming, Classification.Customer, WorkitemState.Offered, { ...call.template });
  }
}
