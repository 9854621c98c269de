/**
 * @module server/demo-directory
 * The demo's embedded CRM directory: the contacts the demo CRM page lists (the same people and
 * numbers, so click-to-dial and their calls find them), as an in-memory records port. Used when
 * the server runs the simulator and no CRM is configured.
 */
import { MemoryDirectory, type DirectoryEntry } from '../sinks/records/memory.js';

/** The demo CRM page's contacts (src/server/demo/main.ts lists the same). */
export const DEMO_CONTACTS: readonly DirectoryEntry[] = [
  { id: '1000123', name: 'Hans Muster (Acme AG)', recordType: 'customer_contact', phones: ['+41 44 555 01 01'] },
  { id: '1000456', name: 'Maria Rossi (Rossi Srl)', recordType: 'customer_contact', phones: ['+39 02 555 0199'] },
  { id: '1000789', name: 'John Doe (Example Inc.)', recordType: 'customer_contact', phones: ['+1 650 305 4000'] },
];

/** A fresh directory with the demo's contacts (numbers read as Swiss when national). */
export function demoDirectory(): MemoryDirectory {
  return new MemoryDirectory({ phone: { country: 'CH' }, entries: DEMO_CONTACTS.map((e) => ({ ...e, phones: [...e.phones] })) });
}
