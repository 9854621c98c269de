/**
 * One error model: SwitchboardError with a code, a message, a requestId and a cause, that
 * survives JSON (postMessage, WebSocket) and is recognised by shape and code.
 */
import { describe, expect, it } from 'vitest';
import {
  ErrorCode,
  SwitchboardError,
  fromSerialized,
  isSwitchboardError,
  toSwitchboardError,
  type SerializedSwitchboardError,
} from '../../src/core/index.js';

describe('ErrorCode', () => {
  it('maps every code to itself', () => {
    for (const [k, v] of Object.entries(ErrorCode)) expect(v).toBe(k);
    expect(Object.keys(ErrorCode)).toEqual(
      expect.arrayContaining(['CHANNEL_NOT_FOUND', 'CHANNEL_AMBIGUOUS', 'WORKITEM_NOT_FOUND', 'INVALID_TRANSITION', 'DUPLICATE_UPDATE', 'OUT_OF_ORDER', 'INVALID_UPDATE', 'NOT_SUPPORTED', 'HANDLER_ERROR']),
    );
  });
});

describe('SwitchboardError', () => {
  it('is an Error with name, code, message, requestId and cause', () => {
    const cause = new Error('socket closed');
    const err = new SwitchboardError(ErrorCode.TIMEOUT, 'no answer in 5000 ms', { requestId: 'r1', cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('SwitchboardError');
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toBe('no answer in 5000 ms');
    expect(err.requestId).toBe('r1');
    expect(err.cause).toBe(cause);
    expect(typeof err.stack).toBe('string');
  });

  it('has no requestId and no cause unless given', () => {
    const err = new SwitchboardError(ErrorCode.INTERNAL, 'x');
    expect(err.requestId).toBeUndefined();
    expect('cause' in err).toBe(false);
    expect(err.toJSON()).toEqual({ name: 'SwitchboardError', code: 'INTERNAL', message: 'x' });
  });

  it('withRequestId binds a request id in a copy and keeps the rest', () => {
    const cause = new Error('c');
    const err = new SwitchboardError(ErrorCode.NOT_CAPABLE, 'no hold', { cause });
    const bound = err.withRequestId('r7');
    expect(bound).not.toBe(err);
    expect(bound).toBeInstanceOf(SwitchboardError);
    expect(bound).toMatchObject({ code: 'NOT_CAPABLE', message: 'no hold', requestId: 'r7', cause });
    expect(err.requestId).toBeUndefined();
    expect(err.withRequestId(undefined)).toBe(err);
    expect(bound.withRequestId('r7')).toBe(bound);
  });

  it.each([
    ['an Error', new Error('boom'), 'boom'],
    ['a string', 'plain', 'plain'],
    ['an object', { status: 503 }, '{"status":503}'],
    ['a number', 42, '42'],
  ])('serializes %s cause as a string', (_name, cause, text) => {
    const json = new SwitchboardError(ErrorCode.PLATFORM_ERROR, 'm', { requestId: 'r', cause }).toJSON();
    expect(json).toEqual({ name: 'SwitchboardError', code: 'PLATFORM_ERROR', message: 'm', requestId: 'r', cause: text });
  });

  it('round-trips through JSON (postMessage / WebSocket) and back to a SwitchboardError', () => {
    const original = new SwitchboardError(ErrorCode.CHANNEL_AMBIGUOUS, 'channel "voice" matches 2 channels', { requestId: 'req-42', cause: new Error('inner') });
    const wire: unknown = JSON.parse(JSON.stringify(original));
    expect(wire).toEqual({ name: 'SwitchboardError', code: 'CHANNEL_AMBIGUOUS', message: 'channel "voice" matches 2 channels', requestId: 'req-42', cause: 'inner' });
    expect(isSwitchboardError(wire)).toBe(true);
    const back = fromSerialized(wire as SerializedSwitchboardError);
    expect(back).toBeInstanceOf(SwitchboardError);
    expect(back).toMatchObject({ name: 'SwitchboardError', code: 'CHANNEL_AMBIGUOUS', message: original.message, requestId: 'req-42', cause: 'inner' });
    // A second trip changes nothing.
    expect(JSON.parse(JSON.stringify(back))).toEqual(wire);
    // Through structuredClone as postMessage does, the serialized form stays recognisable.
    expect(isSwitchboardError(structuredClone(original.toJSON()))).toBe(true);
  });

  it('round-trips without requestId and cause', () => {
    const wire: unknown = JSON.parse(JSON.stringify(new SwitchboardError(ErrorCode.NOT_CONNECTED, 'offline')));
    expect(wire).toEqual({ name: 'SwitchboardError', code: 'NOT_CONNECTED', message: 'offline' });
    const back = fromSerialized(wire as SerializedSwitchboardError);
    expect(back.requestId).toBeUndefined();
    expect(back.cause).toBeUndefined();
  });
});

describe('isSwitchboardError (by shape and code)', () => {
  it('recognises an instance and a plain object of the right shape', () => {
    expect(isSwitchboardError(new SwitchboardError(ErrorCode.TIMEOUT, 't'))).toBe(true);
    expect(isSwitchboardError({ name: 'SwitchboardError', code: 'TIMEOUT', message: 't' })).toBe(true);
    expect(isSwitchboardError({ name: 'SwitchboardError', code: 'TIMEOUT', message: '', requestId: 'r', extra: 1 })).toBe(true);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'SwitchboardError'],
    ['a plain Error', new Error('x')],
    ['an unknown code', { name: 'SwitchboardError', code: 'E_NOPE', message: 'x' }],
    ['another name', { name: 'PenpalError', code: 'TIMEOUT', message: 'x' }],
    ['no message', { name: 'SwitchboardError', code: 'TIMEOUT' }],
    ['a non-string message', { name: 'SwitchboardError', code: 'TIMEOUT', message: 5 }],
    ['a non-string code', { name: 'SwitchboardError', code: 1, message: 'x' }],
  ])('rejects %s', (_name, value) => {
    expect(isSwitchboardError(value)).toBe(false);
  });

  it('does not rely on instanceof: an Error renamed and coded passes, a subclass without a code does not', () => {
    const foreign = Object.assign(new Error('from another realm'), { name: 'SwitchboardError', code: 'TIMEOUT' });
    expect(isSwitchboardError(foreign)).toBe(true);
    class Other extends Error {
      override name = 'SwitchboardError';
    }
    expect(isSwitchboardError(new Other('x'))).toBe(false);
  });
});

describe('toSwitchboardError', () => {
  it('keeps a SwitchboardError, binding the requestId when given', () => {
    const err = new SwitchboardError(ErrorCode.TIMEOUT, 't');
    expect(toSwitchboardError(err)).toBe(err);
    expect(toSwitchboardError(err, ErrorCode.INTERNAL, 'r1')).toMatchObject({ code: 'TIMEOUT', requestId: 'r1' });
  });

  it('rebuilds a serialized one', () => {
    const out = toSwitchboardError({ name: 'SwitchboardError', code: 'NOT_CAPABLE', message: 'no', requestId: 'r2' });
    expect(out).toBeInstanceOf(SwitchboardError);
    expect(out).toMatchObject({ code: 'NOT_CAPABLE', message: 'no', requestId: 'r2' });
  });

  it('wraps anything else with the fallback code, keeping the original as cause', () => {
    const boom = new TypeError('boom');
    const wrapped = toSwitchboardError(boom, ErrorCode.HANDLER_ERROR, 'r3');
    expect(wrapped).toMatchObject({ code: 'HANDLER_ERROR', message: 'boom', requestId: 'r3', cause: boom });
    expect(toSwitchboardError('text')).toMatchObject({ code: 'INTERNAL', message: 'text', cause: 'text' });
    expect(toSwitchboardError(undefined).message).toBe('undefined');
  });
});
