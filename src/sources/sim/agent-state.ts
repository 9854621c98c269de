/**
 * @module sources/sim/agent-state
 * Agent state as a contact center shows it. The agent asks for Ready, NotReady (with a reason)
 * or Logout; that request sets the *base* state, where the agent returns after calls. What the
 * session sees is derived: Active while on the phone, Wrapup while wrapping up, the base
 * otherwise. Deriving it (instead of setting it in each operation) is what guarantees that an
 * agentState update is sent exactly when the shown state changes, never twice.
 *
 * Seed 001, "Receive a call in Not Ready state": on CCX a call taken or placed in NotReady
 * gives no agentStateChange to Active; the agent stays NotReady through the call.
 */
import { ErrorCode, SwitchboardError } from '../../core/errors.js';
import {
  AgentState,
  Classification,
  Direction,
  Flavor,
  RequestableAgentState,
  VOICE,
  WorkitemState,
  type ReasonType,
} from '../../core/model.js';
import type { PlatformRequest } from '../../core/source.js';
import { hasCall, isTalking, type AgentStatus, type SimAgent, type StatKey } from './model.js';
import type { World } from './world.js';

const ACTIVE: AgentStatus = { state: AgentState.Active, reasonCode: -1, label: '' };
const WRAPUP: AgentStatus = { state: AgentState.Wrapup, reasonCode: -1, label: '' };
const REQUESTABLE: ReadonlySet<string> = new Set(Object.values(RequestableAgentState));

/** The state the agent's sessions should show now. */
export function displayedState(w: World, agent: SimAgent): AgentStatus {
  if (!agent.loggedIn) return agent.base;
  let talking = false;
  let wrapping = false;
  for (const leg of agent.legs) {
    if (isTalking(leg)) talking = true;
    else if (leg.state === WorkitemState.Wrapup) wrapping = true;
  }
  if ((talking || wrapping) && w.flavor === Flavor.UCCX && agent.shown.state === AgentState.NotReady) {
    // CCX keeps a NotReady agent NotReady through the call (a new reason code still shows).
    return agent.base.state === AgentState.NotReady ? agent.base : agent.shown;
  }
  if (talking) return ACTIVE;
  if (wrapping) return WRAPUP;
  return agent.base;
}

/** The statistics bucket of seed 001's queue statistics the agent is in now. */
export function statKeyOf(agent: SimAgent): StatKey | undefined {
  switch (agent.shown.state) {
    case AgentState.Ready:
      return 'agentsReady';
    case AgentState.NotReady:
      return 'agentsNotReady';
    case AgentState.Wrapup:
      return agent.base.state === AgentState.NotReady ? 'agentsWrapUpNotReady' : 'agentsWrapUpReady';
    case AgentState.Active: {
      for (const leg of agent.legs) {
        if (!isTalking(leg)) continue;
        if (leg.classification === Classification.Internal || leg.classification === Classification.Consultation) return 'agentsTalkingInternal';
        if (leg.direction === Direction.Outgoing) return 'agentsTalkingOutbound';
        return 'agentsTalkingInbound';
      }
      return 'agentsTalkingInbound';
    }
    default:
      return undefined;
  }
}

function fail(code: ErrorCode, message: string): never {
  throw new SwitchboardError(code, message);
}

function reasonFor(w: World, state: RequestableAgentState, reasonCode: string | undefined): AgentStatus {
  if (state === RequestableAgentState.Ready) {
    if (reasonCode !== undefined) fail(ErrorCode.INVALID_ARGUMENT, `Ready takes no reason code (got "${reasonCode}")`);
    return { state: AgentState.Ready, reasonCode: -1, label: '' };
  }
  if (reasonCode === undefined) return { state, reasonCode: -1, label: '' };
  const type: ReasonType = state === RequestableAgentState.NotReady ? 'NotReady' : 'Logout';
  const list = w.reasonCodes(type);
  const found = list.find((r) => r.id === reasonCode);
  if (found === undefined) {
    fail(ErrorCode.PLATFORM_ERROR, `unknown ${type} reason code "${reasonCode}" (known: ${list.map((r) => `${r.id} ${r.label}`).join(', ') || 'none'})`);
  }
  return { state, reasonCode: Number(found.id), label: found.label };
}

/**
 * setAgentState: sign in (Ready/NotReady from Logout), change state, or sign out. During a call
 * the request only sets the state to return to (Finesse's pending state); during wrap-up it ends
 * the wrap-up (Finesse: leaving WORK ends it), unless wrap-up is `required` and no wrap-up
 * reason was set.
 */
export function setAgentState(w: World, agent: SimAgent, r: Extract<PlatformRequest, { type: 'setAgentState' }>): void {
  if (r.channelId !== VOICE && r.channelId !== agent.channelId) {
    fail(ErrorCode.CHANNEL_NOT_FOUND, `agent ${agent.id} has no channel "${r.channelId}" (its voice channel is "${agent.channelId}")`);
  }
  if (typeof r.state !== 'string' || !REQUESTABLE.has(r.state)) {
    fail(ErrorCode.INVALID_ARGUMENT, `state must be Ready, NotReady or Logout (got ${JSON.stringify(r.state)})`);
  }
  const code = r.reasonCode === undefined || r.reasonCode === '' ? undefined : String(r.reasonCode);
  const target = reasonFor(w, r.state, code);
  if (!agent.loggedIn) {
    if (target.state === AgentState.Logout) fail(ErrorCode.INVALID_STATE, `agent ${agent.id} is already signed out`);
    agent.loggedIn = true;
    agent.base = target;
    w.touch(agent);
    return;
  }
  if (hasCall(agent)) {
    if (target.state === AgentState.Logout) {
      const busy = [...agent.legs].find((l) => l.state !== WorkitemState.Wrapup);
      fail(ErrorCode.INVALID_STATE, `agent ${agent.id} cannot sign out during a call (workitem "${busy?.workitemId ?? ''}" is ${busy?.state ?? ''})`);
    }
    agent.base = target;
    w.touch(agent);
    return;
  }
  const wrapping = [...agent.legs];
  if (wrapping.length === 0) {
    if (agent.shown.state === target.state && agent.shown.reasonCode === target.reasonCode) {
      fail(ErrorCode.INVALID_STATE, `agent ${agent.id} is already ${target.state}${target.reasonCode >= 0 ? ` with reason code ${target.reasonCode}` : ''}`);
    }
  } else if (w.options.wrapup === 'required') {
    const missing = wrapping.find((l) => (l.cti.wrapUpReason ?? '') === '');
    if (missing !== undefined) {
      fail(ErrorCode.INVALID_STATE, `wrap-up is required: set a wrap-up reason on workitem "${missing.workitemId}" before leaving wrap-up`);
    }
  }
  for (const leg of wrapping) w.finish(leg, WorkitemState.Ended);
  agent.base = target;
  if (target.state === AgentState.Logout) agent.loggedIn = false;
  w.touch(agent);
}
