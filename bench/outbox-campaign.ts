/**
 * Benchmark: the outbox fault campaign of issue 6, item 5, longer than the test
 * (test/campaign/outbox-campaign.test.ts; the campaign and where its calls, fields and faults
 * come from: test/campaign/outbox-campaign.ts). Simulated calls go through the product's write
 * path into the outbox, a separate process delivers them into the ServiceNow emulator while it
 * injects 429s, 5xx, 502 HTML pages, timeouts and resets, and that process is killed with
 * SIGKILL three times and restarted. Figures are printed; nothing is asserted, but a duplicate,
 * a loss, a wrong field or an unexpected dead letter is printed as such.
 *
 * Options: BENCH_CAMPAIGN_CALLS (default 20000), BENCH_CAMPAIGN_PG: `1` also runs it with
 * PostgreSQL (SWITCHBOARD_PG_URL, or a throwaway cluster from test/sinks/log/pg-cluster.ts);
 * the default runs PostgreSQL only when SWITCHBOARD_PG_URL is set. Duration: about 4 minutes
 * for 20,000 calls with SQLite on a 2-core machine (the emulator scans its table for each lookup
 * by correlation id, so the time grows faster than the calls).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatFigures, runOutboxCampaign } from '../test/campaign/outbox-campaign.js';

export async function benchOutboxCampaign(calls = 20_000): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-campaign-'));
  try {
    console.log(`outbox fault campaign benchmark: ${calls} calls, 3 kill -9 (Node ${process.version})`);
    const sqlite = await runOutboxCampaign({ calls, storeUrl: `sqlite:${join(dir, 'campaign.db')}`, kills: [0.2, 0.5, 0.8], poison: 10, deadlineMs: 30 * 60_000 });
    console.log(`[sqlite] ${formatFigures(sqlite)}`);
    const wantPg = process.env.BENCH_CAMPAIGN_PG === '1' || (process.env.BENCH_CAMPAIGN_PG !== '0' && (process.env.SWITCHBOARD_PG_URL ?? '') !== '');
    if (!wantPg) {
      console.log('  (PostgreSQL: not run; set SWITCHBOARD_PG_URL or BENCH_CAMPAIGN_PG=1)');
      return;
    }
    const { startPostgres } = await import('../test/sinks/log/pg-cluster.js');
    const server = await startPostgres();
    const schema = `sb_campaign_${process.pid}_${randomBytes(3).toString('hex')}`;
    try {
      const sep = server.url.includes('?') ? '&' : '?';
      const pg = await runOutboxCampaign({ calls, storeUrl: `${server.url}${sep}schema=${schema}`, kills: [0.2, 0.5, 0.8], poison: 10, deadlineMs: 30 * 60_000 });
      console.log(`[postgres, ${server.description}, schema ${schema}] ${formatFigures(pg)}`);
    } finally {
      if (server.external) {
        const pgLib = (await import('pg')).default;
        const client = new pgLib.Client({ connectionString: server.url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
