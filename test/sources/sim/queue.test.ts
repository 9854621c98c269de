/**
 * Queue statistics (UCCE): exactly seed 001's statistics fields, the buckets agents move
 * through, calls in queue, escalation thresholds, and who is told when figures change.
 */
import { describe, expect, it } from 'vitest';
import type { QueueUpdate } from '../../../src/core/index.js';
import { T0, desks, makeCenter } from './helpers.js';

const SEED_001_STATISTICS = [
  'agentsNotReady',
  'agentsReady',
  'agentsTalkingInbound',
  'agentsTalkingInternal',
  'agentsTalkingOutbound',
  'agentsWrapUpNotReady',
  'agentsWrapUpReady',
  'callsInQueue',
  'startTimeOfLongestCallInQueue',
];

describe('queue statistics', () => {
  it('have exactly the fields of seed 001', () => {
    const { cc } = makeCenter();
    const q = cc.queueData('sales');
    expect(Object.keys(q).sort()).toEqual(['channel', 'escalationLevel', 'id', 'name', 'statistics']);
    expect(Object.keys(q.statistics).sort()).toEqual([...SEED_001_STATISTICS].sort());
    expect(q).toMatchObject({ id: 'sales', name: 'Sales', channel: 'Voice', escalationLevel: 'Normal' });
  });

  it('count agents by state: Ready, NotReady, talking inbound, wrap-up Ready and NotReady', async () => {
    const { clock, cc } = makeCenter();
    const [a, c] = await desks(cc, clock, '1001', '1003');
    const stats = () => cc.queueData('sales').statistics;
    await a!.login();
    await c!.login('NotReady');
    expect(stats()).toMatchObject({ agentsReady: 1, agentsNotReady: 1 });
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    await a!.do({ type: 'answer', workitemId: id });
    expect(stats()).toMatchObject({ agentsReady: 0, agentsTalkingInbound: 1, agentsNotReady: 1 });
    await a!.do({ type: 'end', workitemId: id });
    expect(stats()).toMatchObject({ agentsTalkingInbound: 0, agentsWrapUpReady: 1 });
    await a!.do({ type: 'setAgentState', channelId: 'voice', state: 'NotReady' });
    const second = cc.arrive({ from: '+41445550102', queue: 'sales' });
    await c!.do({ type: 'setAgentState', channelId: 'voice', state: 'Ready' });
    await c!.do({ type: 'answer', workitemId: second });
    await c!.do({ type: 'setAgentState', channelId: 'voice', state: 'NotReady' });
    await c!.do({ type: 'end', workitemId: second });
    expect(stats()).toMatchObject({ agentsWrapUpNotReady: 1, agentsNotReady: 1, agentsReady: 0 });
  });

  it('count calls in queue with the start time of the longest, and escalate at the thresholds', () => {
    const { clock, cc } = makeCenter({ queues: [{ id: 'sales', name: 'Sales', warnCallsInQueue: 2, criticalCallsInQueue: 3 }, { id: 'support', name: 'Support' }] });
    const ids: string[] = [];
    const levels: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(cc.arrive({ from: `+4144555010${i}`, queue: 'sales' }));
      levels.push(cc.queueData('sales').escalationLevel);
      clock.advance(10_000);
    }
    expect(levels).toEqual(['Normal', 'Warn', 'Critical']);
    expect(cc.queueData('sales').statistics).toMatchObject({ callsInQueue: 3, startTimeOfLongestCallInQueue: new Date(T0).toISOString() });
    cc.abandon(ids[0]!);
    expect(cc.queueData('sales').statistics).toMatchObject({ callsInQueue: 2, startTimeOfLongestCallInQueue: new Date(T0 + 10_000).toISOString() });
    expect(cc.queueData('sales').escalationLevel).toBe('Warn');
  });

  it('go to signed-in agents with the skill, only when they change, never as a duplicate', async () => {
    const { clock, cc } = makeCenter();
    const [a, b, c] = await desks(cc, clock, '1001', '1002', '1003');
    await a!.login();
    await b!.login('NotReady');
    const before = { a: a!.updates.length, b: b!.updates.length, c: c!.updates.length };
    const id = cc.arrive({ from: '+41445550101', queue: 'sales' });
    const qa = a!.updates.slice(before.a).filter((u): u is QueueUpdate => u.type === 'queue');
    // The call was offered at once: the figures show the agent reserved, never a queued call.
    expect(qa.flatMap((u) => u.queues.map((q) => q.id))).toEqual([]);
    expect(b!.updates.slice(before.b).filter((u) => u.type === 'queue')).toEqual([]);
    expect(c!.updates.length).toBe(before.c);
    await a!.do({ type: 'answer', workitemId: id });
    const updated = a!.updates.filter((u): u is QueueUpdate => u.type === 'queue' && u.op === 'updated').at(-1);
    expect(updated?.queues[0]?.statistics.agentsTalkingInbound).toBe(1);
    expect(b!.updates.filter((u): u is QueueUpdate => u.type === 'queue' && u.op === 'updated').at(-1)?.queues[0]).toMatchObject({ id: 'support' });
    for (const d of [a!, b!, c!]) d.expectClean();
  });

  it('the ENABLED event at sign-in carries the current figures of the agent\'s queues', async () => {
    const { clock, cc } = makeCenter();
    cc.arrive({ from: '+41445550101', queue: 'support' });
    const [b] = await desks(cc, clock, '1002');
    await b!.login('NotReady');
    const enabled = b!.events.find((e) => e.type === 'queueDataUpdate');
    expect(enabled?.data).toMatchObject({ dataState: 'ENABLED', queueData: [{ id: 'support', statistics: { callsInQueue: 1 } }] });
    b!.expectClean();
  });

  it('with queueUpdateIntervalMs, changes are sent together at most once per interval', async () => {
    const { clock, cc } = makeCenter({ queueUpdateIntervalMs: 10_000 });
    const [a] = await desks(cc, clock, '1001');
    await a!.login('NotReady');
    clock.advance(10_000);
    const start = a!.updates.length;
    for (let i = 0; i < 5; i++) cc.arrive({ from: `+4144555010${i}`, queue: 'sales' });
    expect(a!.updates.length).toBe(start);
    clock.advance(10_000);
    const sent = a!.updates.slice(start).filter((u): u is QueueUpdate => u.type === 'queue');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.queues[0]?.statistics.callsInQueue).toBe(5);
    a!.expectClean();
  });
});
