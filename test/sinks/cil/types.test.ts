import { describe, expectTypeOf, it } from 'vitest';
import type { AgentStateChangeData, ErrorEventData, QueueDataUpdateData, WorkitemEventData } from '../../../src/core/index.js';
import type { Cil, IntegrationApi, Unsubscribe } from '../../../src/sinks/cil/index.js';

describe('public API types', () => {
  it('the handler type follows the event name', () => {
    expectTypeOf<Parameters<Parameters<IntegrationApi['on']>[1]>[0]>().not.toBeAny();
    const api = {} as IntegrationApi;
    const bind = () => {
      api.on('agentStateChange', (d) => {
        expectTypeOf(d).toEqualTypeOf<AgentStateChangeData>();
      });
      api.on('queueDataUpdate', (d) => {
        expectTypeOf(d).toEqualTypeOf<QueueDataUpdateData>();
      });
      api.on('workitemEnd', (d) => {
        expectTypeOf(d).toEqualTypeOf<WorkitemEventData<'workitemEnd'>>();
        expectTypeOf(d.state).toBeString();
      });
      // @ts-expect-error: no such event
      api.on('workitemExplode', () => undefined);
      api.on('error', (d) => {
        // @ts-expect-error: the data of an error event has no workitem fields
        void d.ctiData;
      });
    };
    expectTypeOf(bind).toBeFunction();
  });

  it('cil follows seed 001 signatures and returns unsubscribe handles', () => {
    expectTypeOf<Cil['onError']>().parameter(0).parameter(0).toEqualTypeOf<ErrorEventData>();
    expectTypeOf<ReturnType<Cil['onWorkitemCreate']>>().toEqualTypeOf<Unsubscribe>();
    expectTypeOf<Cil['setAgentState']>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf<Cil['isSendDtmfEnabled']>().returns.toEqualTypeOf<Promise<boolean>>();
    expectTypeOf<Cil['dialOrConsult']>().parameters.toEqualTypeOf<[string, string, (string | undefined)?]>();
    const cil = {} as Cil;
    const misuse = () => {
      // @ts-expect-error: setAgentState takes Ready, NotReady or Logout
      void cil.setAgentState('voice', 'Talking');
      // @ts-expect-error: reasonType is Logout, NotReady or Wrapup
      void cil.getReasonCodeList('voice', 'Lunch');
    };
    expectTypeOf(misuse).toBeFunction();
  });
});
