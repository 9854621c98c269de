/**
 * @module switchboard/records
 * The CRM records port (caller lookup, phone-call records, associations; seed 001's
 * `participantLookupResult`, `associatedParticipant`, `activity`, `associations`), phone number
 * normalization, the error the outbox reads, an in-memory directory and the directory kept in
 * the store (store-directory.ts, which imports only types from the store). Browser-safe.
 * See docs/servicenow.md for the first real adapter.
 */
export * from './errors.js';
export * from './phone.js';
export * from './port.js';
export * from './fields.js';
export * from './memory.js';
export * from './store-directory.js';
