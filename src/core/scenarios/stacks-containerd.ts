// containerd's SIGUSR1 goroutine dump at `plan.dumpUs`: the daemon's own goroutines, a few per
// shim and per running container, active image pulls, and (incident) the blocked chain of
// INCIDENT.md: exit handler → shim Delete, status readers → UpdateContainerResources → bbolt → fsync.

import type { Container, Pod } from './inventory';
import { CTRD, GOROOT, GoIds, Ptrs, VENDOR, acceptLoop, dumpOrder, fileRead, frame, minutesBetween, netConnRead, renderDump, type GFrame, type Goroutine } from './goroutines';
import type { Plan } from './plan';
import { Rng } from './rng';
import { BBOLT, CRI, GRPC, TTRPC, bboltWait, criCall, fetchTail, httpBodyRead, itabs, metadataUpdate, ttrpcCall, type Itabs } from './stacks-frames';

export interface ContainerdDumpInfo {
  text: string;
  count: number;
  holder?: number;
  waiter?: number;
  bboltWaiters: number[];
  statusWaiters: number[];
  exitHandler?: number;
  dbPtr?: string;
  statusPtr?: string;
}

const S = 1_000_000;
const CMD = `${CTRD}cmd/containerd/command/`;

class Builder {
  readonly gs: Goroutine[] = [];
  constructor(
    readonly p: Ptrs,
    readonly t: Itabs,
    readonly ids: GoIds,
    readonly rng: Rng,
    readonly dumpUs: number,
  ) {}

  add(createdUs: number | null, fixedId: number | null, state: string, sinceUs: number, frames: GFrame[], createdBy?: Goroutine['createdBy']): Goroutine {
    const id = fixedId !== null ? this.ids.fixed(fixedId) : this.ids.at(createdUs ?? 0);
    const g: Goroutine = { id, state, minutes: minutesBetween(sinceUs, this.dumpUs), frames, createdBy };
    this.gs.push(g);
    return g;
  }

  /** A time in the recent past (a busy goroutine woke up recently). */
  recent(maxSec: number): number {
    return this.dumpUs - Math.round(this.rng.range(0, maxSec) * S);
  }
}

function daemon(b: Builder, plan: Plan): Goroutine {
  const { p } = b;
  const start = plan.containerdStartUs;
  const soon = (): number => start + Math.round(b.rng.range(0.001, 0.3) * S);
  const first = b.add(null, b.rng.int(40, 95), 'running', b.dumpUs, [
    frame('github.com/containerd/containerd/cmd/containerd/command.dumpStacks', '0x1', `${CMD}main.go`, 368, 0x85),
    frame('github.com/containerd/containerd/cmd/containerd/command.handleSignals.func1', '', `${CMD}main_unix.go`, 54, 0x1fa),
  ], { fn: 'github.com/containerd/containerd/cmd/containerd/command.handleSignals', file: `${CMD}main_unix.go`, line: 44, off: 0xea });
  b.add(null, 1, 'chan receive', start, [
    frame('github.com/containerd/containerd/cmd/containerd/command.App.func1', p.heap(), `${CMD}main.go`, 289, 0xf9a),
    frame('github.com/urfave/cli.HandleAction', `{${p.textQ()}, ${p.textQ()}}, 0x13?`, `${VENDOR}github.com/urfave/cli/app.go`, 524, 0x50),
    frame('github.com/urfave/cli.(*App).Run', `${p.heap()}, {${p.heap()}, 0x4, 0x4}`, `${VENDOR}github.com/urfave/cli/app.go`, 286, 0x625),
    frame('main.main', '', `${CTRD}cmd/containerd/main.go`, 33, 0x37),
  ]);
  b.add(soon(), null, 'syscall', b.dumpUs, [
    frame('os/signal.signal_recv', '', `${GOROOT}runtime/sigqueue.go`, 152, 0x2f),
    frame('os/signal.loop', '', `${GOROOT}os/signal/signal_unix.go`, 23, 0x19),
  ], { fn: 'os/signal.Notify.func1.1', file: `${GOROOT}os/signal/signal.go`, line: 151, off: 0x2a });
  b.add(soon(), null, 'select', b.recent(60), [
    frame('github.com/containerd/containerd/gc/scheduler.(*gcScheduler).run', `${p.heap()}, ${p.iface(b.t.ctx)}`, `${CTRD}gc/scheduler/scheduler.go`, 268, 0x1c5),
  ], { fn: 'github.com/containerd/containerd/gc/scheduler.init.0.func1', file: `${CTRD}gc/scheduler/scheduler.go`, line: 132, off: 0x498 });
  for (let i = 0; i < 2; i++) {
    b.add(soon(), null, 'select', b.recent(30), [
      frame('github.com/docker/go-events.(*Broadcaster).run', p.heap(), `${VENDOR}github.com/docker/go-events/broadcast.go`, 117, 0x3d3),
    ], { fn: 'github.com/docker/go-events.NewBroadcaster', file: `${VENDOR}github.com/docker/go-events/broadcast.go`, line: 39, off: 0x1b3 });
    b.add(soon(), null, 'sync.Cond.Wait', b.recent(30), [
      frame('sync.runtime_notifyListWait', `${p.heap()}, 0x${b.rng.int(0x20, 0x9ff).toString(16)}`, `${GOROOT}runtime/sema.go`, 517, 0x14c),
      frame('sync.(*Cond).Wait', p.heapQ(), `${GOROOT}sync/cond.go`, 70, 0x8c),
      frame('github.com/docker/go-events.(*Queue).next', p.heap(), `${VENDOR}github.com/docker/go-events/queue.go`, 103, 0x76),
      frame('github.com/docker/go-events.(*Queue).run', p.heap(), `${VENDOR}github.com/docker/go-events/queue.go`, 68, 0x2c),
    ], { fn: 'github.com/docker/go-events.NewQueue', file: `${VENDOR}github.com/docker/go-events/queue.go`, line: 29, off: 0xe8 });
  }
  const serve = { fn: 'github.com/containerd/containerd/cmd/containerd/command.serve', file: `${CMD}main.go`, line: 369, off: 0x1db };
  b.add(soon(), null, 'IO wait', plan.kubeletStartUs + 2 * S, [
    ...acceptLoop(p),
    frame('google.golang.org/grpc.(*Server).Serve', `${p.heap()}, {${p.textQ()}, ${p.heap()}}`, `${GRPC}server.go`, 786, 0x477),
    frame('github.com/containerd/containerd/services/server.(*Server).ServeGRPC', '...', `${CTRD}services/server/server.go`, 262, null),
    frame('github.com/containerd/containerd/cmd/containerd/command.serve.func1', '', `${CMD}main.go`, 371, 0x88),
  ], serve);
  b.add(soon(), null, 'IO wait', plan.podsAddUs + Math.round(b.rng.range(1, 20) * S), [
    ...acceptLoop(p),
    frame('github.com/containerd/ttrpc.(*Server).Serve', `${p.heap()}, ${p.iface(b.t.ctx)}, ${p.iface()}`, `${TTRPC}server.go`, 87, 0x15c),
    frame('github.com/containerd/containerd/services/server.(*Server).ServeTTRPC', '...', `${CTRD}services/server/server.go`, 267, null),
    frame('github.com/containerd/containerd/cmd/containerd/command.serve.func1', '', `${CMD}main.go`, 371, 0x88),
  ], serve);
  b.add(soon(), null, 'select', start, [
    frame('github.com/containerd/containerd/pkg/cri/server.(*criService).Run', p.heap(), `${CRI}service.go`, 266, 0x9e5),
  ], { fn: 'github.com/containerd/containerd/pkg/cri.initCRIService.func1', file: `${CTRD}pkg/cri/cri.go`, line: 104, off: 0x45 });
  b.add(soon(), null, 'select', b.recent(5), [
    frame('github.com/containerd/containerd/pkg/cri/server.(*eventMonitor).start.func1', '', `${CRI}events.go`, 250, 0x1c5),
  ], { fn: 'github.com/containerd/containerd/pkg/cri/server.(*eventMonitor).start', file: `${CRI}events.go`, line: 232, off: 0x9e });
  b.add(soon(), null, 'select', b.recent(5), [
    frame('github.com/containerd/containerd/events/exchange.(*Exchange).Subscribe.func3', '', `${CTRD}events/exchange/exchange.go`, 162, 0x14e),
  ], { fn: 'github.com/containerd/containerd/events/exchange.(*Exchange).Subscribe', file: `${CTRD}events/exchange/exchange.go`, line: 155, off: 0x3b9 });
  b.add(soon(), null, 'select', b.recent(60), [
    frame('github.com/containerd/containerd/pkg/cri/server.(*snapshotsSyncer).start.func1', '', `${CRI}snapshots.go`, 68, 0xb8),
  ], { fn: 'github.com/containerd/containerd/pkg/cri/server.(*snapshotsSyncer).start', file: `${CRI}snapshots.go`, line: 64, off: 0xa5 });
  b.add(soon(), null, 'select', plan.podsAddUs + 2 * S, [
    frame('github.com/containerd/containerd/pkg/cri/server.(*cniNetConfSyncer).syncLoop', p.heap(), `${CRI}cni_conf_syncer.go`, 80, 0x16e),
    frame('github.com/containerd/containerd/pkg/cri/server.(*criService).Run.func1', '', `${CRI}service.go`, 233, 0x2c),
  ], { fn: 'github.com/containerd/containerd/pkg/cri/server.(*criService).Run', file: `${CRI}service.go`, line: 231, off: 0x6c5 });
  b.add(soon(), null, 'syscall', start, [
    frame('syscall.Syscall6', `0xe8, 0x${b.rng.int(10, 40).toString(16)}, ${p.heap()}, 0x7, 0xffffffffffffffff, 0x0, 0x0`, `${GOROOT}syscall/syscall_linux.go`, 90, 0x36),
    frame('golang.org/x/sys/unix.EpollWait', `0x0?, {${p.heapQ()}, 0x7?, 0x0?}, 0x0?`, `${VENDOR}golang.org/x/sys/unix/zsyscall_linux_amd64.go`, 56, 0x58),
    frame('github.com/fsnotify/fsnotify.(*fdPoller).wait', p.heap(), `${VENDOR}github.com/fsnotify/fsnotify/inotify_poller.go`, 86, 0x7d),
    frame('github.com/fsnotify/fsnotify.(*Watcher).readEvents', p.heap(), `${VENDOR}github.com/fsnotify/fsnotify/inotify.go`, 192, 0x206),
  ], { fn: 'github.com/fsnotify/fsnotify.NewWatcher', file: `${VENDOR}github.com/fsnotify/fsnotify/inotify.go`, line: 59, off: 0x1c5 });
  b.add(soon(), null, 'IO wait', start, [
    ...acceptLoop(p).slice(0, 4),
    frame('net.(*netFD).accept', p.heap(), `${GOROOT}net/fd_unix.go`, 172, 0x35),
    frame('net.(*TCPListener).accept', p.heap(), `${GOROOT}net/tcpsock_posix.go`, 142, 0x28),
    frame('net.(*TCPListener).Accept', p.heap(), `${GOROOT}net/tcpsock.go`, 288, 0x3d),
    frame('net/http.(*Server).Serve', `${p.heap()}, {${p.textQ()}, ${p.heap()}}`, `${GOROOT}net/http/server.go`, 3070, 0x385),
    frame('k8s.io/kubernetes/pkg/kubelet/cri/streaming.(*server).Start', `${p.heap()}, 0x1`, `${VENDOR}k8s.io/kubernetes/pkg/kubelet/cri/streaming/server.go`, 247, 0x177),
    frame('github.com/containerd/containerd/pkg/cri/server.(*criService).Run.func2', '', `${CRI}service.go`, 248, 0x3b),
  ], { fn: 'github.com/containerd/containerd/pkg/cri/server.(*criService).Run', file: `${CRI}service.go`, line: 246, off: 0x8d6 });
  return first;
}

/** kubelet's gRPC connections: keepalive, loopy writer and the frame reader per connection. */
function grpcConns(b: Builder, plan: Plan): void {
  const { p } = b;
  const T = `${GRPC}internal/transport/`;
  for (let c = 0; c < 2; c++) {
    const at = plan.kubeletStartUs + Math.round(b.rng.range(0.5, 4) * S);
    b.add(at, null, 'select', b.recent(60), [
      frame('google.golang.org/grpc/internal/transport.(*http2Server).keepalive', p.heap(), `${T}http2_server.go`, 1133, 0x233),
    ], { fn: 'google.golang.org/grpc/internal/transport.NewServerTransport', file: `${T}http2_server.go`, line: 336, off: 0x1a2f });
    b.add(at, null, 'select', b.recent(2), [
      frame('google.golang.org/grpc/internal/transport.(*controlBuffer).get', `${p.heap()}, 0x1`, `${T}controlbuf.go`, 408, 0x115),
      frame('google.golang.org/grpc/internal/transport.(*loopyWriter).run', p.heap(), `${T}controlbuf.go`, 535, 0x85),
      frame('google.golang.org/grpc/internal/transport.NewServerTransport.func2', '', `${T}http2_server.go`, 326, 0xc6),
    ], { fn: 'google.golang.org/grpc/internal/transport.NewServerTransport', file: `${T}http2_server.go`, line: 323, off: 0x1a2a });
    b.add(at, null, 'IO wait', b.recent(2), [
      ...netConnRead(p),
      frame('bufio.(*Reader).Read', `${p.heap()}, {${p.heap()}, 0x9, ${p.textQ()}}`, `${GOROOT}bufio/bufio.go`, 237, 0x1bb),
      frame('io.ReadAtLeast', `{${p.text()}, ${p.heap()}}, {${p.heap()}, 0x9, 0x9}, 0x9`, `${GOROOT}io/io.go`, 332, 0x9a),
      frame('io.ReadFull', '...', `${GOROOT}io/io.go`, 351, null),
      frame('golang.org/x/net/http2.readFrameHeader', `{${p.heap()}, 0x9, ${p.heapQ()}}, {${p.text()}, ${p.heap()}}`, `${VENDOR}golang.org/x/net/http2/frame.go`, 237, 0x6e),
      frame('golang.org/x/net/http2.(*Framer).ReadFrame', p.heap(), `${VENDOR}golang.org/x/net/http2/frame.go`, 498, 0x95),
      frame('google.golang.org/grpc/internal/transport.(*http2Server).HandleStreams', `${p.heap()}, ${p.heap()}, ${p.textQ()}`, `${T}http2_server.go`, 614, 0xe7),
      frame('google.golang.org/grpc.(*Server).serveStreams', `${p.heap()}, {${p.text()}, ${p.heap()}}`, `${GRPC}server.go`, 904, 0x142),
      frame('google.golang.org/grpc.(*Server).handleRawConn.func1', '', `${GRPC}server.go`, 843, 0x46),
    ], { fn: 'google.golang.org/grpc.(*Server).handleRawConn', file: `${GRPC}server.go`, line: 842, off: 0x185 });
  }
}

/** Per shim: the ttrpc client loop and receiver, and the shim log forwarder. */
function shimClient(b: Builder, pod: Pod): string {
  const { p } = b;
  const client = p.heap();
  const at = pod.sandboxStartUs + Math.round(b.rng.range(0.05, 0.4) * S);
  b.add(at, null, 'select', b.recent(40), [frame('github.com/containerd/ttrpc.(*Client).run', client, `${TTRPC}client.go`, 276, 0x19a)], {
    fn: 'github.com/containerd/ttrpc.NewClient', file: `${TTRPC}client.go`, line: 94, off: 0x1d6,
  });
  b.add(at, null, 'IO wait', b.recent(40), [
    ...netConnRead(p),
    frame('bufio.(*Reader).Read', `${p.heap()}, {${p.heap()}, 0xa, ${p.textQ()}}`, `${GOROOT}bufio/bufio.go`, 237, 0x1bb),
    frame('io.ReadAtLeast', `{${b.t.reader}, ${p.heap()}}, {${p.heap()}, 0xa, 0xa}, 0xa`, `${GOROOT}io/io.go`, 332, 0x9a),
    frame('io.ReadFull', '...', `${GOROOT}io/io.go`, 351, null),
    frame('github.com/containerd/ttrpc.readMessageHeader', `{${p.heapQ()}, 0xa?, 0x0?}, {${b.t.reader}?, ${p.heapQ()}}`, `${TTRPC}channel.go`, 50, 0x45),
    frame('github.com/containerd/ttrpc.(*channel).recv', p.heap(), `${TTRPC}channel.go`, 98, 0x4c),
    frame('github.com/containerd/ttrpc.(*receiver).run', `${p.heap()}, ${p.iface(b.t.ctx)}, ${p.heap()}`, `${TTRPC}client.go`, 233, 0x7a),
  ], { fn: 'github.com/containerd/ttrpc.(*Client).run', file: `${TTRPC}client.go`, line: 266, off: 0x16a });
  b.add(at, null, 'IO wait', pod.sandboxStartUs + S, [
    ...fileRead(p),
    frame('github.com/containerd/fifo.(*fifo).Read', `${p.heap()}, {${p.heap()}, 0x8000, 0x8000}`, `${VENDOR}github.com/containerd/fifo/fifo.go`, 154, 0x29b),
    frame('io.copyBuffer', `{${p.text()}, ${p.heap()}}, {${p.text()}, ${p.heap()}}, {0x0, 0x0, 0x0}`, `${GOROOT}io/io.go`, 427, 0x1b2),
    frame('io.Copy', '...', `${GOROOT}io/io.go`, 386, null),
    frame('github.com/containerd/containerd/runtime/v2.(*binary).Start.func1', '', `${CTRD}runtime/v2/binary.go`, 111, 0x12a),
  ], { fn: 'github.com/containerd/containerd/runtime/v2.(*binary).Start', file: `${CTRD}runtime/v2/binary.go`, line: 101, off: 0x8f5 });
  return client;
}

const EXIT_MONITOR = { fn: 'github.com/containerd/containerd/pkg/cri/server.(*eventMonitor).startContainerExitMonitor', file: `${CRI}events.go`, line: 162, off: 0x12b };

/** Per running container: the task Wait call, the exit monitor, and the log pipes. */
function runningContainer(b: Builder, client: string, startUs: number, withLogs: boolean): void {
  const { p } = b;
  b.add(startUs + Math.round(b.rng.range(0.01, 0.1) * S), null, 'select', startUs, [
    ...ttrpcCall(p, b.t, 'Wait', client),
    frame('github.com/containerd/containerd/runtime/v2.(*shimTask).Wait', `${p.heap()}, ${p.iface(b.t.ctx)}`, `${CTRD}runtime/v2/shim.go`, 558, 0xd6),
    frame('github.com/containerd/containerd/services/tasks.(*local).Wait', `${p.heap()}, ${p.iface(b.t.ctx)}, ${p.heap()}, {0x0?, 0x0?, 0x0?}`, `${CTRD}services/tasks/local.go`, 640, 0x1a2),
    frame('github.com/containerd/containerd.(*task).Wait.func1', '', `${CTRD}task.go`, 263, 0x102),
  ], { fn: 'github.com/containerd/containerd.(*task).Wait', file: `${CTRD}task.go`, line: 260, off: 0x16a });
  b.add(startUs + Math.round(b.rng.range(0.01, 0.1) * S), null, 'select', startUs, [
    frame('github.com/containerd/containerd/pkg/cri/server.(*eventMonitor).startContainerExitMonitor.func1', '', `${CRI}events.go`, 165, 0xa5),
  ], EXIT_MONITOR);
  if (!withLogs) return;
  for (const stream of ['stdout', 'stderr']) {
    b.add(startUs - Math.round(b.rng.range(0.05, 0.3) * S), null, 'IO wait', b.rng.chance(0.5) ? b.recent(50) : startUs, [
      ...fileRead(p),
      frame('github.com/containerd/fifo.(*fifo).Read', `${p.heap()}, {${p.heap()}, 0x1000, 0x1000}`, `${VENDOR}github.com/containerd/fifo/fifo.go`, 154, 0x29b),
      frame('bufio.(*Reader).fill', p.heap(), `${GOROOT}bufio/bufio.go`, 106, 0xff),
      frame('bufio.(*Reader).ReadSlice', `${p.heap()}, 0x0?`, `${GOROOT}bufio/bufio.go`, 372, 0x2f),
      frame('bufio.(*Reader).ReadLine', p.heap(), `${GOROOT}bufio/bufio.go`, 401, 0x27),
      frame('github.com/containerd/containerd/pkg/cri/io.redirectLogs', `{${p.text()}, ${p.heap()}}, {${p.textQ()}, ${p.heap()}}, ${p.heap()}, {${p.text()}, 0x${stream.length.toString(16)}}`, `${CTRD}pkg/cri/io/logger.go`, 129, 0x1dc),
    ], { fn: 'github.com/containerd/containerd/pkg/cri/io.NewCRILogger', file: `${CTRD}pkg/cri/io/logger.go`, line: 55, off: 0x2f1 });
  }
}

/** The exit handler of a container that exited during the storm: waiting for the shim's Delete. */
function exitHandler(b: Builder, client: string, ctr: Container): Goroutine {
  const { p } = b;
  const ctx = p.iface(b.t.ctx);
  const cntr = `{{{${p.heap()}, 0x40}, {${p.heap()}, 0x52}, {${p.heap()}, 0x40}, ${p.heap()}, ...}, ...}`;
  return b.add(ctr.startUs + Math.round(b.rng.range(0.01, 0.1) * S), null, 'select', ctr.exitUs ?? b.dumpUs, [
    ...ttrpcCall(p, b.t, 'Delete', client),
    frame('github.com/containerd/containerd/runtime/v2.(*shimTask).delete', `${p.heap()}, ${ctx}, ${p.heap()}`, `${CTRD}runtime/v2/shim.go`, 495, 0xd5),
    frame('github.com/containerd/containerd/runtime/v2.(*TaskManager).Delete', `${p.heap()}, ${ctx}, {${p.heap()}, 0x40}`, `${CTRD}runtime/v2/manager.go`, 410, 0x9e),
    frame('github.com/containerd/containerd/services/tasks.(*local).Delete', `${p.heap()}, ${ctx}, ${p.heap()}, {0x0?, 0x0?, 0x0?}`, `${CTRD}services/tasks/local.go`, 295, 0x22d),
    frame('github.com/containerd/containerd.(*task).Delete', `${p.heap()}, ${ctx}, {${p.heap()}, 0x1, 0x1}`, `${CTRD}task.go`, 328, 0x2b5),
    frame('github.com/containerd/containerd/pkg/cri/server.handleContainerExit', `${ctx}, ${p.heap()}, ${cntr}`, `${CRI}events.go`, 387, 0x202),
    frame('github.com/containerd/containerd/pkg/cri/server.(*eventMonitor).startContainerExitMonitor.func1', '', `${CRI}events.go`, 174, 0x2e5),
  ], EXIT_MONITOR);
}

function pullHandler(b: Builder, startUs: number, criSvc: string): void {
  const { p } = b;
  const call = criCall(p, b.t, 'PullImage', 'image_pull.go', 146, criSvc);
  b.add(startUs, null, 'semacquire', startUs + Math.round(b.rng.range(0.2, 2) * S), [
    frame('sync.runtime_Semacquire', p.heapQ(), `${GOROOT}runtime/sema.go`, 62, 0x25),
    frame('sync.(*WaitGroup).Wait', p.heapQ(), `${GOROOT}sync/waitgroup.go`, 139, 0x52),
    frame('golang.org/x/sync/errgroup.(*Group).Wait', p.heap(), `${VENDOR}golang.org/x/sync/errgroup/errgroup.go`, 53, 0x27),
    frame('github.com/containerd/containerd/images.Dispatch', `${p.iface(b.t.ctx)}, {${p.text()}, ${p.heap()}}, ${p.heap()}, {${p.heap()}, 0x1, 0x1}`, `${CTRD}images/handlers.go`, 166, 0x29c),
    frame('github.com/containerd/containerd.(*Client).fetch', `${p.heap()}, ${p.iface(b.t.ctx)}, ${p.heap()}, {${p.heap()}, 0x2d}, 0x0`, `${CTRD}pull.go`, 241, 0x8a5),
    frame('github.com/containerd/containerd.(*Client).Pull', `${p.heap()}, ${p.iface(b.t.ctx)}, {${p.heap()}, 0x2d}, {${p.heap()}, 0x6, 0x6}`, `${CTRD}pull.go`, 100, 0x5d8),
    ...call.frames,
  ], call.createdBy);
}

/** A layer download: writing into the content store (slow in the storm) or reading the body. */
function fetchGoroutine(b: Builder, startUs: number, size: number, writing: boolean): void {
  const { p } = b;
  const tail = fetchTail(p, b.t, size);
  const copy: GFrame[] = [
    frame('io.copyBuffer', `{${p.text()}, ${p.heap()}}, {${p.text()}, ${p.heap()}}, {${p.heap()}, 0x100000, 0x100000}`, `${GOROOT}io/io.go`, 429, 0x1a5),
    frame('io.CopyBuffer', '...', `${GOROOT}io/io.go`, 402, null),
    frame('github.com/containerd/containerd/content.copyWithBuffer', `{${p.text()}, ${p.heap()}}, {${p.text()}, ${p.heap()}}`, `${CTRD}content/helpers.go`, 239, 0x97),
    frame('github.com/containerd/containerd/content.Copy', `${p.iface(b.t.ctx)}, {${p.text()}, ${p.heap()}}, {${p.text()}, ${p.heap()}}, 0x${size.toString(16)}, {${p.heap()}, 0x47}, {0x0, 0x0, 0x0}`, `${CTRD}content/helpers.go`, 159, 0x2ad),
  ];
  const top: GFrame[] = writing
    ? [
        frame('syscall.Syscall', `0x1, 0x${b.rng.int(0x20, 0x90).toString(16)}, ${p.heap()}, 0x8000`, `${GOROOT}syscall/syscall_linux.go`, 68, 0x27),
        frame('syscall.write', `0x${b.rng.int(0x20, 0x90).toString(16)}?, {${p.heapQ()}, 0x0?, 0x0?}`, `${GOROOT}syscall/zsyscall_linux_amd64.go`, 924, 0x45),
        frame('syscall.Write', '...', `${GOROOT}syscall/syscall_unix.go`, 211, null),
        frame('internal/poll.ignoringEINTRIO', '...', `${GOROOT}internal/poll/fd_unix.go`, 794, null),
        frame('internal/poll.(*FD).Write', `${p.heap()}, {${p.heap()}, 0x8000, 0x8000}`, `${GOROOT}internal/poll/fd_unix.go`, 383, 0x39c),
        frame('os.(*File).write', '...', `${GOROOT}os/file_posix.go`, 48, null),
        frame('os.(*File).Write', `${p.heap()}, {${p.heapQ()}, 0x8000, 0x8000}`, `${GOROOT}os/file.go`, 176, 0x65),
        frame('github.com/containerd/containerd/content/local.(*writer).Write', `${p.heap()}, {${p.heap()}, 0x8000, 0x8000}`, `${CTRD}content/local/writer.go`, 67, 0x7e),
        frame('github.com/containerd/containerd/metadata.(*namespacedWriter).Write', `${p.heapQ()}, {${p.heap()}?, 0x8000?, 0x100000?}`, `${CTRD}metadata/content.go`, 563, 0x38),
      ]
    : httpBodyRead(p, b.t);
  b.add(startUs, null, writing ? 'syscall' : 'IO wait', writing ? b.recent(3) : b.recent(1), [...top, ...copy, ...tail.frames], tail.createdBy);
}

export function buildContainerdDump(plan: Plan): ContainerdDumpInfo {
  const rng = new Rng(plan.seed).fork('containerd-dump');
  const base = (0x5500 + rng.int(0, 0x1ff)) * 0x100000000 + rng.int(0, 0xff) * 0x1000000;
  const p = new Ptrs(rng, base, 0x3000000);
  const t = itabs(p);
  const ids = new GoIds(rng, plan.containerdStartUs, rng.range(3, 9), 30);
  const dumpUs = plan.dumpUs;
  const b = new Builder(p, t, ids, rng, dumpUs);
  const criSvc = p.heap();
  const first = daemon(b, plan);
  grpcConns(b, plan);
  const info: ContainerdDumpInfo = { text: '', count: 0, bboltWaiters: [], statusWaiters: [] };
  const stuckIds = new Set(plan.exitErrors.filter((e) => e.exitUs <= dumpUs).map((e) => e.ctr.id));

  for (const pod of plan.pods) {
    if (pod.sandboxStartUs > dumpUs) continue;
    const client = shimClient(b, pod);
    runningContainer(b, client, pod.sandboxReadyUs, false);
    for (const c of pod.containers) {
      if (c.startUs > dumpUs) continue;
      if (c.exitUs !== null && c.exitUs <= dumpUs) {
        if (stuckIds.has(c.id)) {
          const g = exitHandler(b, client, c);
          if (c === plan.shim.ctr) info.exitHandler = g.id;
        }
        continue;
      }
      runningContainer(b, client, c.startUs, true);
    }
  }

  for (const pull of plan.pulls) {
    if (pull.startUs > dumpUs || pull.endUs <= dumpUs) continue;
    pullHandler(b, pull.startUs, criSvc);
    if (pull === plan.holderPull) continue;
    fetchGoroutine(b, pull.startUs + Math.round(rng.range(0.5, 3) * S), Math.round(pull.image.size * rng.range(0.2, 0.6)), plan.storm !== null && rng.chance(0.7));
  }

  if (plan.incident && plan.gap) incidentChain(b, plan, info, criSvc);

  const ordered = dumpOrder(rng, b.gs, first);
  info.text = renderDump(ordered);
  info.count = ordered.length;
  return info;
}

function incidentChain(b: Builder, plan: Plan, info: ContainerdDumpInfo, criSvc: string): void {
  const { p, t, rng } = b;
  const dumpUs = plan.dumpUs;
  const dbPtr = p.heap();
  const boltDb = p.heap();
  const lockPtr = `0x${(parseInt(boltDb.slice(2), 16) + 0x1b8).toString(16)}`;
  const statusPtr = p.heap();
  info.dbPtr = dbPtr;
  info.statusPtr = statusPtr;
  const ctx = (): string => p.iface(t.ctx);

  // The holder: a content commit inside bbolt's Update, blocked in fsync.
  const holderPull = plan.holderPull;
  const size = holderPull ? Math.round(holderPull.image.size * rng.range(0.3, 0.7)) : rng.int(20_000_000, 400_000_000);
  const sizeHex = `0x${size.toString(16)}`;
  const ref = `{${p.heap()}, 0x47}`;
  const w = p.heap();
  const nsw = p.heap();
  const tail = fetchTail(p, t, size);
  const holderCreated = holderPull ? holderPull.startUs + Math.round(rng.range(0.5, 3) * 1_000_000) : plan.holderStartUs - 20 * 1_000_000;
  const holder = b.add(holderCreated, null, 'syscall', plan.holderStartUs, [
    frame('syscall.Syscall', `0x4a, 0x${rng.int(0x20, 0x90).toString(16)}, 0x0, 0x0`, `${GOROOT}syscall/syscall_linux.go`, 68, 0x27),
    frame('syscall.Fsync', '0x0?', `${GOROOT}syscall/zsyscall_linux_amd64.go`, 423, 0x2a),
    frame('internal/poll.(*FD).Fsync.func1', '...', `${GOROOT}internal/poll/fd_fsync_posix.go`, 18, null),
    frame('internal/poll.ignoringEINTR', '...', `${GOROOT}internal/poll/fd_posix.go`, 74, null),
    frame('internal/poll.(*FD).Fsync', p.heapQ(), `${GOROOT}internal/poll/fd_fsync_posix.go`, 17, 0x35),
    frame('os.(*File).Sync', p.heap(), `${GOROOT}os/file_posix.go`, 168, 0x4e),
    frame('github.com/containerd/containerd/content/local.(*writer).Commit', `${w}, ${ctx()}, ${sizeHex}, ${ref}, {0x0, 0x0, ${p.textQ()}}`, `${CTRD}content/local/writer.go`, 95, 0x24e),
    frame('github.com/containerd/containerd/metadata.(*namespacedWriter).commit', `${nsw}, ${ctx()}, 0x0?, ${sizeHex}, ${ref}, {0x0, 0x0, 0x0}`, `${CTRD}metadata/content.go`, 641, 0x5bf),
    frame('github.com/containerd/containerd/metadata.(*namespacedWriter).Commit.func1', p.heapQ(), `${CTRD}metadata/content.go`, 578, 0x8f),
    frame('go.etcd.io/bbolt.(*DB).Update', `0x0?, ${p.heap()}`, BBOLT, 741, 0x82),
    metadataUpdate(p, dbPtr),
    frame('github.com/containerd/containerd/metadata.update', `{${t.ctx}?, ${p.heapQ()}}, {${p.textQ()}, ${dbPtr}?}, ${p.heapQ()}`, `${CTRD}metadata/bolt.go`, 47, 0x9d),
    frame('github.com/containerd/containerd/metadata.(*namespacedWriter).Commit', `${nsw}, ${ctx()}, ${sizeHex}, ${ref}, {0x0, 0x0, 0x0}`, `${CTRD}metadata/content.go`, 577, 0x1d3),
    frame('github.com/containerd/containerd/content.Copy', `${ctx()}, {${p.text()}, ${nsw}}, {${p.text()}, ${p.heap()}}, ${sizeHex}, ${ref}, {0x0, 0x0, 0x0}`, `${CTRD}content/helpers.go`, 167, 0x3a5),
    ...tail.frames,
  ], tail.createdBy);
  info.holder = holder.id;

  // The waiter: UpdateContainerResources holds the container's status lock, waits for bbolt.
  const cntrArg = `{{{${p.heap()}, 0x40}, {${p.heap()}, 0x52}, {${p.heap()}, 0x40}, ${p.heap()}, ...}, ...}`;
  const updCall = criCall(p, t, 'UpdateContainerResources', 'container_update_resources.go', 51, criSvc);
  const upd = b.add(plan.waiterStartUs, null, 'semacquire', plan.waiterStartUs, [
    ...bboltWait(p, lockPtr, boltDb),
    metadataUpdate(p, dbPtr),
    frame('github.com/containerd/containerd/services/containers.(*local).withStore.func1', '...', `${CTRD}services/containers/local.go`, 212, null),
    frame('github.com/containerd/containerd/services/containers.(*local).withStoreUpdate', '...', `${CTRD}services/containers/local.go`, 202, null),
    frame('github.com/containerd/containerd/services/containers.(*local).Update', `${p.heap()}, ${ctx()}, ${p.heap()}, {${p.textQ()}, 0x0?, ${p.heapQ()}}`, `${CTRD}services/containers/local.go`, 156, 0x24e),
    frame('github.com/containerd/containerd.(*remoteContainers).Update', `${p.heap()}, ${ctx()}, {{${p.heap()}, 0x40}, ${p.heap()}, {${p.heap()}, 0x1c}, {{${p.heap()}, 0x52}, {0x0, 0x0}}, ...}, {${p.heap()}, 0x1, 0x1}`, `${CTRD}containerstore.go`, 129, 0x1f8),
    frame('github.com/containerd/containerd.(*container).Update', `${p.heap()}, ${ctx()}, {${p.heap()}, 0x1, ${p.textQ()}}`, `${CTRD}container.go`, 324, 0x1a5),
    frame('github.com/containerd/containerd/pkg/cri/server.updateContainerSpec', `${ctx()}, {${p.text()}, ${p.heap()}}, ${p.heap()}`, `${CRI}container_update_resources.go`, 143, 0x166),
    frame('github.com/containerd/containerd/pkg/cri/server.(*criService).updateContainerResources.func2', cntrArg, `${CRI}container_update_resources.go`, 108, 0x2b2),
    frame('github.com/containerd/containerd/pkg/cri/store/container.(*statusStorage).UpdateSync', `${statusPtr}, ${p.heap()}`, `${CTRD}pkg/cri/store/container/status.go`, 222, 0xbd),
    frame('github.com/containerd/containerd/pkg/cri/server.(*criService).updateContainerResources', `${criSvc}, ${ctx()}, ${cntrArg}, ${p.heap()}, ${p.heap()}`, `${CRI}container_update_resources.go`, 76, 0x1c5),
    ...updCall.frames,
  ], updCall.createdBy);
  info.waiter = upd.id;

  // The readers of that container's status: PLEG's ListContainers first, then other kubelet calls.
  const readers: { us: number; method: 'ListContainers' | 'ContainerStatus' }[] = [];
  const gap = plan.gap;
  if (gap) {
    readers.push({ us: gap.fromUs + rng.int(200, 1500), method: 'ListContainers' });
    let at = gap.fromUs + Math.round(rng.range(2, 8) * S);
    while (at < dumpUs && readers.length < 8) {
      readers.push({ us: at, method: rng.chance(0.6) ? 'ContainerStatus' : 'ListContainers' });
      at += Math.round(rng.range(3, 12) * S);
    }
  }
  for (const r of readers) {
    const file = r.method === 'ListContainers' ? 'container_list.go' : 'container_status.go';
    const call = criCall(p, t, r.method, file, r.method === 'ListContainers' ? 37 : 44, criSvc);
    const frames: GFrame[] = [
      frame('sync.runtime_SemacquireMutex', `0x${rng.int(0x100, 0xfff).toString(16)}?, 0x${rng.int(0x10, 0xff).toString(16)}?, 0x${rng.hex(16).replace(/^0+/, '')}?`, `${GOROOT}runtime/sema.go`, 77, 0x25),
      frame('sync.(*RWMutex).RLock', '...', `${GOROOT}sync/rwmutex.go`, 71, null),
      frame('github.com/containerd/containerd/pkg/cri/store/container.(*statusStorage).Get', `${statusPtr}?`, `${CTRD}pkg/cri/store/container/status.go`, 205, 0x9c),
    ];
    if (r.method === 'ListContainers') frames.push(frame('github.com/containerd/containerd/pkg/cri/server.toCRIContainer', '...', `${CRI}container_list.go`, 48, null));
    const g = b.add(r.us, null, 'semacquire', r.us, [...frames, ...call.frames], call.createdBy);
    info.statusWaiters.push(g.id);
  }

  // Others queued on the same bbolt lock: container creation, snapshot prepare, another commit.
  const queued = (createdUs: number, since: number, rest: GFrame[], createdBy: Goroutine['createdBy']): void => {
    const g = b.add(createdUs, null, 'semacquire', since, [...bboltWait(p, lockPtr, boltDb), metadataUpdate(p, dbPtr), ...rest], createdBy);
    info.bboltWaiters.push(g.id);
  };
  const span = Math.max(1, dumpUs - plan.holderStartUs);
  const when = (): number => plan.holderStartUs + Math.round(rng.float() * span * 0.9);
  // Containers whose CreateContainer call itself waited (created right after the stall ended).
  const unblock = plan.gap?.unblockUs ?? dumpUs;
  const creates = plan.pods.flatMap((pod) => pod.containers).filter((c) => c.delayed && c.createUs >= unblock && c.createUs < unblock + 3_000_000).slice(0, 2);
  for (let i = 0; i < creates.length; i++) {
    const at = when();
    const call = criCall(p, t, 'CreateContainer', 'container_create.go', 250, criSvc);
    queued(at, at, [
      frame('github.com/containerd/containerd/services/containers.(*local).withStoreUpdate', '...', `${CTRD}services/containers/local.go`, 202, null),
      frame('github.com/containerd/containerd/services/containers.(*local).Create', `${p.heap()}, ${ctx()}, ${p.heap()}, {0x0, 0x0, 0x0}`, `${CTRD}services/containers/local.go`, 137, 0x1a5),
      frame('github.com/containerd/containerd.(*remoteContainers).Create', `${p.heap()}, ${ctx()}, {{${p.heap()}, 0x40}, ${p.heap()}, {${p.heap()}, 0x2d}, ...}`, `${CTRD}containerstore.go`, 103, 0x16e),
      frame('github.com/containerd/containerd.(*Client).NewContainer', `${p.heap()}, ${ctx()}, {${p.heap()}, 0x40}, {${p.heap()}, 0x9, 0x10}`, `${CTRD}client.go`, 283, 0x3ff),
      ...call.frames,
    ], call.createdBy);
  }
  const active = plan.pulls.filter((pl) => pl.startUs <= dumpUs && pl.endUs > dumpUs && pl !== plan.holderPull);
  if (active.length > 0) {
    const at = when();
    queued(at, at, [
      frame('github.com/containerd/containerd/metadata.update', `{${t.ctx}?, ${p.heapQ()}}, {${p.textQ()}, ${dbPtr}?}, ${p.heapQ()}`, `${CTRD}metadata/bolt.go`, 47, 0x9d),
      frame('github.com/containerd/containerd/metadata.(*snapshotter).createSnapshot', `${p.heap()}, ${ctx()}, {${p.heap()}, 0x47}, {${p.heap()}, 0x47}, 0x0, {0x0, 0x0, 0x0}`, `${CTRD}metadata/snapshot.go`, 287, 0x2c5),
      frame('github.com/containerd/containerd/metadata.(*snapshotter).Prepare', `${p.heapQ()}, {${t.ctx}, ${p.heap()}}, {${p.heap()}, 0x47}, {${p.heap()}, 0x47}, {0x0, 0x0, 0x0}`, `${CTRD}metadata/snapshot.go`, 265, 0x7e),
      frame('github.com/containerd/containerd.(*unpacker).unpack', `${p.heap()}, ${ctx()}, {${p.heap()}, 0x1, 0x1}, {${p.heap()}, 0x4, 0x4}, {{${p.heap()}, 0x2e}, {${p.heap()}, 0x47}, ...}`, `${CTRD}unpacker.go`, 176, 0x11c5),
      frame('github.com/containerd/containerd.(*unpacker).handlerWrapper.func1.1', '', `${CTRD}unpacker.go`, 370, 0xa5),
    ], { fn: 'github.com/containerd/containerd.(*unpacker).handlerWrapper.func1', file: `${CTRD}unpacker.go`, line: 368, off: 0x6f1 });
  }
  if (active.length > 1) {
    const at = when();
    const ft = fetchTail(p, t, rng.int(5_000_000, 90_000_000));
    const sz = `0x${rng.int(5_000_000, 90_000_000).toString(16)}`;
    queued(at, at, [
      frame('github.com/containerd/containerd/metadata.update', `{${t.ctx}?, ${p.heapQ()}}, {${p.textQ()}, ${dbPtr}?}, ${p.heapQ()}`, `${CTRD}metadata/bolt.go`, 47, 0x9d),
      frame('github.com/containerd/containerd/metadata.(*namespacedWriter).Commit', `${p.heap()}, ${ctx()}, ${sz}, {${p.heap()}, 0x47}, {0x0, 0x0, 0x0}`, `${CTRD}metadata/content.go`, 577, 0x1d3),
      frame('github.com/containerd/containerd/content.Copy', `${ctx()}, {${p.text()}, ${p.heap()}}, {${p.text()}, ${p.heap()}}, ${sz}, {${p.heap()}, 0x47}, {0x0, 0x0, 0x0}`, `${CTRD}content/helpers.go`, 167, 0x3a5),
      ...ft.frames,
    ], ft.createdBy);
  }
}
