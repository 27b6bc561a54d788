// cri-lock-contention: no disk pressure. A long bbolt write transaction (metadata GC waiting to
// remap the DB while a snapshot-usage walk keeps a read transaction open) holds containerd's
// metadata lock; kubelet's CPU-manager UpdateContainerResources takes a container's status lock and
// queues behind it; ListContainers / ContainerStatus block on that status lock; PLEG stalls.

import { CTRD, GOROOT, Ptrs, VENDOR, frame, minutesBetween, type GFrame, type Goroutine } from './goroutines';
import { S, type Plan } from './plan';
import { Rng } from './rng';
import { BBOLT, CRI, bboltWait, criCall, itabs, metadataUpdate } from './stacks-frames';
import { appendIds, quietRelist, sec, steadyRelists, unhealthyTimes, type VariantExtras } from './variant-common';

export function reshapeCriLock(plan: Plan): void {
  const rng = new Rng(plan.seed).fork('variant-cri-lock');
  const lenUs = sec(rng, 75, 115);
  const fromUs = quietRelist(plan, plan.podsAddUs + sec(rng, 200, 330), lenUs);
  const toUs = fromUs + lenUs;
  const before = plan.relists.filter((r) => r <= fromUs);
  const lastSuccessUs = before[before.length - 2] ?? fromUs;
  plan.endUs = Math.max(plan.endUs, toUs + 300 * S);
  plan.relists = [...before, ...steadyRelists(rng, toUs, plan.endUs)];
  plan.gap = { fromUs, toUs, unblockUs: toUs - S - sec(rng, 0.0006, 0.004), lastSuccessUs };
  plan.waiterStartUs = fromUs - sec(rng, 0.05, 0.8);
  plan.holderStartUs = plan.waiterStartUs - sec(rng, 3, 25);
  plan.dumpUs = fromUs + Math.max(65 * S, Math.round(rng.range(0.6, 0.85) * lenUs));
  if (plan.dumpUs > toUs - 2 * S) plan.dumpUs = toUs - 2 * S;
  plan.shimDumpUs = plan.dumpUs + sec(rng, 2, 15);
  plan.unhealthyUs = lenUs > 180 * S ? unhealthyTimes(rng, lastSuccessUs, plan.gap.unblockUs) : [];
}

export function criLockExtras(plan: Plan, dumpText: string): VariantExtras {
  const rng = new Rng(plan.seed).fork('variant-cri-lock-extras');
  const gap = plan.gap;
  if (!gap) throw new Error('cri-lock-contention needs its stall');
  const p = new Ptrs(rng, (0x5500 + rng.int(0, 0x1ff)) * 0x100000000, 0x3000000);
  const t = itabs(p);
  const ids = appendIds(rng, plan, dumpText);
  const dumpUs = plan.dumpUs;
  const dbPtr = p.heap();
  const boltDb = p.heap();
  const lockPtr = `0x${(parseInt(boltDb.slice(2), 16) + 0x1b8).toString(16)}`;
  const mmapLock = `0x${(parseInt(boltDb.slice(2), 16) + 0x1f0).toString(16)}`;
  const statusPtr = p.heap();
  const criSvc = p.heap();
  const ctx = (): string => p.iface(t.ctx);
  const gs: Goroutine[] = [];
  const add = (createdUs: number, state: string, sinceUs: number, frames: GFrame[], createdBy?: Goroutine['createdBy']): Goroutine => {
    const g: Goroutine = { id: ids.at(createdUs), state, minutes: minutesBetween(sinceUs, dumpUs), frames, createdBy };
    gs.push(g);
    return g;
  };

  // The long read transaction: the snapshots syncer walking a huge snapshot tree inside db.View.
  const walkStart = plan.holderStartUs - sec(rng, 20, 90);
  add(plan.containerdStartUs + sec(rng, 0.5, 2), 'syscall', walkStart, [
    frame('syscall.Syscall', `0xd9, 0x${rng.int(0x20, 0x90).toString(16)}, ${p.heap()}, 0x2000`, `${GOROOT}syscall/syscall_linux.go`, 68, 0x27),
    frame('syscall.Getdents', '...', `${GOROOT}syscall/zsyscall_linux_amd64.go`, 477, null),
    frame('os.(*File).readdir', `${p.heap()}, 0x0?, 0x1, {0x0, 0x0, 0x0}`, `${GOROOT}os/dir_unix.go`, 79, 0x1d1),
    frame('path/filepath.walk', `{${p.heap()}, 0x${rng.int(0x60, 0xb0).toString(16)}}, {${p.text()}, ${p.heap()}}, ${p.heap()}`, `${GOROOT}path/filepath/path.go`, 422, 0xb3),
    frame('github.com/containerd/continuity/fs.diskUsage', `${ctx()}, {${p.heap()}, 0x4a}`, `${VENDOR}github.com/containerd/continuity/fs/du_unix.go`, 51, 0x1a5),
    frame('github.com/containerd/containerd/snapshots/overlay.(*snapshotter).Usage', `${p.heap()}, ${ctx()}, {${p.heap()}, 0x47}`, `${CTRD}snapshots/overlay/overlay.go`, 218, 0x2c5),
    frame('github.com/containerd/containerd/metadata.(*snapshotter).Usage.func1', p.heap(), `${CTRD}metadata/snapshot.go`, 191, 0x1f2),
    frame('go.etcd.io/bbolt.(*DB).View', `${boltDb}, ${p.heap()}`, BBOLT, 779, 0x6e),
    frame('github.com/containerd/containerd/metadata.view', `{${t.ctx}?, ${p.heapQ()}}, {${p.textQ()}, ${dbPtr}?}, ${p.heapQ()}`, `${CTRD}metadata/bolt.go`, 42, 0x9d),
    frame('github.com/containerd/containerd/metadata.(*snapshotter).Usage', `${p.heap()}, ${ctx()}, {${p.heap()}, 0x47}`, `${CTRD}metadata/snapshot.go`, 170, 0x1c5),
    frame('github.com/containerd/containerd/pkg/cri/server.(*snapshotsSyncer).sync', p.heap(), `${CRI}snapshots.go`, 106, 0x4e5),
    frame('github.com/containerd/containerd/pkg/cri/server.(*snapshotsSyncer).start.func1', '', `${CRI}snapshots.go`, 70, 0x2a),
  ], { fn: 'github.com/containerd/containerd/pkg/cri/server.(*snapshotsSyncer).start', file: `${CRI}snapshots.go`, line: 64, off: 0xa5 });

  // The bbolt write-lock holder: metadata GC, waiting inside Commit to remap the grown file.
  add(plan.holderStartUs - sec(rng, 0.01, 0.2), 'semacquire', plan.holderStartUs, [
    frame('sync.runtime_SemacquireMutex', `${p.heapQ()}, 0x0?, 0x0?`, `${GOROOT}runtime/sema.go`, 77, 0x25),
    frame('sync.(*RWMutex).Lock', mmapLock, `${GOROOT}sync/rwmutex.go`, 152, 0xf1),
    frame('go.etcd.io/bbolt.(*DB).mmap', `${boltDb}, 0x${(rng.int(0x200, 0x800) * 0x100000).toString(16)}`, BBOLT, 391, 0x7d),
    frame('go.etcd.io/bbolt.(*DB).allocate', `${boltDb}, 0x${rng.int(0x100, 0x4000).toString(16)}, 0x1`, BBOLT, 1031, 0x1d9),
    frame('go.etcd.io/bbolt.(*Tx).allocate', `${p.heap()}, 0x1?`, `${VENDOR}go.etcd.io/bbolt/tx.go`, 487, 0x4a),
    frame('go.etcd.io/bbolt.(*Tx).Commit', p.heap(), `${VENDOR}go.etcd.io/bbolt/tx.go`, 197, 0x415),
    frame('go.etcd.io/bbolt.(*DB).Update', `${boltDb}, ${p.heap()}`, BBOLT, 745, 0xd2),
    frame('github.com/containerd/containerd/metadata.(*DB).GarbageCollect', `${dbPtr}, ${ctx()}`, `${CTRD}metadata/db.go`, 299, 0x1a7),
    frame('github.com/containerd/containerd/gc/scheduler.(*gcScheduler).run', `${p.heap()}, ${ctx()}`, `${CTRD}gc/scheduler/scheduler.go`, 310, 0x4d5),
  ], { fn: 'github.com/containerd/containerd/gc/scheduler.init.0.func1', file: `${CTRD}gc/scheduler/scheduler.go`, line: 132, off: 0x498 });

  // UpdateContainerResources (CPU manager reconcile): holds the status lock, waits for bbolt.
  const cntrArg = `{{{${p.heap()}, 0x40}, {${p.heap()}, 0x52}, {${p.heap()}, 0x40}, ${p.heap()}, ...}, ...}`;
  const upd = criCall(p, t, 'UpdateContainerResources', 'container_update_resources.go', 51, criSvc);
  add(plan.waiterStartUs, 'semacquire', plan.waiterStartUs, [
    ...bboltWait(p, lockPtr, boltDb),
    metadataUpdate(p, dbPtr),
    frame('github.com/containerd/containerd/services/containers.(*local).withStoreUpdate', '...', `${CTRD}services/containers/local.go`, 202, null),
    frame('github.com/containerd/containerd/services/containers.(*local).Update', `${p.heap()}, ${ctx()}, ${p.heap()}, {${p.textQ()}, 0x0?, ${p.heapQ()}}`, `${CTRD}services/containers/local.go`, 156, 0x24e),
    frame('github.com/containerd/containerd.(*container).Update', `${p.heap()}, ${ctx()}, {${p.heap()}, 0x1, ${p.textQ()}}`, `${CTRD}container.go`, 324, 0x1a5),
    frame('github.com/containerd/containerd/pkg/cri/server.updateContainerSpec', `${ctx()}, {${p.text()}, ${p.heap()}}, ${p.heap()}`, `${CRI}container_update_resources.go`, 143, 0x166),
    frame('github.com/containerd/containerd/pkg/cri/server.(*criService).updateContainerResources.func2', cntrArg, `${CRI}container_update_resources.go`, 108, 0x2b2),
    frame('github.com/containerd/containerd/pkg/cri/store/container.(*statusStorage).UpdateSync', `${statusPtr}, ${p.heap()}`, `${CTRD}pkg/cri/store/container/status.go`, 222, 0xbd),
    frame('github.com/containerd/containerd/pkg/cri/server.(*criService).updateContainerResources', `${criSvc}, ${ctx()}, ${cntrArg}, ${p.heap()}, ${p.heap()}`, `${CRI}container_update_resources.go`, 76, 0x1c5),
    ...upd.frames,
  ], upd.createdBy);

  // The status readers: PLEG's ListContainers first, then kubelet's other calls.
  let at = gap.fromUs + rng.int(200, 1500);
  let first = true;
  while (at < dumpUs) {
    const method = first || rng.chance(0.4) ? 'ListContainers' : 'ContainerStatus';
    const call = criCall(p, t, method, method === 'ListContainers' ? 'container_list.go' : 'container_status.go', method === 'ListContainers' ? 37 : 44, criSvc);
    const frames: GFrame[] = [
      frame('sync.runtime_SemacquireMutex', `0x${rng.int(0x100, 0xfff).toString(16)}?, 0x${rng.int(0x10, 0xff).toString(16)}?, 0x${rng.hex(16).replace(/^0+/, '')}?`, `${GOROOT}runtime/sema.go`, 77, 0x25),
      frame('sync.(*RWMutex).RLock', '...', `${GOROOT}sync/rwmutex.go`, 71, null),
      frame('github.com/containerd/containerd/pkg/cri/store/container.(*statusStorage).Get', `${statusPtr}?`, `${CTRD}pkg/cri/store/container/status.go`, 205, 0x9c),
    ];
    if (method === 'ListContainers') frames.push(frame('github.com/containerd/containerd/pkg/cri/server.toCRIContainer', '...', `${CRI}container_list.go`, 48, null));
    add(at, 'semacquire', at, [...frames, ...call.frames], call.createdBy);
    first = false;
    at += sec(rng, 3, 12);
  }

  const w = (us: number): number => us + plan.skewUs;
  return { kubelet: [], containerd: [], containerdGoroutines: gs, chainWindow: { fromUs: w(gap.fromUs), toUs: w(gap.toUs) } };
}
