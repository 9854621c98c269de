/**
 * @module sinks/records/fields
 * The CRM-neutral keys of a phone-call record and how a workitem yields them. A CRM adapter's
 * mapping (`{ "<key>": "<CRM field>" }`, like the C4C mapping of seed 000) names these keys: the
 * workitem's own fields of seed 001 (`ani`, `direction`, ...), the call's times, and every CTI key
 * of seed 000 (`callVariable1..10`, `user.<ECC name>`, `wrapUpReason`, ...).
 */
import type { InteractionRecord } from '../../core/interaction.js';
import type { Workitem } from '../../core/model.js';
import { CTI_KEYS, isCtiKey } from '../c4c/mapping.js';

/** Workitem fields a phone-call record may carry (seed 001's data reference). */
export const WORKITEM_KEYS = ['ani', 'agentId', 'direction', 'classification', 'channelType', 'state', 'workitemId', 'channelId', 'connectedAt', 'participant'] as const;
export type WorkitemKey = (typeof WORKITEM_KEYS)[number];

/** What only the finished interaction knows (its record, core/interaction), for the final update. */
export const INTERACTION_KEYS = ['durationSeconds'] as const;

const WORKITEM: ReadonlySet<string> = new Set([...WORKITEM_KEYS, ...INTERACTION_KEYS]);

/** True for a key a phone-call mapping may name: a workitem key, an interaction key or a CTI key of seed 000. */
export function isPhoneCallKey(key: string): boolean {
  return WORKITEM.has(key) || isCtiKey(key);
}

/** Every fixed key (for error messages); `user.<ECC name>` is matched by pattern. */
export const PHONE_CALL_KEYS: readonly string[] = [...WORKITEM_KEYS, ...INTERACTION_KEYS, ...CTI_KEYS];

/** Call times that are not on the workitem (ISO 8601). */
export interface PhoneCallTimes {
  established?: string | undefined;
  termination?: string | undefined;
}

/**
 * The neutral fields of a workitem: its own fields, the times given, and every ctiData entry.
 * `participant` is the associated record's id when there is one.
 *
 * @example
 * const fields = phoneCallFields(workitem, { established: '2026-01-05T09:00:03.000Z' });
 * await crm.createPhoneCall(reference, fields);
 */
export function phoneCallFields(
  wi: Pick<Workitem, 'id' | 'ani' | 'agentId' | 'direction' | 'classification' | 'channelType' | 'state' | 'channelId' | 'ctiData'> &
    Partial<Pick<Workitem, 'connectedAt' | 'associatedParticipant'>>,
  times: PhoneCallTimes = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(wi.ctiData)) if (typeof value === 'string') out[key] = value;
  out.ani = wi.ani;
  out.agentId = wi.agentId;
  out.direction = wi.direction;
  out.classification = wi.classification;
  out.channelType = wi.channelType;
  out.state = wi.state;
  out.workitemId = wi.id;
  out.channelId = wi.channelId;
  if (wi.connectedAt !== undefined && wi.connectedAt !== '') out.connectedAt = wi.connectedAt;
  if (wi.associatedParticipant !== undefined) out.participant = wi.associatedParticipant.id;
  if (times.established !== undefined) out.established = times.established;
  if (times.termination !== undefined) out.termination = times.termination;
  return out;
}

/**
 * The neutral fields of a finished interaction, for the phone-call record's final update: the
 * call data as it ended, the final state, the times and the duration; `wrapUpReason` is the
 * record's disposition.
 *
 * @example
 * await crm.updatePhoneCall(reference, interactionPhoneCallFields(record));
 */
export function interactionPhoneCallFields(record: InteractionRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record.data)) if (typeof value === 'string') out[key] = value;
  out.ani = record.ani;
  out.agentId = record.agentId;
  out.direction = record.direction;
  out.classification = record.classification;
  out.state = record.finalState;
  out.workitemId = record.id;
  if (record.establishedTime !== undefined) out.established = record.establishedTime;
  out.termination = record.endTime;
  out.durationSeconds = String(record.durationSeconds);
  if (record.disposition !== undefined) out.wrapUpReason = record.disposition;
  return out;
}
