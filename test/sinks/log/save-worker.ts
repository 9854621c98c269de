/**
 * One of several processes racing to save the same interaction ids (see processes.ts):
 *
 *   node --import tsx test/sinks/log/save-worker.ts <store-url> <tag> <count>
 *
 * Opens the store, prints "ready", waits for "go" on stdin (so that every process writes at
 * once), saves `mp-0` … `mp-<count-1>` (agentId = tag) and prints the ids it inserted as JSON.
 */
import { openStore } from '../../../src/sinks/log/index.js';
import type { InteractionRecord } from '../../../src/core/index.js';

const [url, tag, count] = process.argv.slice(2);
if (url === undefined || tag === undefined || count === undefined) throw new Error('usage: save-worker <url> <tag> <count>');

const record = (id: string): InteractionRecord => ({
  id,
  source: 'sim',
  agentId: tag,
  channel: 'Voice',
  direction: 'Incoming',
  internal: false,
  classification: 'Customer',
  isTransfer: false,
  isConference: false,
  finalState: 'Ended',
  ani: '+41445550100',
  startTime: '2026-03-02T08:00:00.000Z',
  endTime: '2026-03-02T08:01:00.000Z',
  durationSeconds: 60,
  acwSeconds: 0,
  holdSeconds: 0,
  workCodes: [],
  callParties: [],
  callMuted: false,
  callRecording: false,
  data: { tag },
  associations: [],
  raw: {},
});

const store = await openStore(url);
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
const ids = Array.from({ length: Number(count) }, (_, i) => `mp-${i}`);
const results = await Promise.all(ids.map((id) => store.save(record(id))));
await store.close();
process.stdout.write(JSON.stringify(ids.filter((_, i) => results[i] === 'inserted')));
