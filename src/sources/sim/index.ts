/**
 * @module switchboard/sim
 * The simulated contact center: a deterministic, in-process UCCE/UCCX-like platform behind the
 * core's Source port, its trace format for `switchboard replay --source sim`, and the option
 * types. The default source for the demo, the tests and the benchmarks.
 */
export { SimContactCenter, type SimAgentView, type SimCallView, type SimCallStatus, type SimWorkitemView } from './contact-center.js';
export { SimAgentSource } from './agent-source.js';
export type { ArriveOptions } from './telephony.js';
export type { SimCounters } from './world.js';
export {
  DEFAULT_REASON_CODES,
  type ArrivalOptions,
  type AutoAgentOptions,
  type DialPlan,
  type FarEndOptions,
  type SimAgentConfig,
  type SimContactCenterOptions,
  type SimQueueConfig,
  type WrapupMode,
} from './options.js';
export { createRng, type Rng } from './rng.js';
export {
  DEFAULT_SIM_SETUP,
  SimTraceRunner,
  createSimFromSetup,
  parseSimTraceLine,
  startSimTrace,
  type SimSetup,
  type SimSetupAgent,
  type SimTraceKind,
  type SimTraceCommand,
} from './trace.js';
