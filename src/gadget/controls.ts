/**
 * @module gadget/controls
 * Which call controls a workitem shows: exactly those its `capabilities` allow, in a fixed
 * order. Pure, so the rule is tested in Node without a browser.
 */
import { Capability, WorkitemState, type Workitem } from '../core/model.js';

/** A button that acts on the workitem alone. */
export const Control = {
  answer: 'answer',
  hold: 'hold',
  resume: 'resume',
  end: 'end',
  transfer: 'transfer',
  conference: 'conference',
} as const;
export type Control = (typeof Control)[keyof typeof Control];

/** An action that needs an address typed by the agent. */
export const AddressAction = {
  consult: 'consult',
  directTransfer: 'directTransfer',
  singleStepConference: 'singleStepConference',
} as const;
export type AddressAction = (typeof AddressAction)[keyof typeof AddressAction];

const BUTTONS: readonly [Capability, Control, string][] = [
  [Capability.Answer, Control.answer, 'Answer'],
  [Capability.Hold, Control.hold, 'Hold'],
  [Capability.Resume, Control.resume, 'Resume'],
  [Capability.Transfer, Control.transfer, 'Complete transfer'],
  [Capability.Conference, Control.conference, 'Complete conference'],
  [Capability.End, Control.end, 'End'],
];

const ADDRESS: readonly [Capability, AddressAction, string][] = [
  [Capability.Consult, AddressAction.consult, 'Consult'],
  [Capability.DirectTransfer, AddressAction.directTransfer, 'Transfer now'],
  [Capability.SingleStepConference, AddressAction.singleStepConference, 'Conference now'],
];

export interface WorkitemControls {
  buttons: { control: Control; label: string }[];
  address: { action: AddressAction; label: string }[];
  dtmf: boolean;
  editData: boolean;
  wrapup: boolean;
}

/** The controls a workitem shows now. */
export function controlsFor(wi: Pick<Workitem, 'capabilities' | 'state'>): WorkitemControls {
  const has = (c: Capability): boolean => wi.capabilities.includes(c);
  return {
    buttons: BUTTONS.filter(([c]) => has(c)).map(([, control, label]) => ({ control, label })),
    address: ADDRESS.filter(([c]) => has(c)).map(([, action, label]) => ({ action, label })),
    dtmf: has(Capability.SendDtmf),
    editData: has(Capability.UpdateData),
    wrapup: wi.state === WorkitemState.Wrapup && (has(Capability.SetWrapupReason) || has(Capability.UpdateData)),
  };
}

/** `h:mm:ss` or `m:ss` of a duration in ms (negative counts as zero). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The editable call variables of a workitem: callVariable1..10 and `user.*`, in order. */
export function callVariables(ctiData: Readonly<Record<string, string>>): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 1; i <= 10; i++) {
    const v = ctiData[`callVariable${i}`];
    if (v !== undefined) out.push([`callVariable${i}`, v]);
  }
  for (const [k, v] of Object.entries(ctiData)) if (k.startsWith('user.')) out.push([k, v]);
  return out;
}
