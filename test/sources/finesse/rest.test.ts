import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock, SimulatedClock } from '../../../src/core/clock.js';
import { ErrorCode, SwitchboardError } from '../../../src/core/errors.js';
import { FinesseRest, dialogActionBody, escapeXml, parseApiErrorsBody } from '../../../src/sources/finesse/rest.js';

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const PASSWORD = 'S3cr3t-pa55';
let server: Server;
let base = '';
const seen: Recorded[] = [];
let respond: (req: Recorded, res: ServerResponse) => void = (_req, res) => {
  res.writeHead(202).end();
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const rec = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(rec);
      respond(rec, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen.length = 0;
  respond = (req, res) => {
    if (req.method === 'GET') res.writeHead(200, { 'Content-Type': 'application/xml' }).end('<SystemInfo><status>IN_SERVICE</status></SystemInfo>');
    else res.writeHead(202).end();
  };
});

function rest(extra: Partial<ConstructorParameters<typeof FinesseRest>[0]> = {}): FinesseRest {
  let n = 0;
  return new FinesseRest({ baseUrl: base + '/', auth: { kind: 'basic', user: '1001', password: PASSWORD }, clock: systemClock, newRequestId: () => `gen-${++n}`, ...extra });
}

async function failure(p: Promise<unknown>): Promise<SwitchboardError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SwitchboardError);
    return err as SwitchboardError;
  }
  throw new Error('expected a rejection');
}

describe('FinesseRest requests', () => {
  it('GETs the documented URLs with Basic auth and no requestId', async () => {
    const r = rest();
    expect(await r.getSystemInfo()).toContain('IN_SERVICE');
    await r.getUser('1001');
    await r.getReasonCodes('1001', 'NOT_READY');
    await r.getReasonCodes('1001', 'LOGOUT');
    await r.getWrapUpReasons('1001');
    await r.getDialogs('1001');
    await r.getQueue('5');
    await r.getQueues('1001');
    await r.getTeam('7');
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /finesse/api/SystemInfo',
      'GET /finesse/api/User/1001',
      'GET /finesse/api/User/1001/ReasonCodes?category=NOT_READY',
      'GET /finesse/api/User/1001/ReasonCodes?category=LOGOUT',
      'GET /finesse/api/User/1001/WrapUpReasons',
      'GET /finesse/api/User/1001/Dialogs',
      'GET /finesse/api/Queue/5',
      'GET /finesse/api/User/1001/Queues',
      'GET /finesse/api/Team/7',
    ]);
    for (const s of seen) {
      expect(s.headers.authorization).toBe(`Basic ${Buffer.from(`1001:${PASSWORD}`).toString('base64')}`);
      expect(s.headers.requestid).toBeUndefined();
    }
  });

  it('sends Bearer tokens with SSO', async () => {
    await new FinesseRest({ baseUrl: base, auth: { kind: 'bearer', token: 'tok-xyz' }, clock: systemClock }).getUser('1001');
    expect(seen[0]!.headers.authorization).toBe('Bearer tok-xyz');
  });

  it('PUT/POST send the exact bodies and a requestId header, resolving with it on 202', async () => {
    const r = rest();
    expect(await r.signIn('1001', '1001001', 'r-login')).toEqual({ requestId: 'r-login', status: 202 });
    await r.setState('1001', 'NOT_READY', '16', 'r-nr');
    await r.setState('1001', 'READY', undefined, 'r-ready');
    await r.makeCall('1001', '1001001', '+41 <44>', undefined, 'r-mc');
    await r.makeCall('1001', '1001001', '5000', { callVariable1: 'a&b', 'user.x': 'y' }, 'r-mc2');
    await r.dialogAction('75627724', 'ANSWER', { targetMediaAddress: '1001001' }, 'r-ans');
    await r.dialogAction('75627724', 'CONSULT_CALL', { targetMediaAddress: '1001001', toAddress: '2000' }, 'r-cons');
    await r.dialogAction('75627724', 'SEND_DTMF', { targetMediaAddress: '1001001', dtmf: '77#' }, 'r-dtmf');
    await r.dialogAction('75627724', 'UPDATE_CALL_DATA', { targetMediaAddress: '1001001', callData: { wrapUpReason: 'Sales', callVariable1: 'x', 'user.a[2]': '<z>' } }, 'r-upd');
    const generated = await r.dialogAction('1', 'DROP', { targetMediaAddress: '1001001' });
    expect(generated.requestId).toBe('gen-1');
    expect(seen.map((s) => [s.method, s.url, s.headers.requestid, s.headers['content-type'], s.body])).toEqual([
      ['PUT', '/finesse/api/User/1001', 'r-login', 'application/xml', '<User><state>LOGIN</state><extension>1001001</extension></User>'],
      ['PUT', '/finesse/api/User/1001', 'r-nr', 'application/xml', '<User><state>NOT_READY</state><reasonCodeId>16</reasonCodeId></User>'],
      ['PUT', '/finesse/api/User/1001', 'r-ready', 'application/xml', '<User><state>READY</state></User>'],
      ['POST', '/finesse/api/User/1001/Dialogs', 'r-mc', 'application/xml', '<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>1001001</fromAddress><toAddress>+41 &lt;44&gt;</toAddress></Dialog>'],
      [
        'POST', '/finesse/api/User/1001/Dialogs', 'r-mc2', 'application/xml',
        '<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>1001001</fromAddress><toAddress>5000</toAddress><mediaProperties><callvariables><CallVariable><name>callVariable1</name><value>a&amp;b</value></CallVariable><CallVariable><name>user.x</name><value>y</value></CallVariable></callvariables></mediaProperties></Dialog>',
      ],
      ['PUT', '/finesse/api/Dialog/75627724', 'r-ans', 'application/xml', '<Dialog><requestedAction>ANSWER</requestedAction><targetMediaAddress>1001001</targetMediaAddress></Dialog>'],
      ['PUT', '/finesse/api/Dialog/75627724', 'r-cons', 'application/xml', '<Dialog><requestedAction>CONSULT_CALL</requestedAction><targetMediaAddress>1001001</targetMediaAddress><toAddress>2000</toAddress></Dialog>'],
      [
        'PUT', '/finesse/api/Dialog/75627724', 'r-dtmf', 'application/xml',
        '<Dialog><requestedAction>SEND_DTMF</requestedAction><targetMediaAddress>1001001</targetMediaAddress><actionParams><ActionParam><name>dtmfString</name><value>77#</value></ActionParam></actionParams></Dialog>',
      ],
      [
        'PUT', '/finesse/api/Dialog/75627724', 'r-upd', 'application/xml',
        '<Dialog><requestedAction>UPDATE_CALL_DATA</requestedAction><targetMediaAddress>1001001</targetMediaAddress><mediaProperties><wrapUpReason>Sales</wrapUpReason><callvariables><CallVariable><name>callVariable1</name><value>x</value></CallVariable><CallVariable><name>user.a[2]</name><value>&lt;z&gt;</value></CallVariable></callvariables></mediaProperties></Dialog>',
      ],
      ['PUT', '/finesse/api/Dialog/1', 'gen-1', 'application/xml', '<Dialog><requestedAction>DROP</requestedAction><targetMediaAddress>1001001</targetMediaAddress></Dialog>'],
    ]);
  });

  it('escapes every XML special character', () => {
    expect(escapeXml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
    expect(dialogActionBody('HOLD', { targetMediaAddress: '<&>' })).toBe('<Dialog><requestedAction>HOLD</requestedAction><targetMediaAddress>&lt;&amp;&gt;</targetMediaAddress></Dialog>');
  });
});

describe('FinesseRest errors', () => {
  it('turns <ApiErrors> into a typed error with the requestId, type, message and data', async () => {
    respond = (_req, res) => {
      res.writeHead(400, { 'Content-Type': 'application/xml' }).end(
        '<ApiErrors><ApiError><ErrorData>reasonCodeId</ErrorData><ErrorMessage>Invalid reasonCodeId specified</ErrorMessage><ErrorType>Parameter Missing</ErrorType></ApiError></ApiErrors>',
      );
    };
    const err = await failure(rest().setState('1001', 'NOT_READY', '999', 'r-bad'));
    expect(err.requestId).toBe('r-bad');
    expect(err.code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(err.message).toContain('Parameter Missing');
    expect(err.message).toContain('Invalid reasonCodeId specified');
    expect(err.message).toContain('reasonCodeId');
    expect(err.message).toContain('HTTP 400');
  });

  it('parses lower-case apiErrors and several errors', () => {
    expect(parseApiErrorsBody('<apiErrors><apiError><errorType>A</errorType><errorMessage>m1</errorMessage><errorData>1</errorData></apiError><apiError><errorType>B</errorType><errorMessage>m2</errorMessage></apiError></apiErrors>')).toEqual([
      { errorType: 'A', errorMessage: 'm1', errorData: '1' },
      { errorType: 'B', errorMessage: 'm2', errorData: '' },
    ]);
    expect(parseApiErrorsBody('<html>no</html>')).toEqual([]);
    expect(parseApiErrorsBody('<ApiErrors><ApiError>')).toEqual([]);
  });

  it('names an HTML 500 page by its title, an empty body as such', async () => {
    respond = (_req, res) => {
      res.writeHead(500, { 'Content-Type': 'text/html' }).end('<!DOCTYPE html><html><head><title>Internal Server Error</title></head><body>boom</body></html>');
    };
    const err = await failure(rest().dialogAction('9', 'HOLD', { targetMediaAddress: '1' }, 'r-500'));
    expect(err.code).toBe(ErrorCode.PLATFORM_ERROR);
    expect(err.requestId).toBe('r-500');
    expect(err.message).toMatch(/HTTP 500.*Internal Server Error/);
    respond = (_req, res) => {
      res.writeHead(404).end();
    };
    const empty = await failure(rest().getUser('nobody'));
    expect(empty.message).toMatch(/HTTP 404.*empty body/);
  });

  it('401 is a clear authentication error without the credentials', async () => {
    respond = (_req, res) => {
      res.writeHead(401, { 'Content-Type': 'text/html' }).end(`<html>denied for ${PASSWORD}</html>`);
    };
    const err = await failure(rest().signIn('1001', '1001001', 'r-401'));
    expect(err.requestId).toBe('r-401');
    expect(err.message).toMatch(/credentials.*401/);
    expect(JSON.stringify(err.toJSON())).not.toContain(PASSWORD);
    expect(err.message).not.toContain(Buffer.from(`1001:${PASSWORD}`).toString('base64'));
  });

  it('503 means failing over (NOT_CONNECTED)', async () => {
    respond = (_req, res) => {
      res.writeHead(503).end('<html><title>Service Unavailable</title></html>');
    };
    const err = await failure(rest().getSystemInfo());
    expect(err.code).toBe(ErrorCode.NOT_CONNECTED);
    expect(err.message).toMatch(/failing over/);
  });

  it('times out on the injected clock with TIMEOUT and the requestId', async () => {
    respond = () => {
      /* never answer */
    };
    const clock = new SimulatedClock(0);
    const p = failure(rest({ clock, timeoutMs: 5000 }).dialogAction('9', 'ANSWER', { targetMediaAddress: '1' }, 'r-slow'));
    await new Promise((r) => setTimeout(r, 50));
    expect(clock.pending).toBe(1);
    clock.advance(5000);
    const err = await p;
    expect(err.code).toBe(ErrorCode.TIMEOUT);
    expect(err.requestId).toBe('r-slow');
    expect(clock.pending).toBe(0);
  });

  it('an unreachable server is NOT_CONNECTED; echoed secrets are scrubbed from messages', async () => {
    const err = await failure(new FinesseRest({ baseUrl: 'http://127.0.0.1:1', auth: { kind: 'basic', user: 'u', password: PASSWORD }, clock: systemClock }).getUser('u'));
    expect(err.code).toBe(ErrorCode.NOT_CONNECTED);
    expect(err.message).not.toContain(PASSWORD);
    respond = (req, res) => {
      res.writeHead(500).end(`oops ${String(req.headers.authorization)} ${PASSWORD}`);
    };
    const echoed = await failure(rest().getUser('1001'));
    expect(echoed.message).not.toContain(PASSWORD);
    expect(echoed.message).not.toContain(Buffer.from(`1001:${PASSWORD}`).toString('base64'));
    expect(echoed.message).toContain('***');
  });
});
