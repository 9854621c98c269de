/**
 * Type tests of the dialects' public API: seed 003's declarations exactly, the handler type
 * following the event name, seed 004's table as keys of AvayaInteractionData, and both log-only
 * sources as core Sources.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { Source } from '../../../src/core/index.js';
import type {
  ActivityRecordData,
  AvayaInteractionData,
  BrightPatternDialect,
  CallDirection,
  CallParty,
  InteractionData,
  InteractionOrigination,
  InteractionState,
  InteractionType,
  OnSaveActivityRecordHandler,
} from '../../../src/sinks/dialects/index.js';
import type { AvayaSource } from '../../../src/sources/avaya/index.js';
import type { AdApiLike, BrightPatternSource } from '../../../src/sources/brightpattern/index.js';

describe('dialect types', () => {
  it('InteractionData and its parts are seed 003\'s declarations', () => {
    expectTypeOf<keyof InteractionData>().toEqualTypeOf<
      | 'interactionId' | 'state' | 'type' | 'subject' | 'associatedObjects' | 'callParties' | 'callMuted' | 'callRecording' | 'attachedData' | 'phoneNumber' | 'email'
      | 'callDirection' | 'startTime' | 'endTime' | 'duration' | 'description' | 'disposition' | 'globalInteractionId' | 'service' | 'playbackUrl' | 'recordingUrl'
      | 'DNIS' | 'ANI' | 'origination'
    >();
    expectTypeOf<InteractionData['startTime']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<InteractionData['callParties']>().toEqualTypeOf<CallParty[]>();
    expectTypeOf<InteractionType>().toEqualTypeOf<'voice' | 'chat' | 'email'>();
    expectTypeOf<CallDirection>().toEqualTypeOf<'inbound' | 'outbound'>();
    expectTypeOf<InteractionState>().toEqualTypeOf<'unknown' | 'queued' | 'ivr' | 'wrap_up' | 'wrap_up_hold' | 'delivered' | 'delivery_pending' | 'hold' | 'completed'>();
    expectTypeOf<InteractionOrigination>().toEqualTypeOf<
      'dialpad' | 'dialpad-search' | 'directory' | 'recent' | 'favorites' | 'workitem' | 'interaction' | 'contact-profile' | 'help' | 'conference' | 'auto' | 'integration-api'
    >();
    expectTypeOf<CallParty>().toEqualTypeOf<{ id: string; name: string; phone: string; userId?: string }>();
    expectTypeOf<OnSaveActivityRecordHandler>().toEqualTypeOf<(activity: InteractionData) => void>();
    expectTypeOf<ActivityRecordData>().toMatchTypeOf<InteractionData & { agentId: string }>();
  });

  it('the dialect takes seed-typed handlers, types the activity, and refuses other event names', () => {
    const adApi = {} as BrightPatternDialect;
    const bind = () => {
      const seedHandler: OnSaveActivityRecordHandler = () => undefined;
      adApi.on('ON_SAVE_ACTIVITY_RECORD', seedHandler);
      adApi.on('ON_SAVE_ACTIVITY_RECORD', (activity) => {
        expectTypeOf(activity).toEqualTypeOf<ActivityRecordData>();
        expectTypeOf(activity.agentId).toBeString();
      });
      // @ts-expect-error: not an event this dialect delivers
      adApi.on('ON_INTERACTION_RENDERED', seedHandler);
    };
    expectTypeOf(bind).toBeFunction();
    expectTypeOf<ReturnType<BrightPatternDialect['on']>>().toEqualTypeOf<() => void>();
    // The dialect can stand in for Bright Pattern's adApi (the source accepts it).
    const asAdApi: AdApiLike = adApi;
    expectTypeOf(asAdApi).toHaveProperty('on');
  });

  it('every row of seed 004\'s table is a key of AvayaInteractionData', () => {
    expectTypeOf<
      | 'acwDuration' | 'attributes' | 'channel' | 'destinationAddress' | 'direction' | 'establishedTime' | 'interactionType' | 'interactionId' | 'priority'
      | 'resourceAddress' | 'updatedOriginatingAddress' | 'updatedDestinationAddress' | 'workCodes' | 'interactionOrigin' | 'callerName' | 'callerNumber' | 'dnis'
      | 'startDate' | 'startTime' | 'topicId' | 'topicName' | 'uui' | 'asaiUui' | 'ucid' | 'endTime' | 'skillId' | 'skillName' | 'engagementParameters' | 'subject'
      | 'nameId' | 'relatedToId' | 'comments' | 'nameOptions' | 'relatedToOptions' | 'dispositionCode' | 'customFields' | 'settings' | 'isTransferInteraction'
      | 'isConferenceInteraction' | 'lastUpdatedAt' | 'lastUpdatedBy' | 'draftId' | 'draftSavedSuccessfully' | 'emailDraftBody' | 'draftAttachments' | 'transferredBy'
    >().toMatchTypeOf<keyof AvayaInteractionData>();
    expectTypeOf<AvayaInteractionData['direction']>().toEqualTypeOf<'Inbound' | 'Outbound' | 'Internal'>();
    expectTypeOf<AvayaInteractionData['interactionType']>().toEqualTypeOf<'Called' | 'Transferred' | 'Conferenced'>();
    expectTypeOf<AvayaInteractionData['interaction']['intrinsics']['START_TIME']>().toEqualTypeOf<number>();
  });

  it('both log-only sources are core Sources', () => {
    expectTypeOf<AvayaSource>().toMatchTypeOf<Source>();
    expectTypeOf<BrightPatternSource>().toMatchTypeOf<Source>();
  });
});
