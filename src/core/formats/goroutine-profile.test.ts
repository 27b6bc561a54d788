// pprof `goroutine?debug=1` profiles (goroutine-profile.ts) through the goroutine-dump format, and
// crash tracebacks with a `runtime stack:` section: generated variants (record counts, frames,
// labels, TABs lost to spaces, CRLF, a prompt line, profiles cut off).
import { describe, expect, it } from 'vitest';
import { Level } from '../model';
import { goroutinesFormat } from './goroutines';
import { detectFormat } from './registry';
import { ctxOf, pick, rng } from './test-helpers';
import { newParsedLine, resetParsedLine, type GoroutineDump, type ParsedLine } from './types';

function parse(text: string, path: string) {
  const parser = goroutinesFormat.createParser({ ...ctxOf(), path });
  const raw = text.endsWith('\n') ? text.slice(0, -1) : text;
  const lines = raw.split('\n');
  const outs: ParsedLine[] = lines.map((line) => {
    const out = newParsedLine();
    resetParsedLine(out);
    parser.parse(line, out);
    return out;
  });
  return { lines, outs, dumps: parser.finish?.().dumps ?? [] };
}

const FUNCS = [
  ['runtime.gopark', '/usr/local/go/src/runtime/proc.go', 398],
  ['runtime.selectgo', '/usr/local/go/src/runtime/select.go', 327],
  ['sync.runtime_SemacquireMutex', '/usr/local/go/src/runtime/sema.go', 77],
  ['github.com/containerd/ttrpc.(*Client).dispatch', '/go/src/github.com/containerd/containerd/vendor/github.com/containerd/ttrpc/client.go', 163],
  ['net/http.(*conn).serve', '/usr/local/go/src/net/http/server.go', 2009],
  ['k8s.io/kubernetes/pkg/kubelet/pleg.(*GenericPLEG).Relist', '/workspace/src/k8s.io/kubernetes/pkg/kubelet/pleg/generic.go', 203],
  ['main.main', '/app/main.go', 12],
] as const;

/** A debug=1 profile: records of random counts and stacks; maybe labels, spaces for TABs, CRLF, a prompt, a cut. */
function generate(seed: number) {
  const rand = rng(seed * 104729);
  const tab = rand() < 0.3 ? '    ' : '\t';
  const records: { count: number; frames: { fn: string; file: string; line: number }[] }[] = [];
  for (let r = 0; r < 1 + Math.floor(rand() * 8); r++) {
    const frames = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => {
      const [fn, file, line] = pick(rand, FUNCS);
      return { fn, file, line: line + Math.floor(rand() * 50) };
    });
    records.push({ count: 1 + Math.floor(rand() * (rand() < 0.2 ? 3000 : 40)), frames });
  }
  const total = records.reduce((n, r) => n + r.count, 0);
  const cut = records.length > 1 && rand() < 0.4;
  const lines: string[] = [];
  if (rand() < 0.4) lines.push('$ curl -s http://127.0.0.1:6060/debug/pprof/goroutine?debug=1');
  lines.push(`goroutine profile: total ${total}`);
  records.forEach((r, k) => {
    const pcs = r.frames.map((_, i) => `0x${(0x43d000 + k * 64 + i).toString(16)}`);
    lines.push(`${r.count} @ ${pcs.join(' ')} 0x4711a1`);
    if (rand() < 0.2) lines.push(`# labels: {"handler":"h${k}"}`);
    r.frames.forEach((f, i) => lines.push(`#${tab}${pcs[i]}${tab}${f.fn}+0x${(0x1c + i).toString(16)}${tab}${f.file}:${f.line}`));
    lines.push('');
  });
  if (cut) {
    // The last record's count line survives, its frames do not.
    lines.splice(lines.length - 1 - records[records.length - 1]!.frames.length, records[records.length - 1]!.frames.length + 1);
    records[records.length - 1]!.frames = [];
  }
  const eol = seed % 3 === 0 ? '\r\n' : '\n';
  return { text: lines.join(eol) + eol, records, total, cut };
}

describe('pprof goroutine profile, debug=1', () => {
  it.each(Array.from({ length: 30 }, (_, k) => k + 1))('seed %i', (seed) => {
    const g = generate(seed);
    const path = pick(rng(seed), ['goroutine-debug1.txt', 'kubelet-goroutines.txt', 'profile.out']);
    const sniff = { path, lines: g.text.split(/\r?\n/).filter((l) => l.length > 0).slice(0, 200) };
    expect(detectFormat(sniff).format.id).toBe('goroutines');
    const { dumps, outs, lines } = parse(g.text, path);
    expect(dumps).toHaveLength(1);
    const d: GoroutineDump = dumps[0]!;
    expect(d.goroutines).toHaveLength(g.records.reduce((n, r) => n + r.count, 0));
    expect(d.truncated).toBe(g.cut);
    expect(new Set(d.goroutines.map((x) => x.id)).size).toBe(d.goroutines.length);
    expect(d.goroutines.every((x) => x.id < -1 && x.state === 'unknown')).toBe(true);
    let at = 0;
    for (const r of g.records) {
      const group = d.goroutines.slice(at, at + r.count);
      at += r.count;
      for (const x of group) {
        expect(x.frames).toEqual(r.frames.map((f) => ({ fn: f.fn, args: [], file: f.file, line: f.line })));
        expect(x.stackKey).toBe(group[0]!.stackKey);
      }
    }
    // The header is the record of the file; the profile's other lines continue it.
    const header = lines.findIndex((l) => l.startsWith('goroutine profile:'));
    expect(outs[header]!.level).toBe(Level.info);
    expect(outs[header]!.continuation).toBe(false);
    outs.slice(header + 1).forEach((o) => expect(o.continuation).toBe(true));
    expect(d.line).toBe(header);
  });

  it('tells the process from the frames and keeps distinct stacks apart', () => {
    const text = [
      'goroutine profile: total 3',
      '2 @ 0x1 0x2',
      '#\t0x1\tk8s.io/kubernetes/pkg/kubelet/pleg.(*GenericPLEG).Relist+0x1c\t/workspace/src/k8s.io/kubernetes/pkg/kubelet/pleg/generic.go:203',
      '',
      '1 @ 0x3',
      '#\t0x3\truntime.gopark+0xce\t/usr/local/go/src/runtime/proc.go:398',
      '',
    ].join('\n');
    const d = parse(text, 'x.txt').dumps[0]!;
    expect(d.process).toBe('kubelet');
    expect(d.goroutines[0]!.stackKey).not.toBe(d.goroutines[2]!.stackKey);
    expect(d.truncated).toBe(false);
  });

  it('leaves a debug=2 dump after the profile to the dump reader', () => {
    const text = [
      'goroutine profile: total 1', '1 @ 0x1', '#\t0x1\tmain.main+0x1\t/app/main.go:3', '',
      'goroutine 1 [running]:', 'main.main()', '\t/app/main.go:3 +0x1', '',
    ].join('\n');
    const dumps = parse(text, 'x.txt').dumps;
    expect(dumps.map((d) => [d.line, d.goroutines.map((x) => x.id)])).toEqual([[0, [-2]], [4, [1]]]);
  });
});

describe('crash traceback with a runtime stack', () => {
  it.each(Array.from({ length: 8 }, (_, k) => k + 1))('seed %i: the system stack is goroutine -1, the dump is whole', (seed) => {
    const rand = rng(seed * 13);
    const goroutines = 1 + Math.floor(rand() * 4);
    const sysFrames = 1 + Math.floor(rand() * 3);
    const lines = ['fatal error: unexpected signal during runtime execution', '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x7f0c1a2b]', '', 'runtime stack:'];
    for (let k = 0; k < sysFrames; k++) lines.push(`runtime.throw${k}({0x1a2b3c?, 0x0?})`, `\t/usr/local/go/src/runtime/panic.go:${1000 + k} +0x5d fp=0x7ffc1 sp=0x7ffc0 pc=0x43a1bd`);
    for (let id = 1; id <= goroutines; id++) {
      lines.push('', `goroutine ${id} [${pick(rand, ['syscall', 'running', 'chan receive, 3 minutes'])}]:`, `main.f${id}()`, `\t/app/main.go:${id} +0x2b fp=0xc0 sp=0xc1 pc=0x4b`);
    }
    const d = parse(lines.join(seed % 2 ? '\r\n' : '\n'), 'crash.txt').dumps[0]!;
    expect(d.truncated).toBe(false);
    expect(d.goroutines.map((g) => g.id)).toEqual([-1, ...Array.from({ length: goroutines }, (_, k) => k + 1)]);
    expect(d.goroutines[0]!.state).toBe('runtime stack');
    expect(d.goroutines[0]!.frames.map((f) => f.line)).toEqual(Array.from({ length: sysFrames }, (_, k) => 1000 + k));
  });
});
