/**
 * Injected time: SimulatedClock moves only when told to and fires timers in time order (ties in
 * the order they were set); systemClock is the wall clock behind the same port.
 */
import { describe, expect, it } from 'vitest';
import { SimulatedClock, isoTime, systemClock } from '../../src/core/index.js';
import { T0 } from './fixtures.js';

describe('SimulatedClock', () => {
  it('starts where told (0 by default) and does not move by itself', () => {
    expect(new SimulatedClock().now()).toBe(0);
    const clock = new SimulatedClock(T0);
    expect(clock.now()).toBe(T0);
    expect(clock.now()).toBe(T0);
    expect(isoTime(clock)).toBe('2026-01-05T09:00:00.000Z');
  });

  it('fires timers in time order, ties in the order set, each at its own time', () => {
    const clock = new SimulatedClock(T0);
    const fired: [string, number][] = [];
    const at = (name: string) => () => fired.push([name, clock.now() - T0]);
    clock.setTimeout(at('c'), 300);
    clock.setTimeout(at('a1'), 100);
    clock.setTimeout(at('b'), 200);
    clock.setTimeout(at('a2'), 100);
    clock.setTimeout(at('zero'), 0);
    expect(clock.pending).toBe(5);
    expect(clock.nextAt()).toBe(T0);
    clock.advance(250);
    expect(fired).toEqual([
      ['zero', 0],
      ['a1', 100],
      ['a2', 100],
      ['b', 200],
    ]);
    expect(clock.now()).toBe(T0 + 250);
    expect(clock.pending).toBe(1);
    expect(clock.nextAt()).toBe(T0 + 300);
    clock.advance(50);
    expect(fired.at(-1)).toEqual(['c', 300]);
    expect(clock.nextAt()).toBeUndefined();
  });

  it('does not fire a timer before its time', () => {
    const clock = new SimulatedClock(T0);
    let fired = false;
    clock.setTimeout(() => (fired = true), 1000);
    clock.advance(999);
    expect(fired).toBe(false);
    clock.advance(1);
    expect(fired).toBe(true);
  });

  it('treats a negative delay as 0', () => {
    const clock = new SimulatedClock(T0);
    let when = -1;
    clock.setTimeout(() => (when = clock.now()), -500);
    expect(clock.nextAt()).toBe(T0);
    clock.advance(0);
    expect(when).toBe(T0);
  });

  it('clearTimeout cancels a pending timer and ignores a fired or unknown one', () => {
    const clock = new SimulatedClock();
    const fired: string[] = [];
    const a = clock.setTimeout(() => fired.push('a'), 10);
    const b = clock.setTimeout(() => fired.push('b'), 10);
    clock.clearTimeout(a);
    expect(clock.pending).toBe(1);
    clock.advance(10);
    expect(fired).toEqual(['b']);
    clock.clearTimeout(b);
    clock.clearTimeout({ id: 999 });
    expect(clock.pending).toBe(0);
  });

  it('gives every timer its own handle', () => {
    const clock = new SimulatedClock();
    const ids = new Set(Array.from({ length: 50 }, () => clock.setTimeout(() => undefined, 1).id));
    expect(ids.size).toBe(50);
  });

  it('fires timers set by a timer in the same advance when they fall due', () => {
    const clock = new SimulatedClock(0);
    const fired: [string, number][] = [];
    clock.setTimeout(() => {
      fired.push(['outer', clock.now()]);
      clock.setTimeout(() => fired.push(['inner', clock.now()]), 50);
      clock.setTimeout(() => fired.push(['late', clock.now()]), 500);
    }, 100);
    clock.advance(200);
    expect(fired).toEqual([
      ['outer', 100],
      ['inner', 150],
    ]);
    expect(clock.now()).toBe(200);
    expect(clock.pending).toBe(1);
  });

  it('set() moves to an absolute time and never backwards', () => {
    const clock = new SimulatedClock(1000);
    let fired = 0;
    clock.setTimeout(() => fired++, 10);
    clock.set(500);
    expect(clock.now()).toBe(1000);
    expect(fired).toBe(0);
    clock.set(1010);
    expect(clock.now()).toBe(1010);
    expect(fired).toBe(1);
  });

  it('runAll fires everything (also timers added on the way) up to a limit', () => {
    const clock = new SimulatedClock(0);
    let n = 0;
    const tick = () => {
      n++;
      clock.setTimeout(tick, 1000);
    };
    clock.setTimeout(tick, 1000);
    expect(clock.runAll(5)).toBe(5);
    expect(n).toBe(5);
    expect(clock.now()).toBe(5000);
    const other = new SimulatedClock(0);
    other.setTimeout(() => undefined, 10);
    other.setTimeout(() => undefined, 20);
    expect(other.runAll()).toBe(2);
    expect(other.now()).toBe(20);
    expect(other.runAll()).toBe(0);
  });
});

describe('systemClock', () => {
  it('reads the wall clock', () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(isoTime(systemClock))).toBeGreaterThanOrEqual(before);
  });

  it('fires a timer and cancels another', async () => {
    const fired: string[] = [];
    const cancelled = systemClock.setTimeout(() => fired.push('cancelled'), 5);
    systemClock.setTimeout(() => fired.push('kept'), 5);
    expect(cancelled.id).toEqual(expect.any(Number));
    systemClock.clearTimeout(cancelled);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fired).toEqual(['kept']);
    // Clearing a timer that already fired is harmless.
    systemClock.clearTimeout(cancelled);
  });
});
