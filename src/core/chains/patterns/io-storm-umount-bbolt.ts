import type { Pattern } from '../pattern';

/**
 * Runtime timeouts the storm causes: exits, stops and removals wait on umount and bbolt; lists,
 * status reads and updates wait on the status lock; creates and starts on both. Probe execs
 * (ExecSync) and stats time out on busy healthy nodes too and are left out.
 */
const BLOCKED_CALLS = [
  'TaskExit', 'StopContainer', 'KillContainer', 'RemoveContainer', 'StopPodSandbox', 'RemovePodSandbox',
  'ListContainers', 'ListPodSandbox', 'ContainerStatus', 'PodSandboxStatus', 'UpdateContainerResources',
  'CreateContainer', 'StartContainer', 'RunPodSandbox',
];

/** The reference incident (INCIDENT.md): mass image pulls saturate the disk; overlay umount and the bbolt commit wait on writeback; CRI calls queue behind them; PLEG stalls. */
export const ioStormUmountBbolt: Pattern = {
  id: 'io-storm-umount-bbolt',
  title: 'Image-pull IO storm → overlay umount and bbolt fsync stall → CRI locks → PLEG stall',
  description:
    'Many image pulls at once (typically right after a reboot or a runtime switch) saturate the disk. Each overlay umount syncs the filesystem, so the shim\'s Delete hangs; a content commit holds containerd\'s bbolt write lock while in fsync; UpdateContainerResources holds a container\'s status lock while waiting for bbolt; ListContainers waits for that status lock, and kubelet\'s PLEG relist stalls.',
  steps: [
    { id: 'relist-stall', role: 'symptom', title: 'kubelet PLEG relist stalled', explanation: 'No relist for {gapSec} s (median period {medianPeriodSec} s): kubelet saw no container changes meanwhile.', query: { detector: 'pleg', kinds: ['relist-gap', 'not-healthy'] }, required: true, weight: 3, missingHint: 'no relist gap in the kubelet log: add the kubelet journal at -v=4 or higher (journalctl -u kubelet), where "GenericPLEG: Relisting" is logged' },
    { id: 'runtime-errors', role: 'symptom', title: 'CRI calls and TaskExit handling time out', explanation: '{total} runtime error(s): exits and stops could not complete within their deadline.', query: { detector: 'runtime', kinds: ['taskexit-failed', 'cri-deadline'], where: [{ fact: 'call', op: 'in', value: BLOCKED_CALLS }] }, required: false, weight: 1, missingHint: 'no TaskExit / deadline errors: add the containerd journal (journalctl -u containerd)' },
    { id: 'status-wait', role: 'blocked-call', title: 'ListContainers waits for a container status lock', explanation: '{count} CRI status reader(s) blocked in statusStorage.Get → RWMutex.RLock for {minutes} min.', query: { detector: 'goroutines', kind: 'cri-list-wait' }, required: false, weight: 1.5, missingHint: 'no containerd goroutine dump: send SIGUSR1 to containerd during the stall and add the dump (/tmp/containerd.<pid>.stacks.log or the journal)' },
    { id: 'bbolt-wait', role: 'blocked-call', title: 'UpdateContainerResources holds the status lock and waits for bbolt', explanation: 'UpdateContainerResources waits in bbolt beginRWTx → Mutex.lockSlow for {minutes} min while holding the container status lock.', query: { detector: 'goroutines', kind: 'cri-update-wait' }, required: false, weight: 1.5, missingHint: 'no containerd goroutine dump taken during the stall: add /tmp/containerd.<pid>.stacks.log (SIGUSR1)' },
    { id: 'exit-delete-wait', role: 'blocked-call', title: 'TaskExit handler waits for the shim\'s Delete', explanation: 'The CRI exit handler waits in ttrpc dispatch for the shim\'s Delete ({minutes} min).', query: { detector: 'goroutines', kind: 'ttrpc-delete-wait' }, required: false, weight: 1, missingHint: 'no containerd goroutine dump: add /tmp/containerd.<pid>.stacks.log (SIGUSR1)' },
    { id: 'bbolt-holder', role: 'lock-holder', title: 'A content commit holds the bbolt lock while in fsync', explanation: 'The bbolt write-lock holder is inside bbolt.(*DB).Update, blocked in fsync for {minutes} min.', query: { detector: 'goroutines', kind: 'bbolt-fsync-holder' }, required: true, weight: 2, missingHint: 'no bbolt lock holder found: add a containerd goroutine dump (SIGUSR1) taken during the stall' },
    { id: 'lock-link', role: 'lock-holder', title: 'Waiters and holder share the metadata DB', explanation: '{waiters} waiter(s) linked to the holder through the shared pointer {pointer}.', query: { detector: 'goroutines', kind: 'lock-link' }, required: false, weight: 1, missingHint: 'waiters could not be linked to a holder: the dump needs argument values (GOTRACEBACK default keeps them)' },
    { id: 'shim-umount', role: 'resource', title: 'The shim\'s Delete is stuck in umount', explanation: 'containerd-shim waits in unix.Unmount ← mount.UnmountAll: the overlay umount syncs dirty pages.', query: { detector: 'goroutines', kind: 'shim-unmount' }, required: false, weight: 1.5, missingHint: 'no shim goroutine dump: send SIGUSR1 to the containerd-shim-runc-v2 of the stuck container and add its dump' },
    { id: 'hung-umount', role: 'resource', title: 'Kernel reports a task hung in overlay sync', explanation: 'Kernel hung task {task}, blocked > {blockedSeconds} s in ovl_sync_fs / sync_filesystem.', query: { detector: 'kernel', kind: 'hung-task', where: [{ fact: 'overlaySync', op: 'eq', value: true }] }, required: false, weight: 1, missingHint: 'no hung-task report: add the kernel log (dmesg -T or journalctl -k)' },
    { id: 'io-window', role: 'root-cause', title: 'The disk is saturated', explanation: 'IO pressure over thresholds ({kinds}; up to {peakRatio}× the threshold).', query: { detector: 'io-pressure', kind: 'io-window' }, required: true, weight: 2.5, missingHint: 'no IO pressure data in the bundle: add /proc/pressure/io samples, iostat -x -t or vmstat -t output covering the incident' },
    { id: 'pull-storm', role: 'root-cause', title: 'Many image pulls at once', explanation: 'Up to {maxConcurrent} concurrent image pulls ({pulls} in the window) write layers to the content store.', query: { detector: 'image-pulls', kind: 'pull-storm' }, required: false, weight: 2, missingHint: 'no overlapping image pulls found: add the kubelet journal (Pulling / Successfully pulled image events) or the containerd journal (PullImage)' },
  ],
  links: [
    { from: 'status-wait', to: 'relist-stall', relation: 'overlaps', seconds: 30 },
    { from: 'bbolt-wait', to: 'relist-stall', relation: 'overlaps', seconds: 60 },
    { from: 'bbolt-holder', to: 'bbolt-wait', relation: 'overlaps', seconds: 30 },
    { from: 'lock-link', to: 'bbolt-holder', relation: 'overlaps', seconds: 30 },
    { from: 'runtime-errors', to: 'io-window', relation: 'overlaps', seconds: 60 },
    { from: 'exit-delete-wait', to: 'shim-umount', relation: 'overlaps', seconds: 30 },
    { from: 'shim-umount', to: 'io-window', relation: 'overlaps', seconds: 60 },
    { from: 'hung-umount', to: 'io-window', relation: 'overlaps', seconds: 120 },
    { from: 'io-window', to: 'relist-stall', relation: 'overlaps', seconds: 30 },
    { from: 'pull-storm', to: 'relist-stall', relation: 'precedes-within', seconds: 600 },
    { from: 'pull-storm', to: 'io-window', relation: 'overlaps', seconds: 60 },
  ],
  absent: [
    // A disk that reports I/O errors stalls every writer as load never does: a failing device, not a pull storm.
    { id: 'device-failing', title: 'The disk reports I/O errors (a failing device, not load)', query: { detector: 'kernel', kind: 'device-io-error' }, penalty: 0.5 },
  ],
  remedy: {
    text:
      'Mount the overlay snapshots with the `volatile` option so umount skips syncing the upper directory (containerd gained configurable overlayfs mount options in PR #8676; the kernel needs overlayfs `volatile`, Linux ≥ 5.10). A volatile upper directory is not crash-safe: after an unclean shutdown overlayfs refuses to mount it and the container\'s writable layer must be recreated, which is normal for pod containers. Stagger image pulls so a reboot or a runtime switch does not refetch every image at once: keep kubelet `serializeImagePulls: true` (the default), or with Kubernetes ≥ 1.27 set `serializeImagePulls: false` with a small `maxParallelImagePulls`; pre-pull large images into the new runtime before switching. Watch `/proc/pressure/io` (PSI `full avg10`) and iostat %util during node bring-up.',
    snippets: [
      { title: 'containerd config.toml (version 2): volatile overlay mounts', language: 'toml', code: '[plugins."io.containerd.snapshotter.v1.overlayfs"]\n  mount_options = ["volatile"]' },
      { title: 'KubeletConfiguration: one pull at a time (default)', language: 'yaml', code: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nserializeImagePulls: true' },
      { title: 'KubeletConfiguration (Kubernetes ≥ 1.27): bounded parallel pulls', language: 'yaml', code: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nserializeImagePulls: false\nmaxParallelImagePulls: 2' },
      { title: 'Watch IO pressure during bring-up', language: 'sh', code: 'while sleep 5; do date -u +%FT%TZ; cat /proc/pressure/io; done >> /var/log/pressure-io.log' },
    ],
    references: [
      'https://github.com/containerd/containerd/pull/8676',
      'https://github.com/containerd/containerd/issues/2886',
      'https://docs.kernel.org/filesystems/overlayfs.html#volatile-mount',
      'https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/',
      'https://docs.kernel.org/accounting/psi.html',
    ],
  },
};
