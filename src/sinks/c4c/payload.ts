/**
 * @module sinks/c4c/payload
 * The Live Activity payload and its two wire formats (SPEC "Sinks → SAP Service Cloud (C4C) Live
 * Activity"): JSON `{"payload": {...}}` or the XML string
 * `<?xml version="1.0" encoding="utf-8"?><payload><ANI>...</ANI>...</payload>`, with the same
 * keys in the same order in both. Reserved keys first (seed 000's reserved fields, SAP's `Action`,
 * seed 002's ExternalOriginalReferenceID), then the mapped activity fields in mapping order.
 */
import type { ActivityField } from './mapping.js';

/** Seed 000's `Event`: based on the current call state. */
export const C4cEvent = {
  CALL_ALLOCATED: 'CALL_ALLOCATED',
  CALL_CONNECTED: 'CALL_CONNECTED',
  CALL_DISCONNECTED: 'CALL_DISCONNECTED',
} as const;
export type C4cEvent = (typeof C4cEvent)[keyof typeof C4cEvent];

/** Seed 000's `EventType`: based on the call type; UpdateActivity for a data change. */
export const C4cEventType = {
  Inbound: 'Inbound',
  Outbound: 'Outbound',
  UpdateActivity: 'UpdateActivity',
  Transfer: 'Transfer',
} as const;
export type C4cEventType = (typeof C4cEventType)[keyof typeof C4cEventType];

/** SAP's own `Action`: NOTIFY (alerting: screen pop by ANI), ACCEPT (connected: the activity is created), END. */
export const C4cAction = { NOTIFY: 'NOTIFY', ACCEPT: 'ACCEPT', END: 'END' } as const;
export type C4cAction = (typeof C4cAction)[keyof typeof C4cAction];

export const C4cFormat = { json: 'json', xml: 'xml' } as const;
export type C4cFormat = (typeof C4cFormat)[keyof typeof C4cFormat];

/** seed 000: "CISCO9876 is sent". */
export const DEFAULT_CID = 'CISCO9876';
/** seed 000: "Type of the activity. Defaults to CALL." */
export const ACTIVITY_TYPE = 'CALL';

/** The reserved part of a payload, as Switchboard fills it. */
export interface ReservedPayload {
  ANI: string;
  CID: string;
  Type: typeof ACTIVITY_TYPE;
  Event: C4cEvent;
  EventType: C4cEventType;
  /** Absent on UpdateActivity messages (an update is no call-state change; see docs/c4c.md). */
  Action?: C4cAction;
  ExternalReferenceID: string;
  ExternalOriginalReferenceID?: string;
  ActivityUUID?: string;
}

export type C4cPayload = ReservedPayload & Partial<Record<ActivityField, string>>;

export interface PayloadInput {
  ani: string;
  cid: string;
  event: C4cEvent;
  eventType: C4cEventType;
  action: C4cAction | undefined;
  reference: string;
  originalReference?: string | undefined;
  activityUUID?: string | undefined;
  fields?: Partial<Record<ActivityField, string>>;
}

/** Build a payload with its keys in wire order. */
export function buildPayload(input: PayloadInput): C4cPayload {
  const p: Record<string, string> = {
    ANI: input.ani,
    CID: input.cid,
    Type: ACTIVITY_TYPE,
    Event: input.event,
    EventType: input.eventType,
  };
  if (input.action !== undefined) p.Action = input.action;
  p.ExternalReferenceID = input.reference;
  if (input.originalReference !== undefined) p.ExternalOriginalReferenceID = input.originalReference;
  if (input.activityUUID !== undefined) p.ActivityUUID = input.activityUUID;
  for (const [field, value] of Object.entries(input.fields ?? {})) {
    if (value !== undefined) p[field] = value;
  }
  return p as unknown as C4cPayload;
}

/** The JSON wire message: `{ payload: {...} }`, posted as an object (structured clone). */
export interface C4cJsonMessage {
  payload: C4cPayload;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

/** Characters XML 1.0 cannot carry at all (C0 controls but tab, LF, CR; U+FFFE/U+FFFF; lone surrogates). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: XML 1.0 forbids them
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escape text for an XML element: `& < > " '` as entities; characters XML cannot carry are dropped. */
export function escapeXml(value: string): string {
  return value
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** The XML wire message, every value escaped, keys in the same order as the JSON one. */
export function toXml(payload: C4cPayload): string {
  let out = `${XML_DECLARATION}<payload>`;
  for (const [key, value] of Object.entries(payload)) {
    if (typeof value !== 'string') continue;
    out += `<${key}>${escapeXml(value)}</${key}>`;
  }
  return `${out}</payload>`;
}

export function toJsonMessage(payload: C4cPayload): C4cJsonMessage {
  return { payload: { ...payload } };
}

/** The message to post in the configured format. */
export function encodeMessage(payload: C4cPayload, format: C4cFormat): C4cJsonMessage | string {
  return format === C4cFormat.xml ? toXml(payload) : toJsonMessage(payload);
}
