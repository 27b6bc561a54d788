import type { BundleEntry } from './bundle/types';
import { looksBinary, describeBinary } from './bundle/binary';
import { joinBytes } from './bytes';
import { createDigester } from './bundle/fingerprint';
import { originOfPath } from './formats/path-origin';
import { plainFormat } from './formats/plain';
import { detectFormat, formatById } from './formats/registry';
import { newParsedLine, resetParsedLine, type FormatDef, type ParserExtras, type TimeAnchor, type TimeContext } from './formats/types';
import { LineIndexBuilder } from './line-index';
import { LineSplitter } from './lines';
import type { BlockMeta, LineBlock, Origin } from './model';
import { SignalTap, type TappedLine } from './analysis/signals';

/** Where the pipeline puts what it produces; the browser writes OPFS + IndexedDB, the CLI counts. */
export interface IngestSink {
  raw(chunk: Uint8Array): Promise<void> | void;
  block(block: LineBlock): Promise<void> | void;
  /** Metric series, goroutine dumps and events of the file, once parsed; attached to `sourceId`. */
  extras?(sourceId: string, extras: ParserExtras): Promise<void> | void;
}

export interface IngestOptions {
  fileId: string;
  /** Format chosen by the user; detection otherwise. */
  formatId?: string;
  /** Year assumed for stamps without one until the bundle learns better (file date, else now). */
  year: number;
  zoneOffsetMin?: number;
  sink: IngestSink;
  onBytes?: (bytes: number) => void;
  isCancelled?: () => boolean;
  maxLineBytes?: number;
}

export interface SourceResult {
  id: string;
  origin: Origin;
  lines: number;
  records: number;
  firstTs: number;
  lastTs: number;
  localStamped: number;
  absoluteStamped: number;
  relativeStamped: number;
  levelCounts: number[];
  blocks: BlockMeta[];
  /** Lines the detectors need, noted by the signal tap while parsing (absent in entries stored before it). */
  signals?: TappedLine[];
}

export interface EntryResult {
  path: string;
  format: string;
  detectedFormat: string;
  detectionScore: number;
  status: 'done' | 'skipped' | 'cancelled' | 'failed';
  bytes: number;
  digest: string;
  lines: number;
  sources: SourceResult[];
  anchors: TimeAnchor[];
  /** The boot time on the node's wall clock (as if UTC), when only wall-clock stamps told it (ParserExtras.wallBoots). */
  wallBootUs?: number;
  parsedZoneOffsetMin: number;
  parsedYear: number;
  /** What the format produced beside lines, attached to the source `extrasSourceId`. */
  extrasSourceId: string;
  metrics: string[];
  goroutines: number;
  events: number;
  notes: string[];
  errors: string[];
  /** Where the time went (ms): reading/expanding, digest + raw storage, split + parse + index writes. */
  timings: { readMs: number; storeMs: number; parseMs: number };
}

const HEAD_BYTES = 64 * 1024;
/** Lines held back for the first record: a file with none (plain text) is indexed as it comes after these. */
const MAX_LEADING_LINES = 1000;
const MAX_PENDING_WRITES = 2;
const SNIFF_LINES = 400;

export async function ingestEntry(entry: BundleEntry, opts: IngestOptions): Promise<EntryResult> {
  const reader = entry.stream.getReader();
  const digester = createDigester();
  const result: EntryResult = {
    path: entry.path, format: 'plain', detectedFormat: 'plain', detectionScore: 0, status: 'done',
    bytes: 0, digest: '', lines: 0, sources: [], anchors: [], parsedZoneOffsetMin: opts.zoneOffsetMin ?? 0,
    parsedYear: opts.year, extrasSourceId: '', metrics: [], goroutines: 0, events: 0, notes: [], errors: [],
    timings: { readMs: 0, storeMs: 0, parseMs: 0 },
  };
  // Index writes run while parsing goes on; the reader waits only when too many are in flight
  // (each holds a few blocks), and for all of them at the end of the file.
  const pending: Promise<void>[] = [];
  const settle = async (keep = MAX_PENDING_WRITES) => {
    while (pending.length > keep) await pending.shift();
  };
  const take = async (chunk: Uint8Array) => {
    result.bytes += chunk.length;
    const d = digester.update(chunk);
    if (d) await d;
    const w = opts.sink.raw(chunk);
    if (w) await w;
    opts.onBytes?.(chunk.length);
  };

  // The head decides binary-or-text, the format and the time anchors.
  const headParts: Uint8Array[] = [];
  let headLen = 0;
  let done = false;
  while (headLen < HEAD_BYTES) {
    const r = await reader.read();
    if (r.done) { done = true; break; }
    headParts.push(r.value);
    headLen += r.value.length;
  }
  const head = joinBytes(headParts, headLen);
  if (headLen === 0) {
    result.errors.push(...entry.errors, `${entry.path}: empty file, nothing to parse`);
    result.status = 'skipped';
    result.digest = await digester.digest();
    return result;
  }
  if (looksBinary(head.subarray(0, Math.min(head.length, 8192)))) {
    result.errors.push(`${entry.path}: binary file (${describeBinary(head) ?? "binary content"}), skipped`);
    result.status = 'skipped';
    // Still digested, so the bundle's fingerprint covers every file it holds.
    for (const part of headParts) await digester.update(part);
    for (let r = done ? null : await reader.read(); r && !r.done; r = await reader.read()) await digester.update(r.value);
    result.digest = await digester.digest();
    result.errors.unshift(...entry.errors);
    return result;
  }

  const sniff = { path: entry.path, lines: sniffLines(head) };
  const detected = detectFormat(sniff);
  result.detectedFormat = detected.format.id;
  result.detectionScore = detected.score;
  const format: FormatDef = (opts.formatId && formatById(opts.formatId)) || detected.format;
  result.format = format.id;
  result.anchors = format.anchors?.(sniff) ?? [];
  const zone = opts.zoneOffsetMin ?? zoneFromAnchors(result.anchors) ?? 0;
  result.parsedZoneOffsetMin = zone;
  // A dated stamp in the head settles the year for the year-less lines before it (a journal's first
  // systemd line precedes containerd's first time="…").
  const headYear = result.anchors.length ? new Date(result.anchors[0]!.utcUs / 1000).getUTCFullYear() : NaN;
  let year = Number.isFinite(headYear) ? headYear : opts.year;
  // That year is the one at the anchor, or at the file's last write; a file that opens in December
  // before either (a Jan 1 anchor, an mtime in January) began the year before.
  const notAfterUs = result.anchors.length ? result.anchors[0]!.utcUs : entry.lastModified ? entry.lastModified * 1000 : NaN;
  if (opensAfter(format, { year, zoneOffsetMin: zone, bootTimeUs: null, path: entry.path }, sniff.lines, notAfterUs)) year--;
  result.parsedYear = year;
  const ctx: TimeContext = { year, zoneOffsetMin: zone, bootTimeUs: null, path: entry.path };
  let parser = format.createParser(ctx);
  let lineNo = 0;
  const fileOrigin: Origin = (format.originFromPath && originOfPath(entry.path)) || format.origin;

  const builders = new Map<Origin, LineIndexBuilder>();
  const counts = new Map<Origin, { local: number; absolute: number; relative: number }>();
  const builderFor = (origin: Origin) => {
    let b = builders.get(origin);
    if (!b) {
      b = new LineIndexBuilder(`${opts.fileId}:${origin}`, (block) => {
        const w = opts.sink.block(block);
        if (w) {
          // Handled here so a failure waiting its turn is not reported as unhandled; settle() rethrows it.
          w.catch(() => undefined);
          pending.push(w);
        }
      });
      builders.set(origin, b);
      counts.set(origin, { local: 0, absolute: 0, relative: 0 });
    }
    return b;
  };

  const out = newParsedLine();
  const tap = new SignalTap();
  let lastOrigin: Origin = fileOrigin;
  let lastTs = NaN;
  let lastLevel = 0;
  // Lines before the first record that names its source (a journal's `-- Logs begin at … --`, a
  // paste's preamble) go with that record, at its time: not to a lane of their own.
  let leading: { offset: number; length: number; level: number; continuation: boolean }[] | null = [];
  const placeLeading = (origin: Origin, ts: number) => {
    const b = builderFor(origin);
    for (const l of leading ?? []) b.add(ts, l.offset, l.length, l.level, l.continuation);
    leading = null;
  };
  const splitter = new LineSplitter({
    line(text, offset, length) {
      resetParsedLine(out);
      try {
        parser.parse(text, out);
      } catch (err) {
        // A parser bug must cost one file its structure, never the bundle: keep the rest as plain lines.
        result.errors.push(`${entry.path}: the ${format.id} parser failed at line ${lineNo + 1} (${message(err)}); the rest is kept as plain text`);
        parser = plainFormat.createParser(ctx);
        resetParsedLine(out);
      }
      lineNo++;
      if (out.continuation || out.ts !== out.ts) {
        const named = !out.continuation && out.origin !== null;
        if (leading && !named) {
          leading.push({ offset, length, level: out.continuation ? lastLevel : out.level, continuation: out.continuation });
          if (leading.length >= MAX_LEADING_LINES) placeLeading(lastOrigin, NaN);
          return;
        }
        const origin = out.continuation ? lastOrigin : (out.origin ?? lastOrigin);
        if (out.continuation) tap.continueRecord(out.message ?? text);
        if (leading) placeLeading(origin, NaN);
        builderFor(origin).add(lastTs, offset, length, out.continuation ? lastLevel : out.level, out.continuation);
        return;
      }
      const origin = out.origin ?? fileOrigin;
      if (leading) placeLeading(origin, out.ts);
      tap.take(out.message ?? text, origin, out.level, out.ts, out.local, out.relative, lineNo - 1, offset);
      const c = counts.get(origin) ?? (builderFor(origin), counts.get(origin)!);
      if (out.relative) c.relative++;
      else if (out.local) c.local++;
      else c.absolute++;
      builderFor(origin).add(out.ts, offset, length, out.level, false);
      lastOrigin = origin;
      lastTs = out.ts;
      lastLevel = out.level;
    },
  }, opts.maxLineBytes);

  try {
    for (const part of headParts) {
      await take(part);
      splitter.push(part);
      await settle();
    }
    while (!done) {
      if (opts.isCancelled?.()) {
        result.status = 'cancelled';
        await reader.cancel().catch(() => undefined);
        break;
      }
      let t = performance.now();
      const r = await reader.read();
      const t1 = performance.now();
      result.timings.readMs += t1 - t;
      if (r.done) break;
      await take(r.value);
      t = performance.now();
      result.timings.storeMs += t - t1;
      splitter.push(r.value);
      await settle();
      result.timings.parseMs += performance.now() - t;
    }
  } catch (err) {
    result.errors.push(`${entry.path}: read stopped after ${result.bytes} bytes: ${message(err)}`);
  }
  splitter.end();
  tap.finish();
  if (leading) placeLeading(lastOrigin, NaN);
  // The walker completes an entry's errors (truncation, size cap) only once its stream ended.
  result.errors.unshift(...entry.errors);
  result.notes.push(...(entry.notes ?? []));
  for (const b of builders.values()) b.flush();
  await settle(0);
  result.digest = await digester.digest();
  let extras: ParserExtras | undefined;
  try {
    extras = parser.finish?.();
  } catch (err) {
    result.errors.push(`${entry.path}: the ${format.id} parser failed at the end of the file (${message(err)})`);
  }
  placeUndatedDumps(extras, entry, result);
  await takeExtras(extras, builders, fileOrigin, opts, result);
  result.lines = splitter.stats.lines;

  for (const [origin, b] of builders) {
    const c = counts.get(origin)!;
    result.sources.push({
      id: b.sourceId, origin, lines: b.lines, records: b.records, firstTs: b.firstTs, lastTs: b.lastTs,
      localStamped: c.local, absoluteStamped: c.absolute, relativeStamped: c.relative, levelCounts: b.levelCounts, blocks: b.blockMeta,
      signals: tap.bySource.get(origin) ?? [],
    });
  }
  if (tap.dropped > 0) result.notes.push(`${tap.dropped} analysis signal line(s) beyond the per-kind cap were not kept`);
  const st = splitter.stats;
  if (st.crlf > 0) result.notes.push(`CRLF line endings (${st.crlf} lines)`);
  if (st.zeroFilled > 0) result.notes.push(`zero-filled blocks (NUL bytes, as a crash leaves them) before or inside ${st.zeroFilled} line(s): the text after them was parsed`);
  if (st.replacementChars > 0) result.errors.push(`${entry.path}: invalid UTF-8: ${st.replacementChars} bytes decoded as replacement characters`);
  if (st.longLines > 0) result.errors.push(`${entry.path}: ${st.longLines} line(s) longer than ${(opts.maxLineBytes ?? 1 << 20) >> 10} KiB kept but truncated for parsing and display`);
  const timed = result.sources.reduce((n, s) => n + s.localStamped + s.absoluteStamped + s.relativeStamped, 0);
  const structured = result.goroutines > 0 || result.metrics.length > 0;
  // A format that said why it read no time (journal-json-pretty) has reported it already.
  const explained = (extras?.errors?.length ?? 0) > 0;
  if (timed === 0 && result.lines > 0 && format.id !== 'plain' && !structured && !explained) result.errors.push(`${entry.path}: no parsable timestamp found`);
  if (timed === 0 && format.id === 'plain') result.notes.push('unknown format: kept as plain lines without time (searchable)');
  return result;
}

/**
 * A dump with no capture line around it (a raw stacks file) is placed at the file's modification
 * time: containerd and dockerd write that file when SIGUSR1 arrives. The user can correct it.
 */
function placeUndatedDumps(extras: ParserExtras | undefined, entry: BundleEntry, result: EntryResult): void {
  const undated = (extras?.dumps ?? []).filter((d) => d.takenAt === null);
  if (!undated.length) return;
  if (entry.lastModified === undefined) {
    result.notes.push('goroutine dump capture time unknown: set it in the file list');
    return;
  }
  for (const d of undated) {
    d.takenAt = entry.lastModified * 1000;
    d.basis = 'utc';
    d.takenAtSource = 'file-time';
  }
  result.notes.push(`goroutine dump capture time taken from the file's modification time (${new Date(entry.lastModified).toISOString()}); set it in the file list if wrong`);
}

/** Hands the parser's metric series, dumps and events to the sink, on the file's main source. */
async function takeExtras(extras: ParserExtras | undefined, builders: Map<Origin, LineIndexBuilder>, fileOrigin: Origin,
  opts: IngestOptions, result: EntryResult): Promise<void> {
  let main = builders.get(fileOrigin);
  for (const b of builders.values()) if (!main || b.lines > main.lines) main = b;
  result.extrasSourceId = main?.sourceId ?? `${opts.fileId}:${fileOrigin}`;
  if (!extras) return;
  // What the format says about the file as a whole (a form it cannot read, boots on one clock).
  if (extras.notes) result.notes.push(...extras.notes);
  if (extras.errors) result.errors.push(...extras.errors.map((e) => `${result.path}: ${e}`));
  if (extras.anchors) {
    // The head's anchors come again from the whole-file pass: keep each once (they are votes).
    const seen = new Set(result.anchors.map(anchorKey));
    for (const a of extras.anchors) if (!seen.has(anchorKey(a))) result.anchors.push(a);
  }
  if (extras.wallBoots?.length) result.wallBootUs = middleReading(extras.wallBoots);
  result.metrics = (extras.metrics ?? []).filter((m) => m.ts.length > 0).map((m) => m.series);
  result.goroutines = (extras.dumps ?? []).reduce((n, d) => n + d.goroutines.length, 0);
  result.events = extras.events?.length ?? 0;
  const w = opts.sink.extras?.(result.extrasSourceId, extras);
  if (w) await w;
}

/** The middle one of several readings of one instant (a boot time): a reading itself, never an average of two. */
export function middleReading(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function anchorKey(a: TimeAnchor): string {
  return `${a.utcUs}|${a.localAsUtcUs}|${a.bootUs}`;
}

/** Slack for a wall-clock stamp placed with a wrong zone, or a line written out of order. */
const DAY_US = 86_400e6;

/**
 * Whether the first wall-clock line of the head, read with `ctx.year`, lands after `notAfterUs`
 * (by more than a day): then the year is one too late for the start of the file.
 */
function opensAfter(format: FormatDef, ctx: TimeContext, lines: string[], notAfterUs: number): boolean {
  if (!(notAfterUs === notAfterUs)) return false;
  const parser = format.createParser(ctx);
  const out = newParsedLine();
  try {
    for (const line of lines) {
      resetParsedLine(out);
      parser.parse(line, out);
      if (out.continuation || out.ts !== out.ts || out.relative) continue;
      return out.local && out.ts > notAfterUs + DAY_US;
    }
  } catch {
    // The real parse reports the failure; here it only means no answer.
  }
  return false;
}

function sniffLines(head: Uint8Array): string[] {
  // The head is a whole first read (up to 16 MiB): decode only as far as the lines detection looks at.
  let end = -1;
  for (let n = 0; n < SNIFF_LINES; n++) {
    end = head.indexOf(10, end + 1);
    if (end < 0) break;
  }
  const text = new TextDecoder().decode(end < 0 ? head : head.subarray(0, end));
  const lines = text.split('\n', SNIFF_LINES + 1);
  // The last piece may be a cut line unless the head was the whole file.
  if (lines.length > SNIFF_LINES) lines.length = SNIFF_LINES;
  // A zero-filled block (crash) before a line hides it from detection: judge the text after it.
  return lines.map((l) => l.slice(l.lastIndexOf('\0') + 1, l.endsWith('\r') ? -1 : undefined)).filter((l) => l.length > 0);
}

/** The zone the anchors vote for, with its votes and all votes cast; null when none carried a wall clock. */
export function zoneVotes(anchors: TimeAnchor[]): { zoneOffsetMin: number; votes: number; cast: number } | null {
  const votes = new Map<number, number>();
  let cast = 0;
  for (const a of anchors) {
    if (a.localAsUtcUs === null) continue;
    // Round to 15 minutes: zones are multiples of it, the difference also holds logging delay.
    const min = Math.round((a.localAsUtcUs - a.utcUs) / 60e6 / 15) * 15;
    votes.set(min, (votes.get(min) ?? 0) + 1);
    cast++;
  }
  // Most votes wins; ties go to the offset nearest UTC, so the answer never depends on file order.
  let best: number | null = null;
  let bestVotes = 0;
  for (const [z, v] of votes) {
    if (v > bestVotes || (v === bestVotes && best !== null && (Math.abs(z) < Math.abs(best) || (Math.abs(z) === Math.abs(best) && z > best)))) {
      best = z;
      bestVotes = v;
    }
  }
  return best === null ? null : { zoneOffsetMin: best, votes: bestVotes, cast };
}

/** The zone of the node, from lines that carried a local prefix and an absolute stamp. */
export function zoneFromAnchors(anchors: TimeAnchor[]): number | null {
  return zoneVotes(anchors)?.zoneOffsetMin ?? null;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
