// Line-index blocks decoded once and shared by the timeline (small sources' blocks), the window
// query and the log view, so a view reading the blocks the last one read answers from memory.
// Blocks are only written by ingest jobs (in workers): the page clears the cache when a job ends.

import { db, type StoredBlock } from './db';

/**
 * Lines kept decoded: 48 full blocks (~1.4 MB each), a bounded share of the page's heap. Counted
 * in lines, not blocks: 10,000 one-line pod logs are 10,000 tiny blocks, and a cap of 48 blocks
 * sent every query back to IndexedDB for each of them.
 */
const MAX_LINES = 48 * 65_536;
const cache = new Map<string, StoredBlock>();
let cachedLines = 0;

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
      if (b && !cache.has(keyOf(b.sourceId, b.block))) {
        cache.set(keyOf(b.sourceId, b.block), b);
        cachedLines += b.count;
      }
    });
    while (cachedLines > MAX_LINES && cache.size > 1) {
      const [oldest, b] = cache.entries().next().value!;
      cache.delete(oldest);
      cachedLines -= b.count;
    }
  }
  return out;
}

export function clearBlockCache(): void {
  cache.clear();
  cachedLines = 0;
}
