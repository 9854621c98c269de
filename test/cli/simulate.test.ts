/**
 * `switchboard simulate`: the load test runs end to end at a small scale (20 agents, real
 * server, real sockets) and reports sane figures; bad options are refused naming the option.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runSimulate, SIMULATE_HELP, type SimulateReport } from '../../src/cli/simulate.js';
import { UsageError } from '../../src/cli/errors.js';

function io(): { io: { stdout: PassThrough; stderr: PassThrough }; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
  return { io: { stdout, stderr }, out: () => out, err: () => err };
}

describe('switchboard simulate', () => {
  it('connects every agent, measures events, latency and memory, and prints one JSON object', async () => {
    const t = io();
    const code = await runSimulate(['--agents', '20', '--rate', '10', '--duration', '2', '--talk-time', '1', '--seed', '7', '--json'], t.io);
    const lines = t.out().trim().split('\n');
    expect(lines).toHaveLength(1);
    const r = JSON.parse(lines[0]!) as SimulateReport;
    expect(r.failures).toEqual([]);
    expect(code).toBe(0);
    expect(r.ok).toBe(true);
    expect(r.options).toEqual({ agents: 20, rate: 10, durationSeconds: 2, seed: 7, talkTimeSeconds: 1, flavor: 'UCCE' });
    expect(r.connect).toMatchObject({ welcomed: 20, notWelcomed: 0 });
    expect(r.measuredSeconds).toBeGreaterThanOrEqual(2);

    expect(r.events.serverUpdates).toBeGreaterThan(0);
    expect(r.events.clientUpdates).toBeGreaterThan(0);
    expect(r.events.cilEvents).toBeGreaterThan(0);
    expect(r.events.perSecond.cilEvents).toBeGreaterThan(0);
    expect(r.events.cilByType.workitemCreate).toBeGreaterThan(0);
    // Each agent's replay after welcome: at least its session.
    expect(r.events.replayed).toBeGreaterThanOrEqual(20);

    const l = r.latencyMs;
    expect(l.samples).toBeGreaterThan(0);
    expect(l.p50).toBeGreaterThanOrEqual(0);
    expect(l.p50).toBeLessThanOrEqual(l.p90);
    expect(l.p90).toBeLessThanOrEqual(l.p99);
    expect(l.p99).toBeLessThanOrEqual(l.max);
    expect(l.max).toBeLessThan(10_000);

    for (const when of ['baseline', 'start', 'end', 'peak'] as const) {
      expect(r.memoryMB[when].rss).toBeGreaterThan(0);
      expect(r.memoryMB[when].heapUsed).toBeGreaterThan(0);
    }
    expect(r.memoryMB.peak.rss).toBeGreaterThanOrEqual(r.memoryMB.end.rss);
    expect(r.errors).toEqual({ cil: 0, socketErrors: 0, socketCloses: 0, unmatched: 0, messages: [] });

    // Progress on standard error, plain lines when it is not a terminal.
    expect(t.err()).toMatch(/^simulate: 1\/2 s {2}20\/20 open {2}updates [\d,]+\/s {2}cil [\d,]+\/s/m);
    expect(t.err()).not.toContain('\r');
  });

  it('prints a readable table without --json, UCCX (no queue statistics) included', async () => {
    const t = io();
    const code = await runSimulate(['--agents', '5', '--rate', '20', '--duration', '1', '--talk-time', '1', '--flavor', 'uccx'], t.io);
    expect(code).toBe(0);
    const out = t.out();
    expect(out).toMatch(/^agents +5 \(welcomed 5/m);
    expect(out).toMatch(/^latency ms +p50 [\d.]+ {2}p90 [\d.]+ {2}p99 [\d.]+ {2}max [\d.]+/m);
    expect(out).toMatch(/^memory MB +rss \d+ at start/m);
    expect(out).toMatch(/^result +ok$/m);
    expect(out).toContain('UCCX');
    expect(out).not.toContain('queueDataUpdate');
  });

  it('prints its help', async () => {
    const t = io();
    expect(await runSimulate(['--help'], t.io)).toBe(0);
    expect(t.out()).toBe(SIMULATE_HELP);
    expect(SIMULATE_HELP).toMatch(/^ {2}switchboard simulate --agents N --rate CALLS_PER_SECOND --duration SECONDS/);
  });

  const base = ['--agents', '2', '--rate', '1', '--duration', '1'];
  it.each([
    [['--rate', '1', '--duration', '1'], '--agents'],
    [['--agents', '2', '--duration', '1'], '--rate'],
    [['--agents', '2', '--rate', '1'], '--duration'],
    [[...base, '--agents', '0'], '--agents'],
    [[...base, '--agents', '2.5'], '--agents'],
    [[...base, '--agents', '10001'], '--agents'],
    [[...base, '--rate', '-1'], '--rate'],
    [[...base, '--rate', 'fast'], '--rate'],
    [[...base, '--duration', '0'], '--duration'],
    [[...base, '--talk-time', ''], '--talk-time'],
    [[...base, '--seed', '-3'], '--seed'],
    [[...base, '--flavor', 'avaya'], '--flavor'],
    [[...base, '--agnets', '3'], '--agnets'],
  ])('refuses %j naming %s', async (args, option) => {
    const t = io();
    const run = runSimulate(args, t.io);
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow(option);
    expect(t.out()).toBe('');
  });
});
