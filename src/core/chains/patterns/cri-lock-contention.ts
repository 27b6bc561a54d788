import type { Pattern } from '../pattern';

/** One stuck UpdateContainerResources holds a container's status lock; ListContainers queues behind it; no disk pressure. */
export const criLockContention: Pattern = {
  id: 'cri-lock-contention',
  title: 'Stuck UpdateContainerResources holds the CRI status lock → ListContainers blocks → PLEG stall',
  description:
    'containerd\'s CRI plugin updates a container\'s resources while holding that container\'s status lock (statusStorage.UpdateSync). If the update itself is stuck — waiting for containerd\'s bbolt metadata lock held by another long transaction — every ListContainers and ContainerStatus that reads this container\'s status blocks, so kubelet\'s PLEG relist stalls. The disk is not saturated: the lock, not IO, is the bottleneck.',
  steps: [
    { id: 'relist-stall', role: 'symptom', title: 'kubelet PLEG relist stalled', explanation: 'No relist for {gapSec} s.', query: { detector: 'pleg', kinds: ['relist-gap', 'not-healthy'] }, required: true, weight: 3, missingHint: 'no relist gap: add the kubelet journal at -v=4 or higher' },
    { id: 'status-wait', role: 'blocked-call', title: 'ListContainers waits for a container status lock', explanation: '{count} CRI status reader(s) blocked in statusStorage.Get → RWMutex.RLock for {minutes} min.', query: { detector: 'goroutines', kind: 'cri-list-wait' }, required: true, weight: 2.5, missingHint: 'no containerd goroutine dump taken during the stall: send SIGUSR1 to containerd and add the dump' },
    { id: 'update-wait', role: 'lock-holder', title: 'UpdateContainerResources holds that status lock, stuck', explanation: 'UpdateContainerResources holds the status lock and has waited {minutes} min for the metadata (bbolt) lock.', query: { detector: 'goroutines', kind: 'cri-update-wait' }, required: true, weight: 2.5, missingHint: 'no UpdateContainerResources goroutine in the dump: add a containerd goroutine dump (SIGUSR1) taken during the stall' },
    { id: 'lock-link', role: 'lock-holder', title: 'Waiters linked to the lock holder', explanation: '{waiters} waiter(s) share {pointer} with the holder {holderFunction}.', query: { detector: 'goroutines', kind: 'lock-link' }, required: false, weight: 1, missingHint: 'waiters could not be linked: the dump needs argument values' },
    { id: 'cri-deadlines', role: 'symptom', title: 'kubelet CRI calls time out', explanation: '{total} CRI call(s) hit their deadline ({call}).', query: { detector: 'runtime', kind: 'cri-deadline', where: [{ fact: 'call', op: 'in', value: ['ListContainers', 'ListPodSandbox', 'ContainerStatus', 'PodSandboxStatus', 'UpdateContainerResources', 'StopContainer', 'RemoveContainer', 'StopPodSandbox'] }] }, required: false, weight: 1, missingHint: 'no CRI deadline errors: add the kubelet journal' },
  ],
  links: [
    { from: 'status-wait', to: 'relist-stall', relation: 'overlaps', seconds: 30 },
    { from: 'update-wait', to: 'status-wait', relation: 'overlaps', seconds: 30 },
    { from: 'lock-link', to: 'update-wait', relation: 'overlaps', seconds: 30 },
    { from: 'cri-deadlines', to: 'relist-stall', relation: 'overlaps', seconds: 120 },
  ],
  absent: [
    { id: 'io-window', title: 'disk saturated at the same time (the IO storm pattern explains more)', query: { detector: 'io-pressure', kind: 'io-window' }, penalty: 0.6 },
    { id: 'bbolt-fsync', title: 'the bbolt holder is in fsync (an IO cause)', query: { detector: 'goroutines', kind: 'bbolt-fsync-holder' }, penalty: 0.5 },
  ],
  remedy: {
    text:
      'Identify the goroutine that holds the metadata lock the update waits for (the lock-link step names it); take a second dump 30 s later to confirm it does not move. Restarting containerd releases the locks without stopping running containers (the shims are separate processes and survive with the stock unit\'s KillMode=process). kubelet\'s static CPU manager calls UpdateContainerResources on every reconcile (`cpuManagerReconcilePeriod`, default 10s) — a stuck update blocks that container\'s status for every later call, so check the holder before lengthening the period. A large metadata database makes long write transactions more likely: check the size of /var/lib/containerd/io.containerd.metadata.v1.bolt/meta.db and compact it offline (containerd stopped) with `bbolt compact`.',
    snippets: [
      { title: 'Dump containerd goroutines twice', language: 'sh', code: 'pid=$(pidof containerd)\nkill -USR1 "$pid"; sleep 30; kill -USR1 "$pid"\njournalctl -u containerd --since "-2 min" | grep -c "goroutine stack dump"' },
      { title: 'Metadata DB size, and offline compaction', language: 'sh', code: 'ls -lh /var/lib/containerd/io.containerd.metadata.v1.bolt/meta.db\n# with containerd stopped:\nbbolt compact -o /tmp/meta.db /var/lib/containerd/io.containerd.metadata.v1.bolt/meta.db' },
      { title: 'KubeletConfiguration: CPU manager reconcile period', language: 'yaml', code: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncpuManagerPolicy: static\ncpuManagerReconcilePeriod: 10s' },
    ],
    references: [
      'https://github.com/etcd-io/bbolt#readme',
      'https://kubernetes.io/docs/tasks/administer-cluster/cpu-management-policies/',
      'https://github.com/containerd/containerd/blob/main/containerd.service',
    ],
  },
};
