/**
 * @module sources/finesse/trace
 * The Finesse trace format for `switchboard replay --source finesse` (SPEC.md, "switchboard
 * replay"; docs/finesse.md): JSON Lines, an optional `setup` line first, then one line per
 * XMPP pubsub item the agent received — its time, the pubsub node and the `<Update>` text.
 *
 * ```json
 * {"at": "2026-03-02T08:00:00.000Z", "kind": "setup", "agent": {"agentId": "2001", "extension": "2001001"}, "flavor": "UCCE"}
 * {"at": "2026-03-02T08:16:11.000Z", "node": "/finesse/api/User/2001/Dialogs", "xml": "<Update>...</Update>"}
 * ```
 *
 * Without a setup line the agent id comes from the first line's node (`/finesse/api/User/<id>`)
 * and the extension from the first User notification. Replays go through the real parser and
 * reducer; a replay cannot act, so every request fails NOT_CONNECTED. An `<Update>` that does
 * not parse is an `error` event (a platformError naming the line), not a bad line: parsing the
 * line only checks its own shape. Parsing never throws: a bad line comes back as `{ error }`
 * starting with `line N:`.
 */
import type { SimulatedClock } from '../../core/clock.js';
import { traceOrder } from '../../core/trace-order.js';
import { ErrorCode, SwitchboardError, isSwitchboardError } from '../../core/errors.js';
import { Flavor, completeAgentInfo, type AgentInfo } from '../../core/model.js';
import { ALL_REQUEST_TYPES, type PlatformRequest, type PlatformRequestType, type Source, type UpdateSink } from '../../core/source.js';
import type { PlatformUpdate } from '../../core/updates.js';
import { parseTraceAgent, parseTraceObject, unknownField } from '../avaya/trace.js';
import { parseNotification } from './parse.js';
import { FINESSE_SOURCE_KIND, FinesseReducer } from './reducer.js';

/** The agent of a Finesse trace: `agentId` is required, the rest defaults to ''. */
export type FinesseTraceAgent = Pick<AgentInfo, 'agentId'> & Partial<AgentInfo>;

/** The set-up of a Finesse trace (the `setup` line without `at` and `kind`). */
export interface FinesseSetup {
  agent: FinesseTraceAgent;
  flavor: Flavor;
}

interface Line {
  /** ms since the epoch. */
  at: number;
  /** 1-based line number. */
  line: number;
}

export type FinesseTraceCommand = (Line & { kind: 'setup'; setup: FinesseSetup }) | (Line & { kind: 'notification'; node: string; xml: string });

const NODE = /^\/finesse\/api\/[A-Za-z]+(?:\/[^/\s]+)*$/;
const USER_NODE = /^\/finesse\/api\/User\/([^/\s]+)/i;

/**
 * Parse one line of a Finesse trace. Never throws.
 *
 * @example
 * const cmd = parseFinesseTraceLine(text, 3);
 * if ('error' in cmd) console.error(cmd.error); // "line 3: ..."
 */
export function parseFinesseTraceLine(text: string, lineNo: number): FinesseTraceCommand | { error: string } {
  const where = `line ${lineNo}`;
  const parsed = parseTraceObject(text, lineNo);
  if ('error' in parsed) return parsed;
  const { at, value } = parsed;
  if (value.kind === 'setup') {
    const unknown = unknownField(value, ['agent', 'flavor'], 'setup');
    if (unknown !== undefined) return { error: `${where}: ${unknown}` };
    const agent = parseTraceAgent(value.agent);
    if (typeof agent === 'string') return { error: `${where}: setup: ${agent}` };
    const flavor = value.flavor ?? Flavor.UCCE;
    if (flavor !== Flavor.UCCE && flavor !== Flavor.UCCX) return { error: `${where}: setup: "flavor" must be "UCCE" or "UCCX" (got ${JSON.stringify(value.flavor)})` };
    return { kind: 'setup', at, line: lineNo, setup: { agent, flavor } };
  }
  if (value.kind !== undefined && value.kind !== 'notification') {
    return { error: `${where}: unknown kind ${JSON.stringify(value.kind)} (known: setup; a notification line has "node" and "xml" and no kind)` };
  }
  const unknown = unknownField(value, ['node', 'xml'], 'notification');
  if (unknown !== undefined) return { error: `${where}: ${unknown}` };
  if (typeof value.node !== 'string' || !NODE.test(value.node)) return { error: `${where}: "node" must be a Finesse pubsub node like /finesse/api/User/1001/Dialogs (got ${JSON.stringify(value.node)})` };
  if (typeof value.xml !== 'string' || value.xml.trim() === '') return { error: `${where}: "xml" must be the <Update> document as a non-empty string` };
  return { kind: 'notification', at, line: lineNo, node: value.node, xml: value.xml };
}

/** A log-and-notify Source fed by a replay: announces the agent, relays reducer updates. */
class FinesseReplaySource implements Source {
  readonly kind = FINESSE_SOURCE_KIND;
  /** What a live Finesse source can do; a replay refuses each request with NOT_CONNECTED. */
  readonly supports: ReadonlySet<PlatformRequestType> = new Set(ALL_REQUEST_TYPES.filter((t) => t !== 'singleStepConference'));
  private emit: UpdateSink | undefined;

  constructor(
    private readonly agent: AgentInfo,
    private readonly reducer: FinesseReducer,
  ) {}

  get connected(): boolean {
    return this.emit !== undefined;
  }

  connect(emit: UpdateSink): Promise<void> {
    this.emit = emit;
    const session = this.reducer.sessionUpdate({
      loginId: this.agent.agentId,
      loginName: this.agent.loginName,
      firstName: this.agent.firstName,
      lastName: this.agent.lastName,
      extension: this.agent.extension,
      state: '',
      pendingState: '',
      reasonCodeId: '',
      stateChangeTime: '',
      teamId: this.agent.teamId,
      teamName: '',
      wrapUpOnIncoming: '',
    });
    emit(session);
    return Promise.resolve();
  }

  disconnect(): Promise<void> {
    this.emit = undefined;
    return Promise.resolve();
  }

  request(request: PlatformRequest): Promise<void> {
    return Promise.reject(new SwitchboardError(ErrorCode.NOT_CONNECTED, `a Finesse replay cannot carry out ${request.type}: it only replays captured notifications`, { requestId: request.requestId }));
  }

  deliver(updates: readonly PlatformUpdate[]): void {
    for (const u of updates) this.emit?.(u);
  }
}

/** A replay of a Finesse trace through the real parser and reducer. */
export interface FinesseReplay {
  /** Connect it (for example through `createAgent` with `flavor: setup.flavor`) before applying lines. */
  readonly source: Source;
  readonly setup: FinesseSetup;
  readonly reducer: FinesseReducer;
  /** Move the clock to the line's time, then deliver its notification. Rejects (PARSE_ERROR, `line N:`) on a line out of time order or a late setup. */
  apply(cmd: FinesseTraceCommand): Promise<void>;
}

/**
 * Start replaying a Finesse trace from its first command: its setup (or the agent named by its
 * node, UCCE) configures the reducer; the clock moves to its time.
 *
 * @example
 * const clock = new SimulatedClock(0);
 * const replay = createFinesseReplay(first, clock);
 * const agent = createAgent({ source: replay.source, clock, flavor: replay.setup.flavor });
 * await agent.connect();
 * await replay.apply(first);
 */
export function createFinesseReplay(first: FinesseTraceCommand, clock: SimulatedClock): FinesseReplay {
  const setup: FinesseSetup =
    first.kind === 'setup' ? first.setup : { agent: { agentId: USER_NODE.exec(first.node)?.[1] ?? 'unknown' }, flavor: Flavor.UCCE };
  const agent = completeAgentInfo(setup.agent);
  if (clock.now() < first.at) clock.set(first.at);
  const reducer = new FinesseReducer({ agentId: agent.agentId, extension: agent.extension, flavor: setup.flavor, clock });
  const source = new FinesseReplaySource(agent, reducer);
  const order = traceOrder(clock);
  return {
    source,
    setup,
    reducer,
    apply(cmd) {
      try {
        order.step(cmd);
        if (cmd.kind === 'notification') {
          if (!source.connected) throw new SwitchboardError(ErrorCode.NOT_CONNECTED, `line ${cmd.line}: the Finesse replay source is not connected (connect it before applying notifications)`);
          let updates: PlatformUpdate[];
          try {
            updates = reducer.onNotification(cmd.node, parseNotification(cmd.xml));
          } catch (err) {
            const e = isSwitchboardError(err) ? err : undefined;
            updates = [{ type: 'platformError', code: e?.code ?? ErrorCode.PARSE_ERROR, message: `line ${cmd.line}: ${e?.message ?? String(err)}` }];
          }
          source.deliver(updates);
        }
        return Promise.resolve();
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
  };
}
