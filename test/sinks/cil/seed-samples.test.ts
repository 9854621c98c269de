/**
 * The vendor's own sample code runs unchanged. Every "Sample code for custom integrations" of
 * seed 001 (b+s Connects for ServiceNow, Integration API) is pasted below verbatim — handlers
 * and request calls — and registered on a `cil` bound to a simulated agent. The simulator then
 * takes the agent through an inbound call (alerting, connect, hold, resume, wrap-up, end), agent
 * state changes, queue updates, an outbound call and failing requests, and the test checks the
 * exact lines the samples print (`message: onX, data: <JSON>`) and their order.
 *
 * The seed's samples use a global `cil` and the free variables `channelId`, `newState`,
 * `reasonCode`, `requestId`, `phonenumber` and `workitemId`; the test declares them. Request
 * samples that declare `const result` sit in their own block so that they can stay verbatim.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SimulatedClock, type Workitem } from '../../../src/core/index.js';
import { createAgent, type Cil } from '../../../src/sinks/cil/index.js';
import { SimContactCenter } from '../../../src/sources/sim/index.js';

const T0 = Date.parse('2026-03-02T08:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

/** Registers every sample handler of seed 001, verbatim. */
function registerSampleHandlers(cil: Cil): void {
  cil.onWorkitemCreate((data) => {
  console.warn(`message: onWorkitemCreate, data: ${JSON.stringify(data)}`);
  });
  cil.onWorkitemConnect((data) => {
  console.warn(`message: onWorkitemConnect, data: ${JSON.stringify(data)}`);
  });
  cil.onWorkitemPause((data) => {
  console.warn(`message: onWorkitemPause, data: ${JSON.stringify(data)}`);
  });
  cil.onWorkitemResume((data) => {
  console.warn(`message: onWorkitemResume, data: ${JSON.stringify(data)}`);
  });
  cil.onWorkitemWrapup((data) => {
  console.warn(`message: onWorkitemWrapup, data: ${JSON.stringify(data)}`);
  });
  cil.onWorkitemEnd((data) => {
  console.warn(`message: onWorkitemEnd, data: ${JSON.stringify(data)}`);
  });
  cil.onCallVariableChanged((data) => {
  console.warn(`message: onCallVariableChanged, data: ${JSON.stringify(data)}`);
  });
  cil.onWrapupDataChanged((data) => {
  console.warn(`message: onWrapupDataChanged, data: ${JSON.stringify(data)}`);
  });
  cil.onAgentStateChange((data) => {
  console.warn(`message: onAgentStateChange, data: ${JSON.stringify(data)}`);
  });
  cil.onQueueDataUpdate((data) => {
  console.warn(`message: onQueueDataUpdate, data: ${JSON.stringify(data)}`);
  });
  cil.onError((error) => {
  console.warn(`message: onError data: ${JSON.stringify(error)}`);
  });
}

/** One printed line: the sample's message prefix and the JSON it printed, parsed. */
interface Printed {
  prefix: string;
  data: Record<string, unknown>;
}

function parseLine(line: string): Printed {
  const m = /^(message: on[A-Za-z]+(?:, data: | data: ))(.*)$/.exec(line);
  if (m === null) throw new Error(`unexpected line: ${line}`);
  return { prefix: m[1]!, data: JSON.parse(m[2]!) as Record<string, unknown> };
}

describe('seed 001 sample code, verbatim, against the simulator', () => {
  let printed: string[];
  beforeEach(() => {
    printed = [];
    vi.spyOn(console, 'warn').mockImplementation((line: unknown) => {
      printed.push(String(line));
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('prints the documented events, in order, with the documented payloads', async () => {
    const clock = new SimulatedClock(T0);
    const cc = new SimContactCenter({
      clock,
      seed: 7,
      flavor: 'UCCE',
      wrapup: 'optional',
      agents: [{ id: '1001', extension: '1001001', firstName: 'Ada', lastName: 'Meier', loginName: 'ameier', teamId: 'team1', skills: ['sales'] }],
      queues: [{ id: 'sales', name: 'Sales' }],
      farEnd: { ringAfterMs: 500 },
    });
    const agent = createAgent({ source: cc.source('1001'), clock });
    const cil = agent.cil;
    registerSampleHandlers(cil);
    await agent.connect();

    // The free variables of the request samples.
    let channelId = 'voice';
    let newState: 'Ready' | 'NotReady' | 'Logout' = 'Ready';
    let reasonCode = '';
    let requestId = 'req-1';
    let phonenumber = '+41445559999';
    let workitemId = '';
    const mark = () => printed.length;
    const settle = () => clock.advance(1000);

    // --- agent state change: Logout → Ready (and queue data ENABLED at login) -----------------
    await cil.setAgentState(channelId, newState, reasonCode, requestId);
    settle();
    {
      const result = await cil.getReasonCodeList('voice', 'Logout');
      expect(result).toEqual([
        { label: 'End of shift', id: '20' },
        { label: 'Sick', id: '21' },
      ]);
    }
    const afterLogin = mark();

    // --- inbound call alerting ----------------------------------------------------------------
    workitemId = cc.arrive({ from: '+41445550100', queue: 'sales', callVariables: { callVariable1: 'INV-1001' }, ecc: { lang: 'de' } });
    settle();
    const afterAlerting = mark();

    // --- connect: seed 001 has no answer request; the agent answers at the phone (the typed API) -
    await agent.api.answer(workitemId, { requestId: 'answer-1' });
    settle();
    const afterConnect = mark();
    {
      const result = await cil.isSendDtmfEnabled();
      expect(result).toBe(true);
    }
    requestId = 'req-dtmf';
    {
      const result = await cil.sendDtmf('1', requestId);
      expect(result).toBeUndefined();
    }
    requestId = 'req-data';
    await cil.updateWorkitemData(channelId, workitemId, {'callVariable1': '12345', 'user.eccVar1': '999999', 'wrapUpReason': 'Documentation'}, requestId);
    settle();
    {
      const result = await cil.isUpdateWorkitemDataEnabled('voice', workitemId);
      expect(result).toBe(true);
    }
    {
      const result = await cil.getChannel('voice');
      expect(result).toMatchObject({
        agentId: '1001',
        extension: '1001001',
        firstName: 'Ada',
        lastName: 'Meier',
        loginName: 'ameier',
        teamId: 'team1',
        channel: { id: 'voice_5000', type: 'Voice', state: 'Active', reasonCode: -1, workitems: [{ id: workitemId, state: 'Active' }] },
      });
    }
    const afterData = mark();

    // --- hold and resume -----------------------------------------------------------------------
    await agent.api.hold(workitemId, { requestId: 'hold-1' });
    settle();
    await agent.api.resume(workitemId, { requestId: 'resume-1' });
    settle();
    const afterResume = mark();

    // --- the caller hangs up: wrap-up; the wrap-up reason; Ready ends wrap-up (workitemEnd) -----
    cc.callerHangup(workitemId);
    settle();
    requestId = 'req-wrapup';
    await cil.setWrapupReason(channelId, workitemId, 'Documentation', requestId);
    settle();
    const afterWrapupReason = mark();
    await cil.setAgentState('voice', 'Ready', '', 'req-ready');
    settle();
    const afterEnd = mark();

    // --- failing requests: nothing Active to transfer; a bad DTMF character ---------------------
    requestId = 'req-transfer';
    await cil.directTransfer('voice', phonenumber, undefined, requestId);
    requestId = 'req-bad-dtmf';
    await cil.sendDtmf('X', requestId);
    settle();
    const afterFailures = mark();

    // --- outbound: dialOrConsult dials; far end answers; a queue update while the agent talks;
    //     single-step conference, then a direct transfer ends the agent's item -------------------
    phonenumber = '+41445557777';
    requestId = 'req-dial';
    await cil.dialOrConsult('voice', phonenumber, requestId);
    settle();
    const outboundId = agent.api.workitems[0]?.id ?? '';
    cc.farEndAnswer(outboundId);
    settle();
    cc.arrive({ from: '+41445550222', queue: 'sales' });
    settle();
    requestId = 'req-sst';
    phonenumber = '+41445558888';
    await cil.singleStepConference('voice', phonenumber, undefined, requestId);
    settle();
    requestId = 'req-blind';
    await cil.directTransfer('voice', phonenumber, undefined, requestId);
    settle();
    channelId = 'voice_5000';
    newState = 'NotReady';
    reasonCode = '1';
    requestId = 'req-break';
    await cil.setAgentState(channelId, newState, reasonCode, requestId);
    settle();

    // ---- what the samples printed -------------------------------------------------------------
    const lines = printed.map(parseLine);
    const names = (from: number, to: number) => lines.slice(from, to).map((l) => `${l.prefix.replace(/,? data: $/, '')}${'dataState' in l.data ? ` ${String(l.data.dataState)}` : ''}`);
    expect(names(0, afterLogin)).toEqual(['message: onAgentStateChange', 'message: onQueueDataUpdate ENABLED', 'message: onQueueDataUpdate UPDATED']);
    expect(names(afterLogin, afterAlerting)).toEqual(['message: onWorkitemCreate']);
    expect(names(afterAlerting, afterConnect)).toEqual(['message: onWorkitemConnect', 'message: onAgentStateChange', 'message: onQueueDataUpdate UPDATED']);
    expect(names(afterConnect, afterData)).toEqual(['message: onCallVariableChanged', 'message: onWrapupDataChanged']);
    expect(names(afterData, afterResume)).toEqual(['message: onWorkitemPause', 'message: onWorkitemResume']);
    // The wrap-up reason was already "Documentation": setting it again changes nothing, prints nothing.
    expect(names(afterResume, afterWrapupReason)).toEqual(['message: onWorkitemWrapup', 'message: onAgentStateChange', 'message: onQueueDataUpdate UPDATED']);
    expect(names(afterWrapupReason, afterEnd)).toEqual(['message: onWorkitemEnd', 'message: onAgentStateChange', 'message: onQueueDataUpdate UPDATED']);
    expect(names(afterEnd, afterFailures)).toEqual(['message: onError', 'message: onError']);
    const tail = names(afterFailures, lines.length);
    expect(tail.filter((n) => !n.includes('onQueueDataUpdate'))).toEqual([
      'message: onWorkitemCreate', // the outbound call, Initiated
      'message: onAgentStateChange', // Ready → Active as the agent dials
      'message: onWorkitemConnect', // the far end answers
      'message: onWorkitemEnd', // transferred away
      'message: onAgentStateChange', // Active → Ready
      'message: onWorkitemCreate', // the caller who waited is offered at once
      'message: onAgentStateChange', // Ready → NotReady (Break)
    ]);

    // ---- exact payloads -----------------------------------------------------------------------
    const line = (i: number) => lines[i]!;
    expect(line(0)).toEqual({
      prefix: 'message: onAgentStateChange, data: ',
      data: {
        event: 'agentStateChange',
        version: '1.0',
        requestId: 'req-1',
        channelType: 'Voice',
        channelId: 'voice_5000',
        newState: 'Ready',
        newReasonCode: -1,
        newReasonCodeLabel: '',
        newStateChangeTime: at(0),
        oldState: 'Logout',
        oldReasonCode: -1,
        oldReasonCodeLabel: '',
        oldStateChangeTime: at(0),
      },
    });
    const stats = (o: Partial<Record<string, number>>) => ({
      agentsNotReady: 0,
      agentsReady: 0,
      agentsTalkingInbound: 0,
      agentsTalkingInternal: 0,
      agentsTalkingOutbound: 0,
      agentsWrapUpNotReady: 0,
      agentsWrapUpReady: 0,
      callsInQueue: 0,
      startTimeOfLongestCallInQueue: '',
      ...o,
    });
    expect(line(1).data).toEqual({
      event: 'queueDataUpdate',
      version: '1.0',
      dataState: 'ENABLED',
      queueData: [{ id: 'sales', name: 'Sales', channel: 'Voice', escalationLevel: 'Normal', statistics: stats({}) }],
    });
    expect(line(2).data).toMatchObject({ dataState: 'UPDATED', queueData: [{ id: 'sales', statistics: stats({ agentsReady: 1 }) }] });

    const cti = {
      callType: 'ACD_IN',
      DNIS: '8005550101',
      dialedNumber: '8005550101',
      mediaId: '1',
      callKeyCallId: '1',
      callKeyPrefix: String(Math.floor(T0 / 86_400_000)),
      queueName: 'Sales',
      queueNumber: 'sales',
      callVariable1: 'INV-1001',
      'user.lang': 'de',
    };
    const base: Workitem & { event: string; version: string; requestId: string } = {
      event: 'workitemCreate',
      version: '1.0',
      requestId: '',
      id: workitemId,
      agentId: '1001',
      channelId: 'voice_5000',
      channelType: 'Voice',
      classification: 'Customer',
      direction: 'Incoming',
      state: 'Offered',
      participants: [{ address: '+41445550100' }, { address: '1001001' }],
      ani: '+41445550100',
      ctiData: cti,
      capabilities: ['Answer'],
      associations: [],
      participantLookupResult: [],
    };
    expect(line(afterLogin)).toEqual({ prefix: 'message: onWorkitemCreate, data: ', data: base });
    const talking = ['Hold', 'End', 'Consult', 'DirectTransfer', 'SingleStepConference', 'SendDtmf', 'UpdateData'];
    const connected = { ...base, event: 'workitemConnect', requestId: 'answer-1', state: 'Active', capabilities: talking, connectedAt: at(2) };
    expect(line(afterAlerting)).toEqual({ prefix: 'message: onWorkitemConnect, data: ', data: connected });
    expect(line(afterAlerting + 1).data).toMatchObject({ requestId: 'answer-1', oldState: 'Ready', newState: 'Active', newStateChangeTime: at(2) });
    const updatedCti = { ...cti, callVariable1: '12345', 'user.eccVar1': '999999', wrapUpReason: 'Documentation' };
    const changed = { ...connected, requestId: 'req-data', ctiData: updatedCti };
    expect(line(afterConnect)).toEqual({ prefix: 'message: onCallVariableChanged, data: ', data: { ...changed, event: 'callVariableChanged' } });
    expect(line(afterConnect + 1)).toEqual({ prefix: 'message: onWrapupDataChanged, data: ', data: { ...changed, event: 'wrapupDataChanged' } });
    expect(line(afterData)).toEqual({
      prefix: 'message: onWorkitemPause, data: ',
      data: { ...changed, event: 'workitemPause', requestId: 'hold-1', state: 'Paused', capabilities: ['Resume', 'End', 'UpdateData'] },
    });
    expect(line(afterData + 1)).toEqual({ prefix: 'message: onWorkitemResume, data: ', data: { ...changed, event: 'workitemResume', requestId: 'resume-1' } });
    const wrapping = { ...changed, requestId: '', state: 'Wrapup', participants: [{ address: '1001001' }], capabilities: ['UpdateData', 'SetWrapupReason'] };
    expect(line(afterResume)).toEqual({ prefix: 'message: onWorkitemWrapup, data: ', data: { ...wrapping, event: 'workitemWrapup' } });
    expect(line(afterResume + 1).data).toMatchObject({ requestId: '', oldState: 'Active', newState: 'Wrapup' });
    expect(line(afterWrapupReason)).toEqual({
      prefix: 'message: onWorkitemEnd, data: ',
      data: { ...wrapping, event: 'workitemEnd', requestId: 'req-ready', state: 'Ended', capabilities: [] },
    });
    expect(line(afterWrapupReason + 1).data).toMatchObject({ requestId: 'req-ready', oldState: 'Wrapup', newState: 'Ready' });
    expect(line(afterEnd)).toEqual({
      prefix: 'message: onError data: ',
      data: { event: 'error', version: '1.0', requestId: 'req-transfer', message: 'no workitemId given and no workitem is Active', code: 'WORKITEM_AMBIGUOUS' },
    });
    expect(line(afterEnd + 1).data).toEqual({
      event: 'error',
      version: '1.0',
      requestId: 'req-bad-dtmf',
      message: 'dtmf character "X" is not allowed on UCCE (allowed: 0-9 * # A-D)',
      code: 'INVALID_ARGUMENT',
    });

    const outbound = lines.slice(afterFailures).filter((l) => !l.prefix.includes('onQueueDataUpdate'));
    expect(outbound[0]!.data).toMatchObject({
      event: 'workitemCreate',
      requestId: 'req-dial',
      id: outboundId,
      classification: 'Customer',
      direction: 'Outgoing',
      state: 'Initiated',
      ani: '+41445557777',
    });
    expect(outbound[1]!.data).toMatchObject({ requestId: 'req-dial', oldState: 'Ready', newState: 'Active' });
    expect(outbound[2]!.data).toMatchObject({ event: 'workitemConnect', id: outboundId, state: 'Active' });
    expect(outbound[3]!.data).toMatchObject({ event: 'workitemEnd', id: outboundId, requestId: 'req-blind', state: 'EndedTransferred' });
    expect(outbound[4]!.data).toMatchObject({ requestId: 'req-blind', oldState: 'Active', newState: 'Ready' });
    expect(outbound[5]!.data).toMatchObject({ event: 'workitemCreate', state: 'Offered', ani: '+41445550222' });
    expect(outbound[6]!.data).toMatchObject({ requestId: 'req-break', oldState: 'Ready', newState: 'NotReady', newReasonCode: 1, newReasonCodeLabel: 'Break' });
    // The queue update while the agent talked: a caller waits.
    expect(lines.slice(afterFailures).some((l) => l.prefix.includes('onQueueDataUpdate') && (l.data.queueData as { statistics: { callsInQueue: number } }[])[0]?.statistics.callsInQueue === 1)).toBe(true);
  });
});
