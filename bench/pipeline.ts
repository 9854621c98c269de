/**
 * Benchmark: a large simulated stream through source → core → cil.
 *
 * Two measurements, each against a baseline taken in the same run (these machines are noisy,
 * so the ratio is the figure to compare, not the absolute rate):
 *  1. live: the simulator generates traffic (auto agents, Poisson arrivals) and its updates go
 *     through AgentSession (the state machine) and the Integration API to cil handlers;
 *     baseline: the same seed, the same updates, only JSON-serialised (no state machine).
 *  2. recorded: the same updates, captured once, replayed into fresh sessions; baseline:
 *     JSON-serialising the same recorded updates.
 */
import { SimulatedClock, type PlatformUpdate } from '../src/core/index.js';
import { EventName } from '../src/core/index.js';
import { createAgent, type Agent } from '../src/sinks/cil/index.js';
import { SimContactCenter, type SimContactCenterOptions } from '../src/sources/sim/index.js';

const T0 = Date.parse('2026-03-02T08:00:00.000Z');

function world(agents: number, clock: SimulatedClock): SimContactCenterOptions {
  return {
    clock,
    seed: 2026,
    flavor: 'UCCE',
    wrapup: 'optional',
    agents: Array.from({ length: agents }, (_, i) => ({
      id: String(10_000 + i),
      extension: String(5_000_000 + i),
      firstName: 'A',
      lastName: String(i),
      loginName: `a${i}`,
      teamId: `t${i % 10}`,
      skills: i % 2 === 0 ? ['sales', 'support'] : ['support'],
    })),
    queues: [
      { id: 'sales', name: 'Sales' },
      { id: 'support', name: 'Support' },
    ],
    arrivals: { perMinute: agents * 1.5, patienceMs: 60_000 },
    autoAgents: { talkTimeMs: 45_000, answerDelayMs: [500, 2000], wrapupTimeMs: [2000, 6000], holdTimeMs: 5000 },
    queueUpdateIntervalMs: 10_000,
  };
}

interface Run {
  updates: number;
  ms: number;
  perSecond: number;
  cilEvents: number;
  errors: number;
}

/** Advance the simulated clock in steps until `target` updates were emitted. */
function drive(clock: SimulatedClock, count: () => number, target: number): void {
  while (count() < target) clock.advance(1000);
}

async function live(agents: number, target: number, mode: 'pipeline' | 'baseline'): Promise<Run & { recorded?: [number, PlatformUpdate][] }> {
  const clock = new SimulatedClock(T0);
  const cc = new SimContactCenter(world(agents, clock));
  let updates = 0;
  let cilEvents = 0;
  let errors = 0;
  let bytes = 0;
  const wired: Agent[] = [];
  for (const [i, id] of cc.agentIds.entries()) {
    const source = cc.source(id);
    if (mode === 'pipeline') {
      const agent = createAgent({ source, clock, newRequestId: () => 'bench' });
      for (const name of Object.values(EventName)) agent.api.on(name, () => void cilEvents++);
      agent.api.on('error', () => void errors++);
      await source.connect((u) => {
        updates++;
        agent.session.apply(u);
      });
      wired.push(agent);
    } else {
      await source.connect((u) => {
        updates++;
        bytes += JSON.stringify(u).length + i * 0;
      });
    }
  }
  const start = performance.now();
  drive(clock, () => updates, target);
  const ms = performance.now() - start;
  if (bytes < 0) throw new Error('unreachable: keeps the serialisation alive');
  return { updates, ms, perSecond: (updates / ms) * 1000, cilEvents, errors };
}

async function record(agents: number, target: number): Promise<[number, PlatformUpdate][]> {
  const clock = new SimulatedClock(T0);
  const cc = new SimContactCenter(world(agents, clock));
  const out: [number, PlatformUpdate][] = [];
  for (const [i, id] of cc.agentIds.entries()) await cc.source(id).connect((u) => void out.push([i, structuredClone(u)]));
  drive(clock, () => out.length, target);
  return out;
}

function replayRecorded(stream: [number, PlatformUpdate][], agents: number): Run {
  const clock = new SimulatedClock(T0);
  const sessions: Agent[] = [];
  let cilEvents = 0;
  let errors = 0;
  for (let i = 0; i < agents; i++) {
    const agent = createAgent({ source: { kind: 'bench', supports: new Set(), connect: () => Promise.resolve(), request: () => Promise.resolve(), disconnect: () => Promise.resolve() }, clock });
    for (const name of Object.values(EventName)) agent.api.on(name, () => void cilEvents++);
    agent.api.on('error', () => void errors++);
    sessions.push(agent);
  }
  const start = performance.now();
  for (const [i, u] of stream) sessions[i]!.session.apply(u);
  const ms = performance.now() - start;
  return { updates: stream.length, ms, perSecond: (stream.length / ms) * 1000, cilEvents, errors };
}

function serialiseRecorded(stream: [number, PlatformUpdate][]): Run {
  let bytes = 0;
  const start = performance.now();
  for (const [, u] of stream) bytes += JSON.stringify(u).length;
  const ms = performance.now() - start;
  if (bytes < 0) throw new Error('unreachable');
  return { updates: stream.length, ms, perSecond: (stream.length / ms) * 1000, cilEvents: 0, errors: 0 };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export async function benchPipeline(agents = 500, target = 1_000_000): Promise<void> {
  console.log(`pipeline benchmark: ${agents} simulated agents, >= ${fmt(target)} updates per run (Node ${process.version})`);
  // Warm-up on a small stream so that both sides run optimised code.
  await live(agents, 50_000, 'baseline');
  await live(agents, 50_000, 'pipeline');

  const base = await live(agents, target, 'baseline');
  const pipe = await live(agents, target, 'pipeline');
  console.log(`  live baseline  (sim → JSON.stringify)        ${fmt(base.updates)} updates in ${fmt(base.ms)} ms = ${fmt(base.perSecond)} updates/s`);
  console.log(`  live pipeline  (sim → core → cil handlers)   ${fmt(pipe.updates)} updates in ${fmt(pipe.ms)} ms = ${fmt(pipe.perSecond)} updates/s, ${fmt(pipe.cilEvents)} cil events, ${pipe.errors} error events`);
  console.log(`  live ratio pipeline/baseline: ${(pipe.perSecond / base.perSecond).toFixed(2)}`);

  const stream = await record(agents, target);
  const sBase = serialiseRecorded(stream);
  const sPipe = replayRecorded(stream, agents);
  console.log(`  recorded baseline (JSON.stringify only)      ${fmt(sBase.updates)} updates in ${fmt(sBase.ms)} ms = ${fmt(sBase.perSecond)} updates/s`);
  console.log(`  recorded pipeline (core → cil handlers)      ${fmt(sPipe.updates)} updates in ${fmt(sPipe.ms)} ms = ${fmt(sPipe.perSecond)} updates/s, ${fmt(sPipe.cilEvents)} cil events, ${sPipe.errors} error events`);
  console.log(`  recorded ratio pipeline/baseline: ${(sPipe.perSecond / sBase.perSecond).toFixed(2)}`);
}
