/**
 * @module cli/simulate
 * `switchboard simulate`: a load test of the server over its real WebSocket (issue 5 item 8).
 * One process runs both ends, so that a platform update and the cil event it causes can be
 * timed on one clock (`performance.now()`): the server (server/app) with the simulator, every
 * agent an auto agent that answers calls by itself, and N gadget-side agents in Node, each a
 * `RemoteSource` over a `ws` socket feeding `createAgent` (the core session, the Integration
 * API and the `cil` facade), exactly what the gadget runs.
 *
 * Matching an update to its cil events: the server's hub tells `onUpdate` (via
 * `ServerOptions.hubEvents`) before it sends the update to the socket, and a socket keeps each
 * agent's order, so per agent the live updates the client receives are the server's, in FIFO
 * order. What comes first after `welcome` is the hub's replay (state, not new updates): its
 * length is known exactly by reducing, with the server's own `ReplayState`, the updates the hub
 * saw before the socket attached (`listenerCount` still 0). The replay is counted, not timed.
 * Hubs are connected before the sockets open so that `onUpdate` can read `listenerCount`.
 *
 * Both ends share the process and its two cores, so latency includes the queueing of one side
 * behind the other: the figures are an upper bound for a server with remote gadgets.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { systemClock } from '../core/clock.js';
import { Flavor } from '../core/model.js';
import type { Source } from '../core/source.js';
import type { PlatformUpdate } from '../core/updates.js';
import { RemoteSource } from '../bridge/remote-source.js';
import { createAgent, type Agent } from '../sinks/cil/agent.js';
import type { Cil } from '../sinks/cil/cil.js';
import { createServer, type SwitchboardServer } from '../server/app.js';
import { ReplayState, type AgentHub } from '../server/sessions.js';
import { UsageError } from './errors.js';

export const SIMULATE_HELP = `  switchboard simulate --agents N --rate CALLS_PER_SECOND --duration SECONDS [--seed N]
                      [--talk-time SECONDS] [--flavor UCCE|UCCX] [--json]
      Load test: the server (simulator, all N agents answering calls by themselves, store in
      memory, logs off) and N gadget-side agents on WebSocket (RemoteSource + cil) in this
      process. CALLS_PER_SECOND: call arrivals across the whole center (an agent is busy about
      talk time + 30 s per call, so N agents carry about N / (talk time + 30) calls per
      second; --talk-time default 60). --flavor UCCX: no queue statistics (UCCE, the default,
      sends each change of a queue's figures to every agent of the queue). Measures for
      SECONDS once every socket is welcomed: platform updates and cil events per second,
      latency from the server's platform update to the gadget-side cil event (p50/p90/p99/
      max), memory, errors; a progress line each second on standard error. A table on
      standard output, or one JSON object with --json. Exit status 1 if a client was never
      welcomed, a socket closed early or an error event came. docs/server.md (Load test).
`;

export interface SimulateIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface SimulateOptions {
  agents: number;
  /** Call arrivals per second across the center. */
  rate: number;
  durationSeconds: number;
  seed: number;
  /** Mean talk time of the auto agents, seconds. */
  talkTimeSeconds: number;
  /** UCCE (default) publishes queue statistics to every agent of the queue; UCCX has none. */
  flavor: Flavor;
}

/** Memory figures, MB. */
export interface MemoryFigures {
  rss: number;
  heapUsed: number;
}

/** What `--json` prints (one object). */
export interface SimulateReport {
  ok: boolean;
  /** Why `ok` is false, one line each. */
  failures: string[];
  options: SimulateOptions;
  connect: { welcomed: number; notWelcomed: number; seconds: number };
  measuredSeconds: number;
  /** Counts in the measured window; `perSecond` divides them by it. */
  events: {
    /** Updates the server's hubs emitted to an attached socket. */
    serverUpdates: number;
    /** Live platform updates the clients received (the replay after welcome excluded). */
    clientUpdates: number;
    /** cil events the clients' handlers got. */
    cilEvents: number;
    perSecond: { serverUpdates: number; clientUpdates: number; cilEvents: number };
    cilByType: Record<string, number>;
    /** Replayed updates after welcome (all of the run). */
    replayed: number;
  };
  /** Server-side platform update → client-side cil event, ms (bucket bounds, within 1%). */
  latencyMs: { samples: number; mean: number; p50: number; p90: number; p99: number; max: number };
  /** MB: before the server started, when measuring started, at the end, the highest sample (each second). */
  memoryMB: {
    baseline: MemoryFigures;
    start: MemoryFigures;
    end: MemoryFigures;
    peak: MemoryFigures;
    /**
     * Heap after a full GC at start and end, only when node runs with --expose-gc: heapUsed
     * alone climbs during a run because V8 defers major collections, which is not a leak.
     */
    liveHeap?: { start: number; end: number };
  };
  errors: {
    /** cil `error` events (a problem frame or a refused update becomes one too). */
    cil: number;
    socketErrors: number;
    /** Sockets that closed before the end of the run. */
    socketCloses: number;
    /** Live updates with no server-side update to match (order broken): should be 0. */
    unmatched: number;
    /** The first few messages. */
    messages: string[];
  };
}

/** Sockets opened at once while connecting. */
const CONNECT_CONCURRENCY = 100;
/** A client not welcomed by then counts as lost. */
const WELCOME_TIMEOUT_MS = 60_000;
const MAX_MESSAGES = 10;

const CIL_EVENTS = [
  'onWorkitemCreate',
  'onWorkitemConnect',
  'onWorkitemPause',
  'onWorkitemResume',
  'onWorkitemWrapup',
  'onWorkitemEnd',
  'onCallVariableChanged',
  'onWrapupDataChanged',
  'onAgentStateChange',
  'onQueueDataUpdate',
  'onError',
] as const satisfies readonly (keyof Cil)[];

export async function runSimulate(args: string[], io: SimulateIo): Promise<number> {
  const parsed = parseOptions(args);
  if (parsed === 'help') {
    io.stdout.write(SIMULATE_HELP);
    return 0;
  }
  const json = parsed.json;
  const report = await simulate(parsed.options, (line, final) => progress(io.stderr, line, final));
  if (json) io.stdout.write(`${JSON.stringify(report)}\n`);
  else io.stdout.write(formatReport(report));
  if (!report.ok) for (const f of report.failures) io.stderr.write(`simulate: ${f}\n`);
  return report.ok ? 0 : 1;
}

function parseOptions(args: string[]): 'help' | { options: SimulateOptions; json: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        agents: { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        seed: { type: 'string' },
        'talk-time': { type: 'string' },
        flavor: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    throw new UsageError(`simulate: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (values.help === true) return 'help';
  return {
    options: {
      agents: intOption('--agents', required('--agents', values.agents), 1, 10_000),
      rate: positiveOption('--rate', required('--rate', values.rate)),
      durationSeconds: positiveOption('--duration', required('--duration', values.duration)),
      seed: intOption('--seed', values.seed ?? '1', 0, 2 ** 31),
      talkTimeSeconds: positiveOption('--talk-time', values['talk-time'] ?? '60'),
      flavor: flavorOption(values.flavor ?? 'UCCE'),
    },
    json: values.json === true,
  };
}

function flavorOption(raw: string): Flavor {
  const up = raw.toUpperCase();
  if (up !== Flavor.UCCE && up !== Flavor.UCCX) throw new UsageError(`--flavor must be UCCE or UCCX (got "${raw}")`);
  return up;
}

function required(name: string, raw: string | undefined): string {
  if (raw === undefined) throw new UsageError(`simulate needs ${name} (switchboard simulate --agents N --rate CALLS_PER_SECOND --duration SECONDS)`);
  return raw;
}

function positiveOption(name: string, raw: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive number (got "${raw}")`);
  return n;
}

function intOption(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  return n;
}

/** One gadget-side agent and what is known of its stream. */
interface Client {
  readonly id: string;
  agent: Agent | undefined;
  socket: WebSocket | undefined;
  /** The server's hub (connected before the socket opens). */
  hub: AgentHub | undefined;
  /** What the hub saw before the socket attached: tells the replay's length. */
  preAttach: ReplayState | undefined;
  /** Replayed updates still to come; undefined until the first update after welcome. */
  replayLeft: number | undefined;
  /** Server-side times of the live updates sent to this socket and not yet received. */
  pending: { t: number; type: PlatformUpdate['type'] }[];
  head: number;
  welcomed: boolean;
  closed: boolean;
}

/** Latency histogram: 1% wide buckets from 1 µs; constant memory whatever the run's length. */
class Latency {
  private static readonly MIN = 0.001;
  private static readonly STEP = 1.01;
  private static readonly LOG_STEP = Math.log(Latency.STEP);
  private readonly counts = new Float64Array(2200);
  count = 0;
  sum = 0;
  max = 0;

  add(ms: number): void {
    const i = ms <= Latency.MIN ? 0 : Math.min(this.counts.length - 1, Math.ceil(Math.log(ms / Latency.MIN) / Latency.LOG_STEP));
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.count++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  /** The upper bound of the bucket holding the p-quantile, never above the exact max. */
  quantile(p: number): number {
    if (this.count === 0) return 0;
    const target = Math.max(1, Math.ceil(p * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= target) return Math.min(Latency.MIN * Latency.STEP ** i, this.max);
    }
    return this.max;
  }
}

/** Run the load test and return its figures; `onProgress` gets a status line each second. */
export async function simulate(o: SimulateOptions, onProgress: (line: string, final?: boolean) => void = () => undefined): Promise<SimulateReport> {
  const baseline = memory();
  let peak = baseline;
  const clients: Client[] = [];
  const byId = new Map<string, Client>();
  const failures: string[] = [];
  const messages: string[] = [];
  const note = (m: string): void => {
    if (messages.length < MAX_MESSAGES) messages.push(m);
  };

  let measuring = false;
  let stopping = false;
  const latency = new Latency();
  const counts = { serverUpdates: 0, clientUpdates: 0, cilEvents: 0, replayed: 0, cilErrors: 0, socketErrors: 0, socketCloses: 0, unmatched: 0 };
  const cilByType: Record<string, number> = {};
  /** Server-side time of the live update being applied client-side right now. */
  let causedAt: number | undefined;

  const server: SwitchboardServer = await createServer({
    store: 'sqlite::memory:',
    platform: { kind: 'sim', agents: o.agents, humanAgents: 0, rate: o.rate * 60, seed: o.seed, talkTimeMs: o.talkTimeSeconds * 1000, flavor: o.flavor },
    logLevel: 'silent',
    logStream: { write: () => undefined },
    hubEvents: {
      onUpdate(agentId, update) {
        const c = byId.get(agentId);
        if (c === undefined) return;
        if (c.hub === undefined || c.hub.listenerCount === 0) {
          // Not attached yet: this update reaches the socket as part of the replay.
          c.preAttach?.apply(update);
          return;
        }
        c.pending.push({ t: performance.now(), type: update.type });
        if (measuring) counts.serverUpdates++;
      },
    },
  });

  const url = `${server.gadgetOrigin.replace(/^http/, 'ws')}/ws`;
  const connectStarted = performance.now();
  try {
    for (let i = 0; i < o.agents; i++) {
      const c: Client = {
        id: String(1001 + i),
        agent: undefined,
        socket: undefined,
        hub: undefined,
        preAttach: new ReplayState(),
        replayLeft: undefined,
        pending: [],
        head: 0,
        welcomed: false,
        closed: false,
      };
      clients.push(c);
      byId.set(c.id, c);
    }
    // Hubs first (the server would make each on its socket's hello): onUpdate needs them to
    // tell the replay from live updates.
    for (const c of clients) c.hub = await server.platform.hub(c.id);

    const onClientUpdate = (c: Client, u: PlatformUpdate, emit: (u: PlatformUpdate) => void): void => {
      if (c.replayLeft === undefined) {
        // First update after welcome: the server attached, so everything the hub saw before
        // that is in preAttach, and the replay is exactly what it would rebuild.
        c.replayLeft = c.preAttach?.replay(0).length ?? 0;
        c.preAttach = undefined;
      }
      if (c.replayLeft > 0) {
        c.replayLeft--;
        counts.replayed++;
        emit(u);
        return;
      }
      const sent = c.pending[c.head];
      if (sent === undefined || sent.type !== u.type) {
        counts.unmatched++;
        note(`agent ${c.id}: a ${u.type} update with no matching server update${sent === undefined ? '' : ` (expected ${sent.type})`}`);
        emit(u);
        return;
      }
      c.head++;
      if (c.head === c.pending.length) {
        c.pending.length = 0;
        c.head = 0;
      } else if (c.head > 1024) {
        c.pending.splice(0, c.head);
        c.head = 0;
      }
      if (measuring) counts.clientUpdates++;
      causedAt = sent.t;
      try {
        emit(u);
      } finally {
        causedAt = undefined;
      }
    };

    const connectOne = async (c: Client): Promise<void> => {
      const remote = new RemoteSource({
        agentId: c.id,
        open: () => {
          const ws = new WebSocket(url, { perMessageDeflate: false });
          c.socket = ws;
          ws.on('error', (err) => {
            counts.socketErrors++;
            note(`agent ${c.id}: socket error: ${err.message}`);
          });
          ws.on('close', (code) => {
            c.closed = true;
            if (stopping) return;
            counts.socketCloses++;
            note(`agent ${c.id}: socket closed early (code ${code})`);
          });
          return ws;
        },
      });
      const source: Source = {
        get kind() {
          return remote.kind;
        },
        supports: remote.supports,
        connect: (emit) => remote.connect((u) => onClientUpdate(c, u, emit)),
        request: (r) => remote.request(r),
        disconnect: () => remote.disconnect(),
      };
      const agent = createAgent({ source, clock: systemClock, flavor: o.flavor });
      c.agent = agent;
      for (const name of CIL_EVENTS) {
        agent.cil[name]((data: { event: string; message?: string }) => {
          if (data.event === 'error') {
            counts.cilErrors++;
            note(`agent ${c.id}: cil error: ${data.message ?? ''}`);
          }
          if (!measuring) return;
          counts.cilEvents++;
          cilByType[data.event] = (cilByType[data.event] ?? 0) + 1;
          if (causedAt !== undefined) latency.add(performance.now() - causedAt);
        });
      }
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          agent.connect(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`not welcomed within ${WELCOME_TIMEOUT_MS / 1000} s`)), WELCOME_TIMEOUT_MS);
          }),
        ]);
        c.welcomed = true;
      } catch (err) {
        note(`agent ${c.id}: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        clearTimeout(timer);
      }
    };

    let next = 0;
    let welcomed = 0;
    const ticker = setInterval(() => {
      peak = higher(peak, memory());
      onProgress(`connecting ${welcomed}/${o.agents}  ${peak.rss} MB rss`);
    }, 1000);
    try {
      await Promise.all(
        Array.from({ length: Math.min(CONNECT_CONCURRENCY, o.agents) }, async () => {
          for (;;) {
            const c = clients[next++];
            if (c === undefined) return;
            await connectOne(c);
            if (c.welcomed) welcomed++;
          }
        }),
      );
    } finally {
      clearInterval(ticker);
    }
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    const notWelcomed = o.agents - welcomed;

    // ---- the measured window ----------------------------------------------------------------
    const liveStart = liveHeap();
    const start = memory();
    peak = higher(peak, start);
    const t0 = performance.now();
    measuring = true;
    let last = { t: t0, clientUpdates: 0, cilEvents: 0 };
    const status = (now: number): string => {
      const dt = Math.max(1e-3, (now - last.t) / 1000);
      const line =
        `${Math.min(o.durationSeconds, (now - t0) / 1000).toFixed(0)}/${o.durationSeconds} s  ${welcomed - clients.filter((c) => c.closed).length}/${o.agents} open  ` +
        `updates ${fmt((counts.clientUpdates - last.clientUpdates) / dt)}/s  cil ${fmt((counts.cilEvents - last.cilEvents) / dt)}/s  ` +
        `p99 ${latency.quantile(0.99).toFixed(1)} ms  rss ${peak.rss} MB  errors ${counts.cilErrors + counts.socketErrors + counts.socketCloses}`;
      last = { t: now, clientUpdates: counts.clientUpdates, cilEvents: counts.cilEvents };
      return line;
    };
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        peak = higher(peak, memory());
        onProgress(status(performance.now()));
      }, 1000);
      setTimeout(() => {
        clearInterval(tick);
        resolve();
      }, o.durationSeconds * 1000);
    });
    measuring = false;
    const measuredSeconds = (performance.now() - t0) / 1000;
    const end = memory();
    peak = higher(peak, end);
    const liveEnd = liveHeap();
    onProgress(status(performance.now()), true);

    if (notWelcomed > 0) failures.push(`${notWelcomed} of ${o.agents} clients were never welcomed`);
    if (counts.socketCloses > 0) failures.push(`${counts.socketCloses} sockets closed before the end`);
    if (counts.socketErrors > 0) failures.push(`${counts.socketErrors} socket errors`);
    if (counts.cilErrors > 0) failures.push(`${counts.cilErrors} cil error events`);
    if (counts.unmatched > 0) failures.push(`${counts.unmatched} updates out of order or unmatched`);
    if (failures.length > 0 && messages.length > 0) failures.push(`first: ${messages.join('; ')}`);

    const per = (n: number): number => round(n / measuredSeconds, 1);
    return {
      ok: failures.length === 0,
      failures,
      options: o,
      connect: { welcomed, notWelcomed, seconds: round(connectSeconds, 2) },
      measuredSeconds: round(measuredSeconds, 2),
      events: {
        serverUpdates: counts.serverUpdates,
        clientUpdates: counts.clientUpdates,
        cilEvents: counts.cilEvents,
        perSecond: { serverUpdates: per(counts.serverUpdates), clientUpdates: per(counts.clientUpdates), cilEvents: per(counts.cilEvents) },
        cilByType,
        replayed: counts.replayed,
      },
      latencyMs: {
        samples: latency.count,
        mean: round(latency.count === 0 ? 0 : latency.sum / latency.count, 3),
        p50: round(latency.quantile(0.5), 3),
        p90: round(latency.quantile(0.9), 3),
        p99: round(latency.quantile(0.99), 3),
        max: round(latency.max, 3),
      },
      memoryMB: { baseline, start, end, peak, ...(liveStart !== undefined && liveEnd !== undefined ? { liveHeap: { start: liveStart, end: liveEnd } } : {}) },
      errors: { cil: counts.cilErrors, socketErrors: counts.socketErrors, socketCloses: counts.socketCloses, unmatched: counts.unmatched, messages },
    };
  } finally {
    stopping = true;
    await Promise.allSettled(clients.flatMap((c) => (c.agent === undefined ? [] : [c.agent.disconnect()])));
    await server.close();
  }
}

const MB = 1 << 20;

function memory(): MemoryFigures {
  const m = process.memoryUsage();
  return { rss: Math.round(m.rss / MB), heapUsed: Math.round(m.heapUsed / MB) };
}

/** heapUsed after a full collection, MB, when `gc` is exposed (node --expose-gc). */
function liveHeap(): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return undefined;
  gc();
  return Math.round(process.memoryUsage().heapUsed / MB);
}

function higher(a: MemoryFigures, b: MemoryFigures): MemoryFigures {
  return { rss: Math.max(a.rss, b.rss), heapUsed: Math.max(a.heapUsed, b.heapUsed) };
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** On a terminal, one line rewritten in place; otherwise a plain line each time. */
function progress(stderr: NodeJS.WritableStream, line: string, final = false): void {
  const tty = (stderr as { isTTY?: boolean }).isTTY === true;
  if (tty) stderr.write(`\rsimulate: ${line}\x1b[K${final ? '\n' : ''}`);
  else stderr.write(`simulate: ${line}\n`);
}

function formatReport(r: SimulateReport): string {
  const rows: [string, string][] = [
    ['agents', `${r.options.agents} (welcomed ${r.connect.welcomed}, connected in ${r.connect.seconds} s)`],
    ['calls', `${r.options.rate}/s arriving, talk time ${r.options.talkTimeSeconds} s, ${r.options.flavor}, seed ${r.options.seed}`],
    ['measured', `${r.measuredSeconds} s`],
    ['server updates', `${fmt(r.events.perSecond.serverUpdates)}/s (${fmt(r.events.serverUpdates)})`],
    ['client updates', `${fmt(r.events.perSecond.clientUpdates)}/s (${fmt(r.events.clientUpdates)}; ${fmt(r.events.replayed)} replayed after welcome, not counted)`],
    ['cil events', `${fmt(r.events.perSecond.cilEvents)}/s (${fmt(r.events.cilEvents)})`],
    ['cil by type', Object.entries(r.events.cilByType).map(([k, v]) => `${k} ${fmt(v)}`).join(', ') || '-'],
    ['latency ms', `p50 ${r.latencyMs.p50}  p90 ${r.latencyMs.p90}  p99 ${r.latencyMs.p99}  max ${r.latencyMs.max}  (mean ${r.latencyMs.mean}, ${fmt(r.latencyMs.samples)} samples)`],
    ['memory MB', `rss ${r.memoryMB.start.rss} at start, ${r.memoryMB.end.rss} at end, ${r.memoryMB.peak.rss} peak (${r.memoryMB.baseline.rss} before the server)`],
    [
      'heap MB',
      `${r.memoryMB.start.heapUsed} at start, ${r.memoryMB.end.heapUsed} at end, ${r.memoryMB.peak.heapUsed} peak (${r.memoryMB.baseline.heapUsed} before the server)` +
        (r.memoryMB.liveHeap !== undefined ? `; after a full GC ${r.memoryMB.liveHeap.start} at start, ${r.memoryMB.liveHeap.end} at end` : '; node --expose-gc adds the heap after a full GC'),
    ],
    ['errors', `cil ${r.errors.cil}, socket errors ${r.errors.socketErrors}, early closes ${r.errors.socketCloses}, unmatched ${r.errors.unmatched}`],
    ['result', r.ok ? 'ok' : `FAILED: ${r.failures.join('; ')}`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}\n`).join('');
}
