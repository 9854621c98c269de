/**
 * Seed 004's implementation example, verbatim (./seed-004-example.ts), receiving what the Avaya
 * dialect posts while the simulator takes an agent through an inbound and an outbound call. Each
 * posted message is delivered to the example's processCRMConnectMessageData as the CRM page's
 * window would deliver it: `{ origin, data }`, the data a structured clone of the message.
 *
 * What the example composes: its composeInteractionLog builds `interactionDataPackage` but has
 * no `return`, so saveInteractionLog always receives `undefined` (kept verbatim; the test shows
 * it). The package is captured instead by instrumenting what it is built from: the delivered
 * message is wrapped in a Proxy that records every value the example reads (interactionId →
 * name / external_id, updatedOriginatingAddress → caller, updatedDestinationAddress → called),
 * and retrieveDurationInSeconds — which the seed leaves undefined — is the test's own and
 * records the duration it returned. From those the package is rebuilt exactly as the example's
 * object literal builds it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createAvayaDialect, type SaveInteractionLogMessage } from '../../../src/sinks/dialects/index.js';
import { INBOUND, OUTBOUND, runInboundCall, runOutboundCall, simDesk } from './helpers.js';
import { CRM_CONNECT_ORIGIN, composeInteractionLog, lastClientIframe, processCRMConnectMessageData, seedEnv } from './seed-004-example.js';

const CRM_PAGE_ORIGIN = 'https://crm.example.com';

/** A copy of `value` whose reads are recorded in `reads` (path → primitive value read). */
function observe<T extends object>(value: T, reads: Map<string, unknown>, path = ''): T {
  return new Proxy(value, {
    get(target, key, receiver) {
      const v: unknown = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return v;
      const p = path === '' ? key : `${path}.${key}`;
      if (typeof v === 'object' && v !== null) return observe(v, reads, p);
      reads.set(p, v);
      return v;
    },
  });
}

interface Posted {
  message: SaveInteractionLogMessage;
  targetOrigin: string;
  /** The page's clock when the message arrived. */
  at: number;
}

/** The example's interactionDataPackage, rebuilt from what it read (see the module comment). */
function composed(reads: Map<string, unknown>) {
  const body = 'data.message.body';
  const last = seedEnv.durations.at(-1);
  return {
    custom_object_record: {
      name: reads.get(`${body}.interactionId`),
      external_id: reads.get(`${body}.interactionId`),
      custom_object_fields: {
        caller: reads.get(`${body}.interactionData.updatedOriginatingAddress`),
        called: reads.get(`${body}.interactionData.updatedDestinationAddress`),
        duration: last === undefined ? undefined : `${last.seconds}`,
      },
    },
  };
}

describe('seed 004 implementation example, verbatim, receiving the Avaya dialect', () => {
  beforeEach(() => {
    seedEnv.getElementByIdCalls.length = 0;
    seedEnv.durations.length = 0;
  });

  it('composes the right caller, called and duration for an inbound and an outbound call', async () => {
    const desk = simDesk();
    const posted: Posted[] = [];
    const crmPage = {
      postMessage(message: unknown, targetOrigin: string) {
        posted.push({ message: structuredClone(message) as SaveInteractionLogMessage, targetOrigin, at: desk.clock.now() });
      },
    };
    createAvayaDialect({ session: desk.agent.session, target: crmPage, targetOrigin: CRM_PAGE_ORIGIN });
    await desk.agent.connect();
    const inboundId = await runInboundCall(desk);
    const outboundId = await runOutboundCall(desk);

    expect(posted.map((p) => p.targetOrigin)).toEqual([CRM_PAGE_ORIGIN, CRM_PAGE_ORIGIN]);
    expect(posted.map((p) => [p.message.type, p.message.action])).toEqual([
      ['CRMConnectMessage', 'requestSaveInteractionLog'],
      ['CRMConnectMessage', 'requestSaveInteractionLog'],
    ]);

    const packages = [];
    for (const p of posted) {
      const reads = new Map<string, unknown>();
      seedEnv.now = p.at;
      await processCRMConnectMessageData({ origin: CRM_CONNECT_ORIGIN, data: observe(p.message, reads) });
      expect(reads.get('action')).toBe('requestSaveInteractionLog');
      packages.push(composed(reads));
    }

    // Inbound: the customer called the sales number; from alerting at the agent to the log, 89 s.
    expect(packages[0]).toEqual({
      custom_object_record: {
        name: inboundId,
        external_id: inboundId,
        custom_object_fields: { caller: INBOUND.caller, called: INBOUND.dialed, duration: '89' },
      },
    });
    expect((Date.parse(INBOUND.endTime) - Date.parse(INBOUND.startTime)) / 1000).toBe(89);
    // Outbound: the agent's station called the customer; 2 s ringing, 30 s talk, 1 s wrap-up.
    expect(packages[1]).toEqual({
      custom_object_record: {
        name: outboundId,
        external_id: outboundId,
        custom_object_fields: { caller: INBOUND.station, called: OUTBOUND.dialed, duration: '33' },
      },
    });
    expect(seedEnv.durations.map((d) => typeof d.startTime)).toEqual(['number', 'number']);
    expect(seedEnv.getElementByIdCalls).toEqual(['crmConnectIframeId', 'crmConnectIframeId']);
    expect(lastClientIframe()).toMatchObject({ id: 'crmConnectIframeId' });
  });

  it('ignores a message from another origin, as the example checks event.origin', async () => {
    const desk = simDesk();
    const posted: unknown[] = [];
    createAvayaDialect({ session: desk.agent.session, target: { postMessage: (m) => posted.push(structuredClone(m)) }, targetOrigin: CRM_PAGE_ORIGIN });
    await desk.agent.connect();
    await runInboundCall(desk);
    expect(posted).toHaveLength(1);
    const reads = new Map<string, unknown>();
    await processCRMConnectMessageData({ origin: 'https://evil.example.com', data: observe(posted[0] as object, reads) });
    expect(reads.size).toBe(0);
    expect(seedEnv.durations).toEqual([]);
    expect(seedEnv.getElementByIdCalls).toEqual([]);
  });

  it('the pieces: composeInteractionLog accepts the body (it reads the duration) but returns nothing, as written', async () => {
    const desk = simDesk();
    const posted: SaveInteractionLogMessage[] = [];
    createAvayaDialect({ session: desk.agent.session, target: { postMessage: (m) => posted.push(structuredClone(m) as SaveInteractionLogMessage) }, targetOrigin: CRM_PAGE_ORIGIN });
    await desk.agent.connect();
    await runInboundCall(desk);
    const body = posted[0]?.data.message.body;
    expect(body).toBeDefined();
    seedEnv.now = Date.parse(INBOUND.endTime);
    // The seed's composeInteractionLog has no `return` statement: the package it builds is lost.
    expect(composeInteractionLog(body)).toBeUndefined();
    // It passed the guard (interactionId and interactionData present) and computed the duration.
    expect(seedEnv.durations).toEqual([{ startTime: Date.parse(INBOUND.startTime), seconds: 89 }]);
    // A body without interactionData stops at the guard.
    expect(composeInteractionLog({ interactionId: 'x' })).toBeUndefined();
    expect(seedEnv.durations).toHaveLength(1);
  });
});
