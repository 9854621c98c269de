/**
 * The demo CRM page in Debian's headless chromium, against the real server with a stand-in
 * gadget (a tiny page in a temporary gadget directory) on the gadget origin: activities from
 * the gadget origin are shown field by field as text, a message from another origin is
 * ignored, a contact's click-to-dial link posts seed 002's payload to the gadget frame with
 * the gadget's origin, and the log and queue tables are filled from the server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { launch, type Browser } from '../browser/harness.js';
import { createServer, type SwitchboardServer } from '../../src/server/app.js';
import { waitFor as poll } from '../wait.js';

const GADGET = `<!doctype html><html><head><meta charset="utf-8"><title>stand-in gadget</title></head><body>
<script>
window.received = [];
fetch('/api/gadget-config').then((r) => r.json()).then((cfg) => {
  window.addEventListener('message', (e) => { if (e.origin === cfg.c4cOrigin) window.received.push({ origin: e.origin, data: e.data }); });
  window.sendActivity = (payload) => parent.postMessage(JSON.stringify({ payload }), cfg.c4cOrigin);
  window.ready = true;
});
</script></body></html>`;

let server: SwitchboardServer;
let browser: Browser;
let dir: string;
let page: Page;


function gadgetFrame(): Frame {
  const f = page.frames().find((x) => x.url().startsWith(server.gadgetOrigin));
  if (f === undefined) throw new Error('no gadget frame');
  return f;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-gadget-'));
  writeFileSync(join(dir, 'index.html'), GADGET);
  server = await createServer({ store: 'sqlite::memory:', platform: { kind: 'sim', agents: 2, rate: 0 }, gadgetDir: dir, c4c: { mapping: { callVariable1: 'Custom_1' } }, logStream: { write: () => undefined } });
  browser = await launch();
  page = await browser.context.newPage();
  await page.goto(`${server.crmOrigin}/`);
  await poll('gadget frame ready', async () => page.frames().some((f) => f.url().startsWith(server.gadgetOrigin)) && (await gadgetFrame().evaluate(() => (window as unknown as { ready?: boolean }).ready === true)));
}, 30_000);

afterAll(async () => {
  await browser.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('demo CRM page', () => {
  it('embeds the gadget from the gadget origin with the mapping in its URL', () => {
    const url = new URL(gadgetFrame().url());
    expect(url.origin).toBe(server.gadgetOrigin);
    expect(JSON.parse(url.searchParams.get('mapping') ?? '{}')).toEqual({ callVariable1: 'Custom_1' });
    expect(url.searchParams.get('agent')).toBe('1001');
  });

  it('shows activities from the gadget origin field by field as text, and updates them in place', async () => {
    await gadgetFrame().evaluate(() => {
      (window as unknown as { sendActivity(p: unknown): void }).sendActivity({ Type: 'CALL', Event: 'CALL_ALLOCATED', Action: 'NOTIFY', EventType: 'Inbound', ANI: '+41445550101', ExternalReferenceID: 'REF1', Custom_1: '<img src=x id=evil>' });
    });
    const text = await poll('activity shown', async () => {
      const t = await page.locator('#activities').textContent();
      return t?.includes('REF1') === true ? t : undefined;
    });
    expect(text).toContain('+41445550101');
    expect(text).toContain('<img src=x id=evil>');
    expect(await page.locator('#activities img').count()).toBe(0);
    await gadgetFrame().evaluate(() => {
      (window as unknown as { sendActivity(p: unknown): void }).sendActivity({ Type: 'CALL', Event: 'CALL_CONNECTED', Action: 'ACCEPT', EventType: 'Inbound', ANI: '+41445550101', ExternalReferenceID: 'REF1' });
    });
    await poll('updated', async () => (await page.locator('#activities').textContent())?.includes('CALL_CONNECTED') === true);
    expect(await page.locator('#activities .activity').count()).toBe(1);
  });

  it('ignores a C4C message from any other origin or window', async () => {
    await page.evaluate(() => window.postMessage(JSON.stringify({ payload: { Event: 'CALL_ALLOCATED', ExternalReferenceID: 'FOREIGN1' } }), '*'));
    await new Promise((r) => setTimeout(r, 300));
    expect(await page.locator('#activities').textContent()).not.toContain('FOREIGN1');
  });

  it("a contact's click-to-dial link posts seed 002's outbound payload to the gadget with its exact origin", async () => {
    await page.locator('#contacts a').first().click();
    const got = await poll('payload in the gadget', async () => {
      const r = await gadgetFrame().evaluate(() => (window as unknown as { received: { origin: string; data: unknown }[] }).received);
      return r.length > 0 ? r : undefined;
    });
    const first = got[0] as { origin: string; data: { payload: Record<string, string> } };
    expect(first.origin).toBe(server.crmOrigin);
    expect(first.data.payload).toMatchObject({ PhoneNumber: '+41 44 555 01 01', Direction: 'OUT', BusinessPartnerID: '1000123' });
    expect(first.data.payload.ActivityUUID).toMatch(/^[0-9A-F]{32}$/);
  });

  it('fills the queue and interaction-log tables from the server', async () => {
    await poll('queues', async () => (await page.locator('#queues').textContent())?.includes('Support') === true);
    expect(await page.locator('#log th').count()).toBeGreaterThan(0);
  });
});
