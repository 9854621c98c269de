/**
 * @module server/ws
 * The server side of the gadget protocol (bridge/protocol). Every frame is validated with
 * `describeClientMessageProblem`; a bad one is answered with `problem` and the socket stays.
 * `hello` attaches the socket to the agent's {@link AgentHub}: `welcome`, then the hub's replay
 * (session, queues, agent state, live workitems: call recovery), then live updates, with
 * nothing in between (all three happen in one synchronous step). `request` is carried out by
 * the agent's source and answered with `response`, ok or the serialized SwitchboardError.
 */
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { Logger } from 'pino';
import { describeClientMessageProblem, parseFrame, PROTOCOL_VERSION, type ClientMessage, type ServerMessage } from '../bridge/protocol.js';
import { ErrorCode, SwitchboardError, toSwitchboardError } from '../core/errors.js';
import type { Platform } from './sessions.js';

export interface WsHooks {
  onClients: (delta: number) => void;
  /**
   * The gadget's origin. A browser always sends `Origin` on a WebSocket handshake; one from any
   * other origin (a foreign page trying to drive an agent) is refused and closed. Clients that
   * send no Origin (Node tools, tests) are let through.
   */
  allowedOrigin: () => string;
  /** The agent picked a caller record (CRM records service); throws a SwitchboardError when it cannot. */
  crmPick?: (agentId: string, workitemId: string, recordId: string) => void;
}

const OPEN = 1;

export function registerWs(app: FastifyInstance, platform: Platform, log: Logger, hooks: WsHooks): void {
  app.get('/ws', { websocket: true }, (socket: WebSocket, req) => {
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== hooks.allowedOrigin()) {
      log.warn({ origin }, 'ws handshake from a foreign origin refused');
      if (socket.readyState === OPEN) socket.send(JSON.stringify({ type: 'problem', message: `origin ${JSON.stringify(origin)} may not use this gadget's socket` } satisfies ServerMessage));
      socket.close(1008, 'origin not allowed');
      return;
    }
    hooks.onClients(1);
    let agentId: string | undefined;
    let attaching = false;
    let detach: (() => void) | undefined;
    const send = (m: ServerMessage): void => {
      if (socket.readyState === OPEN) socket.send(JSON.stringify(m));
    };
    socket.on('close', () => {
      hooks.onClients(-1);
      detach?.();
      detach = undefined;
    });
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      if (isBinary) {
        send({ type: 'problem', message: 'binary frames are not part of the protocol' });
        return;
      }
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      const frame = parseFrame(text);
      const problem = 'error' in frame ? frame.error : describeClientMessageProblem(frame.value);
      if (problem !== undefined || 'error' in frame) {
        log.debug({ agentId, problem }, 'ws frame refused');
        send({ type: 'problem', message: problem ?? 'unreadable frame' });
        return;
      }
      const m = frame.value as ClientMessage;
      switch (m.type) {
        case 'ping':
          send({ type: 'pong', id: m.id });
          return;
        case 'hello':
          if (agentId !== undefined || attaching) {
            send({ type: 'problem', message: `hello: this socket is already attached to agent ${agentId ?? m.agentId}` });
            return;
          }
          attaching = true;
          platform.hub(m.agentId).then(
            (hub) => {
              attaching = false;
              if (socket.readyState !== OPEN) return;
              agentId = m.agentId;
              const attached = hub.attach((update) => send({ type: 'update', update }));
              detach = attached.detach;
              send({ type: 'welcome', protocol: PROTOCOL_VERSION, agentId: m.agentId, source: hub.source.kind });
              for (const update of attached.replay) send({ type: 'update', update });
              log.info({ agentId, replayed: attached.replay.length }, 'gadget attached');
            },
            (err: unknown) => {
              attaching = false;
              const e = toSwitchboardError(err);
              log.warn({ agentId: m.agentId, code: e.code, err: e.message }, 'hello refused');
              send({ type: 'problem', message: `hello: ${e.message}` });
            },
          );
          return;
        case 'crmPick': {
          const answer = (err?: unknown): void => {
            if (err === undefined) send({ type: 'response', requestId: m.requestId, ok: true });
            else send({ type: 'response', requestId: m.requestId, ok: false, error: toSwitchboardError(err, ErrorCode.PLATFORM_ERROR, m.requestId).withRequestId(m.requestId).toJSON() });
          };
          if (agentId === undefined) return answer(new SwitchboardError(ErrorCode.NOT_CONNECTED, 'say hello before crmPick'));
          if (hooks.crmPick === undefined) return answer(new SwitchboardError(ErrorCode.NOT_SUPPORTED, 'this server has no CRM to pick a caller record in'));
          try {
            hooks.crmPick(agentId, m.workitemId, m.recordId);
            answer();
          } catch (err) {
            answer(err);
          }
          return;
        }
        case 'request': {
          const request = m.request;
          if (agentId === undefined) {
            const error = new SwitchboardError(ErrorCode.NOT_CONNECTED, `say hello before ${request.type}`, { requestId: request.requestId });
            send({ type: 'response', requestId: request.requestId, ok: false, error: error.toJSON() });
            return;
          }
          const id = agentId;
          platform
            .hub(id)
            .then((hub) => hub.source.request(request))
            .then(
              () => send({ type: 'response', requestId: request.requestId, ok: true }),
              (err: unknown) => {
                const e = toSwitchboardError(err, ErrorCode.PLATFORM_ERROR, request.requestId);
                log.info({ agentId: id, request: request.type, code: e.code }, 'request failed');
                send({ type: 'response', requestId: request.requestId, ok: false, error: e.withRequestId(request.requestId).toJSON() });
              },
            );
          return;
        }
      }
    });
  });
}
