/**
 * @module core/errors
 * One error model for the whole hub (after penpal's PenpalError and undici's UND_ERR_* codes):
 * a `SwitchboardError` carries a `code` from {@link ErrorCode}, a message that names what was
 * wrong, the `requestId` of the request that caused it when known, and a `cause`. It survives
 * postMessage and WebSocket through {@link SwitchboardError.toJSON} / {@link fromSerialized}.
 * Check errors with {@link isSwitchboardError} and the code, not with `instanceof` alone: an
 * error that crossed a frame is a plain object.
 */

export const ErrorCode = {
  /** A request named a channel that does not exist or does not resolve to exactly one. */
  CHANNEL_NOT_FOUND: 'CHANNEL_NOT_FOUND',
  CHANNEL_AMBIGUOUS: 'CHANNEL_AMBIGUOUS',
  /** An update or request named a workitem the session does not know. */
  WORKITEM_NOT_FOUND: 'WORKITEM_NOT_FOUND',
  /** A request without workitemId found zero or several candidates. */
  WORKITEM_AMBIGUOUS: 'WORKITEM_AMBIGUOUS',
  /** A platform update asked for a transition the lifecycle does not allow. */
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  /** A platform update repeated what the session already knows. */
  DUPLICATE_UPDATE: 'DUPLICATE_UPDATE',
  /** A platform update older than one already applied. */
  OUT_OF_ORDER: 'OUT_OF_ORDER',
  /** A platform update that is malformed (missing or wrongly typed field). */
  INVALID_UPDATE: 'INVALID_UPDATE',
  /** A request argument is malformed (bad DTMF character, non-string value ...). */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** The workitem's capabilities or the source's do not allow this request. */
  NOT_CAPABLE: 'NOT_CAPABLE',
  /** The request is not available in this flavour (for example queue data on UCCX). */
  NOT_SUPPORTED: 'NOT_SUPPORTED',
  /** The agent is not in a state that allows the request (logged out, ...). */
  INVALID_STATE: 'INVALID_STATE',
  /** The platform refused or failed the request. */
  PLATFORM_ERROR: 'PLATFORM_ERROR',
  /** No answer within the request's timeout. */
  TIMEOUT: 'TIMEOUT',
  /** The source is not connected. */
  NOT_CONNECTED: 'NOT_CONNECTED',
  /** A line of a trace or a config that cannot be read. */
  PARSE_ERROR: 'PARSE_ERROR',
  /** A custom handler threw; the error is reported and other handlers still run. */
  HANDLER_ERROR: 'HANDLER_ERROR',
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

export interface SerializedSwitchboardError {
  name: 'SwitchboardError';
  code: ErrorCode;
  message: string;
  requestId?: string;
  cause?: string;
}

export interface SwitchboardErrorOptions {
  requestId?: string | undefined;
  cause?: unknown;
}

export class SwitchboardError extends Error {
  override readonly name = 'SwitchboardError';
  readonly code: ErrorCode;
  readonly requestId: string | undefined;

  constructor(code: ErrorCode, message: string, options: SwitchboardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.requestId = options.requestId;
  }

  /** A copy bound to a request id (errors raised below the API layer do not know it). */
  withRequestId(requestId: string | undefined): SwitchboardError {
    if (requestId === undefined || requestId === this.requestId) return this;
    return new SwitchboardError(this.code, this.message, { requestId, cause: this.cause });
  }

  toJSON(): SerializedSwitchboardError {
    const out: SerializedSwitchboardError = { name: 'SwitchboardError', code: this.code, message: this.message };
    if (this.requestId !== undefined) out.requestId = this.requestId;
    const cause = describeCause(this.cause);
    if (cause !== undefined) out.cause = cause;
    return out;
  }
}

/** A cause as text for the wire; never throws (circular objects, BigInt, functions). */
function describeCause(cause: unknown): string | undefined {
  if (cause === undefined) return undefined;
  if (cause instanceof Error) return cause.message;
  if (typeof cause === 'string') return cause;
  try {
    const json = JSON.stringify(cause);
    if (typeof json === 'string') return json;
  } catch {
    // not JSON: describe it below
  }
  try {
    if (typeof cause === 'function') return `[function ${cause.name || 'anonymous'}]`;
    if (typeof cause === 'bigint' || typeof cause === 'symbol') return cause.toString();
    return Object.prototype.toString.call(cause);
  } catch {
    return '[unprintable cause]';
  }
}

/** True for a SwitchboardError or its serialized form (checked by shape and code). */
export function isSwitchboardError(value: unknown): value is SwitchboardError | SerializedSwitchboardError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { name?: unknown; code?: unknown; message?: unknown };
  return v.name === 'SwitchboardError' && typeof v.code === 'string' && CODES.has(v.code) && typeof v.message === 'string';
}

/** Rebuild a SwitchboardError from its serialized form (from a frame or a socket). */
export function fromSerialized(value: SerializedSwitchboardError): SwitchboardError {
  return new SwitchboardError(value.code, value.message, { requestId: value.requestId, cause: value.cause });
}

/** Any thrown value as a SwitchboardError: kept if it is one, wrapped with `fallback` otherwise. */
export function toSwitchboardError(value: unknown, fallback: ErrorCode = ErrorCode.INTERNAL, requestId?: string): SwitchboardError {
  if (value instanceof SwitchboardError) return value.withRequestId(requestId);
  if (isSwitchboardError(value)) return fromSerialized(value as SerializedSwitchboardError).withRequestId(requestId);
  const message = value instanceof Error ? value.message : String(value);
  return new SwitchboardError(fallback, message, { requestId, cause: value });
}
