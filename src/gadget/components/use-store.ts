/**
 * @module gadget/components/use-store
 * The store as Preact state, and the 1 s tick that drives the timers (the only timer of the
 * gadget, in the view layer).
 */
import { useEffect, useState } from 'preact/hooks';
import type { GadgetSnapshot, GadgetStore } from '../store.js';

export function useStore(store: GadgetStore): GadgetSnapshot {
  const [snapshot, setSnapshot] = useState(store.state);
  useEffect(() => {
    setSnapshot(store.state);
    return store.subscribe(() => setSnapshot(store.state));
  }, [store]);
  return snapshot;
}

/** The current time from `now`, re-read every second. */
export function useTick(now: () => number): number {
  const [t, setT] = useState(now);
  useEffect(() => {
    const timer = setInterval(() => setT(now()), 1000);
    return () => clearInterval(timer);
  }, [now]);
  return t;
}
