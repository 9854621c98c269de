/**
 * `switchboard/c4c` and the config validator run in the gadget: they bundle for the browser with
 * no Node built-in anywhere in their import graph (esbuild refuses `node:*` on platform browser).
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

async function bundle(entry: string): Promise<{ text: string; inputs: string[] }> {
  const result = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
  return { text: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
}

describe('browser-safe modules', () => {
  for (const entry of ['src/sinks/c4c/index.ts', 'src/config/schema.ts']) {
    it(`${entry} bundles for the browser without Node built-ins`, async () => {
      const { text, inputs } = await bundle(entry);
      expect(inputs.some((i) => i.startsWith('node:') || i.includes('node_modules'))).toBe(false);
      expect(text).not.toMatch(/from\s+["']node:/);
      expect(text.length).toBeLessThan(80_000);
    });
  }

  it('the Node loader is the one that needs node:fs (kept out of the two above)', async () => {
    await expect(bundle('src/config/load.ts')).rejects.toThrow(/node:fs/);
  });
});
