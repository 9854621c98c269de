/**
 * A ServiceNow emulator with the people of a test and an adapter pointed at it.
 */
import { SimulatedClock, type Clock } from '../../../src/core/index.js';
import { startServiceNowEmulator, type ServiceNowEmulator, type ServiceNowEmulatorOptions } from '../../../src/servicenow-emulator/index.js';
import { ServiceNowRecords, type ServiceNowOptions } from '../../../src/sinks/servicenow/index.js';

export const USER = 'switchboard';
export const PASSWORD = 'hunter2-S3cret!';
export const TOKEN = 'eyJhbGciOiJub25lIn0.tok3n-very-secret';

export interface Person {
  name: string;
  table: string;
  phone?: string;
  mobile?: string;
}

export async function emulatorWith(people: Person[] = [], extra: ServiceNowEmulatorOptions = {}): Promise<ServiceNowEmulator> {
  const tables: Record<string, Array<Record<string, unknown>>> = { customer_contact: [], sys_user: [], u_phone_call: [] };
  for (const p of people) (tables[p.table] ??= []).push({ name: p.name, phone: p.phone ?? '', mobile_phone: p.mobile ?? '' });
  return startServiceNowEmulator({ users: [{ username: USER, password: PASSWORD }], tokens: [TOKEN], tables, ...extra });
}

export function adapterFor(emu: ServiceNowEmulator, options: Partial<ServiceNowOptions> = {}): ServiceNowRecords {
  return new ServiceNowRecords({
    instanceUrl: emu.url,
    auth: { type: 'basic', username: USER, password: PASSWORD },
    phone: { country: 'CH' },
    timeoutMs: 5000,
    phoneCall: { mapping: { ani: 'phone_number', direction: 'direction', callVariable1: 'u_account', wrapUpReason: 'u_wrap_up' } },
    ...options,
  });
}

/** The rejection of a promise (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

export function simulatedClock(): Clock & SimulatedClock {
  return new SimulatedClock(Date.parse('2026-01-05T09:00:00Z'));
}
