/**
 * @module sinks/log/sink
 * `InteractionLogSink`: the sink that logs every finished interaction in a {@link Store}. It
 * listens to one or more AgentSessions and, on each `interactionEnd`, queues the record and
 * saves it — one row per interaction id (SPEC "Interaction log").
 *
 * What it promises:
 * - A session never sees a failure: the listener only queues; saving happens afterwards and
 *   every failure goes to the `onError` callback.
 * - A record the sink accepted is not lost while the process lives: it stays in an in-memory
 *   queue until the store has it, retried with exponential backoff on the injected Clock (the
 *   store may be down for hours). Records are saved one at a time, in the order they ended.
 * - Exactly one row per id: an id already waiting in the queue is not queued twice, and the
 *   store's own idempotency absorbs the rest (a repeat after a save, a save that timed out but
 *   went through, another process logging the same interaction).
 * - A record the store refuses as invalid (INVALID_ARGUMENT) can never be saved: it is reported
 *   with `retryInMs` undefined and dropped, so it does not block the records behind it.
 *
 * What it does not promise: the queue is memory. A crash or a kill loses the records not yet
 * saved (`pending`); `close()` hands them back for the host to log. The durable outbox (same
 * transaction as the interaction, SPEC "CRM records") is a later issue.
 *
 * @example
 * const sink = new InteractionLogSink({ store, clock, onError: (f) => log.warn(f.error.message) });
 * sink.attach(agent.session);
 */
import type { Clock, TimerHandle } from '../../core/clock.js';
import { ErrorCode, SwitchboardError, toSwitchboardError } from '../../core/errors.js';
import type { InteractionRecord } from '../../core/interaction.js';
import type { AgentSession } from '../../core/session.js';
import type { OutboxInput, SaveResult, Store } from './store.js';

export interface RetryPolicy {
  /** Delay before the first retry, ms. Default 1000. */
  initialMs?: number;
  /** Each further retry waits this many times longer. Default 2. */
  factor?: number;
  /** Longest delay between retries, ms. Default 60000. */
  maxMs?: number;
}

/** A save that failed: reported through `onError`. */
export interface LogFailure {
  error: SwitchboardError;
  record: InteractionRecord;
  /** How many times this record's save has failed so far (1 for the first failure). */
  attempt: number;
  /** When the save is tried again, ms from now; undefined when the record was dropped (invalid). */
  retryInMs?: number;
}

export interface InteractionLogSinkOptions {
  store: Store;
  /** Times the retries and the save timeout: the session's clock. */
  clock: Clock;
  /** Told of every failed save (and of records dropped as invalid). Never throws into a session. */
  onError: (failure: LogFailure) => void;
  retry?: RetryPolicy;
  /**
   * A save that has not settled after this long (clock ms) counts as failed (TIMEOUT) and is
   * retried; a late success is then absorbed by the store's idempotency. Default: none, because
   * the shipped stores bound their own calls (PostgreSQL: connect and query timeouts; SQLite:
   * the busy timeout) in real time, while the clock may be a replay's, which jumps.
   */
  saveTimeoutMs?: number;
  /**
   * Outbox messages that belong to a record (e.g. the CRM phone-call update at the end of the
   * call): asked once per accepted record and saved in the record's own transaction
   * (`store.save(record, { outbox })`), so the record and its CRM writes exist together or not
   * at all. A hook that throws is reported and the record is saved without messages.
   */
  outboxFor?: (record: InteractionRecord) => readonly OutboxInput[];
}

export interface LogSinkStats {
  /** Records the store stored as new rows. */
  inserted: number;
  /** Records the store already had (a repeat of an id). */
  duplicates: number;
  /** Records refused as invalid, reported and dropped. */
  dropped: number;
  /** Failed save attempts (each retry that fails counts). */
  failures: number;
}

type Outcome = { ok: true; result: SaveResult } | { ok: false; error: SwitchboardError };

export class InteractionLogSink {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly onError: (failure: LogFailure) => void;
  private readonly initialMs: number;
  private readonly factor: number;
  private readonly maxMs: number;
  private readonly saveTimeoutMs: number | undefined;
  private readonly queue: InteractionRecord[] = [];
  private readonly queued = new Set<string>();
  private readonly outboxes = new WeakMap<InteractionRecord, readonly OutboxInput[]>();
  private readonly outboxFor: ((record: InteractionRecord) => readonly OutboxInput[]) | undefined;
  private readonly detachers = new Set<() => void>();
  private readonly idleWaiters: (() => void)[] = [];
  private inFlight: Promise<void> | undefined;
  private retryTimer: TimerHandle | undefined;
  private attempt = 0;
  private closed = false;
  private readonly counters: LogSinkStats = { inserted: 0, duplicates: 0, dropped: 0, failures: 0 };

  constructor(options: InteractionLogSinkOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.onError = options.onError;
    this.outboxFor = options.outboxFor;
    this.initialMs = positive(options.retry?.initialMs, 1000, 'retry.initialMs');
    this.factor = positive(options.retry?.factor, 2, 'retry.factor');
    this.maxMs = positive(options.retry?.maxMs, 60_000, 'retry.maxMs');
    this.saveTimeoutMs = options.saveTimeoutMs === undefined ? undefined : positive(options.saveTimeoutMs, 0, 'saveTimeoutMs');
  }

  /** Log every record this session ends from now on. Returns a function that stops it. */
  attach(session: AgentSession): () => void {
    if (this.closed) throw new SwitchboardError(ErrorCode.INVALID_STATE, 'interaction log sink is closed');
    const unsubscribe = session.subscribe((event) => {
      if (event.type === 'interactionEnd') this.accept(event.data.record);
    });
    const detach = () => {
      unsubscribe();
      this.detachers.delete(detach);
    };
    this.detachers.add(detach);
    return detach;
  }

  /**
   * Queue one record for saving (what `attach` does on each `interactionEnd`). Returns false
   * when it was not queued: the sink is closed, the same id is already waiting, or the record
   * cannot even be copied (reported as dropped). Never throws.
   */
  accept(record: InteractionRecord): boolean {
    if (this.closed) return false;
    let copy: InteractionRecord;
    let id: unknown;
    try {
      id = (record as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && this.queued.has(id)) return false;
      copy = structuredClone(record);
    } catch (err) {
      this.counters.dropped++;
      this.report({ error: new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `interaction record cannot be copied: ${toSwitchboardError(err).message}`, { cause: err }), record, attempt: 1 });
      return false;
    }
    if (this.outboxFor !== undefined) {
      try {
        const messages = this.outboxFor(copy);
        if (messages.length > 0) this.outboxes.set(copy, messages);
      } catch (err) {
        this.report({ error: new SwitchboardError(ErrorCode.INTERNAL, `interaction log: the outbox messages of ${String(id)} could not be made (saved without them): ${toSwitchboardError(err).message}`, { cause: err }), record: copy, attempt: 1 });
      }
    }
    this.queue.push(copy);
    if (typeof id === 'string') this.queued.add(id);
    this.pump();
    return true;
  }

  /** Records accepted and not yet saved (in memory only: lost if the process dies). */
  get pending(): number {
    return this.queue.length;
  }

  get stats(): Readonly<LogSinkStats> {
    return { ...this.counters };
  }

  /**
   * Resolves once every accepted record is saved (or dropped). While the store is down it waits
   * for the retries, which wait for the clock.
   */
  whenIdle(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === undefined) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stop: detach from every session, cancel the pending retry, wait for a save in progress.
   * Resolves with the records that were not saved (empty when everything was), for the host to
   * keep or log. Does not close the store.
   */
  async close(): Promise<InteractionRecord[]> {
    this.closed = true;
    for (const detach of [...this.detachers]) detach();
    if (this.retryTimer !== undefined) {
      this.clock.clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    await this.inFlight;
    const left = this.queue.splice(0);
    this.queued.clear();
    this.wakeIdle();
    return left;
  }

  /** Save the head of the queue unless a save or a retry is already under way. */
  private pump(): void {
    if (this.closed || this.inFlight !== undefined || this.retryTimer !== undefined) return;
    const head = this.queue[0];
    if (head === undefined) {
      this.wakeIdle();
      return;
    }
    this.inFlight = this.saveOnce(head).then((outcome) => {
      this.inFlight = undefined;
      this.settle(head, outcome);
      this.pump();
    });
  }

  private settle(record: InteractionRecord, outcome: Outcome): void {
    if (outcome.ok) {
      this.counters[outcome.result === 'inserted' ? 'inserted' : 'duplicates']++;
      this.dequeue(record);
      return;
    }
    this.counters.failures++;
    const attempt = ++this.attempt;
    if (outcome.error.code === ErrorCode.INVALID_ARGUMENT) {
      this.counters.dropped++;
      this.dequeue(record);
      this.report({ error: outcome.error, record, attempt });
      return;
    }
    const retryInMs = Math.min(this.maxMs, this.initialMs * this.factor ** (attempt - 1));
    this.report({ error: outcome.error, record, attempt, retryInMs });
    if (this.closed) return;
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, retryInMs);
  }

  private dequeue(record: InteractionRecord): void {
    if (this.queue[0] === record) this.queue.shift();
    this.queued.delete(record.id);
    this.attempt = 0;
  }

  /** One save attempt, bounded by the timeout if there is one; never rejects. */
  private saveOnce(record: InteractionRecord): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      let done = false;
      let timer: TimerHandle | undefined;
      const finish = (outcome: Outcome) => {
        if (done) return;
        done = true;
        if (timer !== undefined) this.clock.clearTimeout(timer);
        resolve(outcome);
      };
      const limit = this.saveTimeoutMs;
      if (limit !== undefined) {
        timer = this.clock.setTimeout(() => {
          finish({ ok: false, error: new SwitchboardError(ErrorCode.TIMEOUT, `interaction log: saving ${record.id} took longer than ${limit} ms`) });
        }, limit);
      }
      let saving: Promise<SaveResult>;
      try {
        const outbox = this.outboxes.get(record);
        saving = outbox === undefined ? this.store.save(record) : this.store.save(record, { outbox });
      } catch (err) {
        saving = Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
      saving.then(
        (result) => finish({ ok: true, result }),
        (err: unknown) => finish({ ok: false, error: toSwitchboardError(err) }),
      );
    });
  }

  private report(failure: LogFailure): void {
    try {
      this.onError(failure);
    } catch {
      // The error callback is the last place to report to; its own failure goes nowhere.
    }
  }

  private wakeIdle(): void {
    if (this.queue.length > 0 && !this.closed) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `interaction log sink: "${name}" must be a positive number (got ${JSON.stringify(value)})`);
  }
  return value;
}
