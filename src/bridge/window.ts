/**
 * @module bridge/window
 * postMessage done right (after penpal's WindowMessenger), shared by every frame-facing part:
 * the C4C sink and its click-to-dial listener, the Avaya source and dialect, the gadget.
 *
 * - Origins are compared exactly against an allow-list (no wildcards, no prefix matching).
 * - When the expected sender window is known (`window.parent`, an iframe's contentWindow),
 *   `event.source` must be that window.
 * - Messages are never sent to `'*'`: {@link postTo} refuses it.
 * - A message that fails any check is not dropped silently: `onRejected` hears why.
 *
 * The types are structural so that Node tests can drive them with plain objects.
 */

/** What `window.postMessage` looks like from the sender's side. */
export interface MessageTarget {
  postMessage(message: unknown, targetOrigin: string): void;
}

/** The parts of a MessageEvent this module reads. */
export interface MessageEventLike {
  origin: string;
  source: unknown;
  data: unknown;
}

/** A window (or anything) that dispatches `message` events. */
export interface MessageEventSource {
  addEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
}

export interface ListenOptions {
  /** Exact origins allowed to send, e.g. `https://my.crm.ondemand.com`. */
  allowedOrigins: readonly string[];
  /** When set, `event.source` must be this window. */
  expectedSource?: unknown;
  /** Told about every message refused, with the reason. */
  onRejected: (reason: string, event: MessageEventLike) => void;
}

/** Normalize an origin for exact comparison; returns undefined if it is not an http(s) origin. */
export function normalizeOrigin(origin: string): string | undefined {
  try {
    const u = new URL(origin);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    if (u.origin !== origin.replace(/\/$/, '')) return undefined;
    return u.origin;
  } catch {
    return undefined;
  }
}

/**
 * Listen for messages from allow-listed origins only. Returns a function that stops listening.
 *
 * @example
 * const stop = listen(window, { allowedOrigins: ['https://my.crm.ondemand.com'], expectedSource: window.parent, onRejected: console.warn },
 *   (data) => handle(data));
 */
export function listen(target: MessageEventSource, options: ListenOptions, onMessage: (data: unknown, event: MessageEventLike) => void): () => void {
  const allowed = new Set<string>();
  for (const o of options.allowedOrigins) {
    const n = normalizeOrigin(o);
    if (n === undefined) throw new TypeError(`allowed origin ${JSON.stringify(o)} is not an http(s) origin like https://host[:port]`);
    allowed.add(n);
  }
  const listener = (event: MessageEventLike): void => {
    if (!allowed.has(event.origin)) {
      options.onRejected(`message from origin ${JSON.stringify(event.origin)} ignored: not in the allow-list (${[...allowed].join(', ')})`, event);
      return;
    }
    if (options.expectedSource !== undefined && event.source !== options.expectedSource) {
      options.onRejected(`message from ${event.origin} ignored: it did not come from the expected window`, event);
      return;
    }
    onMessage(event.data, event);
  };
  target.addEventListener('message', listener);
  return () => target.removeEventListener('message', listener);
}

/** Post to one exact origin; `'*'` and malformed origins are refused. */
export function postTo(target: MessageTarget, message: unknown, targetOrigin: string): void {
  const origin = normalizeOrigin(targetOrigin);
  if (origin === undefined) throw new TypeError(`target origin ${JSON.stringify(targetOrigin)} is not an exact http(s) origin (never '*')`);
  target.postMessage(message, origin);
}
