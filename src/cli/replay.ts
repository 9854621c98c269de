/**
 * @module cli/replay
 * `switchboard replay --source sim [FILE]`: a captured trace in, every effect out, as JSON Lines
 * in emission order (SPEC.md, "switchboard replay"). Time comes from the trace: the simulator
 * runs on a SimulatedClock set from each line's `at`, so the same trace gives the same output.
 * A malformed line goes to standard error with its line number and is skipped; the exit status
 * is 1 at the end if any was. A command the platform refuses is an effect, not a malformed
 * line: it is written as `{"sink":"error","message":...}` and the run goes on.
 */
import type { Readable, Writable } from 'node:stream';
import { ErrorCode, EventName, SimulatedClock, toSwitchboardError, type EventMap } from '../core/index.js';
import { createAgent, type Agent } from '../sinks/cil/index.js';
import { parseSimTraceLine, startSimTrace, type SimTraceRunner } from '../sources/sim/index.js';
import { readLines, writeJsonLine } from './lines.js';
import { UsageError } from './errors.js';

export interface ReplayOptions {
  source: string;
  file: string | undefined;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

export const REPLAY_SOURCES = ['sim'] as const;

export async function runReplay(o: ReplayOptions): Promise<number> {
  if (o.source === '') throw new UsageError(`replay needs --source (one of: ${REPLAY_SOURCES.join(', ')})`);
  if (o.source !== 'sim') {
    throw new UsageError(`replay --source ${o.source} is not available yet (available: ${REPLAY_SOURCES.join(', ')})`);
  }
  return replaySim(o);
}

/** Write every cil event of `agent` as `{"sink":"cil","event":...,"data":...,"agent":...}`. */
function tapCil(agent: Agent, agentId: string, out: Writable): void {
  for (const name of Object.values(EventName)) {
    agent.api.on(name, (data: EventMap[typeof name]) => writeJsonLine(out, { sink: 'cil', event: name, data, agent: agentId }));
  }
}

async function replaySim(o: ReplayOptions): Promise<number> {
  const clock = new SimulatedClock(0);
  let runner: SimTraceRunner | undefined;
  let malformed = 0;
  for await (const { lineNo, text } of readLines(o.file, o.stdin)) {
    const cmd = parseSimTraceLine(text, lineNo);
    if ('error' in cmd) {
      malformed++;
      o.stderr.write(`${cmd.error}\n`);
      continue;
    }
    if (runner === undefined) {
      if (cmd.kind !== 'setup' && malformed > 0) {
        o.stderr.write(`line ${lineNo}: no setup line before it; running on the default set-up (docs/sim-trace.md)\n`);
      }
      const started = startSimTrace(cmd, clock);
      runner = started.runner;
      for (const id of started.cc.agentIds) {
        const agent = createAgent({ source: started.cc.source(id), clock, flavor: started.cc.flavor });
        tapCil(agent, id, o.stdout);
        await agent.connect();
      }
    }
    try {
      await runner.apply(cmd);
    } catch (err) {
      const e = toSwitchboardError(err);
      if (e.code === ErrorCode.PARSE_ERROR) {
        // Out of time order, or a second setup: the line itself is wrong.
        malformed++;
        o.stderr.write(`${e.message}\n`);
      } else {
        writeJsonLine(o.stdout, { sink: 'error', message: e.message });
      }
    }
  }
  runner?.finish();
  if (malformed > 0) o.stderr.write(`replay: ${malformed} malformed line${malformed === 1 ? '' : 's'} skipped\n`);
  return malformed > 0 ? 1 : 0;
}
