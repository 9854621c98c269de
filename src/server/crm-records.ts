/**
 * @module server/crm-records
 * The CRM side of seed 001's workitem (issue 6): caller lookup, the call's phone-call record and
 * its associations, wired between an agent's session, a CRM (the records port: ServiceNow, or
 * the embedded directory) and the store's durable outbox.
 *
 * - Reads go straight to the CRM: at workitemCreate of a customer call (Customer, or Transfer on
 *   the receiving side) the caller's number is looked up; the result comes back into the session
 *   as a `workitemInfo` update: `participantLookupResult` (every match) and, when exactly one
 *   record matches, `associatedParticipant`. A failed lookup is an `error` event naming the
 *   workitem; the call goes on.
 * - Writes go through the outbox, keyed by the call's correlation id (the ExternalReferenceID of
 *   sinks/c4c/reference, so the CRM record and the C4C activity share it): `phonecall.create` at
 *   workitemCreate (enqueued alone: the interaction is not over), `phonecall.associate` when the
 *   lookup found exactly one record, and `phonecall.update` with the final fields **in the same
 *   transaction as the interaction record** (the log sink's `outboxFor` hook). The worker
 *   delivers them in order per call with retries; a created record comes back into the session
 *   as `activity` and `associations` (seed 001: `activity` may be undefined at workitemCreate).
 * - Delivery after a restart works from the message alone: the payload carries every field the
 *   CRM needs; the session, when the call is still live, only gets the activity back.
 */
import type { Clock } from '../core/clock.js';
import { ErrorCode, SwitchboardError, toSwitchboardError } from '../core/errors.js';
import type { InteractionRecord } from '../core/interaction.js';
import { Classification, type ActivityRecord, type CrmRecord, type Workitem } from '../core/model.js';
import type { DomainEvent } from '../core/events.js';
import type { PlatformErrorUpdate, WorkitemInfoUpdate } from '../core/updates.js';
import { callReference } from '../sinks/c4c/reference.js';
import type { OutboxInput, OutboxMessage } from '../sinks/log/store.js';
import { interactionPhoneCallFields, phoneCallFields } from '../sinks/records/fields.js';
import type { CrmRecords, LookupOptions } from '../sinks/records/port.js';

/** The kinds of outbox message this module writes and delivers. */
export const CrmWrite = {
  create: 'phonecall.create',
  associate: 'phonecall.associate',
  update: 'phonecall.update',
} as const;
export type CrmWrite = (typeof CrmWrite)[keyof typeof CrmWrite];

/** What every message carries besides its kind-specific part. */
interface Base {
  agentId: string;
  workitemId: string;
}
export interface CreatePayload extends Base {
  fields: Record<string, string>;
}
export interface AssociatePayload extends Base {
  record: CrmRecord;
}
export interface UpdatePayload extends Base {
  fields: Record<string, string>;
}

/** The part of an agent session this module uses (AgentSession fits). */
export interface RecordsSession {
  readonly state: { readonly workitems: Readonly<Record<string, Workitem>> };
  subscribe(listener: (e: DomainEvent) => void): () => void;
  reportError(error: SwitchboardError): void;
}

export interface CrmRecordsServiceOptions {
  crm: CrmRecords;
  /** Writes the messages (the store's `enqueue`). */
  enqueue: (messages: readonly OutboxInput[]) => Promise<unknown>;
  clock: Clock;
  lookup?: LookupOptions;
  /** Told of every failure besides the session's error event (metrics, logs). */
  onError?: (agentId: string, error: SwitchboardError) => void;
}

/** Which workitems get a phone-call record: the customer's calls, as C4C activities. */
export function hasPhoneCall(wi: Pick<Workitem, 'classification'>): boolean {
  return wi.classification === Classification.Customer || wi.classification === Classification.Transfer;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringMap = (v: unknown): v is Record<string, string> => isObj(v) && Object.values(v).every((x) => typeof x === 'string');

/**
 * @example
 * const records = new CrmRecordsService({ crm, enqueue: (m) => store.enqueue(m), clock });
 * records.attach('1001', hub.session, (u) => hub.inject(u));
 * const log = new InteractionLogSink({ store, clock, onError, outboxFor: (r) => records.messagesFor(r) });
 * new OutboxWorker({ store, deliver: (m) => records.deliver(m), clock }).start();
 */
export class CrmRecordsService {
  private readonly agents = new Map<string, { session: RecordsSession; emit: (u: WorkitemInfoUpdate | PlatformErrorUpdate) => void }>();
  /** `<agent>/<workitem>` → the call key its messages use (so the update at end matches the create). */
  private readonly keys = new Map<string, string>();
  /** `<agent>/<workitem>` → the create's enqueue, so that later messages of the call follow it. */
  private readonly queued = new Map<string, Promise<unknown>>();

  constructor(private readonly options: CrmRecordsServiceOptions) {}

  /**
   * Follow an agent's session; `emit` applies an update to it and its gadgets (the hub's
   * `inject`): `workitemInfo` with CRM fields, `platformError` for a failure, so the gadget's
   * custom code sees it on its `error` path too.
   */
  attach(agentId: string, session: RecordsSession, emit: (u: WorkitemInfoUpdate | PlatformErrorUpdate) => void): () => void {
    this.agents.set(agentId, { session, emit });
    const off = session.subscribe((e) => {
      if (e.type === 'workitemCreate') this.created(agentId, session, e.data);
      else if (e.type === 'workitemUpdate' && hasPhoneCall(e.data) && !this.keys.has(`${agentId}/${e.data.id}`)) this.created(agentId, session, e.data);
    });
    return () => {
      off();
      if (this.agents.get(agentId)?.session === session) this.agents.delete(agentId);
    };
  }

  /** The outbox messages that go with an interaction record (written in its transaction). */
  messagesFor(record: InteractionRecord): OutboxInput[] {
    if (record.classification !== Classification.Customer && record.classification !== Classification.Transfer) return [];
    const k = `${record.agentId}/${record.id}`;
    const callKey = this.keys.get(k) ?? callReference({ id: record.id, ctiData: record.data }, Date.parse(record.startTime));
    this.keys.delete(k);
    this.queued.delete(k);
    const fields = interactionPhoneCallFields(record);
    const payload: UpdatePayload = { agentId: record.agentId, workitemId: record.id, fields };
    return [{ callKey, kind: CrmWrite.update, payload }];
  }

  /** Carry out one outbox message (the worker's `deliver`). Throws the CRM's error to retry. */
  async deliver(message: OutboxMessage): Promise<void> {
    const p = message.payload;
    if (!isObj(p) || typeof p.agentId !== 'string' || typeof p.workitemId !== 'string') {
      throw notRetryable(`outbox message ${message.id} (${message.kind}): payload needs "agentId" and "workitemId"`);
    }
    switch (message.kind) {
      case CrmWrite.create: {
        if (!isStringMap(p.fields)) throw notRetryable(`outbox message ${message.id}: "fields" must be an object of strings`);
        const activity = await this.options.crm.createPhoneCall(message.callKey, p.fields);
        this.backToSession(p.agentId, p.workitemId, activity);
        return;
      }
      case CrmWrite.associate: {
        const r = p.record;
        if (!isObj(r) || typeof r.id !== 'string' || typeof r.name !== 'string' || typeof r.recordType !== 'string') throw notRetryable(`outbox message ${message.id}: "record" must be {id, name, recordType}`);
        await this.options.crm.associate(message.callKey, { id: r.id, name: r.name, recordType: r.recordType });
        return;
      }
      case CrmWrite.update:
        if (!isStringMap(p.fields)) throw notRetryable(`outbox message ${message.id}: "fields" must be an object of strings`);
        await this.options.crm.updatePhoneCall(message.callKey, p.fields);
        return;
      default:
        throw notRetryable(`outbox message ${message.id}: unknown kind ${JSON.stringify(message.kind)}`);
    }
  }

  /**
   * A write failed: the worker will try again (`final` false, told on the first failure only) or
   * moved it to the dead letters (`final` true). The agent's session hears of it on its `error`
   * path, naming the workitem, while the call is live; the call itself is untouched.
   */
  deliveryFailed(message: OutboxMessage, error: string, final: boolean): void {
    if (!final && message.attempts > 1) return;
    const p = message.payload;
    if (!isObj(p) || typeof p.agentId !== 'string' || typeof p.workitemId !== 'string') return;
    const agent = this.agents.get(p.agentId);
    if (agent?.session.state.workitems[p.workitemId] === undefined) return;
    const what = message.kind === CrmWrite.create ? 'creating the phone-call record' : message.kind === CrmWrite.associate ? 'associating the caller' : 'updating the phone-call record';
    const message_ = final
      ? `crm: ${what} of workitem "${p.workitemId}" failed for good (outbox message ${message.id}, now a dead letter; switchboard outbox retry ${message.id}): ${error}`
      : `crm: ${what} of workitem "${p.workitemId}" failed; it will be retried (outbox message ${message.id}): ${error}`;
    try {
      agent.emit({ type: 'platformError', code: ErrorCode.PLATFORM_ERROR, message: message_, workitemId: p.workitemId });
    } catch {
      // nowhere else to report
    }
  }

  // ---- internals -----------------------------------------------------------------------------

  private created(agentId: string, session: RecordsSession, wi: Workitem): void {
    if (!hasPhoneCall(wi)) return;
    const k = `${agentId}/${wi.id}`;
    if (this.keys.has(k)) return;
    const callKey = callReference(wi, this.options.clock.now());
    this.keys.set(k, callKey);
    const fields = phoneCallFields(wi);
    const create: CreatePayload = { agentId, workitemId: wi.id, fields };
    const queued = this.options.enqueue([{ callKey, kind: CrmWrite.create, payload: create }]).catch((err: unknown) => this.fail(agentId, session, err, `the phone-call record of workitem "${wi.id}" could not be queued`, wi.id));
    this.queued.set(k, queued);
    if (wi.ani === '') return;
    this.options.crm.lookupByPhone(wi.ani, this.options.lookup).then(
      (found) => {
        const one = found.records.length === 1 ? found.records[0] : undefined;
        const live = session.state.workitems[wi.id];
        // Nothing found is what the workitem already says (an empty list): no update then.
        const changes = live !== undefined && (JSON.stringify(live.participantLookupResult) !== JSON.stringify(found.records) || (one !== undefined && live.associatedParticipant?.id !== one.id));
        if (changes) {
          this.agents.get(agentId)?.emit({
            type: 'workitemInfo',
            id: wi.id,
            participantLookupResult: found.records,
            ...(one !== undefined ? { associatedParticipant: one } : {}),
          });
        }
        if (one !== undefined) this.associate(agentId, session, wi.id, callKey, one);
      },
      (err: unknown) => this.fail(agentId, session, err, `caller lookup for workitem "${wi.id}" (${wi.ani}) failed`, wi.id),
    );
  }

  /**
   * The agent picked one of the lookup's records for a live workitem: it becomes the
   * `associatedParticipant` and is associated with the call's phone-call record.
   */
  pick(agentId: string, workitemId: string, recordId: string): void {
    const agent = this.agents.get(agentId);
    const wi = agent?.session.state.workitems[workitemId];
    if (agent === undefined || wi === undefined) throw new SwitchboardError(ErrorCode.WORKITEM_NOT_FOUND, `crm: no live workitem "${workitemId}" for agent ${agentId}`);
    const record = wi.participantLookupResult.find((r) => r.id === recordId);
    if (record === undefined) throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `crm: record "${recordId}" is not among workitem "${workitemId}"'s lookup results`);
    const callKey = this.keys.get(`${agentId}/${workitemId}`);
    if (callKey === undefined) throw new SwitchboardError(ErrorCode.INVALID_STATE, `crm: workitem "${workitemId}" has no phone-call record`);
    agent.emit({ type: 'workitemInfo', id: workitemId, associatedParticipant: record });
    this.associate(agentId, agent.session, workitemId, callKey, record);
  }

  private associate(agentId: string, session: RecordsSession, workitemId: string, callKey: string, record: CrmRecord): void {
    const k = `${agentId}/${workitemId}`;
    const payload: AssociatePayload = { agentId, workitemId, record };
    const after = this.queued.get(k) ?? Promise.resolve();
    const queued = after.then(() => this.options.enqueue([{ callKey, kind: CrmWrite.associate, payload }])).catch((err: unknown) => this.fail(agentId, session, err, `the association of workitem "${workitemId}" could not be queued`, workitemId));
    this.queued.set(k, queued);
  }

  /** A created record goes back to the session while its call is live. */
  private backToSession(agentId: string, workitemId: string, activity: ActivityRecord): void {
    const agent = this.agents.get(agentId);
    const wi = agent?.session.state.workitems[workitemId];
    if (agent === undefined || wi === undefined) return;
    if (wi.activity?.id === activity.id && wi.associations.some((a) => a.id === activity.id)) return; // already there (a redelivery)
    const phonecall: CrmRecord = { id: activity.id, name: '', recordType: activity.recordType };
    const associations = [phonecall, ...wi.associations.filter((a) => a.id !== activity.id)];
    agent.emit({ type: 'workitemInfo', id: workitemId, activity: { ...activity }, associations });
  }

  private fail(agentId: string, session: RecordsSession, err: unknown, what: string, workitemId: string): void {
    const e = toSwitchboardError(err, ErrorCode.PLATFORM_ERROR);
    const error = new SwitchboardError(e.code, `crm: ${what}: ${e.message}`, { cause: err });
    const agent = this.agents.get(agentId);
    try {
      if (agent !== undefined) agent.emit({ type: 'platformError', code: error.code, message: error.message, workitemId });
      else session.reportError(error);
    } catch {
      // a session that throws has nowhere else to report
    }
    this.options.onError?.(agentId, error);
  }
}

function notRetryable(message: string): SwitchboardError & { retryable: false } {
  return Object.assign(new SwitchboardError(ErrorCode.INVALID_ARGUMENT, message), { retryable: false as const });
}
