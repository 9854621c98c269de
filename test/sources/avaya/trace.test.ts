/**
 * The Avaya trace format (docs/avaya.md): parsing never throws and names the line; the example
 * fixture equals the docs' example and replays through the real source (origin and window checks,
 * body validation) into the effects the docs describe, the same every time.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SimulatedClock, type InteractionRecord } from '../../../src/core/index.js';
import { createAgent } from '../../../src/sinks/cil/index.js';
import { DEFAULT_AVAYA_SETUP, createAvayaReplay, parseAvayaTraceLine, type AvayaReplay, type AvayaTraceCommand } from '../../../src/sources/avaya/index.js';

const FIXTURE = new URL('../../fixtures/avaya/example.jsonl', import.meta.url);
const DOC = new URL('../../../docs/avaya.md', import.meta.url);

type Effect = { sink: 'log'; record: InteractionRecord } | { sink: 'error'; code: string; message: string };

/** What `switchboard replay --source avaya` does: parse, replay through a real agent, collect effects in order. */
async function replay(text: string): Promise<{ effects: Effect[]; stderr: string[]; run: AvayaReplay | undefined }> {
  const effects: Effect[] = [];
  const stderr: string[] = [];
  const clock = new SimulatedClock(0);
  let run: AvayaReplay | undefined;
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const cmd = parseAvayaTraceLine(line, i + 1);
    if ('error' in cmd) {
      stderr.push(cmd.error);
      continue;
    }
    if (run === undefined) {
      run = createAvayaReplay(cmd, clock);
      const agent = createAgent({ source: run.source, clock });
      agent.session.subscribe((e) => {
        if (e.type === 'interactionEnd') effects.push({ sink: 'log', record: e.data.record });
        if (e.type === 'error') effects.push({ sink: 'error', code: e.data.code, message: e.data.message });
      });
      await agent.connect();
    }
    try {
      await run.apply(cmd);
    } catch (err) {
      stderr.push(err instanceof Error ? err.message : String(err));
    }
  }
  return { effects, stderr, run };
}

const summary = (effects: Effect[]) => effects.map((e) => (e.sink === 'log' ? `log ${e.record.id}` : `${e.code}: ${e.message}`));

describe('Avaya trace: parsing', () => {
  it('parses setup and message lines', () => {
    const setup = parseAvayaTraceLine('{"at": "2026-03-02T08:00:00Z", "kind": "setup", "agent": {"agentId": "7", "extension": "4711"}, "allowedOrigin": "https://c.example.com"}', 1);
    expect(setup).toEqual({ kind: 'setup', at: Date.parse('2026-03-02T08:00:00Z'), line: 1, setup: { agent: { agentId: '7', extension: '4711' }, allowedOrigin: 'https://c.example.com' } });
    const message = parseAvayaTraceLine('{"at": "2026-03-02T08:00:01Z", "kind": "message", "origin": "https://x.example.com", "data": "anything"}', 2);
    expect(message).toEqual({ kind: 'message', at: Date.parse('2026-03-02T08:00:01Z'), line: 2, origin: 'https://x.example.com', window: 'connector', data: 'anything' });
    expect(parseAvayaTraceLine('{"at": "2026-03-02T08:00:01Z", "kind": "message", "origin": "o", "window": "other", "data": null}', 3)).toMatchObject({ window: 'other', data: null });
  });

  it('never throws; every error names the line', () => {
    const cases: [string, string][] = [
      ['{"at": ', 'line 4: not valid JSON'],
      ['[1, 2]', 'line 4: a trace line must be a JSON object'],
      ['{"kind": "message"}', 'line 4: "at" must be an ISO 8601 time (got undefined)'],
      ['{"at": "yesterday", "kind": "message"}', 'line 4: "at" must be an ISO 8601 time (got "yesterday")'],
      ['{"at": "2026-03-02T08:00:00Z", "kind": "click"}', 'line 4: unknown kind "click" (known: setup, message)'],
      ['{"at": "2026-03-02T08:00:00Z", "kind": "message", "origin": "o", "data": 1, "extra": 1}', 'line 4: unknown field "extra" for kind "message" (known: origin, window, data)'],
      ['{"at": "2026-03-02T08:00:00Z", "kind": "message", "data": 1}', 'line 4: message: "origin" must be a non-empty string (got undefined)'],
      ['{"at": "2026-03-02T08:00:00Z", "kind": "message", "origin": "o"}', 'line 4: message: "data" is required'],
      ['{"at": "2026-03-02T08:00:00Z", "kind": "message", "origin": "o", "window": "iframe", "data": 1}', 'line 4: message: "window" must be "connector" or "other" (got "iframe")'],
      ['{"at": "2026-03-02T08:00:00Z", "kind": "setup", "agent": {"agentId": "1"}, "allowedOrigin": "*"}', 'line 4: setup: "allowedOrigin" must be an exact http(s) origin'],
      ['{"at": "2026-03-02T08:00:00Z", "kind": "setup", "agent": {"id": "1"}, "allowedOrigin": "https://c.example.com"}', 'line 4: setup: unknown agent field "id"'],
      ['{"at": "2026-03-02T08:00:00Z", "kind": "setup", "agent": {"agentId": 1}, "allowedOrigin": "https://c.example.com"}', 'line 4: setup: "agent.agentId" must be a string (got 1)'],
      ['{"at": "2026-03-02T08:00:00Z", "kind": "setup", "allowedOrigin": "https://c.example.com"}', 'line 4: setup: "agent" must be an object with "agentId"'],
      ['{"at": "2026-03-02T08:00:00Z", "kind": "setup", "agent": {"agentId": "1"}, "allowedOrigin": "https://c.example.com", "flavor": "UCCE"}', 'line 4: unknown field "flavor" for kind "setup"'],
    ];
    for (const [text, expected] of cases) {
      let result: ReturnType<typeof parseAvayaTraceLine> | undefined;
      expect(() => (result = parseAvayaTraceLine(text, 4)), text).not.toThrow();
      expect(result && 'error' in result ? result.error : '(parsed)', text).toContain(expected);
    }
  });
});

describe('Avaya trace: the example', () => {
  it('is the same in docs/avaya.md and test/fixtures/avaya/example.jsonl', () => {
    const doc = readFileSync(DOC, 'utf8');
    const block = /### Full example[\s\S]*?```jsonl\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBe(readFileSync(FIXTURE, 'utf8'));
  });

  it('replays through the real source into the effects the docs describe', async () => {
    const { effects, stderr, run } = await replay(readFileSync(FIXTURE, 'utf8'));
    expect(stderr).toEqual([]);
    const connector = 'https://connector.avaya.example';
    const from = `Avaya CRMConnectMessage from ${connector}`;
    expect(summary(effects)).toEqual([
      'log u-1001',
      'DUPLICATE_UPDATE: interaction "u-1001" was already logged',
      `INVALID_UPDATE: Avaya CRMConnectMessage message from origin "https://evil.example.com" ignored: not in the allow-list (${connector})`,
      `NOT_SUPPORTED: ${from}: action "requestClickToDial" is not supported; the Avaya source is log-only and handles only requestSaveInteractionLog`,
      'log u-1002',
      'log u-1003',
      `INVALID_UPDATE: ${from}: requestSaveInteractionLog: body: "interactionData.acwDuration" must be a number (got "ten")`,
      `INVALID_UPDATE: Avaya CRMConnectMessage message from ${connector} ignored: it did not come from the expected window`,
    ]);
    expect(run?.setup.agent.extension).toBe('4711');
    const records = effects.flatMap((e) => (e.sink === 'log' ? [e.record] : []));
    expect(records[0]).toMatchObject({
      source: 'avaya', agentId: '1001', channel: 'Voice', direction: 'Incoming', ani: '+15550100', callerName: 'Grace Hopper', dnis: '5001',
      destinationAddress: '+15555005001', resourceAddress: '4711', startTime: '2026-03-02T08:00:10.000Z', establishedTime: '2026-03-02T08:00:14.000Z',
      endTime: '2026-03-02T08:03:20.000Z', durationSeconds: 166, acwSeconds: 20, queueId: '12', queueName: 'Billing', workCodes: ['17', '21'],
      globalId: '00001002341772438410', uui: 'C8,0001', asaiUui: '04,5001', subject: 'Invoice question', data: { 'custom.tier': 'gold' },
      associations: [{ id: '003A1', name: 'Grace Hopper', recordType: 'Contact' }, { id: '500B7', name: 'Case 00001017', recordType: 'Case' }],
    });
    expect(records[1]).toMatchObject({
      channel: 'Chat', classification: 'Transfer', isTransfer: true, priority: 5, queueId: 't-42', queueName: 'Support', disposition: 'Resolved', durationSeconds: 380,
      data: { language: 'en', department: 'support', 'engagement.availableBalance': '120.50' },
    });
    expect(records[2]).toMatchObject({ direction: 'Outgoing', ani: '+15550199', phoneNumber: '915550199', resourceAddress: '4711', durationSeconds: 90, workCodes: ['30'] });
  });

  it('gives the same effects every time (time comes from the trace)', async () => {
    const text = readFileSync(FIXTURE, 'utf8');
    const a = await replay(text);
    const b = await replay(text);
    expect(JSON.stringify(b.effects)).toBe(JSON.stringify(a.effects));
  });

  it('without a setup line, runs on the default set-up', async () => {
    const lines = readFileSync(FIXTURE, 'utf8').split('\n').slice(1, 2).join('\n');
    const { effects, run } = await replay(lines);
    expect(run?.setup).toEqual(DEFAULT_AVAYA_SETUP);
    expect(summary(effects)).toEqual(['log u-1001']);
  });
});

describe('Avaya trace: the runner', () => {
  const at = (s: string) => Date.parse(`2026-03-02T08:00:${s}Z`);
  const message = (line: number, t: string): AvayaTraceCommand => ({ kind: 'message', at: at(t), line, origin: DEFAULT_AVAYA_SETUP.allowedOrigin, window: 'connector', data: {} });

  it('refuses a line earlier than the one before it, and a setup that is not first', async () => {
    const clock = new SimulatedClock(0);
    const run = createAvayaReplay(message(1, '10'), clock);
    await createAgent({ source: run.source, clock }).connect();
    await run.apply(message(1, '10'));
    expect(clock.now()).toBe(at('10'));
    await expect(run.apply(message(2, '05'))).rejects.toMatchObject({ code: 'PARSE_ERROR', message: 'line 2: time 2026-03-02T08:00:05.000Z is earlier than line 1 (2026-03-02T08:00:10.000Z)' });
    await expect(run.apply({ kind: 'setup', at: at('20'), line: 3, setup: DEFAULT_AVAYA_SETUP })).rejects.toMatchObject({ code: 'PARSE_ERROR', message: 'line 3: a setup line is only allowed first' });
    await run.apply(message(4, '30'));
    expect(clock.now()).toBe(at('30'));
  });

  it('says so when the source was not connected', async () => {
    const run = createAvayaReplay(message(1, '10'), new SimulatedClock(0));
    await expect(run.apply(message(1, '10'))).rejects.toMatchObject({ code: 'NOT_CONNECTED', message: 'line 1: the Avaya source is not connected (connect it before applying messages)' });
  });
});
