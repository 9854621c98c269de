/**
 * @module outbox
 * The durable outbox for CRM writes (SPEC "CRM records"; docs/outbox.md): the worker that
 * delivers it in order per call, the retry policy, and the store types it works on (the tables
 * themselves live in the interaction-log store, `switchboard/log`, so that a message is written
 * in the same transaction as its interaction).
 */
export { OutboxWorker, OUTBOX_WORKER_DEFAULTS, type DeadReason, type Deliver, type OutboxMetrics, type OutboxWorkerOptions } from './worker.js';
export { DEFAULT_BACKOFF, backoffCeiling, classifyDeliveryError, errorText, retryDelay, seededRandom, type BackoffPolicy, type DeliveryFailure } from './retry.js';
export { isOutboxStore } from '../sinks/log/store.js';
export type {
  DeadLetter,
  DeadLetterQuery,
  OutboxClaim,
  OutboxCounts,
  OutboxEnqueued,
  OutboxEntry,
  OutboxInput,
  OutboxMessage,
  OutboxQuery,
  OutboxState,
  OutboxStore,
  PurgeOptions,
  SaveOptions,
} from '../sinks/log/store.js';
