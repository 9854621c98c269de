/**
 * The outbox fault campaign (issue 6, item 5): at least 10,000 simulated calls through the
 * outbox (SQLite file) into the ServiceNow emulator, with 429s (Retry-After 0.3 s), 500s, 503s,
 * 502 HTML pages, timeouts, resets before and after the write injected, and the delivering
 * process killed with SIGKILL twice (at ~30 % and ~70 % of the messages delivered) and
 * restarted. Afterwards: one phone-call record per call, none missing, every mapped field as the
 * call said, and in the dead letters only the five updates poisoned on purpose, with their error.
 *
 * The campaign itself is outbox-campaign.ts (fixtures and shapes documented there); the longer
 * variant is `npm run bench` (bench/outbox-campaign.ts). CAMPAIGN_CALLS overrides the number of
 * calls for a quick local run. The figures are printed to the console. Duration: about 50 s on
 * a 2-core machine (the emulator shares this process with the simulator; two processes share
 * one SQLite file).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatFigures, runOutboxCampaign } from './outbox-campaign.js';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-campaign-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CALLS = Number(process.env.CAMPAIGN_CALLS ?? 10_000);

describe('outbox fault campaign', () => {
  it(`${CALLS} simulated calls, every fault kind, two kill -9: one record per call, fields right, only the poisoned messages dead`, async () => {
    const figures = await runOutboxCampaign({
      calls: CALLS,
      storeUrl: `sqlite:${join(dir, 'campaign.db')}`,
      kills: [0.3, 0.7],
      poison: 5,
      deadlineMs: 300_000,
    });
    console.log(formatFigures(figures));

    expect(figures.timedOut).toBe(false);
    expect(figures.calls).toBeGreaterThanOrEqual(CALLS);
    expect(figures.kills).toHaveLength(2);
    expect(figures.processes).toBe(3);
    // Every fault kind the issue names actually happened.
    for (const kind of ['rateLimit', 'serverError', 'delay', 'drop', 'html']) expect(figures.faults[kind] ?? 0, kind).toBeGreaterThan(0);
    expect(figures.byStatus.dropped ?? 0).toBeGreaterThan(0);
    expect(figures.byStatus['429'] ?? 0).toBeGreaterThan(0);
    expect(figures.retriedBy.timeout ?? 0).toBeGreaterThan(0);

    expect(figures.duplicates).toBe(0);
    expect(figures.losses).toBe(0);
    expect(figures.wrongFieldExamples).toEqual([]);
    expect(figures.wrongFields).toBe(0);
    expect(figures.payloadMismatches).toBe(0);
    expect(figures.records).toBe(figures.calls);
    expect(figures.pending).toBe(0);
    expect(figures.unexpectedDead).toEqual([]);
    expect(figures.poisonedDead).toBe(5);
    expect(figures.deadLetters).toBe(5);
  }, 360_000);
});
