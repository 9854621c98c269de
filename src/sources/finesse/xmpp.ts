/**
 * @module sources/finesse/xmpp
 * The Finesse notification channel (FINESSE.md "Notifications" and "XMPP"): an XMPP client over
 * `@xmpp/client` that signs in as `agent@xmppDomain/resource`, sends initial presence (without
 * it Finesse sends nothing), and hands every pubsub event's `<notification>` text — the escaped
 * `<Update>` document, already decoded once by the XMPP parser — with its node to a callback.
 *
 * Liveness is ours, not the library's: a XEP-0199 ping every 20 s on the injected Clock, with a
 * timeout; no answer or a lost socket reports `offline`, then reconnects with exponential
 * backoff and jitter (also on the Clock) and reports `online` again. The library's own
 * reconnect (real timers) is switched off. Team and Queue nodes need an explicit XEP-0060
 * subscribe with the full JID; they are remembered and subscribed again after a reconnect.
 *
 * Transports: `xmpp://host:5222` (TCP) in Node, `wss://host:7443/ws` in the browser (Node needs
 * a global WebSocket for wss: `globalThis.WebSocket = (await import('ws')).WebSocket`). The
 * password is handed to the library and never logged or put into an error message.
 */
// @ts-expect-error -- @xmpp/client ships no type declarations; the surface used here is typed below.
import { client as untypedClient, xml as untypedXml } from '@xmpp/client';
import type { Clock, TimerHandle } from '../../core/clock.js';
import { ErrorCode, SwitchboardError } from '../../core/errors.js';

/** The part of an ltx element this module reads. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string | undefined>;
  children: (XmlElement | string)[];
  getChild(name: string, xmlns?: string): XmlElement | undefined;
  getChildren(name: string, xmlns?: string): XmlElement[];
  getText(): string;
  is(name: string, xmlns?: string): boolean;
  toString(): string;
}

/** The part of an @xmpp/client entity this module uses. */
export interface XmppEntity {
  status: string;
  jid: { toString(): string } | null;
  reconnect: { stop(): void };
  on(event: 'stanza', fn: (el: XmlElement) => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
  on(event: 'status', fn: (status: string) => void): void;
  on(event: 'online', fn: (jid: { toString(): string }) => void): void;
  removeAllListeners(): void;
  start(): Promise<unknown>;
  stop(): Promise<unknown>;
  send(el: XmlElement): Promise<unknown>;
}

export type XmppClientFactory = (options: { service: string; domain: string; resource: string; username: string; password: string }) => XmppEntity;
type XmlFactory = (name: string, attrs?: Record<string, string>, ...children: (XmlElement | string)[]) => XmlElement;

const defaultClient = untypedClient as unknown as XmppClientFactory;
const xml = untypedXml as unknown as XmlFactory;

export const NS_PUBSUB = 'http://jabber.org/protocol/pubsub';
export const NS_PUBSUB_EVENT = 'http://jabber.org/protocol/pubsub#event';
export const NS_PING = 'urn:xmpp:ping';

export interface FinesseNotificationMessage {
  /** The pubsub node, e.g. `/finesse/api/User/1001/Dialogs`. */
  node: string;
  /** The `<Update>` document as text (parse it with ./parse.ts). */
  xml: string;
  itemId: string;
}

export type XmppStatus = 'online' | 'offline';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** 0..1: the delay is scaled by a random factor in [1 - jitter, 1]. */
  jitter: number;
}

export interface FinesseXmppOptions {
  /** `xmpp://127.0.0.1:5222`, `wss://finesse:7443/ws`. */
  service: string;
  /** SystemInfo xmppDomain. */
  domain: string;
  /** Finesse's pubsub service (SystemInfo xmppPubSubDomain); default `pubsub.<domain>`. */
  pubsubDomain?: string;
  username: string;
  /** The agent's password (the SSO token with SSO). */
  password: string;
  /** Required by Finesse; `desktop` is reserved. Default `switchboard`. */
  resource?: string;
  clock: Clock;
  onNotification: (message: FinesseNotificationMessage) => void;
  /** `offline` when loss is detected (ping or socket), `online` after each (re)connect. */
  onStatus?: (status: XmppStatus, info: { reason: string; reconnect: boolean }) => void;
  /** Malformed stanzas, callback failures, failed reconnect attempts: reported, never thrown. */
  onError?: (error: SwitchboardError) => void;
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  /** One connect attempt (socket, stream, auth, bind, presence). */
  connectTimeoutMs?: number;
  backoff?: Partial<BackoffOptions>;
  /** For jitter; default Math.random. */
  random?: () => number;
  createClient?: XmppClientFactory;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 30_000, factor: 2, jitter: 0.5 };

/** Backoff delay of attempt `n` (0-based). */
export function backoffDelay(n: number, b: BackoffOptions, random: () => number): number {
  const base = Math.min(b.maxMs, b.initialMs * b.factor ** n);
  return Math.round(base * (1 - b.jitter * random()));
}

/** Text of a `<notification>`: its decoded text, or its child elements serialized. */
function notificationText(n: XmlElement): string {
  return n.children.map((c) => (typeof c === 'string' ? c : c.toString())).join('');
}

/**
 * The notification client of one agent.
 *
 * @example
 * const x = new FinesseXmpp({ service: 'xmpp://127.0.0.1:5222', domain: 'finesse.test', username: '1001', password, clock: systemClock,
 *   onNotification: ({ node, xml }) => handle(node, parseNotification(xml)) });
 * await x.start();
 * await x.subscribe('/finesse/api/Team/7/Users');
 */
export class FinesseXmpp {
  private readonly o: FinesseXmppOptions;
  private readonly backoff: BackoffOptions;
  private readonly create: XmppClientFactory;
  private entity: XmppEntity | undefined;
  private gen = 0;
  private stopped = true;
  private attempt = 0;
  private wasOnline = false;
  private pingTimer: TimerHandle | undefined;
  private retryTimer: TimerHandle | undefined;
  private nextId = 1;
  private readonly pending = new Map<string, { resolve: (el: XmlElement) => void; reject: (err: SwitchboardError) => void; timer: TimerHandle }>();
  private readonly subscriptions = new Set<string>();
  private fullJid = '';

  constructor(options: FinesseXmppOptions) {
    this.o = options;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.create = options.createClient ?? defaultClient;
  }

  get online(): boolean {
    return this.entity !== undefined && this.entity.status === 'online' && !this.stopped;
  }

  /** The bound full JID (`user@domain/resource`), '' before the first connect. */
  get jid(): string {
    return this.fullJid;
  }

  private get pubsub(): string {
    return this.o.pubsubDomain ?? `pubsub.${this.o.domain}`;
  }

  /** Connect once; rejects (NOT_CONNECTED / TIMEOUT) if this first attempt fails. Later losses reconnect by themselves. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    try {
      await this.connectOnce();
    } catch (err) {
      this.stopped = true;
      throw err;
    }
  }

  /** Unsubscribe the explicit subscriptions (best effort), close the stream, stop every timer. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    if (this.online) {
      await Promise.allSettled([...this.subscriptions].map((node) => this.pubsubIq('unsubscribe', node)));
    }
    this.stopped = true;
    this.subscriptions.clear();
    this.clearTimers();
    const e = this.entity;
    this.entity = undefined;
    this.gen++;
    this.rejectPending('the XMPP client was stopped');
    if (e !== undefined) {
      try {
        await e.stop();
      } catch {
        // already gone
      }
      e.removeAllListeners();
    }
  }

  /** XEP-0060 subscribe with the full JID (Team and Queue nodes); remembered across reconnects. */
  async subscribe(node: string): Promise<void> {
    this.subscriptions.add(node);
    await this.pubsubIq('subscribe', node);
  }

  async unsubscribe(node: string): Promise<void> {
    this.subscriptions.delete(node);
    await this.pubsubIq('unsubscribe', node);
  }

  // ---- connection lifecycle -----------------------------------------------------------------

  private async connectOnce(): Promise<void> {
    const gen = ++this.gen;
    const { service, domain, username, password } = this.o;
    const entity = this.create({ service, domain, resource: this.o.resource ?? 'switchboard', username, password });
    entity.reconnect.stop();
    this.entity = entity;
    entity.on('error', (err) => {
      if (gen !== this.gen) return;
      this.report(ErrorCode.PLATFORM_ERROR, `XMPP error: ${this.safe(err.message)}`, err);
    });
    entity.on('stanza', (el) => {
      if (gen !== this.gen) return;
      this.onStanza(el);
    });
    entity.on('status', (status) => {
      if (gen !== this.gen || this.stopped) return;
      if ((status === 'disconnect' || status === 'offline') && this.wasOnlineGen === gen) this.lost(gen, `connection closed (${status})`);
    });

    const timeoutMs = this.o.connectTimeoutMs ?? 15_000;
    let timer: TimerHandle | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.o.clock.setTimeout(() => reject(new SwitchboardError(ErrorCode.TIMEOUT, `XMPP connect to ${service} did not complete within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([
        (async () => {
          await entity.start();
          await entity.send(xml('presence'));
        })(),
        timeout,
      ]);
    } catch (err) {
      if (gen === this.gen) {
        this.gen++;
        this.entity = undefined;
      }
      entity.removeAllListeners();
      entity.on('error', () => undefined);
      entity.stop().catch(() => undefined);
      if (err instanceof SwitchboardError) throw err;
      const msg = err instanceof Error ? err.message : String(err);
      const auth = /not-authorized|auth/i.test(msg);
      throw new SwitchboardError(
        auth ? ErrorCode.PLATFORM_ERROR : ErrorCode.NOT_CONNECTED,
        auth ? `XMPP sign-in as ${username}@${domain} was refused (${this.safe(msg)})` : `XMPP connect to ${service} failed: ${this.safe(msg)}`,
      );
    } finally {
      if (timer !== undefined) this.o.clock.clearTimeout(timer);
    }
    if (gen !== this.gen || this.stopped) return;
    this.fullJid = entity.jid?.toString() ?? `${username}@${domain}/${this.o.resource ?? 'switchboard'}`;
    this.wasOnlineGen = gen;
    const reconnect = this.wasOnline;
    this.wasOnline = true;
    this.attempt = 0;
    this.schedulePing(gen);
    if (reconnect) {
      for (const node of this.subscriptions) {
        this.pubsubIq('subscribe', node).catch((err: unknown) => this.report(ErrorCode.PLATFORM_ERROR, `re-subscribing ${node} failed`, err));
      }
    }
    this.o.onStatus?.('online', { reason: reconnect ? 'reconnected' : 'connected', reconnect });
  }

  private wasOnlineGen = -1;

  private lost(gen: number, reason: string): void {
    if (gen !== this.gen || this.stopped) return;
    this.gen++;
    this.clearTimers();
    this.rejectPending(`XMPP connection lost: ${reason}`);
    const e = this.entity;
    this.entity = undefined;
    if (e !== undefined) {
      e.removeAllListeners();
      e.on('error', () => undefined);
      e.stop().catch(() => undefined);
    }
    this.o.onStatus?.('offline', { reason, reconnect: false });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt++, this.backoff, this.o.random ?? Math.random);
    this.retryTimer = this.o.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (this.stopped) return;
      this.connectOnce().catch((err: unknown) => {
        if (this.stopped) return;
        this.report(ErrorCode.NOT_CONNECTED, `XMPP reconnect attempt ${this.attempt} failed`, err);
        this.scheduleReconnect();
      });
    }, delay);
  }

  private schedulePing(gen: number): void {
    this.pingTimer = this.o.clock.setTimeout(() => {
      this.pingTimer = undefined;
      if (gen !== this.gen || this.stopped) return;
      const ping = xml('iq', { type: 'get', to: this.o.domain, id: this.id() }, xml('ping', { xmlns: NS_PING }));
      this.iq(ping, this.o.pingTimeoutMs ?? 10_000)
        .then(() => {
          if (gen === this.gen) this.schedulePing(gen);
        })
        .catch((err: unknown) => {
          // An error reply still proves the server is alive.
          if (err instanceof SwitchboardError && err.code === ErrorCode.PLATFORM_ERROR) {
            if (gen === this.gen) this.schedulePing(gen);
            return;
          }
          this.lost(gen, 'no answer to ping');
        });
    }, this.o.pingIntervalMs ?? 20_000);
  }

  private clearTimers(): void {
    if (this.pingTimer !== undefined) this.o.clock.clearTimeout(this.pingTimer);
    if (this.retryTimer !== undefined) this.o.clock.clearTimeout(this.retryTimer);
    this.pingTimer = undefined;
    this.retryTimer = undefined;
  }

  // ---- IQ plumbing (timeouts on the Clock, not the library's real timers) -------------------

  private id(): string {
    return `sb${this.nextId++}`;
  }

  private iq(el: XmlElement, timeoutMs: number): Promise<XmlElement> {
    const e = this.entity;
    if (e === undefined || e.status !== 'online') return Promise.reject(new SwitchboardError(ErrorCode.NOT_CONNECTED, 'XMPP is not connected'));
    const id = el.attrs.id ?? this.id();
    el.attrs.id = id;
    return new Promise<XmlElement>((resolve, reject) => {
      const timer = this.o.clock.setTimeout(() => {
        this.pending.delete(id);
        reject(new SwitchboardError(ErrorCode.TIMEOUT, `no answer to XMPP iq within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      e.send(el).catch((err: unknown) => {
        this.o.clock.clearTimeout(timer);
        this.pending.delete(id);
        reject(new SwitchboardError(ErrorCode.NOT_CONNECTED, `sending an XMPP iq failed: ${this.safe(err instanceof Error ? err.message : String(err))}`));
      });
    });
  }

  private rejectPending(reason: string): void {
    for (const [id, p] of this.pending) {
      this.o.clock.clearTimeout(p.timer);
      p.reject(new SwitchboardError(ErrorCode.NOT_CONNECTED, reason));
      this.pending.delete(id);
    }
  }

  private async pubsubIq(op: 'subscribe' | 'unsubscribe', node: string): Promise<void> {
    const el = xml('iq', { type: 'set', to: this.pubsub, id: this.id() }, xml('pubsub', { xmlns: NS_PUBSUB }, xml(op, { node, jid: this.fullJid })));
    await this.iq(el, this.o.pingTimeoutMs ?? 10_000);
  }

  // ---- incoming -----------------------------------------------------------------------------

  private onStanza(el: XmlElement): void {
    try {
      if (el.name === 'iq') {
        const id = el.attrs.id;
        const type = el.attrs.type;
        const p = id === undefined ? undefined : this.pending.get(id);
        if (p !== undefined && id !== undefined && (type === 'result' || type === 'error')) {
          this.pending.delete(id);
          this.o.clock.clearTimeout(p.timer);
          if (type === 'result') p.resolve(el);
          else {
            const cond = el.getChild('error')?.children.find((c): c is XmlElement => typeof c !== 'string')?.name ?? 'unknown';
            p.reject(new SwitchboardError(ErrorCode.PLATFORM_ERROR, `XMPP iq refused: ${cond}`));
          }
        }
        return;
      }
      if (el.name !== 'message') return;
      const event = el.getChild('event', NS_PUBSUB_EVENT);
      if (event === undefined) return;
      const items = event.getChildren('items');
      if (items.length === 0) {
        this.report(ErrorCode.PARSE_ERROR, 'pubsub event without <items>');
        return;
      }
      for (const it of items) {
        const node = it.attrs.node;
        if (node === undefined || node === '') {
          this.report(ErrorCode.PARSE_ERROR, 'pubsub <items> without a node');
          continue;
        }
        for (const item of it.getChildren('item')) {
          const n = item.getChild('notification', NS_PUBSUB) ?? item.getChild('notification');
          const text = n === undefined ? '' : notificationText(n).trim();
          if (text === '') {
            this.report(ErrorCode.PARSE_ERROR, `pubsub item on ${node} without a <notification>`);
            continue;
          }
          try {
            this.o.onNotification({ node, xml: text, itemId: item.attrs.id ?? '' });
          } catch (err) {
            this.report(ErrorCode.HANDLER_ERROR, `notification handler failed for ${node}`, err);
          }
        }
      }
    } catch (err) {
      this.report(ErrorCode.PARSE_ERROR, 'malformed XMPP stanza', err);
    }
  }

  private safe(text: string): string {
    return this.o.password.length >= 3 ? text.split(this.o.password).join('***') : text;
  }

  private report(code: ErrorCode, message: string, cause?: unknown): void {
    const detail = cause instanceof Error ? `: ${this.safe(cause.message)}` : '';
    const err = new SwitchboardError(code, this.safe(message) + detail);
    try {
      this.o.onError?.(err);
    } catch {
      // an error handler that throws must not break the connection
    }
  }
}
