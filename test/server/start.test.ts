import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { runStart } from '../../src/cli/start.js';
import { main } from '../../src/cli/main.js';

describe('switchboard start', () => {
  it('starts the server, prints the demo page URL, serves it, and stops after --duration', async () => {
    let out = '';
    const stdout = new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString('utf8');
        done();
      },
    });
    const running = runStart({ port: 0, agents: 3, rate: 0, source: 'sim', store: 'sqlite::memory:', config: undefined, seed: 1, flavor: undefined, durationSeconds: 1.5, noBuild: true, stdout });
    const until = Date.now() + 5000;
    while (!out.includes('Demo CRM page:') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const url = /Demo CRM page:\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
    expect(url).toBeDefined();
    const page = await fetch(url ?? '');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Demo CRM');
    const health = await fetch(`${url ?? ''}healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok', source: 'sim' });
    expect(await running).toBe(0);
    await expect(fetch(url ?? '')).rejects.toThrow();
  });

  it('--source finesse without its environment is a usage error naming the variable', async () => {
    const stdout = new Writable({ write: (_c, _e, done) => done() });
    await expect(runStart({ port: 0, agents: 1, rate: 0, source: 'finesse', store: 'sqlite::memory:', config: undefined, seed: 1, flavor: undefined, durationSeconds: 0, noBuild: true, stdout, env: {} })).rejects.toThrow(/SWITCHBOARD_FINESSE_URL/);
  });

  it('start --help documents port, agents, rate, source, store and config; bad --source is refused', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['start', '--help'])).toBe(0);
      const help = write.mock.calls.map((c) => String(c[0])).join('');
      for (const opt of ['--port', '--agents', '--rate', '--source sim|finesse', '--store', '--config']) expect(help).toContain(opt);
    } finally {
      write.mockRestore();
    }
    await expect(main(['start', '--source', 'avaya'])).rejects.toThrow(/--source must be sim or finesse/);
  });
});
