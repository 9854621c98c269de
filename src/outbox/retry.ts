/**
 * @module outbox/retry
 * How the outbox worker judges a failed delivery and when it tries again (docs/outbox.md): the
 * deliverer's thrown value is classified by duck typing — the ServiceNow adapter and any other
 * deliverer only have to put `retryable` and `retryAfterMs` on what they throw — and the next
 * attempt comes after an exponential backoff with full jitter, capped, never earlier than a
 * `Retry-After` the CRM asked for. Pure functions: the random source is passed in.
 */
import { ErrorCode, isSwitchboardError } from '../core/errors.js';
import { storedErrorText } from '../sinks/log/common.js';
import { seededRandom } from '../core/random.js';

/** What a failed delivery means for the message. */
export interface DeliveryFailure {
  /** Try again later (true), or dead-letter it now (false). */
  retryable: boolean;
  /** The CRM's `Retry-After`, ms: the next attempt comes no earlier. */
  retryAfterMs?: number;
  /** The error's own message, credentials in URLs redacted, for `last_error`. */
  message: string;
}

/** SwitchboardError codes that say "try again": the rest mean the message itself is wrong. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([ErrorCode.TIMEOUT, ErrorCode.NOT_CONNECTED, ErrorCode.INTERNAL]);

function own(value: object, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Classify what a deliverer threw:
 * - an own boolean `retryable` property decides;
 * - otherwise a SwitchboardError (by shape) is retryable for TIMEOUT, NOT_CONNECTED and
 *   INTERNAL, not for any other code;
 * - anything else is retryable (a network error, a bug that may be fixed by a restart).
 * An own finite, non-negative number `retryAfterMs` is the earliest next attempt.
 *
 * @example
 * const err = Object.assign(new Error('429 Too Many Requests'), { retryable: true, retryAfterMs: 30_000 });
 * classifyDeliveryError(err); // { retryable: true, retryAfterMs: 30000, message: '429 Too Many Requests' }
 */
export function classifyDeliveryError(error: unknown): DeliveryFailure {
  const isObject = typeof error === 'object' && error !== null;
  let retryable = true;
  const flag = isObject ? own(error, 'retryable') : undefined;
  if (typeof flag === 'boolean') retryable = flag;
  else if (isSwitchboardError(error)) retryable = RETRYABLE_CODES.has(error.code);
  const out: DeliveryFailure = { retryable, message: errorText(error) };
  const after = isObject ? own(error, 'retryAfterMs') : undefined;
  if (typeof after === 'number' && Number.isFinite(after) && after >= 0) out.retryAfterMs = Math.ceil(after);
  return out;
}

/** The message an error carries (with its code when it has one), fit to store. */
export function errorText(error: unknown): string {
  let text: string;
  if (error instanceof Error || (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string')) {
    const e = error as { message: string; code?: unknown; name?: unknown };
    const label = typeof e.code === 'string' && e.code !== '' ? e.code : typeof e.name === 'string' && e.name !== '' ? e.name : 'Error';
    text = e.message === '' ? label : `${label}: ${e.message}`;
  } else if (typeof error === 'string') {
    text = error;
  } else {
    try {
      text = `thrown: ${JSON.stringify(error) ?? String(error)}`;
    } catch {
      text = `thrown: ${Object.prototype.toString.call(error)}`;
    }
  }
  return storedErrorText(text);
}

export interface BackoffPolicy {
  /** The first retry's ceiling, ms. Default 1000. */
  baseMs?: number;
  /** No ceiling above this, ms. Default 300000 (5 minutes). */
  maxMs?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffPolicy> = { baseMs: 1000, maxMs: 300_000 };

/** The backoff ceiling after attempt `attempt` (1 = the first failed): min(max, base·2^(attempt−1)). */
export function backoffCeiling(attempt: number, policy: BackoffPolicy = {}): number {
  const base = policy.baseMs ?? DEFAULT_BACKOFF.baseMs;
  const max = policy.maxMs ?? DEFAULT_BACKOFF.maxMs;
  const exp = Math.max(0, Math.min(attempt - 1, 62));
  return Math.min(max, base * 2 ** exp);
}

/**
 * How long to wait after failed attempt `attempt` (1-based), ms:
 * - without Retry-After: full jitter, `random() × ceiling(attempt)`, so in [0, ceiling);
 * - with Retry-After `r`: `r + random() × min(r, ceiling(attempt))`, so in [r, 2r): never
 *   earlier than asked, and many clients told the same `r` do not all come back at once.
 * `random` returns numbers in [0, 1) (Math.random, or a seeded one in tests).
 *
 * @example
 * retryDelay(3, undefined, () => 0.5); // 2000: half of min(300000, 1000·2²)
 * retryDelay(1, 30_000, () => 0.5);    // 30500: 30000 + 0.5·min(30000, 1000)
 */
export function retryDelay(attempt: number, retryAfterMs: number | undefined, random: () => number, policy: BackoffPolicy = {}): number {
  const ceiling = backoffCeiling(attempt, policy);
  const u = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
  if (retryAfterMs === undefined) return Math.floor(u * ceiling);
  return retryAfterMs + Math.floor(u * Math.min(retryAfterMs, ceiling));
}

/**
 * A seeded random source in [0, 1) (core/random, mulberry32): the same seed, the same
 * sequence. For tests and reproducible benchmarks: `new OutboxWorker({ ..., random: seededRandom(42) })`.
 */
export { seededRandom };
