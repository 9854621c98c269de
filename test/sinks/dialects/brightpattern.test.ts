/**
 * The Bright Pattern dialect: event names, subscription handles, isolated handlers, and the
 * record → InteractionData mapping (and back, through the mapping the source uses).
 */
import { describe, expect, it } from 'vitest';
import { AgentSession, SimulatedClock, isSwitchboardError, type DomainEvent, type InteractionRecord, type SwitchboardError } from '../../../src/core/index.js';
import { createBrightPatternDialect, interactionDataToRecord, recordToInteractionData, type ActivityRecordData } from '../../../src/sinks/dialects/index.js';
import { T0, fullRecord } from './helpers.js';

function setup(onError?: (e: SwitchboardError) => void) {
  const session = new AgentSession({ clock: new SimulatedClock(T0) });
  const events: DomainEvent[] = [];
  session.subscribe((e) => events.push(e));
  const adApi = createBrightPatternDialect(onError === undefined ? { session } : { session, onError });
  const log = (record: InteractionRecord) => session.apply({ type: 'interactionRecord', record });
  return { session, events, adApi, log };
}

function thrown(fn: () => unknown): SwitchboardError {
  try {
    fn();
  } catch (e) {
    expect(isSwitchboardError(e)).toBe(true);
    return e as SwitchboardError;
  }
  throw new Error('expected a throw');
}

function activityOf(r: InteractionRecord): ActivityRecordData {
  const result = recordToInteractionData(r);
  if ('error' in result) throw new Error(result.error);
  return result.activity;
}

describe('Bright Pattern dialect: subscriptions', () => {
  it('an unknown event name is a clear error', () => {
    const { adApi } = setup();
    const on = adApi.on.bind(adApi) as (event: string, handler: () => void) => unknown;
    const e = thrown(() => on('ON_INTERACTION_RENDERED', () => undefined));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.message).toBe('unknown Bright Pattern event "ON_INTERACTION_RENDERED" (this dialect delivers: ON_SAVE_ACTIVITY_RECORD)');
    const off = adApi.off.bind(adApi) as (event: string, handler: () => void) => unknown;
    expect(thrown(() => off('on_save_activity_record', () => undefined)).code).toBe('INVALID_ARGUMENT');
    const badHandler = adApi.on.bind(adApi) as (event: string, handler: unknown) => unknown;
    expect(thrown(() => badHandler('ON_SAVE_ACTIVITY_RECORD', 'not a function')).message).toBe('the handler for ON_SAVE_ACTIVITY_RECORD must be a function (got string)');
  });

  it('delivers each logged record once to each handler; off, the returned unsubscribe and dispose stop delivery', () => {
    const { adApi, log } = setup();
    const a: string[] = [];
    const b: string[] = [];
    const ha = (x: ActivityRecordData) => a.push(x.interactionId);
    const unsubscribeB = adApi.on('ON_SAVE_ACTIVITY_RECORD', (x) => b.push(x.interactionId));
    adApi.on('ON_SAVE_ACTIVITY_RECORD', ha);
    log(fullRecord({ id: '1' }));
    log(fullRecord({ id: '1' })); // a duplicate: the session logs it once
    adApi.off('ON_SAVE_ACTIVITY_RECORD', ha);
    log(fullRecord({ id: '2' }));
    unsubscribeB();
    log(fullRecord({ id: '3' }));
    adApi.on('ON_SAVE_ACTIVITY_RECORD', ha);
    adApi.dispose();
    log(fullRecord({ id: '4' }));
    expect(a).toEqual(['1']);
    expect(b).toEqual(['1', '2']);
  });

  it('a handler that throws does not stop the others; onError hears it, naming the interaction', () => {
    const errors: SwitchboardError[] = [];
    const { adApi, log, events } = setup((e) => errors.push(e));
    const seen: string[] = [];
    adApi.on('ON_SAVE_ACTIVITY_RECORD', () => {
      throw new Error('CRM down');
    });
    adApi.on('ON_SAVE_ACTIVITY_RECORD', (x) => seen.push(x.interactionId));
    log(fullRecord());
    expect(seen).toEqual(['int-42']);
    expect(errors.map((e) => [e.code, e.message])).toEqual([['HANDLER_ERROR', 'an ON_SAVE_ACTIVITY_RECORD handler failed for interaction "int-42": CRM down']]);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
  });

  it('without onError, a failing handler reaches the session\'s other listeners as HANDLER_ERROR', () => {
    const { adApi, log, events } = setup();
    adApi.on('ON_SAVE_ACTIVITY_RECORD', () => {
      throw new Error('CRM down');
    });
    log(fullRecord());
    const errors = events.flatMap((e) => (e.type === 'error' ? [e.data] : []));
    expect(errors.map((e) => e.code)).toEqual(['HANDLER_ERROR']);
    expect(errors[0]?.message).toContain('an ON_SAVE_ACTIVITY_RECORD handler failed for interaction "int-42": CRM down');
  });

  it('each handler gets its own copy', () => {
    const { adApi, log } = setup();
    const subjects: string[] = [];
    adApi.on('ON_SAVE_ACTIVITY_RECORD', (x) => {
      subjects.push(x.subject);
      x.subject = 'changed';
      x.callParties.length = 0;
    });
    adApi.on('ON_SAVE_ACTIVITY_RECORD', (x) => {
      subjects.push(x.subject);
      expect(x.callParties).toHaveLength(2);
    });
    log(fullRecord());
    expect(subjects).toEqual(['Order 1001', 'Order 1001']);
  });

  it('a Task has no InteractionType: not delivered, reported', () => {
    const errors: SwitchboardError[] = [];
    const { adApi, log } = setup((e) => errors.push(e));
    const seen: unknown[] = [];
    adApi.on('ON_SAVE_ACTIVITY_RECORD', (x) => seen.push(x));
    log(fullRecord({ channel: 'Task' }));
    expect(seen).toEqual([]);
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['NOT_SUPPORTED', 'ON_SAVE_ACTIVITY_RECORD not delivered: interaction "int-42" is a Task: Bright Pattern\'s InteractionType has only "voice", "chat" and "email"'],
    ]);
  });
});

describe('Bright Pattern mapping: record → InteractionData', () => {
  it('a voice record: every seed field, times in ms since the epoch, duration in seconds', () => {
    expect(activityOf(fullRecord())).toEqual({
      interactionId: 'int-42',
      state: 'completed',
      type: 'voice',
      subject: 'Order 1001',
      associatedObjects: {
        objects: [
          { id: '003A', type: 'Contact', displayName: 'Grace Hopper', displayType: 'Contact', customFields: {} },
          { id: '500B', type: 'Case', displayName: 'Case 00001001', displayType: 'Case', customFields: {} },
        ],
      },
      callParties: [
        { id: 'p1', name: 'Grace Hopper', phone: '+41445550100' },
        { id: 'p2', name: 'Ada Meier', phone: '1001001', userId: 'u-1001' },
      ],
      callMuted: false,
      callRecording: true,
      attachedData: { callVariable1: 'INV-1001', 'user.lang': 'de', 'engagement.availableBalance': '120.50', 'custom.tier': 'gold' },
      phoneNumber: '+41445550100',
      email: 'grace@example.com',
      callDirection: 'inbound',
      startTime: Date.parse('2026-03-02T08:00:01.250Z'),
      endTime: Date.parse('2026-03-02T08:01:30.000Z'),
      duration: 80,
      description: 'Wants the blue one',
      disposition: 'Sale',
      globalInteractionId: '00001002341717171717',
      service: 'Sales',
      playbackUrl: 'https://rec.example.com/play/int-42',
      recordingUrl: 'https://rec.example.com/int-42.wav',
      DNIS: '8005550100',
      ANI: '+41445550100',
      origination: 'dialpad',
      agentId: '1001',
    });
  });

  it('chat and email: no call fields, mute and recording false ("non-call interactions are always false")', () => {
    for (const [channel, type] of [['Chat', 'chat'], ['Messaging', 'chat'], ['Email', 'email']] as const) {
      const a = activityOf(fullRecord({ channel, callMuted: true, callRecording: true }));
      expect(a.type).toBe(type);
      expect([a.callMuted, a.callRecording, a.callParties]).toEqual([false, false, []]);
      for (const k of ['callDirection', 'phoneNumber', 'DNIS', 'ANI', 'recordingUrl'] as const) expect(a[k], `${channel} ${k}`).toBeUndefined();
      expect(a.email).toBe('grace@example.com');
    }
  });

  it('outbound: callDirection outbound, no ANI; an origination outside the seed list is left out', () => {
    const a = activityOf(fullRecord({ direction: 'Outgoing', ani: '+41445557777', phoneNumber: '+41445557777', origination: 'click-to-dial' }));
    expect(a.callDirection).toBe('outbound');
    expect(a.ANI).toBeUndefined();
    expect(a.phoneNumber).toBe('+41445557777');
    expect('origination' in a).toBe(false);
  });

  it('round trip through the source\'s mapping keeps every field InteractionData can carry', () => {
    const record = fullRecord({ source: 'finesse' });
    const activity = JSON.parse(JSON.stringify(activityOf(record))) as ActivityRecordData;
    const back = interactionDataToRecord(activity, { agentId: 'other', now: 0 });
    if ('error' in back) throw new Error(back.error);
    const { id, globalId, agentId, channel, direction, ani, dnis, phoneNumber, email, startTime, endTime, durationSeconds, queueName, disposition, subject, comments, callParties, callMuted, callRecording, recordingUrl, playbackUrl, origination, data, associations, callerName } = record;
    expect(back.record).toMatchObject({
      id, globalId, agentId, channel, direction, ani, dnis, phoneNumber, email, startTime, endTime, durationSeconds, queueName, disposition, subject, comments, callParties,
      callMuted, callRecording, recordingUrl, playbackUrl, origination, data, associations, callerName, source: 'brightpattern', raw: activity,
    });
  });
});
