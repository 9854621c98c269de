/* eslint-disable -- verbatim vendor code (untyped, async without await, an unused local) */
// @ts-nocheck -- seed 004's implementation example is untyped JavaScript, kept verbatim below.
/**
 * Seed 004's "Implementation Example" (Avaya CRM Connector, requestSaveInteractionLog), pasted
 * verbatim between the markers, after the free names it relies on, defined here as the seed
 * leaves them to the reader: CRM_CONNECT_ORIGIN, clientIframe, document and
 * retrieveDurationInSeconds.
 *
 * `seedEnv` lets the test set the page's "now" and see what the example asked of the page
 * (getElementById) and of retrieveDurationInSeconds. The three functions the example does not
 * export are exported after the verbatim block, so that the test can also call the pieces.
 */

export const seedEnv = {
  /** The page's clock, ms since the epoch: what Date.now() would be when the message arrives. */
  now: 0,
  getElementByIdCalls: [] as string[],
  durations: [] as { startTime: unknown; seconds: number }[],
};

/** The origin the CRM Connector posts from: here, the page that hosts Switchboard's Avaya dialect. */
export const CRM_CONNECT_ORIGIN = 'https://switchboard.example.com';
/** Assigned by the example without a declaration (a ReferenceError in an ES module otherwise). */
let clientIframe: unknown;
export const lastClientIframe = (): unknown => clientIframe;
/** The CRM page's document: only getElementById is used. */
const document = {
  getElementById(id: string) {
    seedEnv.getElementByIdCalls.push(id);
    return { id, contentWindow: {} };
  },
};
/** Seconds from the interaction's start (START_TIME: ms since the epoch) to the page's now. */
function retrieveDurationInSeconds(startTime) {
  const seconds = Math.round((seedEnv.now - new Date(startTime).getTime()) / 1000);
  seedEnv.durations.push({ startTime, seconds });
  return seconds;
}

// ---- seed 004, Implementation Example, verbatim -----------------------------------------------
// This is a part of the mandatory in-place event message handler
export const processCRMConnectMessageData = async (event) => {
if (event.origin !== CRM_CONNECT_ORIGIN) {
return;
}
const { action, data } = event.data;
clientIframe = document.getElementById('crmConnectIframeId');
if (action === 'requestSaveInteractionLog') {
processSaveInteractionLog(data)
}
};
const processSaveInteractionLog = (data) => {
const composedInteractionData = composeInteractionLog(data.message.body);
saveInteractionLog(composedInteractionData);
}
const composeInteractionLog = (data) => {
/*
Please note that this is a dummy implementation and the objects
you see might not reflect the format your CRM needs.
In order to save the interaction log on your CRM you must consult
its documentation and build a log object following it.
*/
if (!data || !data.interactionId || !data.interactionData) {
return;
}
const externalInteractionId = data.interactionId;
const interactionDetails = data.interactionData;
const durationInSeconds = retrieveDurationInSeconds(interactionDetails.interaction.intrinsics?.START_TIME);
const interactionDataPackage = {
custom_object_record: {
name: externalInteractionId,
external_id: externalInteractionId,
custom_object_fields: {
caller: interactionDetails.updatedOriginatingAddress,
called: interactionDetails.updatedDestinationAddress,
duration: durationInSeconds + '',
// Add how many fields are necessary
}
}
}
}
const saveInteractionLog = async (interactionData) => {
/*
Implement the mechanism in order to save the interaction log,
with the data you need from the table below.
*/
}
// ---- end of the verbatim example ---------------------------------------------------------------

export { processSaveInteractionLog, composeInteractionLog, saveInteractionLog };
