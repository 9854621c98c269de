/** ExternalReferenceID rules (seed 002): 1-35 letters and digits, unique per call across days. */
import { describe, expect, it } from 'vitest';
import { callReference, defaultOriginalReference, fitReference, isValidReference, transferReference } from '../../../src/sinks/c4c/index.js';

const DAY1 = Date.parse('2026-01-05T23:59:59.000Z');
const DAY2 = Date.parse('2026-01-06T00:00:00.000Z');

describe('ExternalReferenceID', () => {
  it('UCCE: the router call key (day prefix and call id), independent of the date seen', () => {
    const wi = { id: '75627724', ctiData: { callKeyPrefix: '152018', callKeyCallId: '217' } };
    expect(callReference(wi, DAY1)).toBe('152018C217');
    expect(callReference(wi, DAY2)).toBe('152018C217');
    // The same call id on the next router day is another call.
    expect(callReference({ ...wi, ctiData: { callKeyPrefix: '152019', callKeyCallId: '217' } }, DAY2)).toBe('152019C217');
    // No ambiguity between prefix and id digits.
    expect(callReference({ id: 'x', ctiData: { callKeyPrefix: '15201', callKeyCallId: '8217' } }, DAY1)).not.toBe(
      callReference({ id: 'x', ctiData: { callKeyPrefix: '152018', callKeyCallId: '217' } }, DAY1),
    );
  });

  it('without a call key: the dialog id and the start date (UTC), so a repeated id on another day differs', () => {
    expect(callReference({ id: '16777217', ctiData: {} }, DAY1)).toBe('16777217D20260105');
    expect(callReference({ id: '16777217', ctiData: {} }, DAY2)).toBe('16777217D20260106');
    expect(callReference({ id: '16777217', ctiData: { callKeyPrefix: '', callKeyCallId: '' } }, DAY1)).toBe('16777217D20260105');
  });

  it('only letters and digits, at most 35, even from long or punctuated ids', () => {
    const uuid = callReference({ id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', ctiData: {} }, DAY1);
    expect(uuid).toMatch(/^[A-Za-z0-9]{1,35}$/);
    expect(uuid).toHaveLength(35);
    const other = callReference({ id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5e', ctiData: {} }, DAY1);
    expect(other).not.toBe(uuid);
    expect(other.slice(0, 22)).toBe(uuid.slice(0, 22));
    expect(fitReference('---')).toMatch(/^[A-Z0-9]{13}$/);
    expect(fitReference('abc')).toBe('abc');
    for (const r of [uuid, other, fitReference('x'.repeat(100))]) expect(isValidReference(r)).toBe(true);
    expect(isValidReference('')).toBe(false);
    expect(isValidReference('a-b')).toBe(false);
    expect(isValidReference('a'.repeat(36))).toBe(false);
  });

  it('a transferred call has its own reference; the original is the reference of the call it carries', () => {
    const wi = { id: '33554433', agentId: '1002', ctiData: { callKeyPrefix: '20458', callKeyCallId: '1', callType: 'TRANSFER' } };
    expect(transferReference(wi, DAY1)).toBe('20458C1T1002W33554433');
    expect(defaultOriginalReference(wi, DAY1)).toEqual({ reference: '20458C1' });
    const consult = { id: '33554434', ctiData: { callKeyPrefix: '20458', callKeyCallId: '2', callType: 'CONSULT' } };
    expect(defaultOriginalReference(consult, DAY1).reference).toBeUndefined();
    expect(defaultOriginalReference(consult, DAY1).reason).toContain('consultation call');
  });
});
