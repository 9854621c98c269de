/**
 * Agent state: sign-in, reason codes, pending state during a call, sign-out rules, and the
 * UCCX differences of seed 001 (a call in NotReady gives no Active; no queue data at all).
 */
import { describe, expect, it } from 'vitest';
import { desks, makeCenter } from './helpers.js';

describe('agent state', () => {
  it('signs in NotReady with a reason code and label, changes reason, goes Ready', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login('NotReady', '2');
    expect(a!.channel).toMatchObject({ state: 'NotReady', reasonCode: 2, reasonCodeLabel: 'Lunch' });
    await a!.do({ type: 'setAgentState', channelId: 'voice_5000', state: 'NotReady', reasonCode: '1' });
    expect(a!.channel).toMatchObject({ state: 'NotReady', reasonCode: 1, reasonCodeLabel: 'Break' });
    await a!.login();
    expect(a!.agentStates()).toEqual(['NotReady', 'NotReady', 'Ready']);
    expect(cc.agent('1001')).toMatchObject({ state: 'Ready', loggedIn: true, available: true });
    a!.expectClean();
  });

  it('refuses the state the agent is already in, an unknown reason code, and a reason for Ready', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const same = await a!.fail({ type: 'setAgentState', channelId: 'voice', state: 'Ready' });
    expect(same).toMatchObject({ code: 'INVALID_STATE' });
    expect(same.message).toContain('already Ready');
    const unknown = await a!.fail({ type: 'setAgentState', channelId: 'voice', state: 'NotReady', reasonCode: '99' });
    expect(unknown.code).toBe('PLATFORM_ERROR');
    expect(unknown.message).toContain('"99"');
    expect(unknown.message).toContain('1 Break');
    expect((await a!.fail({ type: 'setAgentState', channelId: 'voice', state: 'Ready', reasonCode: '1' })).code).toBe('INVALID_ARGUMENT');
    expect((await a!.fail({ type: 'setAgentState', channelId: 'voice', state: 'Talking' as 'Ready' })).code).toBe('INVALID_ARGUMENT');
    a!.expectClean();
  });

  it('signs out with a reason; not during a call, not twice', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    expect((await a!.fail({ type: 'setAgentState', channelId: 'voice', state: 'Logout' })).message).toContain('already signed out');
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    await a!.do({ type: 'answer', workitemId: id });
    const during = await a!.fail({ type: 'setAgentState', channelId: 'voice', state: 'Logout' });
    expect(during.code).toBe('INVALID_STATE');
    expect(during.message).toContain(id);
    await a!.do({ type: 'end', workitemId: id });
    await a!.do({ type: 'setAgentState', channelId: 'voice', state: 'Logout', reasonCode: '20' });
    expect(a!.channel).toMatchObject({ state: 'Logout', reasonCode: 20, reasonCodeLabel: 'End of shift' });
    expect(a!.items).toEqual([]);
    // Signing out sends queueDataUpdate DISABLED (the core's rule) and then no more queue updates.
    const queueEvents = a!.events.filter((e) => e.type === 'queueDataUpdate');
    expect(queueEvents.at(-1)?.data).toMatchObject({ dataState: 'DISABLED', queueData: [] });
    const after = a!.updates.length;
    cc.arrive({ from: '+41445550102', queue: 'sales' });
    expect(a!.updates.length).toBe(after);
    a!.expectClean();
  });

  it('a state asked for during a call is where the agent goes after it (pending state)', async () => {
    const { clock, cc } = makeCenter({ wrapup: 'off' });
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    await a!.do({ type: 'answer', workitemId: id });
    const before = a!.updates.length;
    await a!.do({ type: 'setAgentState', channelId: 'voice', state: 'NotReady', reasonCode: '5' });
    expect(a!.updates.length).toBe(before);
    expect(a!.channel.state).toBe('Active');
    await a!.do({ type: 'end', workitemId: id });
    expect(a!.channel).toMatchObject({ state: 'NotReady', reasonCode: 5 });
    a!.expectClean();
  });

  it('stays Active on hold (UCCE)', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    await a!.do({ type: 'answer', workitemId: id });
    await a!.do({ type: 'hold', workitemId: id });
    expect(a!.agentStates()).toEqual(['Ready', 'Active']);
  });

  it('cc.setAgentState sets an agent up without a request id', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    cc.setAgentState('1001', 'NotReady', '4');
    const u = a!.updates.find((x) => x.type === 'agentState');
    expect(u).toMatchObject({ state: 'NotReady', reasonCode: 4, reasonCodeLabel: 'Training' });
    expect(u?.requestId).toBeUndefined();
    expect(() => cc.setAgentState('9999')).toThrow(/unknown agent "9999"/);
  });
});

describe('UCCX', () => {
  it('uses channel voice_-1', async () => {
    const { clock, cc } = makeCenter({ flavor: 'UCCX' });
    const [a] = await desks(cc, clock, '1001');
    expect(a!.updates[0]).toMatchObject({ type: 'session', channels: [{ id: 'voice_-1', type: 'Voice' }] });
  });

  it('a call placed in NotReady gives no agentState Active (seed 001), and no Wrapup state either', async () => {
    const { clock, cc } = makeCenter({ flavor: 'UCCX' });
    const [a] = await desks(cc, clock, '1001');
    await a!.login('NotReady', '1');
    await a!.do({ type: 'makeCall', channelId: 'voice', address: '0445551234' });
    const id = a!.only().id;
    cc.farEndAnswer(id);
    await a!.do({ type: 'end', workitemId: id });
    expect(a!.item(id).state).toBe('Wrapup');
    expect(a!.updates.filter((u) => u.type === 'agentState').map((u) => (u.type === 'agentState' ? u.state : ''))).toEqual(['NotReady']);
    await a!.do({ type: 'setAgentState', channelId: 'voice', state: 'NotReady', reasonCode: '1' });
    expect(a!.items).toEqual([]);
    expect(a!.channel).toMatchObject({ state: 'NotReady', reasonCode: 1 });
    a!.expectClean();
  });

  it('a Ready agent goes Active and Wrapup as on UCCE', async () => {
    const { clock, cc } = makeCenter({ flavor: 'UCCX' });
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    await a!.do({ type: 'answer', workitemId: id });
    await a!.do({ type: 'end', workitemId: id });
    await a!.login();
    expect(a!.agentStates()).toEqual(['Ready', 'Active', 'Wrapup', 'Ready']);
    a!.expectClean();
  });

  it('sends no queue updates at all, and queue figures are not available', async () => {
    const { clock, cc } = makeCenter({ flavor: 'UCCX' });
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    cc.arrive({ from: '+41445550102', queue: 'sales' });
    await a!.do({ type: 'answer', workitemId: id });
    expect(a!.updates.filter((u) => u.type === 'queue')).toEqual([]);
    expect(a!.events.filter((e) => e.type === 'queueDataUpdate')).toEqual([]);
    expect(() => cc.queueData('sales')).toThrow(/not available on UCCX/);
    a!.expectClean();
  });
});
