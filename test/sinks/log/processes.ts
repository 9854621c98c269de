/**
 * Several OS processes saving the same ids into one store at the same instant: the idempotency
 * the Store port promises across processes, checked for real (not only across connections).
 * Each process opens the store and says "ready"; once all have, they are told "go" together.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./save-worker.ts', import.meta.url));

interface Worker {
  ready: Promise<void>;
  done: Promise<string[]>;
  go(): void;
}

function start(url: string, tag: string, count: number): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, url, tag, String(count)], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    if (out.startsWith('ready\n')) onReady();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const done = new Promise<string[]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`save worker ${tag} exited with ${code}: ${err}`));
      else resolve(JSON.parse(out.replace(/^ready\n/, '')) as string[]);
    });
  });
  // A worker that dies before "ready" must not leave the caller waiting for it.
  return { ready: Promise.race([ready, done.then(() => undefined)]), done, go: () => child.stdin.end('go\n') };
}

/** Each process's inserted ids, by tag (`p0`, `p1`, ...). */
export async function saveFromProcesses(url: string, processes: number, count: number): Promise<Map<string, string[]>> {
  const tags = Array.from({ length: processes }, (_, i) => `p${i}`);
  const workers = tags.map((tag) => start(url, tag, count));
  try {
    await Promise.all(workers.map((w) => w.ready));
  } finally {
    for (const w of workers) w.go();
  }
  const results = await Promise.all(workers.map((w) => w.done));
  return new Map(tags.map((tag, i) => [tag, results[i] ?? []]));
}
