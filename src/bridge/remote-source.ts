/**
 * @module bridge/remote-source
 * A {@link Source} on the far side of a WebSocket: the gadget's view of the server's platform
 * source. `connect` says `hello` and feeds every `update` to the session; `request` sends the
 * request and settles on the matching `response`. A malformed frame from the server becomes a
 * `platformError` update (the session reports it); the connection goes on.
 */
import { ErrorCode, SwitchboardError, fromSerialized } from '../core/errors.js';
import { ALL_REQUEST_TYPES, type PlatformRequest, type PlatformRequestType, type Source, type UpdateSink } from '../core/source.js';
import { PROTOCOL_VERSION, describeServerMessageProblem, parseFrame, type ClientMessage, type ServerMessage } from './protocol.js';

/** The parts of a WebSocket this module uses (the browser's, or `ws` in Node). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
}

export interface RemoteSourceOptions {
  agentId: string;
  /** Opens the socket (e.g. `() => new WebSocket('ws://host/ws')`). */
  open: () => SocketLike;
  /** The platform's kind, until the server's welcome says it. */
  kind?: string;
}

const OPEN = 1;

export class RemoteSource implements Source {
  kind: string;
  readonly supports: ReadonlySet<PlatformRequestType> = new Set(ALL_REQUEST_TYPES);
  private socket: SocketLike | undefined;
  private emit: UpdateSink | undefined;
  private readonly pending = new Map<string, { resolve: () => void; reject: (e: SwitchboardError) => void }>();

  constructor(private readonly options: RemoteSourceOptions) {
    this.kind = options.kind ?? 'remote';
  }

  connect(emit: UpdateSink): Promise<void> {
    this.emit = emit;
    const socket = this.options.open();
    this.socket = socket;
    return new Promise<void>((resolve, reject) => {
      let welcomed = false;
      socket.addEventListener('open', () => this.send({ type: 'hello', protocol: PROTOCOL_VERSION, agentId: this.options.agentId }));
      socket.addEventListener('message', (event) => {
        const frame = parseFrame(typeof event.data === 'string' ? event.data : String(event.data));
        const problem = 'error' in frame ? frame.error : describeServerMessageProblem(frame.value);
        if (problem !== undefined || 'error' in frame) {
          this.emit?.({ type: 'platformError', code: ErrorCode.INVALID_UPDATE, message: `server message refused: ${problem ?? 'unreadable'}` });
          return;
        }
        const m = frame.value as ServerMessage;
        switch (m.type) {
          case 'welcome':
            this.kind = m.source;
            welcomed = true;
            resolve();
            break;
          case 'update':
            this.emit?.(m.update);
            break;
          case 'response': {
            const p = this.pending.get(m.requestId);
            if (p === undefined) break;
            this.pending.delete(m.requestId);
            if (m.ok) p.resolve();
            else p.reject(fromSerialized(m.error));
            break;
          }
          case 'problem':
            this.emit?.({ type: 'platformError', code: ErrorCode.PLATFORM_ERROR, message: `server: ${m.message}` });
            if (!welcomed) reject(new SwitchboardError(ErrorCode.NOT_CONNECTED, `server refused the session: ${m.message}`));
            break;
          case 'pong':
            break;
        }
      });
      socket.addEventListener('close', () => {
        for (const [id, p] of this.pending) p.reject(new SwitchboardError(ErrorCode.NOT_CONNECTED, 'the connection to the server closed', { requestId: id }));
        this.pending.clear();
        if (!welcomed) reject(new SwitchboardError(ErrorCode.NOT_CONNECTED, 'could not reach the server'));
      });
    });
  }

  request(request: PlatformRequest): Promise<void> {
    if (this.socket === undefined || this.socket.readyState !== OPEN) {
      return Promise.reject(new SwitchboardError(ErrorCode.NOT_CONNECTED, `not connected to the server: ${request.type} not sent`, { requestId: request.requestId }));
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.set(request.requestId, { resolve, reject });
      this.send({ type: 'request', request });
    });
  }

  /**
   * Tell the server which of a workitem's looked-up CRM records is the caller; resolves when the
   * server took it (the workitem's `associatedParticipant` follows as an update), rejects with
   * the server's SwitchboardError otherwise.
   */
  pickCaller(workitemId: string, recordId: string, requestId: string = globalThis.crypto.randomUUID()): Promise<void> {
    if (this.socket === undefined || this.socket.readyState !== OPEN) {
      return Promise.reject(new SwitchboardError(ErrorCode.NOT_CONNECTED, 'not connected to the server: caller pick not sent', { requestId }));
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.send({ type: 'crmPick', requestId, workitemId, recordId });
    });
  }

  disconnect(): Promise<void> {
    this.emit = undefined;
    this.socket?.close(1000, 'bye');
    this.socket = undefined;
    return Promise.resolve();
  }

  private send(m: ClientMessage): void {
    this.socket?.send(JSON.stringify(m));
  }
}
