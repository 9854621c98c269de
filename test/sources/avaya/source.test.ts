/**
 * The Avaya source: CRMConnectMessages from the connector's origin and frame become one
 * InteractionRecord per interaction; everything else is ignored and reported (or, for other
 * widgets' traffic, handed to onIgnored), and the listener keeps working. Log-only: requests
 * through the API fail NOT_CAPABLE.
 */
import { describe, expect, it } from 'vitest';
import { SimulatedClock, isSwitchboardError, type ErrorEventData, type InteractionRecord, type SwitchboardError } from '../../../src/core/index.js';
import { createAgent } from '../../../src/sinks/cil/index.js';
import { createAvayaDialect } from '../../../src/sinks/dialects/index.js';
import { AvayaSource, FakeMessageWindow, type AvayaSourceOptions } from '../../../src/sources/avaya/index.js';
import { T0, runInboundCall, runOutboundCall, simDesk } from '../../sinks/dialects/helpers.js';

const CONNECTOR = 'https://connector.avaya.example';

/** A body as the CRM Connector sends it (seed 004's table, Elite voice), without Switchboard's extension. */
function connectorBody(interactionId: string, overrides: Record<string, unknown> = {}) {
  return {
    interactionId,
    interactionData: {
      interactionId,
      interaction: { id: interactionId, intrinsics: { START_TIME: T0 } },
      channel: 'Voice',
      direction: 'Inbound',
      interactionType: 'Called',
      interactionOrigin: 'Elite',
      callerName: 'Grace Hopper',
      callerNumber: '+15550100',
      updatedOriginatingAddress: '+15550100',
      destinationAddress: '5001',
      updatedDestinationAddress: '5001',
      dnis: '5001',
      resourceAddress: '4711',
      establishedTime: new Date(T0 + 5000).toISOString(),
      endTime: new Date(T0 + 95_000).toISOString(),
      acwDuration: 10,
      ucid: '00001002341717171717',
      uui: 'C8,0001',
      skillId: '12',
      skillName: 'Billing',
      workCodes: ['17'],
      comments: 'asked about invoice',
      isTransferInteraction: false,
      isConferenceInteraction: false,
      ...overrides,
    },
  };
}

function saveLog(body: unknown) {
  return { type: 'CRMConnectMessage', action: 'requestSaveInteractionLog', data: { message: { body } } };
}

async function setup(options: Partial<AvayaSourceOptions> = {}) {
  const clock = new SimulatedClock(T0 + 100_000);
  const window = new FakeMessageWindow();
  const frame = { name: 'crmConnectIframe' };
  const ignored: string[] = [];
  const source = new AvayaSource({
    window,
    allowedOrigin: CONNECTOR,
    expectedSource: frame,
    agent: { agentId: '1001', extension: '4711', firstName: 'Ada' },
    clock,
    onIgnored: (reason) => ignored.push(reason),
    ...options,
  });
  const agent = createAgent({ source, clock, newRequestId: () => 'req-1' });
  const records: InteractionRecord[] = [];
  const errors: ErrorEventData[] = [];
  agent.session.subscribe((e) => {
    if (e.type === 'interactionEnd') records.push(e.data.record);
    if (e.type === 'error') errors.push(e.data);
  });
  const cilErrors: unknown[] = [];
  agent.cil.onError((e) => cilErrors.push(e));
  await agent.connect();
  const post = (data: unknown, origin = CONNECTOR, from: unknown = frame) => window.dispatch({ origin, source: from, data });
  return { clock, window, frame, source, agent, records, errors, cilErrors, ignored, post };
}

const messages = (errors: ErrorEventData[]) => errors.map((e) => `${e.code}: ${e.message}`);

describe('Avaya source', () => {
  it('announces the agent from its options and one voice channel, as source "avaya"', async () => {
    const { agent, source } = await setup();
    expect(source.kind).toBe('avaya');
    expect([...source.supports]).toEqual([]);
    expect(agent.session.state.agent).toEqual({ agentId: '1001', extension: '4711', firstName: 'Ada', lastName: '', loginName: '', teamId: '' });
    expect(Object.values(agent.session.state.channels).map((c) => [c.id, c.type])).toEqual([['voice_avaya', 'Voice']]);
    expect(agent.session.state.source).toBe('avaya');
  });

  it('turns each requestSaveInteractionLog from the connector into one record', async () => {
    const { post, records, errors } = await setup();
    post(saveLog(connectorBody('u-1')));
    post(saveLog(connectorBody('u-2', { direction: 'Outbound', callerNumber: '4711', updatedOriginatingAddress: '4711', updatedDestinationAddress: '+15550199', destinationAddress: '+15550199' })));
    expect(messages(errors)).toEqual([]);
    expect(records.map((r) => r.id)).toEqual(['u-1', 'u-2']);
    expect(records[0]).toMatchObject({
      source: 'avaya',
      agentId: '1001',
      channel: 'Voice',
      direction: 'Incoming',
      classification: 'Customer',
      ani: '+15550100',
      callerName: 'Grace Hopper',
      dnis: '5001',
      destinationAddress: '5001',
      resourceAddress: '4711',
      startTime: new Date(T0).toISOString(),
      establishedTime: new Date(T0 + 5000).toISOString(),
      endTime: new Date(T0 + 95_000).toISOString(),
      durationSeconds: 80,
      acwSeconds: 10,
      globalId: '00001002341717171717',
      uui: 'C8,0001',
      queueId: '12',
      queueName: 'Billing',
      workCodes: ['17'],
      comments: 'asked about invoice',
      interactionOrigin: 'Elite',
      finalState: 'Ended',
    });
    expect(records[0]?.raw).toEqual(connectorBody('u-1'));
    expect(records[1]).toMatchObject({ direction: 'Outgoing', ani: '+15550199', phoneNumber: '+15550199' });
  });

  it('a duplicate is logged once: the session refuses it with DUPLICATE_UPDATE', async () => {
    const { post, records, errors } = await setup();
    post(saveLog(connectorBody('u-1')));
    post(saveLog(connectorBody('u-1')));
    post(saveLog(connectorBody('u-1', { comments: 'resent after reconnect' })));
    expect(records.map((r) => r.id)).toEqual(['u-1']);
    expect(messages(errors)).toEqual(['DUPLICATE_UPDATE: interaction "u-1" was already logged', 'DUPLICATE_UPDATE: interaction "u-1" was already logged']);
  });

  it('a CRMConnectMessage from another origin is ignored and reported', async () => {
    const { post, records, errors, cilErrors, ignored } = await setup();
    post(saveLog(connectorBody('u-1')), 'https://evil.example.com');
    post(saveLog(connectorBody('u-2')), 'https://connector.avaya.example.evil.com');
    post(saveLog(connectorBody('u-3')), 'http://connector.avaya.example');
    expect(records).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(['INVALID_UPDATE', 'INVALID_UPDATE', 'INVALID_UPDATE']);
    expect(errors[0]?.message).toBe(`Avaya CRMConnectMessage message from origin "https://evil.example.com" ignored: not in the allow-list (${CONNECTOR})`);
    expect(cilErrors).toHaveLength(3);
    expect(ignored).toEqual([]);
  });

  it('other traffic from other origins is not an error: onIgnored hears it', async () => {
    const { post, errors, ignored } = await setup();
    post({ source: 'react-devtools-bridge', payload: {} }, 'https://other-widget.example.com');
    post('hello', 'https://other-widget.example.com');
    expect(errors).toEqual([]);
    expect(ignored).toHaveLength(2);
    expect(ignored[0]).toContain('https://other-widget.example.com');
  });

  it('a message from the right origin but another window is ignored and reported', async () => {
    const { post, records, errors } = await setup();
    post(saveLog(connectorBody('u-1')), CONNECTOR, { name: 'some other frame' });
    expect(records).toEqual([]);
    expect(messages(errors)).toEqual([`INVALID_UPDATE: Avaya CRMConnectMessage message from ${CONNECTOR} ignored: it did not come from the expected window`]);
  });

  it('without expectedSource, any window of the allowed origin is accepted', async () => {
    const { post, records } = await setup({ expectedSource: undefined });
    post(saveLog(connectorBody('u-1')), CONNECTOR, { name: 'any' });
    expect(records.map((r) => r.id)).toEqual(['u-1']);
  });

  it('malformed messages are reported with what was wrong, and the listener keeps working', async () => {
    const { post, records, errors } = await setup();
    post(42);
    post({ type: 'SomethingElse', action: 'requestSaveInteractionLog' });
    post({ type: 'CRMConnectMessage' });
    post({ type: 'CRMConnectMessage', action: 'requestSaveInteractionLog', data: 'log' });
    post({ type: 'CRMConnectMessage', action: 'requestSaveInteractionLog', data: {} });
    post(saveLog({ interactionData: {} }));
    post(saveLog({ interactionId: 'u-9' }));
    post(saveLog(connectorBody('u-8', { acwDuration: 'ten' })));
    post('{"type": "CRMConnectMessage", "action": "requestSaveInteractionLog", "data": {"message": ');
    post(saveLog(connectorBody('u-1')));
    const from = `Avaya CRMConnectMessage from ${CONNECTOR}`;
    expect(messages(errors)).toEqual([
      `INVALID_UPDATE: ${from}: the message must be an object {"type": "CRMConnectMessage", "action", "data"} (got 42)`,
      `INVALID_UPDATE: ${from}: "type" must be "CRMConnectMessage" (got "SomethingElse")`,
      `INVALID_UPDATE: ${from}: "action" must be a non-empty string (got undefined)`,
      `INVALID_UPDATE: ${from}: requestSaveInteractionLog: "data" must be an object with "message.body" (got "log")`,
      `INVALID_UPDATE: ${from}: requestSaveInteractionLog: "data.message" must be an object with "body" (got undefined)`,
      `INVALID_UPDATE: ${from}: requestSaveInteractionLog: body: "interactionId" must be a non-empty string (got undefined)`,
      `INVALID_UPDATE: ${from}: requestSaveInteractionLog: body: "interactionData" must be an object (got undefined)`,
      `INVALID_UPDATE: ${from}: requestSaveInteractionLog: body: "interactionData.acwDuration" must be a number (got "ten")`,
      `INVALID_UPDATE: ${from}: the message is a string but not JSON (got "{\\"type\\": \\"CRMConnectMessage\\", \\"action\\": \\"requestS...)`,
    ]);
    expect(records.map((r) => r.id)).toEqual(['u-1']);
  });

  it('a message sent as a JSON string is read like an object', async () => {
    const { post, records, errors } = await setup();
    post(JSON.stringify(saveLog(connectorBody('u-1'))));
    expect(messages(errors)).toEqual([]);
    expect(records.map((r) => r.id)).toEqual(['u-1']);
  });

  it('other actions are reported as not supported', async () => {
    const { post, records, errors } = await setup();
    post({ type: 'CRMConnectMessage', action: 'requestClickToDial', data: { phoneNumber: '+15550100' } });
    expect(records).toEqual([]);
    expect(messages(errors)).toEqual([
      `NOT_SUPPORTED: Avaya CRMConnectMessage from ${CONNECTOR}: action "requestClickToDial" is not supported; the Avaya source is log-only and handles only requestSaveInteractionLog`,
    ]);
  });

  it('a log without times ends at the source clock\'s now', async () => {
    const { post, records, clock } = await setup();
    post(saveLog({ interactionId: 'bare', interactionData: { callerNumber: '+15550100' } }));
    expect(records[0]).toMatchObject({ id: 'bare', startTime: new Date(clock.now()).toISOString(), endTime: new Date(clock.now()).toISOString(), ani: '+15550100', durationSeconds: 0 });
  });

  it('requests through the API fail NOT_CAPABLE, naming the avaya source', async () => {
    const { agent, cilErrors } = await setup();
    let caught: unknown;
    try {
      await agent.api.dialOrConsult('voice', '+15550100', { requestId: 'dial-1' });
    } catch (e) {
      caught = e;
    }
    expect(isSwitchboardError(caught)).toBe(true);
    expect((caught as SwitchboardError).code).toBe('NOT_CAPABLE');
    expect((caught as SwitchboardError).message).toBe('the avaya source cannot carry out makeCall');
    expect((caught as SwitchboardError).requestId).toBe('dial-1');
    await agent.cil.setAgentState('voice', 'Ready', '', 'ready-1');
    expect(cilErrors).toContainEqual(expect.objectContaining({ code: 'NOT_CAPABLE', requestId: 'ready-1', message: 'the avaya source cannot carry out setAgentState' }));
  });

  it('the source itself refuses any request with NOT_CAPABLE and the request id', async () => {
    const { source } = await setup();
    await expect(source.request({ type: 'sendDtmf', workitemId: 'w', digits: '1', requestId: 'd-1' })).rejects.toMatchObject({
      code: 'NOT_CAPABLE',
      requestId: 'd-1',
      message: 'the avaya source is log-only (Avaya CRM Connector interaction logs): it cannot carry out sendDtmf',
    });
  });

  it('stops listening on disconnect; a reconnect listens once', async () => {
    const { post, records, window, source, agent } = await setup();
    expect(window.listenerCount).toBe(1);
    await agent.disconnect();
    expect(window.listenerCount).toBe(0);
    expect(source.connected).toBe(false);
    post(saveLog(connectorBody('u-1')));
    expect(records).toEqual([]);
    await source.connect((u) => agent.session.apply(u));
    await source.connect((u) => agent.session.apply(u));
    expect(window.listenerCount).toBe(1);
    post(saveLog(connectorBody('u-1')));
    expect(records.map((r) => r.id)).toEqual(['u-1']);
  });

  it('refuses a configuration without an exact origin or an agent id', () => {
    const window = new FakeMessageWindow();
    for (const allowedOrigin of ['*', 'connector.avaya.example', [] as string[], `${CONNECTOR}/path`]) {
      expect(() => new AvayaSource({ window, allowedOrigin, agent: { agentId: '1001' } }), JSON.stringify(allowedOrigin)).toThrow(/allowedOrigin/);
    }
    expect(() => new AvayaSource({ window, allowedOrigin: CONNECTOR, agent: { agentId: '' } })).toThrow('agent.agentId must be a non-empty string');
  });
});

describe('Avaya dialect → CRM page → Avaya source', () => {
  it('a simulated agent\'s records arrive through the real postMessage path unchanged', async () => {
    const desk = simDesk();
    const original: InteractionRecord[] = [];
    desk.agent.session.subscribe((e) => {
      if (e.type === 'interactionEnd') original.push(e.data.record);
    });
    // The page hosting Switchboard's dialect is the "connector frame" the CRM page's source trusts.
    const hub = 'https://switchboard.example.com';
    const crmPage = 'https://crm.example.com';
    const crmWindow = new FakeMessageWindow();
    const hubFrame = { name: 'switchboard frame' };
    createAvayaDialect({
      session: desk.agent.session,
      targetOrigin: crmPage,
      target: {
        postMessage: (message, targetOrigin) => {
          expect(targetOrigin).toBe(crmPage);
          crmWindow.dispatch({ origin: hub, source: hubFrame, data: structuredClone(message) });
        },
      },
    });
    const clock = new SimulatedClock(T0);
    const crmSide = createAgent({ source: new AvayaSource({ window: crmWindow, allowedOrigin: hub, expectedSource: hubFrame, agent: { agentId: '1001' }, clock }), clock });
    const received: InteractionRecord[] = [];
    crmSide.session.subscribe((e) => {
      if (e.type === 'interactionEnd') received.push(e.data.record);
      if (e.type === 'error') throw new Error(e.data.message);
    });
    await crmSide.connect();
    await desk.agent.connect();
    await runInboundCall(desk);
    await runOutboundCall(desk);
    expect(received).toHaveLength(2);
    for (const [i, r] of received.entries()) {
      const { raw: _raw, source: _source, ...rest } = original[i]!;
      expect(r).toEqual({ ...rest, source: 'avaya', raw: r.raw });
    }
  });
});
