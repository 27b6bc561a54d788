// The goroutine-dump format (a file that is a dump) and dumps embedded in containerd/dockerd logs,
// on fixtures, on the scenario generator's bundles and on a 10,000-goroutine dump.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Level } from '../model';
import { generateScenario } from '../scenarios/index';
import { materialize } from '../scenarios/test-helpers';
import { formatIsoUs } from '../time/civil';
import { containerdFormat } from './containerd';
import { dumpHintFromPath, goroutinesFormat } from './goroutines';
import { detectFormat } from './registry';
import { ctxOf } from './test-helpers';
import { newParsedLine, resetParsedLine, type FormatDef, type GoroutineDump, type ParsedLine, type ParserExtras, type TimeContext } from './types';
import { timeBudgetMs } from '../../../fuzz/targets';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/goroutines/${name}`, import.meta.url), 'utf8');

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Parses a whole file as the pipeline does (one parse() per line, then finish()). */
function parseFile(format: FormatDef, text: string, path = '', ctx: Partial<TimeContext> = {}) {
  const parser = format.createParser({ ...ctxOf(ctx), path });
  const outs: ParsedLine[] = splitLines(text).map((line) => {
    const out = newParsedLine();
    resetParsedLine(out);
    parser.parse(line, out);
    return out;
  });
  const extras: ParserExtras = parser.finish?.() ?? {};
  return { outs, dumps: extras.dumps ?? [] };
}

function onlyDump(dumps: GoroutineDump[]): GoroutineDump {
  expect(dumps).toHaveLength(1);
  return dumps[0]!;
}

const detect = (text: string, path = 'x') => detectFormat({ path, lines: splitLines(text).filter((l) => l.length > 0).slice(0, 400) });

describe('dump files', () => {
  it('are detected by content, without a telling file name', () => {
    for (const name of ['containerd.2206.stacks.log', 'shim-8f71eadd772f.stacks.log']) {
      const d = detect(fixture(name));
      expect(d.format.id, name).toBe('goroutines');
      expect(d.score).toBeGreaterThan(0.9);
    }
  });

  it('make each header a record and every other line a continuation', () => {
    const text = fixture('containerd.2206.stacks.log');
    const { outs, dumps } = parseFile(goroutinesFormat, text, 'bundle/tmp/containerd.2206.stacks.log');
    const records = outs.flatMap((o, n) => (o.continuation ? [] : [n]));
    const dump = onlyDump(dumps);
    expect(records).toEqual(dump.goroutines.map((g) => g.line));
    expect(records).toEqual([0, 10, 25, 37]);
    for (const n of records) expect(outs[n]).toMatchObject({ level: Level.info, origin: null, continuation: false });
    expect(outs[0]!.ts).toBeNaN();
    expect(dump).toMatchObject({ process: 'containerd', pid: 2206, takenAt: null, takenAtSource: 'none', truncated: false, line: 0 });
  });

  it('take process, pid and capture time from the file name', () => {
    expect(dumpHintFromPath('node/tmp/containerd.2083.stacks.log')).toMatchObject({ process: 'containerd', pid: 2083, takenAt: null });
    expect(dumpHintFromPath('stacks/shim-5d0efbdbb1d1.stacks.log').process).toBe('containerd-shim-runc-v2');
    const docker = dumpHintFromPath('/var/run/docker/goroutine-stacks-2017-07-26T063631+0200.log');
    expect(docker).toMatchObject({ process: 'dockerd', takenAtSource: 'file-name', basis: 'utc' });
    expect(formatIsoUs(docker.takenAt!)).toBe('2017-07-26T04:36:31.000000Z');
    expect(formatIsoUs(dumpHintFromPath('goroutine-stacks-2024-01-19T125720Z.log').takenAt!)).toBe('2024-01-19T12:57:20.000000Z');
    expect(dumpHintFromPath('pasted.txt')).toMatchObject({ process: null, pid: null, takenAt: null });
  });

  it('stamp headers with a capture time from the file name', () => {
    const text = 'goroutine 1 [chan receive, 3009 minutes]:\nmain.main()\n\t/usr/src/docker/cmd/dockerd/docker.go:68 +0x491\n';
    const { outs, dumps } = parseFile(goroutinesFormat, text, 'goroutine-stacks-2017-07-26T063631+0200.log');
    expect(formatIsoUs(outs[0]!.ts)).toBe('2017-07-26T04:36:31.000000Z');
    expect(onlyDump(dumps)).toMatchObject({ process: 'dockerd', takenAtSource: 'file-name' });
    const anchors = goroutinesFormat.anchors!({ path: 'goroutine-stacks-2017-07-26T063631+0200.log', lines: splitLines(text) });
    expect(anchors).toEqual([{ utcUs: dumps[0]!.takenAt, localAsUtcUs: null }]);
  });

  it('split two dumps pasted back to back, and read BEGIN/END pastes with their message time', () => {
    const one = 'goroutine 1 [running]:\nmain.main()\n\t/src/main.go:3 +0x1\n\ngoroutine 2 [select]:\nmain.f()\n\t/src/main.go:9 +0x1\n';
    expect(parseFile(goroutinesFormat, one + one).dumps.map((d) => [d.line, d.goroutines.length])).toEqual([[0, 2], [7, 2]]);
    const { outs, dumps } = parseFile(goroutinesFormat, fixture('containerd-8spaces.log'));
    expect(detect(fixture('containerd-8spaces.log')).format.id).toBe('goroutines');
    const d = onlyDump(dumps);
    expect(formatIsoUs(d.takenAt!)).toBe('2017-12-08T02:19:25.000000Z');
    expect(d.goroutines.map((g) => [g.id, g.line])).toEqual([[69, 2], [1, 9]]);
    expect(d.truncated).toBe(false);
    // Headers are records at the capture time; the log lines keep their own stamps.
    expect(outs.flatMap((o, n) => (o.continuation ? [] : [n]))).toEqual([0, 1, 2, 9, 17]);
    expect(formatIsoUs(outs[9]!.ts)).toBe('2017-12-08T02:19:25.000000Z');
  });
});

describe('dumps embedded in log lines', () => {
  it('dockerd logfmt, escaped, hard-wrapped over two lines (FORMATS.md §4.3)', () => {
    const text = fixture('dockerd-escaped.log');
    expect(detect(text).format.id).toBe('containerd');
    const { outs, dumps } = parseFile(containerdFormat, text);
    expect(outs.map((o) => o.continuation)).toEqual([false, false, true, false]);
    const d = onlyDump(dumps);
    expect(d).toMatchObject({ process: 'dockerd', pid: 2199, takenAtSource: 'log-line', basis: 'utc', truncated: false, line: 1 });
    expect(formatIsoUs(d.takenAt!)).toBe('2017-07-26T04:36:31.802002Z');
    expect(d.goroutines.map((g) => [g.id, g.state, g.waitMinutes, g.lockedToThread, g.line])).toEqual([
      [79, 'running', 0, false, 1], [1, 'chan receive', 3009, false, 1], [85, 'syscall', 3012, true, 1], [3, 'syscall', 0, false, 1],
    ]);
    // The wrap cut `0x7f2fa33601|90)`: the pieces are joined again.
    expect(d.goroutines[3]!.frames[0]).toEqual({ fn: 'os/signal.signal_recv', args: ['0x7f2fa3360190'], file: '/usr/local/go/src/runtime/sigqueue.go', line: 116 });
    expect(d.goroutines[0]!.frames[1]!.file).toBe('/usr/src/docker/.gopath/src/github.com/docker/docker/daemon/debugtrap_unix.go');
  });

  it('an escaped dump hard-wrapped over thousands of lines without a newline for a long stretch: linear, the goroutines after it read', () => {
    const wrap = (s: string) => s.match(/[^]{1,100}/g)!;
    const head = 'time="2024-06-02T03:48:06.350695Z" level=info msg="=== BEGIN goroutine stack dump ===\\ngoroutine 7 [running]:\\nmain.main()\\n\\t/src/main.go:12 +0x1d\\n\\n';
    const junk = `goroutine 8 [select]:\\nmain.loop(${'0xc000123456, '.repeat(40_000)})\\n\\t/src/loop.go:40 +0x2f\\n\\n`;
    const tail = 'goroutine 9 [IO wait]:\\nmain.read()\\n\\t/src/read.go:7 +0x11\\n\\n=== END goroutine stack dump ===" pid=1';
    const lines = wrap(head + junk + tail);
    const t0 = performance.now();
    const { dumps } = parseFile(containerdFormat, `${lines.join('\n')}\n`);
    expect(performance.now() - t0).toBeLessThan(timeBudgetMs(lines.length * 101));
    expect(onlyDump(dumps).goroutines.map((g) => g.id)).toEqual([7, 8, 9]);
  });

  it('flags an escaped dump cut off by the end of its line', () => {
    const [first, second] = splitLines(fixture('dockerd-escaped.log')).slice(1);
    const cut = parseFile(containerdFormat, `${first}\n`).dumps;
    expect(onlyDump(cut)).toMatchObject({ truncated: true, process: 'dockerd' });
    expect(cut[0]!.goroutines.map((g) => g.id)).toEqual([79, 1, 85, 3]);
    // Cut in the middle, then another stamped line: the dump ends there.
    const next = 'Jul 26 06:36:32 dockerd[2199]: time="2017-07-26T06:36:32.000000000+02:00" level=info msg="x"';
    expect(onlyDump(parseFile(containerdFormat, `${first}\n${next}\n${second}\n`).dumps).truncated).toBe(true);
  });

  it('a shim dump escaped twice inside strace output', () => {
    const text = fixture('shim-strace.log');
    expect(detect(text).format.id).toBe('goroutines');
    for (const format of [goroutinesFormat, containerdFormat]) {
      const d = onlyDump(parseFile(format, text).dumps);
      expect(d).toMatchObject({ process: 'containerd-shim-runc-v2', takenAtSource: 'log-line', truncated: false, line: 1 });
      expect(formatIsoUs(d.takenAt!)).toBe('2024-02-13T14:41:07.518893Z');
      expect(d.goroutines.map((g) => [g.id, g.state, g.waitMinutes, g.createdByGoroutine])).toEqual([[34, 'running', 0, 1], [1, 'select', 7, null], [104, 'syscall', 0, 71]]);
      expect(d.goroutines[2]!.frames[1]).toEqual({
        fn: 'golang.org/x/sys/unix.Unmount', args: ['{0xc0000c2200, 0x0}', '0xc00029c448'],
        file: '/go/src/github.com/containerd/containerd/vendor/golang.org/x/sys/unix/zsyscall_linux.go', line: 1680,
      });
    }
  });

  it('a shim dump relayed by containerd names the shim and its pid; logrus JSON works too', () => {
    const body = '=== BEGIN goroutine stack dump ===\\ngoroutine 9 [running]:\\ngithub.com/containerd/containerd/runtime/v2/shim.dumpStacks(0xc0015bf2f8)\\n\\t/go/src/github.com/containerd/containerd/runtime/v2/shim/shim.go:124 +0x87\\n\\n=== END goroutine stack dump ===';
    const relayed = `Feb 13 22:39:51 h containerd[3761]: time="2024-02-13T22:39:51.062657805+08:00" level=info msg="${body}" namespace=moby path=/run/containerd/io.containerd.runtime.v2.task/moby/45ef pid=1927 runtime=io.containerd.runc.v2`;
    expect(onlyDump(parseFile(containerdFormat, relayed).dumps)).toMatchObject({ process: 'containerd-shim-runc-v2', pid: 1927 });
    const own = `Jun 19 21:51:02 h containerd-shim-runc-v2[9912]: time="2019-06-19T21:51:02.894458282-07:00" level=info msg="${body}"`;
    expect(onlyDump(parseFile(containerdFormat, own).dumps)).toMatchObject({ process: 'containerd-shim-runc-v2', pid: 9912 });
    const json = `{"level":"info","msg":"${body.replace('shim.dumpStacks', 'command.dumpStacks').replace('runtime/v2/shim/', 'cmd/containerd/command/')}","time":"2024-03-01T10:00:00.123456789Z"}`;
    const d = onlyDump(parseFile(containerdFormat, json).dumps);
    expect(d).toMatchObject({ process: 'containerd', pid: null, truncated: false });
    expect(formatIsoUs(d.takenAt!)).toBe('2024-03-01T10:00:00.123456Z');
  });

  it('an unescaped paste after the BEGIN line, in a containerd log (8 spaces, no blank lines)', () => {
    const text = fixture('containerd-8spaces.log');
    const { outs, dumps } = parseFile(containerdFormat, text);
    // The lines stay continuations of the BEGIN record, as before.
    expect(outs.flatMap((o, n) => (o.continuation ? [] : [n]))).toEqual([0, 1, 17]);
    const d = onlyDump(dumps);
    expect(d).toMatchObject({ process: 'containerd', truncated: false, line: 1 });
    expect(d.goroutines[1]!.frames.map((f) => f.line)).toEqual([169, 502, 203]);
    // Without the END line the next stamped line ends the dump, which was cut.
    const cut = splitLines(text).filter((l) => !l.startsWith('=== END')).join('\n');
    expect(onlyDump(parseFile(containerdFormat, cut).dumps).truncated).toBe(true);
  });

  it('ignores goroutine text without a BEGIN marker', () => {
    const text = 'time="2024-01-01T00:00:00Z" level=info msg="goroutine stack dump written to /tmp/containerd.1.stacks.log"\ngoroutine 69 [running]:\nmain.dumpStacks()\n';
    expect(parseFile(containerdFormat, text).dumps).toEqual([]);
  });
});

describe('scenario generator (INCIDENT.md chain)', () => {
  for (const seed of [1, 2, 3, 11]) {
    it(`seed ${seed}: holder, waiters and shim delete, linked by pointers`, () => {
      const g = generateScenario({ scenario: 'io-storm-umount-bbolt', seed, targetBytes: 2e6 });
      const t = g.truth;
      const files = materialize(g);
      const stacks = files.get(t.paths.containerdStacks)!;
      expect(detect(stacks, t.paths.containerdStacks).format.id).toBe('goroutines');
      const d = onlyDump(parseFile(goroutinesFormat, stacks, t.paths.containerdStacks).dumps);
      expect(d).toMatchObject({ process: 'containerd', pid: t.pids.containerd, truncated: false });
      expect(d.goroutines).toHaveLength(t.containerdDump.goroutines);
      const g1 = (id: number | undefined) => d.goroutines.find((x) => x.id === id)!;
      const holder = g1(t.lockHolderGoroutine);
      const waiter = g1(t.lockWaiterGoroutine);
      expect(holder.state).toBe('syscall');
      expect(holder.frames.some((f) => f.fn === 'syscall.Fsync')).toBe(true);
      expect(waiter.state).toBe('semacquire');
      expect(waiter.frames.some((f) => f.fn === 'go.etcd.io/bbolt.(*DB).beginRWTx')).toBe(true);
      const dbArg = (x: typeof holder) => x.frames.find((f) => f.fn === 'github.com/containerd/containerd/metadata.(*DB).Update')?.args[0];
      expect(dbArg(holder)).toBe(t.dbPointer);
      expect(dbArg(waiter)).toBe(t.dbPointer);
      for (const id of t.bboltWaiterGoroutines) expect(g1(id).state).toBe('semacquire');
      for (const id of t.statusWaiterGoroutines) {
        const w = g1(id);
        expect(w.state).toBe('semacquire');
        expect(w.frames.some((f) => f.fn.endsWith('(*statusStorage).Get') && f.args.includes(t.statusPointer!))).toBe(true);
      }
      expect(g1(t.exitHandlerGoroutine).frames[0]!.fn).toBe('github.com/containerd/ttrpc.(*Client).dispatch');

      const shimPath = t.paths.shimStacks;
      const shim = onlyDump(parseFile(goroutinesFormat, files.get(shimPath)!, shimPath).dumps);
      expect(shim.process).toBe('containerd-shim-runc-v2');
      expect(shim.goroutines).toHaveLength(t.shimDump.goroutines);
      const del = shim.goroutines.find((x) => x.id === t.shimDeleteGoroutine)!;
      expect(del.state).toBe('syscall');
      expect(del.frames.some((f) => f.fn === 'golang.org/x/sys/unix.Unmount')).toBe(true);

      // The same dump, logged escaped in containerd's journal.
      const journal = files.get(t.paths.containerd)!;
      const format = detect(journal, t.paths.containerd).format;
      expect(format.id).not.toBe('goroutines');
      const logged = onlyDump(parseFile(format, journal, t.paths.containerd).dumps);
      expect(logged).toMatchObject({ process: 'containerd', pid: t.pids.containerd, takenAt: t.containerdDump.takenAtUs, takenAtSource: 'log-line', truncated: false });
      expect(logged.goroutines.map((x) => [x.id, x.stackKey])).toEqual(d.goroutines.map((x) => [x.id, x.stackKey]));
    });
  }
});

/** A dump of `count` goroutines in the runtime's layout, 16 lines each with the blank line. */
export function bigDump(count: number): string {
  const parts: string[] = [];
  for (let id = 1; id <= count; id++) {
    const p = (n: number) => `0xc${(id * 4096 + n * 8).toString(16).padStart(9, '0')}`;
    parts.push(
      `goroutine ${id} [${id % 3 === 0 ? 'select' : id % 3 === 1 ? 'IO wait, 12 minutes' : 'semacquire'}]:\n` +
      `internal/poll.runtime_pollWait(0x7f2fa3360190, 0x72)\n\t/usr/local/go/src/runtime/netpoll.go:305 +0x89\n` +
      `internal/poll.(*pollDesc).wait(${p(1)}?, ${p(2)}?, 0x0)\n\t/usr/local/go/src/internal/poll/fd_poll_runtime.go:84 +0x32\n` +
      `internal/poll.(*pollDesc).waitRead(...)\n\t/usr/local/go/src/internal/poll/fd_poll_runtime.go:89\n` +
      `internal/poll.(*FD).Read(${p(3)}, {${p(4)}, 0x1000, 0x1000})\n\t/usr/local/go/src/internal/poll/fd_unix.go:167 +0x25a\n` +
      `net.(*netFD).Read(${p(3)}, {${p(4)}?, ${p(7)}?, 0x55b05302aac5?})\n\t/usr/local/go/src/net/fd_posix.go:55 +0x29\n` +
      `github.com/containerd/ttrpc.(*serverConn).run(${p(5)}, {0x55b05302aac5, ${p(6)}})\n\t/go/src/github.com/containerd/containerd/vendor/github.com/containerd/ttrpc/server.go:${400 + (id % 50)} +0x5b8\n` +
      `created by github.com/containerd/ttrpc.(*Server).Serve in goroutine ${id % 7}\n\t/go/src/github.com/containerd/containerd/vendor/github.com/containerd/ttrpc/server.go:136 +0x30b\n`,
    );
  }
  return parts.join('\n');
}

describe('size (sanity, not timed: see the report for the measured figure)', () => {
  it('reads a 10,000-goroutine dump', () => {
    const text = bigDump(10_000);
    const { outs, dumps } = parseFile(goroutinesFormat, text, 'containerd.1.stacks.log');
    expect(outs.length).toBe(16 * 10_000 - 1);
    const d = onlyDump(dumps);
    expect(d.goroutines).toHaveLength(10_000);
    expect(d.goroutines[9_999]).toMatchObject({ id: 10_000, state: 'IO wait', waitMinutes: 12, createdByGoroutine: 10_000 % 7 });
    expect(new Set(d.goroutines.map((g) => g.stackKey)).size).toBe(50);
  });
});

/** A compact text of what a fixture parsed into (one fixture, one snapshot). */
function render(dumps: GoroutineDump[]): string {
  const out: string[] = [];
  for (const d of dumps) {
    const at = d.takenAt === null ? 'none' : `${formatIsoUs(d.takenAt)} (${d.takenAtSource}, ${d.basis})`;
    out.push(`dump @${d.line} ${d.process} pid=${d.pid ?? '-'} taken=${at}${d.truncated ? ' TRUNCATED' : ''}`);
    for (const g of d.goroutines) {
      const wait = `${g.waitMinutes ? `, ${g.waitMinutes} min` : ''}${g.lockedToThread ? ', locked' : ''}`;
      out.push(`  goroutine ${g.id} @${g.line} [${g.state}${wait}] key=${g.stackKey}`);
      for (const f of g.frames) out.push(`    ${f.fn}(${f.args.join(' | ')}) ${f.file}:${f.line}`);
      if (g.createdBy) out.push(`    created by ${g.createdBy}${g.createdByGoroutine === null ? '' : ` in goroutine ${g.createdByGoroutine}`}`);
    }
  }
  return `${out.join('\n')}\n`;
}

describe('fixtures, one snapshot each (re-detected without a file name)', () => {
  for (const name of ['containerd.2206.stacks.log', 'shim-8f71eadd772f.stacks.log', 'dockerd-escaped.log', 'shim-strace.log', 'containerd-8spaces.log']) {
    it(name, async () => {
      const text = fixture(name);
      const format = detect(text).format;
      const { dumps } = parseFile(format, text, name);
      await expect(`format: ${format.id}\n${render(dumps)}`).toMatchFileSnapshot(`./__fixtures__/goroutines/${name}.parsed.txt`);
    });
  }
});
