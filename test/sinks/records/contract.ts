/**
 * The records port's contract: one suite run against every adapter (the in-memory directory
 * and ServiceNow through its emulator), so that what the hub relies on holds for each.
 */
import { describe, expect, it } from 'vitest';
import { isCrmError, type CrmRecords } from '../../../src/sinks/records/index.js';

/** A person of the directory; `table` is the record type it must come back with. */
export interface ContractEntry {
  name: string;
  table: 'customer_contact' | 'sys_user';
  phone?: string;
  mobile?: string;
}

export interface ContractRig {
  crm: CrmRecords;
  /** How many phone-call records the CRM holds for a call key. */
  phoneCallsFor(callKey: string): Promise<number> | number;
  close(): Promise<void> | void;
}

export function describeRecordsContract(adapter: string, setup: (entries: ContractEntry[], options: { country: 'CH'; limit: number }) => Promise<ContractRig>): void {
  const people: ContractEntry[] = [
    { name: 'Ada Muster', table: 'customer_contact', phone: '+41 44 555 01 01' },
    { name: 'Bob Beispiel', table: 'customer_contact', phone: '044 555 02 02', mobile: '079 555 03 03' },
    { name: 'Carla Agent', table: 'sys_user', phone: '0445550202' },
    ...Array.from({ length: 4 }, (_, i): ContractEntry => ({ name: `Shared ${i}`, table: 'customer_contact', phone: '+41 800 555 999' })),
  ];

  describe(`records contract: ${adapter}`, () => {
    it('finds one record by any written form of its number', async () => {
      const rig = await setup(people, { country: 'CH', limit: 3 });
      try {
        for (const form of ['+41445550101', '044 555 01 01', '0041445550101']) {
          const found = await rig.crm.lookupByPhone(form);
          expect(found.phone).toBe('+41445550101');
          expect(found.records.map((r) => [r.name, r.recordType])).toEqual([['Ada Muster', 'customer_contact']]);
          expect(found.complete).toBe(true);
          expect(found.records[0]!.id).not.toBe('');
        }
        const none = await rig.crm.lookupByPhone('+41 44 555 09 09');
        expect(none.records).toEqual([]);
      } finally {
        await rig.close();
      }
    });

    it('returns every match across record types and phone fields', async () => {
      const rig = await setup(people, { country: 'CH', limit: 3 });
      try {
        const two = await rig.crm.lookupByPhone('+41445550202');
        expect(two.records.map((r) => [r.name, r.recordType]).sort()).toEqual([
          ['Bob Beispiel', 'customer_contact'],
          ['Carla Agent', 'sys_user'],
        ]);
        const mobile = await rig.crm.lookupByPhone('0795550303');
        expect(mobile.records.map((r) => r.name)).toEqual(['Bob Beispiel']);
      } finally {
        await rig.close();
      }
    });

    it('refuses a lookup matching more records than the limit, or cuts it when asked', async () => {
      const rig = await setup(people, { country: 'CH', limit: 3 });
      try {
        const err = await rig.crm.lookupByPhone('0800 555 999').catch((e: unknown) => e);
        expect(isCrmError(err)).toBe(true);
        expect(err).toMatchObject({ kind: 'too_many_matches', retryable: false, code: 'PLATFORM_ERROR' });
        expect((err as Error).message).toContain('+41800555999');
        const cut = await rig.crm.lookupByPhone('0800 555 999', { onTooMany: 'truncate' });
        expect(cut.records).toHaveLength(3);
        expect(cut.complete).toBe(false);
      } finally {
        await rig.close();
      }
    });

    it('refuses a number that is not one, naming it', async () => {
      const rig = await setup(people, { country: 'CH', limit: 3 });
      try {
        const err = await rig.crm.lookupByPhone('not-a-number').catch((e: unknown) => e);
        expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', retryable: false });
        expect((err as Error).message).toContain('"not-a-number"');
      } finally {
        await rig.close();
      }
    });

    it('creates a phone call once per call key, updates and associates it', async () => {
      const rig = await setup(people, { country: 'CH', limit: 3 });
      try {
        expect(await rig.crm.findPhoneCall('152018C217')).toBeUndefined();
        const a = await rig.crm.createPhoneCall('152018C217', { ani: '+41445550101', direction: 'Incoming' });
        expect(a.recordType).toBe('phonecall');
        const again = await rig.crm.createPhoneCall('152018C217', { ani: '+41445550101', direction: 'Incoming' });
        expect(again).toEqual(a);
        expect(await rig.phoneCallsFor('152018C217')).toBe(1);
        expect(await rig.crm.findPhoneCall('152018C217')).toEqual(a);
        await rig.crm.updatePhoneCall('152018C217', { wrapUpReason: 'Sale' });
        const [ada] = (await rig.crm.lookupByPhone('+41445550101')).records;
        await rig.crm.associate('152018C217', ada!);
        const b = await rig.crm.createPhoneCall('152018C218', { ani: '+41445550202' });
        expect(b.id).not.toBe(a.id);
      } finally {
        await rig.close();
      }
    });

    it('refuses to update or associate a call that has no record', async () => {
      const rig = await setup(people, { country: 'CH', limit: 3 });
      try {
        const err = await rig.crm.updatePhoneCall('NOPE1', { wrapUpReason: 'Sale' }).catch((e: unknown) => e);
        expect(err).toMatchObject({ kind: 'not_found', retryable: false });
        expect((err as Error).message).toContain('NOPE1');
        await expect(rig.crm.createPhoneCall('bad^key', {})).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      } finally {
        await rig.close();
      }
    });
  });
}
