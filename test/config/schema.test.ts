/** The configuration of SPEC.md "Configuration": what loads, and every problem named by its key path. */
import { describe, expect, it } from 'vitest';
import { isSwitchboardError } from '../../src/core/index.js';
import { checkConfig, configProblems, storeLocation, validateConfig } from '../../src/config/schema.js';
import { servicenowProblems } from '../../src/config/load.js';

/** SPEC.md's example, verbatim. */
const SPEC_EXAMPLE = {
  agent: { id: '1001', extension: '1001001' },
  flavor: 'UCCE',
  c4c: {
    origin: 'https://my.crm.ondemand.com',
    format: 'json',
    cid: 'CISCO9876',
    mapping: { callVariable1: 'Custom_1', 'user.lang': 'Custom_3' },
    ani: { rules: [{ match: '^0', replace: '+41' }] },
  },
  store: 'sqlite:./data/switchboard.db',
};

describe('a valid configuration', () => {
  it('SPEC.md’s example loads as written', () => {
    expect(validateConfig(SPEC_EXAMPLE)).toEqual(SPEC_EXAMPLE);
  });

  it('everything is optional; c4c defaults are filled', () => {
    expect(validateConfig({})).toEqual({});
    expect(validateConfig({ c4c: { origin: 'https://my.crm.ondemand.com/' } })).toEqual({
      c4c: { origin: 'https://my.crm.ondemand.com', format: 'json', cid: 'CISCO9876', mapping: {}, ani: { rules: [] } },
    });
    expect(validateConfig({ $schema: './switchboard.schema.json', flavor: 'UCCX', c4c: { origin: 'http://localhost:8080', format: 'xml' } }).c4c?.format).toBe('xml');
  });

  it('store: sqlite paths and postgres URLs', () => {
    expect(storeLocation('sqlite:./data/switchboard.db')).toEqual({ kind: 'sqlite', path: './data/switchboard.db' });
    expect(storeLocation('sqlite::memory:')).toEqual({ kind: 'sqlite', path: ':memory:' });
    expect(storeLocation('sqlite:///var/lib/switchboard.db')).toEqual({ kind: 'sqlite', path: '/var/lib/switchboard.db' });
    expect(storeLocation('postgres://sb:secret@db:5432/switchboard')).toEqual({ kind: 'postgres', url: 'postgres://sb:secret@db:5432/switchboard' });
    expect(storeLocation('postgresql://db/switchboard').kind).toBe('postgres');
  });
});

describe('every problem names its key path', () => {
  const cases: [string, unknown, string][] = [
    ['not an object', [], '(top level): the configuration must be a JSON object (got an array)'],
    ['an unknown top-level key', { stores: 'x' }, 'stores: unknown key (known: agent, flavor, c4c, store, servicenow)'],
    ['agent not an object', { agent: '1001' }, 'agent: must be an object {"id": "...", "extension": "..."} (got string)'],
    ['an unknown agent key', { agent: { id: '1', ext: '2' } }, 'agent.ext: unknown key (known: id, extension)'],
    ['a numeric agent id', { agent: { id: 1001 } }, 'agent.id: must be a non-empty string (write "1001" in quotes)'],
    ['an empty extension', { agent: { extension: ' ' } }, 'agent.extension: must be a non-empty string (got string)'],
    ['a bad flavor', { flavor: 'ucce' }, 'flavor: must be "UCCE" or "UCCX" (got "ucce")'],
    ['c4c not an object', { c4c: 'https://x' }, 'c4c: must be an object with at least "origin"'],
    ['c4c without origin', { c4c: {} }, 'c4c.origin: required (the C4C origin messages are posted to, e.g. "https://my.crm.ondemand.com")'],
    ['a wildcard origin', { c4c: { origin: '*' } }, 'c4c.origin: "*" is not allowed; name the exact C4C origin, e.g. "https://my.crm.ondemand.com"'],
    ['an origin with a path', { c4c: { origin: 'https://my.crm.ondemand.com/sap/ap' } }, 'c4c.origin: "https://my.crm.ondemand.com/sap/ap" is not an origin (scheme://host[:port], no path, query or wildcard)'],
    ['plain http', { c4c: { origin: 'http://my.crm.ondemand.com' } }, 'c4c.origin: "http://my.crm.ondemand.com" must use https (plain http only for localhost)'],
    ['an unknown c4c key', { c4c: { origin: 'https://a.b', formats: 'xml' } }, 'c4c.formats: unknown key (known: origin, format, cid, mapping, ani)'],
    ['a bad format', { c4c: { origin: 'https://a.b', format: 'XML' } }, 'c4c.format: must be "json" or "xml" (got "XML")'],
    ['an empty cid', { c4c: { origin: 'https://a.b', cid: '' } }, 'c4c.cid: must be a non-empty string (default "CISCO9876")'],
    ['a reserved mapping target', { c4c: { origin: 'https://a.b', mapping: { callVariable1: 'ANI' } } }, 'c4c.mapping["callVariable1"]: "ANI" is a reserved field'],
    ['an unknown mapping key', { c4c: { origin: 'https://a.b', mapping: { callVariable11: 'Custom_1' } } }, 'c4c.mapping["callVariable11"]: "callVariable11" is not a CTI key'],
    ['an unknown ani key', { c4c: { origin: 'https://a.b', ani: { rule: [] } } }, 'c4c.ani.rule: unknown key (known: rules)'],
    ['a bad ani regex', { c4c: { origin: 'https://a.b', ani: { rules: [{ match: '^0', replace: '+41' }, { match: '(', replace: '' }] } } }, 'c4c.ani.rules[1].match: invalid regular expression'],
    ['a store of another kind', { store: 'mysql://db/x' }, 'store: unsupported store scheme "mysql:": use "sqlite:<path>" or "postgres://user:password@host/database"'],
    ['a sqlite store without a path', { store: 'sqlite:' }, 'store: "sqlite:" needs a file path'],
    ['a postgres URL without host', { store: 'postgres:///switchboard' }, 'store: the postgres:// URL names no host'],
    ['a store that is not a string', { store: { path: 'x' } }, 'store: must be "sqlite:<path>" or a "postgres://" URL (got object)'],
  ];
  for (const [what, value, message] of cases) {
    it(what, () => {
      const problems = configProblems(value);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(message);
      let thrown: unknown;
      try {
        validateConfig(value);
      } catch (err) {
        thrown = err;
      }
      expect(isSwitchboardError(thrown)).toBe(true);
      expect((thrown as { code: string }).code).toBe('INVALID_ARGUMENT');
      expect((thrown as Error).message).toContain(message);
    });
  }

  it('reports all problems at once, and never echoes a database password', () => {
    const result = checkConfig({ flavor: 'X', c4c: { origin: '*', mapping: { nope: 'Custom_1' } }, store: 'mongodb://user:hunter2@db/x', extra: 1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.split(':')[0])).toEqual(['extra', 'flavor', 'c4c.origin', 'c4c.mapping["nope"]', 'store']);
    expect(result.errors.join('\n')).not.toContain('hunter2');
  });

  it('agent.id can be required by the caller (a source that signs in)', () => {
    expect(configProblems({}, { requireAgentId: true })).toEqual(['agent.id: required by this source (the agent to sign in as)']);
    expect(configProblems({ agent: { id: '1001' } }, { requireAgentId: true })).toEqual([]);
  });

  it('servicenow: a valid block is kept; each problem names its key under servicenow', () => {
    const sn = { instanceUrl: 'https://dev1234.service-now.com', auth: { type: 'basic', username: 'svc', password: 'pw' } };
    const ok = checkConfig({ servicenow: sn });
    expect(ok.ok && ok.config.servicenow).toEqual(sn);
    const problems = configProblems({ servicenow: { instanceUrl: 'ftp://x', auth: { type: 'magic' } } }, { servicenowProblems });
    expect(problems.length).toBeGreaterThanOrEqual(2);
    expect(problems.some((p) => p.startsWith('servicenow.instanceUrl'))).toBe(true);
    expect(problems.some((p) => p.startsWith('servicenow.auth'))).toBe(true);
    expect(problems.join('\n')).not.toContain('pw');
    expect(configProblems({ servicenow: 'https://x' })).toEqual(['servicenow: must be an object {"instanceUrl", "auth", ...} (got string)']);
  });
});
