/**
 * @module sources/sim/acd
 * The automatic call distributor and the queue statistics it keeps. Routing rule: the
 * longest-waiting call goes to the longest-idle Ready agent with the skill. Both lists are kept
 * in arrival order so that each routing decision costs O(skills), not O(agents) or O(calls):
 * waiting calls in a FIFO per queue (abandoned ones are skipped lazily), idle agents in an
 * insertion-ordered Map per queue (an agent re-enters at the back when it becomes idle again).
 *
 * Statistics are seed 001's `statistics` object, kept as counters that move when an agent
 * changes bucket, so publishing a queue never walks its agents.
 */
import { EscalationLevel, type QueueData, type QueueStatistics } from '../../core/model.js';
import type { Call, SimAgent, StatKey } from './model.js';
import type { SimQueueConfig } from './options.js';

/** A queue with its waiting calls, idle agents and statistics counters. */
export class AcdQueue {
  readonly id: string;
  readonly name: string;
  readonly dialedNumber: string;
  readonly members: SimAgent[] = [];
  /** Idle agents, longest idle first. */
  readonly idle = new Map<string, SimAgent>();
  private waitingCalls: Call[] = [];
  private head = 0;
  private waitingCount = 0;
  private readonly counts: Record<StatKey, number> = {
    agentsNotReady: 0,
    agentsReady: 0,
    agentsTalkingInbound: 0,
    agentsTalkingInternal: 0,
    agentsTalkingOutbound: 0,
    agentsWrapUpNotReady: 0,
    agentsWrapUpReady: 0,
  };
  /** Last published data and its version (bumped only when the data really changed). */
  data: QueueData;
  version = 0;
  dirty = false;

  constructor(
    readonly config: SimQueueConfig,
    index: number,
  ) {
    this.id = config.id;
    this.name = config.name;
    this.dialedNumber = config.dialedNumber ?? `80055501${String(index + 1).padStart(2, '0')}`;
    this.data = this.compute();
  }

  get callsWaiting(): number {
    return this.waitingCount;
  }

  enqueue(call: Call): void {
    this.waitingCalls.push(call);
    this.waitingCount++;
    this.dirty = true;
  }

  /** Take a call off the waiting list (routed or abandoned); the FIFO slot is skipped later. */
  dequeue(call: Call): void {
    call.waiting = false;
    this.waitingCount--;
    this.dirty = true;
  }

  /** The longest-waiting call, or undefined. */
  oldest(): Call | undefined {
    while (this.head < this.waitingCalls.length) {
      const call = this.waitingCalls[this.head];
      if (call !== undefined && call.waiting && call.queue === this) return call;
      this.head++;
    }
    if (this.head > 0) {
      this.waitingCalls = [];
      this.head = 0;
    }
    return undefined;
  }

  /** The longest-idle agent, or undefined. */
  longestIdle(): SimAgent | undefined {
    for (const agent of this.idle.values()) return agent;
    return undefined;
  }

  move(from: StatKey | undefined, to: StatKey | undefined): void {
    if (from === to) return;
    if (from !== undefined) this.counts[from]--;
    if (to !== undefined) this.counts[to]++;
    this.dirty = true;
  }

  /** Recompute the published data; true when it changed (then `version` moved on). */
  refresh(): boolean {
    this.dirty = false;
    const next = this.compute();
    if (sameQueueData(this.data, next)) return false;
    this.data = next;
    this.version++;
    return true;
  }

  /** The figures as they are now (published or not). */
  compute(): QueueData {
    const first = this.oldest();
    const statistics: QueueStatistics = {
      ...this.counts,
      callsInQueue: this.waitingCount,
      startTimeOfLongestCallInQueue: first === undefined ? '' : new Date(first.enqueuedAt).toISOString(),
    };
    const warn = this.config.warnCallsInQueue ?? 3;
    const critical = this.config.criticalCallsInQueue ?? 6;
    const n = this.waitingCount;
    const escalationLevel = n >= critical ? EscalationLevel.Critical : n >= warn ? EscalationLevel.Warn : EscalationLevel.Normal;
    return { id: this.id, name: this.name, channel: 'Voice', escalationLevel, statistics };
  }
}

function sameQueueData(a: QueueData, b: QueueData): boolean {
  if (a.escalationLevel !== b.escalationLevel) return false;
  const x = a.statistics;
  const y = b.statistics;
  return (
    x.agentsNotReady === y.agentsNotReady &&
    x.agentsReady === y.agentsReady &&
    x.agentsTalkingInbound === y.agentsTalkingInbound &&
    x.agentsTalkingInternal === y.agentsTalkingInternal &&
    x.agentsTalkingOutbound === y.agentsTalkingOutbound &&
    x.agentsWrapUpNotReady === y.agentsWrapUpNotReady &&
    x.agentsWrapUpReady === y.agentsWrapUpReady &&
    x.callsInQueue === y.callsInQueue &&
    x.startTimeOfLongestCallInQueue === y.startTimeOfLongestCallInQueue
  );
}

/** The longest-waiting call over all of an agent's queues (ties: first enqueued). */
export function oldestFor(queues: readonly AcdQueue[]): Call | undefined {
  let best: Call | undefined;
  for (const q of queues) {
    const c = q.oldest();
    if (c !== undefined && (best === undefined || c.enqueuedAt < best.enqueuedAt || (c.enqueuedAt === best.enqueuedAt && c.waitSeq < best.waitSeq))) best = c;
  }
  return best;
}
