// Line-index blocks decoded once and shared by the timeline, the window query and the log view: the
// timeline reads every block to draw its first frame, so the queries after it are answered from memory.
// Blocks are only written by ingest jobs (in workers): the page clears the cache when a job ends.

import { db, type StoredBlock } from './db';

/** ~1.4 MB per full block (65,536 lines): a bounded share of the page's heap. */
const MAX_BLOCKS = 48;
const cache = new Map<string, StoredBlock>();

const keyOf = (sourceId: string, block: number) => `${sourceId}#${block}`;

export async function getBlocks(keys: [string, number][]): Promise<(StoredBlock | undefined)[]> {
  const out: (StoredBlock | undefined)[] = new Array(keys.length);
  const missing: number[] = [];
  keys.forEach(([s, b], i) => {
    const k = keyOf(s, b);
    const hit = cache.get(k);
    if (hit) {
      // Most recently used last.
      cache.delete(k);
      cache.set(k, hit);
      out[i] = hit;
    } else missing.push(i);
  });
  if (missing.length) {
    const read = await db().blocks.bulkGet(missing.map((i) => keys[i]!));
    read.forEach((b, j) => {
      const i = missing[j]!;
      out[i] = b;
      if (b) cache.set(keyOf(b.sourceId, b.block), b);
    });
    while (cache.size > MAX_BLOCKS) cache.delete(cache.keys().next().value!);
  }
  return out;
}

export function clearBlockCache(): void {
  cache.clear();
}
