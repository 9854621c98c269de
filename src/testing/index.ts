/**
 * @module switchboard/testing
 * What integrators and adapter authors test with: the Source contract suite (vitest) and the
 * simulated clock. Importing this module needs vitest installed (it registers test cases).
 */
export { SimulatedClock } from '../core/clock.js';
export { CONTRACT_CASES, sourceContract, type ContractCase, type SourceContractOptions, type SourceHarness } from './source-contract.js';
export { STORE_CONTRACT_CASES, fullRecord, minimalRecord, storeContract, type StoreContractCase, type StoreContractOptions } from './store-contract.js';
export { freePort, startProsody, type ProsodyLab, type ProsodyOptions, type ProsodyUser } from './prosody.js';
export { OUTBOX_CONTRACT_CASES, OUTBOX_T0, outboxContract, type OutboxContractCase, type OutboxContractOptions } from './outbox-contract.js';
