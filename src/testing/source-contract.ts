/**
 * @module testing/source-contract
 * The contract every {@link Source} must meet, as one reusable vitest suite (after hono's
 * `common.case.test.ts`): the simulator runs it, and so will Finesse against its emulator. It
 * asks only for what any platform can do — connect, make a call arrive, let time pass — and
 * checks what the core and the sinks rely on: the session comes first, updates echo the
 * request's id, a bad request fails with a SwitchboardError carrying that id, call recovery
 * re-announces live calls once and ended ones never, and every update fits the core's state
 * machine (fed through a real AgentSession, which reports anything that does not fit).
 *
 * An adapter that cannot run a case lists it in `skip` with the reason; the case then shows as
 * skipped with that reason in its name.
 */
import { describe, expect, it } from 'vitest';
import { SimulatedClock, type Clock } from '../core/clock.js';
import { isSwitchboardError } from '../core/errors.js';
import type { DomainEvent } from '../core/events.js';
import { ChannelType, WorkitemState, type Flavor } from '../core/model.js';
import { AgentSession } from '../core/session.js';
import type { PlatformRequest, Source } from '../core/source.js';
import type { PlatformUpdate, SessionUpdate, WorkitemAddedUpdate } from '../core/updates.js';

/** What the contract needs from a platform under test (one agent, signed out, no calls). */
export interface SourceHarness {
  /** The source under test, not yet connected. */
  readonly source: Source;
  /** Time for the sessions (the platform's clock when it is simulated). Default: a SimulatedClock at 0. */
  readonly clock?: Clock;
  readonly flavor?: Flavor;
  /** Let `ms` of platform time pass; 0 delivers what is due now. */
  advance(ms: number): Promise<void>;
  /** Make an inbound customer call arrive and ring at this agent (the agent is Ready and idle). */
  arriveCall(call: { from: string; callVariables?: Record<string, string> }): Promise<void>;
  /** The caller hangs up the connected call `workitemId`. Without it, that case is skipped. */
  callerHangup?(workitemId: string): Promise<void>;
  /** A Source for the same agent as after a page reload. Default: the same source, reconnected. */
  reconnect?(): Source | Promise<Source>;
  close?(): Promise<void>;
}

export const CONTRACT_CASES = [
  'session first',
  'login',
  'reconnect state',
  'inbound offered',
  'answer',
  'hold and resume',
  'end',
  'caller hangup',
  'unknown workitem',
  'update data',
  'recovery',
  'disconnect',
] as const;
export type ContractCase = (typeof CONTRACT_CASES)[number];

export interface SourceContractOptions {
  /** Cases this adapter cannot run, each with its reason. */
  skip?: Partial<Record<ContractCase, string>>;
  /** How long to wait (platform time, ms) for an expected update. Default 30000. */
  waitMs?: number;
}

type WithoutId<R> = R extends PlatformRequest ? Omit<R, 'requestId'> : never;

/** A connected source feeding a real AgentSession, recording updates and events. */
class Desk {
  readonly updates: PlatformUpdate[] = [];
  readonly events: DomainEvent[] = [];
  session: AgentSession;
  source: Source;
  private n = 0;

  constructor(
    readonly h: SourceHarness,
    private readonly waitMs: number,
  ) {
    this.source = h.source;
    this.session = this.newSession();
  }

  private newSession(): AgentSession {
    const session = new AgentSession({ clock: this.h.clock ?? new SimulatedClock(0), ...(this.h.flavor !== undefined ? { flavor: this.h.flavor } : {}) });
    session.subscribe((e) => this.events.push(e));
    return session;
  }

  async connect(): Promise<void> {
    const session = this.session;
    const updates = this.updates;
    await this.source.connect((u) => {
      updates.push(u);
      session.apply(u);
    });
    await this.h.advance(0);
  }

  /** A new session and a (re)connected source, as after a page reload; returns what it received. */
  async reload(): Promise<PlatformUpdate[]> {
    await this.source.disconnect();
    this.source = this.h.reconnect === undefined ? this.h.source : await this.h.reconnect();
    this.session = this.newSession();
    const start = this.updates.length;
    await this.connect();
    return this.updates.slice(start);
  }

  get channelId(): string {
    const s = this.updates.find((u): u is SessionUpdate => u.type === 'session');
    const ch = s?.channels.find((c) => c.type === ChannelType.Voice);
    if (ch === undefined) throw new Error('no voice channel announced');
    return ch.id;
  }

  async request(r: WithoutId<PlatformRequest>): Promise<string> {
    const requestId = `contract-${++this.n}`;
    await this.source.request({ ...r, requestId });
    return requestId;
  }

  /** Let time pass until `pred` holds (or fail after `waitMs`). */
  async until(what: string, pred: () => boolean): Promise<void> {
    await this.h.advance(0);
    for (let waited = 0; !pred(); waited += 100) {
      if (waited >= this.waitMs) throw new Error(`timed out waiting for ${what}`);
      await this.h.advance(100);
    }
  }

  updatesFor(requestId: string): PlatformUpdate[] {
    return this.updates.filter((u) => u.requestId === requestId);
  }

  async login(): Promise<void> {
    const id = await this.request({ type: 'setAgentState', channelId: this.channelId, state: 'Ready' });
    await this.until('the agent to be Ready', () => this.updatesFor(id).some((u) => u.type === 'agentState' && u.state === 'Ready'));
  }

  /** Login, a call arrives, returns its workitem id once Offered. */
  async ringing(callVariables?: Record<string, string>): Promise<string> {
    await this.login();
    const known = new Set(Object.keys(this.session.state.workitems));
    await this.h.arriveCall({ from: '+41445550199', ...(callVariables !== undefined ? { callVariables } : {}) });
    let id: string | undefined;
    await this.until('an Offered call', () => {
      id = Object.values(this.session.state.workitems).find((w) => !known.has(w.id) && w.state === WorkitemState.Offered)?.id;
      return id !== undefined;
    });
    return id as string;
  }

  state(id: string): WorkitemState | undefined {
    return this.session.state.workitems[id]?.state;
  }

  async step(id: string, type: 'answer' | 'hold' | 'resume' | 'end', expected: WorkitemState[]): Promise<string> {
    const requestId = await this.request({ type, workitemId: id });
    await this.until(`${type} to take effect`, () => this.updatesFor(requestId).some((u) => u.type === 'workitemState' && u.id === id && expected.includes(u.state)));
    return requestId;
  }

  /** End wrap-up (with a reason, for platforms where it is required) until the item is gone. */
  async finishWrapup(id: string): Promise<void> {
    if (this.state(id) !== WorkitemState.Wrapup) return;
    const reason = this.session.state.reasonCodes.Wrapup?.[0]?.label ?? 'Done';
    await this.request({ type: 'updateData', workitemId: id, data: { wrapUpReason: reason } });
    await this.request({ type: 'setAgentState', channelId: this.channelId, state: 'Ready' });
    await this.until('wrap-up to end', () => this.session.state.workitems[id] === undefined);
  }

  expectClean(): void {
    const errors = this.events.flatMap((e) => (e.type === 'error' ? [e.data.message] : []));
    expect(errors).toEqual([]);
  }
}

/**
 * Register the Source contract suite for one adapter.
 *
 * @example
 * sourceContract('sim', () => {
 *   const clock = new SimulatedClock(Date.parse('2026-01-05T09:00:00Z'));
 *   const cc = new SimContactCenter({ clock, agents: [agent], queues: [queue] });
 *   return {
 *     source: cc.source(agent.id),
 *     clock,
 *     advance: async (ms) => clock.advance(ms),
 *     arriveCall: async (c) => { cc.arrive({ from: c.from, queue: queue.id, callVariables: c.callVariables }); },
 *   };
 * });
 */
export function sourceContract(name: string, makeHarness: () => SourceHarness | Promise<SourceHarness>, options: SourceContractOptions = {}): void {
  const waitMs = options.waitMs ?? 30_000;
  const skip = options.skip ?? {};
  const test = (c: ContractCase, title: string, body: (d: Desk, h: SourceHarness) => Promise<void>): void => {
    const reason = skip[c];
    it.skipIf(reason !== undefined)(reason === undefined ? title : `${title} (skipped: ${reason})`, async () => {
      const h = await makeHarness();
      const desk = new Desk(h, waitMs);
      try {
        await desk.connect();
        await body(desk, h);
        desk.expectClean();
      } finally {
        await desk.source.disconnect();
        await h.close?.();
      }
    });
  };

  describe(`Source contract: ${name}`, () => {
    test('session first', 'connect emits a session update first, with the agent and a voice channel', async (d, h) => {
      await h.advance(0);
      expect(typeof h.source.kind).toBe('string');
      expect(h.source.kind.length).toBeGreaterThan(0);
      const first = d.updates[0];
      expect(first?.type).toBe('session');
      const s = first as SessionUpdate;
      expect(s.agent.agentId.length).toBeGreaterThan(0);
      expect(s.channels.some((c) => c.type === ChannelType.Voice)).toBe(true);
    });

    test('login', 'setAgentState Ready gives an agentState Ready update echoing the requestId', async (d) => {
      const id = await d.request({ type: 'setAgentState', channelId: d.channelId, state: 'Ready' });
      await d.until('agentState Ready', () => d.updatesFor(id).some((u) => u.type === 'agentState' && u.state === 'Ready'));
      expect(d.session.state.channels[d.channelId]?.state).toBe('Ready');
    });

    test('reconnect state', 'a reconnect sends the session, then the current agent state before any workitem', async (d) => {
      await d.login();
      const again = await d.reload();
      expect(again[0]?.type).toBe('session');
      const stateAt = again.findIndex((u) => u.type === 'agentState');
      expect(stateAt).toBeGreaterThan(0);
      const firstItem = again.findIndex((u) => u.type === 'workitemAdded');
      if (firstItem >= 0) expect(stateAt).toBeLessThan(firstItem);
      expect(d.session.state.channels[d.channelId]?.state).toBe('Ready');
    });

    test('inbound offered', 'an inbound call appears Offered, Incoming, answerable, with its ctiData', async (d) => {
      const id = await d.ringing({ callVariable1: 'contract-42' });
      const added = d.updates.find((u): u is WorkitemAddedUpdate => u.type === 'workitemAdded' && u.workitem.id === id);
      expect(added?.workitem.state).toBe(WorkitemState.Offered);
      expect(added?.workitem.direction).toBe('Incoming');
      expect(added?.workitem.ani).toBe('+41445550199');
      expect(added?.workitem.ctiData?.callVariable1).toBe('contract-42');
      expect(added?.workitem.capabilities).toContain('Answer');
      expect(d.events.filter((e) => e.type === 'workitemCreate')).toHaveLength(1);
    });

    test('answer', 'answer makes the item Active, echoing the requestId', async (d) => {
      const id = await d.ringing();
      await d.step(id, 'answer', [WorkitemState.Active]);
      expect(d.state(id)).toBe(WorkitemState.Active);
      expect(d.session.state.workitems[id]?.connectedAt).toBeTruthy();
      expect(d.events.some((e) => e.type === 'workitemConnect')).toBe(true);
    });

    test('hold and resume', 'hold pauses the call and resume makes it Active again', async (d) => {
      const id = await d.ringing();
      await d.step(id, 'answer', [WorkitemState.Active]);
      await d.step(id, 'hold', [WorkitemState.Paused]);
      expect(d.session.state.workitems[id]?.capabilities).toContain('Resume');
      await d.step(id, 'resume', [WorkitemState.Active]);
      expect(d.events.map((e) => e.type).filter((t) => t === 'workitemPause' || t === 'workitemResume')).toEqual(['workitemPause', 'workitemResume']);
    });

    test('end', 'end ends the call (through wrap-up when it is on) and the item disappears once', async (d) => {
      const id = await d.ringing();
      await d.step(id, 'answer', [WorkitemState.Active]);
      await d.step(id, 'end', [WorkitemState.Wrapup, WorkitemState.Ended]);
      await d.finishWrapup(id);
      expect(d.session.state.workitems[id]).toBeUndefined();
      expect(d.events.filter((e) => e.type === 'workitemEnd')).toHaveLength(1);
    });

    test('caller hangup', 'a caller hanging up ends the connected call for the agent', async (d, h) => {
      if (h.callerHangup === undefined) throw new Error('the harness has no callerHangup: list "caller hangup" in skip');
      const id = await d.ringing();
      await d.step(id, 'answer', [WorkitemState.Active]);
      await h.callerHangup(id);
      await d.until('the call to leave Active', () => d.state(id) !== WorkitemState.Active);
      expect([WorkitemState.Wrapup, undefined]).toContain(d.state(id));
      await d.finishWrapup(id);
    });

    test('unknown workitem', 'a request for an unknown workitem rejects with a SwitchboardError carrying the requestId', async (d) => {
      await d.login();
      const requestId = 'contract-unknown';
      const err: unknown = await d.source.request({ type: 'answer', workitemId: 'no-such-item', requestId }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isSwitchboardError(err)).toBe(true);
      expect((err as { requestId?: string }).requestId).toBe(requestId);
      expect((err as { message: string }).message).toContain('no-such-item');
    });

    test('update data', 'updateData gives a workitemData update with the changed keys, echoing the requestId', async (d) => {
      const id = await d.ringing();
      await d.step(id, 'answer', [WorkitemState.Active]);
      const requestId = await d.request({ type: 'updateData', workitemId: id, data: { callVariable3: 'contract-data' } });
      await d.until('workitemData', () => d.updatesFor(requestId).some((u) => u.type === 'workitemData'));
      expect(d.session.state.workitems[id]?.ctiData.callVariable3).toBe('contract-data');
      expect(d.events.some((e) => e.type === 'callVariableChanged')).toBe(true);
    });

    test('recovery', 'a reconnect re-announces a live call once, in its current state, and no ended call', async (d) => {
      const first = await d.ringing();
      await d.step(first, 'answer', [WorkitemState.Active]);
      await d.step(first, 'end', [WorkitemState.Wrapup, WorkitemState.Ended]);
      await d.finishWrapup(first);
      const known = new Set(Object.keys(d.session.state.workitems));
      await d.h.arriveCall({ from: '+41445550198' });
      let second: string | undefined;
      await d.until('a second Offered call', () => {
        second = Object.values(d.session.state.workitems).find((w) => !known.has(w.id) && w.state === WorkitemState.Offered)?.id;
        return second !== undefined;
      });
      const live = second as string;
      await d.step(live, 'answer', [WorkitemState.Active]);
      await d.step(live, 'hold', [WorkitemState.Paused]);
      const again = await d.reload();
      const added = again.filter((u): u is WorkitemAddedUpdate => u.type === 'workitemAdded');
      expect(added.map((u) => u.workitem.id)).toEqual([live]);
      expect(added[0]?.workitem.state).toBe(WorkitemState.Paused);
      expect(d.session.state.workitems[live]?.state).toBe(WorkitemState.Paused);
      expect(d.events.filter((e) => e.type === 'workitemCreate' && e.data.id === live)).toHaveLength(2);
    });

    test('disconnect', 'after disconnect the old emitter receives nothing', async (d, h) => {
      await d.login();
      await d.source.disconnect();
      const before = d.updates.length;
      await h.arriveCall({ from: '+41445550197' });
      await h.advance(1000);
      expect(d.updates.length).toBe(before);
      await d.reload();
      expect(d.updates.length).toBeGreaterThan(before);
    });
  });
}
