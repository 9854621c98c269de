/**
 * @module sources/finesse/parse
 * Finesse XML → the typed resources of ./types.ts: the `<Update>` of an XMPP pubsub item
 * ({@link parseNotification}) and the REST bodies (User, Dialogs, Dialog, SystemInfo,
 * ReasonCodes, WrapUpReasons, Queue(s), ApiErrors). FINESSE.md, "Notifications".
 *
 * - Element names are compared case-insensitively (`<User>` and `<user>` both occur, by
 *   version); enumerated values (event, states, actions, callType) are upper-cased.
 * - Safety: a document with a DOCTYPE or an entity declaration is refused (no XML bomb, no
 *   external entity), entity processing in the XML library is off (only the five predefined
 *   entities and character references are decoded, here, once), and a document over
 *   `maxBytes` (default 256 KiB) is refused before parsing.
 * - Call-variable values may arrive escaped twice (`&amp;lt;` for `<`: Finesse escapes the value
 *   once more before putting the Update into the XMPP item). Their values are decoded one extra
 *   time, and only the predefined entities and character references: a value without an
 *   entity is untouched. The cost: a value that really is the text `&lt;` reads as `<`.
 * - Every failure is a SwitchboardError: PARSE_ERROR when the text is not acceptable XML,
 *   INVALID_UPDATE when it is XML of the wrong shape; the message names the element path.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ErrorCode, SwitchboardError } from '../../core/errors.js';
import type {
  FinesseApiError,
  FinesseDialog,
  FinesseMediaProperties,
  FinesseNotification,
  FinesseParticipant,
  FinesseQueue,
  FinesseQueueStatistics,
  FinesseReasonCode,
  FinesseSystemInfo,
  FinesseUser,
} from './types.js';

/** Default largest document accepted, in bytes (UTF-8). */
export const DEFAULT_MAX_XML_BYTES = 256 * 1024;

export interface ParseOptions {
  /** Largest document accepted, in bytes; default {@link DEFAULT_MAX_XML_BYTES}. */
  maxBytes?: number;
}

/** A wrap-up reason (`<WrapUpReasons><WrapUpReason>`). */
export interface FinesseWrapUpReason {
  id: string;
  label: string;
  forAll: string;
  uri: string;
}

/** One element: its name as sent, lower-cased name, child elements and text. */
interface Node {
  readonly name: string;
  readonly key: string;
  readonly children: Node[];
  readonly text: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  parseTagValue: false,
  processEntities: false,
  htmlEntities: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
  commentPropName: false,
});

const ENTITY = /&(?:(lt|gt|amp|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decode the predefined entities and character references once (never anything else). */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name !== undefined) return NAMED[name] ?? whole;
    const cp = dec !== undefined ? Number(dec) : Number.parseInt(hex ?? '', 16);
    if (!Number.isInteger(cp) || cp < 1 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return whole;
    return String.fromCodePoint(cp);
  });
}

function fail(code: ErrorCode, message: string): never {
  throw new SwitchboardError(code, `Finesse XML: ${message}`);
}

const utf8 = new TextEncoder();

/** Over `max` UTF-8 bytes? Cheap checks first: UTF-8 takes 1 to 3 bytes per UTF-16 unit. */
function oversized(xml: string, max: number): number | undefined {
  if (xml.length * 3 <= max) return undefined;
  const size = xml.length > max ? xml.length : utf8.encode(xml).length;
  return size > max ? size : undefined;
}

type Ordered = Record<string, unknown>[];

function toNodes(list: Ordered): Node[] {
  const out: Node[] = [];
  for (const item of list) {
    for (const name of Object.keys(item)) {
      if (name === '#text' || name === '#cdata' || name === ':@') continue;
      const kids = item[name];
      const children: Node[] = [];
      let text = '';
      if (Array.isArray(kids)) {
        for (const k of kids as Ordered) {
          if (typeof k['#text'] === 'string' || typeof k['#text'] === 'number') text += decodeEntities(String(k['#text']));
          else if (Array.isArray(k['#cdata'])) {
            for (const c of k['#cdata'] as Ordered) {
              const t = c['#text'];
              if (typeof t === 'string' || typeof t === 'number') text += String(t);
            }
          }
        }
        children.push(...toNodes(kids as Ordered));
      }
      out.push({ name, key: name.toLowerCase(), children, text });
    }
  }
  return out;
}

/** Parse and check a document; returns its root element. */
function parseDocument(xml: string, options: ParseOptions = {}): Node {
  if (typeof xml !== 'string') fail(ErrorCode.PARSE_ERROR, `expected a string, got ${xml === null ? 'null' : typeof xml}`);
  const max = options.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  const size = oversized(xml, max);
  if (size !== undefined) fail(ErrorCode.PARSE_ERROR, `document of at least ${size} bytes is over the limit of ${max} bytes`);
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {
    fail(ErrorCode.PARSE_ERROR, 'document declares a DOCTYPE or entities; refused (Finesse never sends one; it could be an entity-expansion bomb or an external entity)');
  }
  if (xml.trim() === '') fail(ErrorCode.PARSE_ERROR, 'empty document');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) fail(ErrorCode.PARSE_ERROR, `not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  let list: Ordered;
  try {
    list = parser.parse(xml) as Ordered;
  } catch (err) {
    fail(ErrorCode.PARSE_ERROR, `not well-formed XML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const roots = toNodes(list);
  const root = roots[0];
  if (root === undefined) fail(ErrorCode.PARSE_ERROR, 'no root element');
  if (roots.length > 1) fail(ErrorCode.PARSE_ERROR, `more than one root element (<${root.name}>, <${roots[1]?.name ?? ''}>)`);
  return root;
}

function child(node: Node, key: string): Node | undefined {
  for (const c of node.children) if (c.key === key) return c;
  return undefined;
}

function kids(node: Node, key: string): Node[] {
  return node.children.filter((c) => c.key === key);
}

/** Text of a child element, '' when it is missing or empty. */
function text(node: Node, key: string): string {
  return child(node, key)?.text ?? '';
}

function upper(node: Node, key: string): string {
  return text(node, key).toUpperCase();
}

function required(node: Node, key: string, path: string): string {
  const c = child(node, key);
  if (c === undefined) fail(ErrorCode.INVALID_UPDATE, `${path}/${key} is missing`);
  if (c.text === '') fail(ErrorCode.INVALID_UPDATE, `${path}/${key} is empty`);
  return c.text;
}

function expectRoot(root: Node, key: string, expected: string): void {
  if (root.key !== key) fail(ErrorCode.INVALID_UPDATE, `expected root <${expected}>, got <${root.name}>`);
}

// ---- resources ------------------------------------------------------------------------------

const MEDIA_KNOWN = ['dnis', 'calltype', 'dialednumber', 'outboundclassification', 'queuenumber', 'queuename', 'callkeycallid', 'callkeysequencenum', 'callkeyprefix', 'wrapupreason', 'callvariables'];

function mediaProperties(node: Node | undefined, path: string): FinesseMediaProperties {
  const mp: FinesseMediaProperties = {
    DNIS: '',
    callType: '',
    dialedNumber: '',
    outboundClassification: '',
    queueNumber: '',
    queueName: '',
    callKeyCallId: '',
    callKeySequenceNum: '',
    callKeyPrefix: '',
    wrapUpReason: '',
    callVariables: {},
    other: {},
  };
  if (node === undefined) return mp;
  mp.DNIS = text(node, 'dnis');
  mp.callType = upper(node, 'calltype');
  mp.dialedNumber = text(node, 'dialednumber');
  mp.outboundClassification = text(node, 'outboundclassification');
  mp.queueNumber = text(node, 'queuenumber');
  mp.queueName = text(node, 'queuename');
  mp.callKeyCallId = text(node, 'callkeycallid');
  mp.callKeySequenceNum = text(node, 'callkeysequencenum');
  mp.callKeyPrefix = text(node, 'callkeyprefix');
  mp.wrapUpReason = text(node, 'wrapupreason');
  const vars = child(node, 'callvariables');
  if (vars !== undefined) {
    for (const [i, cv] of kids(vars, 'callvariable').entries()) {
      const name = text(cv, 'name');
      if (name === '') fail(ErrorCode.INVALID_UPDATE, `${path}/mediaProperties/callvariables/CallVariable[${i + 1}]/name is missing or empty`);
      Object.defineProperty(mp.callVariables, name, { value: decodeEntities(text(cv, 'value')), enumerable: true, writable: true, configurable: true });
    }
  }
  for (const c of node.children) {
    if (!MEDIA_KNOWN.includes(c.key) && c.children.length === 0) {
      Object.defineProperty(mp.other, c.name, { value: c.text, enumerable: true, writable: true, configurable: true });
    }
  }
  return mp;
}

function participant(node: Node): FinesseParticipant {
  const actions = child(node, 'actions');
  return {
    mediaAddress: text(node, 'mediaaddress'),
    mediaAddressType: text(node, 'mediaaddresstype'),
    state: upper(node, 'state'),
    stateCause: upper(node, 'statecause'),
    startTime: text(node, 'starttime'),
    stateChangeTime: text(node, 'statechangetime'),
    actions: actions === undefined ? [] : kids(actions, 'action').map((a) => a.text.toUpperCase()).filter((a) => a !== ''),
  };
}

function dialogFrom(node: Node, path: string): FinesseDialog {
  const id = required(node, 'id', path);
  const parts = child(node, 'participants');
  return {
    id,
    uri: text(node, 'uri'),
    fromAddress: text(node, 'fromaddress'),
    toAddress: text(node, 'toaddress'),
    state: upper(node, 'state'),
    mediaType: text(node, 'mediatype'),
    associatedDialogUri: text(node, 'associateddialoguri'),
    secondaryId: text(node, 'secondaryid'),
    mediaProperties: mediaProperties(child(node, 'mediaproperties'), path),
    participants: parts === undefined ? [] : kids(parts, 'participant').map(participant),
  };
}

function dialogsFrom(node: Node, path: string): FinesseDialog[] {
  return kids(node, 'dialog').map((d, i) => dialogFrom(d, `${path}/Dialog[${i + 1}]`));
}

function reasonCodeFrom(node: Node): FinesseReasonCode {
  return { id: text(node, 'id') || idFromUri(text(node, 'uri')), category: upper(node, 'category'), code: text(node, 'code'), label: text(node, 'label') };
}

function idFromUri(uri: string): string {
  const i = uri.lastIndexOf('/');
  return i < 0 ? '' : uri.slice(i + 1);
}

function userFrom(node: Node, path: string): FinesseUser {
  const loginId = required(node, 'loginid', path);
  const rc = child(node, 'reasoncode');
  const user: FinesseUser = {
    loginId,
    loginName: text(node, 'loginname'),
    firstName: text(node, 'firstname'),
    lastName: text(node, 'lastname'),
    extension: text(node, 'extension'),
    state: upper(node, 'state'),
    pendingState: upper(node, 'pendingstate'),
    reasonCodeId: text(node, 'reasoncodeid'),
    stateChangeTime: text(node, 'statechangetime'),
    teamId: text(node, 'teamid'),
    teamName: text(node, 'teamname'),
    wrapUpOnIncoming: (() => {
      const s = child(node, 'settings');
      return s === undefined ? '' : upper(s, 'wrapuponincoming');
    })(),
  };
  if (rc !== undefined && rc.children.length > 0) user.reasonCode = reasonCodeFrom(rc);
  return user;
}

const STAT_KEYS = [
  'callsInQueue',
  'startTimeOfLongestCallInQueue',
  'agentsReady',
  'agentsNotReady',
  'agentsTalkingInbound',
  'agentsTalkingOutbound',
  'agentsTalkingInternal',
  'agentsWrapUpNotReady',
  'agentsWrapUpReady',
] as const;

function queueFrom(node: Node, path: string): FinesseQueue {
  const uri = text(node, 'uri');
  const id = text(node, 'id') || idFromUri(uri);
  if (id === '') fail(ErrorCode.INVALID_UPDATE, `${path} has neither <id> nor a <uri> ending in the queue id`);
  const s = child(node, 'statistics');
  const statistics = {} as FinesseQueueStatistics;
  for (const k of STAT_KEYS) statistics[k] = s === undefined ? '' : text(s, k.toLowerCase());
  return { id, uri, name: text(node, 'name'), statistics };
}

function systemInfoFrom(node: Node): FinesseSystemInfo {
  return {
    deploymentType: upper(node, 'deploymenttype'),
    status: upper(node, 'status'),
    xmppDomain: text(node, 'xmppdomain'),
    xmppPubSubDomain: text(node, 'xmpppubsubdomain'),
  };
}

function apiErrorsFrom(node: Node): FinesseApiError[] {
  return kids(node, 'apierror').map((e) => ({ errorType: text(e, 'errortype'), errorMessage: text(e, 'errormessage'), errorData: text(e, 'errordata') }));
}

// ---- public parsers -------------------------------------------------------------------------

/**
 * Parse one `<Update>` (the text of an XMPP pubsub item, already unescaped once by the XMPP
 * layer). Throws a SwitchboardError naming what is wrong.
 *
 * @example
 * const n = parseNotification(xml);
 * if (n.kind === 'dialog') console.log(n.dialog.id, n.dialog.state);
 */
export function parseNotification(xml: string, options?: ParseOptions): FinesseNotification {
  const root = parseDocument(xml, options);
  expectRoot(root, 'update', 'Update');
  const event = upper(root, 'event');
  const requestId = text(root, 'requestid');
  const source = text(root, 'source');
  const data = child(root, 'data');
  if (data === undefined) fail(ErrorCode.INVALID_UPDATE, 'Update/data is missing');
  const item = data.children[0];
  if (item === undefined) fail(ErrorCode.INVALID_UPDATE, 'Update/data is empty');
  const base = { event, requestId, source };
  const path = `Update/data/${item.name}`;
  switch (item.key) {
    case 'dialogs':
      return { kind: 'dialogs', ...base, dialogs: dialogsFrom(item, path) };
    case 'dialog':
      return { kind: 'dialog', ...base, dialog: dialogFrom(item, path) };
    case 'user':
      return { kind: 'user', ...base, user: userFrom(item, path) };
    case 'queue':
      return { kind: 'queue', ...base, queue: queueFrom(item, path) };
    case 'apierrors':
      return { kind: 'apiErrors', ...base, errors: apiErrorsFrom(item) };
    case 'systeminfo':
      return { kind: 'systemInfo', ...base, systemInfo: systemInfoFrom(item) };
    default:
      return fail(ErrorCode.INVALID_UPDATE, `${path}: unknown notification data (expected dialogs, dialog, user, Queue, apiErrors or SystemInfo)`);
  }
}

/** GET /finesse/api/User/{id}. */
export function parseUser(xml: string, options?: ParseOptions): FinesseUser {
  const root = parseDocument(xml, options);
  expectRoot(root, 'user', 'User');
  return userFrom(root, root.name);
}

/** GET /finesse/api/User/{id}/Dialogs: the `<Dialogs>` list (possibly empty). */
export function parseDialogs(xml: string, options?: ParseOptions): FinesseDialog[] {
  const root = parseDocument(xml, options);
  expectRoot(root, 'dialogs', 'Dialogs');
  return dialogsFrom(root, root.name);
}

/** GET /finesse/api/Dialog/{id}. */
export function parseDialog(xml: string, options?: ParseOptions): FinesseDialog {
  const root = parseDocument(xml, options);
  expectRoot(root, 'dialog', 'Dialog');
  return dialogFrom(root, root.name);
}

/** GET /finesse/api/SystemInfo. */
export function parseSystemInfo(xml: string, options?: ParseOptions): FinesseSystemInfo {
  const root = parseDocument(xml, options);
  expectRoot(root, 'systeminfo', 'SystemInfo');
  return systemInfoFrom(root);
}

/** GET /finesse/api/User/{id}/ReasonCodes?category=NOT_READY|LOGOUT: `<ReasonCodes><ReasonCode>`. */
export function parseReasonCodes(xml: string, options?: ParseOptions): FinesseReasonCode[] {
  const root = parseDocument(xml, options);
  expectRoot(root, 'reasoncodes', 'ReasonCodes');
  return kids(root, 'reasoncode').map((n, i) => {
    const rc = reasonCodeFrom(n);
    if (rc.id === '') fail(ErrorCode.INVALID_UPDATE, `${root.name}/ReasonCode[${i + 1}] has neither <id> nor a <uri> ending in the id`);
    return rc;
  });
}

/** GET /finesse/api/User/{id}/WrapUpReasons: `<WrapUpReasons><WrapUpReason>`. */
export function parseWrapUpReasons(xml: string, options?: ParseOptions): FinesseWrapUpReason[] {
  const root = parseDocument(xml, options);
  expectRoot(root, 'wrapupreasons', 'WrapUpReasons');
  return kids(root, 'wrapupreason').map((n, i) => {
    const uri = text(n, 'uri');
    const id = text(n, 'id') || idFromUri(uri);
    if (id === '') fail(ErrorCode.INVALID_UPDATE, `${root.name}/WrapUpReason[${i + 1}] has neither <id> nor a <uri> ending in the id`);
    return { id, label: text(n, 'label'), forAll: text(n, 'forall'), uri };
  });
}

/** GET /finesse/api/Queue/{id} (UCCE). */
export function parseQueue(xml: string, options?: ParseOptions): FinesseQueue {
  const root = parseDocument(xml, options);
  expectRoot(root, 'queue', 'Queue');
  return queueFrom(root, root.name);
}

/** GET /finesse/api/User/{id}/Queues (UCCE): `<Queues><Queue>`. */
export function parseQueues(xml: string, options?: ParseOptions): FinesseQueue[] {
  const root = parseDocument(xml, options);
  expectRoot(root, 'queues', 'Queues');
  return kids(root, 'queue').map((q, i) => queueFrom(q, `${root.name}/Queue[${i + 1}]`));
}

/** A synchronous REST failure: `<ApiErrors><ApiError>`. */
export function parseApiErrors(xml: string, options?: ParseOptions): FinesseApiError[] {
  const root = parseDocument(xml, options);
  expectRoot(root, 'apierrors', 'ApiErrors');
  return apiErrorsFrom(root);
}
