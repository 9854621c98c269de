/** The JSON error locator agrees with JSON.parse on what is valid, and points at the culprit. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from '../../src/config/json-position.js';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('jsonErrorOffset', () => {
  it('points at the first bad character', () => {
    expect(jsonErrorOffset('{"a": UCCE}')).toBe(6);
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset('[1 2]')).toBe(3);
    expect(jsonErrorOffset('{"a": "x\\q"}')).toBe(9);
    expect(jsonErrorOffset('{"a": "\\u12G4"}')).toBe(11);
    expect(jsonErrorOffset('{} x')).toBe(3);
    expect(jsonErrorOffset('')).toBe(0);
    expect(jsonErrorOffset(' {"a": [true, false, null, -1.5e3, "\\u00e9"]} ')).toBeUndefined();
  });

  it('agrees with JSON.parse on valid JSON and on mutated JSON', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', 'x', '\\', ' ', '0', '-', '\n'), (json, at, insert) => {
        expect(jsonErrorOffset(json)).toBeUndefined();
        const pos = at % (json.length + 1);
        const mutated = json.slice(0, pos) + insert + json.slice(pos);
        expect(jsonErrorOffset(mutated) === undefined).toBe(parses(mutated));
      }),
      { numRuns: 2000 },
    );
  });
});
