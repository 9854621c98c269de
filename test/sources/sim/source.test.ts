/**
 * The Source port as the simulator implements it: what it declares, 202-then-notification
 * timing (latency), ordering, disconnect and call recovery, request errors, re-entrancy, and the
 * option checks at construction.
 */
import { describe, expect, it } from 'vitest';
import { ALL_REQUEST_TYPES, SimulatedClock, isSwitchboardError, type PlatformRequest, type PlatformUpdate } from '../../../src/core/index.js';
import { SimContactCenter } from '../../../src/sources/sim/index.js';
import { AGENTS, Desk, QUEUES, T0, desks, makeCenter } from './helpers.js';

describe('the Source', () => {
  it('is kind "sim", supports every request type, and is the same object per agent', () => {
    const { cc } = makeCenter();
    const s = cc.source('1001');
    expect(s.kind).toBe('sim');
    expect([...s.supports].sort()).toEqual([...ALL_REQUEST_TYPES].sort());
    expect(cc.source('1001')).toBe(s);
    expect(() => cc.source('nobody')).toThrow(/unknown agent "nobody"/);
  });

  it('delivers a request\'s updates after the request resolved, even with latency 0', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    const before = a!.updates.length;
    await cc.source('1001').request({ type: 'setAgentState', channelId: 'voice', state: 'Ready', requestId: 'r1' });
    expect(a!.updates.length).toBe(before);
    clock.advance(0);
    expect(a!.updates.slice(before).find((u) => u.type === 'agentState')).toMatchObject({ type: 'agentState', state: 'Ready', requestId: 'r1', at: T0 });
  });

  it('with latencyMs, updates arrive that much later and stay in order with spontaneous ones', async () => {
    const { clock, cc } = makeCenter({ latencyMs: 300 });
    const [a] = await desks(cc, clock, '1001');
    await cc.source('1001').request({ type: 'setAgentState', channelId: 'voice', state: 'Ready', requestId: 'r1' });
    clock.advance(100);
    // Routed at once in the world, but it must not overtake the login it depends on.
    cc.arrive({ from: '+41445550101', queue: 'sales' });
    expect(a!.updates.filter((u) => u.type === 'agentState' || u.type === 'workitemAdded')).toEqual([]);
    clock.advance(199);
    expect(a!.updates.some((u) => u.type === 'agentState')).toBe(false);
    clock.advance(1);
    const order = a!.updates.filter((u) => u.type === 'agentState' || u.type === 'workitemAdded').map((u) => u.type);
    expect(order).toEqual(['agentState', 'workitemAdded']);
    a!.expectClean();
  });

  it('carries out requests without a connection (like REST without XMPP)', async () => {
    const { clock, cc } = makeCenter();
    await cc.source('1001').request({ type: 'setAgentState', channelId: 'voice', state: 'Ready', requestId: 'r1' });
    clock.advance(0);
    expect(cc.agent('1001').state).toBe('Ready');
  });

  it('stops emitting to a disconnected emitter, and drops what was still on its way', async () => {
    const { clock, cc } = makeCenter({ latencyMs: 500 });
    const [a] = await desks(cc, clock, '1001');
    await cc.source('1001').request({ type: 'setAgentState', channelId: 'voice', state: 'Ready', requestId: 'r1' });
    await cc.source('1001').disconnect();
    const n = a!.updates.length;
    clock.advance(1000);
    cc.arrive({ from: '+41445550101', queue: 'sales' });
    expect(a!.updates.length).toBe(n);
    expect(cc.source('1001').connected).toBe(false);
  });

  it('on reconnect re-announces each live call once, in its current state, and no ended call', async () => {
    const { clock, cc } = makeCenter();
    const [a, b] = await desks(cc, clock, '1001', '1002');
    await b!.login();
    await a!.login();
    const ended = cc.arrive({ from: '+41445550100', queue: 'sales' });
    await a!.do({ type: 'answer', workitemId: ended });
    await a!.do({ type: 'end', workitemId: ended });
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    clock.advance(2000);
    await a!.do({ type: 'answer', workitemId: id });
    await a!.do({ type: 'consult', workitemId: id, address: '1002001' });
    const consultId = b!.only().id;
    await b!.do({ type: 'answer', workitemId: consultId });
    await a!.source.disconnect();
    clock.advance(5000);
    const reload = await new Desk(cc, '1001', clock).connect();
    const added = reload.updates.filter((u): u is Extract<PlatformUpdate, { type: 'workitemAdded' }> => u.type === 'workitemAdded');
    expect(added.map((u) => [u.workitem.id, u.workitem.state, u.workitem.classification])).toEqual([
      [id, 'Paused', 'Customer'],
      [consultId, 'Active', 'Consultation'],
    ]);
    expect(added[0]?.workitem.connectedAt).toBe(new Date(T0 + 2000).toISOString());
    expect(added[0]?.workitem.capabilities).toEqual(['Transfer', 'Conference', 'End', 'UpdateData']);
    expect(reload.updates.map((u) => u.type).slice(0, 3)).toEqual(['session', 'queue', 'agentState']);
    expect(reload.channel.state).toBe('Active');
    expect(reload.events.filter((e) => e.type === 'workitemCreate')).toHaveLength(2);
    // The recovered session goes on as if nothing happened.
    await reload.do({ type: 'transfer', workitemId: id, consultId });
    expect(reload.items).toEqual([]);
    reload.expectClean();
  });

  it('a re-announcement into the same session is refused by the core, never a second workitemCreate', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    await a!.connect();
    expect(a!.events.filter((e) => e.type === 'workitemCreate' && e.data.id === id)).toHaveLength(1);
  });
});

describe('request errors', () => {
  it('an unknown workitem is PLATFORM_ERROR naming it, with the requestId', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const err = await a!.fail({ type: 'hold', workitemId: '404', requestId: 'req-404' });
    expect(err).toMatchObject({ code: 'PLATFORM_ERROR', requestId: 'req-404' });
    expect(err.message).toContain('"404"');
  });

  it('a step not possible now is NOT_CAPABLE naming the state and what is possible', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    const err = await a!.fail({ type: 'hold', workitemId: id });
    expect(err.code).toBe('NOT_CAPABLE');
    expect(err.message).toBe(`workitem "${id}" is Offered: Hold is not possible now (possible: Answer)`);
    expect((await a!.fail({ type: 'end', workitemId: id })).code).toBe('NOT_CAPABLE');
    expect(a!.item(id).state).toBe('Offered');
  });

  it('a request without a requestId, or of an unknown type, is refused', async () => {
    const { cc } = makeCenter();
    const s = cc.source('1001');
    const noId = await s.request({ type: 'setAgentState', channelId: 'voice', state: 'Ready' } as PlatformRequest).catch((e: unknown) => e);
    expect(isSwitchboardError(noId) && noId.code).toBe('INVALID_ARGUMENT');
    const unknown = await s.request({ type: 'park', requestId: 'p1' } as unknown as PlatformRequest).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'NOT_CAPABLE', requestId: 'p1' });
    expect(cc.agent('1001').loggedIn).toBe(false);
  });

  it('a listener that calls the world synchronously is told to defer; requests from listeners work', async () => {
    const { clock, cc } = makeCenter();
    let thrown: unknown;
    const s = cc.source('1001');
    await s.connect((u) => {
      if (u.type === 'agentState' && u.state === 'Ready') {
        try {
          cc.arrive({ from: '+41445550101', queue: 'sales' });
        } catch (err) {
          thrown = err;
        }
      }
      if (u.type === 'workitemAdded') void s.request({ type: 'answer', workitemId: u.workitem.id, requestId: 'auto-answer' });
    });
    // Spontaneous updates are delivered inside the world's operation: a nested command must wait.
    cc.setAgentState('1001');
    expect(thrown).toMatchObject({ code: 'INVALID_STATE' });
    cc.arrive({ from: '+41445550101', queue: 'sales' });
    await Promise.resolve();
    await Promise.resolve();
    clock.advance(0);
    expect(cc.agent('1001').workitems[0]?.state).toBe('Active');
  });

  it('a listener that throws does not stop the simulator', async () => {
    const { clock, cc } = makeCenter({ onEmitError: (e) => errors.push(e) });
    const errors: unknown[] = [];
    await cc.source('1001').connect(() => {
      throw new Error('sink down');
    });
    cc.setAgentState('1001');
    cc.arrive({ from: '+41445550101', queue: 'sales' });
    clock.advance(0);
    expect(errors.length).toBeGreaterThan(1);
    expect(cc.agent('1001').workitems).toHaveLength(1);
  });

  it('world commands on unknown calls fail naming the call', () => {
    const { cc } = makeCenter();
    expect(() => cc.farEndAnswer('77')).toThrow(/unknown call "77"/);
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    expect(() => cc.farEndAnswer(id)).toThrow(/no outside number ringing/);
    expect(() => cc.callerHangup(id, '+1999')).toThrow(/no outside party "\+1999"/);
  });
});

describe('options', () => {
  const base = { clock: new SimulatedClock(T0), agents: AGENTS, queues: QUEUES };
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['duplicate agent id', { agents: [AGENTS[0], { ...AGENTS[1], id: '1001' }] }, /agents\[1\]\.id "1001" is used twice/],
    ['duplicate extension', { agents: [AGENTS[0], { ...AGENTS[1], extension: '1001001' }] }, /agents\[1\]\.extension "1001001" is used twice/],
    ['unknown skill', { agents: [{ ...AGENTS[0], skills: ['nope'] }] }, /agents\[0\]\.skills names unknown queue "nope"/],
    ['no queues', { queues: [] }, /queues must be a non-empty array/],
    ['bad flavor', { flavor: 'CCX' }, /flavor must be UCCE or UCCX/],
    ['bad wrap-up', { wrapup: 'yes' }, /wrapup must be required, optional or off/],
    ['non-integer reason id', { reasonCodes: { NotReady: [{ id: 'x', label: 'X' }] } }, /reasonCodes\.NotReady\[0\]\.id must be a non-negative integer/],
    ['negative latency', { latencyMs: -1 }, /latencyMs must be a finite number >= 0/],
    ['bad arrival rate', { arrivals: { perMinute: 0 } }, /arrivals\.perMinute must be a number > 0/],
    ['bad auto range', { autoAgents: { answerDelayMs: [5, 1] } }, /autoAgents\.answerDelayMs must be \[min, max\]/],
    ['unknown auto agent', { autoAgents: { agents: ['x'] } }, /autoAgents\.agents names unknown agent "x"/],
  ];
  for (const [name, patch, message] of cases) {
    it(`refuses ${name} with INVALID_ARGUMENT naming the field`, () => {
      let err: unknown;
      try {
        new SimContactCenter({ ...base, ...patch });
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect((err as Error).message).toMatch(message);
    });
  }
});
