/**
 * @module sinks/cil/emitter
 * A typed event emitter (after matrix-js-sdk's TypedEventEmitter): the handler's type follows
 * the event name, `on` returns an unsubscribe function, and handlers are isolated from each
 * other — one that throws never stops the next; its failure is reported through `onFailure`.
 */

export type Unsubscribe = () => void;

export class TypedEmitter<M extends object> {
  private readonly handlers = new Map<keyof M, Set<(data: never) => void>>();

  constructor(private readonly onFailure: (error: unknown, name: keyof M) => void) {}

  /**
   * @example
   * const off = emitter.on('workitemCreate', (data) => console.log(data.id));
   * off();
   */
  on<K extends keyof M>(name: K, handler: (data: M[K]) => void): Unsubscribe {
    if (typeof handler !== 'function') throw new TypeError(`handler for ${String(name)} must be a function`);
    let set = this.handlers.get(name);
    if (set === undefined) {
      set = new Set();
      this.handlers.set(name, set);
    }
    const h = handler as (data: never) => void;
    set.add(h);
    return () => {
      set.delete(h);
    };
  }

  /** Number of handlers for `name`. */
  count(name: keyof M): number {
    return this.handlers.get(name)?.size ?? 0;
  }

  emit<K extends keyof M>(name: K, data: M[K]): void {
    const set = this.handlers.get(name);
    if (set === undefined) return;
    for (const h of [...set]) {
      try {
        (h as (d: M[K]) => void)(data);
      } catch (err) {
        this.onFailure(err, name);
      }
    }
  }
}
