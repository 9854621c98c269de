/**
 * @module server/app
 * The Switchboard server: two Fastify listeners, so that the demo CRM page and the gadget live
 * on different origins exactly as SAP C4C and an embedded CTI gadget do.
 * - CRM origin (`crmPort`): the demo CRM page (`/`, `/demo.js`), `/api/log`, `/api/queues`.
 * - Gadget origin (`gadgetPort`): the gadget's built files (`dist-gadget/`), the WebSocket
 *   `/ws`, `/api/gadget-config` (the C4C origin is the CRM origin from here: the gadget never
 *   takes it from its own URL).
 * - Both: `/healthz` and `/metrics` (prom-client, one registry per server).
 * Logs are pino JSON; store URLs, Finesse passwords and Authorization headers never reach them.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import { pino, type Logger, type DestinationStream } from 'pino';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { systemClock, type Clock } from '../core/clock.js';
import type { OutboxWorkerOptions } from '../outbox/worker.js';
import { isDirectoryStore } from '../sinks/log/store.js';
import type { CrmRecords } from '../sinks/records/port.js';
import { wireCrmRecords, type CrmWiring } from './crm-wiring.js';
import { demoDirectory, storeDemoDirectory } from './demo-directory.js';
import { openStore, redactUrl, type Store } from '../sinks/log/index.js';
import type { C4cSettings } from '../sinks/c4c/settings.js';
import { createPlatform, type HubEvents, type Platform, type PlatformOptions } from './sessions.js';
import { registerWs } from './ws.js';
import { bundleDemo, demoHtml } from './demo-page.js';

export interface ServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Port of the demo CRM page; 0 (default) picks a free one. */
  crmPort?: number;
  /** Port of the gadget and the WebSocket; default crmPort + 1 (0 when crmPort is 0). */
  gadgetPort?: number;
  /** Default: the simulator with 5 agents. */
  platform?: PlatformOptions;
  /** Store URL (`sqlite:...`, `postgres://...`); default `sqlite:./data/switchboard.db`. */
  store?: string;
  /** C4C settings (format, cid, mapping, ani); the origin is always this server's CRM origin. */
  c4c?: Partial<Omit<C4cSettings, 'origin'>>;
  /** Directory of the built gadget; default `<repo>/dist-gadget`. */
  gadgetDir?: string;
  clock?: Clock;
  /** Log level (default info) and where to (default stdout). */
  logLevel?: string;
  logStream?: DestinationStream;
  /** More listeners on every agent hub, told after the server's own (`switchboard simulate` timestamps updates here). */
  hubEvents?: HubEvents;
  /**
   * The CRM whose records calls are looked up in and written to (issue 6): a records port
   * adapter (`ServiceNowRecords`, `MemoryDirectory`). Default with the simulator: the demo's
   * embedded directory (server/demo-directory); with Finesse: none. `false`: none.
   */
  crm?: CrmRecords | false;
  /** Outbox worker tuning (concurrency, leaseMs, maxAttempts, backoff, ...). */
  outbox?: Omit<OutboxWorkerOptions, 'store' | 'deliver' | 'clock' | 'metrics' | 'onError'>;
}

export interface SwitchboardServer {
  crmOrigin: string;
  gadgetOrigin: string;
  platform: Platform;
  store: Store;
  log: Logger;
  close(): Promise<void>;
}

/** Paths whose values pino replaces with [Redacted], wherever a log call puts them. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'store',
  '*.store',
  'storeUrl',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
];

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_STORE = 'sqlite:./data/switchboard.db';

export async function createServer(options: ServerOptions = {}): Promise<SwitchboardServer> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const log = pino({ level: options.logLevel ?? 'info', redact: { paths: REDACT_PATHS }, base: { service: 'switchboard' } }, options.logStream ?? pino.destination(1));
  const platformOptions: PlatformOptions = options.platform ?? { kind: 'sim' };
  const storeUrl = options.store ?? DEFAULT_STORE;

  const registry = new Registry();
  const updates = new Counter({ name: 'switchboard_platform_updates_total', help: 'Platform updates received from sources', labelNames: ['type'], registers: [registry] });
  const events = new Counter({ name: 'switchboard_events_total', help: 'Domain events produced by the server sessions', labelNames: ['type'], registers: [registry] });
  const workitems = new Counter({ name: 'switchboard_workitems_total', help: 'Workitems that appeared', registers: [registry] });
  const sinkErrors = new Counter({ name: 'switchboard_sink_errors_total', help: 'Failed interaction-log saves', registers: [registry] });
  const saveSeconds = new Histogram({ name: 'switchboard_store_save_seconds', help: 'Interaction-log store save latency', buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5], registers: [registry] });
  const clients = new Gauge({ name: 'switchboard_websocket_clients', help: 'Open gadget WebSockets', registers: [registry] });
  const platformRef: { current?: Platform } = {};
  new Gauge({
    name: 'switchboard_workitems_live',
    help: 'Live workitems of the connected agents',
    registers: [registry],
    collect() {
      this.set((platformRef.current?.hubs() ?? []).reduce((n, h) => n + h.liveWorkitems, 0));
    },
  });

  if (storeUrl.startsWith('sqlite:') && !storeUrl.includes(':memory:')) {
    const path = storeUrl.slice('sqlite:'.length).replace(/^\/\//, '');
    mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  const rawStore = await openStore(storeUrl);
  const store: Store = {
    async save(record, saveOptions) {
      const end = saveSeconds.startTimer();
      try {
        // options (the outbox messages of the record) pass through: dropping them would lose CRM writes
        return await rawStore.save(record, saveOptions);
      } finally {
        end();
      }
    },
    get: (id) => rawStore.get(id),
    list: (q) => rawStore.list(q),
    count: (f) => rawStore.count(f),
    close: () => rawStore.close(),
  };

  // CRM records (caller lookup, phone-call records) through the store's durable outbox.
  // The simulator's default: the demo directory in the server's own store (SPEC "CRM records").
  const simCrm = async () => (isDirectoryStore(rawStore) ? await storeDemoDirectory(rawStore) : demoDirectory());
  const crmRecords = options.crm === false ? undefined : (options.crm ?? (platformOptions.kind === 'sim' ? await simCrm() : undefined));
  // openStore gives an OutboxStore (both adapters keep the outbox in the log's own database).
  const crmWiring: CrmWiring | undefined = crmRecords === undefined ? undefined : wireCrmRecords({ crm: crmRecords, store: rawStore, clock, registry, log, ...(options.outbox !== undefined ? { outbox: options.outbox } : {}) });
  const records = crmWiring?.service;
  const worker = crmWiring?.worker;

  const platform = createPlatform({
    platform: platformOptions,
    clock,
    store,
    ...(records !== undefined ? { records } : {}),
    events: {
      onUpdate(agentId, u) {
        updates.inc({ type: u.type });
        if (u.type === 'workitemAdded') workitems.inc();
        options.hubEvents?.onUpdate?.(agentId, u);
      },
      onEvent(agentId, e) {
        events.inc({ type: e.type });
        options.hubEvents?.onEvent?.(agentId, e);
      },
      onLogError(agentId, f) {
        sinkErrors.inc();
        log.warn({ agentId, code: f.error.code, err: f.error.message, attempt: f.attempt }, 'interaction log save failed');
        options.hubEvents?.onLogError?.(agentId, f);
      },
    },
  });
  platformRef.current = platform;

  const health = async (): Promise<{ ok: boolean; body: Record<string, unknown> }> => {
    let storeOk = true;
    try {
      await rawStore.count({ agentId: '__healthz__' });
    } catch {
      storeOk = false;
    }
    const ok = storeOk;
    return { ok, body: { status: ok ? 'ok' : 'degraded', source: platform.kind, store: storeOk ? 'up' : 'down', agents: platform.hubs().length } };
  };
  const common = (app: FastifyInstance): void => {
    app.get('/healthz', async (_req, reply) => {
      const h = await health();
      return reply.code(h.ok ? 200 : 503).send(h.body);
    });
    app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
    // Browsers ask for it on both origins; no icon, and no 404 in every console.
    app.get('/favicon.ico', (_req, reply) => reply.code(204).send());
  };

  const crmLog: FastifyBaseLogger = log.child({ listener: 'crm' });
  const gadgetLog: FastifyBaseLogger = log.child({ listener: 'gadget' });
  const crm = Fastify({ loggerInstance: crmLog });
  const gadget = Fastify({ loggerInstance: gadgetLog });
  let crmOrigin = '';
  let gadgetOrigin = '';
  const c4c = options.c4c ?? {};

  common(crm);
  const demoJs = await bundleDemo(ROOT);
  crm.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(demoHtml(gadgetOrigin)));
  crm.get('/demo.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(demoJs));
  crm.get('/api/demo-config', (_req, reply) => reply.send({ gadgetOrigin, mapping: c4c.mapping ?? {}, agents: platform.humanAgents }));
  crm.get('/api/queues', (_req, reply) => reply.send({ queues: platform.queues() }));
  crm.get<{ Querystring: { agent?: string; cursor?: string; limit?: string } }>('/api/log', async (req, reply) => {
    const limit = req.query.limit === undefined ? 50 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return reply.code(400).send({ error: 'limit must be an integer from 1 to 1000' });
    try {
      return await store.list({
        limit,
        ...(req.query.agent !== undefined && req.query.agent !== '' ? { agentId: req.query.agent } : {}),
        ...(req.query.cursor !== undefined && req.query.cursor !== '' ? { cursor: req.query.cursor } : {}),
      });
    } catch (err) {
      return reply.code(400).send({ error: err instanceof Error ? err.message : String(err) });
    }
  });

  common(gadget);
  await gadget.register(websocket);
  registerWs(gadget, platform, log.child({ listener: 'ws' }), {
    onClients: (d) => clients.inc(d),
    allowedOrigin: () => gadgetOrigin,
    ...(records !== undefined ? { crmPick: (agentId: string, workitemId: string, recordId: string) => records.pick(agentId, workitemId, recordId) } : {}),
  });
  gadget.get('/api/gadget-config', (_req, reply) =>
    reply.send({
      c4cOrigin: crmOrigin,
      format: c4c.format ?? 'json',
      cid: c4c.cid ?? 'CISCO9876',
      ...(c4c.mapping !== undefined ? { mapping: c4c.mapping } : {}),
      ...(c4c.ani !== undefined ? { ani: c4c.ani } : {}),
    }),
  );
  const gadgetDir = resolve(options.gadgetDir ?? join(ROOT, 'dist-gadget'));
  gadget.get('/*', async (req, reply) => {
    const url = new URL(req.url, 'http://x');
    const file = staticFile(gadgetDir, decodeURIComponent(url.pathname));
    if (file === undefined) {
      if (!existsSync(join(gadgetDir, 'index.html'))) return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
      return reply.code(404).send({ error: 'not found' });
    }
    return reply.type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream').send(readFileSync(file));
  });

  try {
    const crmPort = options.crmPort ?? 0;
    const gadgetPort = options.gadgetPort ?? (crmPort === 0 ? 0 : crmPort + 1);
    await crm.listen({ host, port: crmPort });
    await gadget.listen({ host, port: gadgetPort });
  } catch (err) {
    await Promise.allSettled([crm.close(), gadget.close(), platform.close()]);
    await rawStore.close();
    throw err;
  }
  crmOrigin = originOf(crm, host);
  gadgetOrigin = originOf(gadget, host);
  worker?.start();
  log.info({ crmOrigin, gadgetOrigin, source: platform.kind, storeUrl: redactUrl(storeUrl) }, 'switchboard server started');

  let closed: Promise<void> | undefined;
  return {
    crmOrigin,
    gadgetOrigin,
    platform,
    store,
    log,
    close() {
      closed ??= (async () => {
        await Promise.allSettled([crm.close(), gadget.close()]);
        await platform.close();
        await worker?.stop();
        await rawStore.close();
      })();
      return closed;
    },
  };
}

function originOf(app: FastifyInstance, host: string): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

/** The file under `dir` a URL path names (`/` → index.html), never outside `dir`. */
function staticFile(dir: string, pathname: string): string | undefined {
  const rel = normalize(pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, ''));
  const full = resolve(dir, rel);
  if (full !== dir && !full.startsWith(dir + sep)) return undefined;
  try {
    return statSync(full).isFile() ? full : undefined;
  } catch {
    return undefined;
  }
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Switchboard gadget not built</title>
<body style="font-family:sans-serif;padding:1em"><h1>Gadget not built</h1>
<p>The gadget's files are missing (dist-gadget/). Build them with <code>npm run build:gadget</code>, then reload.</p></body>`;
