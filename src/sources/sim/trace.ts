/**
 * @module sources/sim/trace
 * The simulator's trace format for `switchboard replay --source sim` (documented with a full
 * example in docs/sim-trace.md). JSON Lines, one command per line, each with the ISO time it
 * happens at: an optional `setup` first, then world commands (a caller arrives, abandons,
 * hangs up; a dialled number answers) and agent commands, which become `source.request(...)`
 * calls of that agent's Source, exactly as a desktop would send them.
 *
 * Calls are named by the trace (`"call": "c1"`); the runner maps names to the simulator's ids.
 * An agent command without a call name picks the agent's only item in the state the command
 * needs (answer: the Offered one; hold, consult, transfer targets: the Active one; ...), and
 * fails, naming the line, when there is none or more than one.
 *
 * Parsing never throws: a bad line comes back as `{ error }` naming the line and the problem.
 */
import { SimulatedClock, type Clock } from '../../core/clock.js';
import { ErrorCode, SwitchboardError, isSwitchboardError, toSwitchboardError } from '../../core/errors.js';
import {
  Classification,
  Direction,
  Flavor,
  RequestableAgentState,
  WorkitemState,
  type ReasonCode,
  type ReasonType,
} from '../../core/model.js';
import type { PlatformRequest } from '../../core/source.js';
import { SimContactCenter, type SimWorkitemView } from './contact-center.js';
import {
  resolveOptions,
  type ArrivalOptions,
  type AutoAgentOptions,
  type FarEndOptions,
  type SimAgentConfig,
  type SimContactCenterOptions,
  type SimQueueConfig,
  type WrapupMode,
} from './options.js';

/** An agent in a setup line: only `id`, `extension` and `skills` are required. */
export type SimSetupAgent = Pick<SimAgentConfig, 'id' | 'extension' | 'skills'> & Partial<SimAgentConfig>;

/** The contact center a trace runs against (the `setup` line, without `at` and `kind`). */
export interface SimSetup {
  flavor?: Flavor;
  seed?: number;
  wrapup?: WrapupMode;
  wrapupTimeoutMs?: number;
  latencyMs?: number;
  peripheralId?: number;
  agents: SimSetupAgent[];
  queues: SimQueueConfig[];
  reasonCodes?: Partial<Record<ReasonType, ReasonCode[]>>;
  arrivals?: ArrivalOptions;
  autoAgents?: AutoAgentOptions | boolean;
  farEnd?: FarEndOptions;
}

/** The set-up used when a trace has no `setup` line: two agents, two queues, UCCE. */
export const DEFAULT_SIM_SETUP: SimSetup = {
  flavor: Flavor.UCCE,
  seed: 1,
  wrapup: 'optional',
  agents: [
    { id: '1001', extension: '1001001', firstName: 'Ada', lastName: 'Meier', loginName: 'ameier', teamId: 'team1', skills: ['sales', 'support'] },
    { id: '1002', extension: '1002001', firstName: 'Ben', lastName: 'Keller', loginName: 'bkeller', teamId: 'team1', skills: ['support'] },
  ],
  queues: [
    { id: 'sales', name: 'Sales' },
    { id: 'support', name: 'Support' },
  ],
};

interface Line {
  /** ms since the epoch. */
  at: number;
  /** 1-based line number in the trace. */
  line: number;
}
interface AgentLine extends Line {
  agent: string;
  requestId?: string;
}

/** One parsed trace line. */
export type SimTraceCommand =
  | (Line & { kind: 'setup'; setup: SimSetup })
  | (Line & { kind: 'wait' })
  | (Line & { kind: 'arrive'; call?: string; from: string; queue: string; dnis?: string; callVariables?: Record<string, string>; ecc?: Record<string, string> })
  | (Line & { kind: 'abandon'; call: string })
  | (Line & { kind: 'hangup'; call: string; address?: string })
  | (Line & { kind: 'farEndAnswer'; call: string })
  | (AgentLine & { kind: 'login'; state?: 'Ready' | 'NotReady'; reasonCode?: string })
  | (AgentLine & { kind: 'state'; state: RequestableAgentState; reasonCode?: string })
  | (AgentLine & { kind: 'logout'; reasonCode?: string })
  | (AgentLine & { kind: 'answer' | 'hold' | 'retrieve' | 'end'; call?: string })
  | (AgentLine & { kind: 'dial'; to: string; as?: string })
  | (AgentLine & { kind: 'consult'; to: string; call?: string; as?: string })
  | (AgentLine & { kind: 'transfer' | 'conference'; call?: string; consult?: string })
  | (AgentLine & { kind: 'blindTransfer' | 'sstConference'; to: string; call?: string })
  | (AgentLine & { kind: 'dtmf'; digits: string; call?: string })
  | (AgentLine & { kind: 'data'; data: Record<string, string>; call?: string })
  | (AgentLine & { kind: 'wrapup'; reason: string; call?: string });

export type SimTraceKind = SimTraceCommand['kind'];

// ---- parsing ------------------------------------------------------------------------------------

type FieldType = 'string' | 'record' | 'state' | 'loginState';
/** Fields per kind beyond `at` and `kind`; a `?` suffix marks an optional one. */
const FIELDS: Record<Exclude<SimTraceKind, 'setup'>, Record<string, `${FieldType}${'' | '?'}`>> = {
  wait: {},
  arrive: { call: 'string?', from: 'string', queue: 'string', dnis: 'string?', callVariables: 'record?', ecc: 'record?' },
  abandon: { call: 'string' },
  hangup: { call: 'string', address: 'string?' },
  farEndAnswer: { call: 'string' },
  login: { agent: 'string', requestId: 'string?', state: 'loginState?', reasonCode: 'string?' },
  state: { agent: 'string', requestId: 'string?', state: 'state', reasonCode: 'string?' },
  logout: { agent: 'string', requestId: 'string?', reasonCode: 'string?' },
  answer: { agent: 'string', requestId: 'string?', call: 'string?' },
  hold: { agent: 'string', requestId: 'string?', call: 'string?' },
  retrieve: { agent: 'string', requestId: 'string?', call: 'string?' },
  end: { agent: 'string', requestId: 'string?', call: 'string?' },
  dial: { agent: 'string', requestId: 'string?', to: 'string', as: 'string?' },
  consult: { agent: 'string', requestId: 'string?', to: 'string', call: 'string?', as: 'string?' },
  transfer: { agent: 'string', requestId: 'string?', call: 'string?', consult: 'string?' },
  conference: { agent: 'string', requestId: 'string?', call: 'string?', consult: 'string?' },
  blindTransfer: { agent: 'string', requestId: 'string?', to: 'string', call: 'string?' },
  sstConference: { agent: 'string', requestId: 'string?', to: 'string', call: 'string?' },
  dtmf: { agent: 'string', requestId: 'string?', digits: 'string', call: 'string?' },
  data: { agent: 'string', requestId: 'string?', data: 'record', call: 'string?' },
  wrapup: { agent: 'string', requestId: 'string?', reason: 'string', call: 'string?' },
};
const SETUP_FIELDS = new Set(['flavor', 'seed', 'wrapup', 'wrapupTimeoutMs', 'latencyMs', 'peripheralId', 'agents', 'queues', 'reasonCodes', 'arrivals', 'autoAgents', 'farEnd']);
const KINDS = ['setup', ...Object.keys(FIELDS)];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkField(name: string, spec: string, value: unknown): string | undefined {
  const optional = spec.endsWith('?');
  const type = optional ? spec.slice(0, -1) : spec;
  if (value === undefined) return optional ? undefined : `"${name}" is required`;
  switch (type) {
    case 'string':
      return typeof value === 'string' && value !== '' ? undefined : `"${name}" must be a non-empty string (got ${JSON.stringify(value)})`;
    case 'record':
      if (!isObject(value)) return `"${name}" must be an object of strings`;
      for (const [k, v] of Object.entries(value)) if (typeof v !== 'string') return `"${name}.${k}" must be a string (got ${JSON.stringify(v)})`;
      return undefined;
    case 'state':
      return value === 'Ready' || value === 'NotReady' || value === 'Logout' ? undefined : `"${name}" must be Ready, NotReady or Logout (got ${JSON.stringify(value)})`;
    case 'loginState':
      return value === 'Ready' || value === 'NotReady' ? undefined : `"${name}" must be Ready or NotReady (got ${JSON.stringify(value)})`;
    default:
      return `"${name}" has an unknown type`;
  }
}

/** Agents of a setup with the optional desktop fields filled in. */
function completeAgents(agents: SimSetupAgent[]): SimAgentConfig[] {
  return agents.map((a) => ({
    id: a.id,
    extension: a.extension,
    firstName: a.firstName ?? 'Agent',
    lastName: a.lastName ?? a.id,
    loginName: a.loginName ?? `agent${a.id}`,
    teamId: a.teamId ?? 'team1',
    skills: a.skills,
  }));
}

function setupOptions(setup: SimSetup, clock: Clock): SimContactCenterOptions {
  const o: SimContactCenterOptions = { clock, agents: Array.isArray(setup.agents) ? completeAgents(setup.agents) : setup.agents, queues: setup.queues };
  if (setup.flavor !== undefined) o.flavor = setup.flavor;
  if (setup.seed !== undefined) o.seed = setup.seed;
  if (setup.wrapup !== undefined) o.wrapup = setup.wrapup;
  if (setup.wrapupTimeoutMs !== undefined) o.wrapupTimeoutMs = setup.wrapupTimeoutMs;
  if (setup.latencyMs !== undefined) o.latencyMs = setup.latencyMs;
  if (setup.peripheralId !== undefined) o.peripheralId = setup.peripheralId;
  if (setup.reasonCodes !== undefined) o.reasonCodes = setup.reasonCodes;
  if (setup.arrivals !== undefined) o.arrivals = setup.arrivals;
  if (setup.autoAgents !== undefined) o.autoAgents = setup.autoAgents;
  if (setup.farEnd !== undefined) o.farEnd = setup.farEnd;
  return o;
}

function parseSetup(o: Record<string, unknown>): SimSetup | string {
  for (const k of Object.keys(o)) if (k !== 'at' && k !== 'kind' && !SETUP_FIELDS.has(k)) return `unknown setup field "${k}" (known: ${[...SETUP_FIELDS].join(', ')})`;
  if (!Array.isArray(o.agents)) return '"agents" must be an array';
  for (const [i, a] of o.agents.entries()) {
    if (!isObject(a)) return `agents[${i}] must be an object`;
    if (typeof a.id !== 'string' || typeof a.extension !== 'string' || !Array.isArray(a.skills)) return `agents[${i}] needs "id", "extension" and "skills"`;
  }
  const { at: _at, kind: _kind, ...rest } = o;
  const setup = rest as unknown as SimSetup;
  try {
    // The simulator's own option checks, so a bad setup is reported with its line.
    resolveOptions(setupOptions(setup, new SimulatedClock(0)));
  } catch (err) {
    return isSwitchboardError(err) ? err.message : String(err);
  }
  return setup;
}

/**
 * Parse one line of a sim trace. Never throws: a bad line gives `{ error }` with the line
 * number and what is wrong.
 *
 * @example
 * const cmd = parseSimTraceLine('{"at":"2026-01-05T09:00:00Z","kind":"login","agent":"1001"}', 1);
 * if ('error' in cmd) console.error(cmd.error);
 */
export function parseSimTraceLine(text: string, lineNo: number): SimTraceCommand | { error: string } {
  const where = `line ${lineNo}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: `${where}: not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  if (!isObject(value)) return { error: `${where}: a trace line must be a JSON object` };
  if (typeof value.at !== 'string' || Number.isNaN(Date.parse(value.at))) {
    return { error: `${where}: "at" must be an ISO 8601 time (got ${JSON.stringify(value.at)})` };
  }
  const at = Date.parse(value.at);
  const kind = value.kind;
  if (typeof kind !== 'string' || !KINDS.includes(kind)) return { error: `${where}: unknown kind ${JSON.stringify(kind)} (known: ${KINDS.join(', ')})` };
  if (kind === 'setup') {
    const setup = parseSetup(value);
    return typeof setup === 'string' ? { error: `${where}: ${setup}` } : { kind: 'setup', at, line: lineNo, setup };
  }
  const fields = FIELDS[kind as Exclude<SimTraceKind, 'setup'>];
  for (const k of Object.keys(value)) {
    if (k !== 'at' && k !== 'kind' && fields[k] === undefined) return { error: `${where}: unknown field "${k}" for kind "${kind}" (known: ${Object.keys(fields).join(', ') || 'none'})` };
  }
  for (const [name, spec] of Object.entries(fields)) {
    const problem = checkField(name, spec, value[name]);
    if (problem !== undefined) return { error: `${where}: ${kind}: ${problem}` };
  }
  return { ...value, at, line: lineNo, kind } as SimTraceCommand;
}

// ---- running ------------------------------------------------------------------------------------

/**
 * A simulator built from a setup (a trace's first line, or {@link DEFAULT_SIM_SETUP}). Set the
 * clock to the trace's start first: timers (arrivals, auto agents) start from `clock.now()`.
 *
 * @example
 * const clock = new SimulatedClock(Date.parse('2026-01-05T09:00:00Z'));
 * const cc = createSimFromSetup(DEFAULT_SIM_SETUP, clock);
 */
export function createSimFromSetup(setup: SimSetup, clock: Clock): SimContactCenter {
  return new SimContactCenter(setupOptions(setup, clock));
}

type AgentCommand = Extract<SimTraceCommand, { agent: string }>;

/**
 * Carries out parsed trace commands against a simulator, in order, moving the clock to each
 * line's time first (never backwards). Agent commands go through the agent's Source with
 * `requestId` = the line's `requestId` or `line-<n>`. Updates a command causes are delivered
 * before `apply` resolves when latency is 0 (else when the clock reaches them; {@link finish}
 * delivers the rest).
 *
 * @example
 * const runner = new SimTraceRunner(cc, clock);
 * for (const [i, text] of lines.entries()) {
 *   const cmd = parseSimTraceLine(text, i + 1);
 *   if ('error' in cmd) { console.error(cmd.error); continue; }
 *   await runner.apply(cmd);
 * }
 * runner.finish();
 */
export class SimTraceRunner {
  private readonly names = new Map<string, string>();
  private applied = 0;
  private last: { at: number; line: number } | undefined;

  constructor(
    readonly cc: SimContactCenter,
    readonly clock: SimulatedClock,
  ) {}

  /** The simulator's id for a call the trace named (or the name itself, if it is an id). */
  callId(name: string): string {
    return this.names.get(name) ?? name;
  }

  /** Carry out one command; rejects with a SwitchboardError whose message starts with the line. */
  async apply(cmd: SimTraceCommand): Promise<void> {
    const first = this.applied === 0;
    this.applied++;
    try {
      this.moveClock(cmd);
      await this.run(cmd, first);
      // Deliver what is due now: with latency 0 the command's own updates.
      this.clock.set(this.clock.now());
    } catch (err) {
      const e = toSwitchboardError(err, ErrorCode.INTERNAL);
      throw new SwitchboardError(e.code, e.message.startsWith(`line ${cmd.line}:`) ? e.message : `line ${cmd.line}: ${e.message}`, { requestId: e.requestId, cause: err });
    }
  }

  /** Let pending updates (latency) reach their sessions: the clock moves on by the latency. */
  finish(): void {
    this.clock.set(this.clock.now() + this.cc.latencyMs);
  }

  private moveClock(cmd: SimTraceCommand): void {
    const prev = this.last;
    if (prev !== undefined && cmd.at < prev.at) {
      throw new SwitchboardError(ErrorCode.PARSE_ERROR, `line ${cmd.line}: time ${new Date(cmd.at).toISOString()} is earlier than line ${prev.line} (${new Date(prev.at).toISOString()})`);
    }
    if (cmd.at < this.clock.now()) {
      throw new SwitchboardError(ErrorCode.PARSE_ERROR, `line ${cmd.line}: time ${new Date(cmd.at).toISOString()} is earlier than the simulator's clock (${new Date(this.clock.now()).toISOString()})`);
    }
    this.last = { at: cmd.at, line: cmd.line };
    this.clock.set(cmd.at);
  }

  private async run(cmd: SimTraceCommand, first: boolean): Promise<void> {
    switch (cmd.kind) {
      case 'setup':
        if (!first) throw new SwitchboardError(ErrorCode.PARSE_ERROR, `line ${cmd.line}: a setup line is only allowed first`);
        return;
      case 'wait':
        return;
      case 'arrive': {
        const opts: Parameters<SimContactCenter['arrive']>[0] = { from: cmd.from, queue: cmd.queue };
        if (cmd.dnis !== undefined) opts.dnis = cmd.dnis;
        if (cmd.callVariables !== undefined) opts.callVariables = cmd.callVariables;
        if (cmd.ecc !== undefined) opts.ecc = cmd.ecc;
        const id = this.cc.arrive(opts);
        if (cmd.call !== undefined) this.names.set(cmd.call, id);
        return;
      }
      case 'abandon':
        return this.cc.abandon(this.callId(cmd.call));
      case 'hangup':
        return this.cc.callerHangup(this.callId(cmd.call), cmd.address);
      case 'farEndAnswer':
        return this.cc.farEndAnswer(this.callId(cmd.call));
      default:
        return this.agentCommand(cmd);
    }
  }

  private async agentCommand(cmd: AgentCommand): Promise<void> {
    const requestId = cmd.requestId ?? `line-${cmd.line}`;
    const source = this.cc.source(cmd.agent);
    const agent = this.cc.agent(cmd.agent);
    const channelId = agent.channelId;
    const pick = (wanted: WorkitemState[], what: string): string => this.pick(cmd, wanted, what);
    let request: PlatformRequest;
    switch (cmd.kind) {
      case 'login':
        request = { type: 'setAgentState', channelId, state: cmd.state ?? RequestableAgentState.Ready, requestId, ...(cmd.reasonCode !== undefined ? { reasonCode: cmd.reasonCode } : {}) };
        break;
      case 'state':
        request = { type: 'setAgentState', channelId, state: cmd.state, requestId, ...(cmd.reasonCode !== undefined ? { reasonCode: cmd.reasonCode } : {}) };
        break;
      case 'logout':
        request = { type: 'setAgentState', channelId, state: RequestableAgentState.Logout, requestId, ...(cmd.reasonCode !== undefined ? { reasonCode: cmd.reasonCode } : {}) };
        break;
      case 'answer':
        request = { type: 'answer', workitemId: pick([WorkitemState.Offered], 'to answer'), requestId };
        break;
      case 'hold':
        request = { type: 'hold', workitemId: pick([WorkitemState.Active], 'to hold'), requestId };
        break;
      case 'retrieve':
        request = { type: 'resume', workitemId: pick([WorkitemState.Paused], 'to retrieve'), requestId };
        break;
      case 'end':
        request = { type: 'end', workitemId: pick([WorkitemState.Active, WorkitemState.Initiated, WorkitemState.Offered, WorkitemState.Paused], 'to end'), requestId };
        break;
      case 'dial':
        request = { type: 'makeCall', channelId, address: cmd.to, requestId };
        break;
      case 'consult':
        request = { type: 'consult', workitemId: pick([WorkitemState.Active], 'to consult from'), address: cmd.to, requestId };
        break;
      case 'transfer':
      case 'conference': {
        const workitemId = pick([WorkitemState.Paused], `to ${cmd.kind}`);
        request = { type: cmd.kind, workitemId, consultId: this.consultItem(cmd), requestId };
        break;
      }
      case 'blindTransfer':
        request = { type: 'directTransfer', workitemId: pick([WorkitemState.Active], 'to transfer'), address: cmd.to, requestId };
        break;
      case 'sstConference':
        request = { type: 'singleStepConference', workitemId: pick([WorkitemState.Active], 'to conference'), address: cmd.to, requestId };
        break;
      case 'dtmf':
        request = { type: 'sendDtmf', workitemId: pick([WorkitemState.Active], 'to send DTMF on'), digits: cmd.digits, requestId };
        break;
      case 'data':
        request = { type: 'updateData', workitemId: pick([WorkitemState.Active, WorkitemState.Paused, WorkitemState.Wrapup], 'to update'), data: cmd.data, requestId };
        break;
      case 'wrapup':
        request = { type: 'updateData', workitemId: pick([WorkitemState.Wrapup, WorkitemState.Active], 'to set a wrap-up reason on'), data: { wrapUpReason: cmd.reason }, requestId };
        break;
    }
    const before = new Set(agent.workitems.map((w) => w.id));
    await source.request(request);
    if ((cmd.kind === 'dial' || cmd.kind === 'consult') && cmd.as !== undefined) {
      const created = this.cc.agent(cmd.agent).workitems.find((w) => !before.has(w.id) && w.direction === Direction.Outgoing);
      if (created !== undefined) this.names.set(cmd.as, created.id);
    }
  }

  /**
   * The workitem a command acts on: the named call's item of this agent, or else the agent's
   * only item in the first of `wanted` states that has any.
   */
  private pick(cmd: AgentCommand, wanted: WorkitemState[], what: string): string {
    const items = this.cc.agent(cmd.agent).workitems;
    const name = 'call' in cmd ? cmd.call : undefined;
    if (name !== undefined) return this.itemFor(cmd.agent, items, name).id;
    for (const state of wanted) {
      const found = items.filter((w) => w.state === state);
      if (found.length === 1 && found[0] !== undefined) return found[0].id;
      if (found.length > 1) {
        throw new SwitchboardError(ErrorCode.WORKITEM_AMBIGUOUS, `line ${cmd.line}: agent ${cmd.agent} has ${found.length} ${state} items (${found.map((w) => w.id).join(', ')}); name one with "call"`);
      }
    }
    throw new SwitchboardError(ErrorCode.INVALID_STATE, `line ${cmd.line}: agent ${cmd.agent} has no ${wanted.join(' or ')} item ${what}`);
  }

  private itemFor(agentId: string, items: SimWorkitemView[], name: string): SimWorkitemView {
    const id = this.callId(name);
    const ids = new Set(this.cc.call(id)?.ids ?? [id]);
    const item = items.find((w) => w.id === id) ?? items.find((w) => ids.has(w.id));
    if (item === undefined) {
      throw new SwitchboardError(ErrorCode.PLATFORM_ERROR, `agent ${agentId} has no item for call "${name}"${id !== name ? ` (${id})` : ''}`);
    }
    return item;
  }

  private consultItem(cmd: Extract<SimTraceCommand, { kind: 'transfer' | 'conference' }>): string {
    const items = this.cc.agent(cmd.agent).workitems;
    if (cmd.consult !== undefined) return this.itemFor(cmd.agent, items, cmd.consult).id;
    const consults = items.filter((w) => w.classification === Classification.Consultation && w.direction === Direction.Outgoing && w.state !== WorkitemState.Wrapup);
    const [only] = consults;
    if (consults.length !== 1 || only === undefined) {
      throw new SwitchboardError(ErrorCode.INVALID_STATE, `line ${cmd.line}: agent ${cmd.agent} has ${consults.length} consultation calls; name one with "consult"`);
    }
    return only.id;
  }
}

/**
 * Start running a trace from its first command: the clock moves to its time, the simulator is
 * built from it when it is a `setup` line (else from `fallback`), and the runner is returned
 * ready for every command, the first included.
 *
 * @example
 * const first = parseSimTraceLine(lines[0], 1);
 * if (!('error' in first)) {
 *   const { cc, runner } = startSimTrace(first, new SimulatedClock());
 *   await runner.apply(first);
 * }
 */
export function startSimTrace(first: SimTraceCommand, clock: SimulatedClock, fallback: SimSetup = DEFAULT_SIM_SETUP): { cc: SimContactCenter; runner: SimTraceRunner } {
  if (clock.now() < first.at) clock.set(first.at);
  const cc = createSimFromSetup(first.kind === 'setup' ? first.setup : fallback, clock);
  return { cc, runner: new SimTraceRunner(cc, clock) };
}
