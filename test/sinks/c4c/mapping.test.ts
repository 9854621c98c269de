/**
 * The mapping of seed 000 ("Adding CTI data to activities"): what loads, and every way a bad
 * mapping is refused with a message that names the culprit.
 */
import { describe, expect, it } from 'vitest';
import { isSwitchboardError } from '../../../src/core/index.js';
import { ACTIVITY_FIELDS, RESERVED_FIELDS, mappedFields, mappingFromUrl, mappingProblems, parseMapping } from '../../../src/sinks/c4c/index.js';

function refusal(input: unknown): { code: string; message: string } {
  try {
    parseMapping(input);
  } catch (err) {
    expect(isSwitchboardError(err)).toBe(true);
    return err as { code: string; message: string };
  }
  throw new Error('the mapping should have been refused');
}

describe('a valid mapping', () => {
  it('accepts every CTI key of seed 000 onto every activity field, from a JSON string or an object', () => {
    const all = {
      callVariable1: 'DNIS',
      callVariable10: 'BP',
      'user.microapp.error_code': 'TicketID',
      'user.a[2]': 'SerialNo',
      callType: 'E-Mail',
      dialedNumber: 'Custom_1',
      established: 'Custom_2',
      termination: 'Custom_3',
      wrapUpReason: 'Custom_4',
      queueName: 'Transcript',
    };
    expect(parseMapping(JSON.stringify(all))).toEqual(all);
    expect(parseMapping(all)).toEqual(all);
    for (const key of ['DNIS', 'outboundClassification', 'callKeyCallId', 'callKeyPrefix', 'mediaId', 'queueNumber']) {
      expect(parseMapping({ [key]: 'Custom_1' })).toEqual({ [key]: 'Custom_1' });
    }
    expect(parseMapping({})).toEqual({});
    expect(Object.keys(parseMapping('{"queueName":"Custom_2","callVariable1":"Custom_1"}'))).toEqual(['queueName', 'callVariable1']);
  });

  it('reads the gadget URL parameter (url-encoded JSON); absent → undefined', () => {
    const json = '{"callVariable1":"Custom_1","user.lang":"Custom_3"}';
    const url = `https://gadget.example.com/c4c.html?agent=1001&mapping=${encodeURIComponent(json)}`;
    expect(mappingFromUrl(url)).toEqual({ callVariable1: 'Custom_1', 'user.lang': 'Custom_3' });
    expect(mappingFromUrl(new URL(url))).toEqual({ callVariable1: 'Custom_1', 'user.lang': 'Custom_3' });
    expect(mappingFromUrl(new URLSearchParams(`mapping=${encodeURIComponent(json)}`))).toEqual({ callVariable1: 'Custom_1', 'user.lang': 'Custom_3' });
    expect(mappingFromUrl(`?mapping=${encodeURIComponent(json)}`)).toEqual({ callVariable1: 'Custom_1', 'user.lang': 'Custom_3' });
    expect(mappingFromUrl('https://gadget.example.com/c4c.html?agent=1001')).toBeUndefined();
    expect(() => mappingFromUrl(`https://g.example.com/?mapping=${encodeURIComponent('{"callVariable1":"ANI"}')}`)).toThrow(/mapping\["callVariable1"\]: "ANI" is a reserved field/);
  });

  it('yields the fields of a call in mapping order; absent keys give no field, empty values clear', () => {
    const mapping = parseMapping({ callVariable2: 'Custom_2', callVariable1: 'Custom_1', established: 'Custom_3', termination: 'Custom_4', 'user.x': 'BP' });
    const fields = mappedFields(mapping, { callVariable1: 'A', callVariable2: '', 'user.x': 'bp' }, { established: '2026-01-05T09:00:00.000Z' });
    expect(fields).toEqual({ Custom_2: '', Custom_1: 'A', Custom_3: '2026-01-05T09:00:00.000Z', BP: 'bp' });
    expect(Object.keys(fields)).toEqual(['Custom_2', 'Custom_1', 'Custom_3', 'BP']);
  });
});

describe('a bad mapping is refused at load, naming the culprit', () => {
  it('text that is not JSON: PARSE_ERROR', () => {
    const e = refusal('{"callVariable1": "Custom_1"');
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.message).toMatch(/^mapping: not valid JSON/);
  });

  it('JSON that is not an object', () => {
    for (const [input, got] of [['[1]', 'an array'], ['null', 'null'], ['"Custom_1"', 'string "Custom_1"'], ['42', 'number 42']] as const) {
      const e = refusal(input);
      expect(e.code).toBe('INVALID_ARGUMENT');
      expect(e.message).toBe(`mapping: must be a JSON object {"<CTI key>": "<activity field>"} (got ${got})`);
    }
  });

  it('an unknown CTI key', () => {
    for (const key of ['callVariable0', 'callVariable11', 'callvariable1', 'user.', 'ani', 'eccVariable', '__proto__']) {
      const e = refusal(`{${JSON.stringify(key)}: "Custom_1"}`);
      expect(e.code).toBe('INVALID_ARGUMENT');
      expect(e.message).toContain(`mapping[${JSON.stringify(key)}]: "${key}" is not a CTI key`);
    }
  });

  it('an unknown field, with a hint for a near miss', () => {
    expect(refusal({ callVariable1: 'Custom_5' }).message).toContain('mapping["callVariable1"]: "Custom_5" is not a Live Activity field (known: DNIS, BP, TicketID');
    expect(refusal({ callVariable1: 'email' }).message).toContain('(did you mean "E-Mail"?)');
    expect(refusal({ callVariable1: 'custom_1' }).message).toContain('(did you mean "Custom_1"?)');
  });

  it('every reserved field as a target', () => {
    for (const field of RESERVED_FIELDS) {
      const e = refusal({ callVariable3: field });
      expect(e.message).toContain(`mapping["callVariable3"]: "${field}" is a reserved field that Switchboard fills itself`);
      expect((ACTIVITY_FIELDS as readonly string[]).includes(field)).toBe(false);
    }
  });

  it('a target that is not a string', () => {
    for (const [target, got] of [[1, 'number 1'], [null, 'null'], [['Custom_1'], 'an array'], [{ field: 'Custom_1' }, 'an object'], [true, 'boolean true']] as const) {
      expect(refusal({ callVariable1: target }).message).toBe(`mapping["callVariable1"]: the target must be a string naming an activity field (got ${got})`);
    }
  });

  it('two keys onto one field', () => {
    expect(refusal({ callVariable1: 'Custom_1', 'user.lang': 'Custom_1' }).message).toBe(
      'mapping["user.lang"]: "user.lang" and "callVariable1" both map to "Custom_1"; each activity field takes one CTI key',
    );
  });

  it('lists every problem at once, under the path it was given', () => {
    const problems = mappingProblems({ nope: 'Custom_1', callVariable1: 'ANI', callVariable2: 7 }, 'c4c.mapping');
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^c4c\.mapping\["nope"\]/);
    expect(problems[1]).toMatch(/^c4c\.mapping\["callVariable1"\]/);
    expect(problems[2]).toMatch(/^c4c\.mapping\["callVariable2"\]/);
  });
});
