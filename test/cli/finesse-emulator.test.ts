/** `switchboard finesse-emulator`: starts prosody + the lab, serves Finesse REST, stops cleanly. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('switchboard finesse-emulator', () => {
  it('serves SystemInfo and (with Basic auth) the User, then stops by itself after --duration', async () => {
    const child = spawn(process.execPath, ['dist/cli/bin.js', 'finesse-emulator', '--flavor', 'UCCX', '--agents', '1', '--password', 'pw', '--duration', '6'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 100 && !/REST\s+(http:\/\/\S+)\/finesse\/api\/SystemInfo/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    const base = /REST\s+(http:\/\/\S+)\/finesse\/api\/SystemInfo/.exec(out)?.[1];
    expect(base).toBeDefined();
    // SystemInfo is open (as on Finesse); a User needs the agent's credentials.
    expect((await fetch(`${base}/finesse/api/User/1001`)).status).toBe(401);
    const user = await fetch(`${base}/finesse/api/User/1001`, { headers: { authorization: `Basic ${Buffer.from('1001:pw').toString('base64')}` } });
    expect(user.status).toBe(200);
    expect(await user.text()).toMatch(/<state>LOGOUT<\/state>/);
    const res = await fetch(`${base}/finesse/api/SystemInfo`);
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).toMatch(/<deploymentType>UCCX<\/deploymentType>/);
    expect(xml).toMatch(/<status>IN_SERVICE<\/status>/);
    expect(await exited).toBe(0);
  }, 30_000);
});
