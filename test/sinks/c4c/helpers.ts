/**
 * Shared set-up for the C4C sink tests: the real simulator on a SimulatedClock, agents built
 * with `createAgent` (source → AgentSession → IntegrationApi), a C4cSink per agent posting to a
 * fake parent window that records every (message, targetOrigin), and a strict reader for the
 * XML wire format (no XML parser is installed; the reader accepts exactly the documented shape).
 */
import { expect } from 'vitest';
import { SimulatedClock, type SwitchboardError } from '../../../src/core/index.js';
import { createAgent, type Agent } from '../../../src/sinks/cil/index.js';
import { C4cSink, memoryStorage, type C4cPayload, type C4cSettingsInput, type C4cSinkOptions, type StorageLike } from '../../../src/sinks/c4c/index.js';
import { SimContactCenter, type SimContactCenterOptions } from '../../../src/sources/sim/index.js';

export const T0 = Date.parse('2026-01-05T09:00:00.000Z');
export const ORIGIN = 'https://my.crm.ondemand.com';

export const AGENTS: SimContactCenterOptions['agents'] = [
  { id: '1001', extension: '1001001', firstName: 'Ada', lastName: 'Meier', loginName: 'ameier', teamId: 't1', skills: ['sales'] },
  { id: '1002', extension: '1002001', firstName: 'Ben', lastName: 'Keller', loginName: 'bkeller', teamId: 't1', skills: ['support'] },
  { id: '1003', extension: '1003001', firstName: 'Cleo', lastName: 'Rossi', loginName: 'crossi', teamId: 't2', skills: ['support'] },
];

export const QUEUES: SimContactCenterOptions['queues'] = [
  { id: 'sales', name: 'Sales', dialedNumber: '8005550100' },
  { id: 'support', name: 'Support', dialedNumber: '8005550200' },
];

/** A parent window that records what is posted to it. */
export class RecordingTarget {
  readonly posts: { message: unknown; targetOrigin: string }[] = [];
  throwNext = 0;

  postMessage(message: unknown, targetOrigin: string): void {
    if (this.throwNext > 0) {
      this.throwNext--;
      throw new Error('the parent window is gone');
    }
    this.posts.push({ message, targetOrigin });
  }

  /** The payloads posted, whatever the format. */
  payloads(): Record<string, string>[] {
    return this.posts.map((p) => payloadOf(p.message));
  }

  /** `Event/Action/EventType` per message, for compact assertions. */
  steps(): string[] {
    return this.payloads().map((p) => `${p.Event}/${p.Action ?? '-'}/${p.EventType}`);
  }

  clear(): void {
    this.posts.length = 0;
  }
}

/** The payload of a posted message: `{payload}` as is, an XML string through the strict reader. */
export function payloadOf(message: unknown): Record<string, string> {
  if (typeof message === 'string') return readXml(message);
  const m = message as { payload?: unknown };
  expect(Object.keys(m)).toEqual(['payload']);
  return m.payload as Record<string, string>;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Read the XML wire format strictly: the declaration, `<payload>`, then only `<Name>text</Name>`
 * elements with matching tags and escaped text, then `</payload>`. Anything else fails the test.
 */
export function readXml(xml: string): Record<string, string> {
  const head = '<?xml version="1.0" encoding="utf-8"?><payload>';
  expect(xml.startsWith(head)).toBe(true);
  expect(xml.endsWith('</payload>')).toBe(true);
  let rest = xml.slice(head.length, xml.length - '</payload>'.length);
  const out: Record<string, string> = {};
  const element = /^<([A-Za-z_][A-Za-z0-9_-]*)>([^<>]*)<\/([A-Za-z_][A-Za-z0-9_-]*)>/;
  while (rest.length > 0) {
    const m = element.exec(rest);
    if (m === null) throw new Error(`not a <Name>text</Name> element at: ${rest.slice(0, 60)}`);
    const [whole, open, text, close] = m;
    expect(close).toBe(open);
    expect(Object.hasOwn(out, open!)).toBe(false);
    // Text holds no raw & other than entity references.
    expect(/&(?!(?:amp|lt|gt|quot|apos);)/.test(text!)).toBe(false);
    expect(/["']/.test(text!)).toBe(false);
    out[open!] = text!.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]!);
    rest = rest.slice(whole.length);
  }
  return out;
}

export interface World {
  clock: SimulatedClock;
  cc: SimContactCenter;
  settle: (ms?: number) => void;
}

export function makeWorld(options: Partial<Omit<SimContactCenterOptions, 'clock'>> = {}, start = T0): World {
  const clock = new SimulatedClock(start);
  const cc = new SimContactCenter({ clock, agents: AGENTS, queues: QUEUES, farEnd: { ringAfterMs: 500 }, ...options });
  return { clock, cc, settle: (ms = 1000) => clock.advance(ms) };
}

/** One agent's desktop with a C4C sink. */
export interface Desk {
  agent: Agent;
  sink: C4cSink;
  target: RecordingTarget;
  storage: StorageLike;
  errors: SwitchboardError[];
  warnings: SwitchboardError[];
  /** Session `error` events (the default path when no onError is given). */
  sessionErrors: string[];
}

export interface DeskOptions {
  settings?: Partial<C4cSettingsInput>;
  storage?: StorageLike;
  sink?: Partial<C4cSinkOptions>;
  /** Use the session's error event instead of an onError callback. */
  defaultErrorPath?: boolean;
  login?: boolean;
}

export async function desk(w: World, agentId: string, options: DeskOptions = {}): Promise<Desk> {
  const agent = createAgent({ source: w.cc.source(agentId), clock: w.clock, flavor: w.cc.flavor });
  const target = new RecordingTarget();
  const storage = options.storage ?? memoryStorage();
  const errors: SwitchboardError[] = [];
  const warnings: SwitchboardError[] = [];
  const sessionErrors: string[] = [];
  agent.session.subscribe((e) => {
    if (e.type === 'error') sessionErrors.push(e.data.message);
  });
  const sink = new C4cSink({
    session: agent.session,
    target,
    settings: { origin: ORIGIN, ...options.settings },
    storage,
    ...(options.defaultErrorPath === true ? {} : { onError: (e: SwitchboardError) => errors.push(e), onWarning: (e: SwitchboardError) => warnings.push(e) }),
    ...options.sink,
  });
  await agent.connect();
  if (options.login !== false) {
    await agent.api.setAgentState('voice', 'Ready');
    w.settle();
  }
  return { agent, sink, target, storage, errors, warnings, sessionErrors };
}

/** Every post went to the configured origin, never '*'. */
export function expectOriginOnly(d: Desk, origin = ORIGIN): void {
  for (const p of d.target.posts) expect(p.targetOrigin).toBe(origin);
}

export type Payload = C4cPayload;
