/**
 * @module sinks/log/common
 * What both store adapters share, so that they cannot disagree: the checks a record passes
 * before it is written, the query normalization and its errors, the keyset cursor, and the
 * redaction of credentials from database URLs, the checks and row mapping of the CRM directory.
 * Internal to `sinks/log`.
 */
import { ErrorCode, SwitchboardError } from '../../core/errors.js';
import { describeRecordProblem } from '../../core/guards.js';
import type { InteractionRecord } from '../../core/interaction.js';
import {
  DEFAULT_PAGE_SIZE,
  MAX_DIRECTORY_LOOKUP,
  MAX_PAGE_SIZE,
  type DirectoryEntryRow,
  type DirectoryMatch,
  type StoredPhoneCall,
  type DeadLetter,
  type OutboxClaim, type OutboxEntry, type OutboxInput, type OutboxMessage, type RecordFilter, type RecordQuery } from './store.js';

/** The columns a store indexes, taken from a valid record, and the record as JSON text. */
export interface RecordRow {
  id: string;
  agentId: string;
  source: string;
  startMs: number;
  endMs: number;
  json: string;
}

export interface NormalizedFilter {
  agentId?: string;
  fromMs?: number;
  beforeMs?: number;
}

export interface NormalizedQuery extends NormalizedFilter {
  limit: number;
  /** Keyset position: rows strictly after (older than, or same instant and smaller id). */
  after?: { endMs: number; id: string };
}

/** The instants a store can index: years 0001 to 9999 (PostgreSQL has no year 0). */
const MIN_MS = Date.parse('0001-01-01T00:00:00.000Z');
const MAX_MS = Date.parse('9999-12-31T23:59:59.999Z');

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * Milliseconds since the epoch of an ISO 8601 date-time with a time zone (`Z` or `±hh:mm`), or
 * undefined. Stricter than `Date.parse`, which reads a zone-less time as local time and rolls
 * 30 February over into March.
 */
export function parseIsoTime(text: string): number | undefined {
  const m = ISO_TIME.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return undefined;
  if (m[7] !== undefined && (Number(m[8]) > 23 || Number(m[9]) > 59)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) && ms >= MIN_MS && ms <= MAX_MS ? ms : undefined;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A key column must survive UTF-8 text columns unchanged (PostgreSQL refuses NUL in text). */
function keyProblem(value: string, field: string, allowEmpty: boolean): string | undefined {
  if (!allowEmpty && value === '') return `interaction record: "record.${field}" must not be empty`;
  if (value.includes('\u0000')) return `interaction record: "record.${field}" must not contain NUL characters`;
  if (LONE_SURROGATE.test(value)) return `interaction record: "record.${field}" must be well-formed Unicode (it has a lone surrogate)`;
  return undefined;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'object';
}

/**
 * What stops `value` from surviving JSON unchanged, or undefined: only null, booleans, finite
 * numbers, strings, arrays and plain objects do. An object property that is `undefined` is
 * allowed (it reads back absent, as an optional field should); an `undefined` array element is
 * not (JSON would turn it into null).
 */
function jsonProblem(value: unknown, path: string, seen: Set<object>, what = 'interaction record'): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${what}: "${path}" must be a finite number (got ${String(value)})`;
    case 'object': {
      if (value === null) return undefined;
      if (seen.has(value)) return `${what}: "${path}" refers back to itself (circular)`;
      seen.add(value);
      try {
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) {
            if (!(i in value) || value[i] === undefined) return `${what}: "${path}[${i}]" must not be undefined (JSON would store null)`;
            const p = jsonProblem(value[i], `${path}[${i}]`, seen, what);
            if (p !== undefined) return p;
          }
          return undefined;
        }
        const proto: unknown = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) return `${what}: "${path}" must be JSON data (got ${kindOf(value)})`;
        for (const [k, v] of Object.entries(value)) {
          if (v === undefined) continue;
          const p = jsonProblem(v, `${path}.${k}`, seen, what);
          if (p !== undefined) return p;
        }
        return undefined;
      } finally {
        seen.delete(value);
      }
    }
    default:
      return `${what}: "${path}" must be JSON data (got ${typeof value})`;
  }
}

/** What is wrong with a record a store is asked to save, or undefined. */
export function describeStoredRecordProblem(record: unknown): string | undefined {
  const problem = describeRecordProblem(record);
  if (problem !== undefined) return problem;
  const r = record as InteractionRecord;
  for (const field of ['startTime', 'endTime'] as const) {
    if (parseIsoTime(r[field]) === undefined) return `interaction record: "record.${field}" must be an ISO 8601 date-time with a time zone (got ${JSON.stringify(r[field])})`;
  }
  if (r.establishedTime !== undefined && parseIsoTime(r.establishedTime) === undefined) {
    return `interaction record: "record.establishedTime" must be an ISO 8601 date-time with a time zone (got ${JSON.stringify(r.establishedTime)})`;
  }
  return keyProblem(r.id, 'id', false) ?? keyProblem(r.agentId, 'agentId', true) ?? keyProblem(r.source, 'source', true) ?? jsonProblem(record, 'record', new Set());
}

/** The row to write for `record`, or an INVALID_ARGUMENT SwitchboardError naming the field. */
export function toRow(record: InteractionRecord): RecordRow {
  const problem = describeStoredRecordProblem(record);
  if (problem !== undefined) throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, problem);
  return {
    id: record.id,
    agentId: record.agentId,
    source: record.source,
    startMs: parseIsoTime(record.startTime) as number,
    endMs: parseIsoTime(record.endTime) as number,
    json: JSON.stringify(record),
  };
}

/** A stored record's JSON text back into a record. */
export function fromJson(json: string): InteractionRecord {
  return JSON.parse(json) as InteractionRecord;
}

function invalid(message: string): SwitchboardError {
  return new SwitchboardError(ErrorCode.INVALID_ARGUMENT, message);
}

function queryTime(value: unknown, key: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' ? parseIsoTime(value) : undefined;
  if (ms === undefined) throw invalid(`query: "${key}" must be an ISO 8601 date-time with a time zone (got ${JSON.stringify(value)})`);
  return ms;
}

export function normalizeFilter(filter: RecordFilter | undefined): NormalizedFilter {
  if (filter === undefined) return {};
  if (typeof filter !== 'object' || filter === null) throw invalid('query must be an object');
  const out: NormalizedFilter = {};
  if (filter.agentId !== undefined) {
    if (typeof filter.agentId !== 'string') throw invalid('query: "agentId" must be a string');
    out.agentId = filter.agentId;
  }
  const fromMs = queryTime(filter.endFrom, 'endFrom');
  const beforeMs = queryTime(filter.endBefore, 'endBefore');
  if (fromMs !== undefined) out.fromMs = fromMs;
  if (beforeMs !== undefined) out.beforeMs = beforeMs;
  return out;
}

export function normalizeQuery(query: RecordQuery | undefined): NormalizedQuery {
  const out: NormalizedQuery = { ...normalizeFilter(query), limit: DEFAULT_PAGE_SIZE };
  if (query?.limit !== undefined) {
    const limit = query.limit;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw invalid(`query: "limit" must be an integer from 1 to ${MAX_PAGE_SIZE} (got ${JSON.stringify(limit)})`);
    }
    out.limit = limit;
  }
  if (query?.cursor !== undefined) out.after = decodeCursor(query.cursor);
  return out;
}

/** An opaque cursor for the position after `row` in newest-first order. */
export function encodeCursor(row: { endMs: number; id: string }): string {
  return Buffer.from(JSON.stringify([row.endMs, row.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: unknown): { endMs: number; id: string } {
  const bad = () => invalid('query: "cursor" is not a cursor this store returned');
  if (typeof cursor !== 'string' || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(value) || value.length !== 2) throw bad();
  const [endMs, id] = value as unknown[];
  if (typeof endMs !== 'number' || !Number.isSafeInteger(endMs) || endMs < MIN_MS || endMs > MAX_MS || typeof id !== 'string') throw bad();
  return { endMs, id };
}

/** The cursor to hand out with a page, given the rows fetched (one more than the limit, if any). */
export function pageCursor(rows: readonly { endMs: number; id: string }[], limit: number): string | undefined {
  const last = rows[limit - 1];
  return rows.length > limit && last !== undefined ? encodeCursor(last) : undefined;
}

export function closedError(store: string): SwitchboardError {
  return new SwitchboardError(ErrorCode.INVALID_STATE, `${store} is closed`);
}

/** A promise of `fn()`: its value, or its exception as a rejection (for synchronous drivers). */
export function attempt<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

/**
 * A database URL fit for a message or a log: the password (in the userinfo or as a `password`
 * query parameter) replaced by `***`. Works on text that does not parse as a URL too.
 */
export function redactUrl(url: string): string {
  let out = url;
  const start = out.indexOf('//');
  if (start >= 0) {
    // The userinfo ends at the last '@' (a password may hold an unescaped '@', '/' or '#'); if
    // that over-reaches into a query holding '@', more is hidden than needed, never less.
    const rest = out.slice(start + 2);
    const at = rest.lastIndexOf('@');
    const colon = rest.indexOf(':');
    if (at >= 0 && colon >= 0 && colon < at) out = `${out.slice(0, start + 2)}${rest.slice(0, colon)}:***${rest.slice(at)}`;
  }
  return out.replace(/([?&](?:password|pass|pwd|sslpassword)=)[^&#]*/gi, '$1***');
}

/** `text` with every occurrence of the given secrets (non-empty ones) replaced by `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('***');
  return out;
}

/** An outbox message as it is written: checked, its payload as JSON text. */
export interface OutboxRow {
  callKey: string;
  kind: string;
  payload: string;
  notBefore: number | undefined;
}

const MAX_KIND = 200;

/** What is wrong with `messages[i]`, or undefined; the message names the index and the field. */
function outboxInputProblem(message: unknown, i: number): string | undefined {
  const at = `outbox message [${i}]`;
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return `${at} must be an object`;
  const m = message as Partial<OutboxInput>;
  if (typeof m.callKey !== 'string') return `${at}: "callKey" must be a string (the call's correlation id)`;
  if (typeof m.kind !== 'string') return `${at}: "kind" must be a string`;
  for (const [field, value] of [['callKey', m.callKey], ['kind', m.kind]] as const) {
    if (value === '') return `${at}: "${field}" must not be empty`;
    if (value.includes('\u0000')) return `${at}: "${field}" must not contain NUL characters`;
    if (LONE_SURROGATE.test(value)) return `${at}: "${field}" must be well-formed Unicode (it has a lone surrogate)`;
  }
  if (m.kind.length > MAX_KIND) return `${at}: "kind" must be at most ${MAX_KIND} characters`;
  if (m.notBefore !== undefined && (typeof m.notBefore !== 'number' || !Number.isSafeInteger(m.notBefore) || m.notBefore < 0)) {
    return `${at}: "notBefore" must be an integer number of ms since the epoch`;
  }
  if (m.payload === undefined) return `${at}: "payload" must be JSON data (got undefined)`;
  return jsonProblem(m.payload, 'payload', new Set(), at);
}

/** The rows to write for `messages`, or an INVALID_ARGUMENT SwitchboardError naming the field. */
export function toOutboxRows(messages: unknown): OutboxRow[] {
  if (!Array.isArray(messages)) throw invalid('outbox: the messages must be an array');
  return messages.map((message: unknown, i) => {
    const problem = outboxInputProblem(message, i);
    if (problem !== undefined) throw invalid(problem);
    const m = message as OutboxInput;
    return { callKey: m.callKey, kind: m.kind, payload: JSON.stringify(m.payload), notBefore: m.notBefore };
  });
}

/** The claim's arguments checked: INVALID_ARGUMENT naming the field. */
export function checkClaim(claim: OutboxClaim): OutboxClaim {
  if (typeof claim !== 'object' || claim === null) throw invalid('claim must be an object');
  if (typeof claim.owner !== 'string' || claim.owner === '' || claim.owner.includes('\u0000')) throw invalid('claim: "owner" must be a non-empty string without NUL');
  checkTime(claim.now, 'claim: "now"');
  if (!Number.isSafeInteger(claim.leaseMs) || claim.leaseMs < 1) throw invalid('claim: "leaseMs" must be a positive integer');
  if (!Number.isInteger(claim.limit) || claim.limit < 1 || claim.limit > MAX_PAGE_SIZE) throw invalid(`claim: "limit" must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  return claim;
}

/** An id as the store hands it out: decimal digits. Anything else names no message. */
export function isOutboxId(id: unknown): id is string {
  return typeof id === 'string' && /^[1-9][0-9]{0,14}$/.test(id);
}

export function checkTime(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalid(`${what} must be an integer number of ms since the epoch`);
  return value;
}

/** A listing's limit: 1 to {@link MAX_PAGE_SIZE}, default {@link DEFAULT_PAGE_SIZE}. */
export function listLimit(limit: unknown): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw invalid(`query: "limit" must be an integer from 1 to ${MAX_PAGE_SIZE} (got ${JSON.stringify(limit)})`);
  }
  return limit;
}

/** A listing's `afterId` as a number: 0 (from the start) when absent. */
export function afterIdOf(afterId: unknown): number {
  if (afterId === undefined) return 0;
  if (!isOutboxId(afterId)) throw invalid(`query: "afterId" must be an outbox id (got ${JSON.stringify(afterId)})`);
  return Number(afterId);
}

/** A listing's `callKey`, if any. */
export function callKeyOf(callKey: unknown): string | undefined {
  if (callKey === undefined) return undefined;
  if (typeof callKey !== 'string') throw invalid('query: "callKey" must be a string');
  return callKey;
}

/** The longest last error kept; the rest is cut (a CRM may answer with a whole HTML page). */
export const MAX_ERROR_TEXT = 2000;

/** An error text fit to store: credentials in URLs redacted, no NUL, cut to {@link MAX_ERROR_TEXT}. */
export function storedErrorText(text: unknown): string {
  const clean = redactUrlsIn(typeof text === 'string' ? text : String(text)).replaceAll('\u0000', '\uFFFD');
  const out = clean.length > MAX_ERROR_TEXT ? `${clean.slice(0, MAX_ERROR_TEXT - 1)}…` : clean;
  return out.replace(LONE_SURROGATE_GLOBAL, '\uFFFD');
}

const LONE_SURROGATE_GLOBAL = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `text` with the password of every URL in it (`scheme://user:password@host`) and every
 * `password=` style parameter replaced by `***`: for error messages, which may quote a URL.
 */
export function redactUrlsIn(text: string): string {
  return text
    .replace(/([A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@]*@/g, '$1:***@')
    .replace(/([?&](?:password|pass|pwd|sslpassword|access_token|client_secret)=)[^&#\s]*/gi, '$1***');
}

/** The common columns of an outbox or dead-letter row, as either adapter reads them. */
export interface OutboxRowRead {
  id: string | number;
  call_key: string;
  seq: string | number;
  kind: string;
  payload: string;
  attempts: string | number;
  created_ms: string | number;
}

export function toOutboxMessage(row: OutboxRowRead): OutboxMessage {
  return {
    id: String(row.id),
    callKey: row.call_key,
    seq: Number(row.seq),
    kind: row.kind,
    payload: JSON.parse(row.payload) as unknown,
    attempts: Number(row.attempts),
    createdAt: new Date(Number(row.created_ms)).toISOString(),
  };
}

export interface OutboxEntryRead extends OutboxRowRead {
  next_attempt_ms: string | number;
  lease_owner: string | null;
  lease_until_ms: string | number | null;
  last_error: string | null;
  delivered_ms: string | number | null;
  blocked_by: string | number | null;
}

/** An outbox row as listed; `now` decides whether a lease still holds. */
export function toOutboxEntry(row: OutboxEntryRead, now: number): OutboxEntry {
  const leaseUntil = row.lease_until_ms === null ? undefined : Number(row.lease_until_ms);
  const delivered = row.delivered_ms === null ? undefined : Number(row.delivered_ms);
  const state = delivered !== undefined ? 'delivered' : leaseUntil !== undefined && leaseUntil > now ? 'leased' : 'pending';
  const entry: OutboxEntry = { ...toOutboxMessage(row), state, nextAttemptAt: Number(row.next_attempt_ms), createdMs: Number(row.created_ms) };
  if (row.lease_owner !== null) entry.leaseOwner = row.lease_owner;
  if (leaseUntil !== undefined) entry.leaseUntil = leaseUntil;
  if (row.last_error !== null) entry.lastError = row.last_error;
  if (delivered !== undefined) entry.deliveredAt = delivered;
  if (row.blocked_by !== null) entry.blockedBy = String(row.blocked_by);
  return entry;
}

export interface DeadLetterRead extends OutboxRowRead {
  last_error: string;
  dead_ms: string | number;
}

export function toDeadLetter(row: DeadLetterRead): DeadLetter {
  return { ...toOutboxMessage(row), createdMs: Number(row.created_ms), lastError: row.last_error, deadAt: Number(row.dead_ms) };
}

/** The last error a claim records for a message whose previous lease ran out. */
export function leaseExpiredText(owner: string): string {
  return storedErrorText(`lease of ${owner} expired before the attempt was settled (the process stopped or hung mid-delivery)`);
}

/** The ids to retry, checked: an array of outbox ids, or 'all'. */
export function checkRetryIds(ids: unknown): string[] | 'all' {
  if (ids === 'all') return 'all';
  if (!Array.isArray(ids)) throw invalid('retry: the ids must be an array of outbox ids, or "all"');
  for (const id of ids) if (!isOutboxId(id)) throw invalid(`retry: ${JSON.stringify(id)} is not an outbox id`);
  return ids as string[];
}

// ---- CRM directory (migration 3) ----

/** A text column value both databases keep unchanged: no NUL (PostgreSQL refuses it), well-formed Unicode. */
function textProblem(value: unknown, what: string, allowEmpty: boolean): string | undefined {
  if (typeof value !== 'string') return `${what} must be a string`;
  if (!allowEmpty && value === '') return `${what} must not be empty`;
  if (value.includes('\u0000')) return `${what} must not contain NUL characters`;
  if (LONE_SURROGATE.test(value)) return `${what} must be well-formed Unicode (it has a lone surrogate)`;
  return undefined;
}

const E164 = /^\+[1-9][0-9]{1,14}$/;

/** A directory entry as it is written: checked, numbers deduplicated, phones as JSON text. */
export interface DirectoryRow {
  id: string;
  name: string;
  recordType: string;
  phones: string;
  numbers: string[];
}

/** The rows to write for `entries`, or an INVALID_ARGUMENT SwitchboardError naming the entry and field. */
export function toDirectoryRows(entries: unknown): DirectoryRow[] {
  if (!Array.isArray(entries)) throw invalid('directory: the entries must be an array');
  return entries.map((entry: unknown, i) => {
    const at = `directory entry [${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw invalid(`${at} must be an object`);
    const e = entry as Partial<DirectoryEntryRow>;
    const problem = textProblem(e.id, `${at}: "id"`, false) ?? textProblem(e.name, `${at}: "name"`, true) ?? textProblem(e.recordType, `${at}: "recordType"`, false);
    if (problem !== undefined) throw invalid(problem);
    if (!Array.isArray(e.phones)) throw invalid(`${at}: "phones" must be an array of strings`);
    e.phones.forEach((p: unknown, j) => {
      const q = textProblem(p, `${at}: "phones[${j}]"`, true);
      if (q !== undefined) throw invalid(q);
    });
    if (!Array.isArray(e.numbers)) throw invalid(`${at}: "numbers" must be an array of E.164 numbers`);
    e.numbers.forEach((n: unknown, j) => {
      if (typeof n !== 'string' || !E164.test(n)) throw invalid(`${at}: "numbers[${j}]" must be an E.164 number like +41445550101 (got ${JSON.stringify(n)})`);
    });
    return { id: e.id as string, name: e.name as string, recordType: e.recordType as string, phones: JSON.stringify(e.phones), numbers: [...new Set(e.numbers as string[])] };
  });
}

/**
 * The rows of {@link toDirectoryRows}, one per id (the last one written wins) in code point
 * order of the id: concurrent writers then lock rows in one order and never deadlock.
 */
export function toDirectoryRowsById(entries: unknown): DirectoryRow[] {
  const byId = new Map<string, DirectoryRow>();
  for (const row of toDirectoryRows(entries)) byId.set(row.id, row);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A directory entry id to remove, checked. */
export function checkDirectoryId(id: unknown): string {
  const problem = textProblem(id, 'directory: "id"', false);
  if (problem !== undefined) throw invalid(problem);
  return id as string;
}

/** A lookup's numbers and limit, checked: E.164 numbers (deduplicated) and 0 to {@link MAX_DIRECTORY_LOOKUP}. */
export function checkDirectoryLookup(numbers: unknown, limit: unknown): { numbers: string[]; limit: number } {
  if (!Array.isArray(numbers)) throw invalid('directory lookup: the numbers must be an array of E.164 numbers');
  numbers.forEach((n: unknown, i) => {
    if (typeof n !== 'string' || !E164.test(n)) throw invalid(`directory lookup: "numbers[${i}]" must be an E.164 number like +41445550101 (got ${JSON.stringify(n)})`);
  });
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > MAX_DIRECTORY_LOOKUP) {
    throw invalid(`directory lookup: "limit" must be an integer from 0 to ${MAX_DIRECTORY_LOOKUP} (got ${JSON.stringify(limit)})`);
  }
  return { numbers: [...new Set(numbers as string[])], limit };
}

/** A phone call's key and id, checked (the records port checks the key's finer rules). */
export function checkPhoneCallKey(callKey: unknown, what = 'phone call: "callKey"'): string {
  const problem = textProblem(callKey, what, false);
  if (problem !== undefined) throw invalid(problem);
  return callKey as string;
}

/** A phone call's fields as JSON text: an object of strings, or INVALID_ARGUMENT naming the field. */
export function phoneCallFieldsJson(fields: unknown): string {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw invalid('phone call: "fields" must be an object of strings');
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value !== 'string') throw invalid(`phone call: "fields[${JSON.stringify(key)}]" must be a string (got ${value === null ? 'null' : typeof value})`);
  }
  return JSON.stringify(fields);
}

/** `fields` merged into the stored JSON text: later values win, first keys keep their place. */
export function mergeFieldsJson(stored: string, fields: string): string {
  return JSON.stringify({ ...(JSON.parse(stored) as Record<string, string>), ...(JSON.parse(fields) as Record<string, string>) });
}

/** A record to associate, checked and copied to its three fields. */
export function checkDirectoryMatch(record: unknown): DirectoryMatch {
  if (typeof record !== 'object' || record === null) throw invalid('association: the record must be an object { id, name, recordType }');
  const r = record as Partial<DirectoryMatch>;
  const problem = textProblem(r.id, 'association: "id"', false) ?? textProblem(r.name, 'association: "name"', true) ?? textProblem(r.recordType, 'association: "recordType"', false);
  if (problem !== undefined) throw invalid(problem);
  return { id: r.id as string, name: r.name as string, recordType: r.recordType as string };
}

/** `record` added to the stored associations unless there (same id and type); undefined when it was. */
export function addAssociationJson(stored: string, record: DirectoryMatch): string | undefined {
  const list = JSON.parse(stored) as DirectoryMatch[];
  if (list.some((r) => r.id === record.id && r.recordType === record.recordType)) return undefined;
  return JSON.stringify([...list, record]);
}

/** A phone-call row as either adapter reads it. */
export interface PhoneCallRead {
  call_key: string;
  id: string;
  fields: string;
  associations: string;
  writes: string | number;
  created_ms: string | number;
  updated_ms: string | number;
}

export function toStoredPhoneCall(row: PhoneCallRead): StoredPhoneCall {
  return {
    callKey: row.call_key,
    id: row.id,
    fields: JSON.parse(row.fields) as Record<string, string>,
    associations: JSON.parse(row.associations) as DirectoryMatch[],
    writes: Number(row.writes),
    createdMs: Number(row.created_ms),
    updatedMs: Number(row.updated_ms),
  };
}
