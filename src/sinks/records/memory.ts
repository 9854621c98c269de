/**
 * @module sinks/records/memory
 * An in-memory CRM directory behind the records port, for tests and for a server whose store
 * keeps no directory (the demo uses ./store-directory.ts, the same semantics in the store's
 * tables, so its entries and phone calls survive a restart). Numbers are normalized
 * when an entry is added and when looked up, so `044 555 01 01` finds `+41 44 555 01 01`. Phone
 * calls are keyed by the call's correlation id exactly like the ServiceNow adapter, so contract
 * tests hold for both.
 */
import type { ActivityRecord, CrmRecord } from '../../core/model.js';
import { CrmError, CrmErrorKind } from './errors.js';
import { tryNormalizePhone, normalizePhone, type PhoneOptions } from './phone.js';
import { activityRecord, checkCallKey, checkFields, type CallOptions, type CrmRecords, type LookupOptions, type LookupResult, type PhoneCallFields } from './port.js';

/** A person or account of the directory with its phone numbers as written. */
export interface DirectoryEntry extends CrmRecord {
  phones: string[];
}

/** A phone-call record the directory holds. */
export interface MemoryPhoneCall {
  id: string;
  callKey: string;
  fields: Record<string, string>;
  associations: CrmRecord[];
  /** How many writes made it (create counts 1). */
  writes: number;
}

export interface MemoryDirectoryOptions {
  entries?: DirectoryEntry[];
  phone?: PhoneOptions;
  /** Default lookup limit (50). */
  limit?: number;
  /** Ids of new phone calls (default `phonecall-1`, `phonecall-2`, ...). */
  newId?: () => string;
}

/**
 * The records port in memory.
 *
 * @example
 * const crm = new MemoryDirectory({ phone: { country: 'CH' }, entries: [
 *   { id: 'c1', name: 'Ada Muster', recordType: 'customer_contact', phones: ['044 555 01 01'] },
 * ] });
 * (await crm.lookupByPhone('+41445550101')).records; // [{ id: 'c1', name: 'Ada Muster', recordType: 'customer_contact' }]
 */
export class MemoryDirectory implements CrmRecords {
  readonly name = 'memory';
  private readonly entries = new Map<string, DirectoryEntry>();
  private readonly byPhone = new Map<string, Set<string>>();
  private readonly calls = new Map<string, MemoryPhoneCall>();
  private readonly phone: PhoneOptions;
  private readonly limit: number;
  private readonly newId: () => string;

  constructor(options: MemoryDirectoryOptions = {}) {
    this.phone = options.phone ?? {};
    this.limit = options.limit ?? 50;
    let n = 0;
    this.newId = options.newId ?? (() => `phonecall-${++n}`);
    for (const e of options.entries ?? []) this.add(e);
  }

  /** Adds or replaces an entry; numbers that are not phone numbers are kept but never match. */
  add(entry: DirectoryEntry): void {
    this.remove(entry.id);
    const copy: DirectoryEntry = { id: entry.id, name: entry.name, recordType: entry.recordType, phones: [...entry.phones] };
    this.entries.set(entry.id, copy);
    for (const p of copy.phones) {
      const e164 = tryNormalizePhone(p, this.phone);
      if (e164 === undefined) continue;
      let ids = this.byPhone.get(e164);
      if (ids === undefined) this.byPhone.set(e164, (ids = new Set()));
      ids.add(entry.id);
    }
  }

  remove(id: string): boolean {
    const old = this.entries.get(id);
    if (old === undefined) return false;
    this.entries.delete(id);
    for (const ids of this.byPhone.values()) ids.delete(id);
    return true;
  }

  /** Every phone call, in creation order (copies). */
  phoneCalls(): MemoryPhoneCall[] {
    return [...this.calls.values()].map((c) => ({ ...c, fields: { ...c.fields }, associations: [...c.associations] }));
  }

  /** The phone call of a call key (a copy), or undefined. */
  phoneCall(callKey: string): MemoryPhoneCall | undefined {
    const c = this.calls.get(callKey);
    return c === undefined ? undefined : { ...c, fields: { ...c.fields }, associations: [...c.associations] };
  }

  lookupByPhone(phone: string, options: LookupOptions = {}): Promise<LookupResult> {
    return settle(() => {
      const e164 = normalizePhone(phone, this.phone);
      const limit = options.limit ?? this.limit;
      const ids = [...(this.byPhone.get(e164) ?? [])];
      const all = ids.map((id) => this.entries.get(id)).filter((e): e is DirectoryEntry => e !== undefined);
      if (all.length > limit && (options.onTooMany ?? 'error') === 'error') {
        throw new CrmError(CrmErrorKind.TOO_MANY_MATCHES, `lookup of ${e164}: ${all.length} records match, more than the limit of ${limit}`, { retryable: false });
      }
      const records = all.slice(0, limit).map((e) => ({ id: e.id, name: e.name, recordType: e.recordType }));
      return { phone: e164, records, complete: all.length <= limit, total: all.length };
    });
  }

  findPhoneCall(callKey: string, _options?: CallOptions): Promise<ActivityRecord | undefined> {
    return settle(() => {
      checkCallKey(callKey);
      const c = this.calls.get(callKey);
      return c === undefined ? undefined : activityRecord(c.id);
    });
  }

  createPhoneCall(callKey: string, fields: PhoneCallFields, _options?: CallOptions): Promise<ActivityRecord> {
    return settle(() => {
      checkCallKey(callKey);
      checkFields(fields);
      const existing = this.calls.get(callKey);
      if (existing !== undefined) {
        Object.assign(existing.fields, fields);
        existing.writes++;
        return activityRecord(existing.id);
      }
      const call: MemoryPhoneCall = { id: this.newId(), callKey, fields: { ...fields }, associations: [], writes: 1 };
      this.calls.set(callKey, call);
      return activityRecord(call.id);
    });
  }

  updatePhoneCall(callKey: string, fields: PhoneCallFields, _options?: CallOptions): Promise<void> {
    return settle(() => {
      checkCallKey(callKey);
      checkFields(fields);
      const call = this.mustFind(callKey);
      Object.assign(call.fields, fields);
      call.writes++;
    });
  }

  associate(callKey: string, record: CrmRecord, _options?: CallOptions): Promise<void> {
    return settle(() => {
      checkCallKey(callKey);
      const call = this.mustFind(callKey);
      if (!call.associations.some((r) => r.id === record.id && r.recordType === record.recordType)) {
        call.associations.push({ id: record.id, name: record.name, recordType: record.recordType });
        call.writes++;
      }
    });
  }

  private mustFind(callKey: string): MemoryPhoneCall {
    const call = this.calls.get(callKey);
    if (call === undefined) throw new CrmError(CrmErrorKind.NOT_FOUND, `no phone-call record for call ${callKey}: create it first`, { retryable: false });
    return call;
  }
}

/** Runs synchronous work as a promise: a throw becomes a rejection, as from a real CRM. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}
