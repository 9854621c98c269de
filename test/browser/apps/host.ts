/**
 * The CRM page of the browser test (standing where SAP C4C stands), bundled by esbuild: it
 * embeds the gadget frame from another origin, records every message that reaches it, runs the
 * Avaya source (seed 004: CRMConnectMessage only from the connector frame's origin), and can
 * post C4C's click-to-dial event into the gadget frame with the gadget's exact origin.
 */
import { AgentSession, SimulatedClock, type DomainEvent } from '../../../src/core/index.js';
import { AvayaSource } from '../../../src/sources/avaya/index.js';

const params = new URLSearchParams(location.search);
const gadgetOrigin = params.get('gadget') ?? '';
const foreignOrigin = params.get('foreign') ?? '';
const query = params.get('gadgetQuery') ?? '';

const received: { origin: string; data: unknown }[] = [];
addEventListener('message', (e: MessageEvent) => received.push({ origin: e.origin, data: e.data as unknown }));

const gadget = document.createElement('iframe');
gadget.id = 'gadget';
gadget.src = `${gadgetOrigin}/gadget.html?parent=${encodeURIComponent(location.origin)}${query}`;
const foreign = document.createElement('iframe');
foreign.id = 'foreign';
foreign.src = `${foreignOrigin}/foreign.html?host=${encodeURIComponent(location.origin)}&gadget=${encodeURIComponent(gadgetOrigin)}`;
document.body.append(gadget, foreign);

// The Avaya source, listening for the connector frame (here: the gadget's origin and window).
const session = new AgentSession({ clock: new SimulatedClock(Date.parse('2026-03-02T08:00:00.000Z')) });
const events: DomainEvent[] = [];
session.subscribe((e) => events.push(e));
const avaya = new AvayaSource({ window, allowedOrigin: gadgetOrigin, expectedSource: gadget.contentWindow, agent: { agentId: '1001' } });
void avaya.connect((u) => session.apply(u));

const host = {
  received: () => received,
  c4c: () => received.filter((m) => m.origin === gadgetOrigin && !(typeof m.data === 'object' && m.data !== null && 'type' in m.data)),
  clickToDial: (payload: unknown) => gadget.contentWindow?.postMessage(payload, gadgetOrigin),
  avayaRecords: () => events.flatMap((e) => (e.type === 'interactionEnd' ? [e.data.record] : [])),
  avayaErrors: () => events.flatMap((e) => (e.type === 'error' ? [e.data.message] : [])),
};
(window as unknown as { host: typeof host }).host = host;
