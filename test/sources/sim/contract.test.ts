/**
 * The simulator against the Source contract suite, in both flavours and with wrap-up on, off and
 * required, and once with latency (updates arriving 250 ms after the request).
 */
import { SimulatedClock } from '../../../src/core/index.js';
import { SimContactCenter, type WrapupMode } from '../../../src/sources/sim/index.js';
import { sourceContract, type SourceHarness } from '../../../src/testing/index.js';
import { T0 } from './helpers.js';

function harness(flavor: 'UCCE' | 'UCCX', wrapup: WrapupMode, latencyMs = 0): () => SourceHarness {
  return () => {
    const clock = new SimulatedClock(T0);
    const cc = new SimContactCenter({
      clock,
      flavor,
      wrapup,
      latencyMs,
      agents: [{ id: '2001', extension: '2001001', firstName: 'Ada', lastName: 'Meier', loginName: 'ameier', teamId: 't', skills: ['q'] }],
      queues: [{ id: 'q', name: 'Contract' }],
    });
    return {
      source: cc.source('2001'),
      clock,
      flavor,
      advance: (ms) => {
        clock.advance(ms);
        return Promise.resolve();
      },
      arriveCall: (c) => {
        cc.arrive({ from: c.from, queue: 'q', ...(c.callVariables !== undefined ? { callVariables: c.callVariables } : {}) });
        return Promise.resolve();
      },
      callerHangup: (id) => {
        cc.callerHangup(id);
        return Promise.resolve();
      },
    };
  };
}

sourceContract('sim (UCCE, wrap-up optional)', harness('UCCE', 'optional'));
sourceContract('sim (UCCE, wrap-up off)', harness('UCCE', 'off'));
sourceContract('sim (UCCE, wrap-up required, 250 ms latency)', harness('UCCE', 'required', 250));
sourceContract('sim (UCCX, wrap-up optional)', harness('UCCX', 'optional'));
