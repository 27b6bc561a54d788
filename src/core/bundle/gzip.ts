import type { InputContext } from './context';
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
  const out: ByteSource = new ByteSource(
    async () => {
      if (ctx.stopped) return stop();
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        ctx.throwIfAborted();
        ctx.report(label, describeGzipError(error, produced, label));
        return stop();
      }
      if (result.done) return null;
      produced += result.value.length;
      if (!ctx.addExpanded(result.value.length)) return stop();
      return result.value;
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
