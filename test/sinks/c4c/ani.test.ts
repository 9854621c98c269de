/** ANI transformation rules: in order, first match wins, bad rules named by index. */
import { describe, expect, it } from 'vitest';
import { aniRule, aniRuleProblems, compileAniRules, isInternational, transformAni } from '../../../src/sinks/c4c/index.js';

describe('ANI rules', () => {
  it('apply in order; the first rule that matches wins and no other runs', () => {
    const rules = compileAniRules([
      { match: '^00', replace: '+' },
      { match: '^0', replace: '+41' },
      { match: '^\\+', replace: '+' },
    ]);
    expect(transformAni('0041445550101', rules)).toEqual({ ani: '+41445550101', rule: 0, international: true });
    expect(transformAni('0445550101', rules)).toEqual({ ani: '+41445550101', rule: 1, international: true });
    expect(transformAni('+41445550101', rules).rule).toBe(2);
  });

  it('leave the number unchanged (trimmed) when nothing matches, and say whether it is international', () => {
    const rules = compileAniRules([{ match: '^9', replace: '' }]);
    expect(transformAni(' +41445550101 ', rules)).toEqual({ ani: '+41445550101', rule: undefined, international: true });
    expect(transformAni('1001001', rules)).toEqual({ ani: '1001001', rule: undefined, international: false });
    expect(transformAni('', rules)).toEqual({ ani: '', rule: undefined, international: false });
  });

  it('support capture groups in the replacement', () => {
    const rules = compileAniRules([{ match: '^9(0[1-9][0-9]+)$', replace: '+41$1' }, { match: '^(\\d{3})(\\d+)$', replace: '+1$1$2' }]);
    expect(transformAni('90445550101', rules).ani).toBe('+410445550101');
    expect(transformAni('6503054000', rules).ani).toBe('+16503054000');
  });

  it('a bad regular expression is refused naming the rule index', () => {
    expect(() => compileAniRules([{ match: '^0', replace: '+41' }, { match: '([', replace: '' }])).toThrow(/^ani\.rules\[1\]\.match: invalid regular expression "\(\["/);
    expect(() => compileAniRules([{ match: '(', replace: '' }], 'c4c.ani.rules')).toThrow(/c4c\.ani\.rules\[0\]\.match/);
  });

  it('other malformed rules are refused naming the rule and key', () => {
    expect(aniRuleProblems('x')).toEqual(['ani.rules: must be an array of {"match": "<regex>", "replace": "<text>"} (got string)']);
    expect(aniRuleProblems([null, { match: '', replace: 1 }, { match: '^0', replace: '+41', flags: 'g' }])).toEqual([
      'ani.rules[0]: must be an object {"match": "<regex>", "replace": "<text>"}',
      'ani.rules[1].match: must be a non-empty string (a regular expression)',
      'ani.rules[1].replace: must be a string',
      'ani.rules[2].flags: unknown key (a rule has "match" and "replace")',
    ]);
  });

  it('conveniences produce ordinary rules (JSON for the config)', () => {
    const rules = [aniRule.internationalAccess('00', { outsideLine: '9' }), aniRule.countryCode('41', '0', { outsideLine: '9' })];
    expect(JSON.parse(JSON.stringify(rules))).toEqual(rules);
    const compiled = compileAniRules(rules);
    expect(transformAni('90041445550101', compiled).ani).toBe('+41445550101');
    expect(transformAni('0041445550101', compiled).ani).toBe('+41445550101');
    expect(transformAni('90445550101', compiled).ani).toBe('+41445550101');
    expect(transformAni('0445550101', compiled).ani).toBe('+41445550101');
    expect(transformAni('+41445550101', compiled)).toMatchObject({ ani: '+41445550101', rule: undefined });
    expect(transformAni('555', compileAniRules([aniRule.stripPrefix('5')])).ani).toBe('55');
    expect(transformAni('6503054000', compileAniRules([aniRule.countryCode('1', '')])).ani).toBe('+16503054000');
    expect(() => aniRule.countryCode('4a')).toThrow(/digits/);
    expect(() => aniRule.stripPrefix('')).toThrow(/must not be empty/);
  });

  it('international form: + and 2 to 15 digits, separators ignored', () => {
    expect(isInternational('+1 6503054000')).toBe(true);
    expect(isInternational('+41 (44) 555-01.01')).toBe(true);
    expect(isInternational('0041445550101')).toBe(false);
    expect(isInternational('+0445550101')).toBe(false);
    expect(isInternational('+1234567890123456')).toBe(false);
  });
});
