// Helpers for the property-based format tests (not imported by production code): driving whole
// files through the real pipeline entry, the line-accounting invariants every run must keep, and
// the corpora and mutations the generators start from.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { looksBinary } from '../bundle/binary';
import type { BundleEntry } from '../bundle/types';
import { ingestEntry, type EntryResult } from '../ingest';
import { CONTINUATION, LEVEL_MASK } from '../line-index';
import type { LineBlock } from '../model';
import { formats } from './registry';

const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** A bundle entry whose stream hands out `bytes` in chunks of `chunk` bytes (each chunk owns its buffer). */
export function entryOf(path: string, bytes: Uint8Array, chunk = 4096): BundleEntry {
  const size = Math.max(1, chunk);
  return {
    path, size: bytes.length, errors: [],
    stream: new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += size) c.enqueue(bytes.slice(i, i + size));
        c.close();
      },
    }),
  };
}

export interface IngestRun {
  result: EntryResult;
  blocks: LineBlock[];
}

export interface RunOptions {
  formatId?: string;
  chunk?: number;
  maxLineBytes?: number;
  year?: number;
  zoneOffsetMin?: number;
}

/** Runs `bytes` through ingestEntry with a sink that keeps the index blocks and drops the raw bytes. */
export async function ingestBytes(path: string, bytes: Uint8Array, opts: RunOptions = {}): Promise<IngestRun> {
  const blocks: LineBlock[] = [];
  const result = await ingestEntry(entryOf(path, bytes, opts.chunk), {
    fileId: 'p', formatId: opts.formatId, year: opts.year ?? 2024, zoneOffsetMin: opts.zoneOffsetMin, maxLineBytes: opts.maxLineBytes,
    sink: { raw: () => undefined, block: (b) => void blocks.push(b) },
  });
  return { result, blocks };
}

export interface Span {
  offset: number;
  length: number;
  /** The line ended with CR before its LF (or before the end of the input). */
  cr: boolean;
}

/** The lines of `bytes` as LineSplitter defines them: split at LF, a last line without LF counts, CR before LF not part of the line. */
export function lineSpans(bytes: Uint8Array): Span[] {
  const spans: Span[] = [];
  let start = 0;
  for (;;) {
    const nl = bytes.indexOf(10, start);
    const end = nl < 0 ? bytes.length : nl;
    if (nl < 0 && end === start) break;
    const cr = end > start && bytes[end - 1] === 13;
    spans.push({ offset: start, length: end - start - (cr ? 1 : 0), cr });
    if (nl < 0) break;
    start = nl + 1;
  }
  return spans;
}

/**
 * The invariants of one run: the run resolved; a text file has every line in the index exactly
 * once, at its own byte range, with a sane time and level; a file that was refused (empty,
 * binary) has no lines and says why.
 */
export function checkRun(bytes: Uint8Array, run: IngestRun, maxLineBytes = 1 << 20): void {
  const { result, blocks } = run;
  const where = `${result.format} on ${JSON.stringify(new TextDecoder().decode(bytes.subarray(0, 300)))}`;
  if (bytes.length === 0 || looksBinary(bytes.subarray(0, 8192))) {
    if (result.status !== 'skipped' || result.lines !== 0 || result.errors.length === 0) {
      throw new Error(`refused input must be skipped with a reason: ${result.status}, ${result.lines} lines, ${result.errors.join('; ')} (${where})`);
    }
    return;
  }
  if (result.status !== 'done') throw new Error(`status ${result.status}: ${result.errors.join('; ')} (${where})`);
  const spans = lineSpans(bytes);
  if (result.lines !== spans.length) throw new Error(`result.lines ${result.lines} != ${spans.length} input lines (${where})`);
  const sourceLines = result.sources.reduce((n, s) => n + s.lines, 0);
  if (sourceLines !== result.lines) throw new Error(`sources hold ${sourceLines} lines, the file ${result.lines} (${where})`);
  const seen: { offset: number; length: number; ts: number; level: number }[] = [];
  for (const b of blocks) {
    if (b.ts.length !== b.count || b.offset.length !== b.count || b.length.length !== b.count || b.level.length !== b.count) {
      throw new Error(`block ${b.sourceId}#${b.block} arrays disagree with its count ${b.count}`);
    }
    for (let k = 0; k < b.count; k++) seen.push({ offset: b.offset[k]!, length: b.length[k]!, ts: b.ts[k]!, level: b.level[k]! });
  }
  if (seen.length !== spans.length) throw new Error(`index holds ${seen.length} lines, the file ${spans.length} (${where})`);
  seen.sort((a, b) => a.offset - b.offset);
  for (let n = 0; n < spans.length; n++) {
    const got = seen[n]!;
    const want = spans[n]!;
    const overlong = want.length + (want.cr ? 1 : 0) > maxLineBytes;
    // An overlong line's range runs to its LF (its CR included): only its start is exact.
    const lengthOk = got.length === want.length || (overlong && got.length === want.length + 1 && want.cr);
    if (got.offset !== want.offset || !lengthOk || got.offset + got.length > bytes.length) {
      throw new Error(`line ${n}: index has [${got.offset}+${got.length}], the file [${want.offset}+${want.length}] (${where})`);
    }
    if (got.ts === got.ts && !Number.isFinite(got.ts)) throw new Error(`line ${n}: ts ${got.ts} (${where})`);
    if ((got.level & LEVEL_MASK) > 6 || (got.level & ~(LEVEL_MASK | CONTINUATION)) !== 0) throw new Error(`line ${n}: level ${got.level} (${where})`);
  }
  for (const s of result.sources) {
    if (s.records > s.lines) throw new Error(`source ${s.id}: ${s.records} records > ${s.lines} lines`);
    const levels = s.levelCounts.reduce((a, b) => a + b, 0);
    if (levels !== s.records) throw new Error(`source ${s.id}: level counts ${levels} != records ${s.records}`);
    const stamped = s.localStamped + s.absoluteStamped + s.relativeStamped;
    if (stamped > s.records) throw new Error(`source ${s.id}: ${stamped} stamped > ${s.records} records`);
    if (s.firstTs === s.firstTs && !(s.firstTs <= s.lastTs)) throw new Error(`source ${s.id}: firstTs ${s.firstTs} > lastTs ${s.lastTs}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Corpora

const FIXTURES = new URL('./__fixtures__/', import.meta.url);

/** Input fixtures (not SOURCES.md, not expected-output files), by format directory. */
export function fixtureTexts(): { format: string; name: string; text: string }[] {
  const out: { format: string; name: string; text: string }[] = [];
  for (const dir of readdirSync(FIXTURES, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const name of readdirSync(new URL(`${dir.name}/`, FIXTURES)).sort()) {
      if (name.endsWith('.md') || name.endsWith('.parsed.txt')) continue;
      out.push({ format: dir.name, name, text: readFileSync(new URL(`${dir.name}/${name}`, FIXTURES), 'utf8') });
    }
  }
  return out;
}

/** Lines of a text as the pipeline splits them (CR dropped, no trailing empty line). */
export function textLines(text: string): string[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Real-shaped lines for one format: its samples and its fixtures' lines (fixture dirs are named by format id). */
export function corpusOf(formatId: string): string[] {
  const format = formats.find((f) => f.id === formatId);
  const lines = format ? format.samples.map((s) => s.line) : [];
  for (const f of fixtureTexts()) if (f.format === formatId) lines.push(...textLines(f.text));
  return lines.length > 0 ? lines : [''];
}

/** Every format's real-shaped lines. */
export function fullCorpus(): string[] {
  return formats.flatMap((f) => corpusOf(f.id));
}

// ---------------------------------------------------------------------------------------------
// Generators

/** Pieces that matter to the grammars: stamps, separators, escapes, markers. */
export const TOKENS = [
  ' ', '  ', '    ', '\t', ':', ': ', '[', ']', '{', '}', '"', '\\', '\\"', '\\n', '\\t', '=', '<', '>', ' >', '.', ',', '-', '+', '/',
  '0', '1', '9', '12', '2024', '123456', '1755463071919.7622', '-07:00', '+0800', 'Z', '9'.repeat(40), `{"ts":${'9'.repeat(330)},`,
  'I0602 ', 'E1231 ', 'W0101 ', 'F0229 ', '05:48:06', '23:59:60', '.350695', '    4567 ', 'kubelet.go:2453] ',
  'Jun ', 'Dec 31 ', 'Aug  5 ', '8月 ', 'mai ', 'févr. ', 'Mär ', 'ene ', 'sept ', 'Sep ',
  'node-1 ', 'kubelet[811]: ', 'kernel: ', 'containerd[3]: ', 'dockerd[9]: ', 'systemd[1]: ',
  '2024-06-02T05:48:06.350695+00:00 ', '2023-10-25T10:57:16.6621956Z     default: ', '2022-04-16T10:00:17+00:00\t',
  '10.0.0.3: ', 'kubelet.log:1042:', '12:', '$ cat /proc/pressure/io', '# iostat -x 5', '1583353899.094400 ',
  'time="', 'level=info ', 'level=warning ', 'msg="', 'runtime=io.containerd.runc.v2 ', 'pid=1 ', 'INFO[', 'ERRO[0042] ',
  '\u001b[36m', '\u001b[0m', '\u001b[', '{"ts":', '"caller":"a.go:1",', '"err":"x"', '{"level":"info","msg":"x","time":"2024-01-01T00:00:00Z"}',
  '{ "__REALTIME_TIMESTAMP" : "1511559250984545", ', '"MESSAGE" : "', '"_TRANSPORT" : "kernel", ', '"PRIORITY":"3",',
  '=== BEGIN goroutine stack dump ===', '=== END goroutine stack dump ===', 'goroutine 1 [running]:', 'goroutine 7 [chan receive, 3 minutes]:',
  'main.main()', '\t/go/src/main.go:68 +0x491', 'created by x in goroutine 2', '...additional frames elided...',
  '[ 8235.831133] ', '[Sun Jul 12 00:22:31 2020] ', '<3>', 'kern  :warn  : ', 'INFO: task x:1 blocked for more than 120 seconds.',
  'Call Trace:', ' schedule+0x46/0xb0', 'task:containerd-shim state:D stack:    0 pid:42379 ppid:     1 flags:0x00004080',
  'some avg10=0.00 avg60=1.20 avg300=0.66 total=3032146', 'full ', 'avg-cpu:  %user   %nice %system %iowait  %steal   %idle',
  'Device            r/s     w/s  %util', 'nvme0n1 1,5 2.0 99.9', '06/29/20 07:52:20', 'Linux 5.4 (node) \t06/19/20 \t_x86_64_\t(9 CPU)',
  'procs -----------memory----------', ' r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st                 UTC',
  ' 0  0      0   1289     73    592    0    0   104   115  185 1084 14  2 84  0  0 2023-03-09 07:17:12',
  '-- Logs begin at Tue 2022-09-06 18:34:56 UTC. --', '-- Boot 3d5f --', '\ufffd', '\u0000', '\r', '\u00e9', '月', '😀',
];

/** One line of fuzz: arbitrary text, a string of grammar tokens, or a real line damaged. */
export function fuzzLine(corpus: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.string({ unit: 'binary', maxLength: 120 }), weight: 2 },
    { arbitrary: fc.string({ unit: fc.constantFrom(...TOKENS), maxLength: 24 }), weight: 4 },
    { arbitrary: fc.tuple(fc.constantFrom(...corpus), fc.array(lineEdit(), { maxLength: 3 })).map(([l, edits]) => edits.reduce((s, e) => e(s), l)), weight: 4 },
  );
}

type Edit = (line: string) => string;

const ESCAPES = ['\\n', '\\t', '\\"', '\\\\', '\\\\n', '"', '\t', '\u001b[31m', '\u001b[0m', '\u001b[1;33m', '>', '\r', '\ufffd', '\u0000', '月'];

/** An edit of one line: cut, splice random text, insert an escape, chop with `>`, colour it. */
export function lineEdit(): fc.Arbitrary<Edit> {
  return fc.oneof(
    fc.nat().map((pos): Edit => (l) => l.slice(0, pos % (l.length + 1))),
    fc.tuple(fc.nat(), fc.string({ unit: 'binary', maxLength: 12 })).map(([pos, text]): Edit => (l) => splice(l, pos, text)),
    fc.tuple(fc.nat(), fc.constantFrom(...ESCAPES)).map(([pos, esc]): Edit => (l) => splice(l, pos, esc)),
    fc.tuple(fc.nat(), fc.nat({ max: 8 })).map(([pos, n]): Edit => (l) => {
      const at = pos % (l.length + 1);
      return l.slice(0, at) + l.slice(Math.min(l.length, at + n));
    }),
    fc.nat().map((pos): Edit => (l) => `${l.slice(0, pos % (l.length + 1))}>`),
    fc.constantFrom<Edit>((l) => `\u001b[32m${l}\u001b[0m`, (l) => `    ${l}`, (l) => `${l}  `, (l) => l.replace(/\t/g, '        '), (l) => l.replace(/ +/g, ' ')),
  );
}

function splice(line: string, pos: number, text: string): string {
  const at = pos % (line.length + 1);
  return line.slice(0, at) + text + line.slice(at);
}

/** Collector and paste layers (FORMATS.md §0), put in front of a line. */
export const WRAPPERS = [
  'kubelet.log:1042:', '2724:', 'messages-2024-05-08.gz:12:', '2023-10-25T10:57:16.6621956Z     default: ', '2023-10-25T10:57:16.6621956Z ',
  '2022-04-16T10:00:17+00:00\t', '2022-04-16T10:00:17.123Z\t', '10.0.0.3: ', '198.51.100.10: ', '    ', '        ',
];

const PROMPTS = ['$ cat /proc/pressure/io', '# iostat -x 5', '$ vmstat -t 1', 'root@node:~# journalctl -u kubelet -r', '# dmesg -T', '$ '];

type FileEdit = (lines: string[]) => string[];

function at(lines: string[], n: number): number {
  return lines.length === 0 ? 0 : n % lines.length;
}

/** An edit of a whole file: line edits, duplicates, drops, moves, shuffles, hard wraps, joins, wrappers, prompts. */
export function fileEdit(): fc.Arbitrary<FileEdit> {
  const onLine = (edit: fc.Arbitrary<Edit>) => fc.tuple(fc.nat(), edit).map(([n, e]): FileEdit => (lines) => {
    if (lines.length === 0) return lines;
    const out = lines.slice();
    const k = at(out, n);
    out[k] = e(out[k]!);
    return out;
  });
  return fc.oneof(
    { arbitrary: onLine(lineEdit()), weight: 4 },
    { arbitrary: fc.nat().map((n): FileEdit => (lines) => { const out = lines.slice(); out.splice(at(out, n), 0, out[at(out, n)] ?? ''); return out; }), weight: 1 },
    { arbitrary: fc.nat().map((n): FileEdit => (lines) => lines.filter((_, k) => k !== at(lines, n))), weight: 1 },
    { arbitrary: fc.tuple(fc.nat(), fc.nat()).map(([a, b]): FileEdit => (lines) => {
      if (lines.length === 0) return lines;
      const out = lines.slice();
      const i = at(out, a), j = at(out, b);
      [out[i], out[j]] = [out[j]!, out[i]!];
      return out;
    }), weight: 1 },
    { arbitrary: fc.constant<FileEdit>((lines) => lines.slice().reverse()), weight: 1 },
    { arbitrary: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }).map((keys): FileEdit => (lines) =>
      lines.map((l, k) => [keys[k % keys.length]! ^ (k * 2654435761), l] as const).sort((x, y) => x[0] - y[0]).map(([, l]) => l)), weight: 1 },
    // Terminal hard wrap: one line cut into pieces of the terminal width.
    { arbitrary: fc.tuple(fc.nat(), fc.integer({ min: 8, max: 160 })).map(([n, width]): FileEdit => (lines) => {
      if (lines.length === 0) return lines;
      const k = at(lines, n);
      const l = lines[k]!;
      const pieces: string[] = [];
      for (let i = 0; i < l.length; i += width) pieces.push(l.slice(i, i + width));
      return [...lines.slice(0, k), ...(pieces.length ? pieces : ['']), ...lines.slice(k + 1)];
    }), weight: 2 },
    // Two lines run together (a lost newline).
    { arbitrary: fc.nat().map((n): FileEdit => (lines) => {
      if (lines.length < 2) return lines;
      const k = at(lines, n) % (lines.length - 1);
      return [...lines.slice(0, k), lines[k]! + lines[k + 1]!, ...lines.slice(k + 2)];
    }), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom(...WRAPPERS), fc.boolean(), fc.nat()).map(([w, all, n]): FileEdit => (lines) =>
      lines.map((l, k) => (all || k === at(lines, n) ? w + l : l))), weight: 2 },
    { arbitrary: fc.tuple(fc.constantFrom(...PROMPTS), fc.nat()).map(([p, n]): FileEdit => (lines) => {
      const out = lines.slice();
      out.splice(at(out, n), 0, p);
      return out;
    }), weight: 1 },
  );
}

/** Byte damage after encoding: invalid UTF-8, stray CR, NUL. */
const BAD_BYTES: readonly (readonly number[])[] = [[0xff], [0xc3], [0xe2, 0x82], [0x80], [0xf0, 0x9f], [0x0d], [0x00], [0x1b]];

/** A file made from real-shaped lines, damaged, joined with LF or CRLF (maybe mixed), maybe without a final newline. */
export function mutatedFile(corpus: readonly string[], maxLines = 40): fc.Arbitrary<Uint8Array> {
  return fc.record({
    lines: fc.array(fc.constantFrom(...corpus), { minLength: 1, maxLength: maxLines }),
    edits: fc.array(fileEdit(), { maxLength: 10 }),
    eol: fc.constantFrom('\n', '\r\n', 'mixed'),
    eolSeed: fc.nat(),
    trailing: fc.boolean(),
    bytes: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...BAD_BYTES)), { maxLength: 3 }),
  }).map(({ lines, edits, eol, eolSeed, trailing, bytes }) => {
    const edited = edits.reduce((ls, e) => e(ls), lines);
    let text = '';
    edited.forEach((l, k) => {
      const sep = eol === 'mixed' ? (((eolSeed >> (k % 30)) & 1) === 1 ? '\r\n' : '\n') : eol;
      text += k < edited.length - 1 || trailing ? l + sep : l;
    });
    let out = utf8(text);
    for (const [pos, bad] of bytes) {
      const k = out.length === 0 ? 0 : pos % out.length;
      const next = new Uint8Array(out.length + bad.length);
      next.set(out.subarray(0, k));
      next.set(bad, k);
      next.set(out.subarray(k), k + bad.length);
      out = next;
    }
    return out;
  });
}

const PIECES: fc.Arbitrary<Uint8Array> = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }).map(utf8), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 60 }).map(utf8), weight: 3 },
  { arbitrary: fc.constantFrom(...TOKENS).map(utf8), weight: 6 },
  { arbitrary: fc.constantFrom(...BAD_BYTES, [0x0a], [0x0a], [0x0d, 0x0a], [0x09]).map((b) => Uint8Array.from(b)), weight: 4 },
  // Very long lines, some past the 64 KiB head the pipeline sniffs.
  { arbitrary: fc.tuple(fc.integer({ min: 1_000, max: 70_000 }), fc.constantFrom('x', 'é', ' ', 'I0602 05:48:06.350695 1 a.go:1] ')).map(([n, c]) => utf8(c.repeat(Math.ceil(n / c.length)))), weight: 1 },
);

/** Text-like bytes: Unicode, ASCII, grammar tokens, control bytes and invalid UTF-8 mixed (mostly still text). */
export function textishBytes(maxPieces = 60): fc.Arbitrary<Uint8Array> {
  return fc.array(PIECES, { maxLength: maxPieces }).map(concatBytes);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let k = 0;
  for (const p of parts) {
    out.set(p, k);
    k += p.length;
  }
  return out;
}
