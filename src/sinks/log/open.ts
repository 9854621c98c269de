/**
 * @module sinks/log/open
 * `openStore(url)`: the store the configuration's `store` key names (SPEC "Configuration":
 * a `sqlite:` path or a `postgres://` URL). Only the adapter the URL asks for is loaded, so a
 * SQLite deployment never loads `pg` and the reverse.
 *
 * | URL | store |
 * |---|---|
 * | `sqlite:./data/switchboard.db`, `sqlite:/var/lib/switchboard.db`, `sqlite:///var/lib/switchboard.db` | {@link SqliteStore} on that file (directory created) |
 * | `sqlite::memory:` | {@link SqliteStore} in memory (gone when closed) |
 * | `postgres://user:pass@host:5432/db?schema=switchboard`, `postgresql://...` | {@link PostgresStore}; `schema` (default `public`) is taken out of the URL |
 */
import { ErrorCode, SwitchboardError } from '../../core/errors.js';
import { redactUrl } from './common.js';
import type { PostgresStoreOptions } from './postgres.js';
import type { SqliteStoreOptions } from './sqlite.js';
import type { OutboxStore } from './store.js';

export interface OpenStoreOptions {
  sqlite?: SqliteStoreOptions;
  /** PostgreSQL options; `schema` here wins over a `schema` parameter in the URL. */
  postgres?: Omit<PostgresStoreOptions, 'url'>;
}

/**
 * Open the store a URL names, its schema brought up to date (interaction log and outbox: both
 * adapters are {@link OutboxStore}s). Rejects with a SwitchboardError:
 * INVALID_ARGUMENT naming the scheme for a URL that is neither `sqlite:` nor `postgres(ql)://`;
 * the adapters' own errors otherwise. No error message contains the URL's password.
 *
 * @example
 * const store = await openStore(config.store ?? 'sqlite:./data/switchboard.db');
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<OutboxStore> {
  if (typeof url !== 'string' || url.trim() === '') throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, 'store URL must be a non-empty string');
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'sqlite') {
    let path = url.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '') throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `store URL ${JSON.stringify(url)} names no file (use sqlite:<path> or sqlite::memory:)`);
    const { SqliteStore } = await import('./sqlite.js');
    return SqliteStore.open(path, options.sqlite);
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    const { PostgresStore } = await import('./postgres.js');
    let rest = url;
    let schema = options.postgres?.schema;
    const split = splitSchemaParam(url);
    if (split !== undefined) {
      rest = split.url;
      schema ??= split.schema;
    }
    return PostgresStore.open({ ...options.postgres, url: rest, ...(schema !== undefined ? { schema } : {}) });
  }
  const named = scheme === undefined ? `no scheme in ${JSON.stringify(redactUrl(url))}` : `"${scheme}:"`;
  throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `unsupported store URL scheme ${named}: use sqlite:<path>, sqlite::memory: or postgres://user:password@host/database`);
}

/** The `schema` query parameter taken out of a PostgreSQL URL (pg would pass it to the server). */
function splitSchemaParam(url: string): { url: string; schema: string } | undefined {
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const params = new URLSearchParams(query);
  const schema = params.get('schema');
  if (schema === null) return undefined;
  params.delete('schema');
  const left = params.toString();
  return { url: `${url.slice(0, q)}${left === '' ? '' : `?${left}`}${hash < 0 ? '' : url.slice(hash)}`, schema };
}
