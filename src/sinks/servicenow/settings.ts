/**
 * @module sinks/servicenow/settings
 * The adapter's options and their check at construction: every problem names its key
 * (`servicenow.instanceUrl`, `servicenow.lookup.tables[1].table`, ...) and no message ever
 * repeats a credential — a password in the instance URL is refused without being echoed.
 */
import type { Clock } from '../../core/clock.js';
import { invalidInput } from '../records/errors.js';
import { isCountryCode, type PhoneOptions } from '../records/phone.js';
import { isServiceNowName, parseServiceNowMapping, DEFAULT_SERVICENOW_MAPPING, type ServiceNowMapping } from './mapping.js';

/** Basic authentication, or an OAuth bearer token (a function is asked before every request, so it may refresh). */
export type ServiceNowAuth = { type: 'basic'; username: string; password: string } | { type: 'bearer'; token: string | (() => string | Promise<string>) };

/** A table the caller is looked up in. */
export interface LookupTable {
  /** `customer_contact`, `sys_user`, `account`, ... */
  table: string;
  /** Fields holding phone numbers (default `phone`, `mobile_phone`). */
  phoneFields?: string[];
  /** Field shown as the record's name (default `name`). */
  nameField?: string;
  /** The `recordType` of the records found (default: the table name, as seed 001 says). */
  recordType?: string;
}

export interface ServiceNowOptions {
  /** `https://<instance>.service-now.com` (no path beyond the instance, no credentials). */
  instanceUrl: string;
  auth: ServiceNowAuth;
  lookup?: {
    /** Default `customer_contact` then `sys_user`, each by `phone` and `mobile_phone`. */
    tables?: LookupTable[];
    /** Most records one lookup returns; more matches are an error (or cut, per call). Default 50. */
    limit?: number;
  };
  phoneCall?: {
    /** The phone-call table. Default `u_phone_call` (a custom table; see docs/servicenow.md). */
    table?: string;
    /** Field holding the call's correlation id (ExternalReferenceID). Default `correlation_id`. */
    correlationField?: string;
    /** `{ "<workitem/CTI key>": "<servicenow field>" }` (JSON text or object). Default {@link DEFAULT_SERVICENOW_MAPPING}. */
    mapping?: Record<string, string> | string;
    /** Reference field of the phone-call table per record type, for associate. Default `customer_contact → contact`, `sys_user → caller`. */
    associationFields?: Record<string, string>;
  };
  /** How phone numbers are read (the country of national numbers). */
  phone?: PhoneOptions;
  /** Per request, from sending to the whole answer. Default 10 000 ms. */
  timeoutMs?: number;
  /** Treat 401 as retryable (a token about to be refreshed). Default false. */
  retryUnauthorized?: boolean;
  /** Time for timeouts and rate-limit windows. Default the system clock. */
  clock?: Clock;
  /** Default the global fetch (Node 20). */
  fetch?: typeof globalThis.fetch;
  /** One line per request (method, path, status, duration); never credentials or bodies. */
  log?: (line: string) => void;
}

/** The options checked and filled in. */
export interface ServiceNowSettings {
  baseUrl: string;
  lookupTables: Required<LookupTable>[];
  lookupLimit: number;
  phoneCallTable: string;
  correlationField: string;
  mapping: ServiceNowMapping;
  associationFields: Readonly<Record<string, string>>;
  phone: PhoneOptions;
  timeoutMs: number;
  retryUnauthorized: boolean;
}

const DEFAULT_LOOKUP: Required<LookupTable>[] = [
  { table: 'customer_contact', phoneFields: ['phone', 'mobile_phone'], nameField: 'name', recordType: 'customer_contact' },
  { table: 'sys_user', phoneFields: ['phone', 'mobile_phone'], nameField: 'name', recordType: 'sys_user' },
];

/**
 * Checks the options; throws one INVALID_ARGUMENT CrmError listing every problem.
 *
 * @example
 * const settings = serviceNowSettings({ instanceUrl: 'https://dev1234.service-now.com', auth: { type: 'basic', username: 'svc', password: 'pw' } });
 */
export function serviceNowSettings(o: ServiceNowOptions, path = 'servicenow'): ServiceNowSettings {
  const problems: string[] = [];
  let baseUrl = '';
  try {
    const u = new URL(o.instanceUrl);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') problems.push(`${path}.instanceUrl: must be an http(s) URL (got ${u.protocol})`);
    if (u.username !== '' || u.password !== '') problems.push(`${path}.instanceUrl: must not carry credentials; give them in ${path}.auth`);
    if (u.search !== '' || u.hash !== '') problems.push(`${path}.instanceUrl: must not have a query or fragment`);
    baseUrl = `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    problems.push(`${path}.instanceUrl: not an absolute URL (expected https://<instance>.service-now.com)`);
  }
  const auth = o.auth as ServiceNowAuth | undefined;
  if (auth === undefined || (auth.type !== 'basic' && auth.type !== 'bearer')) problems.push(`${path}.auth: expected {type: "basic", username, password} or {type: "bearer", token}`);
  else if (auth.type === 'basic' && (typeof auth.username !== 'string' || auth.username === '' || auth.username.includes(':') || typeof auth.password !== 'string')) {
    problems.push(`${path}.auth: basic needs a username (without ":") and a password`);
  } else if (auth.type === 'bearer' && typeof auth.token !== 'function' && (typeof auth.token !== 'string' || auth.token === '')) problems.push(`${path}.auth: bearer needs a token or a function returning one`);

  const lookupTables: Required<LookupTable>[] = [];
  (o.lookup?.tables ?? DEFAULT_LOOKUP).forEach((t, i) => {
    const at = `${path}.lookup.tables[${i}]`;
    const phoneFields = t.phoneFields ?? ['phone', 'mobile_phone'];
    const nameField = t.nameField ?? 'name';
    if (!isServiceNowName(t.table)) problems.push(`${at}.table: "${t.table}" is not a ServiceNow table name`);
    if (phoneFields.length === 0) problems.push(`${at}.phoneFields: at least one field`);
    for (const f of phoneFields) if (!isServiceNowName(f)) problems.push(`${at}.phoneFields: "${f}" is not a ServiceNow field name`);
    if (!isServiceNowName(nameField)) problems.push(`${at}.nameField: "${nameField}" is not a ServiceNow field name`);
    lookupTables.push({ table: t.table, phoneFields: [...phoneFields], nameField, recordType: t.recordType ?? t.table });
  });
  const lookupLimit = o.lookup?.limit ?? 50;
  if (!Number.isInteger(lookupLimit) || lookupLimit < 1 || lookupLimit > 10_000) problems.push(`${path}.lookup.limit: an integer from 1 to 10000 (got ${String(lookupLimit)})`);

  const phoneCallTable = o.phoneCall?.table ?? 'u_phone_call';
  if (!isServiceNowName(phoneCallTable)) problems.push(`${path}.phoneCall.table: "${phoneCallTable}" is not a ServiceNow table name`);
  const correlationField = o.phoneCall?.correlationField ?? 'correlation_id';
  if (!isServiceNowName(correlationField) || correlationField.startsWith('sys_')) problems.push(`${path}.phoneCall.correlationField: "${correlationField}" is not a writable ServiceNow field name`);
  let mapping: ServiceNowMapping = DEFAULT_SERVICENOW_MAPPING;
  if (o.phoneCall?.mapping !== undefined) {
    try {
      mapping = parseServiceNowMapping(o.phoneCall.mapping, `${path}.phoneCall.mapping`, correlationField);
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  const associationFields = o.phoneCall?.associationFields ?? { customer_contact: 'contact', sys_user: 'caller' };
  for (const [type, field] of Object.entries(associationFields)) {
    if (typeof field !== 'string' || !isServiceNowName(field) || field.startsWith('sys_') || field === correlationField) {
      problems.push(`${path}.phoneCall.associationFields[${JSON.stringify(type)}]: "${String(field)}" is not a writable ServiceNow field name`);
    }
  }
  const phone = o.phone ?? {};
  if (phone.country !== undefined && !isCountryCode(phone.country)) problems.push(`${path}.phone.country: "${String(phone.country)}" is not an ISO 3166-1 alpha-2 country code`);
  const timeoutMs = o.timeoutMs ?? 10_000;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) problems.push(`${path}.timeoutMs: a number of milliseconds > 0`);
  if (problems.length > 0) throw invalidInput(problems.join('; '));
  return {
    baseUrl,
    lookupTables,
    lookupLimit,
    phoneCallTable,
    correlationField,
    mapping,
    associationFields: Object.freeze({ ...associationFields }),
    phone,
    timeoutMs,
    retryUnauthorized: o.retryUnauthorized ?? false,
  };
}
