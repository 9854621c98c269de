/**
 * @module servicenow-emulator/main
 * The emulator as its own process, so that it keeps its tables while a fault campaign kill -9's
 * the process that delivers to it: `node dist/servicenow-emulator/main.js --port N`. The first
 * line on standard output is the instance URL (a test reads it); faults are switched through the
 * admin endpoint `/_emulator/faults`. Options:
 *   --port N            (default 0: a free port)    --host H          (default 127.0.0.1)
 *   --user NAME:PASS    (repeatable; default admin:admin)
 *   --token TOKEN       (repeatable; an accepted OAuth bearer token)
 *   --table NAME        (repeatable; default customer_contact, sys_user, u_phone_call)
 *   --seed N            --persist FILE (JSON Lines journal)   --auto-create-tables
 *   --rate-limit N/MS   (N requests per MS milliseconds per user)
 * Stops on SIGINT/SIGTERM.
 */
import { startServiceNowEmulator, type EmulatorUser, type ServiceNowEmulatorOptions } from './server.js';

function fail(message: string): never {
  process.stderr.write(`servicenow-emulator: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): ServiceNowEmulatorOptions {
  const o: ServiceNowEmulatorOptions = {};
  const users: EmulatorUser[] = [];
  const tokens: string[] = [];
  const tables: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) fail(`${arg} needs a value`);
      return v;
    };
    const int = (v: string): number => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) fail(`${arg}: expected an integer >= 0 (got ${JSON.stringify(v)})`);
      return n;
    };
    switch (arg) {
      case '--port':
        o.port = int(value());
        break;
      case '--host':
        o.host = value();
        break;
      case '--seed':
        o.seed = int(value());
        break;
      case '--persist':
        o.persistPath = value();
        break;
      case '--auto-create-tables':
        o.autoCreateTables = true;
        break;
      case '--user': {
        const v = value();
        const at = v.indexOf(':');
        if (at <= 0) fail('--user: expected NAME:PASSWORD');
        users.push({ username: v.slice(0, at), password: v.slice(at + 1) });
        break;
      }
      case '--token':
        tokens.push(value());
        break;
      case '--table':
        tables.push(value());
        break;
      case '--rate-limit': {
        const m = /^(\d+)\/(\d+)$/.exec(value());
        if (m === null) fail('--rate-limit: expected N/MS, e.g. 100/60000');
        o.rateLimit = { limit: Number(m[1]), windowMs: Number(m[2]) };
        break;
      }
      default:
        fail(`unknown option ${JSON.stringify(arg)}`);
    }
  }
  if (users.length > 0) o.users = users;
  if (tokens.length > 0) o.tokens = tokens;
  if (tables.length > 0) o.tables = Object.fromEntries(tables.map((t) => [t, []]));
  return o;
}

async function main(): Promise<void> {
  const emu = await startServiceNowEmulator(parseArgs(process.argv.slice(2)));
  process.stdout.write(`${emu.url}\n`);
  const stop = (): void => {
    void emu.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
