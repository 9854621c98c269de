/**
 * Seed 003's example request, verbatim, against the Bright Pattern dialect: `adApi` is the
 * dialect over a session the simulator drives through an inbound and an outbound call. The
 * seed leaves `postActivityLog` and `covertInteractionToActivity` (sic) to the reader; the test
 * defines them. The callback must receive seed 003's InteractionData with every declared field
 * typed as declared, plus the parameter table's `agentId`.
 */
import { describe, expect, it } from 'vitest';
import { createBrightPatternDialect, type InteractionData } from '../../../src/sinks/dialects/index.js';
import { INBOUND, OUTBOUND, runInboundCall, runOutboundCall, simDesk } from './helpers.js';

/** seed 003's InteractionData declaration, field by field: the type and whether it is required. */
const SEED_FIELDS: Record<string, { type: 'string' | 'number' | 'boolean' | 'object' | 'array'; required: boolean; values?: readonly string[] }> = {
  interactionId: { type: 'string', required: true },
  state: { type: 'string', required: true, values: ['unknown', 'queued', 'ivr', 'wrap_up', 'wrap_up_hold', 'delivered', 'delivery_pending', 'hold', 'completed'] },
  type: { type: 'string', required: true, values: ['voice', 'chat', 'email'] },
  subject: { type: 'string', required: true },
  associatedObjects: { type: 'object', required: true },
  callParties: { type: 'array', required: true },
  callMuted: { type: 'boolean', required: true },
  callRecording: { type: 'boolean', required: true },
  attachedData: { type: 'object', required: true },
  phoneNumber: { type: 'string', required: false },
  email: { type: 'string', required: false },
  callDirection: { type: 'string', required: false, values: ['inbound', 'outbound'] },
  startTime: { type: 'number', required: false },
  endTime: { type: 'number', required: false },
  duration: { type: 'number', required: false },
  description: { type: 'string', required: false },
  disposition: { type: 'string', required: false },
  globalInteractionId: { type: 'string', required: false },
  service: { type: 'string', required: false },
  playbackUrl: { type: 'string', required: false },
  recordingUrl: { type: 'string', required: false },
  DNIS: { type: 'string', required: false },
  ANI: { type: 'string', required: false },
  origination: {
    type: 'string',
    required: false,
    values: ['dialpad', 'dialpad-search', 'directory', 'recent', 'favorites', 'workitem', 'interaction', 'contact-profile', 'help', 'conference', 'auto', 'integration-api'],
  },
  // The parameter table's "agentId String Required".
  agentId: { type: 'string', required: true },
};

function kindOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

/** Every problem of an activity against the seed's declaration (empty when it conforms). */
function seedTypeProblems(activity: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(activity)) if (SEED_FIELDS[key] === undefined) problems.push(`${key}: not a seed 003 field`);
  for (const [key, spec] of Object.entries(SEED_FIELDS)) {
    const v = activity[key];
    if (v === undefined) {
      if (spec.required) problems.push(`${key}: required, missing`);
      continue;
    }
    if (kindOf(v) !== spec.type) problems.push(`${key}: ${kindOf(v)}, not ${spec.type}`);
    if (spec.values !== undefined && !spec.values.includes(v as string)) problems.push(`${key}: ${JSON.stringify(v)} not one of the seed's values`);
  }
  const parties = activity.callParties;
  if (Array.isArray(parties)) {
    for (const [i, p] of parties.entries()) {
      const party = p as Record<string, unknown>;
      for (const k of ['id', 'name', 'phone']) if (typeof party[k] !== 'string') problems.push(`callParties[${i}].${k}: not a string`);
      if (party.userId !== undefined && typeof party.userId !== 'string') problems.push(`callParties[${i}].userId: not a string`);
    }
  }
  const attached = activity.attachedData;
  if (kindOf(attached) === 'object') {
    for (const [k, v] of Object.entries(attached as object)) if (typeof v !== 'string') problems.push(`attachedData.${k}: not a string`);
  }
  return problems;
}

/** What a CRM integration would store: the reader's own activity shape. */
interface CrmActivity {
  subject: string;
  phone: string | undefined;
  direction: string | undefined;
  startedAt: string | undefined;
  durationSeconds: number | undefined;
  interaction: InteractionData;
}

describe('seed 003 example request, verbatim, against the Bright Pattern dialect', () => {
  it('the callback receives InteractionData with every seed field typed as declared, for an inbound and an outbound call', async () => {
    const desk = simDesk();
    const adApi = createBrightPatternDialect({ session: desk.agent.session });
    const posted: CrmActivity[] = [];
    const postActivityLog = (a: CrmActivity) => {
      posted.push(a);
    };
    const covertInteractionToActivity = (activity: InteractionData): CrmActivity => ({
      subject: activity.subject !== '' ? activity.subject : `${activity.type} call ${activity.callDirection ?? ''}`.trim(),
      phone: activity.phoneNumber,
      direction: activity.callDirection,
      startedAt: activity.startTime !== undefined ? new Date(activity.startTime).toISOString() : undefined,
      durationSeconds: activity.duration,
      interaction: activity,
    });

    // ---- seed 003, "Example Request", verbatim --------------------------------------------
    function saveActivityRecordCallback(activity: InteractionData) {

    postActivityLog(covertInteractionToActivity(activity));

    }

    adApi.on("ON_SAVE_ACTIVITY_RECORD", saveActivityRecordCallback);
    // ---------------------------------------------------------------------------------------

    await desk.agent.connect();
    const inboundId = await runInboundCall(desk);
    expect(posted).toHaveLength(1);
    const outboundId = await runOutboundCall(desk);
    expect(posted).toHaveLength(2);

    for (const p of posted) expect(seedTypeProblems(p.interaction as unknown as Record<string, unknown>)).toEqual([]);

    const [inbound, outbound] = posted;
    expect(inbound).toMatchObject({ subject: 'voice call inbound', phone: INBOUND.caller, direction: 'inbound', startedAt: INBOUND.startTime, durationSeconds: INBOUND.talkSeconds });
    expect(inbound?.interaction).toMatchObject({
      interactionId: inboundId,
      state: 'completed',
      type: 'voice',
      subject: '',
      associatedObjects: { objects: [] },
      callMuted: false,
      callRecording: false,
      phoneNumber: INBOUND.caller,
      callDirection: 'inbound',
      startTime: Date.parse(INBOUND.startTime),
      endTime: Date.parse(INBOUND.endTime),
      duration: INBOUND.talkSeconds,
      disposition: 'Sale',
      service: 'Sales',
      DNIS: INBOUND.dialed,
      ANI: INBOUND.caller,
      agentId: '1001',
    });
    expect(inbound?.interaction.attachedData).toMatchObject({ callVariable1: 'INV-1001', 'user.lang': 'de', wrapUpReason: 'Sale' });
    // Every party the call had, the caller included (who had hung up by the end).
    expect(inbound?.interaction.callParties).toEqual([
      { id: '1', name: '', phone: INBOUND.caller },
      { id: '2', name: '', phone: INBOUND.station },
    ]);
    expect(inbound?.interaction.globalInteractionId).toMatch(/^\d+$/);

    expect(outbound?.interaction).toMatchObject({
      interactionId: outboundId,
      type: 'voice',
      callDirection: 'outbound',
      phoneNumber: OUTBOUND.dialed,
      duration: OUTBOUND.talkSeconds,
      agentId: '1001',
    });
    // The hub does not know the caller id presented on an outbound call: no ANI.
    expect(outbound?.interaction.ANI).toBeUndefined();
    expect(outbound?.interaction.callParties.map((p) => p.phone)).toEqual([INBOUND.station, OUTBOUND.dialed]);
    expect((outbound?.interaction.endTime ?? 0) - (outbound?.interaction.startTime ?? 0)).toBe(33_000); // 2 s ringing, 30 s talk, 1 s wrap-up
  });
});
