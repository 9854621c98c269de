/**
 * @module servicenow-emulator/faults
 * Fault injection, switchable per test and reproducible: a list of rules, each saying which
 * requests it may hit (method, table), when (the nth matching requests, the first N, or a
 * fraction drawn from a seeded generator, at most `times` in all) and what happens instead of
 * the normal answer — 429 with Retry-After and X-RateLimit-*, a 5xx, a slow answer, a connection
 * destroyed before or after the write is applied (the "lost answer" that idempotency must
 * survive), an HTML page, garbage, a record without sys_id. The same seed and the same request
 * sequence give the same faults. Rules are plain JSON so that the admin endpoint takes them too.
 */
import { seededRandom } from '../core/random.js';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Which requests a rule may hit; absent = any. */
export interface FaultMatch {
  method?: HttpMethod | HttpMethod[];
  table?: string | string[];
}

/** When a matching request is hit; with none of `nth`, `first`, `rate`: every matching request. */
export interface FaultWhen {
  match?: FaultMatch;
  /** 1-based ordinals of the matching requests to hit, e.g. `[1, 3]` (counting every matching request). */
  nth?: number[];
  /** Hit the first N matching requests that no earlier rule hit (rules with `first: 1` in a row make a sequence). */
  first?: number;
  /** Hit each matching request with this probability (seeded). */
  rate?: number;
  /** Hit at most this many requests in all. */
  times?: number;
}

export type FaultAction =
  /** 429 Too Many Requests with Retry-After (seconds or an HTTP date) and X-RateLimit-*. */
  | { kind: 'rateLimit'; retryAfterSeconds?: number; retryAfterFormat?: 'seconds' | 'http-date' }
  /** A 5xx: 500 answers ServiceNow's error JSON, 502-504 a load balancer's HTML page. */
  | { kind: 'serverError'; status?: 500 | 502 | 503 | 504 }
  /** Wait, then answer normally (or as another rule says). */
  | { kind: 'delay'; ms: number }
  /** Destroy the connection: `before` the request is applied, or `after` it (the lost answer). */
  | { kind: 'drop'; phase?: 'before' | 'after' }
  /** An HTML page instead of JSON (a hibernating instance answers 200 with one). */
  | { kind: 'html'; status?: number }
  /** A body that is not JSON at all (cut in the middle). */
  | { kind: 'garbage'; status?: number }
  /** The normal answer with `sys_id` removed from every record in it. */
  | { kind: 'missingSysId' };

export type FaultKind = FaultAction['kind'];
export const FAULT_KINDS: readonly FaultKind[] = ['rateLimit', 'serverError', 'delay', 'drop', 'html', 'garbage', 'missingSysId'];

export type FaultRule = FaultWhen & FaultAction;

/** A rule as the plan holds it, with its counters. */
export interface ActiveRule {
  id: string;
  rule: FaultRule;
  /** Matching requests seen. */
  seen: number;
  /** Matching requests no earlier rule had already hit. */
  reached: number;
  /** Requests hit. */
  fired: number;
}

/** What the plan decided for one request. */
export interface FaultDecision {
  /** Total delay of the `delay` rules that fired (ms). */
  delayMs: number;
  /** The first non-delay rule that fired, if any. */
  fault: Exclude<FaultAction, { kind: 'delay' }> | undefined;
  ruleIds: string[];
}

/** The seeded generator the faults are drawn from (core/random, mulberry32). */
export { seededRandom };

/** Every problem of a rule given as JSON (for the admin endpoint); empty when valid. */
export function faultRuleProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['a fault rule must be a JSON object'];
  const r = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof r.kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(r.kind)) problems.push(`kind: one of ${FAULT_KINDS.join(', ')} (got ${JSON.stringify(r.kind)})`);
  if (r.rate !== undefined && (typeof r.rate !== 'number' || r.rate < 0 || r.rate > 1)) problems.push('rate: a number from 0 to 1');
  if (r.first !== undefined && (typeof r.first !== 'number' || !Number.isInteger(r.first) || r.first < 0)) problems.push('first: an integer >= 0');
  if (r.times !== undefined && (typeof r.times !== 'number' || !Number.isInteger(r.times) || r.times < 0)) problems.push('times: an integer >= 0');
  if (r.nth !== undefined && (!Array.isArray(r.nth) || !r.nth.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 1))) problems.push('nth: an array of integers >= 1');
  if (r.kind === 'delay' && (typeof r.ms !== 'number' || r.ms < 0)) problems.push('ms: a number of milliseconds >= 0');
  if (r.kind === 'drop' && r.phase !== undefined && r.phase !== 'before' && r.phase !== 'after') problems.push('phase: before or after');
  if (r.match !== undefined) {
    if (typeof r.match !== 'object' || r.match === null) problems.push('match: an object {method?, table?}');
    else {
      const m = r.match as Record<string, unknown>;
      const methods = m.method === undefined ? [] : Array.isArray(m.method) ? m.method : [m.method];
      for (const x of methods) if (!(HTTP_METHODS as readonly unknown[]).includes(x)) problems.push(`match.method: ${JSON.stringify(x)} is not one of ${HTTP_METHODS.join(', ')}`);
    }
  }
  return problems;
}

function listOf<T>(v: T | T[] | undefined): T[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

/**
 * The emulator's fault rules.
 *
 * @example
 * emu.faults.add({ kind: 'drop', phase: 'after', match: { method: 'POST' }, first: 1 });
 * emu.faults.add({ kind: 'rateLimit', retryAfterSeconds: 2, rate: 0.1 });
 * emu.faults.clear();
 */
export class FaultPlan {
  private rules: ActiveRule[] = [];
  private random: () => number;
  private nextId = 1;
  private readonly counts = new Map<FaultKind, number>();

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  /** Adds a rule (after the others: the first that fires wins); returns its id. */
  add(rule: FaultRule): string {
    const problems = faultRuleProblems(rule);
    if (problems.length > 0) throw new RangeError(`fault rule ${JSON.stringify(rule)}: ${problems.join('; ')}`);
    const id = `f${this.nextId++}`;
    this.rules.push({ id, rule: structuredClone(rule), seen: 0, reached: 0, fired: 0 });
    return id;
  }

  remove(id: string): boolean {
    const n = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== n;
  }

  /** Removes every rule (the counts of {@link stats} stay). */
  clear(): void {
    this.rules = [];
  }

  /** Removes every rule, zeroes the counts and restarts the generator from `seed`. */
  reset(seed = 1): void {
    this.rules = [];
    this.counts.clear();
    this.random = seededRandom(seed);
  }

  /** The rules with their counters (copies). */
  list(): ActiveRule[] {
    return this.rules.map((r) => ({ ...r, rule: structuredClone(r.rule) }));
  }

  /** How many requests each kind of fault hit since the start or the last reset. */
  stats(): Partial<Record<FaultKind, number>> {
    return Object.fromEntries(this.counts);
  }

  /** Decides the faults of one request. */
  decide(method: string, table: string | undefined): FaultDecision {
    const out: FaultDecision = { delayMs: 0, fault: undefined, ruleIds: [] };
    for (const active of this.rules) {
      const r = active.rule;
      const methods = listOf(r.match?.method);
      if (methods !== undefined && !methods.includes(method as HttpMethod)) continue;
      const tables = listOf(r.match?.table);
      if (tables !== undefined && (table === undefined || !tables.includes(table))) continue;
      // `nth` counts every matching request (the nth request, whatever else hit it); `first`
      // counts those no earlier rule took, so that `first: 1` rules in a row make a sequence.
      active.seen++;
      if (r.kind !== 'delay' && out.fault !== undefined) continue;
      active.reached++;
      if (r.times !== undefined && active.fired >= r.times) continue;
      let hit: boolean;
      if (r.nth !== undefined) hit = r.nth.includes(active.seen);
      else if (r.first !== undefined) hit = active.reached <= r.first;
      else if (r.rate !== undefined) hit = this.random() < r.rate;
      else hit = true;
      if (!hit) continue;
      active.fired++;
      this.counts.set(r.kind, (this.counts.get(r.kind) ?? 0) + 1);
      out.ruleIds.push(active.id);
      if (r.kind === 'delay') out.delayMs += r.ms;
      else out.fault = actionOf(r);
    }
    return out;
  }
}

function actionOf(r: FaultRule): Exclude<FaultAction, { kind: 'delay' }> {
  switch (r.kind) {
    case 'rateLimit':
      return { kind: 'rateLimit', ...(r.retryAfterSeconds !== undefined ? { retryAfterSeconds: r.retryAfterSeconds } : {}), ...(r.retryAfterFormat !== undefined ? { retryAfterFormat: r.retryAfterFormat } : {}) };
    case 'serverError':
      return { kind: 'serverError', ...(r.status !== undefined ? { status: r.status } : {}) };
    case 'drop':
      return { kind: 'drop', phase: r.phase ?? 'before' };
    case 'html':
      return { kind: 'html', ...(r.status !== undefined ? { status: r.status } : {}) };
    case 'garbage':
      return { kind: 'garbage', ...(r.status !== undefined ? { status: r.status } : {}) };
    case 'missingSysId':
      return { kind: 'missingSysId' };
    case 'delay':
      throw new Error('unreachable: delay is not a fault action');
  }
}
