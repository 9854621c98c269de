/**
 * @module sinks/c4c/store
 * What the sink remembers about each activity it announced, so that a reloaded gadget (call
 * recovery: the platform re-announces every live call with workitemCreate) continues the same
 * activity instead of creating a second one. The port is the synchronous subset of the Web
 * Storage API: in the browser pass `window.sessionStorage` itself (it survives a reload of the
 * tab and is private to it); {@link memoryStorage} is the default and the test double.
 */

/** The part of Web Storage the sink uses; `sessionStorage` and `localStorage` fit as they are. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  /** With `key(i)`, records older than the recovery window are pruned at start. */
  readonly length?: number;
  key?(index: number): string | null;
}

/** A Map-backed StorageLike (lost on reload: in the browser prefer sessionStorage). */
export function memoryStorage(): StorageLike & { readonly size: number } {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => {
      map.set(key, String(value));
    },
    removeItem: (key) => {
      map.delete(key);
    },
    get length() {
      return map.size;
    },
    get size() {
      return map.size;
    },
    key: (index) => [...map.keys()][index] ?? null,
  };
}

/** Call phases as C4C has been told them, in order (`none`: nothing sent yet). */
export const Phase = { none: 0, allocated: 1, connected: 2, disconnected: 3 } as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

/** One announced activity, as stored (JSON). */
export interface ActivityRecord {
  v: 1;
  workitemId: string;
  reference: string;
  originalReference?: string;
  activityUUID?: string;
  eventType: 'Inbound' | 'Outbound' | 'Transfer';
  phase: Phase;
  ani: string;
  established?: string;
  termination?: string;
  /** Mapped fields as last sent (UpdateActivity only when they change). */
  fields: Record<string, string>;
  /** ms: when the sink first saw the call (its start date for references without a call key). */
  startedAt: number;
  /** ms: last time the record changed (records older than the recovery window are stale). */
  touchedAt: number;
}

const EVENT_TYPES: ReadonlySet<string> = new Set(['Inbound', 'Outbound', 'Transfer']);

/** Parse a stored record; undefined for anything that is not one (corrupt, older format). */
export function parseRecord(text: string | null): ActivityRecord | undefined {
  if (text === null) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  if (r.v !== 1 || typeof r.workitemId !== 'string' || typeof r.reference !== 'string' || typeof r.ani !== 'string') return undefined;
  if (typeof r.eventType !== 'string' || !EVENT_TYPES.has(r.eventType)) return undefined;
  if (r.phase !== 0 && r.phase !== 1 && r.phase !== 2 && r.phase !== 3) return undefined;
  if (typeof r.startedAt !== 'number' || typeof r.touchedAt !== 'number') return undefined;
  if (typeof r.fields !== 'object' || r.fields === null || Object.values(r.fields).some((x) => typeof x !== 'string')) return undefined;
  for (const k of ['originalReference', 'activityUUID', 'established', 'termination'] as const) {
    if (r[k] !== undefined && typeof r[k] !== 'string') return undefined;
  }
  return v as ActivityRecord;
}
