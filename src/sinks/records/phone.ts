/**
 * @module sinks/records/phone
 * Phone numbers as a CRM lookup needs them. A caller's ANI arrives as the platform sends it
 * (`044 555 01 01`, `0041445550101`, `+41445550101`, `tel:+41…`) and a CRM stores numbers as
 * people typed them. So the number is first normalized to E.164 with libphonenumber-js (the
 * country that national numbers belong to is configurable), then expanded into the few written
 * forms a CRM field commonly holds, which an exact-match lookup (ServiceNow's `IN`) tries at once.
 * A number that cannot be a phone number fails with an error that names the input.
 */
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js';
import { invalidInput } from './errors.js';

export type { CountryCode } from 'libphonenumber-js';

export interface PhoneOptions {
  /** Country of numbers written without a country code (ISO 3166-1 alpha-2, e.g. `CH`). */
  country?: CountryCode | undefined;
  /**
   * `possible` (default): the length fits the country's plan. `valid`: the number also lies in
   * an assigned range (stricter; refuses made-up test numbers).
   */
  check?: 'possible' | 'valid';
}

/** A number parsed once, in every form a lookup may try. */
export interface NormalizedPhone {
  /** E.164: `+41445550101`. */
  e164: string;
  /** The country the number belongs to, when known (`CH`). */
  country: CountryCode | undefined;
  /** `+41 44 555 01 01`. */
  international: string;
  /** `044 555 01 01`. */
  national: string;
  /** Distinct written forms a CRM field may hold, E.164 first (see {@link phoneVariants}). */
  variants: string[];
}

/** True for an ISO country code libphonenumber-js knows. */
export function isCountryCode(value: string): value is CountryCode {
  return isSupportedCountry(value);
}

function parse(input: string, options: PhoneOptions): PhoneNumber {
  if (typeof input !== 'string') throw invalidInput(`phone number: expected a string (got ${typeof input})`);
  const country = options.country;
  if (country !== undefined && !isSupportedCountry(country)) {
    throw invalidInput(`phone country "${String(country)}" is not an ISO 3166-1 alpha-2 code libphonenumber-js knows (e.g. CH, DE, US)`);
  }
  const text = input.trim();
  if (text === '') throw invalidInput('phone number "": empty');
  let parsed: PhoneNumber | undefined;
  try {
    parsed = parsePhoneNumberFromString(text, country === undefined ? undefined : { defaultCountry: country });
  } catch (err) {
    throw invalidInput(`phone number ${JSON.stringify(input)}: not a phone number (${err instanceof Error ? err.message : String(err)})`, err);
  }
  if (parsed === undefined) {
    const hint = country === undefined && !text.startsWith('+') && !text.startsWith('00') ? '; a national number needs a country (option country)' : '';
    throw invalidInput(`phone number ${JSON.stringify(input)}: not a phone number${hint}`);
  }
  const ok = options.check === 'valid' ? parsed.isValid() : parsed.isPossible();
  if (!ok) {
    const where = parsed.country ?? `+${parsed.countryCallingCode}`;
    throw invalidInput(`phone number ${JSON.stringify(input)}: not a ${options.check === 'valid' ? 'valid' : 'possible'} number for ${where} (read as ${parsed.number})`);
  }
  return parsed;
}

/**
 * The number in E.164. Throws a CrmError (INVALID_ARGUMENT, not retryable) naming the input when
 * it is not a phone number.
 *
 * @example
 * normalizePhone('044 555 01 01', { country: 'CH' }); // '+41445550101'
 * normalizePhone('+1 (415) 555-0132');                 // '+14155550132'
 */
export function normalizePhone(input: string, options: PhoneOptions = {}): string {
  return parse(input, options).number;
}

/**
 * The number parsed, with the written forms a CRM lookup should try: E.164 (`+41445550101`),
 * international (`+41 44 555 01 01`), national (`044 555 01 01`), national digits
 * (`0445550101`), the `00` international prefix (`0041445550101`) and the digits without `+`
 * (`41445550101`). Duplicates are dropped, E.164 comes first.
 *
 * @example
 * parsePhone('0445550101', { country: 'CH' }).variants;
 * // ['+41445550101', '+41 44 555 01 01', '044 555 01 01', '0445550101', '0041445550101', '41445550101']
 */
export function parsePhone(input: string, options: PhoneOptions = {}): NormalizedPhone {
  const p = parse(input, options);
  const e164 = p.number;
  const international = p.formatInternational();
  const national = p.formatNational();
  const nationalDigits = national.replace(/[^0-9]/g, '');
  const digits = e164.slice(1);
  const variants = [...new Set([e164, international, national, nationalDigits, `00${digits}`, digits].filter((v) => v !== ''))];
  return { e164, country: p.country, international, national, variants };
}

/**
 * The written forms of {@link parsePhone}, for a lookup.
 *
 * @example
 * phoneVariants('+41 44 555 01 01'); // ['+41445550101', '+41 44 555 01 01', '044 555 01 01', ...]
 */
export function phoneVariants(input: string, options: PhoneOptions = {}): string[] {
  return parsePhone(input, options).variants;
}

/**
 * E.164 of a number, or undefined when it is not one: for comparing stored numbers, where a
 * malformed entry must not stop the others.
 */
export function tryNormalizePhone(input: string, options: PhoneOptions = {}): string | undefined {
  try {
    return normalizePhone(input, options);
  } catch {
    return undefined;
  }
}
