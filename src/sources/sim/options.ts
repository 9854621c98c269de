/**
 * @module sources/sim/options
 * What a simulated contact center is made of (agents, skill queues, reason codes, wrap-up mode,
 * latency, arrivals, auto agents) and the defaults that make a two-line set-up work. Options are
 * checked once, at construction: a bad set-up fails with INVALID_ARGUMENT naming the field,
 * never later as a confusing call failure.
 */
import { ErrorCode, SwitchboardError } from '../../core/errors.js';
import { Flavor, ReasonType, type ReasonCode } from '../../core/model.js';
import type { Clock } from '../../core/clock.js';

/** One agent of the simulated center (seed 001's getChannel fields plus the skills). */
export interface SimAgentConfig {
  id: string;
  extension: string;
  firstName: string;
  lastName: string;
  loginName: string;
  teamId: string;
  /** Ids of the queues (skill groups / CSQs) the ACD may route to this agent. */
  skills: string[];
}

/** One skill queue. */
export interface SimQueueConfig {
  id: string;
  name: string;
  /** Number callers dial to reach this queue (ctiData dialedNumber and DNIS). Default `80055501<nn>`. */
  dialedNumber?: string;
  /** callsInQueue at or above which escalationLevel is Warn (default 3). */
  warnCallsInQueue?: number;
  /** callsInQueue at or above which escalationLevel is Critical (default 6). */
  criticalCallsInQueue?: number;
}

/**
 * Wrap-up after a customer call. `required`: the item always goes Wrapup, and the agent cannot
 * leave wrap-up by changing state until a wrap-up reason is set (the timeout still ends it).
 * `optional`: the item goes Wrapup, and any state change ends it. `off`: the item ends at hang-up.
 */
export type WrapupMode = 'required' | 'optional' | 'off';

/** Seeded random inbound traffic. */
export interface ArrivalOptions {
  /** Mean arrivals per minute (a Poisson process). */
  perMinute: number;
  /** Queues the calls go to, chosen uniformly (default: every queue). */
  queues?: string[];
  /** Mean caller patience (exponential): a call still queued or ringing then abandons. Default: callers wait forever. */
  patienceMs?: number;
  /** Stop after this many arrivals (default: never). */
  maxCalls?: number;
  /** Probability that a call carries ECC variables (`user.lang`, `user.segment`); default 0.5. */
  eccProbability?: number;
  /**
   * Callers the CRM knows (the demo's directory): this share of the calls comes from one of
   * these numbers, the rest from random ones. Absent: every caller is random (and the random
   * stream is exactly what it was without this option).
   */
  knownCallers?: { numbers: string[]; probability: number };
}

/** Agents that work by themselves: for demos and for load (benchmarks). */
export interface AutoAgentOptions {
  /** Agent ids that work by themselves (default: every agent). They sign in Ready at start. */
  agents?: string[];
  /** Delay before answering an offered call, uniform in [min, max] ms. Default [1000, 4000]. */
  answerDelayMs?: [number, number];
  /** Mean talk time (exponential, at least 1 s). Default 120000. */
  talkTimeMs?: number;
  /** Probability that a call is put on hold once. Default 0.2. */
  holdProbability?: number;
  /** Mean hold time. Default 20000. */
  holdTimeMs?: number;
  /** Probability that the caller, not the agent, hangs up. Default 0.5. */
  callerHangupProbability?: number;
  /** Wrap-up time before going Ready again, uniform in [min, max] ms. Default [5000, 20000]. */
  wrapupTimeMs?: [number, number];
  /** Probability of a NotReady break after a call. Default 0.05. */
  breakProbability?: number;
  /** Mean break length. Default 300000. */
  breakTimeMs?: number;
}

/** How far ends (external numbers) behave on outbound and consult calls. */
export interface FarEndOptions {
  /** Delay until the far end rings (item Initiated → Offered). Default 1000 ms. */
  ringAfterMs?: number;
  /** If set, the far end answers by itself after a delay uniform in [min, max] ms; otherwise only `farEndAnswer()` answers. */
  answerAfterMs?: [number, number];
}

/** Which addresses are extensions and which are outside numbers. */
export interface DialPlan {
  /** Internal extensions: an address matching this but assigned to no agent is an unknown destination. Default: the lengths of the configured extensions. */
  internal?: RegExp;
  /** Outside numbers that can be dialled. Default `^\+?[0-9]{3,20}$`. */
  external?: RegExp;
}

export interface SimContactCenterOptions {
  /** All time and timers come from here; never the wall clock. */
  clock: Clock;
  /** Seed of every random draw (default 1). Same seed and same inputs give the same updates. */
  seed?: number;
  flavor?: Flavor;
  agents: SimAgentConfig[];
  queues: SimQueueConfig[];
  /** Reason codes per type; NotReady and Logout ids must be integers (they become `reasonCode`). */
  reasonCodes?: Partial<Record<ReasonType, ReasonCode[]>>;
  wrapup?: WrapupMode;
  /** Wrap-up ends by itself after this long (default 120000; 0 = never). */
  wrapupTimeoutMs?: number;
  /** Delay between a request being accepted and its updates (default 0, still asynchronous). */
  latencyMs?: number;
  /** UCCE peripheral id in the channel id `voice_<peripheralId>` (default 5000). */
  peripheralId?: number;
  arrivals?: ArrivalOptions;
  /** `true` for default behaviour of every agent. */
  autoAgents?: AutoAgentOptions | boolean;
  farEnd?: FarEndOptions;
  dialPlan?: DialPlan;
  /** Publish queue statistics at most this often (Finesse: every 10 s when changed). Default 0: at every change. */
  queueUpdateIntervalMs?: number;
  /** Told when an update listener throws; the simulator carries on either way. Default: `console.error`. */
  onEmitError?: (error: unknown) => void;
}

export const DEFAULT_REASON_CODES: Readonly<Record<ReasonType, readonly ReasonCode[]>> = {
  NotReady: [
    { id: '1', label: 'Break' },
    { id: '2', label: 'Lunch' },
    { id: '3', label: 'Meeting' },
    { id: '4', label: 'Training' },
    { id: '5', label: 'Back office' },
  ],
  Logout: [
    { id: '20', label: 'End of shift' },
    { id: '21', label: 'Sick' },
  ],
  Wrapup: [
    { id: '101', label: 'Sales' },
    { id: '102', label: 'Support' },
    { id: '103', label: 'Complaint' },
    { id: '104', label: 'Information' },
  ],
};

/** Options after defaults, as the simulator uses them. */
export interface ResolvedOptions {
  clock: Clock;
  seed: number;
  flavor: Flavor;
  agents: SimAgentConfig[];
  queues: SimQueueConfig[];
  reasonCodes: Record<ReasonType, ReasonCode[]>;
  wrapup: WrapupMode;
  wrapupTimeoutMs: number;
  latencyMs: number;
  peripheralId: number;
  arrivals: ArrivalOptions | undefined;
  autoAgents: Required<AutoAgentOptions> | undefined;
  farEnd: { ringAfterMs: number; answerAfterMs: [number, number] | undefined };
  dialPlan: { internal: RegExp; external: RegExp };
  queueUpdateIntervalMs: number;
  onEmitError: (error: unknown) => void;
}

function bad(message: string): never {
  throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `sim options: ${message}`);
}

function nonNegative(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) bad(`${name} must be a finite number >= 0 (got ${String(value)})`);
  return value;
}

function range(value: [number, number] | undefined, name: string, fallback: [number, number]): [number, number] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0) || value[0] > value[1]) {
    bad(`${name} must be [min, max] with 0 <= min <= max (got ${JSON.stringify(value)})`);
  }
  return [value[0], value[1]];
}

function probability(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) bad(`${name} must be between 0 and 1 (got ${String(value)})`);
  return value;
}

const STR_FIELDS = ['id', 'extension', 'firstName', 'lastName', 'loginName', 'teamId'] as const;

/** Apply defaults and check everything; throws INVALID_ARGUMENT naming the offending field. */
export function resolveOptions(o: SimContactCenterOptions): ResolvedOptions {
  if (typeof o !== 'object' || o === null) bad('options must be an object');
  if (o.clock === undefined) bad('clock is required');
  const flavor = o.flavor ?? Flavor.UCCE;
  if (flavor !== Flavor.UCCE && flavor !== Flavor.UCCX) bad(`flavor must be UCCE or UCCX (got ${JSON.stringify(flavor)})`);
  if (!Array.isArray(o.queues) || o.queues.length === 0) bad('queues must be a non-empty array');
  if (!Array.isArray(o.agents) || o.agents.length === 0) bad('agents must be a non-empty array');
  const queueIds = new Set<string>();
  o.queues.forEach((q, i) => {
    if (typeof q?.id !== 'string' || q.id === '') bad(`queues[${i}].id must be a non-empty string`);
    if (typeof q.name !== 'string' || q.name === '') bad(`queues[${i}].name must be a non-empty string`);
    if (queueIds.has(q.id)) bad(`queues[${i}].id "${q.id}" is used twice`);
    queueIds.add(q.id);
    nonNegative(q.warnCallsInQueue, `queues[${i}].warnCallsInQueue`, 0);
    nonNegative(q.criticalCallsInQueue, `queues[${i}].criticalCallsInQueue`, 0);
  });
  const agentIds = new Set<string>();
  const extensions = new Set<string>();
  o.agents.forEach((a, i) => {
    for (const f of STR_FIELDS) if (typeof a?.[f] !== 'string') bad(`agents[${i}].${f} must be a string`);
    if (a.id === '') bad(`agents[${i}].id must not be empty`);
    if (!/^[0-9]+$/.test(a.extension)) bad(`agents[${i}].extension must be digits (got "${a.extension}")`);
    if (agentIds.has(a.id)) bad(`agents[${i}].id "${a.id}" is used twice`);
    if (extensions.has(a.extension)) bad(`agents[${i}].extension "${a.extension}" is used twice`);
    agentIds.add(a.id);
    extensions.add(a.extension);
    if (!Array.isArray(a.skills)) bad(`agents[${i}].skills must be an array of queue ids`);
    for (const s of a.skills) if (!queueIds.has(s)) bad(`agents[${i}].skills names unknown queue "${s}"`);
  });
  const reasonCodes: Record<ReasonType, ReasonCode[]> = {
    NotReady: [...(o.reasonCodes?.NotReady ?? DEFAULT_REASON_CODES.NotReady)],
    Logout: [...(o.reasonCodes?.Logout ?? DEFAULT_REASON_CODES.Logout)],
    Wrapup: [...(o.reasonCodes?.Wrapup ?? DEFAULT_REASON_CODES.Wrapup)],
  };
  for (const type of [ReasonType.NotReady, ReasonType.Logout, ReasonType.Wrapup]) {
    reasonCodes[type].forEach((r, i) => {
      if (typeof r?.id !== 'string' || typeof r.label !== 'string') bad(`reasonCodes.${type}[${i}] needs string "id" and "label"`);
      if (type !== ReasonType.Wrapup && !/^[0-9]+$/.test(r.id)) bad(`reasonCodes.${type}[${i}].id must be a non-negative integer (got "${r.id}")`);
    });
  }
  const wrapup = o.wrapup ?? 'optional';
  if (wrapup !== 'required' && wrapup !== 'optional' && wrapup !== 'off') bad(`wrapup must be required, optional or off (got ${JSON.stringify(wrapup)})`);
  let arrivals: ArrivalOptions | undefined;
  if (o.arrivals !== undefined) {
    const a = o.arrivals;
    if (typeof a.perMinute !== 'number' || !(a.perMinute > 0) || !Number.isFinite(a.perMinute)) bad(`arrivals.perMinute must be a number > 0 (got ${String(a.perMinute)})`);
    for (const q of a.queues ?? []) if (!queueIds.has(q)) bad(`arrivals.queues names unknown queue "${q}"`);
    if (a.queues !== undefined && a.queues.length === 0) bad('arrivals.queues must not be empty');
    nonNegative(a.patienceMs, 'arrivals.patienceMs', 0);
    nonNegative(a.maxCalls, 'arrivals.maxCalls', 0);
    probability(a.eccProbability, 'arrivals.eccProbability', 0.5);
    if (a.knownCallers !== undefined) {
      probability(a.knownCallers.probability, 'arrivals.knownCallers.probability', 0);
      if (!Array.isArray(a.knownCallers.numbers) || a.knownCallers.numbers.some((n) => typeof n !== 'string' || n === '')) bad('arrivals.knownCallers.numbers must be non-empty strings');
    }
    arrivals = { ...a, ...(a.knownCallers !== undefined ? { knownCallers: { numbers: [...a.knownCallers.numbers], probability: a.knownCallers.probability } } : {}) };
  }
  let autoAgents: Required<AutoAgentOptions> | undefined;
  if (o.autoAgents !== undefined && o.autoAgents !== false) {
    const a: AutoAgentOptions = o.autoAgents === true ? {} : o.autoAgents;
    for (const id of a.agents ?? []) if (!agentIds.has(id)) bad(`autoAgents.agents names unknown agent "${id}"`);
    autoAgents = {
      agents: a.agents ?? o.agents.map((x) => x.id),
      answerDelayMs: range(a.answerDelayMs, 'autoAgents.answerDelayMs', [1000, 4000]),
      talkTimeMs: nonNegative(a.talkTimeMs, 'autoAgents.talkTimeMs', 120_000),
      holdProbability: probability(a.holdProbability, 'autoAgents.holdProbability', 0.2),
      holdTimeMs: nonNegative(a.holdTimeMs, 'autoAgents.holdTimeMs', 20_000),
      callerHangupProbability: probability(a.callerHangupProbability, 'autoAgents.callerHangupProbability', 0.5),
      wrapupTimeMs: range(a.wrapupTimeMs, 'autoAgents.wrapupTimeMs', [5000, 20_000]),
      breakProbability: probability(a.breakProbability, 'autoAgents.breakProbability', 0.05),
      breakTimeMs: nonNegative(a.breakTimeMs, 'autoAgents.breakTimeMs', 300_000),
    };
  }
  const lengths = [...new Set(o.agents.map((a) => a.extension.length))].sort((x, y) => x - y);
  const seed = o.seed ?? 1;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) bad(`seed must be a finite number (got ${String(seed)})`);
  const peripheralId = o.peripheralId ?? 5000;
  if (!Number.isInteger(peripheralId)) bad(`peripheralId must be an integer (got ${String(peripheralId)})`);
  return {
    clock: o.clock,
    seed,
    flavor,
    agents: o.agents.map((a) => ({ ...a, skills: [...a.skills] })),
    queues: o.queues.map((q) => ({ ...q })),
    reasonCodes,
    wrapup,
    wrapupTimeoutMs: nonNegative(o.wrapupTimeoutMs, 'wrapupTimeoutMs', 120_000),
    latencyMs: nonNegative(o.latencyMs, 'latencyMs', 0),
    peripheralId,
    arrivals,
    autoAgents,
    farEnd: {
      ringAfterMs: nonNegative(o.farEnd?.ringAfterMs, 'farEnd.ringAfterMs', 1000),
      answerAfterMs: o.farEnd?.answerAfterMs === undefined ? undefined : range(o.farEnd.answerAfterMs, 'farEnd.answerAfterMs', [0, 0]),
    },
    dialPlan: {
      internal: o.dialPlan?.internal ?? new RegExp(`^[0-9]{${lengths.join('}$|^[0-9]{')}}$`),
      external: o.dialPlan?.external ?? /^\+?[0-9]{3,20}$/,
    },
    queueUpdateIntervalMs: nonNegative(o.queueUpdateIntervalMs, 'queueUpdateIntervalMs', 0),
    onEmitError: o.onEmitError ?? ((error: unknown) => console.error('sim: an update listener threw', error)),
  };
}
