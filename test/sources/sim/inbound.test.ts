/**
 * Inbound calls end to end: connect, login, ACD offer with ctiData, answer, hold, hang-up,
 * wrap-up on/off/required, abandon while queued or ringing, caller hang-up, and the ACD's
 * routing rule (longest-waiting call to longest-idle agent).
 */
import { describe, expect, it } from 'vitest';
import type { SessionUpdate, WorkitemAddedUpdate } from '../../../src/core/index.js';
import { Desk, T0, desks, makeCenter } from './helpers.js';

describe('connect', () => {
  it('sends the session (agent, voice_<peripheral>, reason codes) first; nothing else while signed out but the queue list', async () => {
    const { clock, cc } = makeCenter({ peripheralId: 5010 });
    const [a] = await desks(cc, clock, '1001');
    const s = a!.updates[0] as SessionUpdate;
    expect(s.type).toBe('session');
    expect(s.agent).toEqual({ agentId: '1001', extension: '1001001', firstName: 'Ada', lastName: 'Meier', loginName: 'ameier', teamId: 't1' });
    expect(s.channels).toEqual([{ id: 'voice_5010', type: 'Voice' }]);
    expect(s.reasonCodes?.NotReady?.[0]).toEqual({ id: '1', label: 'Break' });
    expect(a!.updates.map((u) => u.type)).toEqual(['session', 'queue']);
    expect(a!.channel.state).toBe('Logout');
    a!.expectClean();
  });

  it('sends the current agent state when the agent is already signed in', async () => {
    const { clock, cc } = makeCenter();
    cc.setAgentState('1001', 'NotReady', '2');
    const [a] = await desks(cc, clock, '1001');
    expect(a!.updates.map((u) => u.type)).toEqual(['session', 'queue', 'agentState']);
    expect(a!.channel).toMatchObject({ state: 'NotReady', reasonCode: 2, reasonCodeLabel: 'Lunch' });
    a!.expectClean();
  });
});

describe('an inbound call', () => {
  it('is offered to a Ready agent with the ctiData of seed 001', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales', callVariables: { callVariable1: 'ACC-1', 2: 'two' }, ecc: { lang: 'de', 'user.tier': 'gold' } });
    const added = a!.updates.find((u): u is WorkitemAddedUpdate => u.type === 'workitemAdded')!;
    expect(added.workitem).toMatchObject({
      id,
      channelId: 'voice_5000',
      classification: 'Customer',
      direction: 'Incoming',
      state: 'Offered',
      ani: '+41445550101',
      participants: [{ address: '+41445550101' }, { address: '1001001' }],
      capabilities: ['Answer'],
    });
    expect(added.workitem.ctiData).toEqual({
      callType: 'ACD_IN',
      DNIS: '8005550100',
      dialedNumber: '8005550100',
      mediaId: '1',
      callKeyCallId: '1',
      callKeyPrefix: String(Math.floor(T0 / 86_400_000)),
      queueName: 'Sales',
      queueNumber: 'sales',
      callVariable1: 'ACC-1',
      callVariable2: 'two',
      'user.lang': 'de',
      'user.tier': 'gold',
    });
    expect(added.requestId).toBeUndefined();
    expect(a!.names()).toContain('workitemCreate');
    expect(cc.call(id)?.status).toBe('ringing');
    a!.expectClean();
  });

  it('uses the dnis the caller dialled', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const id = cc.arrive({ from: '0445550101', queue: 'sales', dnis: '0800123123' });
    expect(a!.item(id).ctiData).toMatchObject({ DNIS: '0800123123', dialedNumber: '0800123123' });
  });

  it('answer, hold, resume, hang-up, wrap-up and Ready: every lifecycle event once, agent state following', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    clock.advance(3000);
    const answerId = await a!.do({ type: 'answer', workitemId: id });
    expect(a!.item(id)).toMatchObject({ state: 'Active', connectedAt: new Date(T0 + 3000).toISOString() });
    expect(a!.item(id).capabilities).toEqual(['Hold', 'End', 'Consult', 'DirectTransfer', 'SingleStepConference', 'SendDtmf', 'UpdateData']);
    expect(a!.updates.filter((u) => u.requestId === answerId).map((u) => u.type)).toEqual(['workitemState', 'agentState']);
    await a!.do({ type: 'hold', workitemId: id });
    expect(a!.item(id).capabilities).toEqual(['Resume', 'End', 'UpdateData']);
    expect(a!.channel.state).toBe('Active');
    await a!.do({ type: 'resume', workitemId: id });
    await a!.do({ type: 'end', workitemId: id });
    expect(a!.item(id)).toMatchObject({ state: 'Wrapup', capabilities: ['UpdateData', 'SetWrapupReason'] });
    expect(a!.channel.state).toBe('Wrapup');
    await a!.login();
    expect(a!.items).toEqual([]);
    expect(a!.lifecycle(id)).toEqual(['workitemCreate', 'workitemConnect', 'workitemPause', 'workitemResume', 'workitemWrapup', 'workitemEnd']);
    expect(a!.agentStates()).toEqual(['Ready', 'Active', 'Wrapup', 'Ready']);
    expect(cc.call(id)).toBeUndefined();
    a!.expectClean();
  });

  it('with wrap-up off, ends right after hang-up and the agent is Ready again', async () => {
    const { clock, cc } = makeCenter({ wrapup: 'off' });
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    await a!.do({ type: 'answer', workitemId: id });
    await a!.do({ type: 'end', workitemId: id });
    expect(a!.lifecycle(id)).toEqual(['workitemCreate', 'workitemConnect', 'workitemEnd']);
    expect(a!.agentStates()).toEqual(['Ready', 'Active', 'Ready']);
    expect(cc.agent('1001').available).toBe(true);
    a!.expectClean();
  });

  it('wrap-up ends by itself after wrapupTimeoutMs', async () => {
    const { clock, cc } = makeCenter({ wrapupTimeoutMs: 30_000 });
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    await a!.do({ type: 'answer', workitemId: id });
    await a!.do({ type: 'end', workitemId: id });
    clock.advance(29_999);
    expect(a!.item(id).state).toBe('Wrapup');
    clock.advance(1);
    expect(a!.items).toEqual([]);
    expect(a!.channel.state).toBe('Ready');
    a!.expectClean();
  });

  it('wrap-up to NotReady with a reason ends the item and shows the reason', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    await a!.do({ type: 'answer', workitemId: id });
    await a!.do({ type: 'end', workitemId: id });
    await a!.do({ type: 'setAgentState', channelId: 'voice', state: 'NotReady', reasonCode: '3' });
    expect(a!.items).toEqual([]);
    expect(a!.channel).toMatchObject({ state: 'NotReady', reasonCode: 3, reasonCodeLabel: 'Meeting' });
    a!.expectClean();
  });

  it('with wrap-up required, the agent cannot leave wrap-up before a reason is set', async () => {
    const { clock, cc } = makeCenter({ wrapup: 'required' });
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    await a!.do({ type: 'answer', workitemId: id });
    await a!.do({ type: 'end', workitemId: id });
    const err = await a!.fail({ type: 'setAgentState', channelId: 'voice', state: 'Ready' });
    expect(err.code).toBe('INVALID_STATE');
    expect(err.message).toContain(id);
    expect(err.message).toContain('wrap-up reason');
    await a!.do({ type: 'updateData', workitemId: id, data: { wrapUpReason: 'Sales' } });
    expect(a!.names().filter((n) => n === 'wrapupDataChanged')).toHaveLength(1);
    await a!.login();
    expect(a!.lifecycle(id).at(-1)).toBe('workitemEnd');
    a!.expectClean();
  });

  it('no wrap-up for an unanswered call, and an agent without the skill never sees it', async () => {
    const { clock, cc } = makeCenter();
    const [a, b] = await desks(cc, clock, '1001', '1002');
    await b!.login();
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    expect(b!.items).toEqual([]);
    cc.abandon(id);
    expect(a!.lifecycle(id)).toEqual(['workitemCreate', 'workitemEnd']);
    a!.expectClean();
    b!.expectClean();
  });
});

describe('abandon and hang-up', () => {
  it('a caller who abandons while queued never reaches an agent', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    expect(cc.call(id)?.status).toBe('queued');
    expect(cc.queueData('sales').statistics.callsInQueue).toBe(1);
    cc.abandon(id);
    expect(cc.call(id)).toBeUndefined();
    expect(cc.queueData('sales').statistics.callsInQueue).toBe(0);
    await a!.login();
    expect(a!.items).toEqual([]);
    expect(cc.counters.abandoned).toBe(1);
    a!.expectClean();
  });

  it('a caller who abandons while ringing ends the item EndedAbandoned; the agent gets the next call', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const first = cc.arrive({ from: '+41445550101', queue: 'sales' });
    const second = cc.arrive({ from: '+41445550102', queue: 'sales' });
    cc.abandon(first);
    const end = a!.updates.find((u) => u.type === 'workitemState' && u.id === first);
    expect(end).toMatchObject({ state: 'EndedAbandoned' });
    expect(a!.item(second).state).toBe('Offered');
    a!.expectClean();
  });

  it('patience: an unanswered caller gives up after patienceMs', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales', patienceMs: 20_000 });
    clock.advance(20_000);
    expect(a!.items).toEqual([]);
    expect(a!.updates.some((u) => u.type === 'workitemState' && u.id === id && u.state === 'EndedAbandoned')).toBe(true);
    a!.expectClean();
  });

  it('patience does not end an answered call', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales', patienceMs: 20_000 });
    await a!.do({ type: 'answer', workitemId: id });
    clock.advance(60_000);
    expect(a!.item(id).state).toBe('Active');
  });

  it('a connected caller hanging up sends the item to wrap-up', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    await a!.do({ type: 'answer', workitemId: id });
    cc.callerHangup(id);
    expect(a!.item(id).state).toBe('Wrapup');
    expect(a!.channel.state).toBe('Wrapup');
    expect(() => cc.abandon(id)).toThrow(/unknown call/);
    a!.expectClean();
  });

  it('an answered call cannot be abandoned, only hung up', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    await a!.do({ type: 'answer', workitemId: id });
    expect(() => cc.abandon(id)).toThrow(/was answered/);
  });
});

describe('ACD', () => {
  it('gives the longest-waiting call to an agent who becomes Ready', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    const sales = cc.arrive({ from: '+41445550101', queue: 'sales' });
    clock.advance(1000);
    const support = cc.arrive({ from: '+41445550102', queue: 'support' });
    clock.advance(1000);
    expect(cc.queueData('sales').statistics.startTimeOfLongestCallInQueue).toBe(new Date(T0).toISOString());
    await a!.login();
    expect(a!.items.map((w) => w.id)).toEqual([sales]);
    expect(cc.call(support)?.status).toBe('queued');
  });

  it('gives a new call to the longest-idle Ready agent with the skill', async () => {
    const { clock, cc } = makeCenter();
    const [a, c] = await desks(cc, clock, '1001', '1003');
    await c!.login();
    clock.advance(5000);
    await a!.login();
    const first = cc.arrive({ from: '+41445550101', queue: 'sales' });
    expect(c!.items.map((w) => w.id)).toEqual([first]);
    const second = cc.arrive({ from: '+41445550102', queue: 'sales' });
    expect(a!.items.map((w) => w.id)).toEqual([second]);
    const third = cc.arrive({ from: '+41445550103', queue: 'sales' });
    expect(cc.call(third)?.status).toBe('queued');
    await c!.do({ type: 'answer', workitemId: first });
    await c!.do({ type: 'end', workitemId: first });
    expect(cc.call(third)?.status).toBe('queued');
    await c!.login();
    expect(c!.items.map((w) => w.id)).toEqual([third]);
    c!.expectClean();
    a!.expectClean();
  });

  it('a NotReady agent is not offered calls', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login('NotReady');
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    expect(a!.items).toEqual([]);
    await a!.do({ type: 'setAgentState', channelId: 'voice', state: 'Ready' });
    expect(a!.item(id).state).toBe('Offered');
  });

  it('offers the next queued call as soon as wrap-up ends', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const first = cc.arrive({ from: '+41445550101', queue: 'sales' });
    const second = cc.arrive({ from: '+41445550102', queue: 'sales' });
    await a!.do({ type: 'answer', workitemId: first });
    await a!.do({ type: 'end', workitemId: first });
    expect(cc.call(second)?.status).toBe('queued');
    await a!.login();
    const types = a!.updates.slice(-5).map((u) => (u.type === 'workitemState' ? `${u.type}:${u.state}` : u.type));
    // Wrap-up ends, the agent is Ready, and only then is the next call offered (queue figures last).
    expect(types).toEqual(['workitemState:Ended', 'agentState', 'workitemAdded', 'queue', 'queue']);
    expect(a!.item(second).state).toBe('Offered');
    a!.expectClean();
  });

  it('a page reload (a new session on the same source) starts from the current state', async () => {
    const { clock, cc } = makeCenter();
    const a = await new Desk(cc, '1001', clock).connect();
    await a.login();
    const again = await new Desk(cc, '1001', clock).connect();
    expect(again.channel.state).toBe('Ready');
    again.expectClean();
  });
});
