/**
 * @module switchboard/config
 * The configuration file: validation (./schema, browser-safe) and loading from disk (./load,
 * Node only). The gadget imports `config/schema.js` (or `switchboard/c4c`'s settings) directly.
 */
export * from './schema.js';
export * from './load.js';
