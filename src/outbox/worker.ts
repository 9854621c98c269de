/**
 * @module outbox/worker
 * The outbox worker: claims due messages from an {@link OutboxStore}, hands each to the
 * deliverer (the CRM adapter), and settles it — delivered, retried later, or dead-lettered
 * (SPEC "CRM records": nothing lost, nothing twice; docs/outbox.md).
 *
 * Why it is shaped this way:
 * - **Order per call** comes from the store: a claim hands out only the first undelivered
 *   message of a call, so message n+1 cannot start before n is delivered. Different calls run
 *   side by side, at most `concurrency` at a time.
 * - **At-least-once**: a message is marked delivered only after `deliver` resolved. A worker
 *   killed between the two leaves the message leased; when the lease runs out another claim
 *   takes it and delivers it again — the deliverer is idempotent on the call key. While a
 *   delivery runs the worker renews its lease (every third of `leaseMs`), so a slow CRM does
 *   not make a live worker's message look abandoned.
 * - **A crash counts as an attempt** (the claim counts it), so a message that kills the process
 *   every time ends in the dead letters instead of crash-looping the hub.
 * - **Injected time**: every wait, lease and timestamp comes from the Clock, so tests run on a
 *   SimulatedClock and never sleep.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { systemClock, type Clock, type TimerHandle } from '../core/clock.js';
import { ErrorCode, SwitchboardError, toSwitchboardError } from '../core/errors.js';
import type { OutboxMessage, OutboxStore } from '../sinks/log/store.js';
import { DEFAULT_BACKOFF, classifyDeliveryError, retryDelay, type BackoffPolicy } from './retry.js';

/** Carries out one message; resolves when the CRM has it. What it throws is classified by {@link classifyDeliveryError}. */
export type Deliver = (message: OutboxMessage) => Promise<void>;

/** Why a message went to the dead letters. */
export type DeadReason = 'not-retryable' | 'max-attempts' | 'abandoned';

/** Callbacks for counters and histograms (the server wires them to Prometheus). A throwing hook is ignored. */
export interface OutboxMetrics {
  /**
   * Delivered. `latencyMs`: from the message's creation to now; `attemptMs`: this attempt.
   * `recorded` is false when the outbox already had it delivered (a second worker after a lost lease).
   */
  delivered?(message: OutboxMessage, info: { latencyMs: number; attemptMs: number; recorded: boolean }): void;
  /** Failed, to be tried again after `delayMs`. */
  retried?(message: OutboxMessage, info: { error: string; delayMs: number; retryAfterMs?: number }): void;
  /** Moved to the dead letters. */
  dead?(message: OutboxMessage, info: { error: string; reason: DeadReason }): void;
}

export interface OutboxWorkerOptions {
  store: OutboxStore;
  deliver: Deliver;
  /** Default the system clock. */
  clock?: Clock;
  /** Random numbers in [0, 1) for the jitter. Default Math.random; `seededRandom(n)` in tests. */
  random?: () => number;
  /** This worker's name in the leases. Default `<host>:<pid>:<random>`. */
  owner?: string;
  /** Calls delivered at once. Default 4. */
  concurrency?: number;
  /** How long a claim holds a message, ms; renewed while the delivery runs. Default 30000. */
  leaseMs?: number;
  /** A delivery still running after this long counts as failed (TIMEOUT, retryable), ms. Default 30000. */
  deliveryTimeoutMs?: number;
  /** How often to look for due messages when there is nothing to do, ms. Default 1000. */
  pollIntervalMs?: number;
  /** Attempts before a message is dead-lettered (crashed attempts included). Default 10. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  metrics?: OutboxMetrics;
  /** Told about store failures (the message stays leased and comes back when the lease runs out). */
  onError?: (error: SwitchboardError) => void;
}

export const OUTBOX_WORKER_DEFAULTS = {
  concurrency: 4,
  leaseMs: 30_000,
  deliveryTimeoutMs: 30_000,
  pollIntervalMs: 1000,
  maxAttempts: 10,
} as const;

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `outbox worker: "${name}" must be a positive integer (got ${String(value)})`);
  return value;
}

/**
 * Delivers an outbox, in order per call, with retries, backoff and dead letters.
 *
 * @example
 * const store = await openStore('postgres://switchboard:secret@db/switchboard');
 * const worker = new OutboxWorker({ store, deliver: (m) => serviceNow.deliver(m), concurrency: 8 });
 * worker.start();
 * // ... after enqueueing: worker.wake();
 * await worker.stop(); // waits for the deliveries under way
 */
export class OutboxWorker {
  readonly owner: string;
  private readonly store: OutboxStore;
  private readonly deliver: Deliver;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly deliveryTimeoutMs: number;
  private readonly pollIntervalMs: number;
  private readonly maxAttempts: number;
  private readonly backoff: Required<BackoffPolicy>;
  private readonly metrics: OutboxMetrics;
  private readonly onError: (error: SwitchboardError) => void;

  private running = false;
  private pumping = false;
  private again = false;
  private poll: TimerHandle | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  /**
   * No claims before this instant (clock ms): set by a failure that said when to come back
   * (`retryAfterMs`: a 429's Retry-After, a 503's). A CRM's rate limit is the client's, not one
   * message's: claiming more messages inside the window would only spend their attempts on
   * requests the CRM (or the adapter, counting its window) refuses, and dead-letter them.
   */
  private pausedUntil = 0;

  constructor(options: OutboxWorkerOptions) {
    this.store = options.store;
    this.deliver = options.deliver;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.concurrency = positiveInt('concurrency', options.concurrency, OUTBOX_WORKER_DEFAULTS.concurrency);
    this.leaseMs = positiveInt('leaseMs', options.leaseMs, OUTBOX_WORKER_DEFAULTS.leaseMs);
    this.deliveryTimeoutMs = positiveInt('deliveryTimeoutMs', options.deliveryTimeoutMs, OUTBOX_WORKER_DEFAULTS.deliveryTimeoutMs);
    this.pollIntervalMs = positiveInt('pollIntervalMs', options.pollIntervalMs, OUTBOX_WORKER_DEFAULTS.pollIntervalMs);
    this.maxAttempts = positiveInt('maxAttempts', options.maxAttempts, OUTBOX_WORKER_DEFAULTS.maxAttempts);
    this.backoff = {
      baseMs: positiveInt('backoff.baseMs', options.backoff?.baseMs, DEFAULT_BACKOFF.baseMs),
      maxMs: positiveInt('backoff.maxMs', options.backoff?.maxMs, DEFAULT_BACKOFF.maxMs),
    };
    this.metrics = options.metrics ?? {};
    this.onError = options.onError ?? (() => undefined);
  }

  /** Deliveries under way. */
  get busy(): number {
    return this.inFlight.size;
  }

  /** Start delivering: claim at once, then whenever a delivery ends, and every `pollIntervalMs`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.wake();
  }

  /** Look for due messages now (after an enqueue, say) instead of at the next poll. */
  wake(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    void this.pump();
  }

  /** Stop claiming; resolves when the deliveries under way are settled. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.poll !== undefined) this.clock.clearTimeout(this.poll);
    this.poll = undefined;
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /**
   * One round without the loop (tests, the CLI): claim up to `concurrency` due messages,
   * deliver them side by side and settle each. Resolves with how many it handled.
   */
  async runOnce(): Promise<number> {
    const free = this.concurrency - this.inFlight.size;
    if (free <= 0 || this.clock.now() < this.pausedUntil) return 0;
    const claimed = await this.claim(free);
    await Promise.all(claimed.map((m) => this.launch(m)));
    return claimed.length;
  }

  /** Rounds of {@link runOnce} until one finds nothing due. Resolves with how many it handled. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.runOnce();
      if (n === 0) return total;
      total += n;
    }
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      do {
        this.again = false;
        const free = this.concurrency - this.inFlight.size;
        if (free <= 0) break; // a delivery that ends wakes the pump
        if (this.clock.now() < this.pausedUntil) break; // the poll comes back when the pause ends
        let claimed: OutboxMessage[];
        try {
          claimed = await this.claim(free);
        } catch {
          break; // reported; the poll tries again
        }
        for (const m of claimed) void this.launch(m);
        // A full batch: more may be due at once.
        if (claimed.length === free) this.again = true;
      } while (this.again && this.running);
    } finally {
      this.pumping = false;
    }
    this.schedulePoll();
  }

  private schedulePoll(): void {
    if (!this.running) return;
    if (this.poll !== undefined) this.clock.clearTimeout(this.poll);
    const pause = this.pausedUntil - this.clock.now();
    this.poll = this.clock.setTimeout(
      () => {
        this.poll = undefined;
        this.wake();
      },
      pause > 0 ? pause : this.pollIntervalMs,
    );
  }

  private async claim(limit: number): Promise<OutboxMessage[]> {
    try {
      return await this.store.claimOutbox({ owner: this.owner, now: this.clock.now(), leaseMs: this.leaseMs, limit });
    } catch (err) {
      this.report(err, 'claiming messages');
      throw err;
    }
  }

  private launch(message: OutboxMessage): Promise<void> {
    const p: Promise<void> = this.handle(message)
      .catch((err: unknown) => this.report(err, `settling message #${message.id}`))
      .finally(() => {
        this.inFlight.delete(p);
        this.wake();
      });
    this.inFlight.add(p);
    return p;
  }

  private async handle(message: OutboxMessage): Promise<void> {
    if (message.attempts > this.maxAttempts) {
      // Its earlier attempts were cut short (the lease ran out each time): the message may be
      // what kills the process. Keep it, with the reason, instead of trying once more.
      const error = `gave up after ${message.attempts - 1} attempts; the last did not finish before its lease ran out (the process stopped or hung mid-delivery)`;
      if (await this.store.deadLetterOutbox(message.id, this.owner, { error, at: this.clock.now() })) this.hook(() => this.metrics.dead?.(message, { error, reason: 'abandoned' }));
      return;
    }
    const started = this.clock.now();
    const outcome = await this.attempt(message);
    const now = this.clock.now();
    if (outcome.ok) {
      const recorded = await this.store.completeOutbox(message.id, now);
      const created = Date.parse(message.createdAt);
      this.hook(() => this.metrics.delivered?.(message, { latencyMs: Math.max(0, now - created), attemptMs: now - started, recorded }));
      return;
    }
    const failure = classifyDeliveryError(outcome.error);
    if (!failure.retryable || message.attempts >= this.maxAttempts) {
      const reason: DeadReason = failure.retryable ? 'max-attempts' : 'not-retryable';
      const error = reason === 'max-attempts' ? `${failure.message} (attempt ${message.attempts} of ${this.maxAttempts})` : failure.message;
      if (await this.store.deadLetterOutbox(message.id, this.owner, { error, at: now })) this.hook(() => this.metrics.dead?.(message, { error, reason }));
      else this.report(new SwitchboardError(ErrorCode.INVALID_STATE, `message #${message.id}: lease lost before it could be dead-lettered`), 'dead-lettering');
      return;
    }
    if (failure.retryAfterMs !== undefined) this.pausedUntil = Math.max(this.pausedUntil, now + failure.retryAfterMs);
    const delayMs = retryDelay(message.attempts, failure.retryAfterMs, this.random, this.backoff);
    if (await this.store.failOutbox(message.id, this.owner, { error: failure.message, nextAttemptAt: now + delayMs })) {
      const info: { error: string; delayMs: number; retryAfterMs?: number } = { error: failure.message, delayMs };
      if (failure.retryAfterMs !== undefined) info.retryAfterMs = failure.retryAfterMs;
      this.hook(() => this.metrics.retried?.(message, info));
    } else {
      this.report(new SwitchboardError(ErrorCode.INVALID_STATE, `message #${message.id}: lease lost before the failed attempt could be recorded`), 'recording a failure');
    }
  }

  /** Run the deliverer under a timeout, renewing the lease while it runs. */
  private attempt(message: OutboxMessage): Promise<{ ok: true } | { ok: false; error: unknown }> {
    return new Promise((resolve) => {
      let settled = false;
      let renewal: TimerHandle | undefined;
      const finish = (result: { ok: true } | { ok: false; error: unknown }) => {
        if (settled) return;
        settled = true;
        this.clock.clearTimeout(timeout);
        if (renewal !== undefined) this.clock.clearTimeout(renewal);
        resolve(result);
      };
      const timeout = this.clock.setTimeout(() => {
        finish({ ok: false, error: new SwitchboardError(ErrorCode.TIMEOUT, `delivery took longer than ${this.deliveryTimeoutMs} ms`) });
      }, this.deliveryTimeoutMs);
      const renewEvery = Math.max(1, Math.floor(this.leaseMs / 3));
      const renew = () => {
        renewal = this.clock.setTimeout(() => {
          if (settled) return;
          this.store.renewOutboxLease(message.id, this.owner, this.clock.now() + this.leaseMs).then(
            (held) => {
              // Settled meanwhile: the lease was released on purpose, nothing was lost.
              if (settled) return;
              if (!held) this.report(new SwitchboardError(ErrorCode.INVALID_STATE, `message #${message.id}: lease lost while delivering (another worker may deliver it too)`), 'renewing a lease');
              else renew();
            },
            (err: unknown) => {
              this.report(err, `renewing the lease of message #${message.id}`);
              if (!settled) renew();
            },
          );
        }, renewEvery);
      };
      renew();
      // async: a deliverer that throws synchronously fails like one that rejects.
      const delivery = (async () => this.deliver({ ...message }))();
      delivery.then(
        () => finish({ ok: true }),
        (error: unknown) => finish({ ok: false, error }),
      );
    });
  }

  private hook(fn: () => void): void {
    try {
      fn();
    } catch {
      // a metrics hook must not stop deliveries
    }
  }

  private report(err: unknown, what: string): void {
    const e = toSwitchboardError(err);
    this.hook(() => this.onError(new SwitchboardError(e.code, `outbox worker: ${what}: ${e.message}`, { cause: err })));
  }
}
