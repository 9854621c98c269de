/**
 * Determinism and load: seeded arrivals with auto agents produce the same update streams for
 * the same seed (JSON-compared over thousands of calls), different ones for another seed, and
 * streams the core's state machine accepts without a single error.
 */
import { describe, expect, it } from 'vitest';
import { AgentSession, SimulatedClock, type PlatformUpdate } from '../../../src/core/index.js';
import { SimContactCenter, createRng, type SimAgentConfig, type WrapupMode } from '../../../src/sources/sim/index.js';
import { T0 } from './helpers.js';

const AGENT_COUNT = 16;
const agents: SimAgentConfig[] = Array.from({ length: AGENT_COUNT }, (_, i) => ({
  id: String(3000 + i),
  extension: String(3000001 + i * 1000),
  firstName: 'Agent',
  lastName: String(i),
  loginName: `agent${i}`,
  teamId: i % 2 === 0 ? 'north' : 'south',
  skills: i % 3 === 0 ? ['sales', 'support'] : i % 3 === 1 ? ['sales'] : ['support'],
}));

interface Run {
  streams: Record<string, PlatformUpdate[]>;
  errors: string[];
  arrivals: number;
  abandoned: number;
  answered: number;
}

/** One run; with `check`, every agent's updates also go through an AgentSession (the slow part). */
async function run(seed: number, flavor: 'UCCE' | 'UCCX', wrapup: WrapupMode, hours: number, check = true): Promise<Run> {
  const clock = new SimulatedClock(T0);
  const cc = new SimContactCenter({
    clock,
    seed,
    flavor,
    wrapup,
    agents,
    queues: [
      { id: 'sales', name: 'Sales' },
      { id: 'support', name: 'Support' },
    ],
    arrivals: { perMinute: 16, patienceMs: 90_000 },
    // Finesse publishes queue figures every 10 s when changed; per change would be most of the stream.
    queueUpdateIntervalMs: 10_000,
    autoAgents: { talkTimeMs: 40_000, wrapupTimeMs: [2000, 8000], holdProbability: 0.3, holdTimeMs: 10_000, breakProbability: 0.1, breakTimeMs: 60_000 },
  });
  const streams: Record<string, PlatformUpdate[]> = {};
  const errors: string[] = [];
  for (const a of agents) {
    const list: PlatformUpdate[] = [];
    streams[a.id] = list;
    const session = check ? new AgentSession({ clock, flavor }) : undefined;
    session?.subscribe((e) => {
      if (e.type === 'error') errors.push(`${a.id}: ${e.data.message}`);
    });
    await cc.source(a.id).connect((u) => {
      list.push(u);
      session?.apply(u);
    });
  }
  // Time moves in steps, as a replay would; auto agents' requests resolve between steps.
  for (let t = 0; t < hours * 3600; t += 10) {
    clock.advance(10_000);
    await Promise.resolve();
  }
  const { arrivals, abandoned, answered } = cc.counters;
  return { streams, errors, arrivals, abandoned, answered };
}

describe('determinism', () => {
  it('the same seed gives identical update streams; a different seed does not', async () => {
    const one = await run(7, 'UCCE', 'optional', 3.5);
    const two = await run(7, 'UCCE', 'optional', 3.5, false);
    expect(one.arrivals).toBeGreaterThan(3000);
    expect(one.answered).toBeGreaterThan(1000);
    expect(one.abandoned).toBeGreaterThan(0);
    expect(one.errors).toEqual([]);
    expect(JSON.stringify(two.streams)).toBe(JSON.stringify(one.streams));
    const other = await run(8, 'UCCE', 'optional', 3.5, false);
    expect(JSON.stringify(other.streams)).not.toBe(JSON.stringify(one.streams));
  });

  it('streams fit the state machine with wrap-up off and required, and on UCCX', async () => {
    for (const [flavor, wrapup] of [
      ['UCCE', 'off'],
      ['UCCE', 'required'],
      ['UCCX', 'optional'],
    ] as const) {
      const r = await run(11, flavor, wrapup, 1);
      expect(r.errors, `${flavor} ${wrapup}`).toEqual([]);
      expect(r.answered).toBeGreaterThan(300);
      const all = Object.values(r.streams).flat();
      expect(all.some((u) => u.type === 'queue' && u.op === 'updated')).toBe(flavor === 'UCCE');
      expect(all.some((u) => u.type === 'workitemState' && u.state === 'Wrapup')).toBe(wrapup !== 'off');
      expect(all.some((u) => u.type === 'workitemState' && u.state === 'Paused')).toBe(true);
      expect(all.some((u) => u.type === 'workitemState' && u.state === 'EndedAbandoned')).toBe(true);
    }
  });
});

describe('rng', () => {
  it('is the same sequence for the same seed and label, independent across labels', () => {
    const a = createRng(5, 'x');
    const b = createRng(5, 'x');
    const c = createRng(5, 'y');
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
    expect(seqA.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('draws integers in range, exponentials around their mean, and digits', () => {
    const r = createRng(1);
    const ints = Array.from({ length: 2000 }, () => r.int(1, 6));
    expect(Math.min(...ints)).toBe(1);
    expect(Math.max(...ints)).toBe(6);
    const mean = Array.from({ length: 20_000 }, () => r.exponential(100)).reduce((s, v) => s + v, 0) / 20_000;
    expect(mean).toBeGreaterThan(95);
    expect(mean).toBeLessThan(105);
    expect(r.digits(7)).toMatch(/^[0-9]{7}$/);
    expect(() => r.pick([])).toThrow(RangeError);
  });
});
