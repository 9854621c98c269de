/**
 * @module switchboard
 * Switchboard: an open CTI hub. The root entry re-exports the core and the Integration API;
 * adapters have their own subpaths (`switchboard/sim`, `switchboard/cil`, `switchboard/testing`).
 */
export * from './core/index.js';
export * from './sinks/cil/index.js';
