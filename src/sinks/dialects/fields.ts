/**
 * @module sinks/dialects/fields
 * Small readers for values that cross a boundary untyped (a postMessage body, a vendor API's
 * callback argument, a replay line). Each returns the value or throws a {@link FieldError}
 * whose message names the field's path, so that a caller can turn the first problem into one
 * clear error ("interactionData.acwDuration must be a number (got "soon")").
 *
 * Internal to the dialects and the Avaya / Bright Pattern sources; not exported by any index.
 */

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A field that is missing or has the wrong type; `message` names its path. */
export class FieldError extends Error {
  override readonly name = 'FieldError';
}

/** A value for an error message: short, never throws. */
export function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'bigint' || typeof v === 'symbol') return v.toString();
  try {
    const s = JSON.stringify(v);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return Object.prototype.toString.call(v);
  }
}

function fail(path: string, what: string, v: unknown): never {
  throw new FieldError(`"${path}" must be ${what} (got ${show(v)})`);
}

export function reqString(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') fail(`${path}${key}`, 'a string', v);
  return v;
}

export function optString(o: Obj, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') fail(`${path}${key}`, 'a string', v);
  return v;
}

export function reqBoolean(o: Obj, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') fail(`${path}${key}`, 'true or false', v);
  return v;
}

export function optBoolean(o: Obj, key: string, path: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') fail(`${path}${key}`, 'true or false', v);
  return v;
}

/** A finite number; strictly typed (no numeric strings). */
export function optNumber(o: Obj, key: string, path: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${path}${key}`, 'a finite number', v);
  return v;
}

/** A finite number, or a string holding one ("12", "3.5"): vendors send both. */
export function optNumeric(o: Obj, key: string, path: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  fail(`${path}${key}`, 'a number', v);
}

export function oneOf<T extends string>(o: Obj, key: string, allowed: readonly T[], path: string): T | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) fail(`${path}${key}`, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, v);
  return v as T;
}

/** An object whose values are strings; numbers and booleans are turned into strings when `lenient`. */
export function stringMap(v: unknown, path: string, lenient: boolean): Record<string, string> {
  if (!isObj(v)) fail(path, 'an object', v);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string') out[k] = val;
    else if (lenient && (typeof val === 'number' || typeof val === 'boolean')) out[k] = String(val);
    else fail(`${path}.${k}`, lenient ? 'a string, number or boolean' : 'a string', val);
  }
  return out;
}

/** A time as ms since the epoch: a number (ms), a numeric string (ms) or an ISO 8601 string. */
export function optTime(o: Obj, key: string, path: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return Number(v);
    const ms = Date.parse(v);
    if (!Number.isNaN(ms)) return ms;
  }
  fail(`${path}${key}`, 'a time (ISO 8601, or ms since the epoch)', v);
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Seconds between two times, never negative, rounded. */
export function secondsBetween(fromMs: number, toMs: number): number {
  return Math.max(0, Math.round((toMs - fromMs) / 1000));
}

/** A copy of a JSON-like value for `raw`; values structuredClone cannot copy become a shallow copy. */
export function copyRaw(v: Obj): Obj {
  try {
    return structuredClone(v);
  } catch {
    return { ...v };
  }
}
