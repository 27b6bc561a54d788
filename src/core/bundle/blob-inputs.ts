/** Browser (or Node ≥ 20) Blob/File → InputFile, for the worker shell. */
import type { InputFile } from './types';

/**
 * Read size of a blob's stream. Blob.stream() hands out 64 KiB chunks, and every chunk pays for
 * each stage's await (expansion, digest, raw write, split). Each slice read also costs the browser
 * a round of work across its processes: 16 MiB slices took ~13% less CPU than 4 MiB ones over a
 * 1 GB ingest (docs/PERFORMANCE.md). A multiple of the digest's piece size, so pieces are hashed
 * without a copy.
 */
export const BLOB_READ_BYTES = 16 * 1024 * 1024;

export function inputFromBlob(blob: Blob, path: string, lastModified?: number): InputFile {
  return {
    path,
    size: blob.size,
    lastModified,
    stream: () => blobSliceStream(blob),
    slice: async (start, end) => new Uint8Array(await blob.slice(start, end).arrayBuffer()),
  };
}

/** Slices read ahead of the one in use. */
const READ_AHEAD = 2;

/** The blob's bytes in BLOB_READ_BYTES slices, READ_AHEAD of them read ahead while the last is used. */
export function blobSliceStream(blob: Blob, readBytes = BLOB_READ_BYTES): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (at >= blob.size) {
        controller.close();
        return;
      }
      const end = Math.min(blob.size, at + readBytes);
      const bytes = new Uint8Array(await blob.slice(at, end).arrayBuffer());
      at = end;
      controller.enqueue(bytes);
    },
  }, { highWaterMark: READ_AHEAD });
}
