import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createServer, type SwitchboardServer } from '../../src/server/app.js';
import { RemoteSource, type SocketLike } from '../../src/bridge/remote-source.js';
import { createAgent, type Agent } from '../../src/sinks/cil/index.js';
import { systemClock } from '../../src/core/index.js';
import type { ServerMessage } from '../../src/bridge/protocol.js';
import { waitFor } from '../wait.js';

const open: SwitchboardServer[] = [];
const agents: Agent[] = [];

afterEach(async () => {
  await Promise.allSettled(agents.splice(0).map((a) => a.disconnect()));
  await Promise.allSettled(open.splice(0).map((s) => s.close()));
});

async function start(extra: Parameters<typeof createServer>[0] = {}): Promise<{ server: SwitchboardServer; logs: string[] }> {
  const logs: string[] = [];
  const server = await createServer({
    store: 'sqlite::memory:',
    platform: { kind: 'sim', agents: 2, humanAgents: 2, rate: 0 },
    c4c: { format: 'json', cid: 'CISCO9876', mapping: { callVariable1: 'Custom_1' } },
    logLevel: 'debug',
    logStream: { write: (s: string) => void logs.push(s) },
    ...extra,
  });
  open.push(server);
  return { server, logs };
}


function wsUrl(server: SwitchboardServer): string {
  return `${server.gadgetOrigin.replace('http', 'ws')}/ws`;
}

async function gadget(server: SwitchboardServer, agentId = '1001'): Promise<Agent> {
  const source = new RemoteSource({ agentId, open: () => openSocket(server) });
  const agent = createAgent({ source, clock: systemClock });
  agents.push(agent);
  await agent.connect();
  return agent;
}

function openSocket(server: SwitchboardServer): SocketLike {
  return new WebSocket(wsUrl(server));
}

function channelOf(agent: Agent): string {
  const id = Object.keys(agent.session.state.channels)[0];
  if (id === undefined) throw new Error('no channel');
  return id;
}

function only<T>(xs: T[]): T {
  expect(xs).toHaveLength(1);
  return xs[0] as T;
}

function liveItem(agent: Agent, state?: string): string | undefined {
  const items = Object.values(agent.session.state.workitems).filter((w) => state === undefined || w.state === state);
  return items[0]?.id;
}

async function logRows(server: SwitchboardServer, agentId: string): Promise<Record<string, unknown>[]> {
  const res = await fetch(`${server.crmOrigin}/api/log?agent=${agentId}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { records: Record<string, unknown>[] };
  return body.records;
}

/** A raw socket that collects server messages. */
async function rawSocket(server: SwitchboardServer): Promise<{ ws: WebSocket; got: ServerMessage[] }> {
  const ws = new WebSocket(wsUrl(server));
  const got: ServerMessage[] = [];
  ws.on('message', (d: Buffer) => got.push(JSON.parse(d.toString('utf8')) as ServerMessage));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, got };
}

describe('switchboard server', () => {
  it('refuses a WebSocket handshake from a foreign origin, accepts the gadget origin', async () => {
    const { server } = await start();
    const foreign = new WebSocket(wsUrl(server), { origin: 'https://evil.example' });
    const got: string[] = [];
    foreign.on('message', (d: Buffer) => got.push(d.toString('utf8')));
    const code = await new Promise<number>((resolve) => foreign.once('close', (c: number) => resolve(c)));
    expect(code).toBe(1008);
    expect(got.map((g) => JSON.parse(g) as unknown)).toEqual([{ type: 'problem', message: 'origin "https://evil.example" may not use this gadget\'s socket' }]);
    const own = new WebSocket(wsUrl(server), { origin: server.gadgetOrigin });
    await new Promise<void>((resolve, reject) => {
      own.once('open', () => resolve());
      own.once('error', reject);
    });
    own.send(JSON.stringify({ type: 'ping', id: 'p1' }));
    const pong = await new Promise<string>((resolve) => own.once('message', (d: Buffer) => resolve(d.toString('utf8'))));
    expect(JSON.parse(pong)).toEqual({ type: 'pong', id: 'p1' });
    own.close();
  });

  it('answers /healthz and /metrics on both origins, on two different ports', async () => {
    const { server } = await start();
    expect(server.crmOrigin).not.toBe(server.gadgetOrigin);
    for (const origin of [server.crmOrigin, server.gadgetOrigin]) {
      const h = await fetch(`${origin}/healthz`);
      expect(h.status).toBe(200);
      expect(await h.json()).toMatchObject({ status: 'ok', source: 'sim', store: 'up' });
      const m = await fetch(`${origin}/metrics`);
      expect(m.status).toBe(200);
      const text = await m.text();
      for (const name of ['switchboard_platform_updates_total', 'switchboard_events_total', 'switchboard_workitems_total', 'switchboard_sink_errors_total', 'switchboard_store_save_seconds', 'switchboard_websocket_clients']) {
        expect(text).toContain(name);
      }
    }
  });

  it('/healthz says 503 when the store is down', async () => {
    const { server } = await start();
    await server.store.close();
    const h = await fetch(`${server.crmOrigin}/healthz`);
    expect(h.status).toBe(503);
    expect(await h.json()).toMatchObject({ store: 'down' });
  });

  it('/api/gadget-config gives the CRM origin as the C4C origin, with format, cid and mapping', async () => {
    const { server } = await start();
    const res = await fetch(`${server.gadgetOrigin}/api/gadget-config`);
    expect(await res.json()).toEqual({ c4cOrigin: server.crmOrigin, format: 'json', cid: 'CISCO9876', mapping: { callVariable1: 'Custom_1' } });
  });

  it('serves the demo CRM page and its script on the CRM origin, and says when the gadget is not built', async () => {
    const { server } = await start({ gadgetDir: '/nonexistent/dist-gadget' });
    const page = await (await fetch(`${server.crmOrigin}/`)).text();
    expect(page).toContain(`frame-src ${server.gadgetOrigin}`);
    expect(page).toContain('/demo.js');
    const js = await fetch(`${server.crmOrigin}/demo.js`);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect(await js.text()).toContain('CALL_DISCONNECTED');
    const g = await fetch(`${server.gadgetOrigin}/`);
    expect(g.status).toBe(503);
    expect(await g.text()).toContain('npm run build:gadget');
    const q = (await (await fetch(`${server.crmOrigin}/api/queues`)).json()) as { queues: { id: string }[] };
    expect(q.queues.map((x) => x.id)).toEqual(['sales', 'support']);
  });

  it('the gadget\'s session takes the platform\'s flavour from the session update (UCCX here), not its own default', async () => {
    const { server } = await start({ platform: { kind: 'sim', agents: 2, humanAgents: 2, rate: 0, flavor: 'UCCX' } });
    const a = await gadget(server);
    expect(a.session.flavor).toBe('UCCX');
    expect(server.platform.hubs()[0]!.session.flavor).toBe('UCCX');
  });

  it('a RemoteSource gadget goes Ready, answers a call, hangs up: one log row', async () => {
    const { server } = await start();
    const a = await gadget(server);
    const ch = channelOf(a);
    await a.api.setAgentState(ch, 'Ready');
    await waitFor('Ready', () => a.session.state.channels[ch]?.state === 'Ready');
    server.platform.sim?.arrive({ from: '+41445550101', queue: 'support', callVariables: { callVariable1: 'VIP' } });
    const id = await waitFor('offered call', () => liveItem(a, 'Offered'));
    await a.api.answer(id);
    await waitFor('active', () => liveItem(a, 'Active'));
    await a.api.end(id);
    await waitFor('wrap-up or end', () => a.session.state.workitems[id] === undefined || a.session.state.workitems[id]?.state === 'Wrapup');
    await a.api.setAgentState(ch, 'Ready');
    await waitFor('ended server-side', () => server.platform.hubs()[0]?.session.state.workitems[id] === undefined);
    await waitFor('row stored', async () => (await server.store.count({ agentId: '1001' })) > 0);
    const rec = only(await logRows(server, '1001'));
    expect(rec).toMatchObject({ agentId: '1001', ani: '+41445550101', direction: 'Incoming' });
    expect(a.session.state.workitems[id]).toBeUndefined();
    const metrics = await (await fetch(`${server.crmOrigin}/metrics`)).text();
    expect(metrics).toMatch(/switchboard_workitems_total 1/);
    expect(metrics).toMatch(/switchboard_store_save_seconds_count 1/);
    expect(metrics).toMatch(/switchboard_websocket_clients 1/);
  });

  it('two sockets for one agent both receive the updates; the log row is still written once', async () => {
    const { server } = await start();
    const a = await gadget(server);
    const b = await gadget(server);
    const ch = channelOf(a);
    await a.api.setAgentState(ch, 'Ready');
    await waitFor('both Ready', () => a.session.state.channels[ch]?.state === 'Ready' && b.session.state.channels[ch]?.state === 'Ready');
    server.platform.sim?.arrive({ from: '+41445550102', queue: 'support' });
    const id = await waitFor('offered on both', () => liveItem(a, 'Offered') !== undefined && liveItem(b, 'Offered'));
    await a.api.answer(id);
    await waitFor('active on both', () => liveItem(a, 'Active') !== undefined && liveItem(b, 'Active'));
    await b.api.end(id);
    await a.api.setAgentState(ch, 'Ready').catch(() => undefined);
    await waitFor('ended on both', () => a.session.state.workitems[id] === undefined && b.session.state.workitems[id] === undefined);
    await waitFor('row stored', async () => (await server.store.count({ agentId: '1001' })) > 0);
    await new Promise((r) => setTimeout(r, 200));
    expect(await logRows(server, '1001')).toHaveLength(1);
    expect(await server.store.count({ agentId: '1001' })).toBe(1);
  });

  it('a second hello after disconnect replays the live call (recovery) without a second log row', async () => {
    const { server } = await start();
    const a = await gadget(server);
    const ch = channelOf(a);
    await a.api.setAgentState(ch, 'Ready');
    await waitFor('Ready', () => a.session.state.channels[ch]?.state === 'Ready');
    server.platform.sim?.arrive({ from: '+41445550103', queue: 'support', callVariables: { callVariable1: 'gold' } });
    const id = await waitFor('offered', () => liveItem(a, 'Offered'));
    await a.api.answer(id);
    await waitFor('active', () => liveItem(a, 'Active'));
    await a.disconnect();
    await waitFor('socket gone', () => server.platform.hubs()[0]?.listenerCount === 0);

    const again = await gadget(server);
    const w = again.session.state.workitems[id];
    expect(w?.state).toBe('Active');
    expect(w?.ani).toBe('+41445550103');
    expect(w?.ctiData.callVariable1).toBe('gold');
    expect(again.session.state.channels[ch]?.state).not.toBe('Ready');
    await again.api.end(id);
    await again.api.setAgentState(ch, 'Ready');
    await waitFor('ended', () => again.session.state.workitems[id] === undefined);
    await waitFor('row stored', async () => (await server.store.count({ agentId: '1001' })) > 0);
    await new Promise((r) => setTimeout(r, 200));
    expect(await logRows(server, '1001')).toHaveLength(1);
  });

  it('malformed frames get problem and the socket stays usable; requests before hello fail; unknown agents are refused', async () => {
    const { server } = await start();
    const { ws, got } = await rawSocket(server);
    ws.send('not json');
    ws.send(JSON.stringify({ type: 'nope' }));
    ws.send(JSON.stringify({ type: 'hello', protocol: 99, agentId: '1001' }));
    ws.send(JSON.stringify({ type: 'request', request: { type: 'answer', requestId: 'r1' } }));
    ws.send(JSON.stringify({ type: 'hello', protocol: 1, agentId: '4242' }));
    ws.send(JSON.stringify({ type: 'ping', id: 'p1' }));
    await waitFor('six answers', () => got.length >= 6);
    const problems = got.filter((m): m is Extract<ServerMessage, { type: 'problem' }> => m.type === 'problem').map((m) => m.message);
    expect(problems.some((p) => p.startsWith('not JSON'))).toBe(true);
    expect(problems).toContain('unknown message type "nope"');
    expect(problems.some((p) => p.includes('protocol must be 1'))).toBe(true);
    expect(problems.some((p) => p.includes('unknown agent "4242"'))).toBe(true);
    expect(got).toContainEqual({ type: 'pong', id: 'p1' });
    const response = got.find((m) => m.type === 'response');
    expect(response).toMatchObject({ requestId: 'r1', ok: false, error: { code: 'NOT_CONNECTED', requestId: 'r1' } });

    ws.send(JSON.stringify({ type: 'hello', protocol: 1, agentId: '1001' }));
    await waitFor('welcome', () => got.find((m) => m.type === 'welcome'));
    expect(got.find((m) => m.type === 'welcome')).toEqual({ type: 'welcome', protocol: 1, agentId: '1001', source: 'sim' });
    await waitFor('session replay', () => got.find((m) => m.type === 'update' && m.update.type === 'session'));
    ws.send(JSON.stringify({ type: 'hello', protocol: 1, agentId: '1002' }));
    await waitFor('second hello refused', () => got.find((m) => m.type === 'problem' && m.message.includes('already attached')));
    ws.close();
  });

  it('a request the platform refuses comes back as a serialized SwitchboardError with the requestId', async () => {
    const { server } = await start();
    const { ws, got } = await rawSocket(server);
    ws.send(JSON.stringify({ type: 'hello', protocol: 1, agentId: '1001' }));
    await waitFor('welcome', () => got.find((m) => m.type === 'welcome'));
    ws.send(JSON.stringify({ type: 'request', request: { type: 'answer', workitemId: 'no-such-call', requestId: 'r9' } }));
    const r = await waitFor('response', () => got.find((m) => m.type === 'response'));
    expect(r).toMatchObject({ type: 'response', requestId: 'r9', ok: false, error: { requestId: 'r9' } });
    ws.close();
  });

  it('logs contain no credentials: Finesse password, Authorization header, store URL password', async () => {
    const { server, logs } = await start({ platform: { kind: 'finesse', baseUrl: 'http://127.0.0.1:9', user: 'agent1', password: 'Pa55-Secret!', xmppService: 'xmpp://127.0.0.1:9' } });
    const res = await fetch(`${server.crmOrigin}/healthz`, { headers: { authorization: 'Bearer TOKEN-abc123' } });
    expect(res.status).toBe(200);
    const { ws, got } = await rawSocket(server);
    ws.send(JSON.stringify({ type: 'hello', protocol: 1, agentId: '1001' }));
    await waitFor('hello refused', () => got.find((m) => m.type === 'problem'), 15000);
    ws.close();
    server.log.info({ config: { store: 'postgres://sb:DbPass99@db/switchboard', finesse: { password: 'Pa55-Secret!' } }, req: { headers: { authorization: 'Basic QWxhZGRpbjpvcGVu' } } }, 'config check');
    const all = logs.join('');
    expect(all).toContain('hello refused');
    expect(all).toContain('config check');
    for (const secret of ['Pa55-Secret!', 'TOKEN-abc123', 'DbPass99', 'QWxhZGRpbjpvcGVu']) expect(all).not.toContain(secret);
    expect(all).toContain('[Redacted]');
  }, 20000);
});
