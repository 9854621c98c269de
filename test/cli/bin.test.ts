/** The `bin` entry runs as an executable after a build (npx switchboard on a fresh install). */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

describe('switchboard executable', () => {
  it('is dist/cli/bin.js, executable, with a node shebang, and prints its help', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin.switchboard).toBe('dist/cli/bin.js');
    expect(statSync('dist/cli/bin.js').mode & 0o111).not.toBe(0);
    expect(readFileSync('dist/cli/bin.js', 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
    const { stdout } = await promisify(execFile)('./dist/cli/bin.js', ['--help']);
    expect(stdout).toMatch(/^switchboard — open CTI hub/);
  });

  it('runs `outbox status` and `outbox list --dead` on a store, and names a bad subcommand', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-bin-outbox-'));
    try {
      const store = `sqlite:${join(dir, 'sb.db')}`;
      const run = promisify(execFile);
      const status = await run('./dist/cli/bin.js', ['outbox', 'status', '--store', store]);
      expect(status.stdout.trim()).toBe('pending 0 (leased 0), delivered 0, dead 0');
      const dead = await run('./dist/cli/bin.js', ['outbox', 'list', '--dead', '--store', store]);
      expect(dead.stdout).toBe('no dead letters\n');
      const bad = await run('./dist/cli/bin.js', ['outbox', 'frobnicate', '--store', store]).then(
        () => undefined,
        (e: { code?: number; stderr?: string }) => e,
      );
      expect(bad?.code).toBe(2);
      expect(bad?.stderr).toContain('frobnicate');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
