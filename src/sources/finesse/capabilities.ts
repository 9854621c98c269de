/**
 * @module sources/finesse/capabilities
 * A Finesse participant's `<actions>` → core capabilities. The actions list is authoritative
 * (FINESSE.md, "REST"): only what it names is offered, in the core's order, without duplicates.
 *
 * | Finesse action | Capability |
 * | --- | --- |
 * | ANSWER | Answer |
 * | HOLD | Hold |
 * | RETRIEVE | Resume |
 * | DROP | End |
 * | CONSULT_CALL | Consult |
 * | TRANSFER | Transfer |
 * | CONFERENCE | Conference |
 * | TRANSFER_SST | DirectTransfer |
 * | SEND_DTMF | SendDtmf |
 * | UPDATE_CALL_DATA | UpdateData, SetWrapupReason (the wrap-up reason is set through UPDATE_CALL_DATA) |
 *
 * SingleStepConference is never offered: Finesse has no CONFERENCE_SST, and emulating it with
 * CONSULT_CALL + CONFERENCE would be a two-step operation that can fail half way (the consult
 * call left up). Unknown actions (MAKE_CALL, future ones) map to nothing.
 */
import { Capability } from '../../core/model.js';

export const ACTION_CAPABILITIES: Readonly<Record<string, readonly Capability[]>> = {
  ANSWER: [Capability.Answer],
  HOLD: [Capability.Hold],
  RETRIEVE: [Capability.Resume],
  DROP: [Capability.End],
  CONSULT_CALL: [Capability.Consult],
  TRANSFER: [Capability.Transfer],
  CONFERENCE: [Capability.Conference],
  TRANSFER_SST: [Capability.DirectTransfer],
  SEND_DTMF: [Capability.SendDtmf],
  UPDATE_CALL_DATA: [Capability.UpdateData, Capability.SetWrapupReason],
};

const ORDER: readonly Capability[] = Object.values(Capability);

/**
 * @example
 * actionsToCapabilities(['HOLD', 'DROP']); // ['Hold', 'End']
 */
export function actionsToCapabilities(actions: readonly string[]): Capability[] {
  const set = new Set<Capability>();
  for (const a of actions) {
    const caps = Object.hasOwn(ACTION_CAPABILITIES, a.toUpperCase()) ? ACTION_CAPABILITIES[a.toUpperCase()] : undefined;
    if (caps !== undefined) for (const c of caps) set.add(c);
  }
  return ORDER.filter((c) => set.has(c));
}
