/**
 * @module sinks/dialects/avaya
 * The Avaya dialect: CRM-side code written for the Avaya CRM Connector (seed 004's
 * processCRMConnectMessageData and friends) runs unchanged against Switchboard. On each
 * `interactionEnd` of the session it posts
 * `{ type: 'CRMConnectMessage', action: 'requestSaveInteractionLog', data: { message: { body } } }`
 * to the CRM page, with `body` built by ./avaya-body.ts.
 *
 * postMessage goes through the bridge's `postTo`: one exact target origin, never `'*'` (the
 * origin is checked when the dialect is created). The CRM page's handler checks the sender's
 * origin (`event.origin !== CRM_CONNECT_ORIGIN`): there, CRM_CONNECT_ORIGIN is the origin the
 * page hosting this dialect is served from. One-way, as in the seed: no acknowledgement.
 */
import { normalizeOrigin, postTo, type MessageTarget } from '../../bridge/window.js';
import { ErrorCode, SwitchboardError } from '../../core/errors.js';
import type { DomainEvent } from '../../core/events.js';
import type { InteractionRecord } from '../../core/interaction.js';
import { SAVE_INTERACTION_LOG, saveInteractionLogMessage } from './avaya-body.js';
import { FailureReport, describe, type DialectErrorHandler, type SessionLike } from './report.js';

export interface AvayaDialectOptions {
  /** The session whose interactions are posted (an AgentSession). */
  session: SessionLike;
  /** The CRM page's window (for a frame: `window.parent`). */
  target: MessageTarget;
  /** The CRM page's exact origin, e.g. `https://crm.example.com`. `'*'` is refused. */
  targetOrigin: string;
  /** Which records to post; all by default. */
  filter?: (record: InteractionRecord) => boolean;
  /** Told when a message cannot be posted. */
  onError?: DialectErrorHandler;
}

/**
 * @example
 * const dialect = createAvayaDialect({ session: agent.session, target: window.parent, targetOrigin: 'https://crm.example.com' });
 * // later
 * dialect.dispose();
 */
export class AvayaDialect {
  readonly targetOrigin: string;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: AvayaDialectOptions) {
    const origin = typeof options.targetOrigin === 'string' ? normalizeOrigin(options.targetOrigin) : undefined;
    if (origin === undefined) {
      throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `Avaya dialect: targetOrigin ${JSON.stringify(options.targetOrigin)} is not an exact http(s) origin like https://crm.example.com (never '*')`);
    }
    this.targetOrigin = origin;
    this.unsubscribe = options.session.subscribe((e) => this.deliver(e));
  }

  dispose(): void {
    this.unsubscribe();
  }

  private deliver(event: DomainEvent): void {
    if (event.type !== 'interactionEnd') return;
    const record = event.data.record;
    const report = new FailureReport();
    try {
      if (this.options.filter === undefined || this.options.filter(record)) {
        postTo(this.options.target, saveInteractionLogMessage(record), this.targetOrigin);
      }
    } catch (err) {
      report.add(ErrorCode.PLATFORM_ERROR, `${SAVE_INTERACTION_LOG} for interaction "${record.id}" could not be posted to ${this.targetOrigin}: ${describe(err)}`, err);
    }
    report.flush(this.options.onError);
  }
}

export function createAvayaDialect(options: AvayaDialectOptions): AvayaDialect {
  return new AvayaDialect(options);
}
