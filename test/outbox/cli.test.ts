/**
 * `switchboard outbox` (src/cli/outbox.ts) on a SQLite file: list (pending, delivered, dead,
 * one call, JSON, paging), retry by id and --all, purge with and without --dead and --before,
 * status, help, and the usage errors that name the option.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runOutbox } from '../../src/cli/outbox.js';
import { SimulatedClock } from '../../src/core/index.js';
import { SqliteStore } from '../../src/sinks/log/index.js';
import { OUTBOX_T0 } from '../../src/testing/index.js';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-outbox-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
let path = '';
let clock: SimulatedClock;

/** An outbox with: a delivered (a/1), a dead letter (b/1) holding back b/2, a retried-later c/1, a due d/1. */
beforeEach(async () => {
  path = join(dir, `cli-${++n}.db`);
  clock = new SimulatedClock(OUTBOX_T0);
  const store = SqliteStore.open(path, { clock });
  await store.enqueue([
    { callKey: 'a', kind: 'phonecall.create', payload: { n: 1 } },
    { callKey: 'b', kind: 'phonecall.create', payload: { n: 2 } },
    { callKey: 'b', kind: 'phonecall.update', payload: { n: 3 } },
    { callKey: 'c', kind: 'phonecall.create', payload: { n: 4 } },
    { callKey: 'd', kind: 'phonecall.create', payload: { n: 5 } },
  ]);
  const claimed = await store.claimOutbox({ owner: 'w', now: OUTBOX_T0, leaseMs: 1000, limit: 3 });
  const by = (k: string) => claimed.find((m) => m.callKey === k)?.id ?? '';
  await store.completeOutbox(by('a'), OUTBOX_T0 + 10);
  await store.deadLetterOutbox(by('b'), 'w', { error: 'PLATFORM_ERROR: 400 Bad Request\n{"error":{"message":"Invalid field"}}', at: OUTBOX_T0 + 20 });
  await store.failOutbox(by('c'), 'w', { error: '503', nextAttemptAt: OUTBOX_T0 + 60_000 });
  await store.close();
});

async function run(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runOutbox(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, { clock });
  return { code, out, err };
}

describe('switchboard outbox', () => {
  it('list: what is still to deliver, with its state', async () => {
    const { code, out } = await run('list', '--store', `sqlite:${path}`);
    expect(code).toBe(0);
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/^#3 {2}call b {2}seq 2 {2}phonecall.update {2}attempts 0 {2}blocked by dead letter #2 {2}created 2026-03-02T08:00:00.000Z$/);
    expect(out[1]).toMatch(/^#4 {2}call c {2}seq 1 .* attempts 1 {2}next attempt 2026-03-02T08:01:00.000Z .* last error: 503$/);
    expect(out[2]).toMatch(/^#5 {2}call d {2}seq 1 .* attempts 0 {2}due /);
    expect((await run('list', '--store', `sqlite:${path}`, '--all')).out[0]).toMatch(/^#1 .* delivered 2026-03-02T08:00:00.010Z/);
    expect((await run('list', '--store', `sqlite:${path}`, '--call', 'd')).out).toHaveLength(1);
    const json = (await run('list', '--store', `sqlite:${path}`, '--json', '--limit', '1')).out;
    expect(json).toHaveLength(1);
    expect(JSON.parse(json[0]!)).toMatchObject({ id: '3', callKey: 'b', seq: 2, blockedBy: '2', payload: { n: 3 } });
    const paged = await run('list', '--store', `sqlite:${path}`, '--limit', '2');
    expect(paged.out.at(-1)).toBe('(more may follow: --after 4)');
    expect((await run('list', '--store', `sqlite:${path}`, '--after', '4')).out).toHaveLength(1);
  });

  it('list --dead: the dead letters with their last error on one line', async () => {
    const { out } = await run('list', '--dead', '--store', `sqlite:${path}`);
    expect(out).toEqual(['#2  call b  seq 1  phonecall.create  attempts 1  dead 2026-03-02T08:00:00.020Z  created 2026-03-02T08:00:00.000Z  last error: PLATFORM_ERROR: 400 Bad Request {"error":{"message":"Invalid field"}}']);
    expect((await run('list', '--dead', '--call', 'a', '--store', `sqlite:${path}`)).out).toEqual(['no dead letters']);
  });

  it('retry: by id (with or without #) or --all; unknown ids reported with status 1', async () => {
    expect(await run('retry', '#2', '--store', `sqlite:${path}`)).toEqual({ code: 0, out: ['retried 1 dead letter: #2'], err: [] });
    expect((await run('list', '--store', `sqlite:${path}`, '--call', 'b')).out[0]).toMatch(/^#2 {2}call b {2}seq 1 .* attempts 0 {2}due .* last error: PLATFORM_ERROR/);
    expect(await run('retry', '2', '77', '--store', `sqlite:${path}`)).toEqual({
      code: 1,
      out: ['no dead letter retried'],
      err: ['#2 is not a dead letter (already retried, purged, or never dead)', '#77 is not a dead letter (already retried, purged, or never dead)'],
    });
    expect((await run('retry', '--all', '--store', `sqlite:${path}`)).out).toEqual(['no dead letter retried']);
  });

  it('purge: delivered messages, or dead letters, before a time; never what is still to deliver', async () => {
    expect((await run('purge', '--before', '2026-03-02T08:00:00.010Z', '--store', `sqlite:${path}`)).out).toEqual(['purged 0 delivered messages before 2026-03-02T08:00:00.010Z']);
    expect((await run('purge', '--store', `sqlite:${path}`)).out).toEqual(['purged 1 delivered message']);
    expect((await run('purge', '--dead', '--store', `sqlite:${path}`)).out).toEqual(['purged 1 dead letter']);
    expect((await run('status', '--store', `sqlite:${path}`)).out).toEqual(['pending 3 (leased 0), delivered 0, dead 0']);
  });

  it('takes the store from --config, and prints help', async () => {
    const config = join(dir, `config-${n}.json`);
    writeFileSync(config, JSON.stringify({ store: `sqlite:${path}` }));
    expect((await run('status', '--config', config)).out).toEqual(['pending 3 (leased 0), delivered 1, dead 1']);
    for (const args of [[], ['--help'], ['list', '--help']]) {
      const { code, out } = await run(...args);
      expect(code).toBe(0);
      expect(out.join('\n')).toContain('switchboard outbox retry (ID... | --all [--call KEY])');
    }
  });

  it('usage errors name the option', async () => {
    const store = ['--store', `sqlite:${path}`];
    await expect(run('nope')).rejects.toThrow(/unknown outbox command "nope"/);
    await expect(run('list', '--bogus', ...store)).rejects.toThrow(/outbox: Unknown option '--bogus'/);
    await expect(run('list', '--limit', '0', ...store)).rejects.toThrow(/--limit must be an integer from 1 to 1000 \(got "0"\)/);
    await expect(run('list', '--dead', '--all', ...store)).rejects.toThrow(/--all and --dead/);
    await expect(run('retry', ...store)).rejects.toThrow(/needs the ids/);
    await expect(run('retry', '2', '--all', ...store)).rejects.toThrow(/ids or --all, not both/);
    await expect(run('retry', 'x1', ...store)).rejects.toThrow(/"x1" is not an outbox id/);
    await expect(run('purge', '--before', 'yesterday', ...store)).rejects.toThrow(/--before must be an ISO 8601 time/);
    await expect(run('list', '--store', 'mysql://u:secret@h/db')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.not.stringContaining('secret') as string });
  });
});
