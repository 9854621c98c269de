/**
 * The emulator as its own process: the first line on stdout is its URL; killed with SIGKILL and
 * started again on its journal, it still has its rows.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const MAIN = new URL('../../src/servicenow-emulator/main.ts', import.meta.url).pathname;

function start(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (url) => resolve({ child, url }));
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
}

describe('servicenow-emulator main', () => {
  it('prints its URL first, serves, survives kill -9 through --persist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sn-main-'));
    const auth = { Authorization: `Basic ${Buffer.from('svc:pw').toString('base64')}`, 'Content-Type': 'application/json' };
    try {
      const args = ['--port', '0', '--user', 'svc:pw', '--persist', join(dir, 't.jsonl'), '--table', 'u_phone_call'];
      const first = await start(args);
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${first.url}/api/now/table/u_phone_call`, { method: 'POST', headers: auth, body: '{"correlation_id":"K1"}' });
      expect(res.status).toBe(201);
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));
      const second = await start(args);
      try {
        const list = await fetch(`${second.url}/api/now/table/u_phone_call?sysparm_fields=correlation_id`, { headers: auth });
        expect(await list.json()).toEqual({ result: [{ correlation_id: 'K1' }] });
      } finally {
        second.child.kill('SIGTERM');
        await new Promise((r) => second.child.once('exit', r));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
