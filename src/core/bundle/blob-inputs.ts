/** Browser (or Node ≥ 20) Blob/File → InputFile, for the worker shell. */
import type { InputFile } from './types';

export function inputFromBlob(blob: Blob, path: string, lastModified?: number): InputFile {
  return {
    path,
    size: blob.size,
    lastModified,
    stream: () => blob.stream(),
    slice: async (start, end) => new Uint8Array(await blob.slice(start, end).arrayBuffer()),
  };
}
