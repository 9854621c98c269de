/** `switchboard check-config --config FILE`: OK, or every problem with its key, exit 1. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

function file(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sb-check-')), 'switchboard.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('switchboard check-config', () => {
  it('says OK for the configuration of SPEC.md', async () => {
    const path = file({
      agent: { id: '1001', extension: '1001001' },
      flavor: 'UCCE',
      c4c: { origin: 'https://my.crm.ondemand.com', format: 'json', cid: 'CISCO9876', mapping: { callVariable1: 'Custom_1', 'user.lang': 'Custom_3' }, ani: { rules: [{ match: '^0', replace: '+41' }] } },
      store: 'sqlite:./data/switchboard.db',
    });
    const { stdout } = await run(process.execPath, ['dist/cli/bin.js', 'check-config', '--config', path]);
    expect(stdout).toBe(`${path}: OK\n`);
  });

  it('lists every problem with its key and exits 1', async () => {
    const path = file({ flavor: 'UCCZ', c4c: { origin: '*', mapping: { callVariable11: 'Custom_1', callVariable1: 'ANI' } }, store: 'mysql://x' });
    const err = (await run(process.execPath, ['dist/cli/bin.js', 'check-config', '--config', path]).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(1);
    const lines = err.stderr.trim().split('\n');
    expect(lines.some((l) => l.startsWith('flavor'))).toBe(true);
    expect(lines.some((l) => l.startsWith('c4c.origin'))).toBe(true);
    expect(lines.some((l) => l.includes('callVariable11'))).toBe(true);
    expect(lines.some((l) => l.includes('ANI'))).toBe(true);
    expect(lines.some((l) => l.startsWith('store'))).toBe(true);
  });

  it('names the file and position of JSON that does not parse', async () => {
    const path = file('{"c4c": {"origin": }');
    const err = (await run(process.execPath, ['dist/cli/bin.js', 'check-config', '--config', path]).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(1);
    expect(err.stderr).toContain(path);
  });
});
