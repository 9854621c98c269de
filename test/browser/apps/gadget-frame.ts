/**
 * The gadget side of the C4C browser test, bundled by esbuild and served from its own origin
 * inside the host page's iframe: a simulated contact center with one agent, the C4C Live
 * Activity sink posting to window.parent, click-to-dial listening for the parent (C4C) only,
 * and the Avaya dialect posting interaction logs to the parent. The test drives it through
 * `window.sb` (Playwright's frame.evaluate); time is a SimulatedClock the test advances.
 */
import { SimulatedClock } from '../../../src/core/index.js';
import { createAgent } from '../../../src/sinks/cil/index.js';
import { C4cSink, ClickToDial, mappingFromUrl } from '../../../src/sinks/c4c/index.js';
import { AvayaDialect } from '../../../src/sinks/dialects/index.js';
import { SimContactCenter } from '../../../src/sources/sim/index.js';

const params = new URLSearchParams(location.search);
const parentOrigin = params.get('parent') ?? '';
const format = params.get('format') === 'xml' ? 'xml' : 'json';
const clock = new SimulatedClock(Date.parse('2026-03-02T08:00:00.000Z'));
const cc = new SimContactCenter({
  clock,
  seed: 11,
  wrapup: 'optional',
  agents: [{ id: '1001', extension: '1001001', firstName: 'Ada', lastName: 'Meier', loginName: 'ameier', teamId: 't1', skills: ['sales'] }],
  queues: [{ id: 'sales', name: 'Sales' }],
  farEnd: { ringAfterMs: 500 },
});
const agent = createAgent({ source: cc.source('1001'), clock });
const errors: string[] = [];
agent.api.on('error', (e) => errors.push(`${e.code}: ${e.message}`));
const sink = new C4cSink({
  session: agent.session,
  target: window.parent,
  settings: { origin: parentOrigin, format, mapping: mappingFromUrl(location.href) ?? {} },
  storage: window.sessionStorage,
});
const c2d = new ClickToDial({ api: agent.api, sink, onError: (e) => errors.push(`${e.code}: ${e.message}`) });
c2d.listen(window, { allowedOrigins: [parentOrigin], expectedSource: window.parent });
new AvayaDialect({ session: agent.session, target: window.parent, targetOrigin: parentOrigin });

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) {
    await Promise.resolve();
    clock.advance(100);
  }
};

const sb = {
  ready: async () => {
    await agent.connect();
    await agent.api.setAgentState('voice', 'Ready');
    await settle();
  },
  arrive: async (from: string, callVariable1: string) => {
    const id = cc.arrive({ from, queue: 'sales', callVariables: { callVariable1 } });
    await settle();
    return id;
  },
  answer: async (id: string) => {
    await agent.api.answer(id);
    await settle();
  },
  hold: async (id: string) => {
    await agent.api.hold(id);
    await settle();
  },
  resume: async (id: string) => {
    await agent.api.resume(id);
    await settle();
  },
  data: async (id: string, data: Record<string, string>) => {
    await agent.api.updateWorkitemData('voice', id, data);
    await settle();
  },
  hangup: async (id: string) => {
    cc.callerHangup(id);
    await settle();
  },
  farEndAnswer: async (id: string) => {
    cc.farEndAnswer(id);
    await settle();
  },
  endWrapup: async () => {
    await agent.api.setAgentState('voice', 'Ready');
    await settle();
  },
  settle,
  workitems: () => agent.api.workitems.map((w) => ({ id: w.id, state: w.state, classification: w.classification, direction: w.direction, ani: w.ani })),
  errors: () => [...errors],
};
(window as unknown as { sb: typeof sb }).sb = sb;
document.body.dataset.ready = 'true';
