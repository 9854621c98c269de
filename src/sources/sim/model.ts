/**
 * @module sources/sim/model
 * The simulator's own world model, below the normalized one: a `Call` is what the switch sees
 * (parties talking, a queue position, timers); a `Leg` is one agent's part in a call, and is
 * exactly what that agent's session knows as a workitem. Two agents on one call have two legs
 * (Finesse shows one dialog to both), and a leg keeps its workitem id when calls are merged by
 * a conference, so that no session ever sees an id change under it.
 *
 * The pure rules that depend only on this model live here too: who the participants are,
 * which capabilities a leg has now, and whether an agent is busy.
 */
import type { TimerHandle } from '../../core/clock.js';
import {
  Capability,
  Classification,
  Direction,
  WorkitemState,
  type AgentState,
  type CtiData,
  type Participant,
} from '../../core/model.js';
import type { AcdQueue } from './acd.js';
import type { SimAgentConfig } from './options.js';

/** A displayed agent state: what the agent's sessions were last told. */
export interface AgentStatus {
  state: AgentState;
  /** Negative: no reason code. */
  reasonCode: number;
  label: string;
}

export interface SimAgent {
  readonly config: SimAgentConfig;
  readonly id: string;
  readonly extension: string;
  readonly channelId: string;
  readonly queues: AcdQueue[];
  loggedIn: boolean;
  /** The state the agent asked for (Ready / NotReady with reason / Logout): where it returns after calls. */
  base: AgentStatus;
  /** The state last announced (Logout, Ready, NotReady, Active, Wrapup). */
  shown: AgentStatus;
  /** Live legs, Wrapup included, in creation order. */
  readonly legs: Set<Leg>;
  /** Legs that ended during the current operation, announced at commit. */
  leaving: Leg[];
  /** In the ACD's idle lists (signed in, Ready, no leg at all). */
  available: boolean;
  /** Which statistics counter the agent is in (UCCE only). */
  statKey: StatKey | undefined;
  readonly auto: boolean;
}

/** The statistics buckets of seed 001's queue statistics an agent can be in. */
export type StatKey =
  | 'agentsNotReady'
  | 'agentsReady'
  | 'agentsTalkingInbound'
  | 'agentsTalkingInternal'
  | 'agentsTalkingOutbound'
  | 'agentsWrapUpNotReady'
  | 'agentsWrapUpReady';

/** An outside party: a caller, or a dialled number that may still be ringing. */
export interface External {
  readonly kind: 'external';
  readonly address: string;
  connected: boolean;
}

export type Party = External | { readonly kind: 'leg'; readonly leg: Leg };

export type CallKind = 'inbound' | 'outbound' | 'internal' | 'consult';

export interface Call {
  readonly id: string;
  readonly kind: CallKind;
  readonly from: string;
  readonly to: string;
  /** ctiData a leg joining this call starts with. */
  template: CtiData;
  /** Everyone on the call, in the order they joined. */
  parties: Party[];
  /** Ids of the workitems this call is known by (its own, plus merged and re-visit ids). */
  readonly ids: string[];
  /** Agents that had a leg on this call: a second visit gets a fresh workitem id. */
  readonly visited: Set<string>;
  queue: AcdQueue | undefined;
  /** Waiting in `queue` for an agent. */
  waiting: boolean;
  enqueuedAt: number;
  waitSeq: number;
  dtmf: string;
  ended: boolean;
  timers: TimerHandle[];
}

export interface Leg {
  readonly workitemId: string;
  readonly seq: number;
  readonly agent: SimAgent;
  call: Call;
  readonly direction: Direction;
  classification: Classification;
  state: WorkitemState;
  /** Fixed when the leg is created (seed 001's rule over the participants it sees then). */
  ani: string;
  connectedAt: string | undefined;
  readonly cti: CtiData;
  /** Participants frozen when the leg left its call (Wrapup). */
  frozen: Participant[] | undefined;
  /** On the consulting agent's consult leg: the held original. */
  consultOf: Leg | undefined;
  /** On the held original: its consult leg. */
  consult: Leg | undefined;
  /** Bumped whenever a scheduled action for this leg (auto agent, wrap-up timeout) must lapse. */
  token: number;
  // What sessions were last told, so that commit sends only real changes (never a duplicate).
  announced: boolean;
  steps: WorkitemState[];
  pendingData: CtiData | undefined;
  sentCaps: string;
  sentClass: Classification;
  sentParts: string;
}

const CONNECTED: ReadonlySet<WorkitemState> = new Set<WorkitemState>([WorkitemState.Active, WorkitemState.Paused]);

export function isConnected(leg: Leg): boolean {
  return CONNECTED.has(leg.state);
}

/** On the phone: talking, holding, or dialling out (an outgoing leg not yet answered). */
export function isTalking(leg: Leg): boolean {
  if (CONNECTED.has(leg.state)) return true;
  return leg.direction === Direction.Outgoing && (leg.state === WorkitemState.Initiated || leg.state === WorkitemState.Offered);
}

/** Has a leg that is not in wrap-up (ringing, dialling, talking or holding). */
export function hasCall(agent: SimAgent): boolean {
  for (const leg of agent.legs) if (leg.state !== WorkitemState.Wrapup) return true;
  return false;
}

/** A leg that counts as a participant for others: dialling, talking or holding (not ringing). */
function isPresent(leg: Leg): boolean {
  return leg.state === WorkitemState.Initiated || CONNECTED.has(leg.state);
}

/** The participants an agent sees: connected outside parties, itself, and the other agents on the line. */
export function participantsOf(leg: Leg): Participant[] {
  if (leg.frozen !== undefined) return leg.frozen;
  const out: Participant[] = [];
  for (const p of leg.call.parties) {
    if (p.kind === 'external') {
      if (p.connected) out.push({ address: p.address });
    } else if (p.leg === leg || isPresent(p.leg)) {
      out.push({ address: p.leg.agent.extension });
    }
  }
  return out;
}

export function participantsKey(parts: readonly Participant[]): string {
  return parts.map((p) => p.address).join('\u0000');
}

const ACTIVE_CAPS: readonly Capability[] = [
  Capability.Hold,
  Capability.End,
  Capability.Consult,
  Capability.DirectTransfer,
  Capability.SingleStepConference,
  Capability.SendDtmf,
  Capability.UpdateData,
];
/** Talking while another call is held (a consultation): no second hold, no consult from it. */
const SECOND_LINE_CAPS: readonly Capability[] = [Capability.End, Capability.SendDtmf, Capability.UpdateData];

/**
 * What the agent may do with the leg now, as Finesse's participant `<actions>` would list it:
 * Offered (incoming) answer; Active the full set unless another call is held; a held original
 * whose consultation is answered transfer or conference, not retrieve; Wrapup data only.
 */
export function capabilitiesOf(leg: Leg): Capability[] {
  switch (leg.state) {
    case WorkitemState.Initiated:
      return [Capability.End];
    case WorkitemState.Offered:
      return leg.direction === Direction.Incoming ? [Capability.Answer] : [Capability.End];
    case WorkitemState.Active: {
      if (leg.consultOf !== undefined || hasOther(leg, WorkitemState.Paused)) return [...SECOND_LINE_CAPS];
      return [...ACTIVE_CAPS];
    }
    case WorkitemState.Paused: {
      if (leg.consult !== undefined) {
        return leg.consult.state === WorkitemState.Active
          ? [Capability.Transfer, Capability.Conference, Capability.End, Capability.UpdateData]
          : [Capability.End, Capability.UpdateData];
      }
      if (hasOther(leg, WorkitemState.Active)) return [Capability.End, Capability.UpdateData];
      return [Capability.Resume, Capability.End, Capability.UpdateData];
    }
    case WorkitemState.Wrapup:
      return [Capability.UpdateData, Capability.SetWrapupReason];
    default:
      return [];
  }
}

function hasOther(leg: Leg, state: WorkitemState): boolean {
  for (const other of leg.agent.legs) if (other !== leg && other.state === state) return true;
  return false;
}

/** Wrap-up follows customer calls only: not a consultation, not an agent-to-agent call. */
export function wrapsUp(leg: Leg): boolean {
  return leg.classification !== Classification.Consultation && leg.classification !== Classification.Internal;
}
