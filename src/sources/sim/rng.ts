/**
 * @module sources/sim/rng
 * The simulator's only source of randomness: a seeded sfc32 generator. `Math.random` would make
 * two runs differ; one shared stream would make every new random draw (a feature added later)
 * shift all the others. So each concern (arrivals, caller data, auto agents, far ends) draws from
 * its own stream, derived from the seed and a label: the same seed gives the same streams.
 */

/** A deterministic pseudo-random stream with the draws the simulator needs. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Exponentially distributed with the given mean (Poisson inter-arrival times, patience). */
  exponential(mean: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** A string of `n` decimal digits. */
  digits(n: number): string;
}

/** 32-bit FNV-1a of a string: turns (seed, label) into independent stream seeds. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * A seeded stream. sfc32 (Chris Doty-Humphrey's small fast counter) passes PractRand for far
 * more draws than a simulation makes, and needs only 32-bit integer arithmetic.
 *
 * @example
 * const rng = createRng(42, 'arrivals');
 * const gapMs = rng.exponential(60_000 / 12); // 12 calls a minute
 */
export function createRng(seed: number, label = ''): Rng {
  let a = fnv1a(`${seed}:${label}:a`);
  let b = fnv1a(`${seed}:${label}:b`);
  let c = fnv1a(`${seed}:${label}:c`);
  let d = 1;
  const raw = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Discard the first draws: the state right after seeding is still correlated with the seed.
  for (let i = 0; i < 12; i++) raw();
  const rng: Rng = {
    next: raw,
    int: (min, max) => min + Math.floor(raw() * (max - min + 1)),
    uniform: (min, max) => min + raw() * (max - min),
    exponential: (mean) => -mean * Math.log(1 - raw()),
    chance: (p) => raw() < p,
    pick<T>(items: readonly T[]): T {
      const item = items[Math.floor(raw() * items.length)];
      if (item === undefined) throw new RangeError('pick() needs a non-empty list');
      return item;
    },
    digits(n) {
      let s = '';
      for (let i = 0; i < n; i++) s += String(Math.floor(raw() * 10));
      return s;
    },
  };
  return rng;
}
