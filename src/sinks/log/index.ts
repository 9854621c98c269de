/**
 * @module switchboard/log
 * The interaction log: the `Store` port and its SQLite and PostgreSQL adapters, `openStore(url)`
 * for the configuration's `store` key, and the sink that saves each finished interaction once.
 * See docs/store.md.
 */
export * from './store.js';
export { openStore, type OpenStoreOptions } from './open.js';
export { SqliteStore, SQLITE_SCHEMA_VERSION, type SqliteStoreOptions } from './sqlite.js';
export { PostgresStore, POSTGRES_SCHEMA_VERSION, type PostgresStoreOptions } from './postgres.js';
export { InteractionLogSink, type InteractionLogSinkOptions, type LogFailure, type LogSinkStats, type RetryPolicy } from './sink.js';
export { parseIsoTime, redactUrl } from './common.js';
