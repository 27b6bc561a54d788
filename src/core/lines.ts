/**
 * Bytes → lines, streaming. Chunks are decoded whole (TextDecoder on newline-terminated runs is
 * fast; its streaming mode is slow in Node), and byte offsets are tracked beside char offsets so
 * the raw text can be read back later by offset. Memory stays bounded: a line longer than
 * `maxLineBytes` is cut, its head decoded and the rest skipped up to the next newline.
 */
import { ZERO_FILL_RUN } from './bundle/binary';
import { joinBytes } from './bytes';

export interface LineSink {
  /**
   * `text` excludes the newline and a trailing CR; `offset`/`length` are in bytes and include neither.
   * A zero-filled block inside the line (see `zeroFilled`) is cut from `text`, not from the bytes.
   */
  line(text: string, offset: number, length: number): void;
}

export interface LineStats {
  lines: number;
  crlf: number;
  longLines: number;
  replacementChars: number;
  bytes: number;
  /** Lines whose text was cut after a zero-filled block (a crash's NULs before or inside them). */
  zeroFilled: number;
}

const NL = 10;
const CR = 13;
const REPLACEMENT = '\uFFFD';

export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  /** Bytes of the unfinished line at the end of the last chunk. */
  private carry: Uint8Array[] = [];
  private carryLen = 0;
  /** File offset of the first byte of the unfinished line. */
  private lineStart = 0;
  /** Inside an overlong line: its head was emitted, bytes are skipped until the newline. */
  private overlong: { offset: number; headText: string } | null = null;
  readonly stats: LineStats = { lines: 0, crlf: 0, longLines: 0, replacementChars: 0, bytes: 0, zeroFilled: 0 };

  constructor(
    private readonly sink: LineSink,
    private readonly maxLineBytes = 1 << 20,
  ) {}

  push(chunk: Uint8Array): void {
    const chunkOffset = this.stats.bytes;
    this.stats.bytes += chunk.length;
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(NL, pos);
      if (this.overlong) {
        if (nl < 0) return;
        this.finishOverlong(chunkOffset + nl);
        pos = nl + 1;
        continue;
      }
      if (this.carryLen > 0) {
        if (nl < 0) {
          this.addCarry(chunk.subarray(pos));
          return;
        }
        this.addCarry(chunk.subarray(pos, nl));
        if (this.overlong) {
          this.finishOverlong(chunkOffset + nl);
        } else {
          this.emitCarry(chunkOffset + nl);
        }
        pos = nl + 1;
        continue;
      }
      const last = chunk.lastIndexOf(NL);
      if (last < pos) {
        this.lineStart = chunkOffset + pos;
        this.addCarry(chunk.subarray(pos));
        return;
      }
      this.emitRun(chunk.subarray(pos, last + 1), chunkOffset + pos);
      pos = last + 1;
      this.lineStart = chunkOffset + pos;
    }
  }

  /** Flushes a last line that had no newline. */
  end(): void {
    if (this.overlong) {
      this.finishOverlong(this.stats.bytes);
    } else if (this.carryLen > 0) {
      this.emitCarry(this.stats.bytes);
    }
  }

  private addCarry(part: Uint8Array): void {
    if (part.length === 0) return;
    // Copy: the caller may reuse the chunk's buffer.
    this.carry.push(part.slice());
    this.carryLen += part.length;
    if (this.carryLen > this.maxLineBytes) {
      const head = joinBytes(this.carry, this.carryLen).subarray(0, this.maxLineBytes);
      this.overlong = { offset: this.lineStart, headText: this.decode(head) };
      this.carry = [];
      this.carryLen = 0;
    }
  }

  private emitCarry(endOffset: number): void {
    const bytes = joinBytes(this.carry, this.carryLen);
    this.carry = [];
    this.carryLen = 0;
    let len = bytes.length;
    if (len > 0 && bytes[len - 1] === CR) {
      len--;
      this.stats.crlf++;
    }
    this.stats.lines++;
    this.sink.line(this.afterZeroFill(this.decode(bytes.subarray(0, len))), this.lineStart, Math.min(len, endOffset - this.lineStart));
    this.lineStart = endOffset + 1;
  }

  private finishOverlong(nlOffset: number): void {
    const o = this.overlong!;
    this.overlong = null;
    this.stats.lines++;
    this.stats.longLines++;
    this.sink.line(this.afterZeroFill(o.headText), o.offset, nlOffset - o.offset);
    this.lineStart = nlOffset + 1;
  }

  /** Emits every line of a run of bytes that ends with a newline. */
  private emitRun(run: Uint8Array, runOffset: number): void {
    const text = this.decode(run);
    const sink = this.sink;
    // Equal lengths mean one char per byte, so char offsets are byte offsets.
    const oneToOne = text.length === run.length;
    // One native scan per run keeps the per-line NUL check off the common path.
    const hasNul = run.indexOf(0) >= 0;
    let c = 0;
    let b = 0;
    let lines = 0;
    while (c < text.length) {
      const ce = text.indexOf('\n', c);
      if (ce < 0) break;
      const be = oneToOne ? ce : run.indexOf(NL, b);
      let te = ce;
      let bl = be - b;
      if (te > c && text.charCodeAt(te - 1) === CR) {
        te--;
        bl--;
        this.stats.crlf++;
      }
      const line = text.substring(c, te);
      sink.line(hasNul ? this.afterZeroFill(line) : line, runOffset + b, bl);
      lines++;
      c = ce + 1;
      b = be + 1;
    }
    this.stats.lines += lines;
  }

  /**
   * The text after a line's last zero-filled block: a crash leaves NULs where the file's tail was,
   * and the next boot's first record follows them, often on the same "line" as a cut one.
   */
  private afterZeroFill(line: string): string {
    // The binary check's rule: a run of ZERO_FILL_RUN NULs, wherever it is (a collector's prefix
    // before it must change nothing); a stray NUL is line content.
    const last = line.lastIndexOf('\0');
    if (last < 0) return line;
    let first = last;
    while (first > 0 && line.charCodeAt(first - 1) === 0) first--;
    if (last - first + 1 < ZERO_FILL_RUN) return line;
    this.stats.zeroFilled++;
    return line.substring(last + 1);
  }

  private decode(bytes: Uint8Array): string {
    const text = this.decoder.decode(bytes);
    if (text.indexOf(REPLACEMENT) >= 0) this.stats.replacementChars += countChar(text, REPLACEMENT);
    return text;
  }
}

function countChar(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) n++;
  return n;
}
