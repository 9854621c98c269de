/**
 * @module sinks/servicenow/mapping
 * Which ServiceNow field of the phone-call table each CRM-neutral key fills: a JSON object
 * `{ "<workitem/CTI key>": "<servicenow field>" }`, the same mechanism as the C4C mapping of seed
 * 000 (sinks/c4c/mapping) and checked the same way, once, at load: an unknown key, a target that
 * is not a ServiceNow column name, a system field (`sys_*`), the correlation field (the adapter
 * fills it itself) or two keys onto one field are refused with an error naming the culprit.
 */
import { ErrorCode, SwitchboardError } from '../../core/errors.js';
import { PHONE_CALL_KEYS, isPhoneCallKey } from '../records/fields.js';
import type { PhoneCallFields } from '../records/port.js';

/** A validated mapping: neutral key → ServiceNow field, in the order it was written. */
export type ServiceNowMapping = Readonly<Record<string, string>>;

/** ServiceNow column names: lower case letters, digits and `_`, at most 80 (custom ones start `u_`). */
const COLUMN = /^[a-z][a-z0-9_]{0,79}$/;

/** True for a name ServiceNow could have as a column or table. */
export function isServiceNowName(name: string): boolean {
  return COLUMN.test(name);
}

/** A mapping that fills the phone-call fields ServiceNow tables commonly have. */
export const DEFAULT_SERVICENOW_MAPPING: ServiceNowMapping = Object.freeze({
  ani: 'phone_number',
  direction: 'direction',
  agentId: 'agent',
  established: 'start_time',
  termination: 'end_time',
  wrapUpReason: 'wrap_up_reason',
});

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * Every problem of a mapping, each naming its key as `<path>["<key>"]`; empty when valid.
 * `correlationField` is refused as a target (the adapter writes the call key there).
 */
export function serviceNowMappingProblems(value: unknown, path = 'servicenow.mapping', correlationField = 'correlation_id'): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`${path}: must be a JSON object {"<workitem/CTI key>": "<servicenow field>"} (got ${describe(value)})`];
  }
  const problems: string[] = [];
  const byField = new Map<string, string>();
  for (const [key, target] of Object.entries(value as Record<string, unknown>)) {
    const at = `${path}[${JSON.stringify(key)}]`;
    if (!isPhoneCallKey(key)) problems.push(`${at}: "${key}" is not a workitem or CTI key (known: ${PHONE_CALL_KEYS.join(', ')}, user.<ECC name>)`);
    if (typeof target !== 'string') {
      problems.push(`${at}: the target must be a string naming a ServiceNow field (got ${describe(target)})`);
      continue;
    }
    if (!isServiceNowName(target)) {
      problems.push(`${at}: "${target}" is not a ServiceNow field name (lower case letters, digits and _, starting with a letter)`);
      continue;
    }
    if (target.startsWith('sys_')) {
      problems.push(`${at}: "${target}" is a system field ServiceNow fills itself`);
      continue;
    }
    if (target === correlationField) {
      problems.push(`${at}: "${target}" is the correlation field; the adapter writes the call's reference there`);
      continue;
    }
    const first = byField.get(target);
    if (first !== undefined) {
      problems.push(`${at}: "${key}" and "${first}" both map to "${target}"; each field takes one key`);
      continue;
    }
    byField.set(target, key);
  }
  return problems;
}

/**
 * Parse and validate a mapping given as JSON text or as an object. Throws PARSE_ERROR for text
 * that is not JSON and INVALID_ARGUMENT listing every problem.
 *
 * @example
 * const mapping = parseServiceNowMapping({ ani: 'phone_number', callVariable1: 'u_account', wrapUpReason: 'u_wrap_up' });
 */
export function parseServiceNowMapping(input: unknown, path = 'servicenow.mapping', correlationField = 'correlation_id'): ServiceNowMapping {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input) as unknown;
    } catch (err) {
      throw new SwitchboardError(ErrorCode.PARSE_ERROR, `${path}: not valid JSON (${err instanceof Error ? err.message : String(err)})`, { cause: err });
    }
  }
  const problems = serviceNowMappingProblems(value, path, correlationField);
  if (problems.length > 0) throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, problems.join('; '));
  return Object.freeze(Object.fromEntries(Object.entries(value as Record<string, string>)));
}

/**
 * The ServiceNow fields of a write, in mapping order; a key the fields lack yields nothing, an
 * empty value is written as empty (it clears the field).
 *
 * @example
 * mapServiceNowFields({ ani: 'phone_number' }, { ani: '+41445550101', DNIS: '8005' }); // { phone_number: '+41445550101' }
 */
export function mapServiceNowFields(mapping: ServiceNowMapping, fields: PhoneCallFields): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, field] of Object.entries(mapping)) {
    if (Object.hasOwn(fields, key)) {
      const v = fields[key];
      if (v !== undefined) out[field] = v;
    }
  }
  return out;
}
