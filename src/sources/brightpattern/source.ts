/**
 * @module sources/brightpattern/source
 * Bright Pattern's Agent Desktop behind the core's Source port. It subscribes to the desktop's
 * client-side API object (`adApi`, seed 003) for `ON_SAVE_ACTIVITY_RECORD` and turns each
 * InteractionData into an `interactionRecord` update (mapping: sinks/dialects/brightpattern-data.ts).
 *
 * Log-only: `supports` is empty, so every request fails NOT_CAPABLE through the API.
 *
 * Every field of an activity is checked against seed 003's types; an activity with a wrong one
 * is not logged and is reported as a `platformError` update (INVALID_UPDATE) naming the field,
 * which reaches every sink and the `cil` onError handlers as an `error` event. The subscription
 * keeps working.
 */
import { systemClock, type Clock } from '../../core/clock.js';
import { ErrorCode, SwitchboardError } from '../../core/errors.js';
import { ChannelType, completeAgentInfo, type AgentInfo } from '../../core/model.js';
import type { PlatformRequest, PlatformRequestType, Source, UpdateSink } from '../../core/source.js';
import type { PlatformUpdate } from '../../core/updates.js';
import { ON_SAVE_ACTIVITY_RECORD, interactionDataToRecord, type OnSaveActivityRecordHandler } from '../../sinks/dialects/brightpattern-data.js';

export const BRIGHT_PATTERN_SOURCE_KIND = 'brightpattern';
export const BRIGHT_PATTERN_CHANNEL_ID = 'voice_brightpattern';

/** The agent of a Bright Pattern session: `agentId` is required, the rest defaults to ''. */
export type BrightPatternAgent = Pick<AgentInfo, 'agentId'> & Partial<AgentInfo>;

/**
 * What this source needs of Bright Pattern's agent-desktop API object: `on` (seed 003's
 * syntax), and `off` when it has one (used on disconnect).
 */
export interface AdApiLike {
  on(event: typeof ON_SAVE_ACTIVITY_RECORD, handler: OnSaveActivityRecordHandler): unknown;
  off?(event: typeof ON_SAVE_ACTIVITY_RECORD, handler: OnSaveActivityRecordHandler): unknown;
}

export interface BrightPatternSourceOptions {
  adApi: AdApiLike;
  /** The agent; an activity's own `agentId` wins when it has one. */
  agent: BrightPatternAgent;
  /** The session's one voice channel; default `voice_brightpattern`. */
  channelId?: string;
  /** Gives the end time of an activity that carries none; default the system clock. */
  clock?: Clock;
}

/**
 * @example
 * const source = new BrightPatternSource({ adApi, agent: { agentId: '1001' } });
 * const agent = createAgent({ source, clock: systemClock });
 * agent.session.subscribe((e) => { if (e.type === 'interactionEnd') save(e.data.record); });
 * await agent.connect();
 */
export class BrightPatternSource implements Source {
  readonly kind = BRIGHT_PATTERN_SOURCE_KIND;
  readonly supports: ReadonlySet<PlatformRequestType> = new Set<PlatformRequestType>();
  readonly channelId: string;
  readonly agent: AgentInfo;
  private readonly clock: Clock;
  private emit: UpdateSink | undefined;
  private subscribed = false;
  /** One function for the source's life, so that `off` removes exactly what `on` added. */
  private readonly handler = (activity: unknown): void => this.receive(activity);

  constructor(private readonly options: BrightPatternSourceOptions) {
    if (typeof options.adApi?.on !== 'function') throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, 'Bright Pattern source: adApi must have an on(event, handler) method');
    if (typeof options.agent?.agentId !== 'string' || options.agent.agentId === '') {
      throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, 'Bright Pattern source: agent.agentId must be a non-empty string');
    }
    this.agent = completeAgentInfo(options.agent);
    this.channelId = options.channelId ?? BRIGHT_PATTERN_CHANNEL_ID;
    this.clock = options.clock ?? systemClock;
  }

  get connected(): boolean {
    return this.emit !== undefined;
  }

  /** Announces the session (the agent, one voice channel), then subscribes to the desktop. */
  connect(emit: UpdateSink): Promise<void> {
    this.emit = emit;
    this.send({ type: 'session', source: BRIGHT_PATTERN_SOURCE_KIND, agent: { ...this.agent }, channels: [{ id: this.channelId, type: ChannelType.Voice }] });
    if (!this.subscribed) {
      try {
        this.options.adApi.on(ON_SAVE_ACTIVITY_RECORD, this.handler);
      } catch (err) {
        this.emit = undefined;
        return Promise.reject(new SwitchboardError(ErrorCode.PLATFORM_ERROR, `Bright Pattern source: adApi.on("${ON_SAVE_ACTIVITY_RECORD}") failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
      }
      this.subscribed = true;
    }
    return Promise.resolve();
  }

  /** Unsubscribes when the API has `off`; otherwise activities that still arrive are dropped. */
  disconnect(): Promise<void> {
    this.emit = undefined;
    const adApi = this.options.adApi;
    if (this.subscribed && typeof adApi.off === 'function') {
      try {
        adApi.off(ON_SAVE_ACTIVITY_RECORD, this.handler);
        this.subscribed = false;
      } catch {
        // Still subscribed: the handler drops what arrives while disconnected.
      }
    }
    return Promise.resolve();
  }

  request(request: PlatformRequest): Promise<void> {
    return Promise.reject(
      new SwitchboardError(ErrorCode.NOT_CAPABLE, `the ${BRIGHT_PATTERN_SOURCE_KIND} source is log-only (Bright Pattern activity records): it cannot carry out ${request.type}`, { requestId: request.requestId }),
    );
  }

  private receive(activity: unknown): void {
    if (this.emit === undefined) return;
    const result = interactionDataToRecord(activity, { agentId: this.agent.agentId, now: this.clock.now(), source: BRIGHT_PATTERN_SOURCE_KIND });
    if ('error' in result) {
      this.send({ type: 'platformError', code: ErrorCode.INVALID_UPDATE, message: `Bright Pattern ${ON_SAVE_ACTIVITY_RECORD}: ${result.error}` });
      return;
    }
    this.send({ type: 'interactionRecord', record: result.record });
  }

  private send(update: PlatformUpdate): void {
    const emit = this.emit;
    if (emit === undefined) return;
    try {
      emit(update);
    } catch {
      // The session never throws from apply(); an emitter that does must not break the desktop's callback.
    }
  }
}

export function createBrightPatternSource(options: BrightPatternSourceOptions): BrightPatternSource {
  return new BrightPatternSource(options);
}
