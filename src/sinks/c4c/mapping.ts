/**
 * @module sinks/c4c/mapping
 * The CTI-data-to-activity-field mapping of seed 000 ("Adding CTI data to activities"): a JSON
 * object `{ "<CTI key>": "<Live Activity field>" }`, passed in the gadget URL (`?mapping=...`)
 * or in the config file (`c4c.mapping`). It is checked once, at load: an unknown key, an unknown
 * or reserved field, a non-string target or two keys onto one field is refused with a
 * SwitchboardError whose message names the culprit. A mapping that loads is applied as is.
 */
import { ErrorCode, SwitchboardError } from '../../core/errors.js';
import type { CtiData } from '../../core/model.js';

/** Live Activity fields a CTI key may fill (seed 000, "Possible Live-Activity-Field-Name's"). */
export const ACTIVITY_FIELDS = ['DNIS', 'BP', 'TicketID', 'SerialNo', 'E-Mail', 'Custom_1', 'Custom_2', 'Custom_3', 'Custom_4', 'Transcript'] as const;
export type ActivityField = (typeof ACTIVITY_FIELDS)[number];

/**
 * Fields Switchboard fills itself (seed 000, "Reserved fields", plus SAP's `Action` and seed
 * 002's `ExternalOriginalReferenceID`): never a mapping target.
 */
export const RESERVED_FIELDS = ['ANI', 'CID', 'Event', 'EventType', 'Type', 'ExternalReferenceID', 'ExternalOriginalReferenceID', 'ActivityUUID', 'Action'] as const;
export type ReservedField = (typeof RESERVED_FIELDS)[number];

/** CTI keys with a fixed name (seed 000, "Possible CTI-keys"); `user.<ECC name>` is matched by pattern. */
export const CTI_KEYS = [
  'callVariable1',
  'callVariable2',
  'callVariable3',
  'callVariable4',
  'callVariable5',
  'callVariable6',
  'callVariable7',
  'callVariable8',
  'callVariable9',
  'callVariable10',
  'callType',
  'DNIS',
  'dialedNumber',
  'established',
  'termination',
  'outboundClassification',
  'callKeyCallId',
  'callKeyPrefix',
  'mediaId',
  'queueName',
  'queueNumber',
  'wrapUpReason',
] as const;

/** `user.<ECC name>`: Finesse ECC names (`user.microapp.error_code`, arrays `user.a[2]`). */
const ECC_KEY = /^user\.[A-Za-z0-9_.[\]-]+$/;

const FIXED_KEYS: ReadonlySet<string> = new Set(CTI_KEYS);
const FIELDS: ReadonlySet<string> = new Set(ACTIVITY_FIELDS);
const RESERVED: ReadonlySet<string> = new Set(RESERVED_FIELDS);

/** A validated mapping: CTI key → activity field, in the order it was written. */
export type C4cMapping = Readonly<Record<string, ActivityField>>;

/** True for a CTI key seed 000 allows. */
export function isCtiKey(key: string): boolean {
  return FIXED_KEYS.has(key) || ECC_KEY.test(key);
}

export function isActivityField(field: string): field is ActivityField {
  return FIELDS.has(field);
}

export function isReservedField(field: string): field is ReservedField {
  return RESERVED.has(field);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * Every problem of a mapping, each naming its key as `<path>["<key>"]`; empty when it is valid.
 * `path` prefixes the messages (`c4c.mapping` in the config file, `mapping` in the gadget URL).
 */
export function mappingProblems(value: unknown, path = 'mapping'): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`${path}: must be a JSON object {"<CTI key>": "<activity field>"} (got ${describe(value)})`];
  }
  const problems: string[] = [];
  const byField = new Map<string, string>();
  for (const [key, target] of Object.entries(value as Record<string, unknown>)) {
    const at = `${path}[${JSON.stringify(key)}]`;
    if (!isCtiKey(key)) {
      problems.push(`${at}: "${key}" is not a CTI key (known: callVariable1..callVariable10, user.<ECC name>, ${CTI_KEYS.filter((k) => !k.startsWith('callVariable')).join(', ')})`);
    }
    if (typeof target !== 'string') {
      problems.push(`${at}: the target must be a string naming an activity field (got ${describe(target)})`);
      continue;
    }
    if (isReservedField(target)) {
      problems.push(`${at}: "${target}" is a reserved field that Switchboard fills itself; map to one of ${ACTIVITY_FIELDS.join(', ')}`);
      continue;
    }
    if (!isActivityField(target)) {
      const loose = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');
      const near = ACTIVITY_FIELDS.find((f) => loose(f) === loose(target));
      problems.push(`${at}: "${target}" is not a Live Activity field${near !== undefined ? ` (did you mean "${near}"?)` : ''} (known: ${ACTIVITY_FIELDS.join(', ')})`);
      continue;
    }
    const first = byField.get(target);
    if (first !== undefined) {
      problems.push(`${at}: "${key}" and "${first}" both map to "${target}"; each activity field takes one CTI key`);
      continue;
    }
    byField.set(target, key);
  }
  return problems;
}

/**
 * Parse and validate a mapping given as a JSON string (the gadget URL parameter) or as an object
 * (the config file). Throws PARSE_ERROR for text that is not JSON and INVALID_ARGUMENT, listing
 * every problem, for a mapping seed 000 does not allow.
 *
 * @example
 * const mapping = parseMapping('{"callVariable1":"Custom_1","user.lang":"Custom_3"}');
 */
export function parseMapping(input: unknown, path = 'mapping'): C4cMapping {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input) as unknown;
    } catch (err) {
      throw new SwitchboardError(ErrorCode.PARSE_ERROR, `${path}: not valid JSON (${err instanceof Error ? err.message : String(err)})`, { cause: err });
    }
  }
  const problems = mappingProblems(value, path);
  if (problems.length > 0) throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, problems.join('; '));
  return Object.freeze(Object.fromEntries(Object.entries(value as Record<string, string>))) as C4cMapping;
}

/**
 * The mapping in a gadget URL's query (`?mapping=<url-encoded JSON>`), or undefined when the
 * parameter is absent. Throws like {@link parseMapping} when it is present but bad.
 *
 * @example
 * const mapping = mappingFromUrl(window.location.href) ?? {};
 */
export function mappingFromUrl(url: string | URL | URLSearchParams, param = 'mapping'): C4cMapping | undefined {
  let params: URLSearchParams;
  if (url instanceof URLSearchParams) params = url;
  else if (url instanceof URL) params = url.searchParams;
  else {
    try {
      params = new URL(url).searchParams;
    } catch {
      // Not an absolute URL: a bare query string (`?mapping=...` or `mapping=...`).
      params = new URLSearchParams(url);
    }
  }
  const raw = params.get(param);
  if (raw === null) return undefined;
  return parseMapping(raw, param);
}

/** Call times for the `established` and `termination` keys (ISO 8601). */
export interface CallTimes {
  established?: string | undefined;
  termination?: string | undefined;
}

/**
 * The activity fields a mapping yields for one call, in mapping order. A key the call does not
 * carry yields no field; an empty value is sent as empty (it clears the field).
 */
export function mappedFields(mapping: C4cMapping, ctiData: CtiData, times: CallTimes): Partial<Record<ActivityField, string>> {
  const out: Partial<Record<ActivityField, string>> = {};
  for (const [key, field] of Object.entries(mapping)) {
    const value = key === 'established' ? times.established : key === 'termination' ? times.termination : Object.hasOwn(ctiData, key) ? ctiData[key] : undefined;
    if (value !== undefined) out[field] = value;
  }
  return out;
}
