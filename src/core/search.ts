/**
 * Text search over raw log bytes, line by line: which lines of a file match a literal or a regex.
 * The answer is the byte offset of each matching line's start, the key the line index uses, so a
 * match maps to its source, time and level without decoding anything twice.
 */

export interface SearchQuery {
  text: string;
  regex: boolean;
  caseSensitive: boolean;
}

/** One search hit: a line of a source (µs UTC after alignment, byte offset in its file, byte length). */
export interface SearchMatch {
  sourceId: string;
  ts: number;
  offset: number;
  length: number;
}

export interface SearchResult {
  /** Matching lines in time order (lines without a time last), capped (see `total` for the full count). */
  matches: SearchMatch[];
  total: number;
  /** A regex that does not compile, etc. */
  error: string | null;
  elapsedMs: number;
}

/**
 * A compiled query. Literals without a newline are searched on the bytes (no decoding): the rarest
 * byte of the needle is found with the native indexOf, then the rest is compared in place.
 */
export type Matcher =
  | { kind: 'bytes'; needle: Uint8Array; caseSensitive: boolean; anchor: number }
  | { kind: 'regex'; re: RegExp };

const NL = 10;

export function compileQuery(q: SearchQuery): { matcher: Matcher } | { error: string } {
  if (!q.text) return { error: 'empty search' };
  if (!q.regex && !/[\r\n]/.test(q.text)) {
    const needle = new TextEncoder().encode(q.text);
    const anchor = rarestByte(needle);
    // Measured on 100 MB of logs: the byte path wins when the needle holds a rare byte; with only
    // common bytes the regex engine's skip search (after decoding) is as fast or faster. Case
    // folding on bytes is ASCII-only.
    if (frequency(needle[anchor]!) <= RARE && (q.caseSensitive || needle.every((b) => b < 0x80))) {
      return { matcher: { kind: 'bytes', needle, caseSensitive: q.caseSensitive, anchor } };
    }
  }
  const source = q.regex ? q.text : q.text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  try {
    return { matcher: { kind: 'regex', re: new RegExp(source, q.caseSensitive ? 'gm' : 'gim') } };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

// How common a byte is in log text (higher = more common, 0 = not listed, rare): searching for the
// rarest one first makes the native indexOf skip most of the buffer.
const COMMON = ' e0t1a2:or3i.n5s4-6l97c8d/=_uhmpg"kbfy,wv[]xjqz';
const RARE = 8;
function frequency(b: number): number {
  const lower = b >= 0x41 && b <= 0x5a ? b + 32 : b;
  const i = COMMON.indexOf(String.fromCharCode(lower));
  return i < 0 ? 0 : COMMON.length - i;
}

function rarestByte(needle: Uint8Array): number {
  let best = 0;
  for (let i = 1; i < needle.length; i++) if (frequency(needle[i]!) < frequency(needle[best]!)) best = i;
  return best;
}

function fold(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b + 32 : b;
}

/** Start index of the first occurrence of the needle at or after `from`, or -1. */
function findBytes(buf: Uint8Array, m: Extract<Matcher, { kind: 'bytes' }>, from: number): number {
  const { needle, anchor } = m;
  const n = needle.length;
  const a = needle[anchor]!;
  // Without case the anchor byte has two forms: follow the nearer of both.
  const isLetter = !m.caseSensitive && ((a | 0x20) >= 0x61 && (a | 0x20) <= 0x7a);
  const lower = isLetter ? a | 0x20 : a;
  const upper = isLetter ? a & ~0x20 : -1;
  let nextLower = buf.indexOf(lower, from + anchor);
  let nextUpper = upper >= 0 ? buf.indexOf(upper, from + anchor) : -1;
  for (;;) {
    let p: number;
    if (nextLower < 0 && nextUpper < 0) return -1;
    if (nextUpper < 0 || (nextLower >= 0 && nextLower < nextUpper)) {
      p = nextLower;
      nextLower = buf.indexOf(lower, p + 1);
    } else {
      p = nextUpper;
      nextUpper = buf.indexOf(upper, p + 1);
    }
    const start = p - anchor;
    if (start + n > buf.length) return -1;
    let ok = true;
    if (m.caseSensitive) {
      for (let i = 0; i < n; i++) if (buf[start + i] !== needle[i]) { ok = false; break; }
    } else {
      for (let i = 0; i < n; i++) if (fold(buf[start + i]!) !== fold(needle[i]!)) { ok = false; break; }
    }
    if (ok) return start;
  }
}

/**
 * Streams a file's bytes and reports the start offset of every matching line, once per line, in
 * order. Chunks may split lines (and UTF-8 characters) anywhere: the unfinished last line is carried
 * to the next chunk, so a match across a chunk boundary is found like any other.
 */
export class LineScanner {
  private carry: Uint8Array = new Uint8Array(0);
  /** File offset of the first byte of `carry`. */
  private carryAt = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(
    private readonly matcher: Matcher,
    private readonly onLine: (offset: number) => void,
    /** A line longer than this is searched in pieces (matches spanning a piece boundary are missed). */
    private readonly maxCarry = 8 << 20,
  ) {}

  push(chunk: Uint8Array): void {
    const last = chunk.lastIndexOf(NL);
    if (last < 0) {
      // Callers may reuse the chunk's buffer: the carry is always a copy.
      this.carry = this.carry.length ? concat(this.carry, chunk) : chunk.slice();
      if (this.carry.length > this.maxCarry) this.flushCarry();
      return;
    }
    const whole = concat(this.carry, chunk.subarray(0, last + 1));
    this.scan(whole, this.carryAt);
    this.carryAt += whole.length;
    this.carry = chunk.slice(last + 1);
  }

  end(): void {
    if (this.carry.length) this.scan(this.carry, this.carryAt);
    this.carryAt += this.carry.length;
    this.carry = new Uint8Array(0);
  }

  /** Searches an overlong line's piece; its matches belong to the line's start. */
  private flushCarry(): void {
    const start = this.lineStartOfCarry ?? this.carryAt;
    this.scan(this.carry, this.carryAt, start);
    this.lineStartOfCarry = start;
    this.carryAt += this.carry.length;
    this.carry = new Uint8Array(0);
  }
  private lineStartOfCarry: number | null = null;
  private lastEmitted = -1;

  private emit(offset: number): void {
    if (offset === this.lastEmitted) return;
    this.lastEmitted = offset;
    this.onLine(offset);
  }

  /** `buf` holds whole lines from file offset `base` (its first line may have begun at `firstLineStart`). */
  private scan(buf: Uint8Array, base: number, firstLineStart?: number): void {
    const first = firstLineStart ?? this.lineStartOfCarry ?? base;
    this.lineStartOfCarry = null;
    if (this.matcher.kind === 'bytes') this.scanBytes(buf, base, first, this.matcher);
    else this.scanText(buf, base, first, this.matcher.re);
  }

  private scanBytes(buf: Uint8Array, base: number, first: number, m: Extract<Matcher, { kind: 'bytes' }>): void {
    let pos = 0;
    while (pos < buf.length) {
      const hit = findBytes(buf, m, pos);
      if (hit < 0) return;
      const nlBefore = hit === 0 ? -1 : buf.lastIndexOf(NL, hit - 1);
      this.emit(nlBefore < 0 ? first : base + nlBefore + 1);
      const nlAfter = buf.indexOf(NL, hit + m.needle.length);
      if (nlAfter < 0) return;
      pos = nlAfter + 1;
    }
  }

  /**
   * Decodes and runs the regex with `m` (^ and $ at line ends). A char index maps to its line by
   * counting newlines: a newline byte is never part of a multibyte or invalid sequence, so the k-th
   * newline of the text is the k-th newline of the bytes whatever the encoding damage.
   */
  private scanText(buf: Uint8Array, base: number, first: number, re: RegExp): void {
    let text = this.decoder.decode(buf);
    // `$` must match before a CRLF's CR; dropping the CR of each CRLF keeps the newline count.
    if (text.includes('\r')) text = text.replaceAll('\r\n', '\n');
    re.lastIndex = 0;
    let textLine = 0; // char index of the current line's start in `text`
    let byteLine = 0; // byte index of the same line's start in `buf`
    for (;;) {
      const m = re.exec(text);
      if (!m) return;
      for (;;) {
        const nl = text.indexOf('\n', textLine);
        if (nl < 0 || nl >= m.index) break;
        textLine = nl + 1;
        byteLine = buf.indexOf(NL, byteLine) + 1;
      }
      this.emit(byteLine === 0 ? first : base + byteLine);
      // One report per line: the next search starts on the next line (also ends empty matches).
      const nl = text.indexOf('\n', m.index);
      if (nl < 0) return;
      re.lastIndex = nl + 1;
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!a.length) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The line index of one source, as the search maps matches through it. */
export interface IndexedSource {
  sourceId: string;
  /** µs added to stored stamps to align them (NaN: cannot be placed). */
  shift: number;
  blocks: { count: number; ts: Float64Array; offset: Float64Array; length: Uint32Array; level: Uint8Array }[];
}

/**
 * Maps the matching line starts of one file (ascending) to its sources' lines: an equality join on
 * the byte offset, linear in the file's lines. `keepLevel` filters by the line's level byte
 * (continuation bit included). Lines without a time keep ts NaN.
 */
export function matchLines(offsets: ArrayLike<number>, sources: IndexedSource[], keepLevel: (level: number) => boolean, out: SearchMatch[]): void {
  for (const s of sources) {
    let k = 0;
    for (const b of s.blocks) {
      for (let i = 0; i < b.count && k < offsets.length; i++) {
        const off = b.offset[i]!;
        while (k < offsets.length && offsets[k]! < off) k++;
        if (offsets[k] === off && keepLevel(b.level[i]!)) {
          out.push({ sourceId: s.sourceId, ts: b.ts[i]! + s.shift, offset: off, length: b.length[i]! });
        }
      }
    }
  }
}

/** The log view's order: time, then source, then position; lines without a time last. */
export function compareLines(a: { ts: number; sourceId: string; offset: number }, b: { ts: number; sourceId: string; offset: number }): number {
  const an = a.ts !== a.ts;
  const bn = b.ts !== b.ts;
  if (an || bn) return an === bn ? (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : a.offset - b.offset) : an ? 1 : -1;
  return a.ts - b.ts || (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : a.offset - b.offset);
}

/** Every match range of a query in one decoded line, for highlighting: [start, end) char pairs. */
export function matchRanges(text: string, matcher: Matcher, max = 50): [number, number][] {
  const out: [number, number][] = [];
  if (matcher.kind === 'regex') {
    const re = new RegExp(matcher.re.source, matcher.re.flags);
    for (let m = re.exec(text); m && out.length < max; m = re.exec(text)) {
      if (m[0].length === 0) { re.lastIndex++; continue; }
      out.push([m.index, m.index + m[0].length]);
    }
    return out;
  }
  const needle = new TextDecoder().decode(matcher.needle);
  const hay = matcher.caseSensitive ? text : asciiLower(text);
  const want = matcher.caseSensitive ? needle : asciiLower(needle);
  for (let i = hay.indexOf(want); i >= 0 && out.length < max; i = hay.indexOf(want, i + want.length)) out.push([i, i + want.length]);
  return out;
}

function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}
