/**
 * A PostgreSQL server for the store tests: `SWITCHBOARD_PG_URL` when it is set, otherwise a
 * throwaway cluster started here from the installed binaries (Debian's
 * `/usr/lib/postgresql/<version>/bin`, else `pg_config --bindir`, else `initdb` on PATH) in a
 * temporary directory, on a free loopback port, with a random superuser password and
 * scram-sha-256 over TCP — and stopped and deleted afterwards.
 *
 * PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` user (created
 * by the Debian package) through `runuser`, in a directory handed to that user.
 *
 * With no binaries and no URL, `startPostgres` throws, saying what to install: the suite fails,
 * it is never silently skipped.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PgServer {
  /** A superuser URL (with its password). */
  url: string;
  /** True when the server came from SWITCHBOARD_PG_URL (not ours to stop). */
  external: boolean;
  /** How the server was obtained, for the test log. */
  description: string;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'PostgreSQL is needed for the PostgreSQL store tests and none was found. Install the server binaries ' +
  '(Debian/Ubuntu: `apt-get install -y postgresql`, or run .ci/postgres.sh), or point SWITCHBOARD_PG_URL at a server ' +
  'where the user may create schemas, e.g. SWITCHBOARD_PG_URL=postgres://user:password@127.0.0.1:5432/switchboard_test.';

export interface FindOptions {
  /** Where Debian installs the versions. Default /usr/lib/postgresql. */
  debianRoot?: string;
  /** The environment (PATH) to look for pg_config and initdb in. Default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** The directory holding initdb and pg_ctl, or undefined. */
export function findPostgresBinaries(options: FindOptions = {}): string | undefined {
  const debian = options.debianRoot ?? '/usr/lib/postgresql';
  const env = options.env ?? process.env;
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const bin = join(debian, v, 'bin');
      if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
    }
  }
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8', env });
  const fromConfig = pgConfig.status === 0 ? pgConfig.stdout.trim() : '';
  if (fromConfig !== '' && existsSync(join(fromConfig, 'initdb')) && existsSync(join(fromConfig, 'pg_ctl'))) return fromConfig;
  const which = spawnSync('/bin/sh', ['-c', 'command -v initdb'], { encoding: 'utf8', env });
  const initdb = which.status === 0 ? which.stdout.trim() : '';
  if (initdb !== '') {
    const bin = initdb.slice(0, initdb.lastIndexOf('/'));
    if (existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** As root, the `postgres` user's ids and how to run a command as that user. */
function runAs(): { uid: number; gid: number; prefix: string[] } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error('running as root, and PostgreSQL refuses to: a `postgres` user is needed to run the test cluster (the Debian postgresql package creates it), or set SWITCHBOARD_PG_URL');
  }
  if (spawnSync('runuser', ['--help'], { encoding: 'utf8' }).error !== undefined) throw new Error('running as root: `runuser` (util-linux) is needed to start the test cluster as the postgres user');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), prefix: ['runuser', '-u', 'postgres', '--'] };
}

export async function startPostgres(options: FindOptions = {}): Promise<PgServer> {
  const given = (options.env ?? process.env).SWITCHBOARD_PG_URL;
  if (given !== undefined && given !== '') {
    return { url: given, external: true, description: 'SWITCHBOARD_PG_URL', stop: () => Promise.resolve() };
  }
  const bin = findPostgresBinaries(options);
  if (bin === undefined) throw new Error(INSTALL_HINT);
  const as = runAs();
  const exec = async (file: string, args: string[]) => {
    const [cmd, ...rest] = as === undefined ? [join(bin, file), ...args] : [...as.prefix, join(bin, file), ...args];
    return run(cmd ?? '', rest, { env: { ...process.env, LC_ALL: 'C', LANG: 'C' }, timeout: 60_000 });
  };

  const dir = mkdtempSync(join(tmpdir(), 'switchboard-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const pwfile = join(dir, 'pw');
  const password = randomBytes(12).toString('hex');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  chmodSync(dir, 0o700);
  if (as !== undefined) {
    chownSync(dir, as.uid, as.gid);
    chownSync(pwfile, as.uid, as.gid);
  }
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    await exec('initdb', ['-D', data, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync']);
  } catch (err) {
    cleanup();
    throw new Error(`initdb (${bin}) failed: ${describeFailure(err)}`);
  }
  rmSync(pwfile);

  let port = 0;
  let started = false;
  let lastError = '';
  for (let tries = 0; tries < 3 && !started; tries++) {
    port = await freePort();
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    try {
      await exec('pg_ctl', ['-D', data, '-o', options, '-l', log, '-w', '-t', '30', 'start']);
      started = true;
    } catch (err) {
      lastError = `${describeFailure(err)}\n${existsSync(log) ? readFileSync(log, 'utf8') : ''}`;
    }
  }
  if (!started) {
    cleanup();
    throw new Error(`pg_ctl start (${bin}) failed: ${lastError}`);
  }

  // If the test process dies without afterAll, do not leave a server behind.
  const stopNow = () => {
    const [cmd, ...rest] = as === undefined ? [join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'] : [...as.prefix, join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'];
    spawnSync(cmd ?? '', rest, { stdio: 'ignore' });
    cleanup();
  };
  process.once('exit', stopNow);
  const version = bin.match(/postgresql\/([^/]+)\//)?.[1] ?? bin;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    external: false,
    description: `throwaway PostgreSQL ${version} cluster on 127.0.0.1:${port} in ${dir}`,
    stop: async () => {
      process.removeListener('exit', stopNow);
      try {
        await exec('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        cleanup();
      }
    },
  };
}

function describeFailure(err: unknown): string {
  if (err instanceof Error) {
    const e = err as Error & { stderr?: string; stdout?: string };
    return [e.message, e.stdout, e.stderr].filter((s) => s !== undefined && s !== '').join('\n');
  }
  return String(err);
}
