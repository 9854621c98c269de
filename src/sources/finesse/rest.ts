/**
 * @module sources/finesse/rest
 * The Finesse REST API (FINESSE.md "REST"; Cisco Finesse developer guide 12.5) as a small typed
 * client. GETs return the resource's XML text (./parse.ts reads it); PUT/POST send the exact
 * bodies Cisco documents, every value escaped, with a `requestId` header that the resulting
 * `<Update>` echoes. Every failure is a {@link SwitchboardError} carrying the request's id:
 * `<ApiErrors>` bodies are parsed (type, message and data in the message), HTML or empty error
 * bodies are named by their status, 401 is an authentication error, 503 means Finesse is failing
 * over (NOT_CONNECTED), no answer within `timeoutMs` is TIMEOUT.
 *
 * Credentials go into the Authorization header and nowhere else: no message, cause or log line
 * built here contains the user's password or token.
 *
 * Browser-safe: global `fetch`, `AbortController`, `TextEncoder`, `btoa`; time from the Clock.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Clock } from '../../core/clock.js';
import { ErrorCode, SwitchboardError } from '../../core/errors.js';
import type { DialogAction } from './types.js';

export type FinesseAuth = { kind: 'basic'; user: string; password: string } | { kind: 'bearer'; token: string };

export type FetchLike = (input: string, init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal }) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

export interface FinesseRestOptions {
  /** e.g. `https://finesse.example.com:8445` (no trailing `/finesse`). */
  baseUrl: string;
  auth: FinesseAuth;
  clock: Clock;
  /** Defaults to the global `fetch`. */
  fetch?: FetchLike;
  /** Per request; default 10 000 ms. */
  timeoutMs?: number;
  /** Request ids for PUT/POST when the caller gives none; default `crypto.randomUUID`. */
  newRequestId?: () => string;
}

export const NotReadyCategory = { NOT_READY: 'NOT_READY', LOGOUT: 'LOGOUT' } as const;
export type ReasonCategory = (typeof NotReadyCategory)[keyof typeof NotReadyCategory];

/** What a PUT/POST resolves with: Finesse accepted it (202); the outcome comes as a notification. */
export interface Accepted {
  requestId: string;
  status: number;
}

export interface DialogActionParams {
  /** The agent's extension (the device the action applies to). */
  targetMediaAddress: string;
  /** CONSULT_CALL, TRANSFER_SST. */
  toAddress?: string;
  /** SEND_DTMF: the digits. */
  dtmf?: string;
  /** UPDATE_CALL_DATA: wrapUpReason and call variables (`callVariable1`, `user.x`). */
  callData?: Record<string, string>;
}

/** XML text escaping for element content and attribute values. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

function el(name: string, value: string): string {
  return `<${name}>${escapeXml(value)}</${name}>`;
}

function callVariablesXml(vars: Record<string, string>): string {
  return `<callvariables>${Object.entries(vars)
    .map(([name, value]) => `<CallVariable>${el('name', name)}${el('value', value)}</CallVariable>`)
    .join('')}</callvariables>`;
}

/** The `<Dialog>` body of a dialog action (FINESSE.md's table and "Dialog actions"). */
export function dialogActionBody(action: DialogAction, params: DialogActionParams): string {
  let inner = el('requestedAction', action) + el('targetMediaAddress', params.targetMediaAddress);
  if (params.toAddress !== undefined) inner += el('toAddress', params.toAddress);
  if (params.dtmf !== undefined) {
    inner += `<actionParams><ActionParam>${el('name', 'dtmfString')}${el('value', params.dtmf)}</ActionParam></actionParams>`;
  }
  if (params.callData !== undefined) {
    const { wrapUpReason, ...vars } = params.callData;
    let media = '';
    if (wrapUpReason !== undefined) media += el('wrapUpReason', wrapUpReason);
    if (Object.keys(vars).length > 0) media += callVariablesXml(vars);
    inner += `<mediaProperties>${media}</mediaProperties>`;
  }
  return `<Dialog>${inner}</Dialog>`;
}

/** The MAKE_CALL body (POST /User/{id}/Dialogs). */
export function makeCallBody(from: string, to: string, callVariables?: Record<string, string>): string {
  let inner = el('requestedAction', 'MAKE_CALL') + el('fromAddress', from) + el('toAddress', to);
  if (callVariables !== undefined && Object.keys(callVariables).length > 0) {
    inner += `<mediaProperties>${callVariablesXml(callVariables)}</mediaProperties>`;
  }
  return `<Dialog>${inner}</Dialog>`;
}

/** The `<User>` body of a state change or sign-in. */
export function userStateBody(state: string, options: { reasonCodeId?: string; extension?: string } = {}): string {
  let inner = el('state', state);
  if (options.extension !== undefined) inner += el('extension', options.extension);
  if (options.reasonCodeId !== undefined && options.reasonCodeId !== '') inner += el('reasonCodeId', options.reasonCodeId);
  return `<User>${inner}</User>`;
}

export interface ParsedApiError {
  errorType: string;
  errorMessage: string;
  errorData: string;
}

const errorParser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, isArray: () => true });

function text(node: unknown): string {
  if (Array.isArray(node)) return text((node as unknown[])[0]);
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (typeof node === 'object' && node !== null && '#text' in node) return text((node as Record<string, unknown>)['#text']);
  return '';
}

/** Find a child by name, case-insensitively (Finesse varies `ApiErrors` / `apiErrors`). */
function child(node: unknown, name: string): unknown[] {
  const obj: unknown = Array.isArray(node) ? (node as unknown[])[0] : node;
  if (typeof obj !== 'object' || obj === null) return [];
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (k.toLowerCase() === name.toLowerCase()) return Array.isArray(v) ? (v as unknown[]) : [v];
  }
  return [];
}

/** `<ApiErrors><ApiError>...` as a list; empty when the body is not one. Never throws. */
export function parseApiErrorsBody(body: string): ParsedApiError[] {
  if (!/<\s*apiErrors[\s>]/i.test(body)) return [];
  try {
    if (XMLValidator.validate(body) !== true) return [];
    const doc = errorParser.parse(body) as unknown;
    return child(child(doc, 'apiErrors'), 'apiError').map((e) => ({
      errorType: text(child(e, 'errorType')),
      errorMessage: text(child(e, 'errorMessage')),
      errorData: text(child(e, 'errorData')),
    }));
  } catch {
    return [];
  }
}

function base64Utf8(s: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(s)) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** A short, credential-free description of a non-XML error body (HTML title, or its start). */
function describeBody(body: string): string {
  const trimmed = body.trim();
  if (trimmed === '') return 'empty body';
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
  if (title !== undefined && title !== '') return `HTML page "${title.slice(0, 120)}"`;
  if (/^<(!doctype|html)/i.test(trimmed)) return 'HTML page';
  return `body "${trimmed.replace(/\s+/g, ' ').slice(0, 120)}"`;
}

/**
 * The Finesse REST client of one agent.
 *
 * @example
 * const rest = new FinesseRest({ baseUrl: 'https://finesse.example.com:8445', auth: { kind: 'basic', user: '1001', password }, clock: systemClock });
 * const { requestId } = await rest.setState('1001', 'NOT_READY', '16');
 */
export class FinesseRest {
  private readonly baseUrl: string;
  private readonly authorization: string;
  private readonly clock: Clock;
  private readonly fetchFn: FetchLike;
  private readonly timeoutMs: number;
  private readonly newRequestId: () => string;
  /** Secrets to scrub from any text that might reach a message (a server echoing the header). */
  private readonly secrets: string[];

  constructor(options: FinesseRestOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.clock = options.clock;
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.newRequestId = options.newRequestId ?? (() => globalThis.crypto.randomUUID());
    if (options.auth.kind === 'basic') {
      const encoded = base64Utf8(`${options.auth.user}:${options.auth.password}`);
      this.authorization = `Basic ${encoded}`;
      this.secrets = [options.auth.password, encoded].filter((s) => s.length >= 3);
    } else {
      this.authorization = `Bearer ${options.auth.token}`;
      this.secrets = [options.auth.token].filter((s) => s.length >= 3);
    }
  }

  // ---- GET: the resource's XML text --------------------------------------------------------

  getSystemInfo(): Promise<string> {
    return this.get('/finesse/api/SystemInfo');
  }

  getUser(userId: string): Promise<string> {
    return this.get(`/finesse/api/User/${encodeURIComponent(userId)}`);
  }

  getReasonCodes(userId: string, category: ReasonCategory): Promise<string> {
    return this.get(`/finesse/api/User/${encodeURIComponent(userId)}/ReasonCodes?category=${encodeURIComponent(category)}`);
  }

  getWrapUpReasons(userId: string): Promise<string> {
    return this.get(`/finesse/api/User/${encodeURIComponent(userId)}/WrapUpReasons`);
  }

  getDialogs(userId: string): Promise<string> {
    return this.get(`/finesse/api/User/${encodeURIComponent(userId)}/Dialogs`);
  }

  /** UCCE only (UCCX has no queue statistics). */
  getQueue(queueId: string): Promise<string> {
    return this.get(`/finesse/api/Queue/${encodeURIComponent(queueId)}`);
  }

  getQueues(userId: string): Promise<string> {
    return this.get(`/finesse/api/User/${encodeURIComponent(userId)}/Queues`);
  }

  getTeam(teamId: string): Promise<string> {
    return this.get(`/finesse/api/Team/${encodeURIComponent(teamId)}`);
  }

  // ---- PUT/POST: accepted with 202, outcome by notification --------------------------------

  signIn(userId: string, extension: string, requestId?: string): Promise<Accepted> {
    return this.send('PUT', `/finesse/api/User/${encodeURIComponent(userId)}`, userStateBody('LOGIN', { extension }), requestId);
  }

  /** READY, NOT_READY (optionally with a reason code id), LOGOUT (likewise). */
  setState(userId: string, state: string, reasonCodeId?: string, requestId?: string): Promise<Accepted> {
    const opts = reasonCodeId === undefined ? {} : { reasonCodeId };
    return this.send('PUT', `/finesse/api/User/${encodeURIComponent(userId)}`, userStateBody(state, opts), requestId);
  }

  makeCall(userId: string, from: string, to: string, callVariables?: Record<string, string>, requestId?: string): Promise<Accepted> {
    return this.send('POST', `/finesse/api/User/${encodeURIComponent(userId)}/Dialogs`, makeCallBody(from, to, callVariables), requestId);
  }

  dialogAction(dialogId: string, action: DialogAction, params: DialogActionParams, requestId?: string): Promise<Accepted> {
    return this.send('PUT', `/finesse/api/Dialog/${encodeURIComponent(dialogId)}`, dialogActionBody(action, params), requestId);
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private async get(path: string): Promise<string> {
    const res = await this.call('GET', path, undefined, undefined);
    return res.body;
  }

  private async send(method: 'PUT' | 'POST', path: string, body: string, requestId?: string): Promise<Accepted> {
    const id = requestId ?? this.newRequestId();
    const res = await this.call(method, path, body, id);
    return { requestId: id, status: res.status };
  }

  private scrub(s: string): string {
    let out = s;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out;
  }

  private async call(method: string, path: string, body: string | undefined, requestId: string | undefined): Promise<{ status: number; body: string }> {
    const headers: Record<string, string> = { Authorization: this.authorization, Accept: 'application/xml' };
    if (body !== undefined) headers['Content-Type'] = 'application/xml';
    if (requestId !== undefined) headers.requestId = requestId;
    const what = `${method} ${path.replace(/\?.*$/, '')}`;
    const controller = new AbortController();
    let timedOut = false;
    const timer = this.clock.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    try {
      const init: Parameters<FetchLike>[1] = { method, headers, signal: controller.signal };
      if (body !== undefined) init.body = body;
      let res: Awaited<ReturnType<FetchLike>>;
      let text: string;
      try {
        res = await this.fetchFn(this.baseUrl + path, init);
        text = await res.text();
      } catch (err) {
        if (timedOut) throw new SwitchboardError(ErrorCode.TIMEOUT, `Finesse did not answer ${what} within ${this.timeoutMs} ms`, { requestId });
        const reason = err instanceof Error ? this.scrub(err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : 'network error';
        throw new SwitchboardError(ErrorCode.NOT_CONNECTED, `Finesse is unreachable (${what}): ${reason}`, { requestId });
      }
      if (res.status >= 200 && res.status < 300) return { status: res.status, body: text };
      throw this.httpError(what, res.status, text, requestId);
    } finally {
      this.clock.clearTimeout(timer);
    }
  }

  private httpError(what: string, status: number, body: string, requestId: string | undefined): SwitchboardError {
    const apiErrors = parseApiErrorsBody(body);
    const detail =
      apiErrors.length > 0
        ? apiErrors.map((e) => [e.errorType, e.errorMessage, e.errorData === '' ? '' : `(data ${e.errorData})`].filter((s) => s !== '').join(': ')).join('; ')
        : describeBody(body);
    const safe = this.scrub(detail);
    if (status === 401) {
      return new SwitchboardError(ErrorCode.PLATFORM_ERROR, `Finesse rejected the credentials (HTTP 401 on ${what}): check the agent's user id and password or SSO token`, { requestId });
    }
    if (status === 503) {
      return new SwitchboardError(ErrorCode.NOT_CONNECTED, `Finesse is failing over or out of service (HTTP 503 on ${what}); retry once it is IN_SERVICE`, { requestId });
    }
    const code = status === 400 && apiErrors.some((e) => /invalid input/i.test(e.errorType) || /invalid/i.test(e.errorMessage)) ? ErrorCode.INVALID_ARGUMENT : ErrorCode.PLATFORM_ERROR;
    return new SwitchboardError(code, `Finesse refused ${what} (HTTP ${status}): ${safe}`, { requestId });
  }
}
