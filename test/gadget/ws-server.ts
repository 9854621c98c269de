/**
 * A tiny test-local gadget server: the built gadget's files, `GET /api/gadget-config`, and the
 * bridge protocol on `/ws` (the `ws` package) backed by a SimContactCenter — just enough of
 * src/server for the gadget's browser test, independent of it.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { PROTOCOL_VERSION, describeClientMessageProblem, parseFrame, type ClientMessage, type ServerMessage } from '../../src/bridge/protocol.js';
import { ErrorCode, toSwitchboardError } from '../../src/core/errors.js';
import type { SimContactCenter } from '../../src/sources/sim/index.js';

const TYPES: Readonly<Record<string, string>> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

export interface GadgetSite {
  origin: string;
  close(): Promise<void>;
}

export async function serveGadget(dir: string, cc: SimContactCenter, config: () => unknown): Promise<GadgetSite> {
  const files = new Map<string, [string, Buffer]>();
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const type = TYPES[extname(f)];
    if (type !== undefined) files.set(`/${f.split('\\').join('/')}`, [type, readFileSync(join(dir, f))]);
  }
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/api/gadget-config') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(config()));
      return;
    }
    const file = files.get(path === '/' ? '/index.html' : path);
    if (file === undefined) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    else res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' }).end(file[1]);
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/ws') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, cc));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function attach(ws: WebSocket, cc: SimContactCenter): void {
  const send = (m: ServerMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  let source: ReturnType<SimContactCenter['source']> | undefined;
  ws.on('message', (raw: Buffer) => {
    const frame = parseFrame(raw.toString('utf8'));
    const problem = 'error' in frame ? frame.error : describeClientMessageProblem(frame.value);
    if (problem !== undefined || 'error' in frame) {
      send({ type: 'problem', message: problem ?? 'unreadable' });
      return;
    }
    const m = frame.value as ClientMessage;
    switch (m.type) {
      case 'hello': {
        const s = cc.source(m.agentId);
        source = s;
        send({ type: 'welcome', protocol: PROTOCOL_VERSION, agentId: m.agentId, source: s.kind });
        void s.connect((update) => send({ type: 'update', update }));
        break;
      }
      case 'request': {
        const requestId = m.request.requestId;
        if (source === undefined) {
          send({ type: 'response', requestId, ok: false, error: { name: 'SwitchboardError', code: ErrorCode.NOT_CONNECTED, message: 'say hello first', requestId } });
          break;
        }
        source.request(m.request).then(
          () => send({ type: 'response', requestId, ok: true }),
          (err: unknown) => send({ type: 'response', requestId, ok: false, error: toSwitchboardError(err, ErrorCode.PLATFORM_ERROR, requestId).toJSON() }),
        );
        break;
      }
      case 'ping':
        send({ type: 'pong', id: m.id });
        break;
    }
  });
  ws.on('close', () => void source?.disconnect());
}
