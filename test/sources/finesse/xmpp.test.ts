/**
 * FinesseXmpp against a real prosody on loopback (FINESSE.md "A loopback test rig that works"):
 * no TLS, plain auth, the pubsub domain as an XEP-0114 component that sends Finesse-shaped
 * messages. Prosody is started, stopped (SIGSTOP: ping loss), killed and restarted here.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error -- @xmpp/component ships no type declarations
import { component as untypedComponent, xml as untypedXml } from '@xmpp/component';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock.js';
import type { SwitchboardError } from '../../../src/core/errors.js';
import { FinesseXmpp, backoffDelay, type FinesseNotificationMessage, type XmlElement, type XmppStatus } from '../../../src/sources/finesse/xmpp.js';

type Xml = (name: string, attrs?: Record<string, string>, ...children: (XmlElement | string)[]) => XmlElement;
interface Component {
  start(): Promise<unknown>;
  stop(): Promise<unknown>;
  send(el: XmlElement): Promise<unknown>;
  on(ev: 'stanza', fn: (el: XmlElement) => void): void;
  on(ev: 'error', fn: (err: Error) => void): void;
  reconnect: { stop(): void };
}
const xml = untypedXml as Xml;
const component = untypedComponent as (o: { service: string; domain: string; password: string }) => Component;

const DOMAIN = 'finesse.test';
const PUBSUB = 'pubsub.finesse.test';
const PASSWORD = 'agent-Pa55word';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function waitFor(pred: () => boolean, ms = 8000): Promise<void> {
  const until = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

let dir = '';
let cfg = '';
let c2s = 0;
let comp = 0;
let prosody: ChildProcess | undefined;
let stopped = false;

async function startProsody(): Promise<void> {
  prosody = spawn('prosody', ['--config', cfg], { stdio: 'ignore' });
  const until = Date.now() + 8000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(true));
      s.listen(c2s, '127.0.0.1', () => s.close(() => resolve(false)));
    });
    if (ok) break;
    if (Date.now() > until) throw new Error('prosody did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function killProsody(): Promise<void> {
  const p = prosody;
  prosody = undefined;
  if (p === undefined || p.exitCode !== null) return;
  if (stopped) p.kill('SIGCONT');
  stopped = false;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-prosody-'));
  c2s = await freePort();
  comp = await freePort();
  cfg = join(dir, 'prosody.cfg.lua');
  writeFileSync(
    cfg,
    `pidfile = "${dir}/prosody.pid"
data_path = "${dir}/data"
daemonize = false
log = { error = "${dir}/prosody.log" }
c2s_ports = { ${c2s} }
c2s_interfaces = { "127.0.0.1" }
component_ports = { ${comp} }
component_interfaces = { "127.0.0.1" }
s2s_ports = {}
http_ports = {}
https_ports = {}
modules_enabled = { "roster", "saslauth", "disco", "ping", "presence", "message" }
modules_disabled = { "posix", "s2s", "offline", "tls" }
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_plain"
VirtualHost "${DOMAIN}"
Component "${PUBSUB}"
  component_secret = "compsecret"
`,
  );
  mkdirSync(join(dir, 'data'));
  chmodSync(dir, 0o755);
  // prosodyctl drops root to the prosody user: let it write the data dir.
  if (userInfo().uid === 0) {
    const id = spawnSync('id', ['-u', 'prosody'], { encoding: 'utf8' }).stdout.trim();
    if (id !== '') chownSync(join(dir, 'data'), Number(id), Number(id));
  }
  const reg = spawnSync('prosodyctl', ['--config', cfg, 'register', 'agent1', DOMAIN, PASSWORD], { encoding: 'utf8' });
  expect(reg.status, reg.stderr).toBe(0);
  await startProsody();
}, 20_000);

afterAll(async () => {
  await killProsody();
  rmSync(dir, { recursive: true, force: true });
});

async function startComponent(onStanza?: (el: XmlElement) => void): Promise<Component> {
  const c = component({ service: `xmpp://127.0.0.1:${comp}`, domain: PUBSUB, password: 'compsecret' });
  c.reconnect.stop();
  c.on('error', () => undefined);
  if (onStanza) c.on('stanza', onStanza);
  await c.start();
  return c;
}

function pubsubMessage(to: string, node: string, inner: (XmlElement | string)[]): XmlElement {
  return xml('message', { to, from: PUBSUB, id: `${node}__${to}__k15Q3` }, xml('event', { xmlns: 'http://jabber.org/protocol/pubsub#event' }, xml('items', { node }, ...inner)));
}

function agent(extra: Partial<ConstructorParameters<typeof FinesseXmpp>[0]> = {}) {
  const notes: FinesseNotificationMessage[] = [];
  const statuses: XmppStatus[] = [];
  const errors: SwitchboardError[] = [];
  const x = new FinesseXmpp({
    service: `xmpp://127.0.0.1:${c2s}`,
    domain: DOMAIN,
    username: 'agent1',
    password: PASSWORD,
    resource: 'switchboard',
    clock: systemClock,
    onNotification: (n) => notes.push(n),
    onStatus: (s) => statuses.push(s),
    onError: (e) => errors.push(e),
    pingIntervalMs: 200,
    pingTimeoutMs: 300,
    connectTimeoutMs: 4000,
    backoff: { initialMs: 100, maxMs: 400 },
    ...extra,
  });
  return { x, notes, statuses, errors };
}

describe('FinesseXmpp against prosody', () => {
  it('connects with presence, receives a Finesse-shaped pubsub message and decodes the <Update>', async () => {
    const a = agent();
    await a.x.start();
    try {
      expect(a.x.jid).toBe('agent1@finesse.test/switchboard');
      expect(a.statuses).toEqual(['online']);
      const c = await startComponent();
      const update = '<Update><data><user><state>READY</state><reasonCode><label>a &amp; b</label></reasonCode></user></data><event>PUT</event><requestId>r1</requestId><source>/finesse/api/User/agent1</source></Update>';
      await c.send(pubsubMessage(a.x.jid, '/finesse/api/User/agent1', [xml('item', { id: 'it1' }, xml('notification', { xmlns: 'http://jabber.org/protocol/pubsub' }, update))]));
      await waitFor(() => a.notes.length === 1);
      expect(a.notes[0]).toEqual({ node: '/finesse/api/User/agent1', xml: update, itemId: 'it1' });

      // malformed: no notification, no node, a handler that throws → errors, never a crash
      await c.send(pubsubMessage(a.x.jid, '/finesse/api/User/agent1/Dialogs', [xml('item', { id: 'it2' })]));
      await c.send(xml('message', { to: a.x.jid, from: PUBSUB }, xml('event', { xmlns: 'http://jabber.org/protocol/pubsub#event' }, xml('items', {}))));
      await waitFor(() => a.errors.length >= 2);
      expect(a.errors.map((e) => e.code)).toEqual(['PARSE_ERROR', 'PARSE_ERROR']);
      expect(a.x.online).toBe(true);
      await c.stop();
    } finally {
      await a.x.stop();
    }
    for (const e of a.errors) expect(e.message).not.toContain(PASSWORD);
  });

  it('a throwing notification handler is reported, the connection stays', async () => {
    const a = agent({
      onNotification: () => {
        throw new Error('handler broke');
      },
    });
    await a.x.start();
    const c = await startComponent();
    try {
      await c.send(pubsubMessage(a.x.jid, '/n', [xml('item', { id: 'x' }, xml('notification', { xmlns: 'http://jabber.org/protocol/pubsub' }, '<Update/>'))]));
      await waitFor(() => a.errors.length === 1);
      expect(a.errors[0]!.code).toBe('HANDLER_ERROR');
      expect(a.x.online).toBe(true);
    } finally {
      await c.stop();
      await a.x.stop();
    }
  });

  it('subscribes and unsubscribes Team/Queue nodes with the full JID (XEP-0060)', async () => {
    const seen: string[] = [];
    const ref: { c?: Component } = {};
    const c = await startComponent((el) => {
      if (el.name !== 'iq') return;
      const ps = el.getChild('pubsub', 'http://jabber.org/protocol/pubsub');
      const op = ps?.children.find((k): k is XmlElement => typeof k !== 'string');
      if (op === undefined || ref.c === undefined) return;
      seen.push(`${op.name} ${op.attrs.node} ${op.attrs.jid}`);
      void ref.c.send(xml('iq', { type: 'result', id: el.attrs.id ?? '', to: el.attrs.from ?? '', from: PUBSUB }));
    });
    ref.c = c;
    const a = agent();
    await a.x.start();
    try {
      await a.x.subscribe('/finesse/api/Team/7/Users');
      await a.x.unsubscribe('/finesse/api/Team/7/Users');
      await a.x.subscribe('/finesse/api/Queue/5');
      await a.x.stop(); // unsubscribes what is left
      expect(seen).toEqual([
        'subscribe /finesse/api/Team/7/Users agent1@finesse.test/switchboard',
        'unsubscribe /finesse/api/Team/7/Users agent1@finesse.test/switchboard',
        'subscribe /finesse/api/Queue/5 agent1@finesse.test/switchboard',
        'unsubscribe /finesse/api/Queue/5 agent1@finesse.test/switchboard',
      ]);
    } finally {
      await a.x.stop();
      await c.stop();
    }
  });

  it('a wrong password is refused without echoing it', async () => {
    const a = agent({ password: 'wrong-Secret9' });
    await expect(a.x.start()).rejects.toMatchObject({ code: 'PLATFORM_ERROR' });
    await a.x.start().catch((e: Error) => expect(e.message).not.toContain('wrong-Secret9'));
  });

  it('detects a silent server by ping, reports offline, reconnects when it answers again', async () => {
    const a = agent();
    await a.x.start();
    try {
      prosody!.kill('SIGSTOP');
      stopped = true;
      await waitFor(() => a.statuses.includes('offline'));
      expect(a.x.online).toBe(false);
      prosody!.kill('SIGCONT');
      stopped = false;
      await waitFor(() => a.statuses.length === 3, 15_000);
      expect(a.statuses).toEqual(['online', 'offline', 'online']);
      expect(a.x.online).toBe(true);
    } finally {
      if (stopped) prosody!.kill('SIGCONT');
      stopped = false;
      await a.x.stop();
    }
  }, 25_000);

  it('detects a killed server, retries with backoff, reconnects when it comes back', async () => {
    const a = agent();
    await a.x.start();
    try {
      await killProsody();
      await waitFor(() => a.statuses.includes('offline'));
      await waitFor(() => a.errors.some((e) => e.code === 'NOT_CONNECTED')); // at least one failed retry
      await startProsody();
      await waitFor(() => a.statuses.length === 3, 15_000);
      expect(a.statuses).toEqual(['online', 'offline', 'online']);
      // still receives after the reconnect
      const c = await startComponent();
      await c.send(pubsubMessage(a.x.jid, '/finesse/api/User/agent1/Dialogs', [xml('item', { id: 'z' }, xml('notification', { xmlns: 'http://jabber.org/protocol/pubsub' }, '<Update><event>POST</event></Update>'))]));
      await waitFor(() => a.notes.length === 1);
      await c.stop();
    } finally {
      await a.x.stop();
      if (prosody === undefined) await startProsody();
    }
  }, 25_000);
});

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, scaled down by jitter', () => {
    const b = { initialMs: 1000, maxMs: 30_000, factor: 2, jitter: 0.5 };
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, b, () => 0))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(backoffDelay(1, b, () => 1)).toBe(1000);
  });
});
