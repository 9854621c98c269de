/**
 * @module sources/avaya/source
 * The Avaya CRM Connector behind the core's Source port. The connector runs in a frame of the
 * CRM page and posts `CRMConnectMessage`s to it (seed 004); this source listens on that page's
 * window, accepts messages only from the connector's exact origin (and, when given, only from
 * the connector frame's window), and turns each `requestSaveInteractionLog` into an
 * `interactionRecord` update (body → record: sinks/dialects/avaya-body.ts).
 *
 * Log-only: `supports` is empty, so every request fails NOT_CAPABLE through the API.
 *
 * Problems are reported as `platformError` updates, so that they reach every sink and the
 * `cil` onError handlers as `error` events through the session, and the listener keeps going:
 * - a CRMConnectMessage from another origin or window: ignored (seed 004: `event.origin !==
 *   CRM_CONNECT_ORIGIN → return`) and reported (INVALID_UPDATE) — a misconfigured or forged sender;
 * - a message from the connector that is not a well-formed CRMConnectMessage, or a body that
 *   fails validation: reported (INVALID_UPDATE), naming what was wrong;
 * - any other action: reported as not supported (NOT_SUPPORTED).
 * Messages from other origins that are not CRMConnectMessages (other widgets, extensions share
 * the page's window) are not errors: they go to `onIgnored` only.
 */
import { listen, normalizeOrigin, type MessageEventLike, type MessageEventSource } from '../../bridge/window.js';
import { systemClock, type Clock } from '../../core/clock.js';
import { ErrorCode, SwitchboardError, type ErrorCode as ErrorCodeT } from '../../core/errors.js';
import { ChannelType, completeAgentInfo, type AgentInfo } from '../../core/model.js';
import type { PlatformRequest, PlatformRequestType, Source, UpdateSink } from '../../core/source.js';
import { CRM_CONNECT_MESSAGE, SAVE_INTERACTION_LOG, avayaBodyToRecord } from '../../sinks/dialects/avaya-body.js';
import { isObj, show } from '../../sinks/dialects/fields.js';

/** The agent of an Avaya session: `agentId` is required, the rest defaults to ''. */
export type AvayaAgent = Pick<AgentInfo, 'agentId'> & Partial<AgentInfo>;

export const AVAYA_SOURCE_KIND = 'avaya';
export const AVAYA_CHANNEL_ID = 'voice_avaya';

export interface AvayaSourceOptions {
  /** The window the connector posts to: the CRM page's `window`. */
  window: MessageEventSource;
  /** The connector frame's exact origin (seed 004's CRM_CONNECT_ORIGIN), or several. */
  allowedOrigin: string | readonly string[];
  /** When set, messages must come from this window (the connector iframe's `contentWindow`). */
  expectedSource?: unknown;
  agent: AvayaAgent;
  /** The session's one voice channel; default `voice_avaya`. */
  channelId?: string;
  /** Gives the end time of a log that carries none; default the system clock. */
  clock?: Clock;
  /** Told about messages from elsewhere that are not CRMConnectMessages (not errors). */
  onIgnored?: (reason: string, event: MessageEventLike) => void;
}

/** A message's data, parsed if it arrived as a JSON string. */
function messageData(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

function looksLikeCrmConnect(data: unknown): boolean {
  const d = messageData(data);
  return isObj(d) && d.type === CRM_CONNECT_MESSAGE;
}

/**
 * @example
 * const source = new AvayaSource({
 *   window,
 *   allowedOrigin: 'https://connector.example.com',
 *   expectedSource: document.getElementById('crmConnectIframeId').contentWindow,
 *   agent: { agentId: '1001', extension: '1001001' },
 * });
 * const agent = createAgent({ source, clock: systemClock });
 * agent.session.subscribe((e) => { if (e.type === 'interactionEnd') save(e.data.record); });
 * await agent.connect();
 */
export class AvayaSource implements Source {
  readonly kind = AVAYA_SOURCE_KIND;
  readonly supports: ReadonlySet<PlatformRequestType> = new Set<PlatformRequestType>();
  readonly channelId: string;
  readonly agent: AgentInfo;
  private readonly allowed: string[];
  private readonly clock: Clock;
  private emit: UpdateSink | undefined;
  private stop: (() => void) | undefined;

  constructor(private readonly options: AvayaSourceOptions) {
    const list = typeof options.allowedOrigin === 'string' ? [options.allowedOrigin] : [...options.allowedOrigin];
    if (list.length === 0) throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, 'Avaya source: allowedOrigin is empty; give the CRM Connector frame\'s exact origin');
    this.allowed = list.map((o) => {
      const n = typeof o === 'string' ? normalizeOrigin(o) : undefined;
      if (n === undefined) throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `Avaya source: allowedOrigin ${JSON.stringify(o)} is not an exact http(s) origin like https://connector.example.com`);
      return n;
    });
    if (typeof options.agent?.agentId !== 'string' || options.agent.agentId === '') {
      throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, 'Avaya source: agent.agentId must be a non-empty string');
    }
    this.agent = completeAgentInfo(options.agent);
    this.channelId = options.channelId ?? AVAYA_CHANNEL_ID;
    this.clock = options.clock ?? systemClock;
  }

  get connected(): boolean {
    return this.emit !== undefined;
  }

  /** Announces the session (the agent, one voice channel), then listens for the connector. */
  connect(emit: UpdateSink): Promise<void> {
    this.stop?.();
    this.emit = emit;
    this.send({ type: 'session', source: AVAYA_SOURCE_KIND, agent: { ...this.agent }, channels: [{ id: this.channelId, type: ChannelType.Voice }] });
    const listenOptions = {
      allowedOrigins: this.allowed,
      onRejected: (reason: string, event: MessageEventLike) => this.rejected(reason, event),
      ...(this.options.expectedSource !== undefined ? { expectedSource: this.options.expectedSource } : {}),
    };
    this.stop = listen(this.options.window, listenOptions, (data, event) => this.receive(data, event));
    return Promise.resolve();
  }

  disconnect(): Promise<void> {
    this.stop?.();
    this.stop = undefined;
    this.emit = undefined;
    return Promise.resolve();
  }

  request(request: PlatformRequest): Promise<void> {
    return Promise.reject(
      new SwitchboardError(ErrorCode.NOT_CAPABLE, `the ${AVAYA_SOURCE_KIND} source is log-only (Avaya CRM Connector interaction logs): it cannot carry out ${request.type}`, { requestId: request.requestId }),
    );
  }

  private rejected(reason: string, event: MessageEventLike): void {
    if (looksLikeCrmConnect(event.data)) this.problem(ErrorCode.INVALID_UPDATE, `Avaya CRMConnectMessage ${reason}`);
    else this.options.onIgnored?.(reason, event);
  }

  private receive(raw: unknown, event: MessageEventLike): void {
    const from = `Avaya CRMConnectMessage from ${event.origin}`;
    const data = messageData(raw);
    if (typeof data === 'string') {
      this.problem(ErrorCode.INVALID_UPDATE, `${from}: the message is a string but not JSON (got ${show(data)})`);
      return;
    }
    if (!isObj(data)) {
      this.problem(ErrorCode.INVALID_UPDATE, `${from}: the message must be an object {"type": "${CRM_CONNECT_MESSAGE}", "action", "data"} (got ${show(data)})`);
      return;
    }
    if (data.type !== CRM_CONNECT_MESSAGE) {
      this.problem(ErrorCode.INVALID_UPDATE, `${from}: "type" must be "${CRM_CONNECT_MESSAGE}" (got ${show(data.type)})`);
      return;
    }
    const action = data.action;
    if (typeof action !== 'string' || action === '') {
      this.problem(ErrorCode.INVALID_UPDATE, `${from}: "action" must be a non-empty string (got ${show(action)})`);
      return;
    }
    if (action !== SAVE_INTERACTION_LOG) {
      this.problem(ErrorCode.NOT_SUPPORTED, `${from}: action "${action}" is not supported; the Avaya source is log-only and handles only ${SAVE_INTERACTION_LOG}`);
      return;
    }
    const where = `${from}: ${SAVE_INTERACTION_LOG}`;
    const details = data.data;
    if (!isObj(details)) {
      this.problem(ErrorCode.INVALID_UPDATE, `${where}: "data" must be an object with "message.body" (got ${show(details)})`);
      return;
    }
    const message = details.message;
    if (!isObj(message)) {
      this.problem(ErrorCode.INVALID_UPDATE, `${where}: "data.message" must be an object with "body" (got ${show(message)})`);
      return;
    }
    const result = avayaBodyToRecord(message.body, { agentId: this.agent.agentId, now: this.clock.now(), source: AVAYA_SOURCE_KIND });
    if ('error' in result) {
      this.problem(ErrorCode.INVALID_UPDATE, `${where}: body: ${result.error}`);
      return;
    }
    this.send({ type: 'interactionRecord', record: result.record });
  }

  private problem(code: ErrorCodeT, message: string): void {
    this.send({ type: 'platformError', code, message });
  }

  private send(update: Parameters<UpdateSink>[0]): void {
    const emit = this.emit;
    if (emit === undefined) return;
    try {
      emit(update);
    } catch {
      // The session never throws from apply(); an emitter that does must not stop the listener.
    }
  }
}

export function createAvayaSource(options: AvayaSourceOptions): AvayaSource {
  return new AvayaSource(options);
}
