/**
 * @module finesse-emulator/render
 * Finesse resources as XML text, shaped like what a real Finesse sends (FINESSE.md, "A dialog as
 * real UCCE sends it", and the shared fixture `finesse-inbound-sample.jsonl`): the element order
 * of Cisco's documents, empty elements as Finesse writes them (`<outboundClassification/>`,
 * `<stateCause/>`, `<value/>` self-closed; the rest as open/close pairs), `<Dialog>` inside
 * `<dialogs>` for POST/DELETE and a bare lower-case `<dialog>` for PUT, a lower-case `<user>` in
 * notifications and `<User>` from REST. Every value goes through {@link escapeText}.
 *
 * UCCX mode leaves out the callKey* fields (CCX has none) and queue resources altogether.
 */
import { Flavor } from '../core/model.js';
import type {
  FinesseApiError,
  FinesseDialog,
  FinesseQueue,
  FinesseReasonCode,
  FinesseSystemInfo,
  FinesseUser,
} from '../sources/finesse/types.js';

/** Escape text content and attribute values (`&`, `<`, `>`, `"`, `'`). */
export function escapeText(value: string): string {
  return value.replace(/[&<>"']/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return '&apos;';
    }
  });
}

/** `<name>value</name>`, `<name></name>` when empty. */
function el(name: string, value: string): string {
  return `<${name}>${escapeText(value)}</${name}>`;
}

/** `<name>value</name>`, `<name/>` when empty (Finesse's habit for some elements). */
function elSelf(name: string, value: string): string {
  return value === '' ? `<${name}/>` : el(name, value);
}

export interface RenderOptions {
  flavor: Flavor;
}

/** A dialog: `<Dialog>` (lists, REST) or `<dialog>` (a PUT notification). */
export function renderDialog(d: FinesseDialog, options: RenderOptions, tag: 'Dialog' | 'dialog' = 'Dialog'): string {
  const m = d.mediaProperties;
  let mp = '';
  for (const [k, v] of Object.entries(m.other)) mp += el(k, v);
  mp += el('DNIS', m.DNIS) + el('callType', m.callType) + el('dialedNumber', m.dialedNumber) + elSelf('outboundClassification', m.outboundClassification);
  mp += el('queueNumber', m.queueNumber) + el('queueName', m.queueName);
  if (options.flavor === Flavor.UCCE) mp += el('callKeyCallId', m.callKeyCallId) + el('callKeySequenceNum', m.callKeySequenceNum) + el('callKeyPrefix', m.callKeyPrefix);
  mp += el('wrapUpReason', m.wrapUpReason);
  mp += '<callvariables>';
  for (const [name, value] of Object.entries(m.callVariables)) mp += `<CallVariable>${el('name', name)}${elSelf('value', value)}</CallVariable>`;
  mp += '</callvariables>';
  let parts = '';
  for (const p of d.participants) {
    parts +=
      `<Participant><actions>${p.actions.map((a) => el('action', a)).join('')}</actions>` +
      el('mediaAddress', p.mediaAddress) +
      el('mediaAddressType', p.mediaAddressType) +
      el('startTime', p.startTime) +
      el('state', p.state) +
      elSelf('stateCause', p.stateCause) +
      el('stateChangeTime', p.stateChangeTime) +
      '</Participant>';
  }
  return (
    `<${tag}>` +
    el('associatedDialogUri', d.associatedDialogUri) +
    el('fromAddress', d.fromAddress) +
    el('id', d.id) +
    el('secondaryId', d.secondaryId) +
    `<mediaProperties>${mp}</mediaProperties>` +
    el('mediaType', d.mediaType) +
    `<participants>${parts}</participants>` +
    el('state', d.state) +
    el('toAddress', d.toAddress) +
    el('uri', d.uri) +
    `</${tag}>`
  );
}

/** GET /finesse/api/User/{id}/Dialogs. */
export function renderDialogs(dialogs: readonly FinesseDialog[], options: RenderOptions): string {
  return `<Dialogs>${dialogs.map((d) => renderDialog(d, options)).join('')}</Dialogs>`;
}

function renderReasonCodeBody(rc: FinesseReasonCode): string {
  return el('category', rc.category) + el('code', rc.code) + el('label', rc.label) + el('forAll', 'true') + el('id', rc.id) + el('uri', `/finesse/api/ReasonCode/${rc.id}`);
}

/** A user: `<User>` from REST, `<user>` in notifications. */
export function renderUser(u: FinesseUser, tag: 'User' | 'user' = 'User'): string {
  return (
    `<${tag}>` +
    el('dialogs', `/finesse/api/User/${u.loginId}/Dialogs`) +
    el('extension', u.extension) +
    el('firstName', u.firstName) +
    el('lastName', u.lastName) +
    el('loginId', u.loginId) +
    el('loginName', u.loginName) +
    el('pendingState', u.pendingState) +
    (u.reasonCode !== undefined ? `<reasonCode>${renderReasonCodeBody(u.reasonCode)}</reasonCode>` : '') +
    el('reasonCodeId', u.reasonCodeId) +
    `<settings>${el('wrapUpOnIncoming', u.wrapUpOnIncoming)}</settings>` +
    el('state', u.state) +
    el('stateChangeTime', u.stateChangeTime) +
    el('teamId', u.teamId) +
    el('teamName', u.teamName) +
    el('uri', `/finesse/api/User/${u.loginId}`) +
    `</${tag}>`
  );
}

/** The summary `<user>` a Team lists and Team/{id}/Users notifications carry. */
export function renderTeamUser(u: FinesseUser, tag: 'User' | 'user' = 'User'): string {
  return (
    `<${tag}>` +
    el('dialogs', `/finesse/api/User/${u.loginId}/Dialogs`) +
    el('extension', u.extension) +
    el('firstName', u.firstName) +
    el('lastName', u.lastName) +
    el('loginId', u.loginId) +
    el('pendingState', u.pendingState) +
    (u.reasonCode !== undefined ? `<reasonCode>${renderReasonCodeBody(u.reasonCode)}</reasonCode>` : '') +
    el('state', u.state) +
    el('stateChangeTime', u.stateChangeTime) +
    el('uri', `/finesse/api/User/${u.loginId}`) +
    `</${tag}>`
  );
}

/** GET /finesse/api/Team/{id}. */
export function renderTeam(id: string, name: string, users: readonly FinesseUser[]): string {
  return `<Team>${el('id', id)}${el('name', name)}${el('uri', `/finesse/api/Team/${id}`)}<users>${users.map((u) => renderTeamUser(u)).join('')}</users></Team>`;
}

/** GET /finesse/api/SystemInfo (Cisco's elements in Cisco's alphabetical order). */
export function renderSystemInfo(s: FinesseSystemInfo & { currentTimestamp: string; host: string }): string {
  return (
    '<SystemInfo>' +
    el('currentTimestamp', s.currentTimestamp) +
    el('deploymentType', s.deploymentType) +
    `<primaryNode>${el('host', s.host)}</primaryNode>` +
    el('status', s.status) +
    el('timezoneOffset', '0') +
    el('uri', '/finesse/api/SystemInfo') +
    el('xmppDomain', s.xmppDomain) +
    el('xmppPubSubDomain', s.xmppPubSubDomain) +
    '</SystemInfo>'
  );
}

/** GET /finesse/api/User/{id}/ReasonCodes?category=… */
export function renderReasonCodes(codes: readonly FinesseReasonCode[]): string {
  return `<ReasonCodes>${codes.map((rc) => `<ReasonCode>${el('uri', `/finesse/api/ReasonCode/${rc.id}`)}${el('category', rc.category)}${el('code', rc.code)}${el('label', rc.label)}${el('forAll', 'true')}</ReasonCode>`).join('')}</ReasonCodes>`;
}

export interface WrapUpReasonEntry {
  id: string;
  label: string;
}

/** GET /finesse/api/User/{id}/WrapUpReasons. */
export function renderWrapUpReasons(reasons: readonly WrapUpReasonEntry[]): string {
  return `<WrapUpReasons>${reasons.map((r) => `<WrapUpReason>${el('uri', `/finesse/api/WrapUpReason/${r.id}`)}${el('label', r.label)}${el('forAll', 'true')}</WrapUpReason>`).join('')}</WrapUpReasons>`;
}

function renderQueueBody(q: FinesseQueue): string {
  const s = q.statistics;
  return (
    el('id', q.id) +
    el('name', q.name) +
    '<statistics>' +
    el('agentsBusyOther', '0') +
    el('agentsLoggedOn', String(sum(s.agentsReady, s.agentsNotReady, s.agentsTalkingInbound, s.agentsTalkingOutbound, s.agentsTalkingInternal, s.agentsWrapUpNotReady, s.agentsWrapUpReady))) +
    el('agentsNotReady', s.agentsNotReady) +
    el('agentsReady', s.agentsReady) +
    el('agentsTalkingInbound', s.agentsTalkingInbound) +
    el('agentsTalkingInternal', s.agentsTalkingInternal) +
    el('agentsTalkingOutbound', s.agentsTalkingOutbound) +
    el('agentsWrapUpNotReady', s.agentsWrapUpNotReady) +
    el('agentsWrapUpReady', s.agentsWrapUpReady) +
    el('callsInQueue', s.callsInQueue) +
    el('startTimeOfLongestCallInQueue', s.startTimeOfLongestCallInQueue) +
    '</statistics>' +
    el('uri', q.uri)
  );
}

function sum(...values: string[]): number {
  return values.reduce((acc, v) => acc + (Number(v) || 0), 0);
}

/** GET /finesse/api/Queue/{id} (UCCE), and the `<Queue>` of a queue notification. */
export function renderQueue(q: FinesseQueue): string {
  return `<Queue>${renderQueueBody(q)}</Queue>`;
}

/** GET /finesse/api/User/{id}/Queues (UCCE). */
export function renderQueues(queues: readonly FinesseQueue[]): string {
  return `<Queues>${queues.map(renderQueue).join('')}</Queues>`;
}

/** A synchronous REST failure body. */
export function renderApiErrors(errors: readonly FinesseApiError[]): string {
  return `<ApiErrors>${errors.map((e) => `<ApiError>${el('ErrorType', e.errorType)}${el('ErrorMessage', e.errorMessage)}${el('ErrorData', e.errorData)}</ApiError>`).join('')}</ApiErrors>`;
}

/** The `<apiErrors>` data of a CTI error notification (lower case, as Finesse sends it). */
export function renderApiErrorsData(errors: readonly FinesseApiError[]): string {
  return `<apiErrors>${errors.map((e) => `<apiError>${el('errorData', e.errorData)}${el('errorMessage', e.errorMessage)}${el('errorType', e.errorType)}</apiError>`).join('')}</apiErrors>`;
}

export type UpdateEvent = 'POST' | 'PUT' | 'DELETE';

/** The `<Update>` envelope around already rendered data. */
export function renderUpdate(data: string, event: UpdateEvent, requestId: string, source: string): string {
  return `<Update><data>${data}</data>${el('event', event)}${el('requestId', requestId)}${el('source', source)}</Update>`;
}

/** A dialog added (POST) or removed (DELETE): `<dialogs><Dialog>`, source the user's Dialogs. */
export function dialogListUpdate(d: FinesseDialog, event: 'POST' | 'DELETE', agentId: string, requestId: string, options: RenderOptions): string {
  return renderUpdate(`<dialogs>${renderDialog(d, options, 'Dialog')}</dialogs>`, event, requestId, `/finesse/api/User/${agentId}/Dialogs`);
}

/** A dialog changed (PUT): bare `<dialog>`, source the dialog. */
export function dialogUpdate(d: FinesseDialog, requestId: string, options: RenderOptions): string {
  return renderUpdate(renderDialog(d, options, 'dialog'), 'PUT', requestId, `/finesse/api/Dialog/${d.id}`);
}

/** A user changed (PUT): `<user>`, source the user. */
export function userUpdate(u: FinesseUser, requestId: string): string {
  return renderUpdate(renderUser(u, 'user'), 'PUT', requestId, `/finesse/api/User/${u.loginId}`);
}
