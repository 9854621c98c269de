/**
 * @module switchboard/brightpattern
 * Bright Pattern's Agent Desktop as a Switchboard source (seed 003): its client-side API's
 * `ON_SAVE_ACTIVITY_RECORD` callbacks, each InteractionData checked against the seed's types and
 * turned into an InteractionRecord for every sink. Log-only. Also its trace format for
 * `switchboard replay --source brightpattern` (docs/brightpattern.md). Browser-safe: no Node imports.
 */
export {
  BRIGHT_PATTERN_CHANNEL_ID,
  BRIGHT_PATTERN_SOURCE_KIND,
  BrightPatternSource,
  createBrightPatternSource,
  type AdApiLike,
  type BrightPatternAgent,
  type BrightPatternSourceOptions,
} from './source.js';
export {
  DEFAULT_BRIGHT_PATTERN_SETUP,
  FakeAdApi,
  createBrightPatternReplay,
  parseBrightPatternTraceLine,
  type BrightPatternReplay,
  type BrightPatternSetup,
  type BrightPatternTraceCommand,
} from './trace.js';
