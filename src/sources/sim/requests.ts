/**
 * @module sources/sim/requests
 * A {@link PlatformRequest} checked against the platform, as Finesse would check it: the
 * workitem must be one of the agent's (else PLATFORM_ERROR, as Finesse answers for an unknown
 * dialog), the step must be possible now (NOT_CAPABLE, naming what is possible), arguments must
 * be well formed (INVALID_ARGUMENT, the seed's DTMF and call-data rules). Then the step runs in
 * one world operation. Every failure carries the request's id.
 */
import { ErrorCode, SwitchboardError, toSwitchboardError } from '../../core/errors.js';
import { Capability, VOICE, WorkitemState } from '../../core/model.js';
import { validateDtmf, validateWorkitemData } from '../../core/requests.js';
import type { PlatformRequest } from '../../core/source.js';
import { setAgentState } from './agent-state.js';
import { capabilitiesOf, type Leg, type SimAgent } from './model.js';
import * as t from './telephony.js';
import type { World } from './world.js';

function fail(code: ErrorCode, message: string): never {
  throw new SwitchboardError(code, message);
}

/** The agent's live workitem with this id. */
function legOf(agent: SimAgent, workitemId: unknown): Leg {
  if (typeof workitemId !== 'string' || workitemId === '') fail(ErrorCode.INVALID_ARGUMENT, 'workitemId must be a non-empty string');
  for (const leg of agent.legs) if (leg.workitemId === workitemId) return leg;
  fail(ErrorCode.PLATFORM_ERROR, `agent ${agent.id} has no workitem "${workitemId}"`);
}

function need(leg: Leg, cap: Capability): void {
  const caps = capabilitiesOf(leg);
  if (!caps.includes(cap)) {
    fail(ErrorCode.NOT_CAPABLE, `workitem "${leg.workitemId}" is ${leg.state}: ${cap} is not possible now (possible: ${caps.join(', ') || 'nothing'})`);
  }
}

function requireChannel(agent: SimAgent, channelId: unknown): void {
  if (channelId !== VOICE && channelId !== agent.channelId) {
    fail(ErrorCode.CHANNEL_NOT_FOUND, `agent ${agent.id} has no channel ${JSON.stringify(channelId)} (its voice channel is "${agent.channelId}")`);
  }
}

/** The consult leg named by `consultId` must be the consultation of `original`. */
function consultOf(agent: SimAgent, original: Leg, consultId: unknown): Leg {
  const c = legOf(agent, consultId);
  if (original.consult !== c) fail(ErrorCode.PLATFORM_ERROR, `workitem "${c.workitemId}" is not the consultation of "${original.workitemId}"`);
  if (c.state !== WorkitemState.Active) fail(ErrorCode.NOT_CAPABLE, `consultation "${c.workitemId}" is ${c.state}; it must be answered first`);
  return c;
}

function apply(w: World, agent: SimAgent, r: PlatformRequest): void {
  switch (r.type) {
    case 'setAgentState':
      return setAgentState(w, agent, r);
    case 'makeCall':
      requireChannel(agent, r.channelId);
      t.dial(w, agent, r.address);
      return;
    case 'consult': {
      const leg = legOf(agent, r.workitemId);
      need(leg, Capability.Consult);
      t.consult(w, leg, r.address);
      return;
    }
    case 'answer': {
      const leg = legOf(agent, r.workitemId);
      need(leg, Capability.Answer);
      return t.answer(w, leg);
    }
    case 'hold': {
      const leg = legOf(agent, r.workitemId);
      need(leg, Capability.Hold);
      return t.hold(w, leg);
    }
    case 'resume': {
      const leg = legOf(agent, r.workitemId);
      need(leg, Capability.Resume);
      return t.resume(w, leg);
    }
    case 'end': {
      const leg = legOf(agent, r.workitemId);
      need(leg, Capability.End);
      return t.end(w, leg);
    }
    case 'transfer': {
      const leg = legOf(agent, r.workitemId);
      need(leg, Capability.Transfer);
      return t.transfer(w, leg, consultOf(agent, leg, r.consultId));
    }
    case 'conference': {
      const leg = legOf(agent, r.workitemId);
      need(leg, Capability.Conference);
      return t.conference(w, leg, consultOf(agent, leg, r.consultId));
    }
    case 'directTransfer': {
      const leg = legOf(agent, r.workitemId);
      need(leg, Capability.DirectTransfer);
      return t.directTransfer(w, leg, r.address);
    }
    case 'singleStepConference': {
      const leg = legOf(agent, r.workitemId);
      need(leg, Capability.SingleStepConference);
      return t.singleStepConference(w, leg, r.address);
    }
    case 'sendDtmf': {
      const digits = validateDtmf(w.flavor, r.digits);
      const leg = legOf(agent, r.workitemId);
      need(leg, Capability.SendDtmf);
      return t.sendDtmf(w, leg, digits);
    }
    case 'updateData': {
      const data = validateWorkitemData(r.data);
      const leg = legOf(agent, r.workitemId);
      need(leg, Capability.UpdateData);
      return t.updateData(w, leg, data);
    }
    default: {
      const type = (r as { type?: unknown }).type;
      fail(ErrorCode.NOT_CAPABLE, `the simulator does not know request type ${JSON.stringify(type)}`);
    }
  }
}

/**
 * Carry out `r` for `agent` now, in one world operation. Throws a SwitchboardError carrying
 * `r.requestId` when the platform refuses it; nothing changes then.
 */
export function execute(w: World, agent: SimAgent, r: PlatformRequest): void {
  const requestId = typeof r?.requestId === 'string' ? r.requestId : undefined;
  try {
    if (requestId === undefined) fail(ErrorCode.INVALID_ARGUMENT, 'request.requestId must be a string');
    w.run(agent, requestId, () => apply(w, agent, r));
  } catch (err) {
    // Refusals are SwitchboardErrors already; anything else is a simulator bug, not a platform answer.
    throw toSwitchboardError(err, ErrorCode.INTERNAL, requestId);
  }
}
