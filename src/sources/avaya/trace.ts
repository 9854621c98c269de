/**
 * @module sources/avaya/trace
 * The Avaya trace format for `switchboard replay --source avaya` (docs/avaya.md): JSON Lines,
 * an optional `setup` line first, then one `message` line per postMessage the CRM page's window
 * received — its time, the sender's origin and the message data (seed 004's CRMConnectMessage,
 * or anything else a page may receive).
 *
 * ```json
 * {"at": "2026-03-02T08:00:00.000Z", "kind": "setup", "agent": {"agentId": "1001"}, "allowedOrigin": "https://connector.avaya.example"}
 * {"at": "2026-03-02T08:05:00.000Z", "kind": "message", "origin": "https://connector.avaya.example", "data": {"type": "CRMConnectMessage", "action": "requestSaveInteractionLog", "data": {"message": {"body": {...}}}}}
 * ```
 *
 * Replays go through the real {@link AvayaSource}: {@link createAvayaReplay} feeds each message
 * to a {@link FakeMessageWindow} the source listens on, so that the origin check, the window
 * check and the body validation all run. Parsing only checks the line's own shape; what the
 * message says is the source's business (a bad body is an `error` event, not a bad line).
 *
 * Parsing never throws: a bad line comes back as `{ error }` starting with `line N:`.
 */
import { normalizeOrigin, type MessageEventLike, type MessageEventSource } from '../../bridge/window.js';
import type { SimulatedClock } from '../../core/clock.js';
import { traceOrder } from '../../core/trace-order.js';
import { ErrorCode, SwitchboardError } from '../../core/errors.js';
import { AvayaSource, type AvayaAgent } from './source.js';

/** A window for tests and replays: `dispatch` delivers a message event to every listener. */
export class FakeMessageWindow implements MessageEventSource {
  private readonly listeners = new Set<(event: MessageEventLike) => void>();

  addEventListener(_type: 'message', listener: (event: MessageEventLike) => void): void {
    this.listeners.add(listener);
  }

  removeEventListener(_type: 'message', listener: (event: MessageEventLike) => void): void {
    this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  dispatch(event: MessageEventLike): void {
    for (const l of [...this.listeners]) l(event);
  }
}

/** The set-up of an Avaya trace (the `setup` line without `at` and `kind`). */
export interface AvayaSetup {
  agent: AvayaAgent;
  /** The connector frame's exact origin. */
  allowedOrigin: string;
}

/** Used when a trace has no setup line. */
export const DEFAULT_AVAYA_SETUP: AvayaSetup = {
  agent: { agentId: '1001', extension: '1001001', firstName: 'Ada', lastName: 'Meier', loginName: 'ameier', teamId: 'team1' },
  allowedOrigin: 'https://connector.avaya.example',
};

/** Which window a replayed message came from: the connector's frame, or some other window. */
export type AvayaTraceWindow = 'connector' | 'other';

interface Line {
  /** ms since the epoch. */
  at: number;
  /** 1-based line number. */
  line: number;
}

export type AvayaTraceCommand =
  | (Line & { kind: 'setup'; setup: AvayaSetup })
  | (Line & { kind: 'message'; origin: string; window: AvayaTraceWindow; data: unknown });

const AGENT_FIELDS = ['agentId', 'extension', 'firstName', 'lastName', 'loginName', 'teamId', 'activeDeviceId'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The agent of a setup line, or what is wrong with it. Shared with the Bright Pattern trace. */
export function parseTraceAgent(v: unknown): AvayaAgent | string {
  if (!isObject(v)) return '"agent" must be an object with "agentId"';
  for (const k of Object.keys(v)) if (!AGENT_FIELDS.includes(k)) return `unknown agent field "${k}" (known: ${AGENT_FIELDS.join(', ')})`;
  for (const [k, val] of Object.entries(v)) if (typeof val !== 'string') return `"agent.${k}" must be a string (got ${JSON.stringify(val)})`;
  if (typeof v.agentId !== 'string' || v.agentId === '') return '"agent.agentId" must be a non-empty string';
  return v as AvayaAgent;
}

/** `at` and the object of one line, or the error. Shared with the Bright Pattern trace. */
export function parseTraceObject(text: string, lineNo: number): { at: number; value: Record<string, unknown> } | { error: string } {
  const where = `line ${lineNo}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: `${where}: not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  if (!isObject(value)) return { error: `${where}: a trace line must be a JSON object` };
  if (typeof value.at !== 'string' || Number.isNaN(Date.parse(value.at))) return { error: `${where}: "at" must be an ISO 8601 time (got ${JSON.stringify(value.at)})` };
  return { at: Date.parse(value.at), value };
}

/** Unknown keys of a line, as an error message, or undefined. */
export function unknownField(value: Record<string, unknown>, known: readonly string[], kind: string): string | undefined {
  for (const k of Object.keys(value)) {
    if (k !== 'at' && k !== 'kind' && !known.includes(k)) return `unknown field "${k}" for kind "${kind}" (known: ${known.join(', ')})`;
  }
  return undefined;
}

const KINDS = ['setup', 'message'];

/**
 * Parse one line of an Avaya trace. Never throws.
 *
 * @example
 * const cmd = parseAvayaTraceLine(text, 3);
 * if ('error' in cmd) console.error(cmd.error); // "line 3: ..."
 */
export function parseAvayaTraceLine(text: string, lineNo: number): AvayaTraceCommand | { error: string } {
  const where = `line ${lineNo}`;
  const parsed = parseTraceObject(text, lineNo);
  if ('error' in parsed) return parsed;
  const { at, value } = parsed;
  const kind = value.kind;
  if (typeof kind !== 'string' || !KINDS.includes(kind)) return { error: `${where}: unknown kind ${JSON.stringify(kind)} (known: ${KINDS.join(', ')})` };
  if (kind === 'setup') {
    const unknown = unknownField(value, ['agent', 'allowedOrigin'], kind);
    if (unknown !== undefined) return { error: `${where}: ${unknown}` };
    const agent = parseTraceAgent(value.agent);
    if (typeof agent === 'string') return { error: `${where}: setup: ${agent}` };
    const origin = value.allowedOrigin;
    if (typeof origin !== 'string' || normalizeOrigin(origin) === undefined) {
      return { error: `${where}: setup: "allowedOrigin" must be an exact http(s) origin like https://connector.example.com (got ${JSON.stringify(origin)})` };
    }
    return { kind: 'setup', at, line: lineNo, setup: { agent, allowedOrigin: origin } };
  }
  const unknown = unknownField(value, ['origin', 'window', 'data'], kind);
  if (unknown !== undefined) return { error: `${where}: ${unknown}` };
  if (typeof value.origin !== 'string' || value.origin === '') return { error: `${where}: message: "origin" must be a non-empty string (got ${JSON.stringify(value.origin)})` };
  const win = value.window ?? 'connector';
  if (win !== 'connector' && win !== 'other') return { error: `${where}: message: "window" must be "connector" or "other" (got ${JSON.stringify(value.window)})` };
  if (!('data' in value)) return { error: `${where}: message: "data" is required (the message the window received)` };
  return { kind: 'message', at, line: lineNo, origin: value.origin, window: win, data: value.data };
}

/** A replay of an Avaya trace through the real source. */
export interface AvayaReplay {
  /** Connect it (for example through `createAgent`) before applying messages. */
  readonly source: AvayaSource;
  /** The window the source listens on. */
  readonly window: FakeMessageWindow;
  readonly setup: AvayaSetup;
  /** Move the clock to the line's time, then deliver its message. Rejects (PARSE_ERROR, `line N:`) on a line out of time order or a late setup. */
  apply(cmd: AvayaTraceCommand): Promise<void>;
}

/**
 * Start replaying an Avaya trace from its first command: its setup (or `fallback`) configures
 * the source; the clock moves to its time.
 *
 * @example
 * const clock = new SimulatedClock(0);
 * const replay = createAvayaReplay(first, clock);
 * const agent = createAgent({ source: replay.source, clock });
 * await agent.connect();
 * await replay.apply(first);
 */
export function createAvayaReplay(first: AvayaTraceCommand, clock: SimulatedClock, fallback: AvayaSetup = DEFAULT_AVAYA_SETUP): AvayaReplay {
  const setup = first.kind === 'setup' ? first.setup : fallback;
  const window = new FakeMessageWindow();
  const windows: Record<AvayaTraceWindow, object> = { connector: { name: 'avaya-connector-frame' }, other: { name: 'another-window' } };
  if (clock.now() < first.at) clock.set(first.at);
  const source = new AvayaSource({ window, allowedOrigin: setup.allowedOrigin, expectedSource: windows.connector, agent: setup.agent, clock });
  const order = traceOrder(clock);
  return {
    source,
    window,
    setup,
    apply(cmd) {
      try {
        order.step(cmd);
        if (cmd.kind === 'message') {
          if (!source.connected) throw new SwitchboardError(ErrorCode.NOT_CONNECTED, `line ${cmd.line}: the Avaya source is not connected (connect it before applying messages)`);
          window.dispatch({ origin: cmd.origin, source: windows[cmd.window], data: cmd.data });
        }
        return Promise.resolve();
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
  };
}
