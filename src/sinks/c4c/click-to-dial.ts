/**
 * @module sinks/c4c/click-to-dial
 * Click-to-dial from SAP C4C (seed 000 "Click-To-Dial", seed 002's outbound payload). C4C creates
 * the phone-call activity first, then posts to the gadget
 * `{ PhoneNumber: "+1 6503054000", ActivityUUID: "00163EA718FC1EEABDD5608C895BDC71",
 *    BusinessPartnerID, Direction: "OUT", ... }`.
 * Switchboard listens for it from the allow-listed C4C origin only (and from the parent window
 * when given), checks it, and asks `dialOrConsult('voice', number)`: no call → a new call, a call
 * exists → a consultation. The sink is told the ActivityUUID first, so that the resulting item
 * reuses C4C's activity (never a second one) — or, when it is a consultation, sends nothing.
 *
 * Accepted shapes: the payload object, the same wrapped as `{ payload: {...} }`, or either as a
 * JSON string. Anything else from C4C, and anything from elsewhere, is reported through
 * `onRejected` with the reason; nothing is dropped silently.
 */
import { listen, type MessageEventLike, type MessageEventSource } from '../../bridge/window.js';
import { ErrorCode, SwitchboardError, toSwitchboardError } from '../../core/errors.js';
import { VOICE } from '../../core/model.js';
import type { ExpectedDial } from './sink.js';

/** A checked click-to-dial request. */
export interface ClickToDialRequest {
  /** The number to dial: `+` and digits only (C4C's spaces and punctuation removed). */
  phoneNumber: string;
  /** PhoneNumber as C4C sent it. */
  rawPhoneNumber: string;
  /** The activity C4C already created, when given. */
  activityUUID?: string;
  businessPartnerId?: string;
  /** The whole payload, for integrators (ObjectID, LoggedInUserID, ...). */
  payload: Readonly<Record<string, unknown>>;
}

/** What click-to-dial needs of the Integration API (structural: `IntegrationApi` fits). */
export interface DialApi {
  dialOrConsult(channelId: string, address: string, options?: { requestId?: string }): Promise<void>;
}

/** What click-to-dial needs of the sink (structural: `C4cSink` fits). */
export interface DialBinder {
  expectDial(dial: ExpectedDial): void;
  cancelDial(requestId: string): void;
}

/** SAP activity UUIDs: 32 hex digits (seed 002), or the dashed 8-4-4-4-12 form. */
const ACTIVITY_UUID = /^(?:[0-9A-Fa-f]{32}|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})$/;
/** What a phone number may contain besides digits: a leading +, spaces and the usual punctuation. */
const PHONE_CHARS = /^\+?[0-9\s().\-/]+$/;

function reject(message: string): never {
  throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `c4c click-to-dial: ${message}`);
}

/**
 * A C4C phone number as the platform dials it: the leading `+` and the digits, nothing else
 * (`"+1 6503054000"` → `"+16503054000"`, `"(044) 555-01 01"` → `"0445550101"`). Letters and other
 * characters are refused rather than dropped: dropping them would dial another number.
 */
export function normalizePhoneNumber(raw: string): string {
  const trimmed = raw.trim();
  if (!PHONE_CHARS.test(trimmed)) reject(`PhoneNumber ${JSON.stringify(raw)} may contain only a leading +, digits, spaces and ( ) . - /`);
  const number = (trimmed.startsWith('+') ? '+' : '') + trimmed.replace(/[^0-9]/g, '');
  const digits = number.replace('+', '');
  if (digits.length < 2 || digits.length > 32) reject(`PhoneNumber ${JSON.stringify(raw)} must have 2 to 32 digits`);
  return number;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/**
 * Check one message from C4C: the payload, `{ payload }`, or either as a JSON string. Throws
 * INVALID_ARGUMENT (PARSE_ERROR for text that is not JSON) naming what is wrong.
 */
export function parseClickToDial(data: unknown): ClickToDialRequest {
  let value = data;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('<')) reject('an XML message is not a click-to-dial payload (C4C sends it as JSON)');
    try {
      value = JSON.parse(text) as unknown;
    } catch (err) {
      throw new SwitchboardError(ErrorCode.PARSE_ERROR, `c4c click-to-dial: the message is a string but not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) reject(`expected a payload object, got ${describe(value)}`);
  let p = value as Record<string, unknown>;
  if (Object.hasOwn(p, 'payload') && !Object.hasOwn(p, 'PhoneNumber')) {
    const inner = p.payload;
    if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) reject(`"payload" must be an object, got ${describe(inner)}`);
    p = inner as Record<string, unknown>;
  }
  if (p.Direction !== 'OUT') reject(`Direction must be "OUT" (got ${p.Direction === undefined ? 'none' : JSON.stringify(p.Direction)})`);
  if (typeof p.PhoneNumber !== 'string' || p.PhoneNumber.trim() === '') reject('PhoneNumber is required (a non-empty string)');
  const phoneNumber = normalizePhoneNumber(p.PhoneNumber);
  const request: ClickToDialRequest = { phoneNumber, rawPhoneNumber: p.PhoneNumber, payload: Object.freeze({ ...p }) };
  if (p.ActivityUUID !== undefined && p.ActivityUUID !== '') {
    if (typeof p.ActivityUUID !== 'string' || !ACTIVITY_UUID.test(p.ActivityUUID)) {
      reject(`ActivityUUID ${JSON.stringify(p.ActivityUUID)} is not an activity UUID (32 hexadecimal digits, e.g. 00163EA718FC1EEABDD5608C895BDC71)`);
    }
    request.activityUUID = p.ActivityUUID;
  }
  if (p.BusinessPartnerID !== undefined) {
    if (typeof p.BusinessPartnerID !== 'string') reject('BusinessPartnerID must be a string');
    request.businessPartnerId = p.BusinessPartnerID;
  }
  return request;
}

export interface ClickToDialOptions {
  api: DialApi;
  /** The sink that reuses C4C's activity; without one, only the dialing happens. */
  sink?: DialBinder;
  /** Channel to dial on; default `voice`. */
  channelId?: string;
  /** Request ids; `crypto.randomUUID` by default. */
  newRequestId?: () => string;
  /** A dial that failed (the Integration API also dispatches its `error` event). */
  onError: (error: SwitchboardError) => void;
  /** A message refused (foreign origin, wrong window, malformed payload). Default: onError. */
  onRejected?: (reason: string, data: unknown) => void;
  /** Told before dialing, with the request id used. */
  onDial?: (request: ClickToDialRequest, requestId: string) => void;
}

export interface ClickToDialListenOptions {
  /** The C4C origin(s), exact (`https://my.crm.ondemand.com`). */
  allowedOrigins: readonly string[];
  /** The C4C window (`window.parent`): messages from any other window are refused. */
  expectedSource?: unknown;
}

/**
 * Click-to-dial for one agent.
 *
 * @example
 * const c2d = new ClickToDial({ api: agent.api, sink, onError: (e) => showError(e.message) });
 * const stop = c2d.listen(window, { allowedOrigins: ['https://my.crm.ondemand.com'], expectedSource: window.parent });
 */
export class ClickToDial {
  private readonly api: DialApi;
  private readonly sink: DialBinder | undefined;
  private readonly channelId: string;
  private readonly newRequestId: () => string;
  private readonly onError: (error: SwitchboardError) => void;
  private readonly onRejected: (reason: string, data: unknown) => void;
  private readonly onDial: ((request: ClickToDialRequest, requestId: string) => void) | undefined;

  constructor(options: ClickToDialOptions) {
    this.api = options.api;
    this.sink = options.sink;
    this.channelId = options.channelId ?? VOICE;
    this.newRequestId = options.newRequestId ?? (() => globalThis.crypto.randomUUID());
    this.onError = (e) => {
      try {
        options.onError(e);
      } catch {
        // nowhere left to report to
      }
    };
    const onRejected = options.onRejected ?? ((reason: string) => options.onError(new SwitchboardError(ErrorCode.INVALID_ARGUMENT, reason)));
    this.onRejected = (reason, data) => {
      try {
        onRejected(reason, data);
      } catch {
        // nowhere left to report to
      }
    };
    this.onDial = options.onDial;
  }

  /**
   * Handle one message already known to come from C4C (the listener, or a replayed trace line).
   * Resolves true when the dial or consult was requested, false when the message was refused or
   * the request failed (both reported). Never rejects.
   */
  async handle(data: unknown): Promise<boolean> {
    let request: ClickToDialRequest;
    try {
      request = parseClickToDial(data);
    } catch (err) {
      this.onRejected(err instanceof Error ? err.message : String(err), data);
      return false;
    }
    const requestId = this.newRequestId();
    if (request.activityUUID !== undefined) this.sink?.expectDial({ requestId, activityUUID: request.activityUUID });
    try {
      this.onDial?.(request, requestId);
      await this.api.dialOrConsult(this.channelId, request.phoneNumber, { requestId });
      return true;
    } catch (err) {
      this.sink?.cancelDial(requestId);
      const e = toSwitchboardError(err, ErrorCode.PLATFORM_ERROR, requestId);
      this.onError(new SwitchboardError(e.code, `c4c click-to-dial to ${request.phoneNumber} failed: ${e.message}`, { requestId, cause: err }));
      return false;
    }
  }

  /** Listen on the gadget's window for C4C's click-to-dial messages. Returns a stop function. */
  listen(window: MessageEventSource, options: ClickToDialListenOptions): () => void {
    const listenOptions = {
      allowedOrigins: options.allowedOrigins,
      onRejected: (reason: string, event: MessageEventLike) => this.onRejected(`c4c click-to-dial: ${reason}`, event.data),
      ...(options.expectedSource !== undefined ? { expectedSource: options.expectedSource } : {}),
    };
    return listen(window, listenOptions, (data) => {
      void this.handle(data);
    });
  }
}
