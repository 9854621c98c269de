/**
 * @module sources/sim/delivery
 * How updates reach the agents' emitters, in order. Finesse answers a request with 202 and
 * notifies later; the simulator does the same: updates caused by a request are delivered
 * `latencyMs` later through the injected clock (never synchronously, even at 0 ms, so that they
 * arrive after the request's promise resolved). Spontaneous updates (a call arriving) go out at
 * once, unless earlier ones are still waiting: one FIFO for all receivers keeps every agent's
 * stream in the order the world produced it, with a single timer however busy the center is.
 */
import type { Clock, TimerHandle } from '../../core/clock.js';
import type { PlatformUpdate } from '../../core/updates.js';

/** Something updates are delivered to; `generation` changes on every (re)connect. */
export interface Receiver {
  readonly generation: number;
  receive(update: PlatformUpdate, generation: number): void;
}

interface Item {
  due: number;
  receiver: Receiver;
  generation: number;
  update: PlatformUpdate;
}

export class Delivery {
  private items: Item[] = [];
  private head = 0;
  private lastDue = Number.NEGATIVE_INFINITY;
  private timer: TimerHandle | undefined;

  constructor(private readonly clock: Clock) {}

  /** Updates queued and not yet delivered. */
  get backlog(): number {
    return this.items.length - this.head;
  }

  /**
   * Deliver `update` to `receiver`: after `delayMs` (asynchronously, even when 0), or at once
   * when `delayMs` is undefined and nothing is waiting ahead of it.
   */
  send(receiver: Receiver, update: PlatformUpdate, delayMs: number | undefined): void {
    if (delayMs === undefined && this.head === this.items.length) {
      receiver.receive(update, receiver.generation);
      return;
    }
    const now = this.clock.now();
    const due = Math.max(now + (delayMs ?? 0), this.lastDue);
    this.lastDue = due;
    this.items.push({ due, receiver, generation: receiver.generation, update });
    if (this.timer === undefined) this.schedule(due - now);
  }

  private schedule(ms: number): void {
    this.timer = this.clock.setTimeout(() => this.flush(), Math.max(0, ms));
  }

  private flush(): void {
    this.timer = undefined;
    const now = this.clock.now();
    while (this.head < this.items.length) {
      const item = this.items[this.head];
      if (item === undefined || item.due > now) break;
      this.head++;
      // A receiver that reconnected since gets a fresh snapshot instead of stale updates.
      item.receiver.receive(item.update, item.generation);
    }
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else {
      if (this.head > 4096) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      const next = this.items[this.head];
      if (next !== undefined) this.schedule(next.due - now);
    }
  }
}
