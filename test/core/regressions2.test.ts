import { describe, expect, it } from 'vitest';
import { AgentSession, SimulatedClock, WorkitemState, transition, decideDialOrConsult } from '../../src/core/index.js';
import { T0, VOICE_A, added, queue, setUp, signedIn, sessionUpdate } from './fixtures.js';
describe('more', () => {
  it('B7 older workitemData is OUT_OF_ORDER', () => {
    const s = setUp(signedIn(), [added('w1', WorkitemState.Active, { at: T0 + 100 }), { type: 'workitemData', id: 'w1', ctiData: { callVariable1: 'new' }, at: T0 + 200 }]);
    const [, ev] = transition(s, { type: 'workitemData', id: 'w1', ctiData: { callVariable1: 'old' }, at: T0 + 150 }, T0);
    expect(ev[0]).toMatchObject({ type: 'error', data: { code: 'OUT_OF_ORDER' } });
  });
  it('Q3 listener mutation does not leak to the next listener', () => {
    const session = new AgentSession({ clock: new SimulatedClock(T0) });
    session.apply(sessionUpdate([VOICE_A]));
    session.subscribe((e) => { if (e.type === 'workitemCreate') e.data.ani = 'hacked'; });
    let ani = '';
    session.subscribe((e) => { if (e.type === 'workitemCreate') ani = e.data.ani; });
    session.apply(added('w1', WorkitemState.Offered));
    expect(ani).toBe('+41441234567');
  });
  it('B8 two queues with the same id in one added', () => {
    const s = signedIn();
    const [, ev] = transition(s, { type: 'queue', op: 'added', queues: [queue('q1'), queue('q1')] }, T0);
    expect(ev).toHaveLength(1);
  });
  it('Q4 dialOrConsult on "voice" (unresolved) sees the call', () => {
    const s = setUp(signedIn(), [added('w1', WorkitemState.Active)]);
    expect(decideDialOrConsult(s, 'voice').kind).toBe('consult');
  });
});
