/**
 * @module core/guards
 * Runtime guards for everything that crosses a boundary untyped (a replay line, a postMessage,
 * a WebSocket frame): one place that says whether a value is a well-formed platform update and,
 * if not, what exactly is wrong with it.
 */
import {
  AgentState,
  Capability,
  ChannelType,
  Classification,
  Direction,
  Flavor,
  WorkitemState,
} from './model.js';
import { ErrorCode } from './errors.js';
import { InteractionChannel } from './interaction.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const values = (o: object): ReadonlySet<string> => new Set(Object.values(o) as string[]);

const AGENT_STATES = values(AgentState);
const WORKITEM_STATES = values(WorkitemState);
const CLASSIFICATIONS = values(Classification);
const DIRECTIONS = values(Direction);
const CHANNEL_TYPES = values(ChannelType);
const CAPABILITIES = values(Capability);
const ERROR_CODES = values(ErrorCode);
const QUEUE_OPS: ReadonlySet<string> = new Set(['snapshot', 'added', 'updated', 'deleted']);

function str(o: Obj, key: string, where: string): string | undefined {
  return typeof o[key] === 'string' ? undefined : `${where}: "${key}" must be a string`;
}
function optStr(o: Obj, key: string, where: string): string | undefined {
  return o[key] === undefined ? undefined : str(o, key, where);
}
function oneOf(o: Obj, key: string, set: ReadonlySet<string>, where: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' && set.has(v) ? undefined : `${where}: "${key}" must be one of ${[...set].join(', ')} (got ${JSON.stringify(v)})`;
}
function optOneOf(o: Obj, key: string, set: ReadonlySet<string>, where: string): string | undefined {
  return o[key] === undefined ? undefined : oneOf(o, key, set, where);
}
function strMap(o: Obj, key: string, where: string, optional: boolean): string | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (!isObj(v)) return `${where}: "${key}" must be an object of strings`;
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') return `${where}: "${key}.${k}" must be a string (got ${typeof val})`;
  }
  return undefined;
}
function participants(o: Obj, key: string, where: string, optional: boolean): string | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (!Array.isArray(v)) return `${where}: "${key}" must be an array`;
  for (const p of v) {
    if (!isObj(p) || typeof p.address !== 'string') return `${where}: every participant needs a string "address"`;
  }
  return undefined;
}
function capabilities(o: Obj, where: string): string | undefined {
  const v = o.capabilities;
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return `${where}: "capabilities" must be an array`;
  for (const c of v) if (typeof c !== 'string' || !CAPABILITIES.has(c)) return `${where}: unknown capability ${JSON.stringify(c)}`;
  return undefined;
}
function crmRecord(v: unknown, name: string, where: string, needName = true): string | undefined {
  if (!isObj(v) || typeof v.id !== 'string' || typeof v.recordType !== 'string') return `${where}: "${name}" needs string "id" and "recordType"`;
  if (needName && typeof v.name !== 'string') return `${where}: "${name}.name" must be a string`;
  return undefined;
}
function crmRecords(o: Obj, key: string, where: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return `${where}: "${key}" must be an array`;
  for (const [i, r] of v.entries()) {
    const p = crmRecord(r, `${key}[${i}]`, where);
    if (p !== undefined) return p;
  }
  return undefined;
}
function first(...checks: (string | undefined)[]): string | undefined {
  return checks.find((c) => c !== undefined);
}

const INTERACTION_CHANNELS = values(InteractionChannel);
const STRING_FIELDS = ['id', 'source', 'agentId', 'ani', 'startTime', 'endTime'] as const;
const OPTIONAL_STRINGS = [
  'globalId', 'callerName', 'dnis', 'phoneNumber', 'destinationAddress', 'resourceAddress', 'email', 'establishedTime', 'queueId', 'queueName',
  'disposition', 'subject', 'comments', 'recordingUrl', 'playbackUrl', 'origination', 'interactionOrigin', 'uui', 'asaiUui',
] as const;
const NUMBER_FIELDS = ['durationSeconds', 'acwSeconds', 'holdSeconds'] as const;
const BOOLEAN_FIELDS = ['internal', 'isTransfer', 'isConference', 'callMuted', 'callRecording'] as const;

/** What is wrong with a value that should be an {@link InteractionRecord}, or undefined. */
export function describeRecordProblem(r: unknown, where = 'interaction record'): string | undefined {
  if (!isObj(r)) return `${where}: "record" must be an object`;
  const w = `${where}: "record.`;
  for (const k of STRING_FIELDS) if (typeof r[k] !== 'string') return `${w}${k}" must be a string`;
  for (const k of OPTIONAL_STRINGS) if (r[k] !== undefined && typeof r[k] !== 'string') return `${w}${k}" must be a string`;
  for (const k of NUMBER_FIELDS) if (typeof r[k] !== 'number' || !Number.isFinite(r[k])) return `${w}${k}" must be a finite number`;
  for (const k of BOOLEAN_FIELDS) if (typeof r[k] !== 'boolean') return `${w}${k}" must be true or false`;
  if (r.priority !== undefined && (typeof r.priority !== 'number' || !Number.isFinite(r.priority))) return `${w}priority" must be a finite number`;
  if (typeof r.channel !== 'string' || !INTERACTION_CHANNELS.has(r.channel)) return `${w}channel" must be one of ${[...INTERACTION_CHANNELS].join(', ')}`;
  if (typeof r.direction !== 'string' || !DIRECTIONS.has(r.direction)) return `${w}direction" must be Incoming or Outgoing`;
  if (typeof r.classification !== 'string' || !CLASSIFICATIONS.has(r.classification)) return `${w}classification" must be one of ${[...CLASSIFICATIONS].join(', ')}`;
  if (typeof r.finalState !== 'string' || !WORKITEM_STATES.has(r.finalState)) return `${w}finalState" must be a workitem state`;
  if (!Array.isArray(r.workCodes) || r.workCodes.some((c) => typeof c !== 'string')) return `${w}workCodes" must be an array of strings`;
  if (!Array.isArray(r.callParties)) return `${w}callParties" must be an array`;
  for (const [i, p] of r.callParties.entries()) {
    if (!isObj(p) || typeof p.id !== 'string' || typeof p.name !== 'string' || typeof p.phone !== 'string') return `${w}callParties[${i}]" needs string "id", "name" and "phone"`;
  }
  if (!isObj(r.data)) return `${w}data" must be an object of strings`;
  for (const [k, v] of Object.entries(r.data)) if (typeof v !== 'string') return `${w}data.${k}" must be a string (got ${typeof v})`;
  const assoc = crmRecords(r, 'associations', where);
  if (assoc !== undefined || !Array.isArray(r.associations)) return assoc ?? `${w}associations" must be an array`;
  if (!isObj(r.raw)) return `${w}raw" must be an object`;
  return undefined;
}

/**
 * What is wrong with a value that should be a {@link PlatformUpdate}, or undefined when it is
 * well-formed. The message names the update type and the field.
 */
export function describeUpdateProblem(u: unknown): string | undefined {
  if (!isObj(u)) return 'update must be an object';
  const type = u.type;
  if (typeof type !== 'string') return 'update has no "type"';
  const where = `${type} update`;
  if (u.at !== undefined && (typeof u.at !== 'number' || !Number.isFinite(u.at))) return `${where}: "at" must be a finite number`;
  const common = optStr(u, 'requestId', where);
  if (common !== undefined) return common;
  switch (type) {
    case 'session': {
      if (!isObj(u.agent) || typeof u.agent.agentId !== 'string') return `${where}: "agent.agentId" must be a string`;
      if (!Array.isArray(u.channels)) return `${where}: "channels" must be an array`;
      for (const c of u.channels) {
        if (!isObj(c) || typeof c.id !== 'string' || typeof c.type !== 'string' || !CHANNEL_TYPES.has(c.type)) {
          return `${where}: every channel needs a string "id" and a channel "type"`;
        }
      }
      if (u.flavor !== undefined && u.flavor !== Flavor.UCCE && u.flavor !== Flavor.UCCX) return `${where}: "flavor" must be "UCCE" or "UCCX" (got ${JSON.stringify(u.flavor)})`;
      return undefined;
    }
    case 'agentState':
      return first(
        str(u, 'channelId', where),
        oneOf(u, 'state', AGENT_STATES, where),
        u.reasonCode === undefined || (typeof u.reasonCode === 'number' && Number.isInteger(u.reasonCode)) ? undefined : `${where}: "reasonCode" must be an integer`,
        optStr(u, 'reasonCodeLabel', where),
      );
    case 'workitemAdded': {
      const w = u.workitem;
      if (!isObj(w)) return `${where}: "workitem" must be an object`;
      return first(
        str(w, 'id', where),
        str(w, 'channelId', where),
        optOneOf(w, 'channelType', CHANNEL_TYPES, where),
        oneOf(w, 'classification', CLASSIFICATIONS, where),
        oneOf(w, 'direction', DIRECTIONS, where),
        oneOf(w, 'state', WORKITEM_STATES, where),
        participants(w, 'participants', where, false),
        str(w, 'ani', where),
        strMap(w, 'ctiData', where, true),
        capabilities(w, where),
        optStr(w, 'connectedAt', where),
      );
    }
    case 'workitemState':
      return first(str(u, 'id', where), oneOf(u, 'state', WORKITEM_STATES, where), capabilities(u, where), participants(u, 'participants', where, true));
    case 'workitemData':
      return first(str(u, 'id', where), strMap(u, 'ctiData', where, false));
    case 'workitemInfo':
      return first(
        str(u, 'id', where),
        capabilities(u, where),
        participants(u, 'participants', where, true),
        optOneOf(u, 'classification', CLASSIFICATIONS, where),
        u.activity === undefined ? undefined : crmRecord(u.activity, 'activity', where, false),
        u.associatedParticipant === undefined ? undefined : crmRecord(u.associatedParticipant, 'associatedParticipant', where),
        crmRecords(u, 'associations', where),
        crmRecords(u, 'participantLookupResult', where),
      );
    case 'queue': {
      const op = oneOf(u, 'op', QUEUE_OPS, where);
      if (op !== undefined) return op;
      if (!Array.isArray(u.queues)) return `${where}: "queues" must be an array`;
      for (const q of u.queues) {
        if (!isObj(q) || typeof q.id !== 'string') return `${where}: every queue needs a string "id"`;
        if (u.op !== 'deleted' && (typeof q.name !== 'string' || !isObj(q.statistics))) return `${where}: queue "${q.id}" needs "name" and "statistics"`;
      }
      if (u.ids !== undefined && (!Array.isArray(u.ids) || u.ids.some((i) => typeof i !== 'string'))) return `${where}: "ids" must be an array of strings`;
      return undefined;
    }
    case 'interactionRecord':
      return describeRecordProblem(u.record, where);
    case 'platformError':
      return first(oneOf(u, 'code', ERROR_CODES, where), str(u, 'message', where), optStr(u, 'workitemId', where));
    default:
      return `unknown update type ${JSON.stringify(type)}`;
  }
}
