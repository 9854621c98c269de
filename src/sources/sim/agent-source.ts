/**
 * @module sources/sim/agent-source
 * One agent's view of the simulated center, behind the core's `Source` port. `connect` hands
 * the session the full picture at once (session, queues, agent state, every live call: call
 * recovery), then the world streams changes. Requests are carried out on the next microtask,
 * never inside the caller's stack: a listener that reacts to an update with a request does not
 * re-enter the world while it is delivering updates.
 */
import { ALL_REQUEST_TYPES, type PlatformRequest, type PlatformRequestType, type Source, type UpdateSink } from '../../core/source.js';
import type { PlatformUpdate } from '../../core/updates.js';
import type { SimAgent } from './model.js';
import { execute } from './requests.js';
import type { AgentReceiver, World } from './world.js';

/**
 * The Source of one simulated agent. Get it from {@link SimContactCenter.source}; it supports
 * every request type. Requests work whether or not the source is connected (like Finesse's REST
 * API without XMPP); updates reach only a connected emitter.
 *
 * @example
 * const source = cc.source('1001');
 * const session = new AgentSession({ clock, flavor: cc.flavor });
 * await source.connect((update) => session.apply(update));
 * await source.request({ type: 'setAgentState', channelId: 'voice', state: 'Ready', requestId: 'r1' });
 * clock.advance(0); // the agentState update (requestId 'r1') arrives now, after the promise resolved
 */
export class SimAgentSource implements Source, AgentReceiver {
  readonly kind = 'sim';
  readonly supports: ReadonlySet<PlatformRequestType> = new Set(ALL_REQUEST_TYPES);
  readonly queueVersions = new Map<string, number>();
  private emit: UpdateSink | undefined;
  private gen = 0;

  /** @internal Use {@link SimContactCenter.source}. */
  constructor(
    private readonly world: World,
    private readonly agent: SimAgent,
  ) {}

  get agentId(): string {
    return this.agent.id;
  }

  get connected(): boolean {
    return this.emit !== undefined;
  }

  get generation(): number {
    return this.gen;
  }

  connect(emit: UpdateSink): Promise<void> {
    this.gen++;
    this.emit = emit;
    this.world.attach(this.agent, this);
    for (const u of this.world.snapshot(this.agent, this)) this.receive(u, this.gen);
    return Promise.resolve();
  }

  disconnect(): Promise<void> {
    this.gen++;
    this.emit = undefined;
    this.world.detach(this.agent, this);
    return Promise.resolve();
  }

  async request(request: PlatformRequest): Promise<void> {
    await Promise.resolve();
    execute(this.world, this.agent, request);
  }

  /** @internal Called by the world's delivery queue. */
  receive(update: PlatformUpdate, generation: number): void {
    if (generation !== this.gen || this.emit === undefined) return;
    try {
      this.emit(update);
    } catch (err) {
      this.world.options.onEmitError(err);
    }
  }
}
