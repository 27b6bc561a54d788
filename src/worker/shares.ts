import type { JobInput } from './protocol';

/** Archives worth a share per worker so their members parse in parallel (a plain .gz holds one file). */
const SHARED_ARCHIVE = /\.(tar|tgz|tar\.gz|zip)$/i;
const SHARED_ARCHIVE_BYTES = 8 << 20;

/** How many shares to split the batch into: a batch of one big multi-member archive goes to every worker. */
export function sharesFor(batch: JobInput[], workers: number): number {
  if (workers < 2 || batch.length !== 1) return 1;
  const only = batch[0]!;
  return only.kind === 'file' && SHARED_ARCHIVE.test(only.path) && only.file.size >= SHARED_ARCHIVE_BYTES ? workers : 1;
}

/**
 * Deals items (an archive's members, a bundle's files to search) to the shares of a job, the same
 * way in every worker: each item goes to the share with the fewest bytes so far (lowest index on a
 * tie). Every share sees the same items in the same order with the same sizes, so they agree
 * without talking.
 */
export class ByteShares {
  private readonly loads: number[];

  constructor(private readonly share: { index: number; of: number }) {
    this.loads = new Array<number>(share.of).fill(0);
  }

  /** Whether this share takes the next item (of `bytes`, or unknown size). */
  takes(bytes: number | null): boolean {
    let least = 0;
    for (let i = 1; i < this.loads.length; i++) if (this.loads[i]! < this.loads[least]!) least = i;
    this.loads[least]! += Math.max(1, bytes ?? 1 << 20);
    return least === this.share.index;
  }
}
