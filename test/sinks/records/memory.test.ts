/**
 * The in-memory directory: the records contract, plus what only it shows (its phone calls).
 */
import { describe, expect, it } from 'vitest';
import { MemoryDirectory } from '../../../src/sinks/records/index.js';
import { describeRecordsContract } from './contract.js';

describeRecordsContract('memory', (entries, o) => {
  const crm = new MemoryDirectory({
    phone: { country: o.country },
    limit: o.limit,
    entries: entries.map((e, i) => ({ id: `rec-${i}`, name: e.name, recordType: e.table, phones: [e.phone, e.mobile].filter((p): p is string => p !== undefined) })),
  });
  return Promise.resolve({ crm, phoneCallsFor: (key: string) => crm.phoneCalls().filter((c) => c.callKey === key).length, close: () => undefined });
});

describe('MemoryDirectory', () => {
  it('keeps fields, associations and write counts of each phone call', async () => {
    const crm = new MemoryDirectory({ phone: { country: 'CH' }, entries: [{ id: 'c1', name: 'Ada', recordType: 'customer_contact', phones: ['044 555 01 01', 'garbage'] }] });
    const a = await crm.createPhoneCall('K1', { ani: '+41445550101' });
    expect(a).toEqual({ id: 'phonecall-1', recordType: 'phonecall' });
    await crm.updatePhoneCall('K1', { wrapUpReason: 'Sale' });
    await crm.associate('K1', { id: 'c1', name: 'Ada', recordType: 'customer_contact' });
    await crm.associate('K1', { id: 'c1', name: 'Ada', recordType: 'customer_contact' });
    expect(crm.phoneCall('K1')).toEqual({ id: 'phonecall-1', callKey: 'K1', fields: { ani: '+41445550101', wrapUpReason: 'Sale' }, associations: [{ id: 'c1', name: 'Ada', recordType: 'customer_contact' }], writes: 3 });
    expect((await crm.lookupByPhone('+41445550101')).records).toEqual([{ id: 'c1', name: 'Ada', recordType: 'customer_contact' }]);
    crm.remove('c1');
    expect((await crm.lookupByPhone('+41445550101')).records).toEqual([]);
  });

  it('refuses non-string field values (seed 001: values are strings)', async () => {
    const crm = new MemoryDirectory();
    await expect(crm.createPhoneCall('K1', { n: 1 } as unknown as Record<string, string>)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('fields["n"]') });
  });
});
