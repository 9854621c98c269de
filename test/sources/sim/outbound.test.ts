/**
 * Outbound calls: to an outside number (Initiated → Offered → Active when the far end answers,
 * scripted or by itself) and to another agent's extension (Internal for both), with the dial
 * plan's refusals.
 */
import { describe, expect, it } from 'vitest';
import type { WorkitemAddedUpdate } from '../../../src/core/index.js';
import { desks, makeCenter } from './helpers.js';

describe('dialling an outside number', () => {
  it('goes Initiated, rings (silently Offered), and is Active when the far end answers', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login('NotReady', '1');
    const req = await a!.do({ type: 'makeCall', channelId: 'voice', address: '0445551234' });
    const added = a!.updates.find((u): u is WorkitemAddedUpdate => u.type === 'workitemAdded')!;
    expect(added.requestId).toBe(req);
    expect(added.workitem).toMatchObject({
      classification: 'Customer',
      direction: 'Outgoing',
      state: 'Initiated',
      ani: '0445551234',
      participants: [{ address: '1001001' }],
      capabilities: ['End'],
    });
    expect(added.workitem.ctiData).toMatchObject({ callType: 'AGENT_OUT', DNIS: '0445551234', dialedNumber: '0445551234' });
    const id = added.workitem.id;
    expect(a!.channel.state).toBe('Active');
    clock.advance(1000);
    expect(a!.item(id).state).toBe('Offered');
    expect(cc.call(id)?.status).toBe('dialing');
    cc.farEndAnswer(id);
    expect(a!.item(id).state).toBe('Active');
    expect(a!.item(id).participants).toEqual([{ address: '1001001' }, { address: '0445551234' }]);
    expect(cc.queueData('sales').statistics.agentsTalkingOutbound).toBe(1);
    expect(a!.lifecycle(id)).toEqual(['workitemCreate', 'workitemConnect']);
    await a!.do({ type: 'end', workitemId: id });
    await a!.do({ type: 'setAgentState', channelId: 'voice', state: 'NotReady', reasonCode: '1' });
    expect(a!.agentStates()).toEqual(['NotReady', 'Active', 'Wrapup', 'NotReady']);
    a!.expectClean();
  });

  it('the far end answers by itself with farEnd.answerAfterMs', async () => {
    const { clock, cc } = makeCenter({ farEnd: { ringAfterMs: 500, answerAfterMs: [2000, 4000] } });
    const [a] = await desks(cc, clock, '1001');
    await a!.login('NotReady');
    await a!.do({ type: 'makeCall', channelId: 'voice', address: '0445551234' });
    const id = a!.only().id;
    clock.advance(1999);
    expect(a!.item(id).state).toBe('Offered');
    clock.advance(2001);
    expect(a!.item(id).state).toBe('Active');
    a!.expectClean();
  });

  it('hanging up before the far end answers ends the item without wrap-up', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login('NotReady');
    await a!.do({ type: 'makeCall', channelId: 'voice', address: '0445551234' });
    const id = a!.only().id;
    await a!.do({ type: 'end', workitemId: id });
    expect(a!.items).toEqual([]);
    expect(a!.lifecycle(id)).toEqual(['workitemCreate', 'workitemEnd']);
    expect(a!.channel.state).toBe('NotReady');
    clock.advance(10_000);
    a!.expectClean();
  });

  it('a far end that rejects the call (hangs up while ringing) ends it', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login('NotReady');
    await a!.do({ type: 'makeCall', channelId: 'voice', address: '0445551234' });
    const id = a!.only().id;
    cc.callerHangup(id);
    expect(a!.items).toEqual([]);
    expect(a!.updates.some((u) => u.type === 'workitemState' && u.id === id && u.state === 'Ended')).toBe(true);
    a!.expectClean();
  });

  it('a Ready agent who dials is not offered ACD calls meanwhile', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    await a!.do({ type: 'makeCall', channelId: 'voice', address: '0445551234' });
    const inbound = cc.arrive({ from: '+41445550101', queue: 'sales' });
    expect(cc.call(inbound)?.status).toBe('queued');
    expect(a!.items).toHaveLength(1);
  });
});

describe('calling another agent', () => {
  it('is an Internal call for both; both are Active once the callee answers', async () => {
    const { clock, cc } = makeCenter({ wrapup: 'required' });
    const [a, b] = await desks(cc, clock, '1001', '1002');
    await a!.login('NotReady');
    await b!.login('NotReady', '4');
    await a!.do({ type: 'makeCall', channelId: 'voice', address: '1002001' });
    const id = a!.only().id;
    expect(a!.item(id)).toMatchObject({ classification: 'Internal', direction: 'Outgoing', state: 'Initiated', ani: '1002001' });
    expect(b!.item(id)).toMatchObject({ classification: 'Internal', direction: 'Incoming', state: 'Offered', ani: '1001001', capabilities: ['Answer'] });
    expect(b!.item(id).ctiData.callType).toBe('AGENT_INSIDE');
    await b!.do({ type: 'answer', workitemId: id });
    expect(a!.item(id).state).toBe('Active');
    expect(b!.item(id).state).toBe('Active');
    expect(cc.queueData('support').statistics.agentsTalkingInternal).toBe(2);
    expect(cc.queueData('sales').statistics.agentsTalkingInternal).toBe(1);
    await a!.do({ type: 'end', workitemId: id });
    // Agent-to-agent calls have no wrap-up, even when wrap-up is required.
    expect(a!.items).toEqual([]);
    expect(b!.items).toEqual([]);
    expect(b!.channel).toMatchObject({ state: 'NotReady', reasonCode: 4 });
    a!.expectClean();
    b!.expectClean();
  });

  it('the caller cancelling before the answer ends the ringing item', async () => {
    const { clock, cc } = makeCenter();
    const [a, b] = await desks(cc, clock, '1001', '1002');
    await a!.login('NotReady');
    await b!.login();
    await a!.do({ type: 'makeCall', channelId: 'voice', address: '1002001' });
    const id = a!.only().id;
    await a!.do({ type: 'end', workitemId: id });
    expect(b!.lifecycle(id)).toEqual(['workitemCreate', 'workitemEnd']);
    expect(cc.agent('1002').available).toBe(true);
    b!.expectClean();
  });
});

describe('dial plan', () => {
  it('refuses unknown, unreachable and busy destinations with PLATFORM_ERROR naming them', async () => {
    const { clock, cc } = makeCenter();
    const [a, b] = await desks(cc, clock, '1001', '1002');
    await a!.login('NotReady');
    const unknownExt = await a!.fail({ type: 'makeCall', channelId: 'voice', address: '1009001' });
    expect(unknownExt).toMatchObject({ code: 'PLATFORM_ERROR' });
    expect(unknownExt.message).toContain('unknown destination "1009001"');
    const garbage = await a!.fail({ type: 'makeCall', channelId: 'voice', address: 'sip:bob' });
    expect(garbage.message).toContain('unknown destination "sip:bob"');
    const own = await a!.fail({ type: 'makeCall', channelId: 'voice', address: '1001001' });
    expect(own.message).toContain('own extension');
    const signedOut = await a!.fail({ type: 'makeCall', channelId: 'voice', address: '1002001' });
    expect(signedOut.message).toContain('not signed in');
    await b!.login('NotReady');
    await b!.do({ type: 'makeCall', channelId: 'voice', address: '0445551234' });
    const busy = await a!.fail({ type: 'makeCall', channelId: 'voice', address: '1002001' });
    expect(busy.message).toContain('busy');
    expect(a!.items).toEqual([]);
    a!.expectClean();
  });

  it('refuses a second call and a call while signed out with INVALID_STATE', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    expect((await a!.fail({ type: 'makeCall', channelId: 'voice', address: '0445551234' })).code).toBe('INVALID_STATE');
    await a!.login('NotReady');
    await a!.do({ type: 'makeCall', channelId: 'voice', address: '0445551234' });
    const second = await a!.fail({ type: 'makeCall', channelId: 'voice', address: '0445559999' });
    expect(second.code).toBe('INVALID_STATE');
    expect(second.message).toContain('consult');
  });

  it('follows a custom dial plan', async () => {
    const { clock, cc } = makeCenter({ dialPlan: { external: /^9[0-9]{6,}$/ } });
    const [a] = await desks(cc, clock, '1001');
    await a!.login('NotReady');
    expect((await a!.fail({ type: 'makeCall', channelId: 'voice', address: '0445551234' })).message).toContain('not an extension and not a dialable number');
    await a!.do({ type: 'makeCall', channelId: 'voice', address: '90445551234' });
    expect(a!.only().state).toBe('Initiated');
  });

  it('refuses a channel the agent does not have', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login('NotReady');
    const err = await a!.fail({ type: 'makeCall', channelId: 'voice_-1', address: '0445551234' });
    expect(err.code).toBe('CHANNEL_NOT_FOUND');
    expect(err.message).toContain('voice_5000');
  });
});
