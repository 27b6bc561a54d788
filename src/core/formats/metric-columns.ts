// Shared by the metric formats (psi.ts, iostat.ts, vmstat.ts): series collection, numbers in
// either decimal notation, paste-layer peeling, and placing a sample in time.
import { Level } from '../model';
import { newIsoStamp, readIsoStamp, US_PER_MIN, US_PER_SEC } from '../time/civil';
import { MAX_LAYERS, peelCollector, skipBlanks, type CollectorInfo } from './collector';
import { stripAnsi } from './dmesg-line';
import { lineEnd } from './prefix';
import type { MetricSeriesOut, ParsedLine, TimeAnchor, TimeContext } from './types';

export type Basis = MetricSeriesOut['basis'];

/**
 * The file's path, when the pipeline passes it beside the time facts (`TimeContext` has no
 * field for it yet): PSI takes its resource from the file name.
 */
export type MetricContext = TimeContext & { path?: string };

/** How a sample was placed (see `Basis`), as stored per sample. */
const UTC = 0;
const LOCAL = 1;
const RELATIVE = 2;
const BASIS_CODE: Readonly<Record<Basis, number>> = { utc: UTC, local: LOCAL, relative: RELATIVE };

/**
 * One series of a file. Parsers keep the handle (`SeriesSet.handle`), so the hot path does no
 * name building or map lookup per sample. A series joins the output at its first valid sample:
 * that fixes the output order and the unit, as adding samples by name did.
 *
 * Its samples come one at a time (`push`, PSI) or as a column of row tables (`row`, iostat and
 * vmstat: one time per row, many series), never both. Either way they sit in typed arrays
 * outside the JS heap (growing a JS array copies it and keeps the GC busy), copied once into
 * plain arrays by `output`.
 */
export interface SeriesBuf {
  readonly series: string;
  unit: string | undefined;
  /** Has a valid sample (is part of the output). */
  live: boolean;
  /** The tables holding this series' samples, and its column in each. */
  readonly columns: { table: RowTable; col: number }[];
  // Pushed samples:
  /**
   * The code every sample so far has (the fast path takes samples with it); NOT_LIVE before
   * the first sample, MIXED once they differ (then `codes` holds one per sample).
   */
  mode: number;
  /** Full chunks (CHUNK samples each) before the current one. */
  tsChunks: Float64Array[];
  valueChunks: Float64Array[];
  /** The current chunk and how many samples it holds. */
  ts: Float64Array;
  value: Float64Array;
  fill: number;
  /** The basis of the first sample. */
  first: number;
  codes: number[] | null;
}

/** Rows of a table, column by column: each column's values are together (`values[col * size + row]`). */
interface RowChunk {
  /** Rows it has room for. */
  readonly size: number;
  /** Row number in the whole set (orders the rows of a series kept in several tables). */
  readonly seq: Float64Array;
  readonly ts: Float64Array;
  readonly code: Uint8Array;
  readonly values: Float64Array;
}

/**
 * Series filled a row at a time: each row is one time and basis and one value per column (NaN:
 * no sample), stored in chunks of rows.
 */
export interface RowTable {
  readonly bufs: readonly SeriesBuf[];
  /** Full chunks (ROW_CHUNK rows each), then the current one and its rows. */
  readonly chunks: RowChunk[];
  cur: RowChunk;
  fill: number;
  /** Columns whose series has no valid sample yet. */
  pending: number;
  /** The basis code of every row so far; NOT_LIVE before the first, MIXED once they differ. */
  code: number;
}

const CHUNK = 8192;
const ROW_CHUNK = 4096;
const EMPTY = new Float64Array(0);
const NOT_LIVE = -1;
const MIXED = -2;

function newRowChunk(size: number, width: number): RowChunk {
  return { size, seq: new Float64Array(size), ts: new Float64Array(size), code: new Uint8Array(size), values: new Float64Array(size * width) };
}

/** Samples pushed to a buffer. */
function countOf(buf: SeriesBuf): number {
  return buf.tsChunks.length * CHUNK + buf.fill;
}

/** Series of one file, in the order they first appear. */
export class SeriesSet {
  private readonly byName = new Map<string, SeriesBuf>();
  private readonly order: SeriesBuf[] = [];
  /** Rows added to tables so far: orders the rows of a series kept in several tables. */
  private rows = 0;

  /** The buffer of a series name (one per name), not yet part of the output until it gets a sample. */
  handle(series: string): SeriesBuf {
    let buf = this.byName.get(series);
    if (!buf) {
      buf = {
        series, unit: undefined, live: false, columns: [],
        mode: NOT_LIVE, tsChunks: [], valueChunks: [], ts: EMPTY, value: EMPTY, fill: 0, first: UTC, codes: null,
      };
      this.byName.set(series, buf);
    }
    return buf;
  }

  add(series: string, at: SampleTime, value: number, unit?: string): void {
    this.push(this.handle(series), at.ts, BASIS_CODE[at.basis], value, unit);
  }

  /** A sample (`code`: see basisCode); NaN values or stamps are dropped. `unit` counts on the first one only. */
  push(buf: SeriesBuf, ts: number, code: number, value: number, unit: string | undefined): void {
    if (value !== value || ts !== ts) return;
    if (code !== buf.mode) this.track(buf, code, unit);
    let k = buf.fill;
    if (k === buf.ts.length) {
      grow(buf);
      k = buf.fill;
    }
    buf.ts[k] = ts;
    buf.value[k] = value;
    buf.fill = k + 1;
  }

  /** The first sample of a series (it joins the output), or one whose basis differs from the first's. */
  private track(buf: SeriesBuf, code: number, unit: string | undefined): void {
    if (buf.columns.length > 0) throw new Error(`series ${buf.series} takes rows, not samples`);
    if (!buf.live) {
      this.join(buf, unit);
      buf.first = code;
      buf.mode = code;
    } else if (buf.codes !== null) {
      buf.codes.push(code);
    } else {
      buf.codes = firstCodes(buf.first, countOf(buf), code);
      buf.mode = MIXED;
    }
  }

  private join(buf: SeriesBuf, unit: string | undefined): void {
    buf.live = true;
    buf.unit = unit;
    this.order.push(buf);
  }

  /** A table whose columns are these series (a series may be in several tables, or twice in one). */
  table(bufs: readonly SeriesBuf[]): RowTable {
    const table: RowTable = { bufs, chunks: [], cur: newRowChunk(0, bufs.length), fill: 0, pending: bufs.length, code: NOT_LIVE };
    bufs.forEach((buf, col) => {
      if (countOf(buf) > 0) throw new Error(`series ${buf.series} takes samples, not rows`);
      buf.columns.push({ table, col });
    });
    return table;
  }

  /**
   * A row: the same as pushing values[k] to column k's series, at one time, in column order.
   * `units` (by column) is read until every column's series has a sample.
   */
  row(table: RowTable, ts: number, code: number, values: ArrayLike<number>, units: readonly (string | undefined)[] | null): void {
    if (ts !== ts) return;
    if (table.pending > 0) this.joinColumns(table, values, units);
    const r = this.nextRow(table, ts, code);
    const chunk = table.cur;
    const size = chunk.size;
    const into = chunk.values;
    const n = table.bufs.length;
    for (let k = 0, o = r; k < n; k++, o += size) into[o] = values[k]!;
    table.fill = r + 1;
  }

  /**
   * The same row given as plain numbers (`12`, `12.50`) in texts[from, from + n), a regex's
   * captures: each is read with `+` (as decimalAt reads it) straight into the table, one loop
   * fewer than reading them into an array first (while the JIT is cold, every loop counts).
   */
  rowOfTexts(table: RowTable, ts: number, code: number, texts: ArrayLike<string>, from: number, units: readonly (string | undefined)[] | null): void {
    if (ts !== ts) return;
    const n = table.bufs.length;
    if (table.pending > 0) {
      // The first rows: their values decide which series join the output.
      const values = new Float64Array(n);
      for (let k = 0; k < n; k++) values[k] = +texts[from + k]!;
      this.row(table, ts, code, values, units);
      return;
    }
    const r = this.nextRow(table, ts, code);
    const chunk = table.cur;
    const size = chunk.size;
    const into = chunk.values;
    for (let k = 0, o = r; k < n; k++, o += size) into[o] = +texts[from + k]!;
    table.fill = r + 1;
  }

  /** Room for the next row of a table, its time and basis written: its index in table.cur. */
  private nextRow(table: RowTable, ts: number, code: number): number {
    if (table.fill === table.cur.size) growRows(table);
    const chunk = table.cur;
    const r = table.fill;
    chunk.seq[r] = this.rows++;
    chunk.ts[r] = ts;
    chunk.code[r] = code;
    if (code !== table.code) table.code = table.code === NOT_LIVE ? code : MIXED;
    return r;
  }

  /** Series getting their first valid sample in this row join the output, in column order. */
  private joinColumns(table: RowTable, values: ArrayLike<number>, units: readonly (string | undefined)[] | null): void {
    let pending = 0;
    table.bufs.forEach((buf, k) => {
      if (buf.live) return;
      const v = values[k]!;
      if (v === v) this.join(buf, units?.[k]);
      else pending++;
    });
    table.pending = pending;
  }

  /**
   * One basis per series: samples placed by index (relative) are dropped when the same series
   * also has real stamps; a series mixing absolute and wall-clock samples is 'local' (its
   * absolute samples then move with a later zone correction: rare, joined pastes only).
   * Joined pastes can go back in time, so samples are sorted (stable).
   */
  output(): MetricSeriesOut[] {
    const out: MetricSeriesOut[] = [];
    let most = 0;
    for (const b of this.order) most = Math.max(most, b.columns.length > 0 ? rowsOf(b) : countOf(b));
    const template = packedDoubles(most);
    const gathered = new Map<RowTable, ColumnSamples[]>();
    const columnsOf = (table: RowTable): ColumnSamples[] => {
      let columns = gathered.get(table);
      if (!columns) {
        columns = tableSamples(table, template);
        gathered.set(table, columns);
      }
      return columns;
    };
    for (const b of this.order) {
      let series: MetricSeriesOut;
      if (b.columns.length > 0) {
        series = fromRows(b, columnsOf);
      } else {
        const n = countOf(b);
        const ts = samples(template, b.tsChunks, b.ts, b.fill, n);
        const value = samples(template, b.valueChunks, b.value, b.fill, n);
        series = finish(b.series, ts, value, b.codes, b.first);
      }
      if (b.unit !== undefined) series.unit = b.unit;
      out.push(series);
    }
    return out;
  }
}

/** Codes of the samples so far (all `first`) and the new one. */
function firstCodes(first: number, n: number, code: number): number[] {
  const codes: number[] = [];
  for (let k = 0; k < n; k++) codes.push(first);
  codes.push(code);
  return codes;
}

/**
 * Room for more samples: a full CHUNK goes to the list and a new one starts empty (fill 0);
 * a smaller current array grows fourfold, keeping its samples at the same places.
 */
function grow(buf: SeriesBuf): void {
  const size = buf.ts.length;
  if (size >= CHUNK) {
    buf.tsChunks.push(buf.ts);
    buf.valueChunks.push(buf.value);
    buf.ts = new Float64Array(CHUNK);
    buf.value = new Float64Array(CHUNK);
    buf.fill = 0;
    return;
  }
  const ts = new Float64Array(Math.min(CHUNK, Math.max(16, size * 4)));
  const value = new Float64Array(ts.length);
  ts.set(buf.ts);
  value.set(buf.value);
  buf.ts = ts;
  buf.value = value;
}

/** Room for another row: the same, in rows (16, then fourfold up to ROW_CHUNK). */
function growRows(table: RowTable): void {
  const old = table.cur;
  const width = table.bufs.length;
  if (old.size >= ROW_CHUNK) {
    table.chunks.push(old);
    table.cur = newRowChunk(ROW_CHUNK, width);
    table.fill = 0;
    return;
  }
  const cur = newRowChunk(Math.min(ROW_CHUNK, Math.max(16, old.size * 4)), width);
  const rows = table.fill;
  cur.seq.set(old.seq.subarray(0, rows));
  cur.ts.set(old.ts.subarray(0, rows));
  cur.code.set(old.code.subarray(0, rows));
  for (let k = 0; k < width; k++) cur.values.set(old.values.subarray(k * old.size, k * old.size + rows), k * cur.size);
  table.cur = cur;
}

/** Rows of a table. */
function rowCount(table: RowTable): number {
  return table.chunks.length * ROW_CHUNK + table.fill;
}

/** Rows of all the tables of a series (at least its number of samples). */
function rowsOf(buf: SeriesBuf): number {
  let n = 0;
  for (const { table } of buf.columns) n += rowCount(table);
  return n;
}

/** The chunks of a table with their rows: the full ones, then the current one. */
function chunksOf(table: RowTable): [RowChunk, number][] {
  const out: [RowChunk, number][] = table.chunks.map((chunk) => [chunk, chunk.size]);
  out.push([table.cur, table.fill]);
  return out;
}

/** One column of a table as samples: NaN values skipped; `codes` null when all have the basis `first`. */
interface ColumnSamples {
  ts: number[];
  value: number[];
  codes: number[] | null;
  first: number;
  /** Known to be in time order (false: not known). */
  sorted?: boolean;
}

/**
 * All columns of a table as samples. Rows of one basis (the usual case): the times are copied
 * once and sliced for every column without a gap. The rows share their times, so one check
 * tells whether every column's samples are in time order.
 */
function tableSamples(table: RowTable, template: number[]): ColumnSamples[] {
  const width = table.bufs.length;
  if (table.code === MIXED) return table.bufs.map((_, col) => columnSamples(table, col, template));
  const first = table.code;
  const chunks = chunksOf(table);
  const rows = rowCount(table);
  const allTs = template.slice(0, rows);
  let i = 0;
  for (const [chunk, n] of chunks) i = copyInto(allTs, i, chunk.ts, 0, n);
  const sorted = isSorted(allTs);
  const out: ColumnSamples[] = [];
  for (let k = 0; k < width; k++) {
    let gaps = false;
    for (const [chunk, n] of chunks) gaps ||= hasNaN(chunk.values, k * chunk.size, n);
    if (!gaps) {
      const value = template.slice(0, rows);
      let j = 0;
      for (const [chunk, n] of chunks) j = copyInto(value, j, chunk.values, k * chunk.size, n);
      out.push({ ts: allTs.slice(), value, codes: null, first, sorted });
      continue;
    }
    let valid = 0;
    for (const [chunk, n] of chunks) valid += n - countNaN(chunk.values, k * chunk.size, n);
    const value = template.slice(0, valid);
    const ts = template.slice(0, valid);
    let j = 0;
    for (const [chunk, n] of chunks) {
      const values = chunk.values;
      const base = k * chunk.size;
      for (let r = 0; r < n; r++) {
        const v = values[base + r]!;
        if (v !== v) continue;
        ts[j] = chunk.ts[r]!;
        value[j++] = v;
      }
    }
    // A column's times are some of the table's, in the same order.
    out.push({ ts, value, codes: null, first, sorted });
  }
  return out;
}

/** from[start, start + n) copied to out[at…]; returns the index after the last one written. */
function copyInto(out: number[], at: number, from: Float64Array, start: number, n: number): number {
  // The sum before the loop: code after a loop runs first from its OSR code, which would deopt
  // there on every call for want of type feedback.
  const end = at + n;
  for (let k = 0; k < n; k++) out[at + k] = from[start + k]!;
  return end;
}

/** A NaN in values[start, start + n): `includes` scans natively, a cold JS loop costs more. */
function hasNaN(values: Float64Array, start: number, n: number): boolean {
  return n > 0 && values.subarray(start, start + n).includes(NaN);
}

function countNaN(values: Float64Array, start: number, n: number): number {
  let nan = 0;
  for (let k = start, end = start + n; k < end; k++) if (values[k] !== values[k]) nan++;
  return nan;
}

/** One column of a table as samples, with the basis of each (rows of several bases). */
function columnSamples(table: RowTable, col: number, template: number[]): ColumnSamples {
  const ts: number[] = [];
  const value: number[] = [];
  let first = -1;
  let codes: number[] | null = null;
  for (const [chunk, n] of chunksOf(table)) {
    const base = col * chunk.size;
    for (let r = 0; r < n; r++) {
      const v = chunk.values[base + r]!;
      if (v !== v) continue;
      const code = chunk.code[r]!;
      if (first < 0) first = code;
      else if (codes !== null) codes.push(code);
      else if (code !== first) codes = firstCodes(first, ts.length, code);
      ts.push(chunk.ts[r]!);
      value.push(v);
    }
  }
  return { ts: packed(template, ts), value: packed(template, value), codes, first };
}

/** The same numbers in a packed double array (an array built by push may hold small ints). */
function packed(template: number[], from: number[]): number[] {
  const out = template.slice(0, from.length);
  for (let k = 0; k < from.length; k++) out[k] = from[k]!;
  return out;
}

/** A series' samples from its table columns: rows in order, NaN values skipped. */
function fromRows(b: SeriesBuf, columnsOf: (table: RowTable) => ColumnSamples[]): MetricSeriesOut {
  if (b.columns.length === 1) {
    const { table, col } = b.columns[0]!;
    const c = columnsOf(table)[col]!;
    return finish(b.series, c.ts, c.value, c.codes, c.first, c.sorted);
  }
  // In several tables (or twice in one): merge by row, then column.
  const found: { seq: number; col: number; ts: number; value: number; code: number }[] = [];
  for (const { table, col } of b.columns) {
    for (const [chunk, n] of chunksOf(table)) {
      const base = col * chunk.size;
      for (let r = 0; r < n; r++) {
        const v = chunk.values[base + r]!;
        if (v === v) found.push({ seq: chunk.seq[r]!, col, ts: chunk.ts[r]!, value: v, code: chunk.code[r]! });
      }
    }
  }
  found.sort((x, y) => x.seq - y.seq || x.col - y.col);
  const first = found[0]!.code;
  const mixedCodes = found.some((f) => f.code !== first);
  return finish(b.series, found.map((f) => f.ts), found.map((f) => f.value), mixedCodes ? found.map((f) => f.code) : null, first);
}

/**
 * A packed array of n doubles (0.5 each), made by doubling a literal: `new Array(n)` would be
 * holey, and holey arrays are several times slower to structured-clone (worker → page, IndexedDB).
 */
function packedDoubles(n: number): number[] {
  let out = [0.5];
  while (out.length * 2 <= n) out = out.concat(out);
  if (out.length < n) out = out.concat(out.slice(0, n - out.length));
  return out;
}

/** All n samples of chunked storage as one plain packed array (what MetricSeriesOut holds). */
function samples(template: number[], chunks: Float64Array[], last: Float64Array, fill: number, n: number): number[] {
  const out = template.slice(0, n);
  let i = 0;
  for (const chunk of chunks) i = copyInto(out, i, chunk, 0, chunk.length);
  copyInto(out, i, last, 0, fill);
  return out;
}

/** Code of a basis for `SeriesSet.push` and `row`. */
export function basisCode(at: SampleTime): number {
  return at.basis === 'utc' ? UTC : at.basis === 'local' ? LOCAL : RELATIVE;
}

/** A loop of its own: optimized once, not re-entered on the stack for every series. */
function isSorted(ts: number[]): boolean {
  for (let k = 1; k < ts.length; k++) if (ts[k]! < ts[k - 1]!) return false;
  return true;
}

/**
 * The output of one series from its samples in order (`codes` null: all have the basis
 * `first`; `inOrder`: the times are known to be in order).
 */
function finish(series: string, ts: number[], value: number[], codes: number[] | null, first: number, inOrder = false): MetricSeriesOut {
  if (codes === null) {
    // All samples of one basis: all kept, sorted only when a joined paste went back in time.
    const basis: Basis = first === RELATIVE ? 'relative' : first === LOCAL ? 'local' : 'utc';
    if (inOrder || isSorted(ts)) return { series, ts, value, basis };
    const keep = ts.map((_, k) => k);
    keep.sort((x, y) => ts[x]! - ts[y]! || x - y);
    return { series, ts: keep.map((k) => ts[k]!), value: keep.map((k) => value[k]!), basis };
  }
  const timed = codes.some((c) => c !== RELATIVE);
  const keep: number[] = [];
  for (let k = 0; k < ts.length; k++) if (!timed || codes[k] !== RELATIVE) keep.push(k);
  let sorted = true;
  for (let k = 1; k < keep.length; k++) if (ts[keep[k]!]! < ts[keep[k - 1]!]!) sorted = false;
  if (!sorted) keep.sort((x, y) => ts[x]! - ts[y]! || x - y);
  const basis: Basis = !timed ? 'relative' : keep.some((k) => codes[k] === LOCAL) ? 'local' : 'utc';
  return { series, ts: keep.map((k) => ts[k]!), value: keep.map((k) => value[k]!), basis };
}

/** A sample's place in time, in the line convention (see ParsedLine.local / relative). */
export interface SampleTime {
  ts: number;
  basis: Basis;
}

export function untimed(): SampleTime {
  return { ts: NaN, basis: 'utc' };
}

/**
 * Places a wall-clock reading: with its offset it is absolute (and a zone anchor for the
 * bundle); without one it is local time placed with the context zone.
 */
export function placeWall(wallUs: number, offsetMin: number, ctx: TimeContext, into: SampleTime, anchors: Anchors | null): void {
  if (offsetMin === offsetMin) {
    into.ts = wallUs - offsetMin * US_PER_MIN;
    into.basis = 'utc';
    anchors?.add(into.ts, wallUs, offsetMin);
  } else {
    into.ts = wallUs - ctx.zoneOffsetMin * US_PER_MIN;
    into.basis = 'local';
  }
}

/**
 * No stamp anywhere: sample `index` of the file at `index × interval` seconds, basis 'relative'
 * (seconds since boot). Only a last resort: it puts the samples right after boot on the axis.
 */
export function placeByIndex(index: number, intervalSec: number, into: SampleTime): void {
  into.ts = index * intervalSec * US_PER_SEC;
  into.basis = 'relative';
}

/** Writes a sample's time into the line result. */
export function stampLine(out: ParsedLine, at: SampleTime, level: Level = Level.info): void {
  out.ts = at.ts;
  out.local = at.basis === 'local';
  out.relative = at.basis === 'relative';
  out.level = level;
}

/** Zone anchors of a file: one per distinct offset (a node's files agree, so a few suffice). */
export class Anchors {
  readonly list: TimeAnchor[] = [];
  private readonly offsets = new Set<number>();

  add(utcUs: number, wallUs: number, offsetMin: number): void {
    if (this.offsets.has(offsetMin) || this.list.length >= 8) return;
    this.offsets.add(offsetMin);
    this.list.push({ utcUs, localAsUtcUs: wallUs });
  }
}

/** 10^k for k ≤ 22: exact doubles, so `digits / 10^k` is the correctly rounded decimal. */
const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Digits a double holds exactly in any combination (< 2^53). */
const EXACT_DIGITS = 15;

/**
 * `-?\d+([.,]\d+)?` spanning exactly s[i, e): its value as `Number()` reads it (a decimal comma
 * read as a point), else NaN. Short numbers are computed from their digits: an exact integer
 * over an exact power of ten is the correctly rounded value, the same double `Number()` gives.
 */
export function decimalAt(s: string, i: number, e: number): number {
  let k = i;
  const neg = k < e && s.charCodeAt(k) === 45;
  if (neg) k++;
  let n = 0;
  let digits: number;
  let c: number;
  const intStart = k;
  while (k < e && (c = s.charCodeAt(k) - 48) >= 0 && c <= 9) {
    n = n * 10 + c;
    k++;
  }
  if (k === intStart) return NaN;
  digits = k - intStart;
  let fracDigits = 0;
  if (k < e) {
    const sep = s.charCodeAt(k);
    if (sep !== 46 && sep !== 44) return NaN;
    k++;
    const fracStart = k;
    while (k < e && (c = s.charCodeAt(k) - 48) >= 0 && c <= 9) {
      n = n * 10 + c;
      k++;
    }
    fracDigits = k - fracStart;
    if (fracDigits === 0 || k < e) return NaN;
    digits += fracDigits;
  }
  if (digits > EXACT_DIGITS) return Number(s.slice(i, e).replace(',', '.'));
  const v = fracDigits === 0 ? n : n / POW10[fracDigits]!;
  return neg ? -v : v;
}

/** Size suffixes of sysstat `--human` (sizes in kB, so `M` = 1024); `%` and `k` scale by 1. */
function humanFactor(c: number): number {
  switch (c) {
    case 37: // %
    case 107: // k
      return 1;
    case 77: // M
      return 1024;
    case 71: // G
      return 1024 ** 2;
    case 84: // T
      return 1024 ** 3;
    default:
      return 0;
  }
}

/**
 * A number as sysstat/procps print it, spanning s[i, e): `12.50`, `12,50` (LC_NUMERIC); with
 * `human` also sysstat `--human` values (`0.1%`, `22.7k`: sizes in kB, so `M` = 1024); junk → NaN.
 */
export function numberAt(s: string, i: number, e: number, human: boolean): number {
  if (e <= i) return NaN;
  const last = s.charCodeAt(e - 1);
  if (last >= 48 && last <= 57) return decimalAt(s, i, e);
  const factor = humanFactor(last);
  if (factor === 0 || !human) return NaN;
  return decimalAt(s, i, e - 1) * factor;
}

/**
 * A number as sysstat/procps print it: `12.50`, `12,50` (LC_NUMERIC); with `human` also
 * sysstat `--human` values (`0.1%`, `22.7k`: sizes in kB, so `M` = 1024); junk → NaN.
 */
export function parseNumber(tok: string, human = false): number {
  return numberAt(tok, 0, tok.length, human);
}

const iso = newIsoStamp();

/** Layers the last payloadStart peeled. */
let peeledLayers = 0;

/**
 * Where a line's payload starts after paste layers (at most `maxLayers`): indentation,
 * `grep -n`, `FILE:`, CI stamps.
 */
export function payloadStart(line: string, end: number, info: CollectorInfo, maxLayers = MAX_LAYERS): number {
  info.outerTs = NaN;
  peeledLayers = 0;
  let i = skipBlanks(line, 0, end);
  // Every layer has a colon near its start: a CI or log-UI stamp (`hh:` at 13), a node address
  // (`198.51.100.10: `), grep's `FILE:` or `12:` (a run without blanks before the colon). A line
  // whose first colon is further on, behind a blank, has no layer: metric rows are such lines.
  const colon = line.indexOf(':', i);
  if (colon < 0 || colon >= end) return i;
  if (colon - i > 19) {
    const blank = line.indexOf(' ', i);
    if (blank >= 0 && blank < colon) return i;
  }
  // A lone ISO stamp (`2024-05-07T10:00:00+02:00`, the line between PSI samples) is the line.
  if (colon === i + 13 && line.charCodeAt(i + 10) === 84 && readIsoStamp(line, i, end, iso) && iso.end === end) return i;
  for (let layer = 0; layer < maxLayers; layer++) {
    let next = peelCollector(line, i, end, info);
    if (next < 0) next = grepLayer(line, i, end);
    if (next < 0 || next <= i) break;
    next = skipBlanks(line, next, end);
    // A layer never takes the whole line: a lone stamp line is the line, not a collector stamp.
    if (next >= end) break;
    i = next;
    peeledLayers = layer + 1;
  }
  return i;
}

/** `[\w./+~-]`: the characters of a grep FILE or LINENO. */
function isGrepChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 45 && c <= 57) || c === 95 || c === 43 || c === 126;
}

/** `12:` (grep -n over one file, any number of digits) or `path/with.dots:` (grep over several). */
function grepLayer(line: string, i: number, end: number): number {
  // Either form is a run of `[\w./+~-]` ending at a colon, all digits or with a `/` or `.` in it:
  // most lines (data rows, `2024-05-07T10:…` stamps) fail that without the regex.
  const limit = Math.min(end, i + 512);
  let k = i;
  let digits = true;
  let pathy = false;
  for (; k < limit; k++) {
    const c = line.charCodeAt(k);
    if (!isGrepChar(c)) break;
    if (c < 48 || c > 57) {
      digits = false;
      if (c === 47 || c === 46) pathy = true;
    }
  }
  if (k >= limit || line.charCodeAt(k) !== 58 || k === i || !(digits || pathy)) return -1;
  const m = /^(?:\d+:(?!\d)|[\w.+~-]*[/.][\w./+~-]*:(?:\d+:)?)/.exec(line.slice(i, limit));
  return m ? i + m[0].length : -1;
}

export function newCollectorInfo(): CollectorInfo {
  return { outerTs: NaN, outerYear: 0, outerMonth: 0 };
}

/**
 * `s.startsWith(text, at)` for short words. Lines are slices of a decoded chunk: V8's startsWith
 * takes a runtime call for those, and reading char by char costs more than copying a substring
 * this short (V8 copies substrings under 13 chars) and comparing it inline.
 */
export function textIs(s: string, at: number, text: string): boolean {
  return text.length <= 12 ? s.substring(at, at + text.length) === text : s.indexOf(text, at) === at;
}

/** `\s` (and what `trim()` drops): ASCII blanks and line breaks, NBSP, the Unicode spaces, BOM. */
export function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

const encoder = new TextEncoder();

/** Token flags: all ASCII digits; a plain number (`\d+` or `\d+[.,]\d+`, ≤ 15 digits) read while scanning. */
const ALL_DIGITS = 1;
const PLAIN = 2;
/** Digits read while scanning: their value stays an exact int32. */
const MANT_DIGITS = 9;

/**
 * The whitespace-separated tokens of a line after its paste layers (CR dropped), as offsets into
 * `line` (the line itself, or a copy without ANSI escapes): no string per token on the hot path.
 * Plain numbers (the cells of metric rows) are read in the same pass over the characters.
 */
export class Tokens {
  line = '';
  n = 0;
  private bytes = new Uint8Array(256);
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private flags = new Uint8Array(64);
  private values = new Float64Array(64);

  /** Where the payload starts and ends in `line` (after paste layers; CR dropped). */
  from = 0;
  to = 0;
  /** Paste layers skipped before `from`. */
  layers = 0;
  /** What the layers of the text before a line's first escape told (see peelBeforeEscapes). */
  private readonly rawInfo: CollectorInfo = newCollectorInfo();

  /** Tokenizes `raw`; the same tokens as `payloadTokens`. */
  scan(raw: string, info: CollectorInfo): void {
    this.begin(raw, info);
    this.tokenize();
  }

  /**
   * The payload of `raw` (ANSI escapes dropped, at most `maxLayers` paste layers skipped), not yet
   * tokenized. A caller that knows how many layers the file's lines have passes that: text of the
   * payload can look like one more (iostat `-j PATH` names, `pci-0000:00:1f.2-ata-1`, read as `FILE:LINENO:`).
   */
  begin(raw: string, info: CollectorInfo, maxLayers = MAX_LAYERS): void {
    const esc = raw.indexOf('\u001b');
    const line = esc >= 0 ? stripAnsi(raw, lineEnd(raw)) : raw;
    const end = lineEnd(line);
    this.line = line;
    this.to = end;
    this.from = payloadStart(line, end, info, maxLayers);
    this.layers = peeledLayers;
    this.n = 0;
    if (esc > 0) this.peelBeforeEscapes(raw, esc, info, maxLayers);
  }

  /**
   * Stripping escapes first can join a layer's digits with the payload's (`3:` then `0␛[0m0:00`
   * reads `3:00:00`, a time, so the layer is not peeled): when the text before the first escape
   * peels more layers than the stripped line did, those layers stand, and only the rest is stripped.
   */
  private peelBeforeEscapes(raw: string, esc: number, info: CollectorInfo, maxLayers: number): void {
    const from = payloadStart(raw, esc, this.rawInfo, maxLayers);
    if (peeledLayers <= this.layers || from >= esc) return;
    Object.assign(info, this.rawInfo);
    const rawEnd = lineEnd(raw);
    this.layers = peeledLayers;
    this.line = raw.slice(0, from) + stripAnsi(raw.slice(from, rawEnd), rawEnd - from);
    this.to = lineEnd(this.line);
    this.from = from;
  }

  /** The payload as text: lines with the same payload have the same tokens. */
  payload(): string {
    return this.line.slice(this.from, this.to);
  }

  /** The payload's first char (a blank when it is indented past the layers), -1 when empty. */
  firstChar(): number {
    return this.from < this.to ? this.line.charCodeAt(this.from) : -1;
  }

  tokenize(): void {
    const end = this.to;
    let n = 0;
    let k = this.from;
    if (k >= end) {
      this.n = 0;
      return;
    }
    const codes = this.charCodes();
    while (k < end) {
      let c = codes[k]!;
      if (c === 32 || (c >= 9 && c <= 13)) {
        k++;
        continue;
      }
      const start = k;
      // One pass: the leading digits, then maybe `.`/`,` and more digits (up to 9 digits
      // accumulate in int32 math); a token of any other shape only has its end found.
      let flags = 0;
      let mant = 0;
      let digits = 0;
      let d = c - 48;
      while (d >= 0 && d <= 9) {
        if (digits < MANT_DIGITS) mant = mant * 10 + d;
        digits++;
        if (++k >= end) break;
        c = codes[k]!;
        d = c - 48;
      }
      if (digits > 0 && (k >= end || c === 32 || (c >= 9 && c <= 13))) {
        flags = digits <= MANT_DIGITS ? ALL_DIGITS | PLAIN : ALL_DIGITS;
      } else {
        let frac = 0;
        if (digits > 0 && (c === 46 || c === 44)) {
          // `\d+[.,]\d+`
          while (++k < end) {
            c = codes[k]!;
            d = c - 48;
            if (d < 0 || d > 9) break;
            if (digits < MANT_DIGITS) mant = mant * 10 + d;
            digits++;
            frac++;
          }
          if (frac > 0 && digits <= MANT_DIGITS && (k >= end || c === 32 || (c >= 9 && c <= 13))) {
            flags = PLAIN;
            mant /= POW10[frac]!;
          }
        }
        // Anything else: find the end.
        while (k < end) {
          c = codes[k]!;
          if (c === 32 || (c >= 9 && c <= 13)) break;
          k++;
        }
      }
      if (n === this.starts.length) this.grow();
      this.starts[n] = start;
      this.ends[n] = k;
      this.flags[n] = flags;
      this.values[n] = mant;
      n++;
    }
    this.n = n;
  }

  /**
   * The line as one byte per char, for the tokenizer: `charCodeAt` on a line (a slice of a
   * decoded chunk) costs several times a typed-array read. ASCII lines are copied by
   * TextEncoder; in others each char becomes a stand-in of its class (digits, `.`, `,` stay;
   * any blank `\s` → space; anything else → `x`), which tokenizes the same.
   */
  private charCodes(): Uint8Array {
    const line = this.line;
    const len = line.length;
    if (len > this.bytes.length) this.bytes = new Uint8Array(Math.max(len, this.bytes.length * 2));
    const bytes = this.bytes;
    const r = encoder.encodeInto(line, bytes);
    if (r.read === len && r.written === len) return bytes;
    for (let k = 0; k < len; k++) {
      const c = line.charCodeAt(k);
      bytes[k] = c < 128 ? c : isSpace(c) ? 32 : 120;
    }
    return bytes;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const flags = new Uint8Array(size);
    const values = new Float64Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    flags.set(this.flags);
    values.set(this.values);
    this.starts = starts;
    this.ends = ends;
    this.flags = flags;
    this.values = values;
  }

  start(k: number): number {
    return this.starts[k]!;
  }

  end(k: number): number {
    return this.ends[k]!;
  }

  str(k: number): string {
    return this.line.slice(this.starts[k]!, this.ends[k]!);
  }

  /** Token k is exactly `text`. */
  is(k: number, text: string): boolean {
    const s = this.starts[k]!;
    return this.ends[k]! - s === text.length && textIs(this.line, s, text);
  }

  /** Token k is all ASCII digits. */
  isDigits(k: number): boolean {
    return (this.flags[k]! & ALL_DIGITS) !== 0;
  }

  /** Token k as `numberAt` reads it. */
  number(k: number, human: boolean): number {
    if ((this.flags[k]! & PLAIN) !== 0) return this.values[k]!;
    return numberAt(this.line, this.starts[k]!, this.ends[k]!, human);
  }

  strings(): string[] {
    const toks = new Array<string>(this.n);
    for (let k = 0; k < this.n; k++) toks[k] = this.str(k);
    return toks;
  }

  /** `strings().join(' ')`: a slice of the line when single spaces separate the tokens. */
  joined(): string {
    if (this.n === 0) return '';
    const line = this.line;
    for (let k = 1; k < this.n; k++) {
      if (this.starts[k]! !== this.ends[k - 1]! + 1 || line.charCodeAt(this.ends[k - 1]!) !== 32) return this.strings().join(' ');
    }
    return line.slice(this.starts[0]!, this.ends[this.n - 1]!);
  }
}

/** The columns of a table that have a warning bound (few of them), with their bounds. */
export interface WarnBounds {
  cols: number[];
  above: number[];
}

export function warnBounds(names: readonly string[], boundOf: (name: string) => number): WarnBounds {
  const bounds: WarnBounds = { cols: [], above: [] };
  names.forEach((name, k) => {
    const above = boundOf(name);
    if (above === Infinity) return;
    bounds.cols.push(k);
    bounds.above.push(above);
  });
  return bounds;
}

/** Some bounded column of a row is over its bound: column k is row[from + k], a number or a regex capture (read with `+`). */
export function overBounds(bounds: WarnBounds, row: ArrayLike<number | string>, from = 0): boolean {
  for (let k = 0; k < bounds.cols.length; k++) if (+row[from + bounds.cols[k]!]! > bounds.above[k]!) return true;
  return false;
}

/**
 * The line names none of `words` and holds no ANSI escape (which could hide one). Detection runs
 * on the head of every file of a bundle: most lines are ruled out by these scans, untokenized.
 */
export function mentionsNone(line: string, words: readonly string[]): boolean {
  if (line.indexOf('\u001b') >= 0) return false;
  for (const w of words) if (line.indexOf(w) >= 0) return false;
  return true;
}

/** One scanner for payloadTokens: detection calls it on every sniffed line, and a Tokens is five typed arrays. */
const scratch = new Tokens();

/** The whitespace-separated tokens of a line after its paste layers (CR dropped). */
export function payloadTokens(raw: string, info: CollectorInfo): string[] {
  scratch.scan(raw, info);
  const toks = scratch.strings();
  scratch.line = '';
  return toks;
}

/**
 * A command line (`$ iostat -x 5`, `root@node:~# vmstat -t -S m 2 10`) naming `command`:
 * its interval (first bare number after the options) and the `-S`/`--unit` letter.
 */
export function readCommand(text: string, command: string): { interval: number; unit: string } | null {
  const toks = text.split(/\s+/);
  const at = toks.findIndex((t) => t === command || t.endsWith(`/${command}`));
  if (at < 0) return null;
  let interval = NaN;
  let unit = '';
  for (let k = at + 1; k < toks.length; k++) {
    const t = toks[k]!;
    const opt = /^(-S|--unit|-p|-j|-g|-o|--dec)(?:=(.*))?$/.exec(t);
    if (opt) {
      const value = opt[2] ?? toks[++k] ?? '';
      if (opt[1] === '-S' || opt[1] === '--unit') unit = value;
    } else if (/^-S\w$/.test(t)) unit = t.slice(2);
    else if (/^\d+(\.\d+)?$/.test(t) && interval !== interval) interval = Number(t);
  }
  return { interval: interval > 0 ? interval : NaN, unit };
}
