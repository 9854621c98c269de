/**
 * @module switchboard/cil
 * The Integration API: the typed API, the seed 001 `cil` facade, and the per-agent wiring.
 */
export * from './api.js';
export * from './cil.js';
export * from './emitter.js';
export * from './agent.js';
