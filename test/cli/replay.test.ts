/**
 * `switchboard replay --source sim`: cil events out as JSON Lines in order, time from the trace,
 * malformed lines reported with their line number and skipped, exit status 1 if any was.
 * The traces here are hand-written in the format of docs/sim-trace.md.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

async function replay(lines: string[], config?: string, source = 'sim'): Promise<{ code: number; out: Out[]; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-replay-'));
  const file = join(dir, 'trace.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let so = '';
  let se = '';
  stdout.on('data', (c: Buffer) => (so += c.toString()));
  stderr.on('data', (c: Buffer) => (se += c.toString()));
  const code = await runReplay({ source, file, config, stdin: new PassThrough(), stdout, stderr });
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
      'c4c', // CALL_ALLOCATED / NOTIFY
      'workitemConnect',
      'c4c', // CALL_CONNECTED / ACCEPT
      'agentStateChange',
      'workitemPause',
      'workitemResume',
      'workitemWrapup',
      'c4c', // CALL_DISCONNECTED / END: the call is over when wrap-up starts
      'agentStateChange',
      'callVariableChanged',
      'wrapupDataChanged',
      'workitemEnd',
      'log', // the interaction record, once
      'agentStateChange',
    ]);
    expect(out.every((o) => o.agent === '1001')).toBe(true);
    const c4c = out.filter((o) => o.sink === 'c4c').map((o) => (o as unknown as { payload: Record<string, string> }).payload);
    expect(c4c.map((p) => [p.Event, p.EventType, p.Action, p.ANI, p.CID])).toEqual([
      ['CALL_ALLOCATED', 'Inbound', 'NOTIFY', '+41445550100', 'CISCO9876'],
      ['CALL_CONNECTED', 'Inbound', 'ACCEPT', '+41445550100', 'CISCO9876'],
      ['CALL_DISCONNECTED', 'Inbound', 'END', '+41445550100', 'CISCO9876'],
    ]);
    const log = out.filter((o) => o.sink === 'log').map((o) => (o as unknown as { record: Record<string, unknown> }).record);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ source: 'sim', agentId: '1001', ani: '+41445550100', finalState: 'Ended', holdSeconds: 10, disposition: 'Sales', establishedTime: '2026-03-02T08:00:08.000Z' });
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

  it('applies the c4c part of --config (mapping, CID, format) to the c4c lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-config-'));
    const config = join(dir, 'switchboard.json');
    writeFileSync(config, JSON.stringify({ c4c: { origin: 'https://my.crm.ondemand.com', cid: 'SWB0001', mapping: { callVariable1: 'Custom_1' } } }));
    const { code, out } = await replay(CALL.map((l) => JSON.stringify(l)), config);
    expect(code).toBe(0);
    const accept = out.find((o) => o.sink === 'c4c' && (o as unknown as { payload: { Event: string } }).payload.Event === 'CALL_CONNECTED') as unknown as { payload: Record<string, string> };
    expect(accept.payload).toMatchObject({ CID: 'SWB0001', Custom_1: 'INV-7' });
  });

  it('takes click-to-dial lines from C4C: the call carries the ActivityUUID and creates no second activity', async () => {
    const lines = [
      SETUP,
      { at: '2026-03-02T08:00:01.000Z', kind: 'login', agent: '1001', state: 'NotReady' },
      {
        at: '2026-03-02T08:00:05.000Z',
        crm: 'c4c',
        payload: { PhoneNumber: '+1 6503054000', ActivityUUID: '00163EA718FC1EEABDD5608C895BDC71', BusinessPartnerID: '1545766', Direction: 'OUT' },
      },
      { at: '2026-03-02T08:00:09.000Z', kind: 'farEndAnswer', call: 'c2d' },
      { at: '2026-03-02T08:00:09.000Z', kind: 'end', agent: '1001' },
    ].map((l) => JSON.stringify(l));
    // The far end has no trace name; answer it by the simulator's id, which the dial reveals.
    const first = await replay(lines.slice(0, 3));
    const created = first.out.find((o) => o.event === 'workitemCreate')!;
    const id = String(created.data!.id);
    lines[3] = JSON.stringify({ at: '2026-03-02T08:00:09.000Z', kind: 'farEndAnswer', call: id });
    const { code, out, stderr } = await replay(lines);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(created.data).toMatchObject({ direction: 'Outgoing', ani: '+16503054000', requestId: 'c2d-1001-1' });
    const c4c = out.filter((o) => o.sink === 'c4c').map((o) => (o as unknown as { payload: Record<string, string> }).payload);
    expect(c4c.map((p) => [p.Event, p.EventType, p.ActivityUUID])).toEqual([
      ['CALL_ALLOCATED', 'Outbound', '00163EA718FC1EEABDD5608C895BDC71'],
      ['CALL_CONNECTED', 'Outbound', '00163EA718FC1EEABDD5608C895BDC71'],
      ['CALL_DISCONNECTED', 'Outbound', '00163EA718FC1EEABDD5608C895BDC71'],
    ]);
  });

  it('reports a malformed crm line with its number', async () => {
    const lines = CALL.map((l) => JSON.stringify(l));
    lines.splice(2, 0, JSON.stringify({ at: '2026-03-02T08:00:02.000Z', crm: 'salesforce', payload: {} }));
    const { code, stderr } = await replay(lines);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^line 3: "crm" must be "c4c" \(got "salesforce"\)/);
  });

  it.each([
    ['avaya', ['u-1001', 'u-1002', 'u-1003'], [/already logged/, /evil\.example\.com/, /action "requestClickT/, /requestSaveInteraction/, /did not come from the expected window/]],
    ['brightpattern', ['bp-2001', 'bp-2002', 'bp-2003', 'bp-2004'], [/already logged/, /"activity\.callMuted" must be true or false/]],
  ])('replays a %s trace (test/fixtures): one log record per interaction, every refusal reported', async (source, ids, refusals) => {
    const text = readFileSync(`test/fixtures/${source}/example.jsonl`, 'utf8').trim().split('\n');
    const { code, out, stderr } = await replay(text, undefined, source);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const records = out.filter((o) => o.sink === 'log').map((o) => (o as unknown as { record: { id: string; source: string } }).record);
    expect(records.map((r) => r.id)).toEqual(ids);
    expect(records.every((r) => r.source === source)).toBe(true);
    const errors = out.filter((o) => o.event === 'error').map((o) => String(o.data!.message));
    expect(errors).toHaveLength(refusals.length);
    refusals.forEach((re, i) => expect(errors[i]).toMatch(re));
    expect(out.some((o) => o.sink === 'c4c')).toBe(false);
  });

  it('replays the shared Finesse trace (test/fixtures/finesse, a plain inbound UCCE call): cil, c4c and log lines, no error', async () => {
    const text = readFileSync('test/fixtures/finesse/finesse-inbound-sample.jsonl', 'utf8').trim().split('\n');
    const { code, out, stderr } = await replay(text, undefined, 'finesse');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(out.filter((o) => o.event === 'error')).toEqual([]);
    expect(events(out).filter((e) => e !== 'agentStateChange')).toEqual(['workitemCreate', 'c4c', 'workitemConnect', 'c4c', 'workitemWrapup', 'c4c', 'workitemEnd', 'log']);
    const c4c = out.filter((o) => o.sink === 'c4c').map((o) => (o as unknown as { payload: Record<string, string> }).payload);
    expect(c4c.map((p) => [p.Event, p.ANI])).toEqual([
      ['CALL_ALLOCATED', '+4961215550123'],
      ['CALL_CONNECTED', '+4961215550123'],
      ['CALL_DISCONNECTED', '+4961215550123'],
    ]);
    // UCCE: the reference carries the router call key (callKeyPrefix + callKeyCallId), stable across days.
    expect(c4c.every((p) => p.ExternalReferenceID === c4c[0]!.ExternalReferenceID && /152301/.test(p.ExternalReferenceID!))).toBe(true);
    const log = out.filter((o) => o.sink === 'log').map((o) => (o as unknown as { record: Record<string, unknown> }).record);
    expect(log).toMatchObject([{ id: '33554433', source: 'finesse', agentId: '2001', ani: '+4961215550123', queueName: 'Billing' }]);
  });

  it('refuses a click-to-dial line for a log-only source', async () => {
    const { code, stderr } = await replay([JSON.stringify({ at: '2026-03-02T08:00:00.000Z', crm: 'c4c', payload: { PhoneNumber: '+41445550100', Direction: 'OUT' } })], undefined, 'avaya');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^line 1: click-to-dial lines need a source that can dial \(--source sim\); avaya is log-only/);
  });

  it('refuses an unknown source with a clear usage error', async () => {
    await expect(runReplay({ source: 'avaya2', file: undefined, stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() })).rejects.toThrow(
      'replay --source avaya2 is not available (available: sim, finesse, avaya, brightpattern)',
    );
  });
});
