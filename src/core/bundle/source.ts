/**
 * A pull-based byte source with push-back. Every layer of the walk (the raw input, a gunzip
 * stream, a tar or zip member) is one of these, so a layer reads exactly what it needs from
 * the layer below and nothing is read ahead beyond one chunk.
 */
export type PullFn = () => Promise<Uint8Array | null>;

export class ByteSource {
  private back: Uint8Array[] = [];
  private ended = false;
  /** Set by a layer that ended early because of an error it already reported (truncation, bomb). */
  failed = false;

  constructor(
    private readonly pullFn: PullFn,
    private readonly cancelFn: (reason?: unknown) => Promise<void> | void = () => {},
  ) {}

  /** The next chunk (at most `max` bytes), or null at the end. Chunks may be views into shared buffers. */
  async read(max = Number.POSITIVE_INFINITY): Promise<Uint8Array | null> {
    let chunk = this.back.pop();
    while (!chunk) {
      if (this.ended) return null;
      const next = await this.pullFn();
      if (next === null) {
        this.ended = true;
        return null;
      }
      if (next.length > 0) chunk = next;
    }
    if (chunk.length > max) {
      this.back.push(chunk.subarray(max));
      chunk = chunk.subarray(0, max);
    }
    return chunk;
  }

  /** Puts bytes back; they are returned by the next read() (last unread, first read). */
  unread(chunk: Uint8Array): void {
    if (chunk.length > 0) this.back.push(chunk);
  }

  async cancel(reason?: unknown): Promise<void> {
    this.back = [];
    if (this.ended) return;
    this.ended = true;
    await this.cancelFn(reason);
  }
}

/** Reads up to `n` bytes (fewer only at the end of the source). Copies only when chunks must be joined. */
export async function readExact(src: ByteSource, n: number): Promise<Uint8Array> {
  const first = await src.read(n);
  if (!first) return new Uint8Array(0);
  if (first.length === n) return first;
  const out = new Uint8Array(n);
  out.set(first);
  let filled = first.length;
  while (filled < n) {
    const chunk = await src.read(n - filled);
    if (!chunk) return out.subarray(0, filled);
    out.set(chunk, filled);
    filled += chunk.length;
  }
  return out;
}

/** Discards up to `n` bytes; returns how many were actually skipped. */
export async function skip(src: ByteSource, n: number): Promise<number> {
  let left = n;
  while (left > 0) {
    const chunk = await src.read(left);
    if (!chunk) break;
    left -= chunk.length;
  }
  return n - left;
}

/** Looks at the first `n` bytes without consuming them (a copy; shorter at the end of the source). */
export async function peek(src: ByteSource, n: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (total < n) {
    const chunk = await src.read();
    if (!chunk) break;
    chunks.push(chunk);
    total += chunk.length;
  }
  for (let i = chunks.length - 1; i >= 0; i--) src.unread(chunks[i] as Uint8Array);
  const head = new Uint8Array(Math.min(n, total));
  let at = 0;
  for (const chunk of chunks) {
    if (at >= head.length) break;
    const part = chunk.subarray(0, head.length - at);
    head.set(part, at);
    at += part.length;
  }
  return head;
}

/** The chunk itself if it owns its whole ArrayBuffer (safe to transfer to another thread), else a copy. */
export function ownedChunk(chunk: Uint8Array): Uint8Array {
  if (chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && chunk.buffer instanceof ArrayBuffer) {
    return chunk;
  }
  return chunk.slice();
}
