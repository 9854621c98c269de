/**
 * @module sinks/cil/cil
 * The `cil` compatibility facade: seed 001's names, argument order and behaviour, so that
 * custom code written for b+s Connects runs unchanged. Requests resolve with no value and
 * report failure through `onError` (with the requestId), as the seed documents; queries resolve
 * with their documented shape, or, when they fail, with an empty answer (`[]`, `false`,
 * `undefined`) after the `error` event.
 *
 * @example
 * const cil = createCil(api);
 * cil.onWorkitemCreate((data) => console.warn(`message: onWorkitemCreate, data: ${JSON.stringify(data)}`));
 * await cil.dialOrConsult('voice', '+41445551234', 'req-1');
 */
import type { CtiData, EventMap, ReasonCode, ReasonType, RequestableAgentState } from '../../core/index.js';
import type { ChannelInfo, IntegrationApi } from './api.js';
import type { Unsubscribe } from './emitter.js';

type Handler<K extends keyof EventMap> = (data: EventMap[K]) => void;

export interface Cil {
  onWorkitemCreate(handler: Handler<'workitemCreate'>): Unsubscribe;
  onWorkitemConnect(handler: Handler<'workitemConnect'>): Unsubscribe;
  onWorkitemPause(handler: Handler<'workitemPause'>): Unsubscribe;
  onWorkitemResume(handler: Handler<'workitemResume'>): Unsubscribe;
  onWorkitemWrapup(handler: Handler<'workitemWrapup'>): Unsubscribe;
  onWorkitemEnd(handler: Handler<'workitemEnd'>): Unsubscribe;
  onCallVariableChanged(handler: Handler<'callVariableChanged'>): Unsubscribe;
  onWrapupDataChanged(handler: Handler<'wrapupDataChanged'>): Unsubscribe;
  onAgentStateChange(handler: Handler<'agentStateChange'>): Unsubscribe;
  onQueueDataUpdate(handler: Handler<'queueDataUpdate'>): Unsubscribe;
  onError(handler: Handler<'error'>): Unsubscribe;

  setAgentState(channelId: string, state: RequestableAgentState, reasonCode?: string | number, requestId?: string): Promise<void>;
  directTransfer(channelId: string, address: string, workitemId?: string, requestId?: string): Promise<void>;
  singleStepConference(channelId: string, address: string, workitemId?: string, requestId?: string): Promise<void>;
  dialOrConsult(channelId: string, address: string, requestId?: string): Promise<void>;
  getReasonCodeList(channelId: string, reasonType: ReasonType): Promise<ReasonCode[]>;
  getChannel(channelId: string): Promise<ChannelInfo | undefined>;
  sendDtmf(dtmf: string, requestId?: string): Promise<void>;
  isSendDtmfEnabled(): Promise<boolean>;
  updateWorkitemData(channelId: string, workitemId: string, updatedData: CtiData, requestId?: string): Promise<void>;
  isUpdateWorkitemDataEnabled(channelId: string, workitemId: string): Promise<boolean>;
  setWrapupReason(channelId: string, workitemId: string, wrapUpReason: string, requestId?: string): Promise<void>;
}

/** Requests report failure as an `error` event (already dispatched by the API); swallow the rejection. */
async function quiet<T>(p: Promise<T>, fallback: T): Promise<T> {
  try {
    return await p;
  } catch {
    return fallback;
  }
}

function opts(requestId: string | undefined): { requestId?: string } {
  return requestId === undefined || requestId === null ? {} : { requestId: String(requestId) };
}

/** Build the seed 001 `cil` object over a typed {@link IntegrationApi}. */
export function createCil(api: IntegrationApi): Cil {
  return {
    onWorkitemCreate: (h) => api.on('workitemCreate', h),
    onWorkitemConnect: (h) => api.on('workitemConnect', h),
    onWorkitemPause: (h) => api.on('workitemPause', h),
    onWorkitemResume: (h) => api.on('workitemResume', h),
    onWorkitemWrapup: (h) => api.on('workitemWrapup', h),
    onWorkitemEnd: (h) => api.on('workitemEnd', h),
    onCallVariableChanged: (h) => api.on('callVariableChanged', h),
    onWrapupDataChanged: (h) => api.on('wrapupDataChanged', h),
    onAgentStateChange: (h) => api.on('agentStateChange', h),
    onQueueDataUpdate: (h) => api.on('queueDataUpdate', h),
    onError: (h) => api.on('error', h),

    setAgentState: (channelId, state, reasonCode, requestId) => quiet(api.setAgentState(channelId, state, reasonCode, opts(requestId)), undefined),
    directTransfer: (channelId, address, workitemId, requestId) => quiet(api.directTransfer(channelId, address, workitemId, opts(requestId)), undefined),
    singleStepConference: (channelId, address, workitemId, requestId) =>
      quiet(api.singleStepConference(channelId, address, workitemId, opts(requestId)), undefined),
    dialOrConsult: (channelId, address, requestId) => quiet(api.dialOrConsult(channelId, address, opts(requestId)), undefined),
    getReasonCodeList: (channelId, reasonType) => quiet(api.getReasonCodeList(channelId, reasonType), []),
    getChannel: (channelId) => quiet<ChannelInfo | undefined>(api.getChannel(channelId), undefined),
    sendDtmf: (dtmf, requestId) => quiet(api.sendDtmf(dtmf, opts(requestId)), undefined),
    isSendDtmfEnabled: () => api.isSendDtmfEnabled(),
    updateWorkitemData: (channelId, workitemId, updatedData, requestId) =>
      quiet(api.updateWorkitemData(channelId, workitemId, updatedData, opts(requestId)), undefined),
    isUpdateWorkitemDataEnabled: (channelId, workitemId) => api.isUpdateWorkitemDataEnabled(channelId, workitemId),
    setWrapupReason: (channelId, workitemId, wrapUpReason, requestId) =>
      quiet(api.setWrapupReason(channelId, workitemId, wrapUpReason, opts(requestId)), undefined),
  };
}
