/**
 * @module cli/lines
 * JSON Lines in and out for the CLI: numbered input lines from a file or standard input, and
 * one JSON object per output line.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export interface NumberedLine {
  lineNo: number;
  text: string;
}

/** Lines of `file`, or of `stdin` when no file is given; blank lines are skipped. */
export async function* readLines(file: string | undefined, stdin: Readable): AsyncGenerator<NumberedLine> {
  const input = file === undefined || file === '-' ? stdin : createReadStream(file, { encoding: 'utf8' });
  const rl = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const text of rl) {
    lineNo++;
    if (text.trim() === '') continue;
    yield { lineNo, text };
  }
}

export function writeJsonLine(out: Writable, value: unknown): void {
  out.write(`${JSON.stringify(value)}\n`);
}
