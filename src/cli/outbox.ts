/**
 * @module cli/outbox
 * `switchboard outbox list | retry | purge | status`: look into the durable outbox of CRM
 * writes and act on its dead letters (docs/outbox.md). The main CLI hands it the arguments after
 * `outbox`; it opens the store named by `--store` (or `--config`'s `store`, or the default
 * SQLite file), does one thing and closes it.
 *
 * Wrong arguments throw a {@link UsageError} naming the option, like the other commands (the
 * executable prints it and exits with 2). Store failures are SwitchboardErrors, whose messages
 * never show a database password.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { systemClock, type Clock } from '../core/clock.js';
import { loadConfigFile } from '../config/index.js';
import { openStore } from '../sinks/log/open.js';
import { parseIsoTime, redactUrl } from '../sinks/log/common.js';
import type { DeadLetter, OutboxEntry, OutboxStore } from '../sinks/log/store.js';
import { UsageError } from './errors.js';

/** Where the output goes, a line at a time (without the newline). */
export interface OutboxCliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface OutboxCliOptions {
  /** "Now" for retry and for lease states. Default the system clock. */
  clock?: Clock;
  /** Opens the store (tests pass one over a prepared database). Default `openStore`. */
  open?: (url: string) => Promise<OutboxStore>;
}

/** The store `switchboard start` uses when none is configured (src/server/app.ts DEFAULT_STORE). */
const DEFAULT_STORE = 'sqlite:./data/switchboard.db';

export const OUTBOX_HELP = `switchboard outbox — the durable outbox of CRM writes (docs/outbox.md)

Usage:
  switchboard outbox list [--dead] [--call KEY] [--all] [--limit N] [--after ID] [--json] [--store URL | --config FILE]
      Messages still to deliver, oldest first: id, call, seq, kind, state (pending, leased,
      blocked by a dead letter), attempts, next attempt, last error. --all adds delivered ones
      (kept until purged); --dead lists the dead letters instead. --json: one JSON object a line.
  switchboard outbox retry (ID... | --all [--call KEY]) [--store URL | --config FILE]
      Move dead letters back to the outbox, with their id and place in their call, attempts
      reset to 0, due at once. The later messages of their call, held back, follow them.
  switchboard outbox purge [--dead] [--before ISO] [--store URL | --config FILE]
      Delete delivered messages (--dead: dead letters), those before ISO (an ISO 8601 time with
      a time zone) if given. A message still to deliver is never purged.
  switchboard outbox status [--store URL | --config FILE]
      How many messages are pending, leased, delivered and dead.

  --store URL   sqlite:PATH or postgres://... (default: --config's store, else ${DEFAULT_STORE})
`;

const COMMON = {
  store: { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Run `switchboard outbox <args>`. Resolves with the exit status: 0 done, 1 when `retry` named
 * ids that are not dead letters (the others are retried).
 *
 * @example
 * // in cli/main.ts
 * case 'outbox':
 *   return runOutbox(rest, { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) });
 */
export async function runOutbox(args: readonly string[], io: OutboxCliIo, options: OutboxCliOptions = {}): Promise<number> {
  const [command, ...rest] = args;
  const clock = options.clock ?? systemClock;
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      for (const line of OUTBOX_HELP.trimEnd().split('\n')) io.out(line);
      return 0;
    case 'list': {
      const { values } = parse(rest, {
        dead: { type: 'boolean' },
        call: { type: 'string' },
        all: { type: 'boolean' },
        limit: { type: 'string' },
        after: { type: 'string' },
        json: { type: 'boolean' },
      });
      if (values.help === true) return help(io);
      if (values.dead === true && values.all === true) throw new UsageError('outbox list: --all and --dead do not go together (dead letters are listed whole)');
      const limit = intOption('--limit', values.limit, 100, 1, 1000);
      const after = values.after === undefined ? undefined : idOption('--after', values.after);
      return withStore(values, options, async (store) => {
        if (values.dead === true) {
          const rows = await store.listDeadLetters({ callKey: values.call, limit, afterId: after });
          for (const r of rows) io.out(values.json === true ? JSON.stringify(r) : describeDead(r));
          if (values.json !== true && rows.length === 0) io.out('no dead letters');
          more(io, values.json === true, rows, limit);
        } else {
          const rows = await store.listOutbox({ callKey: values.call, includeDelivered: values.all === true, limit, afterId: after });
          for (const r of rows) io.out(values.json === true ? JSON.stringify(r) : describeEntry(r, clock.now()));
          if (values.json !== true && rows.length === 0) io.out(values.all === true ? 'the outbox is empty' : 'nothing to deliver');
          more(io, values.json === true, rows, limit);
        }
        return 0;
      });
    }
    case 'retry': {
      const { values, positionals } = parse(rest, { all: { type: 'boolean' }, call: { type: 'string' } }, true);
      if (values.help === true) return help(io);
      if (values.all === true && positionals.length > 0) throw new UsageError('outbox retry: give ids or --all, not both');
      if (values.all !== true && positionals.length === 0) throw new UsageError('outbox retry needs the ids of dead letters (see outbox list --dead), or --all');
      if (values.call !== undefined && values.all !== true) throw new UsageError('outbox retry: --call goes with --all');
      const ids = positionals.map((p) => idOption('retry', p));
      return withStore(values, options, async (store) => {
        const moved = await store.retryDeadLetters(values.all === true ? 'all' : ids, clock.now(), values.call === undefined ? {} : { callKey: values.call });
        io.out(moved.length === 0 ? 'no dead letter retried' : `retried ${moved.length} dead letter${moved.length === 1 ? '' : 's'}: ${moved.map((id) => `#${id}`).join(' ')}`);
        const missing = ids.filter((id) => !moved.includes(id));
        for (const id of missing) io.err(`#${id} is not a dead letter (already retried, purged, or never dead)`);
        return missing.length > 0 ? 1 : 0;
      });
    }
    case 'purge': {
      const { values } = parse(rest, { dead: { type: 'boolean' }, before: { type: 'string' } });
      if (values.help === true) return help(io);
      let before: number | undefined;
      if (values.before !== undefined) {
        before = parseIsoTime(values.before);
        if (before === undefined) throw new UsageError(`--before must be an ISO 8601 time with a time zone, like 2026-03-01T00:00:00Z (got "${values.before}")`);
      }
      return withStore(values, options, async (store) => {
        const n = await store.purgeOutbox({ dead: values.dead === true, ...(before === undefined ? {} : { before }) });
        const what = values.dead === true ? `dead letter${n === 1 ? '' : 's'}` : `delivered message${n === 1 ? '' : 's'}`;
        io.out(`purged ${n} ${what}${values.before === undefined ? '' : ` before ${values.before}`}`);
        return 0;
      });
    }
    case 'status': {
      const { values } = parse(rest, {});
      if (values.help === true) return help(io);
      return withStore(values, options, async (store) => {
        const c = await store.outboxCounts();
        io.out(`pending ${c.pending} (leased ${c.leased}), delivered ${c.delivered}, dead ${c.dead}`);
        return 0;
      });
    }
    default:
      throw new UsageError(`unknown outbox command "${command}" (list, retry, purge, status; try: switchboard outbox --help)`);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

function parse<T extends Options>(args: readonly string[], extra: T, allowPositionals = false) {
  try {
    return parseArgs({ args: [...args], options: { ...COMMON, ...extra }, allowPositionals, strict: true });
  } catch (err) {
    // node:util's messages name the option ("Unknown option '--x'"); keep them, as a usage error.
    throw new UsageError(`outbox: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function help(io: OutboxCliIo): number {
  for (const line of OUTBOX_HELP.trimEnd().split('\n')) io.out(line);
  return 0;
}

async function withStore(values: { store?: string | boolean | undefined; config?: string | boolean | undefined }, options: OutboxCliOptions, fn: (store: OutboxStore) => Promise<number>): Promise<number> {
  const url = storeUrl(values);
  const store = await (options.open ?? ((u: string) => openStore(u)))(url);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function storeUrl(values: { store?: string | boolean | undefined; config?: string | boolean | undefined }): string {
  if (typeof values.store === 'string') {
    if (values.store.trim() === '') throw new UsageError('--store must not be empty');
    return values.store;
  }
  if (typeof values.config === 'string') return loadConfigFile(values.config).store ?? DEFAULT_STORE;
  return DEFAULT_STORE;
}

function intOption(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  return n;
}

function idOption(name: string, raw: string): string {
  const id = raw.startsWith('#') ? raw.slice(1) : raw;
  if (!/^[1-9][0-9]{0,14}$/.test(id)) throw new UsageError(`${name}: "${raw}" is not an outbox id (a positive whole number, as outbox list shows)`);
  return id;
}

function more(io: OutboxCliIo, json: boolean, rows: readonly { id: string }[], limit: number): void {
  const last = rows[rows.length - 1];
  if (!json && rows.length === limit && last !== undefined) io.out(`(more may follow: --after ${last.id})`);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** One line for an outbox row, for people. */
export function describeEntry(r: OutboxEntry, now: number): string {
  let state: string;
  if (r.state === 'delivered') state = `delivered ${iso(r.deliveredAt ?? 0)}`;
  else if (r.blockedBy !== undefined) state = `blocked by dead letter #${r.blockedBy}`;
  else if (r.state === 'leased') state = `leased by ${r.leaseOwner ?? '?'} until ${iso(r.leaseUntil ?? 0)}`;
  else state = r.nextAttemptAt <= now ? 'due' : `next attempt ${iso(r.nextAttemptAt)}`;
  const error = r.lastError === undefined ? '' : `  last error: ${oneLine(r.lastError)}`;
  return `#${r.id}  call ${r.callKey}  seq ${r.seq}  ${r.kind}  attempts ${r.attempts}  ${state}  created ${r.createdAt}${error}`;
}

/** One line for a dead letter, for people. */
export function describeDead(r: DeadLetter): string {
  return `#${r.id}  call ${r.callKey}  seq ${r.seq}  ${r.kind}  attempts ${r.attempts}  dead ${iso(r.deadAt)}  created ${r.createdAt}  last error: ${oneLine(r.lastError)}`;
}

function oneLine(text: string): string {
  return redactUrl(text.replace(/\s+/g, ' ').trim());
}
