/**
 * Issue 6, item 6: seed 001's sample handlers (b+s Connects for ServiceNow, "Sample code for
 * custom integrations"), pasted verbatim as in the foundation's seed-samples test, run on a
 * gadget-side `cil` against the real server, whose CRM is ServiceNow — here the ServiceNow
 * emulator (src/servicenow-emulator, Table API shapes per docs/servicenow.md) reached over HTTP
 * by the ServiceNow adapter, every write through the store's outbox. The printed workitems
 * carry `participantLookupResult`, `associatedParticipant` and `activity` that match the
 * records in the emulator: the contact found by the caller's number, and the phone-call record
 * the outbox created (its sys_id).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { systemClock } from '../../src/core/index.js';
import { RemoteSource } from '../../src/bridge/remote-source.js';
import { createServer, type SwitchboardServer } from '../../src/server/app.js';
import { createAgent, type Agent, type Cil } from '../../src/sinks/cil/index.js';
import { ServiceNowRecords } from '../../src/sinks/servicenow/index.js';
import { startServiceNowEmulator } from '../../src/servicenow-emulator/index.js';
import { waitFor } from '../wait.js';

/** Registers the sample handlers of seed 001 that print workitems, verbatim. */
function registerSampleHandlers(cil: Cil): void {
  cil.onWorkitemCreate((data) => {
  console.warn(`message: onWorkitemCreate, data: ${JSON.stringify(data)}`);
  });
  cil.onWorkitemConnect((data) => {
  console.warn(`message: onWorkitemConnect, data: ${JSON.stringify(data)}`);
  });
  cil.onWorkitemWrapup((data) => {
  console.warn(`message: onWorkitemWrapup, data: ${JSON.stringify(data)}`);
  });
  cil.onWorkitemEnd((data) => {
  console.warn(`message: onWorkitemEnd, data: ${JSON.stringify(data)}`);
  });
  cil.onError((error) => {
  console.warn(`message: onError data: ${JSON.stringify(error)}`);
  });
}

interface Printed {
  handler: string;
  data: Record<string, unknown>;
}

function parse(line: string): Printed {
  const m = /^message: (on[A-Za-z]+),? data: (.*)$/.exec(line);
  if (m === null) throw new Error(`unexpected line: ${line}`);
  return { handler: m[1]!, data: JSON.parse(m[2]!) as Record<string, unknown> };
}


describe('seed 001 sample handlers print the ServiceNow records (emulator)', () => {
  let printed: string[];
  let server: SwitchboardServer | undefined;
  let agent: Agent | undefined;
  let emulator: Awaited<ReturnType<typeof startServiceNowEmulator>> | undefined;

  beforeEach(() => {
    printed = [];
    vi.spyOn(console, 'warn').mockImplementation((line: unknown) => {
      printed.push(String(line));
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await agent?.disconnect();
    await server?.close();
    await emulator?.close();
  });

  it('activity.id is the phone-call record the outbox made; participantLookupResult and associatedParticipant are the contact found by the number', async () => {
    emulator = await startServiceNowEmulator({ port: 0, autoCreateTables: true });
    const contact = emulator.insert('customer_contact', { name: 'Hans Muster', phone: '044 555 01 01', mobile_phone: '' });
    emulator.insert('customer_contact', { name: 'Maria Rossi', phone: '+39 02 555 0199', mobile_phone: '' });
    const crm = new ServiceNowRecords({ instanceUrl: emulator.url, auth: { type: 'basic', username: 'admin', password: 'admin' }, phone: { country: 'CH' } });
    server = await createServer({ store: 'sqlite::memory:', platform: { kind: 'sim', agents: 2, humanAgents: 2, rate: 0 }, crm, outbox: { pollIntervalMs: 20 }, logStream: { write: () => undefined } });
    const s = server;
    agent = createAgent({ source: new RemoteSource({ agentId: '1001', open: () => new WebSocket(`${s.gadgetOrigin.replace('http', 'ws')}/ws`) }), clock: systemClock });
    const a = agent;
    registerSampleHandlers(a.cil);
    await a.connect();
    const ch = Object.keys(a.session.state.channels)[0] ?? '';
    await a.api.setAgentState(ch, 'Ready');
    await waitFor('Ready', () => a.session.state.channels[ch]?.state === 'Ready');

    const id = s.platform.sim!.arrive({ from: '+41445550101', queue: 'support' });
    await waitFor('activity on the workitem', () => a.session.state.workitems[id]?.activity);
    await a.api.answer(id);
    await waitFor('connected', () => printed.some((l) => l.startsWith('message: onWorkitemConnect')));
    await a.api.end(id);
    await waitFor('wrap-up', () => printed.some((l) => l.startsWith('message: onWorkitemWrapup')));

    const lines = printed.map(parse);
    expect(lines.filter((l) => l.handler === 'onError')).toEqual([]);
    const phoneCalls = emulator.table('u_phone_call');
    expect(phoneCalls).toHaveLength(1);
    const sysId = String(phoneCalls[0]!.sys_id);
    expect(sysId).toMatch(/^[0-9a-f]{32}$/);
    const hans = { id: String(contact.sys_id), name: 'Hans Muster', recordType: 'customer_contact' };

    // seed 001: "It is possible that the activity is undefined for the workitemCreate".
    const create = lines.find((l) => l.handler === 'onWorkitemCreate')!.data;
    expect(create.id).toBe(id);
    expect(create.activity === undefined || (create.activity as { id: string }).id === sysId).toBe(true);
    for (const handler of ['onWorkitemConnect', 'onWorkitemWrapup']) {
      const wi = lines.find((l) => l.handler === handler)!.data;
      expect(wi.activity, handler).toEqual({ id: sysId, recordType: 'phonecall' });
      expect(wi.participantLookupResult, handler).toEqual([hans]);
      expect(wi.associatedParticipant, handler).toEqual(hans);
      expect((wi.associations as { id: string }[]).map((r) => r.id), handler).toContain(sysId);
    }
    // The emulator's record is the call's: its correlation id and the caller's number.
    expect(phoneCalls[0]!.correlation_id).toMatch(/^[0-9A-Za-z]+$/);
  });

  it('bad CRM answers: HTML instead of JSON on create, a record without sys_id, thousands of matches — each a clear error on the error path; the call and the outbox unharmed', async () => {
    emulator = await startServiceNowEmulator({ port: 0, autoCreateTables: true });
    const emu = emulator;
    for (let i = 0; i < 60; i++) emu.insert('customer_contact', { name: `Shared line ${i}`, phone: '+41 44 555 02 02', mobile_phone: '' });
    const crm = new ServiceNowRecords({ instanceUrl: emu.url, auth: { type: 'basic', username: 'admin', password: 'admin' }, phone: { country: 'CH' } });
    server = await createServer({
      store: 'sqlite::memory:',
      platform: { kind: 'sim', agents: 2, humanAgents: 2, rate: 0 },
      crm,
      outbox: { pollIntervalMs: 20, maxAttempts: 3, backoff: { baseMs: 10, maxMs: 20 } },
      logStream: { write: () => undefined },
    });
    const s = server;
    agent = createAgent({ source: new RemoteSource({ agentId: '1001', open: () => new WebSocket(`${s.gadgetOrigin.replace('http', 'ws')}/ws`) }), clock: systemClock });
    const a = agent;
    const errors: string[] = [];
    a.api.on('error', (e) => errors.push(e.message));
    await a.connect();
    const ch = Object.keys(a.session.state.channels)[0] ?? '';
    await a.api.setAgentState(ch, 'Ready');
    await waitFor('Ready', () => a.session.state.channels[ch]?.state === 'Ready');

    // Every POST to the phone-call table answers an HTML page (a hibernating instance), and
    // the lookup finds 60 records for one number (more than the limit of 50).
    emu.faults.add({ kind: 'html', status: 200, match: { method: 'POST', table: 'u_phone_call' } });
    const id = s.platform.sim!.arrive({ from: '+41445550202', queue: 'support' });
    await waitFor('the lookup error', () => errors.find((e) => e.includes('caller lookup')));
    await waitFor('the create error', () => errors.find((e) => e.includes('creating the phone-call record')));
    const lookup = errors.find((e) => e.includes('caller lookup'))!;
    expect(lookup).toContain(`workitem "${id}"`);
    expect(lookup).toMatch(/50/);
    const create = errors.find((e) => e.includes('creating the phone-call record'))!;
    expect(create).toContain(`workitem "${id}"`);
    expect(create.toLowerCase()).toContain('html');
    expect(create).not.toContain('admin:admin');
    // The call goes on: answer and end it; the interaction is logged; nothing was created twice.
    await a.api.answer(id);
    await waitFor('active', () => a.session.state.workitems[id]?.state === 'Active');
    expect(a.session.state.workitems[id]!.activity).toBeUndefined();
    expect(emu.table('u_phone_call').length).toBeLessThanOrEqual(1);
    expect(create).toMatch(/dead letter|retried/);
  });
});
