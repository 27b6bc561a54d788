// Hostile input: parse() and detect() must never throw, whatever the bytes decoded into.
import { describe, expect, it } from 'vitest';
import { formats, detectFormat } from './registry';
import { parseAll, rng, showTs } from './test-helpers';
import { newParsedLine, resetParsedLine } from './types';

function junk(seed: number, length: number): string {
  const rand = rng(seed);
  let s = '';
  for (let k = 0; k < length; k++) s += String.fromCharCode(Math.floor(rand() * 0x2fff));
  return s;
}

const HUGE = 'I0602 05:48:06.350695    4567 a.go:1] ' + 'x'.repeat(20 * 1024 * 1024);
const HOSTILE = [
  '',
  '\r',
  ' ',
  '\t',
  '\u0000\u0001\u0002\u00ff\ufffd\ufffd\ufffd',
  'Jun 02 05:48:06 h kubelet[1]: I0602 05:48:\ufffd\ufffd.350695 1 a.go:1] x',
  'time="2024-06-02T05:48:\ufffd6Z" level=info msg="x"',
  '{"level":"info","msg":"x","time":"\ufffd"}',
  '{"ts":}',
  '{"ts":1e400,"caller":"x"}',
  '{',
  '{"__REALTIME_TIMESTAMP":',
  '[]',
  'null',
  'kubelet[99999999999999999999]: x',
  '2024-13-45T99:99:99Z host x[1]: y',
  '8月',
  'Jun',
  'Jun 02',
  'Jun 02 05:48',
  'I0602',
  'INFO[',
  '\u001b[36mINFO\u001b[0m[',
  '\u001b[',
  'time="',
  'messages:1:',
  '198.51.100.10:',
  '-- --',
  '--',
  junk(1, 4096),
  junk(2, 100),
  '\u0000'.repeat(10000),
  ' '.repeat(100000),
  ':'.repeat(100000),
  '['.repeat(100000),
  '{"'.repeat(50000) + '}',
];

describe.each(formats.map((f) => [f.id, f] as const))('%s on hostile input', (_id, format) => {
  it('never throws on junk, cut and odd lines', () => {
    expect(() => parseAll(format, HOSTILE)).not.toThrow();
    expect(() => format.detect({ path: 'junk', lines: HOSTILE })).not.toThrow();
    expect(() => format.anchors?.({ path: 'junk', lines: HOSTILE })).not.toThrow();
  });

  it('survives a header of thousands of columns and rows that match it (a property seed once broke the metric row patterns)', () => {
    const cols = Array.from({ length: 3000 }, (_, i) => `c${i}`);
    const row = cols.map((_, i) => String(i % 10)).join(' ');
    const lines = [`avg-cpu:  %user %nice ${cols.join(' ')}`, `         1.0 2.0 ${row}`,
      `Device            r/s     w/s ${cols.join(' ')}`, `sda 1.0 2.0 ${row}`,
      'procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----', ` r  b   swpd   free ${cols.join(' ')}`, ` 1  0      0   1234 ${row}`];
    expect(() => parseAll(format, lines)).not.toThrow();
  });

  it('survives a 20 MB line', () => {
    const [out] = parseAll(format, [HUGE]);
    expect(out).toBeDefined();
    if (format.id === 'klog') expect(showTs(out!.ts)).toBe('2024-06-02T05:48:06.350695Z');
  });

  it('reads every sample the same with a CRLF ending', () => {
    for (const sample of format.samples) {
      const [plain] = parseAll(format, [sample.line], sample.ctx);
      const [crlf] = parseAll(format, [sample.line + '\r'], sample.ctx);
      expect(crlf, JSON.stringify(sample.line)).toEqual(plain);
    }
  });

  it('reads every sample without throwing after replacing random characters with U+FFFD', () => {
    const rand = rng(7);
    for (const sample of format.samples) {
      for (let round = 0; round < 20; round++) {
        const chars = [...sample.line];
        for (let k = 0; k < 3 && chars.length > 0; k++) chars[Math.floor(rand() * chars.length)] = '\ufffd';
        expect(() => parseAll(format, [chars.join('')], sample.ctx)).not.toThrow();
        // Cut at a random point, as the last line of a paste.
        expect(() => parseAll(format, [sample.line.slice(0, Math.floor(rand() * sample.line.length))], sample.ctx)).not.toThrow();
      }
    }
  });
});

describe('detection on hostile input', () => {
  it('gives plain for junk', () => {
    expect(detectFormat({ path: 'x', lines: [junk(3, 2000), junk(4, 2000)] }).format.id).toBe('plain');
  });
});

describe('hot path sanity (not timed)', () => {
  it('parses 200k mixed lines with one reused result', () => {
    const lines = [
      'Jun 02 05:48:06.350695 node-1 kubelet[4567]: I0602 05:48:06.350695    4567 kubelet.go:2453] "SyncLoop (PLEG): event for pod" pod="kube-system/coredns"',
      'I0602 05:48:07.000218    4567 kubelet_node_status.go:493] "Fast updating node status as it just became ready"',
      'Jun 02 05:48:08 node-1 containerd[881]: time="2024-06-02T05:48:08.102938475Z" level=info msg="shim disconnected" id=42f50e7f namespace=k8s.io',
      'time="2024-06-02T05:48:09.102938475Z" level=warning msg="cleaning up after shim disconnected" id=42f50e7f namespace=k8s.io',
    ];
    const klog = formats.find((f) => f.id === 'klog')!;
    const parser = klog.createParser({ year: 2024, zoneOffsetMin: 0, bootTimeUs: null });
    const out = newParsedLine();
    let timed = 0;
    for (let n = 0; n < 200_000; n++) {
      resetParsedLine(out);
      parser.parse(lines[n & 3]!, out);
      if (out.ts === out.ts && !out.continuation) timed++;
    }
    expect(timed).toBe(200_000);
  });
});
