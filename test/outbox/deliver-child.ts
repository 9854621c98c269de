/**
 * One delivering process for the multi-process outbox tests (see children.ts):
 *
 *   node --import tsx test/outbox/deliver-child.ts <store-url> <tag> <log-file> <delay-ms> <lease-ms> <wait-for-go>
 *
 * Opens the store, prints "ready", waits for "go" on stdin if <wait-for-go> is "1", then runs an
 * OutboxWorker on the system clock until the outbox has nothing left to deliver. Its deliverer
 * appends `{"tag","id","callKey","seq","event":"deliver"}` to the log file and then takes
 * <delay-ms>; each delivery the outbox recorded appends `"event":"recorded"`. Appends of one
 * short line to a file opened with O_APPEND do not interleave, so several processes can share it.
 */
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { OutboxWorker } from '../../src/outbox/index.js';
import { openStore } from '../../src/sinks/log/index.js';

const [url, tag, log, delay, lease, waitForGo] = process.argv.slice(2);
if (url === undefined || tag === undefined || log === undefined || delay === undefined || lease === undefined) {
  throw new Error('usage: deliver-child <url> <tag> <log> <delay-ms> <lease-ms> <wait-for-go>');
}
const line = (value: Record<string, unknown>) => appendFileSync(log, `${JSON.stringify({ tag, ...value })}\n`);

const store = await openStore(url);
process.stdout.write('ready\n');
if (waitForGo === '1') await new Promise((resolve) => process.stdin.once('data', resolve));

const worker = new OutboxWorker({
  store,
  owner: `${tag}:${process.pid}`,
  concurrency: 4,
  leaseMs: Number(lease),
  pollIntervalMs: 20,
  deliver: async (m) => {
    line({ id: m.id, callKey: m.callKey, seq: m.seq, attempts: m.attempts, event: 'deliver' });
    await sleep(Number(delay));
  },
  metrics: {
    delivered: (m, info) => line({ id: m.id, callKey: m.callKey, seq: m.seq, event: info.recorded ? 'recorded' : 'already-recorded' }),
    dead: (m, info) => line({ id: m.id, event: 'dead', error: info.error }),
  },
  onError: (e) => line({ event: 'error', message: e.message }),
});
worker.start();
for (;;) {
  await sleep(25);
  if ((await store.outboxCounts()).pending === 0) break;
}
await worker.stop();
await store.close();
process.stdout.write('done\n');
