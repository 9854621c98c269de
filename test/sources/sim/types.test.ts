/**
 * Type tests of the simulator's public API (`switchboard/sim`, `switchboard/testing`): what an
 * integrator's editor sees must match what the code does.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { SimulatedClock, type Source } from '../../../src/core/index.js';
import type {
  SimTraceRunner} from '../../../src/sources/sim/index.js';
import {
  SimContactCenter,
  parseSimTraceLine,
  type SimContactCenterOptions,
  type SimTraceCommand,
} from '../../../src/sources/sim/index.js';
import { sourceContract, type SourceHarness } from '../../../src/testing/index.js';
import { AGENTS, QUEUES } from './helpers.js';

describe('public types', () => {
  it('a sim source is a core Source; parsing gives a command or an error; apply is a promise', () => {
    expectTypeOf<ReturnType<SimContactCenter['source']>>().toExtend<Source>();
    expectTypeOf(parseSimTraceLine).returns.toEqualTypeOf<SimTraceCommand | { error: string }>();
    expectTypeOf<SimTraceRunner['apply']>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf(sourceContract).parameter(1).returns.toEqualTypeOf<SourceHarness | Promise<SourceHarness>>();
    const cmd = parseSimTraceLine('{"at":"2026-01-05T09:00:00Z","kind":"dial","agent":"1","to":"0445551234"}', 1);
    if (!('error' in cmd) && cmd.kind === 'dial') expectTypeOf(cmd.to).toEqualTypeOf<string>();
    expect('error' in cmd).toBe(false);
  });

  it('options are checked by the compiler as well as at run time', () => {
    const good: SimContactCenterOptions = { clock: new SimulatedClock(0), agents: AGENTS, queues: QUEUES, flavor: 'UCCX', wrapup: 'off' };
    // @ts-expect-error flavor is UCCE or UCCX
    const badFlavor: SimContactCenterOptions = { ...good, flavor: 'CCX' };
    // @ts-expect-error wrap-up is required, optional or off
    const badWrapup: SimContactCenterOptions = { ...good, wrapup: 'sometimes' };
    expect(() => new SimContactCenter(badFlavor)).toThrow(/flavor/);
    expect(() => new SimContactCenter(badWrapup)).toThrow(/wrapup/);
    expect(new SimContactCenter(good).flavor).toBe('UCCX');
  });
});
