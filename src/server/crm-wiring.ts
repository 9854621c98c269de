/**
 * @module server/crm-wiring
 * The CRM records service and its outbox worker as the server runs them: the service over a CRM
 * and the store's outbox, the worker delivering with the service, and both reporting to the
 * server's Prometheus registry and pino log (a failed write also reaches the agent's `error`
 * path through the service). Kept apart from createServer so that the server reads as wiring.
 */
import type { Logger } from 'pino';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { Clock } from '../core/clock.js';
import { OutboxWorker, type OutboxWorkerOptions } from '../outbox/worker.js';
import type { OutboxStore } from '../sinks/log/store.js';
import type { CrmRecords } from '../sinks/records/port.js';
import { CrmRecordsService } from './crm-records.js';

export interface CrmWiringOptions {
  crm: CrmRecords;
  store: OutboxStore;
  clock: Clock;
  registry: Registry;
  log: Logger;
  /** Worker tuning (concurrency, leaseMs, maxAttempts, backoff, pollIntervalMs, ...). */
  outbox?: Omit<OutboxWorkerOptions, 'store' | 'deliver' | 'clock' | 'metrics' | 'onError'>;
}

export interface CrmWiring {
  service: CrmRecordsService;
  /** Not started: the server starts it once it listens, and stops it at close. */
  worker: OutboxWorker;
}

/**
 * @example
 * const { service, worker } = wireCrmRecords({ crm, store, clock, registry, log });
 * worker.start();
 */
export function wireCrmRecords(o: CrmWiringOptions): CrmWiring {
  const { registry, log } = o;
  const crmErrors = new Counter({ name: 'switchboard_crm_errors_total', help: 'Failed CRM lookups and outbox writes', registers: [registry] });
  const delivered = new Counter({ name: 'switchboard_outbox_delivered_total', help: 'CRM writes delivered from the outbox', labelNames: ['kind'], registers: [registry] });
  const retried = new Counter({ name: 'switchboard_outbox_retried_total', help: 'CRM write attempts that failed and will be retried', labelNames: ['kind'], registers: [registry] });
  const dead = new Counter({ name: 'switchboard_outbox_dead_total', help: 'CRM writes moved to the dead letters', labelNames: ['kind'], registers: [registry] });
  const deliverySeconds = new Histogram({ name: 'switchboard_outbox_delivery_seconds', help: 'From outbox write to delivery', buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120], registers: [registry] });
  const service = new CrmRecordsService({
    crm: o.crm,
    enqueue: (m) => o.store.enqueue(m),
    clock: o.clock,
    onError(agentId, e) {
      crmErrors.inc();
      log.warn({ agentId, code: e.code, err: e.message }, 'crm records');
    },
  });
  const worker = new OutboxWorker({
    store: o.store,
    deliver: (m) => service.deliver(m),
    clock: o.clock,
    ...(o.outbox ?? {}),
    metrics: {
      delivered: (m, i) => {
        delivered.inc({ kind: m.kind });
        deliverySeconds.observe(i.latencyMs / 1000);
      },
      retried: (m, i) => {
        retried.inc({ kind: m.kind });
        service.deliveryFailed(m, i.error, false);
        log.info({ id: m.id, callKey: m.callKey, kind: m.kind, err: i.error, delayMs: i.delayMs }, 'crm write will be retried');
      },
      dead: (m, i) => {
        dead.inc({ kind: m.kind });
        service.deliveryFailed(m, i.error, true);
        log.warn({ id: m.id, callKey: m.callKey, kind: m.kind, err: i.error, reason: i.reason }, 'crm write moved to the dead letters');
      },
    },
    onError: (e) => log.warn({ code: e.code, err: e.message }, 'outbox store'),
  });
  return { service, worker };
}
