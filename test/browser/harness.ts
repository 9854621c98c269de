/**
 * Browser test harness: Debian's chromium driven by playwright-core (never a downloaded
 * browser), pages served from several loopback origins (one per port), and test apps bundled
 * from TypeScript with esbuild at test time. The network is closed; Chromium runs with the
 * flags that keep it from reaching out.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.SWITCHBOARD_CHROMIUM ?? '/usr/bin/chromium';

/** Bundle a browser entry point (TypeScript) into one ES module string. */
export async function bundle(entry: string, define: Record<string, string> = {}): Promise<string> {
  const out = await build({ entryPoints: [entry], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', define, logLevel: 'silent' });
  const file = out.outputFiles[0];
  if (file === undefined) throw new Error(`esbuild produced nothing for ${entry}`);
  return file.text;
}

export interface Site {
  origin: string;
  close(): Promise<void>;
}

/** Serve a fixed set of paths (path → [content type, body]) on a fresh loopback port. */
export async function serve(routes: Record<string, [string, string]>): Promise<Site> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = routes[path];
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': route[0], 'cache-control': 'no-store' }).end(route[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Debian chromium with a fresh profile. */
export async function launch(): Promise<Browser> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const html = (body: string, script?: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>switchboard test</title></head><body>${body}${script === undefined ? '' : `<script type="module" src="${script}"></script>`}</body></html>`;
