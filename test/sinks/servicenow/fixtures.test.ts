/**
 * The adapter reading ServiceNow's own answer shapes (test/fixtures/servicenow, see its README)
 * through an injected fetch: what it asks, and how each answer turns out.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ServiceNowRecords } from '../../../src/sinks/servicenow/index.js';
import { rejection, simulatedClock } from './helpers.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/servicenow/${name}`, import.meta.url), 'utf8');

interface Seen {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

function fakeFetch(answers: Array<{ status: number; body?: string; headers?: Record<string, string> }>): { fetch: typeof globalThis.fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  const f = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    seen.push({ url: new URL(input instanceof Request ? input.url : input), method: init?.method ?? 'GET', headers: init?.headers as Record<string, string>, body: init?.body as string | undefined });
    const a = answers.shift();
    if (a === undefined) return Promise.reject(new TypeError('no more answers'));
    const type = a.body?.startsWith('<') === true ? 'text/html' : 'application/json';
    return Promise.resolve(new Response(a.body ?? null, { status: a.status, headers: { 'Content-Type': type, ...(a.headers ?? {}) } }));
  };
  return { fetch: f, seen };
}

function crm(f: typeof globalThis.fetch): ServiceNowRecords {
  return new ServiceNowRecords({
    instanceUrl: 'https://dev1234.service-now.com/',
    auth: { type: 'basic', username: 'svc', password: 'pw-123' },
    phone: { country: 'CH' },
    lookup: { tables: [{ table: 'customer_contact' }] },
    fetch: f,
    clock: simulatedClock(),
  });
}

describe('fixtures', () => {
  it('a list answer becomes CRM records of the table', async () => {
    const { fetch, seen } = fakeFetch([{ status: 200, body: fixture('list-customer-contact.json'), headers: { 'X-Total-Count': '2' } }]);
    const found = await crm(fetch).lookupByPhone('044 555 01 01');
    expect(found).toEqual({
      phone: '+41445550101',
      complete: true,
      total: 2,
      records: [
        { id: '62826bf03710200044e0bfc8bcbe5df1', name: 'Ada Muster', recordType: 'customer_contact' },
        { id: 'a8f98bb0eb32010045e1a5115206fe3a', name: 'Bob Beispiel', recordType: 'customer_contact' },
      ],
    });
    expect(seen[0]!.url.origin + seen[0]!.url.pathname).toBe('https://dev1234.service-now.com/api/now/table/customer_contact');
    expect(seen[0]!.headers).toMatchObject({ Accept: 'application/json', Authorization: `Basic ${Buffer.from('svc:pw-123').toString('base64')}` });
    expect(seen[0]!.url.searchParams.get('sysparm_exclude_reference_link')).toBe('true');
  });

  it('create: a query by correlation id, then a POST of the mapped fields; the sys_id is the activity', async () => {
    const { fetch, seen } = fakeFetch([
      { status: 200, body: '{"result":[]}' },
      { status: 201, body: fixture('create-phone-call.json') },
    ]);
    const a = await crm(fetch).createPhoneCall('152018C217', { ani: '+41445550101', direction: 'Incoming', DNIS: '8005' });
    expect(a).toEqual({ id: '9d385017c611228701d22104cc95c371', recordType: 'phonecall' });
    expect(seen[0]!.url.searchParams.get('sysparm_query')).toBe('correlation_id=152018C217^ORDERBYsys_created_on');
    expect(seen[1]!.method).toBe('POST');
    expect(JSON.parse(seen[1]!.body!)).toEqual({ phone_number: '+41445550101', direction: 'Incoming', correlation_id: '152018C217' });
  });

  it('error JSON of 404, 401 and 400 becomes a typed error naming the message and detail', async () => {
    const cases = [
      { status: 404, file: 'error-no-record.json', kind: 'not_found', text: `"No Record found" (Record doesn't exist or ACL restricts the record retrieval)` },
      { status: 401, file: 'error-not-authenticated.json', kind: 'auth', text: '"User Not Authenticated" (Required to provide Auth information)' },
      { status: 400, file: 'error-invalid-table.json', kind: 'refused', text: 'HTTP 400, "Invalid table u_phone_cal"' },
    ];
    for (const c of cases) {
      const { fetch } = fakeFetch([{ status: c.status, body: fixture(c.file) }]);
      const err = await rejection(crm(fetch).findPhoneCall('K1'));
      expect(err).toMatchObject({ code: 'PLATFORM_ERROR', kind: c.kind, status: c.status, retryable: false });
      expect(err.message).toContain(c.text);
    }
  });

  it('HTML with 200 is a PARSE_ERROR naming the status; JSON without result too', async () => {
    const { fetch } = fakeFetch([
      { status: 200, body: fixture('hibernating.html') },
      { status: 200, body: '{"records":[]}' },
      { status: 200, body: '{"result":{"sys_id":"x"}}' },
    ]);
    const c = crm(fetch);
    expect((await rejection(c.findPhoneCall('K1'))).message).toMatch(/^ServiceNow GET \/api\/now\/table\/u_phone_call: HTTP 200 answered text\/html, not JSON: "<!DOCTYPE html>/);
    expect(await rejection(c.findPhoneCall('K1'))).toMatchObject({ code: 'PARSE_ERROR', message: expect.stringContaining('JSON without "result"') });
    expect(await rejection(c.findPhoneCall('K1'))).toMatchObject({ code: 'PARSE_ERROR', message: expect.stringContaining('not a list of records') });
  });

  it('429 without Retry-After takes the wait from X-RateLimit-Reset (UNIX seconds)', async () => {
    const clock = simulatedClock();
    const reset = Math.floor(clock.now() / 1000) + 42;
    const { fetch } = fakeFetch([{ status: 429, body: '{"error":{"message":"Rate limit exceeded","detail":null},"status":"failure"}', headers: { 'X-RateLimit-Limit': '100', 'X-RateLimit-Reset': String(reset) } }]);
    const c = new ServiceNowRecords({ instanceUrl: 'https://dev1234.service-now.com', auth: { type: 'basic', username: 'svc', password: 'pw-123' }, fetch, clock });
    const err = await rejection(c.findPhoneCall('K1'));
    expect(err).toMatchObject({ retryable: true, status: 429, retryAfterMs: reset * 1000 - clock.now() });
  });

  it('a redirect (a login page, a wrong instance URL) is not followed', async () => {
    const { fetch } = fakeFetch([{ status: 302, headers: { Location: 'https://dev1234.service-now.com/login.do' } }]);
    const err = await rejection(crm(fetch).findPhoneCall('K1'));
    expect(err).toMatchObject({ code: 'PARSE_ERROR', retryable: false, status: 302, message: expect.stringContaining('login.do') });
  });
});
