// Stack fragments of containerd 1.6 (Go 1.19): the gRPC server tail, ttrpc, CRI and bbolt pieces.

import { CTRD, GOROOT, VENDOR, frame, netConnRead, type GFrame, type Goroutine, type Ptrs } from './goroutines';

export const TTRPC = `${VENDOR}github.com/containerd/ttrpc/`;
export const GRPC = `${VENDOR}google.golang.org/grpc/`;
export const CRI = `${CTRD}pkg/cri/server/`;
export const BBOLT = `${VENDOR}go.etcd.io/bbolt/db.go`;
const CRIAPI = `${VENDOR}k8s.io/cri-api/pkg/apis/runtime/v1alpha2/api.pb.go`;
const CHAIN = `${VENDOR}github.com/grpc-ecosystem/go-grpc-middleware/chain.go`;

type Created = NonNullable<Goroutine['createdBy']>;

/** method → [Handler.func1 line, Handler line, service, instrumented_service.go line]. */
const HANDLERS: Record<string, [number, number, string, number]> = {
  ListContainers: [8943, 8945, 'RuntimeService', 440],
  ContainerStatus: [8979, 8981, 'RuntimeService', 486],
  ListContainerStats: [9069, 9071, 'RuntimeService', 1040],
  UpdateContainerResources: [8997, 8999, 'RuntimeService', 1285],
  CreateContainer: [8871, 8873, 'RuntimeService', 302],
  PullImage: [9411, 9413, 'ImageService', 1104],
};

/** Context and other interface type words reused across a dump (itabs are per type). */
export interface Itabs {
  ctx: string;
  ctx2: string;
  conn: string;
  reader: string;
}

export function itabs(p: Ptrs): Itabs {
  return { ctx: p.text(), ctx2: p.text(), conn: p.text(), reader: p.text() };
}

export function grpcTail(p: Ptrs, t: Itabs, method: string): { frames: GFrame[]; createdBy: Created } {
  const [l1, l2, svc] = HANDLERS[method] ?? [9000, 9002, 'RuntimeService', 500];
  const ctx = (): string => p.iface(t.ctx);
  return {
    frames: [
      frame(`k8s.io/cri-api/pkg/apis/runtime/v1alpha2._${svc}_${method}_Handler.func1`, `${ctx()}, ${p.ifaceQ()}`, CRIAPI, l1, 0x78),
      frame('github.com/containerd/containerd/services/server.unaryNamespaceInterceptor', `${ctx()}, ${p.iface()}, ${p.heapQ()}, ${p.heapQ()}`, `${CTRD}services/server/namespace.go`, 31, 0xbb),
      frame('github.com/grpc-ecosystem/go-grpc-middleware.ChainUnaryServer.func1.1.1', `{${t.ctx}?, ${p.heapQ()}}, ${p.ifaceQ()}`, CHAIN, 25, 0x3a),
      frame('github.com/grpc-ecosystem/go-grpc-prometheus.(*ServerMetrics).UnaryServerInterceptor.func1', `${ctx()}, ${p.iface()}, ${p.heapQ()}, ${p.heap()}`, `${VENDOR}github.com/grpc-ecosystem/go-grpc-prometheus/server_metrics.go`, 107, 0x87),
      frame('github.com/grpc-ecosystem/go-grpc-middleware.ChainUnaryServer.func1.1.1', `{${t.ctx}?, ${p.heapQ()}}, ${p.ifaceQ()}`, CHAIN, 25, 0x3a),
      frame('github.com/grpc-ecosystem/go-grpc-middleware.ChainUnaryServer.func1', `${ctx()}, ${p.iface()}, ${p.heapQ()}, ${p.heap()}`, CHAIN, 34, 0xbf),
      frame(`k8s.io/cri-api/pkg/apis/runtime/v1alpha2._${svc}_${method}_Handler`, `{${p.textQ()}, ${p.heap()}}, ${ctx()}, ${p.heap()}, ${p.heap()}`, CRIAPI, l2, 0x138),
      frame('google.golang.org/grpc.(*Server).processUnaryRPC', `${p.heap()}, ${p.iface(t.conn)}, ${p.heap()}, ${p.heap()}, ${p.heap()}, 0x0`, `${GRPC}server.go`, 1283, 0xcfd),
      frame('google.golang.org/grpc.(*Server).handleStream', `${p.heap()}, ${p.iface(t.conn)}, ${p.heap()}, 0x0`, `${GRPC}server.go`, 1620, 0xa2f),
      frame('google.golang.org/grpc.(*Server).serveStreams.func1.2', '', `${GRPC}server.go`, 922, 0x98),
    ],
    createdBy: { fn: 'google.golang.org/grpc.(*Server).serveStreams.func1', file: `${GRPC}server.go`, line: 920, off: 0x28a },
  };
}

/** The CRI service method and its instrumented wrapper, then the gRPC tail. */
export function criCall(p: Ptrs, t: Itabs, method: string, file: string, line: number, criService: string): { frames: GFrame[]; createdBy: Created } {
  const tail = grpcTail(p, t, method);
  const inst = HANDLERS[method]?.[3] ?? 500;
  return {
    frames: [
      frame(`github.com/containerd/containerd/pkg/cri/server.(*criService).${method}`, `${criService}, {${p.heapQ()}, ${p.textQ()}}, ${p.heap()}`, `${CRI}${file}`, line, p.off(0x90, 0x2a0)),
      frame(`github.com/containerd/containerd/pkg/cri/server.(*instrumentedAlphaService).${method}`, `${p.heap()}, ${p.iface(t.ctx)}, ${p.heap()}`, `${CRI}instrumented_service.go`, inst, p.off(0x100, 0x2c0)),
      ...tail.frames,
    ],
    createdBy: tail.createdBy,
  };
}

/** A ttrpc call from containerd to a shim, waiting for the reply. */
export function ttrpcCall(p: Ptrs, t: Itabs, method: 'Delete' | 'Wait', client: string): GFrame[] {
  const ctx = `{${t.ctx}?, ${p.heap()}}`;
  const line = method === 'Delete' ? 3609 : 3673;
  return [
    frame('github.com/containerd/ttrpc.(*Client).dispatch', `${client}, ${ctx}, ${p.heap()}, ${p.heap()}`, `${TTRPC}client.go`, 163, 0x2ad),
    frame('github.com/containerd/ttrpc.(*Client).Call', `${client}, {${t.ctx}, ${p.heap()}}, {${p.text()}, 0x17}, {${p.text()}, ${method === 'Delete' ? '0x6' : '0x4'}}, {${p.textQ()}, ${p.heapQ()}}, {${p.textQ()}, ${p.heapQ()}}`, `${TTRPC}client.go`, 132, 0x2e5),
    frame(`github.com/containerd/containerd/runtime/v2/task.(*taskClient).${method}`, `${p.heap()}, {${t.ctx}, ${p.heap()}}, ${p.textQ()}`, `${CTRD}runtime/v2/task/shim.pb.go`, line, 0x98),
  ];
}

/** bbolt write-lock wait: the frames above `metadata.(*DB).Update`. */
export function bboltWait(p: Ptrs, lockPtr: string, boltDb: string): GFrame[] {
  return [
    frame('sync.runtime_SemacquireMutex', `${p.heapQ()}, 0x${p.small().slice(2)}?, ${p.heapQ()}`, `${GOROOT}runtime/sema.go`, 77, 0x25),
    frame('sync.(*Mutex).lockSlow', lockPtr, `${GOROOT}sync/mutex.go`, 171, 0x165),
    frame('sync.(*Mutex).Lock', '...', `${GOROOT}sync/mutex.go`, 90, null),
    frame('go.etcd.io/bbolt.(*DB).beginRWTx', boltDb, BBOLT, 640, 0x77),
    frame('go.etcd.io/bbolt.(*DB).Begin', '...', BBOLT, 589, null),
    frame('go.etcd.io/bbolt.(*DB).Update', `0x20?, ${p.heap()}`, BBOLT, 725, 0x3e),
  ];
}

export function metadataUpdate(p: Ptrs, dbPtr: string): GFrame {
  return frame('github.com/containerd/containerd/metadata.(*DB).Update', `${dbPtr}, ${p.textQ()}`, `${CTRD}metadata/db.go`, 246, 0x9e);
}

/** An image fetch goroutine from `images.Dispatch` (the frames below `remotes.fetch`). */
export function fetchTail(p: Ptrs, t: Itabs, size: number): { frames: GFrame[]; createdBy: Created } {
  const desc = `{{${p.heap()}, 0x2e}, {${p.heap()}, 0x47}, 0x${size.toString(16)}, {0x0, 0x0, 0x0}, ...}`;
  return {
    frames: [
      frame('github.com/containerd/containerd/remotes.fetch', `${p.iface(t.ctx)}, ${p.iface()}, ${p.iface()}, ${desc}`, `${CTRD}remotes/handlers.go`, 153, 0x6b2),
      frame('github.com/containerd/containerd/remotes.FetchHandler.func1', `{${t.ctx}, ${p.heap()}}, ${desc}`, `${CTRD}remotes/handlers.go`, 104, 0x269),
      frame('github.com/containerd/containerd/images.HandlerFunc.Handle', '...', `${CTRD}images/handlers.go`, 59, null),
      frame('github.com/containerd/containerd/images.Handlers.func1', `{${t.ctx}, ${p.heap()}}, ${desc}`, `${CTRD}images/handlers.go`, 69, 0xd4),
      frame('github.com/containerd/containerd/images.HandlerFunc.Handle', '...', `${CTRD}images/handlers.go`, 59, null),
      frame('github.com/containerd/containerd/images.Dispatch.func1', '', `${CTRD}images/handlers.go`, 154, 0xc5),
      frame('golang.org/x/sync/errgroup.(*Group).Go.func1', '', `${VENDOR}golang.org/x/sync/errgroup/errgroup.go`, 75, 0x64),
    ],
    createdBy: { fn: 'golang.org/x/sync/errgroup.(*Group).Go', file: `${VENDOR}golang.org/x/sync/errgroup/errgroup.go`, line: 72, off: 0xa5 },
  };
}

/** An HTTP/2 or TLS read from a registry during a layer download. */
export function httpBodyRead(p: Ptrs, t: Itabs): GFrame[] {
  return [
    ...netConnRead(p),
    frame('crypto/tls.(*atLeastReader).Read', `${p.heap()}, {${p.heap()}, 0x4000, 0x4000}`, `${GOROOT}crypto/tls/conn.go`, 785, 0x3d),
    frame('bytes.(*Buffer).ReadFrom', `${p.heap()}, {${p.textQ()}, ${p.heap()}}`, `${GOROOT}bytes/buffer.go`, 204, 0x98),
    frame('crypto/tls.(*Conn).readFromUntil', `${p.heap()}, ${p.iface(t.conn)}, 0x4005?`, `${GOROOT}crypto/tls/conn.go`, 807, 0xe5),
    frame('crypto/tls.(*Conn).readRecordOrCCS', `${p.heap()}, 0x0`, `${GOROOT}crypto/tls/conn.go`, 614, 0x116),
    frame('crypto/tls.(*Conn).readRecord', '...', `${GOROOT}crypto/tls/conn.go`, 582, null),
    frame('crypto/tls.(*Conn).Read', `${p.heap()}, {${p.heap()}, 0x8000, ${p.textQ()}}`, `${GOROOT}crypto/tls/conn.go`, 1287, 0x16f),
    frame('net/http.(*persistConn).Read', `${p.heap()}, {${p.heapQ()}, ${p.heapQ()}, ${p.textQ()}}`, `${GOROOT}net/http/transport.go`, 1929, 0x4e),
    frame('bufio.(*Reader).Read', `${p.heap()}, {${p.heap()}, 0x8000, 0x8000}`, `${GOROOT}bufio/bufio.go`, 237, 0x1bb),
    frame('io.(*LimitedReader).Read', `${p.heap()}, {${p.heap()}?, ${p.heapQ()}, ${p.heapQ()}}`, `${GOROOT}io/io.go`, 476, 0x45),
    frame('net/http.(*body).readLocked', `${p.heap()}, {${p.heap()}?, 0x8000?, 0x8000?}`, `${GOROOT}net/http/transfer.go`, 846, 0x3c),
    frame('net/http.(*body).Read', `${p.heapQ()}, {${p.heapQ()}, 0x8000?, ${p.textQ()}}`, `${GOROOT}net/http/transfer.go`, 838, 0x125),
    frame('net/http.(*bodyEOFSignal).Read', `${p.heap()}, {${p.heap()}, 0x8000, 0x8000}`, `${GOROOT}net/http/transport.go`, 2774, 0x142),
    frame('github.com/containerd/containerd/remotes/docker.(*httpReadSeeker).Read', `${p.heap()}, {${p.heap()}?, 0x8000?, ${p.heapQ()}}`, `${CTRD}remotes/docker/httpreadseeker.go`, 55, 0x4b),
  ];
}
