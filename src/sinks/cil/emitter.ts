/**
 * @module sinks/cil/emitter
 * A typed event emitter (after matrix-js-sdk's TypedEventEmitter): the handler's type follows
 * the event name, `on` returns an unsubscribe function, and handlers are isolated from each
 * other — one that throws never stops the next; its failure is reported through `onFailure`.
 */

export type Unsubscribe = () => void;

export class TypedEmitter<M extends object> {
  private readonly handlers = new Map<keyof M, Set<(data: never) => void>>();

  /**
   * @param onFailure told when a handler throws
   * @param copy gives each handler but the last its own copy of the data (the last gets the
   *   original), so that what one handler changes never reaches another
   */
  constructor(
    private readonly onFailure: (error: unknown, name: keyof M) => void,
    private readonly copy: <K extends keyof M>(data: M[K]) => M[K] = (d) => d,
  ) {}

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
    const handlers = [...set];
    for (const [i, h] of handlers.entries()) {
      const own = i === handlers.length - 1 ? data : this.copy(data);
      try {
        (h as (d: M[K]) => void)(own);
      } catch (err) {
        this.onFailure(err, name);
      }
    }
  }
}
