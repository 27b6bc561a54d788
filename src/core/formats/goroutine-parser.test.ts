// The incremental goroutine-dump reader on its own: INCIDENT.md's goroutines and the variants of
// FORMATS.md §4.2-4.3, fed line by line as the format parsers feed it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DumpLine, GoroutineDumpReader, NO_HINT, splitArgs, type DumpHint } from './goroutine-parser';
import type { Goroutine, GoroutineDump } from './types';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/goroutines/${name}`, import.meta.url), 'utf8');

function read(text: string, hint: DumpHint = NO_HINT): GoroutineDump | null {
  const reader = new GoroutineDumpReader(hint);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, n) => reader.read(line, n));
  return reader.finish();
}

function dumpOf(text: string, hint?: DumpHint): GoroutineDump {
  const d = read(text, hint);
  if (!d) throw new Error('no dump');
  return d;
}

function byId(d: GoroutineDump, id: number): Goroutine {
  const g = d.goroutines.find((x) => x.id === id);
  if (!g) throw new Error(`goroutine ${id} missing`);
  return g;
}

describe('INCIDENT.md goroutines (tabs restored)', () => {
  const d = dumpOf(fixture('containerd.2206.stacks.log'), { ...NO_HINT, process: 'containerd', pid: 2206 });

  it('reads ids, states, header lines', () => {
    expect(d.goroutines.map((g) => [g.id, g.state, g.line])).toEqual([
      [1654, 'select', 0], [1723, 'semacquire', 10], [1665, 'semacquire', 25], [1268, 'syscall', 37],
    ]);
    expect(d.process).toBe('containerd');
    expect(d.pid).toBe(2206);
    expect(d.line).toBe(0);
    expect(d.takenAt).toBeNull();
    expect(d.takenAtSource).toBe('none');
  });

  it('reads the exit handler waiting on the shim: frames, grouped args, created by', () => {
    const g = byId(d, 1654);
    expect(g.frames[0]).toEqual({
      fn: 'github.com/containerd/ttrpc.(*Client).dispatch',
      args: ['0xc001ae1780', '{0x56190174ac08, 0xc000ae0180}', '0xc000ae05a0', '0xc0001183c0'],
      file: '/go/src/github.com/containerd/containerd/vendor/github.com/containerd/ttrpc/client.go',
      line: 163,
    });
    expect(g.frames[1]!.args).toEqual(['0xc00011a578', '{0x56190174ac08, 0xc000ae0180}', '0x5618fff5830f']);
    expect(g.frames[2]!.args).toEqual([
      '{0x56190174ac08, 0xc000ae0180}', '0xc000ae0120', '{{{0xc0013aaa40, 0x40}, {0xc000dfd7a0, 0x52}, {0xc001a8e240, 0x40}, 0xc001240380, ...}, ...}',
    ]);
    expect(g.frames.map((f) => f.line)).toEqual([163, 3609, 387]);
    expect(g.createdBy).toBe('github.com/containerd/containerd/pkg/cri/server.(*eventMonitor).startContainerExitMonitor');
    expect(g.createdByGoroutine).toBeNull();
    expect(g.waitMinutes).toBe(0);
    expect(g.lockedToThread).toBe(false);
  });

  it('links the bbolt waiter (1723) and the fsync holder (1268) by the *DB pointer', () => {
    const waiter = byId(d, 1723);
    const holder = byId(d, 1268);
    const dbUpdate = (g: Goroutine) => g.frames.find((f) => f.fn === 'github.com/containerd/containerd/metadata.(*DB).Update');
    expect(dbUpdate(waiter)!.args).toEqual(['0xc0001e92d0', '0x56190174ac40']);
    expect(dbUpdate(holder)!.args).toEqual(['0xc0001e92d0', '0x5619014f3000']);
    expect(waiter.frames.map((f) => f.fn.split('.').pop())).toEqual([
      'runtime_SemacquireMutex', 'lockSlow', 'beginRWTx', 'Update', 'Update', 'Update', 'updateContainerSpec',
    ]);
    // The excerpt ends on a function line: the frame is kept without a file.
    expect(waiter.frames[6]).toMatchObject({ file: '', line: 0 });
    expect(holder.frames[0]).toMatchObject({ fn: 'syscall.Fsync', args: ['0x0'], line: 423 });
    expect(holder.frames.find((f) => f.fn.endsWith('(*namespacedWriter).commit'))!.args).toEqual(['...']);
  });

  it('reads the inlined RWMutex.RLock frame of the ListContainers waiter', () => {
    const g = byId(d, 1665);
    expect(g.frames[1]).toEqual({ fn: 'sync.(*RWMutex).RLock', args: ['...'], file: '/usr/local/go/src/sync/rwmutex.go', line: 71 });
    expect(g.frames[2]!.fn).toBe('github.com/containerd/containerd/pkg/cri/store/container.(*statusStorage).Get');
    expect(g.frames[4]!.args).toEqual(['0xc000548400', '{0xc0006027b0, 0x561900e89376}', '0xc000ef6130']);
  });

  it('tells the shim from its frames (runtime/v2/runc), stuck in Unmount', () => {
    const shim = dumpOf(fixture('shim-8f71eadd772f.stacks.log'));
    expect(shim.process).toBe('containerd-shim-runc-v2');
    const g = byId(shim, 104);
    expect(g.state).toBe('syscall');
    expect(g.frames[1]!.fn).toBe('golang.org/x/sys/unix.Unmount');
    expect(g.frames[1]!.args).toEqual(['{0xc0000c2200, 0x0}', '0xc00029c448']);
    expect(g.frames[4]!.fn).toBe('github.com/containerd/containerd/runtime/v2/runc/task.(*service).Delete');
  });
});

describe('variants (FORMATS.md §4.3)', () => {
  it('8-space indentation and no blank lines between goroutines', () => {
    const d = dumpOf([
      'goroutine 69 [running]:',
      'main.dumpStacks()',
      '        /go/src/github.com/containerd/containerd/cmd/containerd/main.go:207 +0x8c',
      'created by main.handleSignals',
      '        /go/src/github.com/containerd/containerd/cmd/containerd/main_unix.go:36 +0x8c',
      'goroutine 1 [chan receive, 2 minutes]:',
      'main.main()',
      '        /go/src/github.com/containerd/containerd/cmd/containerd/main.go:203 +0x4b',
    ].join('\n'));
    expect(d.goroutines.map((g) => [g.id, g.state, g.waitMinutes, g.frames.length, g.createdBy])).toEqual([
      [69, 'running', 0, 1, 'main.handleSignals'], [1, 'chan receive', 2, 1, null],
    ]);
    expect(d.process).toBe('containerd');
    expect(d.truncated).toBe(false);
  });

  it('no indentation at all on file lines', () => {
    const d = dumpOf([
      'goroutine 12 [select]:',
      'github.com/containerd/containerd/runtime/v2/shim.serve.func2()',
      '/root/go/src/github.com/containerd/containerd/runtime/v2/shim/shim.go:499 +0x38',
      'created by github.com/containerd/containerd/runtime/v2/shim.serve',
      '/root/go/src/github.com/containerd/containerd/runtime/v2/shim/shim.go:497 +0x2c6',
    ].join('\n'));
    const g = d.goroutines[0]!;
    expect(g.frames).toEqual([{ fn: 'github.com/containerd/containerd/runtime/v2/shim.serve.func2', args: [], file: '/root/go/src/github.com/containerd/containerd/runtime/v2/shim/shim.go', line: 499 }]);
    expect(g.createdBy).toBe('github.com/containerd/containerd/runtime/v2/shim.serve');
    expect(d.process).toBe('containerd-shim-runc-v2');
  });

  it('Go ≥ 1.21 `created by X in goroutine N` and waits of days', () => {
    const d = dumpOf([
      'goroutine 2401609 [select]:',
      'github.com/containerd/ttrpc.(*serverConn).run(0xc000405ab0, {0xb68210, 0xc0002f4eb0})',
      '\t/go/src/github.com/containerd/containerd/vendor/github.com/containerd/ttrpc/server.go:508 +0x5b8',
      'created by github.com/containerd/ttrpc.(*Server).Serve in goroutine 71',
      '\t/go/src/github.com/containerd/containerd/vendor/github.com/containerd/ttrpc/server.go:136 +0x30b',
      '',
      'goroutine 2401613 [chan receive, 11310 minutes]:',
      'github.com/containerd/containerd/pkg/process.(*Init).Wait(0xc0020c92a0?)',
      '\t/go/src/github.com/containerd/containerd/pkg/process/init.go:212 +0x19',
    ].join('\n'));
    expect(d.goroutines[0]).toMatchObject({ createdBy: 'github.com/containerd/ttrpc.(*Server).Serve', createdByGoroutine: 71 });
    expect(d.goroutines[1]).toMatchObject({ id: 2401613, state: 'chan receive', waitMinutes: 11310, createdBy: null });
    expect(d.goroutines[1]!.frames[0]!.args).toEqual(['0xc0020c92a0']);
  });

  it('wait states with spaces and parentheses, locked to thread, extra header fields', () => {
    const headers = [
      ['goroutine 85 [syscall, 3012 minutes, locked to thread]:', 'syscall', 3012, true],
      ['goroutine 9 [chan receive (nil chan)]:', 'chan receive (nil chan)', 0, false],
      ['goroutine 10 [select (no cases), 4 minutes]:', 'select (no cases)', 4, false],
      ['goroutine 11 [sync.Mutex.Lock, 1 minutes]:', 'sync.Mutex.Lock', 1, false],
      ['goroutine 12 [GC worker (idle)]:', 'GC worker (idle)', 0, false],
      ['goroutine 13 [running (scan)]:', 'running (scan)', 0, false],
      ['goroutine 1 gp=0xc000002380 m=nil [chan receive, 3 minutes]:', 'chan receive', 3, false],
      ['goroutine 7 gp=0xc0000071c0 m=2 mp=0xc00004c008 [running, locked to thread]:', 'running', 0, true],
      ['goroutine 14 [select, synctest group 3]:', 'select', 0, false],
    ] as const;
    const d = dumpOf(headers.map(([h]) => `${h}\nmain.f()\n\t/src/main.go:1 +0x1`).join('\n\n'));
    expect(d.goroutines.map((g) => [g.state, g.waitMinutes, g.lockedToThread])).toEqual(headers.map(([, s, m, l]) => [s, m, l]));
    expect(d.goroutines.map((g) => g.id)).toEqual([85, 9, 10, 11, 12, 13, 1, 7, 14]);
  });

  it('crash tracebacks: fp= sp= pc= suffixes, inlined frames, running on another thread', () => {
    const d = dumpOf([
      'goroutine 1 gp=0xc000002380 m=0 mp=0x5b1a60 [running]:',
      'runtime.throw({0x4c5a2e?, 0x0?})',
      '\t/usr/local/go/src/runtime/panic.go:1101 +0x48 fp=0xc000057f18 sp=0xc000057ee8 pc=0x46b2c8',
      'runtime.(*mheap).alloc(...)',
      '\t/usr/local/go/src/runtime/mheap.go:968 fp=0xc000057f38 sp=0xc000057f18 pc=0x43a8f6',
      '',
      'goroutine 5 gp=0xc0000071c0 m=nil [running]:',
      '\tgoroutine running on other thread; stack unavailable',
    ].join('\n'));
    expect(d.goroutines[0]!.frames).toEqual([
      { fn: 'runtime.throw', args: ['{0x4c5a2e, 0x0}'], file: '/usr/local/go/src/runtime/panic.go', line: 1101 },
      { fn: 'runtime.(*mheap).alloc', args: ['...'], file: '/usr/local/go/src/runtime/mheap.go', line: 968 },
    ]);
    expect(d.goroutines[1]).toMatchObject({ id: 5, state: 'running', frames: [] });
    expect(d.truncated).toBe(false);
  });

  it('elided frames (both forms), autogenerated files and ancestors', () => {
    const d = dumpOf([
      'goroutine 20 [running]:',
      'main.recurse(0x3e8)',
      '\t/src/main.go:9 +0x25',
      '...additional frames elided...',
      'main.recurse(0x1)',
      '\t/src/main.go:9 +0x25',
      '...900 frames elided...',
      'main.(*T).String-fm()',
      '\t<autogenerated>:1 +0x2b',
      'created by main.main in goroutine 1',
      '\t/src/main.go:20 +0x3c',
      '[originating from goroutine 1]:',
      'main.main(...)',
      '\t/src/main.go:20 +0x3c',
    ].join('\n'));
    const g = d.goroutines[0]!;
    expect(g.frames.map((f) => `${f.fn}@${f.file}:${f.line}`)).toEqual([
      'main.recurse@/src/main.go:9', 'main.recurse@/src/main.go:9', 'main.(*T).String-fm@<autogenerated>:1',
    ]);
    expect(g.createdByGoroutine).toBe(1);
    expect(d.goroutines).toHaveLength(1);
  });

  it('a dump that starts mid-stack keeps its frames in goroutine -1 and says so', () => {
    const fromFile = dumpOf([
      '\t/usr/local/go/src/runtime/sema.go:77 +0x25',
      'sync.(*Mutex).lockSlow(0xc0002f9178)',
      '\t/usr/local/go/src/sync/mutex.go:171 +0x165',
      '',
      'goroutine 1268 [syscall]:',
      'syscall.Fsync(0x0?)',
      '\t/usr/local/go/src/syscall/zsyscall_linux_amd64.go:423 +0x2a',
    ].join('\n'));
    expect(fromFile.truncated).toBe(true);
    expect(fromFile.goroutines.map((g) => [g.id, g.state, g.frames.length, g.line])).toEqual([[-1, 'unknown', 2, 0], [1268, 'syscall', 1, 4]]);
    expect(fromFile.goroutines[0]!.frames[0]).toEqual({ fn: '', args: [], file: '/usr/local/go/src/runtime/sema.go', line: 77 });
    const fromFrame = dumpOf('sync.(*Mutex).lockSlow(0xc0002f9178)\n\t/usr/local/go/src/sync/mutex.go:171 +0x165\n');
    expect(fromFrame.truncated).toBe(true);
    expect(fromFrame.goroutines[0]!.frames[0]!.fn).toBe('sync.(*Mutex).lockSlow');
  });

  it('flags a dump cut off at the end', () => {
    const head = 'goroutine 1 [running]:\nmain.main()\n\t/src/main.go:3 +0x1\n\n';
    expect(dumpOf(head).truncated).toBe(false);
    expect(dumpOf(`${head}goroutine 3 [syscall]:\nos/signal.signal_recv(0x7f2fa33601`).truncated).toBe(true);
    expect(dumpOf(`${head}goroutine 3 [syscall]:\nos/signal.signal_recv(0x7f2fa3360190)`).truncated).toBe(true);
    expect(dumpOf(`${head}goroutine 3 [syscall]:\nos/signal.signal_recv(0x7f2fa3360190)\n\t/usr/local/go/src/runtime/sig`).truncated).toBe(true);
    expect(dumpOf(`${head}goroutine 3 [syscall]:`).truncated).toBe(true);
    const cut = dumpOf(`${head}goroutine 3 [syscall]:\nos/signal.signal_recv(0x7f2fa33601`);
    expect(cut.goroutines[1]!.frames).toEqual([{ fn: 'os/signal.signal_recv', args: ['0x7f2fa33601'], file: '', line: 0 }]);
  });

  it('reports a repeated goroutine id (a second dump) without consuming it', () => {
    const reader = new GoroutineDumpReader();
    expect(reader.read('goroutine 1 [running]:', 0)).toBe(DumpLine.header);
    expect(reader.read('main.main()', 1)).toBe(DumpLine.frame);
    expect(reader.read('\t/src/main.go:3 +0x1', 2)).toBe(DumpLine.file);
    expect(reader.read('goroutine 1 [running]:', 3)).toBe(DumpLine.repeat);
    expect(reader.finish()!.goroutines).toHaveLength(1);
  });

  it('tells the process from its main package (pprof debug=2 of kubelet) or says unknown', () => {
    const kubelet = 'goroutine 1 [select, 4 minutes]:\nk8s.io/kubernetes/cmd/kubelet/app.startKubelet.func1()\n' +
      '\t/workspace/src/k8s.io/kubernetes/_output/local/go/src/k8s.io/kubernetes/cmd/kubelet/app/server.go:1179 +0x5a\n';
    expect(dumpOf(kubelet)).toMatchObject({ process: 'kubelet', pid: null });
    expect(dumpOf(kubelet, { ...NO_HINT, process: 'containerd', pid: 7 })).toMatchObject({ process: 'kubelet', pid: null });
    expect(dumpOf('goroutine 1 [running]:\nmain.main()\n\t/src/main.go:3 +0x1\n')).toMatchObject({ process: 'unknown', pid: null });
  });

  it('reads nothing from debugger listings and prose', () => {
    expect(read([
      'Goroutine 1 - User: /usr/local/go/src/runtime/proc.go:367 runtime.gopark (0x43a8f6) [chan receive]',
      '  runtime.gopark (/usr/local/go/src/runtime/proc.go:367)',
      '  created at: /usr/local/go/src/runtime/proc.go:250',
      'fatal error: all goroutines are asleep - deadlock!',
      'Jun 02 05:48:06 the node (node-3) rebooted',
    ].join('\n'))).toBeNull();
  });
});

describe('args and stack keys', () => {
  it('splits args at top-level commas and drops `?` marks', () => {
    const s = 'x(0xc001ae1780, {0x56190174ac08?, 0xc000ae0180}, {{0x1, 0x2}, 0x3}, ...)';
    expect(splitArgs(s, 2, s.length - 1)).toEqual(['0xc001ae1780', '{0x56190174ac08, 0xc000ae0180}', '{{0x1, 0x2}, 0x3}', '...']);
    expect(splitArgs('()', 1, 1)).toEqual([]);
    expect(splitArgs('(0x0?)', 1, 5)).toEqual(['0x0']);
  });

  it('gives the same key to the same stack whatever its args, and another to another stack', () => {
    const stack = (arg: string, line: number, creator = 'main.main') =>
      `goroutine 5 [select]:\nmain.loop(${arg})\n\t/src/main.go:${line} +0x1\ncreated by ${creator}\n\t/src/main.go:30 +0x2\n`;
    const key = (text: string) => dumpOf(text).goroutines[0]!.stackKey;
    expect(key(stack('0xc000010000', 10))).toMatch(/^[0-9a-f]{16}$/);
    expect(key(stack('0xc000010000', 10))).toBe(key(stack('0xc0000aaaa8?', 10)));
    expect(key(stack('0x1', 10))).not.toBe(key(stack('0x1', 11)));
    expect(key(stack('0x1', 10))).not.toBe(key(stack('0x1', 10, 'main.other')));
  });
});
