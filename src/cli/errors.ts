/**
 * @module cli/errors
 * A usage error: the command line is wrong; the message names the option.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
