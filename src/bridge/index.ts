/**
 * @module switchboard/bridge
 * The typed postMessage plumbing shared by the gadget and frame-hosted code.
 */
export * from './window.js';
export * from './protocol.js';
export * from './remote-source.js';
