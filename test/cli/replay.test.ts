/**
 * `switchboard replay --source sim`: cil events out as JSON Lines in order, time from the trace,
 * malformed lines reported with their line number and skipped, exit status 1 if any was.
 * The traces here are hand-written in the format of docs/sim-trace.md.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runReplay } from '../../src/cli/replay.js';

const SETUP = {
  at: '2026-03-02T08:00:00.000Z',
  kind: 'setup',
  seed: 3,
  flavor: 'UCCE',
  wrapup: 'optional',
  agents: [{ id: '1001', extension: '1001001', skills: ['sales'] }],
  queues: [{ id: 'sales', name: 'Sales' }],
};
const CALL = [
  SETUP,
  { at: '2026-03-02T08:00:01.000Z', kind: 'login', agent: '1001', state: 'Ready', requestId: 'login-1' },
  { at: '2026-03-02T08:00:05.000Z', kind: 'arrive', call: 'c1', from: '+41445550100', queue: 'sales', callVariables: { callVariable1: 'INV-7' } },
  { at: '2026-03-02T08:00:08.000Z', kind: 'answer', agent: '1001', call: 'c1', requestId: 'answer-1' },
  { at: '2026-03-02T08:00:30.000Z', kind: 'hold', agent: '1001', call: 'c1' },
  { at: '2026-03-02T08:00:40.000Z', kind: 'retrieve', agent: '1001', call: 'c1' },
  { at: '2026-03-02T08:01:00.000Z', kind: 'hangup', call: 'c1' },
  { at: '2026-03-02T08:01:05.000Z', kind: 'wrapup', agent: '1001', call: 'c1', reason: 'Sales' },
  { at: '2026-03-02T08:01:10.000Z', kind: 'state', agent: '1001', state: 'Ready', requestId: 'ready-1' },
];

interface Out {
  sink: string;
  event?: string;
  agent?: string;
  message?: string;
  data?: Record<string, unknown>;
}

async function replay(lines: string[]): Promise<{ code: number; out: Out[]; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-replay-'));
  const file = join(dir, 'trace.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let so = '';
  let se = '';
  stdout.on('data', (c: Buffer) => (so += c.toString()));
  stderr.on('data', (c: Buffer) => (se += c.toString()));
  const code = await runReplay({ source: 'sim', file, stdin: new PassThrough(), stdout, stderr });
  const out = so
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Out);
  return { code, out, stdout: so, stderr: se };
}

const events = (out: Out[]) => out.filter((o) => o.event !== 'queueDataUpdate').map((o) => (o.sink === 'cil' ? o.event : `${o.sink}`));

describe('switchboard replay --source sim', () => {
  it('writes the cil events of a call in order, timed by the trace', async () => {
    const { code, out, stderr } = await replay(CALL.map((l) => JSON.stringify(l)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(events(out)).toEqual([
      'agentStateChange',
      'workitemCreate',
      'workitemConnect',
      'agentStateChange',
      'workitemPause',
      'workitemResume',
      'workitemWrapup',
      'agentStateChange',
      'callVariableChanged',
      'wrapupDataChanged',
      'workitemEnd',
      'agentStateChange',
    ]);
    expect(out.every((o) => o.sink === 'cil' && o.agent === '1001')).toBe(true);
    const create = out.find((o) => o.event === 'workitemCreate')!;
    expect(create.data).toMatchObject({ state: 'Offered', ani: '+41445550100', ctiData: { callVariable1: 'INV-7' } });
    const connect = out.find((o) => o.event === 'workitemConnect')!;
    expect(connect.data).toMatchObject({ requestId: 'answer-1', connectedAt: '2026-03-02T08:00:08.000Z' });
    const end = out.find((o) => o.event === 'workitemEnd')!;
    expect(end.data).toMatchObject({ requestId: 'ready-1', state: 'Ended', ctiData: { wrapUpReason: 'Sales' } });
    expect(out.find((o) => o.event === 'queueDataUpdate')?.data).toMatchObject({ dataState: 'ENABLED' });
  });

  it('gives the same output for the same trace', async () => {
    const lines = CALL.map((l) => JSON.stringify(l));
    const [a, b] = [await replay(lines), await replay(lines)];
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.length).toBeGreaterThan(1000);
  });

  it('reports malformed lines with their number, skips them, goes on and exits 1', async () => {
    const lines = CALL.map((l) => JSON.stringify(l));
    lines.splice(3, 0, '{"at": "2026-03-02T08:00:06.000Z", "kind": "answer"'); // line 4: broken JSON
    lines.splice(5, 0, JSON.stringify({ at: 'yesterday', kind: 'hold', agent: '1001' })); // line 6: bad time
    lines.splice(6, 0, JSON.stringify({ at: '2026-03-02T08:00:35.000Z', kind: 'teleport', agent: '1001' })); // line 7: unknown kind
    lines.splice(7, 0, JSON.stringify({ at: '2026-03-02T07:00:00.000Z', kind: 'hold', agent: '1001' })); // line 8: earlier than line 5
    const { code, out, stderr } = await replay(lines);
    expect(code).toBe(1);
    const reported = stderr.trim().split('\n');
    expect(reported[0]).toMatch(/^line 4: not valid JSON/);
    expect(reported[1]).toMatch(/^line 6: "at" must be an ISO 8601 time/);
    expect(reported[2]).toMatch(/^line 7: unknown kind "teleport"/);
    expect(reported[3]).toMatch(/^line 8: time 2026-03-02T07:00:00.000Z is earlier than line 5/);
    expect(reported[4]).toBe('replay: 4 malformed lines skipped');
    // The call itself still went through from alerting to the end.
    expect(events(out)).toContain('workitemEnd');
  });

  it('writes a request the platform refuses as an error line and goes on', async () => {
    const lines = CALL.map((l) => JSON.stringify(l));
    // Hold before anything was answered: the simulator refuses.
    lines.splice(3, 0, JSON.stringify({ at: '2026-03-02T08:00:06.000Z', kind: 'hold', agent: '1001', call: 'c1' }));
    const { code, out } = await replay(lines);
    expect(code).toBe(0);
    const refused = out.find((o) => o.sink === 'error');
    expect(refused?.message).toMatch(/^line 4: /);
    expect(events(out)).toContain('workitemEnd');
  });

  it('runs as the switchboard executable, reading standard input', async () => {
    const run = promisify(execFile);
    const child = run(process.execPath, ['dist/cli/bin.js', 'replay', '--source', 'sim'], { cwd: process.cwd() });
    child.child.stdin?.end(`${CALL.map((l) => JSON.stringify(l)).join('\n')}\nnot json\n`);
    const err: unknown = await child.then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 1, stderr: expect.stringMatching(/^line 10: not valid JSON/) });
    const stdout = (err as { stdout: string }).stdout;
    expect(stdout.trim().split('\n').length).toBeGreaterThan(10);
  });

  it('refuses an unknown source with a clear usage error', async () => {
    await expect(runReplay({ source: 'avaya2', file: undefined, stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() })).rejects.toThrow(
      'replay --source avaya2 is not available yet (available: sim)',
    );
  });
});
