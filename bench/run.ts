/**
 * `npm run bench`: every benchmark, figures printed, nothing asserted. Not part of `npm test`.
 * Options: BENCH_AGENTS (default 500), BENCH_UPDATES (default 1000000), BENCH_FINESSE_CALLS
 * (default 20000); BENCH_CAMPAIGN=0 skips the outbox fault campaign (about 4 minutes with its
 * default BENCH_CAMPAIGN_CALLS=20000; see bench/outbox-campaign.ts).
 */
import { benchPipeline } from './pipeline.js';

const agents = Number(process.env.BENCH_AGENTS ?? 500);
const updates = Number(process.env.BENCH_UPDATES ?? 1_000_000);
await benchPipeline(agents, updates);
await (await import('./finesse.js')).benchFinesse(Number(process.env.BENCH_FINESSE_CALLS ?? 20_000));
if (process.env.BENCH_CAMPAIGN !== '0') {
  await (await import('./outbox-campaign.js')).benchOutboxCampaign(Number(process.env.BENCH_CAMPAIGN_CALLS ?? 20_000));
}
