/**
 * `npm run screenshots`: the README's pictures, taken by a script rather than by hand so they
 * stay true. Starts the server on the demo's defaults (simulator, an in-memory log), opens the
 * demo CRM page in Debian's headless chromium, signs agent 1001 in, lets a call arrive, answers
 * it, and writes `docs/img/demo-page.png` (the whole CRM page) and `docs/img/gadget.png` (the
 * gadget frame). Needs `npm run build` first (the gadget in dist-gadget/).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Frame } from 'playwright-core';
import { RequestableAgentState } from '../src/core/model.js';
import { createServer } from '../src/server/app.js';
import { launch } from '../test/browser/harness.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'docs', 'img');
const WAIT = { polling: 50, timeout: 15_000 } as const;

async function main(): Promise<void> {
  const gadgetDir = join(ROOT, 'dist-gadget');
  if (!existsSync(join(gadgetDir, 'index.html'))) throw new Error('dist-gadget/ is missing: run npm run build first');
  mkdirSync(OUT, { recursive: true });
  const server = await createServer({
    store: 'sqlite::memory:',
    platform: { kind: 'sim', agents: 3, humanAgents: 2, rate: 0, talkTimeMs: 600_000 },
    gadgetDir,
    c4c: { mapping: { callVariable1: 'Custom_1' } },
    logStream: { write: () => undefined },
  });
  const browser = await launch();
  try {
    const sim = server.platform.sim;
    if (sim === undefined) throw new Error('no simulator');
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.goto(`${server.crmOrigin}/`);
    const gadget = async (): Promise<Frame> => {
      for (;;) {
        const f = page.frames().find((x) => x.url().startsWith(server.gadgetOrigin));
        if (f !== undefined) return f;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const g = await gadget();
    await g.waitForFunction(() => document.body.dataset.ready === 'true', undefined, WAIT);
    await g.locator('role=button[name="Log in"]').click();
    await g.waitForFunction(() => document.querySelector('[data-testid=agent-state]')?.textContent === 'NotReady', undefined, WAIT);
    await g.locator('role=toolbar[name="Agent state"] >> role=button[name="Ready"]').click();
    await g.waitForFunction(() => document.querySelector('[data-testid=agent-state]')?.textContent === 'Ready', undefined, WAIT);
    sim.setAgentState('1003', RequestableAgentState.NotReady);
    const id = sim.arrive({ from: '+41445550101', queue: 'sales', callVariables: { callVariable1: 'INV-2026-0042' } });
    await g.waitForSelector(`article[data-workitem="${id}"][data-state=Offered]`, WAIT);
    await g.locator(`article[data-workitem="${id}"] >> role=button[name="Answer"]`).click();
    await g.waitForSelector(`article[data-workitem="${id}"][data-state=Active]`, WAIT);
    await page.waitForFunction(() => (document.querySelector('#activities .activity .steps')?.textContent ?? '').includes('ACCEPT'), undefined, WAIT);
    await new Promise((r) => setTimeout(r, 1500)); // a call timer that shows seconds, queues refreshed
    await page.screenshot({ path: join(OUT, 'demo-page.png'), fullPage: true });
    await page.locator('#gadget').screenshot({ path: join(OUT, 'gadget.png') });
    process.stdout.write(`wrote ${join('docs', 'img', 'demo-page.png')} and ${join('docs', 'img', 'gadget.png')}\n`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`screenshots: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
