/**
 * @module test/campaign/outbox-campaign
 * The outbox fault campaign of issue 6, item 5, as one reusable function: simulated calls go
 * through the product's own write path into the store's outbox, a separate delivering process
 * (deliverer.ts) carries them into the ServiceNow emulator while the emulator injects 429s, 5xx,
 * timeouts, resets and HTML pages, and that process is killed with SIGKILL and restarted on a
 * schedule. Afterwards the emulator's phone-call table is checked against what the calls said.
 *
 * Where everything comes from (nothing is a hand-made fixture):
 * - Calls: the simulator (src/sources/sim) with auto agents and Poisson arrivals on a
 *   SimulatedClock, wired by the server's own `createPlatform` (src/server/sessions.ts): each
 *   agent's AgentSession, the InteractionLogSink whose `outboxFor` is
 *   `CrmRecordsService.messagesFor`, and `CrmRecordsService.attach`. So `phonecall.create` is
 *   enqueued at workitemCreate by the service, and `phonecall.update` is written by
 *   `store.save(record, { outbox })` in the interaction's transaction — as in the server.
 * - Expected fields: captured independently in this process — `phoneCallFields(workitem)` at the
 *   workitem's create event, and the final fields derived here from the InteractionRecord the
 *   store kept ({@link finalFields}, written from seed 001/SPEC, not by calling messagesFor).
 * - Faults: the emulator's FaultPlan (src/servicenow-emulator/faults.ts), seeded, matched on the
 *   phone-call table. Caller lookups (reads, not outbox writes) go to an empty embedded
 *   directory here, so no `phonecall.associate` messages are part of the campaign.
 *
 * Figures: calls, messages, faults injected by kind (the emulator's counters), what the
 * deliverers retried by class, duplicates (records beyond one per call key), losses (call keys
 * without a record), wrong fields, dead letters (expected: only the poisoned messages), delivery
 * latency p50/p99/max (outbox `createdMs` → `deliveredAt`, both from the store), times.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { SimulatedClock } from '../../src/core/clock.js';
import type { InteractionRecord } from '../../src/core/interaction.js';
import type { Workitem } from '../../src/core/model.js';
import { CrmRecordsService, CrmWrite, hasPhoneCall } from '../../src/server/crm-records.js';
import { createPlatform } from '../../src/server/sessions.js';
import { startServiceNowEmulator, type FaultRule } from '../../src/servicenow-emulator/index.js';
import { openStore, type OutboxEntry, type OutboxInput, type OutboxStore, type DeadLetter } from '../../src/sinks/log/index.js';
import { phoneCallFields } from '../../src/sinks/records/fields.js';
import { MemoryDirectory } from '../../src/sinks/records/memory.js';
import { DEFAULT_SERVICENOW_MAPPING } from '../../src/sinks/servicenow/mapping.js';
import type { DelivererConfig } from './deliverer.js';

const DELIVERER = fileURLToPath(new URL('./deliverer.ts', import.meta.url));
const T0 = Date.parse('2026-03-02T08:00:00.000Z');
const TABLE = 'u_phone_call';
const CORRELATION = 'correlation_id';

/** Neutral key → phone-call column: the adapter's default mapping plus CTI keys and workitem fields. */
export const CAMPAIGN_MAPPING: Readonly<Record<string, string>> = Object.freeze({
  ...DEFAULT_SERVICENOW_MAPPING,
  classification: 'u_classification',
  state: 'u_state',
  workitemId: 'u_workitem',
  channelType: 'u_channel',
  callVariable1: 'u_account',
  callVariable2: 'u_topic',
  'user.lang': 'u_lang',
  'user.segment': 'u_segment',
  queueName: 'u_queue',
});

/**
 * The fault mix: every kind the issue names, on the phone-call table only (about 5 requests
 * per call reach it: lookup by correlation id, POST, PATCH, and the GETs after a restart). Rates
 * are per matching request, capped by `times`. The 429s come at fixed ordinals spread over the
 * run, four per 10,000 calls: each one closes the adapter's rate-limit window (X-RateLimit-Reset,
 * whole seconds) and every delivery tried inside it fails and counts an attempt (see the report of
 * this campaign: many 429s dead-letter messages that should not be).
 */
export function defaultFaults(calls: number): FaultRule[] {
  const scale = calls / 10_000;
  const t = (n: number) => Math.max(1, Math.round(n * scale));
  const table = TABLE;
  const requests = 5 * calls;
  const limited = Array.from({ length: t(12) }, (_, i) => Math.max(1, Math.round(((i + 0.5) / t(12)) * requests * 0.9)));
  return [
    { kind: 'rateLimit', retryAfterSeconds: 0.3, match: { table }, nth: limited },
    { kind: 'serverError', status: 500, match: { table }, rate: 0.01, times: t(400) },
    { kind: 'serverError', status: 503, match: { table }, rate: 0.004, times: t(150) },
    { kind: 'html', status: 502, match: { table }, rate: 0.001, times: t(40) },
    // Beyond the adapter's timeout: the client gives up; the emulator sees the socket gone.
    { kind: 'delay', ms: 900, match: { table }, rate: 0.002, times: t(80) },
    { kind: 'drop', phase: 'before', match: { table }, rate: 0.004, times: t(160) },
    // The duplicate trap: the record is written, the answer is lost.
    { kind: 'drop', phase: 'after', match: { table, method: 'POST' }, rate: 0.02, times: t(200) },
    { kind: 'drop', phase: 'after', match: { table, method: 'PATCH' }, rate: 0.01, times: t(200) },
  ];
}

export interface CampaignOptions {
  /** Simulated calls with a phone-call record (customer calls) to drive. */
  calls: number;
  /** `sqlite:/path.db` or `postgres://...`: an empty store. */
  storeUrl: string;
  faults?: FaultRule[];
  /** Kill -9 the deliverer when this fraction of the expected messages (2 per call) is delivered; restart at once. */
  kills?: number[];
  /** Calls that get one extra, invalid `phonecall.update` (non-string fields): must end as dead letters. */
  poison?: number;
  seed?: number;
  agents?: number;
  /** Simulated arrivals per minute. Default: about what the agents can answer. */
  perMinute?: number;
  /** Real-time pace of the production, calls per second (0: as fast as it goes). Default 0. */
  callsPerSecond?: number;
  concurrency?: number;
  /** The adapter's per-request timeout, ms. Default 400. */
  timeoutMs?: number;
  leaseMs?: number;
  maxAttempts?: number;
  backoff?: { baseMs: number; maxMs: number };
  /** Give up after this long, ms (the figures say so). Default 10 minutes. */
  deadlineMs?: number;
  log?: (line: string) => void;
}

export interface CampaignFigures {
  calls: number;
  messages: number;
  byKind: Record<string, number>;
  faults: Record<string, number>;
  faultsTotal: number;
  emulatorRequests: number;
  byStatus: Record<string, number>;
  retriedBy: Record<string, number>;
  retried: number;
  kills: Array<{ atDelivered: number; pid: number }>;
  processes: number;
  records: number;
  duplicates: number;
  losses: number;
  wrongFields: number;
  wrongFieldExamples: string[];
  payloadMismatches: number;
  deadLetters: number;
  unexpectedDead: string[];
  poisoned: number;
  poisonedDead: number;
  pending: number;
  latency: { p50: number; p99: number; max: number };
  latencyByKind: Record<string, { p50: number; p99: number }>;
  produceMs: number;
  totalMs: number;
  timedOut: boolean;
  childErrors: string[];
}

interface Deliverer {
  process: ChildProcess;
  pid: number;
  ready: Promise<void>;
  exited: Promise<number | NodeJS.Signals>;
  last: { delivered: number; retried: number; retriedBy: Record<string, number> };
  stderr: () => string;
  deads: Array<{ id: string; error: string }>;
}

function startDeliverer(config: DelivererConfig): Deliverer {
  const child = spawn(process.execPath, ['--import', 'tsx', DELIVERER, JSON.stringify(config)], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] });
  let buffer = '';
  let err = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const d: Deliverer = {
    process: child,
    pid: child.pid ?? -1,
    ready,
    exited: new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve(signal ?? code ?? -1));
    }),
    last: { delivered: 0, retried: 0, retriedBy: {} },
    stderr: () => err,
    deads: [],
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      let m: Record<string, unknown>;
      try {
        m = JSON.parse(line) as Record<string, unknown>;
      } catch {
        err += `stdout: ${line}\n`;
        continue;
      }
      if (m.t === 'ready') onReady();
      else if (m.t === 'progress') d.last = { delivered: Number(m.delivered), retried: Number(m.retried), retriedBy: m.retriedBy as Record<string, number> };
      else if (m.t === 'dead') d.deads.push({ id: String(m.id), error: String(m.error) });
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  void d.exited.then(() => onReady());
  return d;
}

/** The fields a finished interaction's update must carry (seed 001 names, from the record). */
export function finalFields(r: InteractionRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.data)) if (typeof v === 'string') out[k] = v;
  out.ani = r.ani;
  out.agentId = r.agentId;
  out.direction = r.direction;
  out.classification = r.classification;
  out.state = r.finalState;
  out.workitemId = r.id;
  if (r.establishedTime !== undefined) out.established = r.establishedTime;
  out.termination = r.endTime;
  out.durationSeconds = String(r.durationSeconds);
  if (r.disposition !== undefined) out.wrapUpReason = r.disposition;
  return out;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

async function allOutbox(store: OutboxStore): Promise<OutboxEntry[]> {
  const out: OutboxEntry[] = [];
  let afterId: string | undefined;
  for (;;) {
    const page = await store.listOutbox({ includeDelivered: true, limit: 1000, ...(afterId !== undefined ? { afterId } : {}) });
    out.push(...page);
    if (page.length < 1000) return out;
    afterId = page.at(-1)?.id;
  }
}

async function allDead(store: OutboxStore): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  let afterId: string | undefined;
  for (;;) {
    const page = await store.listDeadLetters({ limit: 1000, ...(afterId !== undefined ? { afterId } : {}) });
    out.push(...page);
    if (page.length < 1000) return out;
    afterId = page.at(-1)?.id;
  }
}

async function allRecords(store: OutboxStore): Promise<InteractionRecord[]> {
  const out: InteractionRecord[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await store.list({ limit: 1000, ...(cursor !== undefined ? { cursor } : {}) });
    out.push(...page.records);
    if (page.nextCursor === undefined) return out;
    cursor = page.nextCursor;
  }
}

const sameFields = (a: Record<string, string>, b: Record<string, string>): boolean => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/**
 * Runs the campaign; resolves with the figures (it asserts nothing: the test does).
 *
 * @example
 * const figures = await runOutboxCampaign({ calls: 10_000, storeUrl: 'sqlite:/tmp/c.db', kills: [0.3, 0.7], poison: 5 });
 * console.log(formatFigures(figures));
 */
export async function runOutboxCampaign(o: CampaignOptions): Promise<CampaignFigures> {
  const log = o.log ?? (() => undefined);
  const started = performance.now();
  const deadline = started + (o.deadlineMs ?? 600_000);
  const agents = o.agents ?? 100;
  const talkTimeMs = 30_000;
  const faults = o.faults ?? defaultFaults(o.calls);
  const emulator = await startServiceNowEmulator({
    seed: o.seed ?? 6,
    users: [{ username: 'campaign', password: 'campaign-secret' }],
    tables: { customer_contact: [], sys_user: [], [TABLE]: [] },
    faults,
    keepRequests: 100,
  });
  const store = await openStore(o.storeUrl);
  const config: DelivererConfig = {
    storeUrl: o.storeUrl,
    instanceUrl: emulator.url,
    username: 'campaign',
    password: 'campaign-secret',
    table: TABLE,
    correlationField: CORRELATION,
    mapping: { ...CAMPAIGN_MAPPING },
    timeoutMs: o.timeoutMs ?? 400,
    concurrency: o.concurrency ?? 8,
    leaseMs: o.leaseMs ?? 2000,
    deliveryTimeoutMs: 10_000,
    pollIntervalMs: 50,
    maxAttempts: o.maxAttempts ?? 10,
    backoff: o.backoff ?? { baseMs: 20, maxMs: 1000 },
    progressMs: 200,
    tag: 'campaign',
  };

  // ---- the producing side: the server's wiring on a simulated clock -------------------------
  const clock = new SimulatedClock(T0);
  // Caller lookups are reads (straight to the CRM, not through the outbox): the embedded
  // directory the simulator uses (empty: nobody is known, no association messages) keeps this
  // process's CPU for the simulator and the emulator.
  const lookups = new MemoryDirectory({ phone: { country: 'CH' } });
  let creates = 0;
  const enqueueErrors: string[] = [];
  const service = new CrmRecordsService({
    crm: lookups,
    enqueue: (m: readonly OutboxInput[]) => {
      for (const x of m) if (x.kind === CrmWrite.create) creates++;
      return store.enqueue(m);
    },
    clock,
    onError: (_agent, e) => void (enqueueErrors.length < 20 && !/lookup/.test(e.message) ? enqueueErrors.push(e.message) : undefined),
  });
  const expectedCreate = new Map<string, Record<string, string>>();
  let ended = 0;
  const logErrors: string[] = [];
  const platform = createPlatform({
    platform: { kind: 'sim', agents, humanAgents: 0, rate: o.perMinute ?? Math.round((agents * 60_000) / (talkTimeMs + 8000)), seed: o.seed ?? 6, talkTimeMs, queueUpdateIntervalMs: 60_000 },
    clock,
    store,
    records: service,
    events: {
      onEvent(agentId, e) {
        if (e.type === 'interactionEnd') ended++;
        else if (e.type === 'workitemCreate' || e.type === 'workitemUpdate') {
          const wi = e.data as Workitem;
          const k = `${agentId}/${wi.id}`;
          if (hasPhoneCall(wi) && !expectedCreate.has(k)) expectedCreate.set(k, phoneCallFields(wi));
        }
      },
      onLogError: (_agent, f) => void (logErrors.length < 20 ? logErrors.push(f.error.message) : undefined),
    },
  });
  const sim = platform.sim;
  if (sim === undefined) throw new Error('campaign: the platform has no simulator');
  for (const id of sim.agentIds) await platform.hub(id);

  // ---- the delivering side -------------------------------------------------------------------
  const kills = [...(o.kills ?? [0.3, 0.7])].sort((a, b) => a - b);
  const killed: Array<{ atDelivered: number; pid: number }> = [];
  const retiredRetries: Record<string, number> = {};
  const deads: Array<{ id: string; error: string }> = [];
  const childErrors: string[] = [];
  let processes = 1;
  let child = startDeliverer(config);
  await child.ready;
  const expectedMessages = 2 * o.calls;
  const retire = (d: Deliverer): void => {
    for (const [k, v] of Object.entries(d.last.retriedBy)) retiredRetries[k] = (retiredRetries[k] ?? 0) + v;
    deads.push(...d.deads);
    if (d.stderr().trim() !== '') childErrors.push(d.stderr().trim().slice(0, 2000));
  };
  let lastCheck = 0;
  const checkKills = async (): Promise<void> => {
    if (kills.length === 0 || performance.now() - lastCheck < 100) return;
    lastCheck = performance.now();
    const { delivered } = await store.outboxCounts();
    if (delivered < (kills[0] ?? 2) * expectedMessages) return;
    kills.shift();
    const victim = child;
    victim.process.kill('SIGKILL');
    const how = await victim.exited;
    if (how !== 'SIGKILL') childErrors.push(`deliverer ${victim.pid} ended with ${String(how)} before the kill`);
    retire(victim);
    killed.push({ atDelivered: delivered, pid: victim.pid });
    log(`kill -9 ${victim.pid} at ${delivered} delivered messages; restarting`);
    child = startDeliverer(config);
    processes++;
    await child.ready;
  };

  // ---- produce: advance the simulated clock, paced in real time ------------------------------
  const pace = o.callsPerSecond ?? 0;
  const produceStart = performance.now();
  let steps = 0;
  while (creates < o.calls && performance.now() < deadline) {
    clock.advance(1000);
    if (++steps % 20 === 0) log(`sim ${Math.round((clock.now() - T0) / 1000)} s: ${creates} calls, ${ended} ended`);
    await new Promise((r) => setImmediate(r));
    while (pace > 0 && creates > (pace * (performance.now() - produceStart)) / 1000) await sleep(5);
    await checkKills();
  }
  sim.stopArrivals();
  // Calls still in progress run to their end; every interaction gets saved (with its update).
  for (let i = 0; performance.now() < deadline; i++) {
    const live = platform.hubs().reduce((n, h) => n + h.liveWorkitems, 0);
    if (live === 0 && (await store.count()) >= ended) break;
    clock.advance(1000);
    await new Promise((r) => setImmediate(r));
    await checkKills();
  }
  const produceMs = performance.now() - produceStart;
  log(`produced ${creates} calls, ${ended} interactions in ${Math.round(produceMs)} ms`);

  // ---- poison: invalid updates that must end in the dead letters -----------------------------
  const poisonIds = new Set<string>();
  const poisonKeys: string[] = [];
  if ((o.poison ?? 0) > 0) {
    const firstPage = await store.listOutbox({ includeDelivered: true, limit: 1000 });
    for (const m of firstPage) {
      if (poisonKeys.length >= (o.poison ?? 0)) break;
      if (m.kind === CrmWrite.create && !poisonKeys.includes(m.callKey)) poisonKeys.push(m.callKey);
    }
    const p = m0(firstPage);
    const enq = await store.enqueue(poisonKeys.map((callKey) => ({ callKey, kind: CrmWrite.update, payload: { agentId: p.agentId, workitemId: p.workitemId, fields: { termination: 20260302, state: 'Ended' } } })));
    for (const e of enq) poisonIds.add(e.id);
  }

  // ---- deliver the rest; every kill happens even if delivery got ahead of it ------------------
  let timedOut = false;
  let lastLog = 0;
  for (;;) {
    if (performance.now() > deadline) {
      timedOut = true;
      break;
    }
    const c = await store.outboxCounts();
    if (c.pending === 0 && kills.length === 0) break;
    // What is left waits behind a dead letter: nothing more will happen (the figures show it).
    if (kills.length === 0 && c.leased === 0 && c.pending <= 1000 && (await store.listOutbox({ limit: 1000 })).every((m) => m.blockedBy !== undefined)) break;
    // Delivery got ahead of a kill point: the kill happens anyway (on an idle process then).
    if (c.pending === 0) kills.splice(0, kills.length, ...kills.map(() => 0));
    await checkKills();
    if (performance.now() - lastLog > 2000) {
      lastLog = performance.now();
      log(`outbox ${JSON.stringify(c)}; deliverer ${child.pid}: ${JSON.stringify(child.last)}`);
    }
    await sleep(100);
  }
  child.process.stdin?.end('stop\n');
  const how = await Promise.race([child.exited, sleep(15_000).then(() => 'hung' as const)]);
  if (how === 'hung') child.process.kill('SIGKILL');
  else if (how !== 0) childErrors.push(`last deliverer ended with ${String(how)}`);
  retire(child);
  const totalMs = performance.now() - started;
  await platform.close();

  // ---- check --------------------------------------------------------------------------------
  const outbox = await allOutbox(store);
  const dead = await allDead(store);
  const records = await allRecords(store);
  const counts = await store.outboxCounts();
  const rows = emulator.table(TABLE);
  const stats = emulator.stats();
  await emulator.close();
  await store.close();

  const expectedUpdate = new Map<string, Record<string, string>>();
  for (const r of records) if (hasPhoneCall(r)) expectedUpdate.set(`${r.agentId}/${r.id}`, finalFields(r));

  const byKind: Record<string, number> = {};
  const byCall = new Map<string, Array<{ seq: number; kind: string; payload: unknown; id: string }>>();
  const latencies: number[] = [];
  const perKind: Record<string, number[]> = {};
  for (const m of [...outbox, ...dead]) {
    byKind[m.kind] = (byKind[m.kind] ?? 0) + 1;
    let list = byCall.get(m.callKey);
    if (list === undefined) byCall.set(m.callKey, (list = []));
    list.push({ seq: m.seq, kind: m.kind, payload: m.payload, id: m.id });
  }
  for (const m of outbox) {
    if (m.deliveredAt === undefined) continue;
    const ms = m.deliveredAt - m.createdMs;
    latencies.push(ms);
    (perKind[m.kind] ??= []).push(ms);
  }
  latencies.sort((a, b) => a - b);

  // What each call's record must say: its messages' expected fields applied in seq order.
  let payloadMismatches = 0;
  const expectedRow = new Map<string, Record<string, string>>();
  for (const [callKey, list] of byCall) {
    list.sort((a, b) => a.seq - b.seq);
    const fields: Record<string, string> = {};
    let hasCreate = false;
    for (const m of list) {
      if (poisonIds.has(m.id)) continue;
      const p = m.payload as { agentId: string; workitemId: string; fields: Record<string, string> };
      const k = `${p.agentId}/${p.workitemId}`;
      const want = m.kind === CrmWrite.create ? expectedCreate.get(k) : m.kind === CrmWrite.update ? expectedUpdate.get(k) : undefined;
      if (m.kind === CrmWrite.create) hasCreate = true;
      if (want === undefined || !sameFields(want, p.fields)) payloadMismatches++;
      Object.assign(fields, want ?? p.fields);
    }
    if (!hasCreate) continue;
    const row: Record<string, string> = { [CORRELATION]: callKey };
    for (const [key, column] of Object.entries(CAMPAIGN_MAPPING)) if (fields[key] !== undefined) row[column] = fields[key];
    expectedRow.set(callKey, row);
  }

  const found = new Map<string, Array<Record<string, string>>>();
  for (const r of rows) {
    const key = r[CORRELATION] ?? '';
    let list = found.get(key);
    if (list === undefined) found.set(key, (list = []));
    list.push(r);
  }
  let duplicates = 0;
  let losses = 0;
  let wrongFields = 0;
  const wrongFieldExamples: string[] = [];
  for (const [key, list] of found) {
    if (list.length > 1) duplicates += list.length - 1;
    if (!expectedRow.has(key)) {
      wrongFields++;
      if (wrongFieldExamples.length < 10) wrongFieldExamples.push(`record ${key}: no call has this key`);
    }
  }
  for (const [key, want] of expectedRow) {
    const got = found.get(key);
    if (got === undefined) {
      losses++;
      continue;
    }
    for (const r of got) {
      const cols = new Set([...Object.values(CAMPAIGN_MAPPING), CORRELATION]);
      for (const col of cols) {
        if ((r[col] ?? undefined) === want[col]) continue;
        wrongFields++;
        if (wrongFieldExamples.length < 10) wrongFieldExamples.push(`${key}.${col}: ${JSON.stringify(r[col])} instead of ${JSON.stringify(want[col])}`);
      }
    }
  }
  const unexpectedDead = dead.filter((d) => !poisonIds.has(d.id) || !/"fields" must be an object of strings/.test(d.lastError)).map((d) => `#${d.id} ${d.callKey} ${d.kind} (${d.attempts} attempts): ${d.lastError}`);
  const retriedBy = retiredRetries;
  const faultCounts = stats.faults as Record<string, number>;
  const latencyByKind: Record<string, { p50: number; p99: number }> = {};
  for (const [k, v] of Object.entries(perKind)) {
    v.sort((a, b) => a - b);
    latencyByKind[k] = { p50: percentile(v, 50), p99: percentile(v, 99) };
  }
  if (enqueueErrors.length > 0) childErrors.push(...enqueueErrors.map((e) => `producer: ${e}`));
  if (logErrors.length > 0) childErrors.push(...logErrors.map((e) => `interaction log: ${e}`));
  return {
    calls: expectedRow.size,
    messages: outbox.length + dead.length,
    byKind,
    faults: faultCounts,
    faultsTotal: Object.values(faultCounts).reduce((a, b) => a + b, 0),
    emulatorRequests: stats.requests,
    byStatus: stats.byStatus,
    retriedBy,
    retried: Object.values(retriedBy).reduce((a, b) => a + b, 0),
    kills: killed,
    processes,
    records: rows.length,
    duplicates,
    losses,
    wrongFields,
    wrongFieldExamples,
    payloadMismatches,
    deadLetters: dead.length,
    unexpectedDead,
    poisoned: poisonIds.size,
    poisonedDead: dead.filter((d) => poisonIds.has(d.id)).length,
    pending: counts.pending,
    latency: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? 0 },
    latencyByKind,
    produceMs,
    totalMs,
    timedOut,
    childErrors: [...childErrors, ...deads.filter((d) => !poisonIds.has(d.id)).map((d) => `dead #${d.id}: ${d.error}`)].slice(0, 30),
  };
}

/** The first create message's payload (agent and workitem for the poisoned updates). */
function m0(page: readonly OutboxEntry[]): { agentId: string; workitemId: string } {
  const first = page.find((m) => m.kind === CrmWrite.create);
  const p = (first?.payload ?? {}) as { agentId?: string; workitemId?: string };
  return { agentId: p.agentId ?? '1001', workitemId: p.workitemId ?? 'poison' };
}

/** The figures as a few lines of text. */
export function formatFigures(f: CampaignFigures): string {
  const kv = (o: Record<string, number>) =>
    Object.entries(o)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  return [
    `outbox fault campaign: ${f.calls} calls, ${f.messages} messages (${kv(f.byKind)}), ${f.records} phone-call records`,
    `  faults injected by the emulator: ${f.faultsTotal} (${kv(f.faults)}); ${f.emulatorRequests} requests (${kv(f.byStatus)})`,
    `  failed attempts the deliverers retried: ${f.retried} (${kv(f.retriedBy)})`,
    `  kill -9: ${f.kills.length} (${f.kills.map((k) => `pid ${k.pid} at ${k.atDelivered} delivered`).join('; ')}), ${f.processes} delivering processes`,
    `  duplicates ${f.duplicates}, losses ${f.losses}, wrong fields ${f.wrongFields}, payload mismatches ${f.payloadMismatches}, pending ${f.pending}`,
    `  dead letters ${f.deadLetters} (poisoned ${f.poisoned}, of them dead ${f.poisonedDead}; unexpected ${f.unexpectedDead.length})`,
    `  delivery latency (written → delivered): p50 ${f.latency.p50} ms, p99 ${f.latency.p99} ms, max ${f.latency.max} ms; ${Object.entries(f.latencyByKind)
      .map(([k, v]) => `${k} p50 ${v.p50} / p99 ${v.p99}`)
      .join(', ')}`,
    `  time: ${(f.totalMs / 1000).toFixed(1)} s in all, production ${(f.produceMs / 1000).toFixed(1)} s${f.timedOut ? ' — TIMED OUT' : ''}`,
    ...f.wrongFieldExamples.map((e) => `  wrong: ${e}`),
    ...f.unexpectedDead.slice(0, 10).map((e) => `  unexpected dead letter: ${e}`),
    ...f.childErrors.slice(0, 10).map((e) => `  error: ${e}`),
  ].join('\n');
}
