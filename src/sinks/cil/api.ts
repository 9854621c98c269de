/**
 * @module sinks/cil/api
 * The typed Integration API: what custom code and the gadget are written against. Events come
 * through a typed event map ({@link EventMap}); requests follow seed 001's rules (see
 * core/requests.ts), go to the Source, and reject with a {@link SwitchboardError} carrying
 * `code` and `requestId`. Every failed request also dispatches exactly one `error` event with
 * its requestId, which is how the seed's `cil` facade reports failures.
 */
import {
  API_VERSION,
  AgentState,
  Capability,
  Classification,
  ErrorCode,
  ReasonType,
  RequestableAgentState,
  SwitchboardError,
  WorkitemState,
  cloneEventData,
  cloneWorkitem,
  decideDialOrConsult,
  dtmfTarget,
  findWorkitem,
  isEndedState,
  requireCapability,
  resolveChannel,
  resolveChannels,
  targetWorkitem,
  toSwitchboardError,
  validateDtmf,
  validateWorkitemData,
  type AgentSession,
  type ChannelState,
  type Clock,
  type CtiData,
  type DomainEvent,
  type EventMap,
  type PlatformRequest,
  type ReasonCode,
  type Source,
  type Workitem,
} from '../../core/index.js';
import { TypedEmitter, type Unsubscribe } from './emitter.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface RequestOptions {
  /** Identifier echoed in the events and errors this request causes; generated when absent. */
  requestId?: string;
  /** Overrides the API's default timeout for this request. */
  timeoutMs?: number;
}

export interface IntegrationApiOptions {
  session: AgentSession;
  source: Source;
  /** Defaults to the session's clock. */
  clock?: Clock;
  timeoutMs?: number;
  /** Request id generator; `crypto.randomUUID` by default. */
  newRequestId?: () => string;
}

/** getChannel's result (seed 001, getChannel and Channel reference). */
export interface ChannelInfo {
  activeDeviceId: string;
  channel: ChannelState & { workitems: Workitem[] };
  extension: string;
  firstName: string;
  agentId: string;
  lastName: string;
  loginName: string;
  teamId: string;
}

/** A wrap-up reason in the gadget's list; `custom` ones were set by label through the API. */
export interface WrapupReasonEntry extends ReasonCode {
  selected: boolean;
  custom: boolean;
}

const REASON_TYPES: ReadonlySet<string> = new Set(Object.values(ReasonType));
const REQUESTABLE: ReadonlySet<string> = new Set(Object.values(RequestableAgentState));

export class IntegrationApi {
  readonly session: AgentSession;
  readonly source: Source;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly newRequestId: () => string;
  private readonly emitter: TypedEmitter<EventMap>;
  private readonly unsubscribeSession: Unsubscribe;
  /** Custom wrap-up reasons set by label, per workitem (seed 001, setWrapupReason). */
  private readonly customWrapup = new Map<string, string>();

  constructor(options: IntegrationApiOptions) {
    this.session = options.session;
    this.source = options.source;
    this.clock = options.clock ?? options.session.clock;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.newRequestId = options.newRequestId ?? (() => globalThis.crypto.randomUUID());
    this.emitter = new TypedEmitter<EventMap>((err, name) => this.handlerFailed(err, name), (d) => cloneEventData(d as never));
    this.unsubscribeSession = this.session.subscribe((e) => this.deliver(e));
  }

  /** Stop delivering events to this API's handlers. */
  dispose(): void {
    this.unsubscribeSession();
  }

  /**
   * Subscribe to an event; the handler's data type follows the name.
   * @example
   * const off = api.on('workitemConnect', (wi) => console.log(wi.id, wi.connectedAt));
   */
  on<K extends keyof EventMap>(name: K, handler: (data: EventMap[K]) => void): Unsubscribe {
    return this.emitter.on(name, handler);
  }

  /** The live workitems, copies. */
  get workitems(): Workitem[] {
    return Object.values(this.session.state.workitems).map(cloneWorkitem);
  }

  // ---- seed 001 requests ---------------------------------------------------------------------

  /** setAgentState: `voice` may act on several voice channels (seed 001). */
  async setAgentState(channelId: string, state: RequestableAgentState, reasonCode?: string | number, options: RequestOptions = {}): Promise<void> {
    await this.run(options, async (requestId) => {
      const channels = resolveChannels(this.session.state, channelId, requestId);
      if (typeof state !== 'string' || !REQUESTABLE.has(state)) {
        throw this.err(ErrorCode.INVALID_ARGUMENT, `state must be Ready, NotReady or Logout (got ${JSON.stringify(state)})`, requestId);
      }
      const code = reasonCode === undefined || reasonCode === null || reasonCode === '' ? undefined : String(reasonCode);
      if (code !== undefined) {
        if (state === AgentState.Ready) throw this.err(ErrorCode.INVALID_ARGUMENT, 'Ready takes no reason code', requestId);
        const list = this.session.state.reasonCodes[state === AgentState.NotReady ? ReasonType.NotReady : ReasonType.Logout];
        if (list !== undefined && !list.some((r) => r.id === code)) {
          throw this.err(ErrorCode.INVALID_ARGUMENT, `unknown ${state} reason code "${code}" (known: ${list.map((r) => r.id).join(', ') || 'none'})`, requestId);
        }
      }
      const results = await Promise.allSettled(
        channels.map((ch) => this.send({ type: 'setAgentState', channelId: ch.id, state, ...(code !== undefined ? { reasonCode: code } : {}), requestId }, options)),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    });
  }

  /** directTransfer (blind): without workitemId, exactly one workitem must be Active. */
  async directTransfer(channelId: string, address: string, workitemId?: string, options: RequestOptions = {}): Promise<void> {
    await this.run(options, async (requestId) => {
      const wi = this.target(channelId, workitemId, requestId);
      this.requireAddress(address, requestId);
      requireCapability(wi, Capability.DirectTransfer, requestId);
      await this.send({ type: 'directTransfer', workitemId: wi.id, address, requestId }, options);
    });
  }

  /** singleStepConference: without workitemId, exactly one workitem must be Active. */
  async singleStepConference(channelId: string, address: string, workitemId?: string, options: RequestOptions = {}): Promise<void> {
    await this.run(options, async (requestId) => {
      const wi = this.target(channelId, workitemId, requestId);
      this.requireAddress(address, requestId);
      requireCapability(wi, Capability.SingleStepConference, requestId);
      await this.send({ type: 'singleStepConference', workitemId: wi.id, address, requestId }, options);
    });
  }

  /** dialOrConsult: a new call, or a consultation when the agent already has a call. */
  async dialOrConsult(channelId: string, address: string, options: RequestOptions = {}): Promise<void> {
    await this.run(options, async (requestId) => {
      const ch = resolveChannel(this.session.state, channelId, requestId);
      this.requireAddress(address, requestId);
      const decision = decideDialOrConsult(this.session.state, ch.id, requestId);
      if (decision.kind === 'dial') {
        await this.send({ type: 'makeCall', channelId: ch.id, address, requestId }, options);
      } else {
        requireCapability(decision.from, Capability.Consult, requestId);
        await this.send({ type: 'consult', workitemId: decision.from.id, address, requestId }, options);
      }
    });
  }

  /** getReasonCodeList: the reason codes of a type; Wrapup includes custom reasons set by label. */
  async getReasonCodeList(channelId: string, reasonType: ReasonType): Promise<ReasonCode[]> {
    return this.run({}, (requestId) => {
      resolveChannel(this.session.state, channelId, requestId);
      if (typeof reasonType !== 'string' || !REASON_TYPES.has(reasonType)) {
        throw this.err(ErrorCode.INVALID_ARGUMENT, `reasonType must be Logout, NotReady or Wrapup (got ${JSON.stringify(reasonType)})`, requestId);
      }
      const list = (this.session.state.reasonCodes[reasonType] ?? []).map((r) => ({ label: r.label, id: r.id }));
      if (reasonType === ReasonType.Wrapup) {
        for (const label of new Set(this.customWrapup.values())) list.push({ label, id: customId(label) });
      }
      return Promise.resolve(list);
    });
  }

  /** getChannel: the agent and the one channel `channelId` names, with its workitems. */
  async getChannel(channelId: string): Promise<ChannelInfo> {
    return this.run({}, (requestId) => {
      const ch = resolveChannel(this.session.state, channelId, requestId);
      const agent = this.session.state.agent;
      if (agent === undefined) throw this.err(ErrorCode.INVALID_STATE, 'no agent is signed in on this session', requestId);
      const workitems = Object.values(this.session.state.workitems).filter((w) => w.channelId === ch.id).map(cloneWorkitem);
      return Promise.resolve({
        activeDeviceId: agent.activeDeviceId ?? agent.extension,
        channel: { ...ch, workitems },
        extension: agent.extension,
        firstName: agent.firstName,
        agentId: agent.agentId,
        lastName: agent.lastName,
        loginName: agent.loginName,
        teamId: agent.teamId,
      });
    });
  }

  /** sendDtmf: to the one Active call; characters per flavour (CCE 0-9 * # A-D, CCX 0-9 * #). */
  async sendDtmf(dtmf: string, options: RequestOptions = {}): Promise<void> {
    await this.run(options, async (requestId) => {
      const digits = validateDtmf(this.session.flavor, dtmf, requestId);
      const wi = dtmfTarget(this.session.state);
      if (wi === undefined) throw this.err(ErrorCode.INVALID_STATE, 'no Active call to send DTMF to', requestId);
      requireCapability(wi, Capability.SendDtmf, requestId);
      await this.send({ type: 'sendDtmf', workitemId: wi.id, digits, requestId }, options);
    });
  }

  /** isSendDtmfEnabled: true when a call exists to which DTMF can be sent. */
  isSendDtmfEnabled(): Promise<boolean> {
    const wi = dtmfTarget(this.session.state);
    return Promise.resolve(wi !== undefined && wi.capabilities.includes(Capability.SendDtmf) && this.source.supports.has('sendDtmf'));
  }

  /** updateWorkitemData: call variables, `user.<ECC>` and wrapUpReason; values must be strings. */
  async updateWorkitemData(channelId: string, workitemId: string, updatedData: CtiData, options: RequestOptions = {}): Promise<void> {
    await this.run(options, async (requestId) => {
      const ch = resolveChannel(this.session.state, channelId, requestId);
      const wi = findWorkitem(this.session.state, workitemId, ch.id, requestId);
      const data = validateWorkitemData(updatedData, requestId);
      requireCapability(wi, Capability.UpdateData, requestId);
      await this.send({ type: 'updateData', workitemId: wi.id, data, requestId }, options);
      if (data.wrapUpReason !== undefined) this.noteWrapupReason(wi.id, data.wrapUpReason);
    });
  }

  /** isUpdateWorkitemDataEnabled: true when the workitem exists and its data can be updated now. */
  isUpdateWorkitemDataEnabled(channelId: string, workitemId: string): Promise<boolean> {
    try {
      const ch = resolveChannel(this.session.state, channelId);
      const wi = findWorkitem(this.session.state, workitemId, ch.id);
      return Promise.resolve(wi.capabilities.includes(Capability.UpdateData) && this.source.supports.has('updateData'));
    } catch {
      return Promise.resolve(false);
    }
  }

  /** setWrapupReason: by label; a label not in the configured list joins it as a custom reason. */
  async setWrapupReason(channelId: string, workitemId: string, wrapUpReason: string, options: RequestOptions = {}): Promise<void> {
    await this.run(options, async (requestId) => {
      const ch = resolveChannel(this.session.state, channelId, requestId);
      const wi = findWorkitem(this.session.state, workitemId, ch.id, requestId);
      if (typeof wrapUpReason !== 'string' || wrapUpReason === '') throw this.err(ErrorCode.INVALID_ARGUMENT, 'wrapUpReason must be a non-empty string', requestId);
      if (!wi.capabilities.includes(Capability.SetWrapupReason) && !wi.capabilities.includes(Capability.UpdateData)) {
        requireCapability(wi, Capability.SetWrapupReason, requestId);
      }
      await this.send({ type: 'updateData', workitemId: wi.id, data: { wrapUpReason }, requestId }, options);
      this.noteWrapupReason(wi.id, wrapUpReason);
    });
  }

  /** The wrap-up reasons the gadget lists for a workitem: configured ones plus its custom one. */
  wrapupReasons(workitemId: string): WrapupReasonEntry[] {
    const wi = this.session.state.workitems[workitemId];
    const selected = wi?.ctiData.wrapUpReason;
    const list: WrapupReasonEntry[] = (this.session.state.reasonCodes.Wrapup ?? []).map((r) => ({ ...r, selected: r.label === selected, custom: false }));
    const custom = this.customWrapup.get(workitemId);
    if (custom !== undefined) list.push({ id: customId(custom), label: custom, selected: custom === selected, custom: true });
    return list;
  }

  // ---- call control beyond seed 001 (the gadget's buttons) ------------------------------------

  answer(workitemId: string, options: RequestOptions = {}): Promise<void> {
    return this.simple('answer', Capability.Answer, workitemId, options);
  }
  hold(workitemId: string, options: RequestOptions = {}): Promise<void> {
    return this.simple('hold', Capability.Hold, workitemId, options);
  }
  resume(workitemId: string, options: RequestOptions = {}): Promise<void> {
    return this.simple('resume', Capability.Resume, workitemId, options);
  }
  end(workitemId: string, options: RequestOptions = {}): Promise<void> {
    return this.simple('end', Capability.End, workitemId, options);
  }

  /** Complete a consultative transfer of the held `workitemId` to its consultation call. */
  transfer(workitemId: string, options: RequestOptions = {}): Promise<void> {
    return this.complete('transfer', Capability.Transfer, workitemId, options);
  }

  /** Join the held `workitemId` and its consultation call into a conference. */
  conference(workitemId: string, options: RequestOptions = {}): Promise<void> {
    return this.complete('conference', Capability.Conference, workitemId, options);
  }

  // ---- internals -------------------------------------------------------------------------------

  private simple(type: 'answer' | 'hold' | 'resume' | 'end', cap: Capability, workitemId: string, options: RequestOptions): Promise<void> {
    return this.run(options, async (requestId) => {
      const wi = findWorkitem(this.session.state, workitemId, undefined, requestId);
      requireCapability(wi, cap, requestId);
      await this.send({ type, workitemId: wi.id, requestId }, options);
    });
  }

  private complete(type: 'transfer' | 'conference', cap: Capability, workitemId: string, options: RequestOptions): Promise<void> {
    return this.run(options, async (requestId) => {
      const wi = findWorkitem(this.session.state, workitemId, undefined, requestId);
      requireCapability(wi, cap, requestId);
      const consults = Object.values(this.session.state.workitems).filter(
        (w) => w.id !== wi.id && w.classification === Classification.Consultation && w.channelId === wi.channelId && !isEndedState(w.state) && w.state !== WorkitemState.Wrapup,
      );
      const [consult] = consults;
      if (consults.length !== 1 || consult === undefined) {
        throw this.err(ErrorCode.INVALID_STATE, `${type} needs exactly one consultation call beside "${wi.id}" (found ${consults.length})`, requestId);
      }
      await this.send({ type, workitemId: wi.id, consultId: consult.id, requestId }, options);
    });
  }

  private target(channelId: string, workitemId: string | undefined, requestId: string): Workitem {
    const ch = resolveChannel(this.session.state, channelId, requestId);
    return targetWorkitem(this.session.state, ch.id, workitemId, requestId);
  }

  private requireAddress(address: unknown, requestId: string): void {
    if (typeof address !== 'string' || address.trim() === '') throw this.err(ErrorCode.INVALID_ARGUMENT, 'address must be a non-empty string', requestId);
  }

  private noteWrapupReason(workitemId: string, label: string): void {
    const configured = (this.session.state.reasonCodes.Wrapup ?? []).some((r) => r.label === label);
    if (configured) this.customWrapup.delete(workitemId);
    else this.customWrapup.set(workitemId, label);
  }

  private err(code: ErrorCode, message: string, requestId: string): SwitchboardError {
    return new SwitchboardError(code, message, { requestId });
  }

  /** Run a request body: id assigned, failures turned into one error event and a typed rejection. */
  private async run<T>(options: RequestOptions, body: (requestId: string) => Promise<T>): Promise<T> {
    const requestId = typeof options.requestId === 'string' && options.requestId !== '' ? options.requestId : this.newRequestId();
    try {
      return await body(requestId);
    } catch (raw) {
      const error = toSwitchboardError(raw, ErrorCode.PLATFORM_ERROR, requestId);
      this.session.reportError(error);
      throw error;
    }
  }

  /** Hand a request to the source, refusing what it cannot do, with a timeout on the clock. */
  private send(request: PlatformRequest, options: RequestOptions): Promise<void> {
    if (!this.source.supports.has(request.type)) {
      return Promise.reject(this.err(ErrorCode.NOT_CAPABLE, `the ${this.source.kind} source cannot carry out ${request.type}`, request.requestId));
    }
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const timer = this.clock.setTimeout(() => {
        if (settled) return;
        settled = true;
        reject(this.err(ErrorCode.TIMEOUT, `${request.type} got no answer from the ${this.source.kind} source within ${timeoutMs} ms`, request.requestId));
      }, timeoutMs);
      let pending: Promise<void>;
      try {
        pending = this.source.request(request);
      } catch (err) {
        pending = Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
      pending.then(
        () => {
          if (settled) return;
          settled = true;
          this.clock.clearTimeout(timer);
          resolve();
        },
        (err: unknown) => {
          if (settled) return;
          settled = true;
          this.clock.clearTimeout(timer);
          reject(toSwitchboardError(err, ErrorCode.PLATFORM_ERROR, request.requestId));
        },
      );
    });
  }

  private deliver(e: DomainEvent): void {
    if (e.type === 'workitemEnd') this.customWrapup.delete(e.data.id);
    // interactionEnd and workitemUpdate are for the sinks, not seed 001 events.
    if (e.type === 'interactionEnd' || e.type === 'workitemUpdate') return;
    this.emitter.emit(e.type, e.data);
  }

  private handlerFailed(err: unknown, name: keyof EventMap): void {
    const message = `a ${String(name)} handler threw: ${err instanceof Error ? err.message : String(err)}`;
    if (name === 'error') return; // an error handler that throws has nowhere left to report to
    this.emitter.emit('error', { event: 'error', version: API_VERSION, requestId: '', message, code: ErrorCode.HANDLER_ERROR });
  }
}

function customId(label: string): string {
  return `custom:${label}`;
}
