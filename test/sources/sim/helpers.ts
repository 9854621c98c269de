/**
 * Shared set-up for the simulator tests: a small center on a simulated clock, and a `Desk` per
 * agent that feeds the agent's Source into a real AgentSession (so every update is checked by
 * the core's state machine) and records updates and domain events.
 */
import { expect } from 'vitest';
import {
  AgentSession,
  Flavor,
  SimulatedClock,
  isSwitchboardError,
  type DomainEvent,
  type PlatformRequest,
  type PlatformUpdate,
  type Workitem,
} from '../../../src/core/index.js';
import { SimContactCenter, type SimAgentConfig, type SimContactCenterOptions, type SimQueueConfig } from '../../../src/sources/sim/index.js';

export const T0 = Date.parse('2026-01-05T09:00:00.000Z');

export const AGENTS: SimAgentConfig[] = [
  { id: '1001', extension: '1001001', firstName: 'Ada', lastName: 'Meier', loginName: 'ameier', teamId: 't1', skills: ['sales', 'support'] },
  { id: '1002', extension: '1002001', firstName: 'Ben', lastName: 'Keller', loginName: 'bkeller', teamId: 't1', skills: ['support'] },
  { id: '1003', extension: '1003001', firstName: 'Cleo', lastName: 'Rossi', loginName: 'crossi', teamId: 't2', skills: ['sales'] },
];

export const QUEUES: SimQueueConfig[] = [
  { id: 'sales', name: 'Sales', dialedNumber: '8005550100' },
  { id: 'support', name: 'Support', dialedNumber: '8005550200' },
];

export type Options = Partial<Omit<SimContactCenterOptions, 'clock'>>;

export function makeCenter(options: Options = {}): { clock: SimulatedClock; cc: SimContactCenter } {
  const clock = new SimulatedClock(T0);
  const cc = new SimContactCenter({ clock, agents: AGENTS, queues: QUEUES, ...options });
  return { clock, cc };
}

type WithoutId<R> = R extends PlatformRequest ? Omit<R, 'requestId'> & { requestId?: string } : never;

/** One agent's desktop: Source → AgentSession, with everything recorded. */
export class Desk {
  readonly updates: PlatformUpdate[] = [];
  readonly events: DomainEvent[] = [];
  readonly session: AgentSession;
  private n = 0;

  constructor(
    readonly cc: SimContactCenter,
    readonly agentId: string,
    readonly clock: SimulatedClock,
  ) {
    this.session = new AgentSession({ clock, flavor: cc.flavor });
    this.session.subscribe((e) => this.events.push(e));
  }

  get source() {
    return this.cc.source(this.agentId);
  }

  async connect(): Promise<this> {
    await this.source.connect((u) => {
      this.updates.push(u);
      this.session.apply(u);
    });
    return this;
  }

  /** Send a request (requestId generated unless given) and let its updates arrive. */
  async do(r: WithoutId<PlatformRequest>): Promise<string> {
    const requestId = r.requestId ?? `${this.agentId}-r${++this.n}`;
    await this.source.request({ ...r, requestId });
    this.clock.advance(0);
    return requestId;
  }

  /** Send a request that must fail; returns the error. */
  async fail(r: WithoutId<PlatformRequest>): Promise<{ code: string; message: string; requestId: string | undefined }> {
    const requestId = r.requestId ?? `${this.agentId}-r${++this.n}`;
    try {
      await this.source.request({ ...r, requestId });
    } catch (err) {
      expect(isSwitchboardError(err)).toBe(true);
      const e = err as { code: string; message: string; requestId: string | undefined };
      expect(e.requestId).toBe(requestId);
      return e;
    }
    throw new Error(`request ${r.type} should have failed`);
  }

  login(state: 'Ready' | 'NotReady' = 'Ready', reasonCode?: string): Promise<string> {
    return this.do({ type: 'setAgentState', channelId: 'voice', state, ...(reasonCode !== undefined ? { reasonCode } : {}) });
  }

  /** Workitems the session knows now. */
  get items(): Workitem[] {
    return Object.values(this.session.state.workitems);
  }

  item(id: string): Workitem {
    const wi = this.session.state.workitems[id];
    if (wi === undefined) throw new Error(`agent ${this.agentId} has no workitem ${id} (has: ${Object.keys(this.session.state.workitems).join(', ')})`);
    return wi;
  }

  only(): Workitem {
    const all = this.items;
    if (all.length !== 1 || all[0] === undefined) throw new Error(`agent ${this.agentId} has ${all.length} workitems`);
    return all[0];
  }

  get channel() {
    const ch = Object.values(this.session.state.channels)[0];
    if (ch === undefined) throw new Error('no channel');
    return ch;
  }

  names(): string[] {
    return this.events.map((e) => e.type);
  }

  /** Workitem event names for one id, in order. */
  lifecycle(id: string): string[] {
    return this.events.filter((e) => e.type !== 'error' && e.type !== 'agentStateChange' && e.type !== 'queueDataUpdate' && e.type !== 'interactionEnd' && e.type !== 'workitemUpdate' && e.data.id === id).map((e) => e.type);
  }

  agentStates(): string[] {
    return this.events.flatMap((e) => (e.type === 'agentStateChange' ? [e.data.newState] : []));
  }

  errors(): DomainEvent[] {
    return this.events.filter((e) => e.type === 'error');
  }

  /** The core's state machine accepted every update. */
  expectClean(): void {
    expect(this.errors().map((e) => (e.type === 'error' ? e.data.message : ''))).toEqual([]);
  }

  clear(): void {
    this.updates.length = 0;
    this.events.length = 0;
  }
}

export async function desks(cc: SimContactCenter, clock: SimulatedClock, ...ids: string[]): Promise<Desk[]> {
  const out: Desk[] = [];
  for (const id of ids) out.push(await new Desk(cc, id, clock).connect());
  return out;
}

export { Flavor };
