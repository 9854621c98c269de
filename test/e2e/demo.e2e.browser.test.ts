/**
 * End to end in Debian's headless chromium (issue 5, item 7): the real server (simulator,
 * SQLite log), the demo CRM page on its origin and the real gadget (the Vite build) in its
 * iframe on the gadget origin. What the CRM page received is read from the page itself: each
 * activity card lists the C4C messages it got, in order (`.steps`), and the log table is filled
 * from the store. Calls are made by the simulator the server runs (`server.platform.sim`);
 * agent 1003 is an auto agent (answers consultations by itself after 1-4 s).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import type { Frame, Page } from 'playwright-core';
import { RequestableAgentState } from '../../src/core/model.js';
import { createServer, type SwitchboardServer } from '../../src/server/app.js';
import type { SimContactCenter } from '../../src/sources/sim/index.js';
import { launch, serve, type Browser, type Site } from '../browser/harness.js';

const POLL = { polling: 50, timeout: 15_000 };

let out: string;
let data: string;
let server: SwitchboardServer;
let browser: Browser;
let foreign: Site;
let sim: SimContactCenter;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'sb-e2e-gadget-'));
  data = mkdtempSync(join(tmpdir(), 'sb-e2e-data-'));
  await build({ configFile: 'vite.config.ts', logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });
  server = await createServer({
    store: `sqlite:${join(data, 'log.db')}`,
    platform: { kind: 'sim', agents: 3, humanAgents: 2, rate: 0, talkTimeMs: 600_000 },
    gadgetDir: out,
    c4c: { mapping: { callVariable1: 'Custom_1' } },
    logStream: { write: () => undefined },
  });
  if (server.platform.sim === undefined) throw new Error('no simulator');
  sim = server.platform.sim;
  // A page on a third origin: it opens the CRM page and frames the gadget, then posts to both.
  foreign = await serve({
    '/': ['text/html', '<!doctype html><html><head><meta charset="utf-8"><title>foreign</title></head><body><p>foreign</p></body></html>'],
  });
  browser = await launch();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await foreign?.close();
  for (const d of [out, data]) if (d !== undefined) rmSync(d, { recursive: true, force: true });
});

/** The C4C messages the CRM page shows per activity: reference → steps. */
async function activities(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(() => {
    const outMap: Record<string, string[]> = {};
    for (const card of Array.from(document.querySelectorAll<HTMLElement>('#activities .activity'))) {
      outMap[card.dataset.reference ?? ''] = (card.querySelector('.steps')?.textContent ?? '').split(' → ');
    }
    return outMap;
  });
}

/** One field of an activity card as the page shows it. */
async function field(page: Page, reference: string, name: string): Promise<string | undefined> {
  return page.evaluate(
    ([ref, key]) => {
      const card = Array.from(document.querySelectorAll<HTMLElement>('#activities .activity')).find((c) => c.dataset.reference === ref);
      const dts = Array.from(card?.querySelectorAll('dt') ?? []);
      const dt = dts.find((d) => d.textContent === key);
      return dt?.nextElementSibling?.textContent ?? undefined;
    },
    [reference, name] as const,
  );
}

async function openCrm(agent: string): Promise<{ page: Page; gadget: () => Frame; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.crmOrigin}/?agent=${agent}`);
  const gadget = (): Frame => {
    const f = page.frames().find((x) => x.url().startsWith(server.gadgetOrigin));
    if (f === undefined) throw new Error('no gadget frame');
    return f;
  };
  await expect.poll(() => page.frames().some((x) => x.url().startsWith(server.gadgetOrigin)), POLL).toBe(true);
  await gadget().waitForFunction(() => document.body.dataset.ready === 'true', undefined, POLL);
  return { page, gadget, errors };
}

const agentState = (g: Frame): Promise<string | null> => g.locator('[data-testid=agent-state]').textContent();
const card = (id: string): string => `article[data-workitem="${id}"]`;
const click = (g: Frame, selector: string): Promise<void> => g.locator(selector).click();

async function signInReady(g: Frame): Promise<void> {
  await expect.poll(() => agentState(g), POLL).toBe('Logout');
  await click(g, 'role=button[name="Log in"]');
  await expect.poll(() => agentState(g), POLL).toBe('NotReady');
  await click(g, 'role=toolbar[name="Agent state"] >> role=button[name="Ready"]');
  await expect.poll(() => agentState(g), POLL).toBe('Ready');
}

/** The one activity (reference) whose steps match, waiting until it shows. */
async function waitSteps(page: Page, predicate: (steps: string[]) => boolean, what: string): Promise<string> {
  let found: string | undefined;
  await expect
    .poll(async () => {
      const all = await activities(page);
      found = Object.keys(all).find((k) => predicate(all[k] ?? []));
      return found;
    }, { ...POLL, message: what })
    .toBeDefined();
  return found!;
}

describe('the demo: CRM page + gadget + server, end to end', () => {
  it('a call from login to wrap-up: ready, answer, hold, resume, reload, consult and transfer, wrap-up reason; then click-to-dial', async () => {
    const { page, gadget, errors } = await openCrm('1001');
    await signInReady(gadget());
    // Agent 1003 (auto) must not take the customer call: it stays Not Ready until the consult.
    sim.setAgentState('1003', RequestableAgentState.NotReady);

    const id = sim.arrive({ from: '+41445550101', queue: 'sales', callVariables: { callVariable1: 'INV-77' } });
    await gadget().waitForSelector(`${card(id)}[data-state=Offered]`, { timeout: 15_000 });
    const ref = await waitSteps(page, (s) => s.join() === 'NOTIFY', 'NOTIFY when the call rings');
    expect(await field(page, ref, 'ANI')).toBe('+41445550101');
    expect(await field(page, ref, 'Event')).toBe('CALL_ALLOCATED');

    await click(gadget(), `${card(id)} >> role=button[name="Answer"]`);
    await gadget().waitForSelector(`${card(id)}[data-state=Active]`, { timeout: 15_000 });
    await expect.poll(async () => (await activities(page))[ref], POLL).toEqual(['NOTIFY', 'ACCEPT']);
    expect(await field(page, ref, 'Custom_1')).toBe('INV-77');
    // The caller is in the demo's CRM directory: looked up, and the phone-call record made.
    await expect.poll(() => gadget().locator(`${card(id)} [data-testid=crm]`).textContent(), POLL).toMatch(/^Caller: Hans Muster \(Acme AG\) · phone call \S+$/);

    // Hold and resume send nothing to C4C (SPEC).
    await click(gadget(), `${card(id)} >> role=button[name="Hold"]`);
    await gadget().waitForSelector(`${card(id)}[data-state=Paused]`, { timeout: 15_000 });
    await click(gadget(), `${card(id)} >> role=button[name="Resume"]`);
    await gadget().waitForSelector(`${card(id)}[data-state=Active]`, { timeout: 15_000 });

    // Reload the gadget mid-call: the call comes back, C4C gets nothing new.
    await gadget().evaluate(() => location.reload());
    await gadget().waitForFunction(() => document.body.dataset.ready === 'true', undefined, POLL);
    await gadget().waitForSelector(`${card(id)}[data-state=Active]`, { timeout: 15_000 });
    await new Promise((r) => setTimeout(r, 300));
    expect((await activities(page))[ref]).toEqual(['NOTIFY', 'ACCEPT']);

    // Consult agent 1003 (it answers by itself), then complete the transfer.
    sim.setAgentState('1003', RequestableAgentState.Ready);
    await gadget().locator(`#addr-${id}`).fill('1003001');
    await click(gadget(), `${card(id)} >> role=button[name="Consult"]`);
    await expect.poll(() => gadget().locator('article.workitem').count(), POLL).toBe(2);
    await gadget().waitForSelector(`${card(id)}[data-state=Paused]`, { timeout: 15_000 });
    await gadget().waitForSelector(`article.workitem:not(${card(id)})[data-state=Active]`, { timeout: 15_000 });
    // The consultation is not a customer call: no activity for it.
    expect(Object.keys(await activities(page))).toEqual([ref]);
    await click(gadget(), 'role=button[name="Complete transfer"]');

    // A consultative transfer ends the agent's part of the call (EndedTransferred, no wrap-up
    // for the transferring agent): C4C gets END for the activity.
    await expect.poll(() => gadget().locator(card(id)).count(), POLL).toBe(0);
    await expect.poll(async () => (await activities(page))[ref], POLL).toEqual(['NOTIFY', 'ACCEPT', 'END']);
    expect(Object.keys(await activities(page))).toEqual([ref]);

    // A second call, ended by the agent: wrap-up with a reason, then Ready ends the wrap-up.
    sim.setAgentState('1003', RequestableAgentState.NotReady);
    await expect.poll(() => agentState(gadget()), POLL).toBe('Ready');
    const id2 = sim.arrive({ from: '+41445550102', queue: 'sales' });
    await gadget().waitForSelector(`${card(id2)}[data-state=Offered]`, { timeout: 15_000 });
    await click(gadget(), `${card(id2)} >> role=button[name="Answer"]`);
    await gadget().waitForSelector(`${card(id2)}[data-state=Active]`, { timeout: 15_000 });
    const ref2 = await waitSteps(page, (s) => s.join() === 'NOTIFY,ACCEPT', 'the second call connected');
    await click(gadget(), `${card(id2)} >> role=button[name="End"]`);
    await gadget().waitForSelector(`${card(id2)}[data-state=Wrapup]`, { timeout: 15_000 });
    await expect.poll(async () => (await activities(page))[ref2], POLL).toEqual(['NOTIFY', 'ACCEPT', 'END']);
    await gadget().locator(`${card(id2)} select`).selectOption({ index: 1 });
    const reason = await gadget().locator(`${card(id2)} select option:checked`).textContent();
    expect(reason).not.toBe('(choose)');
    await click(gadget(), 'role=toolbar[name="Agent state"] >> role=button[name="Ready"]');
    await expect.poll(() => gadget().locator(card(id2)).count(), POLL).toBe(0);

    // The interaction log, from the store, on the CRM page: one row per call, the reason with it.
    const rows = page.locator('#log tr', { hasText: '+41445550102' });
    await expect.poll(() => rows.count(), POLL).toBe(1);
    expect(await rows.first().textContent()).toContain(reason ?? '?');
    await expect.poll(() => page.locator('#log tr', { hasText: '+41445550101' }).count(), POLL).toBe(1);
    // Saved once each: the two customer calls and the consultation leg.
    const saved = (await server.store.list({ agentId: '1001' })).records;
    expect(saved.map((r) => [r.ani, r.classification, r.finalState]).sort()).toEqual(
      [
        ['+41445550101', 'Customer', 'EndedTransferred'],
        ['+41445550102', 'Customer', 'Ended'],
        ['1003001', 'Consultation', 'Ended'],
      ].sort(),
    );

    // Click-to-dial from the CRM page's contacts: the outbound call carries the ActivityUUID C4C made.
    await expect.poll(() => agentState(gadget()), POLL).toBe('Ready');
    await page.locator('#contacts a', { hasText: '+1 650 305 4000' }).click();
    await expect.poll(() => gadget().locator('article.workitem[data-state=Initiated], article.workitem[data-state=Offered], article.workitem[data-state=Active]').count(), POLL).toBe(1);
    const dialRef = await waitSteps(page, (s) => s[0] === 'NOTIFY' && s.length >= 1 && !s.includes('END'), 'NOTIFY for the outbound call');
    expect(dialRef).not.toBe(ref);
    expect(await field(page, dialRef, 'ANI')).toBe('+16503054000');
    expect(await field(page, dialRef, 'EventType')).toBe('Outbound');
    expect(await field(page, dialRef, 'ActivityUUID')).toMatch(/^[0-9A-F]{32}$/);
    await expect.poll(() => gadget().locator('article.workitem [data-testid=crm]').textContent(), POLL).toContain('Caller: John Doe (Example Inc.)');
    await click(gadget(), 'article.workitem >> role=button[name="End"]');
    await expect.poll(async () => (await activities(page))[dialRef]?.at(-1), POLL).toBe('END');

    expect(await gadget().locator('[role=alert] li').allTextContents()).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('two tabs: one leads and writes to C4C, the other mirrors and acts; the leader closes and the other takes over within a second; nothing is written twice', async () => {
    const a = await openCrm('1002');
    const b = await openCrm('1002');
    await expect.poll(() => a.gadget().locator('main.gadget').getAttribute('data-tab'), POLL).toBe('leader');
    await expect.poll(() => b.gadget().locator('main.gadget').getAttribute('data-tab'), POLL).toBe('mirror');
    expect(await b.gadget().locator('.tab-note').textContent()).toContain('Mirroring');

    // Sign in from the mirror: both tabs show it (one session).
    sim.setAgentState('1001', RequestableAgentState.NotReady);
    await signInReady(b.gadget());
    await expect.poll(() => agentState(a.gadget()), POLL).toBe('Ready');

    // Click-to-dial in the mirror's CRM page: the mirror dials, the leader's sink binds the
    // ActivityUUID (relayed over the tabs' BroadcastChannel) and writes to its CRM page.
    const uuid = 'B'.repeat(32);
    await b.page.evaluate(
      ([origin, activityUUID]) => {
        const f = document.getElementById('gadget') as HTMLIFrameElement;
        f.contentWindow?.postMessage({ payload: { PhoneNumber: '+1 650 305 4001', ActivityUUID: activityUUID, Direction: 'OUT', Type: 'CALL' } }, origin);
      },
      [server.gadgetOrigin, uuid] as const,
    );
    const dialRef = await waitSteps(a.page, (st) => st[0] === 'NOTIFY', 'the dial announced by the leader');
    expect(await field(a.page, dialRef, 'ActivityUUID')).toBe(uuid);
    await click(a.gadget(), 'article.workitem >> role=button[name="End"]');
    await expect.poll(async () => (await activities(a.page))[dialRef]?.at(-1), POLL).toBe('END');
    await click(a.gadget(), 'role=toolbar[name="Agent state"] >> role=button[name="Ready"]');
    await expect.poll(() => a.gadget().locator('article.workitem').count(), POLL).toBe(0);
    await expect.poll(() => agentState(b.gadget()), POLL).toBe('Ready');
    sim.setAgentState('1003', RequestableAgentState.NotReady);
    const id = sim.arrive({ from: '+41445550202', queue: 'support' });
    await a.gadget().waitForSelector(`${card(id)}[data-state=Offered]`, { timeout: 15_000 });
    await b.gadget().waitForSelector(`${card(id)}[data-state=Offered]`, { timeout: 15_000 });
    // Answered in the mirror; only the leader's CRM page gets NOTIFY and ACCEPT.
    await click(b.gadget(), `${card(id)} >> role=button[name="Answer"]`);
    await a.gadget().waitForSelector(`${card(id)}[data-state=Active]`, { timeout: 15_000 });
    const ref = await waitSteps(a.page, (st) => st.join() === 'NOTIFY,ACCEPT', 'NOTIFY, ACCEPT in the leading tab');
    await new Promise((r) => setTimeout(r, 300));
    expect(await activities(b.page)).toEqual({});

    // The leader's tab closes: the mirror leads within a second.
    const closedAt = Date.now();
    await a.page.close();
    await b.gadget().waitForFunction(() => document.querySelector('main.gadget')?.getAttribute('data-tab') === 'leader', undefined, { polling: 20, timeout: 5_000 });
    const takeoverMs = Date.now() - closedAt;
    expect(takeoverMs).toBeLessThan(1000);

    // The call goes on in the new leader: END continues the same activity, no second NOTIFY/ACCEPT.
    await click(b.gadget(), `${card(id)} >> role=button[name="End"]`);
    await expect.poll(async () => (await activities(b.page))[ref], POLL).toEqual(['END']);
    await click(b.gadget(), 'role=toolbar[name="Agent state"] >> role=button[name="Ready"]');
    await expect.poll(() => b.gadget().locator(card(id)).count(), POLL).toBe(0);
    await expect.poll(() => server.store.count({ agentId: '1002' }), POLL).toBe(2);
    expect(b.errors).toEqual([]);
    expect(a.errors).toEqual([]);
    await b.page.close();
  }, 90_000);

  it('messages from a foreign origin are ignored: a fake activity to the CRM page, a click-to-dial to the gadget', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${foreign.origin}/`);
    const crmPopup = page.waitForEvent('popup');
    await page.evaluate((crm) => {
      (window as unknown as { crm: Window | null }).crm = window.open(`${crm}/?agent=1001`, 'crm');
    }, server.crmOrigin);
    const crm = await crmPopup;
    await crm.waitForLoadState();
    await expect.poll(() => crm.frames().some((f) => f.url().startsWith(server.gadgetOrigin)), POLL).toBe(true);
    const gadget = crm.frames().find((f) => f.url().startsWith(server.gadgetOrigin))!;
    await gadget.waitForFunction(() => document.body.dataset.ready === 'true', undefined, POLL);
    const before = Object.keys(await activities(crm)).length;

    // The foreign page posts a C4C activity to the CRM page it opened, and frames the gadget to
    // post it a click-to-dial.
    await page.evaluate(() => {
      const w = (window as unknown as { crm: Window }).crm;
      w.postMessage(JSON.stringify({ payload: { Type: 'CALL', EventType: 'Inbound', Event: 'CALL_ALLOCATED', Action: 'NOTIFY', ANI: '+19990000000', ExternalReferenceID: 'FAKE1' } }), '*');
    });
    await page.evaluate((src) => {
      const f = document.createElement('iframe');
      f.src = src;
      f.id = 'g';
      document.body.append(f);
    }, `${server.gadgetOrigin}/?agent=1001`);
    await expect.poll(() => page.frames().some((f) => f.url().startsWith(server.gadgetOrigin)), POLL).toBe(true);
    const fg = page.frames().find((f) => f.url().startsWith(server.gadgetOrigin))!;
    await fg.waitForFunction(() => document.body.dataset.ready === 'true', undefined, POLL);
    await page.evaluate((origin) => {
      const f = document.getElementById('g') as HTMLIFrameElement;
      f.contentWindow?.postMessage({ payload: { PhoneNumber: '+19990000001', ActivityUUID: 'A'.repeat(32), Direction: 'OUT', Type: 'CALL' } }, origin);
    }, server.gadgetOrigin);

    // The framed gadget says it refused the message; nobody dialled; the CRM page shows no fake.
    await expect.poll(() => fg.locator('[role=alert] li').allTextContents(), POLL).toEqual([expect.stringContaining(foreign.origin)]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await gadget.locator('article.workitem').count()).toBe(0);
    const after = await activities(crm);
    expect(Object.keys(after).length).toBe(before);
    expect(after.FAKE1).toBeUndefined();
    await crm.close();
    await page.close();
  }, 60_000);
});
