import { describe, expect, it } from 'vitest';
import { Rng } from './rng';
import { WallClock, goDuration, goUtcString, offsetText, zoneAbbr } from './stamps';
import { goQuote, logfmtValue } from './text';

const US = Date.UTC(2023, 5, 2, 5, 48, 6) * 1000 + 350_695;

describe('stamps', () => {
  it('renders the node formats in the node zone', () => {
    const utc = new WallClock(0);
    const cst = new WallClock(480);
    expect(utc.journal(US)).toBe('Jun 02 05:48:06.350695');
    expect(cst.journal(US)).toBe('Jun 02 13:48:06.350695');
    expect(utc.klog(US, 'I')).toBe('I0602 05:48:06.350695');
    expect(utc.rfc3339Nano(US, 42)).toBe('2023-06-02T05:48:06.350695042Z');
    expect(cst.rfc3339Nano(US, 42)).toBe('2023-06-02T13:48:06.350695042+08:00');
    expect(new WallClock(-420).isoSeconds(US)).toBe('2023-06-01T22:48:06-07:00');
    expect(cst.isoSecondsNoColon(US)).toBe('2023-06-02T13:48:06+0800');
    expect(utc.cLocale(US)).toBe('06/02/23 05:48:06');
    expect(cst.dateCmd(US)).toBe('Fri Jun  2 13:48:06 CST 2023');
    expect(utc.ymdHms(US)).toBe('2023-06-02 05:48:06');
    expect(utc.calico(US)).toBe('2023-06-02 05:48:06.350');
    expect(goUtcString(US, 47)).toBe('2023-06-02 05:48:06.350695047 +0000 UTC');
  });

  it('formats zones and Go durations', () => {
    expect(offsetText(0)).toBe('Z');
    expect(offsetText(330)).toBe('+05:30');
    expect(zoneAbbr(0)).toBe('UTC');
    expect(zoneAbbr(180 + 30)).toBe('+0330');
    expect(goDuration(47.318806252)).toBe('47.318806252s');
    expect(goDuration(187.2)).toBe('3m7.2s');
    expect(goDuration(0.8502)).toBe('850.2ms');
    expect(goDuration(60)).toBe('1m0s');
  });

  it('quotes like Go and logrus', () => {
    expect(goQuote('a "b"\n\tc\\')).toBe('"a \\"b\\"\\n\\tc\\\\"');
    expect(logfmtValue('serving...')).toBe('serving...');
    expect(logfmtValue('k8s.io')).toBe('k8s.io');
    expect(logfmtValue('two words')).toBe('"two words"');
  });
});

describe('rng', () => {
  it('is deterministic per seed and label', () => {
    const a = new Rng(5).fork('x');
    const b = new Rng(5).fork('x');
    const c = new Rng(5).fork('y');
    const seq = (r: Rng): string => r.hex(64);
    expect(seq(a)).toBe(seq(b));
    expect(seq(new Rng(5).fork('x'))).not.toBe(seq(c));
    const r = new Rng(9);
    for (let i = 0; i < 1000; i++) {
      const v = r.int(3, 7);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(7);
    }
    expect(new Rng(1).uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
