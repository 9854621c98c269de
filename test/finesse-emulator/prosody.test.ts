import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startProsody } from '../../src/testing/index.js';

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

describe('startProsody (the loopback lab)', () => {
  it('starts on free loopback ports, kills, restarts on the same ports, stops and cleans up', async () => {
    const lab = await startProsody({ componentSecret: 's', users: [{ username: '1001', password: 'pw' }] });
    try {
      expect(lab.running).toBe(true);
      expect(await accepts(lab.c2sPort)).toBe(true);
      expect(await accepts(lab.componentPort)).toBe(true);
      expect(existsSync(lab.dir)).toBe(true);
      await lab.kill();
      expect(lab.running).toBe(false);
      expect(await accepts(lab.c2sPort)).toBe(false);
      const ports = [lab.c2sPort, lab.componentPort];
      await lab.restart();
      expect([lab.c2sPort, lab.componentPort]).toEqual(ports);
      expect(await accepts(lab.c2sPort)).toBe(true);
    } finally {
      await lab.stop();
    }
    expect(lab.running).toBe(false);
    expect(existsSync(lab.dir)).toBe(false);
    await lab.stop(); // twice is fine
  });

  it('fails with a clear message when prosody is not installed', async () => {
    await expect(startProsody({ prosodyBin: '/nonexistent/prosody' })).rejects.toThrow(/prosody lab: \/nonexistent\/prosody does not exist/);
  });
});
