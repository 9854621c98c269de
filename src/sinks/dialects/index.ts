/**
 * @module switchboard/dialects
 * CRM-side code written for other products runs unchanged against Switchboard (SPEC.md,
 * "Dialects"): Bright Pattern's `on('ON_SAVE_ACTIVITY_RECORD', handler)` (seed 003) and the
 * Avaya CRM Connector's `requestSaveInteractionLog` postMessage (seed 004), each fed by the
 * `interactionEnd` events of an AgentSession. Also the two mappings (record ⇄ vendor shape) that
 * the Avaya and Bright Pattern sources share. Browser-safe: no Node imports.
 */
export { AvayaDialect, createAvayaDialect, type AvayaDialectOptions } from './avaya.js';
export {
  AvayaDirection,
  AvayaInteractionType,
  CRM_CONNECT_MESSAGE,
  SAVE_INTERACTION_LOG,
  avayaBodyToRecord,
  recordToAvayaBody,
  saveInteractionLogMessage,
  type AvayaBodyContext,
  type AvayaBodyResult,
  type AvayaCustomField,
  type AvayaInteractionData,
  type AvayaInteractionLogBody,
  type AvayaLogDetails,
  type AvayaRelatedRecord,
  type AvayaSettings,
  type CRMConnectMessage,
  type SaveInteractionLogMessage,
  type SwitchboardExtension,
} from './avaya-body.js';
export { BRIGHT_PATTERN_EVENTS, BrightPatternDialect, createBrightPatternDialect, type BrightPatternDialectOptions, type BrightPatternEventMap, type BrightPatternEventName } from './brightpattern.js';
export {
  CALL_DIRECTIONS,
  INTERACTION_ORIGINATIONS,
  INTERACTION_STATES,
  INTERACTION_TYPES,
  ON_SAVE_ACTIVITY_RECORD,
  describeInteractionDataProblem,
  interactionDataToRecord,
  recordToInteractionData,
  type ActivityRecordData,
  type AttachedData,
  type BrightPatternDataContext,
  type CallDirection,
  type CallParty,
  type FromInteractionDataResult,
  type InteractionAssociatedObject,
  type InteractionAssociatedObjectsData,
  type InteractionData,
  type InteractionOrigination,
  type InteractionState,
  type InteractionType,
  type OnSaveActivityRecordHandler,
  type ToInteractionDataResult,
} from './brightpattern-data.js';
export type { DialectErrorHandler, SessionLike } from './report.js';
