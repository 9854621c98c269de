/**
 * @module sinks/dialects/brightpattern
 * The Bright Pattern dialect: CRM-side code written against Bright Pattern's Agent Desktop
 * client API (`adApi.on("ON_SAVE_ACTIVITY_RECORD", handler)`, seed 003) runs unchanged against
 * Switchboard. Each `interactionEnd` of the session becomes one InteractionData (see
 * ./brightpattern-data.ts for the mapping) delivered to every handler.
 *
 * Handlers are isolated: each gets its own copy of the activity, and one that throws does not
 * stop the others. Failures go to `onError` when given, else they are thrown once after every
 * handler ran, which the session reports as a HANDLER_ERROR `error` event to its other listeners.
 */
import { ErrorCode, SwitchboardError } from '../../core/errors.js';
import type { DomainEvent } from '../../core/events.js';
import { ON_SAVE_ACTIVITY_RECORD, recordToInteractionData, type ActivityRecordData } from './brightpattern-data.js';
import { FailureReport, describe, type DialectErrorHandler, type SessionLike } from './report.js';

/** The events this dialect delivers, and what their handlers receive. */
export interface BrightPatternEventMap {
  ON_SAVE_ACTIVITY_RECORD: ActivityRecordData;
}
export type BrightPatternEventName = keyof BrightPatternEventMap;

export const BRIGHT_PATTERN_EVENTS: readonly BrightPatternEventName[] = [ON_SAVE_ACTIVITY_RECORD];

export interface BrightPatternDialectOptions {
  /** The session whose interactions are delivered (an AgentSession). */
  session: SessionLike;
  /** Told about each failing handler and each record that cannot be delivered. */
  onError?: DialectErrorHandler;
}

type Handler = (activity: ActivityRecordData) => void;

/**
 * An `adApi`-like object over a session.
 *
 * @example
 * const adApi = createBrightPatternDialect({ session: agent.session });
 * adApi.on('ON_SAVE_ACTIVITY_RECORD', (activity) => postActivityLog(activity));
 */
export class BrightPatternDialect {
  private readonly handlers = new Set<Handler>();
  private readonly unsubscribe: () => void;
  private readonly onError: DialectErrorHandler | undefined;

  constructor(options: BrightPatternDialectOptions) {
    this.onError = options.onError;
    this.unsubscribe = options.session.subscribe((e) => this.deliver(e));
  }

  /**
   * Subscribe, as Bright Pattern's `on(event, handler)`. Returns a function that unsubscribes
   * (Bright Pattern returns nothing; code that ignores the result runs the same).
   * @throws SwitchboardError INVALID_ARGUMENT for an event name this dialect does not deliver.
   */
  on<K extends BrightPatternEventName>(event: K, handler: (activity: BrightPatternEventMap[K]) => void): () => void {
    this.check(event, handler);
    this.handlers.add(handler);
    return () => this.off(event, handler);
  }

  off<K extends BrightPatternEventName>(event: K, handler: (activity: BrightPatternEventMap[K]) => void): void {
    this.check(event, handler);
    this.handlers.delete(handler);
  }

  /** Stop listening to the session. */
  dispose(): void {
    this.unsubscribe();
    this.handlers.clear();
  }

  private check(event: unknown, handler: unknown): void {
    if (event !== ON_SAVE_ACTIVITY_RECORD) {
      throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `unknown Bright Pattern event ${JSON.stringify(event)} (this dialect delivers: ${BRIGHT_PATTERN_EVENTS.join(', ')})`);
    }
    if (typeof handler !== 'function') throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `the handler for ${ON_SAVE_ACTIVITY_RECORD} must be a function (got ${typeof handler})`);
  }

  private deliver(event: DomainEvent): void {
    if (event.type !== 'interactionEnd' || this.handlers.size === 0) return;
    const report = new FailureReport();
    const converted = recordToInteractionData(event.data.record);
    if ('error' in converted) {
      report.add(ErrorCode.NOT_SUPPORTED, `${ON_SAVE_ACTIVITY_RECORD} not delivered: ${converted.error}`);
    } else {
      const handlers = [...this.handlers];
      for (const [i, h] of handlers.entries()) {
        // Each handler its own copy, the last the original: one handler's changes never reach another.
        const activity = i === handlers.length - 1 ? converted.activity : structuredClone(converted.activity);
        try {
          h(activity);
        } catch (err) {
          report.add(ErrorCode.HANDLER_ERROR, `an ${ON_SAVE_ACTIVITY_RECORD} handler failed for interaction "${converted.activity.interactionId}": ${describe(err)}`, err);
        }
      }
    }
    report.flush(this.onError);
  }
}

export function createBrightPatternDialect(options: BrightPatternDialectOptions): BrightPatternDialect {
  return new BrightPatternDialect(options);
}
