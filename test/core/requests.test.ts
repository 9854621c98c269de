/**
 * The request rules of seed 001 as pure functions: channel resolution, the target of transfer
 * and conference, dialOrConsult's choice, DTMF per flavour, updateWorkitemData's data, and
 * capabilities. Every failure is a SwitchboardError with a code and the request's id.
 */
import { describe, expect, it } from 'vitest';
import {
  Capability,
  ChannelType,
  ErrorCode,
  Flavor,
  SwitchboardError,
  WorkitemState,
  decideDialOrConsult,
  dtmfTarget,
  findWorkitem,
  initialState,
  requireCapability,
  resolveChannel,
  resolveChannels,
  targetWorkitem,
  validateDtmf,
  validateWorkitemData,
  workitemsOn,
  type SessionState,
  type Workitem,
} from '../../src/core/index.js';
import { T0, VOICE_A, VOICE_B, added, setUp, signedIn } from './fixtures.js';

/** Run `fn`, expect a SwitchboardError with `code` and `requestId`; return its message. */
function failure(fn: () => unknown, code: ErrorCode, requestId = 'req-1'): string {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(SwitchboardError);
  const err = thrown as SwitchboardError;
  expect(err.code).toBe(code);
  expect(err.requestId).toBe(requestId);
  return err.message;
}

const oneVoice = () => signedIn(Flavor.UCCE, [VOICE_A]);
const twoVoice = () => signedIn(Flavor.UCCE, [VOICE_A, VOICE_B]);

describe('resolveChannels / resolveChannel', () => {
  it("'voice' with one voice channel resolves to it", () => {
    const s = oneVoice();
    expect(resolveChannels(s, 'voice', 'req-1').map((c) => c.id)).toEqual([VOICE_A]);
    expect(resolveChannel(s, 'voice', 'req-1').id).toBe(VOICE_A);
  });

  it("'voice' with two voice channels: every one for resolveChannels, CHANNEL_AMBIGUOUS for resolveChannel", () => {
    const s = twoVoice();
    expect(resolveChannels(s, 'voice', 'req-1').map((c) => c.id).sort()).toEqual([VOICE_A, VOICE_B]);
    const message = failure(() => resolveChannel(s, 'voice', 'req-1'), ErrorCode.CHANNEL_AMBIGUOUS);
    expect(message).toContain(VOICE_A);
    expect(message).toContain(VOICE_B);
  });

  it("'voice' leaves out channels of other types", () => {
    const s = setUp(initialState(), [
      { type: 'session', agent: { agentId: 'a', extension: '', firstName: '', lastName: '', loginName: '', teamId: '' }, channels: [{ id: VOICE_A, type: ChannelType.Voice }, { id: 'chat_1', type: ChannelType.Chat }] },
    ]);
    expect(resolveChannels(s, 'voice').map((c) => c.id)).toEqual([VOICE_A]);
    expect(resolveChannel(s, 'voice').id).toBe(VOICE_A);
    expect(resolveChannel(s, 'chat_1').type).toBe('Chat');
  });

  it("'voice' without any voice channel → CHANNEL_NOT_FOUND", () => {
    failure(() => resolveChannels(initialState(), 'voice', 'req-1'), ErrorCode.CHANNEL_NOT_FOUND);
    failure(() => resolveChannel(initialState(), 'voice', 'req-1'), ErrorCode.CHANNEL_NOT_FOUND);
  });

  it("a specific id: voice_<peripheral>, CCX's 'voice_-1', Webex CC's 'telephony'", () => {
    expect(resolveChannel(twoVoice(), VOICE_B).id).toBe(VOICE_B);
    expect(resolveChannels(twoVoice(), VOICE_B).map((c) => c.id)).toEqual([VOICE_B]);
    const ccx = signedIn(Flavor.UCCX, ['voice_-1']);
    expect(resolveChannel(ccx, 'voice_-1').id).toBe('voice_-1');
    expect(resolveChannel(ccx, 'voice').id).toBe('voice_-1');
    const wxcc = signedIn(Flavor.UCCE, ['telephony']);
    expect(resolveChannel(wxcc, 'telephony')).toMatchObject({ id: 'telephony', type: 'Voice', state: 'NotReady' });
  });

  it('an unknown id → CHANNEL_NOT_FOUND naming it (and the known ones)', () => {
    const s = twoVoice();
    for (const fn of [() => resolveChannel(s, 'voice_9', 'req-1'), () => resolveChannels(s, 'voice_9', 'req-1')]) {
      const message = failure(fn, ErrorCode.CHANNEL_NOT_FOUND);
      expect(message).toContain('"voice_9"');
      expect(message).toContain(VOICE_A);
    }
    expect(failure(() => resolveChannel(s, 'telephony', 'req-1'), ErrorCode.CHANNEL_NOT_FOUND)).toContain('"telephony"');
  });

  it('an empty or non-string id → INVALID_ARGUMENT', () => {
    failure(() => resolveChannel(oneVoice(), '', 'req-1'), ErrorCode.INVALID_ARGUMENT);
    failure(() => resolveChannels(oneVoice(), 5 as unknown as string, 'req-1'), ErrorCode.INVALID_ARGUMENT);
  });

  it('leaves requestId undefined when the request had none', () => {
    const err = (() => {
      try {
        resolveChannel(twoVoice(), 'voice');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toMatchObject({ code: ErrorCode.CHANNEL_AMBIGUOUS, requestId: undefined });
  });
});

describe('findWorkitem and targetWorkitem', () => {
  /** Two voice channels; w1 Active on A, w2 Paused on A, w3 Active on B. */
  const busy = (): SessionState =>
    setUp(twoVoice(), [
      added('w1', WorkitemState.Active),
      added('w2', WorkitemState.Paused),
      added('w3', WorkitemState.Active, { channelId: VOICE_B }),
    ]);

  it('finds a named workitem, checking its channel when one is named', () => {
    const s = busy();
    expect(findWorkitem(s, 'w3').channelId).toBe(VOICE_B);
    expect(findWorkitem(s, 'w3', VOICE_B).id).toBe('w3');
    expect(failure(() => findWorkitem(s, 'w3', VOICE_A, 'req-1'), ErrorCode.WORKITEM_NOT_FOUND)).toContain(VOICE_B);
    expect(failure(() => findWorkitem(s, 'w9', undefined, 'req-1'), ErrorCode.WORKITEM_NOT_FOUND)).toContain('"w9"');
    failure(() => findWorkitem(s, '', undefined, 'req-1'), ErrorCode.INVALID_ARGUMENT);
  });

  it('with a workitemId, targets exactly that item, whatever its state', () => {
    expect(targetWorkitem(busy(), VOICE_A, 'w2', 'req-1').id).toBe('w2');
    failure(() => targetWorkitem(busy(), VOICE_A, 'w9', 'req-1'), ErrorCode.WORKITEM_NOT_FOUND);
  });

  it('without a workitemId, targets the only Active item (seed 001)', () => {
    const s = busy();
    expect(targetWorkitem(s, VOICE_A, undefined, 'req-1').id).toBe('w1');
    expect(targetWorkitem(s, VOICE_B, '', 'req-1').id).toBe('w3');
  });

  it('without a workitemId, several Active items → WORKITEM_AMBIGUOUS naming them', () => {
    const message = failure(() => targetWorkitem(busy(), undefined, undefined, 'req-1'), ErrorCode.WORKITEM_AMBIGUOUS);
    expect(message).toContain('w1');
    expect(message).toContain('w3');
  });

  it('without a workitemId, no Active item → WORKITEM_AMBIGUOUS (a held or ringing item does not count)', () => {
    const s = setUp(oneVoice(), [added('w1', WorkitemState.Paused), added('w2', WorkitemState.Offered), added('w3', WorkitemState.Wrapup)]);
    failure(() => targetWorkitem(s, VOICE_A, undefined, 'req-1'), ErrorCode.WORKITEM_AMBIGUOUS);
    failure(() => targetWorkitem(oneVoice(), VOICE_A, undefined, 'req-1'), ErrorCode.WORKITEM_AMBIGUOUS);
  });

  it('workitemsOn filters by channel id', () => {
    expect(workitemsOn(busy(), VOICE_A).map((w) => w.id)).toEqual(['w1', 'w2']);
    expect(workitemsOn(busy()).map((w) => w.id)).toEqual(['w1', 'w2', 'w3']);
  });
});

describe('decideDialOrConsult', () => {
  it('dials when the agent has no call, or only calls in wrap-up', () => {
    expect(decideDialOrConsult(oneVoice(), VOICE_A, 'req-1')).toEqual({ kind: 'dial' });
    const wrap = setUp(oneVoice(), [added('w1', WorkitemState.Wrapup)]);
    expect(decideDialOrConsult(wrap, VOICE_A, 'req-1')).toEqual({ kind: 'dial' });
  });

  it('consults from the one Active call', () => {
    const s = setUp(oneVoice(), [added('w1', WorkitemState.Active), added('w0', WorkitemState.Wrapup)]);
    const d = decideDialOrConsult(s, VOICE_A, 'req-1');
    expect(d.kind).toBe('consult');
    if (d.kind === 'consult') expect(d.from.id).toBe('w1');
  });

  it('looks only at the named channel', () => {
    const s = setUp(twoVoice(), [added('w1', WorkitemState.Active, { channelId: VOICE_B })]);
    expect(decideDialOrConsult(s, VOICE_A, 'req-1')).toEqual({ kind: 'dial' });
    expect(decideDialOrConsult(s, VOICE_B, 'req-1').kind).toBe('consult');
  });

  it('a call that is not Active (ringing, held) → INVALID_STATE naming it', () => {
    const s = setUp(oneVoice(), [added('w1', WorkitemState.Offered)]);
    expect(failure(() => decideDialOrConsult(s, VOICE_A, 'req-1'), ErrorCode.INVALID_STATE)).toContain('w1');
    const held = setUp(oneVoice(), [added('w1', WorkitemState.Paused)]);
    failure(() => decideDialOrConsult(held, VOICE_A, 'req-1'), ErrorCode.INVALID_STATE);
  });

  it('two Active calls → INVALID_STATE', () => {
    const s = setUp(oneVoice(), [added('w1', WorkitemState.Active), added('w2', WorkitemState.Active)]);
    failure(() => decideDialOrConsult(s, VOICE_A, 'req-1'), ErrorCode.INVALID_STATE);
  });
});

describe('validateDtmf', () => {
  it.each([Flavor.UCCE, Flavor.UCCX])('%s accepts 0-9 * #', (flavor) => {
    expect(validateDtmf(flavor, '0123456789*#', 'req-1')).toBe('0123456789*#');
  });

  it('UCCE accepts A-D', () => {
    expect(validateDtmf(Flavor.UCCE, 'ABCD1', 'req-1')).toBe('ABCD1');
  });

  it.each(['A', 'B', 'C', 'D'])('UCCX refuses %s, naming it', (c) => {
    const message = failure(() => validateDtmf(Flavor.UCCX, `12${c}`, 'req-1'), ErrorCode.INVALID_ARGUMENT);
    expect(message).toContain(`"${c}"`);
    expect(message).toContain('UCCX');
  });

  it.each([Flavor.UCCE, Flavor.UCCX])('%s refuses other characters, naming the first bad one', (flavor) => {
    for (const [digits, bad] of [['12E', 'E'], ['1 2', ' '], ['a', 'a'], ['1+', '+'], ['٣', '٣']] as const) {
      expect(failure(() => validateDtmf(flavor, digits, 'req-1'), ErrorCode.INVALID_ARGUMENT)).toContain(JSON.stringify(bad));
    }
  });

  it.each(['', undefined, 5, null, ['1']])('refuses %j as not a non-empty string', (digits) => {
    failure(() => validateDtmf(Flavor.UCCE, digits, 'req-1'), ErrorCode.INVALID_ARGUMENT);
  });
});

describe('validateWorkitemData', () => {
  it('accepts call variables 1-10, ECC variables and wrapUpReason with string values', () => {
    const data = { callVariable1: '12345', callVariable10: '', 'user.eccVar1': '999999', 'user.a_b-c.d': 'x', wrapUpReason: 'Documentation' };
    expect(validateWorkitemData(data, 'req-1')).toEqual(data);
  });

  it.each([
    ['a number', { callVariable1: 12345 }, 'number'],
    ['null', { callVariable1: null }, 'null'],
    ['a boolean', { wrapUpReason: true }, 'boolean'],
    ['an object', { 'user.x': { a: 1 } }, 'object'],
    ['undefined', { callVariable2: undefined }, 'undefined'],
  ])('refuses %s as a value, naming the key', (_name, data, what) => {
    const message = failure(() => validateWorkitemData(data, 'req-1'), ErrorCode.INVALID_ARGUMENT);
    expect(message).toContain(`"${Object.keys(data)[0]}"`);
    expect(message).toContain(what);
  });

  it.each(['callVariable0', 'callVariable11', 'callvariable1', 'queueName', 'DNIS', 'user.', 'wrapupReason', ''])('refuses the unknown key %j, naming it', (key) => {
    expect(failure(() => validateWorkitemData({ [key]: 'x' }, 'req-1'), ErrorCode.INVALID_ARGUMENT)).toContain(`"${key}"`);
  });

  it('refuses an empty object and a non-object', () => {
    expect(failure(() => validateWorkitemData({}, 'req-1'), ErrorCode.INVALID_ARGUMENT)).toContain('empty');
    for (const bad of [null, undefined, 'callVariable1=1', [['callVariable1', '1']], 3]) {
      failure(() => validateWorkitemData(bad, 'req-1'), ErrorCode.INVALID_ARGUMENT);
    }
  });

  it('returns a copy, not the caller object', () => {
    const data = { callVariable1: 'a' };
    const out = validateWorkitemData(data);
    out.callVariable1 = 'b';
    expect(data.callVariable1).toBe('a');
  });
});

describe('requireCapability and dtmfTarget', () => {
  const item = (capabilities: Capability[]): Workitem => {
    const s = setUp(oneVoice(), [added('w1', WorkitemState.Active, { capabilities })]);
    return s.workitems.w1!;
  };

  it('passes when the workitem allows it', () => {
    expect(() => requireCapability(item([Capability.Hold, Capability.SendDtmf]), Capability.SendDtmf, 'req-1')).not.toThrow();
  });

  it('refuses with NOT_CAPABLE naming the workitem, the request and what is allowed', () => {
    const message = failure(() => requireCapability(item([Capability.Hold, Capability.End]), Capability.DirectTransfer, 'req-1'), ErrorCode.NOT_CAPABLE);
    expect(message).toContain('w1');
    expect(message).toContain('DirectTransfer');
    expect(message).toContain('Hold, End');
    expect(failure(() => requireCapability(item([]), Capability.Hold, 'req-1'), ErrorCode.NOT_CAPABLE)).toContain('nothing');
  });

  it('dtmfTarget is the only Active workitem, else none', () => {
    expect(dtmfTarget(oneVoice())).toBeUndefined();
    const one = setUp(oneVoice(), [added('w1', WorkitemState.Active), added('w2', WorkitemState.Paused)]);
    expect(dtmfTarget(one)?.id).toBe('w1');
    const two = setUp(one, [{ type: 'workitemState', id: 'w2', state: WorkitemState.Active, at: T0 }]);
    expect(dtmfTarget(two)).toBeUndefined();
  });
});
