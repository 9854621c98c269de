/**
 * @module servicenow-emulator/server
 * The Table API on loopback, over node:http (not Fastify: a fault must be able to destroy the
 * socket at an exact point of a request, before or after the write is applied). It follows the
 * ServiceNow Table API reference (docs/servicenow.md lists the pages): `GET|POST
 * /api/now[/v1|/v2]/table/{table}`, `GET|PUT|PATCH|DELETE .../{table}/{sys_id}`, answers wrapped
 * in `{"result": ...}`, `X-Total-Count` and `Link` on lists, `sysparm_query`, `sysparm_fields`,
 * `sysparm_limit` (default 10000), `sysparm_offset`, `sysparm_no_count`, ServiceNow's error JSON
 * `{"error":{"message","detail"},"status":"failure"}`, Basic and Bearer authentication, and rate
 * limiting with `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` (UNIX seconds)
 * and `Retry-After` (seconds) on 429. `/_emulator/...` is the admin API for out-of-process tests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultPlan, faultRuleProblems, type FaultDecision, type FaultRule } from './faults.js';
import { parseEncodedQuery, QueryError, runQuery } from './query.js';
import { Tables, type Row } from './tables.js';

export interface EmulatorUser {
  username: string;
  password: string;
}

/** A per-user rate limit rule (ServiceNow counts per hour; here the window is yours). */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface ServiceNowEmulatorOptions {
  /** Port on `host` (0 = a free one). Default 0. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Basic-auth users (default admin/admin). An empty list and no tokens: no authentication. */
  users?: EmulatorUser[];
  /** Accepted OAuth bearer tokens (as a token endpoint would have issued them). */
  tokens?: string[];
  /** Tables and their rows. Default: empty `customer_contact`, `sys_user` and `u_phone_call`. */
  tables?: Record<string, Array<Record<string, unknown>>>;
  /** Create a table on first POST instead of answering "Invalid table". Default false. */
  autoCreateTables?: boolean;
  /** Seed of the fault generator. Default 1. */
  seed?: number;
  /** Initial fault rules. */
  faults?: FaultRule[];
  /** A real rate limit per user (429 with headers when exceeded). */
  rateLimit?: RateLimitRule;
  /** JSON Lines journal: tables survive a restart of the emulator (the file is replayed at start). */
  persistPath?: string;
  /** How many recent requests {@link ServiceNowEmulator.requests} keeps. Default 1000. */
  keepRequests?: number;
}

/** One request as the emulator saw it (no credentials: the user name only). */
export interface RequestRecord {
  method: string;
  path: string;
  query: string;
  table: string | undefined;
  user: string | undefined;
  status: number | 'dropped';
  faults: string[];
}

/**
 * A running emulator.
 *
 * @example
 * const emu = await startServiceNowEmulator({ tables: { customer_contact: [{ name: 'Ada', phone: '+41445550101' }], u_phone_call: [] } });
 * emu.faults.add({ kind: 'drop', phase: 'after', match: { method: 'POST' }, first: 1 });
 * // ... point the adapter at emu.url with admin/admin ...
 * emu.table('u_phone_call'); // the rows
 * await emu.close();
 */
export interface ServiceNowEmulator {
  /** `http://127.0.0.1:<port>` (the instance URL). */
  url: string;
  port: number;
  faults: FaultPlan;
  /** The rows of a table (copies), [] when it does not exist. */
  table(name: string): Row[];
  tableNames(): string[];
  /** Inserts a row directly (no auth, no faults); returns it with its sys_id. */
  insert(table: string, fields: Record<string, unknown>): Row;
  /** Recent requests, oldest first. */
  requests(): RequestRecord[];
  /** Totals since the start. */
  stats(): EmulatorStats;
  close(): Promise<void>;
}

export interface EmulatorStats {
  requests: number;
  byStatus: Record<string, number>;
  faults: ReturnType<FaultPlan['stats']>;
}

const TABLE_PATH = /^\/api\/now(?:\/v[12])?\/table\/([^/]+)(?:\/([^/]+))?\/?$/;
const JSON_TYPE = 'application/json;charset=UTF-8';

function errorBody(message: string, detail: string | null): string {
  return JSON.stringify({ error: { message, detail }, status: 'failure' });
}

const HTML_PAGE = (status: number): string =>
  `<!DOCTYPE html>\n<html><head><title>ServiceNow</title></head><body><h1>${status === 200 ? 'Your instance is hibernating' : `HTTP ${status}`}</h1><p>Please try again later.</p></body></html>\n`;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function pickFields(row: Row, fields: string[] | undefined): Record<string, string> {
  if (fields === undefined) return { ...row };
  const out: Record<string, string> = {};
  for (const f of fields) out[f] = row[f] ?? '';
  return out;
}

/**
 * Starts the emulator.
 *
 * @example
 * const emu = await startServiceNowEmulator({ port: 0, users: [{ username: 'svc', password: 's3cret' }] });
 */
export async function startServiceNowEmulator(options: ServiceNowEmulatorOptions = {}): Promise<ServiceNowEmulator> {
  const users = options.users ?? [{ username: 'admin', password: 'admin' }];
  const tokens = new Set(options.tokens ?? []);
  const authRequired = users.length > 0 || tokens.size > 0;
  const tables = new Tables({ journal: options.persistPath });
  const initial = options.tables ?? { customer_contact: [], sys_user: [], u_phone_call: [] };
  for (const [name, rows] of Object.entries(initial)) {
    if (tables.has(name)) continue; // restored from the journal
    tables.create(name);
    for (const r of rows) tables.insert(name, r, 'system');
  }
  const faults = new FaultPlan(options.seed ?? 1);
  for (const f of options.faults ?? []) faults.add(f);
  const keep = options.keepRequests ?? 1000;
  const log: RequestRecord[] = [];
  const totals = { requests: 0, byStatus: {} as Record<string, number> };
  const windows = new Map<string, { start: number; count: number }>();
  const startedAt = new Date().getTime();

  function record(r: RequestRecord): void {
    totals.requests++;
    totals.byStatus[String(r.status)] = (totals.byStatus[String(r.status)] ?? 0) + 1;
    log.push(r);
    if (log.length > keep) log.splice(0, log.length - keep);
  }

  function authenticate(req: IncomingMessage): string | undefined | false {
    if (!authRequired) return undefined;
    const h = req.headers.authorization ?? '';
    const basic = /^Basic\s+(\S+)$/i.exec(h);
    if (basic !== null) {
      const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      const u = decoded.slice(0, i);
      const p = decoded.slice(i + 1);
      return i > 0 && users.some((x) => x.username === u && x.password === p) ? u : false;
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(h);
    if (bearer !== null) return tokens.has(bearer[1] ?? '') ? 'oauth.user' : false;
    return false;
  }

  function rateHeaders(user: string, now: number): { headers: Record<string, string>; exceeded: boolean; retryAfter: number } | undefined {
    const rule = options.rateLimit;
    if (rule === undefined) return undefined;
    // Fixed windows from the emulator's start, counted per user (ServiceNow: per hour, per user).
    const start = startedAt + Math.floor((now - startedAt) / rule.windowMs) * rule.windowMs;
    let w = windows.get(user);
    if (w === undefined || w.start !== start) windows.set(user, (w = { start, count: 0 }));
    w.count++;
    const resetMs = w.start + rule.windowMs;
    const exceeded = w.count > rule.limit;
    return {
      headers: {
        'X-RateLimit-Limit': String(rule.limit),
        'X-RateLimit-Remaining': String(Math.max(0, rule.limit - w.count)),
        'X-RateLimit-Reset': String(Math.ceil(resetMs / 1000)),
        'X-RateLimit-Rule': 'emulatorrule0000000000000000001',
      },
      exceeded,
      retryAfter: Math.max(1, Math.ceil((resetMs - now) / 1000)),
    };
  }

  function send(res: ServerResponse, status: number, body: string | undefined, headers: Record<string, string> = {}, type = JSON_TYPE): void {
    if (res.destroyed) return;
    const h: Record<string, string> = { ...headers };
    if (body !== undefined) {
      h['Content-Type'] = type;
      h['Content-Length'] = String(Buffer.byteLength(body));
    }
    res.writeHead(status, h);
    res.end(body);
  }

  async function handleAdmin(req: IncomingMessage, res: ServerResponse, path: string): Promise<number> {
    const body = req.method === 'POST' ? await readBody(req) : '';
    const parts = path.split('/').filter((p) => p !== '').slice(1);
    const ok = (status: number, value: unknown): number => {
      send(res, status, JSON.stringify(value));
      return status;
    };
    try {
      if (parts[0] === 'faults' && parts.length === 1) {
        if (req.method === 'GET') return ok(200, { result: faults.list(), stats: faults.stats() });
        if (req.method === 'DELETE') {
          faults.clear();
          return ok(200, { result: [] });
        }
        if (req.method === 'POST') {
          const value = JSON.parse(body) as unknown;
          const rules = Array.isArray(value) ? value : [value];
          const problems = rules.flatMap((r, i) => faultRuleProblems(r).map((p) => `[${i}] ${p}`));
          if (problems.length > 0) return ok(400, JSON.parse(errorBody('Invalid fault rule', problems.join('; '))));
          return ok(201, { result: rules.map((r) => faults.add(r as FaultRule)) });
        }
      }
      if (parts[0] === 'faults' && parts.length === 2 && req.method === 'DELETE') return ok(faults.remove(parts[1] ?? '') ? 200 : 404, { result: parts[1] });
      if (parts[0] === 'reset' && req.method === 'POST') {
        const value = body.trim() === '' ? {} : (JSON.parse(body) as { seed?: unknown });
        faults.reset(typeof value.seed === 'number' ? value.seed : (options.seed ?? 1));
        return ok(200, { result: 'reset' });
      }
      if (parts[0] === 'stats' && req.method === 'GET') return ok(200, { result: emulator.stats() });
      if (parts[0] === 'tables' && parts.length === 2 && req.method === 'GET') return ok(200, { result: tables.rows(parts[1] ?? '') });
      if (parts[0] === 'tables' && parts.length === 2 && req.method === 'POST') {
        const value = JSON.parse(body) as unknown;
        const rows = (Array.isArray(value) ? value : [value]) as Array<Record<string, unknown>>;
        tables.create(parts[1] ?? '');
        return ok(201, { result: rows.map((r) => tables.insert(parts[1] ?? '', r, 'system')) });
      }
      return ok(404, JSON.parse(errorBody('Unknown emulator admin resource', path)));
    } catch (err) {
      return ok(400, JSON.parse(errorBody('Invalid admin request', err instanceof Error ? err.message : String(err))));
    }
  }

  /** Applies a Table API request; returns status, body and headers (not yet sent). */
  function apply(method: string, table: string, sysId: string | undefined, params: URLSearchParams, body: string, user: string): { status: number; body?: string; headers?: Record<string, string> } {
    const fieldsParam = params.get('sysparm_fields');
    const fields = fieldsParam === null || fieldsParam.trim() === '' ? undefined : fieldsParam.split(',').map((f) => f.trim()).filter((f) => f !== '');
    if (!tables.has(table) && !(options.autoCreateTables === true && method === 'POST' && sysId === undefined)) {
      return { status: 400, body: errorBody(`Invalid table ${table}`, null) };
    }
    const notFound = { status: 404, body: errorBody('No Record found', "Record doesn't exist or ACL restricts the record retrieval") };
    const readPayload = (): Record<string, unknown> | string => {
      if (body.trim() === '') return {};
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch {
        return 'The payload is not valid JSON.';
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'The payload must be a JSON object.';
      return value as Record<string, unknown>;
    };
    if (sysId === undefined) {
      if (method === 'GET') {
        let q;
        try {
          q = parseEncodedQuery(params.get('sysparm_query') ?? '');
        } catch (err) {
          if (err instanceof QueryError) return { status: 400, body: errorBody('Invalid query', err.message) };
          throw err;
        }
        // One AND group with a plain `field=value`: start from that field's index, not the table.
        const eq = q.groups.length === 1 ? q.groups[0]?.find((alts) => alts.length === 1 && alts[0]?.op === '=')?.[0] : undefined;
        const all = runQuery(eq !== undefined ? tables.rowsWhere(table, eq.field, eq.value) : tables.rows(table), q);
        const limit = Math.max(0, Number.parseInt(params.get('sysparm_limit') ?? '10000', 10) || 0);
        const offset = Math.max(0, Number.parseInt(params.get('sysparm_offset') ?? '0', 10) || 0);
        const page = all.slice(offset, offset + limit);
        const headers: Record<string, string> = {};
        if (params.get('sysparm_no_count') !== 'true') headers['X-Total-Count'] = String(all.length);
        if (params.get('sysparm_suppress_pagination_header') !== 'true' && limit > 0) {
          const link = (o: number, rel: string): string => {
            const p = new URLSearchParams(params);
            p.set('sysparm_offset', String(o));
            p.set('sysparm_limit', String(limit));
            return `<${emulator.url}/api/now/table/${table}?${p.toString()}>;rel="${rel}"`;
          };
          const links = [link(0, 'first')];
          if (offset > 0) links.push(link(Math.max(0, offset - limit), 'prev'));
          if (offset + limit < all.length) links.push(link(offset + limit, 'next'));
          links.push(link(Math.max(0, Math.floor(Math.max(0, all.length - 1) / limit) * limit), 'last'));
          headers.Link = links.join(',');
        }
        return { status: 200, body: JSON.stringify({ result: page.map((r) => pickFields(r, fields)) }), headers };
      }
      if (method === 'POST') {
        const payload = readPayload();
        if (typeof payload === 'string') return { status: 400, body: errorBody('Exception while reading request', payload) };
        tables.create(table);
        const row = tables.insert(table, payload, user);
        return { status: 201, body: JSON.stringify({ result: pickFields(row, fields) }), headers: { Location: `${emulator.url}/api/now/table/${table}/${row.sys_id ?? ''}` } };
      }
      return { status: 405, body: errorBody('Method not Supported', `${method} is not supported on a table; use a record's sys_id`) };
    }
    if (method === 'GET') {
      const row = tables.get(table, sysId);
      return row === undefined ? notFound : { status: 200, body: JSON.stringify({ result: pickFields(row, fields) }) };
    }
    if (method === 'PUT' || method === 'PATCH') {
      const payload = readPayload();
      if (typeof payload === 'string') return { status: 400, body: errorBody('Exception while reading request', payload) };
      const row = tables.update(table, sysId, payload, user);
      return row === undefined ? notFound : { status: 200, body: JSON.stringify({ result: pickFields(row, fields) }) };
    }
    if (method === 'DELETE') return tables.delete(table, sysId) ? { status: 204 } : notFound;
    return { status: 405, body: errorBody('Method not Supported', `${method} is not supported`) };
  }

  function stripSysId(body: string): string {
    const value = JSON.parse(body) as { result: unknown };
    const strip = (r: unknown): unknown => {
      if (typeof r !== 'object' || r === null) return r;
      const { sys_id: _drop, ...rest } = r as Record<string, unknown>;
      return rest;
    };
    return JSON.stringify({ result: Array.isArray(value.result) ? value.result.map(strip) : strip(value.result) });
  }

  function answerFault(res: ServerResponse, fault: NonNullable<FaultDecision['fault']>, now: number): number {
    switch (fault.kind) {
      case 'rateLimit': {
        const seconds = fault.retryAfterSeconds ?? 1;
        const retryAfter = fault.retryAfterFormat === 'http-date' ? new Date(now + seconds * 1000).toUTCString() : String(seconds);
        send(res, 429, errorBody('Rate limit exceeded', `Too many requests; retry after ${seconds} s`), {
          'Retry-After': retryAfter,
          'X-RateLimit-Limit': String(options.rateLimit?.limit ?? 1000),
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': String(Math.ceil((now + seconds * 1000) / 1000)),
        });
        return 429;
      }
      case 'serverError': {
        const status = fault.status ?? 500;
        if (status === 500) send(res, 500, errorBody('Internal Server Error', 'Injected by the emulator'));
        else send(res, status, HTML_PAGE(status), {}, 'text/html;charset=UTF-8');
        return status;
      }
      case 'html': {
        const status = fault.status ?? 200;
        send(res, status, HTML_PAGE(status), {}, 'text/html;charset=UTF-8');
        return status;
      }
      case 'garbage': {
        const status = fault.status ?? 200;
        send(res, status, '{"result":[{"sys_id":"6816f79cc0a8016401c5a33be04be441","na');
        return status;
      }
      case 'drop':
      case 'missingSysId':
        throw new Error(`unreachable: ${fault.kind} is handled around the request`);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname;
    if (path.startsWith('/_emulator/')) {
      await handleAdmin(req, res, path);
      return;
    }
    const body = await readBody(req);
    const m = TABLE_PATH.exec(path);
    const table = m === null ? undefined : decodeURIComponent(m[1] ?? '');
    const sysId = m === null || m[2] === undefined ? undefined : decodeURIComponent(m[2]);
    const rec: RequestRecord = { method, path, query: url.search, table, user: undefined, status: 0, faults: [] };
    const now = new Date().getTime();
    const finish = (status: number | 'dropped'): void => {
      rec.status = status;
      record(rec);
    };
    const user = authenticate(req);
    if (user === false) {
      send(res, 401, errorBody('User Not Authenticated', 'Required to provide Auth information'), { 'WWW-Authenticate': 'BASIC realm="Service-now"' });
      finish(401);
      return;
    }
    rec.user = user;
    if (m === null) {
      send(res, 400, errorBody('Requested URI does not represent any resource', null));
      finish(400);
      return;
    }
    const decision = faults.decide(method, table);
    rec.faults = decision.ruleIds;
    if (decision.delayMs > 0) await new Promise((r) => setTimeout(r, decision.delayMs));
    if (res.destroyed || req.socket.destroyed) {
      finish('dropped');
      return;
    }
    const limited = rateHeaders(user ?? 'guest', now);
    if (limited?.exceeded === true) {
      send(res, 429, errorBody('Rate limit exceeded', `More than ${options.rateLimit?.limit ?? 0} requests in the window`), { ...limited.headers, 'Retry-After': String(limited.retryAfter) });
      finish(429);
      return;
    }
    const fault = decision.fault;
    if (fault?.kind === 'drop' && fault.phase !== 'after') {
      req.socket.destroy();
      finish('dropped');
      return;
    }
    if (fault !== undefined && fault.kind !== 'drop' && fault.kind !== 'missingSysId') {
      finish(answerFault(res, fault, now));
      return;
    }
    let answer = apply(method, table ?? '', sysId, url.searchParams, body, user ?? 'guest');
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      finish('dropped');
      return;
    }
    if (fault?.kind === 'missingSysId' && answer.status < 300 && answer.body !== undefined) answer = { ...answer, body: stripSysId(answer.body) };
    send(res, answer.status, answer.body, { ...(limited?.headers ?? {}), ...(answer.headers ?? {}) });
    finish(answer.status);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, errorBody('Internal Server Error', err instanceof Error ? err.message : String(err)));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const emulator: ServiceNowEmulator = {
    url: `http://${host}:${address.port}`,
    port: address.port,
    faults,
    table: (name) => tables.rows(name).map((r) => ({ ...r })),
    tableNames: () => tables.names(),
    insert: (table, fields) => {
      tables.create(table);
      return { ...tables.insert(table, fields, 'system') };
    },
    requests: () => log.map((r) => ({ ...r, faults: [...r.faults] })),
    stats: () => ({ requests: totals.requests, byStatus: { ...totals.byStatus }, faults: faults.stats() }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return emulator;
}
