/**
 * @module gadget/leader
 * One session across tabs (issue 5, item 4). Every tab of the CRM page that hosts the gadget
 * for the same agent connects to the server and mirrors the agent's session (the server fans
 * every platform update out to all of them and writes the interaction log itself, once). Only
 * the CRM side effects that live in the browser — the C4C live-activity messages — must come
 * from exactly one tab: the **leader**.
 *
 * Election is a Web Lock (`navigator.locks`) named after the agent: the tab holding it leads;
 * every other tab waits in the lock's queue. The browser releases a lock the moment its tab
 * closes, reloads or crashes, and grants it to the next waiting tab at once, so a takeover takes
 * one task, not a heartbeat timeout — and two tabs can never hold it together, which a
 * BroadcastChannel heartbeat election cannot promise. Web Locks exist in every current browser
 * in a secure context (https, or http on localhost/127.0.0.1). Without them the tab leads alone
 * and says so (`exclusive: false`): two such tabs would each write activities.
 *
 * The C4C records the leader keeps for call recovery live in `localStorage`, which every tab
 * shares, so the tab that takes over continues the activities the old leader started (no second
 * NOTIFY/ACCEPT). Click-to-dial clicked in a follower tab is carried out by that tab's own
 * connection; its ActivityUUID binding goes to the leader over a BroadcastChannel
 * ({@link DialRelay}) before the request leaves, so the leader's sink ties the new call to it.
 */
import type { ExpectedDial } from '../sinks/c4c/sink.js';
import type { DialBinder } from '../sinks/c4c/click-to-dial.js';

/** The part of `navigator.locks` used here. */
export interface LockManagerLike {
  request(name: string, options: { mode: 'exclusive'; signal?: AbortSignal; ifAvailable?: boolean }, callback: (lock: unknown) => Promise<void> | undefined): Promise<unknown>;
}

export interface Leadership {
  /** Whether this tab leads now. */
  readonly leading: boolean;
  /** False when the browser has no Web Locks: this tab leads without knowing of the others. */
  readonly exclusive: boolean;
  /** Called once, when this tab becomes the leader (at once when it is the first tab). */
  onLead(listener: () => void): void;
  /** Called once, when the election says another tab leads (this one waits its turn). */
  onFollow(listener: () => void): void;
  /** Give up (or stop waiting for) the lead. */
  release(): void;
}

/** The lock name of an agent's gadget tabs. */
export const leaderLockName = (agentId: string): string => `switchboard.gadget.leader.${agentId}`;

/**
 * Join the election for `agentId`'s tabs. `locks` is `navigator.locks` (undefined outside a
 * secure context: then the tab leads alone, `exclusive: false`).
 *
 * @example
 * const lead = electLeader(navigator.locks, '1001');
 * lead.onLead(() => startC4cSink());
 * addEventListener('pagehide', () => lead.release());
 */
export function electLeader(locks: LockManagerLike | undefined, agentId: string): Leadership {
  let leading = false;
  let following = false;
  const leadListeners: (() => void)[] = [];
  const followListeners: (() => void)[] = [];
  const become = (): void => {
    if (leading) return;
    leading = true;
    following = false;
    for (const l of leadListeners.splice(0)) l();
  };
  const follow = (): void => {
    if (leading || following) return;
    following = true;
    for (const l of followListeners.splice(0)) l();
  };
  // (An object with a getter, not a spread: spreading would freeze `leading` at its first value.)
  const make = (exclusive: boolean, release: () => void): Leadership => ({
    get leading() {
      return leading;
    },
    exclusive,
    onLead: (l) => void (leading ? l() : leadListeners.push(l)),
    onFollow: (l) => void (following ? l() : followListeners.push(l)),
    release,
  });
  if (locks === undefined) {
    queueMicrotask(become);
    return make(false, () => undefined);
  }
  const name = leaderLockName(agentId);
  const abort = new AbortController();
  let releaseLock: (() => void) | undefined;
  // Held until release() or until the tab goes away (the browser releases it then).
  const hold = (): Promise<void> => {
    become();
    return new Promise<void>((resolve) => {
      releaseLock = resolve;
    });
  };
  // First ask without waiting, so a tab knows at once whether it leads or mirrors; a mirror then
  // queues for the lock and is granted it the moment the leader's tab goes away.
  locks
    .request(name, { mode: 'exclusive', ifAvailable: true }, (lock) => {
      if (lock !== null) return hold();
      follow();
      locks.request(name, { mode: 'exclusive', signal: abort.signal }, hold).catch(() => undefined); // AbortError after release()
      return undefined;
    })
    .catch(() => undefined);
  return make(true, () => {
    abort.abort();
    releaseLock?.();
    leading = false;
  });
}

/** The part of BroadcastChannel used here. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

type RelayMessage = { type: 'expectDial'; requestId: string; activityUUID: string } | { type: 'cancelDial'; requestId: string };

function relayMessage(v: unknown): RelayMessage | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const m = v as Record<string, unknown>;
  if (typeof m.requestId !== 'string' || m.requestId === '') return undefined;
  if (m.type === 'expectDial' && typeof m.activityUUID === 'string') return { type: 'expectDial', requestId: m.requestId, activityUUID: m.activityUUID };
  if (m.type === 'cancelDial') return { type: 'cancelDial', requestId: m.requestId };
  return undefined;
}

/**
 * The click-to-dial binder of a tab: its own sink when it leads, else the leader's through the
 * channel. A leader applies what followers relay; malformed channel messages are reported, not
 * applied (the channel is same-origin, but the gadget origin may host other code).
 */
export class DialRelay implements DialBinder {
  private sink: DialBinder | undefined;

  constructor(
    private readonly channel: ChannelLike,
    private readonly onProblem: (message: string) => void,
  ) {
    channel.addEventListener('message', (event) => {
      if (this.sink === undefined) return; // followers ignore what other followers relay
      const m = relayMessage(event.data);
      if (m === undefined) {
        this.onProblem(`tab channel: malformed message ${JSON.stringify(event.data)?.slice(0, 120) ?? String(event.data)} ignored`);
        return;
      }
      if (m.type === 'expectDial') this.sink.expectDial({ requestId: m.requestId, activityUUID: m.activityUUID });
      else this.sink.cancelDial(m.requestId);
    });
  }

  /** This tab leads now: bind dials to its own sink, and apply what followers relay. */
  lead(sink: DialBinder): void {
    this.sink = sink;
  }

  expectDial(dial: ExpectedDial): void {
    if (this.sink !== undefined) this.sink.expectDial(dial);
    else this.channel.postMessage({ type: 'expectDial', requestId: dial.requestId, activityUUID: dial.activityUUID } satisfies RelayMessage);
  }

  cancelDial(requestId: string): void {
    if (this.sink !== undefined) this.sink.cancelDial(requestId);
    else this.channel.postMessage({ type: 'cancelDial', requestId } satisfies RelayMessage);
  }

  close(): void {
    this.channel.close();
  }
}
