/**
 * @module sinks/servicenow/adapter
 * The records port over ServiceNow's REST Table API. A lookup asks each configured table with one
 * encoded query over every phone field and every written form of the number
 * (`phoneIN+41445550101,044 555 01 01,...^ORmobile_phoneIN...`), a limit one above the allowed
 * count (so "too many" is known without loading them), and only `sys_id` and the name field.
 * Phone-call writes are idempotent on the call's correlation id: before a POST the adapter asks
 * for a record carrying that id and reuses it, so a retry after a lost answer updates the record
 * the first attempt made instead of making a second one. The sys_id found or made is cached per
 * call key for the updates that follow.
 */
import { systemClock } from '../../core/clock.js';
import type { ActivityRecord, CrmRecord } from '../../core/model.js';
import { CrmError, CrmErrorKind, invalidInput } from '../records/errors.js';
import { parsePhone } from '../records/phone.js';
import { activityRecord, checkCallKey, checkFields, type CallOptions, type CrmRecords, type LookupOptions, type LookupResult, type PhoneCallFields } from '../records/port.js';
import { TableClient, type RateLimitState } from './http.js';
import { mapServiceNowFields } from './mapping.js';
import { serviceNowSettings, type ServiceNowOptions, type ServiceNowSettings } from './settings.js';

type Row = Record<string, unknown>;

/**
 * The ServiceNow adapter of the records port.
 *
 * @example
 * const crm = new ServiceNowRecords({
 *   instanceUrl: 'https://dev1234.service-now.com',
 *   auth: { type: 'basic', username: 'switchboard', password: process.env.SN_PASSWORD ?? '' },
 *   phone: { country: 'CH' },
 *   phoneCall: { table: 'u_phone_call', mapping: { ani: 'u_phone_number', callVariable1: 'u_account' } },
 * });
 * const { records } = await crm.lookupByPhone('044 555 01 01');
 * const activity = await crm.createPhoneCall('152018C217', { ani: '+41445550101', callVariable1: 'A-42' });
 */
export class ServiceNowRecords implements CrmRecords {
  readonly name = 'servicenow';
  readonly settings: ServiceNowSettings;
  private readonly client: TableClient;
  private readonly ids = new Map<string, string>();
  private readonly log: ((line: string) => void) | undefined;

  constructor(options: ServiceNowOptions) {
    this.settings = serviceNowSettings(options);
    const f = options.fetch ?? globalThis.fetch;
    this.log = options.log;
    this.client = new TableClient({
      baseUrl: this.settings.baseUrl,
      auth: options.auth,
      clock: options.clock ?? systemClock,
      timeoutMs: this.settings.timeoutMs,
      retryUnauthorized: this.settings.retryUnauthorized,
      fetch: f,
      log: options.log === undefined ? undefined : (line) => options.log?.(this.client.scrub(line)),
    });
  }

  /** The rate-limit window ServiceNow last announced. */
  get rateLimit(): RateLimitState {
    return this.client.rateLimit;
  }

  /** Forgets the cached sys_ids (they are found again by correlation id). */
  forget(callKey?: string): void {
    if (callKey === undefined) this.ids.clear();
    else this.ids.delete(callKey);
  }

  async lookupByPhone(phone: string, options: LookupOptions = {}): Promise<LookupResult> {
    const parsed = parsePhone(phone, this.settings.phone);
    const limit = options.limit ?? this.settings.lookupLimit;
    if (!Number.isInteger(limit) || limit < 1) throw invalidInput(`lookup limit: an integer >= 1 (got ${String(limit)})`);
    const records: CrmRecord[] = [];
    const seen = new Set<string>();
    let total = 0;
    let totalKnown = true;
    const perTable: string[] = [];
    for (const t of this.settings.lookupTables) {
      const room = limit - records.length;
      const query = t.phoneFields.map((f, i) => `${i === 0 ? '' : '^OR'}${f}IN${parsed.variants.join(',')}`).join('') + `^ORDERBY${t.nameField}`;
      const { result, headers } = await this.client.request({
        method: 'GET',
        table: t.table,
        params: {
          sysparm_query: query,
          sysparm_fields: `sys_id,${t.nameField}`,
          sysparm_limit: String(room + 1),
          sysparm_exclude_reference_link: 'true',
          sysparm_suppress_pagination_header: 'true',
        },
        signal: options.signal,
      });
      const rows = this.rows(result, `GET ${t.table}`);
      const count = headers.get('x-total-count');
      const matched = count !== null && /^\d+$/.test(count) ? Number(count) : undefined;
      if (matched === undefined) totalKnown = false;
      const n = matched ?? rows.length;
      total += n;
      if (n > 0) perTable.push(`${t.table}: ${matched ?? `${rows.length}+`}`);
      for (const row of rows.slice(0, Math.max(0, room))) {
        const id = this.sysId(row, `GET ${t.table}`);
        if (seen.has(`${t.recordType}/${id}`)) continue;
        seen.add(`${t.recordType}/${id}`);
        const name = row[t.nameField];
        records.push({ id, name: typeof name === 'string' ? name : '', recordType: t.recordType });
      }
      const over = rows.length > room || (matched !== undefined && matched > room);
      if (over) {
        if ((options.onTooMany ?? 'error') === 'error') {
          throw new CrmError(
            CrmErrorKind.TOO_MANY_MATCHES,
            `ServiceNow lookup of ${parsed.e164}: more than ${limit} records match (${perTable.join(', ')}); a number shared by that many records identifies nobody — check the data or raise servicenow.lookup.limit`,
            { retryable: false },
          );
        }
        return { phone: parsed.e164, records, complete: false, ...(totalKnown ? { total } : {}) };
      }
    }
    return { phone: parsed.e164, records, complete: true, total };
  }

  async findPhoneCall(callKey: string, options: CallOptions = {}): Promise<ActivityRecord | undefined> {
    checkCallKey(callKey);
    const id = await this.resolve(callKey, options.signal);
    return id === undefined ? undefined : activityRecord(id);
  }

  async createPhoneCall(callKey: string, fields: PhoneCallFields, options: CallOptions = {}): Promise<ActivityRecord> {
    checkCallKey(callKey);
    checkFields(fields);
    const s = this.settings;
    const body = { ...mapServiceNowFields(s.mapping, fields), [s.correlationField]: callKey };
    const existing = await this.resolve(callKey, options.signal);
    if (existing !== undefined) {
      // A retry after a lost answer, or a second delivery: the record is there, bring it up to date.
      this.log?.(`phone call ${callKey}: reusing ${s.phoneCallTable}/${existing}`);
      await this.patch(callKey, existing, body, options.signal);
      return activityRecord(existing);
    }
    const { result } = await this.client.request({
      method: 'POST',
      table: s.phoneCallTable,
      params: { sysparm_fields: `sys_id,${s.correlationField}`, sysparm_exclude_reference_link: 'true' },
      body,
      signal: options.signal,
    });
    const id = this.sysId(this.row(result, `POST ${s.phoneCallTable}`), `POST ${s.phoneCallTable}`);
    this.ids.set(callKey, id);
    return activityRecord(id);
  }

  async updatePhoneCall(callKey: string, fields: PhoneCallFields, options: CallOptions = {}): Promise<void> {
    checkCallKey(callKey);
    checkFields(fields);
    const body = mapServiceNowFields(this.settings.mapping, fields);
    if (Object.keys(body).length === 0) return; // nothing the mapping writes
    await this.write(callKey, body, options.signal);
  }

  async associate(callKey: string, record: CrmRecord, options: CallOptions = {}): Promise<void> {
    checkCallKey(callKey);
    const field = Object.hasOwn(this.settings.associationFields, record.recordType) ? this.settings.associationFields[record.recordType] : undefined;
    if (field === undefined) {
      throw invalidInput(`associate ${record.recordType}/${record.id}: no field of ${this.settings.phoneCallTable} for record type "${record.recordType}" (configure servicenow.phoneCall.associationFields)`);
    }
    if (typeof record.id !== 'string' || !/^[0-9a-f]{32}$/.test(record.id)) throw invalidInput(`associate: record id ${JSON.stringify(record.id)} is not a ServiceNow sys_id`);
    await this.write(callKey, { [field]: record.id }, options.signal);
  }

  /** PATCH the call's record, finding it again once if the cached sys_id is gone. */
  private async write(callKey: string, body: Record<string, string>, signal: AbortSignal | undefined): Promise<void> {
    const id = await this.mustResolve(callKey, signal);
    try {
      await this.patch(callKey, id, body, signal);
    } catch (err) {
      if (!(err instanceof CrmError) || err.kind !== CrmErrorKind.NOT_FOUND) throw err;
      this.ids.delete(callKey);
      const again = await this.mustResolve(callKey, signal);
      if (again === id) throw err;
      await this.patch(callKey, again, body, signal);
    }
  }

  private async patch(callKey: string, id: string, body: Record<string, string>, signal: AbortSignal | undefined): Promise<void> {
    const s = this.settings;
    const { result } = await this.client.request({
      method: 'PATCH',
      table: s.phoneCallTable,
      sysId: id,
      params: { sysparm_fields: `sys_id,${s.correlationField}`, sysparm_exclude_reference_link: 'true' },
      body,
      signal,
    });
    const got = this.sysId(this.row(result, `PATCH ${s.phoneCallTable}/${id}`), `PATCH ${s.phoneCallTable}/${id}`);
    this.ids.set(callKey, got);
  }

  private async mustResolve(callKey: string, signal: AbortSignal | undefined): Promise<string> {
    const id = await this.resolve(callKey, signal);
    if (id === undefined) {
      throw new CrmError(CrmErrorKind.NOT_FOUND, `ServiceNow ${this.settings.phoneCallTable}: no phone-call record with ${this.settings.correlationField}=${callKey}; create it first`, { retryable: false });
    }
    return id;
  }

  /** The sys_id of the call's record: cached, else the oldest record carrying the correlation id. */
  private async resolve(callKey: string, signal: AbortSignal | undefined): Promise<string | undefined> {
    const cached = this.ids.get(callKey);
    if (cached !== undefined) return cached;
    const s = this.settings;
    const { result } = await this.client.request({
      method: 'GET',
      table: s.phoneCallTable,
      params: {
        sysparm_query: `${s.correlationField}=${callKey}^ORDERBYsys_created_on`,
        sysparm_fields: `sys_id,${s.correlationField}`,
        sysparm_limit: '2',
        sysparm_exclude_reference_link: 'true',
        sysparm_suppress_pagination_header: 'true',
      },
      signal,
    });
    const rows = this.rows(result, `GET ${s.phoneCallTable}`);
    const first = rows[0];
    if (first === undefined) return undefined;
    if (rows.length > 1) this.log?.(`phone call ${callKey}: ${rows.length} records carry this correlation id; using the oldest`);
    const id = this.sysId(first, `GET ${s.phoneCallTable}`);
    this.ids.set(callKey, id);
    return id;
  }

  private rows(result: unknown, what: string): Row[] {
    if (!Array.isArray(result)) throw new CrmError(CrmErrorKind.MALFORMED, `ServiceNow ${what}: "result" is not a list of records`, { retryable: false });
    for (const r of result) {
      if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new CrmError(CrmErrorKind.MALFORMED, `ServiceNow ${what}: a record in "result" is not an object`, { retryable: false });
    }
    return result as Row[];
  }

  private row(result: unknown, what: string): Row {
    if (typeof result !== 'object' || result === null || Array.isArray(result)) throw new CrmError(CrmErrorKind.MALFORMED, `ServiceNow ${what}: "result" is not a record`, { retryable: false });
    return result as Row;
  }

  private sysId(row: Row, what: string): string {
    const id = row.sys_id;
    if (typeof id !== 'string' || id === '') {
      throw new CrmError(CrmErrorKind.MISSING_ID, `ServiceNow ${what}: a record without sys_id (${id === undefined ? 'absent' : JSON.stringify(id)})`, { retryable: false });
    }
    return id;
  }
}
