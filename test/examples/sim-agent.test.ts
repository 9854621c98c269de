/**
 * The README's example stays runnable: run examples/sim-agent.ts as a user would (tsx, the
 * package's own subpath exports) and check what its seed 001 handlers print.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('examples/sim-agent.ts', () => {
  it('prints one inbound call from alerting to the end of wrap-up, the same every run', async () => {
    const once = () => run(process.execPath, ['--import', 'tsx', 'examples/sim-agent.ts'], { cwd: process.cwd() });
    const [a, b] = await Promise.all([once(), once()]);
    expect(a.stderr).toBe(b.stderr);
    const lines = a.stderr.trim().split('\n');
    expect(lines.map((l) => /^message: (on\w+)/.exec(l)?.[1])).toEqual([
      'onAgentStateChange',
      'onWorkitemCreate',
      'onWorkitemConnect',
      'onAgentStateChange',
      'onWorkitemWrapup',
      'onAgentStateChange',
      'onWorkitemEnd',
      'onAgentStateChange',
    ]);
    const end = JSON.parse(lines[6]!.replace(/^message: onWorkitemEnd, data: /, '')) as Record<string, unknown>;
    expect(end).toMatchObject({ event: 'workitemEnd', requestId: 'ready-2', state: 'Ended', ani: '+41445550100', ctiData: { callVariable1: 'INV-1001', wrapUpReason: 'Sales' } });
  });
});
