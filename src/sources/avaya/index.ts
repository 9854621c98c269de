/**
 * @module switchboard/avaya
 * The Avaya CRM Connector as a Switchboard source (seed 004): `CRMConnectMessage`
 * postMessages from the connector's frame, origin-checked, each `requestSaveInteractionLog`
 * becoming an InteractionRecord for every sink. Log-only. Also its trace format for
 * `switchboard replay --source avaya` (docs/avaya.md). Browser-safe: no Node imports.
 */
export { AVAYA_CHANNEL_ID, AVAYA_SOURCE_KIND, AvayaSource, createAvayaSource, type AvayaAgent, type AvayaSourceOptions } from './source.js';
export {
  DEFAULT_AVAYA_SETUP,
  FakeMessageWindow,
  createAvayaReplay,
  parseAvayaTraceLine,
  type AvayaReplay,
  type AvayaSetup,
  type AvayaTraceCommand,
  type AvayaTraceWindow,
} from './trace.js';
