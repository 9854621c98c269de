#!/usr/bin/env node
/**
 * @module cli/bin
 * The `switchboard` executable: runs {@link main} and turns its result into an exit status
 * (0 fine, 1 a replay met malformed lines, 2 a usage or runtime error).
 */
import { main } from './main.js';

// `switchboard replay ... | head`: a reader that went away is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`switchboard: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
