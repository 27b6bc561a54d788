import { describe, expect, it } from 'vitest';
import { Level, levelNames } from '../model';
import { US_PER_MIN, formatIsoUs } from '../time/civil';
import { klogFormat } from './klog';
import { detectFormat } from './registry';
import { pad, parseAll, pick, rng, showTs } from './test-helpers';

const HOSTS = ['k8s-worker-44', 'ip-10-0-9-16', 'node-a.example.internal', '5k8s-vt12-worker680s'];
const IDENTS = ['kubelet', 'kubelet_init', 'hyperkube'];
const ZONES = [-420, -300, 0, 60, 330, 480, 545];
const SEVERITIES = [['I', Level.info], ['W', Level.warn], ['E', Level.error], ['F', Level.fatal]] as const;

interface Expected { ts: number; level: Level; continuation: boolean }

function offsetText(zoneMin: number, colon: boolean): string {
  const sign = zoneMin < 0 ? '-' : '+';
  const a = Math.abs(zoneMin);
  return `${sign}${pad(Math.floor(a / 60), 2)}${colon ? ':' : ''}${pad(a % 60, 2)}`;
}

/** A klog file in a random zone, with random prefixes, thread ids and noise lines. */
function generate(seed: number, count: number, nearNewYear = false) {
  const rand = rng(seed);
  const zone = pick(rand, ZONES);
  const year = 2019 + Math.floor(rand() * 6);
  let utc = nearNewYear
    ? (Date.UTC(year, 11, 31, 23, 45) - zone * 60_000) * 1000
    : Date.UTC(year, Math.floor(rand() * 12), 1 + Math.floor(rand() * 28)) * 1000;
  let firstYear = 0;
  const lines: string[] = [];
  const expected: Expected[] = [];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  for (let n = 0; n < count; n++) {
    utc += Math.floor(rand() * 2e7);
    const wallUs = utc + zone * US_PER_MIN;
    const d = new Date(Math.floor(wallUs / 1000));
    if (n === 0) firstYear = d.getUTCFullYear();
    const micros = pad(wallUs % 1e6, 6);
    const clock = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
    const [letter, level] = pick(rand, SEVERITIES);
    const tid = 1 + Math.floor(rand() * (rand() < 0.5 ? 9999 : 9999999));
    const tidText = rand() < 0.85 ? String(tid).padStart(7, ' ') : String(tid);
    const header = `${letter}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)} ${clock}.${micros} ${tidText} kubelet.go:${100 + n}]`;
    const host = pick(rand, HOSTS);
    const ident = `${pick(rand, IDENTS)}[${1 + Math.floor(rand() * 400000)}]`;
    const mon = `${months[d.getUTCMonth()]} ${pad(d.getUTCDate(), 2)} ${clock}`;
    const prefixes = [
      '',
      `${mon} ${host} ${ident}: `,
      `${mon}.${micros} ${host} ${ident}: `,
      `${ident}: `,
      `${host} ${ident}: `,
      `${d.toISOString().slice(0, 19)}.${micros}${offsetText(zone, rand() < 0.5)} ${host} ${ident}: `,
      `kubelet.log.${n % 3}:${n + 1}:`,
      '198.51.100.10: ',
      '    ',
    ];
    const multiline = rand() < 0.1;
    lines.push(`${pick(rand, prefixes)}${header} "Probe failed" pod="default/web-${n}" output=${multiline ? '<' : '"ok"'}`);
    expected.push({ ts: utc, level, continuation: false });
    if (multiline) {
      lines.push('\tHTTP probe failed with statuscode: 503', '\tsecond line', ' >');
      for (let k = 0; k < 3; k++) expected.push({ ts: NaN, level: Level.unknown, continuation: true });
    }
    if (rand() < 0.05) {
      lines.push('Calico CNI using IPs: [192.168.207.78/32]');
      expected.push({ ts: NaN, level: Level.unknown, continuation: true });
    }
    if (rand() < 0.03) {
      lines.push('');
      expected.push({ ts: NaN, level: Level.unknown, continuation: true });
    }
  }
  return { lines, expected, ctx: { year: firstYear, zoneOffsetMin: zone } };
}

describe('klog, generated variants', () => {
  for (let seed = 1; seed <= 24; seed++) {
    const nearNewYear = seed % 4 === 0;
    it(`seed ${seed}${nearNewYear ? ' (across New Year)' : ''}: every header line gets its time and level, others continue`, () => {
      const { lines, expected, ctx } = generate(seed, 300, nearNewYear);
      if (nearNewYear) expect(new Set(expected.filter((e) => e.ts === e.ts).map((e) => new Date(e.ts / 1000 + ctx.zoneOffsetMin * 60e3).getUTCFullYear())).size).toBe(2);
      const parsed = parseAll(klogFormat, lines, ctx);
      parsed.forEach((p, n) => {
        const e = expected[n]!;
        const where = `${n}: ${lines[n]}`;
        expect(showTs(p.ts), where).toBe(showTs(e.ts));
        expect(levelNames[p.level], where).toBe(levelNames[e.level]);
        expect(p.continuation, where).toBe(e.continuation);
        if (!e.continuation) expect(p.local, where).toBe(true);
        if (lines[n]!.includes('kubelet[') || lines[n]!.includes('kubelet_init[') || lines[n]!.includes('hyperkube[')) {
          expect(p.origin, where).toBe('kubelet');
        }
      });
      expect(detectFormat({ path: 'kubelet.log', lines: lines.slice(0, 200) }).format.id).toBe('klog');
    });
  }
});

describe('klog year and zone', () => {
  it('rolls over from Dec 31 to Jan 1', () => {
    const lines = [
      'I1231 23:59:58.000001    1468 a.go:1] "last of the year"',
      'I1231 23:59:59.999999    1468 a.go:1] "still"',
      'W0101 00:00:00.000001    1468 a.go:1] "happy new year"',
      'I0101 00:00:05.000000    1468 a.go:1] "later"',
    ];
    const got = parseAll(klogFormat, lines, { year: 2023 }).map((p) => formatIsoUs(p.ts));
    expect(got).toEqual(['2023-12-31T23:59:58.000001Z', '2023-12-31T23:59:59.999999Z', '2024-01-01T00:00:00.000001Z', '2024-01-01T00:00:05.000000Z']);
  });

  it('rolls over behind a journald prefix too, and keeps a late line in the old year', () => {
    const lines = [
      'Dec 31 23:59:59 h kubelet[9]: I1231 23:59:59.900000    9 a.go:1] "a"',
      'Jan 01 00:00:00 h kubelet[9]: I0101 00:00:00.100000    9 a.go:1] "b"',
      'Jan 01 00:00:00 h kubelet[9]: I1231 23:59:59.950000    9 a.go:1] "written late"',
    ];
    const got = parseAll(klogFormat, lines, { year: 2020 }).map((p) => formatIsoUs(p.ts));
    expect(got).toEqual(['2020-12-31T23:59:59.900000Z', '2021-01-01T00:00:00.100000Z', '2020-12-31T23:59:59.950000Z']);
  });

  it('gives a zone anchor when a short-iso prefix sits beside the klog stamp', () => {
    const sniff = { path: 'k', lines: ['2024-12-31T19:00:00.000200-0500 h kubelet[2]: I0101 00:00:00.000100    2 a.go:1] "m"'] };
    const [a] = klogFormat.anchors!(sniff);
    expect(formatIsoUs(a!.utcUs)).toBe('2025-01-01T00:00:00.000200Z');
    // klog wrote UTC wall time (a different zone from the journal's viewer): the anchor says so.
    expect(formatIsoUs(a!.localAsUtcUs!)).toBe('2025-01-01T00:00:00.000100Z');
  });

  it('reads the year from a CI stamp in front of the line', () => {
    const [p] = parseAll(klogFormat, ['2019-01-01T00:00:03.0000000Z I1231 23:59:59.000000    1 a.go:1] "x"'], { year: 2024 });
    expect(formatIsoUs(p!.ts)).toBe('2018-12-31T23:59:59.000000Z');
  });
});

describe('klog log files (--log-dir / --log-file)', () => {
  it('take their year from the `Log file created at:` header, across Dec → Jan', () => {
    const rand = rng(77);
    for (let n = 0; n < 24; n++) {
      const year = 2015 + Math.floor(rand() * 12);
      const month = 1 + Math.floor(rand() * 12);
      const host = pick(rand, HOSTS);
      const tid = 1 + Math.floor(rand() * 999_999);
      const zone = pick(rand, ZONES);
      const mm = pad(month, 2);
      const lines = [
        `Log file created at: ${year}/${mm}/28 23:59:58`,
        `Running on machine: ${host}`,
        'Binary: Built with gc go1.20.10 for linux/amd64',
        'Log line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg',
        `I${mm}28 23:59:58.120001 ${String(tid).padStart(7)} flags.go:64] FLAG: --address="0.0.0.0"`,
        // A month later, or the next January for a December header.
        `E${pad((month % 12) + 1, 2)}01 00:00:01.000200 ${String(tid).padStart(7)} kubelet.go:2361] "Skipping pod synchronization"`,
      ];
      // The file date (ctx.year) is years off: a copied or archived file.
      const parsed = parseAll(klogFormat, lines, { year: 2030, zoneOffsetMin: zone });
      const at = (y: number, mo: number, d: number, h: number, mi: number, s: number, us: number) => Date.UTC(y, mo - 1, d, h, mi, s) * 1000 + us - zone * US_PER_MIN;
      expect(showTs(parsed[4]!.ts)).toBe(formatIsoUs(at(year, month, 28, 23, 59, 58, 120001)));
      expect(showTs(parsed[5]!.ts)).toBe(formatIsoUs(at(month === 12 ? year + 1 : year, (month % 12) + 1, 1, 0, 0, 1, 200)));
      expect(parsed.slice(0, 4).every((p) => p.continuation && p.ts !== p.ts)).toBe(true);
      expect(levelNames[parsed[5]!.level]).toBe('error');
    }
  });
});
