// The containerd-shim-runc-v2 goroutine dump of one pod's shim. In the incident the shim's
// `Delete` is stuck in the `umount2` syscall (an overlay umount syncing the filesystem).

import { CTRD, GOROOT, GoIds, Ptrs, VENDOR, acceptLoop, dumpOrder, fileRead, frame, minutesBetween, netConnRead, renderDump, type GFrame, type Goroutine } from './goroutines';
import type { Plan } from './plan';
import { Rng } from './rng';
import { TTRPC } from './stacks-frames';

export interface ShimDumpInfo {
  text: string;
  count: number;
  deleteGoroutine?: number;
}

const S = 1_000_000;
const SHIM = `${CTRD}runtime/v2/shim/`;
const TASK = `${CTRD}runtime/v2/runc/task/`;

/** The ttrpc server side of one request, below the service method. */
function ttrpcServe(p: Ptrs, ctx: string, method: string, pbLine: number): { frames: GFrame[]; createdBy: NonNullable<Goroutine['createdBy']> } {
  return {
    frames: [
      frame(`github.com/containerd/containerd/runtime/v2/task.RegisterTaskService.${method}`, `{${ctx}, ${p.heap()}}, ${p.heap()}`, `${CTRD}runtime/v2/task/shim.pb.go`, pbLine, 0x98),
      frame('github.com/containerd/ttrpc.defaultServerInterceptor', `{${ctx}?, ${p.heapQ()}}, 0x9?, ${p.heapQ()}, 0x16?`, `${TTRPC}interceptor.go`, 45, 0x26),
      frame('github.com/containerd/ttrpc.(*serviceSet).dispatch', `${p.heap()}, {${ctx}, ${p.heap()}}, {${p.heap()}, 0x17}, {${p.heap()}, 0x${method === 'func4' ? '6' : '4'}}, {${p.heap()}, 0x4e, 0x4e}`, `${TTRPC}services.go`, 95, 0x1be),
      frame('github.com/containerd/ttrpc.(*serviceSet).call', `0x0?, {${ctx}?, ${p.heapQ()}}, {${p.heapQ()}, 0x0?}, {${p.heapQ()}, 0x0?}, {${p.heap()}, 0x4e, 0x4e}`, `${TTRPC}services.go`, 64, 0x71),
      frame('github.com/containerd/ttrpc.(*serverConn).run.func2', p.small(), `${TTRPC}server.go`, 439, 0xe5),
    ],
    createdBy: { fn: 'github.com/containerd/ttrpc.(*serverConn).run', file: `${TTRPC}server.go`, line: 435, off: 0x7e5 },
  };
}

export function buildShimDump(plan: Plan): ShimDumpInfo {
  const rng = new Rng(plan.seed).fork('shim-dump');
  const p = new Ptrs(rng, 0x800000 + rng.int(0, 0x3f) * 0x1000, 0x280000);
  const pod = plan.shim.pod;
  const dumpUs = plan.shimDumpUs;
  const ids = new GoIds(rng, pod.sandboxStartUs, rng.range(0.2, 0.8), 8);
  const ctx = p.text();
  const gs: Goroutine[] = [];
  const add = (createdUs: number | null, fixedId: number | null, state: string, sinceUs: number, frames: GFrame[], createdBy?: Goroutine['createdBy']): Goroutine => {
    const g: Goroutine = { id: fixedId !== null ? ids.fixed(fixedId) : ids.at(createdUs ?? 0), state, minutes: minutesBetween(sinceUs, dumpUs), frames, createdBy };
    gs.push(g);
    return g;
  };
  const start = pod.sandboxStartUs;
  const soon = (): number => start + Math.round(rng.range(0.001, 0.05) * S);
  const recent = (sec: number): number => dumpUs - Math.round(rng.range(0, sec) * S);

  const first = add(null, rng.int(6, 20), 'running', dumpUs, [
    frame('github.com/containerd/containerd/runtime/v2/shim.dumpStacks', p.heap(), `${SHIM}shim.go`, 124, 0x87),
    frame('github.com/containerd/containerd/runtime/v2/shim.setupDumpStacks.func1', '', `${SHIM}shim.go`, 117, 0x39),
  ], { fn: 'github.com/containerd/containerd/runtime/v2/shim.setupDumpStacks', file: `${SHIM}shim.go`, line: 115, off: 0x85 });
  add(null, 1, 'select', start, [
    frame('github.com/containerd/containerd/runtime/v2/shim.handleSignals', `{${ctx}, ${p.heap()}}, ${p.heap()}, ${p.heap()}, ${p.heap()}`, `${SHIM}shim_unix.go`, 56, 0x14a),
    frame('github.com/containerd/containerd/runtime/v2/shim.run', `{${p.textQ()}, 0x0?}, 0x0, 0x0?`, `${SHIM}shim.go`, 307, 0x12a5),
    frame('github.com/containerd/containerd/runtime/v2/shim.Run', `{${p.text()}, 0x16}, 0x0?, {0x0, 0x0, ${p.heapQ()}}`, `${SHIM}shim.go`, 160, 0xb8),
    frame('main.main', '', `${CTRD}cmd/containerd-shim-runc-v2/main.go`, 28, 0x3f),
  ]);
  add(soon(), null, 'syscall', dumpUs, [
    frame('os/signal.signal_recv', '', `${GOROOT}runtime/sigqueue.go`, 152, 0x2f),
    frame('os/signal.loop', '', `${GOROOT}os/signal/signal_unix.go`, 23, 0x19),
  ], { fn: 'os/signal.Notify.func1.1', file: `${GOROOT}os/signal/signal.go`, line: 151, off: 0x2a });
  add(soon(), null, 'IO wait', start, [
    ...acceptLoop(p),
    frame('github.com/containerd/ttrpc.(*Server).Serve', `${p.heap()}, {${ctx}, ${p.heap()}}, {${p.text()}, ${p.heap()}}`, `${TTRPC}server.go`, 87, 0x15c),
    frame('github.com/containerd/containerd/runtime/v2/shim.serve.func1', '', `${SHIM}shim.go`, 359, 0x6b),
  ], { fn: 'github.com/containerd/containerd/runtime/v2/shim.serve', file: `${SHIM}shim.go`, line: 357, off: 0x1ae });
  const connAt = start + Math.round(rng.range(0.05, 0.2) * S);
  add(connAt, null, 'select', recent(20), [
    frame('github.com/containerd/ttrpc.(*serverConn).run', `${p.heap()}, {${ctx}, ${p.heap()}}`, `${TTRPC}server.go`, 444, 0x5b8),
  ], { fn: 'github.com/containerd/ttrpc.(*Server).Serve', file: `${TTRPC}server.go`, line: 136, off: 0x30b });
  add(connAt, null, 'IO wait', recent(20), [
    ...netConnRead(p),
    frame('bufio.(*Reader).Read', `${p.heap()}, {${p.heap()}, 0xa, ${p.textQ()}}`, `${GOROOT}bufio/bufio.go`, 237, 0x1bb),
    frame('io.ReadAtLeast', `{${p.text()}, ${p.heap()}}, {${p.heap()}, 0xa, 0xa}, 0xa`, `${GOROOT}io/io.go`, 332, 0x9a),
    frame('io.ReadFull', '...', `${GOROOT}io/io.go`, 351, null),
    frame('github.com/containerd/ttrpc.readMessageHeader', `{${p.heapQ()}, 0xa?, 0x0?}, {${p.textQ()}, ${p.heapQ()}}`, `${TTRPC}channel.go`, 50, 0x45),
    frame('github.com/containerd/ttrpc.(*channel).recv', p.heap(), `${TTRPC}channel.go`, 98, 0x4c),
    frame('github.com/containerd/ttrpc.(*serverConn).run.func1', `${p.heap()}, ${p.heap()}, ${p.heap()}, ${p.heap()}`, `${TTRPC}server.go`, 371, 0x1d5),
  ], { fn: 'github.com/containerd/ttrpc.(*serverConn).run', file: `${TTRPC}server.go`, line: 368, off: 0x2ed });
  const svc = p.heap();
  const created = { fn: 'github.com/containerd/containerd/runtime/v2/runc/task.New', file: `${TASK}service.go`, line: 96, off: 0x3ea };
  add(soon(), null, 'chan receive', recent(120), [frame('github.com/containerd/containerd/runtime/v2/runc/task.(*service).forward', `${svc}, {${ctx}, ${p.heap()}}, {${p.text()}, ${p.heap()}}`, `${TASK}service.go`, 663, 0x7a)], created);
  add(soon(), null, 'chan receive', recent(120), [frame('github.com/containerd/containerd/runtime/v2/runc/task.(*service).processExits', svc, `${TASK}service.go`, 566, 0x5c)], created);
  add(soon(), null, 'select', start, [frame('github.com/containerd/containerd/pkg/oom/v2.(*watcher).Run', `${p.heap()}, {${ctx}, ${p.heap()}}`, `${CTRD}pkg/oom/v2/v2.go`, 63, 0xb2)], created);
  add(soon(), null, 'chan receive', recent(120), [
    frame('github.com/containerd/containerd/runtime/v2/shim.(*remoteEventsPublisher).processQueue', p.heap(), `${SHIM}publisher.go`, 94, 0x5b),
  ], { fn: 'github.com/containerd/containerd/runtime/v2/shim.NewPublisher', file: `${SHIM}publisher.go`, line: 67, off: 0x1a5 });

  const running = [{ startUs: pod.sandboxReadyUs, logs: false }, ...pod.containers.filter((c) => c.startUs <= dumpUs && (c.exitUs === null || c.exitUs > dumpUs)).map((c) => ({ startUs: c.startUs, logs: true }))];
  for (const r of running) {
    add(r.startUs, null, 'syscall', r.startUs, [
      frame('syscall.Syscall', `0x0, 0x${rng.int(0x10, 0x40).toString(16)}, ${p.heap()}, 0x1000`, `${GOROOT}syscall/syscall_linux.go`, 68, 0x27),
      frame('syscall.read', `0x${rng.int(0x10, 0x40).toString(16)}?, {${p.heapQ()}, 0x0?, 0x0?}`, `${GOROOT}syscall/zsyscall_linux_amd64.go`, 696, 0x45),
      frame('syscall.Read', '...', `${GOROOT}syscall/syscall_unix.go`, 183, null),
      frame('github.com/containerd/cgroups/v2.(*Manager).waitForEvents', `${p.heap()}, ${p.heap()}, ${p.heap()}`, `${VENDOR}github.com/containerd/cgroups/v2/manager.go`, 660, 0x3d8),
    ], { fn: 'github.com/containerd/cgroups/v2.(*Manager).EventChan', file: `${VENDOR}github.com/containerd/cgroups/v2/manager.go`, line: 642, off: 0xb6 });
    if (!r.logs) continue;
    const wait = ttrpcServe(p, ctx, 'func7', 3515);
    add(r.startUs + Math.round(rng.range(0.01, 0.1) * S), null, 'chan receive', r.startUs, [
      frame('github.com/containerd/containerd/pkg/process.(*Init).Wait', p.heapQ(), `${CTRD}pkg/process/init.go`, 212, 0x19),
      frame('github.com/containerd/containerd/runtime/v2/runc/task.(*service).Wait', `${svc}, {${ctx}, ${p.heap()}}, ${p.heap()}`, `${TASK}service.go`, 554, 0xab),
      ...wait.frames,
    ], wait.createdBy);
    for (let i = 0; i < 2; i++) {
      add(r.startUs - Math.round(rng.range(0.01, 0.05) * S), null, 'IO wait', rng.chance(0.5) ? recent(50) : r.startUs, [
        ...fileRead(p),
        frame('io.copyBuffer', `{${p.text()}, ${p.heap()}}, {${p.text()}, ${p.heap()}}, {${p.heap()}, 0x8000, 0x8000}`, `${GOROOT}io/io.go`, 427, 0x1b2),
        frame('io.CopyBuffer', '...', `${GOROOT}io/io.go`, 402, null),
        frame(`github.com/containerd/containerd/pkg/process.copyPipes.func${i + 1}`, '', `${CTRD}pkg/process/io.go`, i === 0 ? 141 : 163, 0x1d5),
      ], { fn: 'github.com/containerd/containerd/pkg/process.copyPipes', file: `${CTRD}pkg/process/io.go`, line: i === 0 ? 139 : 161, off: 0x59b });
    }
  }

  const info: ShimDumpInfo = { text: '', count: 0 };
  if (plan.incident) {
    const rootfs = p.heap();
    const init = p.heap();
    const c2 = p.heap();
    const del = ttrpcServe(p, ctx, 'func4', 3477);
    const g = add(plan.shim.sinceUs, null, 'syscall', plan.shim.sinceUs, [
      frame('syscall.Syscall', `0x7c?, ${p.heapQ()}, ${rootfs}?, 0x7d?`, `${GOROOT}syscall/syscall_linux.go`, 68, 0x27),
      frame('golang.org/x/sys/unix.Unmount', `{${rootfs}?, 0x0?}, ${p.heapQ()}`, `${VENDOR}golang.org/x/sys/unix/zsyscall_linux.go`, 1680, 0x7d),
      frame('github.com/containerd/containerd/mount.UnmountAll', `{${rootfs}, 0x7c}, ${p.heapQ()}`, `${CTRD}mount/mount_linux.go`, 185, 0x8c),
      frame('github.com/containerd/containerd/pkg/process.(*Init).delete', `${init}, {${ctx}, ${c2}}`, `${CTRD}pkg/process/init.go`, 312, 0x13a),
      frame('github.com/containerd/containerd/pkg/process.(*stoppedState).Delete', `${p.heap()}, {${ctx}?, ${c2}?}`, `${CTRD}pkg/process/init_state.go`, 388, 0x2e),
      frame('github.com/containerd/containerd/pkg/process.(*Init).Delete', `${init}, {${ctx}?, ${c2}?}`, `${CTRD}pkg/process/init.go`, 283, 0x7b),
      frame('github.com/containerd/containerd/runtime/v2/runc.(*Container).Delete', `${p.heap()}, {${ctx}, ${c2}}, ${p.heap()}`, `${CTRD}runtime/v2/runc/container.go`, 376, 0x1fc),
      frame('github.com/containerd/containerd/runtime/v2/runc/task.(*service).Delete', `${svc}, {${ctx}, ${c2}}, ${p.heap()}`, `${TASK}service.go`, 216, 0x75),
      ...del.frames,
    ], del.createdBy);
    info.deleteGoroutine = g.id;
  }
  const ordered = dumpOrder(rng, gs, first);
  info.text = renderDump(ordered);
  info.count = ordered.length;
  return info;
}
