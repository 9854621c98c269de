/**
 * @module sinks/cil/agent
 * Wiring for one agent: a Source feeding an AgentSession, with the typed API and the `cil`
 * facade over it. Register handlers first, then `connect()`: the updates a source sends on
 * connect (call recovery included) reach every handler already registered.
 *
 * @example
 * const agent = createAgent({ source: cc.source('1001'), clock });
 * agent.cil.onWorkitemCreate((data) => console.warn(JSON.stringify(data)));
 * await agent.connect();
 */
import { AgentSession, Flavor, type Clock, type Source } from '../../core/index.js';
import { IntegrationApi } from './api.js';
import { createCil, type Cil } from './cil.js';

export interface CreateAgentOptions {
  source: Source;
  clock: Clock;
  flavor?: Flavor;
  /** Default request timeout, ms. */
  timeoutMs?: number;
  newRequestId?: () => string;
}

export interface Agent {
  session: AgentSession;
  api: IntegrationApi;
  cil: Cil;
  /** Connect the source; its updates flow into the session from now on. */
  connect: () => Promise<void>;
  disconnect: () => Promise<void>;
}

export function createAgent(options: CreateAgentOptions): Agent {
  const session = new AgentSession({ clock: options.clock, flavor: options.flavor ?? Flavor.UCCE });
  const api = new IntegrationApi({
    session,
    source: options.source,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.newRequestId !== undefined ? { newRequestId: options.newRequestId } : {}),
  });
  return {
    session,
    api,
    cil: createCil(api),
    connect: () => options.source.connect((u) => session.apply(u)),
    disconnect: async () => {
      await options.source.disconnect();
      api.dispose();
    },
  };
}
