/**
 * The gadget in a real browser (issue 5, item 3): Debian's headless chromium, the gadget as
 * Vite builds it, served with a test-local bridge server (SimContactCenter for agent 1001) on
 * one loopback origin, inside a CRM host page on another. The agent state shows, the agent
 * signs in and goes Ready with the keyboard alone, an incoming call shows only the buttons its
 * capabilities allow, Answer takes it, and the host page receives C4C's NOTIFY and ACCEPT from
 * the gadget's origin.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import type { Frame, Page } from 'playwright-core';
import { systemClock } from '../../src/core/clock.js';
import { SimContactCenter } from '../../src/sources/sim/index.js';
import { launch, serve, type Browser, type Site } from '../browser/harness.js';
import { serveGadget, type GadgetSite } from './ws-server.js';

const POLL = { polling: 50, timeout: 10_000 };
const MAPPING = encodeURIComponent(JSON.stringify({ callVariable1: 'Custom_1' }));
const HOST_JS = `
window.received = [];
addEventListener('message', (e) => window.received.push({ origin: e.origin, data: e.data }));
const f = document.createElement('iframe');
f.id = 'gadget';
f.title = 'Agent toolbar';
f.src = new URLSearchParams(location.search).get('gadget');
f.style.width = '600px';
f.style.height = '700px';
document.body.append(f);
`;

declare const received: { origin: string; data: unknown }[];

describe('the gadget in headless chromium', () => {
  let out: string;
  let cc: SimContactCenter;
  let host: Site;
  let gadget: GadgetSite;
  let browser: Browser;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'sb-gadget-'));
    await build({ configFile: 'vite.config.ts', logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });
    cc = new SimContactCenter({
      clock: systemClock,
      seed: 3,
      wrapup: 'optional',
      agents: [
        { id: '1001', extension: '1001001', firstName: 'Ada', lastName: 'Meier', loginName: 'ameier', teamId: 't1', skills: ['sales'] },
        { id: '1002', extension: '1001002', firstName: 'Bo', lastName: 'Keller', loginName: 'bkeller', teamId: 't1', skills: ['support'] },
      ],
      queues: [
        { id: 'sales', name: 'Sales' },
        { id: 'support', name: 'Support' },
      ],
    });
    host = await serve({
      '/': ['text/html', '<!doctype html><html><head><meta charset="utf-8"><title>CRM</title></head><body><h1>CRM</h1><script type="module" src="/host.js"></script></body></html>'],
      '/host.js': ['text/javascript', HOST_JS],
    });
    gadget = await serveGadget(out, cc, () => ({ c4cOrigin: host.origin, format: 'json', cid: 'CISCO9876' }));
    browser = await launch();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([host?.close(), gadget?.close()]);
    if (out !== undefined) rmSync(out, { recursive: true, force: true });
  });

  const buttons = (frame: Frame, scope: string): Promise<string[]> => frame.locator(`${scope} [role=toolbar] > button`).allTextContents();

  async function press(page: Page, frame: Frame, selector: string, key = 'Enter'): Promise<void> {
    await frame.locator(selector).focus();
    await page.keyboard.press(key);
  }

  it('signs in, goes Ready by keyboard, shows an incoming call with only Answer, answers, holds, resumes, edits a variable, ends, sets a custom wrap-up reason; C4C gets NOTIFY, ACCEPT, UpdateActivity, END', async () => {
    const page = await browser.context.newPage();
    const errorsOnPage: string[] = [];
    page.on('pageerror', (e) => errorsOnPage.push(e.message));
    const src = `${gadget.origin}/index.html?agent=1001&mapping=${MAPPING}`;
    await page.goto(`${host.origin}/?gadget=${encodeURIComponent(src)}`);
    await page.waitForFunction(() => document.querySelector('iframe') !== null, undefined, POLL);
    let frame: Frame | undefined;
    await expect.poll(() => (frame = page.frames().find((f) => f.url().startsWith(gadget.origin))), POLL).toBeDefined();
    const g = frame!;
    await g.waitForFunction(() => document.body.dataset.ready === 'true', undefined, POLL);

    const state = g.locator('[data-testid=agent-state]');
    await expect.poll(() => state.textContent(), POLL).toBe('Logout');

    // Sign in (NotReady) with Enter, then reach Ready from "Log out" with the toolbar's arrow keys.
    await press(page, g, 'role=toolbar[name="Sign in"] >> role=button[name="Log in"]');
    await expect.poll(() => state.textContent(), POLL).toBe('NotReady');
    await g.locator('role=toolbar[name="Agent state"] >> role=button[name="Log out"]').focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await g.evaluate(() => document.activeElement?.textContent)).toBe('Ready');
    await page.keyboard.press('Enter');
    await expect.poll(() => state.textContent(), POLL).toBe('Ready');

    const id = cc.arrive({ from: '+41445550100', queue: 'sales', callVariables: { callVariable1: 'INV-1001' } });
    const card = `article[data-workitem="${id}"]`;
    await g.waitForSelector(`${card}[data-state=Offered]`, { timeout: 10_000 });
    expect(await buttons(g, card)).toEqual(['Answer']);
    expect(await g.locator(`${card} [aria-label="DTMF keypad"]`).count()).toBe(0);
    expect(await g.locator(`${card} form.address`).count()).toBe(0);
    expect(await g.locator('[data-testid=announce]').textContent()).toBe('Incoming call from +41445550100');
    expect(await g.locator(`${card} .vars`).textContent()).toContain('INV-1001');

    await press(page, g, `${card} >> role=button[name="Answer"]`);
    await g.waitForSelector(`${card}[data-state=Active]`, { timeout: 10_000 });
    const active = await buttons(g, card);
    expect(active).toContain('Hold');
    expect(active).toContain('End');
    expect(active).not.toContain('Answer');

    await page.waitForFunction(() => received.length >= 2, undefined, POLL);
    const got = await page.evaluate(() => received);
    expect(new Set(got.map((m) => m.origin))).toEqual(new Set([gadget.origin]));
    const payloads = got.map((m) => (m.data as { payload: Record<string, string> }).payload);
    expect(payloads.map((p) => [p.Event, p.EventType, p.Action])).toEqual([
      ['CALL_ALLOCATED', 'Inbound', 'NOTIFY'],
      ['CALL_CONNECTED', 'Inbound', 'ACCEPT'],
    ]);
    expect(payloads[1]).toMatchObject({ ANI: '+41445550100', CID: 'CISCO9876', Custom_1: 'INV-1001' });

    // Hold and resume by keyboard; edit a call variable (UpdateData) and C4C gets UpdateActivity.
    await press(page, g, `${card} >> role=button[name="Hold"]`);
    await g.waitForSelector(`${card}[data-state=Paused]`, { timeout: 10_000 });
    expect(await buttons(g, card)).toContain('Resume');
    await press(page, g, `${card} >> role=button[name="Resume"]`);
    await g.waitForSelector(`${card}[data-state=Active]`, { timeout: 10_000 });
    await g.locator(`${card} input[aria-label=callVariable1]`).fill('INV-2002');
    await press(page, g, `${card} >> role=button[name="Save callVariable1"]`);
    await page.waitForFunction(() => received.length >= 3, undefined, POLL);

    // End, then a custom wrap-up reason; C4C gets END once.
    await press(page, g, `${card} >> role=button[name="End"]`);
    await g.waitForSelector(`${card}[data-state=Wrapup]`, { timeout: 10_000 });
    await g.locator(`${card} input[aria-label="Custom wrap-up reason"]`).fill('Callback promised');
    await page.keyboard.press('Enter');
    await expect.poll(() => g.locator(`${card} select option:checked`).textContent(), POLL).toBe('Callback promised (custom)');
    await page.waitForFunction(() => received.length >= 4, undefined, POLL);
    const all = (await page.evaluate(() => received)).map((m) => (m.data as { payload: Record<string, string> }).payload);
    expect(all.map((p) => [p.Event, p.EventType, p.Action ?? ''])).toEqual([
      ['CALL_ALLOCATED', 'Inbound', 'NOTIFY'],
      ['CALL_CONNECTED', 'Inbound', 'ACCEPT'],
      ['CALL_CONNECTED', 'UpdateActivity', ''],
      ['CALL_DISCONNECTED', 'Inbound', 'END'],
    ]);
    expect(all[2]).toMatchObject({ Custom_1: 'INV-2002' });
    expect(await g.locator('[role=alert] li').allTextContents()).toEqual([]);
    expect(errorsOnPage).toEqual([]);
    await page.close();
  });

  it('comes back with the call after a reload mid-call, with no second NOTIFY or ACCEPT', async () => {
    const page = await browser.context.newPage();
    const src = `${gadget.origin}/index.html?agent=1002&mapping=${MAPPING}`;
    await page.goto(`${host.origin}/?gadget=${encodeURIComponent(src)}`);
    let frame: Frame | undefined;
    await expect.poll(() => (frame = page.frames().find((f) => f.url().startsWith(gadget.origin))), POLL).toBeDefined();
    const g = frame!;
    await g.waitForFunction(() => document.body.dataset.ready === 'true', undefined, POLL);
    const state = g.locator('[data-testid=agent-state]');
    await expect.poll(() => state.textContent(), POLL).toBe('Logout');
    await press(page, g, 'role=button[name="Log in"]');
    await expect.poll(() => state.textContent(), POLL).toBe('NotReady');
    await press(page, g, 'role=toolbar[name="Agent state"] >> role=button[name="Ready"]');
    await expect.poll(() => state.textContent(), POLL).toBe('Ready');
    const id = cc.arrive({ from: '+41445550200', queue: 'support' });
    const card = `article[data-workitem="${id}"]`;
    await g.waitForSelector(`${card}[data-state=Offered]`, { timeout: 10_000 });
    await press(page, g, `${card} >> role=button[name="Answer"]`);
    await g.waitForSelector(`${card}[data-state=Active]`, { timeout: 10_000 });
    await page.waitForFunction(() => received.length >= 2, undefined, POLL);

    await g.evaluate(() => location.reload());
    await g.waitForFunction(() => document.body.dataset.ready === 'true', undefined, POLL);
    await g.waitForSelector(`${card}[data-state=Active]`, { timeout: 10_000 });
    expect(await buttons(g, card)).toContain('End');
    await new Promise((r) => setTimeout(r, 500));
    const got = (await page.evaluate(() => received)).map((m) => (m.data as { payload: Record<string, string> }).payload);
    expect(got.map((p) => p.Action)).toEqual(['NOTIFY', 'ACCEPT']);
    expect(await g.locator('[role=alert] li').allTextContents()).toEqual([]);
    await page.close();
  });
});
