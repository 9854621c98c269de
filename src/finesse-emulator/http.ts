/**
 * @module finesse-emulator/http
 * The emulator's Finesse REST API on loopback (node:http), as FINESSE.md's REST table describes
 * it: Basic auth on every request but SystemInfo (user = agent id), GET returns the resource,
 * PUT/POST answer 202 and the outcome arrives later as an XMPP notification echoing the
 * `requestId` header. Refusals Finesse makes synchronously (malformed body, unknown resource,
 * impossible user state, UCCX MAKE_CALL with call variables) answer 400/401/404 with an
 * `<ApiErrors>` body; a dialog action the switch refuses answers 202 and is followed by an
 * `<apiErrors>` notification (a CTI error), as on a real system. `outOfService` makes every
 * request but SystemInfo answer 503, as during a failover.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { isoTime } from '../core/clock.js';
import { ErrorCode, isSwitchboardError } from '../core/errors.js';
import { Flavor, VOICE, type CtiData, type ReasonType } from '../core/model.js';
import type { PlatformRequest } from '../core/source.js';
import type { FinesseApiError, FinesseReasonCode } from '../sources/finesse/types.js';
import {
  renderApiErrors,
  renderDialog,
  renderDialogs,
  renderQueue,
  renderQueues,
  renderReasonCodes,
  renderSystemInfo,
  renderTeam,
  renderUser,
  renderWrapUpReasons,
} from './render.js';
import type { AgentView, DialogEntry, EmulatorState } from './state.js';

export interface FinesseHttpOptions {
  state: EmulatorState;
  /** Password of every agent (Basic auth user = agent id). */
  password: string;
  xmppDomain: string;
  xmppPubSubDomain: string;
  reasonCodes: Record<ReasonType, { id: string; label: string }[]>;
  /** Agent ids by queue id (User/{id}/Queues). */
  queuesOf: (agentId: string) => string[];
}

const MAX_BODY = 64 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
    readonly errorData = '',
  ) {
    super(message);
  }
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => name === 'CallVariable' || name === 'ActionParam',
});

type XmlObject = Record<string, unknown>;

function parseBody(body: string, root: string): XmlObject {
  let doc: unknown;
  try {
    doc = parser.parse(body, true);
  } catch (err) {
    throw new HttpError(400, 'Invalid Input', `the body is not well-formed XML: ${(err as Error).message}`, 'body');
  }
  const top = (doc as XmlObject)[root];
  if (typeof top !== 'object' || top === null) throw new HttpError(400, 'Invalid Input', `the body must be a <${root}> document`, root);
  return top as XmlObject;
}

function str(obj: XmlObject, key: string): string {
  const v = obj[key];
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

function list(obj: unknown, outer: string, inner: string): XmlObject[] {
  if (typeof obj !== 'object' || obj === null) return [];
  const o = (obj as XmlObject)[outer];
  if (typeof o !== 'object' || o === null) return [];
  const items = (o as XmlObject)[inner];
  return Array.isArray(items) ? (items as XmlObject[]) : [];
}

/** `<mediaProperties>` of an UPDATE_CALL_DATA or MAKE_CALL body → ctiData keys. */
function callData(body: XmlObject): CtiData {
  const mp = body.mediaProperties;
  const data: CtiData = {};
  if (typeof mp !== 'object' || mp === null) return data;
  const m = mp as XmlObject;
  if ('wrapUpReason' in m) data.wrapUpReason = str(m, 'wrapUpReason');
  for (const cv of list(m, 'callvariables', 'CallVariable')) {
    const name = str(cv, 'name');
    if (name === '') throw new HttpError(400, 'Invalid Input', 'a CallVariable has no <name>', 'callvariables');
    data[name] = str(cv, 'value');
  }
  return data;
}

/** A SwitchboardError from the sim → the CTI failure Finesse would report. [belief] */
function ctiFailure(err: unknown): { errorMessage: string; errorData: string; text: string } {
  const text = err instanceof Error ? err.message : String(err);
  if (!isSwitchboardError(err)) return { errorMessage: 'CF_GENERIC_UNSPECIFIED', errorData: '1', text };
  switch (err.code) {
    case ErrorCode.NOT_CAPABLE:
    case ErrorCode.INVALID_STATE:
      return { errorMessage: 'CF_INVALID_OBJECT_STATE', errorData: '35', text };
    case ErrorCode.INVALID_ARGUMENT:
      return { errorMessage: 'CF_INVALID_PARTY_ADDRESS', errorData: '37', text };
    default:
      return { errorMessage: 'CF_GENERIC_UNSPECIFIED_REJECTION', errorData: '34', text };
  }
}

/**
 * The REST server. Construct, then `listen(port)`; `close()` stops it.
 *
 * @example
 * const http = new FinesseHttp({ state, password: 'pw', xmppDomain: 'finesse.test', xmppPubSubDomain: 'pubsub.finesse.test', reasonCodes, queuesOf });
 * const port = await http.listen(0);
 */
export class FinesseHttp {
  /** While true every request but SystemInfo answers 503 (failover) and SystemInfo says OUT_OF_SERVICE. */
  outOfService = false;
  private readonly server: Server;
  private nextInternalId = 1;
  /** MAKE_CALL call variables waiting for the new dialog (by requestId). */
  private readonly pendingCallData = new Map<string, { agentId: string; data: CtiData }>();
  private readonly pendingByDialog = new Map<string, { requestId: string; data: CtiData }>();

  constructor(private readonly o: FinesseHttpOptions) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) this.send(res, 500, renderApiErrors([{ errorType: 'Internal Error', errorMessage: String(err), errorData: '' }]));
      });
    });
  }

  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * A dialog appeared or changed: MAKE_CALL call variables wait for their dialog (matched by the
   * requestId of its POST), then for the moment it accepts UPDATE_CALL_DATA (UCCE).
   */
  dialogChanged(view: AgentView, entry: DialogEntry, requestId: string): void {
    const id = entry.dialog.id;
    const byRequest = requestId === '' ? undefined : this.pendingCallData.get(requestId);
    if (byRequest !== undefined && byRequest.agentId === view.agent.id) {
      this.pendingCallData.delete(requestId);
      this.pendingByDialog.set(id, { requestId, data: byRequest.data });
    }
    const waiting = this.pendingByDialog.get(id);
    if (waiting === undefined) return;
    if (!view.dialogs.has(id)) {
      this.pendingByDialog.delete(id);
      return;
    }
    if (!entry.capabilities.includes('UpdateData')) return;
    this.pendingByDialog.delete(id);
    this.carryOut(view, { type: 'updateData', workitemId: id, data: waiting.data, requestId: waiting.requestId }, `/finesse/api/Dialog/${id}`);
  }

  private send(res: ServerResponse, status: number, body = ''): void {
    res.writeHead(status, { 'content-type': 'application/xml; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  private async readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      const b = chunk as Buffer;
      size += b.length;
      if (size > MAX_BODY) throw new HttpError(400, 'Invalid Input', `the body is larger than ${MAX_BODY} bytes`, 'body');
      chunks.push(b);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private authenticate(req: IncomingMessage): string {
    const h = req.headers.authorization ?? '';
    const m = /^Basic\s+(\S+)$/i.exec(h);
    if (m === null) throw new HttpError(401, 'Authorization Failure', 'Basic authentication is required');
    const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    const user = i < 0 ? decoded : decoded.slice(0, i);
    const pass = i < 0 ? '' : decoded.slice(i + 1);
    if (!this.o.state.views.has(user) || pass !== this.o.password) throw new HttpError(401, 'Authorization Failure', 'Invalid user ID or password');
    return user;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.route(req, res);
    } catch (err) {
      if (err instanceof HttpError) {
        const e: FinesseApiError = { errorType: err.errorType, errorMessage: err.message, errorData: err.errorData };
        this.send(res, err.status, renderApiErrors([e]));
        return;
      }
      throw err;
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    const st = this.o.state;
    if (path === '/finesse/api/SystemInfo' && method === 'GET') {
      this.send(
        res,
        200,
        renderSystemInfo({
          deploymentType: st.flavor,
          status: this.outOfService ? 'OUT_OF_SERVICE' : 'IN_SERVICE',
          xmppDomain: this.o.xmppDomain,
          xmppPubSubDomain: this.o.xmppPubSubDomain,
          currentTimestamp: isoTime(st.clock),
          host: this.o.xmppDomain,
        }),
      );
      return;
    }
    if (this.outOfService) throw new HttpError(503, 'Service Unavailable', 'Finesse is out of service (failover)');
    const authUser = this.authenticate(req);
    const requestId = typeof req.headers.requestid === 'string' ? req.headers.requestid : '';
    let m: RegExpExecArray | null;

    if ((m = /^\/finesse\/api\/User\/([^/]+)(?:\/(ReasonCodes|WrapUpReasons|Dialogs|Queues))?$/.exec(path)) !== null) {
      const id = decodeURIComponent(m[1] ?? '');
      const sub = m[2];
      const view = st.views.get(id);
      if (view === undefined) throw new HttpError(404, 'Not Found', `no user ${id}`, id);
      if (id !== authUser) throw new HttpError(401, 'Authorization Failure', `user ${authUser} may not access user ${id}`);
      if (sub === undefined && method === 'GET') return this.send(res, 200, renderUser(view.user, 'User'));
      if (sub === undefined && method === 'PUT') return this.putUser(view, await this.readBody(req), requestId, res);
      if (sub === 'ReasonCodes' && method === 'GET') return this.send(res, 200, this.reasonCodes(url.searchParams.get('category')));
      if (sub === 'WrapUpReasons' && method === 'GET') return this.send(res, 200, renderWrapUpReasons(this.o.reasonCodes.Wrapup));
      if (sub === 'Dialogs' && method === 'GET') {
        return this.send(res, 200, renderDialogs([...view.dialogs.values()].map((d) => d.dialog), st.renderOptions));
      }
      if (sub === 'Dialogs' && method === 'POST') return this.makeCall(view, await this.readBody(req), requestId, res);
      if (sub === 'Queues' && method === 'GET') {
        if (st.flavor === Flavor.UCCX) throw new HttpError(404, 'Not Found', 'queue statistics are not available on UCCX');
        return this.send(res, 200, renderQueues(this.o.queuesOf(id).map((q) => st.queue(q))));
      }
      throw new HttpError(405, 'Method Not Allowed', `${method} ${path} is not supported`);
    }
    if ((m = /^\/finesse\/api\/Dialog\/([^/]+)$/.exec(path)) !== null) {
      const dialogId = decodeURIComponent(m[1] ?? '');
      const view = st.views.get(authUser);
      const entry = view?.dialogs.get(dialogId);
      if (view === undefined || entry === undefined) throw new HttpError(404, 'Not Found', `dialog ${dialogId} is not one of user ${authUser}'s dialogs`, dialogId);
      if (method === 'GET') return this.send(res, 200, renderDialog(entry.dialog, st.renderOptions));
      if (method === 'PUT') return this.putDialog(view, dialogId, await this.readBody(req), requestId, res);
      throw new HttpError(405, 'Method Not Allowed', `${method} ${path} is not supported`);
    }
    if ((m = /^\/finesse\/api\/Queue\/([^/]+)$/.exec(path)) !== null && method === 'GET') {
      const qid = decodeURIComponent(m[1] ?? '');
      if (st.flavor === Flavor.UCCX) throw new HttpError(404, 'Not Found', 'queue statistics are not available on UCCX');
      if (!st.queueIds().includes(qid)) throw new HttpError(404, 'Not Found', `no queue ${qid}`, qid);
      return this.send(res, 200, renderQueue(st.queue(qid)));
    }
    if ((m = /^\/finesse\/api\/Team\/([^/]+)$/.exec(path)) !== null && method === 'GET') {
      const tid = decodeURIComponent(m[1] ?? '');
      const members = [...st.views.values()].filter((v) => v.agent.teamId === tid);
      const first = members[0];
      if (first === undefined) throw new HttpError(404, 'Not Found', `no team ${tid}`, tid);
      return this.send(res, 200, renderTeam(tid, first.agent.teamName, members.map((v) => v.user)));
    }
    throw new HttpError(404, 'Not Found', `${method} ${path} is not a Finesse resource`);
  }

  private reasonCodes(category: string | null): string {
    const cat = (category ?? '').toUpperCase();
    if (cat !== 'NOT_READY' && cat !== 'LOGOUT') throw new HttpError(400, 'Invalid Input', 'category must be NOT_READY or LOGOUT', 'category');
    const codes: FinesseReasonCode[] = this.o.reasonCodes[cat === 'NOT_READY' ? 'NotReady' : 'Logout'].map((r) => ({ id: r.id, category: cat, code: r.id, label: r.label }));
    return renderReasonCodes(codes);
  }

  private async putUser(view: AgentView, body: string, requestId: string, res: ServerResponse): Promise<void> {
    const u = parseBody(body, 'User');
    const state = str(u, 'state').toUpperCase();
    const reasonCodeId = str(u, 'reasonCodeId');
    const source = this.o.state.cc.source(view.agent.id);
    let request: PlatformRequest;
    switch (state) {
      case 'LOGIN': {
        const ext = str(u, 'extension');
        if (ext === '') throw new HttpError(400, 'Invalid Input', 'LOGIN needs an <extension>', 'extension');
        if (ext !== view.agent.extension) throw new HttpError(400, 'Invalid Input', `extension ${ext} is not the device of user ${view.agent.id}`, 'extension');
        // Already signed in: Finesse accepts the LOGIN and changes nothing.
        if (view.user.state !== 'LOGOUT') return this.send(res, 202);
        request = { type: 'setAgentState', channelId: VOICE, state: 'NotReady', requestId };
        break;
      }
      case 'READY':
        request = { type: 'setAgentState', channelId: VOICE, state: 'Ready', requestId };
        break;
      case 'NOT_READY':
      case 'LOGOUT':
        request = { type: 'setAgentState', channelId: VOICE, state: state === 'LOGOUT' ? 'Logout' : 'NotReady', requestId, ...(reasonCodeId !== '' && reasonCodeId !== '-1' ? { reasonCode: reasonCodeId } : {}) };
        break;
      default:
        throw new HttpError(400, 'Invalid Input', `state must be LOGIN, READY, NOT_READY or LOGOUT (got "${state}")`, 'state');
    }
    if (state !== 'LOGIN' && view.user.state === 'LOGOUT') throw new HttpError(400, 'Invalid State', `user ${view.agent.id} is not signed in`, 'state');
    const onCall = ['TALKING', 'HOLD', 'RESERVED'].includes(view.user.state);
    try {
      await source.request(request);
    } catch (err) {
      throw new HttpError(400, 'Invalid State', ctiFailure(err).text, 'state');
    }
    if (onCall && state !== 'LOGOUT') {
      // During a call the change waits for the call to end: Finesse shows it as pendingState.
      view.pendingState = state;
      view.refreshUser(requestId, isoTime(this.o.state.clock));
    }
    this.send(res, 202);
  }

  private makeCall(view: AgentView, body: string, requestId: string, res: ServerResponse): void {
    const d = parseBody(body, 'Dialog');
    if (str(d, 'requestedAction').toUpperCase() !== 'MAKE_CALL') throw new HttpError(400, 'Invalid Input', 'requestedAction must be MAKE_CALL', 'requestedAction');
    const to = str(d, 'toAddress');
    const from = str(d, 'fromAddress');
    if (to === '') throw new HttpError(400, 'Invalid Input', 'MAKE_CALL needs a <toAddress>', 'toAddress');
    if (from !== '' && from !== view.agent.extension) throw new HttpError(400, 'Invalid Input', `fromAddress ${from} is not the extension of user ${view.agent.id}`, 'fromAddress');
    if (view.user.state === 'LOGOUT') throw new HttpError(400, 'Invalid State', `user ${view.agent.id} is not signed in`, 'state');
    const data = callData(d);
    if (Object.keys(data).length > 0) {
      // FINESSE.md, UCCE vs UCCX: MAKE_CALL with call variables is refused on UCCX.
      if (this.o.state.flavor === Flavor.UCCX) throw new HttpError(400, 'Invalid Input', 'call variables are not supported with MAKE_CALL on UCCX', 'mediaProperties');
      const key = requestId !== '' ? requestId : `emulator-${this.nextInternalId++}`;
      this.pendingCallData.set(key, { agentId: view.agent.id, data });
      requestId = key;
    }
    this.send(res, 202);
    this.carryOut(view, { type: 'makeCall', channelId: VOICE, address: to, requestId }, view.dialogsNode);
  }

  private putDialog(view: AgentView, dialogId: string, body: string, requestId: string, res: ServerResponse): void {
    const d = parseBody(body, 'Dialog');
    const action = str(d, 'requestedAction').toUpperCase();
    const target = str(d, 'targetMediaAddress');
    if (target !== '' && target !== view.agent.extension) throw new HttpError(400, 'Invalid Input', `targetMediaAddress ${target} is not the extension of user ${view.agent.id}`, 'targetMediaAddress');
    const base = { workitemId: dialogId, requestId };
    let request: PlatformRequest;
    const toAddress = (): string => {
      const to = str(d, 'toAddress');
      if (to === '') throw new HttpError(400, 'Invalid Input', `${action} needs a <toAddress>`, 'toAddress');
      return to;
    };
    const consultId = (): string => {
      for (const [id, e] of view.dialogs) if (id !== dialogId && e.dialog.associatedDialogUri === `/finesse/api/Dialog/${dialogId}`) return id;
      for (const [id, e] of view.dialogs) if (id !== dialogId && e.dialog.state === 'ACTIVE') return id;
      throw new HttpError(400, 'Invalid State', `${action} needs an active consult call besides dialog ${dialogId}`, dialogId);
    };
    switch (action) {
      case 'ANSWER':
        request = { type: 'answer', ...base };
        break;
      case 'HOLD':
        request = { type: 'hold', ...base };
        break;
      case 'RETRIEVE':
        request = { type: 'resume', ...base };
        break;
      case 'DROP':
        request = { type: 'end', ...base };
        break;
      case 'CONSULT_CALL':
        request = { type: 'consult', ...base, address: toAddress() };
        break;
      case 'TRANSFER_SST':
        request = { type: 'directTransfer', ...base, address: toAddress() };
        break;
      case 'TRANSFER':
        request = { type: 'transfer', ...base, consultId: consultId() };
        break;
      case 'CONFERENCE':
        request = { type: 'conference', ...base, consultId: consultId() };
        break;
      case 'SEND_DTMF': {
        const p = list(d, 'actionParams', 'ActionParam').find((x) => str(x, 'name') === 'dtmfString');
        const digits = p === undefined ? '' : str(p, 'value');
        if (digits === '') throw new HttpError(400, 'Invalid Input', 'SEND_DTMF needs actionParams/ActionParam dtmfString', 'dtmfString');
        const ok = this.o.state.flavor === Flavor.UCCE ? /^[0-9*#A-D]+$/ : /^[0-9*#]+$/;
        if (!ok.test(digits)) throw new HttpError(400, 'Invalid Input', `dtmfString "${digits}" has characters ${this.o.state.flavor} does not send`, 'dtmfString');
        request = { type: 'sendDtmf', ...base, digits };
        break;
      }
      case 'UPDATE_CALL_DATA': {
        const data = callData(d);
        if (Object.keys(data).length === 0) throw new HttpError(400, 'Invalid Input', 'UPDATE_CALL_DATA needs mediaProperties (wrapUpReason or callvariables)', 'mediaProperties');
        request = { type: 'updateData', ...base, data };
        break;
      }
      default:
        throw new HttpError(400, 'Invalid Input', `requestedAction "${action}" is not a dialog action`, 'requestedAction');
    }
    this.send(res, 202);
    this.carryOut(view, request, `/finesse/api/Dialog/${dialogId}`);
  }

  /** After the 202: run the request; a refusal becomes a CTI error notification. */
  private carryOut(view: AgentView, request: PlatformRequest, source: string): void {
    this.o.state.cc
      .source(view.agent.id)
      .request(request)
      .catch((err: unknown) => {
        const f = ctiFailure(err);
        this.o.state.publishCtiError(view.agent.id, source, request.requestId, f.errorMessage, f.errorData);
      });
  }
}
