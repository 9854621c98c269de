/**
 * Real browser (issue 3, item 6): Debian's headless chromium, a CRM host page on one origin
 * embedding the gadget frame from another and a foreign frame from a third. The C4C Live
 * Activity messages arrive at the host in both formats, with the host's exact origin as
 * targetOrigin; a click-to-dial posted from the host starts a call that carries C4C's
 * ActivityUUID; the same message from the foreign origin is ignored and reported; an Avaya
 * CRMConnectMessage from the foreign origin is ignored by the host's Avaya source, while the
 * gadget's own interaction log reaches it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { bundle, html, launch, serve, type Browser, type Site } from './harness.js';

type Payload = Record<string, string>;
interface Sb {
  ready(): Promise<void>;
  arrive(from: string, cv1: string): Promise<string>;
  answer(id: string): Promise<void>;
  hold(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  data(id: string, d: Record<string, string>): Promise<void>;
  hangup(id: string): Promise<void>;
  farEndAnswer(id: string): Promise<void>;
  endWrapup(): Promise<void>;
  settle(): Promise<void>;
  workitems(): { id: string; state: string; classification: string; direction: string; ani: string }[];
  errors(): string[];
}
interface Host {
  received(): { origin: string; data: unknown }[];
  c4c(): { origin: string; data: unknown }[];
  clickToDial(payload: unknown): void;
  avayaRecords(): { id: string; source: string; ani: string }[];
  avayaErrors(): string[];
}
declare const sb: Sb;
declare const host: Host;
declare const foreign: { clickToDial(p: unknown): void; avaya(m: unknown): void };

/** Poll: requestAnimationFrame does not tick in a headless iframe. */
const POLL = { polling: 50, timeout: 10_000 };
const MAPPING = encodeURIComponent(JSON.stringify({ callVariable1: 'Custom_1', wrapUpReason: 'Custom_2' }));
const C2D = {
  PhoneNumber: '+1 6503054000',
  ActivityUUID: '00163EA718FC1EEABDD5608C895BDC71',
  BusinessPartnerID: '1545766',
  Direction: 'OUT',
  ESObjectID: 'COD_CONTACT_ES_CO',
  LoggedInUserID: 'SERVICEAGENT01',
  ObjectID: '1545766',
  ObjectThingType: 'COD_CONTACT_TT',
  ObjectTypeCode: '147',
  ObjectUUID: '00163E07C0211ED799FA20463CBFEF62',
};

/** The payload of a C4C message in either wire format (XML read back by the browser's DOMParser). */
async function payloads(page: Page, format: 'json' | 'xml'): Promise<Payload[]> {
  return page.evaluate((fmt) => {
    return host.c4c().map((m) => {
      if (fmt === 'json') return (m.data as { payload: Record<string, string> }).payload;
      const doc = new DOMParser().parseFromString(m.data as string, 'application/xml');
      if (doc.getElementsByTagName('parsererror').length > 0) throw new Error(`not XML: ${String(m.data)}`);
      const out: Record<string, string> = {};
      for (const el of Array.from(doc.documentElement.children)) out[el.tagName] = el.textContent ?? '';
      return out;
    });
  }, format);
}

describe('C4C and Avaya across origins in headless chromium', () => {
  let browser: Browser;
  let hostSite: Site;
  let gadgetSite: Site;
  let foreignSite: Site;

  beforeAll(async () => {
    const [gadgetJs, hostJs, foreignJs] = await Promise.all([bundle('test/browser/apps/gadget-frame.ts'), bundle('test/browser/apps/host.ts'), bundle('test/browser/apps/foreign.ts')]);
    gadgetSite = await serve({ '/gadget.html': ['text/html', html('<p>gadget</p>', '/gadget.js')], '/gadget.js': ['text/javascript', gadgetJs] });
    foreignSite = await serve({ '/foreign.html': ['text/html', html('<p>elsewhere</p>', '/foreign.js')], '/foreign.js': ['text/javascript', foreignJs] });
    hostSite = await serve({ '/': ['text/html', html('<h1>CRM</h1>', '/host.js')], '/host.js': ['text/javascript', hostJs] });
    browser = await launch();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([hostSite?.close(), gadgetSite?.close(), foreignSite?.close()]);
  });

  async function open(format: 'json' | 'xml'): Promise<{ page: Page; gadget: Frame; other: Frame }> {
    const page = await browser.context.newPage();
    const query = encodeURIComponent(`&format=${format}&mapping=${MAPPING}`);
    await page.goto(`${hostSite.origin}/?gadget=${encodeURIComponent(gadgetSite.origin)}&foreign=${encodeURIComponent(foreignSite.origin)}&gadgetQuery=${query}`);
    await page.waitForFunction(() => document.querySelectorAll('iframe').length === 2, undefined, POLL);
    const gadget = page.frames().find((f) => f.url().startsWith(gadgetSite.origin))!;
    const other = page.frames().find((f) => f.url().startsWith(foreignSite.origin))!;
    await gadget.waitForFunction(() => document.body.dataset.ready === 'true', undefined, POLL);
    await other.waitForFunction(() => 'foreign' in window, undefined, POLL);
    await gadget.evaluate(() => sb.ready());
    return { page, gadget, other };
  }

  for (const format of ['json', 'xml'] as const) {
    it(`an inbound call's live activity reaches the host (${format})`, async () => {
      const { page, gadget } = await open(format);
      const id = await gadget.evaluate(() => sb.arrive('+41445550100', 'INV-1001'));
      await gadget.evaluate((i) => sb.answer(i), id);
      await gadget.evaluate((i) => sb.hold(i), id);
      await gadget.evaluate((i) => sb.resume(i), id);
      await gadget.evaluate((i) => sb.data(i, { wrapUpReason: 'Sales' }), id);
      await gadget.evaluate((i) => sb.hangup(i), id);
      await gadget.evaluate(() => sb.endWrapup());
      await page.waitForFunction(() => host.c4c().length >= 4, undefined, POLL);
      const got = await payloads(page, format);
      expect(got.map((p) => [p.Event ?? '', p.EventType ?? '', p.Action ?? ''])).toEqual([
        ['CALL_ALLOCATED', 'Inbound', 'NOTIFY'],
        ['CALL_CONNECTED', 'Inbound', 'ACCEPT'],
        ['CALL_CONNECTED', 'UpdateActivity', ''],
        ['CALL_DISCONNECTED', 'Inbound', 'END'],
      ]);
      const ref = got[0]!.ExternalReferenceID!;
      expect(ref).toMatch(/^[A-Za-z0-9]{1,35}$/);
      expect(got.every((p) => p.ExternalReferenceID === ref && p.ANI === '+41445550100' && p.CID === 'CISCO9876' && p.Type === 'CALL')).toBe(true);
      expect(got[1]).toMatchObject({ Custom_1: 'INV-1001' });
      expect(got[2]).toMatchObject({ Custom_2: 'Sales' });
      // Every message came from the gadget's origin, addressed to the host's exact origin.
      const origins = await page.evaluate(() => host.c4c().map((m) => m.origin));
      expect(new Set(origins)).toEqual(new Set([gadgetSite.origin]));
      if (format === 'xml') {
        const raw = await page.evaluate(() => host.c4c().map((m) => m.data));
        expect(raw.every((m) => typeof m === 'string' && m.startsWith('<?xml version="1.0" encoding="utf-8"?><payload>'))).toBe(true);
      }
      // The gadget's interaction log went to the host as an Avaya CRMConnectMessage, and the
      // host's Avaya source (allow-listed: the gadget's origin and window) took it.
      await page.waitForFunction(() => host.avayaRecords().length === 1, undefined, POLL);
      expect(await page.evaluate(() => host.avayaRecords().map((r) => [r.id, r.source, r.ani]))).toEqual([[id, 'avaya', '+41445550100']]);
      expect(await gadget.evaluate(() => sb.errors())).toEqual([]);
      await page.close();
    });
  }

  it('a click-to-dial from the host starts a call carrying its ActivityUUID; from a foreign origin it is ignored and reported', async () => {
    const { page, gadget, other } = await open('json');
    await other.evaluate((p) => foreign.clickToDial(p), C2D);
    await gadget.waitForFunction(() => sb.errors().length > 0, undefined, POLL);
    expect(await gadget.evaluate(() => sb.workitems())).toEqual([]);
    const errors = await gadget.evaluate(() => sb.errors());
    expect(errors.join('\n')).toContain(foreignSite.origin);
    expect(errors.join('\n')).toMatch(/not in the allow-list/);

    await page.evaluate((p) => host.clickToDial(p), C2D);
    // The simulator runs on a SimulatedClock: keep time moving while the dial goes through.
    await gadget.waitForFunction(() => (void sb.settle(), sb.workitems().length === 1), undefined, POLL);
    await gadget.evaluate(() => sb.settle());
    const [call] = await gadget.evaluate(() => sb.workitems());
    expect(call).toMatchObject({ direction: 'Outgoing', ani: '+16503054000' });
    await gadget.evaluate((i) => sb.farEndAnswer(i), call!.id);
    await page.waitForFunction(() => host.c4c().length >= 2, undefined, POLL);
    const got = await payloads(page, 'json');
    expect(got.map((p) => [p.Event, p.EventType, p.ActivityUUID])).toEqual([
      ['CALL_ALLOCATED', 'Outbound', C2D.ActivityUUID],
      ['CALL_CONNECTED', 'Outbound', C2D.ActivityUUID],
    ]);
    await page.close();
  });

  it('an Avaya CRMConnectMessage from a foreign origin is ignored by the host and reported', async () => {
    const { page, other } = await open('json');
    const message = {
      type: 'CRMConnectMessage',
      action: 'requestSaveInteractionLog',
      data: { message: { body: { interactionId: 'forged-1', interactionData: { updatedOriginatingAddress: '+41440000000', updatedDestinationAddress: '8005550100', interaction: { intrinsics: { START_TIME: '2026-03-02T08:00:00.000Z' } } } } } },
    };
    await other.evaluate((m) => foreign.avaya(m), message);
    await page.waitForFunction(() => host.avayaErrors().length > 0, undefined, POLL);
    expect(await page.evaluate(() => host.avayaRecords())).toEqual([]);
    const errors = await page.evaluate(() => host.avayaErrors());
    expect(errors[0]).toContain(foreignSite.origin);
    await page.close();
  });
});
