/**
 * @module server/sessions
 * The platform side of the server. Each agent's {@link Source} is connected ONCE, server-side,
 * by an {@link AgentHub}: a Source supports one emitter, so the hub fans its updates out to
 * the server's own {@link AgentSession} (which writes the interaction log, once, whatever the
 * number of gadget tabs) and to every attached WebSocket. The hub also keeps what a newcomer
 * needs to rebuild the agent's state (session, queues, agent state, live workitems as they are
 * now), reduced from the same updates, and replays it to each new socket: call recovery
 * without reconnecting the platform (which would replay to every tab at once).
 *
 * Simulator mode: one SimContactCenter, agents 1001..100N. The first `humanAgents` of them are
 * driven by gadgets (no auto behaviour); the rest are auto agents so that the queues move.
 * Finesse mode: a FinesseSource per agent, created on the first hello for that agent.
 */
import { AgentSession } from '../core/session.js';
import { ErrorCode, SwitchboardError } from '../core/errors.js';
import { isEndedState, type Flavor, type QueueData } from '../core/model.js';
import type { Clock, TimerHandle } from '../core/clock.js';
import type { Source } from '../core/source.js';
import type { PlatformUpdate, WorkitemAddedUpdate, WorkitemInfoUpdate, SessionUpdate, AgentStateUpdate } from '../core/updates.js';
import type { DomainEvent } from '../core/events.js';
import { SimContactCenter, type SimAgentConfig } from '../sources/sim/index.js';
import { FinesseSource } from '../sources/finesse/index.js';
import { InteractionLogSink, type LogFailure } from '../sinks/log/index.js';
import type { Store } from '../sinks/log/index.js';
import type { CrmRecordsService } from './crm-records.js';

export interface SimPlatformOptions {
  kind: 'sim';
  /** Number of agents, 1001.. (default 5). */
  agents?: number;
  /** How many of them (from 1001) gadgets drive; the rest work by themselves. Default 2. */
  humanAgents?: number;
  /** Arrivals per minute (default 4). */
  rate?: number;
  seed?: number;
  flavor?: Flavor;
  /** Mean talk time of auto agents, ms (default 60000). */
  talkTimeMs?: number;
  /**
   * Queue statistics go to every agent of a queue: at most once per this many ms (default 1000;
   * Finesse itself publishes them at an interval). 0 sends them after every change, which costs
   * 1.5 × agents updates per call event (measured with `switchboard simulate`).
   */
  queueUpdateIntervalMs?: number;
  /** Numbers the CRM knows: a third of the arrivals come from them (the demo's directory). */
  knownCallers?: string[];
}

export interface FinessePlatformOptions {
  kind: 'finesse';
  baseUrl: string;
  /** Basic auth; the agent's own id is used as user when `user` is absent. */
  user?: string;
  password: string;
  xmppService: string;
  xmppDomain?: string;
}

export type PlatformOptions = SimPlatformOptions | FinessePlatformOptions;

export interface HubEvents {
  onUpdate?: (agentId: string, update: PlatformUpdate) => void;
  onEvent?: (agentId: string, event: DomainEvent) => void;
  onLogError?: (agentId: string, failure: LogFailure) => void;
}

type UpdateListener = (update: PlatformUpdate) => void;

/** One agent: its source connected once, the server's session and log, the sockets listening. */
export class AgentHub {
  readonly session: AgentSession;
  private readonly listeners = new Set<UpdateListener>();
  private readonly state = new ReplayState();
  private detachLog: (() => void) | undefined;

  constructor(
    readonly agentId: string,
    readonly source: Source,
    private readonly clock: Clock,
    flavor: Flavor | undefined,
    log: InteractionLogSink,
    private readonly events: HubEvents,
  ) {
    this.session = new AgentSession({ clock, ...(flavor !== undefined ? { flavor } : {}) });
    this.detachLog = log.attach(this.session);
    this.session.subscribe((e) => events.onEvent?.(agentId, e));
  }

  /** @internal Connect the source (once). */
  connect(): Promise<void> {
    return this.source.connect((u) => this.deliver(u));
  }

  /** Listen to live updates; returns the updates to replay first and an unsubscribe function. */
  attach(listener: UpdateListener): { replay: PlatformUpdate[]; detach: () => void } {
    const replay = this.state.replay(this.clock.now());
    this.listeners.add(listener);
    return { replay, detach: () => this.listeners.delete(listener) };
  }

  /**
   * Apply an update that does not come from the platform (the CRM records service's
   * `workitemInfo`: lookup results, the phone-call record) exactly like one that does: to the
   * server's session, the replay state and every socket.
   */
  inject(update: PlatformUpdate): void {
    this.deliver(update);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  get liveWorkitems(): number {
    return this.state.workitems.size;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.detachLog?.();
    this.detachLog = undefined;
    await this.source.disconnect();
  }

  private deliver(update: PlatformUpdate): void {
    this.state.apply(update);
    this.events.onUpdate?.(this.agentId, update);
    this.session.apply(update);
    for (const l of [...this.listeners]) {
      try {
        l(update);
      } catch {
        // a socket listener never stops the others
      }
    }
  }
}

/**
 * The agent's state as updates, reduced from the stream: what a fresh session needs to reach
 * the same picture. Replayed updates are stamped with one `at` (now) and carry no requestId.
 */
export class ReplayState {
  session: SessionUpdate | undefined;
  readonly queues = new Map<string, QueueData>();
  queuesSeen = false;
  readonly agentStates = new Map<string, AgentStateUpdate>();
  readonly workitems = new Map<string, WorkitemAddedUpdate>();
  readonly crm = new Map<string, Pick<WorkitemInfoUpdate, 'activity' | 'associatedParticipant' | 'associations' | 'participantLookupResult'>>();

  apply(u: PlatformUpdate): void {
    switch (u.type) {
      case 'session':
        this.session = u;
        return;
      case 'queue':
        this.queuesSeen = true;
        if (u.op === 'snapshot') this.queues.clear();
        if (u.op === 'deleted') for (const id of u.ids ?? u.queues.map((q) => q.id)) this.queues.delete(id);
        else for (const q of u.queues) this.queues.set(q.id, q);
        return;
      case 'agentState':
        this.agentStates.set(u.channelId, u);
        return;
      case 'workitemAdded':
        if (isEndedState(u.workitem.state)) {
          this.workitems.delete(u.workitem.id);
          this.crm.delete(u.workitem.id);
        } else this.workitems.set(u.workitem.id, structuredClone(u));
        return;
      case 'workitemState': {
        const w = this.workitems.get(u.id);
        if (w === undefined) return;
        if (isEndedState(u.state)) {
          this.workitems.delete(u.id);
          this.crm.delete(u.id);
          return;
        }
        if (u.state === 'Active' && w.workitem.connectedAt === undefined && u.at !== undefined) w.workitem.connectedAt = new Date(u.at).toISOString();
        w.workitem.state = u.state;
        if (u.capabilities !== undefined) w.workitem.capabilities = [...u.capabilities];
        if (u.participants !== undefined) w.workitem.participants = structuredClone(u.participants);
        if (u.raw !== undefined) w.raw = { ...w.raw, ...u.raw };
        return;
      }
      case 'workitemData': {
        const w = this.workitems.get(u.id);
        if (w !== undefined) w.workitem.ctiData = { ...w.workitem.ctiData, ...u.ctiData };
        return;
      }
      case 'workitemInfo': {
        const w = this.workitems.get(u.id);
        if (w === undefined) return;
        if (u.capabilities !== undefined) w.workitem.capabilities = [...u.capabilities];
        if (u.participants !== undefined) w.workitem.participants = structuredClone(u.participants);
        if (u.classification !== undefined) w.workitem.classification = u.classification;
        // CRM fields are not part of workitemAdded: kept aside and replayed as a workitemInfo.
        const crm = this.crm.get(u.id) ?? {};
        if (u.activity !== undefined) crm.activity = structuredClone(u.activity);
        if (u.associatedParticipant !== undefined) crm.associatedParticipant = structuredClone(u.associatedParticipant);
        if (u.associations !== undefined) crm.associations = structuredClone(u.associations);
        if (u.participantLookupResult !== undefined) crm.participantLookupResult = structuredClone(u.participantLookupResult);
        if (Object.keys(crm).length > 0) this.crm.set(u.id, crm);
        return;
      }
      case 'platformError':
      case 'interactionRecord':
        return;
    }
  }

  replay(at: number): PlatformUpdate[] {
    const out: PlatformUpdate[] = [];
    if (this.session === undefined) return out;
    out.push(stamp(this.session, at));
    if (this.queuesSeen) out.push({ type: 'queue', at, op: 'snapshot', queues: [...this.queues.values()].map((q) => structuredClone(q)) });
    for (const s of this.agentStates.values()) out.push(stamp(s, at));
    for (const w of this.workitems.values()) {
      out.push(stamp(w, at));
      const crm = this.crm.get(w.workitem.id);
      if (crm !== undefined) out.push({ type: 'workitemInfo', at, id: w.workitem.id, ...structuredClone(crm) });
    }
    return out;
  }
}

function stamp<U extends PlatformUpdate>(u: U, at: number): U {
  const copy = structuredClone(u);
  delete copy.requestId;
  copy.at = at;
  return copy;
}

/** The platform: sources for agents, created and connected on first use, kept until close. */
export interface Platform {
  readonly kind: 'sim' | 'finesse';
  /** The hub of an agent, connected; rejects with INVALID_ARGUMENT for an unknown agent. */
  hub(agentId: string): Promise<AgentHub>;
  /** Hubs connected so far. */
  hubs(): AgentHub[];
  /** Queue statistics (simulator: every queue; Finesse: what the connected agents see). */
  queues(): QueueData[];
  readonly sim: SimContactCenter | undefined;
  /** Simulator: the agents gadgets drive (no auto behaviour); Finesse: empty (any agent). */
  readonly humanAgents: string[];
  close(): Promise<void>;
}

const FIRST = ['Ada', 'Ben', 'Cleo', 'Dario', 'Elif', 'Finn', 'Gina', 'Hugo', 'Iris', 'Jon'];
const LAST = ['Meier', 'Keller', 'Rossi', 'Weber', 'Huber', 'Frei', 'Brunner', 'Baumann'];

/** The demo's agents: 1001.., extension `<id>001`, skills alternating sales+support / support. */
export function demoAgents(n: number): SimAgentConfig[] {
  return Array.from({ length: n }, (_, i) => {
    const id = String(1001 + i);
    const firstName = FIRST[i % FIRST.length] ?? 'Agent';
    const lastName = LAST[i % LAST.length] ?? String(i);
    return {
      id,
      extension: `${id}001`,
      firstName,
      lastName,
      loginName: `${firstName[0] ?? 'a'}${lastName}`.toLowerCase(),
      teamId: `team${1 + (i % 3)}`,
      skills: i % 2 === 0 ? ['sales', 'support'] : ['support'],
    };
  });
}

export interface CreatePlatformOptions {
  platform: PlatformOptions;
  clock: Clock;
  store: Store;
  events: HubEvents;
  /** Caller lookup and phone-call records (CRM); absent: none. */
  records?: CrmRecordsService;
}

export function createPlatform(options: CreatePlatformOptions): Platform {
  // Every timer of the platform (arrivals, auto agents, retries) goes through a clock that
  // close() stops, so that a closed server leaves nothing to keep the process alive.
  const { clock, stopAll } = stoppable(options.clock);
  const o = { ...options, clock };
  const records = o.records;
  const log = new InteractionLogSink({
    store: o.store,
    clock: o.clock,
    onError: (f) => o.events.onLogError?.(f.record.agentId, f),
    ...(records !== undefined ? { outboxFor: (r: Parameters<CrmRecordsService['messagesFor']>[0]) => records.messagesFor(r) } : {}),
  });
  const hubs = new Map<string, Promise<AgentHub>>();
  const connected = new Map<string, AgentHub>();
  const p = o.platform;
  let sim: SimContactCenter | undefined;
  let humanAgents: string[] = [];
  let makeSource: (agentId: string) => Source;
  if (p.kind === 'sim') {
    const n = p.agents ?? 5;
    const agents = demoAgents(n);
    humanAgents = agents.slice(0, p.humanAgents ?? 2).map((a) => a.id);
    const human = new Set(humanAgents);
    const auto = agents.filter((a) => !human.has(a.id)).map((a) => a.id);
    sim = new SimContactCenter({
      clock: o.clock,
      seed: p.seed ?? 1,
      ...(p.flavor !== undefined ? { flavor: p.flavor } : {}),
      agents,
      queues: [
        { id: 'sales', name: 'Sales' },
        { id: 'support', name: 'Support' },
      ],
      ...((p.rate ?? 4) > 0 ? { arrivals: { perMinute: p.rate ?? 4, patienceMs: 90_000, ...(p.knownCallers !== undefined ? { knownCallers: { numbers: p.knownCallers, probability: 1 / 3 } } : {}) } } : {}),
      ...(auto.length > 0 ? { autoAgents: { agents: auto, talkTimeMs: p.talkTimeMs ?? 60_000 } } : {}),
      queueUpdateIntervalMs: p.queueUpdateIntervalMs ?? 1000,
      onEmitError: () => undefined,
    });
    const cc = sim;
    makeSource = (agentId) => {
      if (!cc.agentIds.includes(agentId)) throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `unknown agent ${JSON.stringify(agentId)} (the simulator has ${cc.agentIds[0] ?? ''}..${cc.agentIds.at(-1) ?? ''})`);
      return cc.source(agentId);
    };
  } else {
    makeSource = (agentId) =>
      new FinesseSource({
        baseUrl: p.baseUrl,
        agentId,
        auth: { kind: 'basic', user: p.user ?? agentId, password: p.password },
        xmppService: p.xmppService,
        ...(p.xmppDomain !== undefined ? { xmppDomain: p.xmppDomain } : {}),
        clock: o.clock,
      });
  }
  const flavor = p.kind === 'sim' ? p.flavor : undefined;
  return {
    kind: p.kind,
    sim,
    humanAgents,
    hub(agentId) {
      const existing = hubs.get(agentId);
      if (existing !== undefined) return existing;
      const made = (async () => {
        const hub = new AgentHub(agentId, makeSource(agentId), o.clock, flavor, log, o.events);
        records?.attach(agentId, hub.session, (u) => hub.inject(u));
        await hub.connect();
        connected.set(agentId, hub);
        return hub;
      })();
      hubs.set(agentId, made);
      made.catch(() => hubs.delete(agentId));
      return made;
    },
    hubs: () => [...connected.values()],
    queues() {
      if (sim !== undefined) return ['sales', 'support'].map((q) => sim.queueData(q));
      const all = new Map<string, QueueData>();
      for (const h of connected.values()) for (const q of Object.values(h.session.state.queues)) all.set(q.id, q);
      return [...all.values()];
    },
    async close() {
      sim?.stopArrivals();
      await Promise.allSettled([...connected.values()].map((h) => h.close()));
      await log.close();
      stopAll();
    },
  };
}

/** A clock whose pending timers can all be cancelled at once. */
function stoppable(base: Clock): { clock: Clock; stopAll: () => void } {
  const live = new Set<TimerHandle>();
  let stopped = false;
  const clock: Clock = {
    now: () => base.now(),
    setTimeout(fn, ms) {
      const handle = base.setTimeout(() => {
        live.delete(handle);
        if (!stopped) fn();
      }, ms);
      live.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      live.delete(handle);
      base.clearTimeout(handle);
    },
  };
  return {
    clock,
    stopAll: () => {
      stopped = true;
      for (const h of live) base.clearTimeout(h);
      live.clear();
    },
  };
}
