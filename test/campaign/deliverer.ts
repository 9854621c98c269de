/**
 * @module test/campaign/deliverer
 * The delivering process of the outbox fault campaign (issue 6, item 5): the server's delivery
 * path and nothing else, in its own OS process so that the campaign can kill it with SIGKILL.
 *
 *   node --import tsx test/campaign/deliverer.ts '<DelivererConfig as JSON>'
 *
 * It opens the store (`openStore`, SQLite file or PostgreSQL), builds the product's
 * {@link ServiceNowRecords} against the emulator the parent runs, wraps it in the product's
 * {@link CrmRecordsService} (its `deliver` is what the server hands the worker, src/server/app.ts)
 * and runs an {@link OutboxWorker} on the system clock. Options follow the server's wiring, with
 * a short backoff for the test; `Retry-After` is honoured by the worker (retry.ts) and the
 * adapter's rate-limit window (http.ts).
 *
 * stdout, one JSON object a line (outbox-campaign.ts reads them):
 * - `{"t":"ready","pid"}` once the worker runs;
 * - `{"t":"progress","delivered","again","retried","dead","errors","retriedBy":{...}}` every
 *   `progressMs`, cumulative for this process (`again`: deliveries the outbox already had
 *   recorded, i.e. a message a killed process had finished without recording);
 * - `{"t":"dead","id","callKey","kind","error"}` for each dead letter;
 * - `{"t":"done"}` after "stop" arrived on stdin, the worker drained its deliveries and the
 *   store closed. A kill -9 prints nothing, of course.
 */
import { systemClock } from '../../src/core/clock.js';
import { OutboxWorker } from '../../src/outbox/index.js';
import { CrmRecordsService } from '../../src/server/crm-records.js';
import { openStore } from '../../src/sinks/log/index.js';
import { ServiceNowRecords } from '../../src/sinks/servicenow/index.js';

/** What the parent passes as the one argument (JSON). */
export interface DelivererConfig {
  storeUrl: string;
  instanceUrl: string;
  username: string;
  password: string;
  table: string;
  correlationField: string;
  mapping: Record<string, string>;
  /** The adapter's per-request timeout, ms. */
  timeoutMs: number;
  concurrency: number;
  leaseMs: number;
  deliveryTimeoutMs: number;
  pollIntervalMs: number;
  maxAttempts: number;
  backoff: { baseMs: number; maxMs: number };
  progressMs: number;
  tag: string;
}

/** What a failed attempt was, from the adapter's message (http.ts): for the figures only. */
export function failureClass(error: string): string {
  if (/not sent, the rate limit/.test(error)) return 'rate-window';
  if (/HTTP 429/.test(error)) return '429';
  if (/HTTP 5\d\d/.test(error)) return '5xx';
  if (/within \d+ ms|longer than \d+ ms/.test(error)) return 'timeout';
  if (/connection failed/.test(error)) return 'reset';
  if (/lease of .* expired/.test(error)) return 'lease';
  return 'other';
}

const raw = process.argv[2];
if (raw === undefined) throw new Error("usage: deliverer.ts '<config json>'");
const config = JSON.parse(raw) as DelivererConfig;
const out = (value: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(value)}\n`);

const store = await openStore(config.storeUrl);
const crm = new ServiceNowRecords({
  instanceUrl: config.instanceUrl,
  auth: { type: 'basic', username: config.username, password: config.password },
  phoneCall: { table: config.table, correlationField: config.correlationField, mapping: config.mapping },
  timeoutMs: config.timeoutMs,
  clock: systemClock,
});
// The parent enqueues; this process only delivers, so `enqueue` is never called here.
const service = new CrmRecordsService({ crm, enqueue: (m) => store.enqueue(m), clock: systemClock });
const counts = { delivered: 0, again: 0, retried: 0, dead: 0, errors: 0 };
const retriedBy: Record<string, number> = {};
const worker = new OutboxWorker({
  store,
  deliver: (m) => service.deliver(m),
  clock: systemClock,
  owner: `${config.tag}:${process.pid}`,
  concurrency: config.concurrency,
  leaseMs: config.leaseMs,
  deliveryTimeoutMs: config.deliveryTimeoutMs,
  pollIntervalMs: config.pollIntervalMs,
  maxAttempts: config.maxAttempts,
  backoff: config.backoff,
  metrics: {
    delivered: (_m, info) => void (info.recorded ? counts.delivered++ : counts.again++),
    retried: (_m, info) => {
      counts.retried++;
      const c = failureClass(info.error);
      retriedBy[c] = (retriedBy[c] ?? 0) + 1;
    },
    dead: (m, info) => {
      counts.dead++;
      out({ t: 'dead', id: m.id, callKey: m.callKey, kind: m.kind, error: info.error });
    },
  },
  onError: () => void counts.errors++,
});
const progress = (): void => out({ t: 'progress', ...counts, retriedBy });
const timer = setInterval(progress, config.progressMs);
worker.start();
out({ t: 'ready', pid: process.pid });

process.stdin.setEncoding('utf8');
let input = '';
process.stdin.on('data', (chunk: string) => {
  input += chunk;
  if (!input.includes('stop\n')) return;
  process.stdin.pause();
  void (async () => {
    await worker.stop();
    clearInterval(timer);
    progress();
    await store.close();
    out({ t: 'done' });
    process.exit(0);
  })();
});
