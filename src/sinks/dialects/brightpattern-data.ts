/**
 * @module sinks/dialects/brightpattern-data
 * Bright Pattern's `InteractionData` (seed 003, onSaveActivityRecord) and its mapping to and
 * from the hub's {@link InteractionRecord}, in one place so that the Bright Pattern dialect
 * (record → InteractionData) and source (InteractionData → record) agree. docs/brightpattern.md
 * has the full table.
 *
 * The types below are seed 003's declarations, unchanged. Two types the seed uses but never
 * declares are Switchboard's own, and marked so: `InteractionAssociatedObjectsData` (built on
 * the `InteractionAssociatedObject` of Bright Pattern's addInteractionAssociatedObject) and
 * `AttachedData` (key-value call data).
 *
 * Decisions the seed leaves open:
 * - `startTime` / `endTime` are ms since the epoch: the seed calls them "date and time" of type
 *   Number in a JavaScript API (a `Date#getTime()` value), while it spells out "in seconds" only
 *   for `duration`. `duration` is the talk time in seconds (wrap-up excluded).
 * - The parameter table lists `agentId` (Required) although the `InteractionData` declaration
 *   lacks it: the dialect adds it ({@link ActivityRecordData}); the source takes it when present.
 * - `state` is "completed" for every ended interaction; `type` is "voice", "chat" (Chat and
 *   Messaging) or "email"; a Task has no InteractionType and is not delivered.
 * - `ANI` is the caller of an inbound call (absent outbound: the hub does not know the caller id
 *   presented); `phoneNumber` is the other party's number.
 */
import { Classification, Direction, WorkitemState, type CrmRecord } from '../../core/model.js';
import { InteractionChannel, type InteractionRecord } from '../../core/interaction.js';
import { FieldError, copyRaw, iso, isObj, oneOf, optString, optNumber, reqBoolean, reqString, secondsBetween, show, stringMap, type Obj } from './fields.js';

// ---- seed 003's declarations ----------------------------------------------------------------

export type InteractionData = {
  interactionId: string;
  state: InteractionState;
  type: InteractionType;
  subject: string;
  associatedObjects: InteractionAssociatedObjectsData;
  callParties: CallParty[];
  callMuted: boolean;
  callRecording: boolean;
  attachedData: AttachedData;
  phoneNumber?: string;
  email?: string;
  callDirection?: CallDirection;
  startTime?: number;
  endTime?: number;
  duration?: number;
  description?: string;
  disposition?: string;
  globalInteractionId?: string;
  service?: string;
  playbackUrl?: string;
  recordingUrl?: string;
  DNIS?: string;
  ANI?: string;
  origination?: InteractionOrigination;
};

export type InteractionType = 'voice' | 'chat' | 'email';

export type InteractionState = 'unknown' | 'queued' | 'ivr' | 'wrap_up' | 'wrap_up_hold' | 'delivered' | 'delivery_pending' | 'hold' | 'completed';

export type InteractionOrigination =
  | 'dialpad'
  | 'dialpad-search'
  | 'directory'
  | 'recent'
  | 'favorites'
  | 'workitem'
  | 'interaction'
  | 'contact-profile'
  | 'help'
  | 'conference'
  | 'auto'
  | 'integration-api';

export type CallDirection = 'inbound' | 'outbound';

export type CallParty = {
  id: string;
  name: string;
  phone: string;
  userId?: string;
};

export type OnSaveActivityRecordHandler = (activity: InteractionData) => void;

// ---- used by seed 003 but not declared there: Switchboard's definitions ---------------------

/** An associated CRM object, as Bright Pattern's addInteractionAssociatedObject declares it. */
export type InteractionAssociatedObject = {
  id: string;
  type: string;
  displayName: string;
  displayType: string;
  customFields: Record<string, string>;
};

/** Not declared in seed 003: the objects the agent associated with the interaction. */
export type InteractionAssociatedObjectsData = {
  objects: InteractionAssociatedObject[];
};

/** Not declared in seed 003: the interaction's attached (call) data, key → string value. */
export type AttachedData = Record<string, string>;

/** What the dialect delivers: InteractionData plus the parameter table's `agentId`. */
export type ActivityRecordData = InteractionData & { agentId: string };

export const ON_SAVE_ACTIVITY_RECORD = 'ON_SAVE_ACTIVITY_RECORD';

export const INTERACTION_TYPES: readonly InteractionType[] = ['voice', 'chat', 'email'];
export const INTERACTION_STATES: readonly InteractionState[] = ['unknown', 'queued', 'ivr', 'wrap_up', 'wrap_up_hold', 'delivered', 'delivery_pending', 'hold', 'completed'];
export const INTERACTION_ORIGINATIONS: readonly InteractionOrigination[] = [
  'dialpad', 'dialpad-search', 'directory', 'recent', 'favorites', 'workitem', 'interaction', 'contact-profile', 'help', 'conference', 'auto', 'integration-api',
];
export const CALL_DIRECTIONS: readonly CallDirection[] = ['inbound', 'outbound'];

// ---- record → InteractionData ---------------------------------------------------------------

export type ToInteractionDataResult = { activity: ActivityRecordData } | { error: string };

function put<T extends object, K extends keyof T>(o: T, key: K, v: T[K] | undefined): void {
  if (v !== undefined) o[key] = v;
}

function typeOf(channel: InteractionChannel): InteractionType | undefined {
  switch (channel) {
    case InteractionChannel.Voice:
      return 'voice';
    case InteractionChannel.Chat:
    case InteractionChannel.Messaging:
      return 'chat';
    case InteractionChannel.Email:
      return 'email';
    default:
      return undefined;
  }
}

function isOrigination(v: string | undefined): v is InteractionOrigination {
  return v !== undefined && (INTERACTION_ORIGINATIONS as readonly string[]).includes(v);
}

/**
 * The InteractionData Bright Pattern's onSaveActivityRecord would carry for a record, plus the
 * parameter table's `agentId`. Fails (never throws) for a record whose channel has no
 * InteractionType (Task).
 *
 * @example
 * const result = recordToInteractionData(record);
 * if ('activity' in result) handler(result.activity);
 */
export function recordToInteractionData(r: InteractionRecord): ToInteractionDataResult {
  const type = typeOf(r.channel);
  if (type === undefined) return { error: `interaction "${r.id}" is a ${r.channel}: Bright Pattern's InteractionType has only "voice", "chat" and "email"` };
  const voice = type === 'voice';
  const activity: ActivityRecordData = {
    interactionId: r.id,
    state: 'completed',
    type,
    subject: r.subject ?? '',
    associatedObjects: {
      objects: r.associations.map((a) => ({ id: a.id, type: a.recordType, displayName: a.name, displayType: a.recordType, customFields: {} })),
    },
    // seed 003: call parties, mute and recording apply to voice; "non-call interactions are always false".
    callParties: voice ? r.callParties.map((p) => ({ ...p })) : [],
    callMuted: voice && r.callMuted,
    callRecording: voice && r.callRecording,
    attachedData: { ...r.data },
    agentId: r.agentId,
  };
  const start = Date.parse(r.startTime);
  const end = Date.parse(r.endTime);
  if (voice) {
    put(activity, 'phoneNumber', r.phoneNumber);
    activity.callDirection = r.direction === Direction.Outgoing ? 'outbound' : 'inbound';
    put(activity, 'DNIS', r.dnis);
    if (r.direction === Direction.Incoming && r.ani !== '') activity.ANI = r.ani;
    put(activity, 'recordingUrl', r.recordingUrl);
  }
  put(activity, 'email', r.email);
  if (!Number.isNaN(start)) activity.startTime = start;
  if (!Number.isNaN(end)) activity.endTime = end;
  activity.duration = r.durationSeconds;
  put(activity, 'description', r.comments);
  put(activity, 'disposition', r.disposition);
  put(activity, 'globalInteractionId', r.globalId);
  put(activity, 'service', r.queueName);
  put(activity, 'playbackUrl', r.playbackUrl);
  if (isOrigination(r.origination)) activity.origination = r.origination;
  return { activity };
}

// ---- InteractionData → record ---------------------------------------------------------------

export interface BrightPatternDataContext {
  /** The session's agent, used when the activity has no `agentId`. */
  agentId: string;
  /** Time the activity arrived (ms since the epoch): the end time when it has none. */
  now: number;
  /** Stamped on the record; default 'brightpattern'. */
  source?: string;
}

export type FromInteractionDataResult = { record: InteractionRecord } | { error: string };

const CHANNEL_OF: Record<InteractionType, InteractionChannel> = { voice: InteractionChannel.Voice, chat: InteractionChannel.Chat, email: InteractionChannel.Email };

/** Final state of the record from the state the interaction was in when its record was saved. */
function finalState(state: InteractionState): WorkitemState {
  switch (state) {
    case 'unknown':
      return WorkitemState.EndedUnknown;
    case 'queued':
    case 'ivr':
    case 'delivery_pending':
      // Never reached an agent.
      return WorkitemState.EndedAbandoned;
    default:
      return WorkitemState.Ended;
  }
}

function callPartyList(v: unknown, path: string): CallParty[] {
  if (!Array.isArray(v)) throw new FieldError(`"${path}" must be an array of CallParty (got ${show(v)})`);
  return v.map((item, i) => {
    const p = `${path}[${i}].`;
    if (!isObj(item)) throw new FieldError(`"${path}[${i}]" must be a CallParty object (got ${show(item)})`);
    const party: CallParty = { id: reqString(item, 'id', p), name: reqString(item, 'name', p), phone: reqString(item, 'phone', p) };
    put(party, 'userId', optString(item, 'userId', p));
    return party;
  });
}

function associatedObjects(v: unknown, path: string): CrmRecord[] {
  if (!isObj(v)) throw new FieldError(`"${path}" must be an object (got ${show(v)})`);
  const objects = v.objects;
  if (objects === undefined || objects === null) return [];
  if (!Array.isArray(objects)) throw new FieldError(`"${path}.objects" must be an array (got ${show(objects)})`);
  return objects.map((o, i) => {
    const p = `${path}.objects[${i}].`;
    if (!isObj(o)) throw new FieldError(`"${path}.objects[${i}]" must be an object (got ${show(o)})`);
    const id = reqString(o, 'id', p);
    const type = reqString(o, 'type', p);
    return { id, name: optString(o, 'displayName', p) ?? '', recordType: type };
  });
}

function need<T extends string>(o: Obj, key: string, values: readonly T[], path: string): T {
  const v = oneOf(o, key, values, path);
  if (v === undefined) throw new FieldError(`"${path}${key}" must be one of ${values.map((x) => JSON.stringify(x)).join(', ')} (got undefined)`);
  return v;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

/**
 * What is wrong with a value that should be seed 003's InteractionData, or undefined. Every
 * field's type is checked as the seed declares it (optional ones when present); the message
 * names the first field that is wrong.
 */
export function describeInteractionDataProblem(activity: unknown): string | undefined {
  const r = interactionDataToRecord(activity, { agentId: '-', now: 0 });
  return 'error' in r ? r.error : undefined;
}

/**
 * Read seed 003's InteractionData into an InteractionRecord, with `raw` = the activity. Never
 * throws; the error names the first field whose type is not the seed's.
 *
 * @example
 * adApi.on('ON_SAVE_ACTIVITY_RECORD', (activity) => {
 *   const result = interactionDataToRecord(activity, { agentId: '1001', now: clock.now() });
 * });
 */
export function interactionDataToRecord(activity: unknown, ctx: BrightPatternDataContext): FromInteractionDataResult {
  try {
    return { record: read(activity, ctx) };
  } catch (err) {
    if (err instanceof FieldError) return { error: err.message };
    return { error: `activity could not be read: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function read(a: unknown, ctx: BrightPatternDataContext): InteractionRecord {
  if (!isObj(a)) throw new FieldError(`the activity must be an InteractionData object (got ${show(a)})`);
  const p = 'activity.';
  const id = reqString(a, 'interactionId', p);
  if (id === '') throw new FieldError(`"${p}interactionId" must be a non-empty string (got "")`);
  const state = need(a, 'state', INTERACTION_STATES, p);
  const type = need(a, 'type', INTERACTION_TYPES, p);
  const subject = reqString(a, 'subject', p);
  const associations = associatedObjects(a.associatedObjects, `${p}associatedObjects`);
  const parties = callPartyList(a.callParties, `${p}callParties`);
  const callMuted = reqBoolean(a, 'callMuted', p);
  const callRecording = reqBoolean(a, 'callRecording', p);
  if (a.attachedData === undefined) throw new FieldError(`"${p}attachedData" must be an object (got undefined)`);
  const data = stringMap(a.attachedData, `${p}attachedData`, false);
  const phoneNumber = optString(a, 'phoneNumber', p);
  const email = optString(a, 'email', p);
  const callDirection = oneOf(a, 'callDirection', CALL_DIRECTIONS, p);
  const startTime = optNumber(a, 'startTime', p);
  const endTime = optNumber(a, 'endTime', p);
  const duration = optNumber(a, 'duration', p);
  const description = optString(a, 'description', p);
  const disposition = optString(a, 'disposition', p);
  const globalInteractionId = optString(a, 'globalInteractionId', p);
  const service = optString(a, 'service', p);
  const playbackUrl = optString(a, 'playbackUrl', p);
  const recordingUrl = optString(a, 'recordingUrl', p);
  const dnis = optString(a, 'DNIS', p);
  const ani = optString(a, 'ANI', p);
  const origination = oneOf(a, 'origination', INTERACTION_ORIGINATIONS, p);
  const agentId = optString(a, 'agentId', p);
  const transferAni = optString(a, 'transferANI', p);
  if (duration !== undefined && duration < 0) throw new FieldError(`"${p}duration" must not be negative (got ${duration})`);

  const outgoing = callDirection === 'outbound';
  const end = endTime ?? (startTime !== undefined && duration !== undefined ? startTime + duration * 1000 : ctx.now);
  const start = startTime ?? (duration !== undefined ? end - duration * 1000 : end);
  if (end < start) throw new FieldError(`"${p}endTime" (${end}) is before "${p}startTime" (${start})`);
  // Every party an internal user: an agent-to-agent call.
  const internal = type === 'voice' && parties.length > 1 && parties.every((party) => party.userId !== undefined);
  const isTransfer = transferAni !== undefined;
  const isConference = origination === 'conference';
  const recordAni = outgoing ? (nonEmpty(phoneNumber) ?? nonEmpty(dnis) ?? '') : (nonEmpty(ani) ?? nonEmpty(phoneNumber) ?? '');
  const caller = !outgoing && recordAni !== '' ? parties.find((party) => party.phone === recordAni && party.name !== '') : undefined;

  const record: InteractionRecord = {
    id,
    source: ctx.source ?? 'brightpattern',
    agentId: agentId !== undefined && agentId !== '' ? agentId : ctx.agentId,
    channel: CHANNEL_OF[type],
    direction: outgoing ? Direction.Outgoing : Direction.Incoming,
    internal,
    classification: isConference ? Classification.Conference : isTransfer ? Classification.Transfer : internal ? Classification.Internal : Classification.Customer,
    isTransfer,
    isConference,
    finalState: finalState(state),
    ani: recordAni,
    startTime: iso(start),
    endTime: iso(end),
    durationSeconds: duration !== undefined ? Math.round(duration) : secondsBetween(start, end),
    acwSeconds: 0,
    holdSeconds: 0,
    workCodes: disposition !== undefined && disposition !== '' ? [disposition] : [],
    callParties: parties,
    callMuted,
    callRecording,
    data,
    associations,
    raw: copyRaw(a),
  };
  put(record, 'callerName', caller?.name);
  put(record, 'subject', nonEmpty(subject));
  put(record, 'phoneNumber', nonEmpty(phoneNumber));
  put(record, 'email', nonEmpty(email));
  put(record, 'dnis', nonEmpty(dnis));
  put(record, 'comments', nonEmpty(description));
  put(record, 'disposition', nonEmpty(disposition));
  put(record, 'globalId', nonEmpty(globalInteractionId));
  put(record, 'queueName', nonEmpty(service));
  put(record, 'playbackUrl', nonEmpty(playbackUrl));
  put(record, 'recordingUrl', nonEmpty(recordingUrl));
  put(record, 'origination', origination);
  return record;
}
