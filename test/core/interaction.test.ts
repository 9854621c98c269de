/**
 * The interaction record the session builds at workitemEnd (fields: seed 003 InteractionData ∪
 * seed 004's table, normalized) and the records log-only sources hand in: one per id.
 */
import { describe, expect, it } from 'vitest';
import { AgentSession, ErrorCode, SimulatedClock, type DomainEvent, type InteractionRecord } from '../../src/core/index.js';
import { minimalRecord } from '../../src/testing/store-contract.js';

const T0 = Date.parse('2026-03-02T08:00:00.000Z');
const s = (sec: number) => T0 + sec * 1000;

function open(): { session: AgentSession; events: DomainEvent[] } {
  const session = new AgentSession({ clock: new SimulatedClock(T0) });
  const events: DomainEvent[] = [];
  session.subscribe((e) => void events.push(e));
  session.apply({
    type: 'session',
    source: 'finesse',
    agent: { agentId: '1001', extension: '1001001', firstName: 'Ada', lastName: 'Meier', loginName: 'ameier', teamId: 't1' },
    channels: [{ id: 'voice_5000', type: 'Voice' }],
  });
  return { session, events };
}

const records = (events: DomainEvent[]) => events.flatMap((e) => (e.type === 'interactionEnd' ? [e.data.record] : []));

describe('interaction record built at workitemEnd', () => {
  it('carries times, durations, hold, wrap-up, work codes, call data and raw fields', () => {
    const { session, events } = open();
    session.apply({
      type: 'workitemAdded',
      at: s(0),
      raw: { dialogId: '33554433', mediaProperties: { callKeySequenceNum: '1' } },
      workitem: {
        id: 'c1',
        channelId: 'voice_5000',
        classification: 'Customer',
        direction: 'Incoming',
        state: 'Offered',
        participants: [{ address: '+41445550100' }, { address: '1001001' }],
        ani: '+41445550100',
        ctiData: { DNIS: '1001001', dialedNumber: '8005550100', queueNumber: '6001', queueName: 'Billing', callKeyPrefix: '152301', callKeyCallId: '901', callVariable1: 'INV-1' },
      },
    });
    session.apply({ type: 'workitemState', id: 'c1', state: 'Active', at: s(5) });
    session.apply({ type: 'workitemState', id: 'c1', state: 'Paused', at: s(20) });
    session.apply({ type: 'workitemState', id: 'c1', state: 'Active', at: s(50) });
    session.apply({ type: 'workitemData', id: 'c1', ctiData: { wrapUpReason: 'Sales' }, at: s(60) });
    session.apply({ type: 'workitemState', id: 'c1', state: 'Wrapup', at: s(125) });
    session.apply({ type: 'workitemData', id: 'c1', ctiData: { wrapUpReason: 'Billing question' }, at: s(130) });
    session.apply({ type: 'workitemState', id: 'c1', state: 'Ended', at: s(145), raw: { lastState: 'DROPPED' } });
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    const endIndex = events.findIndex((e) => e.type === 'workitemEnd');
    expect(events[endIndex + 1]?.type).toBe('interactionEnd');
    expect(records(events)).toEqual<InteractionRecord[]>([
      {
        id: 'c1',
        source: 'finesse',
        globalId: '152301901',
        agentId: '1001',
        channel: 'Voice',
        direction: 'Incoming',
        internal: false,
        classification: 'Customer',
        isTransfer: false,
        isConference: false,
        finalState: 'Ended',
        ani: '+41445550100',
        dnis: '1001001',
        phoneNumber: '+41445550100',
        destinationAddress: '8005550100',
        resourceAddress: '1001001',
        startTime: '2026-03-02T08:00:00.000Z',
        establishedTime: '2026-03-02T08:00:05.000Z',
        endTime: '2026-03-02T08:02:25.000Z',
        durationSeconds: 120,
        acwSeconds: 20,
        holdSeconds: 30,
        queueId: '6001',
        queueName: 'Billing',
        disposition: 'Billing question',
        workCodes: ['Sales', 'Billing question'],
        callParties: [
          { id: '1', name: '', phone: '+41445550100' },
          { id: '2', name: '', phone: '1001001' },
        ],
        callMuted: false,
        callRecording: false,
        data: {
          DNIS: '1001001',
          dialedNumber: '8005550100',
          queueNumber: '6001',
          queueName: 'Billing',
          callKeyPrefix: '152301',
          callKeyCallId: '901',
          callVariable1: 'INV-1',
          wrapUpReason: 'Billing question',
        },
        associations: [],
        raw: { dialogId: '33554433', mediaProperties: { callKeySequenceNum: '1' }, lastState: 'DROPPED' },
      },
    ]);
  });

  it('an abandoned call has no established time and no talk time; a call held to the end counts its hold', () => {
    const { session, events } = open();
    const add = (id: string) =>
      session.apply({
        type: 'workitemAdded',
        at: s(0),
        workitem: { id, channelId: 'voice_5000', classification: 'Customer', direction: 'Incoming', state: 'Offered', participants: [{ address: '+4144' }], ani: '+4144' },
      });
    add('a');
    session.apply({ type: 'workitemState', id: 'a', state: 'EndedAbandoned', at: s(9) });
    add('b');
    session.apply({ type: 'workitemState', id: 'b', state: 'Active', at: s(10) });
    session.apply({ type: 'workitemState', id: 'b', state: 'Paused', at: s(15) });
    session.apply({ type: 'workitemState', id: 'b', state: 'Ended', at: s(40) });
    const [a, b] = records(events);
    expect(a).toMatchObject({ id: 'a', finalState: 'EndedAbandoned', durationSeconds: 0, acwSeconds: 0, holdSeconds: 0 });
    expect(a?.establishedTime).toBeUndefined();
    expect(b).toMatchObject({ id: 'b', durationSeconds: 30, holdSeconds: 25, establishedTime: '2026-03-02T08:00:10.000Z' });
  });
});

describe('records from log-only sources', () => {
  // The store contract's minimal record, as an Avaya log would hand it in.
  const record = (id: string): InteractionRecord => minimalRecord(id, { source: 'avaya', raw: { interactionId: id } });

  it('hands each record on once; a duplicate is refused with one error naming it', () => {
    const { session, events } = open();
    session.apply({ type: 'interactionRecord', record: record('r1') });
    session.apply({ type: 'interactionRecord', record: record('r1') });
    session.apply({ type: 'interactionRecord', record: record('r2') });
    expect(records(events).map((r) => r.id)).toEqual(['r1', 'r2']);
    const errors = events.filter((e) => e.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.data).toMatchObject({ code: ErrorCode.DUPLICATE_UPDATE, message: 'interaction "r1" was already logged' });
  });

  it('refuses a malformed record, naming the field', () => {
    const { session, events } = open();
    session.apply({ type: 'interactionRecord', record: { ...record('r3'), id: 7 } as never });
    session.apply({ type: 'interactionRecord', record: { ...record('r4'), data: { a: 1 } } as never });
    expect(records(events)).toEqual([]);
    expect(events.map((e) => (e.type === 'error' ? e.data.message : e.type))).toEqual([
      'interactionRecord update: "record.id" must be a string',
      'interactionRecord update: "record.data.a" must be a string (got number)',
    ]);
  });
});
