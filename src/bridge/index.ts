/**
 * @module switchboard/bridge
 * The typed postMessage plumbing shared by the gadget and frame-hosted code.
 */
export * from './window.js';
