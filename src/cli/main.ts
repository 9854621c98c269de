/**
 * @module cli/main
 * `switchboard <command>`: replay a captured trace, or start the server (simulator or Finesse).
 * Arguments are parsed with node:util's parseArgs; every error names the option at fault.
 */
import { parseArgs } from 'node:util';
import { runReplay } from './replay.js';
import { runStart } from './start.js';
import { UsageError } from './errors.js';
import { checkConfigFile } from '../config/index.js';
import { runEmulatorCommand } from './emulator.js';
import { runSimulate, SIMULATE_HELP } from './simulate.js';
import { runOutbox } from './outbox.js';

const HELP = `switchboard — open CTI hub

Usage:
  switchboard start [--port P] [--agents N] [--rate CALLS_PER_MINUTE] [--source sim|finesse] [--store URL]
                   [--config FILE] [--seed N] [--flavor UCCE|UCCX] [--duration SECONDS]
      Start the server: the demo CRM page on 127.0.0.1:P (default 3000), the gadget and its
      WebSocket on P+1. --source sim (default): a simulated contact center with N agents
      (default 5; 1001 and 1002 are for the gadget, the rest answer calls by themselves) and
      CALLS_PER_MINUTE arrivals (default 4). --source finesse: one Finesse connection per agent,
      from SWITCHBOARD_FINESSE_URL, SWITCHBOARD_FINESSE_XMPP, SWITCHBOARD_FINESSE_PASSWORD
      [, SWITCHBOARD_FINESSE_USER] in the environment. --store: the interaction log, sqlite:PATH
      (default sqlite:./data/switchboard.db) or postgres://... --config: c4c settings (format,
      cid, mapping, ani), flavor and store (docs/config.md). Builds the gadget if dist-gadget/
      is missing. docs/server.md.
  switchboard replay --source sim|finesse|avaya|brightpattern [--config FILE] [FILE]
      Read a trace (JSON Lines, FILE or standard input) and write every effect as JSON Lines:
      cil events, C4C Live Activity messages (c4c) and interaction-log records (log).
      Malformed lines are reported on standard error with their line number and skipped;
      the exit status is 1 if any was. Trace formats: docs/sim-trace.md, docs/finesse.md, docs/avaya.md,
      docs/brightpattern.md; click-to-dial lines {"at", "crm": "c4c", "payload"} in sim traces.
  switchboard finesse-emulator [--flavor UCCE|UCCX] [--agents N] [--port P] [--rate CALLS_PER_MINUTE] [--password PW]
      A Cisco Finesse lab: the REST API on 127.0.0.1 and XMPP notifications through a Prosody it
      starts (Debian's prosody must be installed), driven by the simulator. Agents 1001, 1002, ...
      (extensions 1001001, ...), queues 6001 Billing and 6002 Support. docs/finesse.md.
${SIMULATE_HELP}  switchboard outbox list|retry|purge|status [--store URL | --config FILE]
      The durable outbox of CRM writes: list messages or dead letters, retry dead letters,
      purge delivered ones, counts (switchboard outbox --help; docs/outbox.md).
  switchboard check-config --config FILE
      Validate a configuration file (docs/config.md); every problem is printed with its key.
  switchboard --help | help
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(HELP);
      return 0;
    case 'replay': {
      const { values, positionals } = parseArgs({ args: rest, options: { source: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean' } }, allowPositionals: true });
      if (values.help === true) {
        process.stdout.write(HELP);
        return 0;
      }
      if (positionals.length > 1) throw new UsageError(`replay takes at most one FILE (got ${positionals.join(' ')})`);
      return runReplay({ source: values.source ?? '', file: positionals[0], config: values.config, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
    }
    case 'finesse-emulator': {
      const { values } = parseArgs({
        args: rest,
        options: {
          flavor: { type: 'string' },
          agents: { type: 'string' },
          port: { type: 'string' },
          rate: { type: 'string' },
          seed: { type: 'string' },
          password: { type: 'string' },
          duration: { type: 'string' },
          help: { type: 'boolean' },
        },
      });
      if (values.help === true) {
        process.stdout.write(HELP);
        return 0;
      }
      return runEmulatorCommand({
        flavor: flavorOption(values.flavor),
        agents: intOption('--agents', values.agents, 2, 1, 1000),
        port: intOption('--port', values.port, 0, 0, 65535),
        rate: numberOption('--rate', values.rate, 0),
        seed: intOption('--seed', values.seed, 1, 0, 2 ** 31),
        password: values.password ?? 'finesse',
        durationSeconds: values.duration === undefined ? undefined : numberOption('--duration', values.duration, 0),
        stdout: process.stdout,
      });
    }
    case 'simulate':
      return runSimulate(rest, { stdout: process.stdout, stderr: process.stderr });
    case 'outbox':
      return runOutbox(rest, { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) });
    case 'check-config': {
      const { values } = parseArgs({ args: rest, options: { config: { type: 'string' }, help: { type: 'boolean' } } });
      if (values.help === true) {
        process.stdout.write(HELP);
        return 0;
      }
      if (values.config === undefined) throw new UsageError('check-config needs --config FILE');
      const result = checkConfigFile(values.config);
      if (result.ok) {
        process.stdout.write(`${values.config}: OK\n`);
        return 0;
      }
      for (const e of result.errors) process.stderr.write(`${e}\n`);
      return 1;
    }
    case 'start': {
      const { values } = parseArgs({
        args: rest,
        options: {
          port: { type: 'string' },
          agents: { type: 'string' },
          rate: { type: 'string' },
          source: { type: 'string' },
          store: { type: 'string' },
          config: { type: 'string' },
          seed: { type: 'string' },
          flavor: { type: 'string' },
          duration: { type: 'string' },
          help: { type: 'boolean' },
        },
      });
      if (values.help === true) {
        process.stdout.write(HELP);
        return 0;
      }
      const source = values.source ?? 'sim';
      if (source !== 'sim' && source !== 'finesse') throw new UsageError(`--source must be sim or finesse (got "${source}")`);
      return runStart({
        port: intOption('--port', values.port, 3000, 0, 65534),
        agents: intOption('--agents', values.agents, 5, 1, 10_000),
        rate: numberOption('--rate', values.rate, 4),
        source,
        store: values.store,
        config: values.config,
        seed: intOption('--seed', values.seed, 1, 0, 2 ** 31),
        flavor: values.flavor === undefined ? undefined : flavorOption(values.flavor),
        durationSeconds: values.duration === undefined ? undefined : numberOption('--duration', values.duration, 0),
        stdout: process.stdout,
      });
    }
    default:
      throw new UsageError(`unknown command "${command}" (try: switchboard --help)`);
  }
}

function numberOption(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name} must be a non-negative number (got "${raw}")`);
  return n;
}

function intOption(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  const n = numberOption(name, raw, fallback);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  return n;
}

function flavorOption(raw: string | undefined): 'UCCE' | 'UCCX' {
  if (raw === undefined) return 'UCCE';
  const up = raw.toUpperCase();
  if (up !== 'UCCE' && up !== 'UCCX') throw new UsageError(`--flavor must be UCCE or UCCX (got "${raw}")`);
  return up;
}
