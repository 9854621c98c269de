/**
 * Shared set-up for the dialect tests: a simulated agent (SimContactCenter + createAgent on a
 * SimulatedClock) taken through an inbound call (ring 3 s, talk 60 s, hold 10 s, talk 10 s,
 * caller hangs up, wrap-up 6 s with reason "Sale") and an outbound call (dial, answered after
 * 2 s, talk 30 s, agent hangs up, wrap-up 1 s); and a record with every field set.
 */
import { SimulatedClock, type InteractionRecord } from '../../../src/core/index.js';
import { createAgent, type Agent } from '../../../src/sinks/cil/index.js';
import { SimContactCenter } from '../../../src/sources/sim/index.js';

export const T0 = Date.parse('2026-03-02T08:00:00.000Z');

export interface SimDesk {
  clock: SimulatedClock;
  cc: SimContactCenter;
  agent: Agent;
}

/** A simulated agent, not yet connected: register dialects first, then `agent.connect()`. */
export function simDesk(): SimDesk {
  const clock = new SimulatedClock(T0);
  const cc = new SimContactCenter({
    clock,
    seed: 3,
    flavor: 'UCCE',
    wrapup: 'optional',
    agents: [{ id: '1001', extension: '1001001', firstName: 'Ada', lastName: 'Meier', loginName: 'ameier', teamId: 'team1', skills: ['sales'] }],
    queues: [{ id: 'sales', name: 'Sales', dialedNumber: '8005550100' }],
    farEnd: { ringAfterMs: 500 },
  });
  return { clock, cc, agent: createAgent({ source: cc.source('1001'), clock, newRequestId: counter() }) };
}

function counter(): () => string {
  let n = 0;
  return () => `r${++n}`;
}

/** What the inbound call of {@link runInboundCall} looks like, in the hub's record. */
export const INBOUND = {
  caller: '+41445550100',
  dialed: '8005550100',
  station: '1001001',
  startTime: '2026-03-02T08:00:01.000Z',
  establishedTime: '2026-03-02T08:00:04.000Z',
  endTime: '2026-03-02T08:01:30.000Z',
  talkSeconds: 80,
  acwSeconds: 6,
  holdSeconds: 10,
} as const;

/** Signs in, takes the inbound call to its end; returns its id. The agent must be connected. */
export async function runInboundCall({ clock, cc, agent }: SimDesk): Promise<string> {
  await agent.api.setAgentState('voice', 'Ready');
  clock.advance(1000);
  const id = cc.arrive({ from: INBOUND.caller, queue: 'sales', callVariables: { callVariable1: 'INV-1001' }, ecc: { lang: 'de' } });
  clock.advance(3000);
  await agent.api.answer(id);
  clock.advance(60_000);
  await agent.api.hold(id);
  clock.advance(10_000);
  await agent.api.resume(id);
  clock.advance(10_000);
  cc.callerHangup(id);
  clock.advance(5000);
  await agent.api.setWrapupReason('voice', id, 'Sale');
  clock.advance(1000);
  await agent.api.setAgentState('voice', 'Ready');
  clock.advance(1000);
  return id;
}

export const OUTBOUND = { dialed: '+41445557777', talkSeconds: 30 } as const;

/** Dials out (the agent is Ready and idle), the far end answers, the agent hangs up, wrap-up ends. */
export async function runOutboundCall({ clock, cc, agent }: SimDesk): Promise<string> {
  await agent.api.dialOrConsult('voice', OUTBOUND.dialed);
  clock.advance(2000);
  const id = agent.api.workitems[0]?.id ?? '';
  cc.farEndAnswer(id);
  clock.advance(30_000);
  await agent.api.end(id);
  clock.advance(1000);
  await agent.api.setAgentState('voice', 'Ready');
  clock.advance(1000);
  return id;
}

/** A record with every field of InteractionRecord set (as a Finesse or Avaya record could be). */
export function fullRecord(overrides: Partial<InteractionRecord> = {}): InteractionRecord {
  return {
    id: 'int-42',
    source: 'avaya',
    globalId: '00001002341717171717',
    agentId: '1001',
    channel: 'Voice',
    direction: 'Incoming',
    internal: false,
    classification: 'Transfer',
    isTransfer: true,
    isConference: false,
    finalState: 'EndedTransferred',
    ani: '+41445550100',
    callerName: 'Grace Hopper',
    dnis: '8005550100',
    phoneNumber: '+41445550100',
    destinationAddress: '+18005550100',
    resourceAddress: '1001001',
    email: 'grace@example.com',
    startTime: '2026-03-02T08:00:01.250Z',
    establishedTime: '2026-03-02T08:00:04.000Z',
    endTime: '2026-03-02T08:01:30.000Z',
    durationSeconds: 80,
    acwSeconds: 6,
    holdSeconds: 10,
    queueId: 'sales',
    queueName: 'Sales',
    disposition: 'Sale',
    workCodes: ['Sale', 'Upsell'],
    subject: 'Order 1001',
    comments: 'Wants the blue one',
    callParties: [
      { id: 'p1', name: 'Grace Hopper', phone: '+41445550100' },
      { id: 'p2', name: 'Ada Meier', phone: '1001001', userId: 'u-1001' },
    ],
    callMuted: false,
    callRecording: true,
    recordingUrl: 'https://rec.example.com/int-42.wav',
    playbackUrl: 'https://rec.example.com/play/int-42',
    origination: 'dialpad',
    priority: 3,
    interactionOrigin: 'AXP',
    uui: 'C8,0001',
    asaiUui: '04,1234',
    data: { callVariable1: 'INV-1001', 'user.lang': 'de', 'engagement.availableBalance': '120.50', 'custom.tier': 'gold' },
    associations: [
      { id: '003A', name: 'Grace Hopper', recordType: 'Contact' },
      { id: '500B', name: 'Case 00001001', recordType: 'Case' },
    ],
    raw: {},
    ...overrides,
  };
}
