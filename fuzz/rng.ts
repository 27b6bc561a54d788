/** A small seeded PRNG (mulberry32): a fuzz case is reproducible from its seed alone. */
export type Rng = () => number;

/** The same mulberry32 the format tests use for their generated variants. */
export { rng as rngFrom } from '../src/core/formats/test-helpers';

/** An integer in [0, n). */
export function below(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

export function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[below(rng, list.length)]!;
}
