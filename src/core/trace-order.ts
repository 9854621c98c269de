/**
 * @module core/trace-order
 * The rule every replay shares (SPEC.md, "switchboard replay"): time comes from the trace. A
 * setup line may only come first, and a line may not go back in time; each accepted line moves
 * the simulated clock to its time. Replay runners of every source use this one guard.
 */
import type { SimulatedClock } from './clock.js';
import { ErrorCode, SwitchboardError } from './errors.js';

export interface TraceLine {
  kind: string;
  /** ms since the epoch. */
  at: number;
  /** 1-based line number. */
  line: number;
}

/**
 * A guard over one trace: `step(cmd)` throws PARSE_ERROR (`line N: ...`) for a late setup or a
 * line earlier than the one before, otherwise moves `clock` forward to the line's time.
 */
export function traceOrder(clock: SimulatedClock): { step(cmd: TraceLine): void } {
  let last: { at: number; line: number } | undefined;
  let applied = 0;
  return {
    step(cmd) {
      if (cmd.kind === 'setup' && applied > 0) throw new SwitchboardError(ErrorCode.PARSE_ERROR, `line ${cmd.line}: a setup line is only allowed first`);
      if (last !== undefined && cmd.at < last.at) {
        throw new SwitchboardError(ErrorCode.PARSE_ERROR, `line ${cmd.line}: time ${new Date(cmd.at).toISOString()} is earlier than line ${last.line} (${new Date(last.at).toISOString()})`);
      }
      applied++;
      last = { at: cmd.at, line: cmd.line };
      if (cmd.at > clock.now()) clock.set(cmd.at);
    },
  };
}
