/**
 * The ServiceNow mapping and settings: what loads, and every refusal naming its culprit (and
 * never a credential).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICENOW_MAPPING, mapServiceNowFields, parseServiceNowMapping, serviceNowMappingProblems, serviceNowSettings } from '../../../src/sinks/servicenow/index.js';

describe('mapping', () => {
  it('accepts workitem keys, CTI keys and ECC variables onto ServiceNow field names', () => {
    const m = { ani: 'phone_number', callVariable1: 'u_account', 'user.lang': 'u_language', wrapUpReason: 'u_wrap_up', established: 'start_time', participant: 'contact' };
    expect(parseServiceNowMapping(JSON.stringify(m))).toEqual(m);
    expect(Object.isFrozen(parseServiceNowMapping(m))).toBe(true);
    expect(serviceNowMappingProblems(DEFAULT_SERVICENOW_MAPPING)).toEqual([]);
  });

  it('refuses unknown keys, bad names, system fields, the correlation field and doubles, each by name', () => {
    const problems = serviceNowMappingProblems({ callVariable11: 'u_x', ani: 'Phone Number', DNIS: 'sys_id', direction: 'correlation_id', agentId: 'u_a', state: 'u_a', queueName: 7 });
    expect(problems).toEqual([
      expect.stringContaining('servicenow.mapping["callVariable11"]: "callVariable11" is not a workitem or CTI key'),
      expect.stringContaining('servicenow.mapping["ani"]: "Phone Number" is not a ServiceNow field name'),
      expect.stringContaining('servicenow.mapping["DNIS"]: "sys_id" is a system field'),
      expect.stringContaining('servicenow.mapping["direction"]: "correlation_id" is the correlation field'),
      expect.stringContaining('servicenow.mapping["state"]: "state" and "agentId" both map to "u_a"'),
      expect.stringContaining('servicenow.mapping["queueName"]: the target must be a string'),
    ]);
    expect(() => parseServiceNowMapping('{nope')).toThrow(/servicenow.mapping: not valid JSON/);
    expect(() => parseServiceNowMapping([])).toThrow(/must be a JSON object/);
  });

  it('maps only the keys it names, in mapping order; empty values clear', () => {
    expect(mapServiceNowFields({ wrapUpReason: 'u_wrap_up', ani: 'phone_number' }, { ani: '+41445550101', wrapUpReason: '', DNIS: '1' })).toEqual({ u_wrap_up: '', phone_number: '+41445550101' });
  });
});

describe('settings', () => {
  const auth = { type: 'basic' as const, username: 'svc', password: 'Sup3r-Secret' };

  it('fills the defaults', () => {
    const s = serviceNowSettings({ instanceUrl: 'https://dev1234.service-now.com/', auth });
    expect(s).toMatchObject({ baseUrl: 'https://dev1234.service-now.com', phoneCallTable: 'u_phone_call', correlationField: 'correlation_id', lookupLimit: 50, timeoutMs: 10_000, retryUnauthorized: false });
    expect(s.lookupTables.map((t) => [t.table, t.phoneFields, t.nameField, t.recordType])).toEqual([
      ['customer_contact', ['phone', 'mobile_phone'], 'name', 'customer_contact'],
      ['sys_user', ['phone', 'mobile_phone'], 'name', 'sys_user'],
    ]);
  });

  it('lists every problem by key and never echoes a password', () => {
    let message = '';
    try {
      serviceNowSettings({
        instanceUrl: 'https://svc:Sup3r-Secret@dev1234.service-now.com',
        auth: { type: 'basic', username: '', password: 'Sup3r-Secret' },
        lookup: { tables: [{ table: 'Customer Contact', phoneFields: [] }], limit: 0 },
        phoneCall: { table: 'u_phone_call', correlationField: 'sys_id', mapping: { nope: 'u_x' }, associationFields: { account: 'sys_x' } },
        phone: { country: 'ZZ' as 'CH' },
        timeoutMs: 0,
      });
    } catch (err) {
      expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', retryable: false });
      message = (err as Error).message;
    }
    for (const key of [
      'servicenow.instanceUrl: must not carry credentials',
      'servicenow.auth',
      'servicenow.lookup.tables[0].table',
      'servicenow.lookup.tables[0].phoneFields',
      'servicenow.lookup.limit',
      'servicenow.phoneCall.correlationField',
      'servicenow.phoneCall.mapping["nope"]',
      'servicenow.phoneCall.associationFields["account"]',
      'servicenow.phone.country',
      'servicenow.timeoutMs',
    ]) {
      expect(message).toContain(key);
    }
    expect(message).not.toContain('Sup3r-Secret');
  });
});
