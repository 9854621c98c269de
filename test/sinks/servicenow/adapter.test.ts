/**
 * The ServiceNow adapter against the emulator over real HTTP: the records contract, idempotent
 * writes under lost answers, and every failure turned into the CrmError the outbox acts on.
 */
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceNowEmulator } from '../../../src/servicenow-emulator/index.js';
import { isCrmError } from '../../../src/sinks/records/index.js';
import { ServiceNowRecords } from '../../../src/sinks/servicenow/index.js';
import { describeRecordsContract } from '../records/contract.js';
import { PASSWORD, TOKEN, USER, adapterFor, emulatorWith, rejection, simulatedClock } from './helpers.js';

describeRecordsContract('servicenow (emulator)', async (entries, o) => {
  const emu = await emulatorWith(entries.map((e) => ({ name: e.name, table: e.table, ...(e.phone !== undefined ? { phone: e.phone } : {}), ...(e.mobile !== undefined ? { mobile: e.mobile } : {}) })));
  const crm = adapterFor(emu, { phone: { country: o.country }, lookup: { limit: o.limit } });
  return { crm, phoneCallsFor: (key: string) => emu.table('u_phone_call').filter((r) => r.correlation_id === key).length, close: () => emu.close() };
});

let emu: ServiceNowEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const ADA = { name: 'Ada Muster', table: 'customer_contact', phone: '+41 44 555 01 01' };

describe('phone-call records', () => {
  it('writes the mapped fields and the correlation id, and nothing unmapped', async () => {
    emu = await emulatorWith([ADA]);
    const crm = adapterFor(emu);
    const a = await crm.createPhoneCall('152018C217', { ani: '+41445550101', direction: 'Incoming', callVariable1: 'A-42', DNIS: '8005' });
    const [row] = emu.table('u_phone_call');
    expect(row).toMatchObject({ sys_id: a.id, correlation_id: '152018C217', phone_number: '+41445550101', direction: 'Incoming', u_account: 'A-42' });
    expect(row!.sys_id).toMatch(/^[0-9a-f]{32}$/);
    expect(Object.keys(row!)).not.toContain('DNIS');
    // another process (no cache) updates and associates through the correlation id
    const other = adapterFor(emu);
    await other.updatePhoneCall('152018C217', { wrapUpReason: 'Sale' });
    const [ada] = (await other.lookupByPhone('044 555 01 01')).records;
    await other.associate('152018C217', ada!);
    expect(emu.table('u_phone_call')).toEqual([expect.objectContaining({ sys_id: a.id, u_wrap_up: 'Sale', contact: ada!.id, sys_mod_count: '2' })]);
    // an update the mapping writes nothing of sends nothing
    const before = emu.stats().requests;
    await other.updatePhoneCall('152018C217', { DNIS: '8005' });
    expect(emu.stats().requests).toBe(before);
  });

  it('a lost answer to the POST (connection dropped after the write): the retry reuses the record — exactly one', async () => {
    emu = await emulatorWith();
    emu.faults.add({ kind: 'drop', phase: 'after', match: { method: 'POST', table: 'u_phone_call' }, first: 1 });
    const crm = adapterFor(emu);
    const err = await rejection(crm.createPhoneCall('16777217D20260105', { ani: '+41445550101', direction: 'Incoming' }));
    expect(err).toMatchObject({ code: 'NOT_CONNECTED', kind: 'connection', retryable: true });
    expect(err.message).toContain('may or may not have been applied');
    expect(emu.table('u_phone_call')).toHaveLength(1); // the write was applied, the answer lost
    // the outbox retries, maybe from a restarted process
    const again = await adapterFor(emu).createPhoneCall('16777217D20260105', { ani: '+41445550101', direction: 'Incoming', callVariable1: 'late' });
    const rows = emu.table('u_phone_call');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ sys_id: again.id, correlation_id: '16777217D20260105', u_account: 'late' });
    expect(emu.requests().map((r) => r.method)).toEqual(['GET', 'POST', 'GET', 'PATCH']);
  });

  it('a connection dropped before the write: the retry creates it — exactly one', async () => {
    emu = await emulatorWith();
    emu.faults.add({ kind: 'drop', phase: 'before', match: { method: 'POST' }, first: 1 });
    const crm = adapterFor(emu);
    await expect(crm.createPhoneCall('K1', { ani: '+41445550101' })).rejects.toMatchObject({ retryable: true, kind: 'connection' });
    expect(emu.table('u_phone_call')).toHaveLength(0);
    await crm.createPhoneCall('K1', { ani: '+41445550101' });
    expect(emu.table('u_phone_call')).toHaveLength(1);
  });

  it('finds the record again when the cached sys_id was deleted and made anew', async () => {
    emu = await emulatorWith();
    const crm = adapterFor(emu);
    const first = await crm.createPhoneCall('K2', { ani: '+41445550101' });
    await fetch(`${emu.url}/api/now/table/u_phone_call/${first.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${TOKEN}` } });
    const second = emu.insert('u_phone_call', { correlation_id: 'K2' });
    await crm.updatePhoneCall('K2', { wrapUpReason: 'Sale' });
    expect(emu.table('u_phone_call')).toEqual([expect.objectContaining({ sys_id: second.sys_id, u_wrap_up: 'Sale' })]);
  });

  it('associate refuses a record type without a configured field, naming it', async () => {
    emu = await emulatorWith();
    const crm = adapterFor(emu);
    await crm.createPhoneCall('K3', {});
    const err = await rejection(crm.associate('K3', { id: 'a'.repeat(32), name: 'X', recordType: 'account' }));
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', retryable: false });
    expect(err.message).toContain('"account"');
  });
});

describe('lookup', () => {
  it('asks with one encoded query over every phone field and written form, a limit one above, two fields', async () => {
    emu = await emulatorWith([ADA]);
    await adapterFor(emu, { lookup: { limit: 5 } }).lookupByPhone('0445550101');
    const get = emu.requests().find((r) => r.table === 'customer_contact')!;
    const q = new URLSearchParams(get.query);
    expect(q.get('sysparm_query')).toBe(
      'phoneIN+41445550101,+41 44 555 01 01,044 555 01 01,0445550101,0041445550101,41445550101^ORmobile_phoneIN+41445550101,+41 44 555 01 01,044 555 01 01,0445550101,0041445550101,41445550101^ORDERBYname',
    );
    expect(q.get('sysparm_limit')).toBe('6');
    expect(q.get('sysparm_fields')).toBe('sys_id,name');
  });

  it('thousands of matches: a clear non-retryable error, and never more than limit+1 rows loaded', async () => {
    emu = await emulatorWith([]);
    for (let i = 0; i < 3000; i++) emu.insert('customer_contact', { name: `Switchboard ${i}`, phone: '+41 800 555 999' });
    const crm = adapterFor(emu);
    const err = await rejection(crm.lookupByPhone('0800 555 999'));
    expect(err).toMatchObject({ code: 'PLATFORM_ERROR', kind: 'too_many_matches', retryable: false });
    expect(err.message).toMatch(/more than 50 records match \(customer_contact: 3000\)/);
    expect(new URLSearchParams(emu.requests().at(-1)!.query).get('sysparm_limit')).toBe('51');
    const cut = await crm.lookupByPhone('0800 555 999', { onTooMany: 'truncate', limit: 10 });
    expect(cut).toMatchObject({ complete: false, total: 3000 });
    expect(cut.records).toHaveLength(10);
  });

  it('a record without sys_id in the answer is a PARSE_ERROR', async () => {
    emu = await emulatorWith([ADA]);
    emu.faults.add({ kind: 'missingSysId', match: { method: 'GET' } });
    const err = await rejection(adapterFor(emu).lookupByPhone('+41445550101'));
    expect(err).toMatchObject({ code: 'PARSE_ERROR', kind: 'missing_id', retryable: false });
    expect(err.message).toContain('without sys_id');
  });
});

describe('failures as the outbox needs them', () => {
  it('429: retryable, retryAfterMs from Retry-After in seconds or as an HTTP date', async () => {
    emu = await emulatorWith();
    emu.faults.add({ kind: 'rateLimit', retryAfterSeconds: 7, first: 1 });
    const crm = adapterFor(emu);
    const err = await rejection(crm.createPhoneCall('K1', {}));
    expect(err).toMatchObject({ code: 'PLATFORM_ERROR', kind: 'rate_limited', retryable: true, status: 429, retryAfterMs: 7000 });
    expect(err.message).toContain('"Rate limit exceeded"');
    // the 429 also said X-RateLimit-Remaining: 0 until the reset: the next call is not even sent
    const sent = emu.stats().requests;
    expect(await rejection(crm.createPhoneCall('K1', {}))).toMatchObject({ kind: 'rate_limited', retryable: true });
    expect(emu.stats().requests).toBe(sent);
    emu.faults.add({ kind: 'rateLimit', retryAfterSeconds: 30, retryAfterFormat: 'http-date', first: 1 });
    const dated = await rejection(adapterFor(emu).createPhoneCall('K1', {}));
    expect(dated).toMatchObject({ status: 429, retryable: true });
    expect(dated.retryAfterMs as number).toBeGreaterThan(28_000); // an HTTP date has whole seconds
    expect(dated.retryAfterMs as number).toBeLessThanOrEqual(30_000);
  });

  it('an exhausted X-RateLimit window is honoured before sending', async () => {
    emu = await emulatorWith([], { rateLimit: { limit: 2, windowMs: 60_000 } });
    const crm = adapterFor(emu);
    await crm.createPhoneCall('K1', {}); // GET + POST: the window is used up
    expect(crm.rateLimit).toMatchObject({ limit: 2, remaining: 0 });
    const sent = emu.stats().requests;
    const err = await rejection(crm.updatePhoneCall('K1', { wrapUpReason: 'x' }));
    expect(err).toMatchObject({ kind: 'rate_limited', retryable: true });
    expect(err.retryAfterMs as number).toBeGreaterThan(0);
    expect(err.message).toContain('X-RateLimit-Reset');
    expect(emu.stats().requests).toBe(sent); // nothing sent
  });

  it("ServiceNow's error JSON becomes a typed error naming its message", async () => {
    emu = await emulatorWith();
    const crm = adapterFor(emu, { phoneCall: { table: 'u_no_such_table' } });
    const err = await rejection(crm.createPhoneCall('K1', {}));
    expect(err).toMatchObject({ code: 'PLATFORM_ERROR', kind: 'refused', retryable: false, status: 400 });
    expect(err.message).toBe('ServiceNow GET /api/now/table/u_no_such_table: HTTP 400, "Invalid table u_no_such_table"');
  });

  it('401 is not retryable unless configured; 500 and 502-504 are', async () => {
    emu = await emulatorWith();
    const wrong = adapterFor(emu, { auth: { type: 'basic', username: USER, password: 'wrong-password' } });
    const e401 = await rejection(wrong.createPhoneCall('K1', {}));
    expect(e401).toMatchObject({ kind: 'auth', status: 401, retryable: false });
    expect(e401.message).toContain('"User Not Authenticated" (Required to provide Auth information)');
    expect(await rejection(adapterFor(emu, { auth: { type: 'basic', username: USER, password: 'x' }, retryUnauthorized: true }).createPhoneCall('K1', {}))).toMatchObject({ retryable: true });
    emu.faults.add({ kind: 'serverError', status: 500, first: 1 });
    emu.faults.add({ kind: 'serverError', status: 503, first: 1 });
    const crm = adapterFor(emu);
    expect(await rejection(crm.createPhoneCall('K1', {}))).toMatchObject({ kind: 'server', status: 500, retryable: true });
    const e503 = await rejection(crm.createPhoneCall('K1', {}));
    expect(e503).toMatchObject({ kind: 'server', status: 503, retryable: true });
    expect(e503.message).toContain("text/html;charset=UTF-8 instead of ServiceNow's error JSON");
  });

  it('an HTML page where JSON belongs is a PARSE_ERROR naming the status; garbage too', async () => {
    emu = await emulatorWith();
    emu.faults.add({ kind: 'html', first: 1 });
    const crm = adapterFor(emu);
    const html = await rejection(crm.lookupByPhone('+41445550101'));
    expect(html).toMatchObject({ code: 'PARSE_ERROR', kind: 'malformed', retryable: false, status: 200 });
    expect(html.message).toMatch(/HTTP 200 answered text\/html;charset=UTF-8, not JSON: "<!DOCTYPE html>/);
    emu.faults.add({ kind: 'garbage', first: 1 });
    const garbage = await rejection(crm.lookupByPhone('+41445550101'));
    expect(garbage).toMatchObject({ code: 'PARSE_ERROR', retryable: false });
    expect(garbage.message).toContain('HTTP 200');
  });

  it('a missing sys_id in the answer to the POST is a PARSE_ERROR', async () => {
    emu = await emulatorWith();
    emu.faults.add({ kind: 'missingSysId', match: { method: 'POST' } });
    const err = await rejection(adapterFor(emu).createPhoneCall('K1', {}));
    expect(err).toMatchObject({ code: 'PARSE_ERROR', kind: 'missing_id', retryable: false, message: expect.stringContaining('POST u_phone_call') });
  });

  it('a slow answer times out on the injected clock: TIMEOUT, retryable', async () => {
    emu = await emulatorWith();
    emu.faults.add({ kind: 'delay', ms: 1500, first: 1 });
    const clock = simulatedClock();
    const crm = adapterFor(emu, { clock, timeoutMs: 3000 });
    const pending = rejection(crm.lookupByPhone('+41445550101'));
    await new Promise((r) => setTimeout(r, 100)); // the request is on the wire
    clock.advance(3000);
    const err = await pending;
    expect(err).toMatchObject({ code: 'TIMEOUT', kind: 'timeout', retryable: true });
    expect(err.message).toContain('within 3000 ms');
  });

  it('a reset connection and a refused one are NOT_CONNECTED, retryable', async () => {
    emu = await emulatorWith();
    emu.faults.add({ kind: 'drop', match: { method: 'GET' }, first: 1 });
    expect(await rejection(adapterFor(emu).lookupByPhone('+41445550101'))).toMatchObject({ code: 'NOT_CONNECTED', retryable: true });
    const url = emu.url;
    await emu.close();
    emu = undefined;
    const refused = await rejection(new ServiceNowRecords({ instanceUrl: url, auth: { type: 'basic', username: USER, password: PASSWORD }, phone: { country: 'CH' } }).lookupByPhone('+41445550101'));
    expect(refused).toMatchObject({ code: 'NOT_CONNECTED', retryable: true });
    expect(refused.message).toMatch(/connection failed \(.*ECONNREFUSED/);
  });

  it('bearer tokens: static or from a function asked per request', async () => {
    emu = await emulatorWith([ADA]);
    expect((await adapterFor(emu, { auth: { type: 'bearer', token: TOKEN } }).lookupByPhone('+41445550101')).records).toHaveLength(1);
    let asked = 0;
    const crm = adapterFor(emu, {
      auth: {
        type: 'bearer',
        token: () => {
          asked++;
          return Promise.resolve(TOKEN);
        },
      },
    });
    await crm.lookupByPhone('+41445550101');
    expect(asked).toBe(2); // one per table asked
    expect(emu.requests().at(-1)!.user).toBe('oauth.user');
  });
});

describe('credentials never appear in an error or a log line', () => {
  it('basic and bearer, through 401, resets, HTML, 5xx, timeouts and bad settings', async () => {
    emu = await emulatorWith();
    const lines: string[] = [];
    const secrets = [PASSWORD, Buffer.from(`${USER}:${PASSWORD}`).toString('base64'), TOKEN, encodeURIComponent(PASSWORD)];
    const errors: unknown[] = [];
    // The server echoes a credential in its error detail: it is scrubbed too.
    emu.faults.add({ kind: 'drop', first: 1 });
    emu.faults.add({ kind: 'html', first: 1 });
    emu.faults.add({ kind: 'serverError', status: 502, first: 1 });
    const basic = adapterFor(emu, { log: (l) => lines.push(l) });
    for (let i = 0; i < 3; i++) errors.push(await rejection(basic.createPhoneCall('K1', {})));
    errors.push(await rejection(adapterFor(emu, { auth: { type: 'basic', username: USER, password: `${PASSWORD}x` }, log: (l) => lines.push(l) }).createPhoneCall('K1', {})));
    errors.push(await rejection(adapterFor(emu, { auth: { type: 'bearer', token: `${TOKEN}x` }, log: (l) => lines.push(l) }).createPhoneCall('K1', {})));
    errors.push(await rejection(adapterFor(emu, { auth: { type: 'bearer', token: () => Promise.reject(new Error(`refresh failed for ${TOKEN}`)) } }).createPhoneCall('K1', {})));
    try {
      adapterFor(emu, { instanceUrl: `http://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:1` });
    } catch (err) {
      errors.push(err);
    }
    expect(errors).toHaveLength(7);
    expect(lines.length).toBeGreaterThan(3);
    for (const err of errors) {
      expect(isCrmError(err)).toBe(true);
      const seen = [String(err), JSON.stringify(err), inspect(err, { depth: 5 }), ...lines].join('\n');
      for (const s of secrets) expect(seen).not.toContain(s);
    }
  });
});
