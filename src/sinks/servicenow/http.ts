/**
 * @module sinks/servicenow/http
 * One Table API request and everything that can go wrong with it, turned into a CrmError the
 * outbox can act on: 429 (with the wait from `Retry-After`, in seconds or as an HTTP date, else
 * from `X-RateLimit-Reset`), 5xx, timeouts (on the injected clock), refused and reset
 * connections (retryable); 4xx, ServiceNow's error JSON `{"error":{"message","detail"},
 * "status":"failure"}`, HTML or garbage where JSON belongs, an answer without `result` (not
 * retryable). The rate-limit window the server announces (`X-RateLimit-Remaining: 0` until
 * `X-RateLimit-Reset`) is honoured before sending: a request that would only be refused fails
 * at once with the time to wait. Credentials are scrubbed from every message and log line.
 */
import type { Clock } from '../../core/clock.js';
import { CrmError, CrmErrorKind } from '../records/errors.js';
import type { ServiceNowAuth } from './settings.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface TableRequest {
  method: Method;
  table: string;
  sysId?: string | undefined;
  params?: Record<string, string> | undefined;
  body?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
}

export interface TableResponse {
  status: number;
  headers: Headers;
  /** The parsed `result` (undefined for 204). */
  result: unknown;
}

/** The rate-limit window as the server last announced it. */
export interface RateLimitState {
  limit?: number;
  remaining?: number;
  /** Epoch ms when the window resets. */
  resetAt?: number;
}

export interface TableClientOptions {
  baseUrl: string;
  auth: ServiceNowAuth;
  clock: Clock;
  timeoutMs: number;
  retryUnauthorized: boolean;
  fetch: typeof globalThis.fetch;
  log?: ((line: string) => void) | undefined;
}

/** Seconds or an HTTP date (RFC 9110 §10.2.3) → ms from `now`; undefined when unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** `X-RateLimit-Reset` (UNIX seconds, as ServiceNow sends it; ms accepted when obviously ms) → epoch ms. */
export function parseRateLimitReset(value: string | null): number | undefined {
  if (value === null || !/^\d+(\.\d+)?$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return n > 1e12 ? n : n * 1000;
}

function intHeader(h: Headers, name: string): number | undefined {
  const v = h.get(name);
  if (v === null || !/^\d+$/.test(v.trim())) return undefined;
  return Number(v.trim());
}

/** A snippet of a body for a message: one line, at most 80 characters. */
function snippet(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(one.length > 80 ? `${one.slice(0, 80)}…` : one);
}

class Timeout extends Error {}

/**
 * Table API requests with typed failures.
 *
 * @example
 * const client = new TableClient({ baseUrl, auth, clock: systemClock, timeoutMs: 10_000, retryUnauthorized: false, fetch });
 * const { result } = await client.request({ method: 'GET', table: 'sys_user', params: { sysparm_limit: '1' } });
 */
export class TableClient {
  private readonly o: TableClientOptions;
  private readonly secrets = new Set<string>();
  private window: RateLimitState = {};

  constructor(options: TableClientOptions) {
    this.o = options;
    if (options.auth.type === 'basic') {
      this.addSecret(options.auth.password);
      this.addSecret(Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64'));
    } else if (typeof options.auth.token === 'string') this.addSecret(options.auth.token);
  }

  /** The rate-limit window last announced by the server. */
  get rateLimit(): RateLimitState {
    return { ...this.window };
  }

  private addSecret(s: string): void {
    if (s.length < 3) return; // too short to scrub without mangling every message
    this.secrets.add(s);
    this.secrets.add(encodeURIComponent(s));
  }

  /** `text` with every credential replaced by `***`. */
  scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('***');
    return out;
  }

  private error(kind: CrmErrorKind, message: string, o: { retryable: boolean; retryAfterMs?: number | undefined; status?: number | undefined; cause?: unknown }): CrmError {
    const cause = o.cause === undefined ? undefined : new Error(this.scrub(o.cause instanceof Error ? o.cause.message : typeof o.cause === 'string' ? o.cause : 'unknown cause'));
    return new CrmError(kind, this.scrub(message), { retryable: o.retryable, retryAfterMs: o.retryAfterMs, status: o.status, cause });
  }

  private async authorization(): Promise<string> {
    const auth = this.o.auth;
    if (auth.type === 'basic') return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    let token: string;
    try {
      token = typeof auth.token === 'string' ? auth.token : await auth.token();
    } catch (err) {
      // The provider's own message may quote a token we have never seen: name the error only.
      const code = (err as { code?: unknown }).code;
      const what = `${err instanceof Error ? err.name : typeof err}${typeof code === 'string' ? ` ${code}` : ''}`;
      throw this.error(CrmErrorKind.AUTH, `ServiceNow: the bearer token function failed (${what}; its message is not shown, it may hold a credential)`, { retryable: true });
    }
    if (typeof token !== 'string' || token === '') throw this.error(CrmErrorKind.AUTH, 'ServiceNow: the bearer token function returned no token', { retryable: false });
    this.addSecret(token);
    return `Bearer ${token}`;
  }

  private noteRateLimit(h: Headers): void {
    const limit = intHeader(h, 'x-ratelimit-limit');
    const remaining = intHeader(h, 'x-ratelimit-remaining');
    const resetAt = parseRateLimitReset(h.get('x-ratelimit-reset'));
    if (limit === undefined && remaining === undefined && resetAt === undefined) return;
    this.window = {
      ...(limit !== undefined ? { limit } : {}),
      ...(remaining !== undefined ? { remaining } : {}),
      ...(resetAt !== undefined ? { resetAt } : {}),
    };
  }

  /** Sends one request; resolves with the parsed `result` or rejects with a CrmError. */
  async request(r: TableRequest): Promise<TableResponse> {
    const path = `/api/now/table/${encodeURIComponent(r.table)}${r.sysId === undefined ? '' : `/${encodeURIComponent(r.sysId)}`}`;
    const what = `ServiceNow ${r.method} ${path}`;
    const now = this.o.clock.now();
    const w = this.window;
    if (w.remaining === 0 && w.resetAt !== undefined && now < w.resetAt) {
      throw this.error(CrmErrorKind.RATE_LIMITED, `${what}: not sent, the rate limit of ${w.limit ?? '?'} requests is used up until ${new Date(w.resetAt).toISOString()} (X-RateLimit-Reset)`, {
        retryable: true,
        retryAfterMs: w.resetAt - now,
      });
    }
    const query = new URLSearchParams(r.params ?? {}).toString();
    const url = `${this.o.baseUrl}${path}${query === '' ? '' : `?${query}`}`;
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: await this.authorization() };
    if (r.body !== undefined) headers['Content-Type'] = 'application/json';

    const controller = new AbortController();
    let timedOut = false;
    const timer = this.o.clock.setTimeout(() => {
      timedOut = true;
      controller.abort(new Timeout('timeout'));
    }, this.o.timeoutMs);
    const onAbort = (): void => controller.abort(r.signal?.reason);
    if (r.signal?.aborted === true) controller.abort(r.signal.reason);
    r.signal?.addEventListener('abort', onAbort, { once: true });
    const started = this.o.clock.now();
    let status = 0;
    let res: Response;
    let text: string;
    try {
      res = await this.o.fetch(url, { method: r.method, headers, body: r.body === undefined ? undefined : JSON.stringify(r.body), signal: controller.signal, redirect: 'manual' });
      status = res.status;
      text = await res.text();
    } catch (err) {
      const unsure = r.method === 'GET' ? '' : '; it may or may not have been applied';
      if (timedOut) {
        this.o.log?.(`${r.method} ${path} timeout after ${this.o.timeoutMs} ms`);
        throw this.error(CrmErrorKind.TIMEOUT, `${what}: no ${status === 0 ? 'answer' : 'whole answer'} within ${this.o.timeoutMs} ms${unsure}`, { retryable: true, status: status || undefined });
      }
      if (r.signal?.aborted === true) throw this.error(CrmErrorKind.CONNECTION, `${what}: aborted by the caller${unsure}`, { retryable: true, cause: err });
      const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
      const detail = [cause?.message, cause?.code].filter((x) => typeof x === 'string' && x !== '').join(', ') || (err instanceof Error ? err.message : String(err));
      this.o.log?.(`${r.method} ${path} connection failed (${this.scrub(detail)})`);
      throw this.error(CrmErrorKind.CONNECTION, `${what}: connection failed (${detail})${unsure}`, { retryable: true, status: status || undefined, cause: err });
    } finally {
      this.o.clock.clearTimeout(timer);
      r.signal?.removeEventListener('abort', onAbort);
    }
    this.o.log?.(`${r.method} ${path} ${status} in ${this.o.clock.now() - started} ms`);
    this.noteRateLimit(res.headers);
    return this.interpret(what, res, text);
  }

  private interpret(what: string, res: Response, text: string): TableResponse {
    const status = res.status;
    const type = res.headers.get('content-type') ?? 'no content type';
    let json: unknown;
    let parsed = false;
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
        parsed = true;
      } catch {
        // described below
      }
    }
    if (status >= 200 && status < 300) {
      if (status === 204) return { status, headers: res.headers, result: undefined };
      if (!parsed) {
        throw this.error(CrmErrorKind.MALFORMED, `${what}: HTTP ${status} answered ${type}, not JSON: ${snippet(text)}`, { retryable: false, status });
      }
      if (typeof json !== 'object' || json === null || !('result' in json)) {
        throw this.error(CrmErrorKind.MALFORMED, `${what}: HTTP ${status} answered JSON without "result": ${snippet(text)}`, { retryable: false, status });
      }
      return { status, headers: res.headers, result: json.result };
    }
    // An error: ServiceNow's error JSON when there is one, else what came instead.
    const e = parsed && typeof json === 'object' && json !== null ? (json as { error?: { message?: unknown; detail?: unknown } }).error : undefined;
    const said =
      e !== undefined && typeof e === 'object' && e !== null
        ? `"${typeof e.message === 'string' ? e.message : JSON.stringify(e.message ?? '')}"${typeof e.detail === 'string' && e.detail !== '' ? ` (${e.detail})` : ''}`
        : text.trim() === ''
          ? 'an empty body'
          : `${type} instead of ServiceNow's error JSON: ${snippet(text)}`;
    const now = this.o.clock.now();
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now) ?? (status === 429 ? this.resetIn(now) : undefined);
    if (status === 429) return this.fail(CrmErrorKind.RATE_LIMITED, `${what}: HTTP 429 rate limited, ${said}`, true, status, retryAfterMs);
    if (status >= 500 && status <= 504) return this.fail(CrmErrorKind.SERVER, `${what}: HTTP ${status}, ${said}`, true, status, retryAfterMs);
    if (status >= 500) return this.fail(CrmErrorKind.SERVER, `${what}: HTTP ${status}, ${said}`, false, status, undefined);
    if (status === 401) return this.fail(CrmErrorKind.AUTH, `${what}: HTTP 401 not authenticated, ${said}`, this.o.retryUnauthorized, status, retryAfterMs);
    if (status === 403) return this.fail(CrmErrorKind.AUTH, `${what}: HTTP 403 forbidden, ${said}`, false, status, undefined);
    if (status === 404) return this.fail(CrmErrorKind.NOT_FOUND, `${what}: HTTP 404, ${said}`, false, status, undefined);
    if (status === 408) return this.fail(CrmErrorKind.TIMEOUT, `${what}: HTTP 408, ${said}`, true, status, retryAfterMs);
    if (status >= 300 && status < 400) return this.fail(CrmErrorKind.MALFORMED, `${what}: HTTP ${status} redirect to ${res.headers.get('location') ?? '?'} (wrong instance URL?)`, false, status, undefined);
    return this.fail(CrmErrorKind.REFUSED, `${what}: HTTP ${status}, ${said}`, false, status, undefined);
  }

  private resetIn(now: number): number | undefined {
    return this.window.resetAt === undefined ? undefined : Math.max(0, this.window.resetAt - now);
  }

  private fail(kind: CrmErrorKind, message: string, retryable: boolean, status: number, retryAfterMs: number | undefined): never {
    throw this.error(kind, message, { retryable, status, retryAfterMs });
  }
}
