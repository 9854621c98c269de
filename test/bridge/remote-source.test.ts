/** The gadget ↔ server protocol guards and the RemoteSource over a scripted socket. */
import { describe, expect, it } from 'vitest';
import { AgentSession, ErrorCode, SimulatedClock, type DomainEvent } from '../../src/core/index.js';
import { RemoteSource, describeClientMessageProblem, describeServerMessageProblem, type SocketLike } from '../../src/bridge/index.js';

class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: unknown[] = [];
  private readonly listeners = new Map<string, ((e: { data: unknown }) => void)[]>();
  addEventListener(type: string, l: (e: { data: unknown }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), l]);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.readyState = 3;
    this.fire('close', undefined);
  }
  fire(type: string, data: unknown): void {
    for (const l of this.listeners.get(type) ?? []) l({ data });
  }
  open(): void {
    this.readyState = 1;
    this.fire('open', undefined);
  }
  serve(m: unknown): void {
    this.fire('message', typeof m === 'string' ? m : JSON.stringify(m));
  }
}

describe('protocol guards', () => {
  it('name what is wrong with a client message', () => {
    expect(describeClientMessageProblem({ type: 'hello', protocol: 1, agentId: '1001' })).toBeUndefined();
    expect(describeClientMessageProblem({ type: 'hello', protocol: 2, agentId: '1001' })).toBe('hello: protocol must be 1 (got 2)');
    expect(describeClientMessageProblem({ type: 'request', request: { type: 'explode', requestId: 'r' } })).toBe('request: unknown request type "explode"');
    expect(describeClientMessageProblem({ type: 'request', request: { type: 'answer' } })).toBe('request: "request.requestId" must be a non-empty string');
    expect(describeClientMessageProblem([1])).toBe('message must be a JSON object');
  });

  it('name what is wrong with a server message, updates checked by the core guards', () => {
    expect(describeServerMessageProblem({ type: 'update', update: { type: 'agentState', channelId: 'voice_5000', state: 'Sleeping' } })).toMatch(/^update: agentState update: "state" must be one of/);
    expect(describeServerMessageProblem({ type: 'response', requestId: 'r', ok: false })).toBe('response: a failure needs "error" with "code" and "message"');
  });
});

describe('RemoteSource', () => {
  async function connected() {
    const socket = new FakeSocket();
    const source = new RemoteSource({ agentId: '1001', open: () => socket });
    const session = new AgentSession({ clock: new SimulatedClock(0) });
    const events: DomainEvent[] = [];
    session.subscribe((e) => events.push(e));
    const connecting = source.connect((u) => session.apply(u));
    socket.open();
    expect(socket.sent).toEqual([{ type: 'hello', protocol: 1, agentId: '1001' }]);
    socket.serve({ type: 'welcome', protocol: 1, agentId: '1001', source: 'sim' });
    await connecting;
    return { socket, source, session, events };
  }

  it('says hello, takes the server kind, feeds updates to the session', async () => {
    const { socket, source, session } = await connected();
    expect(source.kind).toBe('sim');
    socket.serve({ type: 'update', update: { type: 'session', agent: { agentId: '1001', extension: '1001001', firstName: 'A', lastName: 'B', loginName: 'ab', teamId: 't' }, channels: [{ id: 'voice_5000', type: 'Voice' }] } });
    socket.serve({ type: 'update', update: { type: 'agentState', channelId: 'voice_5000', state: 'Ready' } });
    expect(session.state.channels.voice_5000?.state).toBe('Ready');
  });

  it('settles requests on their response, with the typed error on failure', async () => {
    const { socket, source } = await connected();
    const ok = source.request({ type: 'answer', workitemId: 'w1', requestId: 'r1' });
    const bad = source.request({ type: 'hold', workitemId: 'w1', requestId: 'r2' });
    expect(socket.sent.slice(1)).toEqual([
      { type: 'request', request: { type: 'answer', workitemId: 'w1', requestId: 'r1' } },
      { type: 'request', request: { type: 'hold', workitemId: 'w1', requestId: 'r2' } },
    ]);
    socket.serve({ type: 'response', requestId: 'r1', ok: true });
    socket.serve({ type: 'response', requestId: 'r2', ok: false, error: { name: 'SwitchboardError', code: 'NOT_CAPABLE', message: 'cannot hold', requestId: 'r2' } });
    await expect(ok).resolves.toBeUndefined();
    await expect(bad).rejects.toMatchObject({ code: ErrorCode.NOT_CAPABLE, requestId: 'r2', message: 'cannot hold' });
  });

  it('reports a malformed frame as an error event and goes on; a closed socket fails pending requests', async () => {
    const { socket, source, events } = await connected();
    socket.serve('{not json');
    socket.serve({ type: 'update', update: { type: 'teleport' } });
    expect(events.map((e) => (e.type === 'error' ? e.data.message : e.type))).toEqual([
      expect.stringMatching(/^server message refused: not JSON/),
      'server message refused: update: unknown update type "teleport"',
    ]);
    const pending = source.request({ type: 'end', workitemId: 'w1', requestId: 'r3' });
    socket.close();
    await expect(pending).rejects.toMatchObject({ code: ErrorCode.NOT_CONNECTED, requestId: 'r3' });
    await expect(source.request({ type: 'end', workitemId: 'w1', requestId: 'r4' })).rejects.toMatchObject({ code: ErrorCode.NOT_CONNECTED });
  });
});
