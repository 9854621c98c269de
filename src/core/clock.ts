/**
 * @module core/clock
 * Injected time (after xstate's SimulatedClock). Nothing in core or in an adapter calls
 * `Date.now()` or `setTimeout` directly: it asks its Clock. Tests and the simulator run on a
 * {@link SimulatedClock}; replays set it from the trace; the server uses {@link systemClock}.
 */

export type TimerHandle = { readonly id: number };

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export function isoTime(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}

/** The wall clock. The only place in the project that reads real time. */
export const systemClock: Clock = (() => {
  let next = 1;
  const live = new Map<number, ReturnType<typeof globalThis.setTimeout>>();
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const id = next++;
      const t = globalThis.setTimeout(() => {
        live.delete(id);
        fn();
      }, ms);
      live.set(id, t);
      return { id };
    },
    clearTimeout(handle) {
      const t = live.get(handle.id);
      if (t !== undefined) globalThis.clearTimeout(t);
      live.delete(handle.id);
    },
  };
})();

interface Pending {
  id: number;
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock that moves only when told to. Timers fire in time order (ties in the order they were
 * set) while {@link SimulatedClock.advance} or {@link SimulatedClock.set} walks through them.
 *
 * @example
 * const clock = new SimulatedClock(Date.parse('2026-01-05T09:00:00Z'));
 * clock.setTimeout(() => console.log('one second later'), 1000);
 * clock.advance(1000);
 */
export class SimulatedClock implements Clock {
  private current: number;
  private seq = 0;
  private nextId = 1;
  private timers: Pending[] = [];

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const pending: Pending = { id, at: this.current + Math.max(0, ms), seq: this.seq++, fn };
    // Keep the list sorted; insertion from the back is cheap for the usual short delays.
    let i = this.timers.length;
    while (i > 0) {
      const prev = this.timers[i - 1];
      if (prev === undefined || prev.at < pending.at || (prev.at === pending.at && prev.seq < pending.seq)) break;
      i--;
    }
    this.timers.splice(i, 0, pending);
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    const i = this.timers.findIndex((t) => t.id === handle.id);
    if (i >= 0) this.timers.splice(i, 1);
  }

  /** Number of timers not yet fired. */
  get pending(): number {
    return this.timers.length;
  }

  /** Time of the next timer, or undefined. */
  nextAt(): number | undefined {
    return this.timers[0]?.at;
  }

  /** Move time forward by `ms`, firing every timer due on the way, in order. */
  advance(ms: number): void {
    this.set(this.current + ms);
  }

  /** Move time to `to` (never backwards), firing every timer due on the way, in order. */
  set(to: number): void {
    for (;;) {
      const first = this.timers[0];
      if (first === undefined || first.at > to) break;
      this.timers.shift();
      if (first.at > this.current) this.current = first.at;
      first.fn();
    }
    if (to > this.current) this.current = to;
  }

  /** Fire timers until none is left or `limit` timers fired; returns how many fired. */
  runAll(limit = 1_000_000): number {
    let fired = 0;
    while (fired < limit) {
      const first = this.timers.shift();
      if (first === undefined) break;
      if (first.at > this.current) this.current = first.at;
      first.fn();
      fired++;
    }
    return fired;
  }
}

/**
 * A real-time clock running `speed` times faster than the wall clock, from the wall clock's
 * present: for live demos of the simulator (an afternoon of traffic in minutes).
 */
export function createScaledClock(speed: number, base: Clock = systemClock): Clock {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a finite number > 0 (got ${speed})`);
  const realStart = base.now();
  return {
    now: () => realStart + (base.now() - realStart) * speed,
    setTimeout: (fn, ms) => base.setTimeout(fn, ms / speed),
    clearTimeout: (handle) => base.clearTimeout(handle),
  };
}
