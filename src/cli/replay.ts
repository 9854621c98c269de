/**
 * @module cli/replay
 * `switchboard replay --source <sim|finesse|avaya|brightpattern> [--config FILE] [FILE]`: a captured
 * trace in, every effect out, as JSON Lines in emission order (SPEC.md, "switchboard replay"):
 *
 *   {"sink":"cil","event":"<name>","data":{...},"agent":"<id>"}   Integration API events
 *   {"sink":"c4c","payload":{...},"agent":"<id>"}                 C4C Live Activity messages
 *   {"sink":"log","record":{...},"agent":"<id>"}                  interaction-log records
 *   {"sink":"error","message":"..."}                              a command or sink that failed
 *
 * Time comes from the trace: every source runs on a SimulatedClock set from each line's `at`,
 * so the same trace gives the same output. A simulator trace may also carry CRM-side lines,
 * `{"at":..., "crm":"c4c", "payload":{...}, "agent"?: "<id>"}`: C4C's click-to-dial event,
 * handled as if C4C had posted it. A malformed line goes to standard error with its line
 * number and is skipped; the exit status is 1 at the end if any was.
 */
import type { Readable, Writable } from 'node:stream';
import { ErrorCode, EventName, SimulatedClock, toSwitchboardError, type EventMap, type Flavor, type SwitchboardError } from '../core/index.js';
import { createAgent, type Agent } from '../sinks/cil/index.js';
import { C4cSink, ClickToDial, type C4cSettingsInput } from '../sinks/c4c/index.js';
import { loadConfigFile, type Config } from '../config/index.js';
import { parseSimTraceLine, startSimTrace, type SimContactCenter, type SimTraceRunner } from '../sources/sim/index.js';
import { createAvayaReplay, parseAvayaTraceLine, type AvayaReplay } from '../sources/avaya/index.js';
import { createBrightPatternReplay, parseBrightPatternTraceLine, type BrightPatternReplay } from '../sources/brightpattern/index.js';
import { createFinesseReplay, parseFinesseTraceLine, type FinesseReplay } from '../sources/finesse/trace.js';
import { readLines, writeJsonLine, type NumberedLine } from './lines.js';
import { UsageError } from './errors.js';

export interface ReplayOptions {
  source: string;
  file: string | undefined;
  /** `--config FILE`: the `c4c` part sets origin, format, CID, mapping and ANI rules. */
  config?: string | undefined;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

export const REPLAY_SOURCES = ['sim', 'finesse', 'avaya', 'brightpattern'] as const;
type ReplaySource = (typeof REPLAY_SOURCES)[number];

/** C4C settings when no config gives any: SAP's demo tenant style origin, JSON, CISCO9876. */
export const REPLAY_C4C_DEFAULTS: C4cSettingsInput = { origin: 'https://my.crm.ondemand.com' };

export async function runReplay(o: ReplayOptions): Promise<number> {
  if (o.source === '') throw new UsageError(`replay needs --source (one of: ${REPLAY_SOURCES.join(', ')})`);
  if (!(REPLAY_SOURCES as readonly string[]).includes(o.source)) {
    throw new UsageError(`replay --source ${o.source} is not available (available: ${REPLAY_SOURCES.join(', ')})`);
  }
  const config: Config = o.config === undefined ? {} : loadConfigFile(o.config);
  return new Replay(o, o.source as ReplaySource, config).run();
}

type CrmLine = { kind: 'source' } | { kind: 'bad'; message: string } | { kind: 'dial'; at: number; payload: unknown; agent: string | undefined };

/** One replay run: the clock, the agents it taps, the output, the count of malformed lines. */
class Replay {
  private readonly clock = new SimulatedClock(0);
  private readonly agents = new Map<string, { agent: Agent; c4c: C4cSink; dial: ClickToDial }>();
  private malformed = 0;
  private sim: { cc: SimContactCenter; runner: SimTraceRunner } | undefined;
  private avaya: AvayaReplay | undefined;
  private bright: BrightPatternReplay | undefined;
  private finesse: FinesseReplay | undefined;

  constructor(
    private readonly o: ReplayOptions,
    private readonly source: ReplaySource,
    private readonly config: Config,
  ) {}

  async run(): Promise<number> {
    for await (const line of readLines(this.o.file, this.o.stdin)) {
      try {
        await this.line(line);
      } catch (err) {
        this.failed(toSwitchboardError(err));
      }
    }
    this.sim?.runner.finish();
    if (this.malformed > 0) this.o.stderr.write(`replay: ${this.malformed} malformed line${this.malformed === 1 ? '' : 's'} skipped\n`);
    return this.malformed > 0 ? 1 : 0;
  }

  private bad(message: string): void {
    this.malformed++;
    this.o.stderr.write(`${message}\n`);
  }

  /** A refused command is an effect (written out); a line out of order is malformed. */
  private failed(e: SwitchboardError): void {
    if (e.code === ErrorCode.PARSE_ERROR) this.bad(e.message);
    else writeJsonLine(this.o.stdout, { sink: 'error', message: e.message });
  }

  private async line({ lineNo, text }: NumberedLine): Promise<void> {
    const crm = this.crmLine(text, lineNo);
    if (crm.kind === 'source') {
      if (this.source === 'sim') await this.simLine(text, lineNo);
      else if (this.source === 'finesse') await this.finesseLine(text, lineNo);
      else if (this.source === 'avaya') await this.avayaLine(text, lineNo);
      else await this.brightLine(text, lineNo);
    } else if (crm.kind === 'bad') {
      this.bad(crm.message);
    } else {
      await this.clickToDial(crm, lineNo);
    }
  }

  // ---- sources ------------------------------------------------------------------------------

  private async simLine(text: string, lineNo: number): Promise<void> {
    const cmd = parseSimTraceLine(text, lineNo);
    if ('error' in cmd) return this.bad(cmd.error);
    if (this.sim === undefined) {
      this.sim = startSimTrace(cmd, this.clock);
      for (const id of this.sim.cc.agentIds) await this.wire(id, this.sim.cc.source(id), this.sim.cc.flavor);
    }
    await this.sim.runner.apply(cmd);
  }

  private async finesseLine(text: string, lineNo: number): Promise<void> {
    const cmd = parseFinesseTraceLine(text, lineNo);
    if ('error' in cmd) return this.bad(cmd.error);
    if (this.finesse === undefined) {
      this.finesse = createFinesseReplay(cmd, this.clock);
      await this.wire(this.finesse.setup.agent.agentId, this.finesse.source, this.finesse.setup.flavor);
    }
    await this.finesse.apply(cmd);
  }

  private async avayaLine(text: string, lineNo: number): Promise<void> {
    const cmd = parseAvayaTraceLine(text, lineNo);
    if ('error' in cmd) return this.bad(cmd.error);
    if (this.avaya === undefined) {
      this.avaya = createAvayaReplay(cmd, this.clock);
      await this.wire(this.avaya.setup.agent.agentId, this.avaya.source);
    }
    await this.avaya.apply(cmd);
  }

  private async brightLine(text: string, lineNo: number): Promise<void> {
    const cmd = parseBrightPatternTraceLine(text, lineNo);
    if ('error' in cmd) return this.bad(cmd.error);
    if (this.bright === undefined) {
      this.bright = createBrightPatternReplay(cmd, this.clock);
      await this.wire(this.bright.setup.agent.agentId, this.bright.source);
    }
    await this.bright.apply(cmd);
  }

  // ---- CRM-side lines -----------------------------------------------------------------------

  /** Is this a CRM-side line (`"crm": "c4c"`), and if so is it well-formed? */
  private crmLine(text: string, lineNo: number): CrmLine {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { kind: 'source' }; // the source's parser reports it in its own words
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !('crm' in value)) return { kind: 'source' };
    const v = value as Record<string, unknown>;
    const bad = (message: string): CrmLine => ({ kind: 'bad', message: `line ${lineNo}: ${message}` });
    if (v.crm !== 'c4c') return bad(`"crm" must be "c4c" (got ${JSON.stringify(v.crm)})`);
    if (this.source !== 'sim') return bad(`click-to-dial lines need a source that can dial (--source sim); ${this.source} is log-only`);
    for (const k of Object.keys(v)) if (!['at', 'crm', 'payload', 'agent'].includes(k)) return bad(`unknown field "${k}" for a crm line (known: at, crm, payload, agent)`);
    if (typeof v.at !== 'string' || Number.isNaN(Date.parse(v.at))) return bad(`"at" must be an ISO 8601 time (got ${JSON.stringify(v.at)})`);
    if (!('payload' in v)) return bad(`"payload" is required (C4C's click-to-dial event, seed 002)`);
    if (v.agent !== undefined && typeof v.agent !== 'string') return bad('"agent" must be a string');
    return { kind: 'dial', at: Date.parse(v.at), payload: v.payload, agent: v.agent };
  }

  private async clickToDial(line: { at: number; payload: unknown; agent: string | undefined }, lineNo: number): Promise<void> {
    if (this.sim === undefined) {
      // A trace that starts with a click-to-dial runs on the simulator's default set-up.
      const first = parseSimTraceLine(JSON.stringify({ at: new Date(line.at).toISOString(), kind: 'wait' }), lineNo);
      if ('error' in first) return this.bad(first.error);
      this.sim = startSimTrace(first, this.clock);
      for (const id of this.sim.cc.agentIds) await this.wire(id, this.sim.cc.source(id), this.sim.cc.flavor);
    }
    if (line.at < this.clock.now()) return this.bad(`line ${lineNo}: time ${new Date(line.at).toISOString()} is earlier than the replay's clock (${new Date(this.clock.now()).toISOString()})`);
    this.clock.set(line.at);
    const id = line.agent ?? [...this.agents.keys()][0] ?? '';
    const wired = this.agents.get(id);
    if (wired === undefined) return this.bad(`line ${lineNo}: unknown agent "${id}" (known: ${[...this.agents.keys()].join(', ')})`);
    await wired.dial.handle(line.payload);
    this.clock.set(this.clock.now());
  }

  // ---- sinks ----------------------------------------------------------------------------------

  /** One agent: cil events, C4C messages and log records written out, errors as error lines. */
  private async wire(agentId: string, source: Parameters<typeof createAgent>[0]['source'], flavor?: Flavor): Promise<void> {
    const out = this.o.stdout;
    const agent = createAgent({ source, clock: this.clock, newRequestId: counter(`replay-${agentId}-`), ...(flavor !== undefined ? { flavor } : {}) });
    for (const name of Object.values(EventName)) {
      agent.api.on(name, (data: EventMap[typeof name]) => writeJsonLine(out, { sink: 'cil', event: name, data, agent: agentId }));
    }
    agent.session.subscribe((e) => {
      if (e.type === 'interactionEnd') writeJsonLine(out, { sink: 'log', record: e.data.record, agent: agentId });
    });
    const sinkError = (e: SwitchboardError) => writeJsonLine(out, { sink: 'error', message: e.message, agent: agentId });
    const c4c = new C4cSink({
      session: agent.session,
      target: { postMessage: () => undefined },
      settings: this.config.c4c ?? REPLAY_C4C_DEFAULTS,
      onSent: (sent) => writeJsonLine(out, { sink: 'c4c', payload: sent.payload, agent: agentId }),
      onError: sinkError,
    });
    const dial = new ClickToDial({ api: agent.api, sink: c4c, newRequestId: counter(`c2d-${agentId}-`), onError: sinkError });
    this.agents.set(agentId, { agent, c4c, dial });
    await agent.connect();
  }
}

/** Request ids that repeat run after run (the output must not depend on randomness). */
function counter(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}
