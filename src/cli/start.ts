/**
 * @module cli/start
 * `switchboard start`: the product on its embedded defaults until the server and gadget land
 * (issue 5): a simulated contact center running live — N auto agents, seeded Poisson arrivals,
 * time running `--speed` times faster than the wall clock — with agent 1's Integration API
 * events printed as they happen, and the queue figures every few seconds. Ctrl-C stops it.
 */
import type { Writable } from 'node:stream';
import { createScaledClock, systemClock, type Clock, type Flavor, type TimerHandle, type WorkitemEventData } from '../core/index.js';
import { createAgent } from '../sinks/cil/index.js';
import { SimContactCenter, type SimAgentConfig } from '../sources/sim/index.js';

export interface StartOptions {
  agents: number;
  /** Arrivals per (simulated) minute. */
  rate: number;
  speed: number;
  seed: number;
  flavor: Flavor;
  /** Stop after this many wall-clock seconds (default: run until interrupted). */
  durationSeconds: number | undefined;
  stdout: Writable;
}

const FIRST = ['Ada', 'Ben', 'Cleo', 'Dario', 'Elif', 'Finn', 'Gina', 'Hugo', 'Iris', 'Jon'];
const LAST = ['Meier', 'Keller', 'Rossi', 'Weber', 'Huber', 'Frei', 'Brunner', 'Baumann'];

export function demoAgents(n: number): SimAgentConfig[] {
  return Array.from({ length: n }, (_, i) => {
    const id = String(1001 + i);
    const firstName = FIRST[i % FIRST.length] ?? 'Agent';
    const lastName = LAST[i % LAST.length] ?? String(i);
    return {
      id,
      extension: `${id}001`,
      firstName,
      lastName,
      loginName: `${firstName[0] ?? 'a'}${lastName}`.toLowerCase(),
      teamId: `team${1 + (i % 3)}`,
      skills: i % 2 === 0 ? ['sales', 'support'] : ['support'],
    };
  });
}

export async function runStart(o: StartOptions): Promise<number> {
  const { clock, stopAll } = stoppable(createScaledClock(o.speed));
  const cc = new SimContactCenter({
    clock,
    seed: o.seed,
    flavor: o.flavor,
    agents: demoAgents(o.agents),
    queues: [
      { id: 'sales', name: 'Sales' },
      { id: 'support', name: 'Support' },
    ],
    arrivals: { perMinute: o.rate, patienceMs: 90_000 },
    autoAgents: { talkTimeMs: 60_000 },
  });
  const first = cc.agentIds[0] ?? '1001';
  const agent = createAgent({ source: cc.source(first), clock, flavor: o.flavor });
  const print = (line: string): void => {
    o.stdout.write(`${new Date(clock.now()).toISOString().slice(11, 19)}  ${line}\n`);
  };
  const wi = (name: string) => (d: WorkitemEventData) =>
    print(`${name.padEnd(20)} ${d.id.padEnd(10)} ${d.classification.padEnd(12)} ${d.direction.padEnd(9)} ${d.state.padEnd(15)} ani=${d.ani}${d.ctiData.callVariable1 !== undefined ? ` callVariable1=${d.ctiData.callVariable1}` : ''}`);
  agent.cil.onWorkitemCreate(wi('workitemCreate'));
  agent.cil.onWorkitemConnect(wi('workitemConnect'));
  agent.cil.onWorkitemPause(wi('workitemPause'));
  agent.cil.onWorkitemResume(wi('workitemResume'));
  agent.cil.onWorkitemWrapup(wi('workitemWrapup'));
  agent.cil.onWorkitemEnd(wi('workitemEnd'));
  agent.cil.onAgentStateChange((d) => print(`agentStateChange     ${d.channelId} ${d.oldState} -> ${d.newState}${d.newReasonCode >= 0 ? ` (${d.newReasonCodeLabel})` : ''}`));
  agent.cil.onQueueDataUpdate((d) => {
    if (d.dataState !== 'UPDATED') print(`queueDataUpdate      ${d.dataState} ${d.queueData.map((q) => q.id).join(', ')}`);
  });
  agent.cil.onError((e) => print(`error                ${e.code}: ${e.message}`));
  o.stdout.write(
    `Switchboard demo: ${o.agents} simulated agents (${o.flavor}), ${o.rate} calls per simulated minute, time x${o.speed}.\n` +
      `Showing agent ${first}'s Integration API events. Ctrl-C to stop.\n`,
  );
  await agent.connect();

  const stats = (): void => {
    const parts = ['sales', 'support'].map((q) => {
      const s = cc.queueData(q).statistics;
      return `${q}: ${s.callsInQueue} queued, ${s.agentsReady} ready, ${s.agentsTalkingInbound} talking`;
    });
    print(`-- ${parts.join(' | ')} | calls so far: ${cc.counters.arrivals}`);
  };
  return new Promise<number>((resolve) => {
    let timer = systemClock.setTimeout(function tick() {
      stats();
      timer = systemClock.setTimeout(tick, 5000);
    }, 5000);
    const stop = (): void => {
      systemClock.clearTimeout(timer);
      stats();
      process.off('SIGINT', stop);
      cc.stopArrivals();
      stopAll();
      void agent.disconnect().then(() => resolve(0));
    };
    process.once('SIGINT', stop);
    if (o.durationSeconds !== undefined) systemClock.setTimeout(stop, o.durationSeconds * 1000);
  });
}

/** A clock whose pending timers can all be cancelled at once, so that the demo can stop. */
function stoppable(base: Clock): { clock: Clock; stopAll: () => void } {
  const live = new Set<TimerHandle>();
  let stopped = false;
  const clock: Clock = {
    now: () => base.now(),
    setTimeout(fn, ms) {
      const handle = base.setTimeout(() => {
        live.delete(handle);
        if (!stopped) fn();
      }, ms);
      live.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      live.delete(handle);
      base.clearTimeout(handle);
    },
  };
  return {
    clock,
    stopAll: () => {
      stopped = true;
      for (const h of live) base.clearTimeout(h);
      live.clear();
    },
  };
}
