/**
 * @module sources/sim/telephony
 * What happens on the switch: calls arrive, ring, get answered, held, consulted, transferred,
 * conferenced and hung up. Each function is one step of the world, run inside
 * {@link World.run}; it checks the platform's rules first and throws a SwitchboardError before
 * changing anything, so a refused request leaves no trace.
 *
 * Where the simulator follows Finesse: a consult holds the original and opens a second call;
 * TRANSFER and CONFERENCE act on the held original once the consult is answered; a blind
 * transfer leaves the transferring agent's item EndedTransferred at once; call variables belong
 * to the call (every agent on it sees a change) while the wrap-up reason belongs to one agent.
 */
import { ErrorCode, SwitchboardError } from '../../core/errors.js';
import { Classification, Direction, WorkitemState, type CtiData } from '../../core/model.js';
import type { AcdQueue } from './acd.js';
import { hasCall, isConnected, type Call, type External, type Leg, type SimAgent } from './model.js';
import type { World } from './world.js';

function fail(code: ErrorCode, message: string): never {
  throw new SwitchboardError(code, message);
}

/** Where an address leads: an agent's extension or an outside number. */
export type Destination = { kind: 'agent'; agent: SimAgent } | { kind: 'external'; address: string };

/** Resolve a dialled address by the dial plan; unknown, unreachable or busy destinations fail. */
export function resolveDestination(w: World, from: SimAgent, address: unknown): Destination {
  if (typeof address !== 'string' || address.trim() === '') fail(ErrorCode.INVALID_ARGUMENT, 'address must be a non-empty string');
  const target = w.byExtension.get(address);
  if (target !== undefined) {
    if (target === from) fail(ErrorCode.PLATFORM_ERROR, `agent ${from.id} cannot call its own extension ${address}`);
    if (!target.loggedIn) fail(ErrorCode.PLATFORM_ERROR, `extension ${address} (agent ${target.id}) is not signed in`);
    if (hasCall(target)) fail(ErrorCode.PLATFORM_ERROR, `extension ${address} (agent ${target.id}) is busy`);
    return { kind: 'agent', agent: target };
  }
  if (w.options.dialPlan.internal.test(address)) fail(ErrorCode.PLATFORM_ERROR, `unknown destination "${address}": no agent has this extension`);
  if (!w.options.dialPlan.external.test(address)) fail(ErrorCode.PLATFORM_ERROR, `unknown destination "${address}": not an extension and not a dialable number`);
  return { kind: 'external', address };
}

// ---- inbound ------------------------------------------------------------------------------------

export interface ArriveOptions {
  /** The caller's number (ani). */
  from: string;
  /** Queue id the call is routed to. */
  queue: string;
  /** Number the caller dialled (ctiData DNIS and dialedNumber); default: the queue's number. */
  dnis?: string;
  /** callVariable1..10, by full name (`callVariable1`) or number (`1`). */
  callVariables?: Record<string, string>;
  /** ECC variables by name without the `user.` prefix. */
  ecc?: Record<string, string>;
  /** The caller hangs up after this long if still queued or ringing. */
  patienceMs?: number;
}

const CALL_VARIABLE = /^(?:callVariable)?([1-9]|10)$/;
const ECC_NAME = /^[A-Za-z0-9_.[\]-]+$/;

/** The ctiData of an inbound call: seed 001's keys, ECC as `user.<name>`. */
function inboundCti(w: World, queue: AcdQueue, o: ArriveOptions): CtiData {
  const vars: CtiData = {};
  for (const [k, v] of Object.entries(o.callVariables ?? {})) {
    const m = CALL_VARIABLE.exec(k);
    if (m === null) fail(ErrorCode.INVALID_ARGUMENT, `callVariables key "${k}" must be callVariable1..10`);
    if (typeof v !== 'string') fail(ErrorCode.INVALID_ARGUMENT, `callVariables "${k}" must be a string`);
    vars[`callVariable${m[1] ?? ''}`] = v;
  }
  for (const [k, v] of Object.entries(o.ecc ?? {})) {
    const name = k.startsWith('user.') ? k.slice(5) : k;
    if (!ECC_NAME.test(name)) fail(ErrorCode.INVALID_ARGUMENT, `ECC variable name "${k}" is not valid`);
    if (typeof v !== 'string') fail(ErrorCode.INVALID_ARGUMENT, `ECC variable "${k}" must be a string`);
    vars[`user.${name}`] = v;
  }
  // The call key is drawn only once the call is sure to exist: a refused arrival uses no number.
  const cti = w.baseCti('ACD_IN', o.dnis ?? queue.dialedNumber);
  cti.queueName = queue.name;
  cti.queueNumber = queue.id;
  return Object.assign(cti, vars);
}

/** A caller dials in: the call queues and the ACD offers it when an agent is free. */
export function arrive(w: World, o: ArriveOptions): Call {
  if (typeof o?.from !== 'string' || o.from === '') fail(ErrorCode.INVALID_ARGUMENT, 'arrive: "from" must be a non-empty string');
  const queue = w.queues.get(o.queue);
  if (queue === undefined) fail(ErrorCode.INVALID_ARGUMENT, `arrive: unknown queue "${o.queue}" (known: ${[...w.queues.keys()].join(', ')})`);
  if (o.dnis !== undefined && (typeof o.dnis !== 'string' || o.dnis === '')) fail(ErrorCode.INVALID_ARGUMENT, 'arrive: "dnis" must be a non-empty string');
  if (o.patienceMs !== undefined && !(typeof o.patienceMs === 'number' && o.patienceMs >= 0)) fail(ErrorCode.INVALID_ARGUMENT, 'arrive: "patienceMs" must be a number >= 0');
  const cti = inboundCti(w, queue, o);
  const call = w.newCall('inbound', o.from, cti.dialedNumber ?? queue.dialedNumber, cti);
  w.addExternal(call, o.from, true);
  w.counters.arrivals++;
  w.enqueue(call, queue);
  if (o.patienceMs !== undefined && o.patienceMs > 0) {
    call.timers.push(
      w.clock.setTimeout(() => {
        if (!call.ended && !isAnswered(call)) w.run(undefined, undefined, () => giveUp(w, call));
      }, o.patienceMs),
    );
  }
  return call;
}

export function isAnswered(call: Call): boolean {
  for (const p of call.parties) if (p.kind === 'leg' && isConnected(p.leg)) return true;
  return false;
}

function giveUp(w: World, call: Call): void {
  const caller = call.parties.find((p): p is External => p.kind === 'external');
  if (caller !== undefined) call.parties.splice(call.parties.indexOf(caller), 1);
  w.counters.abandoned++;
  w.endCall(call, 'abandon');
}

/** The caller gives up while the call is queued or ringing (a ringing item ends EndedAbandoned). */
export function abandon(w: World, call: Call): void {
  if (isAnswered(call)) fail(ErrorCode.PLATFORM_ERROR, `call ${call.id} was answered; the caller can hang up (callerHangup), not abandon`);
  giveUp(w, call);
}

/**
 * An outside party hangs up (the caller, or a dialled number; `address` picks one when several
 * are on the call). Before anyone answered, that is an abandon.
 */
export function callerHangup(w: World, call: Call, address?: string): void {
  const ext = call.parties.find((p): p is External => p.kind === 'external' && (address === undefined || p.address === address));
  if (ext === undefined) fail(ErrorCode.PLATFORM_ERROR, `call ${call.id} has no outside party${address === undefined ? '' : ` "${address}"`} to hang up`);
  if (!isAnswered(call) && call.kind === 'inbound') {
    giveUp(w, call);
    return;
  }
  call.parties.splice(call.parties.indexOf(ext), 1);
  w.touchCall(call);
  w.settle(call, 'hangup');
}

// ---- outbound -----------------------------------------------------------------------------------

/** Ring the far end after `ringAfterMs`, and let it answer by itself when configured. */
function ringFarEnd(w: World, call: Call, ext: External): void {
  const { ringAfterMs, answerAfterMs } = w.options.farEnd;
  call.timers.push(
    w.clock.setTimeout(() => {
      if (call.ended || ext.connected) return;
      w.run(undefined, undefined, () => {
        for (const p of call.parties) if (p.kind === 'leg' && p.leg.state === WorkitemState.Initiated) w.step(p.leg, WorkitemState.Offered);
      });
    }, ringAfterMs),
  );
  if (answerAfterMs !== undefined) {
    const delay = w.rng('farEnd').uniform(answerAfterMs[0], answerAfterMs[1]);
    call.timers.push(
      w.clock.setTimeout(() => {
        if (!call.ended && !ext.connected) w.run(undefined, undefined, () => connectFarEnd(w, call, ext));
      }, Math.max(ringAfterMs, delay)),
    );
  }
}

function connectFarEnd(w: World, call: Call, ext: External): void {
  ext.connected = true;
  for (const p of call.parties) {
    if (p.kind === 'leg' && p.leg.direction === Direction.Outgoing && (p.leg.state === WorkitemState.Initiated || p.leg.state === WorkitemState.Offered)) {
      w.step(p.leg, WorkitemState.Active);
    }
  }
  w.touchCall(call);
}

/** The dialled outside number answers (scripts; or by itself with `farEnd.answerAfterMs`). */
export function farEndAnswer(w: World, call: Call): void {
  const ext = call.parties.find((p): p is External => p.kind === 'external' && !p.connected);
  if (ext === undefined) fail(ErrorCode.PLATFORM_ERROR, `call ${call.id} has no outside number ringing`);
  connectFarEnd(w, call, ext);
}

/** Start a call from `agent` to `dest`: Internal for an extension, Customer (outbound) otherwise. */
function placeCall(w: World, agent: SimAgent, dest: Destination, consultOf: Leg | undefined): Leg {
  const address = dest.kind === 'agent' ? dest.agent.extension : dest.address;
  let cti: CtiData;
  if (consultOf !== undefined) {
    cti = w.baseCti('CONSULT', address);
    // The consulted party sees the customer's data, as UCCE passes call context on a consult.
    for (const [k, v] of Object.entries(consultOf.cti)) {
      if (k.startsWith('callVariable') || k.startsWith('user.') || k === 'queueName' || k === 'queueNumber') cti[k] = v;
    }
  } else {
    cti = w.baseCti(dest.kind === 'agent' ? 'AGENT_INSIDE' : 'AGENT_OUT', address);
  }
  const kind = consultOf !== undefined ? 'consult' : dest.kind === 'agent' ? 'internal' : 'outbound';
  const call = w.newCall(kind, agent.extension, address, cti);
  const ownClass = consultOf !== undefined ? Classification.Consultation : dest.kind === 'agent' ? Classification.Internal : Classification.Customer;
  const leg = w.addLeg(call, agent, Direction.Outgoing, ownClass, WorkitemState.Initiated, { ...cti });
  if (consultOf !== undefined) {
    leg.consultOf = consultOf;
    consultOf.consult = leg;
  }
  if (dest.kind === 'agent') {
    const theirClass = consultOf !== undefined ? Classification.Consultation : Classification.Internal;
    w.addLeg(call, dest.agent, Direction.Incoming, theirClass, WorkitemState.Offered, { ...cti });
  } else {
    ringFarEnd(w, call, w.addExternal(call, dest.address, false));
  }
  return leg;
}

/** makeCall: a new call from an agent without one. */
export function dial(w: World, agent: SimAgent, address: string): Leg {
  if (!agent.loggedIn) fail(ErrorCode.INVALID_STATE, `agent ${agent.id} must be signed in to make a call`);
  if (hasCall(agent)) {
    const busy = [...agent.legs].find((l) => l.state !== WorkitemState.Wrapup);
    fail(ErrorCode.INVALID_STATE, `agent ${agent.id} already has a call (workitem "${busy?.workitemId ?? ''}" is ${busy?.state ?? ''}); consult from it instead`);
  }
  return placeCall(w, agent, resolveDestination(w, agent, address), undefined);
}

// ---- call control -------------------------------------------------------------------------------

export function answer(w: World, leg: Leg): void {
  w.step(leg, WorkitemState.Active);
  w.counters.answered++;
  const call = leg.call;
  for (const p of call.parties) {
    // The calling agent of an internal or consult call connects when the callee answers.
    if (p.kind === 'leg' && p.leg !== leg && p.leg.direction === Direction.Outgoing && (p.leg.state === WorkitemState.Initiated || p.leg.state === WorkitemState.Offered)) {
      w.step(p.leg, WorkitemState.Active);
    }
  }
  if (leg.classification === Classification.Conference) conferenceAll(w, call);
  w.touchCall(call);
  if (leg.agent.auto) w.hooks?.connected(leg);
}

export function hold(w: World, leg: Leg): void {
  w.step(leg, WorkitemState.Paused);
}

export function resume(w: World, leg: Leg): void {
  w.step(leg, WorkitemState.Active);
}

/** The agent hangs up (or cancels an unanswered outgoing call). */
export function end(w: World, leg: Leg): void {
  const call = leg.call;
  w.leave(leg, 'hangup');
  w.settle(call, 'hangup');
}

function conferenceAll(w: World, call: Call): void {
  for (const p of call.parties) if (p.kind === 'leg' && p.leg.state !== WorkitemState.Offered) w.setClassification(p.leg, Classification.Conference);
}

/** Consult: hold the original and call `address` (an agent's extension or an outside number). */
export function consult(w: World, leg: Leg, address: string): Leg {
  const dest = resolveDestination(w, leg.agent, address);
  w.step(leg, WorkitemState.Paused);
  return placeCall(w, leg.agent, dest, leg);
}

/** Move everyone but `keep` from `from` into `into`; `from`'s ids now name `into`. */
function merge(w: World, from: Call, into: Call, keep: Leg): void {
  const stay = from.parties.filter((p) => p.kind === 'leg' && p.leg === keep);
  for (const p of from.parties) {
    if (p.kind === 'leg' && p.leg === keep) continue;
    into.parties.push(p);
    if (p.kind === 'leg') {
      p.leg.call = into;
      into.visited.add(p.leg.agent.id);
    }
  }
  from.parties = stay;
  for (const id of from.ids) w.alias(into, id);
  for (const t of from.timers) w.clock.clearTimeout(t);
  from.timers = [];
  from.waiting = false;
  from.ended = true;
  w.touchCall(into);
}

/** Consultative transfer: the customer joins the consult call; the transferring agent drops out. */
export function transfer(w: World, original: Leg, consultLeg: Leg): void {
  const into = consultLeg.call;
  merge(w, original.call, into, original);
  w.leave(original, 'transferred');
  w.leave(consultLeg, 'hangup');
  for (const p of into.parties) if (p.kind === 'leg' && p.leg.classification === Classification.Consultation) w.setClassification(p.leg, Classification.Transfer);
  w.settle(into, 'hangup');
}

/** Conference: the consult call's parties join the original, which is retrieved. */
export function conference(w: World, original: Leg, consultLeg: Leg): void {
  const into = original.call;
  merge(w, consultLeg.call, into, consultLeg);
  w.leave(consultLeg, 'hangup');
  w.step(original, WorkitemState.Active);
  conferenceAll(w, into);
  w.settle(into, 'hangup');
}

/** Blind transfer: to an agent, a new Incoming Transfer item rings; to an outside number, the call leaves. */
export function directTransfer(w: World, leg: Leg, address: string): void {
  const dest = resolveDestination(w, leg.agent, address);
  const call = leg.call;
  if (dest.kind === 'agent') {
    w.addLeg(call, dest.agent, Direction.Incoming, Classification.Transfer, WorkitemState.Offered, { ...call.template, callType: 'TRANSFER' });
  } else {
    w.addExternal(call, dest.address, true);
  }
  w.leave(leg, 'transferred');
  w.settle(call, 'hangup');
}

/** Single-step conference: the new party joins without a consultation. */
export function singleStepConference(w: World, leg: Leg, address: string): void {
  const dest = resolveDestination(w, leg.agent, address);
  const call = leg.call;
  if (dest.kind === 'agent') {
    w.addLeg(call, dest.agent, Direction.Incoming, Classification.Conference, WorkitemState.Offered, { ...call.template, callType: 'CONFERENCE' });
  } else {
    w.addExternal(call, dest.address, true);
    conferenceAll(w, call);
  }
  w.touchCall(call);
}

/** DTMF goes to the far end; the simulator records the digits on the call. */
export function sendDtmf(_w: World, leg: Leg, digits: string): void {
  leg.call.dtmf += digits;
}

/**
 * updateWorkitemData: call and ECC variables change for everyone on the call (and for agents
 * who join later); the wrap-up reason is the requesting agent's own. Only real changes are sent.
 */
export function updateData(w: World, leg: Leg, data: CtiData): void {
  const onCall = leg.state !== WorkitemState.Wrapup;
  for (const [key, value] of Object.entries(data)) {
    if (key === 'wrapUpReason' || !onCall) {
      w.setCti(leg, key, value);
      continue;
    }
    leg.call.template[key] = value;
    for (const p of leg.call.parties) if (p.kind === 'leg') w.setCti(p.leg, key, value);
  }
}
