/**
 * @module cli/start
 * `switchboard start`: the product on its embedded defaults: the server (server/app) with the
 * simulator (agents 1001..100N, the first two driven by gadgets, the rest auto agents so that the
 * queues move), the interaction log in SQLite under ./data, the demo CRM page on `--port` and
 * the gadget on the next port. Builds the gadget first when dist-gadget/ is missing. Prints the
 * demo page's URL; Ctrl-C (or `--duration`) stops it.
 *
 * Finesse mode (`--source finesse`) reads the Finesse location and credentials from the
 * environment, never from the command line (where `ps` would show them):
 * SWITCHBOARD_FINESSE_URL, SWITCHBOARD_FINESSE_XMPP, SWITCHBOARD_FINESSE_PASSWORD and optionally
 * SWITCHBOARD_FINESSE_USER (default: each agent's id) and SWITCHBOARD_FINESSE_XMPP_DOMAIN.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';
import { pino } from 'pino';
import { systemClock, type Flavor } from '../core/index.js';
import { loadConfigFile, type Config } from '../config/index.js';
import { createServer, DEFAULT_STORE } from '../server/app.js';
import type { PlatformOptions } from '../server/sessions.js';
import { UsageError } from './errors.js';
import { ServiceNowRecords } from '../sinks/servicenow/adapter.js';
import { DEMO_CONTACTS } from '../server/demo-directory.js';

export { demoAgents } from '../server/sessions.js';

export interface StartOptions {
  /** CRM (demo page) port; the gadget is on port + 1. */
  port: number;
  agents: number;
  /** Arrivals per minute. */
  rate: number;
  source: 'sim' | 'finesse';
  store: string | undefined;
  config: string | undefined;
  seed: number;
  flavor: Flavor | undefined;
  /** Stop after this many seconds (default: run until interrupted). */
  durationSeconds: number | undefined;
  /** Do not try to build the gadget when dist-gadget/ is missing. */
  noBuild?: boolean;
  stdout: Writable;
  env?: NodeJS.ProcessEnv;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function runStart(o: StartOptions): Promise<number> {
  const config: Config = o.config !== undefined ? loadConfigFile(o.config) : {};
  const env = o.env ?? process.env;
  const platform = platformOptions(o, config, env);
  const gadgetDir = join(ROOT, 'dist-gadget');
  if (!existsSync(join(gadgetDir, 'index.html')) && o.noBuild !== true) {
    o.stdout.write('dist-gadget/ is missing: building the gadget (npm run build:gadget)...\n');
    const built = spawnSync('npm', ['run', 'build:gadget'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    if (built.status !== 0) o.stdout.write('The gadget could not be built; the gadget page will say so. Build it with: npm run build:gadget\n');
  }
  const server = await createServer({
    crmPort: o.port,
    gadgetPort: o.port === 0 ? 0 : o.port + 1,
    platform,
    store: o.store ?? config.store ?? DEFAULT_STORE,
    ...(config.c4c !== undefined ? { c4c: { format: config.c4c.format, cid: config.c4c.cid, mapping: config.c4c.mapping, ani: config.c4c.ani } } : {}),
    ...(config.servicenow !== undefined ? { crm: new ServiceNowRecords({ ...config.servicenow, clock: systemClock }) } : {}),
    gadgetDir,
    clock: systemClock,
    logStream: pino.destination(2),
  });
  o.stdout.write(
    `Switchboard is running (${platform.kind === 'sim' ? `simulator: ${o.agents} agents, ${o.rate} calls per minute` : 'Finesse'}).\n` +
      `  Demo CRM page:  ${server.crmOrigin}/\n` +
      `  Gadget:         ${server.gadgetOrigin}/  (WebSocket ${server.gadgetOrigin.replace(/^http/, 'ws')}/ws)\n` +
      `  Health/metrics: ${server.crmOrigin}/healthz  ${server.crmOrigin}/metrics\n` +
      (platform.kind === 'sim' ? `  The page's gadget is agent 1001${o.agents > 1 ? `; ${server.crmOrigin}/?agent=1002 for agent 1002` : ''} (the other agents answer calls by themselves).\n` : `  Open ${server.crmOrigin}/?agent=<agent id>.\n`) +
      'Ctrl-C to stop.\n',
  );
  return new Promise<number>((resolveExit) => {
    let timer: ReturnType<typeof systemClock.setTimeout> | undefined;
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (timer !== undefined) systemClock.clearTimeout(timer);
      void server.close().then(() => resolveExit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (o.durationSeconds !== undefined) timer = systemClock.setTimeout(stop, o.durationSeconds * 1000);
  });
}

function platformOptions(o: StartOptions, config: Config, env: NodeJS.ProcessEnv): PlatformOptions {
  if (o.source === 'sim') {
    const flavor = o.flavor ?? config.flavor;
    // With the demo's own directory (no ServiceNow configured) a third of the callers are its contacts, so lookups find someone.
    const knownCallers = config.servicenow === undefined ? DEMO_CONTACTS.flatMap((c) => c.phones.map((p) => p.replace(/\s/g, ''))) : undefined;
    return { kind: 'sim', agents: o.agents, humanAgents: Math.min(2, o.agents), rate: o.rate, seed: o.seed, ...(flavor !== undefined ? { flavor } : {}), ...(knownCallers !== undefined ? { knownCallers } : {}) };
  }
  const need = (name: string): string => {
    const v = env[name];
    if (v === undefined || v === '') throw new UsageError(`--source finesse needs ${name} in the environment`);
    return v;
  };
  const user = env.SWITCHBOARD_FINESSE_USER;
  const domain = env.SWITCHBOARD_FINESSE_XMPP_DOMAIN;
  return {
    kind: 'finesse',
    baseUrl: need('SWITCHBOARD_FINESSE_URL'),
    xmppService: need('SWITCHBOARD_FINESSE_XMPP'),
    password: need('SWITCHBOARD_FINESSE_PASSWORD'),
    ...(user !== undefined && user !== '' ? { user } : {}),
    ...(domain !== undefined && domain !== '' ? { xmppDomain: domain } : {}),
  };
}
