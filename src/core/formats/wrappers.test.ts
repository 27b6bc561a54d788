// The "wrappers and quirks" of real pastes (FORMATS.md §0, §9): collector prefixes (`grep -n`,
// CI runner stamps, log-UI TAB exports, multi-node addresses), shell prompts, newest-first files,
// locale month names, terminal hard wraps, pager chops, ANSI colour, CRLF and JSON records split
// across lines. Each is checked per format, through the parsers and through the real pipeline.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTINUATION } from '../line-index';
import { levelNames } from '../model';
import { US_PER_MIN, US_PER_SEC, formatIsoUs } from '../time/civil';
import { ingestBytes, utf8 } from './property-helpers';
import { detectFormat, formatById, formats } from './registry';
import { ctxOf, isoToUs, parseAll, showTs } from './test-helpers';
import { newParsedLine, type FormatSample, type ParsedLine } from './types';

const fmt = (id: string) => {
  const f = formatById(id);
  if (!f) throw new Error(`no format ${id}`);
  return f;
};

/** What a parse says about a line, for comparing two readings of it. */
function reading(p: ParsedLine) {
  return { ts: showTs(p.ts), local: p.local, relative: p.relative, level: levelNames[p.level], origin: p.origin, continuation: p.continuation };
}

/** Samples that are stamped records (the ones a wrapper must not change). */
function stampedSamples(id: string): FormatSample[] {
  return fmt(id).samples.filter((s) => s.iso !== null && !s.continuation && s.iso !== '1970-01-01T00:00:00Z');
}

/** How much of a sample's line its time needs: a wrap after this point leaves the record's stamp whole. */
function headerLength(id: string, sample: FormatSample): number {
  const [whole] = parseAll(fmt(id), [sample.line], sample.ctx);
  for (let n = 1; n <= sample.line.length; n++) {
    const [head] = parseAll(fmt(id), [sample.line.slice(0, n)], sample.ctx);
    if (head!.ts === whole!.ts && !head!.continuation) return n;
  }
  return sample.line.length;
}

/** Samples that stand alone: metric rows depend on headers and stamp lines above them, so only line formats. */
const LINE_FORMATS = ['klog', 'klog-json', 'containerd', 'syslog', 'dmesg', 'journal-json', 'goroutines'];
const ALL_STAMPED = formats.map((f) => f.id).filter((id) => stampedSamples(id).length > 0);

describe('collector layers leave the line reading unchanged', () => {
  const UNDATED = ['kubelet.log:1042:', 'var/log/messages-2024-05-08.gz:12:', '2724:', '12:', '7:', '10.0.0.3: ', '198.51.100.10: '];

  it.each(ALL_STAMPED)('%s: grep -n (one file and several, any line-number width) and multi-node addresses', (id) => {
    for (const sample of stampedSamples(id)) {
      const [plain] = parseAll(fmt(id), [sample.line], sample.ctx);
      for (const w of UNDATED) {
        const [wrapped] = parseAll(fmt(id), [w + sample.line], sample.ctx);
        expect(reading(wrapped!), `${w}${sample.line.slice(0, 100)}`).toEqual(reading(plain!));
      }
    }
  });

  it.each(LINE_FORMATS)('%s: CI runner stamps and log-UI TAB exports (dated: they give yearless stamps their year)', (id) => {
    for (const sample of stampedSamples(id)) {
      const [plain] = parseAll(fmt(id), [sample.line], sample.ctx);
      // The collector saw the line when it was written: its stamp is the line's own time, in UTC.
      const seen = formatIsoUs(isoToUs(sample.iso!));
      for (const w of [`${seen.slice(0, 19)}.6621956Z     default: `, `${seen.slice(0, 19)}.6621956Z `, `${seen.slice(0, 19)}+00:00\t`, `${seen.slice(0, 23)}Z\t`]) {
        const [wrapped] = parseAll(fmt(id), [w + sample.line], sample.ctx);
        expect(reading(wrapped!), `${w}${sample.line.slice(0, 100)}`).toEqual(reading(plain!));
      }
    }
  });

  it('metric lines behind collector layers feed the same series', () => {
    const vmstat = [
      ' r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st                 UTC',
      ' 0  0      0   1289     73    592    0    0   104   115  185 1084 14  2 84  0  0 2023-03-09 07:17:12',
    ];
    for (const w of ['vmstat.log:3:', '3:', '10.0.0.3: ', '2023-03-09T07:17:13.1234567Z     node-1: ', '2023-03-09T07:17:13+00:00\t']) {
      const parsed = parseAll(fmt('vmstat'), vmstat.map((l) => w + l));
      expect(showTs(parsed[1]!.ts), w).toBe('2023-03-09T07:17:12.000000Z');
    }
    const psi = ['2023-06-02T05:48:10Z', '/proc/pressure/io:full avg10=12.00 avg60=0.98 avg300=0.54 total=2503085'];
    for (const w of ['psi.log:9:', '10.0.0.3: ', '2023-06-02T05:48:10+00:00\t']) {
      const parsed = parseAll(fmt('psi'), psi.map((l) => w + l));
      expect(showTs(parsed[1]!.ts), w).toBe('2023-06-02T05:48:10.000000Z');
      expect(levelNames[parsed[1]!.level]).toBe('warn');
    }
    const iostat = [
      '06/29/20 07:52:20',
      'Device            r/s     w/s     rkB/s     wkB/s   rrqm/s   wrqm/s  %rrqm  %wrqm r_await w_await aqu-sz rareq-sz wareq-sz  svctm  %util',
      'nvme0n1          7.35  135.69     27.38  23122.14     0.00     2.71   0.00   1.96    2.66   13.20   1.81     3.73   170.41   0.45   6.33',
    ];
    for (const w of ['iostat.txt:12:', '12:', '10.0.0.3: ', '2020-06-29T07:52:21.5Z     default: ']) {
      const parsed = parseAll(fmt('iostat'), iostat.map((l) => w + l));
      expect(showTs(parsed[2]!.ts), w).toBe('2020-06-29T07:52:20.000000Z');
    }
  });

  it('journal JSON records behind collector layers are read (they were detected, then left untimed)', () => {
    const rec = '{"__REALTIME_TIMESTAMP":"1511559250984545","SYSLOG_IDENTIFIER":"kubelet","PRIORITY":"4","MESSAGE":"x"}';
    for (const w of ['', 'journal.json:12:', '12:', '10.0.0.3: ', '2022-04-16T10:00:17+00:00\t', '2023-10-25T10:57:16.6621956Z     default: ', '    ']) {
      const [p] = parseAll(fmt('journal-json'), [w + rec]);
      expect({ ts: showTs(p!.ts), origin: p!.origin, level: levelNames[p!.level] }, w).toEqual({ ts: '2017-11-24T21:34:10.984545Z', origin: 'kubelet', level: 'warn' });
      expect(detectFormat({ path: 'x', lines: [w + rec, w + rec] }).format.id).toBe('journal-json');
    }
  });
});

describe('shell prompt lines', () => {
  it('name the PSI resource and the interval of untimed iostat/vmstat samples, and are no records of their own time', () => {
    const psi = parseAll(fmt('psi'), ['$ cat /proc/pressure/io', 'full avg10=12.00 avg60=0.98 avg300=0.54 total=2503085'], { path: 'paste.txt' });
    expect(psi[0]!.ts).toBeNaN();
    expect(levelNames[psi[1]!.level]).toBe('warn'); // io full > 10%: the resource came from the prompt

    const iostatParser = fmt('iostat').createParser(ctxOf());
    const lines = ['# iostat -x 5', 'avg-cpu:  %user   %nice %system %iowait  %steal   %idle', '           1.60   39.24    1.82    0.93    0.00   56.42',
      'avg-cpu:  %user   %nice %system %iowait  %steal   %idle', '           1.60   39.24    1.82    0.93    0.00   56.42'];
    const out = lines.map(() => newParsedLine());
    lines.forEach((l, k) => iostatParser.parse(l, out[k]!));
    expect(out[0]!.ts).toBeNaN();
    expect(out[4]!.ts - out[2]!.ts).toBe(5 * US_PER_SEC);

    const vm = parseAll(fmt('vmstat'), ['root@node:~# vmstat 2',
      ' 2  0      0 110592  20480 512000    0    0     5    12   80  150  1  1 98  0  0',
      ' 2  0      0 110592  20480 512000    0    0     5    12   80  150  1  1 98  0  0']);
    expect(vm[2]!.ts - vm[1]!.ts).toBe(2 * US_PER_SEC);
  });

  it.each(['klog', 'containerd', 'syslog', 'journal-json'])('%s: a prompt line is untimed and leaves detection alone', (id) => {
    const samples = stampedSamples(id).map((s) => s.line);
    const lines = ['$ journalctl -u kubelet --no-pager', ...samples, '# exit'];
    const parsed = parseAll(fmt(id), lines, { year: 2024 });
    expect(parsed[0]!.ts).toBeNaN();
    expect(parsed.at(-1)!.ts).toBeNaN();
    expect(detectFormat({ path: 'paste.txt', lines }).format.id).toBe(detectFormat({ path: 'paste.txt', lines: samples }).format.id);
  });
});

/** A file's lines from instants (µs UTC), newest first or oldest first, in one of the yearless layouts. */
function yearlessFile(instants: number[], zoneMin: number, layout: number): string[] {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return instants.map((utc, n) => {
    const wall = utc + zoneMin * US_PER_MIN;
    const d = new Date(Math.floor(wall / 1000));
    const clock = `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
    const klog = `I${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${clock}.${p(wall % US_PER_SEC, 6)}    4567 kubelet.go:${n}] "SyncLoop"`;
    const short = `${months[d.getUTCMonth()]} ${p(d.getUTCDate())} ${clock}`;
    switch (layout) {
      case 0: return klog;
      case 1: return `${short} node-1 kubelet[4567]: ${klog}`;
      case 2: return `${short}.${p(wall % US_PER_SEC, 6)} node-1 kernel: EXT4-fs (sda1): mounted filesystem ${n}`;
      default: return `${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${clock} node-1 systemd[1]: Started job ${n}.`;
    }
  });
}

describe('reverse-chronological files (newest first)', () => {
  const LAYOUTS = ['klog', 'journald short + klog', 'journald short-precise kernel', 'RFC 3164 syslog'];

  it.each(LAYOUTS.map((name, k) => [name, k] as const))('%s: every line gets its time across New Year, through ingestEntry', async (_name, layout) => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: Date.UTC(2001, 0, 1) / 1000, max: Date.UTC(2090, 0, 1) / 1000 }),
      fc.array(fc.integer({ min: 0, max: 45 * 86_400 }), { minLength: 1, maxLength: 60 }),
      fc.constantFrom(-300, 0, 60, 480), fc.boolean(),
      async (startSec, steps, zone, newestFirst) => {
        // Whole seconds for the second-precision layouts (µs are in the klog stamp).
        const instants = [startSec * US_PER_SEC + (layout === 3 ? 0 : 123_456)];
        for (const s of steps) instants.push(instants[instants.length - 1]! + s * US_PER_SEC);
        if (newestFirst) instants.reverse();
        const lines = yearlessFile(instants, zone, layout);
        const year = new Date(instants[0]! / 1000 + zone * 60_000).getUTCFullYear();
        const run = await ingestBytes('node.log', utf8(`${lines.join('\n')}\n`), { year, zoneOffsetMin: zone });
        const got = run.blocks.flatMap((b) => Array.from(b.offset, (o, k) => [o, b.ts[k]!] as const)).sort((a, b) => a[0] - b[0]);
        expect(got.map(([, ts]) => showTs(ts))).toEqual(instants.map(showTs));
      },
    ), { numRuns: 25 });
  });

  it('klog: a file read backwards across a 7-9 month gap stays in the year before once it is known to run backwards', () => {
    const lines = ['I0301 10:00:00.000000    1 a.go:1] x', 'I0215 10:00:00.000000    1 a.go:1] x', 'I0110 10:00:00.000000    1 a.go:1] x',
      'I1201 10:00:00.000000    1 a.go:1] x', 'I0401 10:00:00.000000    1 a.go:1] x'];
    const got = parseAll(fmt('klog'), lines, { year: 2024 }).map((p) => showTs(p.ts).slice(0, 10));
    expect(got).toEqual(['2024-03-01', '2024-02-15', '2024-01-10', '2023-12-01', '2023-04-01']);
  });
});

describe('locale month names in journald/syslog prefixes', () => {
  const LOCALES: Record<string, string[]> = {
    en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
    fr: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
    de: ['Jan', 'Feb', 'Mär', 'Apr', 'Mai', 'Jun', 'Jul', 'Aug', 'Sep', 'Okt', 'Nov', 'Dez'],
    es: ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'],
    'es (newer glibc)': ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sept', 'oct', 'nov', 'dic'],
    it: ['gen', 'feb', 'mar', 'apr', 'mag', 'giu', 'lug', 'ago', 'set', 'ott', 'nov', 'dic'],
    pt: ['jan', 'fev', 'mar', 'abr', 'mai', 'jun', 'jul', 'ago', 'set', 'out', 'nov', 'dez'],
    zh: ['1月', '2月', '3月', '4月', '5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月'],
    ko: ['1월', '2월', '3월', '4월', '5월', '6월', '7월', '8월', '9월', '10월', '11월', '12월'],
  };

  it.each(Object.entries(LOCALES))('%s: every month of a year, in klog, containerd and syslog files', (_locale, names) => {
    const lines = names.flatMap((m, k) => [
      `${m} 05 10:00:00 node-1 kubelet[1]: I${String(k + 1).padStart(2, '0')}05 10:00:00.250000       1 a.go:1] "x"`,
      `${m} 05 10:00:01 node-1 cron[2]: (root) CMD (run-parts /etc/cron.hourly)`,
      `${m} 05 10:00:02 node-1 containerd[3]: time="2023-${String(k + 1).padStart(2, '0')}-05T10:00:02.5Z" level=info msg="x"`,
    ]);
    const parsed = parseAll(fmt('syslog'), lines, { year: 2023 });
    const want = names.flatMap((_, k) => {
      const day = `2023-${String(k + 1).padStart(2, '0')}-05T10:00:0`;
      return [`${day}0.250000Z`, `${day}1.000000Z`, `${day}2.500000Z`];
    });
    expect(parsed.map((p) => showTs(p.ts))).toEqual(want);
    expect(parsed.map((p) => p.origin)).toEqual(names.flatMap(() => ['kubelet', 'cron', 'containerd']));
    expect(detectFormat({ path: 'journal.txt', lines }).format.id).toBe('syslog');
  });

  it('RFC 3164 space-padded days and dmesg -T in other locales', () => {
    const parsed = parseAll(fmt('syslog'), ['ago  5 07:27:14 node-2 systemd[1]: x', 'Sept  5 07:27:14 node-2 systemd[1]: x', 'Okt  5 07:27:14 node-2 systemd[1]: x'], { year: 2024 });
    expect(parsed.map((p) => showTs(p.ts))).toEqual(['2024-08-05T07:27:14.000000Z', '2024-09-05T07:27:14.000000Z', '2024-10-05T07:27:14.000000Z']);
    const dm = parseAll(fmt('dmesg'), ['[dom ago  2 10:00:00 2020] eth0: link up', '[So Okt  4 10:00:00 2020] eth0: link up']);
    expect(dm.map((p) => showTs(p.ts))).toEqual(['2020-08-02T10:00:00.000000Z', '2020-10-04T10:00:00.000000Z']);
  });

  it('a word that merely reads as a month is no stamp, and a host named like one keeps its dateless prefix', () => {
    const [p] = parseAll(fmt('syslog'), ['set kubelet[12]: I0602 05:48:06.350695      12 a.go:1] "x"']);
    expect(p!.origin).toBe('kubelet');
    expect(showTs(p!.ts)).toBe('2024-06-02T05:48:06.350695Z');
  });
});

describe('hard-wrapped records, pager chops, ANSI colour, CRLF', () => {
  it.each(['klog', 'klog-json', 'containerd', 'syslog'])('%s: a record hard-wrapped by the terminal is one record whose pieces continue it', async (id) => {
    for (const width of [60, 80, 120, 134]) {
      // Wraps past the record's header (prefix and stamp): a wrap inside a stamp cannot be told from two lines.
      const samples = stampedSamples(id).filter((s) => s.line.length > width && headerLength(id, s) <= width);
      const lines = samples.flatMap((s) => s.line.match(new RegExp(`[^]{1,${width}}`, 'g'))!);
      const { result, blocks } = await ingestBytes(`${id}.log`, utf8(lines.join('\n')), { formatId: id, zoneOffsetMin: 0 });
      const records = result.sources.reduce((n, s) => n + s.records, 0);
      expect(records, `width ${width}`).toBe(samples.length);
      expect(result.lines).toBe(lines.length);
      // Each piece sits at its record's time, and continues it.
      const index = blocks.flatMap((b) => Array.from(b.offset, (o, k) => [o, b.ts[k]!, b.level[k]!] as const)).sort((a, b) => a[0] - b[0]);
      let n = 0;
      for (const s of samples) {
        const pieces = s.line.match(new RegExp(`[^]{1,${width}}`, 'g'))!.length;
        const [head, ...rest] = index.slice(n, n + pieces);
        expect(head![2] & CONTINUATION, s.line.slice(0, 80)).toBe(0);
        for (const piece of rest) expect([showTs(piece[1]), piece[2] & CONTINUATION], s.line.slice(0, 80)).toEqual([showTs(head![1]), CONTINUATION]);
        n += pieces;
      }
    }
  });

  it.each(ALL_STAMPED)('%s: a line cut by the pager (`>`) keeps its time and level', (id) => {
    for (const sample of stampedSamples(id)) {
      const [plain] = parseAll(fmt(id), [sample.line], sample.ctx);
      // Cut past the stamp (and the record's key fields), as `less -S` does at the terminal width.
      const cut = Math.max(120, Math.floor(sample.line.length * 0.9));
      if (cut >= sample.line.length || id === 'vmstat' || id === 'iostat' || id === 'psi') continue;
      // logrus JSON sorts its keys: `time` comes last, and a cut takes it away.
      if (id === 'containerd' && sample.line.startsWith('{')) continue;
      // Docker's json-file record ends with its `time`: a cut takes it away too.
      if (id === 'json-lines' && sample.line.includes('"stream":')) continue;
      const [chopped] = parseAll(fmt(id), [`${sample.line.slice(0, cut)}>`], sample.ctx);
      // A cut journal record keeps the fields before the cut: `_SOURCE_REALTIME_TIMESTAMP` may be gone.
      if (id === 'journal-json') expect(Math.abs(chopped!.ts - plain!.ts), sample.line.slice(0, 100)).toBeLessThan(60 * US_PER_SEC);
      else expect(showTs(chopped!.ts), sample.line.slice(0, 100)).toBe(showTs(plain!.ts));
      if (id !== 'journal-json') expect(levelNames[chopped!.level], sample.line.slice(0, 100)).toBe(levelNames[plain!.level]);
    }
  });

  it.each(ALL_STAMPED)('%s: ANSI colour codes around a line or its payload change nothing', (id) => {
    for (const sample of stampedSamples(id)) {
      const [plain] = parseAll(fmt(id), [sample.line], sample.ctx);
      const sp = sample.line.indexOf(' ', 20);
      const variants = [`\u001b[1;31m${sample.line}\u001b[0m`, `\u001b[0m${sample.line}`];
      if (sp > 0 && id !== 'vmstat' && id !== 'iostat' && id !== 'psi') variants.push(`${sample.line.slice(0, sp + 1)}\u001b[33m${sample.line.slice(sp + 1)}\u001b[0m`);
      for (const v of variants) {
        const [coloured] = parseAll(fmt(id), [v], sample.ctx);
        if (v.startsWith(sample.line.slice(0, sp + 1)) && id === 'journal-json') continue; // colour inside JSON is no JSON
        expect(reading(coloured!), JSON.stringify(v.slice(0, 100))).toEqual(reading(plain!));
      }
    }
  });

  it.each(formats.map((f) => f.id))('%s: CRLF files index the same lines at the same times as LF files', async (id) => {
    const lines = fmt(id).samples.map((s) => s.line);
    const lf = await ingestBytes(`${id}.log`, utf8(`${lines.join('\n')}\n`), { formatId: id });
    const crlf = await ingestBytes(`${id}.log`, utf8(`${lines.join('\r\n')}\r\n`), { formatId: id });
    const flat = (run: typeof lf) => run.blocks.flatMap((b) => Array.from(b.ts, (ts, k) => [showTs(ts), b.level[k], b.length[k]]));
    expect(flat(crlf)).toEqual(flat(lf));
    expect(crlf.result.notes.some((n) => n.includes('CRLF'))).toBe(true);
  });
});

describe('JSON records split across lines', () => {
  it('klog JSON: the head keeps its stamp, the tail continues it', () => {
    const parsed = parseAll(fmt('klog-json'), ['{"ts":1755463080311.0427,"caller":"kuberuntime/kuberuntime_manager.go:1166","msg":"CreatePodSandbox for pod failed","pod":{"name":"web-0",',
      '"namespace":"default"},"err":"rpc error"}']);
    expect(showTs(parsed[0]!.ts)).toBe('2025-08-17T20:38:00.311042Z');
    expect(parsed[1]!.continuation).toBe(true);
  });

  it('containerd JSON (keys sorted, `time` last): the head is a record, the tail continues it', () => {
    const parsed = parseAll(fmt('containerd'), ['containerd[9897]: {"error":"failed to stop container: failed to delete task: context deadline exceeded:', ' unknown","level":"error"']);
    expect(parsed[0]!.continuation).toBe(false);
    expect(parsed[1]!.continuation).toBe(true);
  });

  it('journal JSON: a record cut or split keeps the time of its complete fields; the rest continues it', () => {
    const parsed = parseAll(fmt('journal-json'), [
      '{ "__CURSOR" : "s=0c;i=1c9ed", "__REALTIME_TIMESTAMP" : "1511559250984545", "PRIORITY" : "3", "SYSLOG_IDENTIFIER" : "kubelet", "MESSAGE" : "W1124 21:34:10.984255    9509 helpers.go:847] eviction manager: no obs',
      'ervation found" }',
      '{"__REALTIME_TIMESTAMP":"1511559250984546","MESSAGE":"\\"__REALTIME_TIMESTAMP\\":\\"1\\"","PRIORITY":"6","_COMM":"dockerd","MESSAGE_ID":"chopped by the pag>',
      '{"__CURSOR":"s=9a1b;i=2f06","__REALTIME_TIMESTAMP":"17180000',
    ]);
    expect(parsed.map((p) => [showTs(p.ts), p.origin, levelNames[p.level], p.continuation])).toEqual([
      ['2017-11-24T21:34:10.984545Z', 'kubelet', 'error', false],
      ['NaN', null, 'unknown', true],
      ['2017-11-24T21:34:10.984546Z', 'docker', 'info', false],
      ['NaN', null, 'unknown', false],
    ]);
  });
});

describe('stamps that overflow', () => {
  it('klog JSON with an absurd `ts` is no stamp (it read as Infinity)', () => {
    const [p] = parseAll(fmt('klog-json'), [`{"ts":${'9'.repeat(330)},"caller":"a.go:1","msg":"x"}`]);
    expect(p!.ts).toBeNaN();
    expect(formatIsoUs(1e30)).toBe('1e+30us');
  });
});
