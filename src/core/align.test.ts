import { describe, expect, it } from 'vitest';
import { sourcesOf, yearShiftFor, type BundleTime } from './align';
import type { EntryResult, SourceResult } from './ingest';

function localSource(firstMs: number, lastMs: number): SourceResult {
  return {
    id: 'f:kubelet', origin: 'kubelet', lines: 10, records: 10, firstTs: firstMs * 1000, lastTs: lastMs * 1000,
    localStamped: 10, absoluteStamped: 0, relativeStamped: 0, levelCounts: [0, 0, 10, 0, 0, 0, 0], blocks: [],
  };
}

function bundle(fromMs: number, toMs: number): BundleTime {
  return { zoneOffsetMin: 0, zoneSource: 'inferred', bootUs: null, bootSource: null, absoluteFrom: fromMs * 1000, absoluteTo: toMs * 1000 };
}

describe('yearShiftFor', () => {
  // Variants over years, days in the year and span lengths, so no single date decides the result.
  const cases: { year: number; month: number; day: number }[] = [];
  for (const year of [2019, 2023, 2024, 2025]) for (const [month, day] of [[0, 3], [5, 15], [11, 31]] as const) cases.push({ year, month, day });

  it('moves a source parsed in an assumed year to the year of the dated lines', () => {
    for (const { year, month, day } of cases) {
      const dataMs = Date.UTC(year, month, day, 10, 0, 0);
      const assumed = year + 2; // the file's date: copied two years later
      const parsedFirst = Date.UTC(assumed, month, day, 10, 0, 0);
      const shift = yearShiftFor(localSource(parsedFirst, parsedFirst + 3600e3), assumed, bundle(dataMs - 600e3, dataMs + 7200e3));
      expect(new Date(parsedFirst + shift / 1000).getUTCFullYear()).toBe(year);
    }
  });

  it('leaves a source whose parsed year already fits, even when the dated lines span several years', () => {
    for (const { year, month, day } of cases) {
      const first = Date.UTC(year, month, day, 10, 0, 0);
      // Dated lines from a year before to a year after: every whole-year move keeps it inside.
      const shift = yearShiftFor(localSource(first, first + 3600e3), year, bundle(Date.UTC(year - 1, 0, 1), Date.UTC(year + 1, 11, 31)));
      expect(shift).toBe(0);
    }
  });

  it('keeps a Dec→Jan rollover parsed from the year before the file date', () => {
    for (const year of [2020, 2024, 2025]) {
      const first = Date.UTC(year, 11, 31, 23, 58);
      const last = Date.UTC(year + 1, 0, 1, 0, 2);
      expect(yearShiftFor(localSource(first, last), year + 1, bundle(first + 1000, last - 1000))).toBe(0);
      // And a rollover parsed a year late comes back by exactly one year.
      const lateFirst = Date.UTC(year + 1, 11, 31, 23, 58);
      const late = yearShiftFor(localSource(lateFirst, Date.UTC(year + 2, 0, 1, 0, 2)), year + 1, bundle(first + 1000, last - 1000));
      expect(lateFirst + late / 1000).toBe(first);
    }
  });

  it('does not move a source when nothing in the bundle carries a year', () => {
    const first = Date.UTC(2024, 5, 1);
    expect(yearShiftFor(localSource(first, first + 1000), 2024, bundle(Infinity, -Infinity))).toBe(0);
  });
});

describe('sourcesOf: where a wall-clock source\'s year came from', () => {
  const entry = (anchors: EntryResult['anchors'], first: number): EntryResult => ({
    path: 'kubelet.log', format: 'syslog', detectedFormat: 'syslog', detectionScore: 1, status: 'done', bytes: 100, digest: '', lines: 10,
    sources: [localSource(first, first + 60e3)], anchors, parsedZoneOffsetMin: 0, parsedYear: new Date(first).getUTCFullYear(),
    extrasSourceId: 'f:kubelet', metrics: [], goroutines: 0, events: 0, notes: [], errors: [], timings: { readMs: 0, storeMs: 0, parseMs: 0 },
  });

  it('says the stamps when the file\'s own dated lines gave it, the file date otherwise', () => {
    for (const year of [2021, 2024, 2026]) {
      const first = Date.UTC(year, 3, 9, 12);
      const dated = entry([{ utcUs: first * 1000, localAsUtcUs: first * 1000 }], first);
      const bt = bundle(first, first + 60e3);
      expect(sourcesOf(dated, 'b', 'f', bt, 'file-date')[0]!.time.yearSource).toBe('stamp');
      expect(sourcesOf(entry([], first), 'b', 'f', bt, 'file-date')[0]!.time.yearSource).toBe('file-date');
      expect(sourcesOf(entry([], first), 'b', 'f', bundle(Infinity, -Infinity), 'assumed-current')[0]!.time.yearSource).toBe('assumed-current');
    }
  });
});
