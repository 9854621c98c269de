/**
 * @module switchboard/c4c
 * The SAP Service Cloud (C4C) Live Activity sink: mapping, ANI rules, reference ids, payloads in
 * JSON and XML, the sink that follows an agent session, and click-to-dial. Browser-safe: no Node
 * import anywhere below this module. See docs/c4c.md.
 */
export * from './mapping.js';
export * from './ani.js';
export * from './reference.js';
export * from './payload.js';
export * from './settings.js';
export * from './store.js';
export * from './sink.js';
export * from './click-to-dial.js';
