/**
 * @module sinks/log/store
 * The `Store` port: where InteractionRecords are kept, one row per interaction id (SPEC
 * "Interaction log": saved exactly once, idempotent on the id). Two adapters implement it —
 * {@link SqliteStore} (embedded, the default) and {@link PostgresStore} — and both pass the one
 * contract suite in `switchboard/testing` (`storeContract`).
 *
 * Rules every adapter keeps:
 * - `save` is idempotent on `record.id`: a second save of an id, whatever its content, neither
 *   adds a row nor overwrites the first, and says `'duplicate'`. This holds for concurrent saves
 *   from several connections or processes (the database's primary key decides, not a read
 *   before the write).
 * - A record reads back exactly as saved: same fields, same types, optional fields absent when
 *   they were absent (a field set to `undefined` reads back absent), same key order.
 * - A record that is not a valid InteractionRecord is refused with an INVALID_ARGUMENT
 *   SwitchboardError naming the field, and nothing is written.
 * - Queries select on `agentId` and on the **end time** of the interaction (`endTime`, the
 *   moment it was logged), and return the newest first: by `endTime` descending as an instant
 *   (time zones taken into account, millisecond precision), ties by `id` descending in code
 *   point order. Pages follow a keyset cursor, so records saved while a client pages through
 *   never make it see a row twice or skip one that existed when it started.
 *
 * The outbox (SPEC "CRM records": every CRM write goes through a durable outbox in the store,
 * in the same transaction as the interaction it belongs to) is the {@link OutboxStore} port,
 * which both adapters implement: `save(record, { outbox })` writes the record and its messages
 * atomically, `enqueue` writes messages on their own, and the worker in `src/outbox` claims,
 * delivers and settles them. See docs/outbox.md.
 *
 * The CRM directory (SPEC "CRM records": the simulator and the demo use an embedded directory
 * in the store) is the {@link DirectoryStore} port, also implemented by both adapters from
 * schema version 3: directory entries looked up by E.164 number, and the phone-call records the
 * hub writes, one per call key. `sinks/records/store-directory` puts the records port on it.
 * See docs/store.md "CRM directory".
 */
import type { InteractionRecord } from '../../core/interaction.js';

/** What `save` did: stored a new row, or found the id already stored (and left it untouched). */
export type SaveResult = 'inserted' | 'duplicate';

/** Which records a query selects. Times are ISO 8601 with a time zone, like the records' own. */
export interface RecordFilter {
  /** Only this agent's records. */
  agentId?: string;
  /** Only records whose `endTime` is at or after this instant (inclusive). */
  endFrom?: string;
  /** Only records whose `endTime` is before this instant (exclusive). */
  endBefore?: string;
}

export interface RecordQuery extends RecordFilter {
  /** Page size, 1 to {@link MAX_PAGE_SIZE}. Default {@link DEFAULT_PAGE_SIZE}. */
  limit?: number;
  /** `nextCursor` of the previous page; absent for the first page. */
  cursor?: string;
}

export interface RecordPage {
  /** Newest first: `endTime` descending, ties by `id` descending. */
  records: InteractionRecord[];
  /** Present when more records may follow: pass it as `cursor` for the next page. */
  nextCursor?: string;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/**
 * The interaction-log store port.
 *
 * @example
 * const store = await openStore('sqlite:./data/switchboard.db');
 * await store.save(record); // 'inserted', then 'duplicate' for the same id
 * const { records, nextCursor } = await store.list({ agentId: '1001', limit: 20 });
 * await store.close();
 */
export interface Store {
  /**
   * Save a finished interaction, once. Rejects with INVALID_ARGUMENT (naming the field) for a
   * malformed record, INVALID_STATE after `close`, NOT_CONNECTED when the database cannot be
   * reached, INTERNAL for any other database failure; nothing is written when it rejects.
   *
   * `options.outbox`: messages written in the same transaction (an {@link OutboxStore} does;
   * see there). A store that keeps no outbox must reject a non-empty `outbox` with
   * NOT_SUPPORTED rather than drop it, and a wrapper around a store must pass `options` through:
   * a dropped message is a CRM write lost.
   */
  save(record: InteractionRecord, options?: SaveOptions): Promise<SaveResult>;
  /** The record stored under `id`, or undefined. */
  get(id: string): Promise<InteractionRecord | undefined>;
  /** One page of the records the query selects, newest first. */
  list(query?: RecordQuery): Promise<RecordPage>;
  /** How many records the filter selects (a cursor or limit, if passed, is ignored). */
  count(filter?: RecordFilter): Promise<number>;
  /** Release the database; later calls reject with INVALID_STATE. Calling it again is harmless. */
  close(): Promise<void>;
}

/** What `save` writes besides the record, in the same transaction. */
export interface SaveOptions {
  /** Outbox messages: written only if the record is (none for a `'duplicate'`). */
  outbox?: readonly OutboxInput[];
}

/** A message to put in the outbox: a CRM write to carry out for a call. */
export interface OutboxInput {
  /**
   * The call it belongs to: the call's correlation id (ExternalReferenceID). Messages of one
   * call are delivered one at a time in the order they were written; the deliverer is
   * idempotent on it. Non-empty, no NUL, well-formed Unicode.
   */
  callKey: string;
  /** What to do, for the deliverer (e.g. `'phonecall.create'`). Non-empty, at most 200 characters. */
  kind: string;
  /** The deliverer's input: JSON data (null, booleans, finite numbers, strings, arrays, plain objects). */
  payload: unknown;
  /** Not delivered before this instant (ms since the epoch). Default: at once. */
  notBefore?: number;
}

/** A message handed to the deliverer (the worker's delivery contract; see `src/outbox/worker.ts`). */
export interface OutboxMessage {
  /** The message's id in the outbox: decimal digits, unique for the store's life. */
  id: string;
  callKey: string;
  /** Its place among its call's messages: 1, 2, ... in the order they were written. */
  seq: number;
  kind: string;
  /** The payload as written (JSON round trip: keys in their order). */
  payload: unknown;
  /** Delivery attempts started, this one included: 1 on the first delivery. */
  attempts: number;
  /** When it was written, ISO 8601 UTC with milliseconds. */
  createdAt: string;
}

/** Where a message stands in the outbox, as listed. */
export type OutboxState = 'pending' | 'leased' | 'delivered';

/** An outbox row as `listOutbox` shows it. Times are ms since the epoch. */
export interface OutboxEntry extends OutboxMessage {
  state: OutboxState;
  nextAttemptAt: number;
  createdMs: number;
  leaseOwner?: string;
  leaseUntil?: number;
  lastError?: string;
  deliveredAt?: number;
  /** The id of an earlier message of the same call that is dead-lettered: this one waits for it. */
  blockedBy?: string;
}

/** A dead letter: a message that kept failing (or failed for good), with its last error. */
export interface DeadLetter extends OutboxMessage {
  createdMs: number;
  lastError: string;
  /** When it was moved here, ms since the epoch. */
  deadAt: number;
}

/** What `enqueue` (and `save` with an outbox) gave each message. */
export interface OutboxEnqueued {
  id: string;
  callKey: string;
  seq: number;
}

export interface OutboxClaim {
  /** Who claims: written as the lease owner (host, pid and a random part, usually). */
  owner: string;
  /** The claimer's clock, ms since the epoch: due messages and expired leases are judged by it. */
  now: number;
  /** How long the lease lasts, ms. */
  leaseMs: number;
  /** Most messages to claim (1 to 1000). */
  limit: number;
}

export interface OutboxQuery {
  /** Only this call's messages. */
  callKey?: string;
  /** Include delivered messages (kept until purged). Default false: only those still to deliver. */
  includeDelivered?: boolean;
  /** Most rows (1 to {@link MAX_PAGE_SIZE}), oldest id first. Default {@link DEFAULT_PAGE_SIZE}. */
  limit?: number;
  /** Only ids greater than this one (paging). */
  afterId?: string;
}

export interface DeadLetterQuery {
  callKey?: string;
  limit?: number;
  afterId?: string;
}

export interface OutboxCounts {
  /** Still to deliver, leased or not. */
  pending: number;
  /** Of those, currently leased by a worker. */
  leased: number;
  /** Delivered, kept until purged. */
  delivered: number;
  dead: number;
}

export interface PurgeOptions {
  /** Purge dead letters instead of delivered messages. */
  dead?: boolean;
  /** Only those delivered (or dead-lettered) before this instant, ms since the epoch. */
  before?: number;
}

/**
 * The durable outbox, in the same database as the interaction log (SPEC "CRM records").
 *
 * Rules every adapter keeps:
 * - `save(record, { outbox })` writes the record and its messages in one transaction: all or
 *   nothing; a `'duplicate'` record adds no message. `enqueue` writes messages alone, also all
 *   or nothing. Each message gets the next `seq` of its call.
 * - `claimOutbox` leases due messages, at most one per call: a call's first message still to
 *   deliver, and only when no earlier message of the call is dead-lettered. So message n+1 of a
 *   call is never handed out before message n is delivered. A claim never hands out a message
 *   another claimer holds an unexpired lease on, even across processes (PostgreSQL:
 *   `FOR UPDATE SKIP LOCKED`; SQLite: the claim runs in a write transaction).
 * - A claim counts an attempt (`attempts + 1`), so an attempt cut short by a crash counts too.
 * - `completeOutbox` marks a message delivered (kept until purged); `failOutbox` and
 *   `deadLetterOutbox` act only while the caller still holds the lease.
 * - Ids are never reused; a dead letter retried goes back with its id and seq.
 *
 * @example
 * const store = await openStore('sqlite:./data/switchboard.db');
 * await store.save(record, { outbox: [{ callKey: record.id, kind: 'phonecall.update', payload: { state: 'closed' } }] });
 * const [message] = await store.claimOutbox({ owner: 'me', now: Date.now(), leaseMs: 30_000, limit: 1 });
 * if (message) await store.completeOutbox(message.id, Date.now());
 */
export interface OutboxStore extends Store {
  /** Write messages on their own (e.g. the phone-call record at workitemCreate), atomically. */
  enqueue(messages: readonly OutboxInput[]): Promise<OutboxEnqueued[]>;
  /** Lease up to `limit` due messages, oldest due first, at most one per call. */
  claimOutbox(claim: OutboxClaim): Promise<OutboxMessage[]>;
  /** Extend `owner`'s lease to `until`; false when it no longer holds it. */
  renewOutboxLease(id: string, owner: string, until: number): Promise<boolean>;
  /** Record the message delivered at `at`; false when it already was (or is no longer in the outbox). */
  completeOutbox(id: string, at: number): Promise<boolean>;
  /** Record a failed attempt: the lease released, the next attempt not before `nextAttemptAt`. False when `owner` lost the lease. */
  failOutbox(id: string, owner: string, failure: { error: string; nextAttemptAt: number }): Promise<boolean>;
  /** Move the message to the dead letters with its last error. False when `owner` lost the lease. */
  deadLetterOutbox(id: string, owner: string, failure: { error: string; at: number }): Promise<boolean>;
  /** Outbox rows, oldest id first. */
  listOutbox(query?: OutboxQuery): Promise<OutboxEntry[]>;
  /** Dead letters, oldest id first. */
  listDeadLetters(query?: DeadLetterQuery): Promise<DeadLetter[]>;
  /**
   * Move dead letters back to the outbox (same id and seq, attempts 0, due at `now`), the given
   * ids or all of them (`'all'`, optionally one call's). Returns the ids moved.
   */
  retryDeadLetters(ids: readonly string[] | 'all', now: number, options?: { callKey?: string }): Promise<string[]>;
  /** Delete delivered messages (or, with `dead`, dead letters); never one still to deliver. Returns how many. */
  purgeOutbox(options?: PurgeOptions): Promise<number>;
  /** How many messages are pending, leased, delivered and dead. */
  outboxCounts(): Promise<OutboxCounts>;
}

/** True when `store` keeps an outbox (both built-in adapters do). */
export function isOutboxStore(store: Store): store is OutboxStore {
  const s = store as Partial<OutboxStore>;
  return typeof s.enqueue === 'function' && typeof s.claimOutbox === 'function' && typeof s.completeOutbox === 'function';
}

/**
 * An entry of the CRM directory as the store keeps it: a person or account, its phone numbers
 * as written (shown back as they are) and the same numbers in E.164 (what a lookup matches).
 * The store does not parse numbers: the caller (sinks/records/store-directory) normalizes them,
 * so that the store stays free of phone-number rules.
 */
export interface DirectoryEntryRow {
  /** The record's id (unique in the directory). Non-empty, no NUL, well-formed Unicode. */
  id: string;
  name: string;
  /** The record type it comes back with (`customer_contact`, `sys_user`, ...). */
  recordType: string;
  /** The numbers as written, kept for display. */
  phones: readonly string[];
  /** The numbers in E.164 that find this entry (duplicates are dropped). */
  numbers: readonly string[];
}

/** A directory entry a lookup found. */
export interface DirectoryMatch {
  id: string;
  name: string;
  recordType: string;
}

/** What `lookupDirectory` found. */
export interface DirectoryLookup {
  /** The matching entries, ordered by id (code point order), at most `limit + 1` of them. */
  entries: DirectoryMatch[];
  /** How many entries match in all (may exceed `entries.length`). */
  total: number;
}

/** A phone-call record the store keeps for a call. Times are ms since the epoch. */
export interface StoredPhoneCall {
  /** The call's correlation id: one record per key. */
  callKey: string;
  /** The record's id (unique in the store). */
  id: string;
  /** Its fields, keys in the order they were first written. */
  fields: Record<string, string>;
  /** Records linked with it, in the order they were linked, each once (by id and record type). */
  associations: DirectoryMatch[];
  /** How many writes made it (the insert counts 1; a repeated association does not count). */
  writes: number;
  createdMs: number;
  updatedMs: number;
}

/**
 * The CRM directory kept in the store (SPEC "CRM records": the simulator and the demo use an
 * embedded directory in the store): looked-up records and the phone-call records the hub
 * writes, in the same database as the interaction log and the outbox, so that they survive a
 * restart. `sinks/records/store-directory` puts the records port on top of it.
 *
 * Rules every adapter keeps:
 * - `upsertDirectoryEntries` writes all its entries or none; an entry written again replaces
 *   the earlier one (name, type, numbers).
 * - `insertPhoneCallIfAbsent` is atomic on the call key: of two racing inserts for one key, from
 *   any connection or process, exactly one row results, and both get that row back.
 * - `updatePhoneCall` and `addAssociation` are read-modify-write in one transaction: concurrent
 *   writers of one call lose no field. They return undefined when the call has no row.
 * - Bad arguments reject with INVALID_ARGUMENT naming the field; nothing is written then.
 *
 * @example
 * if (isDirectoryStore(store)) {
 *   await store.upsertDirectoryEntries([{ id: 'c1', name: 'Ada', recordType: 'customer_contact', phones: ['044 555 01 01'], numbers: ['+41445550101'] }]);
 *   const { entries } = await store.lookupDirectory(['+41445550101'], 50); // [{ id: 'c1', name: 'Ada', ... }]
 *   const call = await store.insertPhoneCallIfAbsent('152018C217', 'phonecall-1', { ani: '+41445550101' });
 * }
 */
export interface DirectoryStore extends Store {
  /** Add or replace entries (by id), atomically. Resolves to how many were written. */
  upsertDirectoryEntries(entries: readonly DirectoryEntryRow[]): Promise<number>;
  /** Remove an entry and its numbers; false when there was none. */
  removeDirectoryEntry(id: string): Promise<boolean>;
  /** The entries holding any of these E.164 numbers, at most `limit + 1` (0 ≤ limit ≤ 10000), with the total. */
  lookupDirectory(numbers: readonly string[], limit: number): Promise<DirectoryLookup>;
  /** The phone-call record of a call, or undefined. */
  phoneCall(callKey: string): Promise<StoredPhoneCall | undefined>;
  /**
   * The call's record: inserted with `id` and `fields` when the call has none, otherwise the
   * one there, untouched (its id differs from `id` then). Atomic on `callKey`.
   */
  insertPhoneCallIfAbsent(callKey: string, id: string, fields: Readonly<Record<string, string>>): Promise<StoredPhoneCall>;
  /** Merge `fields` into the call's record (later values win); undefined when the call has none. */
  updatePhoneCall(callKey: string, fields: Readonly<Record<string, string>>): Promise<StoredPhoneCall | undefined>;
  /** Link `record` with the call's record unless it already is (same id and type); undefined when the call has none. */
  addAssociation(callKey: string, record: DirectoryMatch): Promise<StoredPhoneCall | undefined>;
}

/** Most entries a directory lookup may ask for. */
export const MAX_DIRECTORY_LOOKUP = 10_000;

/** True when `store` keeps a CRM directory (both built-in adapters do, from schema version 3). */
export function isDirectoryStore(store: Store): store is DirectoryStore {
  const s = store as Partial<DirectoryStore>;
  return typeof s.upsertDirectoryEntries === 'function' && typeof s.lookupDirectory === 'function' && typeof s.insertPhoneCallIfAbsent === 'function';
}
