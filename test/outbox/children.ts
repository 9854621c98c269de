/**
 * Delivering processes for the outbox tests: start deliver-child.ts as an OS process, let
 * several start together ("go"), wait for them, or kill one with SIGKILL mid-delivery. The
 * shared log file is how the test sees what each process delivered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./deliver-child.ts', import.meta.url));

export interface Child {
  process: ChildProcess;
  ready: Promise<void>;
  /** Resolves with the exit code, or the signal that ended it. */
  exited: Promise<number | NodeJS.Signals>;
  go(): void;
  stderr(): string;
}

export interface ChildOptions {
  url: string;
  tag: string;
  log: string;
  delayMs: number;
  leaseMs: number;
  waitForGo: boolean;
}

export function startChild(o: ChildOptions): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, o.url, o.tag, o.log, String(o.delayMs), String(o.leaseMs), o.waitForGo ? '1' : '0'], {
    cwd: process.cwd(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    if (out.startsWith('ready\n')) onReady();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | NodeJS.Signals>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(signal ?? code ?? -1));
  });
  return { process: child, ready: Promise.race([ready, exited.then(() => undefined)]), exited, go: () => child.stdin?.end('go\n'), stderr: () => err };
}

export interface LogLine {
  tag: string;
  event: 'deliver' | 'recorded' | 'already-recorded' | 'dead' | 'error';
  id?: string;
  callKey?: string;
  seq?: number;
  attempts?: number;
  message?: string;
  error?: string;
}

export function readLog(path: string): LogLine[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as LogLine);
}

/** For each call, the seqs in the order their deliveries started: never decreasing when order holds. */
export function orderViolations(lines: readonly LogLine[]): string[] {
  const last = new Map<string, number>();
  const out: string[] = [];
  for (const l of lines) {
    if (l.event !== 'deliver' || l.callKey === undefined || l.seq === undefined) continue;
    const prev = last.get(l.callKey) ?? 0;
    if (l.seq < prev) out.push(`${l.callKey}: seq ${l.seq} delivered after seq ${prev}`);
    last.set(l.callKey, Math.max(prev, l.seq));
  }
  return out;
}
