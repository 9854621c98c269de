/**
 * Benchmark: Finesse notification XML → cil events (parse + reduce + session + Integration API),
 * against a same-run baseline of parsing the same XML alone with fast-xml-parser (default
 * options). The trace is the shared fixture's call (alerting, connect, wrap-up, end, with the
 * agent's User notifications) repeated with fresh dialog ids. The ratio is the figure to compare.
 */
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { EventName, SimulatedClock } from '../src/core/index.js';
import { createAgent } from '../src/sinks/cil/index.js';
import { parseNotification } from '../src/sources/finesse/parse.js';
import { createFinesseReplay, parseFinesseTraceLine, type FinesseTraceCommand } from '../src/sources/finesse/trace.js';

const SAMPLE = new URL('../test/fixtures/finesse/finesse-inbound-sample.jsonl', import.meta.url);

function trace(calls: number): { node: string; xml: string }[] {
  const lines = readFileSync(SAMPLE, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { node: string; xml: string });
  const first = lines[0]!;
  const call = lines.slice(1);
  const out: { node: string; xml: string }[] = [first];
  for (let i = 0; i < calls; i++) {
    const id = String(40_000_000 + i);
    for (const l of call) out.push({ node: l.node, xml: l.xml.replaceAll('33554433', id) });
  }
  return out;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function pipeline(items: { node: string; xml: string }[]): Promise<{ ms: number; cilEvents: number; errors: number }> {
  const t0 = Date.parse('2026-03-02T08:00:00.000Z');
  const first = parseFinesseTraceLine(JSON.stringify({ at: new Date(t0).toISOString(), ...items[0]! }), 1) as FinesseTraceCommand;
  const clock = new SimulatedClock(t0);
  const replay = createFinesseReplay(first, clock);
  const agent = createAgent({ source: replay.source, clock, newRequestId: () => 'bench' });
  let cilEvents = 0;
  let errors = 0;
  for (const name of Object.values(EventName)) agent.api.on(name, () => void cilEvents++);
  agent.api.on('error', () => void errors++);
  await agent.connect();
  const cmds: FinesseTraceCommand[] = items.map((it, i) => ({ kind: 'notification', at: t0 + i, line: i + 1, node: it.node, xml: it.xml }));
  const start = performance.now();
  for (const c of cmds) await replay.apply(c);
  return { ms: performance.now() - start, cilEvents, errors };
}

function baseline(items: { node: string; xml: string }[]): number {
  const parser = new XMLParser();
  let keys = 0;
  const start = performance.now();
  for (const it of items) keys += Object.keys(parser.parse(it.xml) as object).length;
  const ms = performance.now() - start;
  if (keys < 0) throw new Error('unreachable');
  return ms;
}

/** Parse only with our parser (checks, case-insensitive tree): where the pipeline's time goes. */
function ours(items: { node: string; xml: string }[]): number {
  const start = performance.now();
  for (const it of items) parseNotification(it.xml);
  return performance.now() - start;
}

export async function benchFinesse(calls = 20_000): Promise<void> {
  const items = trace(calls);
  console.log(`finesse benchmark: ${fmt(items.length)} notifications (${fmt(calls)} calls), Node ${process.version}`);
  const warm = trace(500);
  baseline(warm);
  ours(warm);
  await pipeline(warm);
  const base = baseline(items);
  const parseOnly = ours(items);
  const pipe = await pipeline(items);
  const rate = (ms: number) => (items.length / ms) * 1000;
  console.log(`  baseline (fast-xml-parser parse only)              ${fmt(rate(base))} notifications/s`);
  console.log(`  Finesse parse (checks + tree, no reduce)            ${fmt(rate(parseOnly))} notifications/s`);
  console.log(`  pipeline (parse + reduce + session + cil handlers)  ${fmt(rate(pipe.ms))} notifications/s, ${fmt(pipe.cilEvents)} cil events, ${pipe.errors} error events`);
  console.log(`  ratio pipeline/baseline: ${(rate(pipe.ms) / rate(base)).toFixed(2)}`);
}
