import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode, SimulatedClock, type DomainEvent } from '../../../src/core/index.js';
import { createAgent } from '../../../src/sinks/cil/index.js';
import { createFinesseReplay, parseFinesseTraceLine, type FinesseTraceCommand } from '../../../src/sources/finesse/trace.js';

const SAMPLE = readFileSync(new URL('../../fixtures/finesse/finesse-inbound-sample.jsonl', import.meta.url), 'utf8');

function commands(text: string): FinesseTraceCommand[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      const c = parseFinesseTraceLine(l, i + 1);
      if ('error' in c) throw new Error(c.error);
      return c;
    });
}

async function replay(list: FinesseTraceCommand[]) {
  const clock = new SimulatedClock(0);
  const r = createFinesseReplay(list[0]!, clock);
  const agent = createAgent({ source: r.source, clock, flavor: r.setup.flavor });
  const events: DomainEvent[] = [];
  agent.session.subscribe((e) => events.push(e));
  await agent.connect();
  for (const c of list) await r.apply(c);
  return { events, agent, r, clock };
}

describe('Finesse replay', () => {
  it('replays the shared fixture cleanly: one call created, connected, wrapped up, ended; agent states', async () => {
    const { events, agent, r, clock } = await replay(commands(SAMPLE));
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    expect(events.map((e) => e.type)).toEqual([
      'agentStateChange',
      'queueDataUpdate',
      'workitemCreate',
      'agentStateChange',
      'workitemConnect',
      'workitemWrapup',
      'agentStateChange',
      'workitemEnd',
      'interactionEnd',
      'agentStateChange',
    ]);
    const states = events.flatMap((e) => (e.type === 'agentStateChange' ? [e.data.newState] : []));
    expect(states).toEqual(['Ready', 'Active', 'Wrapup', 'Ready']);
    const create = events.find((e) => e.type === 'workitemCreate');
    expect(create?.data).toMatchObject({ id: '33554433', agentId: '2001', ani: '+4961215550123', classification: 'Customer', direction: 'Incoming', channelId: 'voice_5000' });
    const end = events.find((e) => e.type === 'workitemEnd');
    expect(end?.data).toMatchObject({ state: 'Ended', connectedAt: '2026-03-02T08:16:13.000Z' });
    // No setup line: the agent comes from the node, the extension from the first User.
    expect(r.setup.agent.agentId).toBe('2001');
    expect(agent.session.state.agent?.agentId).toBe('2001');
    expect(clock.now()).toBe(Date.parse('2026-03-02T08:16:18.000Z'));
  });

  it('the same trace twice gives the same events', async () => {
    const a = await replay(commands(SAMPLE));
    const b = await replay(commands(SAMPLE));
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
  });

  it('a setup line sets the agent and the flavor (UCCX: voice_-1, no callKey fields)', async () => {
    const setup = JSON.stringify({ at: '2026-03-02T08:16:00.000Z', kind: 'setup', agent: { agentId: '2001', extension: '2001001', firstName: 'Ada' }, flavor: 'UCCX' });
    const { events, agent } = await replay(commands(`${setup}\n${SAMPLE}`));
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    expect(events.some((e) => e.type === 'queueDataUpdate')).toBe(false);
    const create = events.find((e) => e.type === 'workitemCreate');
    expect(create?.data).toMatchObject({ channelId: 'voice_-1' });
    expect((create?.data as { ctiData: Record<string, string> }).ctiData).not.toHaveProperty('callKeyCallId');
    expect(agent.session.state.agent?.firstName).toBe('Ada');
  });

  it('an <Update> that does not parse is an error event naming the line; the replay goes on', async () => {
    const list = commands(SAMPLE);
    const bad = parseFinesseTraceLine(JSON.stringify({ at: '2026-03-02T08:16:10.500Z', node: '/finesse/api/User/2001', xml: '<Update><data>' }), 2);
    if ('error' in bad) throw new Error(bad.error);
    const { events } = await replay([list[0]!, bad, ...list.slice(1)]);
    const errors = events.filter((e) => e.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.data).toMatchObject({ code: ErrorCode.PARSE_ERROR, message: expect.stringMatching(/^line 2: Finesse XML: not well-formed/) as unknown });
    expect(events.filter((e) => e.type === 'workitemEnd')).toHaveLength(1);
  });

  it('a replay cannot act: requests fail NOT_CONNECTED', async () => {
    const { agent } = await replay(commands(SAMPLE));
    await expect(agent.api.setAgentState('voice', 'NotReady')).rejects.toMatchObject({ code: ErrorCode.NOT_CONNECTED });
  });

  it('a line earlier than the one before, or a late setup, is refused with PARSE_ERROR', async () => {
    const list = commands(SAMPLE);
    const clock = new SimulatedClock(0);
    const r = createFinesseReplay(list[0]!, clock);
    const agent = createAgent({ source: r.source, clock });
    await agent.connect();
    await r.apply(list[1]!);
    await expect(r.apply(list[0]!)).rejects.toMatchObject({ code: ErrorCode.PARSE_ERROR, message: expect.stringMatching(/^line 1: time .* is earlier than line 2/) as unknown });
    const setup = parseFinesseTraceLine(JSON.stringify({ at: '2026-03-02T08:30:00.000Z', kind: 'setup', agent: { agentId: '1' } }), 9);
    if ('error' in setup) throw new Error(setup.error);
    await expect(r.apply(setup)).rejects.toMatchObject({ code: ErrorCode.PARSE_ERROR, message: 'line 9: a setup line is only allowed first' });
  });

  it('notifications before connect are refused NOT_CONNECTED', async () => {
    const list = commands(SAMPLE);
    const r = createFinesseReplay(list[0]!, new SimulatedClock(0));
    await expect(r.apply(list[0]!)).rejects.toMatchObject({ code: ErrorCode.NOT_CONNECTED });
  });
});

describe('parseFinesseTraceLine', () => {
  const ok = { at: '2026-03-02T08:00:00.000Z', node: '/finesse/api/User/1/Dialogs', xml: '<Update/>' };
  it('reads notification and setup lines', () => {
    expect(parseFinesseTraceLine(JSON.stringify(ok), 1)).toEqual({ kind: 'notification', at: Date.parse(ok.at), line: 1, node: ok.node, xml: '<Update/>' });
    expect(parseFinesseTraceLine(JSON.stringify({ at: ok.at, kind: 'setup', agent: { agentId: '7' } }), 1)).toMatchObject({ kind: 'setup', setup: { agent: { agentId: '7' }, flavor: 'UCCE' } });
  });

  it.each([
    ['not json', /^line 4: not valid JSON/],
    ['[1]', /^line 4: a trace line must be a JSON object/],
    [JSON.stringify({ ...ok, at: 'yesterday' }), /^line 4: "at" must be an ISO 8601 time/],
    [JSON.stringify({ ...ok, node: 'User/1' }), /^line 4: "node" must be a Finesse pubsub node/],
    [JSON.stringify({ ...ok, xml: 3 }), /^line 4: "xml" must be the <Update> document/],
    [JSON.stringify({ ...ok, extra: 1 }), /^line 4: unknown field "extra"/],
    [JSON.stringify({ ...ok, kind: 'message' }), /^line 4: unknown kind "message"/],
    [JSON.stringify({ at: ok.at, kind: 'setup', agent: { agentId: '1' }, flavor: 'CCE' }), /^line 4: setup: "flavor" must be "UCCE" or "UCCX"/],
    [JSON.stringify({ at: ok.at, kind: 'setup', agent: {} }), /^line 4: setup: "agent.agentId" must be a non-empty string/],
  ])('refuses %s', (text, message) => {
    const r = parseFinesseTraceLine(text, 4);
    expect('error' in r ? r.error : '').toMatch(message);
  });
});
