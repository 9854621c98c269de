/**
 * The emulator as the ServiceNow Table API: answers, errors byte for byte as the fixtures,
 * authentication, rate limiting, and faults switchable per test and reproducible by seed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServiceNowEmulator, FaultPlan, type ServiceNowEmulator } from '../../src/servicenow-emulator/index.js';

const AUTH = { Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` };
const fixture = (name: string): string => readFileSync(new URL(`../fixtures/servicenow/${name}`, import.meta.url), 'utf8').trim();

let emu: ServiceNowEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of many shapes, each test reads its own
type Json = any;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = AUTH): Promise<{ status: number; headers: Headers; text: string; json: Json }> {
  const res = await fetch(`${emu!.url}${path}`, { method, headers: { ...headers, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

describe('Table API', () => {
  it('POST, GET by sys_id, PATCH, PUT, DELETE, with system fields', async () => {
    emu = await startServiceNowEmulator();
    const created = await call('POST', '/api/now/table/u_phone_call', { correlation_id: 'K1', duration: 12, flag: true, gone: null });
    expect(created.status).toBe(201);
    const row = created.json.result;
    expect(row).toMatchObject({ correlation_id: 'K1', duration: '12', flag: 'true', gone: '', sys_mod_count: '0', sys_created_by: 'admin' });
    expect(row.sys_id).toMatch(/^[0-9a-f]{32}$/);
    expect(row.sys_created_on).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(created.headers.get('location')).toBe(`${emu.url}/api/now/table/u_phone_call/${row.sys_id}`);
    const patched = await call('PATCH', `/api/now/table/u_phone_call/${row.sys_id}?sysparm_fields=sys_id,duration,sys_mod_count`, { duration: '13', sys_id: 'ignored' });
    expect(patched.json).toEqual({ result: { sys_id: row.sys_id, duration: '13', sys_mod_count: '1' } });
    expect((await call('PUT', `/api/now/v2/table/u_phone_call/${row.sys_id}`, { note: 'x' })).json.result).toMatchObject({ duration: '13', note: 'x' });
    expect((await call('GET', `/api/now/table/u_phone_call/${row.sys_id}?sysparm_fields=note`)).json).toEqual({ result: { note: 'x' } });
    const deleted = await call('DELETE', `/api/now/table/u_phone_call/${row.sys_id}`);
    expect([deleted.status, deleted.text]).toEqual([204, '']);
    const gone = await call('GET', `/api/now/table/u_phone_call/${row.sys_id}`);
    expect([gone.status, gone.text]).toEqual([404, fixture('error-no-record.json')]);
  });

  it('lists with sysparm_query, sysparm_fields, sysparm_limit, sysparm_offset, X-Total-Count and Link', async () => {
    emu = await startServiceNowEmulator({ tables: { sys_user: Array.from({ length: 7 }, (_, i) => ({ name: `U${i}`, phone: i % 2 === 0 ? '+41445550101' : '' })) } });
    const page = await call('GET', `/api/now/table/sys_user?sysparm_query=${encodeURIComponent('phone=+41445550101^ORDERBYDESCname')}&sysparm_fields=name&sysparm_limit=2&sysparm_offset=1`);
    expect(page.json).toEqual({ result: [{ name: 'U4' }, { name: 'U2' }] });
    expect(page.headers.get('x-total-count')).toBe('4');
    expect(page.headers.get('link')).toMatch(/rel="first".*rel="prev".*rel="next".*rel="last"/);
    const noCount = await call('GET', '/api/now/table/sys_user?sysparm_no_count=true&sysparm_limit=1');
    expect(noCount.headers.get('x-total-count')).toBeNull();
    const bad = await call('GET', `/api/now/table/sys_user?sysparm_query=${encodeURIComponent('name~x')}`);
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toBe('Invalid query');
  });

  it("answers ServiceNow's error JSON: invalid table, not authenticated, bad payload, bad URI", async () => {
    emu = await startServiceNowEmulator();
    const table = await call('POST', '/api/now/table/u_phone_cal', {});
    expect([table.status, table.text]).toEqual([400, fixture('error-invalid-table.json')]);
    for (const headers of [{} as Record<string, string>, { Authorization: 'Basic ' + Buffer.from('admin:nope').toString('base64') }, { Authorization: 'Bearer nope' }]) {
      const r = await call('GET', '/api/now/table/sys_user', undefined, headers);
      expect([r.status, r.text]).toEqual([401, fixture('error-not-authenticated.json')]);
    }
    const payload = await fetch(`${emu.url}/api/now/table/sys_user`, { method: 'POST', headers: AUTH, body: '{nope' });
    expect(payload.status).toBe(400);
    expect(((await payload.json()) as { status: string }).status).toBe('failure');
    expect((await call('GET', '/api/now/nothing')).json.error.message).toBe('Requested URI does not represent any resource');
  });

  it('accepts configured bearer tokens; auto-creates tables when asked', async () => {
    emu = await startServiceNowEmulator({ tokens: ['t0k'], autoCreateTables: true });
    const r = await call('POST', '/api/now/table/x_new', { a: '1' }, { Authorization: 'Bearer t0k' });
    expect(r.status).toBe(201);
    expect(emu.tableNames()).toContain('x_new');
    expect(emu.requests().at(-1)).toMatchObject({ method: 'POST', table: 'x_new', user: 'oauth.user', status: 201 });
  });

  it('rate limits per user with X-RateLimit-* on every answer and Retry-After on 429', async () => {
    emu = await startServiceNowEmulator({ rateLimit: { limit: 2, windowMs: 60_000 } });
    const a = await call('GET', '/api/now/table/sys_user');
    expect([a.headers.get('x-ratelimit-limit'), a.headers.get('x-ratelimit-remaining')]).toEqual(['2', '1']);
    await call('GET', '/api/now/table/sys_user');
    const c = await call('GET', '/api/now/table/sys_user');
    expect(c.status).toBe(429);
    expect(Number(c.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(c.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(c.json.status).toBe('failure');
  });
});

describe('faults', () => {
  it('drop after the write applies it and loses the answer; drop before does not apply it', async () => {
    emu = await startServiceNowEmulator();
    emu.faults.add({ kind: 'drop', phase: 'after', match: { method: 'POST' }, nth: [1] });
    emu.faults.add({ kind: 'drop', phase: 'before', match: { method: 'POST' }, nth: [2] });
    await expect(call('POST', '/api/now/table/u_phone_call', { n: '1' })).rejects.toThrow();
    await expect(call('POST', '/api/now/table/u_phone_call', { n: '2' })).rejects.toThrow();
    expect((await call('POST', '/api/now/table/u_phone_call', { n: '3' })).status).toBe(201);
    expect(emu.table('u_phone_call').map((r) => r.n)).toEqual(['1', '3']);
    expect(emu.stats().byStatus).toMatchObject({ dropped: 2, '201': 1 });
  });

  it('429 with Retry-After and X-RateLimit-*, 5xx, HTML, garbage, delay; times caps a rule', async () => {
    emu = await startServiceNowEmulator();
    emu.faults.add({ kind: 'rateLimit', retryAfterSeconds: 3, times: 1 });
    const r = await call('GET', '/api/now/table/sys_user');
    expect([r.status, r.headers.get('retry-after'), r.headers.get('x-ratelimit-remaining')]).toEqual([429, '3', '0']);
    expect(r.headers.get('x-ratelimit-limit')).not.toBeNull();
    expect(r.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
    expect((await call('GET', '/api/now/table/sys_user')).status).toBe(200);
    emu.faults.add({ kind: 'serverError', status: 503, first: 1 });
    const s = await call('GET', '/api/now/table/sys_user');
    expect([s.status, s.headers.get('content-type')]).toEqual([503, 'text/html;charset=UTF-8']);
    emu.faults.add({ kind: 'html', first: 1 });
    expect((await call('GET', '/api/now/table/sys_user')).text.trim()).toBe(fixture('hibernating.html'));
    emu.faults.add({ kind: 'garbage', first: 1 });
    expect((await call('GET', '/api/now/table/sys_user')).json).toBeUndefined();
    emu.faults.add({ kind: 'delay', ms: 150, first: 1 });
    const t0 = Date.now();
    expect((await call('GET', '/api/now/table/sys_user')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(emu.faults.stats()).toEqual({ rateLimit: 1, serverError: 1, html: 1, garbage: 1, delay: 1 });
    emu.faults.clear();
    expect(emu.faults.list()).toEqual([]);
  });

  it('a fraction of requests, the same ones for the same seed', () => {
    const pick = (seed: number): number[] => {
      const plan = new FaultPlan(seed);
      plan.add({ kind: 'serverError', rate: 0.3, match: { method: 'POST' } });
      const hit: number[] = [];
      for (let i = 0; i < 200; i++) if (plan.decide(i % 2 === 0 ? 'POST' : 'GET', 't').fault !== undefined) hit.push(i);
      return hit;
    };
    expect(pick(7)).toEqual(pick(7));
    expect(pick(7)).not.toEqual(pick(8));
    expect(pick(7).every((i) => i % 2 === 0)).toBe(true);
    expect(pick(7).length).toBeGreaterThan(15);
    expect(pick(7).length).toBeLessThan(45);
    expect(() => new FaultPlan().add({ kind: 'serverError', rate: 2 })).toThrow(/rate: a number from 0 to 1/);
  });

  it('the admin endpoint adds, lists and clears faults and shows tables', async () => {
    emu = await startServiceNowEmulator();
    const added = await call('POST', '/_emulator/faults', [{ kind: 'serverError', first: 1 }], {});
    expect(added.status).toBe(201);
    expect((await call('GET', '/api/now/table/sys_user')).status).toBe(500);
    expect((await call('GET', '/_emulator/faults', undefined, {})).json.result[0]).toMatchObject({ fired: 1, rule: { kind: 'serverError' } });
    expect((await call('POST', '/_emulator/faults', { kind: 'explode' }, {})).json.error.detail).toContain('kind: one of');
    await call('DELETE', '/_emulator/faults', undefined, {});
    expect(emu.faults.list()).toEqual([]);
    await call('POST', '/_emulator/tables/customer_contact', [{ name: 'Ada' }], {});
    expect((await call('GET', '/_emulator/tables/customer_contact', undefined, {})).json.result).toEqual([expect.objectContaining({ name: 'Ada' })]);
    expect((await call('GET', '/_emulator/stats', undefined, {})).json.result.requests).toBeGreaterThan(0);
  });
});

describe('persistence', () => {
  it('a restarted emulator has every applied write, the lost answers included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sn-emu-'));
    try {
      const path = join(dir, 'tables.jsonl');
      emu = await startServiceNowEmulator({ persistPath: path });
      emu.faults.add({ kind: 'drop', phase: 'after', first: 1 });
      await expect(call('POST', '/api/now/table/u_phone_call', { correlation_id: 'K1' })).rejects.toThrow();
      const { json } = await call('POST', '/api/now/table/u_phone_call', { correlation_id: 'K2' });
      await call('PATCH', `/api/now/table/u_phone_call/${json.result.sys_id}`, { note: 'x' });
      await emu.close();
      emu = await startServiceNowEmulator({ persistPath: path });
      expect(emu.table('u_phone_call').map((r) => [r.correlation_id, r.note ?? ''])).toEqual([
        ['K1', ''],
        ['K2', 'x'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
