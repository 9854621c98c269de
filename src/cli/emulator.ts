/**
 * @module cli/emulator
 * `switchboard finesse-emulator`: the Finesse lab for integrators. Starts Prosody, the emulator's
 * external component, its REST API and the simulator behind it; prints where each is; stops
 * everything on Ctrl-C (or after `--duration` seconds).
 */
import type { Writable } from 'node:stream';
import type { Flavor } from '../core/index.js';
import { runFinesseEmulator } from '../finesse-emulator/index.js';

export interface EmulatorCommandOptions {
  flavor: Flavor;
  agents: number;
  port: number;
  /** Random inbound calls per minute; 0: none. */
  rate: number;
  seed: number;
  password: string;
  durationSeconds: number | undefined;
  stdout: Writable;
}

export async function runEmulatorCommand(o: EmulatorCommandOptions): Promise<number> {
  const lab = await runFinesseEmulator({
    flavor: o.flavor,
    agents: o.agents,
    httpPort: o.port,
    seed: o.seed,
    password: o.password,
    ...(o.rate > 0 ? { arrivalsPerMinute: o.rate } : {}),
    log: (line) => o.stdout.write(`${line}\n`),
  });
  o.stdout.write(
    `Finesse emulator (${lab.flavor}) ready.\n  REST  ${lab.baseUrl}/finesse/api/SystemInfo\n  XMPP  ${lab.xmppService} (domain ${lab.domain})\n` +
      `  agents 1001..${1000 + o.agents}, password as given (--password). Ctrl-C to stop.\n`,
  );
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void lab.stop().then(() => resolve(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (o.durationSeconds !== undefined) setTimeout(stop, o.durationSeconds * 1000);
  });
}
