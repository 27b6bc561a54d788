import { describe, expect, it } from 'vitest';
import { formatIsoUs } from '../time/civil';
import { readLooseStamp, zoneOffsetOf, type LooseStamp } from './metric-time';

function read(text: string, year = 2024): string {
  const out: LooseStamp = { wallUs: NaN, offsetMin: NaN, hasYear: false };
  if (!readLooseStamp(text, { year, dayFirst: false }, out)) return 'none';
  const wall = formatIsoUs(out.wallUs).slice(0, 19);
  return out.offsetMin === out.offsetMin ? `${wall} ${out.offsetMin}` : `${wall} local`;
}

describe('readLooseStamp', () => {
  it.each([
    ['Fri Jun  2 05:48:10 CST 2023', '2023-06-02T05:48:10 local'],
    ['Fri Jun  2 05:48:10 PM JST 2023', '2023-06-02T17:48:10 540'],
    ['Fri Jun  2 12:48:10 AM UTC 2023', '2023-06-02T00:48:10 0'],
    ['Fri, 02 Jun 2023 05:48:10 +0800', '2023-06-02T05:48:10 480'],
    ['Fr 2. Jun 05:48:10 CEST 2023', '2023-06-02T05:48:10 120'],
    ['Sat Jun  3 05:48:10 +0545 2023', '2023-06-03T05:48:10 345'],
    ['Mon Jan  1 00:00:01 -03 2024', '2024-01-01T00:00:01 -180'],
    ['2023-06-02T05:48:10+08:00', '2023-06-02T05:48:10 480'],
    ['2023-06-02T05:48:10.123456-07:00', '2023-06-02T05:48:10 -420'],
    ['2023-06-02 05:48:10', '2023-06-02T05:48:10 local'],
    ['2023-06-02 05:48:10 UTC', '2023-06-02T05:48:10 0'],
    ['==> 2023-06-02 05:48:10 <==', '2023-06-02T05:48:10 local'],
    ['[2023-06-02 05:48:10 +0200]', '2023-06-02T05:48:10 120'],
    ['1685684890', '2023-06-02T05:48:10 0'],
    ['06/29/20 07:52:20', '2020-06-29T07:52:20 local'],
    ['06/29/2020 07:52:20 PM', '2020-06-29T19:52:20 local'],
    ['06/29/2020 12:00:00 AM', '2020-06-29T00:00:00 local'],
    ['29.06.2020 07:52:20', '2020-06-29T07:52:20 local'],
    ['29/06/2020 07:52:20', '2020-06-29T07:52:20 local'],
    ['2020-06-29T07:52:20+0200', '2020-06-29T07:52:20 120'],
    ['Jun  2 05:48:10', '2024-06-02T05:48:10 local'],
  ])('%s', (text, expected) => {
    expect(read(text)).toBe(expected);
  });

  it.each([
    'some avg10=0.12 avg60=0.71 avg300=0.30 total=1255301',
    'Linux 5.15.0 (node-1) \t06/01/20 \t_x86_64_\t(9 CPU)',
    '$ cat /proc/pressure/io',
    'the node was rebooted at 05:48:10 on Jun 2 after the kernel hung',
    '12345',
    '06/29/2020 13:52:20 PM',
    '',
  ])('refuses %j', (text) => {
    expect(read(text)).toBe('none');
  });

  it('keeps day-first dates once one was seen', () => {
    const hints = { year: 2024, dayFirst: false };
    const out: LooseStamp = { wallUs: NaN, offsetMin: NaN, hasYear: false };
    expect(readLooseStamp('29/06/2020 07:52:20', hints, out)).toBe(true);
    expect(readLooseStamp('05/07/2020 07:52:20', hints, out)).toBe(true);
    expect(formatIsoUs(out.wallUs).slice(0, 10)).toBe('2020-07-05');
  });
});

describe('zoneOffsetOf', () => {
  it('knows unambiguous abbreviations and numeric names, not ambiguous ones', () => {
    expect([zoneOffsetOf('UTC'), zoneOffsetOf('JST'), zoneOffsetOf('CEST'), zoneOffsetOf('PDT'), zoneOffsetOf('+0530'), zoneOffsetOf('-03')]).toEqual([0, 540, 120, -420, 330, -180]);
    expect(zoneOffsetOf('CST')).toBeNaN();
    expect(zoneOffsetOf('IST')).toBeNaN();
    expect(zoneOffsetOf('XYZ')).toBeNaN();
  });
});
