/**
 * @module cli/simulate
 * `switchboard simulate`: load test of the server over WebSocket (issue 5 item 8). Placeholder
 * until the load runner lands.
 */
import { UsageError } from './errors.js';

export const SIMULATE_HELP = `  switchboard simulate --agents N --rate CALLS_PER_SECOND --duration SECONDS
      Load test (not built yet).
`;

export function runSimulate(args: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  void args;
  void io;
  return Promise.reject(new UsageError('simulate is not built yet'));
}
