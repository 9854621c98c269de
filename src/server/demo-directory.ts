/**
 * @module server/demo-directory
 * The demo's embedded CRM directory: the contacts the demo CRM page lists (the same people and
 * numbers, so click-to-dial and their calls find them). Used when the server runs the simulator
 * and no CRM is configured. SPEC "CRM records" puts that directory in the store
 * ({@link storeDemoDirectory}): the phone-call records the demo writes then survive a restart
 * of the server, next to the interaction log and the outbox that delivers them. The in-memory
 * {@link demoDirectory} stays for tests and for a store that keeps no directory.
 */
import type { DirectoryStore } from '../sinks/log/store.js';
import { MemoryDirectory, type DirectoryEntry } from '../sinks/records/memory.js';
import { StoreDirectory } from '../sinks/records/store-directory.js';

/** The demo CRM page's contacts (src/server/demo/main.ts lists the same). */
export const DEMO_CONTACTS: readonly DirectoryEntry[] = [
  { id: '1000123', name: 'Hans Muster (Acme AG)', recordType: 'customer_contact', phones: ['+41 44 555 01 01'] },
  { id: '1000456', name: 'Maria Rossi (Rossi Srl)', recordType: 'customer_contact', phones: ['+39 02 555 0199'] },
  { id: '1000789', name: 'John Doe (Example Inc.)', recordType: 'customer_contact', phones: ['+1 650 305 4000'] },
];

/** How the demo reads national numbers. */
const DEMO_PHONE = { country: 'CH' } as const;

/**
 * A fresh in-memory directory with the demo's contacts (numbers read as Swiss when national).
 *
 * @example
 * const crm = demoDirectory();
 * (await crm.lookupByPhone('044 555 01 01')).records[0]?.name; // 'Hans Muster (Acme AG)'
 */
export function demoDirectory(): MemoryDirectory {
  return new MemoryDirectory({ phone: DEMO_PHONE, entries: DEMO_CONTACTS.map((e) => ({ ...e, phones: [...e.phones] })) });
}

/**
 * The demo's directory in the store: the demo contacts written (an upsert by id, so opening it
 * again on the same database changes nothing and keeps every phone call), then the records port
 * on them. Rejects when the store cannot be written (the server then fails to start, saying why).
 *
 * @example
 * const store = await openStore('sqlite:./data/switchboard.db');
 * const crm = isDirectoryStore(store) ? await storeDemoDirectory(store) : demoDirectory();
 */
export async function storeDemoDirectory(store: DirectoryStore): Promise<StoreDirectory> {
  const crm = new StoreDirectory(store, { phone: DEMO_PHONE });
  await crm.add(...DEMO_CONTACTS.map((e) => ({ ...e, phones: [...e.phones] })));
  return crm;
}
