/**
 * Traffic that runs by itself: auto agents (sign in, answer within the configured delay, talk,
 * hang up, wrap up with a reason, Ready again) and seeded arrivals (callers, call variables,
 * ECC, patience, maxCalls, stop).
 */
import { describe, expect, it } from 'vitest';
import type { WorkitemAddedUpdate } from '../../../src/core/index.js';
import { desks, makeCenter } from './helpers.js';

describe('auto agents', () => {
  it('sign in Ready at the start; only the listed agents', () => {
    const { cc } = makeCenter({ autoAgents: { agents: ['1001'] } });
    expect(cc.agent('1001')).toMatchObject({ loggedIn: true, state: 'Ready', available: true });
    expect(cc.agent('1002').loggedIn).toBe(false);
  });

  it('answer within answerDelayMs, talk, hang up, wrap up with a reason (required) and go Ready again', async () => {
    const { clock, cc } = makeCenter({
      wrapup: 'required',
      autoAgents: { agents: ['1001'], answerDelayMs: [2000, 3000], talkTimeMs: 30_000, holdProbability: 0, callerHangupProbability: 0, wrapupTimeMs: [4000, 4000], breakProbability: 0 },
    });
    const [a] = await desks(cc, clock, '1001');
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    clock.advance(1999);
    expect(a!.item(id).state).toBe('Offered');
    clock.advance(1001);
    expect(a!.item(id).state).toBe('Active');
    const answerUpdate = a!.updates.find((u) => u.type === 'workitemState' && u.state === 'Active');
    expect(answerUpdate?.requestId).toMatch(/^auto-\d+$/);
    for (let i = 0; i < 600 && a!.items.length > 0; i++) clock.advance(1000);
    expect(a!.lifecycle(id)).toEqual(['workitemCreate', 'workitemConnect', 'workitemWrapup', 'callVariableChanged', 'wrapupDataChanged', 'workitemEnd']);
    const end = a!.events.find((e) => e.type === 'workitemEnd');
    expect(end?.type === 'workitemEnd' ? end.data.ctiData.wrapUpReason : undefined).toMatch(/^(Sales|Support|Complaint|Information)$/);
    expect(a!.channel.state).toBe('Ready');
    a!.expectClean();
  });

  it('hold sometimes, and the caller sometimes hangs up first', async () => {
    const { clock, cc } = makeCenter({ wrapup: 'off', autoAgents: { holdProbability: 1, holdTimeMs: 5000, callerHangupProbability: 1, breakProbability: 0 } });
    const [a] = await desks(cc, clock, '1001');
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    for (let i = 0; i < 3600 && a!.lifecycle(id).at(-1) !== 'workitemEnd'; i++) clock.advance(1000);
    expect(a!.lifecycle(id)).toEqual(['workitemCreate', 'workitemConnect', 'workitemPause', 'workitemResume', 'workitemEnd']);
    // The caller hung up: no request of the agent ended the call.
    expect(a!.updates.find((u) => u.type === 'workitemState' && u.state === 'Ended')?.requestId).toBeUndefined();
    a!.expectClean();
  });
});

describe('arrivals', () => {
  it('bring seeded callers with call variables and ECC data, and stop after maxCalls', async () => {
    const { clock, cc } = makeCenter({ seed: 3, arrivals: { perMinute: 30, maxCalls: 25, eccProbability: 1 } });
    const [a] = await desks(cc, clock, '1001');
    await a!.login('NotReady');
    clock.advance(3_600_000);
    expect(cc.counters.arrivals).toBe(25);
    expect(cc.callIds()).toHaveLength(25);
    await a!.login();
    const added = a!.updates.find((u): u is WorkitemAddedUpdate => u.type === 'workitemAdded')!;
    expect(added.workitem.ani).toMatch(/^\+41[0-9]{9}$/);
    expect(added.workitem.ctiData).toMatchObject({ callType: 'ACD_IN', callVariable1: expect.stringMatching(/^CUST-[0-9]{6}$/), 'user.lang': expect.any(String), 'user.segment': expect.any(String) });
  });

  it('knownCallers: that share of the callers comes from the given numbers (the demo directory); bad values are refused', () => {
    const known = ['+41445550101', '+390255550199'];
    const all = makeCenter({ seed: 4, arrivals: { perMinute: 60, maxCalls: 40, knownCallers: { numbers: known, probability: 1 } } });
    all.clock.advance(3_600_000);
    const froms = all.cc.callIds().map((id) => all.cc.call(id)?.from);
    expect(froms).toHaveLength(40);
    expect(froms.every((f) => f !== undefined && known.includes(f))).toBe(true);
    const none = makeCenter({ seed: 4, arrivals: { perMinute: 60, maxCalls: 40, knownCallers: { numbers: known, probability: 0 } } });
    none.clock.advance(3_600_000);
    expect(none.cc.callIds().map((id) => none.cc.call(id)?.from).some((f) => f !== undefined && known.includes(f))).toBe(false);
    expect(() => makeCenter({ arrivals: { perMinute: 1, knownCallers: { numbers: known, probability: 2 } } })).toThrow(/arrivals.knownCallers.probability/);
    expect(() => makeCenter({ arrivals: { perMinute: 1, knownCallers: { numbers: [''], probability: 0.5 } } })).toThrow(/arrivals.knownCallers.numbers/);
  });

  it('callers give up after their patience; stopArrivals stops new ones', () => {
    const { clock, cc } = makeCenter({ arrivals: { perMinute: 60, patienceMs: 10_000 } });
    clock.advance(600_000);
    const arrived = cc.counters.arrivals;
    expect(arrived).toBeGreaterThan(40);
    expect(cc.counters.abandoned).toBeGreaterThan(arrived - 30);
    cc.stopArrivals();
    clock.advance(600_000);
    expect(cc.counters.arrivals).toBe(arrived);
    expect(cc.callIds()).toEqual([]);
  });

  it('arrive at the configured mean rate (Poisson)', () => {
    const { clock, cc } = makeCenter({ seed: 9, arrivals: { perMinute: 10 } });
    clock.advance(10 * 3_600_000);
    expect(cc.counters.arrivals).toBeGreaterThan(5700);
    expect(cc.counters.arrivals).toBeLessThan(6300);
  });
});
