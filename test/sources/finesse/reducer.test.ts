import { describe, expect, it } from 'vitest';
import { AgentSession, ErrorCode, SimulatedClock, type DomainEvent, type Flavor, type PlatformUpdate, type WorkitemEventData } from '../../../src/core/index.js';
import { parseDialogs, parseNotification, parseUser } from '../../../src/sources/finesse/parse.js';
import { FinesseReducer, classify } from '../../../src/sources/finesse/reducer.js';

const AGENT = '1001';
const EXT = '1001001';
const USER_NODE = `/finesse/api/User/${AGENT}`;
const DIALOGS_NODE = `${USER_NODE}/Dialogs`;
const T0 = Date.parse('2026-03-02T08:00:00.000Z');

interface P {
  addr: string;
  state: string;
  actions?: string[];
  type?: string;
  time?: string;
}

interface D {
  id: string;
  from?: string;
  to?: string;
  callType?: string;
  secondaryId?: string;
  vars?: Record<string, string>;
  wrapUpReason?: string;
  parts: P[];
}

function dialogXml(d: D, tag = 'Dialog'): string {
  const vars = Object.entries(d.vars ?? {})
    .map(([n, v]) => `<CallVariable><name>${n}</name><value>${v}</value></CallVariable>`)
    .join('');
  const parts = d.parts
    .map(
      (p) =>
        `<Participant><actions>${(p.actions ?? []).map((a) => `<action>${a}</action>`).join('')}</actions><mediaAddress>${p.addr}</mediaAddress><mediaAddressType>${p.type ?? (p.addr === EXT ? 'AGENT_DEVICE' : '')}</mediaAddressType><startTime>${p.time ?? ''}</startTime><state>${p.state}</state><stateCause/><stateChangeTime>${p.time ?? ''}</stateChangeTime></Participant>`,
    )
    .join('');
  return (
    `<${tag}><associatedDialogUri/><fromAddress>${d.from ?? '+4961215550123'}</fromAddress><id>${d.id}</id><secondaryId>${d.secondaryId ?? ''}</secondaryId>` +
    `<mediaProperties><DNIS>${EXT}</DNIS><callType>${d.callType ?? 'ACD_IN'}</callType><dialedNumber>8005550200</dialedNumber><outboundClassification/><queueNumber>6001</queueNumber><queueName>Billing</queueName>` +
    `<callKeyCallId>901</callKeyCallId><callKeySequenceNum>1</callKeySequenceNum><callKeyPrefix>152301</callKeyPrefix><wrapUpReason>${d.wrapUpReason ?? ''}</wrapUpReason><callvariables>${vars}</callvariables></mediaProperties>` +
    `<mediaType>Voice</mediaType><participants>${parts}</participants><state>${d.parts[0]?.state ?? ''}</state><toAddress>${d.to ?? '8005550200'}</toAddress><uri>/finesse/api/Dialog/${d.id}</uri></${tag}>`
  );
}

const post = (d: D, requestId = '') => `<Update><data><dialogs>${dialogXml(d)}</dialogs></data><event>POST</event><requestId>${requestId}</requestId><source>${DIALOGS_NODE}</source></Update>`;
const put = (d: D, requestId = '') => `<Update><data>${dialogXml(d, 'dialog')}</data><event>PUT</event><requestId>${requestId}</requestId><source>/finesse/api/Dialog/${d.id}</source></Update>`;
const del = (d: D) => `<Update><data><dialogs>${dialogXml(d)}</dialogs></data><event>DELETE</event><requestId/><source>${DIALOGS_NODE}</source></Update>`;
const userBody = (state: string, reason = '-1', label = '') =>
  `<user><loginId>${AGENT}</loginId><extension>${EXT}</extension><firstName>Ada</firstName><lastName>Meier</lastName><loginName>ameier</loginName><state>${state}</state><reasonCodeId>${reason}</reasonCodeId>${label !== '' ? `<ReasonCode><category>NOT_READY</category><code>${reason}</code><label>${label}</label><id>${reason}</id></ReasonCode>` : ''}<teamId>5000</teamId></user>`;
const user = (state: string, reason = '-1', label = '', requestId = '') => `<Update><data>${userBody(state, reason, label)}</data><event>PUT</event><requestId>${requestId}</requestId><source>${USER_NODE}</source></Update>`;

const customer = (state: string, actions: string[] = []): P => ({ addr: '+4961215550123', state, actions });
const me = (state: string, actions: string[] = [], time?: string): P => ({ addr: EXT, state, actions, ...(time !== undefined ? { time } : {}) });

/** A reducer wired to a real AgentSession; every update goes through the core. */
function harness(flavor: Flavor = 'UCCE') {
  const clock = new SimulatedClock(T0);
  const session = new AgentSession({ clock, flavor });
  const reducer = new FinesseReducer({ agentId: AGENT, extension: EXT, flavor, clock });
  const events: DomainEvent[] = [];
  const updates: PlatformUpdate[] = [];
  session.subscribe((e) => events.push(e));
  const apply = (list: PlatformUpdate[]) => {
    for (const u of list) {
      updates.push(u);
      session.apply(u);
    }
    return list;
  };
  apply([reducer.sessionUpdate(parseUser(userBody('NOT_READY')))]);
  const feed = (xml: string, node = DIALOGS_NODE) => {
    clock.advance(1000);
    return apply(reducer.onNotification(node, parseNotification(xml)));
  };
  feed(user('READY'), USER_NODE);
  const names = () => events.filter((e) => e.type !== 'agentStateChange' && e.type !== 'queueDataUpdate').map((e) => e.type);
  const errors = () => events.filter((e) => e.type === 'error');
  const wi = (type: string) => events.filter((e) => e.type === type).map((e) => e.data as WorkitemEventData);
  return { clock, session, reducer, events, updates, feed, apply, names, errors, wi };
}

const ACTIVE_ACTIONS = ['HOLD', 'DROP', 'CONSULT_CALL', 'TRANSFER_SST', 'SEND_DTMF', 'UPDATE_CALL_DATA'];

describe('FinesseReducer: inbound call', () => {
  it('alerting → connect → data change → wrap-up → end, through a real session with no error', () => {
    const h = harness();
    const call: D = { id: '42', vars: { callVariable1: 'INV-1', 'user.ecc': 'a' }, parts: [me('ALERTING', ['ANSWER']), customer('ACTIVE')] };
    h.feed(post(call));
    h.feed(user('RESERVED'), USER_NODE);
    h.feed(put({ ...call, parts: [me('ACTIVE', ACTIVE_ACTIONS, '2026-03-02T08:00:02.500Z'), customer('ACTIVE')] }));
    h.feed(user('TALKING'), USER_NODE);
    h.feed(put({ ...call, vars: { callVariable1: 'INV-2', 'user.ecc': 'a' }, parts: [me('ACTIVE', ACTIVE_ACTIONS), customer('ACTIVE')] }));
    h.feed(put({ ...call, vars: { callVariable1: 'INV-2', 'user.ecc': 'a' }, parts: [me('WRAP_UP', ['UPDATE_CALL_DATA']), customer('DROPPED')] }));
    h.feed(user('WORK'), USER_NODE);
    h.feed(put({ ...call, vars: { callVariable1: 'INV-2', 'user.ecc': 'a' }, wrapUpReason: 'Sales', parts: [me('WRAP_UP', ['UPDATE_CALL_DATA']), customer('DROPPED')] }));
    h.feed(del({ ...call, parts: [me('DROPPED'), customer('DROPPED')] }));
    h.feed(user('READY'), USER_NODE);

    expect(h.errors()).toEqual([]);
    expect(h.names()).toEqual(['workitemCreate', 'workitemConnect', 'callVariableChanged', 'workitemWrapup', 'callVariableChanged', 'wrapupDataChanged', 'workitemEnd', 'interactionEnd']);
    const created = h.wi('workitemCreate')[0]!;
    expect(created).toMatchObject({ id: '42', channelId: 'voice_5000', classification: 'Customer', direction: 'Incoming', state: 'Offered', ani: '+4961215550123', capabilities: ['Answer'] });
    expect(created.ctiData).toEqual({
      callVariable1: 'INV-1',
      'user.ecc': 'a',
      callType: 'ACD_IN',
      DNIS: EXT,
      dialedNumber: '8005550200',
      queueName: 'Billing',
      queueNumber: '6001',
      outboundClassification: '',
      wrapUpReason: '',
      callKeyCallId: '901',
      callKeyPrefix: '152301',
    });
    const connected = h.wi('workitemConnect')[0]!;
    expect(connected.connectedAt).toBe('2026-03-02T08:00:02.500Z');
    expect(connected.capabilities).toEqual(['Hold', 'End', 'Consult', 'DirectTransfer', 'SendDtmf', 'UpdateData', 'SetWrapupReason']);
    // Only the changed keys go in workitemData.
    const data = h.updates.filter((u) => u.type === 'workitemData');
    expect(data.map((u) => (u.type === 'workitemData' ? u.ctiData : {}))).toEqual([{ callVariable1: 'INV-2' }, { wrapUpReason: 'Sales' }]);
    expect(h.wi('workitemEnd')[0]!.state).toBe('Ended');
    const states = h.events.filter((e) => e.type === 'agentStateChange').map((e) => (e.type === 'agentStateChange' ? e.data.newState : ''));
    expect(states).toEqual(['Ready', 'Active', 'Wrapup', 'Ready']);
    // raw: the dialog as parsed, kept for the interaction record.
    const added = h.updates.find((u) => u.type === 'workitemAdded');
    expect(added?.type === 'workitemAdded' ? (added.raw as { id?: string }).id : '').toBe('42');
  });

  it('the same notification twice gives nothing the second time (no error from the core)', () => {
    const h = harness();
    const call: D = { id: '7', parts: [me('ALERTING', ['ANSWER']), customer('ACTIVE')] };
    expect(h.feed(post(call))).toHaveLength(1);
    expect(h.feed(post(call))).toEqual([]);
    const active = { ...call, parts: [me('ACTIVE', ACTIVE_ACTIONS), customer('ACTIVE')] };
    expect(h.feed(put(active))).toHaveLength(1);
    expect(h.feed(put(active))).toEqual([]);
    expect(h.feed(user('READY'), USER_NODE)).toEqual([]);
    expect(h.names()).toEqual(['workitemCreate', 'workitemConnect']);
    expect(h.errors()).toEqual([]);
  });

  it('an inbound call that ends while alerting is EndedAbandoned; a late DELETE is ignored', () => {
    const h = harness();
    const call: D = { id: '8', parts: [me('ALERTING', ['ANSWER']), customer('ACTIVE')] };
    h.feed(post(call));
    h.feed(put({ ...call, parts: [me('DROPPED'), customer('DROPPED')] }));
    expect(h.feed(del({ ...call, parts: [me('DROPPED'), customer('DROPPED')] }))).toEqual([]);
    expect(h.wi('workitemEnd').map((w) => w.state)).toEqual(['EndedAbandoned']);
    expect(h.errors()).toEqual([]);
  });
});

describe('FinesseReducer: outbound, hold', () => {
  it('an outbound call: Initiated, Outgoing, ani = toAddress while the agent is alone', () => {
    const h = harness();
    const call: D = { id: '50', from: EXT, to: '+41445550000', callType: 'AGENT_OUT', parts: [me('INITIATING', ['DROP'])] };
    h.feed(post(call));
    h.feed(put({ ...call, parts: [me('INITIATED', ['DROP'])] }));
    h.feed(put({ ...call, parts: [me('ACTIVE', ACTIVE_ACTIONS), { addr: '+41445550000', state: 'ACTIVE' }] }));
    h.feed(put({ ...call, parts: [me('DROPPED'), { addr: '+41445550000', state: 'DROPPED' }] }));
    expect(h.errors()).toEqual([]);
    // INITIATING → INITIATED is no lifecycle step: only the participants change (workitemUpdate).
    expect(h.names()).toEqual(['workitemCreate', 'workitemUpdate', 'workitemConnect', 'workitemEnd', 'interactionEnd']);
    expect(h.wi('workitemCreate')[0]).toMatchObject({ state: 'Initiated', direction: 'Outgoing', classification: 'Customer', ani: '+41445550000', capabilities: ['End'] });
    expect(h.wi('workitemEnd')[0]!.state).toBe('Ended');
  });

  it('hold and retrieve: pause and resume, capabilities from <actions>, requestId echoed', () => {
    const h = harness();
    const call: D = { id: '60', parts: [me('ACTIVE', ACTIVE_ACTIONS), customer('ACTIVE')] };
    h.feed(post(call));
    h.feed(put({ ...call, parts: [me('HELD', ['RETRIEVE', 'DROP']), customer('ACTIVE')] }, 'req-hold'));
    h.feed(user('HOLD'), USER_NODE);
    h.feed(put({ ...call, parts: [me('ACTIVE', ACTIVE_ACTIONS), customer('ACTIVE')] }, 'req-retrieve'));
    expect(h.errors()).toEqual([]);
    expect(h.names()).toEqual(['workitemCreate', 'workitemPause', 'workitemResume']);
    const pause = h.wi('workitemPause')[0]!;
    expect(pause.capabilities).toEqual(['Resume', 'End']);
    expect(pause.requestId).toBe('req-hold');
    expect(h.wi('workitemResume')[0]!.requestId).toBe('req-retrieve');
    // A call present at first sight (Active) is call recovery: created connected.
    expect(h.wi('workitemCreate')[0]!.state).toBe('Active');
  });

  it('a capability change without a state step is a workitemInfo', () => {
    const h = harness();
    const call: D = { id: '61', parts: [me('ACTIVE', ['HOLD', 'DROP']), customer('ACTIVE')] };
    h.feed(post(call));
    const out = h.feed(put({ ...call, parts: [me('ACTIVE', ['HOLD', 'DROP', 'SEND_DTMF']), customer('ACTIVE')] }));
    expect(out).toMatchObject([{ type: 'workitemInfo', id: '61', capabilities: ['Hold', 'End', 'SendDtmf'] }]);
    expect(h.session.state.workitems['61']?.capabilities).toEqual(['Hold', 'End', 'SendDtmf']);
    expect(h.errors()).toEqual([]);
  });
});

describe('FinesseReducer: consult, transfer, conference', () => {
  const OTHER = '1002001';
  const original: D = { id: '70', parts: [me('ACTIVE', ACTIVE_ACTIONS), customer('ACTIVE')] };

  function consultUp(h: ReturnType<typeof harness>): D {
    h.feed(post(original));
    h.feed(put({ ...original, parts: [me('HELD', ['RETRIEVE', 'DROP']), customer('ACTIVE')] }));
    const consult: D = { id: '71', from: EXT, to: OTHER, callType: 'CONSULT', parts: [me('INITIATED', ['DROP'])] };
    h.feed(post(consult));
    h.feed(put({ ...consult, parts: [me('ACTIVE', ['DROP', 'TRANSFER', 'CONFERENCE']), { addr: OTHER, state: 'ACTIVE', type: 'AGENT_DEVICE' }] }));
    return consult;
  }

  it('consult then transfer: the original ends EndedTransferred', () => {
    const h = harness();
    const consult = consultUp(h);
    expect(h.wi('workitemCreate')[1]).toMatchObject({ id: '71', classification: 'Consultation', direction: 'Outgoing', state: 'Initiated', ani: OTHER });
    expect(h.wi('workitemConnect')[0]!.capabilities).toEqual(['End', 'Transfer', 'Conference']);
    h.feed(put({ ...original, secondaryId: '71', parts: [me('DROPPED'), customer('ACTIVE')] }));
    h.feed(put({ ...consult, parts: [me('DROPPED'), { addr: OTHER, state: 'ACTIVE' }] }));
    expect(h.errors()).toEqual([]);
    expect(h.wi('workitemEnd').map((w) => [w.id, w.state])).toEqual([
      ['70', 'EndedTransferred'],
      ['71', 'Ended'],
    ]);
  });

  it('consult then conference: the consult leg ends Ended, the original resumes as a Conference', () => {
    const h = harness();
    const consult = consultUp(h);
    h.feed(put({ ...consult, secondaryId: '70', parts: [me('DROPPED'), { addr: OTHER, state: 'ACTIVE' }] }));
    const out = h.feed(put({ ...original, callType: 'CONFERENCE', parts: [me('ACTIVE', ACTIVE_ACTIONS), customer('ACTIVE'), { addr: OTHER, state: 'ACTIVE' }] }));
    expect(h.errors()).toEqual([]);
    expect(h.wi('workitemEnd').map((w) => [w.id, w.state])).toEqual([['71', 'Ended']]);
    expect(out.map((u) => u.type)).toEqual(['workitemData', 'workitemState', 'workitemInfo']);
    expect(h.session.state.workitems['70']).toMatchObject({ state: 'Active', classification: 'Conference' });
    expect(h.session.state.workitems['70']?.participants).toHaveLength(3);
  });

  it('a call transferred to this agent is classified Transfer; an internal call Internal', () => {
    expect(classify('TRANSFER')).toBe('Transfer');
    expect(classify('AGENT_INSIDE')).toBe('Internal');
    expect(classify('PREROUTE_DIRECT_AGENT')).toBe('Customer');
    expect(classify('OUTBOUND_PREVIEW')).toBe('Customer');
    expect(classify('CONFERENCE')).toBe('Conference');
    expect(classify('SUPERVISOR_MONITOR')).toBe('Unknown');
    const h = harness();
    h.feed(post({ id: '80', callType: 'TRANSFER', parts: [me('ALERTING', ['ANSWER']), customer('ACTIVE')] }));
    expect(h.wi('workitemCreate')[0]).toMatchObject({ classification: 'Transfer', direction: 'Incoming' });
  });
});

describe('FinesseReducer: UCCX', () => {
  it('no callKey fields, channel voice_-1, a call taken in NOT_READY gives no Active', () => {
    const h = harness('UCCX');
    h.feed(user('NOT_READY', '22', 'Break'), USER_NODE);
    const call: D = { id: '90', parts: [me('ALERTING', ['ANSWER']), customer('ACTIVE')] };
    h.feed(post(call));
    h.feed(user('TALKING'), USER_NODE);
    h.feed(put({ ...call, parts: [me('ACTIVE', ACTIVE_ACTIONS), customer('ACTIVE')] }));
    h.feed(put({ ...call, parts: [me('DROPPED'), customer('DROPPED')] }));
    h.feed(user('NOT_READY', '22', 'Break'), USER_NODE);
    expect(h.errors()).toEqual([]);
    const created = h.wi('workitemCreate')[0]!;
    expect(created.channelId).toBe('voice_-1');
    expect(created.ctiData).not.toHaveProperty('callKeyCallId');
    expect(created.ctiData).not.toHaveProperty('callKeyPrefix');
    const states = h.events.filter((e) => e.type === 'agentStateChange').map((e) => (e.type === 'agentStateChange' ? [e.data.newState, e.data.newReasonCode, e.data.newReasonCodeLabel] : []));
    expect(states).toEqual([
      ['Ready', -1, ''],
      ['NotReady', 22, 'Break'],
    ]);
  });

  it('queue notifications on UCCX are refused with a clear platformError', () => {
    const h = harness('UCCX');
    const out = h.feed('<Update><data><Queue><name>Q</name><uri>/finesse/api/Queue/1</uri></Queue></data><event>PUT</event><requestId/><source>/finesse/api/Queue/1</source></Update>', '/finesse/api/Queue/1');
    expect(out).toMatchObject([{ type: 'platformError', code: ErrorCode.NOT_SUPPORTED }]);
    expect(h.errors()[0]?.data).toMatchObject({ message: expect.stringMatching(/UCCE only/) as unknown });
  });
});

describe('FinesseReducer: agent state', () => {
  it('NOT_READY with reason code and label, duplicates suppressed, WORK_READY → Wrapup, LOGOUT', () => {
    const h = harness();
    h.feed(user('NOT_READY', '16', 'Lunch', 'req-nr'), USER_NODE);
    expect(h.feed(user('NOT_READY', '16', 'Lunch'), USER_NODE)).toEqual([]);
    h.feed(user('NOT_READY', '17', 'Meeting'), USER_NODE);
    h.feed(user('WORK_READY'), USER_NODE);
    h.feed(user('LOGOUT'), USER_NODE);
    expect(h.errors()).toEqual([]);
    const changes = h.events.filter((e) => e.type === 'agentStateChange').map((e) => (e.type === 'agentStateChange' ? [e.data.newState, e.data.newReasonCode, e.data.requestId] : []));
    expect(changes).toEqual([
      ['Ready', -1, ''],
      ['NotReady', 16, 'req-nr'],
      ['NotReady', 17, ''],
      ['Wrapup', -1, ''],
      ['Logout', -1, ''],
    ]);
  });

  it('team member summaries are ignored; another agent on the own node is a platformError', () => {
    const h = harness();
    expect(h.feed(user('TALKING'), '/finesse/api/Team/5000/Users')).toEqual([]);
    const other = user('READY').replace(`<loginId>${AGENT}</loginId>`, '<loginId>9999</loginId>');
    expect(h.feed(other, USER_NODE)).toMatchObject([{ type: 'platformError', code: ErrorCode.INVALID_UPDATE }]);
  });

  it('an unknown user state is a platformError', () => {
    const h = harness();
    expect(h.feed(user('DANCING'), USER_NODE)).toMatchObject([{ type: 'platformError', message: expect.stringMatching(/unknown state "DANCING"/) as unknown }]);
  });
});

describe('FinesseReducer: queues (UCCE)', () => {
  const queue = (calls: number, event = 'PUT') =>
    `<Update><data><Queue><name>Sales</name><statistics><callsInQueue>${calls}</callsInQueue><agentsReady>2</agentsReady></statistics><uri>/finesse/api/Queue/5022</uri></Queue></data><event>${event}</event><requestId/><source>/finesse/api/Queue/5022</source></Update>`;
  it('added, updated when changed, nothing when unchanged, deleted', () => {
    const h = harness();
    expect(h.feed(queue(1), '/finesse/api/Queue/5022')).toMatchObject([{ type: 'queue', op: 'added', queues: [{ id: '5022', name: 'Sales', statistics: { callsInQueue: 1, agentsReady: 2 } }] }]);
    expect(h.feed(queue(1), '/finesse/api/Queue/5022')).toEqual([]);
    expect(h.feed(queue(3), '/finesse/api/Queue/5022')).toMatchObject([{ type: 'queue', op: 'updated' }]);
    expect(h.feed(queue(3, 'DELETE'), `${USER_NODE}/Queues`)).toMatchObject([{ type: 'queue', op: 'deleted', ids: ['5022'] }]);
    expect(h.errors()).toEqual([]);
    const states = h.events.filter((e) => e.type === 'queueDataUpdate').map((e) => (e.type === 'queueDataUpdate' ? e.data.dataState : ''));
    expect(states).toEqual(['ENABLED', 'ADDED', 'UPDATED', 'DELETED']);
  });
});

describe('FinesseReducer: errors', () => {
  it('a PUT or DELETE for an unknown dialog is a platformError, not a throw', () => {
    const h = harness();
    const call: D = { id: '404', parts: [me('ACTIVE'), customer('ACTIVE')] };
    expect(h.feed(put(call))).toMatchObject([{ type: 'platformError', code: ErrorCode.WORKITEM_NOT_FOUND, workitemId: '404' }]);
    expect(h.feed(del(call))).toMatchObject([{ type: 'platformError', code: ErrorCode.WORKITEM_NOT_FOUND }]);
    expect(h.errors().map((e) => (e.type === 'error' ? e.data.message : ''))).toEqual([
      expect.stringMatching(/unknown dialog "404"/) as unknown,
      expect.stringMatching(/DELETE for unknown dialog "404"/) as unknown,
    ]);
  });

  it('a CTI error becomes a platformError echoing the requestId', () => {
    const h = harness();
    h.feed(post({ id: '42', parts: [me('ACTIVE', ACTIVE_ACTIONS), customer('ACTIVE')] }));
    h.feed(
      '<Update><data><apiErrors><apiError><errorData>34</errorData><errorMessage>CF_RESOURCE_OUT_OF_SERVICE</errorMessage><errorType>Call Operation Failure</errorType></apiError></apiErrors></data><event>PUT</event><requestId>req-77</requestId><source>/finesse/api/Dialog/42</source></Update>',
    );
    const err = h.errors()[0];
    expect(err?.data).toMatchObject({ requestId: 'req-77', code: ErrorCode.PLATFORM_ERROR, message: expect.stringMatching(/dialog "42".*Call Operation Failure: CF_RESOURCE_OUT_OF_SERVICE \(errorData 34\)/) as unknown });
  });

  it('an out-of-order step (wrap-up back to active) is a platformError and changes nothing', () => {
    const h = harness();
    const call: D = { id: '43', parts: [me('ACTIVE', ACTIVE_ACTIONS), customer('ACTIVE')] };
    h.feed(post(call));
    h.feed(put({ ...call, parts: [me('WRAP_UP', ['UPDATE_CALL_DATA']), customer('DROPPED')] }));
    expect(h.feed(put({ ...call, parts: [me('ACTIVE', ACTIVE_ACTIONS), customer('ACTIVE')] }))).toMatchObject([{ type: 'platformError', code: ErrorCode.INVALID_TRANSITION }]);
    expect(h.session.state.workitems['43']?.state).toBe('Wrapup');
  });

  it('a dialog without the agent is a platformError', () => {
    const h = harness();
    expect(h.feed(post({ id: '44', parts: [customer('ACTIVE')] }))).toMatchObject([{ type: 'platformError', message: expect.stringMatching(/no participant with the agent's extension/) as unknown }]);
  });
});

describe('FinesseReducer: reconcile (login, after an XMPP outage)', () => {
  it('still present → nothing new; vanished → EndedUnknown; appeared → workitemAdded', () => {
    const h = harness();
    const a: D = { id: '100', parts: [me('ACTIVE', ACTIVE_ACTIONS), customer('ACTIVE')] };
    const b: D = { id: '101', parts: [me('HELD', ['RETRIEVE', 'DROP']), customer('ACTIVE')] };
    h.feed(post(a));
    h.feed(post(b));
    h.feed(user('TALKING'), USER_NODE);
    const c: D = { id: '102', from: '+15550001', parts: [me('ACTIVE', ACTIVE_ACTIONS, '2026-03-02T08:00:30.000Z'), { addr: '+15550001', state: 'ACTIVE' }] };
    const list = parseDialogs(`<Dialogs>${dialogXml(a)}${dialogXml(c)}</Dialogs>`);
    h.clock.advance(60_000);
    const out = h.apply(h.reducer.reconcile(parseUser(userBody('TALKING')), list, h.clock.now()));
    expect(out.map((u) => u.type)).toEqual(['workitemState', 'workitemAdded']);
    expect(h.errors()).toEqual([]);
    expect(h.wi('workitemEnd').map((w) => [w.id, w.state])).toEqual([['101', 'EndedUnknown']]);
    expect(h.wi('workitemCreate').map((w) => w.id)).toEqual(['100', '101', '102']);
    expect(h.wi('workitemCreate')[2]).toMatchObject({ state: 'Active', connectedAt: '2026-03-02T08:00:30.000Z' });
    // A second reconcile with the same picture changes nothing.
    expect(h.reducer.reconcile(parseUser(userBody('TALKING')), list, h.clock.now())).toEqual([]);
    expect(h.reducer.liveIds.sort()).toEqual(['100', '102']);
  });

  it('at login: the agent state and every call present (call recovery)', () => {
    const clock = new SimulatedClock(T0);
    const session = new AgentSession({ clock });
    const reducer = new FinesseReducer({ agentId: AGENT, extension: '', flavor: 'UCCE', clock });
    const events: DomainEvent[] = [];
    session.subscribe((e) => events.push(e));
    const u = parseUser(userBody('WORK'));
    session.apply(reducer.sessionUpdate(u, { notReady: [{ id: '16', category: 'NOT_READY', code: '16', label: 'Lunch' }] }));
    const list = parseDialogs(`<Dialogs>${dialogXml({ id: '5', parts: [me('WRAP_UP', ['UPDATE_CALL_DATA']), customer('DROPPED')] })}</Dialogs>`);
    for (const x of reducer.reconcile(u, list, clock.now())) session.apply(x);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(['agentStateChange', 'queueDataUpdate', 'workitemCreate']);
    expect(session.state.workitems['5']?.state).toBe('Wrapup');
    expect(session.state.reasonCodes.NotReady).toEqual([{ id: '16', label: 'Lunch' }]);
    expect(session.state.agent?.extension).toBe(EXT);
  });
});
