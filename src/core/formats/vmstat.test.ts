import { describe, expect, it } from 'vitest';
import { Level } from '../model';
import { fixture, isoList, runMetric, sniffOf, wallParts } from './metric-test-helpers';
import { detectFormat } from './registry';
import { pick, rng } from './test-helpers';
import { vmstatFormat } from './vmstat';

const procps4 = fixture('vmstat', 'vmstat-tw-procps4-gu-crlf-iij-bootcamp-2026.txt');
const procps3 = fixture('vmstat', 'vmstat-tw-procps3-crlf-iij-bootcamp-2021.txt');

describe('vmstat, real iij/bootcamp captures (CRLF)', () => {
  it('is detected', () => {
    for (const text of [procps4, procps3]) {
      const d = detectFormat(sniffOf('vmstat.txt', text));
      expect(d.format.id).toBe('vmstat');
      expect(d.score).toBeGreaterThan(0.9);
    }
  });

  it('reads procps-ng 4 -tw with gu and a UTC zone column as absolute time', () => {
    const run = runMetric(vmstatFormat, procps4, { zoneOffsetMin: 540 }, true);
    const r = run.series('vmstat.r');
    expect(r.value).toEqual([1, 1, 1, 9, 9, 8, 9, 9, 8, 11, 8]);
    expect(r.basis).toBe('utc');
    expect(isoList(r.ts).slice(0, 2)).toEqual(['2026-06-01T01:43:00Z', '2026-06-01T01:43:01Z']);
    expect(run.series('vmstat.gu').value.every((v) => v === 0)).toBe(true);
    expect(run.series('vmstat.cs').value.slice(0, 4)).toEqual([2, 353, 200, 2019]);
    expect(run.series('vmstat.free').unit).toBe('KiB');
    expect(run.names()).toHaveLength(18);
    expect(run.lines.slice(0, 2).every((l) => l.continuation)).toBe(true);
    expect(run.lines.slice(2).every((l) => l.ts === l.ts && !l.local && !l.continuation)).toBe(true);
    expect(run.anchors).toEqual([{ utcUs: r.ts[0], localAsUtcUs: r.ts[0] }]);
  });

  it('follows the zone of each repeated header (UTC, then JST) and sorts the joined blocks', () => {
    const run = runMetric(vmstatFormat, procps3, {}, true);
    const id = run.series('vmstat.id');
    expect(id.ts).toHaveLength(16);
    expect(id.basis).toBe('utc');
    // The JST blocks (13:30 JST = 04:30 UTC) come before the UTC block (10:10 UTC) in time,
    // so the third block (rows 5-9 once sorted) follows the second.
    expect(isoList(id.ts).slice(0, 1)).toEqual(['2021-05-28T04:30:57Z']);
    expect(isoList(id.ts).slice(-1)).toEqual(['2021-05-28T10:10:51Z']);
    // The 5-digit cs pushes the columns right; the third header has no leading space.
    expect(run.series('vmstat.cs').value.slice(5, 10)).toEqual([29472, 31376, 31527, 31500, 31615]);
    expect(run.series('vmstat.us').value.slice(5, 10)).toEqual([47, 48, 46, 46, 49]);
    expect(run.series('vmstat.st').value).toHaveLength(16);
    expect(run.lines[2]?.ts).toBe(Date.UTC(2021, 4, 28, 10, 10, 46) * 1000);
    expect(run.lines[10]?.ts).toBe(Date.UTC(2021, 4, 28, 4, 30, 57) * 1000);
    expect(run.anchors.map((a) => (a.localAsUtcUs! - a.utcUs) / 60e6)).toEqual([0, 540]);
  });
});

describe('vmstat, FORMATS.md §8 examples', () => {
  it('reads the narrow layout with an idle of 100 overflowing its column', () => {
    const text = [
      '$ vmstat --timestamp --unit m 1',
      'procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu----- -----timestamp-----',
      ' r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st                 UTC',
      ' 0  0      0   1289     73    592    0    0   104   115  185 1084 14  2 84  0  0 2023-03-09 07:17:12',
      ' 0  0      0   1289     73    592    0    0     0     0   59   97  0  0 100  0  0 2023-03-09 07:17:13',
    ].join('\n');
    const run = runMetric(vmstatFormat, text);
    expect(run.series('vmstat.id').value).toEqual([84, 100]);
    expect(run.series('vmstat.st').value).toEqual([0, 0]);
    expect(run.series('vmstat.free').unit).toBe('MB');
    expect(isoList(run.series('vmstat.bi').ts)).toEqual(['2023-03-09T07:17:12Z', '2023-03-09T07:17:13Z']);
  });
});

const ZONES: [number, string][] = [[0, 'UTC'], [540, 'JST'], [120, 'CEST'], [480, 'CST'], [330, 'IST'], [-420, 'PDT'], [180, '+03'], [345, '+0545']];
const AMBIGUOUS = new Set(['CST', 'IST']);

/** vmstat output: narrow or wide, procps 3 or 4, -a or not, -t or not, repeated headers, noise. */
function generate(seed: number) {
  const rand = rng(seed);
  const [zone, abbr] = pick(rand, ZONES);
  const wide = rand() < 0.5;
  const gu = rand() < 0.5;
  const active = rand() < 0.3;
  const timed = rand() < 0.75;
  const indent = rand() < 0.3 ? '    ' : '';
  const cols = ['r', 'b', 'swpd', 'free', ...(active ? ['inact', 'active'] : ['buff', 'cache']), 'si', 'so', 'bi', 'bo', 'in', 'cs', 'us', 'sy', 'id', 'wa', 'st', ...(gu ? ['gu'] : [])];
  const w = (c: string) => (wide ? (['r', 'b'].includes(c) ? 4 : ['swpd', 'free', 'buff', 'cache', 'inact', 'active'].includes(c) ? 12 : 4) : 2 + (['swpd', 'free', 'buff', 'cache', 'inact', 'active'].includes(c) ? 4 : 2));
  const header = [
    `${gu && wide ? '--procs--' : 'procs'} -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----${timed ? ' -----timestamp-----' : ''}`,
    `${cols.map((c) => c.padStart(w(c))).join(' ')}${timed ? ` ${abbr.padStart(19)}` : ''}`,
  ];
  const start = Date.UTC(2020 + Math.floor(rand() * 6), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28), 23, 58) * 1000;
  const lines = [`$ vmstat -w${timed ? 't' : ''} 2`];
  const expected: { ts: number; values: number[] }[] = [];
  const rows = 10 + Math.floor(rand() * 40);
  for (let n = 0; n < rows; n++) {
    if (n % 21 === 0 || rand() < 0.03) lines.push(...header);
    const utc = start + n * 2e6;
    const values = cols.map((c) => (c === 'id' && rand() < 0.2 ? 100 : Math.floor(rand() * (c === 'cs' && rand() < 0.3 ? 99999 : c === 'b' ? 8 : 99))));
    const w0 = wallParts(utc, zone);
    const stamp = `${w0.y}-${w0.p2(w0.mo)}-${w0.p2(w0.d)} ${w0.p2(w0.h)}:${w0.p2(w0.mi)}:${w0.p2(w0.s)}`;
    lines.push(`${values.map((v, k) => String(v).padStart(w(cols[k]!))).join(' ')}${timed ? ` ${stamp}` : ''}`);
    expected.push({ ts: timed ? utc : n * 2e6, values });
  }
  lines.push(' 1  0      0   1289'); // a cut last row
  return {
    text: lines.map((l) => indent + l).join('\r\n'), zone, cols, expected,
    basis: !timed ? 'relative' : AMBIGUOUS.has(abbr) ? 'local' : 'utc',
  };
}

describe('vmstat, generated captures (layouts, zones, overflow, repeated headers)', () => {
  it.each(Array.from({ length: 40 }, (_, k) => k + 1))('seed %i', (seed) => {
    const g = generate(seed);
    expect(detectFormat(sniffOf('vmstat.log', g.text)).format.id).toBe('vmstat');
    const run = runMetric(vmstatFormat, g.text, { zoneOffsetMin: g.zone }, true);
    expect(run.names()).toEqual(g.cols.map((c) => `vmstat.${c}`).sort());
    g.cols.forEach((c, k) => {
      const s = run.series(`vmstat.${c}`);
      expect(s.basis).toBe(g.basis);
      expect(s.ts).toEqual(g.expected.map((e) => e.ts));
      expect(s.value).toEqual(g.expected.map((e) => e.values[k]));
    });
    const rows = run.lines.filter((l) => l.ts === l.ts);
    expect(rows).toHaveLength(g.expected.length);
    const wa = g.cols.indexOf('wa');
    const b = g.cols.indexOf('b');
    expect(rows.map((l) => l.level)).toEqual(g.expected.map((e) => (e.values[wa]! > 30 || e.values[b]! > 4 ? Level.warn : Level.info)));
  });
});

describe('vmstat robustness', () => {
  it('reads grep -n rows without a header by their column count', () => {
    const text = [
      'vmstat.log:3: 0  0      0   1289     73    592    0    0   104   115  185 1084 14  2 84  0  0 2023-03-09 07:17:12',
      '4: 1 0 0 1289 73 592 0 0 0 0 59 97 0 0 100 0 0 0 2023-03-09 07:17:13',
    ].join('\n');
    const run = runMetric(vmstatFormat, text, { zoneOffsetMin: 60 });
    expect(isoList(run.series('vmstat.r').ts)).toEqual(['2023-03-09T06:17:12Z', '2023-03-09T06:17:13Z']);
    expect(run.series('vmstat.r').basis).toBe('local');
    expect(run.series('vmstat.gu').value).toEqual([0]);
  });

  it('ignores a row cut inside its timestamp', () => {
    const text = [' r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st                 UTC', ' 0  0      0   1289     73    592    0    0   104   115  185 1084 14  2 84  0  0 2023-03-09 07:1'].join('\n');
    const run = runMetric(vmstatFormat, text);
    expect(run.metrics).toEqual([]);
    expect(run.lines[1]?.ts).toBeNaN();
  });

  it('does not claim iostat or PSI text', () => {
    expect(vmstatFormat.detect(sniffOf('x', 'avg-cpu:  %user\nsome avg10=0.00 avg60=0.00 avg300=0.00 total=0\n'))).toBe(0);
  });
});
