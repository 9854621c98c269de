import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- @xmpp/client ships no type declarations; the surface used here is typed below.
import { client as untypedClient, xml as untypedXml } from '@xmpp/client';
import { runFinesseEmulator, type FinesseEmulator } from '../../src/finesse-emulator/index.js';
import { parseNotification } from '../../src/sources/finesse/parse.js';
import type { FinesseNotification } from '../../src/sources/finesse/types.js';

interface El {
  name: string;
  attrs: Record<string, string | undefined>;
  getChild(name: string, xmlns?: string): El | undefined;
  getText(): string;
}
interface XmppClient {
  jid: { toString(): string } | null;
  start(): Promise<unknown>;
  stop(): Promise<unknown>;
  send(el: El): Promise<unknown>;
  on(event: 'stanza', cb: (el: El) => void): void;
  on(event: 'error', cb: (err: Error) => void): void;
  iqCaller: { request(el: El, timeout?: number): Promise<El> };
}
const client = untypedClient as (o: { service: string; domain: string; resource: string; username: string; password: string }) => XmppClient;
const xml = untypedXml as (name: string, attrs?: Record<string, string>, ...children: El[]) => El;

const NS_EVENT = 'http://jabber.org/protocol/pubsub#event';
const NS_PUBSUB = 'http://jabber.org/protocol/pubsub';

interface Received {
  from: string;
  type: string | undefined;
  to: string;
  node: string;
  n: FinesseNotification;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanups.reverse()) await f().catch(() => undefined);
  cleanups.length = 0;
});

async function lab(flavor: 'UCCE' | 'UCCX' = 'UCCE'): Promise<FinesseEmulator> {
  const l = await runFinesseEmulator({ flavor, password: 'pw', log: () => undefined });
  cleanups.push(() => l.stop());
  return l;
}

/** An agent desktop's XMPP side: log in, send presence, collect the pubsub notifications. */
async function agent(l: FinesseEmulator, id: string): Promise<{ c: XmppClient; got: Received[] }> {
  const c = client({ service: l.xmppService, domain: l.domain, resource: 'switchboard', username: id, password: 'pw' });
  c.on('error', () => undefined);
  const got: Received[] = [];
  c.on('stanza', (el) => {
    if (el.name !== 'message') return;
    const items = el.getChild('event', NS_EVENT)?.getChild('items');
    const text = items?.getChild('item')?.getChild('notification', NS_PUBSUB)?.getText();
    if (items === undefined || text === undefined) return;
    got.push({ from: el.attrs.from ?? '', to: el.attrs.to ?? '', type: el.attrs.type, node: items.attrs.node ?? '', n: parseNotification(text) });
  });
  await c.start();
  cleanups.push(() => c.stop());
  await c.send(xml('presence'));
  return { c, got };
}

async function waitFor<T>(f: () => T | undefined, what: string, ms = 5000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function put(l: FinesseEmulator, path: string, body: string, requestId: string, user = '1001'): Promise<number> {
  return fetch(`${l.baseUrl}${path}`, {
    method: 'PUT',
    headers: { authorization: `Basic ${Buffer.from(`${user}:pw`).toString('base64')}`, requestId, 'content-type': 'application/xml' },
    body,
  }).then((r) => r.status);
}

const userIs = (got: Received[], state: string, requestId?: string) =>
  got.find((r) => r.n.kind === 'user' && r.n.user.state === state && r.node === '/finesse/api/User/1001' && (requestId === undefined || r.n.requestId === requestId));

describe('finesse emulator over XMPP (real prosody)', () => {
  it('an agent receives User and Dialog notifications shaped like Finesse’s, requestIds echoed', async () => {
    const l = await lab();
    const { got } = await agent(l, '1001');
    expect(await put(l, '/finesse/api/User/1001', '<User><state>LOGIN</state><extension>1001001</extension></User>', 'r-login')).toBe(202);
    const login = await waitFor(() => userIs(got, 'NOT_READY', 'r-login'), 'login notification');
    // From the pubsub component, to the bare JID, no type attribute, node = the user.
    expect(login).toMatchObject({ from: 'pubsub.finesse.test', to: '1001@finesse.test', type: undefined, node: '/finesse/api/User/1001' });
    expect(await put(l, '/finesse/api/User/1001', '<User><state>READY</state></User>', 'r-ready')).toBe(202);
    await waitFor(() => userIs(got, 'READY', 'r-ready'), 'READY');

    const id = l.cc.arrive({ from: '+4961215550123', queue: '6001', callVariables: { callVariable1: 'INV-1001' } });
    const post = await waitFor(() => got.find((r) => r.n.kind === 'dialogs' && r.n.event === 'POST'), 'dialog POST');
    expect(post.node).toBe('/finesse/api/User/1001/Dialogs');
    expect(post.n.kind === 'dialogs' && post.n.dialogs[0]).toMatchObject({ id, state: 'ALERTING' });
    await waitFor(() => userIs(got, 'RESERVED'), 'RESERVED');

    expect(await put(l, `/finesse/api/Dialog/${id}`, '<Dialog><requestedAction>ANSWER</requestedAction><targetMediaAddress>1001001</targetMediaAddress></Dialog>', 'r-answer')).toBe(202);
    const answered = await waitFor(() => got.find((r) => r.n.kind === 'dialog' && r.n.requestId === 'r-answer'), 'answer PUT');
    expect(answered.n.kind === 'dialog' && answered.n.dialog.state).toBe('ACTIVE');
    await waitFor(() => userIs(got, 'TALKING', 'r-answer'), 'TALKING');

    l.cc.callerHangup(id);
    const wrap = await waitFor(() => got.find((r) => r.n.kind === 'dialog' && r.n.dialog.participants[0]?.state === 'WRAP_UP'), 'WRAP_UP');
    expect(wrap.n.kind === 'dialog' && wrap.n.dialog.state).toBe('DROPPED');
    await waitFor(() => userIs(got, 'WORK'), 'WORK');
    expect(await put(l, '/finesse/api/User/1001', '<User><state>READY</state></User>', 'r-end')).toBe(202);
    const del = await waitFor(() => got.find((r) => r.n.kind === 'dialogs' && r.n.event === 'DELETE'), 'DELETE');
    expect(del.n.requestId).toBe('r-end');
    await waitFor(() => userIs(got, 'READY', 'r-end'), 'READY after the call');
    // Nobody else's notifications reached this agent.
    expect(got.every((r) => r.node.startsWith('/finesse/api/User/1001'))).toBe(true);
  });

  it('Team nodes need an explicit subscribe (answered by the component), then carry team members', async () => {
    const l = await lab();
    const { c, got } = await agent(l, '1001');
    const full = c.jid?.toString() ?? '';
    const res = await c.iqCaller.request(xml('iq', { type: 'set', to: l.componentDomain }, xml('pubsub', { xmlns: NS_PUBSUB }, xml('subscribe', { node: '/finesse/api/Team/5000/Users', jid: full }))));
    expect(res.getChild('pubsub', NS_PUBSUB)?.getChild('subscription')?.attrs).toMatchObject({ node: '/finesse/api/Team/5000/Users', subscription: 'subscribed' });
    expect(await put(l, '/finesse/api/User/1002', '<User><state>LOGIN</state><extension>1002001</extension></User>', 'x', '1002')).toBe(202);
    const team = await waitFor(() => got.find((r) => r.node === '/finesse/api/Team/5000/Users' && r.n.kind === 'user' && r.n.user.loginId === '1002'), 'team notification');
    expect(team.to).toBe(full);
    expect(team.n.kind === 'user' && team.n.user.state).toBe('NOT_READY');
    await c.iqCaller.request(xml('iq', { type: 'set', to: l.componentDomain }, xml('pubsub', { xmlns: NS_PUBSUB }, xml('unsubscribe', { node: '/finesse/api/Team/5000/Users', jid: full }))));
    const before = got.length;
    expect(await put(l, '/finesse/api/User/1002', '<User><state>READY</state></User>', 'y', '1002')).toBe(202);
    await new Promise((r) => setTimeout(r, 200));
    expect(got.slice(before).filter((r) => r.node.startsWith('/finesse/api/Team'))).toEqual([]);
  });

  it('UCCX: dialogs without callKey fields over XMPP', async () => {
    const l = await lab('UCCX');
    const { got } = await agent(l, '1001');
    await put(l, '/finesse/api/User/1001', '<User><state>LOGIN</state><extension>1001001</extension></User>', 'a');
    await waitFor(() => userIs(got, 'NOT_READY'), 'login');
    await put(l, '/finesse/api/User/1001', '<User><state>READY</state></User>', 'b');
    await waitFor(() => userIs(got, 'READY'), 'ready');
    l.cc.arrive({ from: '+4961215550123', queue: '6001' });
    const post = await waitFor(() => got.find((r) => r.n.kind === 'dialogs'), 'POST');
    expect(post.n.kind === 'dialogs' && post.n.dialogs[0]?.mediaProperties).toMatchObject({ callKeyCallId: '', callKeyPrefix: '', queueName: 'Billing' });
  });

  it('prosody killed and restarted on the same ports: the component reconnects and notifications flow again', async () => {
    const l = await lab();
    const first = await agent(l, '1001');
    await put(l, '/finesse/api/User/1001', '<User><state>LOGIN</state><extension>1001001</extension></User>', 'a');
    await waitFor(() => userIs(first.got, 'NOT_READY'), 'login');
    await first.c.stop();
    const ports = [l.prosody!.c2sPort, l.prosody!.componentPort];
    await l.prosody!.kill();
    await waitFor(() => (l.component!.isOnline ? undefined : true), 'component offline');
    // A change during the outage is lost, as on a real failover.
    expect(await put(l, '/finesse/api/User/1001', '<User><state>READY</state></User>', 'lost')).toBe(202);
    await waitFor(() => (l.component!.dropped > 0 ? true : undefined), 'dropped notification');
    await l.prosody!.restart();
    expect([l.prosody!.c2sPort, l.prosody!.componentPort]).toEqual(ports);
    await waitFor(() => (l.component!.isOnline ? true : undefined), 'component back online', 10_000);
    expect(l.component!.connections).toBeGreaterThanOrEqual(2);
    const second = await agent(l, '1001');
    expect(await put(l, '/finesse/api/User/1001', '<User><state>NOT_READY</state><reasonCodeId>3</reasonCodeId></User>', 'after')).toBe(202);
    const n = await waitFor(() => userIs(second.got, 'NOT_READY', 'after'), 'notification after restart');
    expect(n.n.kind === 'user' && n.n.user.reasonCodeId).toBe('3');
  });
});
