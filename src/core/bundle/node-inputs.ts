/**
 * Node only (CLI, tests, benchmarks): a file or folder on disk → InputFile[]. A folder keeps
 * its own name as the first path segment, like a folder dropped in the browser
 * ("node1/var/log/kubelet.log"). Symlinks and special files (FIFOs, sockets) are skipped.
 */
import { promises as fsp, type Stats } from 'node:fs';
import * as path from 'node:path';
import type { InputFile } from './types';

const CHUNK = 1024 * 1024;

export async function inputsFromPath(p: string): Promise<InputFile[]> {
  const stats = await fsp.stat(p);
  if (stats.isFile()) return [fileInput(p, path.basename(p), stats)];
  if (!stats.isDirectory()) throw new Error(`${p} is neither a file nor a folder`);
  const out: InputFile[] = [];
  await collect(p, path.basename(path.resolve(p)), out);
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}

async function collect(dir: string, rel: string, out: InputFile[]): Promise<void> {
  const dirents = await fsp.readdir(dir, { withFileTypes: true });
  for (const d of dirents) {
    const full = path.join(dir, d.name);
    const relPath = `${rel}/${d.name}`;
    if (d.isDirectory()) await collect(full, relPath, out);
    else if (d.isFile()) out.push(fileInput(full, relPath, await fsp.stat(full)));
  }
}

function fileInput(full: string, rel: string, stats: Stats): InputFile {
  return {
    path: rel,
    size: stats.size,
    lastModified: stats.mtimeMs,
    stream: () => fileStream(full, stats.size),
    slice: async (start, end) => {
      const handle = await fsp.open(full, 'r');
      try {
        const buffer = new Uint8Array(Math.max(0, end - start));
        let filled = 0;
        while (filled < buffer.length) {
          const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, start + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        return filled === buffer.length ? buffer : buffer.slice(0, filled);
      } finally {
        await handle.close();
      }
    },
  };
}

/** 1 MiB chunks, each in its own ArrayBuffer; the file is opened on the first read and closed at the end. */
function fileStream(full: string, size: number): ReadableStream<Uint8Array> {
  // Small files get a buffer of their own size (+1 to see the end), not a whole chunk.
  const chunk = Math.min(CHUNK, size + 1);
  let handle: fsp.FileHandle | null = null;
  const closeHandle = async (): Promise<void> => {
    const h = handle;
    handle = null;
    await h?.close();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        handle ??= await fsp.open(full, 'r');
        const buffer = new Uint8Array(chunk);
        const { bytesRead } = await handle.read(buffer, 0, chunk, null);
        if (bytesRead === 0) {
          await closeHandle();
          controller.close();
        } else {
          controller.enqueue(bytesRead === chunk ? buffer : buffer.slice(0, bytesRead));
        }
      } catch (error) {
        await closeHandle().catch(() => {});
        throw error;
      }
    },
    cancel: closeHandle,
  });
}
