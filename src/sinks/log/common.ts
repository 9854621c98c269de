/**
 * @module sinks/log/common
 * What both store adapters share, so that they cannot disagree: the checks a record passes
 * before it is written, the query normalization and its errors, the keyset cursor, and the
 * redaction of credentials from database URLs. Internal to `sinks/log`.
 */
import { ErrorCode, SwitchboardError } from '../../core/errors.js';
import { describeRecordProblem } from '../../core/guards.js';
import type { InteractionRecord } from '../../core/interaction.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type RecordFilter, type RecordQuery } from './store.js';

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
function jsonProblem(value: unknown, path: string, seen: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `interaction record: "${path}" must be a finite number (got ${String(value)})`;
    case 'object': {
      if (value === null) return undefined;
      if (seen.has(value)) return `interaction record: "${path}" refers back to itself (circular)`;
      seen.add(value);
      try {
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) {
            if (!(i in value) || value[i] === undefined) return `interaction record: "${path}[${i}]" must not be undefined (JSON would store null)`;
            const p = jsonProblem(value[i], `${path}[${i}]`, seen);
            if (p !== undefined) return p;
          }
          return undefined;
        }
        const proto: unknown = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) return `interaction record: "${path}" must be JSON data (got ${kindOf(value)})`;
        for (const [k, v] of Object.entries(value)) {
          if (v === undefined) continue;
          const p = jsonProblem(v, `${path}.${k}`, seen);
          if (p !== undefined) return p;
        }
        return undefined;
      } finally {
        seen.delete(value);
      }
    }
    default:
      return `interaction record: "${path}" must be JSON data (got ${typeof value})`;
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
