/**
 * The C4C Live Activity sink against the real simulator: what is posted, when, to whom, with
 * which keys — for inbound, outbound, transferred, consulted and conferenced calls, in both wire
 * formats, through failures of the transport and reloads of the page.
 */
import { describe, expect, it } from 'vitest';
import { isValidReference } from '../../../src/sinks/c4c/index.js';
import { C4cSink, memoryStorage } from '../../../src/sinks/c4c/index.js';
import { SimulatedClock, AgentSession } from '../../../src/core/index.js';
import { ORIGIN, RecordingTarget, T0, desk, expectOriginOnly, makeWorld, type Desk } from './helpers.js';

const MAPPING = { callVariable1: 'Custom_1', 'user.lang': 'Custom_3', established: 'Custom_2', termination: 'Custom_4', wrapUpReason: 'TicketID', DNIS: 'DNIS' };

function refs(d: Desk): string[] {
  return [...new Set(d.target.payloads().map((p) => p.ExternalReferenceID!))];
}

async function inbound(options: Parameters<typeof makeWorld>[0] = {}, settings: Record<string, unknown> = { mapping: MAPPING }) {
  const w = makeWorld(options);
  const a = await desk(w, '1001', { settings });
  const id = w.cc.arrive({ from: '+41445550101', queue: 'sales', callVariables: { callVariable1: 'ACC-9' }, ecc: { lang: 'fr' } });
  w.settle();
  return { w, a, id };
}

describe('an inbound call', () => {
  it('NOTIFY on alerting, ACCEPT with the mapped fields on connect, one END on hang-up', async () => {
    const { w, a, id } = await inbound();
    expect(a.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Inbound']);
    const [notify] = a.target.payloads();
    // No mapped field before the call is connected (SPEC: mapped fields from CALL_CONNECTED on).
    expect(notify).toEqual({ ANI: '+41445550101', CID: 'CISCO9876', Type: 'CALL', Event: 'CALL_ALLOCATED', EventType: 'Inbound', Action: 'NOTIFY', ExternalReferenceID: '20458C1' });

    w.settle(4000);
    await a.agent.api.answer(id);
    w.settle();
    const connectedAt = a.agent.api.workitems[0]!.connectedAt!;
    expect(a.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Inbound', 'CALL_CONNECTED/ACCEPT/Inbound']);
    expect(a.target.payloads()[1]).toEqual({
      ANI: '+41445550101',
      CID: 'CISCO9876',
      Type: 'CALL',
      Event: 'CALL_CONNECTED',
      EventType: 'Inbound',
      Action: 'ACCEPT',
      ExternalReferenceID: '20458C1',
      Custom_1: 'ACC-9',
      Custom_3: 'fr',
      Custom_2: connectedAt,
      DNIS: '8005550100',
    });
    expect(connectedAt).toBe(new Date(T0 + 6000).toISOString());

    w.settle(60_000);
    w.cc.callerHangup(id);
    w.settle();
    expect(a.target.steps().slice(2)).toEqual(['CALL_DISCONNECTED/END/Inbound']);
    expect(a.target.payloads()[2]).toMatchObject({ Custom_2: connectedAt, Custom_4: new Date(T0 + 67_000).toISOString(), Custom_1: 'ACC-9' });

    // Leaving wrap-up ends the item: no second END.
    await a.agent.api.setAgentState('voice', 'Ready');
    w.settle();
    expect(a.agent.api.workitems).toEqual([]);
    expect(a.target.steps().filter((s) => s.includes('END'))).toHaveLength(1);
    expect(refs(a)).toEqual(['20458C1']);
    expectOriginOnly(a);
    expect(a.errors).toEqual([]);
    expect(a.warnings).toEqual([]);
  });

  it('UpdateActivity (no Action) when mapped data changes, nothing when unmapped data changes', async () => {
    const { w, a, id } = await inbound();
    await a.agent.api.answer(id);
    w.settle();
    a.target.clear();

    await a.agent.api.updateWorkitemData('voice', id, { callVariable5: 'not mapped', 'user.other': 'x' });
    w.settle();
    expect(a.target.posts).toEqual([]);

    await a.agent.api.updateWorkitemData('voice', id, { callVariable1: 'ACC-10' });
    w.settle();
    expect(a.target.payloads()).toEqual([
      expect.objectContaining({ Event: 'CALL_CONNECTED', EventType: 'UpdateActivity', ExternalReferenceID: '20458C1', Custom_1: 'ACC-10', Custom_3: 'fr' }),
    ]);
    expect(a.target.payloads()[0]).not.toHaveProperty('Action');

    // The same value again changes nothing on the platform, and sends nothing.
    await a.agent.api.updateWorkitemData('voice', id, { callVariable1: 'ACC-10', callVariable2: 'y' });
    w.settle();
    expect(a.target.posts).toHaveLength(1);
    expect(a.errors).toEqual([]);
  });

  it('the wrap-up reason set during wrap-up updates the ended activity once (Event CALL_DISCONNECTED)', async () => {
    const { w, a, id } = await inbound();
    await a.agent.api.answer(id);
    w.settle();
    w.cc.callerHangup(id);
    w.settle();
    a.target.clear();
    // callVariableChanged and wrapupDataChanged both fire for it; one message goes out.
    await a.agent.api.setWrapupReason('voice', id, 'Sales');
    w.settle();
    expect(a.target.steps()).toEqual(['CALL_DISCONNECTED/-/UpdateActivity']);
    expect(a.target.payloads()[0]).toMatchObject({ TicketID: 'Sales', ExternalReferenceID: '20458C1' });
    expect(a.target.payloads()[0]!.Custom_4).toBeDefined();
  });

  it('data changes before the call is answered go out with ACCEPT, not as updates (any source: raw platform updates)', () => {
    const clock = new SimulatedClock(T0);
    const session = new AgentSession({ clock });
    const target = new RecordingTarget();
    const errors: unknown[] = [];
    new C4cSink({ session, target, settings: { origin: ORIGIN, mapping: { callVariable1: 'Custom_1' } }, onError: (e) => errors.push(e) });
    session.apply({ type: 'session', agent: { agentId: '7', extension: '7001', firstName: 'A', lastName: 'B', loginName: 'ab', teamId: 't' }, channels: [{ id: 'voice_1', type: 'Voice' }] });
    session.apply({ type: 'workitemAdded', workitem: { id: 'd1', channelId: 'voice_1', classification: 'Customer', direction: 'Incoming', state: 'Offered', participants: [{ address: '+41445550101' }], ani: '+41445550101', ctiData: { callVariable1: 'A' } } });
    session.apply({ type: 'workitemData', id: 'd1', ctiData: { callVariable1: 'B' } });
    expect(target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Inbound']);
    clock.advance(5000);
    session.apply({ type: 'workitemState', id: 'd1', state: 'Active' });
    expect(target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Inbound', 'CALL_CONNECTED/ACCEPT/Inbound']);
    expect(target.payloads()[1]).toMatchObject({ Custom_1: 'B', ExternalReferenceID: 'd1D20260105' });
    session.apply({ type: 'workitemState', id: 'd1', state: 'Ended' });
    expect(target.steps().at(-1)).toBe('CALL_DISCONNECTED/END/Inbound');
    expect(errors).toEqual([]);
  });

  it('hold and resume send nothing', async () => {
    const { w, a, id } = await inbound();
    await a.agent.api.answer(id);
    w.settle();
    const before = a.target.posts.length;
    await a.agent.api.hold(id);
    w.settle();
    await a.agent.api.resume(id);
    w.settle();
    await a.agent.api.hold(id);
    w.settle();
    expect(a.target.posts).toHaveLength(before);
    expect(a.agent.api.workitems[0]!.state).toBe('Paused');
  });

  it('with wrap-up off, END goes out when the item ends, exactly once', async () => {
    const { w, a, id } = await inbound({ wrapup: 'off' });
    await a.agent.api.answer(id);
    w.settle();
    await a.agent.api.end(id);
    w.settle();
    expect(a.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Inbound', 'CALL_CONNECTED/ACCEPT/Inbound', 'CALL_DISCONNECTED/END/Inbound']);
  });

  it('a caller who gives up while ringing: NOTIFY then END, never ACCEPT', async () => {
    const { w, a, id } = await inbound();
    w.cc.abandon(id);
    w.settle();
    expect(a.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Inbound', 'CALL_DISCONNECTED/END/Inbound']);
    // END comes after CALL_CONNECTED would have: it carries the mapped data, but no `established`.
    expect(a.target.payloads()[1]).toMatchObject({ Custom_1: 'ACC-9', Custom_4: new Date(T0 + 2000).toISOString() });
    expect(a.target.payloads()[1]).not.toHaveProperty('Custom_2');
  });

  it('CID and the ANI rules come from the settings; a non-international ANI is sent as is with a warning', async () => {
    const w = makeWorld();
    const a = await desk(w, '1001', { settings: { cid: 'SWITCHBOARD1', ani: { rules: [{ match: '^00', replace: '+' }, { match: '^0', replace: '+41' }] } } });
    w.cc.arrive({ from: '0445550101', queue: 'sales' });
    w.settle();
    w.cc.arrive({ from: '0041445550102', queue: 'sales' });
    w.settle();
    const b = await desk(makeWorld(), '1001');
    expect(a.target.payloads()[0]).toMatchObject({ ANI: '+41445550101', CID: 'SWITCHBOARD1' });
    expect(a.warnings).toEqual([]);

    const w2 = makeWorld();
    const c = await desk(w2, '1001');
    w2.cc.arrive({ from: '0445550101', queue: 'sales' });
    w2.settle();
    expect(c.target.payloads()[0]!.ANI).toBe('0445550101');
    expect(c.warnings.map((x) => x.message)).toEqual([expect.stringContaining('"0445550101" of workitem "33554433" is not an international number')]);
    expect(c.warnings[0]!.code).toBe('INVALID_ARGUMENT');
    expect(b.target.posts).toEqual([]);
  });
});

describe('an outbound call', () => {
  it('NOTIFY/Outbound when initiated, ACCEPT when the far end answers, END at hang-up; ANI is the dialled number', async () => {
    const w = makeWorld();
    const a = await desk(w, '1001', { settings: { mapping: { callType: 'Custom_1' }, ani: { rules: [{ match: '^0', replace: '+41' }] } } });
    await a.agent.api.dialOrConsult('voice', '0445559000');
    w.settle(100);
    expect(a.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Outbound']);
    expect(a.target.payloads()[0]).toMatchObject({ ANI: '+41445559000', EventType: 'Outbound' });
    const id = a.agent.api.workitems[0]!.id;
    w.settle(1000); // the far end rings (Initiated → Offered): nothing
    expect(a.target.posts).toHaveLength(1);
    w.cc.farEndAnswer(id);
    w.settle();
    await a.agent.api.end(id);
    w.settle();
    expect(a.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Outbound', 'CALL_CONNECTED/ACCEPT/Outbound', 'CALL_DISCONNECTED/END/Outbound']);
    expect(a.target.payloads()[1]).toMatchObject({ Custom_1: 'AGENT_OUT' });
    expect(refs(a)).toHaveLength(1);
    expectOriginOnly(a);
  });

  it('an unanswered outbound call the agent cancels: NOTIFY then END', async () => {
    const w = makeWorld();
    const a = await desk(w, '1001');
    await a.agent.api.dialOrConsult('voice', '+41445559000');
    w.settle();
    await a.agent.api.end(a.agent.api.workitems[0]!.id);
    w.settle();
    expect(a.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Outbound', 'CALL_DISCONNECTED/END/Outbound']);
  });

  it('an agent-to-agent call is not a customer call: nothing on either side', async () => {
    const w = makeWorld();
    const a = await desk(w, '1001');
    const b = await desk(w, '1002');
    await a.agent.api.dialOrConsult('voice', '1002001');
    w.settle();
    const id = b.agent.api.workitems[0]!.id;
    await b.agent.api.answer(id);
    w.settle();
    await b.agent.api.end(id);
    w.settle();
    expect(a.target.posts).toEqual([]);
    expect(b.target.posts).toEqual([]);
  });
});

/** Agent 1001 on an answered sales call, 1002 Ready for a consult or transfer. */
async function twoAgents(options: Parameters<typeof makeWorld>[0] = {}) {
  const w = makeWorld(options);
  const a = await desk(w, '1001', { settings: { mapping: { callVariable1: 'Custom_1' } } });
  const b = await desk(w, '1002', { settings: { mapping: { callVariable1: 'Custom_1' } } });
  const id = w.cc.arrive({ from: '+41445550101', queue: 'sales', callVariables: { callVariable1: 'ACC-9' } });
  w.settle();
  await a.agent.api.answer(id);
  w.settle();
  return { w, a, b, id };
}

async function consult(a: Desk, b: Desk, w: ReturnType<typeof makeWorld>): Promise<string> {
  await a.agent.api.dialOrConsult('voice', '1002001');
  w.settle();
  const consultId = b.agent.api.workitems[0]!.id;
  await b.agent.api.answer(consultId);
  w.settle();
  return consultId;
}

describe('transfers', () => {
  it('blind transfer: the receiving agent gets EventType Transfer, its own reference and ExternalOriginalReferenceID of the original', async () => {
    const { w, a, b, id } = await twoAgents();
    await a.agent.api.directTransfer('voice', '1002001');
    w.settle();
    expect(a.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Inbound', 'CALL_CONNECTED/ACCEPT/Inbound', 'CALL_DISCONNECTED/END/Inbound']);
    const original = a.target.payloads()[0]!.ExternalReferenceID!;

    expect(b.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Transfer']);
    const bid = b.agent.api.workitems[0]!.id;
    await b.agent.api.answer(bid);
    w.settle();
    w.cc.callerHangup(id);
    w.settle();
    expect(b.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Transfer', 'CALL_CONNECTED/ACCEPT/Transfer', 'CALL_DISCONNECTED/END/Transfer']);
    const [mine] = refs(b);
    expect(refs(b)).toHaveLength(1);
    expect(mine).not.toBe(original);
    expect(isValidReference(mine!)).toBe(true);
    for (const p of b.target.payloads()) {
      expect(p.ExternalOriginalReferenceID).toBe(original);
      expect(p.ANI).toBe('+41445550101');
    }
    expect(b.target.payloads()[1]).toMatchObject({ Custom_1: 'ACC-9' });
    expect(b.warnings).toEqual([]);
    expectOriginOnly(a);
    expectOriginOnly(b);
  });

  it('consultative transfer: the consultation sends nothing until it becomes a Transfer; then its activity starts', async () => {
    const { w, a, b, id } = await twoAgents();
    const consultId = await consult(a, b, w);
    // The consultation: nothing for it on either side.
    expect(b.target.posts).toEqual([]);
    expect(a.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Inbound', 'CALL_CONNECTED/ACCEPT/Inbound']);

    await a.agent.api.transfer(id);
    w.settle();
    expect(a.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Inbound', 'CALL_CONNECTED/ACCEPT/Inbound', 'CALL_DISCONNECTED/END/Inbound']);
    // The platform reclassifies B's item without a lifecycle event; the sink starts the activity
    // at the next session event (here UCCE's queue figures), already connected.
    expect(b.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Transfer', 'CALL_CONNECTED/ACCEPT/Transfer']);
    w.cc.callerHangup(id);
    w.settle();
    expect(b.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Transfer', 'CALL_CONNECTED/ACCEPT/Transfer', 'CALL_DISCONNECTED/END/Transfer']);
    const payloads = b.target.payloads();
    for (const p of payloads) {
      expect(p.ANI).toBe('+41445550101'); // the customer, not the agent who consulted
      expect(p.ExternalReferenceID).toBe(payloads[0]!.ExternalReferenceID);
      // The item is the consultation call: it carries no identity of the original call.
      expect(p).not.toHaveProperty('ExternalOriginalReferenceID');
    }
    expect(isValidReference(payloads[0]!.ExternalReferenceID!)).toBe(true);
    expect(payloads[0]!.ExternalReferenceID).not.toBe(a.target.payloads()[0]!.ExternalReferenceID);
    expect(b.warnings.map((x) => x.message)).toEqual([expect.stringContaining(`no ExternalOriginalReferenceID for transferred workitem "${consultId}"`)]);
  });

  it('consultative transfer on UCCX (no queue events): the activity starts at once (workitemUpdate); reconcile() sends nothing twice', async () => {
    for (const explicit of [false, true]) {
      const { w, a, b, id } = await twoAgents({ flavor: 'UCCX' });
      await consult(a, b, w);
      await a.agent.api.transfer(id);
      w.settle();
      if (explicit) b.sink.reconcile();
      expect(b.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Transfer', 'CALL_CONNECTED/ACCEPT/Transfer']);
      w.cc.callerHangup(id);
      w.settle();
      expect(b.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Transfer', 'CALL_CONNECTED/ACCEPT/Transfer', 'CALL_DISCONNECTED/END/Transfer']);
      // UCCX has no call key: the reference carries the call's start date.
      expect(b.target.payloads()[0]!.ExternalReferenceID).toMatch(/^\d+D20260105T1002W\d+$/);
    }
  });
});

describe('consultations and conferences create and update nothing', () => {
  it('a consultation that ends: nothing for the consult on either side; the customer call goes on', async () => {
    const { w, a, b, id } = await twoAgents();
    const consultId = await consult(a, b, w);
    await b.agent.api.updateWorkitemData('voice', consultId, { callVariable1: 'FROM-B' });
    w.settle();
    await b.agent.api.hold(consultId);
    w.settle();
    await b.agent.api.resume(consultId);
    w.settle();
    await a.agent.api.end(consultId);
    w.settle();
    expect(b.target.posts).toEqual([]);
    // A's activity saw the call variable change (call data belongs to the call) — and nothing else.
    expect(a.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Inbound', 'CALL_CONNECTED/ACCEPT/Inbound']);
    await a.agent.api.resume(id);
    w.settle();
    w.cc.callerHangup(id);
    w.settle();
    expect(a.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Inbound', 'CALL_CONNECTED/ACCEPT/Inbound', 'CALL_DISCONNECTED/END/Inbound']);
    expect(new Set(a.target.payloads().map((p) => p.ExternalReferenceID)).size).toBe(1);
  });

  it('a conference: the conferenced agent sends nothing at all; the original activity ends once', async () => {
    const { w, a, b, id } = await twoAgents();
    await consult(a, b, w);
    await a.agent.api.conference(id);
    w.settle();
    expect(b.agent.api.workitems[0]!.classification).toBe('Conference');
    await a.agent.api.updateWorkitemData('voice', id, { callVariable1: 'CONF' });
    w.settle();
    await b.agent.api.end(b.agent.api.workitems[0]!.id);
    w.settle();
    w.cc.callerHangup(id);
    w.settle();
    expect(b.target.posts).toEqual([]);
    const steps = a.target.steps();
    expect(steps.filter((s) => s.includes('NOTIFY'))).toHaveLength(1);
    expect(steps.filter((s) => s.includes('ACCEPT'))).toHaveLength(1);
    expect(steps.filter((s) => s.includes('END'))).toHaveLength(1);
    expect(steps.at(-1)).toBe('CALL_DISCONNECTED/END/Inbound');
  });

  it('a single-step conference to an agent: the added agent sends nothing', async () => {
    const { w, a, b, id } = await twoAgents();
    await a.agent.api.singleStepConference('voice', '1002001');
    w.settle();
    await b.agent.api.answer(b.agent.api.workitems[0]!.id);
    w.settle();
    expect(a.agent.api.workitems[0]!.classification).toBe('Conference');
    w.cc.callerHangup(id);
    w.settle();
    await a.agent.api.end(id);
    w.settle();
    expect(b.target.posts).toEqual([]);
    expect(a.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Inbound', 'CALL_CONNECTED/ACCEPT/Inbound', 'CALL_DISCONNECTED/END/Inbound']);
  });
});

describe('wire formats', () => {
  async function run(format: 'json' | 'xml') {
    const { w, a, id } = await inbound({}, { format, mapping: MAPPING });
    await a.agent.api.answer(id);
    w.settle();
    await a.agent.api.updateWorkitemData('voice', id, { callVariable1: 'ACC-10' });
    w.settle();
    w.cc.callerHangup(id);
    w.settle();
    return a;
  }

  it('JSON posts {payload} objects, XML posts strings; both carry the same keys in the same order with the same values', async () => {
    const json = await run('json');
    const xml = await run('xml');
    for (const p of json.target.posts) expect(typeof p.message).toBe('object');
    for (const p of xml.target.posts) {
      expect(typeof p.message).toBe('string');
      expect(p.message).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?><payload><ANI>\+41445550101<\/ANI><CID>/);
    }
    const a = json.target.payloads();
    const b = xml.target.payloads();
    expect(a).toHaveLength(4);
    expect(b).toEqual(a);
    expect(b.map((p) => Object.keys(p))).toEqual(a.map((p) => Object.keys(p)));
    expectOriginOnly(json);
    expectOriginOnly(xml);
  });

  it('XML escapes every value (and drops characters XML cannot carry)', async () => {
    const w = makeWorld();
    const a = await desk(w, '1001', { settings: { format: 'xml', mapping: { callVariable1: 'Custom_1', 'user.note': 'Transcript' } } });
    const nasty = `</Custom_1><ANI>+1</ANI>&amp; "q" 'a' <b>`;
    const id = w.cc.arrive({ from: '+41445550101', queue: 'sales', callVariables: { callVariable1: nasty }, ecc: { note: 'line\u0001one\ttwo\nthree & four' } });
    w.settle();
    await a.agent.api.answer(id);
    w.settle();
    const accept = a.target.posts[1]!.message as string;
    expect(accept).toContain('&lt;/Custom_1&gt;&lt;ANI&gt;+1&lt;/ANI&gt;&amp;amp; &quot;q&quot; &apos;a&apos; &lt;b&gt;');
    const p = a.target.payloads()[1]!;
    expect(p.Custom_1).toBe(nasty);
    expect(p.Transcript).toBe('lineone\ttwo\nthree & four');
    expect(p.ANI).toBe('+41445550101');
  });
});

describe('targetOrigin and failures', () => {
  it('refuses "*" and malformed origins at construction, never at send time', () => {
    const clock = new SimulatedClock(T0);
    const session = new AgentSession({ clock });
    for (const origin of ['*', 'https://my.crm.ondemand.com/path', 'my.crm.ondemand.com', 'http://my.crm.ondemand.com']) {
      expect(() => new C4cSink({ session, target: new RecordingTarget(), settings: { origin } })).toThrow(/c4c\.origin/);
    }
  });

  it('a transport that throws is reported with PLATFORM_ERROR; later messages still go, the session is untouched', async () => {
    const { w, a, id } = await inbound();
    a.target.throwNext = 1;
    await a.agent.api.answer(id);
    w.settle();
    expect(a.errors.map((e) => [e.code, e.message])).toEqual([['PLATFORM_ERROR', expect.stringContaining('posting CALL_CONNECTED/ACCEPT for workitem "33554433" to https://my.crm.ondemand.com failed: the parent window is gone')]]);
    expect(a.agent.api.workitems[0]!.state).toBe('Active');
    w.cc.callerHangup(id);
    w.settle();
    // The failed step is not retried (no duplicate when the transport recovers); END still goes.
    expect(a.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Inbound', 'CALL_DISCONNECTED/END/Inbound']);
  });

  it('without onError, failures reach the session as error events (cil onError)', async () => {
    const w = makeWorld();
    const a = await desk(w, '1001', { defaultErrorPath: true });
    const seen: string[] = [];
    a.agent.cil.onError((e) => seen.push(e.message));
    a.target.throwNext = 1;
    w.cc.arrive({ from: '0445550101', queue: 'sales' });
    w.settle();
    expect(a.sessionErrors).toEqual([expect.stringContaining('not an international number'), expect.stringContaining('posting CALL_ALLOCATED/NOTIFY')]);
    expect(seen).toEqual(a.sessionErrors);
  });

  it('posts to exactly the configured origin (normalized), whatever it is', async () => {
    const w = makeWorld();
    const a = await desk(w, '1001', { settings: { origin: 'https://tenant42.crm.ondemand.com:8443/' } });
    const id = w.cc.arrive({ from: '+41445550101', queue: 'sales' });
    w.settle();
    await a.agent.api.answer(id);
    w.settle();
    expect(a.target.posts.map((p) => p.targetOrigin)).toEqual(['https://tenant42.crm.ondemand.com:8443', 'https://tenant42.crm.ondemand.com:8443']);
  });

  it('callbacks that throw never reach the session (no HANDLER_ERROR, other listeners unaffected)', async () => {
    const w = makeWorld();
    const a = await desk(w, '1001', {
      sink: {
        onSent: () => {
          throw new Error('onSent broke');
        },
        onError: () => {
          throw new Error('onError broke too');
        },
      },
    });
    const seen: string[] = [];
    a.agent.session.subscribe((e) => seen.push(e.type));
    const id = w.cc.arrive({ from: '+41445550101', queue: 'sales' });
    w.settle();
    await a.agent.api.answer(id);
    w.settle();
    expect(a.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Inbound', 'CALL_CONNECTED/ACCEPT/Inbound']);
    expect(a.sessionErrors).toEqual([]);
    expect(seen).toContain('workitemConnect');
    expect(a.agent.api.workitems[0]!.state).toBe('Active');
  });

  it('a storage that throws is reported, and the activity goes on', async () => {
    const w = makeWorld();
    const broken = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); }, removeItem: () => undefined };
    const a = await desk(w, '1001', { storage: broken });
    const id = w.cc.arrive({ from: '+41445550101', queue: 'sales' });
    w.settle();
    await a.agent.api.answer(id);
    w.settle();
    expect(a.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Inbound', 'CALL_CONNECTED/ACCEPT/Inbound']);
    expect(a.errors.length).toBeGreaterThan(0);
    expect(a.errors[0]!.message).toContain('QuotaExceededError');
  });
});

describe('ExternalReferenceID', () => {
  it('is 1-35 letters and digits, the same in every message of a call, different per call', async () => {
    const { w, a, id } = await inbound();
    await a.agent.api.answer(id);
    w.settle();
    w.cc.callerHangup(id);
    w.settle();
    await a.agent.api.setAgentState('voice', 'Ready');
    w.settle();
    const id2 = w.cc.arrive({ from: '+41445550102', queue: 'sales' });
    w.settle();
    expect(id2).not.toBe(id);
    const all = a.target.payloads();
    const byCall = [...new Set(all.map((p) => p.ExternalReferenceID!))];
    expect(byCall).toEqual(['20458C1', '20458C2']);
    for (const r of byCall) expect(r).toMatch(/^[A-Za-z0-9]{1,35}$/);
  });

  it('the same dialog id on another day gives another reference (UCCX: date; UCCE: call-key day)', async () => {
    const seen: Record<string, string[]> = {};
    for (const flavor of ['UCCX', 'UCCE'] as const) {
      for (const day of [0, 1]) {
        const w = makeWorld({ flavor }, T0 + day * 86_400_000);
        const a = await desk(w, '1001');
        const id = w.cc.arrive({ from: '+41445550101', queue: 'sales' });
        w.settle();
        expect(id).toBe('33554433');
        (seen[flavor] ??= []).push(a.target.payloads()[0]!.ExternalReferenceID!);
      }
    }
    expect(seen.UCCX).toEqual(['33554433D20260105', '33554433D20260106']);
    expect(seen.UCCE).toEqual(['20458C1', '20459C1']);
  });
});

describe('call recovery after a reload', () => {
  async function reload(w: ReturnType<typeof makeWorld>, old: Desk, storage = old.storage): Promise<Desk> {
    old.sink.dispose();
    await old.agent.disconnect();
    return desk(w, '1001', { storage, login: false, settings: { mapping: MAPPING } });
  }

  it('a connected call is re-announced by the platform, but C4C gets no second NOTIFY/ACCEPT; END follows once', async () => {
    const { w, a, id } = await inbound();
    await a.agent.api.answer(id);
    w.settle();
    const first = a.target.payloads();
    expect(a.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Inbound', 'CALL_CONNECTED/ACCEPT/Inbound']);

    const b = await reload(w, a);
    expect(b.agent.api.workitems.map((x) => [x.id, x.state])).toEqual([[id, 'Active']]);
    expect(b.target.posts).toEqual([]);
    await b.agent.api.updateWorkitemData('voice', id, { callVariable1: 'AFTER-RELOAD' });
    w.settle();
    w.cc.callerHangup(id);
    w.settle();
    expect(b.target.steps()).toEqual(['CALL_CONNECTED/-/UpdateActivity', 'CALL_DISCONNECTED/END/Inbound']);
    expect(b.target.payloads()[1]).toMatchObject({ ExternalReferenceID: first[0]!.ExternalReferenceID, Custom_2: first[1]!.Custom_2, Custom_1: 'AFTER-RELOAD' });
    // The record is gone once the item ended.
    await b.agent.api.setAgentState('voice', 'Ready');
    w.settle();
    expect((b.storage as ReturnType<typeof memoryStorage>).size).toBe(0);
  });

  it('reloaded while ringing and answered meanwhile: ACCEPT only, no second NOTIFY', async () => {
    const { w, a, id } = await inbound();
    a.sink.dispose();
    await a.agent.disconnect();
    // The agent answers at the phone while the page is reloading.
    await w.cc.source('1001').request({ type: 'answer', workitemId: id, requestId: 'phone' });
    w.settle();
    const b = await desk(w, '1001', { storage: a.storage, login: false, settings: { mapping: MAPPING } });
    expect(b.target.steps()).toEqual(['CALL_CONNECTED/ACCEPT/Inbound']);
    expect(b.target.payloads()[0]!.ExternalReferenceID).toBe(a.target.payloads()[0]!.ExternalReferenceID);
  });

  it('reloaded in wrap-up: nothing is sent again; the wrap-up reason still updates the activity', async () => {
    const { w, a, id } = await inbound();
    await a.agent.api.answer(id);
    w.settle();
    w.cc.callerHangup(id);
    w.settle();
    const b = await reload(w, a);
    expect(b.target.posts).toEqual([]);
    await b.agent.api.setWrapupReason('voice', id, 'Sales');
    w.settle();
    expect(b.target.steps()).toEqual(['CALL_DISCONNECTED/-/UpdateActivity']);
  });

  it('without a stored record (plain memory storage lost on reload) the call is followed, never re-created', async () => {
    const { w, a, id } = await inbound();
    await a.agent.api.answer(id);
    w.settle();
    const b = await reload(w, a, memoryStorage());
    expect(b.target.posts).toEqual([]);
    w.cc.callerHangup(id);
    w.settle();
    expect(b.target.steps()).toEqual(['CALL_DISCONNECTED/END/Inbound']);
    expect(b.target.payloads()[0]!.ExternalReferenceID).toBe(a.target.payloads()[0]!.ExternalReferenceID);
  });

  it('a stale record (older than the recovery window) is ignored and pruned', async () => {
    const w = makeWorld();
    const storage = memoryStorage();
    storage.setItem('switchboard.c4c.33554433', JSON.stringify({ v: 1, workitemId: '33554433', reference: '20458C1', eventType: 'Inbound', phase: 2, ani: '+1', fields: {}, startedAt: T0 - 2 * 86_400_000, touchedAt: T0 - 2 * 86_400_000 }));
    storage.setItem('switchboard.c4c.garbage', '{not json');
    storage.setItem('other.key', 'kept');
    const a = await desk(w, '1001', { storage });
    expect(storage.getItem('switchboard.c4c.33554433')).toBeNull();
    expect(storage.getItem('switchboard.c4c.garbage')).toBeNull();
    expect(storage.getItem('other.key')).toBe('kept');
    w.cc.arrive({ from: '+41445550101', queue: 'sales' });
    w.settle();
    expect(a.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Inbound']);
  });
});
