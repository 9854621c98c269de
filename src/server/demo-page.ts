/**
 * @module server/demo-page
 * The demo CRM page's HTML shell and its script, bundled by esbuild from `src/server/demo/`
 * when the server starts (a plain TS file, no framework). Without the sources or esbuild (an
 * installed package) the page says so instead of failing the server.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export async function bundleDemo(root: string): Promise<string> {
  const entry = join(root, 'src', 'server', 'demo', 'main.ts');
  if (!existsSync(entry)) return missing('the demo page sources (src/server/demo/) are not here');
  try {
    const esbuild = await import('esbuild');
    const out = await esbuild.build({ entryPoints: [entry], bundle: true, write: false, format: 'esm', target: 'es2022', minify: false, logLevel: 'silent' });
    return out.outputFiles[0]?.text ?? missing('esbuild produced nothing');
  } catch (err) {
    return missing(`the demo page could not be bundled: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function missing(why: string): string {
  return `document.body.textContent = ${JSON.stringify(`Switchboard demo CRM page unavailable: ${why}`)};\n`;
}

/** The page: its script fetches everything else (config, log, queues) from this origin. */
export function demoHtml(gadgetOrigin: string): string {
  const csp = `default-src 'self'; frame-src ${gadgetOrigin}; style-src 'self' 'unsafe-inline'; script-src 'self'`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchboard demo CRM</title>
<meta http-equiv="Content-Security-Policy" content="${csp}">
<style>
body{font-family:system-ui,sans-serif;margin:0;display:grid;grid-template-columns:380px 1fr;min-height:100vh}
#gadget{border:0;border-right:1px solid #ccc;width:380px;height:100vh}
main{padding:1em;overflow:auto} section{margin-bottom:1.5em}
h1{font-size:1.3em} h2{font-size:1.1em;border-bottom:1px solid #ddd}
.steps{margin:.2em 0;font-family:monospace}
.activity{border:1px solid #bbd;border-radius:4px;padding:.5em;margin:.5em 0;background:#f7f8ff}
dl{display:grid;grid-template-columns:max-content 1fr;gap:0 1em;margin:0} dt{font-weight:600}
table{border-collapse:collapse} td,th{border:1px solid #ddd;padding:2px 6px;text-align:left}
</style></head>
<body><iframe id="gadget" title="Switchboard gadget" allow="clipboard-write"></iframe>
<main><h1>Demo CRM (stands where SAP C4C stands)</h1>
<section aria-labelledby="h-act"><h2 id="h-act">Live activities</h2><div id="activities" role="log" aria-live="polite"></div></section>
<section aria-labelledby="h-con"><h2 id="h-con">Contacts</h2><ul id="contacts"></ul></section>
<section aria-labelledby="h-q"><h2 id="h-q">Queues</h2><table id="queues"></table></section>
<section aria-labelledby="h-log"><h2 id="h-log">Interaction log</h2><table id="log"></table><button id="more" hidden>More</button></section>
</main><script type="module" src="/demo.js"></script></body></html>
`;
}
