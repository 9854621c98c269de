/**
 * @module config/load
 * Reading the configuration file (`--config FILE` for every CLI command). Node only (node:fs);
 * the checks themselves are the browser-safe ones of ./schema. A file that cannot be read or is
 * not JSON is reported with the file name, and for JSON errors the line and column.
 */
import { readFileSync } from 'node:fs';
import { ErrorCode, SwitchboardError } from '../core/errors.js';
import { jsonErrorOffset } from './json-position.js';
import { checkConfig, validateConfig, type CheckResult, type Config, type ValidateOptions } from './schema.js';
import { serviceNowSettings, type ServiceNowOptions } from '../sinks/servicenow/settings.js';

/** Line and column (1-based) of a character offset. */
function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${col}`;
}

/** Parse the text of a config file; throws PARSE_ERROR naming `source` and the position. */
export function parseConfigText(text: string, source = 'configuration'): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    let offset: number | undefined;
    try {
      offset = jsonErrorOffset(body);
    } catch {
      offset = undefined; // nested too deep to scan: no position, the parser's message still says what
    }
    const where = body.trim() === '' ? ' (the file is empty)' : offset !== undefined ? ` at ${lineCol(body, offset)}` : '';
    throw new SwitchboardError(ErrorCode.PARSE_ERROR, `${source}: not valid JSON${where}: ${message}`, { cause: err });
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : err instanceof Error ? err.message : String(err);
    throw new SwitchboardError(ErrorCode.PARSE_ERROR, `${path}: cannot read the configuration file (${why})`, { cause: err });
  }
}

/**
 * Read and validate a configuration file. Throws a SwitchboardError: PARSE_ERROR when the file
 * cannot be read or is not JSON, INVALID_ARGUMENT listing every problem with its key path.
 *
 * @example
 * const config = loadConfigFile('./switchboard.json');
 */
export function loadConfigFile(path: string, options: ValidateOptions = {}): Config {
  const value = parseConfigText(readText(path), path);
  try {
    return validateConfig(value, { servicenowProblems, ...options });
  } catch (err) {
    if (err instanceof SwitchboardError) throw new SwitchboardError(err.code, `${path}: ${err.message}`, { cause: err });
    throw err;
  }
}

/**
 * `switchboard check-config --config FILE`: never throws. `ok: false` carries one line per
 * problem, each starting with its key path (or the file name when the file itself is the
 * problem).
 *
 * @example
 * const result = checkConfigFile('./switchboard.json');
 * if (!result.ok) for (const e of result.errors) console.error(e);
 */
export function checkConfigFile(path: string, options: ValidateOptions = {}): CheckResult {
  let value: unknown;
  try {
    value = parseConfigText(readText(path), path);
  } catch (err) {
    return { ok: false, errors: [err instanceof Error ? err.message : String(err)] };
  }
  return checkConfig(value, { servicenowProblems, ...options });
}

/** The ServiceNow adapter's own checks of a `servicenow` block, one problem per entry. */
export function servicenowProblems(value: object): string[] {
  try {
    serviceNowSettings(value as ServiceNowOptions, 'servicenow');
    return [];
  } catch (err) {
    // one message listing every problem, each with its key path, "; "-separated
    return (err instanceof Error ? err.message : String(err)).split('; ');
  }
}
