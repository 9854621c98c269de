/**
 * @module sinks/records/port
 * The records port: what the hub asks of a CRM's records, whatever the CRM (seed 001's
 * `participantLookupResult`, `associatedParticipant`, `activity` and `associations`). Look the
 * caller up by phone number, create the call's phone-call record once, update it, associate a
 * record with it. Every write is keyed by the call's correlation id (the ExternalReferenceID of
 * sinks/c4c/reference), never by the CRM's own id, so that an outbox can retry any write after a
 * lost answer and the adapter finds the record it already made instead of making a second one.
 * Adapters: ./memory.ts (an in-memory directory, for tests and the simulator) and
 * sinks/servicenow (the ServiceNow Table API). Errors are {@link CrmError}s.
 */
import type { ActivityRecord, CrmRecord } from '../../core/model.js';
import { invalidInput } from './errors.js';

export type { ActivityRecord, CrmRecord } from '../../core/model.js';

/** The record type of the activity (seed 001: "Type of the activity record, which is phonecall"). */
export const PHONECALL_RECORD_TYPE = 'phonecall';

/**
 * What a phone-call record is made of, CRM-neutral: workitem and CTI keys (`ani`, `direction`,
 * `callVariable1`, `user.lang`, ... see ./fields.ts) to string values. An adapter maps them onto
 * its own fields with its mapping; a key the mapping does not name is not written.
 */
export type PhoneCallFields = Readonly<Record<string, string>>;

export interface CallOptions {
  /** Aborts the request (the adapter's own timeout still applies). */
  signal?: AbortSignal | undefined;
}

export interface LookupOptions extends CallOptions {
  /** Most records a lookup returns (the adapter's default otherwise). */
  limit?: number | undefined;
  /**
   * When more records match than `limit`: `error` (default) throws a CrmError of kind
   * `too_many_matches` (a number shared by thousands of records identifies nobody); `truncate`
   * returns the first `limit` with `complete: false`.
   */
  onTooMany?: 'error' | 'truncate' | undefined;
}

/** The answer to a lookup. */
export interface LookupResult {
  /** The number looked up, in E.164. */
  phone: string;
  /** Every matching record, up to the limit (seed 001's `participantLookupResult`). */
  records: CrmRecord[];
  /** False when more records matched than were returned (only with `onTooMany: 'truncate'`). */
  complete: boolean;
  /** How many records matched, when the CRM said so. */
  total?: number;
}

/**
 * A CRM's records, CRM-neutral. Every method rejects with a CrmError (a SwitchboardError with
 * `retryable`, `retryAfterMs` when known, `status` when there was one).
 *
 * @example
 * const found = await crm.lookupByPhone(workitem.ani);
 * const activity = await crm.createPhoneCall(reference, phoneCallFields(workitem));
 * if (found.records.length === 1) await crm.associate(reference, found.records[0]!);
 * await crm.updatePhoneCall(reference, { wrapUpReason: 'Sale' });
 */
export interface CrmRecords {
  /** For logs and errors: `servicenow`, `memory`. */
  readonly name: string;
  /** Records whose phone fields hold this number in any common written form. */
  lookupByPhone(phone: string, options?: LookupOptions): Promise<LookupResult>;
  /** The phone-call record of a call, or undefined when none was made. */
  findPhoneCall(callKey: string, options?: CallOptions): Promise<ActivityRecord | undefined>;
  /**
   * The call's phone-call record, made at most once per `callKey`: when one already exists
   * (a retry after a lost answer) it is reused and brought up to `fields`.
   */
  createPhoneCall(callKey: string, fields: PhoneCallFields, options?: CallOptions): Promise<ActivityRecord>;
  /** Writes `fields` onto the call's record; a CrmError of kind `not_found` when there is none. */
  updatePhoneCall(callKey: string, fields: PhoneCallFields, options?: CallOptions): Promise<void>;
  /** Links a looked-up record (contact, user, ...) with the call's phone-call record. */
  associate(callKey: string, record: CrmRecord, options?: CallOptions): Promise<void>;
}

/** Longest correlation id accepted (ServiceNow's `correlation_id` is a 100-character string). */
export const CALL_KEY_MAX_LENGTH = 100;

/**
 * Throws INVALID_ARGUMENT unless `callKey` is a usable correlation id: 1 to 100 characters, no
 * control characters and none of `^ , =` that would change an encoded query.
 *
 * @example
 * checkCallKey('152018C217'); // ok
 */
export function checkCallKey(callKey: string): void {
  if (typeof callKey !== 'string' || callKey === '') throw invalidInput(`call key: expected a non-empty string (got ${JSON.stringify(callKey)})`);
  if (callKey.length > CALL_KEY_MAX_LENGTH) throw invalidInput(`call key ${JSON.stringify(callKey.slice(0, 40))}...: longer than ${CALL_KEY_MAX_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f^,=]/.test(callKey)) throw invalidInput(`call key ${JSON.stringify(callKey)}: must not contain control characters or any of ^ , =`);
}

/** The activity record of seed 001 for a CRM id. */
export function activityRecord(id: string): ActivityRecord {
  return { id, recordType: PHONECALL_RECORD_TYPE };
}

/** Throws INVALID_ARGUMENT unless every value of `fields` is a string (seed 001: values are strings). */
export function checkFields(fields: PhoneCallFields, what = 'fields'): void {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw invalidInput(`${what}: expected an object of strings`);
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value !== 'string') throw invalidInput(`${what}[${JSON.stringify(key)}]: values must be strings (got ${value === null ? 'null' : typeof value})`);
  }
}
