// Property-based tests (fast-check) for every parser in the registry: arbitrary input never
// throws and never loses a line. Every input line ends up in the index exactly once, at its own
// byte range, as a record, part of a multi-line record, or (binary, empty) a reported refusal.
// Whole files go through the real pipeline entry (ingestEntry) with each format forced in turn
// and with detection; parsers are also driven directly with arbitrary strings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  US_PER_DAY, US_PER_MIN, US_PER_SEC, YearTracker, civilToUs, daysFromCivil, formatIsoUs, isoUtcUs, newIsoStamp, newSpan, placeNear,
  readFractionUs, readIsoStamp, readMonthName,
} from '../time/civil';
import {
  checkRun, concatBytes, corpusOf, fullCorpus, fuzzLine, ingestBytes, lineSpans, mutatedFile, textishBytes, utf8, type IngestRun,
} from './property-helpers';
import { formats } from './registry';
import { showTs } from './test-helpers';
import { newParsedLine, resetParsedLine, type Sniff, type TimeContext } from './types';

const IDS = formats.map((f) => f.id);
const CORPUS = fullCorpus();
// The run's seed (vitest.config.ts; in the suite's name, FC_SEED=N replays it); FC_RUNS multiplies the runs for a longer hunt.
const SEED = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
const RUNS = Number(process.env.FC_RUNS ?? 1);
const params = (numRuns: number): fc.Parameters<unknown> => ({ numRuns: Math.max(1, Math.round(numRuns * RUNS)), seed: SEED, endOnFailure: true });

/** Runs one input with detection and with every format forced, checking the invariants of each run. */
async function everyWay(path: string, bytes: Uint8Array, chunk: number, maxLineBytes?: number): Promise<void> {
  for (const formatId of [undefined, ...IDS]) {
    const run = await ingestBytes(path, bytes, { formatId, chunk, maxLineBytes });
    checkRun(bytes, run, maxLineBytes);
    if (formatId !== undefined && run.result.status === 'done') expect(run.result.format).toBe(formatId);
  }
}

const CR = Uint8Array.of(13);

/** The index as [offset, time, level] rows in file order. */
function indexOf(run: IngestRun): [number, string, number][] {
  return run.blocks.flatMap((b) => Array.from(b.offset, (o, k) => [o, showTs(b.ts[k]!), b.level[k]!] as [number, string, number]))
    .sort((x, y) => x[0] - y[0]);
}

/** `bytes` with every line (LF-terminated or last) replaced by `f(line)`, the LFs kept. */
function mapLines(bytes: Uint8Array, f: (line: Uint8Array) => Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let start = 0;
  for (;;) {
    const nl = bytes.indexOf(10, start);
    const end = nl < 0 ? bytes.length : nl;
    if (nl < 0 && end === start) break;
    parts.push(f(bytes.subarray(start, end)));
    if (nl < 0) break;
    parts.push(Uint8Array.of(10));
    start = nl + 1;
  }
  return concatBytes(parts);
}

const PATHS = ['node.log', 'var/log/kubelet.log', 'proc/pressure/io', 'kern.log', 'containerd.2206.stacks.log', 'iostat.txt', 'goroutine-stacks-2017-07-26T063631+0200.log'];

describe('the line splitter model the properties check against', () => {
  it('counts a last line without LF, strips CR before LF, keeps empty lines', () => {
    expect(lineSpans(utf8('a\r\n\nbc'))).toEqual([{ offset: 0, length: 1, cr: true }, { offset: 3, length: 0, cr: false }, { offset: 4, length: 2, cr: false }]);
    expect(lineSpans(utf8('a\n'))).toHaveLength(1);
    expect(lineSpans(utf8(''))).toHaveLength(0);
    expect(lineSpans(utf8('\r'))).toEqual([{ offset: 0, length: 0, cr: true }]);
  });
});

describe('whole files through ingestEntry (SEED=' + SEED + ')', () => {
  it('fully arbitrary bytes: resolved, every line accounted for, or refused with a reason', async () => {
    await fc.assert(fc.asyncProperty(
      fc.uint8Array({ maxLength: 600 }), fc.constantFrom(...PATHS), fc.integer({ min: 7, max: 700 }),
      async (bytes, path, chunk) => everyWay(path, bytes, chunk),
    ), params(80));
  });

  it('text-like bytes (Unicode, control bytes, invalid UTF-8, CR, long lines)', async () => {
    await fc.assert(fc.asyncProperty(
      textishBytes(), fc.constantFrom(...PATHS), fc.integer({ min: 7, max: 9000 }),
      async (bytes, path, chunk) => everyWay(path, bytes, chunk),
    ), params(100));
  });

  it('overlong lines cut by a small maxLineBytes keep their place', async () => {
    await fc.assert(fc.asyncProperty(
      textishBytes(30), fc.integer({ min: 16, max: 300 }), fc.integer({ min: 7, max: 500 }),
      async (bytes, maxLineBytes, chunk) => everyWay('node.log', bytes, chunk, maxLineBytes),
    ), params(40));
  });

  it('real-shaped files of all formats, cut, duplicated, shuffled, spliced, wrapped and escaped', async () => {
    await fc.assert(fc.asyncProperty(
      mutatedFile(CORPUS), fc.constantFrom(...PATHS), fc.integer({ min: 7, max: 4096 }),
      async (bytes, path, chunk) => everyWay(path, bytes, chunk),
    ), params(120));
  });

  it('chunk boundaries change nothing: the same index whatever the read size', async () => {
    await fc.assert(fc.asyncProperty(mutatedFile(CORPUS), fc.integer({ min: 1, max: 64 }), async (bytes, chunk) => {
      const a = await ingestBytes('node.log', bytes, { chunk: 1 << 16 });
      const b = await ingestBytes('node.log', bytes, { chunk });
      expect(b.result.format).toBe(a.result.format);
      expect(indexOf(b)).toEqual(indexOf(a));
    }), params(40));
  });

  it('CRLF line endings change nothing but the lengths', async () => {
    await fc.assert(fc.asyncProperty(mutatedFile(CORPUS), async (bytes) => {
      const crlf = mapLines(bytes, (line) => (line[line.length - 1] === 13 ? line : concatBytes([line, CR])));
      const a = await ingestBytes('node.log', bytes);
      const b = await ingestBytes('node.log', crlf);
      if (a.result.status !== 'done' || b.result.status !== 'done') return;
      expect(b.result.format).toBe(a.result.format);
      expect(indexOf(b).map(([, ts, level]) => [ts, level])).toEqual(indexOf(a).map(([, ts, level]) => [ts, level]));
    }), params(60));
  });

  describe.each(['klog', 'klog-json', 'containerd', 'syslog', 'dmesg', 'journal-json', 'psi', 'iostat', 'vmstat'])('%s', (id) => {
    it('undated collector layers on every line (`grep -n`, node addresses) change no time or level', async () => {
      await fc.assert(fc.asyncProperty(mutatedFile(corpusOf(id)), fc.constantFrom('grep', 'n', 'ip'), async (bytes, kind) => {
        let n = 0;
        const wrapped = mapLines(bytes, (line) => concatBytes([utf8(kind === 'grep' ? `${id}.log:${++n}:` : kind === 'n' ? `${++n}:` : '10.0.0.3: '), line]));
        const a = await ingestBytes(`${id}.log`, bytes, { formatId: id });
        const b = await ingestBytes(`${id}.log`, wrapped, { formatId: id });
        if (a.result.status !== 'done' || b.result.status !== 'done') return;
        expect(indexOf(b).map(([, ts, level]) => [ts, level])).toEqual(indexOf(a).map(([, ts, level]) => [ts, level]));
      }), params(60));
    });
  });

  describe.each(IDS)('%s', (id) => {
    const corpus = corpusOf(id);
    it('its own lines, damaged: every line accounted for, forced and detected', async () => {
      await fc.assert(fc.asyncProperty(mutatedFile(corpus), fc.integer({ min: 7, max: 4096 }), async (bytes, chunk) => {
        for (const formatId of [id, undefined]) checkRun(bytes, await ingestBytes(`${id}.log`, bytes, { formatId, chunk }));
      }), params(60));
    });
  });
});

const CTX: fc.Arbitrary<TimeContext> = fc.record({
  year: fc.integer({ min: 1970, max: 2100 }),
  zoneOffsetMin: fc.integer({ min: -720, max: 840 }),
  bootTimeUs: fc.option(fc.integer({ min: 0, max: 4_102_444_800 }).map((s) => s * US_PER_SEC)),
  path: fc.constantFrom(...PATHS),
});

describe.each(formats.map((f) => [f.id, f] as const))('%s parser driven directly', (_id, format) => {
  const lines = fc.array(fuzzLine([...corpusOf(format.id), ...CORPUS.slice(0, 50)]), { maxLength: 30 });

  it('parse() and finish() never throw on arbitrary strings, and write sane results', () => {
    fc.assert(fc.property(lines, CTX, (input, ctx) => {
      const parser = format.createParser(ctx);
      const out = newParsedLine();
      for (const line of input) {
        resetParsedLine(out);
        parser.parse(line, out);
        if (out.ts === out.ts && !Number.isFinite(out.ts)) throw new Error(`ts ${out.ts} for ${JSON.stringify(line)}`);
        if (!(out.level >= 0 && out.level <= 6)) throw new Error(`level ${out.level} for ${JSON.stringify(line)}`);
      }
      const extras = parser.finish?.() ?? {};
      for (const m of extras.metrics ?? []) {
        expect(m.ts.length, m.series).toBe(m.value.length);
        expect(m.ts.every((t) => Number.isFinite(t)), m.series).toBe(true);
      }
      for (const d of extras.dumps ?? []) for (const g of d.goroutines) expect(g.line).toBeGreaterThanOrEqual(0);
      for (const e of extras.events ?? []) expect(e.lineCount).toBeGreaterThan(0);
      for (const a of extras.anchors ?? []) expect(Number.isFinite(a.utcUs)).toBe(true);
    }), params(200));
  });

  it('detect() and anchors() never throw and score within [0, 1]', () => {
    fc.assert(fc.property(lines, fc.constantFrom(...PATHS), (input, path) => {
      const sniff: Sniff = { path, lines: input };
      const score = format.detect(sniff);
      expect(score >= 0 && score <= 1, `score ${score}`).toBe(true);
      for (const a of format.anchors?.(sniff) ?? []) {
        expect(Number.isFinite(a.utcUs)).toBe(true);
        if (a.localAsUtcUs !== null) expect(Number.isFinite(a.localAsUtcUs)).toBe(true);
      }
    }), params(200));
  });
});

// ---------------------------------------------------------------------------------------------
// Time helpers (src/core/time/civil.ts)

const MIN_US = Date.UTC(1970, 0, 1) * 1000;
const MAX_US = Date.UTC(2100, 11, 31, 23, 59, 59) * 1000 + 999_999;
const INSTANT = fc.integer({ min: MIN_US / US_PER_SEC, max: Math.floor(MAX_US / US_PER_SEC) }).chain((s) =>
  fc.integer({ min: 0, max: 999_999 }).map((us) => s * US_PER_SEC + us));
const p2 = (n: number) => String(n).padStart(2, '0');

function parts(us: number) {
  const d = new Date(Math.floor(us / 1000));
  return { y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), mi: d.getUTCMinutes(), s: d.getUTCSeconds(), us: us - Math.floor(us / US_PER_SEC) * US_PER_SEC };
}

describe('civil time properties', () => {
  it('civilToUs agrees with Date.UTC over 1970-2100', () => {
    fc.assert(fc.property(INSTANT, (us) => {
      const t = parts(us);
      expect(civilToUs(t.y, t.mo, t.d, t.h, t.mi, t.s, t.us)).toBe(us);
      expect(daysFromCivil(t.y, t.mo, t.d)).toBe(Math.floor(us / US_PER_DAY));
    }), params(500));
  });

  it('formatIsoUs and readIsoStamp round-trip', () => {
    fc.assert(fc.property(INSTANT, (us) => {
      const text = formatIsoUs(us);
      const st = newIsoStamp();
      expect(readIsoStamp(text, 0, text.length, st)).toBe(true);
      expect(isoUtcUs(st)).toBe(us);
      expect(st.end).toBe(text.length);
    }), params(300));
  });

  it('readIsoStamp reads RFC 3339 and its relatives: T or space, 0-9 fraction digits after . or ,, Z / ±hh:mm / ±hhmm / ±hh / none', () => {
    const offset = fc.oneof(fc.integer({ min: -14 * 60, max: 14 * 60 }), fc.integer({ min: -48, max: 56 }).map((q) => q * 15));
    fc.assert(fc.property(INSTANT, offset, fc.nat({ max: 9 }), fc.constantFrom('T', ' '), fc.constantFrom('.', ','),
      fc.constantFrom('Z', 'z', 'colon', 'plain', 'hours', 'none'), fc.string({ unit: fc.constantFrom(' ', 'x', '"', ']'), maxLength: 3 }),
      (utcUs, offsetMin, digits, sep, dot, style, tail) => {
        const zone = style === 'Z' || style === 'z' ? 0 : style === 'hours' ? Math.trunc(offsetMin / 60) * 60 : offsetMin;
        const t = parts(utcUs + (style === 'none' ? 0 : zone) * US_PER_MIN);
        const frac9 = String(t.us).padStart(6, '0') + '987';
        const frac = digits > 0 ? dot + frac9.slice(0, digits) : '';
        const a = Math.abs(zone);
        const sign = zone < 0 ? '-' : '+';
        const off = style === 'Z' || style === 'z' ? style : style === 'colon' ? `${sign}${p2(Math.floor(a / 60))}:${p2(a % 60)}`
          : style === 'plain' ? `${sign}${p2(Math.floor(a / 60))}${p2(a % 60)}` : style === 'hours' ? `${sign}${p2(a / 60)}` : '';
        const text = `${String(t.y).padStart(4, '0')}-${p2(t.mo)}-${p2(t.d)}${sep}${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}${frac}${off}`;
        const st = newIsoStamp();
        const line = `${text}${tail}`;
        expect(readIsoStamp(line, 0, line.length, st), line).toBe(true);
        expect(st.end, line).toBe(text.length);
        expect(st.year).toBe(t.y);
        expect(st.month).toBe(t.mo);
        // Digits past the 6th are dropped, not rounded.
        const keptUs = digits >= 6 ? t.us : Math.floor(t.us / 10 ** (6 - digits)) * 10 ** (6 - digits);
        const wall = civilToUs(t.y, t.mo, t.d, t.h, t.mi, t.s, keptUs);
        expect(st.wallUs, line).toBe(wall);
        if (style === 'none') expect(st.offsetMin).toBeNaN();
        else expect(isoUtcUs(st), line).toBe(wall - zone * US_PER_MIN);
      }), params(400));
  });

  it('readIsoStamp refuses impossible fields and never reads past `end`', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '5', '9', '-', ':', 'T', ' ', '.', '+', 'Z'), maxLength: 40 }), fc.nat({ max: 40 }), (s, cut) => {
      const st = newIsoStamp();
      const end = Math.min(cut, s.length);
      if (readIsoStamp(s, 0, end, st)) {
        expect(st.end).toBeLessThanOrEqual(end);
        expect(st.month >= 1 && st.month <= 12).toBe(true);
        expect(Number.isFinite(st.wallUs)).toBe(true);
      }
    }), params(400));
  });

  it('readFractionUs keeps the first 6 digits and pads shorter fractions', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), minLength: 1, maxLength: 12 }), (digits) => {
      const span = newSpan();
      expect(readFractionUs(`${digits}x`, 0, digits.length + 1, span)).toBe(Number(digits.slice(0, 6).padEnd(6, '0')));
      expect(span.end).toBe(digits.length);
    }), params(200));
  });

  it('readMonthName reads every supported locale abbreviation before a space', () => {
    const names: [string, number][] = [];
    const add = (list: string[]) => list.forEach((n, k) => names.push([n, k + 1]));
    add(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']);
    add(['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.']);
    add(['Jan', 'Feb', 'Mär', 'Apr', 'Mai', 'Jun', 'Jul', 'Aug', 'Sep', 'Okt', 'Nov', 'Dez']);
    add(['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic']);
    add(['1月', '2月', '3月', '4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月']);
    names.push(['sept', 9], ['Sept', 9]);
    fc.assert(fc.property(fc.constantFrom(...names), fc.string({ maxLength: 4 }), ([name, month], before) => {
      const span = newSpan();
      const s = `${before}${name} 05 10:00:00`;
      expect(readMonthName(s, before.length, s.length, span), s).toBe(true);
      expect(span.value, s).toBe(month);
      expect(span.end).toBe(before.length + name.length);
    }), params(300));
  });

  /** Dates one after another (forward or backward, steps of up to `maxStepDays`), and the tracker's years for their months. */
  const walk = (backward: boolean, maxStepDays: number) => fc.tuple(
    fc.integer({ min: Date.UTC(1975, 0, 1) / 86_400_000, max: Date.UTC(2095, 0, 1) / 86_400_000 }),
    fc.array(fc.integer({ min: 0, max: maxStepDays }), { minLength: 1, maxLength: 80 }),
  ).map(([day, steps]) => {
    const days = [day];
    for (const s of steps) days.push(days[days.length - 1]! + (backward ? -s : s));
    return days.map((d) => new Date(d * 86_400_000));
  });

  it('YearTracker follows a forward file across New Year (steps up to 2 months)', () => {
    fc.assert(fc.property(walk(false, 60), (dates) => {
      const years = new YearTracker(dates[0]!.getUTCFullYear());
      for (const d of dates) expect(years.yearFor(d.getUTCMonth() + 1), d.toISOString()).toBe(d.getUTCFullYear());
    }), params(300));
  });

  it('YearTracker follows a reverse-chronological file (newest first) across New Year', () => {
    fc.assert(fc.property(walk(true, 60), (dates) => {
      const years = new YearTracker(dates[0]!.getUTCFullYear());
      for (const d of dates) expect(years.yearFor(d.getUTCMonth() + 1), d.toISOString()).toBe(d.getUTCFullYear());
    }), params(300));
  });

  it('placeNear puts a yearless stamp on its month and day, within half a year of the reference', () => {
    fc.assert(fc.property(INSTANT, fc.integer({ min: -170, max: 170 }), (near, shiftDays) => {
      const t = parts(near + shiftDays * US_PER_DAY);
      if (t.mo === 2 && t.d === 29) return; // not in every year
      const tod = ((t.h * 60 + t.mi) * 60 + t.s) * US_PER_SEC + t.us;
      const placed = placeNear(t.mo, t.d, tod, near);
      expect(formatIsoUs(placed)).toBe(formatIsoUs(near + shiftDays * US_PER_DAY));
    }), params(300));
  });
});
