/**
 * @module switchboard/servicenow-emulator
 * A protocol-faithful ServiceNow Table API on loopback for tests, the demo and fault campaigns:
 * tables with sys_id, encoded queries, ServiceNow's error JSON, Basic and Bearer auth, rate
 * limiting, and fault injection (429, 5xx, slow answers, dropped connections before or after the
 * write, HTML and garbage bodies, records without sys_id) switchable per test and deterministic
 * by seed. Node only. See docs/servicenow.md for the ServiceNow documents it follows.
 *
 * @example
 * const emu = await startServiceNowEmulator({ seed: 7 });
 * emu.faults.add({ kind: 'rateLimit', retryAfterSeconds: 1, rate: 0.2 });
 */
export * from './server.js';
export * from './faults.js';
export * from './query.js';
export { Tables, glideDateTime, newSysId, SYSTEM_FIELDS, type Row } from './tables.js';
