/**
 * @module core/requests
 * The request rules of seed 001, as pure functions over the session state: channel resolution
 * (`voice`, `voice_<peripheral>`, `voice_-1`, `telephony`), "exactly one Active workitem" for
 * transfer and conference without a workitemId, dialOrConsult's choice, the DTMF character set
 * per flavour, and string-only workitem data. Each returns a value or throws a SwitchboardError
 * (with the request's id) that says what was wrong.
 */
import { ErrorCode, SwitchboardError } from './errors.js';
import { ChannelType, Flavor, VOICE, WorkitemState, type Capability, type ChannelState, type CtiData, type Workitem } from './model.js';
import { own, type SessionState } from './transition.js';

function fail(code: ErrorCode, message: string, requestId?: string): never {
  throw new SwitchboardError(code, message, { requestId });
}

/** Every channel `channelId` names: `voice` means every voice channel. */
export function resolveChannels(state: SessionState, channelId: string, requestId?: string): ChannelState[] {
  if (typeof channelId !== 'string' || channelId === '') fail(ErrorCode.INVALID_ARGUMENT, 'channelId must be a non-empty string', requestId);
  if (channelId === VOICE) {
    const voice = Object.values(state.channels).filter((c) => c.type === ChannelType.Voice);
    if (voice.length === 0) fail(ErrorCode.CHANNEL_NOT_FOUND, 'no voice channel is available (is the agent signed in?)', requestId);
    return voice;
  }
  const ch = own(state.channels, channelId);
  if (ch === undefined) {
    const known = Object.keys(state.channels);
    fail(ErrorCode.CHANNEL_NOT_FOUND, `unknown channel "${channelId}"${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`, requestId);
  }
  return [ch];
}

/** The one channel `channelId` names; `voice` with several voice channels is ambiguous. */
export function resolveChannel(state: SessionState, channelId: string, requestId?: string): ChannelState {
  const all = resolveChannels(state, channelId, requestId);
  const [only] = all;
  if (all.length !== 1 || only === undefined) {
    fail(ErrorCode.CHANNEL_AMBIGUOUS, `channel "${channelId}" matches ${all.length} channels (${all.map((c) => c.id).join(', ')}); name one, for example "${all[0]?.id ?? ''}"`, requestId);
  }
  return only;
}

/** Live workitems on a channel; `voice` means every voice channel, no id means all. */
export function workitemsOn(state: SessionState, channelId?: string): Workitem[] {
  if (channelId === VOICE) return Object.values(state.workitems).filter((w) => w.channelType === ChannelType.Voice);
  return Object.values(state.workitems).filter((w) => channelId === undefined || w.channelId === channelId);
}

/** A workitem by id, on the given channel when one is named. */
export function findWorkitem(state: SessionState, workitemId: string, channelId?: string, requestId?: string): Workitem {
  if (typeof workitemId !== 'string' || workitemId === '') fail(ErrorCode.INVALID_ARGUMENT, 'workitemId must be a non-empty string', requestId);
  const wi = own(state.workitems, workitemId);
  if (wi === undefined) fail(ErrorCode.WORKITEM_NOT_FOUND, `unknown workitem "${workitemId}"`, requestId);
  if (channelId !== undefined && wi.channelId !== channelId) {
    fail(ErrorCode.WORKITEM_NOT_FOUND, `workitem "${workitemId}" is not on channel "${channelId}" (it is on "${wi.channelId}")`, requestId);
  }
  return wi;
}

/**
 * The target of transfer and conference: the named workitem, or, without a workitemId, the
 * only Active one (seed 001: "only successful when there's exactly one workitem in Active state").
 */
export function targetWorkitem(state: SessionState, channelId: string | undefined, workitemId: string | undefined, requestId?: string): Workitem {
  if (workitemId !== undefined && workitemId !== null && workitemId !== '') return findWorkitem(state, workitemId, channelId, requestId);
  const active = workitemsOn(state, channelId).filter((w) => w.state === WorkitemState.Active);
  const [only] = active;
  if (active.length !== 1 || only === undefined) {
    fail(
      ErrorCode.WORKITEM_AMBIGUOUS,
      active.length === 0
        ? 'no workitemId given and no workitem is Active'
        : `no workitemId given and ${active.length} workitems are Active (${active.map((w) => w.id).join(', ')}); name one`,
      requestId,
    );
  }
  return only;
}

export type DialDecision = { kind: 'dial' } | { kind: 'consult'; from: Workitem };

/** dialOrConsult (seed 001): a consultation when the agent already has a call, a new call otherwise. */
export function decideDialOrConsult(state: SessionState, channelId: string, requestId?: string): DialDecision {
  const calls = workitemsOn(state, channelId).filter((w) => w.state !== WorkitemState.Wrapup);
  if (calls.length === 0) return { kind: 'dial' };
  const active = calls.filter((w) => w.state === WorkitemState.Active);
  const [only] = active;
  if (active.length === 1 && only !== undefined) return { kind: 'consult', from: only };
  fail(
    ErrorCode.INVALID_STATE,
    active.length === 0
      ? `a call exists (${calls.map((w) => `${w.id} ${w.state}`).join(', ')}) but none is Active to consult from`
      : `${active.length} calls are Active; a consultation needs exactly one`,
    requestId,
  );
}

const DTMF: Record<Flavor, RegExp> = { UCCE: /^[0-9*#A-D]+$/, UCCX: /^[0-9*#]+$/ };

/** DTMF characters (seed 001): CCE 0-9 * # A-D, CCX 0-9 * #. */
export function validateDtmf(flavor: Flavor, digits: unknown, requestId?: string): string {
  if (typeof digits !== 'string' || digits === '') fail(ErrorCode.INVALID_ARGUMENT, 'dtmf must be a non-empty string', requestId);
  if (!DTMF[flavor].test(digits)) {
    const bad = [...digits].find((c) => !DTMF[flavor].test(c)) ?? '';
    fail(ErrorCode.INVALID_ARGUMENT, `dtmf character ${JSON.stringify(bad)} is not allowed on ${flavor} (allowed: ${flavor === Flavor.UCCE ? '0-9 * # A-D' : '0-9 * #'})`, requestId);
  }
  return digits;
}

const DATA_KEY = /^(callVariable([1-9]|10)|user\.[A-Za-z0-9_.[\]-]+|wrapUpReason)$/;

/** updateWorkitemData's `updatedData`: call variables, `user.<ECC>` and wrapUpReason, string values only. */
export function validateWorkitemData(data: unknown, requestId?: string): CtiData {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail(ErrorCode.INVALID_ARGUMENT, 'updatedData must be an object', requestId);
  const entries = Object.entries(data as Record<string, unknown>);
  if (entries.length === 0) fail(ErrorCode.INVALID_ARGUMENT, 'updatedData is empty', requestId);
  const out: CtiData = {};
  for (const [k, v] of entries) {
    if (!DATA_KEY.test(k)) fail(ErrorCode.INVALID_ARGUMENT, `updatedData key "${k}" is not a call variable (callVariable1-10), an ECC variable (user.<name>) or wrapUpReason`, requestId);
    if (typeof v !== 'string') fail(ErrorCode.INVALID_ARGUMENT, `updatedData "${k}" must be a string (got ${v === null ? 'null' : typeof v})`, requestId);
    out[k] = v;
  }
  return out;
}

export function requireCapability(wi: Workitem, cap: Capability, requestId?: string): void {
  if (!wi.capabilities.includes(cap)) {
    fail(ErrorCode.NOT_CAPABLE, `workitem "${wi.id}" (${wi.state}) does not allow ${cap} now (allowed: ${wi.capabilities.join(', ') || 'nothing'})`, requestId);
  }
}

/** The Active workitem that DTMF goes to, or undefined. */
export function dtmfTarget(state: SessionState): Workitem | undefined {
  const active = Object.values(state.workitems).filter((w) => w.state === WorkitemState.Active);
  return active.length === 1 ? active[0] : undefined;
}
