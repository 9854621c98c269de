import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  capabilitiesToActions,
  ctiToMediaProperties,
  dialogListUpdate,
  dialogUpdate,
  escapeText,
  renderApiErrors,
  renderDialog,
  renderQueue,
  renderUpdate,
  renderUser,
  userUpdate,
} from '../../src/finesse-emulator/index.js';
import { parseApiErrors, parseNotification, parseQueue, parseUser } from '../../src/sources/finesse/parse.js';

const dir = new URL('../fixtures/finesse-emulator/', import.meta.url);
const lines = readFileSync(new URL('finesse-inbound-sample.jsonl', dir), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as { at: string; node: string; xml: string });
const realDialog = readFileSync(new URL('ucce-dialog.xml', dir), 'utf8');

/** Child element names of the first element called `name`, in order. */
function childOrder(xml: string, name: string): string[] {
  const p = new XMLParser({ preserveOrder: true, ignoreAttributes: true });
  const doc = p.parse(xml) as unknown[];
  const find = (nodes: unknown[]): string[] | undefined => {
    for (const n of nodes) {
      const key = Object.keys(n as object).find((k) => k !== ':@');
      if (key === undefined || key === '#text') continue;
      const kids = (n as Record<string, unknown[]>)[key] ?? [];
      if (key === name) return kids.map((k) => Object.keys(k as object).find((x) => x !== ':@') ?? '').filter((k) => k !== '#text');
      const found = find(kids);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return find(doc) ?? [];
}

describe('render: the shared fixture, byte for byte', () => {
  it.each(lines.map((l, i) => [i + 1, l] as const))('line %i renders back exactly', (_n, line) => {
    const n = parseNotification(line.xml);
    const opts = { flavor: 'UCCE' as const };
    let out: string;
    if (n.kind === 'user') out = userUpdate(n.user, n.requestId);
    else if (n.kind === 'dialog') out = dialogUpdate(n.dialog, n.requestId, opts);
    else if (n.kind === 'dialogs') {
      const d = n.dialogs[0]!;
      out = dialogListUpdate(d, n.event as 'POST' | 'DELETE', '2001', n.requestId, opts);
    } else throw new Error(`unexpected ${n.kind}`);
    expect(out).toBe(line.xml);
  });
});

describe("render: FINESSE.md's real UCCE dialog", () => {
  const real = parseNotification(realDialog);
  if (real.kind !== 'dialogs') throw new Error('fixture is a dialogs POST');
  const d = real.dialogs[0]!;
  const mine = renderDialog(d, { flavor: 'UCCE' });

  it('keeps the element order of Dialog, mediaProperties and Participant', () => {
    expect(childOrder(mine, 'Dialog')).toEqual(childOrder(realDialog, 'Dialog'));
    expect(childOrder(mine, 'mediaProperties')).toEqual(childOrder(realDialog, 'mediaProperties'));
    expect(childOrder(mine, 'Participant')).toEqual(childOrder(realDialog, 'Participant'));
  });

  it('parses back to the same dialog', () => {
    const again = parseNotification(renderUpdate(`<dialogs>${mine}</dialogs>`, 'POST', '', '/finesse/api/User/215194/Dialogs'));
    expect(again.kind === 'dialogs' && again.dialogs[0]).toEqual(d);
  });

  it('writes empty elements as Finesse does', () => {
    expect(mine).toContain('<outboundClassification/>');
    expect(mine).toContain('<stateCause/>');
    expect(mine).toContain('<CallVariable><name>callVariable1</name><value/></CallVariable>');
  });

  it('UCCX leaves out the callKey fields', () => {
    const ccx = renderDialog(d, { flavor: 'UCCX' });
    expect(ccx).not.toContain('callKey');
    expect(childOrder(ccx, 'mediaProperties')).toEqual(childOrder(realDialog, 'mediaProperties').filter((k) => !k.startsWith('callKey')));
  });
});

describe('render: envelopes and resources', () => {
  it('POST/DELETE wrap <Dialog> in <dialogs>; PUT sends a bare lower-case <dialog>', () => {
    const real = parseNotification(realDialog);
    if (real.kind !== 'dialogs') throw new Error('dialogs');
    const d = real.dialogs[0]!;
    const post = dialogListUpdate(d, 'POST', '215194', '', { flavor: 'UCCE' });
    expect(post.startsWith('<Update><data><dialogs><Dialog>')).toBe(true);
    expect(post.endsWith('</Dialog></dialogs></data><event>POST</event><requestId></requestId><source>/finesse/api/User/215194/Dialogs</source></Update>')).toBe(true);
    const put = dialogUpdate(d, 'req-1', { flavor: 'UCCE' });
    expect(put.startsWith('<Update><data><dialog><associatedDialogUri>')).toBe(true);
    expect(put).toContain('<event>PUT</event><requestId>req-1</requestId><source>/finesse/api/Dialog/75627724</source>');
  });

  it('escapes values (a call variable with markup survives a round trip)', () => {
    expect(escapeText(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
    const mp = ctiToMediaProperties({ callVariable1: '<x> & "y"', 'user.lang': 'de' }, 'UCCE');
    const real = parseNotification(realDialog);
    if (real.kind !== 'dialogs') throw new Error('dialogs');
    const d = { ...real.dialogs[0]!, mediaProperties: mp };
    const back = parseNotification(dialogUpdate(d, '', { flavor: 'UCCE' }));
    expect(back.kind === 'dialog' && back.dialog.mediaProperties.callVariables).toMatchObject({ callVariable1: '<x> & "y"', 'user.lang': 'de', callVariable10: '' });
  });

  it('User: <User> from REST, <user> in notifications, reason code included', () => {
    const n = parseNotification(lines[0]!.xml);
    if (n.kind !== 'user') throw new Error('user');
    const u = { ...n.user, state: 'NOT_READY', reasonCodeId: '2', reasonCode: { id: '2', category: 'NOT_READY', code: '2', label: 'Lunch' } };
    const rest = renderUser(u, 'User');
    expect(rest.startsWith('<User><dialogs>')).toBe(true);
    expect(parseUser(rest)).toEqual(u);
    expect(userUpdate(u, '').startsWith('<Update><data><user>')).toBe(true);
  });

  it('Queue and ApiErrors parse back', () => {
    const q = {
      id: '6001',
      uri: '/finesse/api/Queue/6001',
      name: 'Billing',
      statistics: {
        callsInQueue: '2',
        startTimeOfLongestCallInQueue: '2026-03-02T08:16:10.000Z',
        agentsReady: '1',
        agentsNotReady: '0',
        agentsTalkingInbound: '3',
        agentsTalkingOutbound: '0',
        agentsTalkingInternal: '0',
        agentsWrapUpNotReady: '0',
        agentsWrapUpReady: '1',
      },
    };
    expect(parseQueue(renderQueue(q))).toEqual(q);
    const e = { errorType: 'Invalid Input', errorMessage: 'bad <state>', errorData: 'state' };
    expect(parseApiErrors(renderApiErrors([e]))).toEqual([e]);
  });

  it('capabilities map back to the actions Finesse lists, in its order', () => {
    expect(capabilitiesToActions(['Hold', 'End', 'Consult', 'DirectTransfer', 'SingleStepConference', 'SendDtmf', 'UpdateData'])).toEqual([
      'HOLD',
      'DROP',
      'CONSULT_CALL',
      'TRANSFER_SST',
      'SEND_DTMF',
      'UPDATE_CALL_DATA',
    ]);
    expect(capabilitiesToActions(['UpdateData', 'SetWrapupReason'])).toEqual(['UPDATE_CALL_DATA']);
    expect(capabilitiesToActions(['Answer'])).toEqual(['ANSWER']);
  });
});
