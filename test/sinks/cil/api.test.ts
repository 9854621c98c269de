import { describe, expect, it } from 'vitest';
import {
  Capability,
  ErrorCode,
  Flavor,
  SimulatedClock,
  isSwitchboardError,
  type Capability as CapabilityT,
  type EventMap,
  type WorkitemState,
} from '../../../src/core/index.js';
import { createAgent } from '../../../src/sinks/cil/index.js';
import { FakeSource } from './fake-source.js';

const T0 = Date.parse('2026-01-05T09:00:00.000Z');
const ACTIVE_CAPS: CapabilityT[] = [Capability.Hold, Capability.End, Capability.Consult, Capability.DirectTransfer, Capability.SingleStepConference, Capability.SendDtmf, Capability.UpdateData];

async function setup(opts: { channels?: string[]; flavor?: Flavor; supports?: ConstructorParameters<typeof FakeSource>[0] } = {}) {
  const clock = new SimulatedClock(T0);
  const source = new FakeSource(opts.supports);
  let n = 0;
  const agent = createAgent({ source, clock, flavor: opts.flavor ?? Flavor.UCCE, newRequestId: () => `gen-${++n}`, timeoutMs: 5000 });
  const errors: EventMap['error'][] = [];
  agent.api.on('error', (e) => errors.push(e));
  await agent.connect();
  const channels = opts.channels ?? ['voice_5000'];
  source.push({
    type: 'session',
    agent: { agentId: '1001', extension: '1001001', firstName: 'Ada', lastName: 'Meier', loginName: 'ameier', teamId: '5000' },
    channels: channels.map((id) => ({ id, type: 'Voice' as const })),
    reasonCodes: {
      NotReady: [{ id: '16', label: 'Break' }],
      Logout: [{ id: '20', label: 'End of shift' }],
      Wrapup: [{ id: 'w1', label: 'Sales' }, { id: 'w2', label: 'Documentation' }],
    },
  });
  for (const id of channels) source.push({ type: 'agentState', channelId: id, state: 'Ready' });
  const addCall = (id: string, state: WorkitemState = 'Active', caps: CapabilityT[] = ACTIVE_CAPS, channelId = channels[0]!) =>
    source.push({
      type: 'workitemAdded',
      workitem: { id, channelId, classification: 'Customer', direction: 'Incoming', state, participants: [{ address: '+41445550100' }, { address: '1001001' }], ani: '+41445550100', capabilities: caps },
    });
  return { clock, source, agent, api: agent.api, cil: agent.cil, errors, addCall };
}

describe('IntegrationApi requests', () => {
  it('setAgentState on "voice" acts on every voice channel', async () => {
    const { api, source } = await setup({ channels: ['voice_5000', 'voice_5001'] });
    await api.setAgentState('voice', 'NotReady', '16', { requestId: 'r1' });
    expect(source.requests).toEqual([
      { type: 'setAgentState', channelId: 'voice_5000', state: 'NotReady', reasonCode: '16', requestId: 'r1' },
      { type: 'setAgentState', channelId: 'voice_5001', state: 'NotReady', reasonCode: '16', requestId: 'r1' },
    ]);
  });

  it('refuses an unknown reason code and Ready with a reason, naming them', async () => {
    const { api, errors, source } = await setup();
    await expect(api.setAgentState('voice', 'NotReady', '99', { requestId: 'r2' })).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, requestId: 'r2', message: expect.stringContaining('"99"') });
    await expect(api.setAgentState('voice', 'Ready', '16')).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
    await expect(api.setAgentState('voice', 'Away' as never)).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, message: expect.stringContaining('"Away"') });
    expect(source.requests).toHaveLength(0);
    expect(errors.map((e) => e.requestId)).toEqual(['r2', 'gen-1', 'gen-2']);
  });

  it('other requests need "voice" to resolve to exactly one channel', async () => {
    const { api, errors } = await setup({ channels: ['voice_5000', 'voice_5001'] });
    await expect(api.dialOrConsult('voice', '5551234', { requestId: 'd1' })).rejects.toMatchObject({ code: ErrorCode.CHANNEL_AMBIGUOUS, requestId: 'd1' });
    await expect(api.getChannel('voice')).rejects.toMatchObject({ code: ErrorCode.CHANNEL_AMBIGUOUS });
    await expect(api.getChannel('voice_7')).rejects.toMatchObject({ code: ErrorCode.CHANNEL_NOT_FOUND, message: expect.stringContaining('voice_7') });
    expect(errors).toHaveLength(3);
    expect((await api.getChannel('voice_5001')).channel.id).toBe('voice_5001');
  });

  it('resolves voice_-1 on CCX and telephony on Webex CC', async () => {
    const ccx = await setup({ channels: ['voice_-1'], flavor: Flavor.UCCX });
    await ccx.api.dialOrConsult('voice', '5551234', { requestId: 'x' });
    await ccx.api.dialOrConsult('voice_-1', '5551235', { requestId: 'y' });
    expect(ccx.source.requests.map((r) => ('channelId' in r ? r.channelId : ''))).toEqual(['voice_-1', 'voice_-1']);
    const wxcc = await setup({ channels: ['telephony'] });
    expect((await wxcc.api.getChannel('telephony')).channel.id).toBe('telephony');
  });

  it('directTransfer and singleStepConference without workitemId need exactly one Active item', async () => {
    const { api, source, addCall } = await setup();
    await expect(api.directTransfer('voice', '2000', undefined, { requestId: 't0' })).rejects.toMatchObject({ code: ErrorCode.WORKITEM_AMBIGUOUS, requestId: 't0' });
    addCall('c1');
    await api.directTransfer('voice', '2000', undefined, { requestId: 't1' });
    expect(source.requests.at(-1)).toEqual({ type: 'directTransfer', workitemId: 'c1', address: '2000', requestId: 't1' });
    addCall('c2');
    await expect(api.singleStepConference('voice', '2000')).rejects.toMatchObject({ code: ErrorCode.WORKITEM_AMBIGUOUS, message: expect.stringContaining('2 workitems are Active') });
    await api.singleStepConference('voice', '2000', 'c2', { requestId: 't2' });
    expect(source.requests.at(-1)).toEqual({ type: 'singleStepConference', workitemId: 'c2', address: '2000', requestId: 't2' });
  });

  it('dialOrConsult dials when idle and consults from the Active call otherwise', async () => {
    const { api, source, addCall } = await setup();
    await api.dialOrConsult('voice', '+41445551234', { requestId: 'a' });
    expect(source.requests.at(-1)).toEqual({ type: 'makeCall', channelId: 'voice_5000', address: '+41445551234', requestId: 'a' });
    addCall('c1');
    await api.dialOrConsult('voice', '2002', { requestId: 'b' });
    expect(source.requests.at(-1)).toEqual({ type: 'consult', workitemId: 'c1', address: '2002', requestId: 'b' });
  });

  it('sendDtmf checks the character set per flavour', async () => {
    const ucce = await setup();
    ucce.addCall('c1');
    await ucce.api.sendDtmf('12*#AD', { requestId: 'd' });
    expect(ucce.source.requests.at(-1)).toEqual({ type: 'sendDtmf', workitemId: 'c1', digits: '12*#AD', requestId: 'd' });
    const ccx = await setup({ channels: ['voice_-1'], flavor: Flavor.UCCX });
    ccx.addCall('c1');
    await expect(ccx.api.sendDtmf('12A', { requestId: 'e' })).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, requestId: 'e', message: expect.stringContaining('"A"') });
    await ccx.api.sendDtmf('12*#');
    expect(await ccx.api.isSendDtmfEnabled()).toBe(true);
  });

  it('isSendDtmfEnabled is false without an Active call', async () => {
    const { api, addCall } = await setup();
    expect(await api.isSendDtmfEnabled()).toBe(false);
    addCall('c1', 'Offered', [Capability.Answer]);
    expect(await api.isSendDtmfEnabled()).toBe(false);
    await expect(api.sendDtmf('1')).rejects.toMatchObject({ code: ErrorCode.INVALID_STATE });
  });

  it('updateWorkitemData accepts string values only and names the bad key', async () => {
    const { api, source, addCall } = await setup();
    addCall('c1');
    await expect(api.updateWorkitemData('voice', 'c1', { callVariable1: 12345 } as never, { requestId: 'u0' })).rejects.toMatchObject({
      code: ErrorCode.INVALID_ARGUMENT,
      requestId: 'u0',
      message: expect.stringContaining('callVariable1'),
    });
    await expect(api.updateWorkitemData('voice', 'c1', { color: 'x' })).rejects.toMatchObject({ message: expect.stringContaining('"color"') });
    await api.updateWorkitemData('voice', 'c1', { callVariable1: '12345', 'user.eccVar1': '999999', wrapUpReason: 'Documentation' }, { requestId: 'u1' });
    expect(source.requests.at(-1)).toEqual({ type: 'updateData', workitemId: 'c1', data: { callVariable1: '12345', 'user.eccVar1': '999999', wrapUpReason: 'Documentation' }, requestId: 'u1' });
    expect(await api.isUpdateWorkitemDataEnabled('voice', 'c1')).toBe(true);
    expect(await api.isUpdateWorkitemDataEnabled('voice', 'nope')).toBe(false);
  });

  it('a custom wrap-up reason joins the list as selected and leaves it when another is chosen', async () => {
    const { api, source, addCall } = await setup();
    addCall('c1', 'Wrapup', [Capability.UpdateData, Capability.SetWrapupReason]);
    await api.setWrapupReason('voice', 'c1', 'Callback promised');
    source.push({ type: 'workitemData', id: 'c1', ctiData: { wrapUpReason: 'Callback promised' } });
    expect(api.wrapupReasons('c1')).toEqual([
      { id: 'w1', label: 'Sales', selected: false, custom: false },
      { id: 'w2', label: 'Documentation', selected: false, custom: false },
      { id: 'custom:Callback promised', label: 'Callback promised', selected: true, custom: true },
    ]);
    expect(await api.getReasonCodeList('voice', 'Wrapup')).toContainEqual({ id: 'custom:Callback promised', label: 'Callback promised' });
    await api.updateWorkitemData('voice', 'c1', { wrapUpReason: 'Sales' });
    source.push({ type: 'workitemData', id: 'c1', ctiData: { wrapUpReason: 'Sales' } });
    expect(api.wrapupReasons('c1').filter((r) => r.custom)).toEqual([]);
    expect(api.wrapupReasons('c1').find((r) => r.selected)?.label).toBe('Sales');
  });

  it('getReasonCodeList and getChannel return the documented shapes', async () => {
    const { api, addCall } = await setup();
    expect(await api.getReasonCodeList('voice', 'NotReady')).toEqual([{ label: 'Break', id: '16' }]);
    await expect(api.getReasonCodeList('voice', 'Lunch' as never)).rejects.toMatchObject({ code: ErrorCode.INVALID_ARGUMENT });
    addCall('c1');
    const ch = await api.getChannel('voice');
    expect(Object.keys(ch).sort()).toEqual(['activeDeviceId', 'agentId', 'channel', 'extension', 'firstName', 'lastName', 'loginName', 'teamId']);
    expect(Object.keys(ch.channel).sort()).toEqual(['id', 'reasonCode', 'reasonCodeLabel', 'state', 'stateChangeTime', 'type', 'workitems']);
    expect(ch.channel.state).toBe('Ready');
    expect(ch.channel.workitems.map((w) => w.id)).toEqual(['c1']);
  });

  it('refuses what the workitem cannot do now and what the source cannot carry out', async () => {
    const { api, addCall } = await setup();
    addCall('c1', 'Offered', [Capability.Answer]);
    await expect(api.hold('c1', { requestId: 'h' })).rejects.toMatchObject({ code: ErrorCode.NOT_CAPABLE, requestId: 'h', message: expect.stringContaining('Hold') });
    const logOnly = await setup({ supports: [] });
    logOnly.addCall('c1');
    await expect(logOnly.api.directTransfer('voice', '2000')).rejects.toMatchObject({ code: ErrorCode.NOT_CAPABLE, message: expect.stringContaining('fake source cannot carry out directTransfer') });
  });

  it('a platform failure rejects with a typed error and dispatches one error event with the requestId', async () => {
    const { api, source, errors } = await setup();
    source.failing.add('makeCall');
    const err: unknown = await api.dialOrConsult('voice', '5551234', { requestId: 'p1' }).catch((e: unknown) => e);
    expect(isSwitchboardError(err)).toBe(true);
    expect(err).toMatchObject({ code: ErrorCode.PLATFORM_ERROR, requestId: 'p1', message: 'platform refused makeCall' });
    expect(errors).toEqual([{ event: 'error', version: '1.0', requestId: 'p1', message: 'platform refused makeCall', code: ErrorCode.PLATFORM_ERROR }]);
  });

  it('times out on the injected clock', async () => {
    const { api, source, clock, errors } = await setup();
    source.hanging.add('makeCall');
    const p = api.dialOrConsult('voice', '5551234', { requestId: 'slow', timeoutMs: 1500 });
    const settled = vi_settle(p);
    await Promise.resolve();
    clock.advance(1499);
    await Promise.resolve();
    expect(settled.done).toBe(false);
    clock.advance(1);
    await expect(p).rejects.toMatchObject({ code: ErrorCode.TIMEOUT, requestId: 'slow' });
    expect(errors.map((e) => e.code)).toEqual([ErrorCode.TIMEOUT]);
  });

  it('on() returns an unsubscribe handle, and a throwing handler does not stop the others', async () => {
    const { api, addCall, errors } = await setup();
    const seen: string[] = [];
    const off = api.on('workitemCreate', (d) => seen.push(`a:${d.id}`));
    api.on('workitemCreate', () => {
      throw new Error('custom code bug');
    });
    api.on('workitemCreate', (d) => seen.push(`c:${d.id}`));
    addCall('c1');
    off();
    addCall('c2');
    expect(seen).toEqual(['a:c1', 'c:c1', 'c:c2']);
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      [ErrorCode.HANDLER_ERROR, 'a workitemCreate handler threw: custom code bug'],
      [ErrorCode.HANDLER_ERROR, 'a workitemCreate handler threw: custom code bug'],
    ]);
  });
});

describe('cil facade', () => {
  it('requests resolve with no value and report failure through onError with the requestId', async () => {
    const { cil, source } = await setup();
    const lines: string[] = [];
    cil.onError((error) => lines.push(JSON.stringify(error)));
    source.failing.add('makeCall');
    await expect(cil.dialOrConsult('voice', '5551234', 'req-7')).resolves.toBeUndefined();
    await expect(cil.sendDtmf('X', 'req-8')).resolves.toBeUndefined();
    expect(lines.map((l) => JSON.parse(l) as { requestId: string; code: string })).toMatchObject([
      { requestId: 'req-7', code: ErrorCode.PLATFORM_ERROR },
      { requestId: 'req-8', code: ErrorCode.INVALID_ARGUMENT },
    ]);
  });

  it('queries answer with the documented shapes, and empty answers after an error', async () => {
    const { cil, addCall } = await setup({ channels: ['voice_5000', 'voice_5001'] });
    expect(await cil.getReasonCodeList('voice_5000', 'Logout')).toEqual([{ label: 'End of shift', id: '20' }]);
    expect(await cil.getReasonCodeList('voice', 'Logout')).toEqual([]);
    expect(await cil.getChannel('voice')).toBeUndefined();
    addCall('c1');
    expect(await cil.isUpdateWorkitemDataEnabled('voice_5000', 'c1')).toBe(true);
    expect(await cil.isSendDtmfEnabled()).toBe(true);
  });
});

/** Track whether a promise has settled, without awaiting it. */
function vi_settle(p: Promise<unknown>): { done: boolean } {
  const s = { done: false };
  p.then(
    () => (s.done = true),
    () => (s.done = true),
  );
  return s;
}
