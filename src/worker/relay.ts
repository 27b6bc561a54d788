// One big archive, every core, one inflate: share 0 of the job expands the archive and deals its
// big members; a member dealt to another share is written to a raw file of its own (its stored
// bytes, as any member's are) and handed over by name, and that share parses it from the file.
// Before, every share inflated the whole archive and skipped the others' members: ~3.3 core-s per
// GB spent once per share (docs/PERFORMANCE.md).
import type { BundleEntry } from '../core/bundle/types';
import { BLOB_READ_BYTES, blobSliceStream } from '../core/bundle/blob-inputs';
import { openRawBlob, openRawReader, openRawWriter, type RawReader } from '../store/raw-store';

/** Members smaller than this stay with share 0 (10,000 tiny members must not make 10,000 files). */
export const RELAY_MIN_BYTES = 1 << 20;
/** Inflating a member costs share 0 about this much of parsing it; it inflates every member. */
const INFLATE_SHARE = 0.3;

export interface RelayedMember {
  kind: 'member';
  path: string;
  size: number;
  lastModified?: number;
  archive?: string;
  errors: string[];
  notes?: string[];
  rawKey: string;
  /** Bytes written to the raw file. */
  bytes: number;
}

export type RelayMessage = RelayedMember | { kind: 'end' };

/** Share 0's side: which share parses each member, and the hand-over of the others'. */
export class RelaySender {
  private readonly loads: number[];

  constructor(private readonly ports: MessagePort[]) {
    this.loads = new Array<number>(ports.length + 1).fill(0);
  }

  /** The share that parses a member of `bytes` (unknown: this one). */
  takerOf(bytes: number | null): number {
    const size = bytes ?? 0;
    this.loads[0]! += size * INFLATE_SHARE;
    let taker = 0;
    let least = this.loads[0]! + size;
    if (size >= RELAY_MIN_BYTES) {
      for (let i = 1; i < this.loads.length; i++) {
        if (this.loads[i]! + size <= least) {
          least = this.loads[i]! + size;
          taker = i;
        }
      }
    }
    this.loads[taker] = least;
    return taker;
  }

  /**
   * Writes the member's bytes to a raw file of its own and hands it to share `taker`; share 0's own
   * member is returned to it instead (to parse once the archive is expanded). `beforeWrite` may
   * throw (storage full); the member is then not handed over.
   */
  async hand(entry: BundleEntry, taker: number, bundleId: string, beforeWrite: (bytes: number) => void): Promise<RelayedMember> {
    const rawKey = `member-${crypto.randomUUID()}`;
    const writer = await openRawWriter(bundleId, rawKey);
    const reader = entry.stream.getReader();
    let bytes = 0;
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        beforeWrite(r.value.length);
        writer.write(r.value);
        bytes += r.value.length;
      }
    } catch (err) {
      await reader.cancel().catch(() => undefined);
      writer.abort();
      throw err;
    }
    writer.close();
    const member: RelayedMember = {
      kind: 'member', path: entry.path, size: entry.size ?? bytes, lastModified: entry.lastModified, archive: entry.archive,
      errors: entry.errors, notes: entry.notes, rawKey, bytes,
    };
    if (taker > 0) this.ports[taker - 1]!.postMessage(member);
    return member;
  }

  end(): void {
    for (const port of this.ports) {
      port.postMessage({ kind: 'end' } satisfies RelayMessage);
      port.close();
    }
  }
}

/** The other shares' side: members as share 0 hands them over, until it says it is done (or `stop()`). */
export async function* relayedMembers(port: MessagePort, stop: () => boolean): AsyncGenerator<RelayedMember> {
  const queue: RelayMessage[] = [];
  let wake: (() => void) | null = null;
  port.onmessage = (e: MessageEvent<RelayMessage>) => {
    queue.push(e.data);
    wake?.();
  };
  try {
    for (;;) {
      while (queue.length === 0) {
        if (stop()) return;
        // A cancelled ingest may never start share 0: look again now and then.
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 250);
        });
        wake = null;
      }
      const next = queue.shift()!;
      if (next.kind === 'end') return;
      yield next;
    }
  } finally {
    port.onmessage = null;
    port.close();
  }
}

/** A handed-over member as an entry to parse, its bytes read back from its raw file. */
export function relayedEntry(bundleId: string, m: RelayedMember): BundleEntry {
  return {
    path: m.path, size: m.size, lastModified: m.lastModified, archive: m.archive, errors: m.errors, notes: m.notes,
    stream: relayedStream(bundleId, m.rawKey),
  };
}

/**
 * A handed-over member's bytes, read from its raw file in the worker's own thread; through a Blob
 * where a sync access handle cannot be had (a browser without read-only handles).
 */
export function relayedStream(bundleId: string, rawKey: string): ReadableStream<Uint8Array> {
  let file: RawReader | null = null;
  let fallback: ReadableStreamDefaultReader<Uint8Array> | null = null;
  let at = 0;
  return new ReadableStream<Uint8Array>({
    async start() {
      try {
        file = await openRawReader(bundleId, rawKey);
      } catch {
        fallback = blobSliceStream(await openRawBlob(bundleId, rawKey)).getReader();
      }
    },
    async pull(controller) {
      if (fallback) {
        const r = await fallback.read();
        if (r.done) controller.close();
        else controller.enqueue(r.value);
        return;
      }
      const f = file!;
      if (at >= f.size) {
        f.close();
        controller.close();
        return;
      }
      const chunk = new Uint8Array(Math.min(BLOB_READ_BYTES, f.size - at));
      const n = f.read(chunk, at);
      if (n <= 0) throw new Error(`stored bytes of ${rawKey} ended early`);
      at += n;
      controller.enqueue(n === chunk.length ? chunk : chunk.subarray(0, n));
    },
    async cancel() {
      file?.close();
      await fallback?.cancel();
    },
  });
}
