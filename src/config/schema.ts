/**
 * @module config/schema
 * The configuration file of SPEC.md "Configuration", checked at load: every problem is reported
 * with its key path (`c4c.mapping["callVariable11"]: ...`, `store: ...`), all of them at once.
 * Browser-safe (no Node import): the gadget validates the `c4c` part with the same rules.
 *
 * ```json
 * {
 *   "agent": { "id": "1001", "extension": "1001001" },
 *   "flavor": "UCCE",
 *   "c4c": { "origin": "https://my.crm.ondemand.com", "format": "json", "cid": "CISCO9876",
 *            "mapping": { "callVariable1": "Custom_1" }, "ani": { "rules": [{ "match": "^0", "replace": "+41" }] } },
 *   "store": "sqlite:./data/switchboard.db"
 * }
 * ```
 */
import { ErrorCode, SwitchboardError } from '../core/errors.js';
import { Flavor } from '../core/model.js';
import { c4cSettingsProblems, resolveC4cSettings, type C4cSettings } from '../sinks/c4c/settings.js';
import type { ServiceNowOptions } from '../sinks/servicenow/settings.js';

export interface AgentConfig {
  id?: string;
  extension?: string;
}

/** A validated configuration: `c4c` with its defaults filled; `store` as written. */
export interface Config {
  agent?: AgentConfig;
  flavor?: Flavor;
  c4c?: C4cSettings;
  /** `sqlite:<path>` (also `sqlite::memory:`) or a `postgres://` / `postgresql://` URL. */
  store?: string;
  /**
   * The CRM for caller lookup and phone-call records: ServiceNow's Table API (docs/servicenow.md).
   * Absent: the simulator's demo uses its embedded directory, Finesse none.
   */
  servicenow?: ServiceNowOptions;
}

/** Where interaction logs are kept, from `store`. */
export type StoreLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export interface ValidateOptions {
  /** The source needs `agent.id` (a Finesse source does; the simulator's demo does not). */
  requireAgentId?: boolean;
  /**
   * The problems of a `servicenow` block, each with its key path. The Node loader
   * (config/load) passes the ServiceNow adapter's own checks; this module stays browser-safe
   * and light, so without it only the block's shape is checked.
   */
  servicenowProblems?: (value: object) => string[];
}

export type CheckResult = { ok: true; config: Config } | { ok: false; errors: string[] };

const TOP_KEYS: ReadonlySet<string> = new Set(['$schema', 'agent', 'flavor', 'c4c', 'store', 'servicenow']);
const AGENT_KEYS: ReadonlySet<string> = new Set(['id', 'extension']);

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** The problem with a `store` value, or undefined. Passwords are never echoed. */
export function storeProblem(value: unknown, path = 'store'): string | undefined {
  if (typeof value !== 'string' || value === '') return `${path}: must be "sqlite:<path>" or a "postgres://" URL (got ${typeName(value)})`;
  const parsed = parseStoreLocation(value);
  return typeof parsed === 'string' ? `${path}: ${parsed}` : undefined;
}

function parseStoreLocation(value: string): StoreLocation | string {
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length);
    if (path === '' || path === '//') return '"sqlite:" needs a file path, e.g. "sqlite:./data/switchboard.db" (or "sqlite::memory:")';
    return { kind: 'sqlite', path: path.startsWith('///') ? path.slice(2) : path };
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return `a ${scheme}:// URL that cannot be parsed (expected postgres://user:password@host:5432/database)`;
    }
    if (url.hostname === '') return `the ${scheme}:// URL names no host (expected postgres://user:password@host:5432/database)`;
    return { kind: 'postgres', url: value };
  }
  return `unsupported store ${scheme === undefined ? 'value' : `scheme "${scheme}:"`}: use "sqlite:<path>" or "postgres://user:password@host/database"`;
}

/**
 * Where `store` points: a SQLite file or a PostgreSQL URL. Throws INVALID_ARGUMENT otherwise.
 *
 * @example
 * storeLocation('sqlite:./data/switchboard.db'); // { kind: 'sqlite', path: './data/switchboard.db' }
 */
export function storeLocation(value: string): StoreLocation {
  const parsed = parseStoreLocation(value);
  if (typeof parsed === 'string') throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `store: ${parsed}`);
  return parsed;
}

/** Every problem of a configuration value, each naming its key path; empty when it is valid. */
export function configProblems(value: unknown, options: ValidateOptions = {}): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`(top level): the configuration must be a JSON object (got ${typeName(value)})`];
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const k of Object.keys(v)) if (!TOP_KEYS.has(k)) problems.push(`${k}: unknown key (known: agent, flavor, c4c, store, servicenow)`);

  if (v.agent !== undefined) {
    if (typeof v.agent !== 'object' || v.agent === null || Array.isArray(v.agent)) problems.push(`agent: must be an object {"id": "...", "extension": "..."} (got ${typeName(v.agent)})`);
    else {
      const a = v.agent as Record<string, unknown>;
      for (const k of Object.keys(a)) if (!AGENT_KEYS.has(k)) problems.push(`agent.${k}: unknown key (known: id, extension)`);
      for (const k of AGENT_KEYS) {
        if (a[k] !== undefined && (typeof a[k] !== 'string' || a[k].trim() === '')) {
          problems.push(`agent.${k}: must be a non-empty string${typeof a[k] === 'number' ? ` (write "${String(a[k])}" in quotes)` : ` (got ${typeName(a[k])})`}`);
        }
      }
    }
  }
  const agentId = (v.agent as { id?: unknown } | undefined)?.id;
  if (options.requireAgentId === true && agentId === undefined) problems.push('agent.id: required by this source (the agent to sign in as)');

  if (v.flavor !== undefined && v.flavor !== Flavor.UCCE && v.flavor !== Flavor.UCCX) problems.push(`flavor: must be "UCCE" or "UCCX" (got ${JSON.stringify(v.flavor)})`);
  if (v.c4c !== undefined) problems.push(...c4cSettingsProblems(v.c4c, 'c4c'));
  if (v.store !== undefined) {
    const p = storeProblem(v.store);
    if (p !== undefined) problems.push(p);
  }
  if (v.servicenow !== undefined) {
    if (typeof v.servicenow !== 'object' || v.servicenow === null || Array.isArray(v.servicenow)) problems.push(`servicenow: must be an object {"instanceUrl", "auth", ...} (got ${typeName(v.servicenow)})`);
    else if (options.servicenowProblems !== undefined) problems.push(...options.servicenowProblems(v.servicenow));
  }
  return problems;
}

/** Validate a parsed configuration; never throws. */
export function checkConfig(value: unknown, options: ValidateOptions = {}): CheckResult {
  const errors = configProblems(value, options);
  if (errors.length > 0) return { ok: false, errors };
  const v = value as Record<string, unknown>;
  const config: Config = {};
  if (v.agent !== undefined) {
    const a = v.agent as AgentConfig;
    config.agent = { ...(a.id !== undefined ? { id: a.id } : {}), ...(a.extension !== undefined ? { extension: a.extension } : {}) };
  }
  if (v.flavor !== undefined) config.flavor = v.flavor as Flavor;
  if (v.c4c !== undefined) config.c4c = resolveC4cSettings(v.c4c, 'c4c');
  if (v.store !== undefined) config.store = v.store as string;
  if (v.servicenow !== undefined) config.servicenow = v.servicenow as ServiceNowOptions;
  return { ok: true, config };
}

/**
 * Validate a parsed configuration and fill the `c4c` defaults. Throws one INVALID_ARGUMENT
 * SwitchboardError whose message lists every problem, one per line, each with its key path.
 *
 * @example
 * const config = validateConfig(JSON.parse(text));
 */
export function validateConfig(value: unknown, options: ValidateOptions = {}): Config {
  const result = checkConfig(value, options);
  if (!result.ok) {
    throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, `invalid configuration (${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}):\n${result.errors.map((e) => `  ${e}`).join('\n')}`);
  }
  return result.config;
}
