/**
 * Deterministic randomness for synthetic data: the same seed gives the same sequence on every
 * machine and Node version (Math.random cannot be seeded), so a seeded data folder is reproducible.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by relative weight: `weighted([['a', 3], ['b', 1]])` yields 'a' three times as often. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T;
  /** A uniform unsigned 32-bit integer. */
  uint32(): number;
}

/** sfc32 (Chris Doty-Humphrey's small fast counting generator), seeded through splitmix32. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const splitmix = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const uint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) uint32();
  const next = () => uint32() / 4294967296;
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    uint32,
    int,
    between: (min, max) => min + int(max - min + 1),
    chance: (probability) => next() < probability,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(items.length)]!;
    },
    weighted: (choices) => {
      let total = 0;
      for (const [, weight] of choices) total += weight;
      let roll = next() * total;
      for (const [value, weight] of choices) {
        roll -= weight;
        if (roll < 0) return value;
      }
      return choices[choices.length - 1]![0];
    },
  };
}

const hex = (value: number, width: number) => value.toString(16).padStart(width, '0');

/**
 * UUIDv7-shaped ids from a Random and the row's own time. Like uuid's monotonic v7, a time that
 * does not move forward reuses the last one with a counter in rand_a, so ids come out strictly
 * increasing in generation order: rows go into their primary-key b-tree in order (fast bulk
 * inserts) and the ids still sort by creation as DESIGN.md section 4 expects.
 */
export function createIdSequence(random: Random): (ms: number) => string {
  let lastMs = -1;
  let counter = 0;
  return (ms) => {
    if (ms > lastMs) {
      lastMs = ms;
      counter = 0;
    } else if (++counter > 0xfff) {
      lastMs += 1;
      counter = 0;
    }
    const time = hex(lastMs, 12);
    const variant = (0x8000 | (random.uint32() & 0x3fff)) >>> 0;
    return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(counter, 3)}-${hex(variant, 4)}-${hex(random.uint32() & 0xffff, 4)}${hex(random.uint32(), 8)}`;
  };
}
