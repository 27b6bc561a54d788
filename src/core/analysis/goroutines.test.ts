import { describe, expect, it } from 'vitest';
import { cycles, detectGoroutines } from './goroutines';
import { fixture, inputOf, kinds } from './test-helpers';
import { defaultDetectorOptions, type Finding } from './types';

const containerd = fixture('goroutines/containerd.2206.stacks.log');
const shim = fixture('goroutines/shim-8f71eadd772f.stacks.log');
const ids = (f: Finding | undefined) => String(f?.facts.goroutines ?? '').split(',').filter(Boolean).map(Number);

async function run(files: Record<string, string>): Promise<Finding[]> {
  return detectGoroutines(await inputOf(files), defaultDetectorOptions);
}

/** The INCIDENT.md dump under another containerd: other bbolt import path, pointers and goroutine ids. */
function variant(text: string, boltPath: string): string {
  return text
    .replaceAll('go.etcd.io/bbolt', boltPath)
    .replaceAll('0xc0001e92d0', '0xc00a7c3100')
    .replaceAll('goroutine 1268 ', 'goroutine 90211 ')
    .replaceAll('goroutine 1723 ', 'goroutine 90377 ')
    .replaceAll('syscall.Fsync(', 'syscall.Fdatasync(');
}

describe('goroutines detector', () => {
  it('links the bbolt waiter to the fsync holder through the shared metadata *DB (INCIDENT.md dump)', async () => {
    const f = await run({ 'stacks/containerd.2206.stacks.log': containerd, 'stacks/shim-8f71eadd772f.stacks.log': shim });
    expect(ids(kinds(f, 'bbolt-fsync-holder')[0])).toEqual([1268]);
    expect(ids(kinds(f, 'cri-update-wait')[0])).toEqual([]); // the shortened dump lacks the CRI frame
    expect(ids(kinds(f, 'cri-list-wait')[0])).toEqual([1665]);
    expect(ids(kinds(f, 'ttrpc-delete-wait')[0])).toEqual([1654]);
    expect(ids(kinds(f, 'shim-unmount')[0])).toEqual([104]);
    const link = kinds(f, 'lock-link').find((l) => l.facts.holder === 1268);
    expect(link?.facts).toMatchObject({ pointer: '0xc0001e92d0', waiters: 1, waiterIds: '1723', holderFunction: 'syscall.Fsync' });
    expect(link?.evidence.map((e) => e.kind === 'goroutine' && e.goroutine)).toEqual([1268, 1723]);
  });

  it.each([
    'github.com/containerd/containerd/vendor/go.etcd.io/bbolt',
    'github.com/boltdb/bolt',
  ])('recognises the same chain with bbolt at %s, other pointers, ids and fdatasync', async (boltPath) => {
    const f = await run({ 'containerd.stacks.log': variant(containerd, boltPath) });
    expect(ids(kinds(f, 'bbolt-fsync-holder')[0])).toEqual([90211]);
    const link = kinds(f, 'lock-link').find((l) => l.facts.holder === 90211);
    expect(link?.facts).toMatchObject({ pointer: '0xc00a7c3100', waiterIds: '90377', holderFunction: 'syscall.Fdatasync' });
  });

  it.each([
    ['an idle loop', 'select, 25 minutes', 'sync/atomic.(*Int64).Load(...)\n\t/usr/local/go/src/sync/atomic/type.go:97\nruntime.selectgo(0xc000ab1f20, 0xc000ab1ef0, 0x0?, 0x0, 0x0?, 0x1)\n\t/usr/local/go/src/runtime/select.go:327 +0x7be'],
    ['a running reader', 'running', 'go.etcd.io/bbolt.(*Cursor).Next(0xc000ffe000)\n\t/go/src/go.etcd.io/bbolt/cursor.go:71 +0x45'],
  ])('links the waiter to the fsync holder only, not to %s passing the same *DB', async (_name, state, top) => {
    const bystander = `goroutine 4242 [${state}]:\n${top}\ngithub.com/containerd/containerd/metadata.(*DB).View(0xc0001e92d0, 0xc000b44c00)\n` +
      '\t/go/src/github.com/containerd/containerd/metadata/db.go:230 +0x5e\ngithub.com/containerd/containerd/gc/scheduler.(*gcScheduler).run(0xc000300000, {0x56190174ac40, 0xc0006028a0})\n' +
      '\t/go/src/github.com/containerd/containerd/gc/scheduler/scheduler.go:268 +0x1c5\n';
    const f = await run({ 'containerd.stacks.log': `${containerd.trimEnd()}\n\n${bystander}` });
    const links = kinds(f, 'lock-link').filter((l) => l.facts.pointer === '0xc0001e92d0');
    expect(links.map((l) => l.facts.holder)).toEqual([1268]);
  });

  it('no holder, no link: a waiter alone on the lock', async () => {
    const onlyWaiter = containerd.split('\n\n').filter((b) => !b.startsWith('goroutine 1268 ')).join('\n\n');
    const f = await run({ 'containerd.stacks.log': onlyWaiter });
    expect(kinds(f, 'bbolt-fsync-holder')).toEqual([]);
    expect(kinds(f, 'lock-link').filter((l) => l.facts.pointer === '0xc0001e92d0')).toEqual([]);
  });

  it('long waits by stack group, idle server loops ignored', async () => {
    const dump = [
      'goroutine 7 [semacquire, 12 minutes]:\nsync.runtime_SemacquireMutex(0xc0001a2b34?, 0x0?, 0x1?)\n\t/usr/local/go/src/runtime/sema.go:77 +0x25\nsync.(*Mutex).lockSlow(0xc0001a2b30)\n\t/usr/local/go/src/sync/mutex.go:171 +0x165\nexample.com/app/store.(*Cache).Put(0xc0001a2b00, {0x0, 0x0})\n\t/src/store/cache.go:40 +0x4f',
      'goroutine 8 [semacquire, 3 minutes]:\nsync.runtime_SemacquireMutex(0xc0001a2b34?, 0x0?, 0x1?)\n\t/usr/local/go/src/runtime/sema.go:77 +0x25\nsync.(*Mutex).lockSlow(0xc0001a2b30)\n\t/usr/local/go/src/sync/mutex.go:171 +0x165\nexample.com/app/store.(*Cache).Put(0xc0001a2b00, {0x0, 0x0})\n\t/src/store/cache.go:40 +0x4f',
      'goroutine 9 [select, 600 minutes]:\nexample.com/app/server.(*Server).loop(0xc000300000)\n\t/src/server/loop.go:12 +0x1f',
      'goroutine 10 [syscall, 600 minutes]:\nsyscall.Syscall6(0xe8, 0x4, 0xc000ab1b6c, 0x7, 0xffffffffffffffff, 0x0, 0x0)\n\t/usr/local/go/src/syscall/asm_linux_amd64.s:43 +0x5\ngolang.org/x/sys/unix.EpollWait({0x4, 0xc000ab1b6c}, 0x7, 0xffffffffffffffff)\n\t/src/unix/zsyscall_linux_amd64.go:56 +0x58\ngithub.com/fsnotify/fsnotify.(*fdPoller).wait(0xc000100000)\n\t/src/fsnotify/inotify_poller.go:86 +0x7d',
    ].join('\n\n');
    const f = await run({ 'app.stacks.log': `${dump}\n` });
    const waits = kinds(f, 'long-wait');
    expect(waits).toHaveLength(1);
    expect(waits[0]!.facts).toMatchObject({ state: 'semacquire', minutes: 12, count: 2, topFunction: 'example.com/app/store.(*Cache).Put' });
  });

  it('reports a cycle in the wait-for graph as a deadlock', async () => {
    // 1 is inside (*A).run and waits for B's lock; 2 is inside (*B).run and waits for A's lock.
    const g = (id: number, waitType: string, waitPtr: string, inType: string, inPtr: string) =>
      `goroutine ${id} [sync.Mutex.Lock, 5 minutes]:\nsync.runtime_SemacquireMutex(0xc000010004?, 0x0?, 0x1?)\n\t/usr/local/go/src/runtime/sema.go:77 +0x25\n` +
      `sync.(*Mutex).lockSlow(${waitPtr})\n\t/usr/local/go/src/sync/mutex.go:171 +0x165\n` +
      `example.com/app.(*${waitType}).lock(${waitPtr})\n\t/src/app/lock.go:10 +0x2a\nexample.com/app.step(...)\n\t/src/app/step.go:5\n` +
      `example.com/app.(*${inType}).run(${inPtr})\n\t/src/app/run.go:20 +0x3b`;
    const dump = [g(1, 'B', '0xc0000b0000', 'A', '0xc0000a0000'), g(2, 'A', '0xc0000a0000', 'B', '0xc0000b0000')].join('\n\n');
    const f = await run({ 'app.stacks.log': `${dump}\n` });
    expect(kinds(f, 'deadlock').map((d) => d.facts.goroutines)).toEqual(['1,2']);
    expect(cycles(new Map([[1, new Set([2])], [2, new Set([3])]]))).toEqual([]);
  });
});
