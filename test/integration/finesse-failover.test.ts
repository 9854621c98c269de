/**
 * Failover and recovery for real (issue 4, item 3): the Finesse source talks to the emulator
 * through a real prosody; the test kills prosody mid-call and brings it back. Checked through
 * the whole chain — source → session → cil and the C4C sink:
 *  - a call still present after the outage gives no second workitemCreate and no second
 *    C4C activity (no second NOTIFY/ACCEPT);
 *  - a call that ended during the outage ends as EndedUnknown, with one C4C END;
 *  - a call that appeared during the outage gives workitemCreate (call recovery).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, type EventMap } from '../../src/core/index.js';
import { runFinesseEmulator, type FinesseEmulator } from '../../src/finesse-emulator/index.js';
import { C4cSink } from '../../src/sinks/c4c/index.js';
import { createAgent, type Agent } from '../../src/sinks/cil/index.js';
import { FinesseSource, type FinesseConnectionState } from '../../src/sources/finesse/index.js';

const PASSWORD = 'failover-pw';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(what: string, pred: () => boolean, ms = 20_000): Promise<void> {
  for (let t = 0; !pred(); t += 50) {
    if (t > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('Finesse failover: prosody killed mid-call and restarted', () => {
  let lab: FinesseEmulator;
  let agent: Agent;
  const states: FinesseConnectionState[] = [];
  const creates: string[] = [];
  const ends: [string, string][] = [];
  const errors: string[] = [];
  const c4c: Record<string, string>[] = [];

  beforeAll(async () => {
    lab = await runFinesseEmulator({ flavor: 'UCCE', password: PASSWORD, agents: 1, wrapup: 'off', log: () => undefined });
    const source = new FinesseSource({
      baseUrl: lab.baseUrl,
      agentId: '1001',
      auth: { kind: 'basic', user: '1001', password: PASSWORD },
      xmppService: lab.xmppService,
      clock: systemClock,
      failoverPollMs: 200,
      xmpp: { pingIntervalMs: 300, pingTimeoutMs: 600, connectTimeoutMs: 8000, backoff: { initialMs: 100, maxMs: 500 } },
      onConnectionState: (s) => states.push(s),
    });
    agent = createAgent({ source, clock: systemClock });
    agent.api.on('workitemCreate', (d: EventMap['workitemCreate']) => creates.push(d.id));
    agent.api.on('workitemEnd', (d) => ends.push([d.id, d.state]));
    agent.api.on('error', (e) => errors.push(e.message));
    new C4cSink({
      session: agent.session,
      target: { postMessage: (m) => c4c.push((m as { payload: Record<string, string> }).payload) },
      settings: { origin: 'https://my.crm.ondemand.com' },
    });
    await agent.connect();
    await agent.api.setAgentState('voice', 'Ready');
    await until('Ready', () => agent.session.state.channels.voice_5000?.state === 'Ready');
  }, 60_000);

  afterAll(async () => {
    await agent?.disconnect();
    await lab?.stop();
  });

  const outage = async (during: () => void | Promise<void>): Promise<void> => {
    const seen = states.length;
    await lab.prosody!.kill();
    await until('the outage to be detected', () => states.slice(seen).includes('failover'));
    await during();
    await lab.prosody!.restart();
    await until('the source to be back online', () => states.at(-1) === 'online' && states.length > seen + 1, 30_000);
    await sleep(300);
  };
  const steps = (id: string) => c4c.filter((p) => p.ExternalReferenceID !== undefined && creates.includes(id)).map((p) => `${p.Event}/${p.Action ?? ''}`);

  it('a call still up after the outage: no second workitemCreate, no second C4C activity', async () => {
    const id = lab.cc.arrive({ from: '+41445550111', queue: '6001' });
    await until('the call to ring', () => creates.includes(id));
    await agent.api.answer(id);
    await until('the call to be Active', () => agent.session.state.workitems[id]?.state === 'Active');
    expect(steps(id)).toEqual(['CALL_ALLOCATED/NOTIFY', 'CALL_CONNECTED/ACCEPT']);

    await outage(() => undefined);

    expect(creates.filter((c) => c === id)).toHaveLength(1);
    expect(agent.session.state.workitems[id]?.state).toBe('Active');
    expect(c4c.filter((p) => p.Event === 'CALL_ALLOCATED' || p.Event === 'CALL_CONNECTED')).toHaveLength(2);
    expect(errors).toEqual([]);
  }, 60_000);

  it('a call that ended during the outage ends as EndedUnknown (one END); a call that appeared is recovered', async () => {
    const [live] = Object.keys(agent.session.state.workitems);
    expect(live).toBeDefined();
    let appeared = '';
    await outage(async () => {
      lab.cc.callerHangup(live!);
      await sleep(100);
      appeared = lab.cc.arrive({ from: '+41445550222', queue: '6001' });
      await sleep(100);
    });
    await until('the vanished call to end', () => ends.some(([id]) => id === live));
    expect(ends.find(([id]) => id === live)).toEqual([live, 'EndedUnknown']);
    expect(c4c.filter((p) => p.Event === 'CALL_DISCONNECTED' && p.Action === 'END')).toHaveLength(1);
    await until('the new call to be recovered', () => creates.includes(appeared));
    expect(creates.filter((c) => c === appeared)).toHaveLength(1);
    expect(agent.session.state.workitems[appeared]?.state).toBe('Offered');
    expect(errors).toEqual([]);
  }, 60_000);
});
