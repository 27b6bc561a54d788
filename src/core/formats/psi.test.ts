import { describe, expect, it } from 'vitest';
import { Level } from '../model';
import { fixture, isoList, runMetric, sniffOf, wallParts } from './metric-test-helpers';
import { psiFormat, resourceOf } from './psi';
import { detectFormat } from './registry';
import { pick, rng } from './test-helpers';

const example = fixture('psi', 'formats-md-section-6.txt');

describe('PSI, FORMATS.md §6 example (shell session, cpu without full)', () => {
  it('is detected and takes the resource from each `cat` line', () => {
    expect(detectFormat(sniffOf('notes.txt', example)).format.id).toBe('psi');
    const run = runMetric(psiFormat, example);
    expect(run.names()).toEqual([
      'psi.cpu.some.avg10', 'psi.cpu.some.avg300', 'psi.cpu.some.avg60',
      'psi.io.full.avg10', 'psi.io.full.avg300', 'psi.io.full.avg60',
      'psi.io.some.avg10', 'psi.io.some.avg300', 'psi.io.some.avg60',
    ]);
    expect(run.series('psi.io.full.avg60').value).toEqual([0.98]);
    expect(run.series('psi.io.full.avg60').basis).toBe('relative');
    expect(run.series('psi.cpu.some.avg10').unit).toBe('%');
    expect(run.lines.map((l) => l.level)).toEqual([Level.unknown, Level.info, Level.unknown, Level.info, Level.info]);
  });
});

describe('PSI resources', () => {
  it('reads the resource from paths and file names', () => {
    expect(resourceOf('node-1/proc/pressure-io.log')).toBe('io');
    expect(resourceOf('/proc/pressure/memory')).toBe('memory');
    expect(resourceOf('/sys/fs/cgroup/kubepods.slice/cpu.pressure')).toBe('cpu');
    expect(resourceOf('==> /proc/pressure/irq <==')).toBe('irq');
    expect(resourceOf('pressure.log')).toBeNull();
  });

  it('uses the file name, else unknown', () => {
    const text = '2024-01-02T03:04:05Z\nsome avg10=1.00 avg60=0.50 avg300=0.10 total=100\n';
    expect(runMetric(psiFormat, text, { path: 'node/proc/pressure-memory.log' }).names()[0]).toBe('psi.memory.some.avg10');
    expect(runMetric(psiFormat, text, { path: 'node/io.pressure' }).names()[0]).toBe('psi.io.some.avg10');
    expect(runMetric(psiFormat, text).names()[0]).toBe('psi.unknown.some.avg10');
  });

  it('takes the path prefix of grep output over several files', () => {
    const text = [
      '/proc/pressure/cpu:some avg10=1.00 avg60=0.50 avg300=0.10 total=100',
      '/proc/pressure/io:some avg10=2.00 avg60=0.50 avg300=0.10 total=100',
      '/proc/pressure/io:full avg10=11.00 avg60=0.50 avg300=0.10 total=100',
      '/proc/pressure/memory:some avg10=3.00 avg60=0.50 avg300=0.10 total=100',
      '/proc/pressure/memory:full avg10=4.00 avg60=0.50 avg300=0.10 total=100',
    ].join('\n');
    const run = runMetric(psiFormat, text, { path: 'pressure-cpu.log' });
    expect(run.series('psi.io.full.avg10').value).toEqual([11]);
    expect(run.series('psi.memory.some.avg10').value).toEqual([3]);
    expect(run.lines.map((l) => l.level)).toEqual([Level.info, Level.info, Level.warn, Level.info, Level.info]);
  });
});

describe('PSI stamp lines behind `grep -n`', () => {
  it('do not take the line number for the day of a `date` line that has none', () => {
    const text = 'Fri Jun   05:48:10 CST 2023\nsome avg10=0.00 avg60=1.20 avg300=0.66 total=3032146\n';
    const numbered = text.split('\n').map((l, k) => (l ? `${k + 1}:  ${l}` : l)).join('\n');
    expect(runMetric(psiFormat, text).series('psi.unknown.some.avg60').basis).toBe('relative');
    expect(runMetric(psiFormat, numbered).series('psi.unknown.some.avg60').basis).toBe('relative');
  });

  it('still read a whole stamp behind the number', () => {
    const text = '1:Fri Jun  2 05:48:10 UTC 2023\n2:some avg10=0.00 avg60=1.20 avg300=0.66 total=3032146\n';
    expect(isoList(runMetric(psiFormat, text).series('psi.unknown.some.avg60').ts)).toEqual(['2023-06-02T05:48:10Z']);
  });
});

describe('PSI stall rate', () => {
  it('is Δtotal / Δt × 100 between consecutive timed samples, restarting when total drops', () => {
    const text = [
      '1700000000', 'some avg10=0.00 avg60=0.00 avg300=0.00 total=1000000', 'full avg10=0.00 avg60=0.00 avg300=0.00 total=0',
      '1700000010', 'some avg10=0.00 avg60=0.00 avg300=0.00 total=3500000', 'full avg10=0.00 avg60=0.00 avg300=0.00 total=1000000',
      '1700000030', 'some avg10=0.00 avg60=0.00 avg300=0.00 total=3500000', 'full avg10=0.00 avg60=0.00 avg300=0.00 total=11000000',
      '1700000040', 'some avg10=0.00 avg60=0.00 avg300=0.00 total=100', 'full avg10=0.00 avg60=0.00 avg300=0.00 total=11000000',
      '1700000050', 'some avg10=0.00 avg60=0.00 avg300=0.00 total=1000100',
    ].join('\n');
    const run = runMetric(psiFormat, text, { path: '/proc/pressure/io' });
    const some = run.series('psi.io.some.stall');
    expect(some.value).toEqual([25, 0, 10]);
    expect(isoList(some.ts)).toEqual(['2023-11-14T22:13:30Z', '2023-11-14T22:13:50Z', '2023-11-14T22:14:10Z']);
    expect(run.series('psi.io.full.stall').value).toEqual([10, 50, 0]);
    expect(some.basis).toBe('utc');
  });

  it('is not computed for samples placed by index', () => {
    const text = 'some avg10=0.00 avg60=0.00 avg300=0.00 total=1\nsome avg10=0.00 avg60=0.00 avg300=0.00 total=500000\n';
    const run = runMetric(psiFormat, text);
    expect(run.series('psi.unknown.some.avg10').ts).toEqual([0, 1e6]);
    expect(run.names().some((n) => n.endsWith('.stall'))).toBe(false);
  });
});

const STYLES = ['date', 'date-en_US', 'date-R', 'iso', 'iso-space', 'epoch', 'tail', 'prefix', 'grep-n'] as const;
const ZONES: [number, string][] = [[0, 'UTC'], [540, 'JST'], [480, 'CST'], [120, 'CEST'], [-300, 'CDT'], [330, 'IST'], [180, '+03']];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function stamp(style: (typeof STYLES)[number], utcUs: number, zone: number, abbr: string): string {
  const w = wallParts(utcUs, zone);
  const { p2 } = w;
  const hms = `${p2(w.h)}:${p2(w.mi)}:${p2(w.s)}`;
  const off = `${zone < 0 ? '-' : '+'}${p2(Math.floor(Math.abs(zone) / 60))}:${p2(Math.abs(zone) % 60)}`;
  const ymd = `${w.y}-${p2(w.mo)}-${p2(w.d)}`;
  switch (style) {
    case 'date': return `${DAYS[w.wd]} ${MONTHS[w.mo - 1]} ${String(w.d).padStart(2)} ${hms} ${abbr} ${w.y}`;
    case 'date-en_US': return `${DAYS[w.wd]} ${MONTHS[w.mo - 1]} ${String(w.d).padStart(2)} ${p2(w.h % 12 || 12)}:${p2(w.mi)}:${p2(w.s)} ${w.h < 12 ? 'AM' : 'PM'} ${abbr} ${w.y}`;
    case 'date-R': return `${DAYS[w.wd]}, ${p2(w.d)} ${MONTHS[w.mo - 1]} ${w.y} ${hms} ${off.replace(':', '')}`;
    case 'iso': case 'prefix': case 'grep-n': return `${ymd}T${hms}${off}`;
    case 'iso-space': return `=== ${ymd} ${hms} ===`;
    case 'epoch': return `${utcUs / 1e6}`;
    case 'tail': return `==> ${ymd} ${hms} <==`;
  }
}

/** A PSI capture: a stamp style, a zone, io/memory/cpu, cpu with or without `full`, noise. */
function generate(seed: number) {
  const rand = rng(seed);
  const style = pick(rand, STYLES);
  const [zone, abbr] = pick(rand, ZONES);
  const res = pick(rand, ['io', 'memory', 'cpu'] as const);
  const full = res !== 'cpu' || rand() < 0.5;
  const every = 2 + Math.floor(rand() * 10);
  const start = Date.UTC(2021 + Math.floor(rand() * 4), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28), Math.floor(rand() * 24)) * 1000;
  const lines: string[] = [`$ while true; do date; cat /proc/pressure/${res}; sleep ${every}; done`];
  const expected: { ts: number; kind: string; avg: number[]; total: number }[] = [];
  const totals = { some: Math.floor(rand() * 1e7), full: Math.floor(rand() * 1e6) };
  const samples = 5 + Math.floor(rand() * 30);
  for (let n = 0; n < samples; n++) {
    const utc = start + n * every * 1e6;
    const text = stamp(style, utc, zone, abbr);
    if (style !== 'prefix' && style !== 'grep-n') lines.push(text);
    for (const kind of full ? ['some', 'full'] as const : ['some'] as const) {
      totals[kind] += Math.floor(rand() * every * 1e6 * 0.3);
      const avg = [rand() * 30, rand() * 20, rand() * 10].map((v) => Math.round(v * 100) / 100);
      const body = `${kind} avg10=${avg[0]!.toFixed(2)} avg60=${avg[1]!.toFixed(2)} avg300=${avg[2]!.toFixed(2)} total=${totals[kind]}`;
      lines.push(style === 'prefix' ? `${text} ${body}` : style === 'grep-n' ? `${text} /proc/pressure/${res}:${n * 2 + 1}:${body}` : body);
      expected.push({ ts: utc, kind, avg, total: totals[kind] });
    }
    if (rand() < 0.1) lines.push('');
  }
  lines.push('some avg10=1.00 avg60=0.50 avg3'); // cut last line
  const local = ['date', 'date-en_US'].includes(style) ? ['CST', 'IST'].includes(abbr) : ['iso-space', 'tail'].includes(style);
  return { text: lines.join(seed % 3 === 0 ? '\r\n' : '\n'), zone, res, expected, basis: local ? 'local' : 'utc' };
}

describe('PSI, generated captures (stamp styles, zones, resources, noise)', () => {
  it.each(Array.from({ length: 45 }, (_, k) => k + 1))('seed %i', (seed) => {
    const g = generate(seed);
    expect(detectFormat(sniffOf('capture.txt', g.text)).format.id).toBe('psi');
    const run = runMetric(psiFormat, g.text, { zoneOffsetMin: g.zone }, seed % 3 === 0);
    for (const kind of ['some', 'full']) {
      const rows = g.expected.filter((e) => e.kind === kind);
      if (rows.length === 0) continue;
      ['avg10', 'avg60', 'avg300'].forEach((a, k) => {
        const s = run.series(`psi.${g.res}.${kind}.${a}`);
        expect(s.ts).toEqual(rows.map((r) => r.ts));
        expect(s.value).toEqual(rows.map((r) => r.avg[k]));
        expect(s.basis).toBe(g.basis);
      });
      const stall = run.series(`psi.${g.res}.${kind}.stall`);
      expect(stall.ts).toEqual(rows.slice(1).map((r) => r.ts));
      rows.slice(1).forEach((r, k) => {
        const prev = rows[k]!;
        expect(stall.value[k]).toBeCloseTo(((r.total - prev.total) / (r.ts - prev.ts)) * 100, 6);
      });
    }
    expect(run.lines[run.lines.length - 1]?.ts).toBeNaN();
  });
});

/**
 * `while true; do echo "$(date -Is) $(cat /proc/pressure/io | tr '\n' ' ')"; sleep 1; done`: one
 * line per sample, the `some` and `full` groups joined behind the stamp (and a trailing blank).
 */
function generateJoined(seed: number) {
  const rand = rng(seed * 7919);
  const style = pick(rand, ['iso', 'date', 'date-en_US', 'epoch', 'date-R'] as const);
  const [zone, abbr] = pick(rand, ZONES.filter(([, a]) => a !== 'CST' && a !== 'IST'));
  const res = pick(rand, ['io', 'memory', 'cpu'] as const);
  // The resource from the file name, or from a path printed between the stamp and the groups.
  const named = rand() < 0.5;
  const path = named ? `pressure-${res}.log` : 'capture.txt';
  const every = 1 + Math.floor(rand() * 5);
  const start = Date.UTC(2021 + Math.floor(rand() * 4), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28), Math.floor(rand() * 24)) * 1000;
  const totals = { some: Math.floor(rand() * 1e7), full: Math.floor(rand() * 1e6) };
  const expected: { ts: number; kind: string; avg: number[] }[] = [];
  const lines: string[] = [];
  for (let n = 0; n < 4 + Math.floor(rand() * 20); n++) {
    const utc = start + n * every * 1e6;
    const groups = (['some', 'full'] as const).map((kind) => {
      totals[kind] += Math.floor(rand() * every * 1e6 * 0.3);
      const avg = [rand() * 30, rand() * 20, rand() * 10].map((v) => Math.round(v * 100) / 100);
      expected.push({ ts: utc, kind, avg });
      return `${kind} avg10=${avg[0]!.toFixed(2)} avg60=${avg[1]!.toFixed(2)} avg300=${avg[2]!.toFixed(2)} total=${totals[kind]}`;
    });
    lines.push(`${stamp(style, utc, zone, abbr)}${named ? '' : ` /proc/pressure/${res}`} ${groups.join(' ')} `);
  }
  return { text: lines.join(seed % 2 === 0 ? '\r\n' : '\n'), path, zone, res, expected };
}

describe('PSI, one line per sample (some and full joined by tr)', () => {
  it.each(Array.from({ length: 24 }, (_, k) => k + 1))('seed %i', (seed) => {
    const g = generateJoined(seed);
    expect(detectFormat(sniffOf(g.path, g.text)).format.id).toBe('psi');
    const run = runMetric(psiFormat, g.text, { zoneOffsetMin: g.zone, path: g.path }, seed % 2 === 0);
    for (const kind of ['some', 'full']) {
      const rows = g.expected.filter((e) => e.kind === kind);
      ['avg10', 'avg60', 'avg300'].forEach((a, k) => {
        const s = run.series(`psi.${g.res}.${kind}.${a}`);
        expect(s.ts).toEqual(rows.map((r) => r.ts));
        expect(s.value).toEqual(rows.map((r) => r.avg[k]));
        expect(s.basis).toBe('utc');
      });
      expect(run.series(`psi.${g.res}.${kind}.stall`).ts).toEqual(rows.slice(1).map((r) => r.ts));
    }
    expect(run.lines.every((l) => l.ts === l.ts && l.level >= Level.info)).toBe(true);
  });

  it('warns when a joined full group is over the bound', () => {
    const line = '2024-08-23T18:05:29+02:00 some avg10=40.00 avg60=1.00 avg300=1.00 total=10 full avg10=35.00 avg60=1.00 avg300=1.00 total=5 ';
    expect(runMetric(psiFormat, line, { path: 'io.pressure' }).lines[0]!.level).toBe(Level.warn);
  });
});
