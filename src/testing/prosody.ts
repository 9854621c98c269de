/**
 * @module testing/prosody
 * A throw-away Prosody XMPP server on loopback: the lab the Finesse emulator (and an integrator's
 * own tests) publish through. Follows FINESSE.md's "loopback test rig that works": no TLS,
 * plain SASL over an unencrypted stream, websocket allowed as "secure", s2s / offline / posix
 * off, every port on 127.0.0.1, and the emulator plugged in as an XEP-0114 external component.
 *
 * Running as root: Prosody dies as root with mod_posix, and prosodyctl switches to the
 * `prosody` user (which cannot write a root-owned temp dir). Disabling posix and naming
 * `prosody_user = "root"` with `run_as_root = true` keeps both in the caller's user, which is
 * what works in CI containers; as any other user those settings are inert.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProsodyUser {
  username: string;
  password: string;
}

export interface ProsodyOptions {
  /** The XMPP domain users live on (Finesse's SystemInfo xmppDomain). Default `finesse.test`. */
  domain?: string;
  /** The external component's domain (xmppPubSubDomain). Default `pubsub.<domain>`. */
  componentDomain?: string;
  /** Secret the component authenticates with (XEP-0114). Default `secret`. */
  componentSecret?: string;
  users?: ProsodyUser[];
  /** Path of the prosody binary (default: `/usr/bin/prosody`, else `prosody` on PATH). */
  prosodyBin?: string;
  /** How long to wait for the ports to accept (default 15000 ms). */
  startTimeoutMs?: number;
}

export interface ProsodyLab {
  readonly domain: string;
  readonly componentDomain: string;
  readonly componentSecret: string;
  readonly c2sPort: number;
  readonly componentPort: number;
  /** Port of Prosody's HTTP server (websocket at `ws://127.0.0.1:<httpPort>/xmpp-websocket`). */
  readonly httpPort: number;
  /** The temp dir holding config, data, pid file and log. */
  readonly dir: string;
  /** True while the prosody process runs. */
  readonly running: boolean;
  /** Kill prosody hard (SIGKILL), as a crash would; the ports close. `restart()` brings it back. */
  kill(): Promise<void>;
  /** Start prosody again on the same ports with the same accounts (after `kill()`). */
  restart(): Promise<void>;
  /** Stop prosody and remove the temp dir. Safe to call twice. */
  stop(): Promise<void>;
  /** Prosody's console log so far (for test failure messages). */
  log(): Promise<string>;
}

function findBinary(name: string, explicit: string | undefined): string {
  if (explicit !== undefined) {
    if (!existsSync(explicit)) throw new Error(`prosody lab: ${explicit} does not exist`);
    return explicit;
  }
  for (const p of [`/usr/bin/${name}`, `/usr/local/bin/${name}`]) if (existsSync(p)) return p;
  const which = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const found = which.stdout.trim();
  if (which.status === 0 && found !== '') return found;
  throw new Error(`prosody lab: "${name}" is not installed (Debian/Ubuntu: apt-get install prosody); the Finesse emulator's XMPP side needs it`);
}

/** A port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const lua = (s: string): string => JSON.stringify(s);

function config(dir: string, o: { domain: string; componentDomain: string; secret: string; c2s: number; component: number; http: number }): string {
  return `-- written by switchboard/testing startProsody(); throw-away lab, loopback only
daemonize = false
prosody_user = "root" -- ignored unless run as root: keeps prosodyctl from switching users
run_as_root = true
pidfile = ${lua(join(dir, 'prosody.pid'))}
data_path = ${lua(join(dir, 'data'))}
certificates = ${lua(join(dir, 'certs'))}
plugin_paths = {}
interfaces = { "127.0.0.1" }
local_interfaces = { "127.0.0.1" }
c2s_ports = { ${o.c2s} }
c2s_interfaces = { "127.0.0.1" }
c2s_direct_tls_ports = {}
legacy_ssl_ports = {}
s2s_ports = {}
component_ports = { ${o.component} }
component_interfaces = { "127.0.0.1" }
http_ports = { ${o.http} }
http_interfaces = { "127.0.0.1" }
https_ports = {}
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
consider_websocket_secure = true
authentication = "internal_plain"
storage = "internal"
log = { { levels = { min = "info" }, to = "console" } }
modules_enabled = { "roster", "saslauth", "disco", "ping", "presence", "message", "websocket" }
modules_disabled = { "s2s", "offline", "posix", "tls" }

VirtualHost ${lua(o.domain)}

Component ${lua(o.componentDomain)}
  component_secret = ${lua(o.secret)}
`;
}

/**
 * Start a Prosody on free loopback ports with the given accounts and one external component.
 *
 * @example
 * const lab = await startProsody({ componentSecret: 's3cret', users: [{ username: '1001', password: 'pw' }] });
 * // xmpp://127.0.0.1:${lab.c2sPort} as 1001@finesse.test; a component on lab.componentPort
 * await lab.stop();
 */
export async function startProsody(options: ProsodyOptions = {}): Promise<ProsodyLab> {
  const prosodyBin = findBinary('prosody', options.prosodyBin);
  const prosodyctl = findBinary('prosodyctl', undefined);
  const domain = options.domain ?? 'finesse.test';
  const componentDomain = options.componentDomain ?? `pubsub.${domain}`;
  const componentSecret = options.componentSecret ?? 'secret';
  const startTimeoutMs = options.startTimeoutMs ?? 15_000;
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-prosody-'));
  await mkdir(join(dir, 'data'));
  await mkdir(join(dir, 'certs'));
  const cfgFile = join(dir, 'prosody.cfg.lua');
  const logFile = join(dir, 'prosody.log');
  let ports = { c2s: 0, component: 0, http: 0 };
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let logText = '';
  let stopped = false;

  const writeConfig = async (): Promise<void> => {
    await writeFile(cfgFile, config(dir, { domain, componentDomain, secret: componentSecret, ...ports }));
  };

  const register = (): void => {
    for (const u of options.users ?? []) {
      const r = spawnSync(prosodyctl, ['--config', cfgFile, 'register', u.username, domain, u.password], { encoding: 'utf8', timeout: 20_000 });
      if (r.status !== 0) {
        throw new Error(`prosody lab: prosodyctl register ${u.username}@${domain} failed (exit ${String(r.status)}): ${(r.stderr + r.stdout).trim()}`);
      }
    }
  };

  const launch = async (): Promise<void> => {
    const proc = spawn(prosodyBin, ['--config', cfgFile], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let dead = false;
    exited = new Promise((resolve) => {
      proc.once('exit', () => {
        dead = true;
        if (child === proc) child = undefined;
        resolve();
      });
    });
    const collect = (b: Buffer): void => {
      logText += b.toString('utf8');
    };
    proc.stdout?.on('data', collect);
    proc.stderr?.on('data', collect);
    const deadline = performance.now() + startTimeoutMs;
    for (;;) {
      if (dead) throw new Error(`prosody lab: prosody exited during start-up. Log:\n${logText}`);
      if (/Failed to open server port/.test(logText)) {
        proc.kill('SIGKILL');
        await exited;
        throw new PortClash(logText);
      }
      if ((await accepts(ports.c2s)) && (await accepts(ports.component))) break;
      if (performance.now() > deadline) {
        proc.kill('SIGKILL');
        await exited;
        throw new Error(`prosody lab: ports ${ports.c2s}/${ports.component} did not accept within ${startTimeoutMs} ms. Log:\n${logText}`);
      }
      await sleep(50);
    }
  };

  try {
    for (let attempt = 1; ; attempt++) {
      ports = { c2s: await freePort(), component: await freePort(), http: await freePort() };
      await writeConfig();
      if (attempt === 1) register();
      try {
        await launch();
        break;
      } catch (err) {
        if (!(err instanceof PortClash) || attempt >= 5) throw err;
        logText = '';
      }
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }

  const lab: ProsodyLab = {
    domain,
    componentDomain,
    componentSecret,
    get c2sPort() {
      return ports.c2s;
    },
    get componentPort() {
      return ports.component;
    },
    get httpPort() {
      return ports.http;
    },
    dir,
    get running() {
      return child !== undefined;
    },
    async kill() {
      const c = child;
      if (c === undefined) return;
      c.kill('SIGKILL');
      await exited;
    },
    async restart() {
      if (stopped) throw new Error('prosody lab: restart() after stop()');
      await lab.kill();
      // The kernel may hold the ports for a moment after the kill.
      for (let attempt = 1; ; attempt++) {
        try {
          await launch();
          return;
        } catch (err) {
          if (!(err instanceof PortClash) || attempt >= 40) throw err;
          await sleep(100);
        }
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const c = child;
      if (c !== undefined) {
        c.kill('SIGTERM');
        const timer = setTimeout(() => c.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      await writeFile(logFile, logText).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
    async log() {
      return logText || (await readFile(logFile, 'utf8').catch(() => ''));
    },
  };
  return lab;
}

class PortClash extends Error {
  constructor(log: string) {
    super(`prosody lab: a port was taken before prosody could bind it. Log:\n${log}`);
  }
}
