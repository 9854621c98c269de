/**
 * The error contract with the outbox: a SwitchboardError with `retryable`, and `retryAfterMs` /
 * `status` only when known, as own properties that survive serialization.
 */
import { describe, expect, it } from 'vitest';
import { isSwitchboardError, SwitchboardError } from '../../../src/core/index.js';
import { CrmError, CrmErrorKind, isCrmError, retryHint } from '../../../src/sinks/records/index.js';

describe('CrmError', () => {
  it('is a SwitchboardError whose code follows its kind, with own delivery hints', () => {
    const e = new CrmError(CrmErrorKind.RATE_LIMITED, 'slow down', { retryable: true, retryAfterMs: 2000.4, status: 429 });
    expect(e).toBeInstanceOf(SwitchboardError);
    expect(isSwitchboardError(e)).toBe(true);
    expect(e.code).toBe('PLATFORM_ERROR');
    expect(Object.hasOwn(e, 'retryable') && Object.hasOwn(e, 'retryAfterMs') && Object.hasOwn(e, 'status')).toBe(true);
    expect(e.retryAfterMs).toBe(2000);
    expect(new CrmError(CrmErrorKind.TIMEOUT, 't', { retryable: true }).code).toBe('TIMEOUT');
    expect(new CrmError(CrmErrorKind.CONNECTION, 'c', { retryable: true }).code).toBe('NOT_CONNECTED');
    expect(new CrmError(CrmErrorKind.MALFORMED, 'm', { retryable: false }).code).toBe('PARSE_ERROR');
  });

  it('has no retryAfterMs or status property when nobody said so', () => {
    const e = new CrmError(CrmErrorKind.CONNECTION, 'reset', { retryable: true });
    expect('retryAfterMs' in e).toBe(false);
    expect('status' in e).toBe(false);
    expect(e.toJSON()).toEqual({ name: 'SwitchboardError', code: 'NOT_CONNECTED', message: 'reset', kind: 'connection', retryable: true });
  });

  it('keeps its hints through withRequestId and JSON', () => {
    const e = new CrmError(CrmErrorKind.SERVER, 'boom', { retryable: true, status: 503, retryAfterMs: 10 }).withRequestId('r1');
    expect(e).toMatchObject({ requestId: 'r1', retryable: true, status: 503, retryAfterMs: 10, kind: 'server' });
    const wire = JSON.parse(JSON.stringify(e)) as unknown;
    expect(isCrmError(wire)).toBe(true);
    expect(retryHint(wire)).toEqual({ retryable: true, status: 503, retryAfterMs: 10 });
  });

  it('retryHint: anything that is not a CrmError is not retried', () => {
    expect(retryHint(new TypeError('bug'))).toEqual({ retryable: false });
    expect(retryHint(new CrmError(CrmErrorKind.NOT_FOUND, 'x', { retryable: false, status: 404 }))).toEqual({ retryable: false, status: 404 });
  });
});
