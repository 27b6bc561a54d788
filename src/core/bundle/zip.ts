/**
 * Streaming zip reading with fflate's `Unzip`: it parses local headers in order, so members
 * come out as the bytes arrive and a truncated zip still yields its complete members (the
 * central directory at the end is never needed). fflate is push-based and synchronous; input
 * is pushed in small pieces so one push never inflates more than ~PIECE × 1032 bytes.
 */
import { Unzip, UnzipInflate, type UnzipDecoder, type UnzipDecoderConstructor, type UnzipFile } from 'fflate';
import type { InputContext } from './context';
import type { ArchiveMember } from './tar';
import { ByteSource } from './source';

const PIECE = 32 * 1024;
const TAIL = 4096;

type ZipEvent =
  | { kind: 'file'; file: UnzipFile; unsupported: boolean }
  | { kind: 'data'; data: Uint8Array; final: boolean }
  | { kind: 'error'; error: Error };

/** A decoder that drops the data of members whose compression fflate cannot expand (bzip2, LZMA, ...). */
function discardDecoder(method: number): UnzipDecoderConstructor {
  return class implements UnzipDecoder {
    static compression = method;
    ondata: UnzipDecoder['ondata'] = () => {};
    push(_chunk: Uint8Array, final: boolean): void {
      if (final) this.ondata(null, new Uint8Array(0), true);
    }
  };
}

export async function* zipMembers(src: ByteSource, label: string, ctx: InputContext): AsyncGenerator<ArchiveMember> {
  const queue: ZipEvent[] = [];
  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  unzip.onfile = (file) => {
    const unsupported = file.compression !== 0 && file.compression !== 8;
    if (unsupported) unzip.register(discardDecoder(file.compression));
    queue.push({ kind: 'file', file, unsupported });
    file.ondata = (error, data, final) => {
      queue.push(error ? { kind: 'error', error } : { kind: 'data', data, final });
    };
    try {
      file.start(); // always start: fflate buffers the data of members that are not started
    } catch (error) {
      queue.push({ kind: 'error', error: error instanceof Error ? error : new Error(String(error)) });
    }
  };

  let inputDone = false;
  let fatal: string | null = null; // fflate rejected the bytes (not just an early end)
  let reported = false;
  let tail: Uint8Array = new Uint8Array(0);
  const nextEvent = async (): Promise<ZipEvent | null> => {
    while (queue.length === 0) {
      if (inputDone || ctx.stopped) return null;
      const piece = await src.read(PIECE);
      try {
        if (piece) {
          tail = keepTail(tail, piece);
          unzip.push(piece, false);
        } else {
          inputDone = true;
          unzip.push(new Uint8Array(0), true);
        }
      } catch (error) {
        inputDone = true; // on the final push this only means the archive ended inside a member
        if (piece) fatal = error instanceof Error ? error.message : String(error);
      }
    }
    return queue.shift() ?? null;
  };

  let event = await nextEvent();
  while (event) {
    if (event.kind !== 'file') {
      event = await nextEvent(); // data of a member the walk did not read
      continue;
    }
    const { file, unsupported } = event;
    if (unsupported) ctx.report(label, `${file.name} in ${label} uses zip compression method ${file.compression} (not supported): skipped`);
    let done = false;
    let kept = 0;
    let following: ZipEvent | null = null;
    const member = new ByteSource(async () => {
      while (!done) {
        const e = await nextEvent();
        if (!e || e.kind === 'file') {
          following = e;
          done = true;
          if (!src.failed && !ctx.stopped) {
            const what = fatal ? `corrupt zip archive ${label} (${fatal})` : `truncated zip archive ${label}`;
            ctx.report(label, `${what}: kept the first ${kept} bytes of ${file.name}`);
            reported = true;
          }
          return null;
        }
        if (e.kind === 'error') {
          done = true;
          ctx.report(label, `corrupt zip member ${file.name} in ${label} (${e.error.message}): kept the first ${kept} bytes`);
          reported = true;
          return null;
        }
        if (e.final) done = true;
        if (e.data.length === 0) continue;
        if (!ctx.addExpanded(e.data.length)) {
          done = true;
          return null;
        }
        kept += e.data.length;
        return e.data;
      }
      return null;
    });
    if (!unsupported && !file.name.endsWith('/')) {
      yield { name: file.name, size: file.size ?? null, expandedSize: file.originalSize ?? null, src: member };
    }
    while (!done) await member.read(); // drain what the caller left
    event = following ?? (await nextEvent());
  }
  if (ctx.stopped || src.failed || reported) return;
  if (fatal) ctx.report(label, `corrupt zip archive ${label} (${fatal}); stopped reading it`);
  else if (!hasEndOfCentralDirectory(tail)) ctx.report(label, `zip archive ${label} has no central directory at its end (truncated?)`);
}

function keepTail(tail: Uint8Array, piece: Uint8Array): Uint8Array {
  if (piece.length >= TAIL) return piece.slice(piece.length - TAIL);
  const joined = new Uint8Array(Math.min(TAIL, tail.length + piece.length));
  const fromTail = joined.length - piece.length;
  joined.set(tail.subarray(tail.length - fromTail));
  joined.set(piece, fromTail);
  return joined;
}

/** "PK\x05\x06" in the last bytes read (the end record sits within the final 22 + comment bytes). */
function hasEndOfCentralDirectory(tail: Uint8Array): boolean {
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail[i] === 0x50 && tail[i + 1] === 0x4b && tail[i + 2] === 0x05 && tail[i + 3] === 0x06) return true;
  }
  return false;
}
