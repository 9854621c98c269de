/**
 * The server's CRM records (issue 6, items 1 and 3) with the embedded directory: a caller who is
 * in the directory is looked up at workitemCreate, the gadget's workitem gets
 * participantLookupResult and associatedParticipant, the phone-call record is created through
 * the outbox and comes back as `activity` and `associations`; at the end the record's update is
 * written with the interaction record and delivered; one phone-call record per call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createServer, type SwitchboardServer } from '../../src/server/app.js';
import { RemoteSource } from '../../src/bridge/remote-source.js';
import { createAgent, type Agent } from '../../src/sinks/cil/index.js';
import { systemClock } from '../../src/core/index.js';
import { MemoryDirectory } from '../../src/sinks/records/memory.js';
import { demoDirectory } from '../../src/server/demo-directory.js';
import type { Workitem } from '../../src/core/model.js';
import { waitFor } from '../wait.js';

const open: SwitchboardServer[] = [];
const agents: Agent[] = [];

afterEach(async () => {
  await Promise.allSettled(agents.splice(0).map((a) => a.disconnect()));
  await Promise.allSettled(open.splice(0).map((s) => s.close()));
});


async function start(crm: MemoryDirectory | false): Promise<{ server: SwitchboardServer; agent: Agent; source: RemoteSource; ch: string; logs: string[] }> {
  const logs: string[] = [];
  const server = await createServer({
    store: 'sqlite::memory:',
    platform: { kind: 'sim', agents: 2, humanAgents: 2, rate: 0 },
    crm,
    outbox: { pollIntervalMs: 20 },
    logLevel: 'info',
    logStream: { write: (s: string) => void logs.push(s) },
  });
  open.push(server);
  const source = new RemoteSource({ agentId: '1001', open: () => new WebSocket(`${server.gadgetOrigin.replace('http', 'ws')}/ws`) });
  const agent = createAgent({ source, clock: systemClock });
  agents.push(agent);
  await agent.connect();
  const ch = Object.keys(agent.session.state.channels)[0] ?? '';
  await agent.api.setAgentState(ch, 'Ready');
  await waitFor('Ready', () => agent.session.state.channels[ch]?.state === 'Ready');
  return { server, agent, source, ch, logs };
}

const item = (a: Agent, id: string): Workitem | undefined => a.session.state.workitems[id];

describe('CRM records in the server (embedded directory)', () => {
  it('looks the caller up, creates one phone-call record through the outbox, and updates it with the interaction', async () => {
    const crm = demoDirectory();
    const { server, agent, ch } = await start(crm);
    const creates: Workitem[] = [];
    agent.api.on('workitemCreate', (wi) => creates.push(wi));
    const id = server.platform.sim!.arrive({ from: '+41445550101', queue: 'support', callVariables: { callVariable1: 'INV-9' } });

    // The lookup: Hans Muster's number in national form in the directory, international on the call.
    const looked = await waitFor('lookup result on the gadget workitem', () => {
      const wi = item(agent, id);
      return wi !== undefined && wi.participantLookupResult.length > 0 ? wi : undefined;
    });
    expect(looked.participantLookupResult).toEqual([{ id: '1000123', name: 'Hans Muster (Acme AG)', recordType: 'customer_contact' }]);
    expect(looked.associatedParticipant).toEqual({ id: '1000123', name: 'Hans Muster (Acme AG)', recordType: 'customer_contact' });

    // The phone-call record, created by the outbox worker, comes back as activity + association.
    const withActivity = await waitFor('activity on the gadget workitem', () => item(agent, id)?.activity);
    expect(withActivity.recordType).toBe('phonecall');
    const call = crm.phoneCalls();
    expect(call).toHaveLength(1);
    expect(withActivity.id).toBe(call[0]!.id);
    expect(item(agent, id)!.associations.map((a) => a.id)).toContain(call[0]!.id);
    // seed 001: activity may be undefined at workitemCreate; the create event came once.
    expect(creates.filter((w) => w.id === id)).toHaveLength(1);
    await waitFor('association written', () => crm.phoneCalls()[0]!.associations.length === 1);
    expect(crm.phoneCalls()[0]!.associations).toEqual([{ id: '1000123', name: 'Hans Muster (Acme AG)', recordType: 'customer_contact' }]);
    expect(crm.phoneCalls()[0]!.fields).toMatchObject({ ani: '+41445550101', callVariable1: 'INV-9', direction: 'Incoming' });

    await agent.api.answer(id);
    await waitFor('active', () => item(agent, id)?.state === 'Active');
    await agent.api.end(id);
    await waitFor('wrap-up', () => item(agent, id)?.state === 'Wrapup' || item(agent, id) === undefined);
    await agent.api.setAgentState(ch, 'Ready');
    await waitFor('interaction saved', async () => (await server.store.count({ agentId: '1001' })) === 1);
    // The update went into the outbox with the record, then to the CRM: same record, final fields.
    await waitFor('final update delivered', () => crm.phoneCalls()[0]?.fields.termination !== undefined);
    const [only] = crm.phoneCalls();
    expect(crm.phoneCalls()).toHaveLength(1);
    expect(only!.fields).toMatchObject({ state: 'Ended', ani: '+41445550101' });
    expect(Number(only!.fields.durationSeconds)).toBeGreaterThanOrEqual(0);
    const metrics = await (await fetch(`${server.crmOrigin}/metrics`)).text();
    expect(metrics).toMatch(/switchboard_outbox_delivered_total\{kind="phonecall.create"\} 1/);
    expect(metrics).toMatch(/switchboard_outbox_delivered_total\{kind="phonecall.update"\} 1/);
    expect(metrics).toMatch(/switchboard_outbox_delivered_total\{kind="phonecall.associate"\} 1/);
  });

  it('a caller nobody knows: empty lookup, no associatedParticipant, still one phone-call record', async () => {
    const crm = demoDirectory();
    const { server, agent } = await start(crm);
    const id = server.platform.sim!.arrive({ from: '+41445559999', queue: 'support' });
    await waitFor('activity', () => item(agent, id)?.activity);
    expect(item(agent, id)!.participantLookupResult).toEqual([]);
    expect(item(agent, id)!.associatedParticipant).toBeUndefined();
    expect(crm.phoneCalls()).toHaveLength(1);
    expect(agent.session.state.workitems[id]).toBeDefined();
  });

  it('a failing lookup is an error event naming the workitem; the call and the record go on', async () => {
    const crm = new MemoryDirectory({ phone: { country: 'CH' } });
    crm.lookupByPhone = () => Promise.reject(new Error('CRM answered HTML instead of JSON'));
    const { server, agent } = await start(crm);
    const errors: string[] = [];
    agent.api.on('error', (e) => errors.push(e.message));
    const id = server.platform.sim!.arrive({ from: '+41445550101', queue: 'support' });
    await waitFor('activity despite the lookup failure', () => item(agent, id)?.activity);
    await waitFor('error event in the gadget', () => errors.length > 0);
    expect(errors).toEqual([`crm: caller lookup for workitem "${id}" (+41445550101) failed: CRM answered HTML instead of JSON`]);
    expect(item(agent, id)!.state).toBe('Offered');
    expect(item(agent, id)!.participantLookupResult).toEqual([]);
    expect(crm.phoneCalls()).toHaveLength(1);
  });

  it('several matches: no associatedParticipant until the agent picks one in the gadget; the pick is associated in the CRM', async () => {
    const crm = demoDirectory();
    crm.add({ id: '2000001', name: 'Acme AG reception', recordType: 'account', phones: ['+41 44 555 01 01'] });
    const { server, agent, source } = await start(crm);
    const id = server.platform.sim!.arrive({ from: '+41445550101', queue: 'support' });
    const wi = await waitFor('two matches', () => (item(agent, id)?.participantLookupResult.length === 2 ? item(agent, id) : undefined));
    expect(wi.associatedParticipant).toBeUndefined();
    await waitFor('activity', () => item(agent, id)?.activity);
    expect(crm.phoneCalls()[0]!.associations).toEqual([]);

    // A record that is not among the matches is refused, naming it.
    await expect(source.pickCaller(id, 'nobody')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('"nobody"') as unknown });
    await source.pickCaller(id, '2000001');
    await waitFor('associatedParticipant', () => item(agent, id)?.associatedParticipant);
    expect(item(agent, id)!.associatedParticipant).toEqual({ id: '2000001', name: 'Acme AG reception', recordType: 'account' });
    await waitFor('association in the CRM', () => crm.phoneCalls()[0]!.associations.length === 1);
    expect(crm.phoneCalls()[0]!.associations[0]!.id).toBe('2000001');
  });

  it('without a CRM the pick is refused as NOT_SUPPORTED, and calls work as before', async () => {
    const { server, agent, source } = await start(false);
    const id = server.platform.sim!.arrive({ from: '+41445550101', queue: 'support' });
    await waitFor('offered', () => item(agent, id));
    await expect(source.pickCaller(id, 'x')).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
    expect(item(agent, id)!.participantLookupResult).toEqual([]);
  });
});
