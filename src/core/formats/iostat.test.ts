import { describe, expect, it } from 'vitest';
import { Level } from '../model';
import { iostatColumn, iostatFormat } from './iostat';
import { fixture, isoList, runMetric, sniffOf, wallParts } from './metric-test-helpers';
import { detectFormat } from './registry';
import { pick, rng } from './test-helpers';
import { newParsedLine, resetParsedLine } from './types';

const x12 = fixture('iostat', 'iostat-x-sysstat-testsuite-expected-v12.7.txt');
const ct = fixture('iostat', 'iostat-ct-timestamp-sysstat-testsuite-expected.txt');

describe('iostat, real sysstat test-suite output', () => {
  it('is detected', () => {
    for (const [path, text] of [['expected.iostat-x', x12], ['expected.iostat-ct', ct]] as const) {
      const d = detectFormat(sniffOf(path, text));
      expect(d.format.id).toBe('iostat');
      expect(d.score).toBeGreaterThan(0.9);
    }
  });

  it('maps the 12.x column set by name (no -t: reports by index, relative)', () => {
    const run = runMetric(iostatFormat, x12);
    const util = run.series('iostat.sdr.util');
    expect(util.value).toEqual([1.35, 6.42]);
    expect(util.ts).toEqual([0, 1e6]);
    expect(util.basis).toBe('relative');
    expect(util.unit).toBe('%');
    expect(run.series('iostat.sdq.dareq_sz').value).toEqual([20.99, 5]);
    expect(run.series('iostat.sdr.w_await').value).toEqual([39.57, 40]);
    expect(run.series('iostat.sda.aqu_sz').value).toEqual([0.1, 0]);
    expect(run.series('iostat.sds.f_await').value).toEqual([0, 0]);
    expect(run.series('iostat.cpu.iowait').value).toEqual([0.94, 0.12]);
    expect(run.series('iostat.cpu.idle').value).toEqual([56, 82.89]);
    expect(run.names().filter((n) => n.startsWith('iostat.sda.'))).toHaveLength(22);
    expect(run.names().filter((n) => n.startsWith('iostat.cpu.'))).toHaveLength(6);
    // Banner and blanks carry no time; headers and rows carry their report's.
    const lines = x12.split('\n');
    run.lines.forEach((out, n) => {
      const text = lines[n] ?? '';
      if (text.startsWith('Linux') || text.trim() === '') expect(out.ts, text).toBeNaN();
      else {
        expect(out.ts).toBe(n < 13 ? 0 : 1e6);
        expect(out.relative).toBe(true);
      }
    });
  });

  it('reads the C-locale -t stamps of -c reports as wall clock in the context zone', () => {
    const run = runMetric(iostatFormat, ct, { zoneOffsetMin: 120 });
    const user = run.series('iostat.cpu.user');
    expect(isoList(user.ts)).toEqual(['2020-06-01T10:53:20Z', '2020-06-01T10:53:21Z']);
    expect(user.value).toEqual([1.49, 2.15]);
    expect(user.basis).toBe('local');
    expect(run.lines[2]?.local).toBe(true);
    expect(run.lines.filter((l) => l.ts === l.ts)).toHaveLength(6);
    expect(run.anchors).toEqual([]);
  });
});

describe('iostat, FORMATS.md §7 examples', () => {
  it('reads sysstat ≤ 11.5.6 with decimal commas (Device: with a colon)', () => {
    const text = [
      'avg-cpu:  %user   %nice %system %iowait  %steal   %idle',
      '                   5,20    0,15    4,35    0,20    0,00   90,09',
      '',
      'Device:         rrqm/s   wrqm/s     r/s     w/s    rkB/s    wkB/s avgrq-sz avgqu-sz   await r_await w_await  svctm  %util',
      'sda               0,03     0,78    1,70    0,63    34,18    35,64    60,09     0,02    9,23    7,16   14,84   1,91   0,45',
    ].join('\n');
    const run = runMetric(iostatFormat, text);
    expect(run.series('iostat.cpu.user').value).toEqual([5.2]);
    expect(run.series('iostat.sda.aqu_sz').value).toEqual([0.02]);
    expect(run.series('iostat.sda.avgrq_sz').unit).toBe('sectors');
    expect(run.series('iostat.sda.util').value).toEqual([0.45]);
    expect(run.series('iostat.sda.await').unit).toBe('ms');
    expect(run.series('iostat.sda.svctm').value).toEqual([1.91]);
  });

  it('reads sysstat 11.6 and 12.x device reports', () => {
    const v116 = [
      'Device            r/s     w/s     rkB/s     wkB/s   rrqm/s   wrqm/s  %rrqm  %wrqm r_await w_await aqu-sz rareq-sz wareq-sz  svctm  %util',
      'nvme1n1          0.00    0.00      0.00      0.00     0.00     0.00   0.00   0.00    0.00    0.00   0.00     0.00     0.00   0.00   0.00',
      'nvme0n1          7.35  135.69     27.38  23122.14     0.00     2.71   0.00   1.96    2.66   13.20   1.81     3.73   170.41   0.45   6.33',
    ].join('\n');
    const a = runMetric(iostatFormat, v116);
    expect(a.series('iostat.nvme0n1.wkB_s').value).toEqual([23122.14]);
    expect(a.series('iostat.nvme0n1.wkB_s').unit).toBe('kB/s');
    expect(a.series('iostat.nvme0n1.wareq_sz').value).toEqual([170.41]);
    expect(a.series('iostat.nvme1n1.util').value).toEqual([0]);
    const v12 = [
      'Device            r/s     rkB/s   rrqm/s  %rrqm r_await rareq-sz     w/s     wkB/s   wrqm/s  %wrqm w_await wareq-sz     d/s     dkB/s   drqm/s  %drqm d_await dareq-sz     f/s f_await  aqu-sz  %util',
      'nvme0n1        138.50   6280.50     0.00   0.00    0.14    45.35 1428.89  82575.38     0.00   0.00    0.24    57.79    0.70    419.48     0.00   0.00    0.15   598.28    0.00    0.00    0.36  12.56',
    ].join('\n');
    const b = runMetric(iostatFormat, v12);
    expect(b.series('iostat.nvme0n1.w_s').value).toEqual([1428.89]);
    expect(b.series('iostat.nvme0n1.f_s').unit).toBe('/s');
    expect(b.series('iostat.nvme0n1.util').value).toEqual([12.56]);
  });
});

describe('iostat column names', () => {
  it('strips %, maps / and - to _, and merges renamed columns', () => {
    expect(iostatColumn('%util')).toBe('util');
    expect(iostatColumn('w_await')).toBe('w_await');
    expect(iostatColumn('w/s')).toBe('w_s');
    expect(iostatColumn('aqu-sz')).toBe('aqu_sz');
    expect(iostatColumn('avgqu-sz')).toBe('aqu_sz');
    expect(iostatColumn('avgrq-sz')).toBe('avgrq_sz');
    expect(iostatColumn('kB_read/s')).toBe('kB_read_s');
    expect(iostatColumn('%iowait')).toBe('iowait');
  });
});

const GENERATIONS = [
  'rrqm/s wrqm/s r/s w/s rkB/s wkB/s avgrq-sz avgqu-sz await r_await w_await svctm %util',
  'r/s w/s rkB/s wkB/s rrqm/s wrqm/s %rrqm %wrqm r_await w_await aqu-sz rareq-sz wareq-sz svctm %util',
  'r/s rkB/s rrqm/s %rrqm r_await rareq-sz w/s wkB/s wrqm/s %wrqm w_await wareq-sz d/s dkB/s drqm/s %drqm d_await dareq-sz aqu-sz %util',
  'r/s rkB/s rrqm/s %rrqm r_await rareq-sz w/s wkB/s wrqm/s %wrqm w_await wareq-sz d/s dkB/s drqm/s %drqm d_await dareq-sz f/s f_await aqu-sz %util',
].map((h) => h.split(' '));
const DEVICES = ['sda', 'sdb1', 'nvme0n1', 'nvme1n1', 'xvda', 'dm-0', 'vg-root', 'vda'];
const STAMPS = ['none', 'C', 'en_US', 'de', 'ISO', 'epoch'] as const;
const ZONES = [-420, -300, 0, 60, 330, 480, 540, 345];
const CPU = ['%user', '%nice', '%system', '%iowait', '%steal', '%idle'];

function stampText(style: (typeof STAMPS)[number], utcUs: number, zone: number): string {
  const w = wallParts(utcUs, zone);
  const { p2 } = w;
  const hms = `${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}`;
  const sign = zone < 0 ? '-' : '+';
  switch (style) {
    case 'C': return `${p2(w.mo)}/${p2(w.d)}/${p2(w.y % 100)} ${hms}`;
    case 'en_US': return `${p2(w.mo)}/${p2(w.d)}/${w.y} ${p2(w.h % 12 === 0 ? 12 : w.h % 12)}:${p2(w.mi)}:${p2(w.s)} ${w.h < 12 ? 'AM' : 'PM'}`;
    case 'de': return `${p2(w.d)}.${p2(w.mo)}.${w.y} ${hms}`;
    case 'ISO': return `${w.y}-${p2(w.mo)}-${p2(w.d)}T${hms}${sign}${p2(Math.floor(Math.abs(zone) / 60))}${p2(Math.abs(zone) % 60)}`;
    case 'epoch': return String(utcUs / 1e6);
    case 'none': return '';
  }
}

/** An iostat capture: one generation, a locale, a stamp style, a zone and paste noise. */
function generate(seed: number) {
  const rand = rng(seed);
  const cols = pick(rand, GENERATIONS);
  const style = pick(rand, STAMPS);
  const zone = pick(rand, ZONES);
  const comma = style === 'de' || rand() < 0.3;
  const devices = DEVICES.filter(() => rand() < 0.4).slice(0, 3);
  if (devices.length === 0) devices.push('sda');
  const interval = 1 + Math.floor(rand() * 5);
  const indent = rand() < 0.3 ? '    ' : '';
  const grep = rand() < 0.2;
  const num = (v: number) => (comma ? v.toFixed(2).replace('.', ',') : v.toFixed(2));
  const start = Date.UTC(2019 + Math.floor(rand() * 6), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28), Math.floor(rand() * 24)) * 1000;
  const lines = [`$ iostat -x${style === 'none' ? '' : 't'} ${interval} 40`, `Linux 5.15.0-72-generic (node-${seed}) \t01/19/24 \t_x86_64_\t(8 CPU)`, ''];
  const expected: { ts: number; device: string; col: string; value: number }[] = [];
  const reports = 3 + Math.floor(rand() * 6);
  for (let r = 0; r < reports; r++) {
    const utc = start + r * interval * 1e6;
    const ts = style === 'none' ? r * interval * 1e6 : utc;
    if (style !== 'none') lines.push(stampText(style, utc, zone));
    const cpu = CPU.map(() => Math.round(rand() * 10000) / 100);
    lines.push('avg-cpu:  %user   %nice %system %iowait  %steal   %idle', `        ${cpu.map((v) => num(v).padStart(8)).join('')}`, '');
    CPU.forEach((c, k) => expected.push({ ts, device: 'cpu', col: c, value: cpu[k]! }));
    lines.push(`${cols === GENERATIONS[0] ? 'Device:' : 'Device'}         ${cols.map((c) => c.padStart(8)).join(' ')}`);
    for (const device of devices) {
      const values = cols.map(() => Math.round(rand() * (rand() < 0.1 ? 1e7 : 1e4)) / 100);
      lines.push(`${device.padEnd(13)}${values.map((v) => num(v).padStart(8)).join(' ')}`);
      cols.forEach((c, k) => expected.push({ ts, device, col: c, value: values[k]! }));
    }
    lines.push('', '');
  }
  lines.push(`${devices[0]!.padEnd(13)}1,00 2.0`); // a cut last row
  const text = lines.map((l, n) => (l === '' ? l : `${grep ? `iostat.log:${n + 1}:` : ''}${indent}${l}`)).join('\n');
  return { text, zone, style, expected, basis: style === 'none' ? 'relative' : style === 'ISO' || style === 'epoch' ? 'utc' : 'local' };
}

describe('iostat, generated captures (generations, locales, clocks, zones, noise)', () => {
  it.each(Array.from({ length: 40 }, (_, k) => k + 1))('seed %i', (seed) => {
    const g = generate(seed);
    expect(detectFormat(sniffOf('iostat.log', g.text)).format.id).toBe('iostat');
    const run = runMetric(iostatFormat, g.text, { zoneOffsetMin: g.zone }, seed % 2 === 0);
    for (const e of g.expected) {
      const s = run.series(`iostat.${e.device}.${iostatColumn(e.col)}`);
      const k = s.ts.indexOf(e.ts);
      expect(k, `${g.style} ${e.device} ${e.col}`).toBeGreaterThanOrEqual(0);
      expect(s.value[k]).toBeCloseTo(e.value, 2);
      expect(s.basis).toBe(g.basis);
    }
    const count = new Set(g.expected.map((e) => `${e.device}.${e.col}`)).size;
    expect(run.metrics).toHaveLength(count);
    // ISO stamps carry the node's offset: the file tells the bundle its zone.
    if (g.style === 'ISO') expect(run.anchors[0]!.localAsUtcUs! - run.anchors[0]!.utcUs).toBe(g.zone * 60e6);
  });
});

describe('iostat robustness', () => {
  it('splits reports on repeated headers (-d without avg-cpu) and reads -h rows with the device last', () => {
    const text = [
      '     r/s     rkB/s   rrqm/s  %rrqm r_await rareq-sz Device',
      '    0.28      8.5k     0.00   0.0%    0.46     30.7k nvme0n1',
      '',
      '     w/s     wkB/s   wrqm/s  %wrqm w_await wareq-sz Device',
      '    2.03      1.5M     1.19  37.0%  120.52     17.4k nvme0n1',
      '',
      '     r/s     rkB/s   rrqm/s  %rrqm r_await rareq-sz Device',
      '    0.30      9.0k     0.00   0.0%    0.40     30.0k nvme0n1',
    ].join('\n');
    const run = runMetric(iostatFormat, text);
    expect(run.series('iostat.nvme0n1.rkB_s').value).toEqual([8.5, 9]);
    expect(run.series('iostat.nvme0n1.rkB_s').ts).toEqual([0, 1e6]);
    expect(run.series('iostat.nvme0n1.wkB_s').value).toEqual([1536]);
    expect(run.series('iostat.nvme0n1.wrqm').value).toEqual([37]);
    expect(run.lines[4]?.level).toBe(Level.warn);
    expect(run.lines[1]?.level).toBe(Level.info);
  });

  it('warns on saturated rows only', () => {
    const text = [
      'Device            r/s     w/s  w_await  %util',
      'sda              1.00    2.00     5.00  91.00',
      'sdb              1.00    2.00   150.00  20.00',
      'sdc              1.00    2.00     5.00  20.00',
    ].join('\n');
    expect(runMetric(iostatFormat, text).lines.map((l) => l.level)).toEqual([Level.info, Level.warn, Level.warn, Level.info]);
  });

  it('takes the interval from the command line for untimed reports', () => {
    const text = ['user@node:~$ iostat -d -x 5 3', 'Device  r/s  %util', 'sda  1.00  2.00', '', 'Device  r/s  %util', 'sda  3.00  4.00'].join('\n');
    expect(runMetric(iostatFormat, text).series('iostat.sda.util').ts).toEqual([0, 5e6]);
  });

  it('does not claim other text', () => {
    expect(iostatFormat.detect(sniffOf('x', 'Device attached\nsome avg10=0.00 avg60=0.00 avg300=0.00 total=0\n'))).toBe(0);
  });
});

/** A sysstat `--human` size: kB with a k/M/G suffix, one decimal (and its value read back, in kB). */
function humanSize(kb: number): [string, number] {
  if (kb < 1024) return [`${kb.toFixed(1)}k`, Number(kb.toFixed(1))];
  if (kb < 1024 ** 2) return [`${(kb / 1024).toFixed(1)}M`, Number((kb / 1024).toFixed(1)) * 1024];
  return [`${(kb / 1024 ** 2).toFixed(1)}G`, Number((kb / 1024 ** 2).toFixed(1)) * 1024 ** 2];
}

/**
 * `iostat -x --human` (device first) or `iostat -xh` (device last): sizes with unit suffixes,
 * percentages with `%`, the avg-cpu figures too.
 */
function generateHuman(seed: number) {
  const rand = rng(seed * 31);
  const last = rand() < 0.5;
  const style = pick(rand, ['none', 'C', 'en_US', 'ISO'] as const);
  const zone = pick(rand, ZONES);
  const cols = GENERATIONS[3]!;
  const devices = DEVICES.filter(() => rand() < 0.5).slice(0, 4);
  if (devices.length === 0) devices.push('nvme0n1');
  const start = Date.UTC(2020 + Math.floor(rand() * 5), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28), Math.floor(rand() * 24)) * 1000;
  const lines = [`Linux 6.1.0-18-amd64 (node-${seed}) \t08/23/24 \t_x86_64_\t(4 CPU)`, ''];
  const expected: { ts: number; device: string; col: string; value: number }[] = [];
  for (let r = 0; r < 2 + Math.floor(rand() * 4); r++) {
    const utc = start + r * 1e6;
    const ts = style === 'none' ? r * 1e6 : utc;
    if (style !== 'none') lines.push(stampText(style, utc, zone));
    const cpu = CPU.map(() => Math.round(rand() * 1000) / 10);
    lines.push('avg-cpu:  %user   %nice %system %iowait  %steal   %idle', `        ${cpu.map((v) => `${v.toFixed(1)}%`.padStart(8)).join('')}`, '');
    CPU.forEach((c, k) => expected.push({ ts, device: 'cpu', col: c, value: cpu[k]! }));
    const names = cols.map((c) => c.padStart(8)).join(' ');
    lines.push(last ? `${names} Device` : `Device       ${names}`);
    for (const device of devices) {
      const cells = cols.map((c) => {
        const v = Math.round(rand() * (rand() < 0.3 ? 1e8 : 1e5)) / 100;
        if (c.startsWith('%')) return [`${(v % 100).toFixed(1)}%`, Number((v % 100).toFixed(1))] as const;
        if (/kB\/s$|req-sz$/.test(c)) return humanSize(v);
        return [v.toFixed(2), v] as const;
      });
      const row = cells.map(([t]) => t.padStart(8)).join(' ');
      lines.push(last ? `${row} ${device}` : `${device.padEnd(13)}${row}`);
      cols.forEach((c, k) => expected.push({ ts, device, col: c, value: cells[k]![1] }));
    }
    lines.push('');
  }
  return { text: lines.join('\n'), zone, expected, last };
}

describe('iostat --human', () => {
  it.each(Array.from({ length: 16 }, (_, k) => k + 1))('seed %i: suffixed sizes and percentages, device first or last', (seed) => {
    const g = generateHuman(seed);
    const run = runMetric(iostatFormat, g.text, { zoneOffsetMin: g.zone });
    for (const e of g.expected) {
      const s = run.series(`iostat.${e.device}.${iostatColumn(e.col)}`);
      const k = s.ts.indexOf(e.ts);
      expect(k, `${g.last ? '-h' : '--human'} ${e.device} ${e.col}`).toBeGreaterThanOrEqual(0);
      expect(s.value[k]).toBeCloseTo(e.value, 2);
    }
    expect(run.metrics).toHaveLength(new Set(g.expected.map((e) => `${e.device}.${e.col}`)).size);
  });
});

/** `iostat -x -o JSON [-t]` as sysstat lays it out: one object per line, keys without `%`. */
function generateJson(seed: number) {
  const rand = rng(seed * 97);
  const cols = pick(rand, GENERATIONS.slice(1));
  const style = pick(rand, ['none', 'C', 'en_US', 'ISO'] as const);
  const zone = pick(rand, ZONES);
  const devices = DEVICES.filter(() => rand() < 0.5).slice(0, 3);
  if (devices.length === 0) devices.push('vda');
  const start = Date.UTC(2020 + Math.floor(rand() * 5), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28), Math.floor(rand() * 24)) * 1000;
  const key = (c: string) => c.replace(/^%/, '');
  const expected: { ts: number; device: string; col: string; value: number }[] = [];
  const stats: string[] = [];
  for (let r = 0; r < 2 + Math.floor(rand() * 4); r++) {
    const utc = start + r * 1e6;
    const ts = style === 'none' ? r * 1e6 : utc;
    const cpu = CPU.map(() => Math.round(rand() * 10000) / 100);
    CPU.forEach((c, k) => expected.push({ ts, device: 'cpu', col: c, value: cpu[k]! }));
    const disks = devices.map((device) => {
      const values = cols.map(() => Math.round(rand() * 1e5) / 100);
      cols.forEach((c, k) => expected.push({ ts, device, col: c, value: values[k]! }));
      return `\t\t\t\t\t\t{"disk_device": "${device}", ${cols.map((c, k) => `"${key(c)}": ${values[k]!.toFixed(2)}`).join(', ')}}`;
    });
    stats.push([
      '\t\t\t\t{',
      ...(style === 'none' ? [] : [`\t\t\t\t\t"timestamp": "${stampText(style, utc, zone)}",`]),
      `\t\t\t\t\t"avg-cpu":  {${CPU.map((c, k) => `"${key(c)}": ${cpu[k]!.toFixed(2)}`).join(', ')}},`,
      '\t\t\t\t\t"disk": [',
      disks.join(',\n'),
      '\t\t\t\t\t]',
      '\t\t\t\t}',
    ].join('\n'));
  }
  const text = [
    '{"sysstat": {', '\t"hosts": [', '\t\t{', `\t\t\t"nodename": "node-${seed}",`, '\t\t\t"sysname": "Linux",', '\t\t\t"release": "5.15.0-72-generic",',
    '\t\t\t"machine": "x86_64",', '\t\t\t"number-of-cpus": 8,', '\t\t\t"date": "01/19/24",', '\t\t\t"statistics": [',
    stats.join(',\n'), '\t\t\t]', '\t\t}', '\t]', '}}',
  ].join('\n');
  return { text: seed % 3 === 0 ? text.replaceAll('\n', '\r\n') : text, zone, style, expected };
}

describe('iostat -o JSON', () => {
  it.each(Array.from({ length: 16 }, (_, k) => k + 1))('seed %i: detected, same series and times as the text report', (seed) => {
    const g = generateJson(seed);
    expect(detectFormat(sniffOf('iostat.json', g.text)).format.id).toBe('iostat');
    const run = runMetric(iostatFormat, g.text, { zoneOffsetMin: g.zone });
    for (const e of g.expected) {
      const s = run.series(`iostat.${e.device}.${iostatColumn(e.col)}`);
      const k = s.ts.indexOf(e.ts);
      expect(k, `${g.style} ${e.device} ${e.col}`).toBeGreaterThanOrEqual(0);
      expect(s.value[k]).toBeCloseTo(e.value, 2);
      if (e.col.startsWith('%')) expect(s.unit).toBe('%');
    }
    expect(run.metrics).toHaveLength(new Set(g.expected.map((e) => `${e.device}.${e.col}`)).size);
  });
});

/** `iostat -x -j PATH`: persistent names from /dev/disk/by-path, with colons (`pci-0000:00:1f.2-ata-1`). */
const BY_PATH = [
  'pci-0000:00:1f.2-ata-1', 'pci-0000:00:1f.2-ata-1.0-part1', 'virtio-pci-0000:00:04.0', 'pci-0000:3b:00.0-nvme-1',
  'pci-0000:00:10.0-scsi-0:0:0:0', 'platform-fe340000.mmc', 'ip-192.0.2.7:3260-iscsi-iqn.2024-01.org.example:tgt-lun-0',
];

describe('iostat behind a CI runner\'s stamps', () => {
  it('reads the sysstat ≤ 11.5.6 `Device:` header as the report, not as a runner label', () => {
    for (const [seed, stamp] of ['2023-10-25T10:57:16.6621956Z', '2024-08-23T18:05:29.1Z', '2025-01-01T00:00:00.000000000Z'].entries()) {
      const rand = rng(seed + 7);
      const cols = GENERATIONS[0]!;
      const devices = ['sda', 'nvme0n1', 'dm-0'].slice(0, 1 + seed);
      const lines = ['Linux 3.10.0 (n) \t08/23/24 \t_x86_64_\t(4 CPU)', ''];
      const utils: Record<string, number[]> = {};
      for (let r = 0; r < 3; r++) {
        lines.push(`Device:         ${cols.map((c) => c.padStart(8)).join(' ')}`);
        for (const d of devices) {
          const util = Math.round(rand() * 10000) / 100;
          (utils[d] ??= []).push(util);
          lines.push(`${d.padEnd(13)} ${cols.map((c) => (c === '%util' ? util : 1).toFixed(2).padStart(8)).join(' ')}`);
        }
        lines.push('');
      }
      const run = runMetric(iostatFormat, lines.map((l) => (l ? `${stamp} ${l}` : l)).join('\n'));
      for (const d of devices) expect(run.series(`iostat.${d}.util`).value, stamp).toEqual(utils[d]);
    }
  });
});

describe('iostat -j PATH device names', () => {
  it.each(Array.from({ length: 12 }, (_, k) => k + 1))('seed %i: names with colons stay whole, behind paste layers or not', (seed) => {
    const rand = rng(seed * 53);
    const devices = BY_PATH.filter(() => rand() < 0.6);
    if (devices.length === 0) devices.push(BY_PATH[0]!);
    const cols = pick(rand, GENERATIONS);
    const layer = pick(rand, ['none', 'grep', 'ci'] as const);
    const lines = ['Linux 5.15.0 (node) \t08/23/24 \t_x86_64_\t(4 CPU)', ''];
    const expected: { ts: number; device: string; value: number }[] = [];
    for (let r = 0; r < 2 + Math.floor(rand() * 3); r++) {
      lines.push(`${cols === GENERATIONS[0] ? 'Device:' : 'Device'}         ${cols.map((c) => c.padStart(8)).join(' ')}`);
      for (const device of devices) {
        const util = Math.round(rand() * 10000) / 100;
        lines.push(`${device.padEnd(13)} ${cols.map((c) => (c === '%util' ? util : 1).toFixed(2).padStart(8)).join(' ')}`);
        expected.push({ ts: r * 1e6, device, value: util });
      }
      lines.push('');
    }
    const text = lines.map((l, n) => (layer === 'grep' ? `iostat.log:${n + 1}:${l}` : layer === 'ci' && l ? `2024-08-23T18:05:29.1234567Z ${l}` : l)).join('\n');
    const run = runMetric(iostatFormat, text);
    for (const device of devices) {
      const rows = expected.filter((e) => e.device === device);
      const s = run.series(`iostat.${device}.util`);
      expect(s.value).toEqual(rows.map((e) => e.value));
      expect(s.ts).toEqual(rows.map((e) => e.ts));
    }
    expect(run.metrics).toHaveLength(devices.length * cols.length);
  });
});

describe('grep -n layers beside colour codes', () => {
  /** Each line's (time, level) as the iostat parser reads it. */
  const read = (lines: string[]) => {
    const p = iostatFormat.createParser({ year: 2024, zoneOffsetMin: 0, bootTimeUs: null, path: 'iostat.log' });
    const out = newParsedLine();
    return lines.map((l) => {
      resetParsedLine(out);
      p.parse(l, out);
      return [out.ts, out.level];
    });
  };

  it('a colour code right after the line number does not join the number to the text into a time', () => {
    const rand = rng(91);
    for (let k = 0; k < 24; k++) {
      // `N:` then text whose digits a colour code splits: stripped whole, `3:` + `00:00` read as 03:00:00.
      const esc = pick(rand, ['\u001b[0m', '\u001b[1;32m', '\u001b[K']);
      const body = `${Math.floor(rand() * 6)}${esc}${Math.floor(rand() * 10)}:${Math.floor(rand() * 6)}${Math.floor(rand() * 10)}\t0${1 + Math.floor(rand() * 9)}/${10 + Math.floor(rand() * 18)}/2${Math.floor(rand() * 5)} 1`;
      const lines = ['Linux 5.15.0 (node) \t08/23/24 \t_x86_64_\t(4 CPU)', '', body, '2:53:20'];
      const plain = read(lines);
      const numbered = read(lines.map((l, n) => `${n + 1}:${l}`));
      expect(numbered, JSON.stringify(body)).toEqual(plain);
    }
  });
});
