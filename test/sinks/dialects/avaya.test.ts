/**
 * The Avaya dialect (posting requestSaveInteractionLog) and the body mapping it shares with the
 * Avaya source: every row of seed 004's table under its documented name, the direction and
 * interaction-type values, the round trip record → body → record, and body validation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AgentSession, SimulatedClock, isSwitchboardError, type DomainEvent, type InteractionRecord, type SwitchboardError } from '../../../src/core/index.js';
import {
  avayaBodyToRecord,
  createAvayaDialect,
  recordToAvayaBody,
  saveInteractionLogMessage,
  type AvayaInteractionLogBody,
} from '../../../src/sinks/dialects/index.js';
import { T0, fullRecord, runInboundCall, runOutboundCall, simDesk } from './helpers.js';

const CRM = 'https://crm.example.com';

function session(): { session: AgentSession; events: DomainEvent[] } {
  const s = new AgentSession({ clock: new SimulatedClock(T0) });
  const events: DomainEvent[] = [];
  s.subscribe((e) => events.push(e));
  return { session: s, events };
}

function ok(body: unknown, now = T0): InteractionRecord {
  const r = avayaBodyToRecord(body, { agentId: '1001', now });
  if ('error' in r) throw new Error(r.error);
  return r.record;
}

function err(body: unknown): string {
  const r = avayaBodyToRecord(body, { agentId: '1001', now: T0 });
  if (!('error' in r)) throw new Error('expected an error');
  return r.error;
}

/** A JSON copy: what crosses postMessage and the trace files. */
const wire = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function withoutExtension(body: AvayaInteractionLogBody): AvayaInteractionLogBody {
  const copy = wire(body);
  delete copy.interactionData.switchboard;
  return copy;
}

describe('Avaya dialect', () => {
  it('posts one CRMConnectMessage per interactionEnd, to the exact target origin', () => {
    const { session: s } = session();
    const posts: { message: unknown; origin: string }[] = [];
    createAvayaDialect({ session: s, target: { postMessage: (message, origin) => posts.push({ message, origin }) }, targetOrigin: `${CRM}/` });
    s.apply({ type: 'session', agent: { agentId: '1001', extension: '', firstName: '', lastName: '', loginName: '', teamId: '' }, channels: [{ id: 'voice_1', type: 'Voice' }] });
    s.apply({ type: 'interactionRecord', record: fullRecord() });
    s.apply({ type: 'interactionRecord', record: fullRecord({ id: 'int-43' }) });
    expect(posts.map((p) => p.origin)).toEqual([CRM, CRM]);
    expect(posts[0]?.message).toEqual(saveInteractionLogMessage(fullRecord()));
    expect(posts[0]?.message).toMatchObject({ type: 'CRMConnectMessage', action: 'requestSaveInteractionLog', data: { message: { body: { interactionId: 'int-42' } } } });
    expect(posts[1]?.message).toMatchObject({ data: { message: { body: { interactionId: 'int-43' } } } });
  });

  it("refuses '*' and anything that is not an exact http(s) origin", () => {
    const { session: s } = session();
    for (const targetOrigin of ['*', '', 'crm.example.com', 'https://crm.example.com/path', 'javascript:alert(1)']) {
      let caught: unknown;
      try {
        createAvayaDialect({ session: s, target: { postMessage: () => undefined }, targetOrigin });
      } catch (e) {
        caught = e;
      }
      expect(isSwitchboardError(caught), targetOrigin).toBe(true);
      expect((caught as SwitchboardError).code).toBe('INVALID_ARGUMENT');
      expect((caught as SwitchboardError).message).toContain('never');
    }
  });

  it('posts only what the filter lets through, and nothing after dispose', () => {
    const { session: s } = session();
    const posted: string[] = [];
    const dialect = createAvayaDialect({
      session: s,
      target: { postMessage: (m) => posted.push((m as ReturnType<typeof saveInteractionLogMessage>).data.message.body.interactionId) },
      targetOrigin: CRM,
      filter: (r) => r.classification !== 'Consultation',
    });
    s.apply({ type: 'interactionRecord', record: fullRecord({ id: 'a' }) });
    s.apply({ type: 'interactionRecord', record: fullRecord({ id: 'b', classification: 'Consultation', internal: true }) });
    dialect.dispose();
    s.apply({ type: 'interactionRecord', record: fullRecord({ id: 'c' }) });
    expect(posted).toEqual(['a']);
  });

  it('a post that fails goes to onError, naming the interaction and the origin', () => {
    const { session: s, events } = session();
    const errors: SwitchboardError[] = [];
    createAvayaDialect({
      session: s,
      target: {
        postMessage: () => {
          throw new Error('DataCloneError');
        },
      },
      targetOrigin: CRM,
      onError: (e) => errors.push(e),
    });
    s.apply({ type: 'interactionRecord', record: fullRecord() });
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['PLATFORM_ERROR', `requestSaveInteractionLog for interaction "int-42" could not be posted to ${CRM}: DataCloneError`],
    ]);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
  });

  it('without onError, a failed post reaches the session\'s other listeners as HANDLER_ERROR', () => {
    const { session: s, events } = session();
    createAvayaDialect({
      session: s,
      target: {
        postMessage: () => {
          throw new Error('gone');
        },
      },
      targetOrigin: CRM,
    });
    s.apply({ type: 'interactionRecord', record: fullRecord() });
    const errors = events.flatMap((e) => (e.type === 'error' ? [e.data] : []));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe('HANDLER_ERROR');
    expect(errors[0]?.message).toContain('int-42');
    expect(errors[0]?.message).toContain('gone');
    // The record itself was still logged once for the other listeners.
    expect(events.filter((e) => e.type === 'interactionEnd')).toHaveLength(1);
  });
});

describe('Avaya body: record → body', () => {
  it('carries every row of seed 004\'s table under its camelCase name, plus what the example reads', () => {
    const body = recordToAvayaBody(fullRecord({ interactionOrigin: '[AXP,Elite]' }));
    const { switchboard, ...d } = body.interactionData;
    expect(body.interactionId).toBe('int-42');
    expect(d).toEqual({
      interaction: { id: 'int-42', intrinsics: { START_TIME: Date.parse('2026-03-02T08:00:01.250Z') } },
      updatedOriginatingAddress: '+41445550100',
      updatedDestinationAddress: '+18005550100',
      acwDuration: 6,
      attributes: { callVariable1: 'INV-1001', 'user.lang': 'de' },
      channel: 'Voice',
      destinationAddress: '8005550100',
      direction: 'Inbound',
      establishedTime: '2026-03-02T08:00:04.000Z',
      interactionType: 'Transferred',
      interactionId: 'int-42',
      priority: 3,
      resourceAddress: '1001001',
      workCodes: ['Sale', 'Upsell'],
      interactionOrigin: '[AXP,Elite]',
      callerName: 'Grace Hopper',
      callerNumber: '+41445550100',
      dnis: '8005550100',
      startDate: '2026-03-02',
      startTime: '08:00:01',
      topicId: 'sales',
      topicName: 'Sales',
      uui: 'C8,0001',
      asaiUui: '04,1234',
      ucid: '00001002341717171717',
      endTime: '2026-03-02T08:01:30.000Z',
      skillId: 'sales',
      skillName: 'Sales',
      engagementParameters: { availableBalance: '120.50' },
      subject: 'Order 1001',
      nameId: '003A',
      relatedToId: '500B',
      comments: 'Wants the blue one',
      nameOptions: [{ id: '003A', name: 'Grace Hopper', recordType: 'Contact' }],
      relatedToOptions: [{ id: '500B', name: 'Case 00001001', recordType: 'Case' }],
      dispositionCode: 'Sale',
      customFields: [{ name: 'tier', value: 'gold' }],
      settings: { displayName: true, displayRelatedTo: true, displayComments: true },
      isTransferInteraction: true,
      isConferenceInteraction: false,
    });
    expect(switchboard).toMatchObject({ source: 'avaya', agentId: '1001', direction: 'Incoming', classification: 'Transfer', durationSeconds: 80, holdSeconds: 10 });
  });

  it('maps direction to Inbound / Outbound / Internal and classification to Called / Transferred / Conferenced', () => {
    const d = (o: Partial<InteractionRecord>) => recordToAvayaBody(fullRecord(o)).interactionData;
    expect(d({ direction: 'Incoming', internal: false }).direction).toBe('Inbound');
    expect(d({ direction: 'Outgoing', internal: false }).direction).toBe('Outbound');
    expect(d({ direction: 'Outgoing', internal: true }).direction).toBe('Internal');
    expect(d({ classification: 'Customer', isTransfer: false }).interactionType).toBe('Called');
    expect(d({ classification: 'Consultation', isTransfer: false }).interactionType).toBe('Called');
    expect(d({ classification: 'Transfer', isTransfer: true }).interactionType).toBe('Transferred');
    expect(d({ classification: 'Conference', isTransfer: false, isConference: true }).interactionType).toBe('Conferenced');
  });

  it('outbound: the caller is the agent\'s station, the called party the dialled number', () => {
    const d = recordToAvayaBody(fullRecord({ direction: 'Outgoing', ani: '+41445557777', phoneNumber: '+41445557777', destinationAddress: '+41445557777' })).interactionData;
    expect([d.updatedOriginatingAddress, d.callerNumber, d.updatedDestinationAddress, d.destinationAddress]).toEqual(['1001001', '1001001', '+41445557777', '+41445557777']);
  });

  it('sends Topic for AXP, Skill for Elite, both when the origin is both or unknown', () => {
    const keys = (origin: string | undefined) => {
      const d = recordToAvayaBody(fullRecord({ interactionOrigin: origin })).interactionData;
      return ['topicId', 'topicName', 'skillId', 'skillName'].filter((k) => k in d);
    };
    expect(keys('AXP')).toEqual(['topicId', 'topicName']);
    expect(keys('Elite')).toEqual(['skillId', 'skillName']);
    expect(keys('[AXP,Elite]')).toEqual(['topicId', 'topicName', 'skillId', 'skillName']);
    expect(keys(undefined)).toEqual(['topicId', 'topicName', 'skillId', 'skillName']);
  });
});

describe('Avaya body: round trip record → body → record', () => {
  it('keeps every field with the Switchboard extension (source becomes avaya, raw the body)', () => {
    for (const record of [fullRecord({ source: 'finesse' }), fullRecord({ direction: 'Outgoing', internal: true, classification: 'Consultation', isTransfer: false, finalState: 'Ended' })]) {
      const body = wire(recordToAvayaBody(record));
      expect(ok(body)).toEqual({ ...record, source: 'avaya', raw: body });
    }
  });

  it('keeps every table-mapped field without the extension (what the real connector sends)', () => {
    const record = fullRecord();
    const body = withoutExtension(recordToAvayaBody(record));
    const back = ok(body);
    const { holdSeconds: _h, callParties: _c, callMuted: _m, callRecording: _r, email: _e, recordingUrl: _u, playbackUrl: _p, origination: _o, finalState: _f, raw: _raw, source: _s, ...mapped } = record;
    expect(back).toMatchObject(mapped);
    // No table row holds these: defaults, documented in docs/avaya.md.
    expect(back).toMatchObject({ holdSeconds: 0, callParties: [], callMuted: false, callRecording: false, finalState: 'Ended', source: 'avaya' });
    expect(back.email).toBeUndefined();
    expect(back.raw).toEqual(body);
  });

  it('records of the simulator survive the round trip without the extension, inbound and outbound', async () => {
    const desk = simDesk();
    const records: InteractionRecord[] = [];
    desk.agent.session.subscribe((e) => {
      if (e.type === 'interactionEnd') records.push(e.data.record);
    });
    await desk.agent.connect();
    await runInboundCall(desk);
    await runOutboundCall(desk);
    expect(records).toHaveLength(2);
    for (const r of records) {
      const back = ok(withoutExtension(recordToAvayaBody(r)));
      const { holdSeconds: _h, callParties: _c, raw: _raw, source: _s, ...mapped } = r;
      expect(back).toMatchObject(mapped);
      expect(back.direction).toBe(r.direction);
    }
  });

  it('holds for any record (property)', () => {
    const text = fc.string({ minLength: 1, maxLength: 12 });
    const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
    const time = fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2099-01-01T00:00:00Z') });
    const record = fc
      .record({
        id: text,
        channel: fc.constantFrom('Voice', 'Chat', 'Email', 'Messaging', 'Task' as const),
        direction: fc.constantFrom('Incoming', 'Outgoing' as const),
        internal: fc.boolean(),
        classification: fc.constantFrom('Customer', 'Consultation', 'Conference', 'Transfer', 'Internal', 'Unknown' as const),
        isTransfer: fc.boolean(),
        isConference: fc.boolean(),
        finalState: fc.constantFrom('Ended', 'EndedAbandoned', 'EndedTransferred', 'EndedUnknown' as const),
        ani: fc.string({ maxLength: 12 }),
        start: time,
        established: opt(fc.integer({ min: 0, max: 3_600_000 })),
        length: fc.integer({ min: 0, max: 7_200_000 }),
        acwSeconds: fc.nat(600),
        holdSeconds: fc.nat(600),
        durationSeconds: fc.nat(7200),
        workCodes: fc.array(text, { maxLength: 3 }),
        data: fc.dictionary(fc.stringMatching(/^(engagement\.|custom\.)?[a-z][a-zA-Z0-9]{0,8}$/), fc.string({ maxLength: 8 }), { maxKeys: 5 }),
        priority: opt(fc.integer({ min: -5, max: 100 })),
        strings: fc.record({
          globalId: opt(text), callerName: opt(text), dnis: opt(text), phoneNumber: opt(text), destinationAddress: opt(text), resourceAddress: opt(text), email: opt(text),
          queueId: opt(text), queueName: opt(text), disposition: opt(text), subject: opt(text), comments: opt(text), recordingUrl: opt(text), playbackUrl: opt(text),
          origination: opt(text), interactionOrigin: opt(text), uui: opt(text), asaiUui: opt(text),
        }),
        associations: fc.uniqueArray(fc.record({ id: text, name: fc.string({ maxLength: 8 }), recordType: fc.constantFrom('Contact', 'Lead', 'Case', 'Account') }), { maxLength: 4, selector: (a) => a.id }),
      })
      .map((g): InteractionRecord => {
        const r: InteractionRecord = {
          id: g.id, source: 'sim', agentId: '1001', channel: g.channel, direction: g.direction, internal: g.internal, classification: g.classification,
          isTransfer: g.isTransfer, isConference: g.isConference, finalState: g.finalState, ani: g.ani,
          startTime: new Date(g.start).toISOString(), endTime: new Date(g.start + g.length).toISOString(),
          durationSeconds: g.durationSeconds, acwSeconds: g.acwSeconds, holdSeconds: g.holdSeconds, workCodes: g.workCodes,
          callParties: [], callMuted: false, callRecording: false, data: g.data,
          // Contacts and leads first: the body lists Name options before Related To options.
          associations: [...g.associations.filter((a) => a.recordType === 'Contact' || a.recordType === 'Lead'), ...g.associations.filter((a) => a.recordType !== 'Contact' && a.recordType !== 'Lead')],
          raw: {},
        };
        for (const [k, v] of Object.entries(g.strings)) if (v !== undefined) (r as unknown as Record<string, unknown>)[k] = v;
        if (g.priority !== undefined) r.priority = g.priority;
        if (g.established !== undefined) r.establishedTime = new Date(g.start + Math.min(g.established, g.length)).toISOString();
        return r;
      });
    fc.assert(
      fc.property(record, (r) => {
        const body = wire(recordToAvayaBody(r));
        expect(ok(body)).toEqual({ ...r, source: 'avaya', raw: body });
        // Without the extension, the one-to-one table fields still come back.
        const back = ok(withoutExtension(body));
        const pick = (x: InteractionRecord) => ({
          id: x.id, globalId: x.globalId, channel: x.channel, isTransfer: x.isTransfer, isConference: x.isConference, callerName: x.callerName, dnis: x.dnis,
          resourceAddress: x.resourceAddress, startTime: x.startTime, establishedTime: x.establishedTime, endTime: x.endTime, acwSeconds: x.acwSeconds,
          queueId: x.queueId, queueName: x.queueName, disposition: x.disposition, workCodes: x.workCodes, subject: x.subject, comments: x.comments,
          priority: x.priority, interactionOrigin: x.interactionOrigin, uui: x.uui, asaiUui: x.asaiUui, data: x.data, associations: x.associations,
        });
        expect(pick(back)).toEqual(pick(r));
      }),
      { numRuns: 300 },
    );
  });
});

describe('Avaya body: body → record', () => {
  const minimal = { interactionId: 'a-1', interactionData: { direction: 'Inbound', callerNumber: '+15550001', updatedDestinationAddress: '+15550002' } };

  it('needs interactionId and interactionData, as composeInteractionLog checks', () => {
    expect(err(undefined)).toContain('the body must be an object');
    expect(err({ interactionData: {} })).toBe('"interactionId" must be a non-empty string (got undefined)');
    expect(err({ interactionId: '', interactionData: {} })).toBe('"interactionId" must be a non-empty string (got "")');
    expect(err({ interactionId: 'x' })).toBe('"interactionData" must be an object (got undefined)');
    expect(err({ interactionId: 'x', interactionData: [] })).toBe('"interactionData" must be an object (got [])');
  });

  it('names the field that is wrong', () => {
    const bad = (d: Record<string, unknown>) => err({ interactionId: 'x', interactionData: { ...minimal.interactionData, ...d } });
    expect(bad({ acwDuration: 'soon' })).toBe('"interactionData.acwDuration" must be a number (got "soon")');
    expect(bad({ direction: 'Sideways' })).toBe('"interactionData.direction" must be one of Inbound, Outbound, Internal (got "Sideways")');
    expect(bad({ interactionType: 'Parked' })).toBe('"interactionData.interactionType" must be one of Called, Transferred, Conferenced (got "Parked")');
    expect(bad({ channel: 'Fax' })).toContain('"interactionData.channel" must be one of');
    expect(bad({ attributes: { lang: { nested: true } } })).toBe('"interactionData.attributes.lang" must be a string, number or boolean (got {"nested":true})');
    expect(bad({ workCodes: 'Sale' })).toBe('"interactionData.workCodes" must be an array (got "Sale")');
    expect(bad({ interaction: { intrinsics: { START_TIME: 'yesterday' } } })).toContain('"interactionData.interaction.intrinsics.START_TIME" must be a time');
    expect(bad({ nameOptions: [{ name: 'no id' }] })).toBe('"interactionData.nameOptions[0].id" must be a string (got undefined)');
    expect(bad({ isTransferInteraction: 'yes' })).toBe('"interactionData.isTransferInteraction" must be true or false (got "yes")');
    expect(bad({ endTime: 'not a time' })).toContain('"interactionData.endTime" must be a time');
    expect(bad({ interactionId: 'y' })).toBe('"interactionData.interactionId" ("y") differs from the body\'s "interactionId" ("x")');
    expect(bad({ switchboard: { source: 'sim' } })).toBe('"interactionData.switchboard.agentId" must be a string (got undefined)');
  });

  it('reads what a real connector may send: case-insensitive values, numeric strings, work-code objects, a custom-field map', () => {
    const r = ok(
      {
        interactionId: 'a-2',
        interactionData: {
          direction: 'OUTBOUND',
          interactionType: 'conferenced',
          channel: 'voice',
          acwDuration: '12',
          priority: '2',
          resourceAddress: '4711',
          callerNumber: '4711',
          updatedDestinationAddress: '+15550009',
          workCodes: [{ code: '17', name: 'Callback' }, 18],
          customFields: { tier: 'gold', score: 7 },
          attributes: { language: 'en', vip: true },
          startDate: '2026-03-02',
          startTime: '08:00:00',
          establishedTime: '2026-03-02T08:00:05Z',
          endTime: '2026-03-02T08:02:17Z',
          nameId: '003X',
        },
      },
      T0,
    );
    expect(r).toMatchObject({
      id: 'a-2',
      source: 'avaya',
      agentId: '1001',
      direction: 'Outgoing',
      classification: 'Conference',
      isConference: true,
      isTransfer: false,
      ani: '+15550009',
      phoneNumber: '+15550009',
      destinationAddress: '+15550009',
      resourceAddress: '4711',
      acwSeconds: 12,
      priority: 2,
      workCodes: ['17', '18'],
      data: { language: 'en', vip: 'true', 'custom.tier': 'gold', 'custom.score': '7' },
      startTime: '2026-03-02T08:00:00.000Z',
      establishedTime: '2026-03-02T08:00:05.000Z',
      endTime: '2026-03-02T08:02:17.000Z',
      durationSeconds: 120, // 132 s from established to end, less 12 s of ACW
      associations: [{ id: '003X', name: '', recordType: 'Contact' }],
    });
  });

  it('an interaction without times ends when the log arrives; Internal is outgoing when the agent called', () => {
    const now = T0 + 90_000;
    const r = ok({ interactionId: 'a-3', interactionData: { direction: 'Internal', callerNumber: '4711', resourceAddress: '4711', updatedDestinationAddress: '4712' } }, now);
    expect(r).toMatchObject({ startTime: new Date(now).toISOString(), endTime: new Date(now).toISOString(), durationSeconds: 0, internal: true, classification: 'Internal', direction: 'Outgoing', ani: '4712' });
    const inbound = ok({ interactionId: 'a-4', interactionData: { direction: 'Internal', callerNumber: '4712', resourceAddress: '4711' } }, now);
    expect(inbound).toMatchObject({ direction: 'Incoming', ani: '4712', internal: true });
  });

  it('START_TIME may be ms since the epoch, a numeric string or ISO 8601', () => {
    const start = Date.parse('2026-03-02T07:59:00.000Z');
    for (const START_TIME of [start, String(start), new Date(start).toISOString()]) {
      expect(ok({ interactionId: 'a', interactionData: { interaction: { intrinsics: { START_TIME } } } }).startTime).toBe('2026-03-02T07:59:00.000Z');
    }
  });
});
