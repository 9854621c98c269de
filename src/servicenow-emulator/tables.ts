/**
 * @module servicenow-emulator/tables
 * The emulator's tables: rows of strings (the Table API answers every value as a string with
 * `sysparm_display_value=false`), each with a 32-hex `sys_id`, `sys_created_on`/`sys_updated_on`
 * in ServiceNow's `YYYY-MM-DD HH:mm:ss` UTC form, `sys_created_by`/`sys_updated_by` and
 * `sys_mod_count`. Optionally journaled to a JSON Lines file (one line per write, appended
 * synchronously), so that a restarted emulator has every write it acknowledged — and the ones it
 * applied but whose answer was lost.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

export type Row = Record<string, string>;

/** Fields ServiceNow fills itself; a write to them is ignored. */
export const SYSTEM_FIELDS = ['sys_id', 'sys_created_on', 'sys_created_by', 'sys_updated_on', 'sys_updated_by', 'sys_mod_count'] as const;
const SYSTEM: ReadonlySet<string> = new Set(SYSTEM_FIELDS);

/** `2026-01-05 09:00:00`: how the Table API writes a date-time (UTC, no display value). */
export function glideDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export function newSysId(): string {
  return randomUUID().replace(/-/g, '');
}

type JournalLine = { op: 'put'; table: string; row: Row } | { op: 'del'; table: string; sys_id: string } | { op: 'table'; table: string };

/** Values as the Table API stores them: strings; null clears; objects are refused by the caller. */
function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export class Tables {
  private readonly tables = new Map<string, Map<string, Row>>();
  /**
   * Equality indexes, made on first use per table and field and kept up to date by every write:
   * `lower-cased value → sys_ids`. A lookup by correlation id (the adapter's idempotency check)
   * then costs a set lookup instead of a scan of the whole table.
   */
  private readonly indexes = new Map<string, Map<string, Map<string, Set<string>>>>();
  private readonly journal: string | undefined;
  private readonly now: () => number;

  constructor(options: { journal?: string | undefined; now?: () => number } = {}) {
    this.journal = options.journal;
    this.now = options.now ?? (() => new Date().getTime());
    if (this.journal !== undefined && existsSync(this.journal)) this.replay(this.journal);
  }

  private replay(path: string): void {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      let entry: JournalLine;
      try {
        entry = JSON.parse(line) as JournalLine;
      } catch {
        continue; // a line cut by a kill: the write was never acknowledged
      }
      if (entry.op === 'table') this.ensure(entry.table);
      else if (entry.op === 'put') this.ensure(entry.table).set(entry.row.sys_id ?? '', entry.row);
      else this.tables.get(entry.table)?.delete(entry.sys_id);
    }
  }

  private write(line: JournalLine): void {
    if (this.journal !== undefined) appendFileSync(this.journal, `${JSON.stringify(line)}\n`);
  }

  private ensure(table: string): Map<string, Row> {
    let t = this.tables.get(table);
    if (t === undefined) this.tables.set(table, (t = new Map<string, Row>()));
    return t;
  }

  has(table: string): boolean {
    return this.tables.has(table);
  }

  names(): string[] {
    return [...this.tables.keys()];
  }

  /** Creates an empty table (no-op when it exists). */
  create(table: string): void {
    if (this.tables.has(table)) return;
    this.ensure(table);
    this.write({ op: 'table', table });
  }

  rows(table: string): Row[] {
    return [...(this.tables.get(table)?.values() ?? [])];
  }

  /**
   * The rows whose `field` equals `value` (ignoring case, as the query's `=` does), in table
   * order, through the field's index.
   */
  rowsWhere(table: string, field: string, value: string): Row[] {
    const t = this.tables.get(table);
    if (t === undefined) return [];
    let byField = this.indexes.get(table);
    if (byField === undefined) this.indexes.set(table, (byField = new Map<string, Map<string, Set<string>>>()));
    let index = byField.get(field);
    if (index === undefined) {
      index = new Map<string, Set<string>>();
      for (const row of t.values()) addTo(index, row[field] ?? '', row.sys_id ?? '');
      byField.set(field, index);
    }
    const ids = index.get((value ?? '').toLowerCase());
    if (ids === undefined || ids.size === 0) return [];
    if (ids.size * 8 < t.size) {
      // few matches: put them in table order without walking the table
      const order = new Map<string, number>();
      let i = 0;
      for (const id of t.keys()) {
        if (ids.has(id)) order.set(id, i);
        if (order.size === ids.size) break;
        i++;
      }
      return [...ids].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)).map((id) => t.get(id)).filter((r): r is Row => r !== undefined);
    }
    return [...t.values()].filter((r) => ids.has(r.sys_id ?? ''));
  }

  private indexRemove(table: string, row: Row): void {
    const byField = this.indexes.get(table);
    if (byField === undefined) return;
    for (const [field, index] of byField) index.get((row[field] ?? '').toLowerCase())?.delete(row.sys_id ?? '');
  }

  private indexAdd(table: string, row: Row): void {
    const byField = this.indexes.get(table);
    if (byField === undefined) return;
    for (const [field, index] of byField) addTo(index, row[field] ?? '', row.sys_id ?? '');
  }

  get(table: string, sysId: string): Row | undefined {
    return this.tables.get(table)?.get(sysId);
  }

  /** Inserts a row; `sys_id` may be given (seeding), the other system fields are set here. */
  insert(table: string, fields: Readonly<Record<string, unknown>>, user = 'admin'): Row {
    const t = this.ensure(table);
    const at = glideDateTime(this.now());
    const given = typeof fields.sys_id === 'string' && /^[0-9a-f]{32}$/.test(fields.sys_id) && !t.has(fields.sys_id) ? fields.sys_id : undefined;
    const row: Row = {};
    for (const [k, v] of Object.entries(fields)) if (!SYSTEM.has(k)) row[k] = asText(v);
    Object.assign(row, { sys_id: given ?? newSysId(), sys_created_on: at, sys_created_by: user, sys_updated_on: at, sys_updated_by: user, sys_mod_count: '0' });
    t.set(row.sys_id ?? '', row);
    this.indexAdd(table, row);
    this.write({ op: 'put', table, row });
    return row;
  }

  /** Updates the given fields; `replace` (PUT) is the same in the Table API: unnamed fields stay. */
  update(table: string, sysId: string, fields: Readonly<Record<string, unknown>>, user = 'admin'): Row | undefined {
    const row = this.tables.get(table)?.get(sysId);
    if (row === undefined) return undefined;
    this.indexRemove(table, row);
    for (const [k, v] of Object.entries(fields)) if (!SYSTEM.has(k)) row[k] = asText(v);
    row.sys_updated_on = glideDateTime(this.now());
    row.sys_updated_by = user;
    row.sys_mod_count = String(Number(row.sys_mod_count ?? '0') + 1);
    this.indexAdd(table, row);
    this.write({ op: 'put', table, row });
    return row;
  }

  delete(table: string, sysId: string): boolean {
    const row = this.tables.get(table)?.get(sysId);
    if (row !== undefined) this.indexRemove(table, row);
    const done = this.tables.get(table)?.delete(sysId) ?? false;
    if (done) this.write({ op: 'del', table, sys_id: sysId });
    return done;
  }
}

function addTo(index: Map<string, Set<string>>, value: string, id: string): void {
  const key = value.toLowerCase();
  let ids = index.get(key);
  if (ids === undefined) index.set(key, (ids = new Set()));
  ids.add(id);
}
