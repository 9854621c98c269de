/**
 * @module core/workitem
 * Copying workitems: what the session hands out must share nothing with its state.
 */
import type { Workitem } from './model.js';

/** A deep-enough copy for handing a workitem to custom code: nothing it mutates reaches the state. */
export function cloneWorkitem(wi: Workitem): Workitem {
  const copy: Workitem = {
    ...wi,
    participants: wi.participants.map((p) => ({ ...p })),
    ctiData: { ...wi.ctiData },
    capabilities: [...wi.capabilities],
    associations: wi.associations.map((r) => ({ ...r })),
    participantLookupResult: wi.participantLookupResult.map((r) => ({ ...r })),
  };
  if (wi.activity !== undefined) copy.activity = { ...wi.activity };
  if (wi.associatedParticipant !== undefined) copy.associatedParticipant = { ...wi.associatedParticipant };
  return copy;
}

