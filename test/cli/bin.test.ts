/** The `bin` entry runs as an executable after a build (npx switchboard on a fresh install). */
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
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
});
