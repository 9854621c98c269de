/**
 * @module gadget/boot
 * Wiring of the gadget page, in the order call recovery needs: read `agent` and `mapping` from
 * the gadget's URL, fetch `/api/gadget-config` (the C4C origin comes from the server, never
 * from the URL), create the agent over a RemoteSource, the store, the C4C sink and the
 * click-to-dial listener — all BEFORE connecting, so that the calls a (re)connect recovers
 * reach every one of them — then connect.
 */
import { RemoteSource } from '../bridge/remote-source.js';
import { systemClock } from '../core/clock.js';
import { createAgent, type Agent } from '../sinks/cil/agent.js';
import { ClickToDial } from '../sinks/c4c/click-to-dial.js';
import { mappingFromUrl } from '../sinks/c4c/mapping.js';
import { C4cFormat } from '../sinks/c4c/payload.js';
import { C4cSink } from '../sinks/c4c/sink.js';
import { electLeader, DialRelay, type ChannelLike, type LockManagerLike } from './leader.js';
import { Connection, GadgetStore, observeUpdates, TabRole } from './store.js';

/** `GET /api/gadget-config`. */
export interface GadgetConfig {
  c4cOrigin: string;
  format: C4cFormat;
  cid?: string;
}

/** What is wrong with a gadget-config answer, or undefined. */
export function gadgetConfigProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return 'gadget config must be a JSON object';
  const c = v as Record<string, unknown>;
  if (typeof c.c4cOrigin !== 'string' || c.c4cOrigin === '') return 'gadget config: "c4cOrigin" must be a non-empty string';
  if (c.format !== undefined && c.format !== C4cFormat.json && c.format !== C4cFormat.xml) return 'gadget config: "format" must be "json" or "xml"';
  if (c.cid !== undefined && typeof c.cid !== 'string') return 'gadget config: "cid" must be a string';
  return undefined;
}

export interface Booted {
  agent: Agent;
  store: GadgetStore;
  connected: Promise<void>;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Start the gadget in `win` (a browser window whose parent is the C4C page). */
export async function boot(win: Window): Promise<Booted> {
  const url = new URL(win.location.href);
  const agentId = url.searchParams.get('agent') ?? '';
  const wsUrl = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}/ws`;
  const source = new RemoteSource({ agentId, open: () => new WebSocket(wsUrl) });
  const late: { store?: GadgetStore } = {};
  const agent = createAgent({ source: observeUpdates(source, () => late.store?.refresh()), clock: systemClock });
  const store = new GadgetStore(agent, { pickCaller: (workitemId, recordId) => source.pickCaller(workitemId, recordId) });
  late.store = store;
  if (agentId === '') {
    store.setConnection(Connection.failed, 'No agent: open the gadget with ?agent=<agent id>.');
    return { agent, store, connected: Promise.resolve() };
  }

  const leadership = electLeader(lockManager(win), agentId);
  const relay = new DialRelay(tabChannel(win, agentId), (m) => store.error(m));
  try {
    const res = await win.fetch('/api/gadget-config', { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`GET /api/gadget-config answered ${res.status}`);
    const config = (await res.json()) as unknown;
    const problem = gadgetConfigProblem(config);
    if (problem !== undefined) throw new Error(problem);
    const c = config as GadgetConfig;
    const mapping = mappingFromUrl(url) ?? {};
    new ClickToDial({ api: agent.api, sink: relay, onError: (e) => store.error(e.message) }).listen(win, { allowedOrigins: [c.c4cOrigin], expectedSource: win.parent });
    // Only the leading tab writes to C4C; its records are in storage every tab shares, so a tab
    // that takes over continues the activities (catchUp) instead of announcing them again.
    leadership.onLead(() => {
      try {
        const sink = new C4cSink({
          session: agent.session,
          target: win.parent,
          settings: { origin: c.c4cOrigin, format: c.format ?? C4cFormat.json, ...(c.cid !== undefined ? { cid: c.cid } : {}), mapping },
          storage: sharedStorage(win),
          storageKeyPrefix: `switchboard.c4c.${agentId}.`,
          onError: (e) => store.error(`C4C: ${e.message}`),
        });
        relay.lead(sink);
        sink.catchUp();
      } catch (err) {
        store.error(`C4C is off: ${message(err)}`);
      }
    });
  } catch (err) {
    // The toolbar still works; C4C gets nothing, and the agent is told why.
    store.error(`C4C is off: ${message(err)}`);
  }
  leadership.onLead(() => store.setTab(leadership.exclusive ? TabRole.leader : TabRole.alone));
  leadership.onFollow(() => store.setTab(TabRole.mirror));

  const connected = agent.connect().then(
    () => store.setConnection(Connection.connected),
    (err: unknown) => store.setConnection(Connection.failed, message(err)),
  );
  return { agent, store, connected };
}

/** `navigator.locks`, when the browser has it here (a secure context). */
function lockManager(win: Window): LockManagerLike | undefined {
  const locks = (win.navigator as Navigator & { locks?: LockManagerLike }).locks;
  return locks ?? undefined;
}

/** The agent's tab channel, or one that goes nowhere when BroadcastChannel is missing. */
function tabChannel(win: Window, agentId: string): ChannelLike {
  const BC = (win as Window & { BroadcastChannel?: typeof BroadcastChannel }).BroadcastChannel;
  if (typeof BC === 'function') return new BC(`switchboard.gadget.${agentId}`);
  return { postMessage: () => undefined, addEventListener: () => undefined, close: () => undefined };
}

/** localStorage (shared by the agent's tabs), else sessionStorage (this tab's reloads only). */
function sharedStorage(win: Window): Storage {
  try {
    const s = win.localStorage;
    s.getItem('switchboard.probe');
    return s;
  } catch {
    return win.sessionStorage;
  }
}
