/**
 * A Node script with a `cil` bound to a simulated agent: seed 001's sample handlers, unchanged,
 * watching one inbound call from alerting to the end of wrap-up.
 *
 *   npx tsx examples/sim-agent.ts
 *
 * The simulator runs on a SimulatedClock, so the script finishes at once and prints the same
 * lines every time. Swap the source for another platform's and the handlers stay as they are.
 */
import { SimulatedClock } from 'switchboard';
import { createAgent } from 'switchboard/cil';
import { SimContactCenter } from 'switchboard/sim';

const clock = new SimulatedClock(Date.parse('2026-03-02T08:00:00Z'));
const cc = new SimContactCenter({
  clock,
  seed: 42,
  agents: [{ id: '1001', extension: '1001001', firstName: 'Ada', lastName: 'Meier', loginName: 'ameier', teamId: 'team1', skills: ['sales'] }],
  queues: [{ id: 'sales', name: 'Sales' }],
});

// One agent: its Source feeds a session; `cil` is the Integration API of seed 001.
const { cil, api, connect } = createAgent({ source: cc.source('1001'), clock });

// Seed 001's sample handlers, as the vendor wrote them.
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
cil.onAgentStateChange((data) => {
  console.warn(`message: onAgentStateChange, data: ${JSON.stringify(data)}`);
});
cil.onError((error) => {
  console.warn(`message: onError data: ${JSON.stringify(error)}`);
});

await connect();
await cil.setAgentState('voice', 'Ready', '', 'login-1');
clock.advance(1000);

// A customer calls the sales queue; the ACD offers the call to agent 1001.
const callId = cc.arrive({ from: '+41445550100', queue: 'sales', callVariables: { callVariable1: 'INV-1001' } });
clock.advance(3000);
await api.answer(callId, { requestId: 'answer-1' });
clock.advance(60_000);
await cil.updateWorkitemData('voice', callId, { callVariable1: 'INV-1001', wrapUpReason: 'Sales' }, 'wrapup-1');
cc.callerHangup(callId);
clock.advance(10_000);
await cil.setAgentState('voice', 'Ready', '', 'ready-2');
clock.advance(1000);
