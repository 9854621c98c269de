/**
 * @module switchboard/servicenow
 * The ServiceNow adapter of the records port (REST Table API): caller lookup, phone-call records
 * idempotent on the call's correlation id, associations, typed errors with retry hints for the
 * outbox. Node 20 or any runtime with fetch. See docs/servicenow.md.
 */
export * from './adapter.js';
export * from './mapping.js';
export * from './settings.js';
export { TableClient, parseRetryAfter, parseRateLimitReset, type Method, type RateLimitState, type TableClientOptions, type TableRequest, type TableResponse } from './http.js';
