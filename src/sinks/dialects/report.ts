/**
 * @module sinks/dialects/report
 * How a dialect reports a failure that happened while it handled a session event (a CRM-side
 * handler threw, a message could not be posted): to `onError` when the integrator gave one,
 * otherwise by throwing once after the event was fully handled, so that the session's own
 * listener isolation turns it into a HANDLER_ERROR `error` event for every other listener (the
 * `cil` onError handlers, the log sink).
 */
import { ErrorCode, SwitchboardError, type ErrorCode as ErrorCodeT } from '../../core/errors.js';
import type { DomainEvent } from '../../core/events.js';

/** What a dialect needs of an AgentSession: its event stream. */
export interface SessionLike {
  subscribe(listener: (event: DomainEvent) => void): () => void;
}

export type DialectErrorHandler = (error: SwitchboardError) => void;

/** Collects the failures of one event, then reports them all at once. */
export class FailureReport {
  private readonly errors: SwitchboardError[] = [];

  add(code: ErrorCodeT, message: string, cause?: unknown): void {
    this.errors.push(new SwitchboardError(code, message, cause === undefined ? {} : { cause }));
  }

  /** To `onError` one by one, or one thrown error naming them all. */
  flush(onError: DialectErrorHandler | undefined): void {
    if (this.errors.length === 0) return;
    if (onError !== undefined) {
      for (const e of this.errors) {
        try {
          onError(e);
        } catch {
          // The error handler itself failed: there is nowhere left to report it.
        }
      }
      return;
    }
    const [only] = this.errors;
    if (this.errors.length === 1 && only !== undefined) throw only;
    throw new SwitchboardError(ErrorCode.HANDLER_ERROR, this.errors.map((e) => e.message).join('; '));
  }
}

export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
