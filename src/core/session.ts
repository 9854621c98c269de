/**
 * @module core/session
 * `AgentSession` holds one agent's {@link SessionState}, applies platform updates through the
 * pure {@link transition}, and hands the resulting domain events to its listeners (the sinks).
 * Listeners are isolated: one that throws does not stop the others; its failure becomes a
 * HANDLER_ERROR `error` event for the rest.
 */
import { ErrorCode, type SwitchboardError } from './errors.js';
import { cloneEventData, type DomainEvent, type SessionEventMap } from './events.js';
import { Flavor } from './model.js';
import { errorEvent, initialState, transition, type SessionState } from './transition.js';
import type { PlatformUpdate } from './updates.js';
import type { Clock } from './clock.js';

export type SessionListener = (event: DomainEvent) => void;

export interface AgentSessionOptions {
  clock: Clock;
  flavor?: Flavor;
  /** Told when a listener throws while handling an error event (nowhere else left to report it). */
  onListenerFailure?: (error: unknown, event: DomainEvent) => void;
}

export class AgentSession {
  private current: SessionState;
  private readonly listeners = new Set<SessionListener>();
  readonly clock: Clock;
  private readonly onListenerFailure: (error: unknown, event: DomainEvent) => void;

  constructor(options: AgentSessionOptions) {
    this.clock = options.clock;
    this.current = initialState(options.flavor ?? Flavor.UCCE);
    this.onListenerFailure = options.onListenerFailure ?? (() => undefined);
  }

  get state(): SessionState {
    return this.current;
  }

  get flavor(): Flavor {
    return this.current.flavor;
  }

  /** Set the flavour (Finesse's SystemInfo decides it once connected). */
  setFlavor(flavor: Flavor): void {
    this.current = { ...this.current, flavor };
  }

  /** Apply one platform update and dispatch what it produced. Returns those events. */
  apply(update: PlatformUpdate): DomainEvent[] {
    let next: SessionState;
    let events: DomainEvent[];
    try {
      [next, events] = transition(this.current, update, this.clock.now());
    } catch (err) {
      // transition() does not throw on any input it was tested with; this is the last guard.
      next = this.current;
      events = [errorEvent(ErrorCode.INTERNAL, `update could not be applied: ${err instanceof Error ? err.message : String(err)}`)];
    }
    this.current = next;
    for (const e of events) this.dispatch(e);
    return events;
  }

  /** Dispatch an error that did not come from an update (a failed request, a source problem). */
  reportError(error: SwitchboardError): void {
    this.dispatch(errorEvent(error.code, error.message, error.requestId));
  }

  subscribe(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private dispatch(event: DomainEvent): void {
    const failures: { failed: SessionListener; report: DomainEvent }[] = [];
    const listeners = [...this.listeners];
    for (const [i, l] of listeners.entries()) {
      // Each listener gets its own copy, the last one the original (untouched until then):
      // what one listener changes never reaches another.
      const own = i === listeners.length - 1 ? event : ({ type: event.type, data: cloneEventData<keyof SessionEventMap>(event.data) } as DomainEvent);
      try {
        l(own);
      } catch (err) {
        if (event.type === 'error') {
          this.onListenerFailure(err, event);
          continue;
        }
        const requestId = event.data.event === 'queueDataUpdate' || event.data.event === 'interactionEnd' ? undefined : event.data.requestId || undefined;
        failures.push({ failed: l, report: errorEvent(ErrorCode.HANDLER_ERROR, `a listener failed on ${event.type}: ${err instanceof Error ? err.message : String(err)}`, requestId) });
      }
    }
    // Reported after the event itself has reached every listener (nobody hears of a failure
    // before the event it is about), and to every listener but the one that failed.
    for (const { failed, report } of failures) {
      for (const other of [...this.listeners]) {
        if (other === failed) continue;
        try {
          other(report);
        } catch (err) {
          this.onListenerFailure(err, report);
        }
      }
    }
  }
}
