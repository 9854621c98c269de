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
   */
  save(record: InteractionRecord): Promise<SaveResult>;
  /** The record stored under `id`, or undefined. */
  get(id: string): Promise<InteractionRecord | undefined>;
  /** One page of the records the query selects, newest first. */
  list(query?: RecordQuery): Promise<RecordPage>;
  /** How many records the filter selects (a cursor or limit, if passed, is ignored). */
  count(filter?: RecordFilter): Promise<number>;
  /** Release the database; later calls reject with INVALID_STATE. Calling it again is harmless. */
  close(): Promise<void>;
}
