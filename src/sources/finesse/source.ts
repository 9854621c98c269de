/**
 * @module sources/finesse/source
 * Cisco Finesse behind the core's `Source` port: REST ({@link FinesseRest}) for reads and
 * requests, XMPP ({@link FinesseXmpp}) for notifications, {@link FinesseReducer} (./reducer.ts)
 * for the mapping onto platform updates.
 *
 * `connect`: GET SystemInfo (must be IN_SERVICE; deploymentType gives the flavour), connect
 * XMPP first (so nothing is lost between the reads and the first event), sign in when the agent
 * is logged out, GET User, ReasonCodes (NOT_READY, LOGOUT), WrapUpReasons and Dialogs, then
 * emit a `session` update and `reducer.reconcile` (call recovery: a call already up at login
 * gives one workitemAdded). Notifications that arrive during the reads are held and applied
 * afterwards; the reducer drops what the reads already told.
 *
 * Failover (FINESSE.md "Failover"): when XMPP is lost, poll SystemInfo until IN_SERVICE (HTTP
 * 503 meanwhile), let XMPP reconnect (backoff), then re-read User and Dialogs and reconcile: a
 * call still present gives only its changes, one that vanished ends as EndedUnknown, one that
 * appeared is added. Calls that began and ended inside the outage leave no trace (Cisco sends
 * nothing for them).
 *
 * Requests map onto REST with the request's id in the `requestId` header; they resolve when
 * Finesse accepted them (HTTP 202) and the outcome arrives as a notification echoing the id.
 * singleStepConference is refused: Finesse has no CONFERENCE_SST (see {@link REQUEST_ACTIONS}).
 */
import { systemClock, type Clock, type TimerHandle } from '../../core/clock.js';
import { ErrorCode, SwitchboardError, toSwitchboardError } from '../../core/errors.js';
import { Flavor } from '../../core/model.js';
import type { PlatformRequest, PlatformRequestType, Source, UpdateSink } from '../../core/source.js';
import type { PlatformUpdate } from '../../core/updates.js';
import { parseDialogs, parseNotification, parseQueues, parseReasonCodes, parseSystemInfo, parseUser, parseWrapUpReasons } from './parse.js';
import { FinesseReducer } from './reducer.js';
import { FinesseRest, type FetchLike, type FinesseAuth } from './rest.js';
import { DialogAction, type FinesseSystemInfo } from './types.js';
import { FinesseXmpp, type FinesseXmppOptions, type XmppStatus } from './xmpp.js';

/**
 * The Finesse action a participant's `<actions>` must list for each request (the reducer turns
 * `<actions>` into capabilities and the API checks those before a request reaches the source).
 * `null`: not a dialog action (agent state, MAKE_CALL on the user's Dialogs collection).
 * singleStepConference has no Finesse action: there is no CONFERENCE_SST, and emulating it with
 * CONSULT_CALL + CONFERENCE is two steps that can fail half way, so the source refuses it.
 */
export const REQUEST_ACTIONS: Readonly<Record<PlatformRequestType, DialogAction | null | 'unsupported'>> = {
  setAgentState: null,
  makeCall: null,
  answer: DialogAction.ANSWER,
  hold: DialogAction.HOLD,
  resume: DialogAction.RETRIEVE,
  end: DialogAction.DROP,
  consult: DialogAction.CONSULT_CALL,
  transfer: DialogAction.TRANSFER,
  conference: DialogAction.CONFERENCE,
  directTransfer: DialogAction.TRANSFER_SST,
  singleStepConference: 'unsupported',
  sendDtmf: DialogAction.SEND_DTMF,
  updateData: DialogAction.UPDATE_CALL_DATA,
};

export const FINESSE_SUPPORTED_REQUESTS: ReadonlySet<PlatformRequestType> = new Set(
  (Object.keys(REQUEST_ACTIONS) as PlatformRequestType[]).filter((t) => REQUEST_ACTIONS[t] !== 'unsupported'),
);

const AGENT_STATES = { Ready: 'READY', NotReady: 'NOT_READY', Logout: 'LOGOUT' } as const;

/** The notification channel the source needs; {@link FinesseXmpp} is the real one. */
export interface NotificationChannel {
  readonly jid: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  subscribe(node: string): Promise<void>;
  unsubscribe(node: string): Promise<void>;
}

export type FinesseConnectionState = 'connecting' | 'online' | 'failover' | 'offline';

export interface FinesseSourceOptions {
  /** REST base, e.g. `https://finesse.example.com:8445`. */
  baseUrl: string;
  /** The agent's Finesse user id (loginId). */
  agentId: string;
  /** Basic (user id + password) or Bearer (SSO token); the XMPP password is the password or the token. */
  auth: FinesseAuth;
  /** `xmpp://127.0.0.1:5222`, `wss://finesse.example.com:7443/ws`. */
  xmppService: string;
  /** Default: SystemInfo xmppDomain. */
  xmppDomain?: string;
  /** XMPP user name; default the agentId. */
  xmppUsername?: string;
  /** XMPP resource (required; `desktop` is reserved). Default `switchboard`. */
  xmppResource?: string;
  /** The agent's extension: sign-in and `targetMediaAddress`. Default: the User's extension. */
  extension?: string;
  /** Sign in (PUT state LOGIN with the extension) when the User is LOGOUT. Default true. */
  signIn?: boolean;
  /** UCCE channel `voice_<peripheralId>`; default 5000. UCCX is always `voice_-1`. */
  peripheralId?: string | number;
  /** UCCE: GET the agent's queues at connect and emit a snapshot. Default true. */
  queues?: boolean;
  clock?: Clock;
  fetch?: FetchLike;
  /** REST timeout; default 10 000 ms. */
  timeoutMs?: number;
  /** SystemInfo poll interval during failover; default 5000 ms. */
  failoverPollMs?: number;
  /** XMPP ping/backoff tuning. */
  xmpp?: Pick<FinesseXmppOptions, 'pingIntervalMs' | 'pingTimeoutMs' | 'connectTimeoutMs' | 'backoff' | 'random'>;
  /** Replace the XMPP client (tests, other transports). */
  createChannel?: (options: FinesseXmppOptions) => NotificationChannel;
  /** Connection changes (failover started, back online). */
  onConnectionState?: (state: FinesseConnectionState) => void;
  /** Problems that are not updates (XMPP errors, failed re-sync). Credentials never appear. */
  onError?: (error: SwitchboardError) => void;
}

/**
 * @example
 * const source = new FinesseSource({ baseUrl: 'https://finesse.example.com:8445', agentId: '1001',
 *   auth: { kind: 'basic', user: '1001', password }, xmppService: 'wss://finesse.example.com:7443/ws', extension: '1001001' });
 * await source.connect((u) => session.apply(u));
 * await source.request({ type: 'setAgentState', channelId: 'voice_5000', state: 'Ready', requestId: crypto.randomUUID() });
 */
export class FinesseSource implements Source {
  readonly kind = 'finesse';
  readonly supports: ReadonlySet<PlatformRequestType> = FINESSE_SUPPORTED_REQUESTS;
  readonly rest: FinesseRest;
  private readonly o: FinesseSourceOptions;
  private readonly clock: Clock;
  private emitFn: UpdateSink | undefined;
  private channel: NotificationChannel | undefined;
  private reducer: FinesseReducer | undefined;
  private info: FinesseSystemInfo | undefined;
  private ext: string | undefined;
  /** Notifications held while a read (connect or re-sync) is in progress. */
  private held: { node: string; xml: string }[] | undefined;
  private pollTimer: TimerHandle | undefined;
  private inService = true;
  private xmppUp = false;
  private resyncing = false;
  private gen = 0;
  private state: FinesseConnectionState = 'offline';

  constructor(options: FinesseSourceOptions) {
    this.o = options;
    this.clock = options.clock ?? systemClock;
    const restOptions: ConstructorParameters<typeof FinesseRest>[0] = { baseUrl: options.baseUrl, auth: options.auth, clock: this.clock };
    if (options.fetch !== undefined) restOptions.fetch = options.fetch;
    if (options.timeoutMs !== undefined) restOptions.timeoutMs = options.timeoutMs;
    this.rest = new FinesseRest(restOptions);
    this.ext = options.extension;
  }

  /** SystemInfo as read at connect (and during failover). */
  get systemInfo(): FinesseSystemInfo | undefined {
    return this.info;
  }

  get flavor(): Flavor | undefined {
    return this.reducer?.flavor;
  }

  get channelId(): string | undefined {
    return this.reducer?.channelId;
  }

  get connectionState(): FinesseConnectionState {
    return this.state;
  }

  async connect(emit: UpdateSink): Promise<void> {
    if (this.emitFn !== undefined) throw new SwitchboardError(ErrorCode.INVALID_STATE, 'the Finesse source is already connected');
    const gen = ++this.gen;
    this.setState('connecting');
    try {
      const info = await this.readSystemInfo();
      if (info.status.toUpperCase() !== 'IN_SERVICE') {
        throw new SwitchboardError(ErrorCode.NOT_CONNECTED, `Finesse is not in service (SystemInfo status ${info.status || 'empty'})`);
      }
      const flavor = info.deploymentType.toUpperCase() === 'UCCX' ? Flavor.UCCX : Flavor.UCCE;
      const reducerOptions: ConstructorParameters<typeof FinesseReducer>[0] = { agentId: this.o.agentId, extension: this.ext ?? '', flavor, clock: this.clock };
      if (this.o.peripheralId !== undefined) reducerOptions.peripheralId = this.o.peripheralId;
      const reducer = new FinesseReducer(reducerOptions);
      this.reducer = reducer;
      this.held = [];
      this.emitFn = emit;

      const channel = this.createChannel(info, gen);
      this.channel = channel;
      await channel.start();
      this.xmppUp = true;
      this.inService = true;

      let user = parseUser(await this.rest.getUser(this.o.agentId));
      if (this.ext === undefined && user.extension !== '') this.ext = user.extension;
      if (user.state.toUpperCase() === 'LOGOUT' && this.o.signIn !== false) {
        const ext = this.ext;
        if (ext === undefined || ext === '') throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, 'the agent is logged out and no extension is configured to sign in with');
        await this.rest.signIn(this.o.agentId, ext);
        user = parseUser(await this.rest.getUser(this.o.agentId));
      }
      const [notReady, logout, wrapUp, dialogs] = await Promise.all([
        this.rest.getReasonCodes(this.o.agentId, 'NOT_READY').then(parseReasonCodes),
        this.rest.getReasonCodes(this.o.agentId, 'LOGOUT').then(parseReasonCodes),
        this.rest.getWrapUpReasons(this.o.agentId).then(parseWrapUpReasons),
        this.rest.getDialogs(this.o.agentId).then(parseDialogs),
      ]);
      if (gen !== this.gen) return;
      this.deliver([reducer.sessionUpdate(user, { notReady, logout, wrapUp })]);
      this.deliver(reducer.reconcile(user, dialogs, this.clock.now()));
      if (flavor === Flavor.UCCE && this.o.queues !== false) {
        try {
          const snapshot = reducer.queueSnapshot(parseQueues(await this.rest.getQueues(this.o.agentId)));
          if (snapshot !== undefined) this.deliver([snapshot]);
        } catch (err) {
          this.report(toSwitchboardError(err, ErrorCode.PLATFORM_ERROR));
        }
      }
      this.flushHeld();
      this.setState('online');
    } catch (err) {
      if (gen === this.gen) await this.teardown();
      throw toSwitchboardError(err, ErrorCode.NOT_CONNECTED);
    }
  }

  async disconnect(): Promise<void> {
    this.gen++;
    await this.teardown();
  }

  /** Explicit XEP-0060 subscription (Team `/finesse/api/Team/{id}/Users`, Queue `/finesse/api/Queue/{id}`). */
  async subscribe(node: string): Promise<void> {
    if (this.channel === undefined) throw new SwitchboardError(ErrorCode.NOT_CONNECTED, 'the Finesse source is not connected');
    await this.channel.subscribe(node);
  }

  async unsubscribe(node: string): Promise<void> {
    if (this.channel === undefined) throw new SwitchboardError(ErrorCode.NOT_CONNECTED, 'the Finesse source is not connected');
    await this.channel.unsubscribe(node);
  }

  async request(r: PlatformRequest): Promise<void> {
    const id = r.requestId;
    try {
      if (r.type === 'singleStepConference') {
        throw new SwitchboardError(ErrorCode.NOT_SUPPORTED, 'Finesse has no single-step conference (no CONFERENCE_SST): consult, then conference');
      }
      const agent = this.o.agentId;
      switch (r.type) {
        case 'setAgentState': {
          const state = AGENT_STATES[r.state];
          if (state === undefined) throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `unknown agent state "${String(r.state)}"`);
          const reason = r.state === 'Ready' ? undefined : r.reasonCode;
          await this.rest.setState(agent, state, reason, id);
          return;
        }
        case 'makeCall':
          await this.rest.makeCall(agent, this.extension(), r.address, undefined, id);
          return;
        case 'answer':
        case 'hold':
        case 'resume':
        case 'end':
        case 'transfer':
        case 'conference':
          await this.rest.dialogAction(r.workitemId, REQUEST_ACTIONS[r.type] as DialogAction, { targetMediaAddress: this.extension() }, id);
          return;
        case 'consult':
          await this.rest.dialogAction(r.workitemId, DialogAction.CONSULT_CALL, { targetMediaAddress: this.extension(), toAddress: r.address }, id);
          return;
        case 'directTransfer':
          await this.rest.dialogAction(r.workitemId, DialogAction.TRANSFER_SST, { targetMediaAddress: this.extension(), toAddress: r.address }, id);
          return;
        case 'sendDtmf':
          await this.rest.dialogAction(r.workitemId, DialogAction.SEND_DTMF, { targetMediaAddress: this.extension(), dtmf: r.digits }, id);
          return;
        case 'updateData':
          await this.rest.dialogAction(r.workitemId, DialogAction.UPDATE_CALL_DATA, { targetMediaAddress: this.extension(), callData: r.data }, id);
          return;
      }
    } catch (err) {
      throw toSwitchboardError(err, ErrorCode.PLATFORM_ERROR, id);
    }
  }

  // ---- internals ------------------------------------------------------------------------------

  private extension(): string {
    if (this.ext === undefined || this.ext === '') throw new SwitchboardError(ErrorCode.NOT_CONNECTED, "the agent's extension is not known yet (connect first or configure it)");
    return this.ext;
  }

  private async readSystemInfo(): Promise<FinesseSystemInfo> {
    const info = parseSystemInfo(await this.rest.getSystemInfo());
    this.info = info;
    return info;
  }

  private createChannel(info: FinesseSystemInfo, gen: number): NotificationChannel {
    const password = this.o.auth.kind === 'basic' ? this.o.auth.password : this.o.auth.token;
    const options: FinesseXmppOptions = {
      service: this.o.xmppService,
      domain: this.o.xmppDomain ?? info.xmppDomain,
      username: this.o.xmppUsername ?? this.o.agentId,
      password,
      resource: this.o.xmppResource ?? 'switchboard',
      clock: this.clock,
      ...this.o.xmpp,
      onNotification: ({ node, xml }) => {
        if (gen === this.gen) this.onNotification(node, xml);
      },
      onStatus: (status) => {
        if (gen === this.gen) this.onXmppStatus(status, gen);
      },
      onError: (err) => {
        if (gen === this.gen) this.report(err);
      },
    };
    if (info.xmppPubSubDomain !== '') options.pubsubDomain = info.xmppPubSubDomain;
    return this.o.createChannel !== undefined ? this.o.createChannel(options) : new FinesseXmpp(options);
  }

  private onNotification(node: string, xml: string): void {
    if (this.held !== undefined) {
      this.held.push({ node, xml });
      return;
    }
    this.apply(node, xml);
  }

  private apply(node: string, xml: string): void {
    const reducer = this.reducer;
    if (reducer === undefined) return;
    let updates: PlatformUpdate[];
    try {
      updates = reducer.onNotification(node, parseNotification(xml));
    } catch (err) {
      const e = toSwitchboardError(err, ErrorCode.PARSE_ERROR);
      updates = [{ type: 'platformError', code: e.code, message: `unreadable Finesse notification on ${node}: ${e.message}` }];
    }
    this.deliver(updates);
  }

  private flushHeld(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const h of held) this.apply(h.node, h.xml);
  }

  private deliver(updates: readonly PlatformUpdate[]): void {
    const emit = this.emitFn;
    if (emit === undefined) return;
    for (const u of updates) {
      try {
        emit(u);
      } catch (err) {
        this.report(toSwitchboardError(err, ErrorCode.HANDLER_ERROR));
      }
    }
  }

  private onXmppStatus(status: XmppStatus, gen: number): void {
    if (status === 'offline') {
      this.xmppUp = false;
      this.inService = false;
      this.setState('failover');
      this.pollSystemInfo(gen);
      return;
    }
    this.xmppUp = true;
    void this.maybeResync(gen);
  }

  /** Poll SystemInfo until IN_SERVICE (503 or unreachable meanwhile). */
  private pollSystemInfo(gen: number): void {
    if (this.pollTimer !== undefined) return;
    const tick = (): void => {
      this.pollTimer = undefined;
      if (gen !== this.gen) return;
      this.readSystemInfo()
        .then((info) => {
          if (gen !== this.gen) return;
          if (info.status.toUpperCase() === 'IN_SERVICE') {
            this.inService = true;
            void this.maybeResync(gen);
          } else {
            this.pollTimer = this.clock.setTimeout(tick, this.o.failoverPollMs ?? 5000);
          }
        })
        .catch(() => {
          if (gen === this.gen) this.pollTimer = this.clock.setTimeout(tick, this.o.failoverPollMs ?? 5000);
        });
    };
    this.pollTimer = this.clock.setTimeout(tick, 0);
  }

  /** Once XMPP is back and Finesse is IN_SERVICE: re-read User and Dialogs and reconcile. */
  private async maybeResync(gen: number): Promise<void> {
    if (!this.xmppUp || !this.inService || this.resyncing || this.state !== 'failover') return;
    const reducer = this.reducer;
    if (reducer === undefined) return;
    this.resyncing = true;
    this.held ??= [];
    try {
      const [user, dialogs] = await Promise.all([this.rest.getUser(this.o.agentId).then(parseUser), this.rest.getDialogs(this.o.agentId).then(parseDialogs)]);
      if (gen !== this.gen) return;
      this.deliver(reducer.reconcile(user, dialogs, this.clock.now()));
      this.flushHeld();
      this.setState('online');
    } catch (err) {
      if (gen !== this.gen) return;
      this.report(toSwitchboardError(err, ErrorCode.NOT_CONNECTED));
      // Try again: Finesse may have answered IN_SERVICE a moment too early.
      this.inService = false;
      this.pollSystemInfo(gen);
    } finally {
      this.resyncing = false;
    }
  }

  private async teardown(): Promise<void> {
    if (this.pollTimer !== undefined) this.clock.clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    const channel = this.channel;
    this.channel = undefined;
    this.emitFn = undefined;
    this.held = undefined;
    this.xmppUp = false;
    if (channel !== undefined) {
      try {
        await channel.stop();
      } catch (err) {
        this.report(toSwitchboardError(err, ErrorCode.NOT_CONNECTED));
      }
    }
    this.setState('offline');
  }

  private setState(state: FinesseConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    try {
      this.o.onConnectionState?.(state);
    } catch {
      // a listener's failure is its own
    }
  }

  private report(err: SwitchboardError): void {
    try {
      this.o.onError?.(err);
    } catch {
      // never let a reporting hook break the source
    }
  }
}
