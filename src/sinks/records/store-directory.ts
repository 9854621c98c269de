/**
 * @module sinks/records/store-directory
 * The records port over the CRM directory kept in the store (SPEC "CRM records": the simulator
 * and the demo use an embedded directory in the store). It behaves like {@link MemoryDirectory}
 * (same numbers found, same errors, same phone-call semantics: the contract suite runs against
 * both) but its entries and phone-call records live in the database next to the interaction
 * log and the outbox, so they survive a restart and are shared by every server process on the
 * store. Numbers are normalized here with ./phone.ts, when an entry is written and when a
 * caller is looked up; the store only matches E.164 text. Phone calls are created at most once
 * per call key by the store's atomic insert, so two processes delivering the same create (an
 * outbox retry, a second server) make one record.
 *
 * Browser-safe in the sense that it imports only types from the store.
 */
import { ErrorCode, isSwitchboardError } from '../../core/errors.js';
import type { ActivityRecord, CrmRecord } from '../../core/model.js';
import type { DirectoryStore, StoredPhoneCall } from '../log/store.js';
import { CrmError, CrmErrorKind, invalidInput } from './errors.js';
import type { DirectoryEntry } from './memory.js';
import { normalizePhone, tryNormalizePhone, type PhoneOptions } from './phone.js';
import { activityRecord, checkCallKey, checkFields, type CallOptions, type CrmRecords, type LookupOptions, type LookupResult, type PhoneCallFields } from './port.js';

export type { DirectoryEntry } from './memory.js';

export interface StoreDirectoryOptions {
  /** How national numbers are read (entries' numbers and callers'). */
  phone?: PhoneOptions;
  /** Default lookup limit (50). */
  limit?: number;
  /**
   * Ids of new phone calls. Default `phonecall-<random UUID>`: unique across processes and
   * restarts, which a counter would not be (the store refuses a second record with one id).
   */
  newId?: () => string;
}

/** Most records a lookup may be asked for (the store's own bound). */
const MAX_LIMIT = 10_000;

/**
 * The records port over a {@link DirectoryStore}.
 *
 * @example
 * const store = await openStore('sqlite:./data/switchboard.db');
 * if (!isDirectoryStore(store)) throw new Error('this store keeps no directory');
 * const crm = new StoreDirectory(store, { phone: { country: 'CH' } });
 * await crm.add({ id: 'c1', name: 'Ada Muster', recordType: 'customer_contact', phones: ['044 555 01 01'] });
 * (await crm.lookupByPhone('+41445550101')).records; // [{ id: 'c1', name: 'Ada Muster', recordType: 'customer_contact' }]
 * const activity = await crm.createPhoneCall('152018C217', { ani: '+41445550101' }); // { id: 'phonecall-…', recordType: 'phonecall' }
 */
export class StoreDirectory implements CrmRecords {
  readonly name = 'store';
  private readonly phone: PhoneOptions;
  private readonly limit: number;
  private readonly newId: () => string;

  constructor(
    private readonly store: DirectoryStore,
    options: StoreDirectoryOptions = {},
  ) {
    this.phone = options.phone ?? {};
    this.limit = checkLimit(options.limit ?? 50);
    this.newId = options.newId ?? (() => `phonecall-${globalThis.crypto.randomUUID()}`);
  }

  /**
   * Adds or replaces entries (by id) in one write. Numbers that are not phone numbers are kept
   * as written but never match, as in MemoryDirectory. Resolves to how many were written.
   *
   * @example
   * await crm.add({ id: 'c1', name: 'Ada', recordType: 'customer_contact', phones: ['+41 44 555 01 01'] });
   */
  add(...entries: DirectoryEntry[]): Promise<number> {
    return this.call(() => {
      const rows = entries.map((e, i) => {
        if (typeof e !== 'object' || e === null || !Array.isArray(e.phones)) throw invalidInput(`directory entry [${i}]: expected { id, name, recordType, phones: string[] }`);
        const numbers = e.phones.flatMap((p) => {
          const n = typeof p === 'string' ? tryNormalizePhone(p, this.phone) : undefined;
          return n === undefined ? [] : [n];
        });
        return { id: e.id, name: e.name, recordType: e.recordType, phones: [...e.phones], numbers };
      });
      return this.store.upsertDirectoryEntries(rows);
    });
  }

  /** Removes an entry; false when there was none. */
  remove(id: string): Promise<boolean> {
    return this.call(() => this.store.removeDirectoryEntry(id));
  }

  /** The phone call of a call key as the store keeps it (fields, associations, writes), or undefined. */
  phoneCall(callKey: string): Promise<StoredPhoneCall | undefined> {
    return this.call(() => {
      checkCallKey(callKey);
      return this.store.phoneCall(callKey);
    });
  }

  lookupByPhone(phone: string, options: LookupOptions = {}): Promise<LookupResult> {
    return this.call(async () => {
      const e164 = normalizePhone(phone, this.phone);
      const limit = options.limit === undefined ? this.limit : checkLimit(options.limit);
      const onTooMany = options.onTooMany ?? 'error';
      if (onTooMany !== 'error' && onTooMany !== 'truncate') throw invalidInput(`lookup option onTooMany: expected "error" or "truncate" (got ${JSON.stringify(onTooMany)})`);
      const { entries, total } = await this.store.lookupDirectory([e164], limit);
      if (entries.length > limit && onTooMany === 'error') {
        throw new CrmError(CrmErrorKind.TOO_MANY_MATCHES, `lookup of ${e164}: ${total} records match, more than the limit of ${limit}`, { retryable: false });
      }
      const records = entries.slice(0, limit).map((e) => ({ id: e.id, name: e.name, recordType: e.recordType }));
      return { phone: e164, records, complete: entries.length <= limit, total };
    });
  }

  findPhoneCall(callKey: string, _options?: CallOptions): Promise<ActivityRecord | undefined> {
    return this.call(async () => {
      checkCallKey(callKey);
      const call = await this.store.phoneCall(callKey);
      return call === undefined ? undefined : activityRecord(call.id);
    });
  }

  createPhoneCall(callKey: string, fields: PhoneCallFields, _options?: CallOptions): Promise<ActivityRecord> {
    return this.call(async () => {
      checkCallKey(callKey);
      checkFields(fields);
      const id = this.newId();
      const call = await this.store.insertPhoneCallIfAbsent(callKey, id, fields);
      // Another attempt (or process) made it first: reuse it, brought up to these fields.
      if (call.id !== id) await this.store.updatePhoneCall(callKey, fields);
      return activityRecord(call.id);
    });
  }

  updatePhoneCall(callKey: string, fields: PhoneCallFields, _options?: CallOptions): Promise<void> {
    return this.call(async () => {
      checkCallKey(callKey);
      checkFields(fields);
      if ((await this.store.updatePhoneCall(callKey, fields)) === undefined) throw notFound(callKey);
    });
  }

  associate(callKey: string, record: CrmRecord, _options?: CallOptions): Promise<void> {
    return this.call(async () => {
      checkCallKey(callKey);
      if (typeof record !== 'object' || record === null) throw invalidInput('associate: the record must be an object { id, name, recordType }');
      if ((await this.store.addAssociation(callKey, { id: record.id, name: record.name, recordType: record.recordType })) === undefined) throw notFound(callKey);
    });
  }

  /** Runs `work`; whatever it throws comes back as a CrmError (see {@link storeFailure}). */
  private async call<T>(work: () => T | Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw storeFailure(err);
    }
  }
}

function checkLimit(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) throw invalidInput(`lookup limit: expected an integer from 0 to ${MAX_LIMIT} (got ${JSON.stringify(limit)})`);
  return limit;
}

function notFound(callKey: string): CrmError {
  return new CrmError(CrmErrorKind.NOT_FOUND, `no phone-call record for call ${callKey}: create it first`, { retryable: false });
}

/**
 * A thrown value as a CrmError, so the outbox reads `retryable` from it: a CrmError as it is; a
 * store's INVALID_ARGUMENT is bad input (not retried); a store that cannot be reached, is
 * busy, failed or was closed under a delivery is worth another attempt (the worker backs off).
 */
function storeFailure(err: unknown): CrmError {
  if (err instanceof CrmError) return err;
  if (!isSwitchboardError(err)) return new CrmError(CrmErrorKind.SERVER, `store directory: ${err instanceof Error ? err.message : String(err)}`, { retryable: false, code: ErrorCode.INTERNAL, cause: err });
  const message = `store directory: ${err.message}`;
  switch (err.code) {
    case ErrorCode.INVALID_ARGUMENT:
      return new CrmError(CrmErrorKind.INVALID_INPUT, message, { retryable: false, cause: err });
    case ErrorCode.NOT_CONNECTED:
      return new CrmError(CrmErrorKind.CONNECTION, message, { retryable: true, cause: err });
    case ErrorCode.TIMEOUT:
      return new CrmError(CrmErrorKind.TIMEOUT, message, { retryable: true, cause: err });
    default:
      return new CrmError(CrmErrorKind.SERVER, message, { retryable: true, code: err.code, cause: err });
  }
}
