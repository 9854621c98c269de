/** The emulator's equality index answers exactly what a scan would, through inserts, updates and deletes. */
import { describe, expect, it } from 'vitest';
import { Tables } from '../../src/servicenow-emulator/tables.js';
import { parseEncodedQuery, runQuery } from '../../src/servicenow-emulator/query.js';

describe('Tables.rowsWhere', () => {
  it('matches a scan (case-insensitive, table order) after every kind of write', () => {
    const t = new Tables();
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push(t.insert('u_phone_call', { correlation_id: `K${i % 7}`, n: String(i) }).sys_id!);
    const scan = (v: string) => runQuery(t.rows('u_phone_call'), parseEncodedQuery(`correlation_id=${v}`)).map((r) => r.sys_id);
    const indexed = (v: string) => t.rowsWhere('u_phone_call', 'correlation_id', v).map((r) => r.sys_id);
    expect(indexed('K3')).toEqual(scan('K3'));
    expect(indexed('k3')).toEqual(scan('K3')); // `=` ignores case
    t.update('u_phone_call', ids[3]!, { correlation_id: 'K0' });
    t.delete('u_phone_call', ids[10]!);
    t.insert('u_phone_call', { correlation_id: 'K3' });
    for (const v of ['K0', 'K3', 'K6', 'nobody']) expect(indexed(v)).toEqual(scan(v));
    expect(indexed('K3')).not.toContain(ids[3]);
    expect(t.rowsWhere('missing_table', 'x', 'y')).toEqual([]);
  });
});
