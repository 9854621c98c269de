import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { html, launch, serve, type Browser, type Site } from './harness.js';

describe('browser harness', () => {
  let browser: Browser;
  let host: Site;
  let frame: Site;
  beforeAll(async () => {
    frame = await serve({ '/': ['text/html', html('<p>frame</p><script>parent.postMessage({hello: location.origin}, new URLSearchParams(location.search).get("parent"))</script>')] });
    host = await serve({
      '/': ['text/html', html(
          `<script>window.got = []; addEventListener('message', (e) => got.push([e.origin, e.data]));
           const f = document.createElement('iframe'); f.src = '${frame.origin}/?parent=' + encodeURIComponent(location.origin); document.body.append(f);</script>`,
        )],
    });
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await frame?.close();
  });

  it('a frame on another origin reaches the host page', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${host.origin}/`);
    await page.waitForFunction(() => (window as unknown as { got: unknown[] }).got.length > 0);
    const got = await page.evaluate(() => (window as unknown as { got: unknown[] }).got);
    expect(got).toEqual([[frame.origin, { hello: frame.origin }]]);
    expect(frame.origin).not.toBe(host.origin);
  });
});
