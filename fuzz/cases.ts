/**
 * Fuzz cases as pure functions of (target, case seed), so a case that hangs the runner can be
 * rebuilt and saved from its seed alone, and a saved case replays exactly.
 */
import { archiveSeeds, patternSeeds, shareSeeds, textSeeds } from './corpus';
import { mutateBytes, mutateJson, oddJson } from './mutate';
import { below, pick, rngFrom } from './rng';
import { ingestTarget, patternTarget, shareTarget, walkTarget } from './targets';
import { formats } from '../src/core/formats/registry';

export const TARGETS = ['ingest', 'walk', 'share', 'pattern'] as const;
export type TargetName = (typeof TARGETS)[number];

/** A case in a form that can be written to disk and read back. */
export type FuzzCase =
  | { target: 'ingest'; name: string; bytes: Uint8Array; formatId?: string; chunk: number }
  | { target: 'walk'; name: string; bytes: Uint8Array; chunk: number }
  | { target: 'share'; token: string }
  | { target: 'pattern'; json: string };

const CHUNKS = [7, 512, 4096, 65536];
/** Tiny chunks test chunk boundaries; on big inputs they would only measure the stream machinery. */
const chunkFor = (rng: () => number, bytes: number): number => pick(rng, bytes < 64 * 1024 ? CHUNKS : CHUNKS.slice(2));

export async function makeCase(target: TargetName, caseSeed: number): Promise<FuzzCase> {
  const rng = rngFrom(caseSeed);
  switch (target) {
    case 'ingest': {
      const seeds = textSeeds();
      const seed = pick(rng, seeds);
      const bytes = rng() < 0.05
        ? Uint8Array.from({ length: below(rng, 8192) }, () => below(rng, 256))
        : mutateBytes(seed.bytes, rng, { others: seeds.map((s) => s.bytes), maxBytes: 1 << 20 });
      const formatId = rng() < 0.5 ? undefined : pick(rng, formats).id;
      return { target, name: seed.name, bytes, formatId, chunk: chunkFor(rng, bytes.length) };
    }
    case 'walk': {
      const seeds = archiveSeeds();
      const seed = pick(rng, seeds);
      const bytes = mutateBytes(seed.bytes, rng, { others: [...seeds, ...textSeeds().slice(0, 8)].map((s) => s.bytes), maxBytes: 1 << 20 });
      return { target, name: seed.name, bytes, chunk: chunkFor(rng, bytes.length) };
    }
    case 'share': {
      const token = pick(rng, await shareSeeds());
      const mutated = new TextDecoder().decode(mutateBytes(new TextEncoder().encode(token), rng, { maxBytes: 64 * 1024 }));
      return { target, token: mutated };
    }
    case 'pattern': {
      const value = rng() < 0.1 ? oddJson(rng) : mutateJson(pick(rng, patternSeeds()), rng);
      return { target, json: JSON.stringify(value) ?? 'null' };
    }
  }
}

export async function runCase(c: FuzzCase): Promise<void> {
  switch (c.target) {
    case 'ingest': return ingestTarget(c);
    case 'walk': return walkTarget(c);
    case 'share': return shareTarget(c.token);
    case 'pattern': return patternTarget(JSON.parse(c.json));
  }
}

/** Bytes the case hands to its target (for the iterations/s and MB/s figures). */
export function caseBytes(c: FuzzCase): number {
  return c.target === 'ingest' || c.target === 'walk' ? c.bytes.length : c.target === 'share' ? c.token.length : c.json.length;
}
