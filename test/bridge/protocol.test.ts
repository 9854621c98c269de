/** The gadget → server messages are validated by one guard; a bad crmPick is named, field by field. */
import { describe, expect, it } from 'vitest';
import { describeClientMessageProblem } from '../../src/bridge/protocol.js';

describe('crmPick frames', () => {
  it('a complete pick passes', () => {
    expect(describeClientMessageProblem({ type: 'crmPick', requestId: 'r1', workitemId: 'w1', recordId: 'c1' })).toBeUndefined();
  });
  it.each([
    [{ type: 'crmPick', workitemId: 'w1', recordId: 'c1' }, 'crmPick: "requestId" must be a non-empty string'],
    [{ type: 'crmPick', requestId: 'r1', workitemId: '', recordId: 'c1' }, 'crmPick: "workitemId" must be a non-empty string'],
    [{ type: 'crmPick', requestId: 'r1', workitemId: 'w1', recordId: 7 }, 'crmPick: "recordId" must be a non-empty string'],
  ])('%j is refused: %s', (frame, problem) => {
    expect(describeClientMessageProblem(frame)).toBe(problem);
  });
});
