/**
 * The Source contract suite that the simulator passes, run against the Finesse source talking
 * to the Finesse emulator for real: REST over loopback HTTP, notifications as XMPP pubsub
 * messages through Debian's prosody (the emulator is an XEP-0114 external component, so the
 * stanzas are shaped like Finesse's). One lab for the file; each case gets its own agent with
 * its own skill queue, so calls from one case never ring at another case's agent.
 *
 * Time: the emulator and the sessions run on the wall clock (a network is in between), so the
 * harness's `advance(ms)` waits a tenth of it.
 */
import { afterAll, beforeAll } from 'vitest';
import { systemClock, type Flavor } from '../../src/core/index.js';
import { runFinesseEmulator, type FinesseEmulator } from '../../src/finesse-emulator/index.js';
import { FinesseSource } from '../../src/sources/finesse/index.js';
import { sourceContract } from '../../src/testing/index.js';

const PASSWORD = 'lab-secret';
const CASES = 14;

for (const flavor of ['UCCE', 'UCCX'] as const satisfies readonly Flavor[]) {
  let lab: FinesseEmulator;
  let next = 0;

  beforeAll(async () => {
    const queues = Array.from({ length: CASES }, (_, i) => ({ id: String(7001 + i), name: `Q${i}`, dialedNumber: `80055507${String(i).padStart(2, '0')}` }));
    lab = await runFinesseEmulator({
      flavor,
      password: PASSWORD,
      queues,
      agents: queues.map((q, i) => ({ id: String(3001 + i), skills: [q.id] })),
      log: () => undefined,
      queueIntervalMs: 1000,
    });
  }, 60_000);

  afterAll(async () => {
    await lab?.stop();
  });

  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

  sourceContract(
    `finesse (${flavor}) via the emulator and prosody`,
    () => {
      const i = next++;
      const agentId = String(3001 + i);
      const queue = String(7001 + i);
      const make = () =>
        new FinesseSource({
          baseUrl: lab.baseUrl,
          agentId,
          auth: { kind: 'basic', user: agentId, password: PASSWORD },
          xmppService: lab.xmppService,
          xmppDomain: lab.domain,
          clock: systemClock,
        });
      let live: { callId: string } | undefined;
      return {
        source: make(),
        clock: systemClock,
        flavor,
        advance: async (ms) => sleep(Math.max(20, ms / 10)),
        arriveCall: async (c) => {
          live = { callId: lab.cc.arrive({ from: c.from, queue, ...(c.callVariables !== undefined ? { callVariables: c.callVariables } : {}) }) };
          await sleep(20);
        },
        callerHangup: async () => {
          if (live !== undefined) lab.cc.callerHangup(live.callId);
          await sleep(20);
        },
        reconnect: () => make(),
      };
    },
    { waitMs: 100_000 },
  );
}
