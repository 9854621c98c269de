/**
 * Encoded queries as ServiceNow reads them: ^ AND, ^OR binding tighter, ^NQ, operators, ORDERBY.
 */
import { describe, expect, it } from 'vitest';
import { parseEncodedQuery, QueryError, runQuery } from '../../src/servicenow-emulator/index.js';

const rows = [
  { name: 'Ada', phone: '+41445550101', mobile_phone: '', active: 'true', priority: '2' },
  { name: 'bob', phone: '044 555 02 02', mobile_phone: '+41795550303', active: 'false', priority: '10' },
  { name: 'Carla', phone: '', mobile_phone: '+41445550101', active: 'true', priority: '1' },
];
const names = (q: string): string[] => runQuery(rows, parseEncodedQuery(q)).map((r) => r.name);

describe('encoded queries', () => {
  it('= != IN NOT IN LIKE STARTSWITH ENDSWITH ISEMPTY ISNOTEMPTY and comparisons', () => {
    expect(names('name=ada')).toEqual(['Ada']); // case-insensitive, like ServiceNow's database
    expect(names('name!=Ada')).toEqual(['bob', 'Carla']);
    expect(names('phoneIN+41445550101,044 555 02 02')).toEqual(['Ada', 'bob']);
    expect(names('nameNOT INAda,bob')).toEqual(['Carla']);
    expect(names('phoneLIKE555')).toEqual(['Ada', 'bob']);
    expect(names('nameSTARTSWITHca')).toEqual(['Carla']);
    expect(names('phoneENDSWITH02')).toEqual(['bob']);
    expect(names('phoneISEMPTY')).toEqual(['Carla']);
    expect(names('mobile_phoneISNOTEMPTY')).toEqual(['bob', 'Carla']);
    expect(names('priority>=2')).toEqual(['Ada', 'bob']); // numeric, not text order
    expect(names('priority<2')).toEqual(['Carla']);
    expect(names('')).toEqual(['Ada', 'bob', 'Carla']);
  });

  it('^OR binds tighter than ^; ^NQ ORs whole queries', () => {
    expect(names('phoneIN+41445550101^ORmobile_phoneIN+41445550101')).toEqual(['Ada', 'Carla']);
    expect(names('active=true^phone=+41445550101^ORmobile_phone=+41795550303')).toEqual(['Ada']);
    expect(names('name=Ada^NQname=bob^active=false')).toEqual(['Ada', 'bob']);
  });

  it('ORDERBY and ORDERBYDESC, stable', () => {
    expect(names('ORDERBYname')).toEqual(['Ada', 'bob', 'Carla']);
    expect(names('active=true^ORDERBYDESCpriority')).toEqual(['Ada', 'Carla']);
    expect(names('ORDERBYactive')).toEqual(['bob', 'Ada', 'Carla']);
  });

  it('refuses what it cannot read, naming the condition', () => {
    expect(() => parseEncodedQuery('phone~~1')).toThrow(QueryError);
    expect(() => parseEncodedQuery('phone~~1')).toThrow(/"phone~~1": no operator after "phone"/);
    expect(() => parseEncodedQuery('^ORname=x')).toThrow(/\^OR without a condition/);
    expect(() => parseEncodedQuery('ISEMPTY')).toThrow(/must start with a field name/);
  });
});
