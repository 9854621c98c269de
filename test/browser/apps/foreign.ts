/**
 * A page on a third origin, embedded in the CRM page: it tries what only C4C and the Avaya
 * connector may do — a click-to-dial into the gadget frame and a CRMConnectMessage to the host.
 */
const params = new URLSearchParams(location.search);
const hostOrigin = params.get('host') ?? '';
const gadgetOrigin = params.get('gadget') ?? '';
const foreign = {
  clickToDial: (payload: unknown) => window.parent.frames[0]?.postMessage(payload, gadgetOrigin),
  avaya: (message: unknown) => window.parent.postMessage(message, hostOrigin),
};
(window as unknown as { foreign: typeof foreign }).foreign = foreign;
