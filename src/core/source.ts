/**
 * @module core/source
 * The `Source` port: what every contact-center platform adapter implements (simulator, Finesse,
 * Avaya, Bright Pattern). A source pushes normalized {@link PlatformUpdate}s into the session
 * and carries out {@link PlatformRequest}s where its platform allows control. It declares what
 * it can do in `supports`; a request outside it fails with NOT_CAPABLE before reaching it.
 */
import type { CtiData, RequestableAgentState } from './model.js';
import type { PlatformUpdate } from './updates.js';

interface RequestBase {
  requestId: string;
}

export type PlatformRequest =
  | (RequestBase & { type: 'setAgentState'; channelId: string; state: RequestableAgentState; reasonCode?: string })
  | (RequestBase & { type: 'makeCall'; channelId: string; address: string })
  | (RequestBase & { type: 'consult'; workitemId: string; address: string })
  | (RequestBase & { type: 'answer'; workitemId: string })
  | (RequestBase & { type: 'hold'; workitemId: string })
  | (RequestBase & { type: 'resume'; workitemId: string })
  | (RequestBase & { type: 'end'; workitemId: string })
  /** Complete a consultative transfer: `workitemId` is the held original, `consultId` the consult call. */
  | (RequestBase & { type: 'transfer'; workitemId: string; consultId: string })
  | (RequestBase & { type: 'conference'; workitemId: string; consultId: string })
  | (RequestBase & { type: 'directTransfer'; workitemId: string; address: string })
  | (RequestBase & { type: 'singleStepConference'; workitemId: string; address: string })
  | (RequestBase & { type: 'sendDtmf'; workitemId: string; digits: string })
  /** Call variables, ECC variables (`user.x`) and wrapUpReason; values are strings. */
  | (RequestBase & { type: 'updateData'; workitemId: string; data: CtiData });

export type PlatformRequestType = PlatformRequest['type'];

export const ALL_REQUEST_TYPES: readonly PlatformRequestType[] = [
  'setAgentState', 'makeCall', 'consult', 'answer', 'hold', 'resume', 'end', 'transfer', 'conference',
  'directTransfer', 'singleStepConference', 'sendDtmf', 'updateData',
];

export type UpdateSink = (update: PlatformUpdate) => void;

export interface Source {
  /** Short name for logs and errors: 'sim', 'finesse', 'avaya', 'brightpattern'. */
  readonly kind: string;
  /** The requests this source can carry out; log-only sources have none. */
  readonly supports: ReadonlySet<PlatformRequestType>;
  /**
   * Start delivering updates. The first updates describe the session (a `session` update, the
   * agent state, every workitem already present: call recovery). Resolves once connected.
   */
  connect(emit: UpdateSink): Promise<void>;
  /**
   * Carry out a request. Resolves when the platform accepted it (the outcome arrives later as
   * updates, echoing `requestId` where the platform can); rejects with a SwitchboardError.
   */
  request(request: PlatformRequest): Promise<void>;
  disconnect(): Promise<void>;
}
