/**
 * @module sinks/c4c/ani
 * ANI transformation rules (SPEC "Configuration", `c4c.ani.rules`; seed 000: "ANI — the caller's
 * number, with applied transformation rules"). Rules apply in order, each a regular expression
 * and its replacement (`$1` etc. as in `String.prototype.replace`); the first rule that matches
 * wins and no other runs. SAP identifies the caller only by an international number with a
 * leading `+`: {@link isInternational} says whether the result is one. What the sink does when it
 * is not is its decision (it sends the number as is and reports a warning; see sink.ts).
 */
import { ErrorCode, SwitchboardError } from '../../core/errors.js';

/** One rule as written in the config: `{ "match": "^0", "replace": "+41" }`. */
export interface AniRule {
  match: string;
  replace: string;
}

/** Rules checked and compiled once, at load. */
export interface AniRules {
  readonly rules: readonly AniRule[];
  readonly compiled: readonly RegExp[];
}

export interface AniResult {
  /** The number after the rules (trimmed; unchanged when no rule matched). */
  ani: string;
  /** Index of the rule that matched, or undefined. */
  rule: number | undefined;
  /** True when the result is `+` and 2 to 15 digits (spaces, dots, dashes, parentheses ignored). */
  international: boolean;
}

const RULE_KEYS: ReadonlySet<string> = new Set(['match', 'replace']);

/** Every problem of a rules list, each naming `<path>[i]` and the key; empty when valid. */
export function aniRuleProblems(value: unknown, path = 'ani.rules'): string[] {
  if (!Array.isArray(value)) return [`${path}: must be an array of {"match": "<regex>", "replace": "<text>"} (got ${value === null ? 'null' : typeof value})`];
  const problems: string[] = [];
  value.forEach((rule: unknown, i) => {
    const at = `${path}[${i}]`;
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
      problems.push(`${at}: must be an object {"match": "<regex>", "replace": "<text>"}`);
      return;
    }
    const r = rule as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!RULE_KEYS.has(k)) problems.push(`${at}.${k}: unknown key (a rule has "match" and "replace")`);
    if (typeof r.match !== 'string' || r.match === '') {
      problems.push(`${at}.match: must be a non-empty string (a regular expression)`);
    } else {
      try {
        new RegExp(r.match);
      } catch (err) {
        problems.push(`${at}.match: invalid regular expression ${JSON.stringify(r.match)} (${err instanceof Error ? err.message : String(err)})`);
      }
    }
    if (typeof r.replace !== 'string') problems.push(`${at}.replace: must be a string`);
  });
  return problems;
}

/**
 * Check and compile rules. Throws INVALID_ARGUMENT naming the rule index (`ani.rules[1].match:
 * invalid regular expression ...`).
 *
 * @example
 * const rules = compileAniRules([{ match: '^0', replace: '+41' }]);
 * transformAni('0445550101', rules).ani; // '+41445550101'
 */
export function compileAniRules(value: unknown, path = 'ani.rules'): AniRules {
  const problems = aniRuleProblems(value, path);
  if (problems.length > 0) throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, problems.join('; '));
  const rules = (value as AniRule[]).map((r) => ({ match: r.match, replace: r.replace }));
  return Object.freeze({ rules: Object.freeze(rules), compiled: Object.freeze(rules.map((r) => new RegExp(r.match))) });
}

export const NO_ANI_RULES: AniRules = compileAniRules([]);

const INTERNATIONAL = /^\+[1-9][0-9]{1,14}$/;

/** `+` then 2 to 15 digits (E.164), once spaces, dots, dashes and parentheses are removed. */
export function isInternational(number: string): boolean {
  return INTERNATIONAL.test(number.replace(/[\s().-]/g, ''));
}

/** Apply the rules to a number: the first rule whose expression matches rewrites it. */
export function transformAni(raw: string, rules: AniRules = NO_ANI_RULES): AniResult {
  const ani = raw.trim();
  for (let i = 0; i < rules.compiled.length; i++) {
    const re = rules.compiled[i];
    const rule = rules.rules[i];
    if (re === undefined || rule === undefined) continue;
    re.lastIndex = 0;
    if (re.test(ani)) {
      re.lastIndex = 0;
      const out = ani.replace(re, rule.replace);
      return { ani: out, rule: i, international: isInternational(out) };
    }
  }
  return { ani, rule: undefined, international: isInternational(ani) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function digits(value: string, what: string): string {
  if (!/^[0-9]+$/.test(value)) throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `${what} must be digits (got ${JSON.stringify(value)})`);
  return value;
}

export interface AniRuleOptions {
  /** An outside-line digit the PBX may put in front (for example `9`); matched when present. */
  outsideLine?: string;
}

function outside(options: AniRuleOptions): string {
  return options.outsideLine === undefined ? '' : `(?:${digits(options.outsideLine, 'outsideLine')})?`;
}

/**
 * Conveniences that produce ordinary rules (the config holds the JSON they return). Remember
 * that the first matching rule wins: put the most specific rule first.
 *
 * @example
 * // Swiss numbers, international ones with 00, national ones with the trunk 0, a PBX that may add 9:
 * const rules = [aniRule.internationalAccess('00', { outsideLine: '9' }), aniRule.countryCode('41', '0', { outsideLine: '9' })];
 * // '90041445550101' → '+41445550101', '0445550101' → '+41445550101', '+41445550101' unchanged
 */
export const aniRule = {
  /** Remove a fixed prefix (an outside-line digit, a trunk access code): `^9(.+)$` → `$1`. */
  stripPrefix(prefix: string): AniRule {
    if (prefix === '') throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, 'stripPrefix: the prefix must not be empty');
    return { match: `^${escapeRegExp(prefix)}(.+)$`, replace: '$1' };
  },
  /** International access code to `+`: `0041445550101` → `+41445550101`. */
  internationalAccess(code = '00', options: AniRuleOptions = {}): AniRule {
    return { match: `^${outside(options)}${digits(code, 'internationalAccess: the access code')}([1-9][0-9]+)$`, replace: '+$1' };
  },
  /** A national number with its trunk prefix to international: `0445550101` → `+41445550101`. */
  countryCode(country: string, trunkPrefix = '0', options: AniRuleOptions = {}): AniRule {
    const cc = digits(country, 'countryCode: the country code');
    const trunk = trunkPrefix === '' ? '' : digits(trunkPrefix, 'countryCode: the trunk prefix');
    return { match: `^${outside(options)}${trunk}([1-9][0-9]+)$`, replace: `+${cc}$1` };
  },
} as const;
