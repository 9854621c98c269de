/**
 * Phone numbers as a CRM lookup needs them: E.164 out, national numbers read in the configured
 * country, the written forms a lookup tries, and a clear refusal naming what was given.
 */
import { describe, expect, it } from 'vitest';
import { isCountryCode, normalizePhone, parsePhone, phoneVariants, tryNormalizePhone } from '../../../src/sinks/records/index.js';

function refusal(run: () => unknown): { code: string; message: string; retryable: boolean } {
  try {
    run();
  } catch (err) {
    return err as { code: string; message: string; retryable: boolean };
  }
  throw new Error('expected a refusal');
}

describe('normalizePhone', () => {
  it('turns international numbers into E.164 whatever the country option', () => {
    for (const input of ['+41 44 555 01 01', '+41445550101', '+41 (0)44 555 01 01', 'tel:+41445550101', ' +41-44-555-01-01 ']) {
      expect(normalizePhone(input)).toBe('+41445550101');
      expect(normalizePhone(input, { country: 'US' })).toBe('+41445550101');
    }
    expect(normalizePhone('+1 (415) 555-0132')).toBe('+14155550132');
  });

  it('reads national numbers in the configured country', () => {
    expect(normalizePhone('044 555 01 01', { country: 'CH' })).toBe('+41445550101');
    expect(normalizePhone('0041 44 555 01 01', { country: 'CH' })).toBe('+41445550101');
    expect(normalizePhone('(415) 555-0132', { country: 'US' })).toBe('+14155550132');
    expect(normalizePhone('030 1234567', { country: 'DE' })).toBe('+49301234567');
    // the same digits are another number in another country
    expect(normalizePhone('0445550101', { country: 'DE' })).not.toBe('+41445550101');
  });

  it('refuses garbage, too-short numbers and national numbers without a country, naming the input', () => {
    const garbage = refusal(() => normalizePhone('call me maybe', { country: 'CH' }));
    expect(garbage).toMatchObject({ code: 'INVALID_ARGUMENT', retryable: false });
    expect(garbage.message).toContain('"call me maybe"');
    expect(refusal(() => normalizePhone('12', { country: 'CH' })).message).toMatch(/"12": not a possible number for CH/);
    expect(refusal(() => normalizePhone('044 555 01 01')).message).toMatch(/"044 555 01 01".*needs a country/);
    expect(refusal(() => normalizePhone('')).message).toContain('empty');
    expect(refusal(() => normalizePhone('+41445550101', { country: 'XX' as 'CH' })).message).toContain('"XX"');
  });

  it('checks assigned ranges only when asked (check: valid)', () => {
    expect(normalizePhone('+1 555 555 0132')).toBe('+15555550132');
    expect(refusal(() => normalizePhone('+1 555 555 0132', { check: 'valid' })).message).toMatch(/"\+1 555 555 0132": not a valid number for/);
  });

  it('tryNormalizePhone gives undefined instead of throwing', () => {
    expect(tryNormalizePhone('nope')).toBeUndefined();
    expect(tryNormalizePhone('044 555 01 01', { country: 'CH' })).toBe('+41445550101');
    expect(isCountryCode('CH')).toBe(true);
    expect(isCountryCode('XX')).toBe(false);
  });
});

describe('phoneVariants', () => {
  it('gives the forms a CRM field may hold, E.164 first, without duplicates', () => {
    expect(phoneVariants('0445550101', { country: 'CH' })).toEqual(['+41445550101', '+41 44 555 01 01', '044 555 01 01', '0445550101', '0041445550101', '41445550101']);
    const us = parsePhone('+1 415 555 0132');
    expect(us).toMatchObject({ e164: '+14155550132', country: 'US', national: '(415) 555-0132', international: '+1 415 555 0132' });
    expect(new Set(us.variants).size).toBe(us.variants.length);
    for (const v of us.variants) expect(v).not.toMatch(/[,^]/); // safe inside an encoded IN list
  });
});
