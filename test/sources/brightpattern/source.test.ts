/**
 * The Bright Pattern source: each ON_SAVE_ACTIVITY_RECORD callback of the agent desktop's API
 * becomes one InteractionRecord; an activity whose fields are not typed as seed 003 declares is
 * reported naming the field, and the subscription keeps working. Log-only: requests through the
 * API fail NOT_CAPABLE.
 */
import { describe, expect, it } from 'vitest';
import { SimulatedClock, isSwitchboardError, type ErrorEventData, type InteractionRecord, type SwitchboardError } from '../../../src/core/index.js';
import { createAgent } from '../../../src/sinks/cil/index.js';
import { createBrightPatternDialect, type InteractionData } from '../../../src/sinks/dialects/index.js';
import { BrightPatternSource, FakeAdApi, type AdApiLike } from '../../../src/sources/brightpattern/index.js';
import { T0, runInboundCall, runOutboundCall, simDesk } from '../../sinks/dialects/helpers.js';

const EVENT = 'ON_SAVE_ACTIVITY_RECORD';

/** An activity as Bright Pattern's desktop passes it (seed 003's InteractionData, plus agentId). */
function activity(overrides: Record<string, unknown> = {}): InteractionData & Record<string, unknown> {
  return {
    interactionId: 'bp-1',
    state: 'completed',
    type: 'voice',
    subject: 'Billing question',
    associatedObjects: { objects: [{ id: '003A', type: 'Contact', displayName: 'Grace Hopper', displayType: 'Contact', customFields: {} }] },
    callParties: [
      { id: 'p1', name: 'Grace Hopper', phone: '+15550100' },
      { id: 'p2', name: 'Ada Meier', phone: '4711', userId: 'u-1001' },
    ],
    callMuted: false,
    callRecording: true,
    attachedData: { account: 'A-17', language: 'en' },
    phoneNumber: '+15550100',
    callDirection: 'inbound',
    startTime: T0,
    endTime: T0 + 95_000,
    duration: 80,
    description: 'asked about invoice',
    disposition: 'Resolved',
    globalInteractionId: 'giid-1',
    service: 'Billing',
    recordingUrl: 'https://rec.example.com/bp-1.wav',
    DNIS: '5001',
    ANI: '+15550100',
    origination: 'auto',
    agentId: 'agent-7',
    ...overrides,
  };
}

async function setup<A extends AdApiLike = FakeAdApi>(adApi: A = new FakeAdApi() as AdApiLike as A) {
  const clock = new SimulatedClock(T0 + 100_000);
  const source = new BrightPatternSource({ adApi, agent: { agentId: '1001', firstName: 'Ada' }, clock });
  const agent = createAgent({ source, clock });
  const records: InteractionRecord[] = [];
  const errors: ErrorEventData[] = [];
  agent.session.subscribe((e) => {
    if (e.type === 'interactionEnd') records.push(e.data.record);
    if (e.type === 'error') errors.push(e.data);
  });
  await agent.connect();
  return { clock, source, agent, records, errors, adApi };
}

const messages = (errors: ErrorEventData[]) => errors.map((e) => `${e.code}: ${e.message}`);

describe('Bright Pattern source', () => {
  it('announces the agent and one voice channel, as source "brightpattern", and subscribes once', async () => {
    const adApi = new FakeAdApi();
    const { agent, source } = await setup(adApi);
    expect(source.kind).toBe('brightpattern');
    expect([...source.supports]).toEqual([]);
    expect(agent.session.state.agent?.agentId).toBe('1001');
    expect(Object.values(agent.session.state.channels).map((c) => [c.id, c.type])).toEqual([['voice_brightpattern', 'Voice']]);
    expect(agent.session.state.source).toBe('brightpattern');
    expect(adApi.count(EVENT)).toBe(1);
  });

  it('turns each activity into one record, raw = the activity', async () => {
    const { adApi, records, errors } = await setup();
    adApi.emit(EVENT, activity());
    expect(messages(errors)).toEqual([]);
    expect(records).toHaveLength(1);
    expect(records[0]).toEqual({
      id: 'bp-1',
      source: 'brightpattern',
      agentId: 'agent-7',
      channel: 'Voice',
      direction: 'Incoming',
      internal: false,
      classification: 'Customer',
      isTransfer: false,
      isConference: false,
      finalState: 'Ended',
      ani: '+15550100',
      callerName: 'Grace Hopper',
      dnis: '5001',
      phoneNumber: '+15550100',
      startTime: new Date(T0).toISOString(),
      endTime: new Date(T0 + 95_000).toISOString(),
      durationSeconds: 80,
      acwSeconds: 0,
      holdSeconds: 0,
      queueName: 'Billing',
      disposition: 'Resolved',
      workCodes: ['Resolved'],
      subject: 'Billing question',
      comments: 'asked about invoice',
      callParties: activity().callParties,
      callMuted: false,
      callRecording: true,
      recordingUrl: 'https://rec.example.com/bp-1.wav',
      origination: 'auto',
      globalId: 'giid-1',
      data: { account: 'A-17', language: 'en' },
      associations: [{ id: '003A', name: 'Grace Hopper', recordType: 'Contact' }],
      raw: activity(),
    });
  });

  it('a duplicate is logged once: the session refuses it with DUPLICATE_UPDATE', async () => {
    const { adApi, records, errors } = await setup();
    adApi.emit(EVENT, activity());
    adApi.emit(EVENT, activity({ description: 'again' }));
    expect(records.map((r) => r.id)).toEqual(['bp-1']);
    expect(messages(errors)).toEqual(['DUPLICATE_UPDATE: interaction "bp-1" was already logged']);
  });

  it('a field not typed as seed 003 declares is reported by name; the subscription keeps working', async () => {
    const { adApi, records, errors } = await setup();
    const cases: [Record<string, unknown>, string][] = [
      [{ interactionId: 7 }, '"activity.interactionId" must be a string (got 7)'],
      [{ interactionId: '' }, '"activity.interactionId" must be a non-empty string (got "")'],
      [{ state: 'finished' }, '"activity.state" must be one of "unknown", "queued", "ivr", "wrap_up", "wrap_up_hold", "delivered", "delivery_pending", "hold", "completed" (got "finished")'],
      [{ state: undefined }, '"activity.state" must be one of'],
      [{ type: 'sms' }, '"activity.type" must be one of "voice", "chat", "email" (got "sms")'],
      [{ subject: undefined }, '"activity.subject" must be a string (got undefined)'],
      [{ associatedObjects: [] }, '"activity.associatedObjects" must be an object (got [])'],
      [{ associatedObjects: { objects: [{ id: 'x' }] } }, '"activity.associatedObjects.objects[0].type" must be a string (got undefined)'],
      [{ callParties: {} }, '"activity.callParties" must be an array of CallParty (got {})'],
      [{ callParties: [{ id: 'p', name: 'n' }] }, '"activity.callParties[0].phone" must be a string (got undefined)'],
      [{ callParties: [{ id: 'p', name: 'n', phone: '1', userId: 5 }] }, '"activity.callParties[0].userId" must be a string (got 5)'],
      [{ callMuted: 'false' }, '"activity.callMuted" must be true or false (got "false")'],
      [{ callRecording: undefined }, '"activity.callRecording" must be true or false (got undefined)'],
      [{ attachedData: undefined }, '"activity.attachedData" must be an object (got undefined)'],
      [{ attachedData: { n: 1 } }, '"activity.attachedData.n" must be a string (got 1)'],
      [{ phoneNumber: 5550100 }, '"activity.phoneNumber" must be a string (got 5550100)'],
      [{ email: false }, '"activity.email" must be a string (got false)'],
      [{ callDirection: 'in' }, '"activity.callDirection" must be one of "inbound", "outbound" (got "in")'],
      [{ startTime: '2026-03-02T08:00:00Z' }, '"activity.startTime" must be a finite number (got "2026-03-02T08:00:00Z")'],
      [{ endTime: Number.NaN }, '"activity.endTime" must be a finite number (got null)'],
      [{ duration: '80' }, '"activity.duration" must be a finite number (got "80")'],
      [{ duration: -1 }, '"activity.duration" must not be negative (got -1)'],
      [{ description: 1 }, '"activity.description" must be a string (got 1)'],
      [{ disposition: [] }, '"activity.disposition" must be a string (got [])'],
      [{ globalInteractionId: 1 }, '"activity.globalInteractionId" must be a string (got 1)'],
      [{ service: {} }, '"activity.service" must be a string (got {})'],
      [{ playbackUrl: 1 }, '"activity.playbackUrl" must be a string (got 1)'],
      [{ recordingUrl: 1 }, '"activity.recordingUrl" must be a string (got 1)'],
      [{ DNIS: 5001 }, '"activity.DNIS" must be a string (got 5001)'],
      [{ ANI: 1 }, '"activity.ANI" must be a string (got 1)'],
      [{ origination: 'crm' }, '"activity.origination" must be one of'],
      [{ agentId: 7 }, '"activity.agentId" must be a string (got 7)'],
      [{ endTime: T0 - 1 }, '"activity.endTime" (1772438399999) is before "activity.startTime" (1772438400000)'],
    ];
    for (const [i, [override, expected]] of cases.entries()) {
      errors.length = 0;
      adApi.emit(EVENT, activity({ ...override, interactionId: 'interactionId' in override ? override.interactionId : `bad-${i}` }));
      expect(errors.map((e) => e.code), expected).toEqual(['INVALID_UPDATE']);
      expect(errors[0]?.message.startsWith(`Bright Pattern ON_SAVE_ACTIVITY_RECORD: ${expected}`), `${errors[0]?.message} ≠ ${expected}`).toBe(true);
    }
    errors.length = 0;
    adApi.emit(EVENT, null);
    expect(messages(errors)).toEqual(['INVALID_UPDATE: Bright Pattern ON_SAVE_ACTIVITY_RECORD: the activity must be an InteractionData object (got null)']);
    expect(records).toEqual([]);
    adApi.emit(EVENT, activity());
    expect(records.map((r) => r.id)).toEqual(['bp-1']);
  });

  it('optional fields may be absent; times then come from duration and the clock', async () => {
    const { adApi, records, clock } = await setup();
    const minimal = { interactionId: 'm-1', state: 'completed', type: 'chat', subject: '', associatedObjects: {}, callParties: [], callMuted: false, callRecording: false, attachedData: {} };
    adApi.emit(EVENT, minimal);
    adApi.emit(EVENT, { ...minimal, interactionId: 'm-2', duration: 30 });
    adApi.emit(EVENT, { ...minimal, interactionId: 'm-3', startTime: T0, duration: 30 });
    const now = clock.now();
    expect(records.map((r) => [r.id, r.channel, r.agentId, r.startTime, r.endTime, r.durationSeconds])).toEqual([
      ['m-1', 'Chat', '1001', new Date(now).toISOString(), new Date(now).toISOString(), 0],
      ['m-2', 'Chat', '1001', new Date(now - 30_000).toISOString(), new Date(now).toISOString(), 30],
      ['m-3', 'Chat', '1001', new Date(T0).toISOString(), new Date(T0 + 30_000).toISOString(), 30],
    ]);
    expect(records[0]?.subject).toBeUndefined();
  });

  it('outbound, transfers, conferences, internal calls and states that never reached the agent', async () => {
    const { adApi, records } = await setup();
    adApi.emit(EVENT, activity({ interactionId: 'o', callDirection: 'outbound', ANI: undefined, phoneNumber: '+15550199' }));
    adApi.emit(EVENT, activity({ interactionId: 't', transferANI: '+15550111' }));
    adApi.emit(EVENT, activity({ interactionId: 'c', origination: 'conference' }));
    adApi.emit(EVENT, activity({ interactionId: 'i', callParties: [{ id: 'a', name: 'A', phone: '4711', userId: 'u1' }, { id: 'b', name: 'B', phone: '4712', userId: 'u2' }] }));
    adApi.emit(EVENT, activity({ interactionId: 'q', state: 'queued' }));
    adApi.emit(EVENT, activity({ interactionId: 'u', state: 'unknown' }));
    const by = (id: string) => records.find((r) => r.id === id);
    expect(by('o')).toMatchObject({ direction: 'Outgoing', ani: '+15550199', phoneNumber: '+15550199' });
    expect(by('t')).toMatchObject({ classification: 'Transfer', isTransfer: true });
    expect(by('c')).toMatchObject({ classification: 'Conference', isConference: true });
    expect(by('i')).toMatchObject({ classification: 'Internal', internal: true });
    expect(by('q')?.finalState).toBe('EndedAbandoned');
    expect(by('u')?.finalState).toBe('EndedUnknown');
  });

  it('requests through the API fail NOT_CAPABLE, naming the brightpattern source', async () => {
    const { agent, source } = await setup();
    let caught: unknown;
    try {
      await agent.api.dialOrConsult('voice', '+15550100', { requestId: 'dial-1' });
    } catch (e) {
      caught = e;
    }
    expect(isSwitchboardError(caught)).toBe(true);
    expect([(caught as SwitchboardError).code, (caught as SwitchboardError).message, (caught as SwitchboardError).requestId]).toEqual([
      'NOT_CAPABLE',
      'the brightpattern source cannot carry out makeCall',
      'dial-1',
    ]);
    await expect(source.request({ type: 'hold', workitemId: 'w', requestId: 'h-1' })).rejects.toMatchObject({ code: 'NOT_CAPABLE', requestId: 'h-1' });
  });

  it('disconnect unsubscribes when the API has off; otherwise what still arrives is dropped', async () => {
    const withOff = await setup();
    await withOff.agent.disconnect();
    expect(withOff.adApi.count(EVENT)).toBe(0);
    await withOff.source.connect((u) => withOff.agent.session.apply(u));
    expect(withOff.adApi.count(EVENT)).toBe(1);

    const handlers: ((a: InteractionData) => void)[] = [];
    const onOnly = { on: (_e: string, h: (a: InteractionData) => void) => handlers.push(h) };
    const noOff = await setup(onOnly);
    await noOff.source.disconnect();
    for (const h of handlers) h(activity());
    expect(noOff.records).toEqual([]);
    await noOff.source.connect((u) => noOff.agent.session.apply(u));
    expect(handlers).toHaveLength(1);
    for (const h of handlers) h(activity());
    expect(noOff.records.map((r) => r.id)).toEqual(['bp-1']);
  });

  it('a desktop API that refuses the subscription fails connect with PLATFORM_ERROR', async () => {
    const adApi = {
      on: () => {
        throw new Error('unknown event');
      },
    };
    const source = new BrightPatternSource({ adApi, agent: { agentId: '1001' } });
    await expect(source.connect(() => undefined)).rejects.toMatchObject({ code: 'PLATFORM_ERROR', message: 'Bright Pattern source: adApi.on("ON_SAVE_ACTIVITY_RECORD") failed: unknown event' });
    expect(source.connected).toBe(false);
  });

  it('refuses a configuration without an adApi or an agent id', () => {
    expect(() => new BrightPatternSource({ adApi: {} as AdApiLike, agent: { agentId: '1001' } })).toThrow('adApi must have an on(event, handler) method');
    expect(() => new BrightPatternSource({ adApi: new FakeAdApi(), agent: { agentId: '' } })).toThrow('agent.agentId must be a non-empty string');
  });
});

describe('Bright Pattern dialect → Bright Pattern source', () => {
  it('a simulated agent\'s records arrive through the dialect as adApi, keeping what InteractionData carries', async () => {
    const desk = simDesk();
    const original: InteractionRecord[] = [];
    desk.agent.session.subscribe((e) => {
      if (e.type === 'interactionEnd') original.push(e.data.record);
    });
    const adApi = createBrightPatternDialect({ session: desk.agent.session });
    const clock = new SimulatedClock(T0);
    const crmSide = createAgent({ source: new BrightPatternSource({ adApi, agent: { agentId: 'ignored' }, clock }), clock });
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
      const o = original[i]!;
      const carried = (x: InteractionRecord) => ({
        id: x.id, agentId: x.agentId, channel: x.channel, direction: x.direction, ani: x.ani, dnis: x.dnis, phoneNumber: x.phoneNumber, startTime: x.startTime,
        endTime: x.endTime, durationSeconds: x.durationSeconds, queueName: x.queueName, disposition: x.disposition, globalId: x.globalId, callParties: x.callParties,
        callMuted: x.callMuted, callRecording: x.callRecording, data: x.data, associations: x.associations, classification: x.classification,
      });
      expect(carried(r)).toEqual(carried(o));
      expect(r.source).toBe('brightpattern');
    }
  });
});
