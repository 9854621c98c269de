/**
 * @module switchboard/finesse
 * Cisco Finesse (UCCE/UCCX) behind the core's Source port: {@link FinesseSource} (REST +
 * XMPP + the reducer), the REST client {@link FinesseRest}, the notification client
 * {@link FinesseXmpp}, the XML parsers, the reducer and the replay of captured notifications.
 * Browser-safe: nothing here imports `node:` modules (the XMPP client uses WebSocket in the
 * browser, TCP in Node).
 */
export {
  FinesseSource,
  FINESSE_SUPPORTED_REQUESTS,
  REQUEST_ACTIONS,
  type FinesseConnectionState,
  type FinesseSourceOptions,
  type NotificationChannel,
} from './source.js';
export {
  FinesseRest,
  dialogActionBody,
  escapeXml,
  makeCallBody,
  parseApiErrorsBody,
  userStateBody,
  type Accepted,
  type DialogActionParams,
  type FetchLike,
  type FinesseAuth,
  type FinesseRestOptions,
  type ReasonCategory,
} from './rest.js';
export {
  FinesseXmpp,
  backoffDelay,
  NS_PING,
  NS_PUBSUB,
  NS_PUBSUB_EVENT,
  type BackoffOptions,
  type FinesseNotificationMessage,
  type FinesseXmppOptions,
  type XmppClientFactory,
  type XmppStatus,
} from './xmpp.js';
export {
  parseApiErrors,
  parseDialog,
  parseDialogs,
  parseNotification,
  parseQueue,
  parseQueues,
  parseReasonCodes,
  parseSystemInfo,
  parseUser,
  parseWrapUpReasons,
  type FinesseWrapUpReason,
  type ParseOptions,
} from './parse.js';
export { FinesseReducer, FINESSE_SOURCE_KIND, classify, type FinesseReasonCodeLists, type FinesseReducerOptions } from './reducer.js';
export { ACTION_CAPABILITIES, actionsToCapabilities } from './capabilities.js';
export { createFinesseReplay, parseFinesseTraceLine, type FinesseReplay, type FinesseSetup, type FinesseTraceCommand } from './trace.js';
export * from './types.js';
