/**
 * @module sources/brightpattern/trace
 * The Bright Pattern trace format for `switchboard replay --source brightpattern`
 * (docs/brightpattern.md): JSON Lines, an optional `setup` line first, then one line per
 * `ON_SAVE_ACTIVITY_RECORD` callback the agent desktop made, with the InteractionData it passed.
 *
 * ```json
 * {"at": "2026-03-02T08:00:00.000Z", "kind": "setup", "agent": {"agentId": "1001"}}
 * {"at": "2026-03-02T08:05:00.000Z", "kind": "ON_SAVE_ACTIVITY_RECORD", "activity": {"interactionId": "...", ...}}
 * ```
 *
 * Replays go through the real {@link BrightPatternSource}: {@link createBrightPatternReplay}
 * hands each activity to a {@link FakeAdApi} the source subscribed to, so that the field checks
 * run. Parsing only checks the line's own shape; a wrong activity is an `error` event, not a bad
 * line. Parsing never throws: a bad line comes back as `{ error }` starting with `line N:`.
 */
import type { SimulatedClock } from '../../core/clock.js';
import { traceOrder } from '../../core/trace-order.js';
import { ErrorCode, SwitchboardError } from '../../core/errors.js';
import { ON_SAVE_ACTIVITY_RECORD } from '../../sinks/dialects/brightpattern-data.js';
import { parseTraceAgent, parseTraceObject, unknownField } from '../avaya/trace.js';
import { BrightPatternSource, type AdApiLike, type BrightPatternAgent } from './source.js';

/**
 * A stand-in for Bright Pattern's `adApi` in tests and replays: `emit` calls every handler
 * subscribed to the event, in order; a handler that throws does not stop the next.
 */
export class FakeAdApi implements AdApiLike {
  private readonly handlers = new Map<string, Set<(data: never) => void>>();

  on(event: string, handler: (data: never) => void): void {
    let set = this.handlers.get(event);
    if (set === undefined) {
      set = new Set();
      this.handlers.set(event, set);
    }
    set.add(handler);
  }

  off(event: string, handler: (data: never) => void): void {
    this.handlers.get(event)?.delete(handler);
  }

  count(event: string): number {
    return this.handlers.get(event)?.size ?? 0;
  }

  /** Call every handler of `event` with `data`; returns the errors handlers threw. */
  emit(event: string, data: unknown): unknown[] {
    const errors: unknown[] = [];
    for (const h of [...(this.handlers.get(event) ?? [])]) {
      try {
        (h as (d: unknown) => void)(data);
      } catch (err) {
        errors.push(err);
      }
    }
    return errors;
  }
}

export interface BrightPatternSetup {
  agent: BrightPatternAgent;
}

/** Used when a trace has no setup line. */
export const DEFAULT_BRIGHT_PATTERN_SETUP: BrightPatternSetup = {
  agent: { agentId: '1001', extension: '1001001', firstName: 'Ada', lastName: 'Meier', loginName: 'ameier', teamId: 'team1' },
};

interface Line {
  /** ms since the epoch. */
  at: number;
  /** 1-based line number. */
  line: number;
}

export type BrightPatternTraceCommand =
  | (Line & { kind: 'setup'; setup: BrightPatternSetup })
  | (Line & { kind: typeof ON_SAVE_ACTIVITY_RECORD; activity: unknown });

const KINDS = ['setup', ON_SAVE_ACTIVITY_RECORD];

/**
 * Parse one line of a Bright Pattern trace. Never throws.
 *
 * @example
 * const cmd = parseBrightPatternTraceLine(text, 2);
 * if ('error' in cmd) console.error(cmd.error); // "line 2: ..."
 */
export function parseBrightPatternTraceLine(text: string, lineNo: number): BrightPatternTraceCommand | { error: string } {
  const where = `line ${lineNo}`;
  const parsed = parseTraceObject(text, lineNo);
  if ('error' in parsed) return parsed;
  const { at, value } = parsed;
  const kind = value.kind;
  if (typeof kind !== 'string' || !KINDS.includes(kind)) return { error: `${where}: unknown kind ${JSON.stringify(kind)} (known: ${KINDS.join(', ')})` };
  if (kind === 'setup') {
    const unknown = unknownField(value, ['agent'], kind);
    if (unknown !== undefined) return { error: `${where}: ${unknown}` };
    const agent = parseTraceAgent(value.agent);
    if (typeof agent === 'string') return { error: `${where}: setup: ${agent}` };
    return { kind: 'setup', at, line: lineNo, setup: { agent } };
  }
  const unknown = unknownField(value, ['activity'], kind);
  if (unknown !== undefined) return { error: `${where}: ${unknown}` };
  if (!('activity' in value)) return { error: `${where}: ${ON_SAVE_ACTIVITY_RECORD}: "activity" is required (the InteractionData the desktop passed)` };
  return { kind: ON_SAVE_ACTIVITY_RECORD, at, line: lineNo, activity: value.activity };
}

/** A replay of a Bright Pattern trace through the real source. */
export interface BrightPatternReplay {
  /** Connect it (for example through `createAgent`) before applying activities. */
  readonly source: BrightPatternSource;
  readonly adApi: FakeAdApi;
  readonly setup: BrightPatternSetup;
  /** Move the clock to the line's time, then deliver its activity. Rejects (PARSE_ERROR, `line N:`) on a line out of time order or a late setup. */
  apply(cmd: BrightPatternTraceCommand): Promise<void>;
}

/**
 * Start replaying a Bright Pattern trace from its first command: its setup (or `fallback`)
 * configures the source; the clock moves to its time.
 *
 * @example
 * const clock = new SimulatedClock(0);
 * const replay = createBrightPatternReplay(first, clock);
 * const agent = createAgent({ source: replay.source, clock });
 * await agent.connect();
 * await replay.apply(first);
 */
export function createBrightPatternReplay(first: BrightPatternTraceCommand, clock: SimulatedClock, fallback: BrightPatternSetup = DEFAULT_BRIGHT_PATTERN_SETUP): BrightPatternReplay {
  const setup = first.kind === 'setup' ? first.setup : fallback;
  const adApi = new FakeAdApi();
  if (clock.now() < first.at) clock.set(first.at);
  const source = new BrightPatternSource({ adApi, agent: setup.agent, clock });
  const order = traceOrder(clock);
  return {
    source,
    adApi,
    setup,
    apply(cmd) {
      try {
        order.step(cmd);
        if (cmd.kind === ON_SAVE_ACTIVITY_RECORD) {
          if (!source.connected) throw new SwitchboardError(ErrorCode.NOT_CONNECTED, `line ${cmd.line}: the Bright Pattern source is not connected (connect it before applying activities)`);
          adApi.emit(ON_SAVE_ACTIVITY_RECORD, cmd.activity);
        }
        return Promise.resolve();
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
  };
}
