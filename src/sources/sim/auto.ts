/**
 * @module sources/sim/auto
 * Traffic that runs by itself: seeded Poisson arrivals with random callers, call variables and
 * ECC data, callers who give up, and agents who answer, talk, hold, hang up, wrap up and take
 * breaks. Demos and benchmarks use it to produce realistic streams (millions of updates) from a
 * seed alone. Auto agents act through the same request path as a person at a desktop, so they
 * obey the same rules; an action that became impossible meanwhile (the caller hung up first) is
 * dropped, as a person's click would fail.
 */
import { isSwitchboardError } from '../../core/errors.js';
import { WorkitemState } from '../../core/model.js';
import type { PlatformRequest } from '../../core/source.js';
import type { Leg, SimAgent } from './model.js';
import type { ArrivalOptions, AutoAgentOptions } from './options.js';
import { execute } from './requests.js';
import { arrive, callerHangup, type ArriveOptions } from './telephony.js';
import type { World, WorldHooks } from './world.js';

type Plain<R> = R extends PlatformRequest ? Omit<R, 'requestId'> : never;

/** Handle to stop the arrival process. */
export interface ArrivalProcess {
  stop(): void;
  /** Arrivals so far. */
  readonly count: number;
}

const PREFIXES = ['44', '79', '76', '78', '31', '61', '22'] as const;
const TOPICS = ['billing', 'support', 'sales', 'cancellation', 'delivery'] as const;
const LANGS = ['de', 'fr', 'it', 'en'] as const;
const SEGMENTS = ['gold', 'silver', 'bronze'] as const;

/** Start seeded Poisson arrivals: exponential gaps with mean 60000 / perMinute ms. */
export function startArrivals(w: World, o: ArrivalOptions): ArrivalProcess {
  const timing = w.rng('arrivals');
  const data = w.rng('callers');
  const queues = o.queues ?? [...w.queues.keys()];
  const mean = 60_000 / o.perMinute;
  let count = 0;
  let stopped = false;
  const randomCall = (): ArriveOptions => {
    const known = o.knownCallers;
    const from = known !== undefined && known.numbers.length > 0 && data.chance(known.probability) ? data.pick(known.numbers) : `+41${data.pick(PREFIXES)}${data.digits(7)}`;
    const call: ArriveOptions = {
      from,
      queue: data.pick(queues),
      callVariables: { callVariable1: `CUST-${data.digits(6)}`, callVariable2: data.pick(TOPICS) },
    };
    if (data.chance(o.eccProbability ?? 0.5)) call.ecc = { lang: data.pick(LANGS), segment: data.pick(SEGMENTS) };
    if (o.patienceMs !== undefined && o.patienceMs > 0) call.patienceMs = Math.max(1000, timing.exponential(o.patienceMs));
    return call;
  };
  const schedule = (): void => {
    if (stopped || (o.maxCalls !== undefined && count >= o.maxCalls)) return;
    w.clock.setTimeout(() => {
      if (stopped) return;
      count++;
      const call = randomCall();
      w.run(undefined, undefined, () => arrive(w, call));
      schedule();
    }, timing.exponential(mean));
  };
  schedule();
  return {
    stop: () => {
      stopped = true;
    },
    get count() {
      return count;
    },
  };
}

/** Sign the auto agents in (Ready) and make them work by themselves. */
export function installAutoAgents(w: World, o: Required<AutoAgentOptions>): void {
  const rng = w.rng('auto');
  let seq = 0;
  const act = (agent: SimAgent, r: Plain<PlatformRequest>): void => {
    try {
      execute(w, agent, { ...r, requestId: `auto-${++seq}` });
    } catch (err) {
      if (!isSwitchboardError(err)) throw err;
    }
  };
  /** Run `fn` after `ms` unless the leg moved on (ended, or another plan replaced this one). */
  const after = (leg: Leg, ms: number, fn: () => void): void => {
    const token = leg.token;
    w.clock.setTimeout(() => {
      if (leg.token === token && leg.agent.legs.has(leg)) fn();
    }, ms);
  };
  const breakThenReady = (agent: SimAgent): void => {
    const codes = w.reasonCodes('NotReady');
    if (codes.length === 0) return;
    act(agent, { type: 'setAgentState', channelId: agent.channelId, state: 'NotReady', reasonCode: rng.pick(codes).id });
    w.clock.setTimeout(() => {
      if (agent.loggedIn && agent.base.state === 'NotReady') act(agent, { type: 'setAgentState', channelId: agent.channelId, state: 'Ready' });
    }, Math.max(1000, rng.exponential(o.breakTimeMs)));
  };
  const hooks: WorldHooks = {
    offered(leg) {
      after(leg, rng.uniform(o.answerDelayMs[0], o.answerDelayMs[1]), () => {
        if (leg.state === WorkitemState.Offered) act(leg.agent, { type: 'answer', workitemId: leg.workitemId });
      });
    },
    connected(leg) {
      const talk = Math.max(1000, rng.exponential(o.talkTimeMs));
      let endAt = talk;
      if (rng.chance(o.holdProbability)) {
        const holdAt = talk * rng.uniform(0.2, 0.6);
        const holdFor = Math.max(1000, rng.exponential(o.holdTimeMs));
        endAt += holdFor;
        after(leg, holdAt, () => act(leg.agent, { type: 'hold', workitemId: leg.workitemId }));
        after(leg, holdAt + holdFor, () => act(leg.agent, { type: 'resume', workitemId: leg.workitemId }));
      }
      const callerEnds = rng.chance(o.callerHangupProbability);
      after(leg, endAt, () => {
        if (leg.state === WorkitemState.Paused) act(leg.agent, { type: 'resume', workitemId: leg.workitemId });
        if (callerEnds && !leg.call.ended && leg.call.parties.some((p) => p.kind === 'external')) {
          w.run(undefined, undefined, () => callerHangup(w, leg.call));
        } else {
          act(leg.agent, { type: 'end', workitemId: leg.workitemId });
        }
      });
    },
    wrapup(leg) {
      after(leg, rng.uniform(o.wrapupTimeMs[0], o.wrapupTimeMs[1]), () => {
        if (leg.state !== WorkitemState.Wrapup) return;
        const agent = leg.agent;
        const reasons = w.reasonCodes('Wrapup');
        if (reasons.length > 0) act(agent, { type: 'updateData', workitemId: leg.workitemId, data: { wrapUpReason: rng.pick(reasons).label } });
        if (rng.chance(o.breakProbability)) breakThenReady(agent);
        else act(agent, { type: 'setAgentState', channelId: agent.channelId, state: 'Ready' });
      });
    },
    idle(agent) {
      // Without wrap-up an agent is Ready again at hang-up; breaks are decided here instead.
      if (w.options.wrapup === 'off' && rng.chance(o.breakProbability)) w.clock.setTimeout(() => breakThenReady(agent), 0);
    },
  };
  w.hooks = hooks;
  for (const id of o.agents) {
    const agent = w.agents.get(id);
    if (agent === undefined) continue;
    w.run(undefined, undefined, () => {
      agent.loggedIn = true;
      agent.base = { state: 'Ready', reasonCode: -1, label: '' };
      w.touch(agent);
    });
  }
}
