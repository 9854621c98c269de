/**
 * The sim trace format: parsing (never throws, errors name the line), the runner (clock never
 * backwards, call names, default items, requestIds), and the documented full example replayed
 * through real agent sessions.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AgentSession, SimulatedClock, type DomainEvent, type PlatformUpdate } from '../../../src/core/index.js';
import {
  DEFAULT_SIM_SETUP,
  SimTraceRunner,
  createSimFromSetup,
  parseSimTraceLine,
  startSimTrace,
  type SimContactCenter,
  type SimTraceCommand,
} from '../../../src/sources/sim/index.js';
import { T0 } from './helpers.js';

const FIXTURE = new URL('../../fixtures/sim/example.jsonl', import.meta.url);
const DOC = new URL('../../../docs/sim-trace.md', import.meta.url);

function parse(text: string, lineNo = 1): SimTraceCommand {
  const cmd = parseSimTraceLine(text, lineNo);
  if ('error' in cmd) throw new Error(cmd.error);
  return cmd;
}

const at = (s: number): string => new Date(T0 + s * 1000).toISOString();
const line = (s: number, rest: Record<string, unknown>): string => JSON.stringify({ at: at(s), ...rest });

describe('parseSimTraceLine', () => {
  it('parses a command, turning at into ms and keeping the line number', () => {
    expect(parse(line(1, { kind: 'answer', agent: '1001', call: 'c1' }), 7)).toEqual({ at: T0 + 1000, line: 7, kind: 'answer', agent: '1001', call: 'c1' });
    expect(parse(line(0, { kind: 'setup', agents: [{ id: '1', extension: '101', skills: ['q'] }], queues: [{ id: 'q', name: 'Q' }] }))).toMatchObject({
      kind: 'setup',
      setup: { agents: [{ id: '1' }], queues: [{ id: 'q' }] },
    });
  });

  const bad: [string, string, RegExp][] = [
    ['invalid JSON', '{"at": ', /^line 3: not valid JSON/],
    ['a non-object', '[1,2]', /^line 3: a trace line must be a JSON object/],
    ['a missing at', '{"kind":"wait"}', /^line 3: "at" must be an ISO 8601 time \(got undefined\)/],
    ['a bad at', '{"at":"yesterday","kind":"wait"}', /^line 3: "at" must be an ISO 8601 time \(got "yesterday"\)/],
    ['an unknown kind', line(0, { kind: 'teleport' }), /^line 3: unknown kind "teleport" \(known: setup, wait, arrive/],
    ['an unknown field', line(0, { kind: 'answer', agent: '1', cal: 'c1' }), /^line 3: unknown field "cal" for kind "answer"/],
    ['a missing field', line(0, { kind: 'arrive', from: '+41' }), /^line 3: arrive: "queue" is required/],
    ['a wrongly typed field', line(0, { kind: 'dtmf', agent: '1', digits: 12 }), /^line 3: dtmf: "digits" must be a non-empty string \(got 12\)/],
    ['a bad state', line(0, { kind: 'state', agent: '1', state: 'Busy' }), /^line 3: state: "state" must be Ready, NotReady or Logout/],
    ['non-string data', line(0, { kind: 'data', agent: '1', data: { callVariable1: 1 } }), /^line 3: data: "data.callVariable1" must be a string/],
    ['a setup with an unknown skill', line(0, { kind: 'setup', agents: [{ id: '1', extension: '101', skills: ['x'] }], queues: [{ id: 'q', name: 'Q' }] }), /^line 3: sim options: agents\[0\]\.skills names unknown queue "x"/],
    ['a setup with an unknown field', line(0, { kind: 'setup', agents: [], queues: [], colour: 'red' }), /^line 3: unknown setup field "colour"/],
  ];
  for (const [name, text, message] of bad) {
    it(`reports ${name} with the line number, without throwing`, () => {
      const r = parseSimTraceLine(text, 3);
      expect('error' in r && r.error).toMatch(message);
    });
  }
});

/** A center from the default setup, every agent connected to a session. */
async function withSessions(setup = DEFAULT_SIM_SETUP) {
  const clock = new SimulatedClock(T0);
  const cc = createSimFromSetup(setup, clock);
  const runner = new SimTraceRunner(cc, clock);
  const sessions: Record<string, { session: AgentSession; updates: PlatformUpdate[]; events: DomainEvent[] }> = {};
  for (const id of cc.agentIds) {
    const session = new AgentSession({ clock, flavor: cc.flavor });
    const entry = { session, updates: [] as PlatformUpdate[], events: [] as DomainEvent[] };
    session.subscribe((e) => entry.events.push(e));
    await cc.source(id).connect((u) => {
      entry.updates.push(u);
      session.apply(u);
    });
    sessions[id] = entry;
  }
  const run = async (...lines: string[]): Promise<void> => {
    for (const [i, text] of lines.entries()) await runner.apply(parse(text, i + 1));
  };
  return { clock, cc, runner, sessions, run };
}

async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string; requestId?: string }> {
  try {
    await p;
  } catch (err) {
    return err as { code: string; message: string; requestId?: string };
  }
  throw new Error('expected a rejection');
}

describe('SimTraceRunner', () => {
  it('moves the clock to each line and refuses a line earlier than the previous one, naming both', async () => {
    const { clock, runner } = await withSessions();
    await runner.apply(parse(line(10, { kind: 'wait' }), 1));
    expect(clock.now()).toBe(T0 + 10_000);
    const err = await rejection(runner.apply(parse(line(5, { kind: 'wait' }), 2)));
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.message).toBe(`line 2: time ${at(5)} is earlier than line 1 (${at(10)})`);
    expect(clock.now()).toBe(T0 + 10_000);
  });

  it('accepts a setup line only first', async () => {
    const { runner } = await withSessions();
    const setup = parse(line(0, { kind: 'setup', agents: [{ id: '1', extension: '101', skills: ['q'] }], queues: [{ id: 'q', name: 'Q' }] }), 1);
    await runner.apply(setup);
    const err = await rejection(runner.apply({ ...setup, line: 2 }));
    expect(err.message).toBe('line 2: a setup line is only allowed first');
  });

  it('maps call names, echoes line request ids, and picks the only item in the needed state', async () => {
    const { cc, runner, sessions, run } = await withSessions();
    await run(
      line(0, { kind: 'login', agent: '1001' }),
      line(1, { kind: 'arrive', call: 'c1', from: '+41445550101', queue: 'sales', callVariables: { callVariable1: 'A' } }),
      line(2, { kind: 'answer', agent: '1001' }),
      line(3, { kind: 'data', agent: '1001', data: { callVariable2: 'B' }, requestId: 'mine' }),
    );
    const id = runner.callId('c1');
    expect(id).not.toBe('c1');
    const s = sessions['1001']!;
    expect(s.session.state.workitems[id]).toMatchObject({ state: 'Active', ctiData: { callVariable1: 'A', callVariable2: 'B' } });
    expect(s.updates.find((u) => u.type === 'workitemState' && u.state === 'Active')?.requestId).toBe('line-3');
    expect(s.updates.find((u) => u.type === 'workitemData')?.requestId).toBe('mine');
    await run(line(4, { kind: 'hangup', call: 'c1' }));
    expect(cc.agent('1001').workitems[0]?.state).toBe('Wrapup');
  });

  it('fails a line naming it when the item is missing, ambiguous or unknown, or the platform refuses', async () => {
    const { runner, run } = await withSessions();
    await run(line(0, { kind: 'login', agent: '1001' }));
    const none = await rejection(runner.apply(parse(line(1, { kind: 'answer', agent: '1001' }), 2)));
    expect(none).toMatchObject({ code: 'INVALID_STATE', message: 'line 2: agent 1001 has no Offered item to answer' });
    const unknownCall = await rejection(runner.apply(parse(line(2, { kind: 'answer', agent: '1001', call: 'zz' }), 3)));
    expect(unknownCall.message).toBe('line 3: agent 1001 has no item for call "zz"');
    const unknownAgent = await rejection(runner.apply(parse(line(3, { kind: 'login', agent: '9' }), 4)));
    expect(unknownAgent.message).toMatch(/^line 4: unknown agent "9"/);
    const refused = await rejection(runner.apply(parse(line(4, { kind: 'dial', agent: '1001', to: 'nowhere' }), 5)));
    expect(refused).toMatchObject({ code: 'PLATFORM_ERROR', requestId: 'line-5' });
    expect(refused.message).toMatch(/^line 5: unknown destination "nowhere"/);
    const abandonUnknown = await rejection(runner.apply(parse(line(5, { kind: 'abandon', call: 'c9' }), 6)));
    expect(abandonUnknown.message).toBe('line 6: unknown call "c9" (it never existed or has ended)');
  });

  it('names dialled and consult calls with "as" and finds the consult for transfer by itself', async () => {
    const { cc, runner, sessions, run } = await withSessions();
    await run(
      line(0, { kind: 'login', agent: '1001', state: 'NotReady' }),
      line(0, { kind: 'login', agent: '1002' }),
      line(1, { kind: 'dial', agent: '1001', to: '0445551234', as: 'o1' }),
      line(5, { kind: 'farEndAnswer', call: 'o1' }),
      line(6, { kind: 'consult', agent: '1001', to: '1002001', as: 'k1' }),
      line(7, { kind: 'answer', agent: '1002', call: 'k1' }),
      line(8, { kind: 'transfer', agent: '1001' }),
    );
    expect(runner.callId('o1')).not.toBe(runner.callId('k1'));
    expect(sessions['1002']!.session.state.workitems[runner.callId('k1')]?.classification).toBe('Transfer');
    expect(cc.agent('1001').workitems).toEqual([]);
    for (const s of Object.values(sessions)) expect(s.events.filter((e) => e.type === 'error')).toEqual([]);
  });

  it('finish() delivers updates still on their way when there is latency', async () => {
    const { runner, sessions, run } = await withSessions({ ...DEFAULT_SIM_SETUP, latencyMs: 400 });
    await run(line(0, { kind: 'login', agent: '1001' }));
    expect(sessions['1001']!.session.state.channels.voice_5000?.state).toBe('Logout');
    runner.finish();
    expect(sessions['1001']!.session.state.channels.voice_5000?.state).toBe('Ready');
  });

  it('startSimTrace builds the center from a setup line, or from the default', () => {
    const clock = new SimulatedClock(0);
    const setup = parse(line(0, { kind: 'setup', flavor: 'UCCX', agents: [{ id: '7', extension: '701', skills: ['q'] }], queues: [{ id: 'q', name: 'Q' }] }));
    const { cc } = startSimTrace(setup, clock);
    expect(clock.now()).toBe(T0);
    expect(cc.flavor).toBe('UCCX');
    expect(cc.agentIds).toEqual(['7']);
    expect(cc.agent('7').channelId).toBe('voice_-1');
    const other = startSimTrace(parse(line(0, { kind: 'wait' })), new SimulatedClock(0));
    expect(other.cc.agentIds).toEqual(['1001', '1002']);
  });
});

describe('the documented example', () => {
  const text = readFileSync(FIXTURE, 'utf8');

  it('is the example in docs/sim-trace.md, verbatim', () => {
    const doc = readFileSync(DOC, 'utf8');
    const block = /```jsonl\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBe(text);
  });

  it('replays through real sessions without a single error, with the effects the doc describes', async () => {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    const commands = lines.map((l, i) => parse(l, i + 1));
    const clock = new SimulatedClock(0);
    const { cc, runner } = startSimTrace(commands[0]!, clock);
    const events: Record<string, DomainEvent[]> = {};
    const sessions: Record<string, AgentSession> = {};
    let dtmfSeen = '';
    for (const id of cc.agentIds) {
      const session = new AgentSession({ clock, flavor: cc.flavor });
      events[id] = [];
      session.subscribe((e) => events[id]!.push(e));
      sessions[id] = session;
      await cc.source(id).connect((u) => session.apply(u));
    }
    for (const cmd of commands) {
      await runner.apply(cmd);
      if (cmd.kind === 'dtmf') dtmfSeen = dtmfOf(cc, runner.callId('o1'));
    }
    runner.finish();
    const names = (id: string) => events[id]!.map((e) => (e.type === 'agentStateChange' ? `${e.type}:${e.data.newState}` : e.type));
    expect(events['1001']!.filter((e) => e.type === 'error')).toEqual([]);
    expect(events['1002']!.filter((e) => e.type === 'error')).toEqual([]);
    const c1 = runner.callId('c1');
    const end1 = events['1001']!.find((e) => e.type === 'workitemEnd' && e.data.id === c1);
    expect(end1?.type === 'workitemEnd' && end1.data.state).toBe('EndedTransferred');
    const k1 = runner.callId('k1');
    const bEnd = events['1002']!.find((e) => e.type === 'workitemEnd' && e.data.id === k1);
    expect(bEnd?.type === 'workitemEnd' && bEnd.data).toMatchObject({ classification: 'Transfer', ctiData: { callVariable1: 'INV-1001', callVariable2: 'refund', 'user.lang': 'de', wrapUpReason: 'Billing question' } });
    expect(dtmfSeen).toBe('1234#');
    const c2 = runner.callId('c2');
    const abandoned = events['1001']!.find((e) => e.type === 'workitemEnd' && e.data.id === c2);
    expect(abandoned?.type === 'workitemEnd' && abandoned.data.state).toBe('EndedAbandoned');
    expect(names('1001').filter((n) => n.startsWith('agentStateChange'))).toEqual([
      'agentStateChange:Ready',
      'agentStateChange:Active',
      'agentStateChange:Ready',
      'agentStateChange:NotReady',
      'agentStateChange:Active',
      'agentStateChange:Wrapup',
      'agentStateChange:NotReady',
      'agentStateChange:Ready',
      'agentStateChange:Active',
      'agentStateChange:Ready',
      'agentStateChange:Logout',
    ]);
    expect(sessions['1001']!.state.channels.voice_5000).toMatchObject({ state: 'Logout', reasonCode: 20, reasonCodeLabel: 'End of shift' });
    expect(sessions['1002']!.state.channels.voice_5000).toMatchObject({ state: 'NotReady', reasonCode: 2 });
    expect(cc.callIds()).toEqual([]);
  });
});

function dtmfOf(cc: SimContactCenter, id: string): string {
  return cc.call(id)?.dtmf ?? '';
}
