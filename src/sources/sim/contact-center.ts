/**
 * @module sources/sim/contact-center
 * `SimContactCenter`: the public face of the simulator. It owns the world, hands out one
 * {@link SimAgentSource} per agent, and takes the commands that come from outside any agent's
 * desktop (a caller dials in, gives up or hangs up; a dialled number answers). It also lets
 * tests and tools look inside: an agent's items, a call's parties, a queue's figures.
 */
import type { Clock } from '../../core/clock.js';
import { ErrorCode, SwitchboardError } from '../../core/errors.js';
import {
  Direction,
  Flavor,
  RequestableAgentState,
  WorkitemState,
  type AgentState,
  type Classification,
  type CtiData,
  type QueueData,
} from '../../core/model.js';
import { SimAgentSource } from './agent-source.js';
import { setAgentState } from './agent-state.js';
import { installAutoAgents, startArrivals, type ArrivalProcess } from './auto.js';
import { resolveOptions, type SimContactCenterOptions } from './options.js';
import { hasCall, participantsOf, type Call, type SimAgent } from './model.js';
import * as t from './telephony.js';
import { World, type SimCounters } from './world.js';

/** One of an agent's workitems, as the simulator sees it. */
export interface SimWorkitemView {
  id: string;
  /** The call it belongs to now (differs from `id` after a conference merged two calls). */
  callId: string;
  state: WorkitemState;
  classification: Classification;
  direction: Direction;
  ani: string;
  participants: string[];
  ctiData: CtiData;
}

export interface SimAgentView {
  id: string;
  extension: string;
  channelId: string;
  loggedIn: boolean;
  state: AgentState;
  reasonCode: number;
  reasonCodeLabel: string;
  /** Signed in, Ready and without any item: the ACD may offer a call. */
  available: boolean;
  workitems: SimWorkitemView[];
}

export type SimCallStatus = 'queued' | 'ringing' | 'dialing' | 'connected';

export interface SimCallView {
  id: string;
  /** Every id the call is known by (its own, merged calls', re-visits'). */
  ids: string[];
  kind: 'inbound' | 'outbound' | 'internal' | 'consult';
  from: string;
  to: string;
  status: SimCallStatus;
  queue: string | undefined;
  /** Addresses of everyone on the call (outside numbers and agents' extensions). */
  parties: string[];
  /** DTMF digits sent on this call so far. */
  dtmf: string;
}

/**
 * An in-process contact center: agents with extensions and teams, skill queues with an ACD,
 * inbound and outbound calls, hold, consult, conference, transfers, wrap-up, DTMF and call
 * data, on UCCE or UCCX rules. Deterministic: the injected clock and the seed are its only
 * inputs besides the commands, so the same seed and commands give the same update streams.
 *
 * @example
 * const clock = new SimulatedClock(Date.parse('2026-01-05T09:00:00Z'));
 * const cc = new SimContactCenter({
 *   clock,
 *   agents: [{ id: '1001', extension: '1001001', firstName: 'Ada', lastName: 'Meier', loginName: 'ameier', teamId: 't1', skills: ['sales'] }],
 *   queues: [{ id: 'sales', name: 'Sales' }],
 * });
 * const session = new AgentSession({ clock });
 * await cc.source('1001').connect((u) => session.apply(u));
 * await cc.source('1001').request({ type: 'setAgentState', channelId: 'voice', state: 'Ready', requestId: 'r1' });
 * clock.advance(0); // updates arrive after the request resolved, as Finesse's do
 * const callId = cc.arrive({ from: '+41445550101', queue: 'sales', callVariables: { callVariable1: 'A-42' } });
 */
export class SimContactCenter {
  private readonly world: World;
  private readonly sources = new Map<string, SimAgentSource>();
  private readonly arrivals: ArrivalProcess | undefined;

  constructor(options: SimContactCenterOptions) {
    const resolved = resolveOptions(options);
    this.world = new World(resolved);
    if (resolved.autoAgents !== undefined) installAutoAgents(this.world, resolved.autoAgents);
    if (resolved.arrivals !== undefined) this.arrivals = startArrivals(this.world, resolved.arrivals);
  }

  get clock(): Clock {
    return this.world.clock;
  }

  get flavor(): Flavor {
    return this.world.flavor;
  }

  /** Delay between a request and its updates. */
  get latencyMs(): number {
    return this.world.options.latencyMs;
  }

  /** Agent ids, in configuration order. */
  get agentIds(): string[] {
    return [...this.world.agents.keys()];
  }

  get counters(): Readonly<SimCounters> {
    return { ...this.world.counters };
  }

  /** The Source of one agent (the same object every time). */
  source(agentId: string): SimAgentSource {
    let s = this.sources.get(agentId);
    if (s === undefined) {
      s = new SimAgentSource(this.world, this.agentOf(agentId));
      this.sources.set(agentId, s);
    }
    return s;
  }

  // ---- the world outside the agents' desktops -------------------------------------------------

  /**
   * A caller dials in; returns the call id (also the workitem id agents will see).
   *
   * @example
   * const id = cc.arrive({ from: '+41445550101', queue: 'sales', dnis: '8005550100', ecc: { lang: 'de' } });
   */
  arrive(options: t.ArriveOptions): string {
    return this.world.run(undefined, undefined, () => t.arrive(this.world, options).id);
  }

  /** The caller gives up while queued or ringing. */
  abandon(callId: string): void {
    const call = this.callOf(callId);
    this.world.run(undefined, undefined, () => t.abandon(this.world, call));
  }

  /** An outside party hangs up a call (before anyone answered, that is an abandon). */
  callerHangup(callId: string, address?: string): void {
    const call = this.callOf(callId);
    this.world.run(undefined, undefined, () => t.callerHangup(this.world, call, address));
  }

  /** The outside number an agent dialled (or consulted) answers. */
  farEndAnswer(callId: string): void {
    const call = this.callOf(callId);
    this.world.run(undefined, undefined, () => t.farEndAnswer(this.world, call));
  }

  /**
   * Set an agent's state without a request (set-up in tests and demos; no requestId is echoed).
   *
   * @example
   * cc.setAgentState('1001', 'NotReady', '2');
   */
  setAgentState(agentId: string, state: RequestableAgentState = RequestableAgentState.Ready, reasonCode?: string): void {
    const agent = this.agentOf(agentId);
    this.world.run(undefined, undefined, () =>
      setAgentState(this.world, agent, { type: 'setAgentState', channelId: agent.channelId, state, requestId: '', ...(reasonCode !== undefined ? { reasonCode } : {}) }),
    );
  }

  /** Stop the random arrivals (calls already in the center go on). */
  stopArrivals(): void {
    this.arrivals?.stop();
  }

  // ---- looking inside -----------------------------------------------------------------------------

  agent(agentId: string): SimAgentView {
    const a = this.agentOf(agentId);
    return {
      id: a.id,
      extension: a.extension,
      channelId: a.channelId,
      loggedIn: a.loggedIn,
      state: a.shown.state,
      reasonCode: a.shown.reasonCode,
      reasonCodeLabel: a.shown.label,
      available: a.available,
      workitems: [...a.legs].map((leg) => ({
        id: leg.workitemId,
        callId: leg.call.id,
        state: leg.state,
        classification: leg.classification,
        direction: leg.direction,
        ani: leg.ani,
        participants: participantsOf(leg).map((p) => p.address),
        ctiData: { ...leg.cti },
      })),
    };
  }

  /** True when the agent has a call that is not in wrap-up. */
  isBusy(agentId: string): boolean {
    return hasCall(this.agentOf(agentId));
  }

  /** A live call by any of its ids, or undefined once it ended. */
  call(callId: string): SimCallView | undefined {
    const c = this.world.calls.get(callId);
    if (c === undefined) return undefined;
    return {
      id: c.id,
      ids: [...c.ids],
      kind: c.kind,
      from: c.from,
      to: c.to,
      status: statusOf(c),
      queue: c.queue?.id,
      parties: c.parties.map((p) => (p.kind === 'external' ? p.address : p.leg.agent.extension)),
      dtmf: c.dtmf,
    };
  }

  /** Ids of the live calls. */
  callIds(): string[] {
    const out = new Set<string>();
    for (const c of this.world.calls.values()) out.add(c.id);
    return [...out];
  }

  /** A queue's current figures (seed 001's queueData). UCCE only: CCX has no queue statistics. */
  queueData(queueId: string): QueueData {
    if (this.world.flavor === Flavor.UCCX) throw new SwitchboardError(ErrorCode.NOT_SUPPORTED, 'queue statistics are not available on UCCX (seed 001)');
    const q = this.world.queues.get(queueId);
    if (q === undefined) throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `unknown queue "${queueId}"`);
    return q.compute();
  }

  private agentOf(agentId: string): SimAgent {
    const a = this.world.agents.get(agentId);
    if (a === undefined) throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `unknown agent "${agentId}" (known: ${[...this.world.agents.keys()].join(', ')})`);
    return a;
  }

  private callOf(callId: string): Call {
    const c = this.world.calls.get(callId);
    if (c === undefined) throw new SwitchboardError(ErrorCode.PLATFORM_ERROR, `unknown call "${callId}" (it never existed or has ended)`);
    return c;
  }
}

function statusOf(c: Call): SimCallStatus {
  if (c.waiting) return 'queued';
  if (t.isAnswered(c)) return 'connected';
  for (const p of c.parties) if (p.kind === 'leg' && p.leg.state === WorkitemState.Offered && p.leg.direction === Direction.Incoming) return 'ringing';
  return 'dialing';
}
