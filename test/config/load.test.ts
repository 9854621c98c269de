/** Loading the configuration file from disk (`--config FILE`, `switchboard check-config`). */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConfigFile, loadConfigFile } from '../../src/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadConfigFile / checkConfigFile', () => {
  it('loads a valid file (a UTF-8 BOM is fine)', () => {
    const path = file('ok.json', '\uFEFF{"agent":{"id":"1001"},"c4c":{"origin":"https://my.crm.ondemand.com","mapping":{"callVariable1":"Custom_1"}},"store":"sqlite:./x.db"}');
    const config = loadConfigFile(path);
    expect(config.c4c?.mapping).toEqual({ callVariable1: 'Custom_1' });
    expect(checkConfigFile(path)).toEqual({ ok: true, config });
  });

  it('a file that is not JSON: PARSE_ERROR with the file name, line and column', () => {
    const path = file('bad.json', '{\n  "agent": {"id": "1001"},\n  "flavor": UCCE\n}\n');
    expect(() => loadConfigFile(path)).toThrow(expect.objectContaining({ code: 'PARSE_ERROR', message: expect.stringMatching(/bad\.json: not valid JSON at line 3, column 13/) }));
    const result = checkConfigFile(path);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual([expect.stringMatching(/bad\.json: not valid JSON at line 3, column 13/)]);
  });

  it('an empty file, a missing file and a directory are reported, never thrown by checkConfigFile', () => {
    const empty = file('empty.json', '   ');
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    for (const [path, why] of [
      [empty, /empty\.json: not valid JSON \(the file is empty\)/],
      [join(dir, 'missing.json'), /missing\.json: cannot read the configuration file \(no such file\)/],
      [sub, /sub: cannot read the configuration file \(it is a directory\)/],
    ] as const) {
      const result = checkConfigFile(path);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors).toEqual([expect.stringMatching(why)]);
      expect(() => loadConfigFile(path)).toThrow(why);
    }
  });

  it('problems come back one per line with their key paths; loadConfigFile throws them with the file name', () => {
    const path = file('problems.json', JSON.stringify({ flavor: 'CCE', c4c: { origin: 'https://my.crm.ondemand.com', mapping: { callVariable1: 'Custom_1', callVariable2: 'Custom_1' } } }));
    const result = checkConfigFile(path);
    expect(result).toEqual({
      ok: false,
      errors: ['flavor: must be "UCCE" or "UCCX" (got "CCE")', 'c4c.mapping["callVariable2"]: "callVariable2" and "callVariable1" both map to "Custom_1"; each activity field takes one CTI key'],
    });
    expect(() => loadConfigFile(path)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/problems\.json: invalid configuration \(2 problems\):\n {2}flavor: .*\n {2}c4c\.mapping\["callVariable2"\]/) }));
  });

  it('passes requireAgentId through', () => {
    const path = file('noagent.json', '{}');
    expect(checkConfigFile(path, { requireAgentId: true })).toEqual({ ok: false, errors: ['agent.id: required by this source (the agent to sign in as)'] });
  });
});

describe('a config file drives the C4C sink', () => {
  it('format, cid, mapping and ANI rules from the file reach the wire', async () => {
    const { C4cSink } = await import('../../src/sinks/c4c/index.js');
    const { AgentSession, SimulatedClock } = await import('../../src/core/index.js');
    const path = file(
      'c4c.json',
      JSON.stringify({ c4c: { origin: 'https://my.crm.ondemand.com', format: 'xml', cid: 'SB1', mapping: { callVariable1: 'Custom_1' }, ani: { rules: [{ match: '^0', replace: '+41' }] } } }),
    );
    const config = loadConfigFile(path);
    const posts: [unknown, string][] = [];
    const session = new AgentSession({ clock: new SimulatedClock(Date.parse('2026-01-05T09:00:00Z')) });
    new C4cSink({ session, target: { postMessage: (m, o) => posts.push([m, o]) }, settings: config.c4c!, onError: () => undefined });
    session.apply({ type: 'session', agent: { agentId: '1', extension: '1', firstName: '', lastName: '', loginName: '', teamId: '' }, channels: [{ id: 'voice_1', type: 'Voice' }] });
    session.apply({ type: 'workitemAdded', workitem: { id: 'd1', channelId: 'voice_1', classification: 'Customer', direction: 'Incoming', state: 'Active', participants: [], ani: '0445550101', ctiData: { callVariable1: 'X' }, connectedAt: '2026-01-05T09:00:00.000Z' } });
    session.apply({ type: 'workitemData', id: 'd1', ctiData: { callVariable1: 'Y' } });
    expect(posts).toEqual([
      [
        '<?xml version="1.0" encoding="utf-8"?><payload><ANI>+41445550101</ANI><CID>SB1</CID><Type>CALL</Type><Event>CALL_CONNECTED</Event><EventType>UpdateActivity</EventType><ExternalReferenceID>d1D20260105</ExternalReferenceID><Custom_1>Y</Custom_1></payload>',
        'https://my.crm.ondemand.com',
      ],
    ]);
  });
});
