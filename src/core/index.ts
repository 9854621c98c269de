/**
 * @module switchboard/core
 * The normalized core: model, lifecycle state machine, request rules, events, errors, clock and
 * the Source port. No I/O and no timers of its own; runs unchanged in the browser and in Node.
 */
export * from './model.js';
export * from './errors.js';
export * from './clock.js';
export * from './events.js';
export * from './updates.js';
export * from './source.js';
export * from './guards.js';
export * from './requests.js';
export * from './transition.js';
export * from './session.js';
export * from './workitem.js';
export * from './interaction.js';
export * from './trace-order.js';
export { seededRandom } from './random.js';
