/** fast-check arbitraries over the seeds: a seed with a replayable series of mutations. */
import fc from 'fast-check';
import type { Seed } from './corpus';
import { mutateBytes, mutateJson } from './mutate';
import { rngFrom } from './rng';

/** A seed mutated by 1..6 edits; `others` are spliced from. Shrinks towards the unmutated seed's index 0. */
export function mutatedSeed(seeds: readonly Seed[], maxBytes = 256 * 1024, others: readonly Uint8Array[] = seeds.map((s) => s.bytes)): fc.Arbitrary<Seed> {
  return fc.tuple(fc.nat({ max: seeds.length - 1 }), fc.integer()).map(([k, rngSeed]) => {
    const seed = seeds[k]!;
    return { name: seed.name, bytes: mutateBytes(seed.bytes, rngFrom(rngSeed), { others, maxBytes }) };
  });
}

/** A JSON value mutated structurally from one of `values`. */
export function mutatedJson(values: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc.tuple(fc.nat({ max: values.length - 1 }), fc.integer()).map(([k, rngSeed]) => mutateJson(values[k], rngFrom(rngSeed)));
}

/** A small, fast share of `npm test`: few runs, no end-of-run shrinking marathons. */
export function quick(numRuns: number): fc.Parameters<unknown> {
  return { numRuns, interruptAfterTimeLimit: 20_000, markInterruptAsFailure: false };
}
