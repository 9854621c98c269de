/**
 * @module finesse-emulator/xmpp
 * The emulator's notification service: an XEP-0114 external component (`pubsub.<domain>`,
 * `@xmpp/component`) on a Prosody, sending each notification as Finesse's pubsub service does
 * (FINESSE.md, "Notifications"): a `<message>` from the pubsub domain with no `type`, an
 * `<event>` / `<items node>` / `<item id>` / `<notification>` holding the `<Update>` as text.
 *
 * Who receives what: every agent is subscribed by itself to User/{id} and User/{id}/Dialogs (its
 * bare JID; Prosody hands a message to a bare JID to the user's online resources); Team and Queue
 * nodes need an explicit XEP-0060 subscribe with the full JID, answered here. Notifications while
 * the component is offline are dropped, as Finesse drops what happens during a failover.
 */
import { createRequire } from 'node:module';
import { randomBytes, randomUUID } from 'node:crypto';

const NS_PUBSUB = 'http://jabber.org/protocol/pubsub';
const NS_PUBSUB_EVENT = 'http://jabber.org/protocol/pubsub#event';

/** The part of an ltx element this module reads. */
interface Element {
  name: string;
  attrs: Record<string, string | undefined>;
  getChild(name: string, xmlns?: string): Element | undefined;
}

type XmlFactory = (name: string, attrs?: Record<string, string>, ...children: (Element | string)[]) => Element;

interface IqContext {
  stanza: Element;
  element: Element;
  from: { toString(): string; bare(): { toString(): string } } | undefined;
}

interface ComponentEntity {
  status: string;
  start(): Promise<unknown>;
  stop(): Promise<unknown>;
  send(el: Element): Promise<unknown>;
  on(event: 'online' | 'offline' | 'disconnect', cb: () => void): void;
  on(event: 'error', cb: (err: Error) => void): void;
  reconnect: { stop(): void; reconnect(): Promise<void> };
  iqCallee: { set(ns: string, name: string, handler: (ctx: IqContext) => Element | boolean | Promise<Element | boolean>): void };
}

const require = createRequire(import.meta.url);
const lib = require('@xmpp/component') as {
  component(o: { service: string; domain: string; password: string }): ComponentEntity;
  xml: XmlFactory;
};

export interface FinesseComponentOptions {
  /** `xmpp://127.0.0.1:<componentPort>`. */
  service: string;
  /** The component's domain, e.g. `pubsub.finesse.test` (SystemInfo xmppPubSubDomain). */
  componentDomain: string;
  /** The users' domain, e.g. `finesse.test` (SystemInfo xmppDomain). */
  xmppDomain: string;
  secret: string;
  /** Delay between reconnection attempts after the server went away (default 500 ms). */
  reconnectDelayMs?: number;
  onError?: (err: Error) => void;
}

/** Which agent a per-agent node belongs to: `/finesse/api/User/<id>` and `/finesse/api/User/<id>/Dialogs`. */
function ownerOf(node: string): string | undefined {
  const m = /^\/finesse\/api\/User\/([^/]+)(?:\/Dialogs)?$/.exec(node);
  return m?.[1];
}

/**
 * The pubsub component. `start()` resolves once it is online; it reconnects by itself when the
 * server goes away and comes back (`online` count in {@link FinesseComponent.connections}).
 */
export class FinesseComponent {
  /** Explicit subscriptions: node → full JIDs. */
  readonly subscriptions = new Map<string, Set<string>>();
  /** How many times the component came online (1 after start, +1 per reconnection). */
  connections = 0;
  /** Notifications sent / dropped while offline. */
  sent = 0;
  dropped = 0;
  private readonly entity: ComponentEntity;
  private online = false;
  private stopping = false;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private waiters: (() => void)[] = [];

  constructor(private readonly o: FinesseComponentOptions) {
    this.entity = lib.component({ service: o.service, domain: o.componentDomain, password: o.secret });
    // Our own reconnection loop: the library's tries once and gives up when the server is still down.
    this.entity.reconnect.stop();
    this.entity.on('online', () => {
      this.online = true;
      this.connections++;
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    });
    this.entity.on('offline', () => {
      this.online = false;
    });
    this.entity.on('disconnect', () => {
      this.online = false;
      this.scheduleReconnect();
    });
    this.entity.on('error', (err) => {
      if (!this.stopping) o.onError?.(err);
    });
    this.entity.iqCallee.set(NS_PUBSUB, 'pubsub', (ctx) => this.pubsubIq(ctx));
  }

  get isOnline(): boolean {
    return this.online;
  }

  async start(): Promise<void> {
    await this.entity.start();
  }

  /** Resolves when the component is (again) online. */
  whenOnline(): Promise<void> {
    if (this.online) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.retry !== undefined) clearTimeout(this.retry);
    await this.entity.stop().catch(() => undefined);
  }

  private scheduleReconnect(): void {
    if (this.stopping || this.retry !== undefined) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.stopping || this.online) return;
      this.entity.reconnect.reconnect().catch(() => {
        // Still down: the failed attempt may not emit another disconnect, so try again ourselves.
        if (!this.online) this.scheduleReconnect();
      });
    }, this.o.reconnectDelayMs ?? 500);
  }

  /** XEP-0060 subscribe / unsubscribe for Team and Queue nodes. */
  private pubsubIq(ctx: IqContext): Element | boolean {
    const xml = lib.xml;
    const sub = ctx.element.getChild('subscribe');
    const unsub = ctx.element.getChild('unsubscribe');
    const from = ctx.from?.toString() ?? '';
    const op = sub ?? unsub;
    const node = op?.attrs.node ?? '';
    const jid = op?.attrs.jid ?? from;
    if (op === undefined || node === '') throw Object.assign(new Error('bad-request'), { name: 'bad-request' });
    if (sub !== undefined) {
      let set = this.subscriptions.get(node);
      if (set === undefined) this.subscriptions.set(node, (set = new Set()));
      set.add(jid);
      return xml('pubsub', { xmlns: NS_PUBSUB }, xml('subscription', { node, jid, subid: randomUUID(), subscription: 'subscribed' }));
    }
    this.subscriptions.get(node)?.delete(jid);
    return true;
  }

  /** Send one notification to everyone subscribed to `node`. */
  publish(node: string, updateXml: string): void {
    const targets = new Set<string>(this.subscriptions.get(node) ?? []);
    const owner = ownerOf(node);
    if (owner !== undefined) targets.add(`${owner}@${this.o.xmppDomain}`);
    for (const to of targets) this.sendTo(to, node, updateXml);
  }

  private sendTo(to: string, node: string, updateXml: string): void {
    if (!this.online) {
      this.dropped++;
      return;
    }
    const xml = lib.xml;
    // Finesse's message ids look like `<node>__<jid>__<5 chars>`.
    const id = `${node}__${to}__${randomBytes(4).toString('base64url').slice(0, 5)}`;
    const message = xml(
      'message',
      { from: this.o.componentDomain, to, id },
      xml('event', { xmlns: NS_PUBSUB_EVENT }, xml('items', { node }, xml('item', { id: randomUUID() }, xml('notification', { xmlns: NS_PUBSUB }, updateXml)))),
    );
    this.sent++;
    this.entity.send(message).catch((err: unknown) => {
      this.dropped++;
      if (!this.stopping) this.o.onError?.(err instanceof Error ? err : new Error(String(err)));
    });
  }
}
