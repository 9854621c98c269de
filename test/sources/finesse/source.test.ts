/**
 * FinesseSource against a fake Finesse REST (node:http on loopback) and a stand-in notification
 * channel the test drives (push an <Update>, lose and regain the connection), plus one run over
 * a real prosody with the pubsub component (src/testing/prosody.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error -- @xmpp/component ships no type declarations
import { component as untypedComponent, xml as untypedXml } from '@xmpp/component';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock, systemClock } from '../../../src/core/clock.js';
import { ErrorCode, SwitchboardError } from '../../../src/core/errors.js';
import type { PlatformRequest } from '../../../src/core/source.js';
import type { PlatformUpdate } from '../../../src/core/updates.js';
import { FinesseSource, REQUEST_ACTIONS, type FinesseConnectionState, type NotificationChannel } from '../../../src/sources/finesse/source.js';
import type { FinesseXmppOptions, XmlElement } from '../../../src/sources/finesse/xmpp.js';
import { startProsody, type ProsodyLab } from '../../../src/testing/prosody.js';

const EXT = '1001001';

function systemInfo(status = 'IN_SERVICE', type = 'UCCE'): string {
  return `<SystemInfo><deploymentType>${type}</deploymentType><status>${status}</status><xmppDomain>finesse.test</xmppDomain><xmppPubSubDomain>pubsub.finesse.test</xmppPubSubDomain></SystemInfo>`;
}
function user(state: string, reasonCodeId = '-1'): string {
  return `<User><loginId>1001</loginId><loginName>jdoe</loginName><firstName>Jane</firstName><lastName>Doe</lastName><extension>${EXT}</extension><state>${state}</state><reasonCodeId>${reasonCodeId}</reasonCodeId><stateChangeTime>2026-01-05T09:00:00.000Z</stateChangeTime><teamId>7</teamId><teamName>Sales</teamName><settings><wrapUpOnIncoming>OPTIONAL</wrapUpOnIncoming></settings></User>`;
}
function dialog(id: string, agentState: string, actions: string[], from = '2257550432'): string {
  return `<Dialog><associatedDialogUri/><fromAddress>${from}</fromAddress><id>${id}</id><secondaryId/>
<mediaProperties><DNIS>${EXT}</DNIS><callType>ACD_IN</callType><dialedNumber>8004456531</dialedNumber><outboundClassification/><queueNumber>5022</queueNumber><queueName>Sales.SG</queueName><callKeyCallId>217</callKeyCallId><callKeySequenceNum>1</callKeySequenceNum><callKeyPrefix>152018</callKeyPrefix><wrapUpReason/><callvariables><CallVariable><name>callVariable1</name><value>v1</value></CallVariable></callvariables></mediaProperties>
<mediaType>Voice</mediaType><participants>
<Participant><actions>${actions.map((a) => `<action>${a}</action>`).join('')}</actions><mediaAddress>${EXT}</mediaAddress><mediaAddressType>AGENT_DEVICE</mediaAddressType><startTime>2026-01-05T09:00:01.120Z</startTime><state>${agentState}</state><stateCause/><stateChangeTime>2026-01-05T09:00:01.120Z</stateChangeTime></Participant>
<Participant><actions><action>DROP</action></actions><mediaAddress>${from}</mediaAddress><mediaAddressType/><startTime>2026-01-05T09:00:01.120Z</startTime><state>ACTIVE</state><stateCause/><stateChangeTime>2026-01-05T09:00:01.120Z</stateChangeTime></Participant>
</participants><state>ACTIVE</state><toAddress>8004456531</toAddress><uri>/finesse/api/Dialog/${id}</uri></Dialog>`;
}
const REASONS_NR = '<ReasonCodes><ReasonCode><category>NOT_READY</category><code>16</code><label>Break</label><id>16</id><uri>/finesse/api/ReasonCode/16</uri></ReasonCode></ReasonCodes>';
const REASONS_LO = '<ReasonCodes><ReasonCode><category>LOGOUT</category><code>99</code><label>End of shift</label><id>99</id><uri>/finesse/api/ReasonCode/99</uri></ReasonCode></ReasonCodes>';
const WRAPUPS = '<WrapUpReasons><WrapUpReason><label>Sales</label><id>1</id><forAll>true</forAll><uri>/finesse/api/WrapUpReason/1</uri></WrapUpReason></WrapUpReasons>';

interface Fake {
  systemInfo: string;
  systemInfoStatus: number;
  user: string;
  dialogs: string[];
  requests: { method: string; url: string; requestId: string | undefined; body: string }[];
  onWrite?: (method: string, url: string, body: string) => void;
  writeStatus: number;
}
const fake: Fake = { systemInfo: '', systemInfoStatus: 200, user: '', dialogs: [], requests: [], writeStatus: 202 };
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const url = req.url ?? '';
      const method = req.method ?? '';
      fake.requests.push({ method, url, requestId: req.headers.requestid as string | undefined, body });
      const xml = (s: string, status = 200) => res.writeHead(status, { 'Content-Type': 'application/xml' }).end(s);
      if (method !== 'GET') {
        fake.onWrite?.(method, url, body);
        res.writeHead(fake.writeStatus).end();
        return;
      }
      if (url === '/finesse/api/SystemInfo') return fake.systemInfoStatus === 200 ? xml(fake.systemInfo) : res.writeHead(fake.systemInfoStatus).end('<html><title>Service Unavailable</title></html>');
      if (url === '/finesse/api/User/1001') return xml(fake.user);
      if (url === '/finesse/api/User/1001/ReasonCodes?category=NOT_READY') return xml(REASONS_NR);
      if (url === '/finesse/api/User/1001/ReasonCodes?category=LOGOUT') return xml(REASONS_LO);
      if (url === '/finesse/api/User/1001/WrapUpReasons') return xml(WRAPUPS);
      if (url === '/finesse/api/User/1001/Dialogs') return xml(`<Dialogs>${fake.dialogs.join('')}</Dialogs>`);
      if (url === '/finesse/api/User/1001/Queues') return xml('<Queues/>');
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

beforeEach(() => {
  fake.systemInfo = systemInfo();
  fake.systemInfoStatus = 200;
  fake.user = user('NOT_READY', '16');
  fake.dialogs = [];
  fake.requests = [];
  fake.writeStatus = 202;
  delete fake.onWrite;
});

/** A notification channel the test drives. */
class StandIn implements NotificationChannel {
  readonly jid = '1001@finesse.test/switchboard';
  started = 0;
  stopped = 0;
  subs: string[] = [];
  constructor(readonly options: FinesseXmppOptions) {}
  start(): Promise<void> {
    this.started++;
    return Promise.resolve();
  }
  stop(): Promise<void> {
    this.stopped++;
    return Promise.resolve();
  }
  subscribe(node: string): Promise<void> {
    this.subs.push(`+${node}`);
    return Promise.resolve();
  }
  unsubscribe(node: string): Promise<void> {
    this.subs.push(`-${node}`);
    return Promise.resolve();
  }
  push(node: string, update: string): void {
    this.options.onNotification({ node, xml: update, itemId: 'i' });
  }
}

function setup(extra: Partial<ConstructorParameters<typeof FinesseSource>[0]> = {}) {
  const updates: PlatformUpdate[] = [];
  const states: FinesseConnectionState[] = [];
  const errors: SwitchboardError[] = [];
  const channels: StandIn[] = [];
  const source = new FinesseSource({
    baseUrl: base,
    agentId: '1001',
    auth: { kind: 'basic', user: '1001', password: 'pw-SECRET' },
    xmppService: 'xmpp://127.0.0.1:1',
    clock: systemClock,
    failoverPollMs: 20,
    createChannel: (o) => {
      const c = new StandIn(o);
      channels.push(c);
      return c;
    },
    onConnectionState: (s) => states.push(s),
    onError: (e) => errors.push(e),
    ...extra,
  });
  return { source, updates, states, errors, channels, emit: (u: PlatformUpdate) => void updates.push(u) };
}

async function waitFor(pred: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const dialogUpdate = (event: string, d: string, requestId = '') =>
  `<Update><data><dialogs>${d}</dialogs></data><event>${event}</event><requestId>${requestId}</requestId><source>/finesse/api/User/1001/Dialogs</source></Update>`;

describe('FinesseSource connect', () => {
  it('reads SystemInfo, connects XMPP, reads User/reasons/dialogs, emits session then call recovery once', async () => {
    fake.dialogs = [dialog('75627724', 'ACTIVE', ['HOLD', 'DROP', 'UPDATE_CALL_DATA', 'SEND_DTMF'])];
    fake.user = user('TALKING');
    const t = setup();
    await t.source.connect(t.emit);
    expect(t.source.flavor).toBe('UCCE');
    expect(t.source.channelId).toBe('voice_5000');
    expect(t.source.systemInfo?.xmppDomain).toBe('finesse.test');
    expect(t.channels[0]!.options.domain).toBe('finesse.test');
    expect(t.channels[0]!.options.pubsubDomain).toBe('pubsub.finesse.test');
    expect(t.channels[0]!.options.username).toBe('1001');
    expect(fake.requests.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['GET /finesse/api/SystemInfo', 'GET /finesse/api/User/1001', 'GET /finesse/api/User/1001/ReasonCodes?category=NOT_READY', 'GET /finesse/api/User/1001/ReasonCodes?category=LOGOUT', 'GET /finesse/api/User/1001/WrapUpReasons', 'GET /finesse/api/User/1001/Dialogs']),
    );
    expect(fake.requests[0]!.url).toBe('/finesse/api/SystemInfo');
    const [session] = t.updates;
    expect(session).toMatchObject({
      type: 'session',
      source: 'finesse',
      agent: { agentId: '1001', extension: EXT, firstName: 'Jane', lastName: 'Doe', teamId: '7' },
      channels: [{ id: 'voice_5000', type: 'Voice' }],
      reasonCodes: { NotReady: [{ id: '16', label: 'Break' }], Logout: [{ id: '99', label: 'End of shift' }], Wrapup: [{ id: '1', label: 'Sales' }] },
    });
    expect(t.updates.filter((u) => u.type === 'agentState')).toMatchObject([{ channelId: 'voice_5000', state: 'Active' }]);
    const added = t.updates.filter((u) => u.type === 'workitemAdded');
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ workitem: { id: '75627724', state: 'Active', channelId: 'voice_5000', capabilities: ['Hold', 'End', 'SendDtmf', 'UpdateData', 'SetWrapupReason'] } });
    expect(t.states).toEqual(['connecting', 'online']);

    // the same dialog republished by XMPP: no second workitemAdded
    t.channels[0]!.push('/finesse/api/User/1001/Dialogs', dialogUpdate('POST', dialog('75627724', 'ACTIVE', ['HOLD', 'DROP', 'UPDATE_CALL_DATA', 'SEND_DTMF'])));
    expect(t.updates.filter((u) => u.type === 'workitemAdded')).toHaveLength(1);
    // a held call: a state change
    t.channels[0]!.push('/finesse/api/User/1001/Dialogs', dialogUpdate('PUT', dialog('75627724', 'HELD', ['RETRIEVE', 'DROP']), 'req-h'));
    expect(t.updates.at(-1)).toMatchObject({ type: 'workitemState', id: '75627724', state: 'Paused', requestId: 'req-h' });
    await t.source.disconnect();
    expect(t.channels[0]!.stopped).toBe(1);
    expect(t.states.at(-1)).toBe('offline');
  });

  it('UCCX: voice_-1 and no queue read', async () => {
    fake.systemInfo = systemInfo('IN_SERVICE', 'UCCX');
    const t = setup();
    await t.source.connect(t.emit);
    expect(t.source.flavor).toBe('UCCX');
    expect(t.updates[0]).toMatchObject({ type: 'session', channels: [{ id: 'voice_-1' }] });
    expect(fake.requests.some((r) => r.url.endsWith('/Queues'))).toBe(false);
    await t.source.disconnect();
  });

  it('signs a logged-out agent in with the extension', async () => {
    fake.user = user('LOGOUT');
    fake.onWrite = () => {
      fake.user = user('NOT_READY');
    };
    const t = setup({ extension: EXT });
    await t.source.connect(t.emit);
    const put = fake.requests.find((r) => r.method === 'PUT');
    expect(put).toMatchObject({ url: '/finesse/api/User/1001', body: `<User><state>LOGIN</state><extension>${EXT}</extension></User>` });
    expect(put!.requestId).toMatch(/[0-9a-f-]{36}/);
    expect(t.updates.find((u) => u.type === 'agentState')).toMatchObject({ state: 'NotReady' });
    await t.source.disconnect();
  });

  it('refuses a Finesse that is not IN_SERVICE or failing over, and cleans up', async () => {
    fake.systemInfo = systemInfo('OUT_OF_SERVICE');
    const t = setup();
    await expect(t.source.connect(t.emit)).rejects.toMatchObject({ code: ErrorCode.NOT_CONNECTED, message: expect.stringMatching(/OUT_OF_SERVICE/) });
    fake.systemInfoStatus = 503;
    await expect(t.source.connect(t.emit)).rejects.toMatchObject({ code: ErrorCode.NOT_CONNECTED, message: expect.stringMatching(/failing over/) });
    expect(t.channels).toHaveLength(0);
    expect(t.updates).toEqual([]);
  });

  it('a malformed notification becomes a platformError update, never a throw', async () => {
    const t = setup();
    await t.source.connect(t.emit);
    t.channels[0]!.push('/finesse/api/User/1001', '<Update><data><user>');
    expect(t.updates.at(-1)).toMatchObject({ type: 'platformError' });
    await t.source.disconnect();
  });
});

describe('FinesseSource requests', () => {
  async function connected() {
    const t = setup();
    await t.source.connect(t.emit);
    fake.requests = [];
    return t;
  }

  it('supports every request but singleStepConference, and lists the action each needs', () => {
    const t = setup();
    expect([...t.source.supports].sort()).toEqual(['answer', 'conference', 'consult', 'directTransfer', 'end', 'hold', 'makeCall', 'resume', 'sendDtmf', 'setAgentState', 'transfer', 'updateData']);
    expect(REQUEST_ACTIONS).toMatchObject({ answer: 'ANSWER', resume: 'RETRIEVE', end: 'DROP', consult: 'CONSULT_CALL', directTransfer: 'TRANSFER_SST', updateData: 'UPDATE_CALL_DATA', singleStepConference: 'unsupported' });
  });

  it('maps every request onto the documented REST call with the requestId header', async () => {
    const t = await connected();
    const reqs: PlatformRequest[] = [
      { type: 'setAgentState', channelId: 'voice_5000', state: 'NotReady', reasonCode: '16', requestId: 'r1' },
      { type: 'setAgentState', channelId: 'voice_5000', state: 'Ready', requestId: 'r2' },
      { type: 'setAgentState', channelId: 'voice_5000', state: 'Logout', reasonCode: '99', requestId: 'r3' },
      { type: 'makeCall', channelId: 'voice_5000', address: '5551234', requestId: 'r4' },
      { type: 'answer', workitemId: 'd1', requestId: 'r5' },
      { type: 'hold', workitemId: 'd1', requestId: 'r6' },
      { type: 'resume', workitemId: 'd1', requestId: 'r7' },
      { type: 'end', workitemId: 'd1', requestId: 'r8' },
      { type: 'consult', workitemId: 'd1', address: '2000', requestId: 'r9' },
      { type: 'transfer', workitemId: 'd1', consultId: 'd2', requestId: 'r10' },
      { type: 'conference', workitemId: 'd1', consultId: 'd2', requestId: 'r11' },
      { type: 'directTransfer', workitemId: 'd1', address: '3000', requestId: 'r12' },
      { type: 'sendDtmf', workitemId: 'd1', digits: '12#', requestId: 'r13' },
      { type: 'updateData', workitemId: 'd1', data: { wrapUpReason: 'Sales', callVariable2: 'x' }, requestId: 'r14' },
    ];
    for (const r of reqs) await t.source.request(r);
    const tgt = `<targetMediaAddress>${EXT}</targetMediaAddress>`;
    const act = (a: string, more = '') => `<Dialog><requestedAction>${a}</requestedAction>${tgt}${more}</Dialog>`;
    expect(fake.requests.map((r) => [r.requestId, r.method, r.url, r.body])).toEqual([
      ['r1', 'PUT', '/finesse/api/User/1001', '<User><state>NOT_READY</state><reasonCodeId>16</reasonCodeId></User>'],
      ['r2', 'PUT', '/finesse/api/User/1001', '<User><state>READY</state></User>'],
      ['r3', 'PUT', '/finesse/api/User/1001', '<User><state>LOGOUT</state><reasonCodeId>99</reasonCodeId></User>'],
      ['r4', 'POST', '/finesse/api/User/1001/Dialogs', `<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>${EXT}</fromAddress><toAddress>5551234</toAddress></Dialog>`],
      ['r5', 'PUT', '/finesse/api/Dialog/d1', act('ANSWER')],
      ['r6', 'PUT', '/finesse/api/Dialog/d1', act('HOLD')],
      ['r7', 'PUT', '/finesse/api/Dialog/d1', act('RETRIEVE')],
      ['r8', 'PUT', '/finesse/api/Dialog/d1', act('DROP')],
      ['r9', 'PUT', '/finesse/api/Dialog/d1', act('CONSULT_CALL', '<toAddress>2000</toAddress>')],
      ['r10', 'PUT', '/finesse/api/Dialog/d1', act('TRANSFER')],
      ['r11', 'PUT', '/finesse/api/Dialog/d1', act('CONFERENCE')],
      ['r12', 'PUT', '/finesse/api/Dialog/d1', act('TRANSFER_SST', '<toAddress>3000</toAddress>')],
      ['r13', 'PUT', '/finesse/api/Dialog/d1', act('SEND_DTMF', '<actionParams><ActionParam><name>dtmfString</name><value>12#</value></ActionParam></actionParams>')],
      ['r14', 'PUT', '/finesse/api/Dialog/d1', act('UPDATE_CALL_DATA', '<mediaProperties><wrapUpReason>Sales</wrapUpReason><callvariables><CallVariable><name>callVariable2</name><value>x</value></CallVariable></callvariables></mediaProperties>')],
    ]);
    await t.source.disconnect();
  });

  it('refuses singleStepConference with NOT_SUPPORTED; REST failures carry the requestId', async () => {
    const t = await connected();
    await expect(t.source.request({ type: 'singleStepConference', workitemId: 'd1', address: '1', requestId: 'q1' })).rejects.toMatchObject({ code: ErrorCode.NOT_SUPPORTED, requestId: 'q1' });
    fake.writeStatus = 503;
    const err = await t.source.request({ type: 'hold', workitemId: 'd1', requestId: 'q2' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SwitchboardError);
    expect(err).toMatchObject({ code: ErrorCode.NOT_CONNECTED, requestId: 'q2' });
    expect((err as Error).message).not.toContain('pw-SECRET');
    expect(fake.requests).toHaveLength(1);
    await t.source.disconnect();
  });
});

describe('FinesseSource failover', () => {
  it('on XMPP loss polls SystemInfo through 503 until IN_SERVICE, then reconciles User and Dialogs', async () => {
    fake.user = user('TALKING');
    fake.dialogs = [dialog('A', 'ACTIVE', ['HOLD', 'DROP']), dialog('B', 'HELD', ['RETRIEVE', 'DROP'], '111')];
    const t = setup();
    await t.source.connect(t.emit);
    expect(t.updates.filter((u) => u.type === 'workitemAdded').map((u) => (u.type === 'workitemAdded' ? u.workitem.id : ''))).toEqual(['A', 'B']);
    const before = t.updates.length;
    const ch = t.channels[0]!;

    fake.systemInfoStatus = 503;
    ch.options.onStatus?.('offline', { reason: 'no answer to ping', reconnect: false });
    expect(t.source.connectionState).toBe('failover');
    await waitFor(() => fake.requests.filter((r) => r.url === '/finesse/api/SystemInfo').length >= 3);
    // XMPP back first: still waiting for IN_SERVICE
    ch.options.onStatus?.('online', { reason: 'reconnected', reconnect: true });
    await new Promise((r) => setTimeout(r, 60));
    expect(t.updates.length).toBe(before);
    expect(t.source.connectionState).toBe('failover');

    // during the outage: A still up, B vanished, C appeared
    fake.dialogs = [dialog('A', 'ACTIVE', ['HOLD', 'DROP']), dialog('C', 'ALERTING', ['ANSWER'], '222')];
    fake.systemInfoStatus = 200;
    await waitFor(() => t.source.connectionState === 'online');
    const after = t.updates.slice(before);
    expect(after.filter((u) => u.type === 'workitemAdded').map((u) => (u.type === 'workitemAdded' ? u.workitem.id : ''))).toEqual(['C']);
    expect(after.find((u) => u.type === 'workitemState' && u.id === 'B')).toMatchObject({ state: 'EndedUnknown' });
    expect(after.some((u) => (u.type === 'workitemState' || u.type === 'workitemInfo') && u.id === 'A')).toBe(false);
    expect(t.states).toEqual(['connecting', 'online', 'failover', 'online']);
    await t.source.disconnect();
  });

  it('timers run on the injected clock', async () => {
    const clock = new SimulatedClock(Date.parse('2026-01-05T09:00:00Z'));
    const t = setup({ clock, failoverPollMs: 5000 });
    const connecting = t.source.connect(t.emit);
    // REST timeouts are armed on the simulated clock while requests are in flight
    await waitFor(() => clock.pending > 0);
    await connecting;
    expect(clock.pending).toBe(0);
    fake.systemInfo = systemInfo('PARTIAL_SERVICE');
    t.channels[0]!.options.onStatus?.('offline', { reason: 'socket closed', reconnect: false });
    clock.advance(0);
    await waitFor(() => fake.requests.filter((r) => r.url === '/finesse/api/SystemInfo').length === 2);
    await waitFor(() => clock.pending === 1); // the next poll, 5 s later on the simulated clock
    expect(clock.nextAt()).toBe(clock.now() + 5000);
    await t.source.disconnect();
    expect(clock.pending).toBe(0);
  });
});

type Xml = (name: string, attrs?: Record<string, string>, ...children: (XmlElement | string)[]) => XmlElement;
const xml = untypedXml as Xml;
const component = untypedComponent as (o: { service: string; domain: string; password: string }) => {
  start(): Promise<unknown>;
  stop(): Promise<unknown>;
  send(el: XmlElement): Promise<unknown>;
  on(ev: string, fn: () => void): void;
  reconnect: { stop(): void };
};

describe('FinesseSource over a real prosody', () => {
  let lab: ProsodyLab | undefined;
  afterEach(async () => {
    await lab?.stop();
    lab = undefined;
  });

  it('receives a dialog POST through XMPP and survives a prosody restart with a reconcile', async () => {
    lab = await startProsody({ users: [{ username: '1001', password: 'pw-SECRET' }] });
    const t = setup({
      xmppService: `xmpp://127.0.0.1:${lab.c2sPort}`,
      createChannel: undefined, // the real FinesseXmpp
      xmpp: { pingIntervalMs: 300, pingTimeoutMs: 500, connectTimeoutMs: 5000, backoff: { initialMs: 100, maxMs: 500 } },
    });
    await t.source.connect(t.emit);
    const comp = component({ service: `xmpp://127.0.0.1:${lab.componentPort}`, domain: lab.componentDomain, password: lab.componentSecret });
    comp.reconnect.stop();
    comp.on('error', () => undefined);
    await comp.start();
    try {
      const d = dialog('X1', 'ALERTING', ['ANSWER']);
      await comp.send(
        xml('message', { to: '1001@finesse.test/switchboard', from: lab.componentDomain }, xml('event', { xmlns: 'http://jabber.org/protocol/pubsub#event' }, xml('items', { node: '/finesse/api/User/1001/Dialogs' }, xml('item', { id: '1' }, xml('notification', { xmlns: 'http://jabber.org/protocol/pubsub' }, dialogUpdate('POST', d)))))),
      );
      await waitFor(() => t.updates.some((u) => u.type === 'workitemAdded'));
      expect(t.updates.find((u) => u.type === 'workitemAdded')).toMatchObject({ workitem: { id: 'X1', state: 'Offered', capabilities: ['Answer'] } });

      fake.dialogs = [dialog('X1', 'ACTIVE', ['HOLD', 'DROP'])];
      await comp.stop().catch(() => undefined);
      await lab.kill();
      await waitFor(() => t.states.includes('failover'), 8000);
      await lab.restart();
      await waitFor(() => t.states.at(-1) === 'online' && t.states.length === 4, 15_000);
      expect(t.updates.filter((u) => u.type === 'workitemAdded')).toHaveLength(1);
      expect(t.updates.find((u) => u.type === 'workitemState' && u.id === 'X1')).toMatchObject({ state: 'Active' });
      for (const e of t.errors) expect(e.message).not.toContain('pw-SECRET');
    } finally {
      await comp.stop().catch(() => undefined);
      await t.source.disconnect();
    }
  }, 40_000);
});

describe('FinesseSource against the Finesse emulator (REST + prosody + component)', () => {
  it('signs in, goes Ready, is offered a routed call, answers it, all by REST + XMPP', async () => {
    const { runFinesseEmulator } = await import('../../../src/finesse-emulator/index.js');
    const emu = await runFinesseEmulator({ agents: 1, password: 'pw-SECRET', log: () => undefined });
    const updates: PlatformUpdate[] = [];
    const source = new FinesseSource({
      baseUrl: emu.baseUrl,
      agentId: '1001',
      auth: { kind: 'basic', user: '1001', password: 'pw-SECRET' },
      xmppService: emu.xmppService,
      extension: '1001001',
      xmpp: { connectTimeoutMs: 8000 },
    });
    try {
      await source.connect((u) => void updates.push(u));
      expect(updates[0]).toMatchObject({ type: 'session', agent: { agentId: '1001', extension: '1001001' }, channels: [{ id: 'voice_5000' }] });
      await source.request({ type: 'setAgentState', channelId: 'voice_5000', state: 'Ready', requestId: 'e2e-ready' });
      await waitFor(() => updates.some((u) => u.type === 'agentState' && u.state === 'Ready' && u.requestId === 'e2e-ready'), 8000);
      emu.cc.arrive({ from: '+41445550101', queue: '6001' });
      await waitFor(() => updates.some((u) => u.type === 'workitemAdded'), 8000);
      const added = updates.find((u) => u.type === 'workitemAdded');
      if (added?.type !== 'workitemAdded') throw new Error('no workitemAdded');
      expect(added.workitem).toMatchObject({ state: 'Offered', direction: 'Incoming' });
      expect(added.workitem.capabilities).toContain('Answer');
      await source.request({ type: 'answer', workitemId: added.workitem.id, requestId: 'e2e-answer' });
      await waitFor(() => updates.some((u) => u.type === 'workitemState' && u.id === added.workitem.id && u.state === 'Active'), 8000);
    } finally {
      await source.disconnect();
      await emu.stop();
    }
  }, 40_000);
});
