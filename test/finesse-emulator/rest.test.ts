import { afterEach, describe, expect, it } from 'vitest';
import { runFinesseEmulator, type FinesseEmulator } from '../../src/finesse-emulator/index.js';
import { parseApiErrors, parseDialogs, parseNotification, parseReasonCodes, parseSystemInfo, parseUser, parseWrapUpReasons, parseQueues } from '../../src/sources/finesse/parse.js';
import type { FinesseNotification } from '../../src/sources/finesse/types.js';

interface Note {
  node: string;
  n: FinesseNotification;
}

let lab: FinesseEmulator | undefined;
afterEach(async () => {
  await lab?.stop();
  lab = undefined;
});

async function start(flavor: 'UCCE' | 'UCCX' = 'UCCE'): Promise<{ lab: FinesseEmulator; notes: Note[] }> {
  const notes: Note[] = [];
  lab = await runFinesseEmulator({ flavor, password: 'pw', prosody: 'none', log: () => undefined, onNotification: (node, xml) => notes.push({ node, n: parseNotification(xml) }) });
  return { lab, notes };
}

function call(l: FinesseEmulator, method: string, path: string, body?: string, opts: { user?: string; pass?: string; requestId?: string } = {}) {
  const headers: Record<string, string> = { authorization: `Basic ${Buffer.from(`${opts.user ?? '1001'}:${opts.pass ?? 'pw'}`).toString('base64')}`, 'content-type': 'application/xml' };
  if (opts.requestId !== undefined) headers.requestId = opts.requestId;
  return fetch(`${l.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) }).then(async (r) => ({ status: r.status, body: await r.text() }));
}

async function waitFor<T>(f: () => T | undefined, what: string, ms = 3000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined && v !== false) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const LOGIN = '<User><state>LOGIN</state><extension>1001001</extension></User>';
const READY = '<User><state>READY</state></User>';

function userState(notes: Note[], state: string, requestId?: string): Note | undefined {
  return notes.find((x) => x.n.kind === 'user' && x.node === '/finesse/api/User/1001' && x.n.user.state === state && (requestId === undefined || x.n.requestId === requestId));
}

async function signInReady(l: FinesseEmulator, notes: Note[]): Promise<void> {
  expect((await call(l, 'PUT', '/finesse/api/User/1001', LOGIN, { requestId: 'login' })).status).toBe(202);
  await waitFor(() => userState(notes, 'NOT_READY', 'login'), 'NOT_READY');
  expect((await call(l, 'PUT', '/finesse/api/User/1001', READY, { requestId: 'ready' })).status).toBe(202);
  await waitFor(() => userState(notes, 'READY', 'ready'), 'READY');
}

describe('finesse emulator REST', () => {
  it('SystemInfo needs no auth and names the flavour and XMPP domains', async () => {
    const { lab } = await start('UCCX');
    const r = await fetch(`${lab.baseUrl}/finesse/api/SystemInfo`);
    expect(r.status).toBe(200);
    expect(parseSystemInfo(await r.text())).toEqual({ deploymentType: 'UCCX', status: 'IN_SERVICE', xmppDomain: 'finesse.test', xmppPubSubDomain: 'pubsub.finesse.test' });
  });

  it('checks Basic auth: wrong password, unknown user, another user → 401 with ApiErrors', async () => {
    const { lab } = await start();
    const bad = await call(lab, 'GET', '/finesse/api/User/1001', undefined, { pass: 'nope' });
    expect(bad.status).toBe(401);
    expect(parseApiErrors(bad.body)[0]?.errorType).toBe('Authorization Failure');
    expect((await call(lab, 'GET', '/finesse/api/User/1001', undefined, { user: '9999' })).status).toBe(401);
    expect((await call(lab, 'GET', '/finesse/api/User/1002')).status).toBe(401);
    const none = await fetch(`${lab.baseUrl}/finesse/api/User/1001`);
    expect(none.status).toBe(401);
  });

  it('GET User, ReasonCodes, WrapUpReasons, Dialogs, Queues, Team', async () => {
    const { lab } = await start();
    const u = parseUser((await call(lab, 'GET', '/finesse/api/User/1001')).body);
    expect(u).toMatchObject({ loginId: '1001', extension: '1001001', state: 'LOGOUT', teamId: '5000', wrapUpOnIncoming: 'OPTIONAL' });
    const rc = parseReasonCodes((await call(lab, 'GET', '/finesse/api/User/1001/ReasonCodes?category=NOT_READY')).body);
    expect(rc[0]).toEqual({ id: '1', category: 'NOT_READY', code: '1', label: 'Break' });
    expect(parseReasonCodes((await call(lab, 'GET', '/finesse/api/User/1001/ReasonCodes?category=LOGOUT')).body).map((r) => r.label)).toEqual(['End of shift', 'Sick']);
    expect((await call(lab, 'GET', '/finesse/api/User/1001/ReasonCodes?category=BOGUS')).status).toBe(400);
    expect(parseWrapUpReasons((await call(lab, 'GET', '/finesse/api/User/1001/WrapUpReasons')).body).map((r) => r.label)).toContain('Sales');
    expect(parseDialogs((await call(lab, 'GET', '/finesse/api/User/1001/Dialogs')).body)).toEqual([]);
    expect(parseQueues((await call(lab, 'GET', '/finesse/api/User/1001/Queues')).body).map((q) => q.name)).toEqual(['Billing', 'Support']);
    expect((await call(lab, 'GET', '/finesse/api/Queue/6001')).body).toContain('<name>Billing</name>');
    expect((await call(lab, 'GET', '/finesse/api/Queue/7777')).status).toBe(404);
    const team = await call(lab, 'GET', '/finesse/api/Team/5000');
    expect(team.status).toBe(200);
    expect(team.body).toContain('<loginId>1002</loginId>');
    expect((await call(lab, 'GET', '/finesse/api/Team/1')).status).toBe(404);
  });

  it('bad bodies and unknown ids: 400 / 404 with ApiErrors', async () => {
    const { lab } = await start();
    const notXml = await call(lab, 'PUT', '/finesse/api/User/1001', '<User><state>');
    expect(notXml.status).toBe(400);
    expect(parseApiErrors(notXml.body)[0]?.errorType).toBe('Invalid Input');
    expect((await call(lab, 'PUT', '/finesse/api/User/1001', '<User><state>DANCING</state></User>')).status).toBe(400);
    expect((await call(lab, 'PUT', '/finesse/api/User/1001', '<User><state>LOGIN</state><extension>999</extension></User>')).status).toBe(400);
    expect((await call(lab, 'PUT', '/finesse/api/User/1001', READY)).status).toBe(400); // not signed in
    expect((await call(lab, 'PUT', '/finesse/api/Dialog/424242', '<Dialog><requestedAction>ANSWER</requestedAction></Dialog>')).status).toBe(404);
    expect((await call(lab, 'GET', '/finesse/api/User/77')).status).toBe(404);
    expect((await call(lab, 'GET', '/finesse/api/Nothing')).status).toBe(404);
  });

  it('LOGIN / READY / NOT_READY answer 202 and the notifications echo the requestId', async () => {
    const { lab, notes } = await start();
    await signInReady(lab, notes);
    expect((await call(lab, 'PUT', '/finesse/api/User/1001', '<User><state>NOT_READY</state><reasonCodeId>2</reasonCodeId></User>', { requestId: 'nr' })).status).toBe(202);
    const nr = await waitFor(() => userState(notes, 'NOT_READY', 'nr'), 'NOT_READY 2');
    expect(nr.n.kind === 'user' && nr.n.user).toMatchObject({ reasonCodeId: '2', reasonCode: { label: 'Lunch', category: 'NOT_READY' } });
    // An unknown reason code is refused synchronously.
    expect((await call(lab, 'PUT', '/finesse/api/User/1001', '<User><state>NOT_READY</state><reasonCodeId>99</reasonCodeId></User>')).status).toBe(400);
    expect(parseUser((await call(lab, 'GET', '/finesse/api/User/1001')).body).state).toBe('NOT_READY');
  });

  it('an inbound call: POST, ANSWER → PUT echoing the requestId, hang-up → WRAP_UP, READY → DELETE', async () => {
    const { lab, notes } = await start();
    await signInReady(lab, notes);
    const id = lab.cc.arrive({ from: '+4961215550123', queue: '6001', callVariables: { callVariable1: 'INV-1001' } });
    const post = await waitFor(() => notes.find((x) => x.n.kind === 'dialogs' && x.n.event === 'POST'), 'POST');
    expect(post.node).toBe('/finesse/api/User/1001/Dialogs');
    if (post.n.kind !== 'dialogs') throw new Error('dialogs');
    const d = post.n.dialogs[0]!;
    expect(d).toMatchObject({ id, state: 'ALERTING', fromAddress: '+4961215550123', toAddress: '8005550200' });
    expect(d.participants[0]).toMatchObject({ mediaAddress: '1001001', mediaAddressType: 'AGENT_DEVICE', state: 'ALERTING', actions: ['ANSWER'] });
    expect(d.mediaProperties).toMatchObject({ queueName: 'Billing', queueNumber: '6001', callType: 'ACD_IN' });
    expect(d.mediaProperties.callVariables.callVariable1).toBe('INV-1001');
    await waitFor(() => userState(notes, 'RESERVED'), 'RESERVED');
    expect(parseDialogs((await call(lab, 'GET', '/finesse/api/User/1001/Dialogs')).body)[0]?.id).toBe(id);

    expect((await call(lab, 'PUT', `/finesse/api/Dialog/${id}`, '<Dialog><requestedAction>ANSWER</requestedAction><targetMediaAddress>1001001</targetMediaAddress></Dialog>', { requestId: 'ans-1' })).status).toBe(202);
    const put = await waitFor(() => notes.find((x) => x.n.kind === 'dialog' && x.n.requestId === 'ans-1'), 'answer PUT');
    expect(put.n.kind === 'dialog' && put.n.dialog.state).toBe('ACTIVE');
    expect(put.n.kind === 'dialog' && put.n.source).toBe(`/finesse/api/Dialog/${id}`);
    expect(put.n.kind === 'dialog' && put.n.dialog.participants[0]?.actions).toEqual(['HOLD', 'DROP', 'CONSULT_CALL', 'TRANSFER_SST', 'SEND_DTMF', 'UPDATE_CALL_DATA']);
    await waitFor(() => userState(notes, 'TALKING', 'ans-1'), 'TALKING');

    // Hold on UCCE: the agent goes HOLD; retrieve: TALKING again.
    expect((await call(lab, 'PUT', `/finesse/api/Dialog/${id}`, '<Dialog><requestedAction>HOLD</requestedAction></Dialog>', { requestId: 'hold' })).status).toBe(202);
    await waitFor(() => notes.find((x) => x.n.kind === 'dialog' && x.n.requestId === 'hold' && x.n.dialog.participants[0]?.state === 'HELD'), 'HELD');
    await waitFor(() => userState(notes, 'HOLD', 'hold'), 'HOLD');
    expect((await call(lab, 'PUT', `/finesse/api/Dialog/${id}`, '<Dialog><requestedAction>RETRIEVE</requestedAction></Dialog>', { requestId: 'ret' })).status).toBe(202);
    await waitFor(() => userState(notes, 'TALKING', 'ret'), 'TALKING after retrieve');

    // Call data.
    const upd = '<Dialog><requestedAction>UPDATE_CALL_DATA</requestedAction><mediaProperties><callvariables><CallVariable><name>callVariable2</name><value>A&amp;B</value></CallVariable></callvariables></mediaProperties></Dialog>';
    expect((await call(lab, 'PUT', `/finesse/api/Dialog/${id}`, upd, { requestId: 'data' })).status).toBe(202);
    await waitFor(() => notes.find((x) => x.n.kind === 'dialog' && x.n.requestId === 'data' && x.n.dialog.mediaProperties.callVariables.callVariable2 === 'A&B'), 'call data PUT');

    lab.cc.callerHangup(id);
    const wrap = await waitFor(() => notes.find((x) => x.n.kind === 'dialog' && x.n.dialog.participants[0]?.state === 'WRAP_UP'), 'WRAP_UP');
    expect(wrap.n.kind === 'dialog' && wrap.n.dialog.state).toBe('DROPPED');
    expect(wrap.n.kind === 'dialog' && wrap.n.dialog.participants[0]?.actions).toEqual(['UPDATE_CALL_DATA']);
    await waitFor(() => userState(notes, 'WORK'), 'WORK');
    expect((await call(lab, 'PUT', '/finesse/api/User/1001', READY, { requestId: 'after' })).status).toBe(202);
    const del = await waitFor(() => notes.find((x) => x.n.kind === 'dialogs' && x.n.event === 'DELETE'), 'DELETE');
    expect(del.n.requestId).toBe('after');
    expect(del.n.kind === 'dialogs' && del.n.dialogs[0]?.state).toBe('DROPPED');
    await waitFor(() => userState(notes, 'READY', 'after'), 'READY after wrap-up');
    expect(parseDialogs((await call(lab, 'GET', '/finesse/api/User/1001/Dialogs')).body)).toEqual([]);
  });

  it('a refused dialog action answers 202, then an apiErrors notification echoes the requestId', async () => {
    const { lab, notes } = await start();
    await signInReady(lab, notes);
    const id = lab.cc.arrive({ from: '+4961215550123', queue: '6001' });
    await waitFor(() => notes.find((x) => x.n.kind === 'dialogs'), 'POST');
    // HOLD is not among the alerting participant's actions.
    expect((await call(lab, 'PUT', `/finesse/api/Dialog/${id}`, '<Dialog><requestedAction>HOLD</requestedAction></Dialog>', { requestId: 'bad-hold' })).status).toBe(202);
    const err = await waitFor(() => notes.find((x) => x.n.kind === 'apiErrors' && x.n.requestId === 'bad-hold'), 'apiErrors');
    expect(err.node).toBe('/finesse/api/User/1001/Dialogs');
    expect(err.n.kind === 'apiErrors' && err.n.errors[0]).toMatchObject({ errorType: 'Call Operation Failure', errorMessage: 'CF_INVALID_OBJECT_STATE' });
    expect((await call(lab, 'PUT', `/finesse/api/Dialog/${id}`, '<Dialog><requestedAction>DANCE</requestedAction></Dialog>')).status).toBe(400);
    expect((await call(lab, 'PUT', `/finesse/api/Dialog/${id}`, '<Dialog><requestedAction>ANSWER</requestedAction><targetMediaAddress>5</targetMediaAddress></Dialog>')).status).toBe(400);
  });

  it('MAKE_CALL: 202 and a POST echoing the requestId; UCCE applies call variables', async () => {
    const { lab, notes } = await start();
    await signInReady(lab, notes);
    const body = '<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>1001001</fromAddress><toAddress>+41445550101</toAddress><mediaProperties><callvariables><CallVariable><name>callVariable3</name><value>C2D</value></CallVariable></callvariables></mediaProperties></Dialog>';
    expect((await call(lab, 'POST', '/finesse/api/User/1001/Dialogs', body, { requestId: 'mk' })).status).toBe(202);
    const post = await waitFor(() => notes.find((x) => x.n.kind === 'dialogs' && x.n.event === 'POST' && x.n.requestId === 'mk'), 'MAKE_CALL POST');
    expect(post.n.kind === 'dialogs' && post.n.dialogs[0]).toMatchObject({ fromAddress: '1001001', toAddress: '+41445550101', state: 'INITIATED' });
    expect(post.n.kind === 'dialogs' && post.n.dialogs[0]?.participants.map((p) => [p.mediaAddress, p.state])).toEqual([
      ['1001001', 'INITIATED'],
      ['+41445550101', 'INITIATED'],
    ]);
    lab.cc.farEndAnswer(post.n.kind === 'dialogs' ? post.n.dialogs[0]!.id : '');
    await waitFor(() => notes.find((x) => x.n.kind === 'dialog' && x.n.dialog.mediaProperties.callVariables.callVariable3 === 'C2D'), 'call variables applied');
    expect((await call(lab, 'POST', '/finesse/api/User/1001/Dialogs', '<Dialog><requestedAction>MAKE_CALL</requestedAction></Dialog>')).status).toBe(400);
  });

  it('UCCX: MAKE_CALL with call variables → 400 Invalid Input; no queues; no callKey fields; hold keeps TALKING', async () => {
    const { lab, notes } = await start('UCCX');
    await signInReady(lab, notes);
    const body = '<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>1001001</fromAddress><toAddress>+41445550101</toAddress><mediaProperties><callvariables><CallVariable><name>callVariable1</name><value>x</value></CallVariable></callvariables></mediaProperties></Dialog>';
    const r = await call(lab, 'POST', '/finesse/api/User/1001/Dialogs', body);
    expect(r.status).toBe(400);
    expect(parseApiErrors(r.body)[0]?.errorType).toBe('Invalid Input');
    expect((await call(lab, 'GET', '/finesse/api/Queue/6001')).status).toBe(404);
    expect((await call(lab, 'GET', '/finesse/api/User/1001/Queues')).status).toBe(404);
    const id = lab.cc.arrive({ from: '+4961215550123', queue: '6001' });
    const post = await waitFor(() => notes.find((x) => x.n.kind === 'dialogs'), 'POST');
    expect(post.n.kind === 'dialogs' && post.n.dialogs[0]?.mediaProperties.callKeyCallId).toBe('');
    await call(lab, 'PUT', `/finesse/api/Dialog/${id}`, '<Dialog><requestedAction>ANSWER</requestedAction></Dialog>', { requestId: 'a' });
    await waitFor(() => userState(notes, 'TALKING'), 'TALKING');
    await call(lab, 'PUT', `/finesse/api/Dialog/${id}`, '<Dialog><requestedAction>HOLD</requestedAction></Dialog>', { requestId: 'h' });
    await waitFor(() => notes.find((x) => x.n.kind === 'dialog' && x.n.requestId === 'h'), 'held');
    await new Promise((res) => setTimeout(res, 50));
    expect(userState(notes, 'HOLD')).toBeUndefined();
    // DTMF A-D is UCCE only.
    const dtmf = (s: string) => `<Dialog><requestedAction>SEND_DTMF</requestedAction><actionParams><ActionParam><name>dtmfString</name><value>${s}</value></ActionParam></actionParams></Dialog>`;
    expect((await call(lab, 'PUT', `/finesse/api/Dialog/${id}`, dtmf('12A'))).status).toBe(400);
  });

  it('failover switch: 503 with ApiErrors, SystemInfo OUT_OF_SERVICE, then back', async () => {
    const { lab } = await start();
    lab.setOutOfService(true);
    const r = await call(lab, 'GET', '/finesse/api/User/1001');
    expect(r.status).toBe(503);
    expect(parseApiErrors(r.body)).toHaveLength(1);
    expect(parseSystemInfo(await (await fetch(`${lab.baseUrl}/finesse/api/SystemInfo`)).text()).status).toBe('OUT_OF_SERVICE');
    lab.setOutOfService(false);
    expect((await call(lab, 'GET', '/finesse/api/User/1001')).status).toBe(200);
  });

  it('pendingState: NOT_READY during a call shows as pending, applies after the call', async () => {
    const { lab, notes } = await start();
    await signInReady(lab, notes);
    const id = lab.cc.arrive({ from: '+4961215550123', queue: '6001' });
    await waitFor(() => notes.find((x) => x.n.kind === 'dialogs'), 'POST');
    await call(lab, 'PUT', `/finesse/api/Dialog/${id}`, '<Dialog><requestedAction>ANSWER</requestedAction></Dialog>');
    await waitFor(() => userState(notes, 'TALKING'), 'TALKING');
    expect((await call(lab, 'PUT', '/finesse/api/User/1001', '<User><state>NOT_READY</state><reasonCodeId>1</reasonCodeId></User>', { requestId: 'p' })).status).toBe(202);
    const pending = await waitFor(() => notes.find((x) => x.n.kind === 'user' && x.n.requestId === 'p' && x.n.user.pendingState === 'NOT_READY'), 'pending');
    expect(pending.n.kind === 'user' && pending.n.user.state).toBe('TALKING');
    await call(lab, 'PUT', `/finesse/api/Dialog/${id}`, '<Dialog><requestedAction>DROP</requestedAction></Dialog>');
    await waitFor(() => userState(notes, 'WORK'), 'WORK');
  });
});
