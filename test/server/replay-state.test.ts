import { describe, expect, it } from 'vitest';
import { ReplayState } from '../../src/server/sessions.js';
import type { PlatformUpdate, WorkitemAddedUpdate } from '../../src/core/updates.js';

const session: PlatformUpdate = { type: 'session', at: 1, source: 'sim', agent: { agentId: '1001', extension: '1001001', firstName: 'Ada', lastName: 'Meier', loginName: 'ameier', teamId: 't1' }, channels: [{ id: 'voice', type: 'Voice' }] };
const added = (id: string): PlatformUpdate => ({
  type: 'workitemAdded',
  at: 2,
  requestId: 'r1',
  workitem: { id, channelId: 'voice', classification: 'Customer', direction: 'Incoming', state: 'Offered', participants: [], ani: '+41445550101', ctiData: { callVariable1: 'a' }, capabilities: ['Answer'] },
});

describe('ReplayState', () => {
  it('replays nothing before the session is known', () => {
    const s = new ReplayState();
    s.apply({ type: 'agentState', channelId: 'voice', state: 'Ready' });
    expect(s.replay(10)).toEqual([]);
  });

  it('folds later changes into each live workitem and drops ended ones; stamps one `at`, no requestId', () => {
    const s = new ReplayState();
    s.apply(session);
    s.apply({ type: 'agentState', at: 2, channelId: 'voice', state: 'NotReady', reasonCode: 1 });
    s.apply({ type: 'agentState', at: 3, channelId: 'voice', state: 'Ready', requestId: 'r0' });
    s.apply(added('c1'));
    s.apply(added('c2'));
    s.apply({ type: 'workitemState', at: 4, id: 'c1', state: 'Active', capabilities: ['Hold', 'End'] });
    s.apply({ type: 'workitemData', at: 5, id: 'c1', ctiData: { callVariable2: 'b' } });
    s.apply({ type: 'workitemInfo', at: 6, id: 'c1', classification: 'Consultation' });
    s.apply({ type: 'workitemState', at: 7, id: 'c2', state: 'EndedAbandoned' });
    s.apply({ type: 'platformError', code: 'PLATFORM_ERROR', message: 'x' });
    const out = s.replay(100);
    expect(out.map((u) => u.type)).toEqual(['session', 'agentState', 'workitemAdded']);
    for (const u of out) {
      expect(u.at).toBe(100);
      expect(u.requestId).toBeUndefined();
    }
    expect(out[1]).toMatchObject({ state: 'Ready' });
    const w = (out[2] as WorkitemAddedUpdate).workitem;
    expect(w).toMatchObject({ id: 'c1', state: 'Active', classification: 'Consultation', capabilities: ['Hold', 'End'], ctiData: { callVariable1: 'a', callVariable2: 'b' }, connectedAt: new Date(4).toISOString() });
  });

  it('keeps the queue list through snapshot, added, updated and deleted, and replays it as one snapshot after the session', () => {
    const q = (id: string, callsInQueue: number) => ({ id, name: id, statistics: { callsInQueue } }) as never;
    const s = new ReplayState();
    s.apply(session);
    s.apply({ type: 'queue', op: 'snapshot', queues: [q('a', 0), q('b', 0)] });
    s.apply({ type: 'queue', op: 'updated', queues: [q('a', 3)] });
    s.apply({ type: 'queue', op: 'added', queues: [q('c', 1)] });
    s.apply({ type: 'queue', op: 'deleted', queues: [], ids: ['b'] });
    const out = s.replay(5);
    expect(out[1]).toEqual({ type: 'queue', at: 5, op: 'snapshot', queues: [q('a', 3), q('c', 1)] });
  });
});
