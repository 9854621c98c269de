/**
 * @module sinks/records/errors
 * The error a CRM adapter throws, shared with the outbox that delivers its writes. It is a
 * {@link SwitchboardError} (one error model, checked by code) that also says what the outbox
 * must do next: `retryable` (try again later: 429, 5xx, timeouts, resets) or not (refused,
 * malformed, too broad), `retryAfterMs` when the server named a time (Retry-After,
 * X-RateLimit-Reset), the HTTP `status` when there was one, and a finer `kind` for logs and
 * tests. The outbox reads only own properties, so an error that crossed a process boundary as
 * JSON ({@link CrmError.toJSON}) still carries them.
 */
import { ErrorCode, SwitchboardError, type SerializedSwitchboardError } from '../../core/errors.js';

/** What went wrong, finer than the code: the outbox decides by `retryable`, people read this. */
export const CrmErrorKind = {
  /** 429, or the rate-limit window the server announced is used up. */
  RATE_LIMITED: 'rate_limited',
  /** 5xx. */
  SERVER: 'server',
  /** No answer in time. */
  TIMEOUT: 'timeout',
  /** Connection refused, reset or closed before a whole answer. */
  CONNECTION: 'connection',
  /** 401 / 403. */
  AUTH: 'auth',
  /** 404, or a record the adapter needs that is not there. */
  NOT_FOUND: 'not_found',
  /** Any other 4xx. */
  REFUSED: 'refused',
  /** An answer that is not what the API documents (HTML, garbage, wrong shape). */
  MALFORMED: 'malformed',
  /** A record in an answer without its id. */
  MISSING_ID: 'missing_id',
  /** A lookup that matches more records than the configured limit. */
  TOO_MANY_MATCHES: 'too_many_matches',
  /** Bad input from our side: an unparsable phone number, a bad key, a bad option. */
  INVALID_INPUT: 'invalid_input',
} as const;
export type CrmErrorKind = (typeof CrmErrorKind)[keyof typeof CrmErrorKind];

const CODE_OF: Readonly<Record<CrmErrorKind, ErrorCode>> = {
  rate_limited: ErrorCode.PLATFORM_ERROR,
  server: ErrorCode.PLATFORM_ERROR,
  timeout: ErrorCode.TIMEOUT,
  connection: ErrorCode.NOT_CONNECTED,
  auth: ErrorCode.PLATFORM_ERROR,
  not_found: ErrorCode.PLATFORM_ERROR,
  refused: ErrorCode.PLATFORM_ERROR,
  malformed: ErrorCode.PARSE_ERROR,
  missing_id: ErrorCode.PARSE_ERROR,
  too_many_matches: ErrorCode.PLATFORM_ERROR,
  invalid_input: ErrorCode.INVALID_ARGUMENT,
};

export interface CrmErrorOptions {
  retryable: boolean;
  /** Set only when the server said how long to wait. */
  retryAfterMs?: number | undefined;
  /** The HTTP status, when there was an answer. */
  status?: number | undefined;
  /** Overrides the code derived from the kind. */
  code?: ErrorCode | undefined;
  requestId?: string | undefined;
  cause?: unknown;
}

/** The serialized form: the core's fields plus the delivery hints. */
export interface SerializedCrmError extends SerializedSwitchboardError {
  kind: CrmErrorKind;
  retryable: boolean;
  retryAfterMs?: number;
  status?: number;
}

/**
 * A SwitchboardError from a CRM adapter, with delivery hints as own properties.
 *
 * @example
 * try {
 *   await crm.createPhoneCall('152018C217', { ani: '+41445550101' });
 * } catch (err) {
 *   if (isCrmError(err) && err.retryable) scheduleRetry(err.retryAfterMs ?? backoff());
 *   else deadLetter(err);
 * }
 */
export class CrmError extends SwitchboardError {
  readonly kind: CrmErrorKind;
  readonly retryable: boolean;
  declare readonly retryAfterMs?: number;
  declare readonly status?: number;

  constructor(kind: CrmErrorKind, message: string, options: CrmErrorOptions) {
    super(options.code ?? CODE_OF[kind], message, { requestId: options.requestId, cause: options.cause });
    this.kind = kind;
    this.retryable = options.retryable;
    // Own properties only when known: the outbox tests `'retryAfterMs' in err`.
    if (options.retryAfterMs !== undefined && Number.isFinite(options.retryAfterMs)) {
      Object.defineProperty(this, 'retryAfterMs', { value: Math.max(0, Math.round(options.retryAfterMs)), enumerable: true });
    }
    if (options.status !== undefined) Object.defineProperty(this, 'status', { value: options.status, enumerable: true });
  }

  override withRequestId(requestId: string | undefined): CrmError {
    if (requestId === undefined || requestId === this.requestId) return this;
    return new CrmError(this.kind, this.message, {
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      status: this.status,
      code: this.code,
      requestId,
      cause: this.cause,
    });
  }

  override toJSON(): SerializedCrmError {
    const out: SerializedCrmError = { ...super.toJSON(), kind: this.kind, retryable: this.retryable };
    if (this.retryAfterMs !== undefined) out.retryAfterMs = this.retryAfterMs;
    if (this.status !== undefined) out.status = this.status;
    return out;
  }
}

/** True for a CrmError or its serialized form (by shape: it may have crossed a process). */
export function isCrmError(value: unknown): value is CrmError | SerializedCrmError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { name?: unknown; code?: unknown; retryable?: unknown; kind?: unknown };
  return v.name === 'SwitchboardError' && typeof v.code === 'string' && typeof v.retryable === 'boolean' && typeof v.kind === 'string';
}

/** The delivery hints of any thrown value; errors that are not CrmErrors are not retryable. */
export interface RetryHint {
  retryable: boolean;
  retryAfterMs?: number;
  status?: number;
}

/**
 * What the outbox should do with a thrown value. A CrmError says it itself; anything else (a bug,
 * a TypeError) is not retried: retrying a bug only delays the dead letter.
 *
 * @example
 * const { retryable, retryAfterMs } = retryHint(err);
 */
export function retryHint(err: unknown): RetryHint {
  if (!isCrmError(err)) return { retryable: false };
  const out: RetryHint = { retryable: err.retryable };
  if (typeof err.retryAfterMs === 'number') out.retryAfterMs = err.retryAfterMs;
  if (typeof err.status === 'number') out.status = err.status;
  return out;
}

/** A non-retryable INVALID_ARGUMENT CrmError (bad input from our side). */
export function invalidInput(message: string, cause?: unknown): CrmError {
  return new CrmError(CrmErrorKind.INVALID_INPUT, message, { retryable: false, cause });
}
