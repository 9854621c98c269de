/**
 * Consult, consultative transfer, conference, blind transfer and single-step conference, to
 * agents and to outside numbers, with the capabilities the held original offers at each step.
 */
import { describe, expect, it } from 'vitest';
import { desks, makeCenter, type Desk } from './helpers.js';

/** Agent 1001 on an answered sales call; 1002 Ready (support only, so the ACD leaves it alone). */
async function onCall(options: Parameters<typeof makeCenter>[0] = {}) {
  const { clock, cc } = makeCenter(options);
  const [a, b] = await desks(cc, clock, '1001', '1002');
  await b!.login();
  await a!.login();
  const id = cc.arrive({ from: '+41445550101', queue: 'sales', callVariables: { callVariable1: 'ACC-9' }, ecc: { lang: 'fr' } });
  await a!.do({ type: 'answer', workitemId: id });
  return { clock, cc, a: a!, b: b!, id };
}

async function consultB(a: Desk, b: Desk, id: string): Promise<string> {
  await a.do({ type: 'consult', workitemId: id, address: '1002001' });
  const consultId = b.only().id;
  await b.do({ type: 'answer', workitemId: consultId });
  return consultId;
}

describe('consult', () => {
  it('holds the original and opens a Consultation call; the consulted agent sees the customer data', async () => {
    const { a, b, id } = await onCall();
    await a.do({ type: 'consult', workitemId: id, address: '1002001' });
    const consultId = b.only().id;
    expect(consultId).not.toBe(id);
    expect(a.item(id)).toMatchObject({ state: 'Paused', capabilities: ['End', 'UpdateData'] });
    expect(a.item(consultId)).toMatchObject({ classification: 'Consultation', direction: 'Outgoing', state: 'Initiated', ani: '1002001' });
    expect(b.item(consultId)).toMatchObject({ classification: 'Consultation', direction: 'Incoming', state: 'Offered', ani: '1001001' });
    expect(b.item(consultId).ctiData).toMatchObject({ callType: 'CONSULT', callVariable1: 'ACC-9', 'user.lang': 'fr', queueName: 'Sales' });
    await b.do({ type: 'answer', workitemId: consultId });
    expect(a.item(id).capabilities).toEqual(['Transfer', 'Conference', 'End', 'UpdateData']);
    expect(a.item(consultId)).toMatchObject({ state: 'Active', capabilities: ['End', 'SendDtmf', 'UpdateData'] });
    expect(b.item(consultId).capabilities).toContain('Hold');
    a.expectClean();
    b.expectClean();
  });

  it('ending the consult gives the original back its Resume', async () => {
    const { a, b, id } = await onCall();
    const consultId = await consultB(a, b, id);
    await a.do({ type: 'end', workitemId: consultId });
    expect(b.items).toEqual([]);
    expect(a.item(id).capabilities).toEqual(['Resume', 'End', 'UpdateData']);
    await a.do({ type: 'resume', workitemId: id });
    expect(a.item(id).state).toBe('Active');
    expect(b.channel.state).toBe('Ready');
    a.expectClean();
    b.expectClean();
  });

  it('a consult to an outside number rings until the far end answers', async () => {
    const { cc, a, id } = await onCall();
    await a.do({ type: 'consult', workitemId: id, address: '0445559000' });
    const consultId = a.items.find((w) => w.id !== id)!.id;
    expect(a.item(consultId).state).toBe('Initiated');
    cc.farEndAnswer(consultId);
    expect(a.item(consultId).state).toBe('Active');
    expect(a.item(id).capabilities).toContain('Transfer');
    a.expectClean();
  });

  it('if the caller hangs up during the consult, the original wraps up and the consult becomes a normal call', async () => {
    const { cc, a, b, id } = await onCall();
    const consultId = await consultB(a, b, id);
    cc.callerHangup(id);
    expect(a.item(id).state).toBe('Wrapup');
    expect(a.item(consultId)).toMatchObject({ state: 'Active', capabilities: ['Hold', 'End', 'Consult', 'DirectTransfer', 'SingleStepConference', 'SendDtmf', 'UpdateData'] });
    expect(a.channel.state).toBe('Active');
    await b.do({ type: 'end', workitemId: consultId });
    expect(a.items.map((w) => [w.id, w.state])).toEqual([[id, 'Wrapup']]);
    expect(b.items).toEqual([]);
    expect(a.channel.state).toBe('Wrapup');
    a.expectClean();
    b.expectClean();
  });

  it('is refused from a held call, to a busy agent, and without Consult capability', async () => {
    const { cc, a, b, id } = await onCall();
    await a.do({ type: 'hold', workitemId: id });
    const held = await a.fail({ type: 'consult', workitemId: id, address: '1002001' });
    expect(held.code).toBe('NOT_CAPABLE');
    expect(held.message).toContain('Consult is not possible');
    await a.do({ type: 'resume', workitemId: id });
    await b.do({ type: 'makeCall', channelId: 'voice', address: '0445551234' });
    const busy = await a.fail({ type: 'consult', workitemId: id, address: '1002001' });
    expect(busy.code).toBe('PLATFORM_ERROR');
    expect(a.item(id).state).toBe('Active');
    expect(cc.isBusy('1002')).toBe(true);
  });
});

describe('consultative transfer', () => {
  it('ends the original EndedTransferred and turns the target item into a Transfer with the caller', async () => {
    const { cc, a, b, id } = await onCall();
    const consultId = await consultB(a, b, id);
    const req = await a.do({ type: 'transfer', workitemId: id, consultId });
    const ends = a.updates.filter((u) => u.type === 'workitemState' && u.requestId === req);
    expect(ends.map((u) => (u.type === 'workitemState' ? [u.id, u.state] : []))).toEqual([
      [id, 'EndedTransferred'],
      [consultId, 'Ended'],
    ]);
    expect(a.items).toEqual([]);
    const info = b.updates.filter((u) => u.type === 'workitemInfo');
    expect(info.at(-1)).toMatchObject({ id: consultId, classification: 'Transfer' });
    expect(info.at(-1)?.requestId).toBeUndefined();
    expect(b.item(consultId).participants.map((p) => p.address).sort()).toEqual(['+41445550101', '1002001']);
    // The trace's name for the customer call still reaches it after the transfer.
    expect(cc.call(id)?.id).toBe(consultId);
    cc.callerHangup(id);
    expect(b.item(consultId).state).toBe('Wrapup');
    expect(a.channel.state).toBe('Ready');
    a.expectClean();
    b.expectClean();
  });

  it('to an outside number: the agent leaves and the call leaves the center', async () => {
    const { cc, a, id } = await onCall();
    await a.do({ type: 'consult', workitemId: id, address: '0445559000' });
    const consultId = a.items.find((w) => w.id !== id)!.id;
    cc.farEndAnswer(consultId);
    await a.do({ type: 'transfer', workitemId: id, consultId });
    expect(a.items).toEqual([]);
    expect(cc.call(id)).toBeUndefined();
    expect(cc.callIds()).toEqual([]);
    a.expectClean();
  });

  it('is refused before the consult is answered and with a wrong consult id', async () => {
    const { a, b, id } = await onCall();
    await a.do({ type: 'consult', workitemId: id, address: '1002001' });
    const consultId = b.only().id;
    expect((await a.fail({ type: 'transfer', workitemId: id, consultId })).code).toBe('NOT_CAPABLE');
    await b.do({ type: 'answer', workitemId: consultId });
    const wrong = await a.fail({ type: 'transfer', workitemId: id, consultId: id });
    expect(wrong.code).toBe('PLATFORM_ERROR');
    expect(wrong.message).toContain('is not the consultation of');
  });
});

describe('conference', () => {
  it('merges the consult into the original: Conference for everyone, the original Active again', async () => {
    const { cc, a, b, id } = await onCall();
    const consultId = await consultB(a, b, id);
    await a.do({ type: 'conference', workitemId: id, consultId });
    expect(a.items.map((w) => w.id)).toEqual([id]);
    expect(a.item(id)).toMatchObject({ state: 'Active', classification: 'Conference' });
    expect(a.item(id).participants.map((p) => p.address).sort()).toEqual(['+41445550101', '1001001', '1002001']);
    expect(b.item(consultId)).toMatchObject({ state: 'Active', classification: 'Conference' });
    expect(a.lifecycle(id)).toEqual(['workitemCreate', 'workitemConnect', 'workitemPause', 'workitemResume']);
    // The caller leaves; the two agents are still talking.
    cc.callerHangup(id);
    expect(a.item(id).state).toBe('Active');
    expect(b.item(consultId).participants.map((p) => p.address).sort()).toEqual(['1001001', '1002001']);
    await a.do({ type: 'end', workitemId: id });
    expect(a.item(id).state).toBe('Wrapup');
    expect(b.item(consultId).state).toBe('Wrapup');
    a.expectClean();
    b.expectClean();
  });

  it('an agent leaving the conference leaves the others talking', async () => {
    const { cc, a, b, id } = await onCall();
    const consultId = await consultB(a, b, id);
    await a.do({ type: 'conference', workitemId: id, consultId });
    await a.do({ type: 'end', workitemId: id });
    expect(a.item(id).state).toBe('Wrapup');
    expect(b.item(consultId)).toMatchObject({ state: 'Active', classification: 'Conference' });
    expect(b.item(consultId).participants.map((p) => p.address).sort()).toEqual(['+41445550101', '1002001']);
    expect(cc.call(id)?.parties.sort()).toEqual(['+41445550101', '1002001']);
    cc.callerHangup(consultId);
    expect(b.item(consultId).state).toBe('Wrapup');
    a.expectClean();
    b.expectClean();
  });

  it('with an outside consult target, the original becomes a three-party conference', async () => {
    const { cc, a, id } = await onCall();
    await a.do({ type: 'consult', workitemId: id, address: '0445559000' });
    const consultId = a.items.find((w) => w.id !== id)!.id;
    cc.farEndAnswer(consultId);
    await a.do({ type: 'conference', workitemId: id, consultId });
    expect(a.item(id).participants.map((p) => p.address).sort()).toEqual(['+41445550101', '0445559000', '1001001']);
    expect(a.item(id).classification).toBe('Conference');
    a.expectClean();
  });
});

describe('blind transfer (directTransfer)', () => {
  it('to an agent: the transferring item ends at once, a Transfer item rings for the target', async () => {
    const { a, b, id } = await onCall();
    await a.do({ type: 'directTransfer', workitemId: id, address: '1002001' });
    expect(a.updates.some((u) => u.type === 'workitemState' && u.id === id && u.state === 'EndedTransferred')).toBe(true);
    expect(b.item(id)).toMatchObject({ classification: 'Transfer', direction: 'Incoming', state: 'Offered', ani: '+41445550101' });
    expect(b.item(id).ctiData).toMatchObject({ callType: 'TRANSFER', callVariable1: 'ACC-9' });
    await b.do({ type: 'answer', workitemId: id });
    expect(b.item(id).participants.map((p) => p.address)).toEqual(['+41445550101', '1002001']);
    a.expectClean();
    b.expectClean();
  });

  it('to an outside number: the call leaves the center', async () => {
    const { cc, a, id } = await onCall();
    await a.do({ type: 'directTransfer', workitemId: id, address: '0445559000' });
    expect(a.items).toEqual([]);
    expect(cc.call(id)).toBeUndefined();
    a.expectClean();
  });

  it('a call coming back to an agent who had it gets a new workitem id', async () => {
    const { a, b, id } = await onCall();
    await a.do({ type: 'directTransfer', workitemId: id, address: '1002001' });
    await b.do({ type: 'answer', workitemId: id });
    await a.do({ type: 'setAgentState', channelId: 'voice', state: 'NotReady' });
    await b.do({ type: 'directTransfer', workitemId: id, address: '1001001' });
    const back = a.only();
    expect(back.id).not.toBe(id);
    expect(back).toMatchObject({ classification: 'Transfer', state: 'Offered' });
    a.expectClean();
    b.expectClean();
  });
});

describe('single-step conference', () => {
  it('to an agent: the new party rings as Conference and everyone is Conference once it answers', async () => {
    const { a, b, id } = await onCall();
    await a.do({ type: 'singleStepConference', workitemId: id, address: '1002001' });
    expect(b.item(id)).toMatchObject({ classification: 'Conference', state: 'Offered' });
    expect(a.item(id).classification).toBe('Customer');
    await b.do({ type: 'answer', workitemId: id });
    expect(a.item(id).classification).toBe('Conference');
    expect(a.item(id).participants).toHaveLength(3);
    a.expectClean();
    b.expectClean();
  });

  it('to an outside number: joins at once', async () => {
    const { a, id } = await onCall();
    await a.do({ type: 'singleStepConference', workitemId: id, address: '0445559000' });
    expect(a.item(id).classification).toBe('Conference');
    expect(a.item(id).participants.map((p) => p.address)).toContain('0445559000');
    a.expectClean();
  });
});
