/**
 * @module sinks/c4c/sink
 * `C4cSink`: the SAP Service Cloud (C4C) Live Activity sink (SPEC "Sinks → SAP Service Cloud
 * (C4C) Live Activity", seeds 000 and 002). It follows one agent's session and posts the live
 * activity payload to the C4C host window (`window.parent`), to the configured origin only.
 *
 * When each message goes out (one activity per handled customer call):
 * | session event | message |
 * | --- | --- |
 * | workitemCreate (Offered inbound, Initiated outbound) | Event CALL_ALLOCATED, Action NOTIFY |
 * | workitemConnect | CALL_CONNECTED, ACCEPT, with the mapped fields (C4C creates the activity) |
 * | callVariableChanged / wrapupDataChanged that changes a mapped field | EventType UpdateActivity, no Action |
 * | workitemWrapup, or workitemEnd when there was no wrap-up | CALL_DISCONNECTED, END — exactly once |
 * | workitemPause / workitemResume, unmapped data changes | nothing |
 *
 * Consultation and Conference items send nothing at all (seed 000), and neither does an
 * agent-to-agent (Internal) call unless C4C started it by click-to-dial. A consultation whose
 * classification later becomes Transfer (the receiving side of a consultative transfer) starts
 * its activity then. An activity once started is followed to its END whatever its item becomes.
 *
 * The sink never throws into the session: bad data, a storage or a transport that throws become
 * a SwitchboardError for `onError` (by default the session's own `error` event).
 */
import { postTo, type MessageTarget } from '../../bridge/window.js';
import type { Clock } from '../../core/clock.js';
import { ErrorCode, SwitchboardError, toSwitchboardError } from '../../core/errors.js';
import type { DomainEvent } from '../../core/events.js';
import { Classification, Direction, WorkitemState, type Workitem } from '../../core/model.js';
import { compileAniRules, transformAni, type AniRules } from './ani.js';
import { mappedFields } from './mapping.js';
import { C4cAction, C4cEvent, C4cEventType, buildPayload, encodeMessage, type C4cJsonMessage, type C4cPayload } from './payload.js';
import { callReference, defaultOriginalReference, transferReference, type OriginalReferenceResult } from './reference.js';
import { resolveC4cSettings, type C4cSettings, type C4cSettingsInput } from './settings.js';
import { Phase, memoryStorage, parseRecord, type ActivityRecord, type StorageLike } from './store.js';

/** What the sink needs of an AgentSession (structural, so that tests and replays can stand in). */
export interface SessionLike {
  readonly clock: Clock;
  readonly state: { readonly workitems: Readonly<Record<string, Workitem>>; readonly agent?: { readonly extension: string } | undefined };
  subscribe(listener: (event: DomainEvent) => void): () => void;
  reportError(error: SwitchboardError): void;
}

/** One message as posted, for logs and replays (`{"sink": "c4c", "payload": {...}}`). */
export interface C4cSent {
  workitemId: string;
  payload: C4cPayload;
  message: C4cJsonMessage | string;
  targetOrigin: string;
}

/** A click-to-dial request waiting for its workitem (see click-to-dial.ts). */
export interface ExpectedDial {
  /** The requestId given to dialOrConsult; the item's workitemCreate echoes it. */
  requestId: string;
  /** The activity C4C created before sending the click-to-dial event. */
  activityUUID: string;
}

export interface C4cSinkOptions {
  session: SessionLike;
  /** Where messages go: `window.parent` in the gadget. */
  target: MessageTarget;
  /** The `c4c` settings (validated here again: a bad value throws at construction, never later). */
  settings: C4cSettings | C4cSettingsInput;
  /**
   * Where announced activities are remembered for call recovery. In the browser pass
   * `window.sessionStorage`; the default forgets on reload (then a call that is already connected
   * at reload is followed without a second NOTIFY/ACCEPT; see docs/c4c.md, "Recovery").
   */
  storage?: StorageLike;
  /** Storage key prefix; default `switchboard.c4c.`. */
  storageKeyPrefix?: string;
  /** A stored record untouched for longer than this is stale (dialog ids repeat). Default 12 h. */
  recoveryWindowMs?: number;
  /** A click-to-dial request binds only an item created within this time. Default 60 s. */
  dialMatchWindowMs?: number;
  /** Derive ExternalOriginalReferenceID of a Transfer item; default {@link defaultOriginalReference}. */
  originalReference?: (workitem: Workitem, startedAt: number) => OriginalReferenceResult;
  /** Failures (a transport or storage that throws, unexpected data). Default: the session's `error` event. */
  onError?: (error: SwitchboardError) => void;
  /** Degraded sends (ANI not international, no original reference). Default: like onError. */
  onWarning?: (warning: SwitchboardError) => void;
  /** Told after every message posted. */
  onSent?: (sent: C4cSent) => void;
}

export const DEFAULT_STORAGE_PREFIX = 'switchboard.c4c.';
export const DEFAULT_RECOVERY_WINDOW_MS = 12 * 60 * 60 * 1000;
export const DEFAULT_DIAL_MATCH_WINDOW_MS = 60_000;

type Mode = 'active' | 'silent' | 'watch';

interface Tracked {
  /** active: has an activity; silent: never sends; watch: a consultation that may become a Transfer. */
  mode: Mode;
  record?: ActivityRecord;
}

interface PendingDial extends ExpectedDial {
  at: number;
}

function phaseOf(state: WorkitemState): Phase {
  switch (state) {
    case WorkitemState.Active:
    case WorkitemState.Paused:
      return Phase.connected;
    case WorkitemState.Wrapup:
    case WorkitemState.Ended:
    case WorkitemState.EndedAbandoned:
    case WorkitemState.EndedTransferred:
    case WorkitemState.EndedUnknown:
      return Phase.disconnected;
    default:
      return Phase.allocated;
  }
}

function sameFields(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

/**
 * The C4C Live Activity sink for one agent's session. Create it before the source connects, so
 * that it sees the calls a (re)connect recovers.
 *
 * @example
 * const sink = new C4cSink({
 *   session: agent.session,
 *   target: window.parent,
 *   settings: { origin: 'https://my.crm.ondemand.com', mapping: mappingFromUrl(location.href) ?? {} },
 *   storage: window.sessionStorage,
 *   onError: (e) => showError(e.message),
 * });
 * await agent.connect();
 */
export class C4cSink {
  readonly settings: C4cSettings;
  private readonly session: SessionLike;
  private readonly target: MessageTarget;
  private readonly rules: AniRules;
  private readonly storage: StorageLike;
  private readonly prefix: string;
  private readonly recoveryWindowMs: number;
  private readonly dialWindowMs: number;
  private readonly originalReference: (workitem: Workitem, startedAt: number) => OriginalReferenceResult;
  private readonly onError: (error: SwitchboardError) => void;
  private readonly onWarning: (warning: SwitchboardError) => void;
  private readonly onSent: ((sent: C4cSent) => void) | undefined;
  private readonly items = new Map<string, Tracked>();
  private pending: PendingDial[] = [];
  private readonly unsubscribe: () => void;

  constructor(options: C4cSinkOptions) {
    this.settings = resolveC4cSettings(options.settings);
    this.rules = compileAniRules(this.settings.ani.rules, 'c4c.ani.rules');
    this.session = options.session;
    this.target = options.target;
    this.storage = options.storage ?? memoryStorage();
    this.prefix = options.storageKeyPrefix ?? DEFAULT_STORAGE_PREFIX;
    this.recoveryWindowMs = options.recoveryWindowMs ?? DEFAULT_RECOVERY_WINDOW_MS;
    this.dialWindowMs = options.dialMatchWindowMs ?? DEFAULT_DIAL_MATCH_WINDOW_MS;
    this.originalReference = options.originalReference ?? ((wi, startedAt) => defaultOriginalReference(wi, startedAt));
    const onError = options.onError ?? ((e: SwitchboardError) => this.session.reportError(e));
    this.onError = (e) => {
      try {
        onError(e);
      } catch {
        // An error handler that throws has nowhere left to report to.
      }
    };
    const onWarning = options.onWarning ?? onError;
    this.onWarning = (w) => {
      try {
        onWarning(w);
      } catch {
        // as above
      }
    };
    this.onSent = options.onSent;
    this.prune();
    this.unsubscribe = this.session.subscribe((e) => this.handle(e));
  }

  /** Stop following the session (stored records stay for the next page). */
  dispose(): void {
    this.unsubscribe();
  }

  /**
   * Bind the next workitem created for `requestId` (or, failing an echo, the next Outgoing item
   * created without a requestId) to a C4C-created activity: it carries that ActivityUUID in every
   * message, or sends nothing at all when it is a consultation.
   */
  expectDial(dial: ExpectedDial): void {
    this.pending.push({ requestId: dial.requestId, activityUUID: dial.activityUUID, at: this.session.clock.now() });
  }

  /** Forget a click-to-dial request (its dial failed). */
  cancelDial(requestId: string): void {
    this.pending = this.pending.filter((p) => p.requestId !== requestId);
  }

  /** The ExternalReferenceID the sink uses for a live workitem, if it has an activity. */
  referenceOf(workitemId: string): string | undefined {
    return this.items.get(workitemId)?.record?.reference;
  }

  /**
   * Look again at the live consultations: one that has become a Transfer (the receiving side of a
   * consultative transfer) starts its activity now. Runs after every session event; call it
   * yourself when the platform may change a classification without any event.
   */
  reconcile(): void {
    try {
      for (const [id, item] of this.items) {
        if (item.mode !== 'watch') continue;
        const wi = Object.hasOwn(this.session.state.workitems, id) ? this.session.state.workitems[id] : undefined;
        if (wi === undefined || wi.classification !== Classification.Transfer) continue;
        this.promote(wi, item);
        this.advance(wi, phaseOf(wi.state));
      }
    } catch (err) {
      this.fail(err);
    }
  }

  /**
   * Bring C4C up to date with every live workitem of the session now, instead of at each item's
   * next event: for a sink created while calls are already live (a gadget tab that takes over
   * from another, SPEC "one session across tabs"). Items with a stored record continue it (no
   * second NOTIFY/ACCEPT); items nobody announced yet are announced.
   */
  catchUp(): void {
    try {
      for (const wi of Object.values(this.session.state.workitems)) {
        this.ensure(wi);
        this.advance(wi, phaseOf(wi.state));
      }
    } catch (err) {
      this.fail(err);
    }
    this.reconcile();
  }

  // ---- events ------------------------------------------------------------------------------------

  private handle(e: DomainEvent): void {
    try {
      switch (e.type) {
        case 'workitemCreate':
          if (!this.items.has(e.data.id)) this.firstSight(e.data, e.data.requestId);
          this.watchCheck(e.data);
          this.advance(e.data, phaseOf(e.data.state));
          break;
        case 'workitemConnect':
          this.ensure(e.data);
          this.advance(e.data, Phase.connected);
          break;
        case 'workitemWrapup':
          this.ensure(e.data);
          this.advance(e.data, Phase.disconnected);
          break;
        case 'workitemEnd':
          this.ensure(e.data);
          this.advance(e.data, Phase.disconnected);
          this.forget(e.data.id);
          break;
        case 'callVariableChanged':
        case 'wrapupDataChanged':
          this.ensure(e.data);
          this.update(e.data);
          break;
        case 'workitemPause':
        case 'workitemResume':
          // Hold and resume send nothing (SPEC); a consultation may have become a Transfer meanwhile.
          this.ensure(e.data);
          this.advance(e.data, phaseOf(e.data.state));
          break;
        default:
          break;
      }
    } catch (err) {
      this.fail(err);
    }
    this.reconcile();
  }

  /** An item the sink has not seen yet (it was attached late): treated like call recovery. */
  private ensure(wi: Workitem): void {
    if (!this.items.has(wi.id)) this.firstSight(wi, '');
    this.watchCheck(wi);
  }

  private watchCheck(wi: Workitem): void {
    const item = this.items.get(wi.id);
    if (item?.mode === 'watch' && wi.classification === Classification.Transfer) this.promote(wi, item);
  }

  private firstSight(wi: Workitem, requestId: string): void {
    const dial = this.takeDial(wi, requestId);
    if (wi.classification === Classification.Consultation || wi.classification === Classification.Conference) {
      // A consultation C4C started by click-to-dial never touches its activity; other consultations
      // are watched, since a consultative transfer turns the receiving side's into a Transfer.
      const watch = wi.classification === Classification.Consultation && dial === undefined;
      this.items.set(wi.id, { mode: watch ? 'watch' : 'silent' });
      return;
    }
    if (wi.classification === Classification.Internal && dial === undefined) {
      this.items.set(wi.id, { mode: 'silent' });
      return;
    }
    const eventType = wi.classification === Classification.Transfer ? C4cEventType.Transfer : wi.direction === Direction.Incoming ? C4cEventType.Inbound : C4cEventType.Outbound;
    const item: Tracked = { mode: 'active', record: this.recover(wi, eventType) ?? this.newRecord(wi, eventType, dial?.activityUUID) };
    if (dial !== undefined && item.record !== undefined) item.record.activityUUID ??= dial.activityUUID;
    this.items.set(wi.id, item);
  }

  /** A consultation that became a Transfer: its activity starts now (or continues, after a reload). */
  private promote(wi: Workitem, item: Tracked): void {
    item.mode = 'active';
    item.record = this.recover(wi, C4cEventType.Transfer) ?? this.newRecord(wi, C4cEventType.Transfer, undefined, true);
  }

  private newRecord(wi: Workitem, eventType: ActivityRecord['eventType'], activityUUID: string | undefined, fresh = false): ActivityRecord {
    const now = this.session.clock.now();
    const connectedMs = wi.connectedAt === undefined ? NaN : Date.parse(wi.connectedAt);
    // The call's start as first seen; for a call already connected at first sight, its connect time.
    const startedAt = phaseOf(wi.state) >= Phase.connected && !Number.isNaN(connectedMs) ? Math.min(connectedMs, now) : now;
    const ani = transformAni(this.callerNumber(wi, eventType), this.rules);
    if (!ani.international && ani.ani !== '') {
      this.onWarning(
        new SwitchboardError(
          ErrorCode.INVALID_ARGUMENT,
          `c4c: the ANI ${JSON.stringify(ani.ani)} of workitem "${wi.id}" is not an international number (+<country code><number>) after the ANI rules; it is sent as is, and C4C will not identify the caller by it (add a c4c.ani.rules entry)`,
        ),
      );
    }
    const record: ActivityRecord = {
      v: 1,
      workitemId: wi.id,
      reference: eventType === C4cEventType.Transfer ? transferReference(wi, startedAt) : callReference(wi, startedAt),
      eventType,
      phase: Phase.none,
      ani: ani.ani,
      fields: {},
      startedAt,
      touchedAt: now,
    };
    if (activityUUID !== undefined) record.activityUUID = activityUUID;
    if (eventType === C4cEventType.Transfer) {
      const original = this.originalReference(wi, startedAt);
      if (original.reference !== undefined) record.originalReference = original.reference;
      else this.onWarning(new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `c4c: no ExternalOriginalReferenceID for transferred workitem "${wi.id}": ${original.reason ?? 'none derived'}`));
    }
    // Call recovery: an item already connected when first seen, with nothing stored about it, may
    // have been announced by the page before a reload; its reference is derived from the call, so
    // the sink follows it (updates, END) without a second NOTIFY/ACCEPT that could create a second
    // activity. A consultation promoted to Transfer is new to C4C: it starts from the beginning.
    if (!fresh && phaseOf(wi.state) >= Phase.connected) {
      record.phase = phaseOf(wi.state);
      if (wi.connectedAt !== undefined) record.established = wi.connectedAt;
      record.fields = this.fields(wi, record);
      this.save(record);
    }
    return record;
  }

  /**
   * The caller's number: the item's ani, except on a Transfer, whose ani may still name the agent
   * who transferred (a consultation's from-address): then the one participant that is not this
   * agent's own extension, when there is exactly one.
   */
  private callerNumber(wi: Workitem, eventType: ActivityRecord['eventType']): string {
    if (eventType !== C4cEventType.Transfer) return wi.ani;
    const own = this.session.state.agent?.extension;
    const others = [...new Set(wi.participants.map((p) => p.address))].filter((a) => a !== own);
    return others.length === 1 && others[0] !== undefined ? others[0] : wi.ani;
  }

  /** Advance an activity to `target`, sending each step C4C has not been told yet. */
  private advance(wi: Workitem, target: Phase): void {
    const item = this.items.get(wi.id);
    if (item?.mode !== 'active' || item.record === undefined) return;
    const r = item.record;
    const before = r.phase;
    if (r.phase < Phase.allocated && target >= Phase.allocated) {
      r.phase = Phase.allocated;
      this.send(r, C4cAction.NOTIFY);
    }
    const connects = target === Phase.connected || (target === Phase.disconnected && wi.connectedAt !== undefined);
    if (r.phase < Phase.connected && connects) {
      r.phase = Phase.connected;
      r.established = wi.connectedAt ?? new Date(this.session.clock.now()).toISOString();
      r.fields = this.fields(wi, r);
      this.send(r, C4cAction.ACCEPT);
    }
    if (r.phase < Phase.disconnected && target === Phase.disconnected) {
      r.phase = Phase.disconnected;
      r.termination = new Date(this.session.clock.now()).toISOString();
      r.fields = this.fields(wi, r);
      this.send(r, C4cAction.END);
    }
    if (r.phase !== before) this.save(r);
  }

  /** A data change: UpdateActivity when it changes a mapped field of a connected activity. */
  private update(wi: Workitem): void {
    const item = this.items.get(wi.id);
    if (item?.mode !== 'active' || item.record === undefined) return;
    const r = item.record;
    if (r.phase < Phase.connected) return; // mapped fields go out with ACCEPT
    const fields = this.fields(wi, r);
    if (sameFields(fields, r.fields)) return;
    r.fields = fields;
    this.send(r, undefined);
    this.save(r);
  }

  private fields(wi: Workitem, r: ActivityRecord): Record<string, string> {
    return mappedFields(this.settings.mapping, wi.ctiData, { established: r.established, termination: r.termination });
  }

  private send(r: ActivityRecord, action: C4cAction | undefined): void {
    const event = action === C4cAction.NOTIFY ? C4cEvent.CALL_ALLOCATED : action === C4cAction.ACCEPT ? C4cEvent.CALL_CONNECTED : action === C4cAction.END ? C4cEvent.CALL_DISCONNECTED : r.phase >= Phase.disconnected ? C4cEvent.CALL_DISCONNECTED : C4cEvent.CALL_CONNECTED;
    const payload = buildPayload({
      ani: r.ani,
      cid: this.settings.cid,
      event,
      eventType: action === undefined ? C4cEventType.UpdateActivity : r.eventType,
      action,
      reference: r.reference,
      originalReference: r.originalReference,
      activityUUID: r.activityUUID,
      fields: action === C4cAction.NOTIFY ? {} : r.fields,
    });
    const message = encodeMessage(payload, this.settings.format);
    try {
      postTo(this.target, message, this.settings.origin);
    } catch (err) {
      // Fire-and-forget (C4C acknowledges nothing): the step counts as done, never retried, so a
      // transport that recovers cannot produce a duplicate.
      this.onError(new SwitchboardError(ErrorCode.PLATFORM_ERROR, `c4c: posting ${event}${action !== undefined ? `/${action}` : ' UpdateActivity'} for workitem "${r.workitemId}" to ${this.settings.origin} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
      return;
    }
    this.onSent?.({ workitemId: r.workitemId, payload, message, targetOrigin: this.settings.origin });
  }

  // ---- click-to-dial -------------------------------------------------------------------------------

  private takeDial(wi: Workitem, requestId: string): PendingDial | undefined {
    const now = this.session.clock.now();
    this.pending = this.pending.filter((p) => now - p.at <= this.dialWindowMs);
    let i = requestId !== '' ? this.pending.findIndex((p) => p.requestId === requestId) : -1;
    // No echo: the next Outgoing item created without a requestId (one with another request's id
    // was caused by that other request).
    if (i < 0 && requestId === '' && wi.direction === Direction.Outgoing && (wi.state === WorkitemState.Initiated || wi.state === WorkitemState.Offered)) i = 0;
    const dial = i >= 0 ? this.pending[i] : undefined;
    if (dial !== undefined) this.pending.splice(i, 1);
    return dial;
  }

  // ---- storage -------------------------------------------------------------------------------------

  private key(workitemId: string): string {
    return `${this.prefix}${workitemId}`;
  }

  /** The stored record of an item, if it is recent and still names the same call. */
  private recover(wi: Workitem, eventType: ActivityRecord['eventType']): ActivityRecord | undefined {
    let text: string | null;
    try {
      text = this.storage.getItem(this.key(wi.id));
    } catch (err) {
      this.onError(new SwitchboardError(ErrorCode.INTERNAL, `c4c: reading the activity store failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
      return undefined;
    }
    const r = parseRecord(text);
    if (r === undefined || r.workitemId !== wi.id || r.eventType !== eventType) return undefined;
    if (this.session.clock.now() - r.touchedAt > this.recoveryWindowMs) return undefined;
    const expected = eventType === C4cEventType.Transfer ? transferReference(wi, r.startedAt) : callReference(wi, r.startedAt);
    if (expected !== r.reference) return undefined; // the id now names another call
    return r;
  }

  private save(r: ActivityRecord): void {
    r.touchedAt = this.session.clock.now();
    try {
      this.storage.setItem(this.key(r.workitemId), JSON.stringify(r));
    } catch (err) {
      this.onError(new SwitchboardError(ErrorCode.INTERNAL, `c4c: saving the activity of workitem "${r.workitemId}" failed (call recovery will not know it): ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
    }
  }

  private forget(workitemId: string): void {
    const item = this.items.get(workitemId);
    this.items.delete(workitemId);
    if (item?.record === undefined) return;
    try {
      this.storage.removeItem(this.key(workitemId));
    } catch (err) {
      this.fail(err);
    }
  }

  /** Drop stored records older than the recovery window (calls whose end this page never saw). */
  private prune(): void {
    const { storage } = this;
    if (typeof storage.key !== 'function' || typeof storage.length !== 'number') return;
    try {
      const now = this.session.clock.now();
      const stale: string[] = [];
      for (let i = 0; i < storage.length; i++) {
        const k = storage.key(i);
        if (k === null || !k.startsWith(this.prefix)) continue;
        const r = parseRecord(storage.getItem(k));
        if (r === undefined || now - r.touchedAt > this.recoveryWindowMs) stale.push(k);
      }
      for (const k of stale) storage.removeItem(k);
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): void {
    const e = toSwitchboardError(err, ErrorCode.INTERNAL);
    this.onError(e.message.startsWith('c4c:') ? e : new SwitchboardError(e.code, `c4c: ${e.message}`, { cause: err }));
  }
}
