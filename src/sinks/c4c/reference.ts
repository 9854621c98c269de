/**
 * @module sinks/c4c/reference
 * ExternalReferenceID and ExternalOriginalReferenceID (seed 002: "unique for each call", "up to
 * 35 alphanumeric characters long and should not include special characters or dashes").
 *
 * The reference is derived from the platform's call identity, so that a reloaded page (call
 * recovery) or another sink derives the same one:
 * - UCCE: the router call key, `<callKeyPrefix>C<callKeyCallId>` — the prefix is the router's
 *   call-key day, so a call id that repeats on another day gives another reference;
 * - otherwise (UCCX, other platforms): `<workitem id>D<YYYYMMDD>`, the call's start date in UTC,
 *   because Finesse dialog ids repeat over days (FINESSE.md).
 * Every character that is not a letter or digit is dropped; a result longer than 35 keeps its
 * first 22 characters and replaces the rest with a 13-character hash of the whole (still unique
 * in practice, still letters and digits).
 *
 * A transferred call gets its own reference (the original agent's activity keeps the original
 * one): `<reference of the call it carries>T<agent id>W<workitem id>`, and
 * ExternalOriginalReferenceID is the reference of the call it carries — see
 * {@link defaultOriginalReference} for what that relies on.
 */
import type { Workitem } from '../../core/model.js';

export const REFERENCE_MAX_LENGTH = 35;
const VALID = /^[A-Za-z0-9]{1,35}$/;

/** True for 1 to 35 letters and digits (seed 002). */
export function isValidReference(value: string): boolean {
  return VALID.test(value);
}

function alnum(value: string): string {
  return value.replace(/[^A-Za-z0-9]/g, '');
}

/** FNV-1a, 64 bit, in base 36 (13 characters). */
function hash36(text: string): string {
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = (1n << 64n) - 1n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * prime) & mask;
  }
  return h.toString(36).padStart(13, '0');
}

/** Letters and digits only, at most 35: longer ones keep 22 characters and a hash of the whole. */
export function fitReference(raw: string): string {
  const s = alnum(raw);
  if (s.length === 0) return hash36(raw).toUpperCase();
  if (s.length <= REFERENCE_MAX_LENGTH) return s;
  return s.slice(0, REFERENCE_MAX_LENGTH - 13) + hash36(s);
}

function utcDate(ms: number): string {
  const d = new Date(ms);
  const y = String(d.getUTCFullYear()).padStart(4, '0');
  const m = String(d.getUTCMonth() + 1).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, '0');
  return `${y}${m}${day}`;
}

/** The parts of a workitem a reference is derived from. */
export type ReferenceSource = Pick<Workitem, 'id' | 'ctiData'>;

/** True when the item carries UCCE's router call key (then the start date is not needed). */
export function hasCallKey(wi: ReferenceSource): boolean {
  return alnum(wi.ctiData.callKeyPrefix ?? '') !== '' && alnum(wi.ctiData.callKeyCallId ?? '') !== '';
}

/**
 * The ExternalReferenceID of the call a workitem carries. `startedAt` (ms) is the call's start
 * as first seen; it is used only without a call key.
 *
 * @example
 * callReference({ id: '75627724', ctiData: { callKeyPrefix: '152018', callKeyCallId: '217' } }, t); // '152018C217'
 * callReference({ id: '16777217', ctiData: {} }, Date.parse('2026-01-05T09:00:00Z'));          // '16777217D20260105'
 */
export function callReference(wi: ReferenceSource, startedAt: number): string {
  if (hasCallKey(wi)) return fitReference(`${alnum(wi.ctiData.callKeyPrefix ?? '')}C${alnum(wi.ctiData.callKeyCallId ?? '')}`);
  return fitReference(`${alnum(wi.id)}D${utcDate(startedAt)}`);
}

/** The ExternalReferenceID of a transferred call's new activity: distinct from the original's. */
export function transferReference(wi: Pick<Workitem, 'id' | 'ctiData' | 'agentId'>, startedAt: number): string {
  return fitReference(`${callReference(wi, startedAt)}T${alnum(wi.agentId)}W${alnum(wi.id)}`);
}

/** Why no original reference could be derived, for the warning the sink reports. */
export interface OriginalReferenceResult {
  reference: string | undefined;
  reason?: string;
}

/**
 * ExternalOriginalReferenceID of a Transfer-classified item: the reference of the call the item
 * carries. This relies on the platform keeping the transferred call's identity on the new item:
 * on a blind transfer the simulator (like UCCE, which keeps the router call key with the call)
 * gives the receiving agent the customer call's id and ctiData, so this is exactly the original
 * agent's ExternalReferenceID. After a consultative transfer the receiving agent's item is the
 * consultation call (callType CONSULT, the consult's own call key): the original call's identity
 * is not on it, so no reference is derived (the sink omits the field and says why).
 */
export function defaultOriginalReference(wi: Pick<Workitem, 'id' | 'ctiData'>, startedAt: number): OriginalReferenceResult {
  if (wi.ctiData.callType === 'CONSULT') {
    return { reference: undefined, reason: 'the transferred item is the consultation call (callType CONSULT) and carries no identity of the original call' };
  }
  return { reference: callReference(wi, startedAt) };
}
