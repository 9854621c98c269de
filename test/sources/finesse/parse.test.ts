import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode, SwitchboardError } from '../../../src/core/index.js';
import {
  decodeEntities,
  parseApiErrors,
  parseDialog,
  parseDialogs,
  parseNotification,
  parseQueue,
  parseQueues,
  parseReasonCodes,
  parseSystemInfo,
  parseUser,
  parseWrapUpReasons,
} from '../../../src/sources/finesse/parse.js';
import { actionsToCapabilities } from '../../../src/sources/finesse/capabilities.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/finesse/${name}`, import.meta.url), 'utf8');
const REAL_UCCE = fixture('ucce-dialog-finesse-md.xml');
const SAMPLE = fixture('finesse-inbound-sample.jsonl')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as { at: string; node: string; xml: string });

function thrown(fn: () => unknown): SwitchboardError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SwitchboardError);
    return err as SwitchboardError;
  }
  throw new Error('expected a throw');
}

describe('parseNotification: the real UCCE dialog of FINESSE.md', () => {
  const n = parseNotification(REAL_UCCE);

  it('is a dialogs POST with one dialog and every field', () => {
    expect(n.kind).toBe('dialogs');
    if (n.kind !== 'dialogs') return;
    expect(n.event).toBe('POST');
    expect(n.requestId).toBe('');
    expect(n.source).toBe('/finesse/api/User/215194/Dialogs');
    expect(n.dialogs).toHaveLength(1);
    const d = n.dialogs[0]!;
    expect(d).toMatchObject({ id: '75627724', uri: '/finesse/api/Dialog/75627724', fromAddress: '2257550432', toAddress: '8004456531', state: 'ALERTING', mediaType: 'Voice', associatedDialogUri: '', secondaryId: '' });
    expect(d.mediaProperties).toMatchObject({
      DNIS: '215194',
      callType: 'PREROUTE_ACD_IN',
      dialedNumber: '8004456531',
      outboundClassification: '',
      queueNumber: '5022',
      queueName: 'Sales.SG',
      callKeyCallId: '217',
      callKeySequenceNum: '1',
      callKeyPrefix: '152018',
      wrapUpReason: '',
    });
    expect(d.mediaProperties.callVariables).toEqual({ callVariable1: '', 'user.microapp.error_code': '0' });
    expect(Object.keys(d.mediaProperties.callVariables)).toEqual(['callVariable1', 'user.microapp.error_code']);
    expect(d.participants).toEqual([
      { mediaAddress: '215194', mediaAddressType: 'AGENT_DEVICE', state: 'ALERTING', stateCause: '', startTime: '2026-01-05T09:00:01.120Z', stateChangeTime: '2026-01-05T09:00:01.120Z', actions: ['ANSWER'] },
      { mediaAddress: '2257550432', mediaAddressType: '', state: 'INITIATED', stateCause: '', startTime: '', stateChangeTime: '', actions: ['UPDATE_CALL_DATA', 'DROP'] },
    ]);
  });
});

describe('parseNotification: the shared fixture', () => {
  it('parses every document of the trace, of the expected kind', () => {
    const kinds = SAMPLE.map((l) => parseNotification(l.xml)).map((n) => `${n.kind}:${n.event}`);
    expect(kinds).toEqual(['user:PUT', 'dialogs:POST', 'user:PUT', 'dialog:PUT', 'user:PUT', 'dialog:PUT', 'user:PUT', 'dialogs:DELETE', 'user:PUT']);
  });

  it('reads the user: state, extension, settings, team', () => {
    const n = parseNotification(SAMPLE[0]!.xml);
    if (n.kind !== 'user') throw new Error('not a user');
    expect(n.user).toEqual({
      loginId: '2001',
      loginName: 'ameier',
      firstName: 'Ada',
      lastName: 'Meier',
      extension: '2001001',
      state: 'READY',
      pendingState: '',
      reasonCodeId: '-1',
      stateChangeTime: '2026-03-02T08:16:10.000Z',
      teamId: '5000',
      teamName: 'Support',
      wrapUpOnIncoming: 'REQUIRED',
    });
  });

  it('reads the lower-case <dialog> of a PUT with the agent in WRAP_UP', () => {
    const n = parseNotification(SAMPLE[5]!.xml);
    if (n.kind !== 'dialog') throw new Error('not a dialog');
    expect(n.dialog.state).toBe('DROPPED');
    expect(n.dialog.participants.map((p) => p.state)).toEqual(['WRAP_UP', 'DROPPED']);
    expect(n.dialog.participants[0]!.actions).toEqual(['UPDATE_CALL_DATA']);
    expect(n.dialog.participants[1]!.actions).toEqual([]);
  });
});

describe('case', () => {
  it('reads upper- and lower-case element names and event values alike', () => {
    const lower = parseNotification('<update><data><USER><LOGINID>7</LOGINID><state>ready</state></USER></data><event>put</event><requestid>r1</requestid></update>');
    const upper = parseNotification('<Update><data><User><loginId>7</loginId><State>READY</State></User></data><event>PUT</event><requestId>r1</requestId></Update>');
    expect(lower).toEqual(upper);
    expect(lower).toMatchObject({ kind: 'user', event: 'PUT', requestId: 'r1', user: { loginId: '7', state: 'READY' } });
  });

  it('upper-cases participant actions and callType', () => {
    const d = parseDialog('<Dialog><id>1</id><mediaProperties><callType>acd_in</callType></mediaProperties><participants><Participant><actions><action>hold</action><action>drop</action></actions><state>active</state></Participant></participants></Dialog>');
    expect(d.mediaProperties.callType).toBe('ACD_IN');
    expect(d.participants[0]!.actions).toEqual(['HOLD', 'DROP']);
    expect(d.participants[0]!.state).toBe('ACTIVE');
  });
});

describe('values', () => {
  it('empty and missing elements are empty strings', () => {
    const d = parseDialog('<Dialog><id>9</id><fromAddress></fromAddress><toAddress/></Dialog>');
    expect(d).toMatchObject({ id: '9', fromAddress: '', toAddress: '', state: '', secondaryId: '', participants: [] });
    expect(d.mediaProperties.callVariables).toEqual({});
    expect(d.mediaProperties.DNIS).toBe('');
  });

  it('decodes call-variable values escaped twice, once more and only once', () => {
    const xml =
      '<Dialog><id>1</id><mediaProperties><callvariables>' +
      '<CallVariable><name>callVariable1</name><value>&amp;lt;b&amp;gt; A&amp;amp;B</value></CallVariable>' +
      '<CallVariable><name>callVariable2</name><value>Tom &amp; Jerry</value></CallVariable>' +
      '<CallVariable><name>callVariable3</name><value>&amp;amp;lt;</value></CallVariable>' +
      '<CallVariable><name>user.a[2]</name><value>&amp;#233;t&amp;#xE9;</value></CallVariable>' +
      '</callvariables><queueName>A &amp;lt; B</queueName></mediaProperties></Dialog>';
    const vars = parseDialog(xml).mediaProperties.callVariables;
    expect(vars.callVariable1).toBe('<b> A&B');
    expect(vars.callVariable2).toBe('Tom & Jerry'); // escaped once: the extra pass finds nothing
    expect(vars.callVariable3).toBe('&lt;'); // escaped three times: decoded twice, not recursively
    expect(vars['user.a[2]']).toBe('été');
    // Outside call variables there is no second pass.
    expect(parseDialog(xml).mediaProperties.queueName).toBe('A &lt; B');
  });

  it('decodeEntities leaves unknown entities and bad references alone', () => {
    expect(decodeEntities('&foo; &#0; &#xD800; &lt;')).toBe('&foo; &#0; &#xD800; <');
  });

  it('keeps other mediaProperties children (mediaId) by their name', () => {
    const d = parseDialog('<Dialog><id>1</id><mediaProperties><mediaId>1</mediaId><callType>OUT</callType></mediaProperties></Dialog>');
    expect(d.mediaProperties.other).toEqual({ mediaId: '1' });
  });

  it('a __proto__ call variable stays an own data property', () => {
    const d = parseDialog('<Dialog><id>1</id><mediaProperties><callvariables><CallVariable><name>__proto__</name><value>x</value></CallVariable></callvariables></mediaProperties></Dialog>');
    expect(Object.hasOwn(d.mediaProperties.callVariables, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('other notifications and REST bodies', () => {
  it('the CTI error notification', () => {
    const n = parseNotification(
      '<Update><data><apiErrors><apiError><errorData>34</errorData><errorMessage>CF_RESOURCE_OUT_OF_SERVICE</errorMessage><errorType>Call Operation Failure</errorType></apiError></apiErrors></data><event>PUT</event><requestId>req-9</requestId><source>/finesse/api/Dialog/42</source></Update>',
    );
    expect(n).toEqual({ kind: 'apiErrors', event: 'PUT', requestId: 'req-9', source: '/finesse/api/Dialog/42', errors: [{ errorType: 'Call Operation Failure', errorMessage: 'CF_RESOURCE_OUT_OF_SERVICE', errorData: '34' }] });
  });

  it('a User with a reason code', () => {
    const u = parseUser(
      '<User><loginId>1001</loginId><extension>1001001</extension><state>NOT_READY</state><reasonCodeId>16</reasonCodeId><ReasonCode><category>NOT_READY</category><code>16</code><label>Lunch</label><id>16</id><uri>/finesse/api/ReasonCode/16</uri></ReasonCode><settings><wrapUpOnIncoming>OPTIONAL</wrapUpOnIncoming></settings></User>',
    );
    expect(u).toMatchObject({ loginId: '1001', state: 'NOT_READY', reasonCodeId: '16', wrapUpOnIncoming: 'OPTIONAL', reasonCode: { id: '16', category: 'NOT_READY', code: '16', label: 'Lunch' } });
  });

  it('a Queue notification and Queue / Queues bodies (id from the uri)', () => {
    const q =
      '<Queue><name>Sales</name><statistics><callsInQueue>3</callsInQueue><startTimeOfLongestCallInQueue>2026-03-02T08:00:00.000Z</startTimeOfLongestCallInQueue><agentsReady>1</agentsReady><agentsNotReady>2</agentsNotReady><agentsTalkingInbound>4</agentsTalkingInbound><agentsTalkingOutbound>0</agentsTalkingOutbound><agentsTalkingInternal>0</agentsTalkingInternal><agentsWrapUpNotReady>1</agentsWrapUpNotReady><agentsWrapUpReady>0</agentsWrapUpReady></statistics><uri>/finesse/api/Queue/5022</uri></Queue>';
    const n = parseNotification(`<Update><data>${q}</data><event>PUT</event><requestId/><source>/finesse/api/Queue/5022</source></Update>`);
    expect(n).toMatchObject({ kind: 'queue', queue: { id: '5022', name: 'Sales', statistics: { callsInQueue: '3', agentsReady: '1', agentsTalkingInbound: '4' } } });
    expect(parseQueue(q).id).toBe('5022');
    expect(parseQueues(`<Queues>${q}${q.replace('5022', '5023')}</Queues>`).map((x) => x.id)).toEqual(['5022', '5023']);
    expect(parseQueues('<Queues/>')).toEqual([]);
  });

  it('SystemInfo', () => {
    expect(parseSystemInfo('<SystemInfo><deploymentType>UCCX</deploymentType><status>IN_SERVICE</status><xmppDomain>finesse.test</xmppDomain><xmppPubSubDomain>pubsub.finesse.test</xmppPubSubDomain></SystemInfo>')).toEqual({
      deploymentType: 'UCCX',
      status: 'IN_SERVICE',
      xmppDomain: 'finesse.test',
      xmppPubSubDomain: 'pubsub.finesse.test',
    });
  });

  it('ReasonCodes, WrapUpReasons, ApiErrors, Dialogs', () => {
    expect(parseReasonCodes('<ReasonCodes><ReasonCode><category>NOT_READY</category><code>16</code><label>Lunch</label><uri>/finesse/api/ReasonCode/16</uri></ReasonCode></ReasonCodes>')).toEqual([{ id: '16', category: 'NOT_READY', code: '16', label: 'Lunch' }]);
    expect(parseWrapUpReasons('<WrapUpReasons><WrapUpReason><label>Sales</label><forAll>true</forAll><uri>/finesse/api/WrapUpReason/3</uri></WrapUpReason></WrapUpReasons>')).toEqual([{ id: '3', label: 'Sales', forAll: 'true', uri: '/finesse/api/WrapUpReason/3' }]);
    expect(parseApiErrors('<ApiErrors><ApiError><ErrorType>Invalid Input</ErrorType><ErrorMessage>bad</ErrorMessage><ErrorData>x</ErrorData></ApiError></ApiErrors>')).toEqual([{ errorType: 'Invalid Input', errorMessage: 'bad', errorData: 'x' }]);
    expect(parseDialogs('<Dialogs/>')).toEqual([]);
    expect(parseDialogs('<Dialogs><Dialog><id>1</id></Dialog><Dialog><id>2</id></Dialog></Dialogs>').map((d) => d.id)).toEqual(['1', '2']);
  });
});

describe('errors', () => {
  it('malformed XML is a PARSE_ERROR naming the problem', () => {
    const e = thrown(() => parseNotification('<Update><data></Update>'));
    expect(e.code).toBe(ErrorCode.PARSE_ERROR);
    expect(e.message).toMatch(/not well-formed XML/);
    expect(thrown(() => parseNotification('')).message).toMatch(/empty document/);
    expect(thrown(() => parseNotification('just text')).code).toBe(ErrorCode.PARSE_ERROR);
    expect(thrown(() => parseNotification('<a/><b/>')).code).toBe(ErrorCode.PARSE_ERROR);
  });

  it('a DOCTYPE or entity declaration (billion laughs, external entity) is refused', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]><Update><data><user><loginId>&lol2;</loginId></user></data></Update>';
    const e = thrown(() => parseNotification(bomb));
    expect(e.code).toBe(ErrorCode.PARSE_ERROR);
    expect(e.message).toMatch(/DOCTYPE/);
    const xxe = '<!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]><User><loginId>&x;</loginId></User>';
    expect(thrown(() => parseUser(xxe)).message).toMatch(/DOCTYPE/);
    // An undeclared entity reference is never expanded.
    expect(parseUser('<User><loginId>a&x;b</loginId></User>').loginId).toBe('a&x;b');
  });

  it('an oversized document is refused before parsing; the limit is configurable', () => {
    const big = `<User><loginId>1</loginId><firstName>${'x'.repeat(300 * 1024)}</firstName></User>`;
    const e = thrown(() => parseUser(big));
    expect(e.code).toBe(ErrorCode.PARSE_ERROR);
    expect(e.message).toMatch(/over the limit of 262144 bytes/);
    expect(parseUser(big, { maxBytes: 1024 * 1024 }).loginId).toBe('1');
    expect(thrown(() => parseUser('<User><loginId>1</loginId></User>', { maxBytes: 10 })).message).toMatch(/over the limit of 10 bytes/);
    // Multi-byte text counts in UTF-8 bytes.
    expect(thrown(() => parseUser(`<User><loginId>${'é'.repeat(40)}</loginId></User>`, { maxBytes: 80 })).message).toMatch(/over the limit/);
  });

  it('a wrong root is an INVALID_UPDATE naming both', () => {
    const e = thrown(() => parseUser('<Dialog><id>1</id></Dialog>'));
    expect(e.code).toBe(ErrorCode.INVALID_UPDATE);
    expect(e.message).toMatch(/expected root <User>, got <Dialog>/);
    expect(thrown(() => parseNotification('<User><loginId>1</loginId></User>')).message).toMatch(/expected root <Update>/);
  });

  it('a missing id names the element path', () => {
    expect(thrown(() => parseNotification('<Update><data><dialogs><Dialog><state>ALERTING</state></Dialog></dialogs></data><event>POST</event></Update>')).message).toMatch(/Update\/data\/dialogs\/Dialog\[1\]\/id is missing/);
    expect(thrown(() => parseDialog('<Dialog><id></id></Dialog>')).message).toMatch(/Dialog\/id is empty/);
    expect(thrown(() => parseUser('<User><state>READY</state></User>')).message).toMatch(/User\/loginid is missing/);
    expect(thrown(() => parseQueue('<Queue><name>x</name></Queue>')).message).toMatch(/Queue has neither <id> nor a <uri>/);
  });

  it('missing or unknown data', () => {
    expect(thrown(() => parseNotification('<Update><event>PUT</event></Update>')).message).toMatch(/Update\/data is missing/);
    expect(thrown(() => parseNotification('<Update><data/></Update>')).message).toMatch(/Update\/data is empty/);
    expect(thrown(() => parseNotification('<Update><data><Team/></data></Update>')).message).toMatch(/unknown notification data/);
  });

  it('a non-string is refused with a SwitchboardError', () => {
    expect(thrown(() => parseNotification(undefined as unknown as string)).code).toBe(ErrorCode.PARSE_ERROR);
  });
});

describe('actionsToCapabilities', () => {
  it('maps only what <actions> lists, in the core order', () => {
    expect(actionsToCapabilities(['DROP', 'ANSWER'])).toEqual(['Answer', 'End']);
    expect(actionsToCapabilities(['HOLD', 'RETRIEVE', 'CONSULT_CALL', 'TRANSFER', 'CONFERENCE', 'TRANSFER_SST', 'SEND_DTMF', 'UPDATE_CALL_DATA'])).toEqual([
      'Hold',
      'Resume',
      'Consult',
      'Transfer',
      'Conference',
      'DirectTransfer',
      'SendDtmf',
      'UpdateData',
      'SetWrapupReason',
    ]);
    expect(actionsToCapabilities([])).toEqual([]);
    expect(actionsToCapabilities(['MAKE_CALL', 'CONFERENCE_SST', 'constructor'])).toEqual([]);
  });
});
