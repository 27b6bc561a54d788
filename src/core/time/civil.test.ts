import { describe, expect, it } from 'vitest';
import {
  YearTracker, civilToUs, daysFromCivil, formatIsoUs, isoUtcUs, newIsoStamp, newSpan, placeNear, readDigits,
  readIsoStamp, readMonthName, US_PER_DAY,
} from './civil';

function utc(text: string): number {
  const st = newIsoStamp();
  if (!readIsoStamp(text, 0, text.length, st)) return NaN;
  return isoUtcUs(st);
}

describe('civil arithmetic', () => {
  it('matches Date.UTC over a wide range of days', () => {
    for (let day = -800_000; day < 800_000; day += 997) {
      const d = new Date(day * 86_400_000);
      expect(daysFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())).toBe(day);
    }
  });

  it('handles leap days and the epoch', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2024, 2, 29) + 1).toBe(daysFromCivil(2024, 3, 1));
    expect(daysFromCivil(2100, 3, 1) - daysFromCivil(2100, 2, 28)).toBe(1);
    expect(civilToUs(2024, 6, 2, 5, 48, 6, 350695)).toBe(Date.UTC(2024, 5, 2, 5, 48, 6) * 1000 + 350695);
  });

  it('formats µs as ISO with 6 fraction digits', () => {
    expect(formatIsoUs(civilToUs(2017, 12, 21, 16, 11, 31, 5))).toBe('2017-12-21T16:11:31.000005Z');
    expect(formatIsoUs(-1)).toBe('1969-12-31T23:59:59.999999Z');
    expect(formatIsoUs(NaN)).toBe('NaN');
  });

  it('reads fixed-width digits', () => {
    expect(readDigits('ab0123', 2, 4)).toBe(123);
    expect(readDigits('12x4', 0, 4)).toBe(-1);
    expect(readDigits('12', 0, 3)).toBe(-1);
  });
});

describe('readIsoStamp', () => {
  it.each([
    ['2024-05-07T10:26:23.142118+00:00', '2024-05-07T10:26:23.142118Z'],
    ['2025-03-04T11:47:29.149489+0000', '2025-03-04T11:47:29.149489Z'],
    ['2020-08-20T04:32:10.913517124+08:00', '2020-08-19T20:32:10.913517Z'],
    ['2019-06-19T21:51:02.894458282-07:00', '2019-06-20T04:51:02.894458Z'],
    ['2017-12-14T05:21:11Z', '2017-12-14T05:21:11.000000Z'],
    ['2023-10-25T10:57:16.6621956Z', '2023-10-25T10:57:16.662195Z'],
    ['2024-01-01T00:00:00.5-0330', '2024-01-01T03:30:00.500000Z'],
    ['2024-01-01T00:00:00+05', '2023-12-31T19:00:00.000000Z'],
    ['2020-07-12T00:22:31,123456+02:00', '2020-07-11T22:22:31.123456Z'],
    ['2024-02-29 23:59:59.1z', '2024-02-29T23:59:59.100000Z'],
  ])('%s', (text, iso) => {
    expect(formatIsoUs(utc(text))).toBe(iso);
  });

  it('reports where it stopped and whether there was an offset', () => {
    const st = newIsoStamp();
    const line = 'x 2017-12-21 16:11:31.469 [INFO]';
    expect(readIsoStamp(line, 2, line.length, st)).toBe(true);
    expect(st.offsetMin).toBeNaN();
    expect(st.end).toBe(25);
    expect(formatIsoUs(st.wallUs)).toBe('2017-12-21T16:11:31.469000Z');
    expect(st.year).toBe(2017);
    expect(st.month).toBe(12);
    // A separator with no digits after it is not a fraction.
    expect(readIsoStamp('2024-01-01T00:00:00. x', 0, 22, st)).toBe(true);
    expect(st.end).toBe(19);
  });

  it.each(['2024-13-01T00:00:00Z', '2024-01-01X00:00:00Z', '2024-01-01T25:00:00Z', '24-01-01T00:00:00Z', '2024-01-01T00:00', ''])(
    'rejects %j', (text) => {
      expect(readIsoStamp(text, 0, text.length, newIsoStamp())).toBe(false);
    });
});

describe('readMonthName', () => {
  const span = newSpan();
  const read = (text: string) => (readMonthName(text, 0, text.length, span) ? span.value : 0);

  it('reads English, French, German and CJK months', () => {
    const en = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const fr = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];
    const de = ['Jan', 'Feb', 'Mär', 'Apr', 'Mai', 'Jun', 'Jul', 'Aug', 'Sep', 'Okt', 'Nov', 'Dez'];
    for (const names of [en, fr, de]) names.forEach((name, i) => expect(read(`${name} 05 07:27:14`), name).toBe(i + 1));
    for (let m = 1; m <= 12; m++) expect(read(`${m}月 20 04:32:10`)).toBe(m);
    expect(read('8월 20 04:32:10')).toBe(8);
  });

  it('reads Spanish (with `sept`), Italian and Portuguese months in any case, with or without a dot', () => {
    const es = ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'];
    const it_ = ['gen', 'feb', 'mar', 'apr', 'mag', 'giu', 'lug', 'ago', 'set', 'ott', 'nov', 'dic'];
    const pt = ['jan', 'fev', 'mar', 'abr', 'mai', 'jun', 'jul', 'ago', 'set', 'out', 'nov', 'dez'];
    for (const names of [es, it_, pt]) {
      names.forEach((name, i) => {
        expect(read(`${name} 05 07:27:14`), name).toBe(i + 1);
        expect(read(`${name.toUpperCase()}. 05 07:27:14`), name).toBe(i + 1);
      });
    }
    expect(read('sept 05 07:27:14')).toBe(9);
    expect(read('Sept 05 07:27:14')).toBe(9);
    expect(read('MÄR 05 07:27:14')).toBe(3);
  });

  it('needs a space after the name and sets the end there', () => {
    expect(read('Marsh 05')).toBe(0);
    expect(read('janvier 05')).toBe(0);
    expect(read('13月 05')).toBe(0);
    expect(read('Jun')).toBe(0);
    expect(readMonthName('sept. 02', 0, 8, span)).toBe(true);
    expect(span.end).toBe(5);
  });
});

describe('YearTracker', () => {
  it('rolls over from December to January', () => {
    const years = new YearTracker(2023);
    expect([12, 12, 1, 1, 2].map((m) => years.yearFor(m))).toEqual([2023, 2023, 2024, 2024, 2024]);
  });

  it('keeps a late December line in the old year without undoing the rollover', () => {
    const years = new YearTracker(2023);
    expect([12, 1, 12, 1].map((m) => years.yearFor(m))).toEqual([2023, 2024, 2023, 2024]);
  });

  it('treats a forward gap as the same year and small steps back as disorder', () => {
    const years = new YearTracker(2024);
    expect([2, 10, 9, 10].map((m) => years.yearFor(m))).toEqual([2024, 2024, 2024, 2024]);
  });

  it('reads a newest-first file back across New Year, and keeps going back (not a rollover per step)', () => {
    const years = new YearTracker(2024);
    expect([2, 1, 12, 11, 10, 8, 6, 3, 1, 12].map((m) => years.yearFor(m))).toEqual([2024, 2024, 2023, 2023, 2023, 2023, 2023, 2023, 2023, 2022]);
  });

  it('takes a step back of up to 3 months across New Year as the year before (Mar → Dec)', () => {
    const years = new YearTracker(2023);
    expect([3, 12, 1].map((m) => years.yearFor(m))).toEqual([2023, 2022, 2023]);
  });

  it('follows a dated stamp', () => {
    const years = new YearTracker(2000);
    years.sync(2019, 12);
    expect(years.yearFor(12)).toBe(2019);
    expect(years.yearFor(1)).toBe(2020);
  });
});

describe('placeNear', () => {
  it('chooses the year that puts a yearless stamp nearest to the absolute one', () => {
    const near = Date.UTC(2025, 0, 1, 0, 0, 1) * 1000;
    expect(formatIsoUs(placeNear(12, 31, 23 * 3600e6, near))).toBe('2024-12-31T23:00:00.000000Z');
    expect(formatIsoUs(placeNear(1, 1, 7 * 3600e6, near))).toBe('2025-01-01T07:00:00.000000Z');
    expect(placeNear(6, 1, 0, near) - near).toBeGreaterThan(-US_PER_DAY * 215);
  });
});
