/**
 * @module bridge/protocol
 * The WebSocket protocol between the gadget (browser) and the server. The server runs the
 * platform sources (simulator, Finesse); the gadget runs the core itself (AgentSession,
 * Integration API, `cil`, the C4C sink) over a {@link RemoteSource} that speaks this protocol.
 * So the wire carries the core's own normalized platform updates and requests — one model,
 * no second event vocabulary — and a reload is call recovery: the server replays the session,
 * agent state and live workitems on `hello`, exactly as a source does on connect.
 *
 * Every message is JSON with a `type`; both sides validate what they receive with the guards
 * below and answer a malformed message with a `problem` naming what was wrong.
 */
import type { SerializedSwitchboardError } from '../core/errors.js';
import type { PlatformRequest } from '../core/source.js';
import type { PlatformUpdate } from '../core/updates.js';
import { describeUpdateProblem } from '../core/guards.js';
import { ALL_REQUEST_TYPES } from '../core/source.js';

export const PROTOCOL_VERSION = 1;

/** gadget → server */
export type ClientMessage =
  /** Attach to an agent's source; the server answers `welcome`, then the source's updates. */
  | { type: 'hello'; protocol: number; agentId: string }
  /** Carry out a request; the server answers `response` with the same requestId. */
  | { type: 'request'; request: PlatformRequest }
  | { type: 'ping'; id: string }
  /**
   * The agent picks which of a workitem's `participantLookupResult` records is the caller
   * (seed 001: `associatedParticipant` "set when ... the agent picks one"); the server answers
   * `response` with the same requestId.
   */
  | { type: 'crmPick'; requestId: string; workitemId: string; recordId: string };

/** server → gadget */
export type ServerMessage =
  | { type: 'welcome'; protocol: number; agentId: string; source: string }
  | { type: 'update'; update: PlatformUpdate }
  | { type: 'response'; requestId: string; ok: true }
  | { type: 'response'; requestId: string; ok: false; error: SerializedSwitchboardError }
  | { type: 'pong'; id: string }
  /** A message that could not be taken (malformed, unknown agent, ...): never silently dropped. */
  | { type: 'problem'; message: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const REQUEST_TYPES: ReadonlySet<string> = new Set(ALL_REQUEST_TYPES);

/** What is wrong with a message a gadget sent, or undefined. */
export function describeClientMessageProblem(m: unknown): string | undefined {
  if (!isObj(m)) return 'message must be a JSON object';
  switch (m.type) {
    case 'hello':
      if (m.protocol !== PROTOCOL_VERSION) return `hello: protocol must be ${PROTOCOL_VERSION} (got ${JSON.stringify(m.protocol)})`;
      if (typeof m.agentId !== 'string' || m.agentId === '') return 'hello: "agentId" must be a non-empty string';
      return undefined;
    case 'request': {
      const r = m.request;
      if (!isObj(r)) return 'request: "request" must be an object';
      if (typeof r.type !== 'string' || !REQUEST_TYPES.has(r.type)) return `request: unknown request type ${JSON.stringify(r.type)}`;
      if (typeof r.requestId !== 'string' || r.requestId === '') return 'request: "request.requestId" must be a non-empty string';
      return undefined;
    }
    case 'ping':
      return typeof m.id === 'string' ? undefined : 'ping: "id" must be a string';
    case 'crmPick':
      for (const k of ['requestId', 'workitemId', 'recordId'] as const) if (typeof m[k] !== 'string' || m[k] === '') return `crmPick: "${k}" must be a non-empty string`;
      return undefined;
    default:
      return `unknown message type ${JSON.stringify(m.type)}`;
  }
}

/** What is wrong with a message the server sent, or undefined. */
export function describeServerMessageProblem(m: unknown): string | undefined {
  if (!isObj(m)) return 'message must be a JSON object';
  switch (m.type) {
    case 'welcome':
      return typeof m.agentId === 'string' && typeof m.source === 'string' && m.protocol === PROTOCOL_VERSION ? undefined : 'welcome: needs protocol, agentId and source';
    case 'update': {
      const p = describeUpdateProblem(m.update);
      return p === undefined ? undefined : `update: ${p}`;
    }
    case 'response':
      if (typeof m.requestId !== 'string') return 'response: "requestId" must be a string';
      if (m.ok === true) return undefined;
      if (m.ok !== false || !isObj(m.error) || typeof m.error.code !== 'string' || typeof m.error.message !== 'string') return 'response: a failure needs "error" with "code" and "message"';
      return undefined;
    case 'pong':
      return typeof m.id === 'string' ? undefined : 'pong: "id" must be a string';
    case 'problem':
      return typeof m.message === 'string' ? undefined : 'problem: "message" must be a string';
    default:
      return `unknown message type ${JSON.stringify(m.type)}`;
  }
}

/** Parse one frame; never throws. */
export function parseFrame(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (err) {
    return { error: `not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}
