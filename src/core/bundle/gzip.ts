import type { InputContext } from './context';
import { joinBytes } from '../bytes';
import { ByteSource } from './source';

/**
 * Compressed bytes handed to the inflater at a time. It inflates each piece whole, up to ~1032×
 * (a bomb of zeros): a 4 MiB read given at once would expand to 4 GB before the size cap is
 * checked between pieces.
 */
const INFLATE_PIECE = 16 * 1024;

/**
 * Gunzips `src` with the platform's DecompressionStream (native in Chromium and Node 20).
 * Decompressed bytes count against the input's budget. A damaged stream ends the source
 * (marked `failed`) after reporting what happened; the bytes produced so far stay readable.
 */
export function gunzipSource(ctx: InputContext, src: ByteSource, label: string): ByteSource {
  const input = new ReadableStream<Uint8Array<ArrayBuffer>>(
    {
      async pull(controller) {
        ctx.detached++;
        try {
          const chunk = await src.read(INFLATE_PIECE);
          if (chunk) controller.enqueue(chunk as Uint8Array<ArrayBuffer>);
          else controller.close();
        } finally {
          ctx.detached--;
        }
      },
      cancel: (reason) => src.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  const reader = input.pipeThrough(new DecompressionStream('gzip')).getReader();
  let produced = 0;
  // What the next read must face first: a piece held back (it would break the budget) or a
  // stream error, met while joining the last batch. Both surface when the reader gets there, as
  // without batching, so their messages attach to the entry being read at that point.
  let heldPiece: Uint8Array | null = null;
  let heldError: unknown = null;
  let ended = false;
  const pull = async (): Promise<Uint8Array | 'end' | 'error'> => {
    if (heldPiece) {
      const piece = heldPiece;
      heldPiece = null;
      return piece;
    }
    if (heldError !== null) return 'error';
    try {
      const result = await reader.read();
      return result.done ? 'end' : result.value;
    } catch (error) {
      heldError = error;
      return 'error';
    }
  };
  const out: ByteSource = new ByteSource(
    async () => {
      if (ended) return null;
      if (ctx.stopped) return stop();
      // The inflater hands out small pieces (16 KiB in Chromium): joined into ~1 MiB batches, the
      // layers above (tar, digest, raw writes, line splitting) pay their per-chunk costs 64× less.
      const parts: Uint8Array[] = [];
      let size = 0;
      while (size < OUTPUT_BATCH) {
        const next = await pull();
        if (next === 'end') {
          ended = true;
          break;
        }
        if (next === 'error') {
          if (size > 0) break;
          ctx.throwIfAborted();
          ctx.report(label, describeGzipError(heldError, produced, label));
          return stop();
        }
        if (size > 0 && !ctx.fitsExpanded(next.length)) {
          heldPiece = next;
          break;
        }
        produced += next.length;
        // Checked piece by piece: a bomb stops within one inflater piece of the cap.
        if (!ctx.addExpanded(next.length)) return stop();
        parts.push(next);
        size += next.length;
      }
      return size === 0 ? null : joinBytes(parts, size);
    },
    async (reason) => {
      await reader.cancel(reason).catch(() => {});
    },
  );
  const stop = (): null => {
    if (ctx.stopped) ctx.attach(ctx.stopped); // the budget may have run out in a layer below the pipe
    out.failed = true;
    reader.cancel().catch(() => {});
    return null;
  };
  return out;
}

/** Decompressed bytes returned per read (pieces are joined up to this size). */
const OUTPUT_BATCH = 1 << 20;

/** Turns the platform's error (wording differs between Node's zlib and Chromium) into a message naming the file. */
export function describeGzipError(error: unknown, produced: number, label: string): string {
  const raw = error instanceof Error ? error.message : String(error);
  if (/unexpected end|truncat|end of (file|input|stream)/i.test(raw)) {
    return `truncated gzip stream: kept the first ${produced} bytes of ${label}`;
  }
  // Node reports bytes after the last member as a bad header; Chromium says "junk".
  if (/junk|trailing/i.test(raw) || (produced > 0 && /incorrect header check/i.test(raw))) {
    return `unexpected data after the gzip stream in ${label} was ignored (kept ${produced} bytes)`;
  }
  return `corrupt gzip stream in ${label} (${raw}): kept the first ${produced} bytes`;
}
