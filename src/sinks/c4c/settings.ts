/**
 * @module sinks/c4c/settings
 * The `c4c` part of the configuration (SPEC "Configuration"): the C4C origin messages are posted
 * to, the wire format, the client id, the mapping and the ANI rules. Checked once, at load, by a
 * browser-safe validator the config file (src/config) and the gadget (URL) share; every problem
 * names its key path.
 */
import { normalizeOrigin } from '../../bridge/window.js';
import { ErrorCode, SwitchboardError } from '../../core/errors.js';
import { aniRuleProblems, compileAniRules, type AniRule, type AniRules } from './ani.js';
import { mappingProblems, parseMapping, type C4cMapping } from './mapping.js';
import { C4cFormat, DEFAULT_CID } from './payload.js';

/** The `c4c` object as written in the config file; everything but `origin` has a default. */
export interface C4cSettingsInput {
  origin: string;
  format?: C4cFormat;
  cid?: string;
  mapping?: Record<string, string>;
  ani?: { rules?: AniRule[] };
}

/** Settings after validation, defaults filled. */
export interface C4cSettings {
  /** The exact C4C origin, e.g. `https://my.crm.ondemand.com`: the only target messages go to. */
  origin: string;
  format: C4cFormat;
  cid: string;
  mapping: C4cMapping;
  ani: { rules: AniRule[] };
}

const KEYS: ReadonlySet<string> = new Set(['origin', 'format', 'cid', 'mapping', 'ani']);
const ANI_KEYS: ReadonlySet<string> = new Set(['rules']);
const LOCAL_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Problems of an origin: it must be an exact `https://host[:port]` origin (no path, no `*`);
 * plain `http://` only for localhost (the demo CRM page).
 */
export function originProblem(value: unknown, path: string): string | undefined {
  if (typeof value !== 'string' || value === '') return `${path}: must be the C4C origin as a string, e.g. "https://my.crm.ondemand.com"`;
  if (value === '*') return `${path}: "*" is not allowed; name the exact C4C origin, e.g. "https://my.crm.ondemand.com"`;
  const origin = normalizeOrigin(value);
  if (origin === undefined) return `${path}: ${JSON.stringify(value)} is not an origin (scheme://host[:port], no path, query or wildcard)`;
  const url = new URL(origin);
  if (url.protocol === 'http:' && !LOCAL_HOSTS.has(url.hostname)) return `${path}: ${JSON.stringify(value)} must use https (plain http only for localhost)`;
  return undefined;
}

/** Every problem of a `c4c` object, each naming its key path; empty when it is valid. */
export function c4cSettingsProblems(value: unknown, path = 'c4c'): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: must be an object with at least "origin"`];
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const k of Object.keys(v)) if (!KEYS.has(k)) problems.push(`${path}.${k}: unknown key (known: ${[...KEYS].join(', ')})`);
  if (v.origin === undefined) problems.push(`${path}.origin: required (the C4C origin messages are posted to, e.g. "https://my.crm.ondemand.com")`);
  else {
    const p = originProblem(v.origin, `${path}.origin`);
    if (p !== undefined) problems.push(p);
  }
  if (v.format !== undefined && v.format !== C4cFormat.json && v.format !== C4cFormat.xml) problems.push(`${path}.format: must be "json" or "xml" (got ${JSON.stringify(v.format)})`);
  if (v.cid !== undefined && (typeof v.cid !== 'string' || v.cid.trim() === '')) problems.push(`${path}.cid: must be a non-empty string (default "${DEFAULT_CID}")`);
  if (v.mapping !== undefined) problems.push(...mappingProblems(v.mapping, `${path}.mapping`));
  if (v.ani !== undefined) {
    if (typeof v.ani !== 'object' || v.ani === null || Array.isArray(v.ani)) problems.push(`${path}.ani: must be an object {"rules": [...]}`);
    else {
      const ani = v.ani as Record<string, unknown>;
      for (const k of Object.keys(ani)) if (!ANI_KEYS.has(k)) problems.push(`${path}.ani.${k}: unknown key (known: rules)`);
      if (ani.rules !== undefined) problems.push(...aniRuleProblems(ani.rules, `${path}.ani.rules`));
    }
  }
  return problems;
}

/**
 * Validate a `c4c` object and fill the defaults (format json, cid CISCO9876, empty mapping, no
 * ANI rules). Throws INVALID_ARGUMENT listing every problem with its key path.
 *
 * @example
 * const settings = resolveC4cSettings({ origin: 'https://my.crm.ondemand.com', mapping: { callVariable1: 'Custom_1' } });
 */
export function resolveC4cSettings(value: unknown, path = 'c4c'): C4cSettings {
  const problems = c4cSettingsProblems(value, path);
  if (problems.length > 0) throw new SwitchboardError(ErrorCode.INVALID_ARGUMENT, problems.join('; '));
  const v = value as C4cSettingsInput;
  return {
    origin: normalizeOrigin(v.origin) ?? v.origin,
    format: v.format ?? C4cFormat.json,
    cid: v.cid ?? DEFAULT_CID,
    mapping: parseMapping(v.mapping ?? {}, `${path}.mapping`),
    ani: { rules: (v.ani?.rules ?? []).map((r) => ({ match: r.match, replace: r.replace })) },
  };
}

/** The compiled ANI rules of settings. */
export function settingsAniRules(settings: C4cSettings): AniRules {
  return compileAniRules(settings.ani.rules, 'c4c.ani.rules');
}
