/**
 * Click-to-dial from C4C (seed 000, seed 002's outbound payload) against the simulator: the
 * gadget listens on its window for C4C's message, from the allow-listed origin and the parent
 * window only; it dials when idle and consults when a call exists; the resulting item reuses
 * C4C's activity (its ActivityUUID in every message, no second activity) or, as a consultation,
 * never touches it. Everything refused is reported.
 */
import { describe, expect, it } from 'vitest';
import { AgentSession, SimulatedClock, type SwitchboardError } from '../../../src/core/index.js';
import type { MessageEventLike, MessageEventSource } from '../../../src/bridge/index.js';
import { C4cSink, ClickToDial, normalizePhoneNumber, parseClickToDial } from '../../../src/sinks/c4c/index.js';
import { ORIGIN, RecordingTarget, T0, desk, expectOriginOnly, makeWorld, type Desk } from './helpers.js';

/** Seed 002's outbound payload, verbatim. */
const SEED_002 = {
  PhoneNumber: '+1 6503054000',
  ActivityUUID: '00163EA718FC1EEABDD5608C895BDC71',
  BusinessPartnerID: '1545766',
  Direction: 'OUT',
  ESObjectID: 'COD_CONTACT_ES_CO',
  LoggedInUserID: 'SERVICEAGENT01',
  ObjectID: '1545766',
  ObjectThingType: 'COD_CONTACT_TT',
  ObjectTypeCode: '147',
  ObjectUUID: '00163E07C0211ED799FA20463CBFEF62',
};
const UUID = SEED_002.ActivityUUID;

/** The gadget's own window: what C4C's postMessage reaches. */
class FakeWindow implements MessageEventSource {
  private readonly listeners = new Set<(event: MessageEventLike) => void>();
  addEventListener(_type: 'message', listener: (event: MessageEventLike) => void): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'message', listener: (event: MessageEventLike) => void): void {
    this.listeners.delete(listener);
  }
  dispatch(event: MessageEventLike): void {
    for (const l of [...this.listeners]) l(event);
  }
  get count(): number {
    return this.listeners.size;
  }
}

interface Gadget {
  d: Desk;
  win: FakeWindow;
  parent: RecordingTarget;
  c2d: ClickToDial;
  rejected: { reason: string; data: unknown }[];
  failures: SwitchboardError[];
  stop: () => void;
  /** C4C posts a message; resolves once the dial request has been handled. */
  post: (data: unknown, from?: { origin?: string; source?: unknown }) => Promise<void>;
}

async function gadget(w: ReturnType<typeof makeWorld>, agentId = '1001'): Promise<Gadget> {
  const d = await desk(w, agentId, { settings: { mapping: { callVariable1: 'Custom_1' } } });
  const parent = d.target; // window.parent: where the sink posts, and where C4C's messages come from
  const win = new FakeWindow();
  const rejected: { reason: string; data: unknown }[] = [];
  const failures: SwitchboardError[] = [];
  let n = 0;
  const c2d = new ClickToDial({
    api: d.agent.api,
    sink: d.sink,
    newRequestId: () => `c2d-${++n}`,
    onError: (e) => failures.push(e),
    onRejected: (reason, data) => rejected.push({ reason, data }),
  });
  const stop = c2d.listen(win, { allowedOrigins: [ORIGIN], expectedSource: parent });
  const post = async (data: unknown, from: { origin?: string; source?: unknown } = {}) => {
    win.dispatch({ origin: from.origin ?? ORIGIN, source: 'source' in from ? from.source : parent, data });
    // Let the request's promise chain and the simulator's delivery run.
    for (let i = 0; i < 4; i++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      w.settle(50);
    }
  };
  return { d, win, parent, c2d, rejected, failures, stop, post };
}

describe('click-to-dial when idle: a new call on C4C’s activity', () => {
  it('dials the normalized number; every message carries the ActivityUUID; one activity, one END', async () => {
    const w = makeWorld();
    const g = await gadget(w);
    await g.post(SEED_002);
    expect(g.rejected).toEqual([]);
    expect(g.failures).toEqual([]);
    const [wi] = g.d.agent.api.workitems;
    expect(wi).toMatchObject({ direction: 'Outgoing', classification: 'Customer', state: 'Initiated', ani: '+16503054000' });
    expect(w.cc.call(wi!.id)?.to).toBe('+16503054000');
    w.cc.farEndAnswer(wi!.id);
    w.settle();
    await g.d.agent.api.end(wi!.id);
    w.settle();
    expect(g.d.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Outbound', 'CALL_CONNECTED/ACCEPT/Outbound', 'CALL_DISCONNECTED/END/Outbound']);
    for (const p of g.d.target.payloads()) expect(p.ActivityUUID).toBe(UUID);
    expect(g.d.target.payloads()[0]).toMatchObject({ ANI: '+16503054000', EventType: 'Outbound' });
    expectOriginOnly(g.d);
  });

  it('accepts the payload wrapped as {payload}, and either shape as a JSON string', async () => {
    for (const shape of [{ payload: SEED_002 }, JSON.stringify(SEED_002), JSON.stringify({ payload: SEED_002 })]) {
      const w = makeWorld();
      const g = await gadget(w);
      await g.post(shape);
      expect(g.rejected).toEqual([]);
      expect(g.d.agent.api.workitems).toHaveLength(1);
      expect(g.d.target.payloads()[0]!.ActivityUUID).toBe(UUID);
    }
  });

  it('without an ActivityUUID, the call is dialled and gets an activity of its own', async () => {
    const w = makeWorld();
    const g = await gadget(w);
    const { ActivityUUID: _omit, ...noUuid } = SEED_002;
    await g.post(noUuid);
    expect(g.d.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Outbound']);
    expect(g.d.target.payloads()[0]).not.toHaveProperty('ActivityUUID');
  });

  it('the ActivityUUID survives a reload of the gadget (call recovery)', async () => {
    const w = makeWorld();
    const g = await gadget(w);
    await g.post(SEED_002);
    const id = g.d.agent.api.workitems[0]!.id;
    w.cc.farEndAnswer(id);
    w.settle();
    g.d.sink.dispose();
    await g.d.agent.disconnect();
    const again = await desk(w, '1001', { storage: g.d.storage, login: false });
    expect(again.target.posts).toEqual([]);
    w.cc.callerHangup(id);
    w.settle();
    expect(again.target.payloads()).toEqual([expect.objectContaining({ Action: 'END', ActivityUUID: UUID })]);
  });
});

describe('click-to-dial during a call: a consultation that never touches C4C', () => {
  it('consults; nothing is sent for the consultation, the customer call’s activity is untouched', async () => {
    const w = makeWorld();
    const g = await gadget(w);
    const id = w.cc.arrive({ from: '+41445550101', queue: 'sales', callVariables: { callVariable1: 'ACC-9' } });
    w.settle();
    await g.d.agent.api.answer(id);
    w.settle();
    const before = g.d.target.steps();
    expect(before).toEqual(['CALL_ALLOCATED/NOTIFY/Inbound', 'CALL_CONNECTED/ACCEPT/Inbound']);

    await g.post(SEED_002);
    expect(g.failures).toEqual([]);
    const consult = g.d.agent.api.workitems.find((x) => x.id !== id)!;
    expect(consult).toMatchObject({ classification: 'Consultation', direction: 'Outgoing' });
    w.cc.farEndAnswer(consult.id);
    w.settle();
    await g.d.agent.api.updateWorkitemData('voice', consult.id, { callVariable1: 'CONSULT-DATA' });
    w.settle();
    await g.d.agent.api.end(consult.id);
    w.settle();
    expect(g.d.target.steps()).toEqual(before);
    expect(g.d.target.payloads().some((p) => p.ActivityUUID !== undefined)).toBe(false);

    // The pending request was used up by the consultation: the next call is not bound to it.
    await g.d.agent.api.resume(id);
    w.settle();
    w.cc.callerHangup(id);
    w.settle();
    await g.d.agent.api.setAgentState('voice', 'Ready');
    w.settle();
    await g.d.agent.api.dialOrConsult('voice', '+41445559999');
    w.settle();
    expect(g.d.target.payloads().at(-1)).toMatchObject({ Action: 'NOTIFY', EventType: 'Outbound' });
    expect(g.d.target.payloads().at(-1)).not.toHaveProperty('ActivityUUID');
  });

  it('a consultation to an agent started by click-to-dial stays silent even when it is transferred', async () => {
    const w = makeWorld();
    const g = await gadget(w);
    const other = await desk(w, '1002');
    const id = w.cc.arrive({ from: '+41445550101', queue: 'sales' });
    w.settle();
    await g.d.agent.api.answer(id);
    w.settle();
    await g.post({ ...SEED_002, PhoneNumber: '1002 001' });
    const consultId = other.agent.api.workitems[0]!.id;
    await other.agent.api.answer(consultId);
    w.settle();
    await g.d.agent.api.transfer(id);
    w.settle();
    // The gadget's own consultation item never sent anything with C4C's activity.
    expect(g.d.target.payloads().some((p) => p.ActivityUUID !== undefined)).toBe(false);
    expect(g.d.target.steps()).toEqual(['CALL_ALLOCATED/NOTIFY/Inbound', 'CALL_CONNECTED/ACCEPT/Inbound', 'CALL_DISCONNECTED/END/Inbound']);
  });
});

describe('refused messages are reported, and dial nothing', () => {
  const cases: [string, unknown, RegExp][] = [
    ['no PhoneNumber', { ...SEED_002, PhoneNumber: undefined }, /PhoneNumber is required/],
    ['an empty PhoneNumber', { ...SEED_002, PhoneNumber: '  ' }, /PhoneNumber is required/],
    ['letters in the number', { ...SEED_002, PhoneNumber: '1-800-FLOWERS' }, /may contain only/],
    ['an inbound Direction', { ...SEED_002, Direction: 'IN' }, /Direction must be "OUT" \(got "IN"\)/],
    ['no Direction', { ...SEED_002, Direction: undefined }, /Direction must be "OUT" \(got none\)/],
    ['a malformed ActivityUUID', { ...SEED_002, ActivityUUID: 'not-a-uuid' }, /ActivityUUID "not-a-uuid" is not an activity UUID/],
    ['a non-string BusinessPartnerID', { ...SEED_002, BusinessPartnerID: 1545766 }, /BusinessPartnerID must be a string/],
    ['a string that is not JSON', '{"PhoneNumber":', /not JSON/],
    ['an XML string', '<payload><PhoneNumber>1</PhoneNumber></payload>', /XML/],
    ['an array', [SEED_002], /expected a payload object, got an array/],
    ['null', null, /got null/],
    ['a non-object payload', { payload: 'x' }, /"payload" must be an object/],
  ];
  for (const [what, data, reason] of cases) {
    it(`a payload with ${what}`, async () => {
      const w = makeWorld();
      const g = await gadget(w);
      await g.post(data);
      expect(g.rejected).toHaveLength(1);
      expect(g.rejected[0]!.reason).toMatch(reason);
      expect(g.rejected[0]!.data).toEqual(data);
      expect(g.d.agent.api.workitems).toEqual([]);
      expect(w.cc.callIds()).toEqual([]);
      expect(g.d.target.posts).toEqual([]);
    });
  }

  it('a message from a foreign origin or another window', async () => {
    const w = makeWorld();
    const g = await gadget(w);
    await g.post(SEED_002, { origin: 'https://evil.example.com' });
    await g.post(SEED_002, { origin: 'https://my.crm.ondemand.com.evil.example.com' });
    await g.post(SEED_002, { source: {} });
    expect(g.rejected.map((r) => r.reason)).toEqual([
      expect.stringMatching(/origin "https:\/\/evil\.example\.com" ignored: not in the allow-list/),
      expect.stringMatching(/origin "https:\/\/my\.crm\.ondemand\.com\.evil\.example\.com" ignored/),
      expect.stringMatching(/did not come from the expected window/),
    ]);
    expect(w.cc.callIds()).toEqual([]);
    expect(g.d.agent.api.workitems).toEqual([]);
  });

  it('without onRejected, refusals reach onError (never silently)', async () => {
    const errors: SwitchboardError[] = [];
    const c2d = new ClickToDial({ api: { dialOrConsult: () => Promise.reject(new Error('must not be called')) }, onError: (e) => errors.push(e) });
    expect(await c2d.handle({ Direction: 'OUT' })).toBe(false);
    expect(errors.map((e) => [e.code, e.message])).toEqual([['INVALID_ARGUMENT', 'c4c click-to-dial: PhoneNumber is required (a non-empty string)']]);
  });

  it('a dial the platform refuses is reported with its requestId, and the ActivityUUID is not kept for a later call', async () => {
    const w = makeWorld();
    const g = await gadget(w);
    await g.d.agent.api.setAgentState('voice', 'Logout');
    w.settle();
    await g.post(SEED_002);
    expect(g.failures).toHaveLength(1);
    expect(g.failures[0]).toMatchObject({ requestId: 'c2d-1' });
    expect(g.failures[0]!.message).toMatch(/c4c click-to-dial to \+16503054000 failed: .*signed in/);
    await g.d.agent.api.setAgentState('voice', 'Ready');
    w.settle();
    await g.d.agent.api.dialOrConsult('voice', '+41445559999');
    w.settle();
    expect(g.d.target.payloads()).toEqual([expect.not.objectContaining({ ActivityUUID: expect.anything() })]);
  });

  it('stop() removes the listener', async () => {
    const w = makeWorld();
    const g = await gadget(w);
    expect(g.win.count).toBe(1);
    g.stop();
    expect(g.win.count).toBe(0);
    await g.post(SEED_002);
    expect(g.d.agent.api.workitems).toEqual([]);
  });
});

describe('binding without a requestId echo', () => {
  it('falls back to the next Outgoing item created without a requestId; items with another request’s id are not taken', async () => {
    const clock = new SimulatedClock(T0);
    const session = new AgentSession({ clock });
    const target = new RecordingTarget();
    const sink = new C4cSink({ session, target, settings: { origin: ORIGIN }, onError: () => undefined, onWarning: () => undefined });
    session.apply({ type: 'session', agent: { agentId: '7', extension: '7001', firstName: 'A', lastName: 'B', loginName: 'ab', teamId: 't' }, channels: [{ id: 'voice_1', type: 'Voice' }] });
    const add = (id: string, requestId?: string) =>
      session.apply({
        type: 'workitemAdded',
        ...(requestId !== undefined ? { requestId } : {}),
        workitem: { id, channelId: 'voice_1', classification: 'Customer', direction: 'Outgoing', state: 'Initiated', participants: [{ address: '+16503054000' }], ani: '+16503054000' },
      });
    const c2d = new ClickToDial({
      api: { dialOrConsult: () => Promise.resolve() }, // a platform that echoes nothing
      sink,
      newRequestId: () => 'r-1',
      onError: () => undefined,
    });
    expect(await c2d.handle(SEED_002)).toBe(true);
    add('other', 'someone-else'); // caused by another request: not ours
    add('ours');
    add('later');
    const byId = (id: string) => target.posts.map((p) => p.message as { payload: Record<string, string> }).find((m) => (m.payload.ExternalReferenceID ?? '').startsWith(id))!.payload;
    expect(byId('other')).not.toHaveProperty('ActivityUUID');
    expect(byId('ours').ActivityUUID).toBe(UUID);
    expect(byId('later')).not.toHaveProperty('ActivityUUID');
  });

  it('a request older than the match window binds nothing', () => {
    const clock = new SimulatedClock(T0);
    const session = new AgentSession({ clock });
    const target = new RecordingTarget();
    const sink = new C4cSink({ session, target, settings: { origin: ORIGIN }, dialMatchWindowMs: 10_000, onError: () => undefined });
    session.apply({ type: 'session', agent: { agentId: '7', extension: '7001', firstName: 'A', lastName: 'B', loginName: 'ab', teamId: 't' }, channels: [{ id: 'voice_1', type: 'Voice' }] });
    sink.expectDial({ requestId: 'r-1', activityUUID: UUID });
    clock.advance(10_001);
    session.apply({ type: 'workitemAdded', workitem: { id: 'x', channelId: 'voice_1', classification: 'Customer', direction: 'Outgoing', state: 'Initiated', participants: [{ address: '+16503054000' }], ani: '+16503054000' } });
    expect(target.payloads()[0]).not.toHaveProperty('ActivityUUID');
  });
});

describe('parsing', () => {
  it('normalizes C4C numbers to + and digits for dialing', () => {
    expect(normalizePhoneNumber('+1 6503054000')).toBe('+16503054000');
    expect(normalizePhoneNumber(' +41 (44) 555-01.01 ')).toBe('+41445550101');
    expect(normalizePhoneNumber('044 555 01 01')).toBe('0445550101');
    expect(() => normalizePhoneNumber('1+2')).toThrow(/may contain only/);
    expect(() => normalizePhoneNumber('+')).toThrow(/may contain only|2 to 32 digits/);
    expect(() => normalizePhoneNumber('1')).toThrow(/2 to 32 digits/);
  });

  it('reads seed 002’s payload', () => {
    const r = parseClickToDial(SEED_002);
    expect(r).toMatchObject({ phoneNumber: '+16503054000', rawPhoneNumber: '+1 6503054000', activityUUID: UUID, businessPartnerId: '1545766' });
    expect(r.payload.ObjectUUID).toBe('00163E07C0211ED799FA20463CBFEF62');
    expect(parseClickToDial({ ...SEED_002, ActivityUUID: '00163ea7-18fc-1eea-bdd5-608c895bdc71' }).activityUUID).toBe('00163ea7-18fc-1eea-bdd5-608c895bdc71');
  });
});
