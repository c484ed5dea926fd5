// Seeded randomness for tests that draw their data and filters at random: every run
// seeds and draws the same, so a failure is one that the next run shows again.

export interface SeededRandom {
  /** The next number in [0, 1). */
  random: () => number;
  /** One of the values (one draw). */
  pick: <T>(values: readonly T[]) => T;
  /** Each value with probability p, in order (one draw a value). */
  some: <T>(values: readonly T[], p: number) => T[];
}

/** A small seeded PRNG (mulberry32) and the draws the tests make of it. */
export function seededRandom(seed: number): SeededRandom {
  let a = seed;
  const random = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    random,
    pick: (values) => values[Math.floor(random() * values.length)],
    some: (values, p) => values.filter(() => random() < p),
  };
}
