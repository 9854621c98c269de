/** Type tests for the public `switchboard/c4c` API. */
import { describe, expectTypeOf, it } from 'vitest';
import type { AgentSession } from '../../../src/core/index.js';
import type { IntegrationApi } from '../../../src/sinks/cil/index.js';
import {
  buildPayload,
  type ActivityField,
  type C4cMapping,
  type C4cPayload,
  type C4cSinkOptions,
  type DialApi,
  type DialBinder,
  type C4cSink,
  type SessionLike,
  type StorageLike,
} from '../../../src/sinks/c4c/index.js';

describe('switchboard/c4c types', () => {
  it('the real session, API, sink and sessionStorage fit the ports', () => {
    expectTypeOf<AgentSession>().toExtend<SessionLike>();
    expectTypeOf<IntegrationApi>().toExtend<DialApi>();
    expectTypeOf<C4cSink>().toExtend<DialBinder>();
    expectTypeOf<Storage>().toExtend<StorageLike>();
    expectTypeOf<Window>().toExtend<C4cSinkOptions['target']>();
  });

  it('mapping targets and payload keys are typed', () => {
    expectTypeOf<C4cMapping[string]>().toEqualTypeOf<ActivityField>();
    const p = buildPayload({ ani: '+1', cid: 'C', event: 'CALL_ALLOCATED', eventType: 'Inbound', action: 'NOTIFY', reference: 'R' });
    expectTypeOf(p).toEqualTypeOf<C4cPayload>();
    expectTypeOf(p.Custom_1).toEqualTypeOf<string | undefined>();
    expectTypeOf(p.Type).toEqualTypeOf<'CALL'>();
    // @ts-expect-error: not an Event value
    buildPayload({ ani: '+1', cid: 'C', event: 'CALL_RINGING', eventType: 'Inbound', action: 'NOTIFY', reference: 'R' });
    // @ts-expect-error: not a Live Activity field
    buildPayload({ ani: '+1', cid: 'C', event: 'CALL_ALLOCATED', eventType: 'Inbound', action: 'NOTIFY', reference: 'R', fields: { Custom_5: 'x' } });
  });
});
