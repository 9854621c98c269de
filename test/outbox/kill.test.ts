/**
 * kill -9 of a delivering process loses nothing (SQLite file): a child process delivers slowly,
 * is killed with SIGKILL mid-delivery, a second process takes over once the dead one's leases
 * run out. Every message is delivered at least once, recorded delivered exactly once, in order
 * per call; only the messages that were in flight at the kill are delivered twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/sinks/log/index.js';
import { orderViolations, readLog, startChild } from './children.js';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-outbox-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('outbox across a kill -9', () => {
  it('a process killed mid-delivery loses nothing; the next one delivers the rest, each message recorded once', async () => {
    const url = `sqlite:${join(dir, 'kill.db')}`;
    const log = join(dir, 'kill.log');
    const store = await openStore(url);
    const calls = 20;
    const perCall = 3;
    for (let k = 0; k < perCall; k++) {
      await store.enqueue(Array.from({ length: calls }, (_, c) => ({ callKey: `call-${c}`, kind: `step-${k + 1}`, payload: { c, k } })));
    }
    const total = calls * perCall;

    const first = startChild({ url, tag: 'first', log, delayMs: 150, leaseMs: 1000, waitForGo: false });
    await first.ready;
    // Let it deliver some, then kill it while deliveries are under way.
    for (let i = 0; i < 200 && readLog(log).filter((l) => l.event === 'recorded').length < 6; i++) await sleep(20);
    await sleep(60);
    first.process.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const beforeKill = readLog(log);
    const inFlight = new Set(beforeKill.filter((l) => l.event === 'deliver').map((l) => l.id));
    for (const l of beforeKill) if (l.event === 'recorded') inFlight.delete(l.id);
    expect(beforeKill.filter((l) => l.event === 'recorded').length).toBeGreaterThanOrEqual(6);
    expect(beforeKill.filter((l) => l.event === 'recorded').length).toBeLessThan(total);
    // It really was killed mid-delivery: deliveries started and not finished.
    expect(inFlight.size).toBeGreaterThan(0);

    const second = startChild({ url, tag: 'second', log, delayMs: 0, leaseMs: 1000, waitForGo: false });
    expect(await second.exited, second.stderr()).toBe(0);

    const lines = readLog(log);
    const deliveredIds = new Set(lines.filter((l) => l.event === 'deliver').map((l) => l.id));
    expect(deliveredIds.size).toBe(total);
    // Recorded delivered exactly once per message (by whichever process finished it).
    const recorded = lines.filter((l) => l.event === 'recorded').map((l) => l.id);
    expect(new Set(recorded).size).toBe(recorded.length);
    expect(lines.filter((l) => l.event === 'error' || l.event === 'dead')).toEqual([]);
    expect(orderViolations(lines)).toEqual([]);
    // Delivered twice: only what the killed process had in flight (at most its concurrency).
    const deliveries = new Map<string, number>();
    for (const l of lines) if (l.event === 'deliver' && l.id !== undefined) deliveries.set(l.id, (deliveries.get(l.id) ?? 0) + 1);
    const twice = [...deliveries].filter(([, count]) => count > 1).map(([id]) => id);
    expect(twice.length).toBeGreaterThan(0);
    expect(twice.length).toBeLessThanOrEqual(4);
    for (const id of twice) expect(inFlight.has(id), `#${id} delivered twice but was not in flight at the kill`).toBe(true);

    expect(await store.outboxCounts()).toEqual({ pending: 0, leased: 0, delivered: total, dead: 0 });
    const rows = await store.listOutbox({ includeDelivered: true, limit: 1000 });
    expect(rows.every((r) => r.deliveredAt !== undefined)).toBe(true);
    // The re-delivered messages carry the dead process's expired lease as their last error.
    for (const id of twice) expect(rows.find((r) => r.id === id)?.lastError).toMatch(/lease of first:\d+ expired/);
    await store.close();
  }, 30_000);
});
