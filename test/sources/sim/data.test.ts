/**
 * Call data and DTMF: seed 001's DTMF character sets per flavour, updateWorkitemData rules
 * (strings only, call/ECC variables and wrapUpReason), who sees a change, and the UCCE call key
 * (callKeyPrefix = day, callKeyCallId unique within the day, restarting the next day).
 */
import { describe, expect, it } from 'vitest';
import type { WorkitemDataUpdate } from '../../../src/core/index.js';
import { T0, desks, makeCenter, type Options } from './helpers.js';

async function answered(options: Options = {}) {
  const { clock, cc } = makeCenter(options);
  const [a, b] = await desks(cc, clock, '1001', '1002');
  await a!.login();
  const id = cc.arrive({ from: '+41445550101', queue: 'sales', callVariables: { callVariable1: 'old' } });
  await a!.do({ type: 'answer', workitemId: id });
  return { clock, cc, a: a!, b: b!, id };
}

describe('DTMF', () => {
  it('UCCE accepts 0-9 * # A-D, records the digits on the call and sends no update', async () => {
    const { cc, a, id } = await answered();
    const before = a.updates.length;
    await a.do({ type: 'sendDtmf', workitemId: id, digits: '12*#ABCD' });
    await a.do({ type: 'sendDtmf', workitemId: id, digits: '9' });
    expect(cc.call(id)?.dtmf).toBe('12*#ABCD9');
    expect(a.updates.length).toBe(before);
  });

  it('UCCX refuses A-D with INVALID_ARGUMENT naming the character', async () => {
    const { cc, a, id } = await answered({ flavor: 'UCCX' });
    const err = await a.fail({ type: 'sendDtmf', workitemId: id, digits: '12A' });
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toContain('"A"');
    expect(err.message).toContain('UCCX');
    await a.do({ type: 'sendDtmf', workitemId: id, digits: '12*#' });
    expect(cc.call(id)?.dtmf).toBe('12*#');
  });

  it('is refused on a held call and with an empty string', async () => {
    const { a, id } = await answered();
    await a.do({ type: 'hold', workitemId: id });
    expect((await a.fail({ type: 'sendDtmf', workitemId: id, digits: '1' })).code).toBe('NOT_CAPABLE');
    expect((await a.fail({ type: 'sendDtmf', workitemId: id, digits: '' })).code).toBe('INVALID_ARGUMENT');
  });
});

describe('updateData', () => {
  it('sends only the changed keys as workitemData, echoing the requestId', async () => {
    const { a, id } = await answered();
    const req = await a.do({ type: 'updateData', workitemId: id, data: { callVariable1: 'old', callVariable2: 'new', 'user.crm.case': 'CS-7' } });
    const data = a.updates.filter((u): u is WorkitemDataUpdate => u.type === 'workitemData');
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({ id, requestId: req, ctiData: { callVariable2: 'new', 'user.crm.case': 'CS-7' } });
    expect(a.item(id).ctiData).toMatchObject({ callVariable1: 'old', callVariable2: 'new', 'user.crm.case': 'CS-7' });
    expect(a.names().filter((n) => n === 'callVariableChanged')).toHaveLength(1);
    a.expectClean();
  });

  it('sends nothing when nothing changes', async () => {
    const { a, id } = await answered();
    const before = a.updates.length;
    await a.do({ type: 'updateData', workitemId: id, data: { callVariable1: 'old' } });
    expect(a.updates.length).toBe(before);
  });

  it('refuses non-string values and unknown keys with INVALID_ARGUMENT', async () => {
    const { a, id } = await answered();
    const notString = await a.fail({ type: 'updateData', workitemId: id, data: { callVariable1: 5 as unknown as string } });
    expect(notString.code).toBe('INVALID_ARGUMENT');
    expect(notString.message).toContain('callVariable1');
    const badKey = await a.fail({ type: 'updateData', workitemId: id, data: { callVariable11: 'x' } });
    expect(badKey.message).toContain('callVariable11');
  });

  it('a call variable change reaches every agent on the call; a wrap-up reason stays with its agent', async () => {
    const { clock, cc } = makeCenter();
    const [a, b] = await desks(cc, clock, '1001', '1002');
    await b!.login();
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    await a!.do({ type: 'answer', workitemId: id });
    await a!.do({ type: 'singleStepConference', workitemId: id, address: '1002001' });
    await b!.do({ type: 'answer', workitemId: id });
    await a!.do({ type: 'updateData', workitemId: id, data: { callVariable5: 'shared', wrapUpReason: 'Sales' } });
    expect(b!.item(id).ctiData.callVariable5).toBe('shared');
    expect(b!.item(id).ctiData.wrapUpReason).toBeUndefined();
    expect(a!.item(id).ctiData.wrapUpReason).toBe('Sales');
    const bData = b!.updates.filter((u) => u.type === 'workitemData');
    expect(bData.at(-1)?.requestId).toBeUndefined();
    expect(a!.names().filter((n) => n === 'wrapupDataChanged')).toHaveLength(1);
    a!.expectClean();
    b!.expectClean();
  });

  it('works during wrap-up (the wrap-up reason), and a custom reason label is accepted', async () => {
    const { a, id } = await answered();
    await a.do({ type: 'end', workitemId: id });
    await a.do({ type: 'updateData', workitemId: id, data: { wrapUpReason: 'Callback promised' } });
    expect(a.item(id).ctiData.wrapUpReason).toBe('Callback promised');
    await a.do({ type: 'updateData', workitemId: id, data: { wrapUpReason: 'Sales' } });
    expect(a.names().filter((n) => n === 'wrapupDataChanged')).toHaveLength(2);
    a.expectClean();
  });

  it('is refused on a ringing call', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    expect((await a!.fail({ type: 'updateData', workitemId: id, data: { callVariable1: 'x' } })).code).toBe('NOT_CAPABLE');
  });
});

describe('call keys', () => {
  it('UCCE: callKeyPrefix is the day, callKeyCallId counts calls within the day and restarts the next day', async () => {
    const { clock, cc } = makeCenter();
    const [a] = await desks(cc, clock, '1001');
    await a!.login();
    const day = Math.floor(T0 / 86_400_000);
    const keys: [string | undefined, string | undefined][] = [];
    for (let i = 0; i < 2; i++) {
      const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
      keys.push([a!.item(id).ctiData.callKeyPrefix, a!.item(id).ctiData.callKeyCallId]);
      cc.abandon(id);
    }
    clock.advance(86_400_000);
    const next = cc.arrive({ from: '+41445550101', queue: 'sales' });
    keys.push([a!.item(next).ctiData.callKeyPrefix, a!.item(next).ctiData.callKeyCallId]);
    expect(keys).toEqual([
      [String(day), '1'],
      [String(day), '2'],
      [String(day + 1), '1'],
    ]);
    expect(next).not.toBe('33554433');
  });

  it('UCCX has no callKey fields', async () => {
    const { a, id } = await answered({ flavor: 'UCCX' });
    expect(a.item(id).ctiData.callKeyCallId).toBeUndefined();
    expect(a.item(id).ctiData.callKeyPrefix).toBeUndefined();
    expect(a.item(id).ctiData.queueName).toBe('Sales');
  });

  it('rejects bad call variable and ECC names at arrival', () => {
    const { cc } = makeCenter();
    expect(() => cc.arrive({ from: '1', queue: 'sales', callVariables: { callVariable12: 'x' } })).toThrow(/callVariable12/);
    expect(() => cc.arrive({ from: '1', queue: 'sales', ecc: { 'bad name': 'x' } })).toThrow(/bad name/);
    expect(() => cc.arrive({ from: '1', queue: 'nope' })).toThrow(/unknown queue "nope"/);
  });
});
