/**
 * @module core/random
 * One seeded generator for everything that must be reproducible by seed and is not the
 * simulator's own stream (outbox jitter in tests and benchmarks, the ServiceNow emulator's
 * faults): mulberry32, small and fast, good enough for picking, not for secrets.
 */

/**
 * Numbers in [0, 1), the same sequence for the same seed.
 *
 * @example
 * const random = seededRandom(42);
 * random(); // always the same first value for 42
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
