/**
 * @module sinks/dialects/avaya-body
 * The body of Avaya's `requestSaveInteractionLog` (seed 004) and its mapping to and from the
 * hub's {@link InteractionRecord}, in one place so that the Avaya dialect (record → body) and
 * the Avaya source (body → record) always agree. docs/avaya.md has the full table.
 *
 * Shape, from seed 004's implementation example: the CRM Connector posts
 * `{ type: 'CRMConnectMessage', action: 'requestSaveInteractionLog', data }` and the CRM page
 * reads `data.message.body`, which carries `interactionId` and `interactionData`; the example
 * reads `interactionData.updatedOriginatingAddress` (caller), `.updatedDestinationAddress`
 * (called) and `.interaction.intrinsics.START_TIME`. Every row of the seed's field table is a
 * camelCase key of `interactionData` ("ACW Duration" → `acwDuration`, "ASAI UUI" → `asaiUui`).
 *
 * Decisions the seed leaves open (all documented in docs/avaya.md):
 * - `START_TIME` is ms since the epoch (a number); `establishedTime` and `endTime` are ISO 8601
 *   UTC; `startDate` / `startTime` are the UTC date (`YYYY-MM-DD`) and time (`HH:MM:SS`).
 * - `acwDuration` is seconds. The table has no talk duration: it is derived as
 *   `endTime - establishedTime - acwDuration` when a body comes without the extension below.
 * - `direction` is Inbound, Outbound or Internal; `interactionType` is Called, Transferred or
 *   Conferenced. Input values are matched case-insensitively.
 * - `attributes`, `engagementParameters` and `customFields` share the record's `data`:
 *   `engagement.<name>` and `custom.<name>` keys go to the latter two, every other key (call
 *   variables, ECC variables, DNIS, ...) to `attributes`.
 * - Record associations of type Contact or Lead are `nameOptions` (the first is `nameId`),
 *   every other type `relatedToOptions` (the first is `relatedToId`), as Salesforce's Name /
 *   Related To split them.
 * - `switchboard`: an extension the real connector never sends, carrying the record fields no
 *   table row holds (exact direction, classification, talk and hold time, call parties, ...), so
 *   that a record survives record → body → record unchanged. Without it those fields are derived.
 */
import { Classification, Direction, WorkitemState, type CrmRecord, type CtiData } from '../../core/model.js';
import { InteractionChannel, type CallParty, type InteractionRecord } from '../../core/interaction.js';
import {
  FieldError,
  copyRaw,
  iso,
  isObj,
  oneOf,
  optBoolean,
  optNumber,
  optNumeric,
  optString,
  optTime,
  reqBoolean,
  reqString,
  secondsBetween,
  show,
  stringMap,
  type Obj,
} from './fields.js';

export const CRM_CONNECT_MESSAGE = 'CRMConnectMessage';
export const SAVE_INTERACTION_LOG = 'requestSaveInteractionLog';

/** Direction (seed 004 table): Inbound, Outbound or Internal. */
export const AvayaDirection = { Inbound: 'Inbound', Outbound: 'Outbound', Internal: 'Internal' } as const;
export type AvayaDirection = (typeof AvayaDirection)[keyof typeof AvayaDirection];

/** Interaction Type (seed 004 table): Called, Transferred or Conferenced. */
export const AvayaInteractionType = { Called: 'Called', Transferred: 'Transferred', Conferenced: 'Conferenced' } as const;
export type AvayaInteractionType = (typeof AvayaInteractionType)[keyof typeof AvayaInteractionType];

/** An entry of Name Options / Related To Options: a CRM object related to the interaction. */
export interface AvayaRelatedRecord {
  id: string;
  name: string;
  recordType: string;
}

/** An entry of Custom Fields. */
export interface AvayaCustomField {
  name: string;
  value: string;
}

/** Settings (seed 004: "options related to display name, relatedTo, comments. All of them booleans"). */
export interface AvayaSettings {
  displayName: boolean;
  displayRelatedTo: boolean;
  displayComments: boolean;
}

/** Record fields with no row in seed 004's table; see the module comment. */
export interface SwitchboardExtension {
  /** The source the record came from ('sim', 'finesse', ...). */
  source: string;
  agentId: string;
  direction: Direction;
  internal: boolean;
  classification: Classification;
  finalState: WorkitemState;
  /** seed 001 ani: the caller (inbound) or the dialled number (outbound). */
  ani: string;
  phoneNumber?: string;
  destinationAddress?: string;
  durationSeconds: number;
  holdSeconds: number;
  email?: string;
  callParties: CallParty[];
  callMuted: boolean;
  callRecording: boolean;
  recordingUrl?: string;
  playbackUrl?: string;
  origination?: string;
}

/** `interactionData` as the Avaya dialect sends it. Every key of seed 004's table, camelCase. */
export interface AvayaInteractionData {
  /** The implementation example reads `interaction.intrinsics.START_TIME` (ms since the epoch). */
  interaction: { id: string; intrinsics: { START_TIME: number } };
  /** Updated Originating Address: the caller (the example's `caller`). */
  updatedOriginatingAddress: string;
  /** Updated Destination Address: the called party (the example's `called`). */
  updatedDestinationAddress: string;
  /** ACW Duration, seconds. */
  acwDuration: number;
  /** Attributes: the call data (call and ECC variables, ...), strings. */
  attributes: Record<string, string>;
  /** Channel: Voice, Chat, Email, Messaging (Task for anything else). */
  channel: InteractionChannel;
  /** Destination Address, before dialing rules. */
  destinationAddress: string;
  direction: AvayaDirection;
  /** Established Time, ISO 8601 UTC; absent if never connected. */
  establishedTime?: string;
  interactionType: AvayaInteractionType;
  interactionId: string;
  priority?: number;
  /** Resource Address: the agent's station. */
  resourceAddress?: string;
  workCodes: string[];
  /** Interaction Origin: AXP, Elite or [AXP,Elite]. */
  interactionOrigin?: string;
  callerName?: string;
  callerNumber: string;
  dnis?: string;
  /** Start Date, `YYYY-MM-DD` (UTC). */
  startDate: string;
  /** Start Time, `HH:MM:SS` (UTC). */
  startTime: string;
  /** Topic ID / Topic Name (AXP): the queue. */
  topicId?: string;
  topicName?: string;
  uui?: string;
  asaiUui?: string;
  ucid?: string;
  /** End Time, ISO 8601 UTC. */
  endTime: string;
  /** Skill ID / Skill Name (Elite): the queue. */
  skillId?: string;
  skillName?: string;
  engagementParameters: Record<string, string>;
  subject?: string;
  nameId?: string;
  relatedToId?: string;
  comments?: string;
  nameOptions: AvayaRelatedRecord[];
  relatedToOptions: AvayaRelatedRecord[];
  dispositionCode?: string;
  customFields: AvayaCustomField[];
  settings: AvayaSettings;
  isTransferInteraction: boolean;
  isConferenceInteraction: boolean;
  /** AXP email-draft rows: never produced by the hub, kept in `raw` when received. */
  lastUpdatedAt?: string;
  lastUpdatedBy?: string;
  draftId?: string;
  draftSavedSuccessfully?: boolean;
  emailDraftBody?: string;
  draftAttachments?: unknown[];
  transferredBy?: string;
  /** Switchboard's extension (see {@link SwitchboardExtension}). */
  switchboard?: SwitchboardExtension;
}

/** `data.message.body` of requestSaveInteractionLog. */
export interface AvayaInteractionLogBody {
  interactionId: string;
  interactionData: AvayaInteractionData;
}

/** The `data` of a requestSaveInteractionLog message (seed 004's `logDetails`). */
export interface AvayaLogDetails {
  message: { body: AvayaInteractionLogBody };
}

/** Seed 004's message format: `{ "type": "CRMConnectMessage", "action": ..., "data": ... }`. */
export interface CRMConnectMessage<A extends string = string, D = unknown> {
  type: typeof CRM_CONNECT_MESSAGE;
  action: A;
  data: D;
}

export type SaveInteractionLogMessage = CRMConnectMessage<typeof SAVE_INTERACTION_LOG, AvayaLogDetails>;

// ---- record → body --------------------------------------------------------------------------

const NAME_TYPES: ReadonlySet<string> = new Set(['contact', 'lead']);
const ENGAGEMENT = 'engagement.';
const CUSTOM = 'custom.';

function direction(r: InteractionRecord): AvayaDirection {
  if (r.internal) return AvayaDirection.Internal;
  return r.direction === Direction.Outgoing ? AvayaDirection.Outbound : AvayaDirection.Inbound;
}

function interactionType(r: InteractionRecord): AvayaInteractionType {
  if (r.isConference || r.classification === Classification.Conference) return AvayaInteractionType.Conferenced;
  if (r.isTransfer || r.classification === Classification.Transfer) return AvayaInteractionType.Transferred;
  return AvayaInteractionType.Called;
}

function related(r: CrmRecord): AvayaRelatedRecord {
  return { id: r.id, name: r.name, recordType: r.recordType };
}

function put<T extends object, K extends keyof T>(o: T, key: K, v: T[K] | undefined): void {
  if (v !== undefined) o[key] = v;
}

/**
 * The requestSaveInteractionLog body for a record: what the Avaya CRM Connector would send
 * for it. `updatedOriginatingAddress` is the caller (the customer inbound, the agent's station
 * outbound), `updatedDestinationAddress` the called party.
 *
 * @example
 * const body = recordToAvayaBody(record);
 * body.interactionData.updatedOriginatingAddress; // '+41445550100'
 */
export function recordToAvayaBody(r: InteractionRecord): AvayaInteractionLogBody {
  const start = Date.parse(r.startTime);
  const startIso = Number.isNaN(start) ? r.startTime : iso(start);
  const outgoing = r.direction === Direction.Outgoing;
  const caller = outgoing ? (r.resourceAddress ?? '') : r.ani;
  const called = outgoing ? (r.destinationAddress ?? r.phoneNumber ?? r.ani) : (r.destinationAddress ?? r.dnis ?? r.resourceAddress ?? '');
  const calledAsDialled = outgoing ? (r.phoneNumber ?? r.ani) : (r.dnis ?? r.destinationAddress ?? r.resourceAddress ?? '');

  const attributes: Record<string, string> = {};
  const engagementParameters: Record<string, string> = {};
  const customFields: AvayaCustomField[] = [];
  for (const [k, v] of Object.entries(r.data)) {
    if (k.startsWith(ENGAGEMENT) && k.length > ENGAGEMENT.length) engagementParameters[k.slice(ENGAGEMENT.length)] = v;
    else if (k.startsWith(CUSTOM) && k.length > CUSTOM.length) customFields.push({ name: k.slice(CUSTOM.length), value: v });
    else attributes[k] = v;
  }
  const nameOptions = r.associations.filter((a) => NAME_TYPES.has(a.recordType.toLowerCase())).map(related);
  const relatedToOptions = r.associations.filter((a) => !NAME_TYPES.has(a.recordType.toLowerCase())).map(related);

  const d: AvayaInteractionData = {
    interaction: { id: r.id, intrinsics: { START_TIME: Number.isNaN(start) ? 0 : start } },
    updatedOriginatingAddress: caller,
    updatedDestinationAddress: called,
    acwDuration: r.acwSeconds,
    attributes,
    channel: r.channel,
    destinationAddress: calledAsDialled,
    direction: direction(r),
    interactionType: interactionType(r),
    interactionId: r.id,
    workCodes: [...r.workCodes],
    callerNumber: caller,
    startDate: startIso.slice(0, 10),
    startTime: startIso.slice(11, 19),
    endTime: r.endTime,
    engagementParameters,
    nameOptions,
    relatedToOptions,
    customFields,
    settings: { displayName: nameOptions.length > 0, displayRelatedTo: relatedToOptions.length > 0, displayComments: r.comments !== undefined },
    isTransferInteraction: r.isTransfer,
    isConferenceInteraction: r.isConference,
  };
  put(d, 'establishedTime', r.establishedTime);
  put(d, 'priority', r.priority);
  put(d, 'resourceAddress', r.resourceAddress);
  put(d, 'interactionOrigin', r.interactionOrigin);
  put(d, 'callerName', r.callerName);
  put(d, 'dnis', r.dnis);
  // Topic (AXP) and Skill (Elite) both name the routing queue; send what the origin has.
  const origin = r.interactionOrigin?.toLowerCase() ?? '';
  const axp = !origin.includes('elite') || origin.includes('axp');
  const elite = !origin.includes('axp') || origin.includes('elite');
  if (axp) {
    put(d, 'topicId', r.queueId);
    put(d, 'topicName', r.queueName);
  }
  if (elite) {
    put(d, 'skillId', r.queueId);
    put(d, 'skillName', r.queueName);
  }
  put(d, 'uui', r.uui);
  put(d, 'asaiUui', r.asaiUui);
  put(d, 'ucid', r.globalId);
  put(d, 'subject', r.subject);
  put(d, 'nameId', nameOptions[0]?.id);
  put(d, 'relatedToId', relatedToOptions[0]?.id);
  put(d, 'comments', r.comments);
  put(d, 'dispositionCode', r.disposition);

  const ext: SwitchboardExtension = {
    source: r.source,
    agentId: r.agentId,
    direction: r.direction,
    internal: r.internal,
    classification: r.classification,
    finalState: r.finalState,
    ani: r.ani,
    durationSeconds: r.durationSeconds,
    holdSeconds: r.holdSeconds,
    callParties: r.callParties.map((p) => ({ ...p })),
    callMuted: r.callMuted,
    callRecording: r.callRecording,
  };
  put(ext, 'phoneNumber', r.phoneNumber);
  put(ext, 'destinationAddress', r.destinationAddress);
  put(ext, 'email', r.email);
  put(ext, 'recordingUrl', r.recordingUrl);
  put(ext, 'playbackUrl', r.playbackUrl);
  put(ext, 'origination', r.origination);
  d.switchboard = ext;
  return { interactionId: r.id, interactionData: d };
}

/** The whole message the dialect posts for a record. */
export function saveInteractionLogMessage(r: InteractionRecord): SaveInteractionLogMessage {
  return { type: CRM_CONNECT_MESSAGE, action: SAVE_INTERACTION_LOG, data: { message: { body: recordToAvayaBody(r) } } };
}

// ---- body → record --------------------------------------------------------------------------

export interface AvayaBodyContext {
  /** The session's agent: the table has no agent id. */
  agentId: string;
  /** Time the log arrived (ms since the epoch): the end time when the body has none. */
  now: number;
  /** Stamped on the record; default 'avaya'. */
  source?: string;
}

export type AvayaBodyResult = { record: InteractionRecord } | { error: string };

const CHANNELS: Record<string, InteractionChannel> = {
  voice: InteractionChannel.Voice,
  chat: InteractionChannel.Chat,
  email: InteractionChannel.Email,
  mail: InteractionChannel.Email,
  messaging: InteractionChannel.Messaging,
  task: InteractionChannel.Task,
};
const DIRECTIONS: Record<string, AvayaDirection> = {
  inbound: AvayaDirection.Inbound,
  incoming: AvayaDirection.Inbound,
  outbound: AvayaDirection.Outbound,
  outgoing: AvayaDirection.Outbound,
  internal: AvayaDirection.Internal,
};
const TYPES: Record<string, AvayaInteractionType> = {
  called: AvayaInteractionType.Called,
  transferred: AvayaInteractionType.Transferred,
  conferenced: AvayaInteractionType.Conferenced,
};

function lookup<T>(table: Record<string, T>, o: Obj, key: string, path: string, names: readonly string[]): T | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  const found = typeof v === 'string' ? table[v.trim().toLowerCase()] : undefined;
  if (found === undefined) throw new FieldError(`"${path}${key}" must be one of ${names.join(', ')} (got ${show(v)})`);
  return found;
}

function relatedList(o: Obj, key: string, path: string, defaultType: string): CrmRecord[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new FieldError(`"${path}${key}" must be an array (got ${show(v)})`);
  return v.map((item, i) => {
    const p = `${path}${key}[${i}].`;
    if (!isObj(item)) throw new FieldError(`"${path}${key}[${i}]" must be an object (got ${show(item)})`);
    const id = reqString(item, 'id', p);
    return { id, name: optString(item, 'name', p) ?? '', recordType: optString(item, 'recordType', p) ?? optString(item, 'type', p) ?? defaultType };
  });
}

function workCodes(o: Obj, path: string): string[] {
  const v = o.workCodes;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new FieldError(`"${path}workCodes" must be an array (got ${show(v)})`);
  return v.map((c, i) => {
    if (typeof c === 'string') return c;
    if (typeof c === 'number') return String(c);
    if (isObj(c)) {
      const code = c.code ?? c.id ?? c.name;
      if (typeof code === 'string' || typeof code === 'number') return String(code);
    }
    throw new FieldError(`"${path}workCodes[${i}]" must be a string or an object with "code" (got ${show(c)})`);
  });
}

function customFields(o: Obj, path: string): Record<string, string> {
  const v = o.customFields;
  if (v === undefined || v === null) return {};
  if (isObj(v)) return stringMap(v, `${path}customFields`, true);
  if (!Array.isArray(v)) throw new FieldError(`"${path}customFields" must be an array or an object (got ${show(v)})`);
  const out: Record<string, string> = {};
  for (const [i, f] of v.entries()) {
    const name = isObj(f) ? (f.name ?? f.label ?? f.key) : undefined;
    const value = isObj(f) ? f.value : undefined;
    if (typeof name !== 'string' || !(typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null)) {
      throw new FieldError(`"${path}customFields[${i}]" must be {"name": string, "value": string} (got ${show(f)})`);
    }
    out[name] = value === undefined || value === null ? '' : String(value);
  }
  return out;
}

const DIRECTION_VALUES = Object.values(Direction);
const CLASSIFICATION_VALUES = Object.values(Classification);
const STATE_VALUES = Object.values(WorkitemState);

function callParties(v: unknown, path: string): CallParty[] {
  if (!Array.isArray(v)) throw new FieldError(`"${path}" must be an array (got ${show(v)})`);
  return v.map((p, i) => {
    const pp = `${path}[${i}].`;
    if (!isObj(p)) throw new FieldError(`"${path}[${i}]" must be an object (got ${show(p)})`);
    const party: CallParty = { id: reqString(p, 'id', pp), name: reqString(p, 'name', pp), phone: reqString(p, 'phone', pp) };
    const userId = optString(p, 'userId', pp);
    if (userId !== undefined) party.userId = userId;
    return party;
  });
}

function extension(v: unknown, path: string): SwitchboardExtension | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw new FieldError(`"${path}" must be an object (got ${show(v)})`);
  const p = `${path}.`;
  const num = (key: string): number => {
    const n = optNumber(v, key, p);
    if (n === undefined) throw new FieldError(`"${p}${key}" must be a finite number (got undefined)`);
    return n;
  };
  const need = <T extends string>(key: string, values: readonly T[]): T => {
    const x = oneOf(v, key, values, p);
    if (x === undefined) throw new FieldError(`"${p}${key}" must be one of ${values.join(', ')} (got undefined)`);
    return x;
  };
  const ext: SwitchboardExtension = {
    source: reqString(v, 'source', p),
    agentId: reqString(v, 'agentId', p),
    direction: need('direction', DIRECTION_VALUES),
    internal: reqBoolean(v, 'internal', p),
    classification: need('classification', CLASSIFICATION_VALUES),
    finalState: need('finalState', STATE_VALUES),
    ani: reqString(v, 'ani', p),
    durationSeconds: num('durationSeconds'),
    holdSeconds: num('holdSeconds'),
    callParties: callParties(v.callParties, `${p}callParties`),
    callMuted: reqBoolean(v, 'callMuted', p),
    callRecording: reqBoolean(v, 'callRecording', p),
  };
  for (const key of ['phoneNumber', 'destinationAddress', 'email', 'recordingUrl', 'playbackUrl', 'origination'] as const) put(ext, key, optString(v, key, p));
  return ext;
}

/** The start time: intrinsics.START_TIME, else startDate + startTime, else startTime alone. */
function startOf(d: Obj, path: string): number | undefined {
  const interaction = d.interaction;
  if (interaction !== undefined && interaction !== null) {
    if (!isObj(interaction)) throw new FieldError(`"${path}interaction" must be an object (got ${show(interaction)})`);
    const intrinsics = interaction.intrinsics;
    if (intrinsics !== undefined && intrinsics !== null) {
      if (!isObj(intrinsics)) throw new FieldError(`"${path}interaction.intrinsics" must be an object (got ${show(intrinsics)})`);
      const t = optTime(intrinsics, 'START_TIME', `${path}interaction.intrinsics.`);
      if (t !== undefined) return t;
    }
  }
  const date = optString(d, 'startDate', path);
  const time = optString(d, 'startTime', path);
  if (date !== undefined && time !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(date) && /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(time)) {
    const ms = Date.parse(`${date}T${time}Z`);
    if (!Number.isNaN(ms)) return ms;
  }
  if (time !== undefined && /^\d{4}-\d{2}-\d{2}T/.test(time)) return optTime(d, 'startTime', path);
  return undefined;
}

function nonEmpty(...values: (string | undefined)[]): string | undefined {
  return values.find((v) => v !== undefined && v !== '');
}

function addSelected(list: CrmRecord[], id: string | undefined, recordType: string): CrmRecord[] {
  if (id === undefined || id === '' || list.some((r) => r.id === id)) return list;
  return [{ id, name: '', recordType }, ...list];
}

/**
 * Read a requestSaveInteractionLog body (`data.message.body`) into an InteractionRecord, with
 * `raw` = the body. Checks what seed 004's composeInteractionLog checks (`interactionId` and
 * `interactionData` present) and the type of every table field it reads; the error names the
 * first field that is wrong. Never throws.
 *
 * @example
 * const result = avayaBodyToRecord(event.data.data.message.body, { agentId: '1001', now: clock.now() });
 * if ('error' in result) console.warn(result.error);
 */
export function avayaBodyToRecord(body: unknown, ctx: AvayaBodyContext): AvayaBodyResult {
  try {
    return { record: readBody(body, ctx) };
  } catch (err) {
    if (err instanceof FieldError) return { error: err.message };
    return { error: `body could not be read: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function readBody(body: unknown, ctx: AvayaBodyContext): InteractionRecord {
  if (!isObj(body)) throw new FieldError(`the body must be an object with "interactionId" and "interactionData" (got ${show(body)})`);
  const id = body.interactionId;
  if (typeof id !== 'string' || id === '') throw new FieldError(`"interactionId" must be a non-empty string (got ${show(id)})`);
  const d = body.interactionData;
  if (!isObj(d)) throw new FieldError(`"interactionData" must be an object (got ${show(d)})`);
  const p = 'interactionData.';
  const innerId = optString(d, 'interactionId', p);
  if (innerId !== undefined && innerId !== '' && innerId !== id) throw new FieldError(`"${p}interactionId" (${show(innerId)}) differs from the body's "interactionId" (${show(id)})`);

  const ext = extension(d.switchboard, `${p}switchboard`);
  const avayaDirection = lookup(DIRECTIONS, d, 'direction', p, Object.values(AvayaDirection));
  const type = lookup(TYPES, d, 'interactionType', p, Object.values(AvayaInteractionType));
  const channel = lookup(CHANNELS, d, 'channel', p, ['Voice', 'Chat', 'Email', 'Messaging', 'Task']) ?? InteractionChannel.Voice;

  const callerNumber = optString(d, 'callerNumber', p);
  const updatedOriginating = optString(d, 'updatedOriginatingAddress', p);
  const updatedDestination = optString(d, 'updatedDestinationAddress', p);
  const destination = optString(d, 'destinationAddress', p);
  const resourceAddress = optString(d, 'resourceAddress', p);
  const caller = nonEmpty(callerNumber, updatedOriginating);

  const internal = ext?.internal ?? avayaDirection === AvayaDirection.Internal;
  const dir: Direction =
    ext?.direction ??
    (avayaDirection === AvayaDirection.Outbound || (avayaDirection === AvayaDirection.Internal && caller !== undefined && caller === resourceAddress)
      ? Direction.Outgoing
      : Direction.Incoming);
  const outgoing = dir === Direction.Outgoing;

  const isTransfer = optBoolean(d, 'isTransferInteraction', p) ?? type === AvayaInteractionType.Transferred;
  const isConference = optBoolean(d, 'isConferenceInteraction', p) ?? type === AvayaInteractionType.Conferenced;
  const classification: Classification =
    ext?.classification ?? (isConference ? Classification.Conference : isTransfer ? Classification.Transfer : internal ? Classification.Internal : Classification.Customer);

  const endMs = optTime(d, 'endTime', p) ?? ctx.now;
  const establishedMs = optTime(d, 'establishedTime', p);
  const startMs = startOf(d, p) ?? establishedMs ?? endMs;
  const acwSeconds = Math.max(0, Math.round(optNumeric(d, 'acwDuration', p) ?? 0));
  const talk = establishedMs !== undefined ? Math.max(0, secondsBetween(establishedMs, endMs) - acwSeconds) : 0;

  const data: CtiData = {};
  if (d.attributes !== undefined && d.attributes !== null) Object.assign(data, stringMap(d.attributes, `${p}attributes`, true));
  if (d.engagementParameters !== undefined && d.engagementParameters !== null) {
    for (const [k, v] of Object.entries(stringMap(d.engagementParameters, `${p}engagementParameters`, true))) data[`${ENGAGEMENT}${k}`] = v;
  }
  for (const [k, v] of Object.entries(customFields(d, p))) data[`${CUSTOM}${k}`] = v;

  const nameId = optString(d, 'nameId', p);
  const relatedToId = optString(d, 'relatedToId', p);
  const associations = [
    ...addSelected(relatedList(d, 'nameOptions', p, 'Contact'), nameId, 'Contact'),
    ...addSelected(relatedList(d, 'relatedToOptions', p, 'Case'), relatedToId, 'Case'),
  ];

  const ani = ext?.ani ?? (outgoing ? nonEmpty(updatedDestination, destination) : caller) ?? '';
  const record: InteractionRecord = {
    id,
    source: ctx.source ?? 'avaya',
    agentId: ctx.agentId,
    channel,
    direction: dir,
    internal,
    classification,
    isTransfer,
    isConference,
    finalState: ext?.finalState ?? WorkitemState.Ended,
    ani,
    startTime: iso(startMs),
    endTime: iso(endMs),
    durationSeconds: ext?.durationSeconds ?? talk,
    acwSeconds,
    holdSeconds: ext?.holdSeconds ?? 0,
    workCodes: workCodes(d, p),
    callParties: ext?.callParties ?? [],
    callMuted: ext?.callMuted ?? false,
    callRecording: ext?.callRecording ?? false,
    data,
    associations,
    raw: copyRaw(body),
  };
  if (establishedMs !== undefined) record.establishedTime = iso(establishedMs);
  const phoneNumber = ext !== undefined ? ext.phoneNumber : outgoing ? nonEmpty(destination, updatedDestination) : caller;
  put(record, 'phoneNumber', phoneNumber);
  put(record, 'destinationAddress', ext !== undefined ? ext.destinationAddress : nonEmpty(updatedDestination));
  put(record, 'resourceAddress', nonEmpty(resourceAddress));
  put(record, 'globalId', nonEmpty(optString(d, 'ucid', p)));
  put(record, 'callerName', nonEmpty(optString(d, 'callerName', p)));
  put(record, 'dnis', nonEmpty(optString(d, 'dnis', p)));
  put(record, 'queueId', nonEmpty(optString(d, 'topicId', p), optString(d, 'skillId', p)));
  put(record, 'queueName', nonEmpty(optString(d, 'topicName', p), optString(d, 'skillName', p)));
  put(record, 'disposition', nonEmpty(optString(d, 'dispositionCode', p)));
  put(record, 'subject', nonEmpty(optString(d, 'subject', p)));
  put(record, 'comments', nonEmpty(optString(d, 'comments', p)));
  put(record, 'interactionOrigin', nonEmpty(optString(d, 'interactionOrigin', p)));
  put(record, 'uui', nonEmpty(optString(d, 'uui', p)));
  put(record, 'asaiUui', nonEmpty(optString(d, 'asaiUui', p)));
  const priority = optNumeric(d, 'priority', p);
  put(record, 'priority', priority);
  if (ext !== undefined) {
    put(record, 'email', ext.email);
    put(record, 'recordingUrl', ext.recordingUrl);
    put(record, 'playbackUrl', ext.playbackUrl);
    put(record, 'origination', ext.origination);
  }
  return record;
}
