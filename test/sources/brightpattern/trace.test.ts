/**
 * The Bright Pattern trace format (docs/brightpattern.md): parsing never throws and names the
 * line; the example fixture equals the docs' example and replays through the real source (seed
 * 003 field checks) into the effects the docs describe, the same every time.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SimulatedClock, type InteractionRecord } from '../../../src/core/index.js';
import { createAgent } from '../../../src/sinks/cil/index.js';
import {
  DEFAULT_BRIGHT_PATTERN_SETUP,
  createBrightPatternReplay,
  parseBrightPatternTraceLine,
  type BrightPatternReplay,
  type BrightPatternTraceCommand,
} from '../../../src/sources/brightpattern/index.js';

const FIXTURE = new URL('../../fixtures/brightpattern/example.jsonl', import.meta.url);
const DOC = new URL('../../../docs/brightpattern.md', import.meta.url);

type Effect = { sink: 'log'; record: InteractionRecord } | { sink: 'error'; code: string; message: string };

/** What `switchboard replay --source brightpattern` does: parse, replay through a real agent, collect effects in order. */
async function replay(text: string): Promise<{ effects: Effect[]; stderr: string[]; run: BrightPatternReplay | undefined }> {
  const effects: Effect[] = [];
  const stderr: string[] = [];
  const clock = new SimulatedClock(0);
  let run: BrightPatternReplay | undefined;
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const cmd = parseBrightPatternTraceLine(line, i + 1);
    if ('error' in cmd) {
      stderr.push(cmd.error);
      continue;
    }
    if (run === undefined) {
      run = createBrightPatternReplay(cmd, clock);
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

describe('Bright Pattern trace: parsing', () => {
  it('parses setup and callback lines', () => {
    expect(parseBrightPatternTraceLine('{"at": "2026-03-02T08:00:00Z", "kind": "setup", "agent": {"agentId": "7"}}', 1)).toEqual({
      kind: 'setup',
      at: Date.parse('2026-03-02T08:00:00Z'),
      line: 1,
      setup: { agent: { agentId: '7' } },
    });
    expect(parseBrightPatternTraceLine('{"at": "2026-03-02T08:00:01Z", "kind": "ON_SAVE_ACTIVITY_RECORD", "activity": {"interactionId": "x"}}', 2)).toEqual({
      kind: 'ON_SAVE_ACTIVITY_RECORD',
      at: Date.parse('2026-03-02T08:00:01Z'),
      line: 2,
      activity: { interactionId: 'x' },
    });
  });

  it('never throws; every error names the line', () => {
    const cases: [string, string][] = [
      ['not json', 'line 9: not valid JSON'],
      ['"text"', 'line 9: a trace line must be a JSON object'],
      ['{"at": 5, "kind": "setup"}', 'line 9: "at" must be an ISO 8601 time (got 5)'],
      ['{"at": "2026-03-02T08:00:00Z", "kind": "ON_INTERACTION_END", "activity": {}}', 'line 9: unknown kind "ON_INTERACTION_END" (known: setup, ON_SAVE_ACTIVITY_RECORD)'],
      ['{"at": "2026-03-02T08:00:00Z", "kind": "ON_SAVE_ACTIVITY_RECORD"}', 'line 9: ON_SAVE_ACTIVITY_RECORD: "activity" is required'],
      ['{"at": "2026-03-02T08:00:00Z", "kind": "ON_SAVE_ACTIVITY_RECORD", "activity": {}, "data": {}}', 'line 9: unknown field "data" for kind "ON_SAVE_ACTIVITY_RECORD" (known: activity)'],
      ['{"at": "2026-03-02T08:00:00Z", "kind": "setup"}', 'line 9: setup: "agent" must be an object with "agentId"'],
      ['{"at": "2026-03-02T08:00:00Z", "kind": "setup", "agent": {"agentId": ""}}', 'line 9: setup: "agent.agentId" must be a non-empty string'],
      ['{"at": "2026-03-02T08:00:00Z", "kind": "setup", "agent": {"agentId": "1"}, "allowedOrigin": "https://x.example.com"}', 'line 9: unknown field "allowedOrigin" for kind "setup" (known: agent)'],
    ];
    for (const [text, expected] of cases) {
      let result: ReturnType<typeof parseBrightPatternTraceLine> | undefined;
      expect(() => (result = parseBrightPatternTraceLine(text, 9)), text).not.toThrow();
      expect(result && 'error' in result ? result.error : '(parsed)', text).toContain(expected);
    }
  });
});

describe('Bright Pattern trace: the example', () => {
  it('is the same in docs/brightpattern.md and test/fixtures/brightpattern/example.jsonl', () => {
    const doc = readFileSync(DOC, 'utf8');
    const block = /### Full example[\s\S]*?```jsonl\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBe(readFileSync(FIXTURE, 'utf8'));
  });

  it('replays through the real source into the effects the docs describe', async () => {
    const { effects, stderr } = await replay(readFileSync(FIXTURE, 'utf8'));
    expect(stderr).toEqual([]);
    expect(summary(effects)).toEqual([
      'log bp-2001',
      'DUPLICATE_UPDATE: interaction "bp-2001" was already logged',
      'log bp-2002',
      'log bp-2003',
      'log bp-2004',
      'INVALID_UPDATE: Bright Pattern ON_SAVE_ACTIVITY_RECORD: "activity.callMuted" must be true or false (got "no")',
    ]);
    const records = effects.flatMap((e) => (e.sink === 'log' ? [e.record] : []));
    expect(records[0]).toMatchObject({
      source: 'brightpattern', agentId: '1001', channel: 'Voice', direction: 'Incoming', ani: '+15550100', callerName: 'Grace Hopper', dnis: '5001',
      startTime: '2026-03-02T08:00:10.000Z', endTime: '2026-03-02T08:03:20.000Z', durationSeconds: 170, disposition: 'Resolved', queueName: 'Billing',
      callRecording: true, data: { account: 'A-17', language: 'en' }, associations: [{ id: '003A1', name: 'Grace Hopper', recordType: 'Contact' }],
    });
    expect(records[1]).toMatchObject({ channel: 'Chat', email: 'alan@example.org', callParties: [], origination: 'workitem' });
    expect(records[2]).toMatchObject({ channel: 'Email', subject: 'Re: refund', durationSeconds: 60 });
    expect(records[3]).toMatchObject({ direction: 'Outgoing', ani: '+15550199', phoneNumber: '+15550199', origination: 'dialpad' });
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
    expect(run?.setup).toEqual(DEFAULT_BRIGHT_PATTERN_SETUP);
    expect(summary(effects)).toEqual(['log bp-2001']);
  });
});

describe('Bright Pattern trace: the runner', () => {
  const at = (s: string) => Date.parse(`2026-03-02T08:00:${s}Z`);
  const callback = (line: number, t: string): BrightPatternTraceCommand => ({ kind: 'ON_SAVE_ACTIVITY_RECORD', at: at(t), line, activity: {} });

  it('refuses a line earlier than the one before it, and a setup that is not first', async () => {
    const clock = new SimulatedClock(0);
    const run = createBrightPatternReplay(callback(1, '10'), clock);
    await createAgent({ source: run.source, clock }).connect();
    await run.apply(callback(1, '10'));
    expect(clock.now()).toBe(at('10'));
    await expect(run.apply(callback(2, '05'))).rejects.toMatchObject({ code: 'PARSE_ERROR', message: 'line 2: time 2026-03-02T08:00:05.000Z is earlier than line 1 (2026-03-02T08:00:10.000Z)' });
    await expect(run.apply({ kind: 'setup', at: at('20'), line: 3, setup: DEFAULT_BRIGHT_PATTERN_SETUP })).rejects.toMatchObject({ code: 'PARSE_ERROR', message: 'line 3: a setup line is only allowed first' });
  });

  it('says so when the source was not connected', async () => {
    const run = createBrightPatternReplay(callback(1, '10'), new SimulatedClock(0));
    await expect(run.apply(callback(1, '10'))).rejects.toMatchObject({ code: 'NOT_CONNECTED', message: 'line 1: the Bright Pattern source is not connected (connect it before applying activities)' });
  });
});
